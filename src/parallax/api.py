"""``analyze``: the whole job, from inputs to store, analysis.json and report.

This module is an edge: it wires the readers (``io``), the runner, the pure
stages and cross-document steps, and the store together. The CLI is a thin
skin over it.
"""

from __future__ import annotations

import hashlib
import json
import re
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb

from parallax.contract import to_analysis
from parallax.crossdoc.duplicates import Fingerprint, find_duplicates, fingerprint
from parallax.crossdoc.link import link_corpus
from parallax.errors import StoreError
from parallax.ids import make_id
from parallax.io.sources import iter_documents
from parallax.records import Analysis, Article, InputFailure, Rejection, SourceDocument
from parallax.runners.local import LocalRunner, default_workers
from parallax.stages.clean import Cleaner, QualityFlagger
from parallax.stages.debris import find_boilerplate
from parallax.stages.extract import Extractor
from parallax.stages.langid import LanguageDetector
from parallax.stages.reader import ArticleReader
from parallax.store.duckdb import Store

BOILERPLATE_MIN_ARTICLES = 3
STORE_FILE = "parallax.duckdb"
ANALYSIS_FILE = "analysis.json"
REPORT_FILE = "report.html"


@dataclass(frozen=True, slots=True)
class Progress:
    """A snapshot passed to the progress callback after every batch."""

    read: int
    articles: int
    skipped: int
    errors: int


ProgressCallback = Callable[[Progress], None]


def analyze(
    inputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    out: str | os.PathLike[str] | None = None,
    *,
    allow_private: bool = False,
    follow_symlinks: bool = False,
    max_bytes: int = 64 * 1024 * 1024,
    workers: int | None = None,
    batch_size: int = 256,
    strict: bool = False,
    report: bool = True,
    read: bool = True,
    doc_timeout: float | None = 60.0,
    on_progress: ProgressCallback | None = None,
) -> Analysis:
    """Analyse files, folders and URLs; return every stored article and error.

    With ``out`` the store, ``analysis.json`` and ``report.html`` are written
    there and re-running adds only what is new. Without it everything stays in
    memory. ``read=False`` stops after cleaning (no entities, quotes, events).
    ``doc_timeout`` bounds each document's time in each stage (seconds; ``None``
    for no limit): one that takes longer is recorded as an error and skipped.
    """
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    given = [os.fspath(item) for item in inputs]
    out_dir = _prepare_out(out)
    store = Store(out_dir / STORE_FILE if out_dir else None)
    try:
        counts = Progress(read=0, articles=0, skipped=0, errors=0)
        with LocalRunner(
            workers or default_workers(), strict=strict, doc_timeout=doc_timeout
        ) as runner:
            known = [fingerprint(i, t) for i, t in store.iter_texts()]
            known_originals = store.duplicate_links()
            stream = iter_documents(
                given, allow_private=allow_private, follow_symlinks=follow_symlinks,
                max_bytes=max_bytes,
            )
            for chunk in _chunked(stream, batch_size):
                counts, new_prints, marked = _process_chunk(
                    chunk, store, runner, known, known_originals, counts, read=read
                )
                known.extend(new_prints)
                known_originals.update(marked)
                if on_progress:
                    on_progress(counts)
        articles = store.articles()
        links = None
        if read:
            links = link_corpus(articles, store.stories())
            store.save_links(links)
        errors = store.errors() + [
            {"input": "(cross-article step)", "stage": "link", "error": problem}
            for problem in (links.problems if links else ())
        ]
        if out_dir is not None:
            document = to_analysis(articles, errors, links)
            _write_json(document, out_dir / ANALYSIS_FILE)
            if report:
                from parallax.report.html import write_report

                write_report(document, out_dir / REPORT_FILE)
        failures = tuple(InputFailure(input=e["input"], error=e["error"], stage=e["stage"]) for e in errors)
        return Analysis(
            articles=tuple(articles),
            errors=failures,
            out_dir=str(out_dir) if out_dir else None,
            links=links,
        )
    except (duckdb.Error, OSError) as error:
        # A full disk or a vanished directory: one clear message; each stored batch is whole.
        where = out_dir if out_dir is not None else "memory"
        raise StoreError(
            f"writing the results to {where} failed: {error}; free space or choose another "
            "--out, then re-run: finished batches are kept and skipped"
        ) from error
    finally:
        store.close()


