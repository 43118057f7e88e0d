"""Parallax: from a pile of news articles to who said what, with provenance."""

__version__ = "0.1.0"  # defined first: submodules import it

from parallax.api import Progress, analyze
from parallax.errors import (
    ConfigError, InputError, ParallaxError, RunnerError, StageError, StoreError,
)
from parallax.records import Analysis, Article, InputFailure, Rejection, Removed, SourceDocument

__all__ = [
    "Analysis",
    "Article",
    "ConfigError",
    "InputError",
    "InputFailure",
    "ParallaxError",
    "Progress",
    "Rejection",
    "Removed",
    "RunnerError",
    "SourceDocument",
    "StageError",
    "StoreError",
    "__version__",
    "analyze",
]
