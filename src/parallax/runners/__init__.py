"""Runners: where the per-article stages run (this process, a process pool, a Dask cluster).

``open_runner`` picks one by name. Dask is imported only when the Dask runner
is chosen, inside ``runners/dask.py``.
"""

from __future__ import annotations

import os

from parallax.errors import ConfigError
from parallax.runners.base import Runner
from parallax.runners.local import LocalRunner, default_workers

RUNNERS = ("local", "dask")


def open_runner(
    kind: str = "local",
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    shard_dir: str | os.PathLike[str] | None = None,
    strict: bool = False,
    doc_timeout: float | None = None,
) -> Runner:
    """Return a started runner: ``"local"`` (default) or ``"dask"``.

    For Dask, ``scheduler`` is the address of an existing cluster
    (``tcp://host:8786``); without it a ``LocalCluster`` of ``workers``
    single-threaded processes is started. Shards go to ``shard_dir``, which
    every worker must be able to read and write. ``doc_timeout`` bounds each
    document's time in each stage (seconds; ``None``: no limit).
    """
    if kind not in RUNNERS:
        raise ConfigError(f"unknown runner {kind!r}: choose one of {', '.join(RUNNERS)}")
    if kind == "local":
        if scheduler:
            raise ConfigError("a scheduler address needs the Dask runner (--runner dask)")
        return LocalRunner(workers or default_workers(), strict=strict, doc_timeout=doc_timeout)
    if scheduler and workers:
        raise ConfigError(
            "give either a scheduler address (an existing cluster decides its workers) "
            "or a worker count (a local cluster), not both"
        )
    from parallax.runners.dask import DaskRunner

    return DaskRunner(
        scheduler=scheduler, workers=workers, shard_dir=shard_dir, strict=strict,
        doc_timeout=doc_timeout,
    )


__all__ = ["RUNNERS", "LocalRunner", "Runner", "default_workers", "open_runner"]