def _process_chunk(
    chunk: list[SourceDocument | InputFailure],
    store: Store,
    runner: LocalRunner,
    known: list[Fingerprint],
    known_originals: dict[str, str],
    counts: Progress,
    *,
    read: bool,
) -> tuple[Progress, list[Fingerprint], dict[str, str]]:
    failures: list[InputFailure | Rejection] = [
        replace(i, input=scrub(i.input), error=scrub(i.error))
        for i in chunk if isinstance(i, InputFailure)
    ]
    candidates = [to_article(doc) for doc in chunk if isinstance(doc, SourceDocument)]
    stored = store.known_ids(a.id for a in candidates)
    fresh = _unique(a for a in candidates if a.id not in stored)
    attempted = [a.input for a in fresh] + [f.input for f in failures]

    extracted, rejected = _split(runner.run([Extractor()], fresh))
    boilerplate = _update_boilerplate(store, extracted)
    stages = [Cleaner(boilerplate=boilerplate), LanguageDetector(), QualityFlagger()]
    cleaned, rejected_later = _split(runner.run(stages, extracted))
    cleaned, prints = _mark_duplicates(cleaned, known, known_originals)
    cleaned, unread = _read(runner, cleaned, read)
    failures += rejected + rejected_later + unread
    store.save_batch(cleaned, failures, attempted_inputs=attempted)
    return (
        Progress(
            read=counts.read + len(chunk),
            articles=counts.articles + len(cleaned),
            skipped=counts.skipped + len(candidates) - len(fresh),
            errors=counts.errors + len(failures),
        ),
        prints,
        {a.id: a.duplicate_of for a in cleaned if a.duplicate_of},
    )


def _read(
    runner: LocalRunner, articles: list[Article], enabled: bool
) -> tuple[list[Article], list[Rejection]]:
    """Run the reading stage; an article it fails on is kept unread, with the error noted."""
    if not enabled or not articles:
        return articles, []
    outcomes = runner.run([ArticleReader(strict=runner.strict)], articles)
    kept: list[Article] = []
    failures: list[Rejection] = []
    for before, after in zip(articles, outcomes, strict=True):
        if isinstance(after, Rejection):
            failures.append(after)
            after = replace(before, notes=(*before.notes, f"reading failed: {after.detail}"))
        kept.append(after)
    return kept, failures


def to_article(doc: SourceDocument) -> Article:
    """Turn a read document into an unprocessed article with a content-hash id."""
    content = doc.html if doc.html is not None else (doc.text or "")
    digest = hashlib.blake2b(content.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return Article(
        id=make_id("art", doc.input, digest),
        input=scrub(doc.input),
        format=doc.format,
        text=scrub(doc.text or ""),
        html=scrub(doc.html) if doc.html is not None else None,
        url=scrub(doc.url) if doc.url else doc.url,
        title=scrub(doc.title) if doc.title else doc.title,
        outlet=scrub(doc.outlet) if doc.outlet else doc.outlet,
        authors=tuple(scrub(a) for a in doc.authors),
        published=doc.published,
        language=scrub(doc.language) if doc.language else doc.language,
        notes=tuple(scrub(n) for n in doc.notes),
    )


_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(value: str) -> str:
    """Replace lone surrogates (from JSON escapes or undecodable file names) with U+FFFD.

    They are not valid Unicode scalar values: the store and UTF-8 output refuse them.
    """
    return _SURROGATE.sub("\ufffd", value)


def _update_boilerplate(store: Store, articles: Sequence[Article]) -> dict[str, frozenset[str]]:
    """Count short lines per outlet across runs; those in many articles are boilerplate."""
    chunk_counts: Counter[tuple[str, str]] = Counter()
    for article in articles:
        if article.outlet:
            lines = find_boilerplate({article.outlet: [article.text]}, min_articles=1)
            chunk_counts.update((article.outlet, line) for line in lines.get(article.outlet, ()))
    outlets = {outlet for outlet, _ in chunk_counts}
    totals = Counter(store.boilerplate_counts(outlets))
    totals.update(chunk_counts)
    store.add_boilerplate_counts(dict(chunk_counts))
    result: dict[str, set[str]] = {}
    for (outlet, line), n in totals.items():
        if n >= BOILERPLATE_MIN_ARTICLES:
            result.setdefault(outlet, set()).add(line)
    return {outlet: frozenset(lines) for outlet, lines in result.items()}


def _mark_duplicates(
    articles: list[Article], known: Sequence[Fingerprint], known_originals: dict[str, str]
) -> tuple[list[Article], list[Fingerprint]]:
    order = sorted(range(len(articles)), key=lambda i: (articles[i].published or "9999", i))
    prints = [fingerprint(articles[i].id, articles[i].text) for i in order]
    originals = find_duplicates(known, prints, known_originals=known_originals)
    marked = [
        replace(a, duplicate_of=originals[a.id]) if a.id in originals else a for a in articles
    ]
    return marked, prints


def _split(outcomes: Iterable[Article | Rejection]) -> tuple[list[Article], list[Rejection]]:
    articles: list[Article] = []
    rejections: list[Rejection] = []
    for item in outcomes:
        (articles if isinstance(item, Article) else rejections).append(item)  # type: ignore[arg-type]
    return articles, rejections


def _unique(articles: Iterable[Article]) -> list[Article]:
    seen: set[str] = set()
    result = []
    for article in articles:
        if article.id not in seen:
            seen.add(article.id)
            result.append(article)
    return result


def _chunked(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _prepare_out(out: str | os.PathLike[str] | None) -> Path | None:
    if out is None:
        return None
    path = Path(out)
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-", delete=True)
        probe.close()
    except OSError as error:
        raise StoreError(f"cannot write to the output directory {path}: {error.strerror or error}") from error
    return path


def _write_json(document: dict[str, Any], path: Path) -> None:
    """Write atomically so a crash never leaves half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(document, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
