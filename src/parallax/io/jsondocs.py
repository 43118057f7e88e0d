"""Read articles from JSON and JSON Lines exports of common news tools.

Field names follow news-please (``maintext``, ``date_publish``,
``source_domain``…), newspaper3k/4k (``text``, ``publish_date``,
``source_url``, ``meta_lang``…), NewsAPI, WordPress's REST API and plain
generic names (``body``, ``content``, ``headline``…). Names are matched
case-insensitively; the first listed name that holds a value wins.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

from parallax.io.dates import to_iso_date
from parallax.io.markup import is_html_text, visible_text
from parallax.records import InputFailure, SourceDocument

__all__ = ["TEASER_MAX_CHARS", "parse_json", "parse_jsonl", "to_document"]

Outcome = SourceDocument | InputFailure
T = TypeVar("T")

# A summary up to this long is a teaser, not an article.
TEASER_MAX_CHARS = 400

_TEXT_FIELDS = (
    "maintext", "text", "body", "content", "article", "article_text", "articlebody",
    "full_text", "fulltext", "bodytext",
)  # fmt: skip
_HTML_FIELDS = ("html", "raw_html", "content_html", "body_html", "article_html")
_TITLE_FIELDS = ("title", "headline", "title_page", "title_rss", "webtitle")
_DATE_FIELDS = (
    "date_publish", "publish_date", "published", "published_at", "publishedat", "pubdate",
    "datepublished", "date_published", "pub_date", "date",
)  # fmt: skip
_URL_FIELDS = ("url", "canonical_link", "canonical_url", "link", "weburl")
_OUTLET_FIELDS = (
    "outlet", "source_name", "site_name", "sitename", "publisher", "source", "source_domain",
    "domain",
)  # fmt: skip
_AUTHOR_FIELDS = ("authors", "author", "byline", "creator", "creators")
_LANGUAGE_FIELDS = ("language", "lang", "meta_lang", "inlanguage", "locale")
_DESCRIPTION_FIELDS = ("description", "summary", "excerpt", "meta_description")
_WRAPPER_FIELDS = ("articles", "items", "results", "documents", "data", "entries", "posts")
_MAX_LISTED_FIELDS = 12


def parse_json(text: str, label: str, notes: tuple[str, ...] = ()) -> Iterator[Outcome]:
    """Yield the articles in a JSON document: an object, a list, or a list under a wrapper key."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data" and text.lstrip().startswith("{"):
            note = "file holds one JSON object per line; read it as JSON Lines"
            yield from parse_jsonl(text, label, (*notes, note))
            return
        yield InputFailure(input=label, error=_describe_json_error(error, with_line=True))
        return
    except (ValueError, RecursionError) as error:  # too-long integers, absurd nesting
        yield InputFailure(input=label, error=f"malformed JSON: {error}")
        return
    if isinstance(value, dict):
        items = _wrapped_items(value)
        if items is None:
            yield to_document(value, label, "json", notes)
            return
        value = items
    if not isinstance(value, list):
        kind = _json_kind(value)
        message = f"JSON holds {kind}; expected an article object or a list of them"
        yield InputFailure(input=label, error=message)
        return
    if not value:
        yield InputFailure(input=label, error="JSON list is empty: no articles")
        return
    for number, item in enumerate(value, start=1):
        yield _item_document(item, f"{label}#item={number}", "json", notes)


