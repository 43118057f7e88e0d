"""The DuckDB store: the single writer of a Parallax output directory.

One ``Store`` per process. Workers never open the database; the driver writes
each batch of results in one transaction, so a killed run leaves whole
batches or nothing, and the next run skips every article already stored
(article ids are content hashes).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
import json
from pathlib import Path
from typing import Any

import duckdb

from parallax.crossdoc.link import Links
from parallax.errors import StoreError
from parallax.records import (
    Article,
    Claim,
    ClaimMention,
    Contradiction,
    Entity,
    LabelSpan,
    Naming,
    Story,
    Event,
    InputFailure,
    Mention,
    Quote,
    Rejection,
    Removed,
    TimeExpression,
)

SCHEMA_VERSION = 1

LinkTerms = tuple[str, int | None, Sequence[tuple[str, float]]]  # article id, day, (term, weight)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY,
    seq BIGINT NOT NULL,
    input VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    url VARCHAR,
    outlet VARCHAR,
    title VARCHAR,
    authors VARCHAR[],
    published VARCHAR,
    language VARCHAR,
    language_score DOUBLE,
    text VARCHAR NOT NULL,
    duplicate_of VARCHAR,
    notes VARCHAR[]
);
CREATE TABLE IF NOT EXISTS removed (
    article_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    "at" INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS flags (article_id VARCHAR NOT NULL, flag VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS errors (
    input VARCHAR NOT NULL,
    stage VARCHAR,
    error VARCHAR NOT NULL,
    article_id VARCHAR
);
CREATE TABLE IF NOT EXISTS entities (
    id VARCHAR NOT NULL, article_id VARCHAR NOT NULL, name VARCHAR NOT NULL, type VARCHAR NOT NULL,
    aliases VARCHAR[], labels VARCHAR[], kb VARCHAR
);
CREATE TABLE IF NOT EXISTS mentions (
    entity_id VARCHAR NOT NULL, article_id VARCHAR NOT NULL,
    "start" INTEGER NOT NULL, "end" INTEGER NOT NULL, text VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS quotes (
    id VARCHAR NOT NULL, article_id VARCHAR NOT NULL, "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL, text VARCHAR NOT NULL, kind VARCHAR NOT NULL, cue VARCHAR,
    cue_start INTEGER, cue_end INTEGER, speaker VARCHAR, speaker_text VARCHAR,
    speaker_start INTEGER, speaker_end INTEGER, speakers VARCHAR[]
);
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR NOT NULL, article_id VARCHAR NOT NULL, "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL, type VARCHAR NOT NULL, trigger VARCHAR NOT NULL,
    trigger_start INTEGER NOT NULL, trigger_end INTEGER NOT NULL, actor VARCHAR,
    actor_text VARCHAR, target VARCHAR, target_text VARCHAR, place VARCHAR, place_text VARCHAR,
    date VARCHAR, date_text VARCHAR, date_inferred BOOLEAN, quote VARCHAR, negated BOOLEAN
);
CREATE TABLE IF NOT EXISTS dates (
    article_id VARCHAR NOT NULL, "start" INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text VARCHAR NOT NULL, value VARCHAR, inferred BOOLEAN, anchor VARCHAR
);
CREATE TABLE IF NOT EXISTS stories (
    id VARCHAR PRIMARY KEY, title VARCHAR, first_date VARCHAR, last_date VARCHAR,
    keywords VARCHAR[]
);
CREATE TABLE IF NOT EXISTS story_articles (story_id VARCHAR NOT NULL, article_id VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS corpus_entities (
    id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, type VARCHAR NOT NULL, aliases VARCHAR[],
    labels VARCHAR[], kb VARCHAR
);
CREATE TABLE IF NOT EXISTS entity_links (article_entity_id VARCHAR NOT NULL, entity_id VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS omissions (
    story_id VARCHAR NOT NULL, outlet VARCHAR NOT NULL, claim_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS claims (
    id VARCHAR PRIMARY KEY, story_id VARCHAR NOT NULL, summary VARCHAR NOT NULL,
    outlets INTEGER NOT NULL, kind VARCHAR
);
CREATE TABLE IF NOT EXISTS claim_mentions (
    claim_id VARCHAR NOT NULL, article_id VARCHAR NOT NULL, "start" INTEGER NOT NULL,
    "end" INTEGER NOT NULL, text VARCHAR NOT NULL, outlet VARCHAR
);
CREATE TABLE IF NOT EXISTS contradictions (
    claim_id VARCHAR NOT NULL, other_claim_id VARCHAR NOT NULL, reason VARCHAR NOT NULL,
    kind VARCHAR
);
CREATE TABLE IF NOT EXISTS naming (
    entity_id VARCHAR NOT NULL, outlet VARCHAR, article_id VARCHAR NOT NULL, labels VARCHAR[]
);
CREATE TABLE IF NOT EXISTS naming_spans (
    entity_id VARCHAR NOT NULL, article_id VARCHAR NOT NULL, label VARCHAR NOT NULL,
    "start" INTEGER NOT NULL, "end" INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS fingerprints (article_id VARCHAR PRIMARY KEY, signature BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS fingerprint_bands (band SMALLINT NOT NULL, hash BIGINT NOT NULL, article_id VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS linked_articles (article_id VARCHAR PRIMARY KEY);
CREATE TABLE IF NOT EXISTS claim_candidates (article_id VARCHAR PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS link_terms (
    term VARCHAR NOT NULL, article_id VARCHAR NOT NULL, day INTEGER, weight DOUBLE
);
CREATE TABLE IF NOT EXISTS boilerplate (
    outlet VARCHAR NOT NULL,
    line VARCHAR NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (outlet, line)
);
"""


