"""Plain typed records that every stage, the store and the report share.

All records are frozen: a stage returns a new record built with
``dataclasses.replace`` and never mutates the one it received. Offsets are
half-open ``str`` indices into ``Article.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
    extra: dict[str, list] = field(default_factory=dict)  # later sections
