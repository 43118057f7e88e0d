"""Plain typed records that every stage, the store and the report share.

All records are frozen: a stage returns a new record built with
``dataclasses.replace`` and never mutates the one it received. Offsets are
half-open ``str`` indices into ``Article.text``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceDocument:
    """One document as read from an input, before any cleaning.

    ``input`` is the path or URL exactly as the user gave it; for containers
    holding several documents (JSONL, feeds, WARC) a locator such as
    ``"feed.xml#item=3"`` or ``"dump.jsonl#line=12"`` is appended so every
    article can be traced to the record it came from.
    """

    input: str
    format: str  # "txt", "html", "json", "jsonl", "rss", "warc", "url"
    html: str | None = None
    text: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None  # ISO 8601 date (YYYY-MM-DD) when known
    language: str | None = None  # declared by the source, if any
    notes: tuple[str, ...] = ()  # e.g. "decoded as windows-1252"


@dataclass(frozen=True, slots=True, kw_only=True)
class InputFailure:
    """An input (or one record inside it) that could not become an article."""

    input: str
    error: str
    stage: str = "read"


@dataclass(frozen=True, slots=True, kw_only=True)
class Removed:
    """A piece of text the cleaner cut, kept so a user can see what and why.

    ``at`` is the offset in the cleaned ``Article.text`` where the piece stood.
    """

    text: str
    reason: str
    at: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """One place in an article's text that names an entity."""

    article: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """A person, organisation, place, group… as named within one article.

    Cross-article merging (one entity per real-world thing) happens later and
    keeps every alias and mention.
    """

    id: str  # "ent_" + hash(article, type, canonical name)
    name: str  # the fullest name used in the article
    type: str  # PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, …
    aliases: tuple[str, ...] = ()  # other names for it in the text (surname, acronym, variant)
    mentions: tuple[Mention, ...] = ()
    labels: tuple[str, ...] = ()  # roles and titles written with it ("Foreign Minister")
    kb: Mapping[str, Any] = field(default_factory=dict)  # e.g. {"geonames": 703448, "lat": …}


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    """Something someone said, with the span, the cue and the speaker."""

    id: str  # "quo_" + hash(article, start, end)
    article: str
    start: int
    end: int
    text: str  # the quoted content (for direct quotes: without the quote marks)
    kind: str  # direct, partial, indirect, block, embedded-post, statement
    cue: str | None = None  # reporting verb or marker ("said", "according to", ":")
    cue_start: int | None = None
    cue_end: int | None = None
    speaker: str | None = None  # entity id
    speaker_text: str | None = None  # the words naming the speaker where the quote is attributed
    speaker_start: int | None = None
    speaker_end: int | None = None
    speakers: tuple[str, ...] = ()  # entity ids of every member of a joint statement


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeExpression:
    """A date expression and the calendar date it resolves to."""

    article: str
    start: int
    end: int
    text: str  # as written: "on Friday", "March 3", "last week"
    value: str | None  # ISO: "2024-03-08", "2024-03", "2024", "2024-W10"; None if unresolvable
    inferred: bool = False  # anchored on the article's own dates, not a known publication date
    anchor: str | None = None  # the ISO date it was resolved against


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Who did what to whom, where and when (PLOVER event types)."""

    id: str  # "evt_" + hash(article, start, end, type)
    article: str
    start: int  # the sentence or clause
    end: int
    type: str  # PLOVER: AGREE, CONSULT, SUPPORT, CONCEDE, COOPERATE, AID, RETREAT, REQUEST,
    #            ACCUSE, REJECT, THREATEN, PROTEST, SANCTION, MOBILIZE, COERCE, ASSAULT
    trigger: str  # the verb or noun that signals it
    trigger_start: int
    trigger_end: int
    actor: str | None = None  # entity id if resolved, else the text
    actor_text: str | None = None
    target: str | None = None
    target_text: str | None = None
    place: str | None = None  # entity id (a place entity carrying coordinates in kb)
    place_text: str | None = None
    date: str | None = None  # ISO value of the event's time expression
    date_text: str | None = None
    date_inferred: bool = False
    quote: str | None = None  # the quote id, for speech acts with a quote
    negated: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """A cleaned article; every later offset points into ``text``."""

    id: str
    input: str
    format: str
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    language: str | None = None
    language_score: float | None = None
    removed: tuple[Removed, ...] = ()
    flags: tuple[str, ...] = ()
    duplicate_of: str | None = None
    notes: tuple[str, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    dates: tuple[TimeExpression, ...] = ()
    html: str | None = None  # raw page; dropped once text is extracted
    stamps: tuple[tuple[str, str], ...] = ()  # (stage name, fingerprint) applied


@dataclass(frozen=True, slots=True, kw_only=True)
class Rejection:
    """A document a stage could not process; becomes an entry in ``errors``."""

    article_id: str
    input: str
    stage: str
    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysis:
    """Everything one ``analyze`` produced: the typed twin of analysis.json."""

    articles: tuple[Article, ...] = ()
    errors: tuple[InputFailure, ...] = ()
    out_dir: str | None = None
    links: Any = None  # crossdoc.link.Links: stories, merged entities, claims, naming


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    """Articles about the same story; the id stays stable as the story grows."""

    id: str  # "sto_" + hash(earliest member article id)
    title: str
    articles: tuple[str, ...]
    first_date: str | None = None  # ISO date of the earliest dated member
    last_date: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimMention:
    """One article making a claim: the sentence or clause, with its outlet."""

    article: str
    start: int
    end: int
    text: str
    outlet: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Contradiction:
    """Why two claims cannot both be true, in words a person can check."""

    claim: str  # the other claim's id
    reason: str  # "dates differ: 2024-03-12 vs 2024-03-13"
    kind: str = "other"  # date, weekday, number, place, actor, target, negation, other


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """A check-worthy atomic claim, aligned across the articles of a story."""

    id: str  # "clm_" + hash(story, first mention)
    story: str
    summary: str
    mentions: tuple[ClaimMention, ...]
    outlets: int  # independent outlets: duplicates and syndicated copies count once
    contradicts: tuple[Contradiction, ...] = ()
    kind: str = "event"  # event, number, statement


@dataclass(frozen=True, slots=True, kw_only=True)
class LabelSpan:
    """Where an article uses one naming label: the words themselves, so a reader can check them."""

    label: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Naming:
    """The words one outlet uses for one entity in one article.

    ``spans`` holds every place a label was found, in text order (empty for
    records made before spans were kept).
    """

    entity: str
    outlet: str | None
    article: str
    labels: tuple[str, ...]
    spans: tuple[LabelSpan, ...] = ()
