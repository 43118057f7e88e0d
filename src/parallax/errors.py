"""Exceptions Parallax raises.

::

    ParallaxError
    ├─ ConfigError   bad settings or a pipeline whose stages are out of order
    ├─ InputError    an input that cannot be read (the message names it)
    ├─ StageError    an unexpected exception inside a stage (strict mode only)
    ├─ StoreError    the store is locked, unwritable or has a newer schema
    └─ RunnerError   a runner cannot start or lost its workers (Dask missing, scheduler unreachable)

Expected per-document problems are data (``InputFailure``/``Rejection``
records in ``errors``), not exceptions.
"""

from __future__ import annotations


class ParallaxError(Exception):
    """Base class of every error Parallax raises on purpose."""


class ConfigError(ParallaxError):
    """Settings or pipeline definition are invalid."""


class InputError(ParallaxError):
    """An input could not be read."""


class StageError(ParallaxError):
    """A stage raised while processing a document (strict mode)."""


class StoreError(ParallaxError):
    """The DuckDB store cannot be opened or written."""


class RunnerError(ParallaxError):
    """A runner cannot run: its engine is not installed, unreachable, or lost."""
