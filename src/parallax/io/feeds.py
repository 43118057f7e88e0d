"""Read articles from RSS and Atom feeds with feedparser.

Many feeds carry only a teaser per item. Such an item is reported as an
``InputFailure`` telling the user to fetch the item's link, rather than
passed on as a three-line "article".
"""

from __future__ import annotations

import codecs
import io
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import feedparser  # type: ignore[import-untyped]

from parallax.io.dates import to_iso_date
from parallax.io.jsondocs import TEASER_MAX_CHARS
from parallax.io.markup import is_html_text, visible_text
from parallax.records import InputFailure, SourceDocument

__all__ = ["is_feed_root", "parse_feed", "root_element"]

Outcome = SourceDocument | InputFailure

_FEED_ROOTS = frozenset({"rss", "feed", "rdf"})
_ROOT = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!doctype[^>]*>\s*|<\?[^>]*>\s*)*<([A-Za-z_][\w.:-]*)",
    re.IGNORECASE | re.DOTALL,
)
_SAX_LOCATION = re.compile(r"^<[^>]*>:(\d+):(\d+):\s*")
_TRUNCATED_ENDINGS = (
    "...",
    "\u2026",
    "read more",
    "read more.",
    "continue reading",
    "continue reading.",
)


def root_element(text: str) -> str | None:
    """Return the name of the first element of an XML/HTML document, e.g. ``"rss"``."""
    match = _ROOT.match(text[:4096])
    return match.group(1) if match else None


def is_feed_root(name: str | None) -> bool:
    """Say whether a root element name is that of an RSS, RDF or Atom feed."""
    return name is not None and name.split(":")[-1].lower() in _FEED_ROOTS


def parse_feed(data: bytes, label: str, notes: tuple[str, ...] = ()) -> Iterator[Outcome]:
    """Yield one document per feed item that carries article content (locator ``#item=N``)."""
    # A file object, never bytes or str: feedparser would open a string that names a path.
    try:
        parsed = feedparser.parse(io.BytesIO(data))
    except (ValueError, OverflowError) as error:  # e.g. "&#x110000;": feedparser cannot encode it
        yield InputFailure(input=label, error=f"feed could not be parsed: {error}")
        return
    entries = parsed.get("entries") or []
    if not entries:
        yield InputFailure(input=label, error=_why_no_entries(parsed, data))
        return
    feed = parsed.get("feed") or {}
    if parsed.get("bozo"):
        notes = (
            *notes,
            f"feed is not well-formed ({_parser_message(parsed, data)}); read leniently",
        )
    context = _FeedContext(
        outlet=_clean(feed.get("title")), language=_clean(feed.get("language")), notes=notes
    )
    for number, entry in enumerate(entries, start=1):
        yield _entry_outcome(entry, f"{label}#item={number}", context)


@dataclass(frozen=True, slots=True)
class _FeedContext:
    """What every item of one feed shares."""

    outlet: str | None
    language: str | None
    notes: tuple[str, ...]


def _entry_outcome(entry: Mapping[str, Any], label: str, context: _FeedContext) -> Outcome:
    body = _entry_body(entry)
    if isinstance(body, str):
        link = entry.get("link")
        hint = f"; fetch its link instead: {link}" if link else ""
        return InputFailure(input=label, error=body + hint)
    html, text = body
    return SourceDocument(
        input=label,
        format="rss",
        html=html,
        text=text,
        url=_clean(entry.get("link")),
        title=_clean(visible_text(entry.get("title") or "")),
        outlet=context.outlet,
        authors=_authors(entry),
        published=_published(entry),
        language=context.language,
        notes=context.notes,
    )


def _entry_body(entry: Mapping[str, Any]) -> tuple[str | None, str | None] | str:
    """Return ``(html, text)`` of the item's article, or why it has none.

    Full-content elements (``content:encoded``, Atom ``content``) are taken
    at any length; a bare summary only when it is longer than a teaser.
    """
    contents = [c for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    if contents:
        best = max(contents, key=lambda c: len(visible_text(c.get("value", ""))))
        if visible_text(best["value"]):
            return _html_or_text(best["value"], best.get("type", ""))
    summary = entry.get("summary") or ""
    length = len(visible_text(summary))
    if length == 0:
        return "feed item has no content or summary"
    if length <= TEASER_MAX_CHARS or _looks_truncated(summary):
        return f"feed item has only a {length}-character summary, no article content"
    summary_type = (entry.get("summary_detail") or {}).get("type", "")
    return _html_or_text(summary, summary_type)


def _html_or_text(value: str, content_type: str) -> tuple[str | None, str | None]:
    if "html" in content_type.lower() and is_html_text(value):
        return value, None
    if "html" in content_type.lower():
        return None, visible_text(value)
    return None, value.strip()


def _looks_truncated(summary: str) -> bool:
    """A summary cut off with "…" or "Read more" is a teaser whatever its length."""
    return visible_text(summary).lower().rstrip(" >\u00bb]").endswith(_TRUNCATED_ENDINGS)


def _published(entry: Mapping[str, Any]) -> str | None:
    """Prefer the date as written (the outlet's own calendar day) over feedparser's UTC."""
    for key in ("published", "updated", "created"):
        iso = to_iso_date(entry.get(key))
        if iso:
            return iso
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if isinstance(parsed, time.struct_time):
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
    return None


def _authors(entry: Mapping[str, Any]) -> tuple[str, ...]:
    names = [_clean(a.get("name")) for a in entry.get("authors") or [] if isinstance(a, Mapping)]
    if not any(names):
        names = [_clean(entry.get("author"))]
    return tuple(dict.fromkeys(n for n in names if n))


def _why_no_entries(parsed: Mapping[str, Any], data: bytes) -> str:
    if parsed.get("bozo"):
        return f"malformed feed: {_parser_message(parsed, data)}"
    if not parsed.get("version"):
        root = root_element(data[:4096].decode("latin-1"))
        found = f" (root element <{root}>)" if root else ""
        sitemap = "; it is a sitemap: pass the article URLs instead" if root == "urlset" else ""
        return f"not an RSS or Atom feed{found}{sitemap}"
    return "feed has no items"


def _parser_message(parsed: Mapping[str, Any], data: bytes) -> str:
    """Turn ``<unknown>:5:2: mismatched tag`` into ``line 5, column 2: mismatched tag``."""
    error = parsed.get("bozo_exception")
    message = str(error) if error else "unknown error"
    location = _SAX_LOCATION.match(message)
    if location:
        line, column = (int(number) for number in location.groups())
        if not data.removeprefix(codecs.BOM_UTF8).startswith(b"<?xml"):
            line -= 1  # feedparser put an XML declaration line in front of the document
        message = f"line {max(line, 1)}, column {column}: {message[location.end() :]}"
    return message


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None
