"""What every runner offers ``api.analyze``: run stages over a batch, in order.

A runner only cuts batches, ships them and collects the outcomes; every
document goes through ``pipeline.apply.apply_stages`` and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from parallax.pipeline.stage import Stage
from parallax.records import Article, Rejection


class Runner(Protocol):
    """Run ``stages`` over ``batch``; one outcome per article, in batch order."""

    strict: bool

    def run(self, stages: Sequence[Stage], batch: Sequence[Article]) -> list[Article | Rejection]:
        ...

    def close(self) -> None:
        ...

    def __enter__(self) -> Runner:
        ...

    def __exit__(self, *exc: object) -> None:
        ...
