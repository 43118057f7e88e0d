"""Find the title and metadata lines that scraped text files often start with.

A typical scrape reads::

    http://www.example.com/news/greek-bank
    Three killed as rioters bomb Greek bank
    May 5, 2010

    A firebomb attack on a bank in Greece killed …

Only lines we are confident about are taken out of the body: a bare URL, a
line that is only a (labelled) date, a short ``By …`` byline, and one title
line. Anything doubtful stays in the text for the debris cleaner to judge.
Only the first few lines are looked at, so a 50 MB one-line file costs
nothing here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parallax.io.dates import match_date_line

__all__ = ["TextParts", "split_header"]

_MAX_HEADER_LINES = 10
_MAX_META_CHARS = 300
_MAX_TITLE_CHARS = 200
_MAX_TITLE_WORDS = 30
_WRAP_MIN_CHARS = 60  # a line this long followed by one of similar length is a wrapped paragraph

_URL_LINE = re.compile(r"(?:url\s*:\s*)?(https?://[^\s<>\"']+)", re.IGNORECASE)
_BYLINE = re.compile(r"by\s+(?P<names>[^\W\d_][\w.'\u2019-]*(?:[\s,]+[\w.'\u2019-]+){0,8})", re.I)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*", re.IGNORECASE)
_MARKDOWN_HEADING = re.compile(r"#{1,2}\s+(?P<title>.+?)\s*#*")
_SETEXT_UNDERLINE = re.compile(r"(?:=+|-+)")
_TITLE_BAD_ENDINGS = (".", ",", ";", ":", "-", "\u2013", "\u2014", "(")


@dataclass(frozen=True, slots=True)
class TextParts:
    """A text file split into its recognised header fields and the remaining body."""

    body: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    authors: tuple[str, ...] = ()


def split_header(text: str) -> TextParts:
    """Take a leading title, URL, date and byline off ``text`` when they are unmistakable."""
    lines = _leading_lines(text)
    found = _Found()
    consumed = 0
    index = 0
    while index < len(lines):
        line, end = lines[index]
        following = _next_content_line(lines, index + 1)
        taken = _classify(line.strip(), following, found)
        if taken is None:
            break
        if taken == "setext":  # title underlined with === or ---: skip the underline too
            index += 1
            end = lines[index][1]
        consumed = end
        index += 1
    body = text[consumed:].strip()
    if not body or found == _Found():
        return TextParts(body=text.strip())
    return TextParts(
        body=body,
        title=found.title,
        url=found.url,
        published=found.published,
        authors=found.authors,
    )


@dataclass(slots=True)
class _Found:
    """Header fields recognised so far (mutable while scanning)."""

    title: str | None = None
    url: str | None = None
    published: str | None = None
    authors: tuple[str, ...] = ()


def _classify(line: str, following: str | None, found: _Found) -> str | None:
    """Record ``line`` in ``found`` if it is header material; return its kind or ``None``."""
    if not line:
        return "blank"
    if len(line) > _MAX_META_CHARS:
        return None
    url = _URL_LINE.fullmatch(line)
    if url and found.url is None:
        found.url = url.group(1)
        return "url"
    date = match_date_line(line)
    if date and found.published is None:
        found.published = date
        return "published"
    authors = _match_byline(line)
    if authors and not found.authors:
        found.authors = authors
        return "authors"
    if found.title is not None:
        return None
    heading = _MARKDOWN_HEADING.fullmatch(line)
    if heading:
        found.title = heading.group("title")
        return "title"
    underlined = bool(following and len(following) >= 3 and _SETEXT_UNDERLINE.fullmatch(following))
    if underlined and _is_title_like(line, None):
        found.title = line
        return "setext"
    if _is_title_like(line, following):
        found.title = line
        return "title"
    return None


def _is_title_like(line: str, following: str | None) -> bool:
    """Say whether ``line`` reads like a headline rather than the start of a paragraph."""
    words = line.split()
    if len(line) > _MAX_TITLE_CHARS or len(words) > _MAX_TITLE_WORDS:
        return False
    if line.endswith(_TITLE_BAD_ENDINGS) and not line.endswith("..."):
        return False
    letters = [c for c in line if c.isalpha()]
    if len(letters) < 2:
        return False
    cased = [c for c in letters if c.isupper() or c.islower()]
    if len(cased) >= 4 and all(c.isupper() for c in cased):
        return False  # "WASHINGTON" or "BREAKING NEWS": dateline and banner junk
    if following is None or _is_metadata(following):
        return True
    if following[:1].islower():
        return False  # the sentence carries on: a wrapped paragraph
    wrapped = len(line) >= _WRAP_MIN_CHARS and abs(len(following) - len(line)) <= len(line) // 5
    return not wrapped


def _is_metadata(line: str) -> bool:
    return bool(_URL_LINE.fullmatch(line) or match_date_line(line) or _match_byline(line))


def _match_byline(line: str) -> tuple[str, ...] | None:
    """Return the names in a short ``By Jane Doe and John Roe`` line, else ``None``."""
    match = _BYLINE.fullmatch(line)
    if not match or len(line) > 100:
        return None
    names = [name.strip(" .") for name in _NAME_SPLIT.split(match.group("names"))]
    names = [name for name in names if name]
    if not names or not all(_looks_like_name(name) for name in names):
        return None
    return tuple(names)


def _looks_like_name(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 4 and all(word[:1].isupper() for word in words)


def _leading_lines(text: str) -> list[tuple[str, int]]:
    """Return the first lines of ``text``, each with the offset just past it; never split it all."""
    lines: list[tuple[str, int]] = []
    start = 0
    while len(lines) < _MAX_HEADER_LINES and start < len(text):
        end = text.find("\n", start)
        if end == -1:
            end = len(text)
        if end - start > _MAX_META_CHARS:  # a long line is body: stop looking
            lines.append((text[start : start + _MAX_META_CHARS + 1], end))
            break
        lines.append((text[start:end], min(end + 1, len(text))))
        start = end + 1
    return lines


def _next_content_line(lines: list[tuple[str, int]], index: int) -> str | None:
    """Return the next line if it is not blank; ``None`` when a blank line or the end follows."""
    if index >= len(lines):
        return None
    line = lines[index][0].strip()
    return line or None
