"""Read-side functions over a Parallax store, shared by the web app and exports.

Everything here only reads. Each function takes a DuckDB cursor (one per
request or per job: DuckDB connections are not safe to share between threads,
cursors of one connection are) and returns frozen dataclasses, which the web
app also uses as its JSON response models.

Tables the cross-article steps add later (``stories``, ``story_articles``,
``claims``, ``claim_mentions``, ``contradictions``, ``naming``) are optional:
when one is absent the functions that read it return nothing rather than
inventing anything.

Offsets are code points into ``articles.text``, as everywhere in Parallax;
DuckDB's ``substr``/``strpos``/``length`` count code points too, so slicing in
SQL (``substr(text, start + 1, end - start)``) matches Python's
``text[start:end]``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import duckdb

from parallax.store.duckdb import Store

__all__ = [
    "ID_PATTERN",
    "MAX_LIMIT",
    "SEARCH_KINDS",
    "ArticleDetail",
    "ArticleSummary",
    "ClaimMentionRow",
    "ClaimRow",
    "ContradictionRow",
    "DateRow",
    "EntityDetail",
    "EntityInArticle",
    "EntitySummary",
    "NamingLabelRow",
    "EventRow",
    "MentionContext",
    "OutletNames",
    "Page",
    "QuoteRow",
    "Reader",
    "RemovedPiece",
    "SearchHit",
    "Span",
    "StoryDetail",
    "StoryRef",
    "StorySummary",
    "corpus_entity_ids",
    "get_article",
    "get_entity",
    "get_story",
    "is_id",
    "is_linked",
    "list_articles",
    "list_claims",
    "list_entities",
    "list_events",
    "list_quotes",
    "list_stories",
    "open_reader",
    "resolve_store_path",
    "search",
    "search_terms",
    "story_document",
    "table_names",
]

ID_PATTERN = re.compile(r"^(art|ent|quo|evt|sto|clm)_[0-9a-f]{16}$")
MAX_LIMIT = 500
MAX_QUERY_CHARS = 200
MAX_TERMS = 8
CONTEXT_CHARS = 80  # code points of context on each side of a mention or search match
MAX_MENTIONS = 500  # mentions listed on one entity (the total is always given)
LEAD_CHARS = 120

T = TypeVar("T")


def is_id(value: str, prefix: str | None = None) -> bool:
    """Return whether ``value`` is a well-formed Parallax id (of ``prefix``, if given)."""
    if len(value) != 20 or not ID_PATTERN.match(value):
        return False
    return prefix is None or value.startswith(prefix + "_")


# --- records returned ---------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Page(Generic[T]):
    """One page of a listing: ``items`` plus what is needed to fetch the next."""

    items: tuple[T, ...]
    total: int
    limit: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        following = self.offset + len(self.items)
        return following if following < self.total and self.items else None


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleSummary:
    id: str
    title: str | None
    lead: str  # the first LEAD_CHARS code points of the text, for untitled articles
    outlet: str | None
    url: str | None
    published: str | None
    language: str | None
    flags: tuple[str, ...]
    duplicate_of: str | None
    words: int
    entities: int
    quotes: int
    events: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RemovedPiece:
    text: str
    reason: str
    at: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Span:
    article: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityInArticle:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    labels: tuple[str, ...]
    kb: dict[str, Any]
    mentions: tuple[Span, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteRow:
    id: str
    article: str
    start: int
    end: int
    text: str
    kind: str
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    speaker: str | None
    speaker_text: str | None
    speaker_start: int | None
    speaker_end: int | None
    speakers: tuple[str, ...]
    speaker_name: str | None  # the speaker entity's name, when resolved
    outlet: str | None
    article_title: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRow:
    id: str
    article: str
    start: int
    end: int
    type: str
    trigger: str
    trigger_start: int
    trigger_end: int
    actor: str | None
    actor_text: str | None
    target: str | None
    target_text: str | None
    place: str | None
    place_text: str | None
    date: str | None
    date_text: str | None
    date_inferred: bool
    quote: str | None
    negated: bool
    outlet: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class DateRow:
    article: str
    start: int
    end: int
    text: str
    value: str | None
    inferred: bool
    anchor: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryRef:
    id: str
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimMentionRow:
    claim: str
    article: str
    start: int
    end: int
    text: str
    outlet: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class NamingLabelRow:
    """Words an article uses for an entity (a naming label), where they stand."""

    entity: str  # corpus id when the store is linked
    label: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ContradictionRow:
    claim: str  # the other claim
    reason: str
    kind: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimRow:
    id: str
    story: str
    summary: str
    outlets: int
    kind: str
    mentions: tuple[ClaimMentionRow, ...]
    contradicts: tuple[ContradictionRow, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleDetail:
    id: str
    input: str
    format: str
    url: str | None
    outlet: str | None
    title: str | None
    authors: tuple[str, ...]
    published: str | None
    language: str | None
    language_score: float | None
    text: str
    duplicate_of: str | None
    notes: tuple[str, ...]
    flags: tuple[str, ...]
    removed: tuple[RemovedPiece, ...]
    entities: tuple[EntityInArticle, ...]
    quotes: tuple[QuoteRow, ...]
    events: tuple[EventRow, ...]
    dates: tuple[DateRow, ...]
    stories: tuple[StoryRef, ...]
    claim_mentions: tuple[ClaimMentionRow, ...]
    naming_labels: tuple[NamingLabelRow, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class EntitySummary:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: int
    articles: int
    outlets: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MentionContext:
    article: str
    start: int
    end: int
    text: str
    before: str  # up to CONTEXT_CHARS code points of text before the mention
    after: str
    outlet: str | None
    article_title: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletNames:
    """The words one outlet uses for one entity: names as written, and labels."""

    outlet: str | None
    names: tuple[str, ...]
    labels: tuple[str, ...]
    articles: int


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityDetail:
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    labels: tuple[str, ...]
    kb: dict[str, Any]
    mention_count: int
    mentions: tuple[MentionContext, ...]  # at most MAX_MENTIONS, in article order
    naming: tuple[OutletNames, ...]
    quotes: tuple[QuoteRow, ...]  # quotes it is the speaker (or a joint speaker) of
    quotes_about: tuple[QuoteRow, ...]  # quotes by others that mention it (at most MAX_MENTIONS)
    events: tuple[EventRow, ...]  # events where it is actor, target or place


@dataclass(frozen=True, slots=True, kw_only=True)
class StorySummary:
    id: str
    title: str
    first_date: str | None
    last_date: str | None
    keywords: tuple[str, ...]
    articles: int
    outlets: int  # distinct outlets among the story's non-duplicate articles
    claims: int
    contradictions: int


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryDetail:
    id: str
    title: str
    first_date: str | None
    last_date: str | None
    keywords: tuple[str, ...]
    outlets: int
    articles: tuple[ArticleSummary, ...]
    claims: tuple[ClaimRow, ...]
    events: tuple[EventRow, ...]  # timeline: dated events first, by date
    quotes: tuple[QuoteRow, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchHit:
    """One match; ``snippet[match_start:match_end]`` is the matched text."""

    kind: str  # article, entity, quote
    id: str
    article: str | None
    label: str  # article title, entity name or quote speaker
    snippet: str
    match_start: int
    match_end: int


# --- opening ----------------------------------------------------------------


class Reader:
    """A read-only store plus a cursor factory; safe to share between threads.

    ``cursor()`` returns a new DuckDB cursor on the one read-only connection;
    use one per request or job and close it after.
    """

    def __init__(self, store: Store) -> None:
        if not store.read_only:
            raise ValueError("a Reader needs a Store opened with read_only=True")
        self.store = store

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self.store.cursor()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_reader(path: str | Path) -> Reader:
    """Open the store at ``path`` (a ``parallax.duckdb`` file or its folder) read-only."""
    return Reader(Store(resolve_store_path(path), read_only=True))


def resolve_store_path(path: str | Path) -> Path:
    """Accept an ``--out`` folder or the ``.duckdb`` file itself; check it exists."""
    from parallax.errors import StoreError

    candidate = Path(path)
    if candidate.is_dir():
        candidate = candidate / "parallax.duckdb"
    if not candidate.is_file():
        raise StoreError(
            f"no Parallax store at {candidate}; run `parallax analyze INPUT --out DIR` first "
            "and pass DIR (or DIR/parallax.duckdb)"
        )
    return candidate


def table_names(db: duckdb.DuckDBPyConnection) -> frozenset[str]:
    rows = db.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()
    return frozenset(row[0] for row in rows)


# --- helpers ----------------------------------------------------------------


def _rows(db: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cursor = db.execute(sql, list(params))
    names = [d[0] for d in cursor.description or ()]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _count(db: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> int:
    row = db.execute(sql, list(params)).fetchone()
    return int(row[0]) if row else 0


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if value else ()


def _kb(value: str | None) -> dict[str, Any]:
    try:
        parsed = json.loads(value or "{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _page_args(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(int(limit), MAX_LIMIT)), max(0, int(offset))


def _article_summaries(
    db: duckdb.DuckDBPyConnection, where: str, params: Sequence[Any], order: str,
    limit: int | None = None, offset: int = 0,
) -> list[ArticleSummary]:
    """Summaries of the articles selected by ``where``; counts are computed for that page only."""
    page = f"SELECT a.* FROM articles a {where} ORDER BY {order}"
    page_params = list(params)
    if limit is not None:
        page += " LIMIT ? OFFSET ?"
        page_params += [limit, offset]
    counts = "".join(
        f"LEFT JOIN (SELECT article_id, count(*) AS n FROM {table} "
        f"WHERE article_id IN (SELECT id FROM page) GROUP BY article_id) {alias} "
        f"ON {alias}.article_id = a.id "
        for table, alias in (("entities", "ce"), ("quotes", "cq"), ("events", "cv"))
    )
    sql = (
        f"WITH page AS ({page}) "
        f"SELECT a.id, a.title, substr(a.text, 1, {LEAD_CHARS}) AS lead, a.outlet, a.url, "
        "a.published, a.language, a.duplicate_of, "
        "CASE WHEN trim(a.text) = '' THEN 0 "
        "ELSE len(regexp_split_to_array(trim(a.text), '\\s+')) END AS words, "
        "coalesce(f.flags, []) AS flags, coalesce(ce.n, 0) AS entities, "
        "coalesce(cq.n, 0) AS quotes, coalesce(cv.n, 0) AS events "
        "FROM page a "
        "LEFT JOIN (SELECT article_id, list_sort(list_distinct(list(flag))) AS flags FROM flags "
        "WHERE article_id IN (SELECT id FROM page) GROUP BY article_id) f ON f.article_id = a.id "
        f"{counts}ORDER BY {order}"
    )
    return [_article_summary(r) for r in _rows(db, sql, page_params)]


def _article_summary(row: dict[str, Any]) -> ArticleSummary:
    return ArticleSummary(
        id=row["id"], title=row["title"], lead=row["lead"], outlet=row["outlet"], url=row["url"],
        published=row["published"], language=row["language"], flags=_tuple(row["flags"]),
        duplicate_of=row["duplicate_of"], words=int(row["words"] or 0),
        entities=int(row["entities"]), quotes=int(row["quotes"]), events=int(row["events"]),
    )


_QUOTE_SQL = """
SELECT q.id, q.article_id AS article, q."start", q."end", q.text, q.kind, q.cue, q.cue_start,
       q.cue_end, q.speaker, q.speaker_text, q.speaker_start, q.speaker_end, q.speakers,
       (SELECT e.name FROM entities e WHERE e.id = q.speaker LIMIT 1) AS speaker_name,
       a.outlet, a.title AS article_title
