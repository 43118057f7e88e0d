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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from parallax.report.coerce import as_list as _list
from parallax.report.coerce import as_str as _str
from parallax.report.coerce import mappings as _mappings
from parallax.report.layout import Cut, Mark, Paragraph, layout
from parallax.report.story import StoryView, build_story, story_slices, story_summaries

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
    paragraphs: list[Paragraph]
    stray_cuts: list[Cut]
    removed_reasons: list[tuple[str, int]]


def _context(analysis: Mapping[str, Any]) -> dict[str, Any]:
    raw_articles = [a for a in _list(analysis.get("articles")) if isinstance(a, Mapping)]
    marks = _marks(analysis)
    articles = [_article_view(a, i, marks) for i, a in enumerate(raw_articles)]
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
        "stories": story_summaries(analysis),
        "story_views": _story_views(analysis, {a.id for a in articles}, set(entity_names)),
        "entity_ids": set(entity_names),
        "story_href": lambda story_id: f"#story-{story_id}",
    }


def _story_views(analysis: Mapping[str, Any], article_ids: set[str], entity_ids: set[str]) -> list[StoryView]:
    """Every story's view, with links to the in-page article and entity anchors."""

    def link(article: str, anchor: str | None) -> str | None:
        if article not in article_ids:
            return None
        return f"#{article}--{anchor}" if anchor else f"#{article}"

    def entity_link(entity: str) -> str | None:
        return f"#{entity}" if entity in entity_ids else None

    views = []
    for story_id, part in story_slices(analysis):
        view = build_story(part, story_id, link=link, entity_link=entity_link)
        if view is not None:
            views.append(view)
    return views


def _marks(analysis: Mapping[str, Any]) -> dict[str, list[Mark]]:
    """Every annotation of every article as highlight marks, keyed by article id.

    Anchors are prefixed with the article id (``art_…--clm_…``) so they are
    unique in the page; links from the story views point at them.
    """
    marks: dict[str, list[Mark]] = {}

    def add(article: Any, mark: Mark) -> None:
        marks.setdefault(_str(article), []).append(mark)

    def anchor(article: Any, name: str) -> str:
        return f"{_str(article)}--{name}"

    entity_names = {}
    for entity in _mappings(analysis, "entities"):
        entity_id, kind, name = _str(entity.get("id")), _str(entity.get("type")), _str(entity.get("name"))
        entity_names[entity_id] = name
        for m in _list(entity.get("mentions")):
            if isinstance(m, Mapping) and _ints(m.get("start"), m.get("end")):
                add(m.get("article"), Mark(m["start"], m["end"], "ent", f"{kind} {name}", variant=kind,
                                           entity=entity_id))  # no anchor: nothing in the report links to one mention
    for q in _mappings(analysis, "quotes"):
        if not _ints(q.get("start"), q.get("end")):
            continue
        speaker = _str(q.get("speaker_text")) or entity_names.get(_str(q.get("speaker")), "") or "unknown speaker"
        cue = f", {_str(q.get('cue'))}" if q.get("cue") else ""
        add(q.get("article"), Mark(q["start"], q["end"], "quote",
                                   f"quote ({_str(q.get('kind'))}{cue}) by {speaker}",
                                   variant=_str(q.get("kind")), anchor=anchor(q.get("article"), _str(q.get("id")))))
        if _ints(q.get("cue_start"), q.get("cue_end")):
            add(q.get("article"), Mark(q["cue_start"], q["cue_end"], "cue", "reporting cue"))
        if _ints(q.get("speaker_start"), q.get("speaker_end")):
            add(q.get("article"), Mark(q["speaker_start"], q["speaker_end"], "speaker", f"speaker: {speaker}"))
    for d in _mappings(analysis, "dates"):
        if _ints(d.get("start"), d.get("end")):
            value = _str(d.get("value")) or "unresolved"
            add(d.get("article"), Mark(d["start"], d["end"], "date",
                                       f"date {value}{' (inferred)' if d.get('inferred') else ''}"))
    for e in _mappings(analysis, "events"):
        if not _ints(e.get("trigger_start"), e.get("trigger_end")):
            continue
        who = " → ".join(x for x in (_str(e.get("actor_text")), _str(e.get("target_text"))) if x)
        when = f", {_str(e.get('date'))}" if e.get("date") else ""
        label = f"event {_str(e.get('type'))}{' (negated)' if e.get('negated') else ''}"
        add(e.get("article"), Mark(e["trigger_start"], e["trigger_end"], "trigger",
                                   f"{label}: {who}{when}" if who else f"{label}{when}",
                                   variant="negated" if e.get("negated") else _str(e.get("type")),
                                   anchor=anchor(e.get("article"), _str(e.get("id")))))
    for naming in _mappings(analysis, "naming"):
        for span in _list(naming.get("spans")):
            if isinstance(span, Mapping) and _ints(span.get("start"), span.get("end")):
                start, end = span["start"], span["end"]
                add(naming.get("article"), Mark(start, end, "label", f"naming label: {_str(span.get('label'))}",
                                                anchor=anchor(naming.get("article"), f"l-{start}-{end}")))
    for claim in _mappings(analysis, "claims"):
        claim_id = _str(claim.get("id"))
        for m in _list(claim.get("mentions")):
            if isinstance(m, Mapping) and _ints(m.get("start"), m.get("end")):
                add(m.get("article"), Mark(m["start"], m["end"], "claim", "claim",
                                           anchor=anchor(m.get("article"), claim_id)))
    return marks


def _ints(*values: Any) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _article_view(article: Mapping[str, Any], index: int, marks: Mapping[str, list[Mark]]) -> _ArticleView:
    text = _str(article.get("text"))
    title = _str(article.get("title")).strip()
    removed = [r for r in _list(article.get("removed")) if isinstance(r, Mapping)]
    paragraphs, stray = layout(
        text, marks.get(_str(article.get("id")), ()),
        [(_offset(r.get("at"), len(text)), _str(r.get("reason")), _str(r.get("text"))) for r in removed],
    )
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
