"""Cleaner and QualityFlagger: the stage skins over the pure debris and quality rules.

Cleaner reads ``text``/``outlet``; writes ``text``, ``removed`` and, when a
syndication footer names it and the source did not, ``outlet``. It emits
``empty-text`` when nothing but debris is left. QualityFlagger reads the
cleaned article and writes ``flags``; it never rejects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from parallax.pipeline.stage import Stage
from parallax.records import Article, Rejection, Removed
from parallax.stages.debris import remove_debris
from parallax.stages.quality import quality_flags


@dataclass(kw_only=True)
class Cleaner(Stage):
    """Remove scraping debris, keeping every cut piece with its reason."""

    name = "clean"
    version = 1
    requires = frozenset({"text"})
    provides = frozenset({"text", "removed"})
    # outlet -> normalised lines repeated across that outlet's articles
    boilerplate: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def config(self) -> dict[str, object]:
        return {"boilerplate": {k: sorted(v) for k, v in sorted(self.boilerplate.items())}}

    def process(self, article: Article) -> Article | Rejection:
        result = remove_debris(
            article.text, boilerplate=self.boilerplate.get(article.outlet or "", frozenset())
        )
        if not result.text.strip():
            return self.reject(
                article,
                "empty-text",
                f"only debris left after cleaning ({len(result.removed)} pieces removed, "
                f"e.g. {_first_reasons(result.removed)})",
            )
        # Earlier removals (e.g. a repeated headline) stood before everything kept.
        earlier = tuple(replace(piece, at=0) for piece in article.removed)
        return replace(
            article,
            text=result.text,
            removed=(*earlier, *result.removed),
            outlet=article.outlet or result.outlet_hint,
        )


def _first_reasons(removed: tuple[Removed, ...]) -> str:
    reasons = sorted({piece.reason for piece in removed})
    return ", ".join(reasons[:3]) or "nothing"


@dataclass(kw_only=True)
class QualityFlagger(Stage):
    """Attach quality flags (too short, masked numbers, date missing, …)."""

    name = "quality"
    version = 1
    requires = frozenset({"text", "removed", "language"})
    provides = frozenset({"flags"})
    min_words: int = 80

    def process(self, article: Article) -> Article | Rejection:
        flags = quality_flags(
            article.text,
            removed=article.removed,
            published=article.published,
            language=article.language,
            language_score=article.language_score,
            min_words=self.min_words,
        )
        return replace(article, flags=tuple(sorted({*article.flags, *flags})))