FROM quotes q JOIN articles a ON a.id = q.article_id
"""

_EVENT_SQL = """
SELECT v.id, v.article_id AS article, v."start", v."end", v.type, v.trigger, v.trigger_start,
       v.trigger_end, v.actor, v.actor_text, v.target, v.target_text, v.place, v.place_text,
       v.date, v.date_text, coalesce(v.date_inferred, false) AS date_inferred, v.quote,
       coalesce(v.negated, false) AS negated, a.outlet
FROM events v JOIN articles a ON a.id = v.article_id
"""


def _quote(row: dict[str, Any]) -> QuoteRow:
    return QuoteRow(**{**row, "speakers": _tuple(row["speakers"])})


def _event(row: dict[str, Any]) -> EventRow:
    return EventRow(**row)


# --- articles -----------------------------------------------------------------


def list_articles(
    db: duckdb.DuckDBPyConnection,
    *,
    limit: int = 50,
    offset: int = 0,
    outlet: str | None = None,
    flag: str | None = None,
    story: str | None = None,
) -> Page[ArticleSummary]:
    """Articles in input order, optionally only one outlet's, flag's or story's."""
    limit, offset = _page_args(limit, offset)
    where, params = _article_filter(db, outlet=outlet, flag=flag, story=story)
    if where is None:
        return Page(items=(), total=0, limit=limit, offset=offset)
    total = _count(db, f"SELECT count(*) FROM articles a {where}", params)
    items = _article_summaries(db, where, params, "a.seq", limit, offset)
    return Page(items=tuple(items), total=total, limit=limit, offset=offset)


