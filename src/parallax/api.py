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
from parallax.crossdoc.duplicates import (
    band_hashes,
    find_duplicates,
    fingerprint,
    lsh_bands,
    signature_bytes,
)
from parallax.crossdoc.claims import (
    candidates_by_article,
    pack_candidates,
    reusing_candidates,
    unpack_candidates,
)
from parallax.crossdoc.link import (
    Links,
    cap_article,
    extend_stories,
    link_corpus,
    link_increment,
    remapped,
)
from parallax.crossdoc.stories import WINDOW_DAYS, story_terms
from parallax.errors import StoreError
from parallax.ids import make_id
from parallax.io.sources import iter_documents
from parallax.records import Analysis, Article, InputFailure, Rejection, SourceDocument
from parallax.runners import open_runner
from parallax.runners.base import Runner
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
    runner: str = "local",
    scheduler: str | None = None,
    shard_dir: str | os.PathLike[str] | None = None,
) -> Analysis:
    """Analyse files, folders and URLs; return every stored article and error.

    With ``out`` the store, ``analysis.json`` and ``report.html`` are written
    there and re-running adds only what is new. Without it everything stays in
    memory. ``read=False`` stops after cleaning (no entities, quotes, events).
    ``runner="dask"`` runs the per-article stages on a Dask cluster: the one at
    ``scheduler`` or a local one of ``workers`` processes; batches travel as
    Parquet shards in ``shard_dir`` (default ``out/shards``).
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
        if shard_dir is None and out_dir is not None:
            shard_dir = out_dir / "shards"
        with open_runner(runner, workers=workers, scheduler=scheduler, shard_dir=shard_dir,
                         strict=strict, doc_timeout=doc_timeout) as active:
            _backfill_fingerprints(store)
            stream = iter_documents(
                given, allow_private=allow_private, follow_symlinks=follow_symlinks,
                max_bytes=max_bytes,
            )
            for chunk in _chunked(stream, batch_size):
                counts = _process_chunk(chunk, store, active, counts, read=read)
                if on_progress:
                    on_progress(counts)
        links, articles = _link(store) if read else (None, None)
        if articles is None:
            articles = store.articles()
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


# Incremental linking: how many stored stories a new article is compared with
# (the best by shared rare terms) and how many members of each are read.
CANDIDATE_STORIES = 3
CONTEXT_MEMBERS = 5


# A store linked for the first time is linked whole up to this many articles; beyond
# that, the first FULL_LINK_MAX (in stored order) are, and the rest are added
# incrementally LINK_CHUNK at a time, so memory stays bounded at any corpus size.
FULL_LINK_MAX = 20_000
LINK_CHUNK = 10_000


def _link(store: Store) -> tuple[Links, list[Article] | None]:
    """Run the cross-article step: over everything once, then only over what is new.

    A store with no linked article (a fresh one, or one written by a version
    without link bookkeeping) is linked whole, and so is one where an input
    changed since it was linked (its old article is gone from a story); above
    ``FULL_LINK_MAX`` articles only that many are, the rest incrementally.
    Afterwards only articles not yet linked are, ``LINK_CHUNK`` at a time:
    see :func:`_link_new`. Returns the links of the whole corpus and, when it
    had to read them, every article.
    """
    articles = None
    problems: list[str] = []
    if store.linked_count() == 0 or store.has_stale_links():
        every = store.article_ids()
        first = every[:FULL_LINK_MAX]
        articles = store.articles(first if len(every) > FULL_LINK_MAX else None)
        present = {a.id for a in articles}
        stories = [replace(s, articles=tuple(i for i in s.articles if i in present))
                   for s in store.stories()]
        with reusing_candidates():  # the claim candidates link_corpus extracts, kept for later runs
            links = link_corpus(articles, [s for s in stories if s.articles])
            found = candidates_by_article([cap_article(a) for a in articles])
        packed = {i: pack_candidates(c) for i, c in found.items()}
        del found
        terms = [(a.id, *story_terms(cap_article(a))) for a in articles]
        store.save_links(links, linked=[a.id for a in articles], terms=terms, candidates=packed)
        del packed
        if len(every) <= FULL_LINK_MAX:
            return links, articles
        problems.extend(links.problems)
        # Not held while the rest is added chunk by chunk.
        articles = None
        del links, terms, stories, present, every, first
    pending = store.unlinked_ids()
    for at in range(0, len(pending), LINK_CHUNK):
        problems.extend(_link_new(store, pending[at : at + LINK_CHUNK]))
    return replace(store.links(), voices=store.voices(), problems=tuple(problems)), articles


def _link_new(store: Store, pending: Sequence[str]) -> tuple[str, ...]:
    """Link only ``pending`` articles against the stored stories and entities.

    Candidate stories come from SQL blocking on stored story terms
    (``Store.candidate_stories``) plus the stories of the originals of new
    near-duplicates; only their most recent members are read to place the new
    articles. For the stories that received new articles only the new
    articles' sentences are aligned with the stored claims (whose candidates,
    contradictions and entity links are read back from the store, not
    recomputed): see :func:`~parallax.crossdoc.link.link_increment`. The cost
    follows the new articles, not the size of the store or of the stories.
    """
    new = store.articles(pending)
    terms = [(a.id, *story_terms(cap_article(a))) for a in new]
    candidates = set(store.candidate_stories(
        terms, window_days=WINDOW_DAYS, per_article=CANDIDATE_STORIES))
    originals = sorted({a.duplicate_of for a in new if a.duplicate_of})
    candidates.update(store.stories_of(originals))
    stories = store.stories(sorted(candidates))
    fresh = set(pending)
    context = store.articles(
        [i for i in store.recent_members(sorted(candidates), CONTEXT_MEMBERS) if i not in fresh])
    touched = extend_stories(new, context, stories)
    loaded = {a.id for a in (*new, *context)}
    stored_members = sorted({i for s in touched for i in s.articles} - fresh)
    packed = store.claim_candidates(stored_members)
    # Originals of new copies, and members an older version stored without candidates.
    extra_ids = sorted((set(originals) | (set(stored_members) - packed.keys())) - fresh)
    extra = store.articles(extra_ids) if extra_ids else []
    stored_map = store.entity_links_of([e.id for a in (*new, *context) for e in a.entities])
    links, extracted = link_increment(
        new, context, touched,
        stored_map=stored_map,
        stored_entities=store.corpus_entities,
        members=store.article_meta([i for i in stored_members if i not in loaded]),
        member_map=store.entity_links_of_articles(stored_members),
        candidates={i: unpack_candidates(data) for i, data in packed.items()},
        claims=store.story_claims([s.id for s in touched]),
        extra=extra,
    )
    moved = remapped(context, stored_map, links.entity_map) - fresh
    store.save_link_increment(
        links, relinked=[*pending, *sorted(moved)], linked=list(pending), terms=terms,
        candidates={i: pack_candidates(c) for i, c in extracted.items()})
    return links.problems


def _process_chunk(
    chunk: list[SourceDocument | InputFailure],
    store: Store,
    runner: Runner,
    counts: Progress,
    *,
    read: bool,
) -> Progress:
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
    cleaned, prints = _mark_duplicates(cleaned, store)
    cleaned, unread = _read(runner, cleaned, read)
    failures += rejected + rejected_later + unread
    store.save_batch(cleaned, failures, attempted_inputs=attempted, fingerprints=prints)
    return Progress(
        read=counts.read + len(chunk),
        articles=counts.articles + len(cleaned),
        skipped=counts.skipped + len(candidates) - len(fresh),
        errors=counts.errors + len(failures),
    )


def _read(
    runner: Runner, articles: list[Article], enabled: bool
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
    articles: list[Article], store: Store
) -> tuple[list[Article], list[tuple[str, bytes, tuple[int, ...]]]]:
    """Mark near-duplicates of stored or earlier articles; return the fingerprints to store.

    Stored candidates come from the ``fingerprint_bands`` table (the same LSH
    bands the in-memory index uses), so only they are re-shingled, never the
    whole store.
    """
    order = sorted(range(len(articles)), key=lambda i: (articles[i].published or "9999", i))
    prints = [fingerprint(articles[i].id, articles[i].text) for i in order]
    bands, rows = lsh_bands()
    hashes = [band_hashes(p.signature, bands, rows) for p in prints]
    rows_found = store.duplicate_candidates(hashes)
    known = [fingerprint(i, text) for i, text, _ in rows_found]
    known_originals = {i: original for i, _, original in rows_found if original}
    originals = find_duplicates(known, prints, known_originals=known_originals)
    marked = [
        replace(a, duplicate_of=originals[a.id]) if a.id in originals else a for a in articles
    ]
    return marked, [
        (p.article_id, signature_bytes(p.signature), h) for p, h in zip(prints, hashes, strict=True)
    ]


def _backfill_fingerprints(store: Store, batch: int = 1000) -> None:
    """Fingerprint articles a previous version stored without one (runs once per old store)."""
    bands, rows = lsh_bands()
    missing = store.unfingerprinted_ids()
    for at in range(0, len(missing), batch):
        pending = []
        for article_id, text in store.texts(missing[at : at + batch]):
            print_ = fingerprint(article_id, text)
            pending.append((article_id, signature_bytes(print_.signature),
                            band_hashes(print_.signature, bands, rows)))
        store.add_fingerprints(pending)


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