_ARTICLE_COLUMNS = {
    "id": "VARCHAR", "seq": "BIGINT", "input": "VARCHAR", "format": "VARCHAR", "url": "VARCHAR",
    "outlet": "VARCHAR", "title": "VARCHAR", "authors": "VARCHAR[]", "published": "VARCHAR",
    "language": "VARCHAR", "language_score": "DOUBLE", "text": "VARCHAR",
    "duplicate_of": "VARCHAR", "notes": "VARCHAR[]",
}
_REMOVED_TYPES = ["VARCHAR", "INTEGER", "VARCHAR", "VARCHAR", "INTEGER"]

# Reading results: (table, record field -> DuckDB type), in table column order.
# The record's ``article`` field is stored as ``article_id``.
_READING_TABLES: dict[str, dict[str, str]] = {
    "quotes": {
        "id": "VARCHAR", "article": "VARCHAR", "start": "INTEGER", "end": "INTEGER",
        "text": "VARCHAR", "kind": "VARCHAR", "cue": "VARCHAR", "cue_start": "INTEGER",
        "cue_end": "INTEGER", "speaker": "VARCHAR", "speaker_text": "VARCHAR",
        "speaker_start": "INTEGER", "speaker_end": "INTEGER", "speakers": "VARCHAR[]",
    },
    "events": {
        "id": "VARCHAR", "article": "VARCHAR", "start": "INTEGER", "end": "INTEGER",
        "type": "VARCHAR", "trigger": "VARCHAR", "trigger_start": "INTEGER",
        "trigger_end": "INTEGER", "actor": "VARCHAR", "actor_text": "VARCHAR",
        "target": "VARCHAR", "target_text": "VARCHAR", "place": "VARCHAR",
        "place_text": "VARCHAR", "date": "VARCHAR", "date_text": "VARCHAR",
        "date_inferred": "BOOLEAN", "quote": "VARCHAR", "negated": "BOOLEAN",
    },
    "dates": {
        "article": "VARCHAR", "start": "INTEGER", "end": "INTEGER", "text": "VARCHAR",
        "value": "VARCHAR", "inferred": "BOOLEAN", "anchor": "VARCHAR",
    },
}
_ARTICLE_CHILD_TABLES = (
    "removed", "flags", "entities", "mentions", "quotes", "events", "dates", "fingerprints",
    "fingerprint_bands", "linked_articles", "link_terms", "claim_candidates",
)
_READING_RECORDS = {"quotes": Quote, "events": Event, "dates": TimeExpression}


def _bulk_insert(
    db: duckdb.DuckDBPyConnection, table: str, types: Sequence[str], columns: Sequence[list[Any]]
) -> None:
    if not columns or not columns[0]:
        return
    selects = ", ".join(f"unnest(?::{kind}[])" for kind in types)
    db.execute(f"INSERT INTO {table} SELECT * FROM (SELECT {selects})", list(columns))


_LINK_TABLES = (
    "stories", "story_articles", "corpus_entities", "entity_links", "claims", "claim_mentions",
    "contradictions", "naming", "naming_spans", "omissions",
)


def _columns(rows: list[list[Any]], width: int) -> list[list[Any]]:
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(width)]


