"""Render an analysis.json document as one self-contained ``report.html``.

The page opens from disk with no network: CSS and the one small script are
inline, and a Content-Security-Policy lets only that script (by hash) run and
nothing load from anywhere. Everything taken from the analysis is untrusted
and goes through Jinja2 autoescaping; URLs become links only when they are
plain ``http``/``https``.

The renderer is tolerant: it draws whatever it is given (missing keys,
offsets out of range) rather than failing, since a report of a slightly
broken analysis is more useful than none. Use
:func:`parallax.schema.validate_analysis` to check a document.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from parallax.report.layout import Cut, paragraph_spans, place_cuts

__all__ = ["render_report", "write_report"]

_TEMPLATE = "report.html.j2"
_TITLE_WORDS = 12
_COUNT_KEYS = ("articles", "unique_articles", "duplicates", "errors")
_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f]")


def render_report(analysis: Mapping[str, Any]) -> str:
    """Return ``report.html`` for an analysis.json document, as a string."""
    script = _static("report.js")
    context = _context(analysis)
    return _environment().get_template(_TEMPLATE).render(
        **context,
        csp=content_security_policy(script),
        style=Markup(_static("report.css")),
        script=Markup(script),
    )


def write_report(analysis: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Render the report and write it to ``path`` atomically; return the path.

    The page is written to a temporary file next to ``path`` and moved into
    place, so a reader never sees a half-written report.
    """
    target = Path(path)
    data = render_report(analysis).encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def content_security_policy(script: str) -> str:
    """Return the CSP that allows exactly ``script`` and inline styles."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


# --- resources --------------------------------------------------------------


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("parallax.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=4)
def _static(name: str) -> str:
    text = resources.files("parallax.report").joinpath("static").joinpath(name).read_text("utf-8")
    return text.replace("\r\n", "\n")


# --- view model -------------------------------------------------------------


@dataclass(slots=True)
class _Run:
    text: str
    is_cut: bool = False


@dataclass(slots=True)
class _Paragraph:
    start: int
    parts: list[_Run | Cut] = field(default_factory=list)


@dataclass(slots=True)
class _ArticleView:
    id: str
    title: str
    has_title: bool
    input: str
    format: str
    url: str | None
    href: str | None
    outlet: str | None
    authors: list[str]
    published: str | None
    language: str | None
    language_score: str | None
    flags: list[str]
    duplicate_of: str | None
    notes: list[str]
    words: int
    paragraphs: list[_Paragraph]
    stray_cuts: list[Cut]
    removed_reasons: list[tuple[str, int]]


def _context(analysis: Mapping[str, Any]) -> dict[str, Any]:
    raw_articles = [a for a in _list(analysis.get("articles")) if isinstance(a, Mapping)]
    articles = [_article_view(a, i) for i, a in enumerate(raw_articles)]
    titles = {a.id: a.title for a in articles}
    errors = [e for e in _list(analysis.get("errors")) if isinstance(e, Mapping)]
    entities = [e for e in _list(analysis.get("entities")) if isinstance(e, Mapping)]
    entity_names = {_str(e.get("id")): _str(e.get("name")) for e in entities}
    texts = {_str(a.get("id")): _str(a.get("text")) for a in raw_articles}
    generator = analysis.get("generator")
    generator = generator if isinstance(generator, Mapping) else {}
    return {
        "articles": articles,
        "titles": titles,
        "errors": errors,
        "stats": _stats(analysis, articles, errors),
        "all_flags": sorted({flag for a in articles for flag in a.flags}),
        "generator": " ".join(
            p for p in (_str(generator.get("name")), _str(generator.get("version"))) if p
        ),
        "schema_version": _str(analysis.get("schema_version")),
        "entities": [_entity_view(e) for e in entities],
        "quotes": [_quote_view(q, entity_names) for q in _mappings(analysis, "quotes")],
        "events": [_event_view(e, texts) for e in _mappings(analysis, "events")],
        "stories": [_story_view(s) for s in _mappings(analysis, "stories")],
        "claims": _claim_views(_mappings(analysis, "claims"), analysis),
        "naming": [_naming_view(n, entity_names) for n in _mappings(analysis, "naming")],
    }


def _article_view(article: Mapping[str, Any], index: int) -> _ArticleView:
    text = _str(article.get("text"))
    title = _str(article.get("title")).strip()
    removed = [r for r in _list(article.get("removed")) if isinstance(r, Mapping)]
    paragraphs, stray = _paragraphs(text, removed)
    score = article.get("language_score")
    url = article.get("url") if isinstance(article.get("url"), str) else None
    return _ArticleView(
        id=_str(article.get("id")) or f"article-{index + 1}",
        title=title or _first_words(text) or "(no title, no text)",
        has_title=bool(title),
        input=_str(article.get("input")),
        format=_str(article.get("format")),
        url=url,
        href=_http_href(url),
        outlet=_str(article.get("outlet")) or None,
        authors=[_str(a) for a in _list(article.get("authors"))],
        published=_str(article.get("published")) or None,
        language=_str(article.get("language")) or None,
        language_score=(
            f"{score:.2f}" if isinstance(score, int | float) and not isinstance(score, bool) else None
        ),
        flags=[_str(f) for f in _list(article.get("flags"))],
        duplicate_of=_str(article.get("duplicate_of")) or None,
        notes=[_str(n) for n in _list(article.get("notes"))],
        words=len(text.split()),
        paragraphs=paragraphs,
        stray_cuts=stray,
        removed_reasons=Counter(_str(r.get("reason")) for r in removed).most_common(),
    )


def _paragraphs(
    text: str, removed: Sequence[Mapping[str, Any]]
) -> tuple[list[_Paragraph], list[Cut]]:
    """Split ``text`` into paragraphs (lines) and place removed pieces in them.

    A piece whose offset falls between paragraphs is shown at the start of the
    next one (or the end of the last); with no text at all it is returned as
    a stray cut to show on its own.
    """
    spans = paragraph_spans(text)
    cuts = sorted(
        (
            Cut(
                at=_offset(r.get("at"), len(text)),
                reason=_str(r.get("reason")),
                text=_str(r.get("text")),
            )
            for r in removed
        ),
        key=lambda cut: cut.at,
    )
    if not spans:
        return [], cuts
    placed = place_cuts(spans, cuts)
    paragraphs = []
    for (start, end), here in zip(spans, placed, strict=True):
        paragraph = _Paragraph(start=start)
        position = start
        for at, cut in here:
            if at > position:
                paragraph.parts.append(_Run(text[position:at]))
                position = at
            paragraph.parts.append(cut)
        if end > position:
            paragraph.parts.append(_Run(text[position:end]))
        paragraphs.append(paragraph)
    return paragraphs, []


def _stats(
    analysis: Mapping[str, Any], articles: Sequence[_ArticleView], errors: Sequence[Any]
) -> dict[str, Any]:
    duplicates = sum(1 for a in articles if a.duplicate_of)
    computed: dict[str, Any] = {
        "articles": len(articles),
        "unique_articles": len(articles) - duplicates,
        "duplicates": duplicates,
        "errors": len(errors),
        "languages": Counter(a.language for a in articles if a.language),
        "flags": Counter(flag for a in articles for flag in a.flags),
    }
    given = analysis.get("stats")
    if isinstance(given, Mapping):
        # Trust the producer's counts when they have the right shape.
        for key, value in given.items():
            if key in ("languages", "flags") and isinstance(value, Mapping):
                computed[key] = value
            elif key in _COUNT_KEYS and isinstance(value, int) and not isinstance(value, bool):
                computed[key] = value
    computed["languages"] = _sorted_counts(computed["languages"])
    computed["flags"] = _sorted_counts(computed["flags"])
    return computed


def _entity_view(entity: Mapping[str, Any]) -> dict[str, Any]:
    mentions = [m for m in _list(entity.get("mentions")) if isinstance(m, Mapping)]
    return {
        "id": _str(entity.get("id")),
        "name": _str(entity.get("name")),
        "type": _str(entity.get("type")),
        "aliases": [_str(a) for a in _list(entity.get("aliases"))],
        "mentions": len(mentions),
        "articles": len({_str(m.get("article")) for m in mentions}),
    }


def _quote_view(quote: Mapping[str, Any], entity_names: Mapping[str, str]) -> dict[str, Any]:
    speaker = _str(quote.get("speaker"))
    return {
        "speaker": _str(quote.get("speaker_text")) or entity_names.get(speaker, ""),
        "speaker_entity": entity_names.get(speaker, ""),
        "text": _str(quote.get("text")),
        "kind": _str(quote.get("kind")),
        "cue": _str(quote.get("cue")),
        "article": _str(quote.get("article")),
    }


def _event_view(event: Mapping[str, Any], texts: Mapping[str, str]) -> dict[str, Any]:
    article = _str(event.get("article"))
    start, end = event.get("start"), event.get("end")
    text = texts.get(article, "")
    trigger = text[start:end] if isinstance(start, int) and isinstance(end, int) else ""
    return {
        "type": _str(event.get("type")),
        "trigger": trigger,
        "actor": _str(event.get("actor")),
        "target": _str(event.get("target")),
        "place": _str(event.get("place")),
        "date": _str(event.get("date")) or _str(event.get("date_text")),
        "article": article,
    }


def _story_view(story: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": _str(story.get("id")),
        "title": _str(story.get("title")),
        "articles": [_str(a) for a in _list(story.get("articles"))],
    }


def _claim_views(
    claims: Iterable[Mapping[str, Any]], analysis: Mapping[str, Any]
) -> list[dict[str, Any]]:
    story_titles = {_str(s.get("id")): _str(s.get("title")) for s in _mappings(analysis, "stories")}
    views = []
    for claim in claims:
        mentions = [m for m in _list(claim.get("mentions")) if isinstance(m, Mapping)]
        outlets = claim.get("outlets")
        views.append(
            {
                "summary": _str(claim.get("summary")),
                "story": story_titles.get(_str(claim.get("story")), _str(claim.get("story"))),
                "outlets": outlets if isinstance(outlets, int) else "",
                "articles": list(dict.fromkeys(_str(m.get("article")) for m in mentions)),
                "contradicts": [
                    _str(c.get("reason"))
                    for c in _list(claim.get("contradicts"))
                    if isinstance(c, Mapping)
                ],
            }
        )
    return views


def _naming_view(naming: Mapping[str, Any], entity_names: Mapping[str, str]) -> dict[str, Any]:
    entity = _str(naming.get("entity"))
    return {
        "entity": entity_names.get(entity, entity),
        "outlet": _str(naming.get("outlet")),
        "labels": [_str(label) for label in _list(naming.get("labels"))],
        "article": _str(naming.get("article")),
    }


# --- small helpers ----------------------------------------------------------


def _http_href(url: str | None) -> str | None:
    """Return ``url`` if it is safe to link: plain http(s) with a host."""
    if not url or _UNSAFE_URL_CHARS.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url
    return None


def _first_words(text: str) -> str:
    words = text.split(maxsplit=_TITLE_WORDS)
    if len(words) > _TITLE_WORDS:
        return " ".join(words[:_TITLE_WORDS]) + " …"
    return " ".join(words)


def _offset(value: Any, length: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        return length
    return min(max(value, 0), length)


def _sorted_counts(counts: Mapping[Any, Any]) -> list[tuple[str, Any]]:
    items = [(_str(k), v) for k, v in counts.items()]
    return sorted(items, key=lambda kv: (-kv[1] if isinstance(kv[1], int) else 0, kv[0]))


def _mappings(analysis: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    return [item for item in _list(analysis.get(key)) if isinstance(item, Mapping)]


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _str(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)