def parse_jsonl(text: str, label: str, notes: tuple[str, ...] = ()) -> Iterator[Outcome]:
    """Yield one article per non-blank line; a bad line fails alone, naming its number."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{label}#line={number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            detail = _describe_json_error(error, with_line=False)
            yield InputFailure(input=where, error=f"line {number}: {detail}")
            continue
        except (ValueError, RecursionError) as error:
            yield InputFailure(input=where, error=f"line {number}: malformed JSON: {error}")
            continue
        yield _item_document(value, where, "jsonl", notes, prefix=f"line {number}: ")


def to_document(
    record: Mapping[str, Any], label: str, fmt: str, notes: tuple[str, ...] = ()
) -> Outcome:
    """Map one exported article object onto a ``SourceDocument``, or say what it lacks."""
    fields = {str(key).lower(): value for key, value in reversed(list(record.items()))}
    text_key, text = _first(fields, _TEXT_FIELDS, _text_value)
    _, html = _first(fields, _HTML_FIELDS, _text_value)
    extra_notes: list[str] = []
    if text is not None and html is None and is_html_text(text):
        html, text = text, None
        extra_notes.append(f'field "{text_key}" holds HTML; read it as HTML')
    if text is None and html is None:
        described = _text_from_description(fields, record)
        if isinstance(described, str):
            return InputFailure(input=label, error=described)
        text, note = described
        extra_notes.append(note)
    date_key, raw_date = _first(fields, _DATE_FIELDS, _raw_value)
    published = to_iso_date(raw_date)
    if raw_date is not None and published is None:
        extra_notes.append(f'could not read the date {str(raw_date)[:40]!r} in "{date_key}"')
    return SourceDocument(
        input=label,
        format=fmt,
        html=html,
        text=text,
        url=_first(fields, _URL_FIELDS, _url_value)[1],
        title=_first(fields, _TITLE_FIELDS, _name_value)[1],
        outlet=_outlet(fields),
        authors=_authors(fields),
        published=published,
        language=_first(fields, _LANGUAGE_FIELDS, _name_value)[1],
        notes=(*notes, *extra_notes),
    )


def _item_document(
    value: object, label: str, fmt: str, notes: tuple[str, ...], prefix: str = ""
) -> Outcome:
    if isinstance(value, dict):
        return to_document(value, label, fmt, notes)
    return InputFailure(
        input=label, error=f"{prefix}expected an article object, got {_json_kind(value)}"
    )


def _wrapped_items(record: dict[str, Any]) -> list[Any] | None:
    """Return the list under ``{"articles": […]}``-style wrappers when the object is no article."""
    lowered = {str(key).lower(): value for key, value in record.items()}
    if any(_text_value(lowered.get(name)) is not None for name in _TEXT_FIELDS + _HTML_FIELDS):
        return None
    for name in _WRAPPER_FIELDS:
        items = lowered.get(name)
        if isinstance(items, list) and items and all(isinstance(i, dict) for i in items):
            return items
    return None


def _text_from_description(
    fields: dict[str, Any], record: Mapping[str, Any]
) -> tuple[str, str] | str:
    """Use a long description as the text, or explain why there is no article text."""
    key, description = _first(fields, _DESCRIPTION_FIELDS, _text_value)
    length = len(visible_text(description)) if description is not None else 0
    if description is not None and length > 0:
        if length > TEASER_MAX_CHARS:
            return description, f'no article text; used the {length}-character "{key}" field'
        return f'JSON object has only a {length}-character "{key}", no article text'
    empty = [name for name in _TEXT_FIELDS + _HTML_FIELDS if name in fields]
    if empty:
        return f'JSON object has an empty "{empty[0]}" field and no other text or html'
    names = sorted(str(key) for key in record)
    listed = ", ".join(names[:_MAX_LISTED_FIELDS]) + (
        ", …" if len(names) > _MAX_LISTED_FIELDS else ""
    )
    return f"JSON object has no text or html field (fields: {listed or 'none'})"


def _first(
    fields: dict[str, Any], names: tuple[str, ...], convert: Callable[[Any], T | None]
) -> tuple[str, T | None]:
    """Return the first of ``names`` whose value converts to something, with that name."""
    for name in names:
        if name in fields:
            value = convert(fields[name])
            if value is not None:
                return name, value
    return "", None


def _raw_value(value: object) -> object | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


def _text_value(value: object) -> str | None:
    """A text field: a string, a list of paragraphs, or WordPress's ``{"rendered": …}``."""
    if isinstance(value, dict):
        value = value.get("rendered", value.get("text", value.get("value")))
    if isinstance(value, list) and value and all(isinstance(part, str) for part in value):
        value = "\n\n".join(part.strip() for part in value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _name_value(value: object) -> str | None:
    """A name-like field: a string, or an object with a ``name`` (NewsAPI's ``source``)."""
    if isinstance(value, dict):
        value = value.get("name", value.get("rendered", value.get("title")))
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _url_value(value: object) -> str | None:
    url = _name_value(value)
    return url if url and "://" in url else None


def _outlet(fields: dict[str, Any]) -> str | None:
    outlet = _first(fields, _OUTLET_FIELDS, _name_value)[1]
    home = fields.get("source_url")
    if outlet is None and isinstance(home, str):  # newspaper's link to the outlet's home page
        try:
            outlet = urlsplit(home.strip()).hostname or None
        except ValueError:
            outlet = None
    return outlet


def _authors(fields: dict[str, Any]) -> tuple[str, ...]:
    for name in _AUTHOR_FIELDS:
        value = fields.get(name)
        values = value if isinstance(value, list) else [value]
        names = [_name_value(item) for item in values]
        found = tuple(dict.fromkeys(n for n in names if n))
        if found:
            return found
    return ()


def _describe_json_error(error: json.JSONDecodeError, *, with_line: bool) -> str:
    where = f"line {error.lineno}, column {error.colno}" if with_line else f"column {error.colno}"
    return f"malformed JSON at {where}: {error.msg}"


def _json_kind(value: object) -> str:
    kinds = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return kinds.get(type(value), type(value).__name__)