def _article_filter(
    db: duckdb.DuckDBPyConnection, *, outlet: str | None, flag: str | None, story: str | None
) -> tuple[str | None, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if outlet is not None:
        clauses.append("a.outlet = ?")
        params.append(outlet)
    if flag is not None:
        clauses.append("EXISTS (SELECT 1 FROM flags f WHERE f.article_id = a.id AND f.flag = ?)")
        params.append(flag)
    if story is not None:
        if "story_articles" not in table_names(db):
            return None, []
        clauses.append(
            "a.id IN (SELECT s.article_id FROM story_articles s WHERE s.story_id = ?)"
        )
        params.append(story)
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def get_article(db: duckdb.DuckDBPyConnection, article_id: str) -> ArticleDetail | None:
    """One article with everything read from it, or None if there is no such article."""
    rows = _rows(
        db,
        "SELECT id, input, format, url, outlet, title, authors, published, language, "
        "language_score, text, duplicate_of, notes FROM articles WHERE id = ?",
        [article_id],
    )
    if not rows:
        return None
    row = rows[0]
    flags = tuple(r[0] for r in db.execute(
        "SELECT DISTINCT flag FROM flags WHERE article_id = ? ORDER BY flag", [article_id]
    ).fetchall())
    removed = tuple(
        RemovedPiece(text=t, reason=reason, at=at)
        for t, reason, at in db.execute(
            'SELECT text, reason, "at" FROM removed WHERE article_id = ? ORDER BY position',
            [article_id],
        ).fetchall()
    )
    mentions: dict[str, list[Span]] = {}
    for entity_id, start, end, text in db.execute(
        'SELECT entity_id, "start", "end", text FROM mentions WHERE article_id = ? '
        'ORDER BY "start", "end"',
        [article_id],
    ).fetchall():
        mentions.setdefault(entity_id, []).append(
            Span(article=article_id, start=start, end=end, text=text)
        )
    entities = tuple(
        EntityInArticle(
            id=e["id"], name=e["name"], type=e["type"], aliases=_tuple(e["aliases"]),
            labels=_tuple(e["labels"]), kb=_kb(e["kb"]), mentions=tuple(mentions.get(e["id"], ())),
        )
        for e in _rows(
            db,
            "SELECT id, name, type, aliases, labels, kb FROM entities WHERE article_id = ? "
            "ORDER BY rowid",
            [article_id],
        )
    )
    quotes = tuple(_quote(r) for r in _rows(
        db, f'{_QUOTE_SQL} WHERE q.article_id = ? ORDER BY q."start", q."end", q.id', [article_id]
    ))
    events = tuple(_event(r) for r in _rows(
        db, f'{_EVENT_SQL} WHERE v.article_id = ? ORDER BY v."start", v.trigger_start, v.id',
        [article_id],
    ))
    dates = tuple(
        DateRow(article=article_id, start=s, end=e, text=t, value=v, inferred=bool(i), anchor=anchor)
        for s, e, t, v, i, anchor in db.execute(
            'SELECT "start", "end", text, value, coalesce(inferred, false), anchor FROM dates '
            'WHERE article_id = ? ORDER BY "start", "end"',
            [article_id],
        ).fetchall()
    )
    tables = table_names(db)
    stories: tuple[StoryRef, ...] = ()
    if {"stories", "story_articles"} <= tables:
        stories = tuple(
            StoryRef(id=i, title=t or "")
            for i, t in db.execute(
                "SELECT s.id, s.title FROM stories s JOIN story_articles sa ON sa.story_id = s.id "
                "WHERE sa.article_id = ? ORDER BY s.id",
                [article_id],
            ).fetchall()
        )
    claim_mentions: tuple[ClaimMentionRow, ...] = ()
    if "claim_mentions" in tables:
        claim_mentions = tuple(
            ClaimMentionRow(**r) for r in _rows(
                db,
                'SELECT claim_id AS claim, article_id AS article, "start", "end", text, outlet '
                'FROM claim_mentions WHERE article_id = ? ORDER BY "start", "end", claim_id',
                [article_id],
            )
        )
    naming_labels: tuple[NamingLabelRow, ...] = ()
    if "naming_spans" in tables:
        naming_labels = tuple(
            NamingLabelRow(**r) for r in _rows(
                db,
                'SELECT n.entity_id AS entity, n.label, n."start", n."end", '
                'substr(a.text, n."start" + 1, n."end" - n."start") AS text '
                'FROM naming_spans n JOIN articles a ON a.id = n.article_id '
                'WHERE n.article_id = ? ORDER BY n."start", n."end", n.label, n.entity_id',
                [article_id],
            )
        )
    return ArticleDetail(
        id=row["id"], input=row["input"], format=row["format"], url=row["url"],
        outlet=row["outlet"], title=row["title"], authors=_tuple(row["authors"]),
        published=row["published"], language=row["language"],
        language_score=row["language_score"], text=row["text"], duplicate_of=row["duplicate_of"],
        notes=_tuple(row["notes"]), flags=flags, removed=removed, entities=entities,
        quotes=quotes, events=events, dates=dates, stories=stories, claim_mentions=claim_mentions,
        naming_labels=naming_labels,
    )


# --- entities -----------------------------------------------------------------

_ENTITY_GROUPS = """
WITH grouped AS (
    SELECT e.id,
           arg_min(e.name, e.rowid) AS name,
           arg_min(e.type, e.rowid) AS type,
           list_sort(list_distinct(flatten(list(coalesce(e.aliases, []))))) AS aliases,
           count(DISTINCT e.article_id) AS articles,
           count(DISTINCT a.outlet) AS outlets
    FROM entities e JOIN articles a ON a.id = e.article_id
    GROUP BY e.id
), counted AS (
    SELECT entity_id, count(*) AS mentions FROM mentions GROUP BY entity_id
)
SELECT g.*, coalesce(c.mentions, 0) AS mentions
FROM grouped g LEFT JOIN counted c ON c.entity_id = g.id
"""


_CORPUS_ENTITY_GROUPS = """
WITH linked AS (
    SELECT l.entity_id AS cid, e.article_id
    FROM entity_links l JOIN entities e ON e.id = l.article_entity_id
), grouped AS (
    SELECT c.id, c.name, c.type, list_sort(coalesce(c.aliases, [])) AS aliases,
           count(DISTINCT k.article_id) AS articles, count(DISTINCT a.outlet) AS outlets
    FROM corpus_entities c LEFT JOIN linked k ON k.cid = c.id LEFT JOIN articles a ON a.id = k.article_id
    GROUP BY c.id, c.name, c.type, c.aliases
), counted AS (
    SELECT l.entity_id, count(*) AS mentions
    FROM mentions m JOIN entity_links l ON l.article_entity_id = m.entity_id GROUP BY l.entity_id
)
SELECT g.*, coalesce(c.mentions, 0) AS mentions
FROM grouped g LEFT JOIN counted c ON c.entity_id = g.id
"""


def is_linked(db: duckdb.DuckDBPyConnection) -> bool:
    """Whether cross-article linking has run: corpus entities exist and per-article ids map to them."""
    if not {"corpus_entities", "entity_links"} <= table_names(db):
        return False
    return db.execute("SELECT EXISTS (SELECT 1 FROM entity_links)").fetchone() == (True,)


def corpus_entity_ids(db: duckdb.DuckDBPyConnection, entity_ids: Sequence[str]) -> dict[str, str]:
    """Per-article entity id -> corpus entity id, for the ids that have one."""
    if not entity_ids or not is_linked(db):
        return {}
    return dict(db.execute(
        "SELECT article_entity_id, entity_id FROM entity_links "
        "WHERE article_entity_id IN (SELECT unnest(?::VARCHAR[]))", [list(entity_ids)]).fetchall())


def list_entities(
    db: duckdb.DuckDBPyConnection,
    *,
    limit: int = 50,
    offset: int = 0,
    type: str | None = None,  # noqa: A002 - the field is called type everywhere
    name: str | None = None,
) -> Page[EntitySummary]:
    """Entities, most mentioned first; ``name`` matches names and aliases (case-insensitive).

    Once cross-article linking has run these are the corpus entities (one
    row for "Iran" however many articles name it); before, the per-article ones.
    """
    limit, offset = _page_args(limit, offset)
    clauses: list[str] = []
    params: list[Any] = []
    if type is not None:
        clauses.append("type = ?")
        params.append(type)
    if name:
        clauses.append(
            "contains(lower(name || chr(31) || array_to_string(aliases, chr(31))), lower(?))"
        )
        params.append(name)
    where = "WHERE " + " AND ".join(clauses) if clauses else ""
    groups = _CORPUS_ENTITY_GROUPS if is_linked(db) else _ENTITY_GROUPS
    base = f"SELECT * FROM ({groups}) {where}"
    total = _count(db, f"SELECT count(*) FROM ({base})", params)
    rows = _rows(db, f"{base} ORDER BY mentions DESC, name, id LIMIT ? OFFSET ?",
                 [*params, limit, offset])
    items = tuple(
        EntitySummary(
            id=r["id"], name=r["name"], type=r["type"], aliases=_tuple(r["aliases"]),
            mentions=int(r["mentions"]), articles=int(r["articles"]), outlets=int(r["outlets"]),
        )
        for r in rows
    )
    return Page(items=items, total=total, limit=limit, offset=offset)


def _entity_members(db: duckdb.DuckDBPyConnection, entity_id: str) -> tuple[list[str], dict[str, Any] | None]:
    """The per-article entity ids behind ``entity_id``, and its corpus row if it is a corpus entity.

    After cross-article linking an entity has a corpus id (``corpus_entities``)
    that ``entity_links`` maps to the per-article ids mentions and quotes use;
    a per-article id stands for itself.
    """
    if {"corpus_entities", "entity_links"} <= table_names(db):
        rows = _rows(db, "SELECT name, type, aliases, labels, kb FROM corpus_entities WHERE id = ?", [entity_id])
        if rows:
            linked = [r[0] for r in db.execute(
                "SELECT article_entity_id FROM entity_links WHERE entity_id = ? ORDER BY article_entity_id",
                [entity_id]).fetchall()]
            return linked or [entity_id], rows[0]
    return [entity_id], None


def get_entity(db: duckdb.DuckDBPyConnection, entity_id: str) -> EntityDetail | None:
    """One entity with its mentions in context, names per outlet, quotes and events.

    ``entity_id`` is a per-article entity id or a corpus entity id (then the
    page gathers every linked per-article entity: mentions across outlets,
    quotes by it, events about it).
    """
    members, corpus = _entity_members(db, entity_id)
    ids = "(SELECT unnest(?::VARCHAR[]))"
    rows = _rows(
        db,
        "SELECT e.name, e.type, e.aliases, e.labels, e.kb, e.article_id, a.outlet "
        f"FROM entities e JOIN articles a ON a.id = e.article_id WHERE e.id IN {ids} "
        "ORDER BY a.seq, e.rowid",
        [members],
    )
    if not rows and corpus is None:
        return None
    aliases = sorted({alias for r in rows for alias in _tuple(r["aliases"])}
                     | set(_tuple(corpus["aliases"]) if corpus else ()))
    labels = sorted({label for r in rows for label in _tuple(r["labels"])}
                    | set(_tuple(corpus["labels"]) if corpus else ()))
    kb: dict[str, Any] = _kb(corpus["kb"]) if corpus else {}
    for r in rows:
        kb = kb or _kb(r["kb"])
    name = corpus["name"] if corpus else rows[0]["name"]
    kind = corpus["type"] if corpus else rows[0]["type"]
    mention_count = _count(db, f"SELECT count(*) FROM mentions WHERE entity_id IN {ids}", [members])
    mentions = tuple(
        MentionContext(**r)
        for r in _rows(
            db,
            'SELECT m.article_id AS article, m."start", m."end", m.text, '
            f'substr(a.text, greatest(m."start" - {CONTEXT_CHARS}, 0) + 1, '
            f'm."start" - greatest(m."start" - {CONTEXT_CHARS}, 0)) AS before, '
            f'substr(a.text, m."end" + 1, {CONTEXT_CHARS}) AS after, '
            "a.outlet, a.title AS article_title "
            f"FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.entity_id IN {ids} "
            'ORDER BY a.seq, m."start" LIMIT ?',
            [members, MAX_MENTIONS],
        )
    )
    # The reader's titles, plus the naming step's labels ("regime", "the reclusive leader") when linked.
    labelled = f"SELECT a.outlet, coalesce(e.labels, []) AS labels, e.article_id FROM entities e " \
               f"JOIN articles a ON a.id = e.article_id WHERE e.id IN {ids}"
    label_params: list[Any] = [members]
    if "naming" in table_names(db):
        labelled += " UNION ALL SELECT n.outlet, coalesce(n.labels, []), n.article_id FROM naming n " \
                    "WHERE n.entity_id IN (SELECT unnest(?::VARCHAR[]))"
        label_params.append([*members, entity_id])
    naming_labels = (
        "labels AS (SELECT outlet, list_sort(list_distinct(flatten(list(labels)))) AS labels, "
        f"  count(DISTINCT article_id) AS articles FROM ({labelled}) GROUP BY outlet) "
    )
    naming = tuple(
        OutletNames(
            outlet=r["outlet"], names=_tuple(r["names"]), labels=_tuple(r["labels"]),
            articles=int(r["articles"]),
        )
        for r in _rows(
            db,
            "WITH names AS (SELECT a.outlet, list_sort(list_distinct(list(m.text))) AS names "
            f"  FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.entity_id IN {ids} "
            f"  GROUP BY a.outlet), {naming_labels}"
            "SELECT l.outlet, coalesce(n.names, []) AS names, l.labels, l.articles "
            "FROM labels l LEFT JOIN names n ON n.outlet IS NOT DISTINCT FROM l.outlet "
            "ORDER BY l.outlet NULLS LAST",
            [members, *label_params],
        )
    )
    quotes = tuple(_quote(r) for r in _rows(
        db,
        f"{_QUOTE_SQL} WHERE q.speaker IN {ids} OR len(list_intersect(coalesce(q.speakers, []), ?::VARCHAR[])) > 0 "
        'ORDER BY a.seq, q."start", q.id',
        [members, members],
    ))
    about = tuple(_quote(r) for r in _rows(
        db,
        f"{_QUOTE_SQL} WHERE (q.speaker IS NULL OR q.speaker NOT IN {ids}) AND EXISTS (SELECT 1 FROM mentions m "
        f'WHERE m.article_id = q.article_id AND m.entity_id IN {ids} AND m."start" >= q."start" '
        'AND m."end" <= q."end") ORDER BY a.seq, q."start", q.id LIMIT ?',
        [members, members, MAX_MENTIONS],
    ))
    events = tuple(_event(r) for r in _rows(
        db,
        f"{_EVENT_SQL} WHERE v.actor IN {ids} OR v.target IN {ids} OR v.place IN {ids} "
        'ORDER BY v.date NULLS LAST, a.seq, v."start", v.id',
        [members, members, members],
    ))
    return EntityDetail(
        id=entity_id, name=name, type=kind, aliases=tuple(aliases),
        labels=tuple(labels), kb=kb, mention_count=mention_count, mentions=mentions,
        naming=naming, quotes=quotes, quotes_about=about, events=events,
    )


# --- quotes and events --------------------------------------------------------


def list_quotes(
    db: duckdb.DuckDBPyConnection,
    *,
    limit: int = 50,
    offset: int = 0,
    article: str | None = None,
    speaker: str | None = None,
    kind: str | None = None,
) -> Page[QuoteRow]:
    """Quotes in article order, optionally of one article, speaker entity or kind."""
    limit, offset = _page_args(limit, offset)
    clauses, params = _equal_filters({"q.article_id": article, "q.kind": kind})
    if speaker is not None:
        clauses.append("(q.speaker = ? OR list_contains(coalesce(q.speakers, []), ?))")
        params.extend([speaker, speaker])
    where = "WHERE " + " AND ".join(clauses) if clauses else ""
    total = _count(db, f"SELECT count(*) FROM quotes q JOIN articles a ON a.id = q.article_id {where}", params)
    rows = _rows(db, f'{_QUOTE_SQL} {where} ORDER BY a.seq, q."start", q.id LIMIT ? OFFSET ?',
                 [*params, limit, offset])
    return Page(items=tuple(_quote(r) for r in rows), total=total, limit=limit, offset=offset)


def list_events(
    db: duckdb.DuckDBPyConnection,
    *,
    limit: int = 50,
    offset: int = 0,
    article: str | None = None,
    type: str | None = None,  # noqa: A002
    entity: str | None = None,
) -> Page[EventRow]:
    """Events in article order, optionally of one article, PLOVER type or entity."""
    limit, offset = _page_args(limit, offset)
    clauses, params = _equal_filters({"v.article_id": article, "v.type": type})
    if entity is not None:
        clauses.append("? IN (v.actor, v.target, v.place)")
        params.append(entity)
    where = "WHERE " + " AND ".join(clauses) if clauses else ""
    total = _count(db, f"SELECT count(*) FROM events v JOIN articles a ON a.id = v.article_id {where}", params)
    rows = _rows(db, f'{_EVENT_SQL} {where} ORDER BY a.seq, v."start", v.id LIMIT ? OFFSET ?',
                 [*params, limit, offset])
    return Page(items=tuple(_event(r) for r in rows), total=total, limit=limit, offset=offset)


def _equal_filters(filters: dict[str, str | None]) -> tuple[list[str], list[Any]]:
    clauses = [f"{column} = ?" for column, value in filters.items() if value is not None]
    params = [value for value in filters.values() if value is not None]
    return clauses, params


# --- stories and claims (optional tables) ------------------------------------


def list_stories(
    db: duckdb.DuckDBPyConnection, *, limit: int = 50, offset: int = 0
) -> Page[StorySummary]:
    """Stories, latest first; an empty page while the store has no stories table."""
    limit, offset = _page_args(limit, offset)
    tables = table_names(db)
    if "stories" not in tables:
        return Page(items=(), total=0, limit=limit, offset=offset)
    total = _count(db, "SELECT count(*) FROM stories")
    rows = _rows(
        db,
        f"{_story_summary_sql(tables)} ORDER BY s.last_date DESC NULLS LAST, s.id LIMIT ? OFFSET ?",
        [limit, offset],
    )
    return Page(items=tuple(_story_summary(r) for r in rows), total=total, limit=limit, offset=offset)


def _story_summary_sql(tables: frozenset[str]) -> str:
    members = "story_articles" in tables
    articles = (
        "(SELECT count(*) FROM story_articles sa WHERE sa.story_id = s.id)" if members else "0"
    )
    outlets = (
        "(SELECT count(DISTINCT a.outlet) FROM story_articles sa JOIN articles a "
        "ON a.id = sa.article_id WHERE sa.story_id = s.id AND a.duplicate_of IS NULL)"
        if members else "0"
    )
    claims = "(SELECT count(*) FROM claims c WHERE c.story_id = s.id)" if "claims" in tables else "0"
    contradictions = (  # each contradiction is stored both ways: count pairs
        "(SELECT count(DISTINCT least(x.claim_id, x.other_claim_id) || '|' || "
        "greatest(x.claim_id, x.other_claim_id)) FROM contradictions x JOIN claims c ON c.id = x.claim_id "
        "WHERE c.story_id = s.id)"
        if {"claims", "contradictions"} <= tables else "0"
    )
    return (
        f"SELECT s.id, s.title, s.first_date, s.last_date, s.keywords, {articles} AS articles, "
        f"{outlets} AS outlets, {claims} AS claims, {contradictions} AS contradictions "
        "FROM stories s"
    )


def _story_summary(row: dict[str, Any]) -> StorySummary:
    return StorySummary(
        id=row["id"], title=row["title"] or "", first_date=_date_str(row["first_date"]),
        last_date=_date_str(row["last_date"]), keywords=_tuple(row["keywords"]),
        articles=int(row["articles"]), outlets=int(row["outlets"]), claims=int(row["claims"]),
        contradictions=int(row["contradictions"]),
    )


def _date_str(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def get_story(db: duckdb.DuckDBPyConnection, story_id: str) -> StoryDetail | None:
    """One story: its articles, claims, events timeline and quotes."""
    tables = table_names(db)
    if "stories" not in tables:
        return None
    rows = _rows(db, f"{_story_summary_sql(tables)} WHERE s.id = ?", [story_id])
    if not rows:
        return None
    summary = _story_summary(rows[0])
    articles: tuple[ArticleSummary, ...] = ()
    events: tuple[EventRow, ...] = ()
    quotes: tuple[QuoteRow, ...] = ()
    if "story_articles" in tables:
        members = "SELECT article_id FROM story_articles WHERE story_id = ?"
        articles = tuple(_article_summaries(
            db, f"WHERE a.id IN ({members})", [story_id], "a.published NULLS LAST, a.seq"
        ))
        events = tuple(_event(r) for r in _rows(
            db, f"{_EVENT_SQL} WHERE v.article_id IN ({members}) "
            'ORDER BY v.date NULLS LAST, a.seq, v."start", v.id',
            [story_id],
        ))
        quotes = tuple(_quote(r) for r in _rows(
            db, f"{_QUOTE_SQL} WHERE q.article_id IN ({members}) "
            'ORDER BY speaker_name NULLS LAST, q.speaker_text, a.seq, q."start"',
            [story_id],
        ))
    claims = list_claims(db, story=story_id, limit=MAX_LIMIT).items
    return StoryDetail(
        id=summary.id, title=summary.title, first_date=summary.first_date,
        last_date=summary.last_date, keywords=summary.keywords, outlets=summary.outlets,
        articles=articles, claims=claims, events=events, quotes=quotes,
    )


def list_claims(
    db: duckdb.DuckDBPyConnection,
    *,
    limit: int = 50,
    offset: int = 0,
    story: str | None = None,
    article: str | None = None,
) -> Page[ClaimRow]:
    """Claims with their mentions and contradictions; empty while there is no claims table."""
    limit, offset = _page_args(limit, offset)
    tables = table_names(db)
    if "claims" not in tables:
        return Page(items=(), total=0, limit=limit, offset=offset)
    clauses, params = _equal_filters({"c.story_id": story})
    if article is not None:
        if "claim_mentions" not in tables:
            return Page(items=(), total=0, limit=limit, offset=offset)
        clauses.append("c.id IN (SELECT claim_id FROM claim_mentions WHERE article_id = ?)")
        params.append(article)
    where = "WHERE " + " AND ".join(clauses) if clauses else ""
    total = _count(db, f"SELECT count(*) FROM claims c {where}", params)
    rows = _rows(
        db,
        "SELECT c.id, c.story_id AS story, c.summary, c.outlets, c.kind FROM claims c "
        f"{where} ORDER BY c.outlets DESC, c.id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    ids = [r["id"] for r in rows]
    mentions: dict[str, list[ClaimMentionRow]] = {}
    contradicts: dict[str, list[ContradictionRow]] = {}
    if ids and "claim_mentions" in tables:
        for r in _rows(
            db,
            'SELECT m.claim_id AS claim, m.article_id AS article, m."start", m."end", m.text, '
            "m.outlet FROM claim_mentions m LEFT JOIN articles a ON a.id = m.article_id "
            'WHERE m.claim_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY a.seq, m."start"',
            [ids],
        ):
            mentions.setdefault(r["claim"], []).append(ClaimMentionRow(**r))
    if ids and "contradictions" in tables:
        for claim, other, reason, kind in db.execute(
            "SELECT claim_id, other_claim_id, reason, kind FROM contradictions "
            "WHERE claim_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY claim_id, other_claim_id",
            [ids],
        ).fetchall():
            contradicts.setdefault(claim, []).append(
                ContradictionRow(claim=other, reason=reason or "", kind=kind or "other")
            )
    items = tuple(
        ClaimRow(
            id=r["id"], story=r["story"], summary=r["summary"] or "", outlets=int(r["outlets"] or 0),
            kind=r["kind"] or "event", mentions=tuple(mentions.get(r["id"], ())),
            contradicts=tuple(contradicts.get(r["id"], ())),
        )
        for r in rows
    )
    return Page(items=items, total=total, limit=limit, offset=offset)


def story_document(db: duckdb.DuckDBPyConnection, story_id: str) -> dict[str, Any] | None:
    """The slice of analysis.json one story's view needs, read from the store.

    Same shape as analysis.json (``stories`` with this one story, its
    ``articles`` without text, and the ``claims``, ``events``, ``quotes``,
    ``entities``, ``naming`` and ``omissions`` about it), so
    :func:`parallax.report.story.build_story` draws the web app's story
    exactly as report.html draws it. Entity ids are corpus ids when the
    store has them, as in analysis.json. None if there is no such story.
    """
    tables = table_names(db)
    if not {"stories", "story_articles"} <= tables:
        return None
    rows = _rows(db, "SELECT id, title, first_date, last_date, keywords FROM stories WHERE id = ?", [story_id])
    if not rows:
        return None
    members = [r[0] for r in db.execute(
        "SELECT article_id FROM story_articles WHERE story_id = ? ORDER BY rowid", [story_id]).fetchall()]
    story = {**rows[0], "keywords": list(_tuple(rows[0]["keywords"])), "articles": members,
             "first_date": _date_str(rows[0]["first_date"]), "last_date": _date_str(rows[0]["last_date"])}
    in_story = "(SELECT unnest(?::VARCHAR[]))"
    articles = _rows(db, "SELECT id, title, outlet, published, duplicate_of FROM articles "
                     f"WHERE id IN {in_story} ORDER BY seq", [members])
    linked = {"corpus_entities", "entity_links"} <= tables and _count(db, "SELECT count(*) FROM entity_links") > 0
    to_corpus: dict[str, str] = {}
    if linked:
        to_corpus = dict(db.execute(
            "SELECT l.article_entity_id, l.entity_id FROM entity_links l JOIN entities e "
            f"ON e.id = l.article_entity_id WHERE e.article_id IN {in_story}", [members]).fetchall())

    def corpus(value: str | None) -> str | None:
        return to_corpus.get(value, value) if value else value

    entities: dict[str, dict[str, Any]] = {}
    for e in _rows(db, "SELECT id, name, type, aliases, labels, kb FROM entities "
                   f"WHERE article_id IN {in_story} ORDER BY rowid", [members]):
        key = corpus(e["id"]) or e["id"]
        entities.setdefault(key, {"id": key, "name": e["name"], "type": e["type"],
                                  "aliases": list(_tuple(e["aliases"])), "labels": list(_tuple(e["labels"])),
                                  "kb": _kb(e["kb"]), "mentions": []})
    if linked and to_corpus:
        for e in _rows(db, "SELECT id, name, type, aliases, labels, kb FROM corpus_entities "
                       f"WHERE id IN {in_story}", [sorted(set(to_corpus.values()))]):
            entities[e["id"]] = {"id": e["id"], "name": e["name"], "type": e["type"],
                                 "aliases": list(_tuple(e["aliases"])), "labels": list(_tuple(e["labels"])),
                                 "kb": _kb(e["kb"]), "mentions": []}
    for entity_id, article, start, end, text in db.execute(
        'SELECT entity_id, article_id, "start", "end", text FROM mentions '
        f'WHERE article_id IN {in_story} ORDER BY article_id, "start"', [members]).fetchall():
        key = corpus(entity_id) or entity_id
        if key in entities:
            entities[key]["mentions"].append({"article": article, "start": start, "end": end, "text": text})
    quotes = []
    for r in _rows(db, f'{_QUOTE_SQL} WHERE q.article_id IN {in_story} ORDER BY a.seq, q."start"', [members]):
        quotes.append({**r, "speaker": corpus(r["speaker"]),
                       "speakers": sorted({corpus(x) or x for x in _tuple(r["speakers"])})})
    events = []
    for r in _rows(db, f'{_EVENT_SQL} WHERE v.article_id IN {in_story} ORDER BY a.seq, v."start"', [members]):
        events.append({**r, "actor": corpus(r["actor"]), "target": corpus(r["target"]),
                       "place": corpus(r["place"])})
    claims = [_claim_dict(c) for c in list_claims(db, story=story_id, limit=MAX_LIMIT).items]
    known = {c["id"] for c in claims}
    others = sorted({x["claim"] for c in claims for x in c["contradicts"]} - known)
    if others and "claim_mentions" in tables:
        for claim_id, summary, outlets, kind in db.execute(
            f"SELECT id, summary, outlets, kind FROM claims WHERE id IN {in_story}", [others]).fetchall():
            mentions = _rows(db, 'SELECT article_id AS article, "start", "end", text, outlet FROM claim_mentions '
                             'WHERE claim_id = ? ORDER BY rowid', [claim_id])
            claims.append({"id": claim_id, "story": None, "summary": summary, "outlets": outlets,
                           "kind": kind, "mentions": mentions, "contradicts": []})
    naming = []
    if "naming" in tables:
        spans: dict[tuple[str, str], list[dict[str, Any]]] = {}
        if "naming_spans" in tables:
            for e, a, label, start, end, text in db.execute(
                'SELECT n.entity_id, n.article_id, n.label, n."start", n."end", '
                'substr(t.text, n."start" + 1, n."end" - n."start") '
                f'FROM naming_spans n JOIN articles t ON t.id = n.article_id WHERE n.article_id IN {in_story} '
                'ORDER BY n.article_id, n."start", n."end", n.label', [members]).fetchall():
                spans.setdefault((e, a), []).append(
                    {"article": a, "start": start, "end": end, "text": text, "label": label})
        naming = [{"entity": e, "outlet": o, "article": a, "labels": list(_tuple(lb)),
                   "spans": spans.get((e, a), [])}
                  for e, o, a, lb in db.execute(
                      f"SELECT entity_id, outlet, article_id, labels FROM naming WHERE article_id IN {in_story} "
                      "ORDER BY rowid", [members]).fetchall()]
    omissions: dict[str, dict[str, list[str]]] = {}
    if "omissions" in tables:
        for outlet, claim_id in db.execute(
            "SELECT outlet, claim_id FROM omissions WHERE story_id = ? ORDER BY rowid", [story_id]).fetchall():
            omissions.setdefault(story_id, {}).setdefault(outlet, []).append(claim_id)
    return {"stories": [story], "articles": articles, "claims": claims, "events": events, "quotes": quotes,
            "entities": list(entities.values()), "naming": naming, "omissions": omissions}


def _claim_dict(claim: ClaimRow) -> dict[str, Any]:
    return {
        "id": claim.id, "story": claim.story, "summary": claim.summary, "outlets": claim.outlets,
        "kind": claim.kind,
        "mentions": [{"article": m.article, "start": m.start, "end": m.end, "text": m.text, "outlet": m.outlet}
                     for m in claim.mentions],
        "contradicts": [{"claim": x.claim, "reason": x.reason, "kind": x.kind} for x in claim.contradicts],
    }


# --- search -----------------------------------------------------------------

SEARCH_KINDS = ("article", "entity", "quote")


def search_terms(query: str) -> list[str]:
    """Split a query into at most MAX_TERMS lowercase terms (all must match)."""
    words = query[:MAX_QUERY_CHARS].lower().split()
    return list(dict.fromkeys(words))[:MAX_TERMS]


def search(
    db: duckdb.DuckDBPyConnection,
    query: str,
    *,
    limit: int = 50,
    offset: int = 0,
    kinds: Sequence[str] = SEARCH_KINDS,
) -> Page[SearchHit]:
    """Find articles (title or text), entities (name or alias) and quotes containing every term.

    Matching is case-insensitive substring matching with ``contains``: no
    pattern syntax, so ``%``, ``_`` and backslashes in a query are literal.
    Results come by kind (articles, then entities, then quotes), each in
    store order.
    """
    limit, offset = _page_args(limit, offset)
    terms = search_terms(query)
    kinds = [k for k in SEARCH_KINDS if k in kinds]
    if not terms or not kinds:
        return Page(items=(), total=0, limit=limit, offset=offset)

    def every(expression: str) -> tuple[str, list[str]]:
        return " AND ".join(f"contains({expression}, ?)" for _ in terms), list(terms)

    parts: list[str] = []
    params: list[Any] = []
    if "article" in kinds:
        cond, p = every("lower(coalesce(a.title, '') || ' ' || a.text)")
        parts.append(
            "SELECT 0 AS rank, a.seq AS ord, 'article' AS kind, a.id, a.id AS article, "
            "coalesce(a.title, '') AS label, a.text AS haystack, a.title AS title "
            f"FROM articles a WHERE {cond}"
        )
        params += p
    if "entity" in kinds:
        cond, p = every("lower(g.name || ' ' || array_to_string(g.aliases, ' '))")
        parts.append(
            "SELECT 1 AS rank, g.ord AS ord, 'entity' AS kind, g.id AS id, NULL AS article, "
            "g.name AS label, g.name || CASE WHEN len(g.aliases) > 0 THEN ' (' || "
            "array_to_string(g.aliases, ', ') || ')' ELSE '' END AS haystack, NULL AS title "
            "FROM (SELECT id, arg_min(name, rowid) AS name, min(rowid) AS ord, "
            "list_sort(list_distinct(flatten(list(coalesce(aliases, []))))) AS aliases "
            f"FROM entities GROUP BY id) g WHERE {cond}"
        )
        params += p
    if "quote" in kinds:
        cond, p = every("lower(q.text || ' ' || coalesce(q.speaker_text, ''))")
        parts.append(
            "SELECT 2 AS rank, a.seq * 1000000000 + q.\"start\" AS ord, 'quote' AS kind, "
            "q.id AS id, q.article_id AS article, coalesce(q.speaker_text, '') AS label, "
            "q.text AS haystack, NULL AS title "
            f"FROM quotes q JOIN articles a ON a.id = q.article_id WHERE {cond}"
        )
        params += p
    union = " UNION ALL ".join(parts)
    total = _count(db, f"SELECT count(*) FROM ({union})", params)
    rows = db.execute(
        f"SELECT kind, id, article, label, haystack, title FROM ({union}) "
        "ORDER BY rank, ord, id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    ).fetchall()
    hits = []
    for kind, hit_id, article, label, haystack, title in rows:
        text = haystack or ""
        snippet, start, end = _snippet(text, terms)
        if kind == "article" and start == end and title:
            snippet, start, end = _snippet(title, terms)  # matched in the title only
        hits.append(SearchHit(
            kind=kind, id=hit_id, article=article, label=label or "", snippet=snippet,
            match_start=start, match_end=end,
        ))
    return Page(items=tuple(hits), total=total, limit=limit, offset=offset)


def _snippet(text: str, terms: Sequence[str]) -> tuple[str, int, int]:
    """Return a window of ``text`` around the first term found, and where it is."""
    lowered = text.lower()
    for term in terms:
        # Lower-casing can change lengths (e.g. "İ"); fall back to the plain head then.
        at = lowered.find(term) if len(lowered) == len(text) else -1
        if at >= 0:
            left = max(0, at - CONTEXT_CHARS)
            right = min(len(text), at + len(term) + CONTEXT_CHARS)
            return text[left:right], at - left, at - left + len(term)
    return text[: 2 * CONTEXT_CHARS], 0, 0