class Store:
    """Read and write one ``parallax.duckdb`` file (or an in-memory store)."""

    def __init__(self, path: str | Path | None, *, read_only: bool = False) -> None:
        self.path = str(path) if path is not None else ":memory:"
        self.read_only = read_only
        try:
            self._db = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as error:
            if "lock" in str(error).lower():
                raise StoreError(
                    f"{self.path} is in use by another Parallax process; wait for it to finish "
                    "or choose another --out directory"
                ) from error
            raise StoreError(f"cannot open the store {self.path}: {error}") from error
        except duckdb.Error as error:
            raise StoreError(f"cannot open the store {self.path}: {error}") from error
        if not read_only:
            self._migrate()
        self._check_version()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor on the store's one connection (for read-side queries; close it after)."""
        return self._db.cursor()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema -----------------------------------------------------------
    def _migrate(self) -> None:
        self._db.execute(_SCHEMA)
        self._db.execute(
            "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING",
            [str(SCHEMA_VERSION)],
        )

    def _has_table(self, name: str) -> bool:
        return bool(self._db.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0])

    def _check_version(self) -> None:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        found = int(row[0]) if row else None
        if found != SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has store schema version {found}, this Parallax reads version "
                f"{SCHEMA_VERSION}; upgrade Parallax or analyse into a new --out directory"
            )

    # -- writes -----------------------------------------------------------
    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Return which of ``ids`` are already stored as articles."""
        wanted = list(ids)
        if not wanted:
            return set()
        rows = self._db.execute(
            "SELECT id FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [wanted]
        ).fetchall()
        return {row[0] for row in rows}

    def save_batch(
        self,
        articles: Sequence[Article],
        failures: Sequence[InputFailure | Rejection],
        *,
        attempted_inputs: Sequence[str] = (),
        fingerprints: Sequence[tuple[str, bytes, Sequence[int]]] = (),
    ) -> None:
        """Write one batch atomically; stale errors of re-attempted inputs are replaced.

        ``fingerprints`` are (article id, packed MinHash signature, LSH band
        hashes) of the batch's articles: later runs block near-duplicate
        candidates on them in SQL instead of re-reading every stored text.
        """
        db = self._db
        db.execute("BEGIN TRANSACTION")
        try:
            if attempted_inputs:
                db.execute(
                    "DELETE FROM errors WHERE input IN (SELECT unnest(?::VARCHAR[]))",
                    [list(attempted_inputs)],
                )
            # An input whose content changed gets a new id: the old version goes.
            inputs = [a.input for a in articles]
            if inputs:
                stale = "SELECT id FROM articles WHERE input IN (SELECT unnest(?::VARCHAR[]))"
                for table in _ARTICLE_CHILD_TABLES:
                    db.execute(f"DELETE FROM {table} WHERE article_id IN ({stale})", [inputs])
                db.execute("DELETE FROM articles WHERE id IN (" + stale + ")", [inputs])
            start = db.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]
            self._insert_articles(articles, start + 1)
            self._insert_fingerprints(fingerprints)
            for failure in failures:
                self._insert_failure(failure)
            db.execute("COMMIT")
        except Exception:
            _rollback(db)
            raise

    def _insert_articles(self, articles: Sequence[Article], first_seq: int) -> None:
        """Bulk insert: column lists unnested in one statement per table."""
        if not articles:
            return
        columns: dict[str, list[Any]] = {name: [] for name in _ARTICLE_COLUMNS}
        removed: list[list[Any]] = [[], [], [], [], []]
        flags: list[list[Any]] = [[], []]
        for seq, article in enumerate(articles, start=first_seq):
            for name in _ARTICLE_COLUMNS:
                value = seq if name == "seq" else getattr(article, name)
                columns[name].append(list(value) if isinstance(value, tuple) else value)
            for position, piece in enumerate(article.removed):
                for column, value in zip(
                    removed, (article.id, position, piece.text, piece.reason, piece.at), strict=True
                ):
                    column.append(value)
            for flag in article.flags:
                flags[0].append(article.id)
                flags[1].append(flag)
        _bulk_insert(self._db, "articles", list(_ARTICLE_COLUMNS.values()), list(columns.values()))
        _bulk_insert(self._db, "removed", _REMOVED_TYPES, removed)
        _bulk_insert(self._db, "flags", ["VARCHAR", "VARCHAR"], flags)
        self._insert_entities([(a.id, e) for a in articles for e in a.entities])
        for table, fields in _READING_TABLES.items():
            records = [r for a in articles for r in getattr(a, table)]
            columns: list[list[Any]] = [
                [list(v) if isinstance(v := getattr(r, f), tuple) else v for r in records]
                for f in fields
            ]
            _bulk_insert(self._db, table, list(fields.values()), columns)

    def _insert_fingerprints(self, prints: Sequence[tuple[str, bytes, Sequence[int]]]) -> None:
        if not prints:
            return
        ids = [article_id for article_id, _, _ in prints]
        self._db.execute(
            "DELETE FROM fingerprint_bands WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        self._db.execute(
            "INSERT OR REPLACE INTO fingerprints SELECT * FROM "
            "(SELECT unnest(?::VARCHAR[]), unnest(?::BLOB[]))", [ids, [blob for _, blob, _ in prints]])
        bands = [(band, value, article_id) for article_id, _, hashes in prints
                 for band, value in enumerate(hashes)]
        _bulk_insert(self._db, "fingerprint_bands", ["SMALLINT", "BIGINT", "VARCHAR"],
                     _columns([list(row) for row in bands], 3))

    def add_fingerprints(self, prints: Sequence[tuple[str, bytes, Sequence[int]]]) -> None:
        """Store fingerprints of articles stored before the store kept them (one-time backfill)."""
        db = self._db
        db.execute("BEGIN TRANSACTION")
        try:
            self._insert_fingerprints(prints)
            db.execute("COMMIT")
        except Exception:
            _rollback(db)
            raise

    def unfingerprinted_ids(self) -> list[str]:
        """Ids of stored articles without a stored fingerprint, in insertion order."""
        return [row[0] for row in self._db.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM fingerprints) "
            "ORDER BY seq").fetchall()]

    def texts(self, ids: Sequence[str]) -> list[tuple[str, str]]:
        """(id, text) of the given stored articles, in insertion order."""
        if not ids:
            return []
        return self._db.execute(
            "SELECT id, text FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[])) ORDER BY seq",
            [list(ids)]).fetchall()

    def duplicate_candidates(self, bands: Sequence[Sequence[int]]) -> list[tuple[str, str, str | None]]:
        """Stored articles sharing an LSH band hash with any of ``bands``: (id, text, duplicate_of).

        In insertion order, so ties break as they would over every stored article.
        """
        rows = [(band, value) for hashes in bands for band, value in enumerate(hashes)]
        if not rows:
            return []
        return self._db.execute(
            "WITH q AS (SELECT unnest(?::SMALLINT[]) AS band, unnest(?::BIGINT[]) AS hash), "
            "hit AS (SELECT DISTINCT b.article_id FROM fingerprint_bands b "
            "JOIN q ON b.band = q.band AND b.hash = q.hash) "
            "SELECT a.id, a.text, a.duplicate_of FROM articles a JOIN hit ON hit.article_id = a.id "
            "ORDER BY a.seq",
            [[b for b, _ in rows], [v for _, v in rows]],
        ).fetchall()

    def _insert_entities(self, entities: Sequence[tuple[str, Entity]]) -> None:
        rows = [
            [e.id, article_id, e.name, e.type, list(e.aliases), list(e.labels),
             json.dumps(dict(e.kb), sort_keys=True)]
            for article_id, e in entities
        ]
        types = ["VARCHAR"] * 4 + ["VARCHAR[]", "VARCHAR[]", "VARCHAR"]
        _bulk_insert(self._db, "entities", types, [list(c) for c in zip(*rows, strict=True)] if rows else [])
        mentions = [
            [e.id, m.article, m.start, m.end, m.text] for _, e in entities for m in e.mentions
        ]
        _bulk_insert(
            self._db, "mentions", ["VARCHAR", "VARCHAR", "INTEGER", "INTEGER", "VARCHAR"],
            [list(c) for c in zip(*mentions, strict=True)] if mentions else [],
        )

    def _insert_failure(self, failure: InputFailure | Rejection) -> None:
        if isinstance(failure, Rejection):
            row = [failure.input, failure.stage, _rejection_message(failure), failure.article_id]
        else:
            row = [failure.input, failure.stage, failure.error, None]
        self._db.execute("INSERT INTO errors VALUES (?, ?, ?, ?)", row)

    def add_boilerplate_counts(self, counts: dict[tuple[str, str], int]) -> None:
        """Accumulate per-outlet counts of lines seen in distinct articles."""
        if not counts:
            return
        items = sorted(counts.items())
        self._db.execute(
            "INSERT INTO boilerplate SELECT * FROM (SELECT unnest(?::VARCHAR[]), "
            "unnest(?::VARCHAR[]), unnest(?::INTEGER[])) ON CONFLICT (outlet, line) "
            "DO UPDATE SET articles = boilerplate.articles + excluded.articles",
            [[o for (o, _), _ in items], [line for (_, line), _ in items], [n for _, n in items]],
        )

    def save_links(
        self,
        links: Links,
        *,
        linked: Sequence[str] = (),
        terms: Sequence[LinkTerms] = (),
        candidates: Mapping[str, bytes] | None = None,
    ) -> None:
        """Replace the cross-article results (recomputed over the whole corpus) atomically.

        ``linked`` are the ids of the articles these links cover and ``terms``
        their story terms (see :meth:`candidate_stories`); ``candidates`` their
        packed claim candidates (:func:`parallax.crossdoc.claims.pack_candidates`).
        Later runs link only articles not yet linked.
        """
        db = self._db
        db.execute("BEGIN TRANSACTION")
        try:
            for table in (*_LINK_TABLES, "linked_articles", "link_terms", "claim_candidates"):
                db.execute(f"DELETE FROM {table}")
            self._insert_links(links)
            self._insert_linked(linked, terms, candidates or {})
            db.execute("COMMIT")
        except Exception:
            _rollback(db)
            raise

    def save_link_increment(
        self,
        links: Links,
        *,
        relinked: Sequence[str],
        linked: Sequence[str],
        terms: Sequence[LinkTerms] = (),
        candidates: Mapping[str, bytes] | None = None,
    ) -> None:
        """Store the links of the stories that received new articles, atomically.

        ``links.stories`` replace the stored stories with the same ids (with
        their claims, contradictions and omissions); ``links.entity_map``
        replaces the stored links of its per-article entities and
        ``links.naming`` the naming of the ``relinked`` articles; corpus entities
        are upserted and those no article entity points at any more dropped.
        Every other stored result stays as it is.
        """
        db = self._db
        story_ids = [s.id for s in links.stories]
        db.execute("BEGIN TRANSACTION")
        try:
            claim_ids = "SELECT id FROM claims WHERE story_id IN (SELECT unnest(?::VARCHAR[]))"
            for table in ("contradictions", "claim_mentions"):
                db.execute(f"DELETE FROM {table} WHERE claim_id IN ({claim_ids})", [story_ids])
            db.execute(
                "DELETE FROM contradictions WHERE other_claim_id NOT IN (SELECT id FROM claims "
                "WHERE story_id NOT IN (SELECT unnest(?::VARCHAR[])))", [story_ids])
            for table, column in (("claims", "story_id"), ("omissions", "story_id"),
                                  ("story_articles", "story_id"), ("stories", "id")):
                db.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT unnest(?::VARCHAR[]))",
                           [story_ids])
            db.execute("DELETE FROM entity_links WHERE article_entity_id IN "
                       "(SELECT unnest(?::VARCHAR[]))", [sorted(links.entity_map)])
            for table in ("naming", "naming_spans"):
                db.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                           [list(relinked)])
            db.execute("DELETE FROM corpus_entities WHERE id IN (SELECT unnest(?::VARCHAR[]))",
                       [[e.id for e in links.entities]])
            self._insert_links(links)
            db.execute("DELETE FROM corpus_entities WHERE id NOT IN "
                       "(SELECT entity_id FROM entity_links)")
            self._insert_linked(linked, terms, candidates or {})
            db.execute("COMMIT")
        except Exception:
            _rollback(db)
            raise

    def _insert_linked(
        self, linked: Sequence[str], terms: Sequence[LinkTerms], candidates: Mapping[str, bytes]
    ) -> None:
        db = self._db
        _bulk_insert(db, "linked_articles", ["VARCHAR"], [list(dict.fromkeys(linked))])
        if candidates:
            ids = sorted(candidates)
            db.execute("DELETE FROM claim_candidates WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
                       [ids])
            _bulk_insert(db, "claim_candidates", ["VARCHAR", "BLOB"], [ids, [candidates[i] for i in ids]])
        rows = [[term, article_id, day, weight] for article_id, day, pairs in terms
                for term, weight in pairs]
        _bulk_insert(db, "link_terms", ["VARCHAR", "VARCHAR", "INTEGER", "DOUBLE"], _columns(rows, 4))

    def _insert_links(self, links: Links) -> None:
        db = self._db
        stories = links.stories
        _bulk_insert(db, "stories", ["VARCHAR"] * 4 + ["VARCHAR[]"], _columns(
            [[s.id, s.title, s.first_date, s.last_date, list(s.keywords)] for s in stories], 5))
        _bulk_insert(db, "story_articles", ["VARCHAR", "VARCHAR"], _columns(
            [[s.id, a] for s in stories for a in s.articles], 2))
        _bulk_insert(db, "corpus_entities", ["VARCHAR"] * 3 + ["VARCHAR[]", "VARCHAR[]", "VARCHAR"],
                     _columns([[e.id, e.name, e.type, list(e.aliases), list(e.labels),
                                json.dumps(dict(e.kb), sort_keys=True)] for e in links.entities], 6))
        _bulk_insert(db, "entity_links", ["VARCHAR"] * 2, _columns(
            [[local, corpus] for local, corpus in sorted(links.entity_map.items())], 2))
        _bulk_insert(db, "omissions", ["VARCHAR"] * 3, _columns(
            [[story, outlet, claim] for story, by_outlet in sorted(links.omissions.items())
             for outlet, missing in sorted(by_outlet.items()) for claim in missing], 3))
        claims = links.claims
        _bulk_insert(db, "claims", ["VARCHAR", "VARCHAR", "VARCHAR", "INTEGER", "VARCHAR"], _columns(
            [[c.id, c.story, c.summary, c.outlets, c.kind] for c in claims], 5))
        _bulk_insert(db, "claim_mentions",
                     ["VARCHAR", "VARCHAR", "INTEGER", "INTEGER", "VARCHAR", "VARCHAR"], _columns(
            [[c.id, m.article, m.start, m.end, m.text, m.outlet] for c in claims for m in c.mentions], 6))
        _bulk_insert(db, "contradictions", ["VARCHAR"] * 4, _columns(
            [[c.id, x.claim, x.reason, x.kind] for c in claims for x in c.contradicts], 4))
        _bulk_insert(db, "naming", ["VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR[]"], _columns(
            [[n.entity, n.outlet, n.article, list(n.labels)] for n in links.naming], 4))
        _bulk_insert(db, "naming_spans", ["VARCHAR"] * 3 + ["INTEGER"] * 2, _columns(
            [[n.entity, n.article, x.label, x.start, x.end] for n in links.naming for x in n.spans], 5))

    # -- incremental linking ----------------------------------------------
    def linked_count(self) -> int:
        return self._db.execute("SELECT count(*) FROM linked_articles").fetchone()[0]

    def has_stale_links(self) -> bool:
        """Whether a stored story names an article that is gone (its input changed)."""
        return bool(self._db.execute(
            "SELECT count(*) FROM story_articles WHERE article_id NOT IN (SELECT id FROM articles)"
        ).fetchone()[0])

    def article_ids(self) -> list[str]:
        """Ids of every stored article, in insertion order."""
        return [row[0] for row in self._db.execute("SELECT id FROM articles ORDER BY seq").fetchall()]

    def unlinked_ids(self) -> list[str]:
        """Ids of stored articles no link step has seen yet, in insertion order."""
        return [row[0] for row in self._db.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM linked_articles) "
            "ORDER BY seq").fetchall()]

    def candidate_stories(
        self,
        terms: Sequence[LinkTerms],
        *,
        window_days: int,
        per_article: int,
        max_terms: int = 12,
        max_posting: int = 400,
    ) -> list[str]:
        """Stored stories a new article may join, found by SQL blocking on shared rare terms.

        For each new article (``terms``: id, day, (term, weight)) its
        ``max_terms`` terms with the highest ``weight * idf`` (IDF over the
        stored ``link_terms``) among those at most ``max_posting`` stored
        articles share; the stories of the stored articles sharing them inside
        ``window_days`` (or undated) are ranked by shared weight and the best
        ``per_article`` kept. Only these stories' members are then read.
        """
        rows = [(article_id, day, term, weight) for article_id, day, pairs in terms
                for term, weight in pairs]
        if not rows:
            return []
        total = max(1, self.linked_count())
        found = self._db.execute(
            "WITH q AS (SELECT unnest(?::VARCHAR[]) AS new_id, unnest(?::INTEGER[]) AS day, "
            "  unnest(?::VARCHAR[]) AS term, unnest(?::DOUBLE[]) AS weight), "
            "df AS (SELECT term, count(*) AS df FROM link_terms "
            "  WHERE term IN (SELECT DISTINCT term FROM q) GROUP BY term), "
            "ranked AS (SELECT q.new_id, q.day, q.term, q.weight * ln((1 + ?) / (1 + df.df)) AS w "
            "  FROM q JOIN df USING (term) WHERE df.df <= ? "
            "  QUALIFY row_number() OVER (PARTITION BY q.new_id ORDER BY w DESC, q.term) <= ?), "
            "hits AS (SELECT r.new_id, sa.story_id, sum(r.w) AS score FROM ranked r "
            "  JOIN link_terms t ON t.term = r.term "
            "  JOIN story_articles sa ON sa.article_id = t.article_id "
            "  WHERE r.day IS NULL OR t.day IS NULL OR abs(r.day - t.day) <= ? "
            "  GROUP BY r.new_id, sa.story_id) "
            "SELECT DISTINCT story_id FROM (SELECT story_id FROM hits QUALIFY row_number() "
            "  OVER (PARTITION BY new_id ORDER BY score DESC, story_id) <= ?) ORDER BY story_id",
            [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows],
             total, max_posting, max_terms, window_days, per_article],
        ).fetchall()
        return [row[0] for row in found]

    def stories_of(self, article_ids: Sequence[str]) -> list[str]:
        """Ids of the stored stories holding any of ``article_ids``."""
        return [row[0] for row in self._db.execute(
            "SELECT DISTINCT story_id FROM story_articles WHERE article_id IN "
            "(SELECT unnest(?::VARCHAR[])) ORDER BY story_id", [list(article_ids)]).fetchall()]

    def recent_members(self, story_ids: Sequence[str], per_story: int) -> list[str]:
        """Up to ``per_story`` most recently stored members of each story."""
        return [row[0] for row in self._db.execute(
            "SELECT sa.article_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
            "WHERE sa.story_id IN (SELECT unnest(?::VARCHAR[])) "
            "QUALIFY row_number() OVER (PARTITION BY sa.story_id ORDER BY a.seq DESC) <= ?",
            [list(story_ids), per_story]).fetchall()]

    def claim_candidates(self, article_ids: Sequence[str]) -> dict[str, bytes]:
        """Packed claim candidates stored for those of ``article_ids`` that have them."""
        return dict(self._db.execute(
            "SELECT article_id, data FROM claim_candidates WHERE article_id IN "
            "(SELECT unnest(?::VARCHAR[]))", [list(article_ids)]).fetchall())

    def article_meta(self, article_ids: Sequence[str]) -> list[Article]:
        """``article_ids`` as records with id, input, format, outlet, published and
        ``duplicate_of`` only (empty text, nothing read): what claims and omissions
        need of the stored members of a story."""
        return [
            Article(id=i, input=inp, format=fmt, text="", outlet=o, published=p, duplicate_of=d)
            for i, inp, fmt, o, p, d in self._db.execute(
                "SELECT id, input, format, outlet, published, duplicate_of FROM articles "
                "WHERE id IN (SELECT unnest(?::VARCHAR[])) ORDER BY seq", [list(article_ids)]).fetchall()
        ]

    def entity_links_of_articles(self, article_ids: Sequence[str]) -> dict[str, str]:
        """Stored corpus entity of every per-article entity of ``article_ids``."""
        return dict(self._db.execute(
            "SELECT l.article_entity_id, l.entity_id FROM entity_links l "
            "JOIN entities e ON e.id = l.article_entity_id "
            "WHERE e.article_id IN (SELECT unnest(?::VARCHAR[]))", [list(article_ids)]).fetchall())

    def story_claims(self, story_ids: Sequence[str]) -> dict[str, list[Claim]]:
        """Stored claims of ``story_ids`` (mentions and contradictions included), by story."""
        wanted = [list(story_ids)]
        ids = "SELECT id FROM claims WHERE story_id IN (SELECT unnest(?::VARCHAR[]))"
        mentions: dict[str, list[ClaimMention]] = {}
        for claim_id, article, start, end, text, outlet in self._db.execute(
            'SELECT claim_id, article_id, "start", "end", text, outlet FROM claim_mentions '
            f"WHERE claim_id IN ({ids}) ORDER BY rowid", wanted
        ).fetchall():
            mentions.setdefault(claim_id, []).append(
                ClaimMention(article=article, start=start, end=end, text=text, outlet=outlet))
        conflicts: dict[str, list[Contradiction]] = {}
        for claim_id, other, reason, kind in self._db.execute(
            f"SELECT claim_id, other_claim_id, reason, kind FROM contradictions WHERE claim_id IN ({ids}) "
            "ORDER BY rowid", wanted
        ).fetchall():
            conflicts.setdefault(claim_id, []).append(
                Contradiction(claim=other, reason=reason, kind=kind or "other"))
        out: dict[str, list[Claim]] = {}
        for i, story, summary, n, kind in self._db.execute(
            "SELECT id, story_id, summary, outlets, kind FROM claims WHERE story_id IN "
            "(SELECT unnest(?::VARCHAR[])) ORDER BY story_id, id", wanted
        ).fetchall():
            out.setdefault(story, []).append(Claim(
                id=i, story=story, summary=summary, outlets=n, kind=kind or "event",
                mentions=tuple(mentions.get(i, ())), contradicts=tuple(conflicts.get(i, ()))))
        return out

    def entity_links_of(self, entity_ids: Sequence[str]) -> dict[str, str]:
        """Stored corpus entity of each of the given per-article entity ids that has one."""
        return dict(self._db.execute(
            "SELECT article_entity_id, entity_id FROM entity_links WHERE article_entity_id IN "
            "(SELECT unnest(?::VARCHAR[]))", [list(entity_ids)]).fetchall())

    def corpus_entities(self, ids: Sequence[str]) -> dict[str, Entity]:
        """Stored corpus entity records (without mentions) by id."""
        return {
            i: Entity(id=i, name=n, type=t, aliases=tuple(a or ()), labels=tuple(lb or ()),
                      kb=json.loads(kb or "{}"))
            for i, n, t, a, lb, kb in self._db.execute(
                "SELECT id, name, type, aliases, labels, kb FROM corpus_entities WHERE id IN "
                "(SELECT unnest(?::VARCHAR[]))", [list(ids)]).fetchall()
        }

    def voices(self) -> dict[str, dict[str, int]]:
        """Speaker corpus id -> outlet -> quotes, counted in SQL over every stored quote.

        The same numbers as :func:`parallax.crossdoc.naming.quotes_by_outlet`
        over every article with the stored entity map.
        """
        rows = self._db.execute(
            "WITH s AS (SELECT q.article_id, unnest(CASE WHEN len(q.speakers) > 0 "
            "  THEN list_distinct(q.speakers) ELSE [q.speaker] END) AS speaker FROM quotes q "
            "  WHERE len(q.speakers) > 0 OR (q.speaker IS NOT NULL AND q.speaker <> '')) "
            "SELECT coalesce(l.entity_id, s.speaker), coalesce(a.outlet, a.id), count(*) "
            "FROM s JOIN articles a ON a.id = s.article_id "
            "LEFT JOIN entity_links l ON l.article_entity_id = s.speaker "
            "WHERE s.speaker IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
        out: dict[str, dict[str, int]] = {}
        for who, outlet, n in rows:
            out.setdefault(who, {})[outlet] = n
        return out

    def stories(self, ids: Sequence[str] | None = None) -> list[Story]:
        """Stored stories (only ``ids`` when given), members in stored order."""
        where, params = ("", []) if ids is None else (
            " WHERE {} IN (SELECT unnest(?::VARCHAR[]))", [list(ids)])
        members: dict[str, list[str]] = {}
        for story_id, article_id in self._db.execute(
            "SELECT story_id, article_id FROM story_articles" + where.format("story_id")
            + " ORDER BY rowid", params
        ).fetchall():
            members.setdefault(story_id, []).append(article_id)
        return [
            Story(id=i, title=t or "", first_date=f, last_date=last, keywords=tuple(k or ()),
                  articles=tuple(members.get(i, ())))
            for i, t, f, last, k in self._db.execute(
                "SELECT id, title, first_date, last_date, keywords FROM stories" + where.format("id")
                + " ORDER BY first_date IS NULL, first_date, id", params
            ).fetchall()
        ]

    def links(self) -> Links:
        """The stored cross-article results."""
        mentions: dict[str, list[Mention]] = {}
        for corpus_id, article, start, end, text in self._db.execute(
            'SELECT l.entity_id, m.article_id, m."start", m."end", m.text FROM mentions m '
            "JOIN entity_links l ON l.article_entity_id = m.entity_id "
            'ORDER BY l.entity_id, m.article_id, m."start"'
        ).fetchall():
            mentions.setdefault(corpus_id, []).append(
                Mention(article=article, start=start, end=end, text=text))
        entities = tuple(
            Entity(id=i, name=n, type=t, aliases=tuple(a or ()), labels=tuple(lb or ()),
                   kb=json.loads(kb or "{}"), mentions=tuple(mentions.get(i, ())))
            for i, n, t, a, lb, kb in self._db.execute(
                "SELECT id, name, type, aliases, labels, kb FROM corpus_entities ORDER BY rowid"
            ).fetchall()
        )
        entities = tuple(sorted(entities, key=lambda e: (-len(e.mentions), e.id)))
        entity_map = dict(self._db.execute(
            "SELECT article_entity_id, entity_id FROM entity_links").fetchall())
        omissions: dict[str, dict[str, list[str]]] = {}
        for story, outlet, claim in self._db.execute(
            "SELECT story_id, outlet, claim_id FROM omissions ORDER BY rowid").fetchall():
            omissions.setdefault(story, {}).setdefault(outlet, []).append(claim)
        claim_mentions: dict[str, list[ClaimMention]] = {}
        for claim_id, article, start, end, text, outlet in self._db.execute(
            'SELECT claim_id, article_id, "start", "end", text, outlet FROM claim_mentions ORDER BY rowid'
        ).fetchall():
            claim_mentions.setdefault(claim_id, []).append(
                ClaimMention(article=article, start=start, end=end, text=text, outlet=outlet))
        conflicts: dict[str, list[Contradiction]] = {}
        for claim_id, other, reason, kind in self._db.execute(
            "SELECT claim_id, other_claim_id, reason, kind FROM contradictions ORDER BY rowid"
        ).fetchall():
            conflicts.setdefault(claim_id, []).append(
                Contradiction(claim=other, reason=reason, kind=kind or "other"))
        claims = tuple(
            Claim(id=i, story=s, summary=summary, outlets=n, kind=kind or "event",
                  mentions=tuple(claim_mentions.get(i, ())), contradicts=tuple(conflicts.get(i, ())))
            for i, s, summary, n, kind in self._db.execute(
                "SELECT id, story_id, summary, outlets, kind FROM claims ORDER BY story_id, id"
            ).fetchall()
        )
        spans: dict[tuple[str, str], list[LabelSpan]] = {}
        if self._has_table("naming_spans"):  # a read-only store written before 1.2 has none
            for e, a, label, start, end in self._db.execute(
                'SELECT entity_id, article_id, label, "start", "end" FROM naming_spans '
                'ORDER BY entity_id, article_id, "start", "end", label').fetchall():
                spans.setdefault((e, a), []).append(LabelSpan(label=label, start=start, end=end))
        naming = tuple(
            Naming(entity=e, outlet=o, article=a, labels=tuple(lb or ()), spans=tuple(spans.get((e, a), ())))
            for e, o, a, lb in self._db.execute(
                "SELECT entity_id, outlet, article_id, labels FROM naming "
                "ORDER BY entity_id, coalesce(outlet, ''), article_id").fetchall()
        )
        return Links(
            stories=tuple(self.stories()), entities=entities, entity_map=entity_map,
            claims=claims, naming=naming,
            omissions={s: {o: tuple(c) for o, c in by.items()} for s, by in omissions.items()},
        )

    # -- reads ------------------------------------------------------------
    def boilerplate_counts(self, outlets: Iterable[str]) -> dict[tuple[str, str], int]:
        wanted = sorted(set(outlets))
        if not wanted:
            return {}
        rows = self._db.execute(
            "SELECT outlet, line, articles FROM boilerplate "
            "WHERE outlet IN (SELECT unnest(?::VARCHAR[]))",
            [wanted],
        ).fetchall()
        return {(outlet, line): n for outlet, line, n in rows}

    def duplicate_links(self) -> dict[str, str]:
        """Stored near-duplicates and the originals they point at."""
        return dict(self._db.execute(
            "SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL").fetchall())

    def iter_texts(self) -> Iterator[tuple[str, str]]:
        """Yield (id, text) of every stored article in insertion order."""
        cursor = self._db.execute("SELECT id, text FROM articles ORDER BY seq")
        while rows := cursor.fetchmany(1000):
            yield from rows

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        """Stored articles with everything read from them (only ``ids`` when given), by seq."""
        where, params = ("", []) if ids is None else (
            " WHERE {} IN (SELECT unnest(?::VARCHAR[]))", [list(ids)])
        removed: dict[str, list[Removed]] = {}
        for article_id, text, reason, at in self._db.execute(
            "SELECT article_id, text, reason, \"at\" FROM removed" + where.format("article_id")
            + " ORDER BY article_id, position", params
        ).fetchall():
            removed.setdefault(article_id, []).append(Removed(text=text, reason=reason, at=at))
        flags: dict[str, list[str]] = {}
        for article_id, flag in self._db.execute(
            "SELECT article_id, flag FROM flags" + where.format("article_id")
            + " ORDER BY article_id, flag", params
        ).fetchall():
            flags.setdefault(article_id, []).append(flag)
        reading = self._reading(where.format("article_id"), params)
        rows = self._db.execute(
            "SELECT id, input, format, url, outlet, title, authors, published, language, "
            "language_score, text, duplicate_of, notes FROM articles" + where.format("id")
            + " ORDER BY seq", params
        ).fetchall()
        return [
            Article(
                id=r[0], input=r[1], format=r[2], url=r[3], outlet=r[4], title=r[5],
                authors=tuple(r[6] or ()), published=r[7], language=r[8], language_score=r[9],
                text=r[10], duplicate_of=r[11], notes=tuple(r[12] or ()),
                removed=tuple(removed.get(r[0], ())), flags=tuple(flags.get(r[0], ())),
                **{name: tuple(by_article.get(r[0], ())) for name, by_article in reading.items()},
            )
            for r in rows
        ]

    def _reading(self, where: str = "", params: list[Any] | None = None) -> dict[str, dict[str, list[Any]]]:
        """Entities, quotes, events and dates of every article (``where`` filters), by article id."""
        params = params or []
        mentions: dict[str, list[Mention]] = {}
        for entity_id, article, start, end, text in self._db.execute(
            'SELECT entity_id, article_id, "start", "end", text FROM mentions' + where
            + ' ORDER BY entity_id, "start", "end"', params
        ).fetchall():
            mentions.setdefault(entity_id, []).append(
                Mention(article=article, start=start, end=end, text=text)
            )
        result: dict[str, dict[str, list[Any]]] = {name: {} for name in ("entities", *_READING_TABLES)}
        for entity_id, article, name, kind, aliases, labels, kb in self._db.execute(
            "SELECT id, article_id, name, type, aliases, labels, kb FROM entities" + where
            + " ORDER BY rowid", params
        ).fetchall():
            result["entities"].setdefault(article, []).append(
                Entity(
                    id=entity_id, name=name, type=kind, aliases=tuple(aliases or ()),
                    labels=tuple(labels or ()), kb=json.loads(kb or "{}"),
                    mentions=tuple(m for m in mentions.get(entity_id, ()) if m.article == article),
                )
            )
        for table, fields in _READING_TABLES.items():
            record = _READING_RECORDS[table]
            columns = ", ".join(f'"{f}"' if f != "article" else "article_id" for f in fields)
            for row in self._db.execute(
                f"SELECT {columns} FROM {table}{where} ORDER BY rowid", params
            ).fetchall():
                values = {
                    f: tuple(v) if isinstance(v, list) else v for f, v in zip(fields, row, strict=True)
                }
                result[table].setdefault(values["article"], []).append(record(**values))
        return result

    def errors(self) -> list[dict[str, Any]]:
        rows = self._db.execute(
            "SELECT DISTINCT input, stage, error FROM errors ORDER BY input, stage, error"
        ).fetchall()
        return [{"input": i, "stage": s, "error": e} for i, s, e in rows]

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a read query (used by tests and power users)."""
        return self._db.execute(sql, list(params)).fetchall()


def _rejection_message(rejection: Rejection) -> str:
    return f"{rejection.reason}: {rejection.detail}" if rejection.detail else rejection.reason


def _rollback(db: duckdb.DuckDBPyConnection) -> None:
    """Roll back if a transaction is still open; never mask the original error."""
    try:
        db.execute("ROLLBACK")
    except duckdb.Error:
        pass  # a failed COMMIT (e.g. disk full) already ended the transaction
