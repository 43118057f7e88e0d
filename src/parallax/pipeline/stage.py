"""The per-document stage contract shared by every runner.

A stage is a small picklable object: configuration lives in its dataclass
fields, heavy state (models) is loaded lazily in ``setup()`` and kept in
``_``-prefixed attributes that are dropped when the stage is pickled, so a
stage is cheap to ship to a worker process.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from parallax.ids import make_id
from parallax.records import Article, Rejection


@dataclass(kw_only=True)
class Stage:
    """Base class: declare name/version/requires/provides, implement ``process``."""

    name: ClassVar[str] = "stage"
    version: ClassVar[int] = 1
    requires: ClassVar[frozenset[str]] = frozenset()
    provides: ClassVar[frozenset[str]] = frozenset()

    def setup(self) -> None:
        """Load heavy state once per process; must be idempotent."""

    def process(self, article: Article) -> Article | Rejection:
        raise NotImplementedError

    def process_batch(self, articles: Sequence[Article]) -> list[Article | Rejection]:
        """Process several articles; override to vectorise."""
        return [self.process(article) for article in articles]

    def config(self) -> dict[str, Any]:
        """Public configuration: the dataclass fields that do not start with ``_``."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if not f.name.startswith("_")
        }

    def fingerprint(self) -> str:
        """Hash of name, version and config: equal fingerprints give equal output."""
        config = json.dumps(self.config(), sort_keys=True, default=repr)
        return make_id("stg", self.name, str(self.version), config)

    def reject(self, article: Article, reason: str, detail: str = "") -> Rejection:
        return Rejection(
            article_id=article.id, input=article.input, stage=self.name, reason=reason, detail=detail
        )

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
