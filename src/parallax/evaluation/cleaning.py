"""How much real article text does cleaning keep? Measured on PTC (SemEval-2020 Task 11).

PTC articles were scraped with newspaper3k from 48 outlets, many of them
partisan blogs, so they carry real debris (social-post trailers, "posted with
permission" footers, author bios). Their gold propaganda spans are, by
construction, article body text annotated by professionals: every span the
cleaner cuts is body text lost. No public set labels debris itself, so this
measures the cost side (body retention), and the removal counts per reason
show what was cut for manual audit.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from parallax.api import to_article
from parallax.io.sources import iter_documents
from parallax.records import SourceDocument
from parallax.stages.clean import Cleaner
from parallax.stages.extract import Extractor

_SPACE = re.compile(r"\s+")


@dataclass
class CleaningScore:
    articles: int = 0
    spans: int = 0
    spans_kept: int = 0
    span_chars: int = 0
    span_chars_kept: int = 0
    input_chars: int = 0
    removed_chars: int = 0
    removed_by_reason: Counter[str] = field(default_factory=Counter)
    lost_spans: list[tuple[str, str]] = field(default_factory=list)
    removed_samples: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def span_retention(self) -> float:
        return self.spans_kept / self.spans if self.spans else 1.0

    @property
    def char_retention(self) -> float:
        return self.span_chars_kept / self.span_chars if self.span_chars else 1.0

    @property
    def removed_share(self) -> float:
        return self.removed_chars / self.input_chars if self.input_chars else 0.0


def read_ptc_spans(data_dir: Path, split: str) -> dict[str, list[tuple[int, int]]]:
    """Gold spans per article id from the task-1 label folder or the dev template."""
    spans: dict[str, list[tuple[int, int]]] = {}
    folder = data_dir / f"{split}-labels-task1-span-identification"
    if folder.is_dir():
        lines = (line for path in sorted(folder.glob("*.labels")) for line in _lines(path))
        for line in lines:
            article_id, start, end = line.split("\t")[:3]
            spans.setdefault(article_id, []).append((int(start), int(end)))
        return spans
    template = data_dir / f"{split}-task-TC-template.out"
    for line in _lines(template):
        article_id, _, start, end = line.split("\t")[:4]
        spans.setdefault(article_id, []).append((int(start), int(end)))
    return spans


def evaluate_cleaning(data_dir: Path, split: str = "train", *, samples: int = 0) -> CleaningScore:
    """Clean every article of ``split`` and count the gold body spans that survive."""
    spans = read_ptc_spans(data_dir, split)
    score = CleaningScore()
    extractor, cleaner = Extractor(), Cleaner()
    for doc, raw in _read_articles(data_dir / f"{split}-articles"):
        article_id = Path(doc.input).stem.removeprefix("article")
        extracted = extractor.process(to_article(doc))
        cleaned = cleaner.process(extracted)  # type: ignore[arg-type]
        kept_text = _norm(f"{doc.title or ''} {getattr(cleaned, 'text', '')}")
        removed = getattr(cleaned, "removed", ())
        score.articles += 1
        score.input_chars += len(raw)
        for piece in removed:
            score.removed_chars += len(piece.text)
            score.removed_by_reason[piece.reason] += 1
            if len(score.removed_samples) < samples:
                score.removed_samples.append((article_id, piece.reason, piece.text[:160]))
        for start, end in spans.get(article_id, []):
            gold = _norm(raw[start:end])
            if not gold:
                continue
            score.spans += 1
            score.span_chars += len(gold)
            if gold in kept_text:
                score.spans_kept += 1
                score.span_chars_kept += len(gold)
            else:
                score.lost_spans.append((article_id, gold[:160]))
    return score


def _read_articles(folder: Path) -> Iterator[tuple[SourceDocument, str]]:
    for doc in iter_documents([str(folder)]):
        if isinstance(doc, SourceDocument):
            raw = Path(doc.input).read_text(encoding="utf-8")
            yield doc, raw


def _lines(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield line.rstrip("\n")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()
