"""Read the few facts an HTML page states about itself in its head.

Extraction proper (trafilatura) is a pipeline stage; here we only pick up
what the reader needs to label a document: the canonical URL and the declared
language. Plain regular expressions over the head keep this linear-time and
tolerant of truncated or broken markup.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

__all__ = ["find_canonical_url", "find_declared_language", "is_html_text", "visible_text"]

_HEAD_LIMIT = 1_000_000
_TAG = re.compile(r"<(link|meta)\b([^<>]{0,2000})>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_HEAD_END = re.compile(r"</head\s*>|<body\b", re.IGNORECASE)
_HTML_LANG = re.compile(
    r"""<html\b[^>]{0,2000}?\blang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)""",
    re.IGNORECASE,
)
_HTML_START = re.compile(
    r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)
# Both stop at the next "<", so a page full of stray "<" stays linear-time.
_ANY_TAG = re.compile(r"<[^<>]*>")
_SCRIPT_OR_STYLE = re.compile(r"<(/?)(?:script|style)\b[^<>]*>", re.IGNORECASE)
_HTML_TAGS = re.compile(r"<(?:p|div|br|span|a|h[1-6]|article|section|table|ul|li)\b[^>]*>", re.I)


def find_canonical_url(page: str, base: str | None = None) -> str | None:
    """Return the page's ``<link rel=canonical>`` or ``og:url``, made absolute against ``base``."""
    canonical = og_url = None
    for match in _TAG.finditer(_head(page)):
        attributes = _attributes(match.group(2))
        if (
            match.group(1).lower() == "link"
            and "canonical" in attributes.get("rel", "").lower().split()
        ):
            canonical = canonical or attributes.get("href")
        elif attributes.get("property", attributes.get("name", "")).lower() == "og:url":
            og_url = og_url or attributes.get("content")
    for candidate in (canonical, og_url):
        url = _absolute_http_url(candidate, base)
        if url:
            return url
    return None


def find_declared_language(page: str) -> str | None:
    """Return the ``<html lang>`` code, or ``None``."""
    match = _HTML_LANG.search(page[:10_000])
    return match.group(1).replace("_", "-") if match else None


def is_html_text(text: str) -> bool:
    """Say whether ``text`` is an HTML document or fragment rather than plain text."""
    start = text[:4096].lstrip()
    if _HTML_START.match(start):
        return True
    return len(_HTML_TAGS.findall(start)) >= 2


def visible_text(markup: str) -> str:
    """Return the words a reader would see in an HTML fragment, whitespace collapsed.

    Good enough to measure a feed summary; real extraction is a later stage.
    """
    text = _ANY_TAG.sub(" ", _drop_scripts(markup))
    return " ".join(html.unescape(text).split())


def _drop_scripts(markup: str) -> str:
    """Cut ``<script>``/``<style>`` blocks in one pass (an unclosed one runs to the end)."""
    kept: list[str] = []
    position = 0
    inside = False
    for tag in _SCRIPT_OR_STYLE.finditer(markup):
        closing = tag.group(1) == "/"
        if not inside and not closing:
            kept.append(markup[position : tag.start()])
            inside = True
        elif inside and closing:
            position = tag.end()
            inside = False
    if not inside:
        kept.append(markup[position:])
    return " ".join(kept)


def _head(page: str) -> str:
    end = _HEAD_END.search(page, 0, _HEAD_LIMIT)
    return page[: end.start() if end else _HEAD_LIMIT]


def _attributes(source: str) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for name, value in _ATTRIBUTE.findall(source):
        if value[:1] in "\"'":
            value = value[1:-1]
        attributes.setdefault(name.lower(), html.unescape(value).strip())
    return attributes


def _absolute_http_url(candidate: str | None, base: str | None) -> str | None:
    if not candidate:
        return None
    try:
        url = urljoin(base, candidate) if base else candidate
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url
    return None
