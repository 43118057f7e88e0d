"""The cross-article step: stories, one entity per real-world thing, claims, naming.

Pure: takes every article of the corpus (and the stories already stored, so
story ids stay stable) and returns the links; the caller stores them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from parallax.records import Article, Claim, Entity, Naming, Story

# Caps on what one article contributes to the cross-article steps. A 50 MB page
# (a mis-extracted archive, a log pasted as an article) would otherwise make
# stories, claims and naming cost minutes; real news articles are far below
# every cap (the longest long-form pieces run to ~60,000 characters), so for
# them nothing changes. Offsets stay valid: the text is cut, never shifted.
MAX_LINK_CHARS = 100_000  # text considered: its first this many characters, cut at a line end
MAX_LINK_ENTITIES = 300  # most-mentioned per-article entities kept
MAX_LINK_MENTIONS = 100  # first mentions kept per entity
MAX_LINK_QUOTES = 300
MAX_LINK_EVENTS = 500
MAX_LINK_DATES = 300


def cap_article(article: Article) -> Article:
    """Bound what one article brings to the link step (the ``MAX_LINK_*`` caps above).

    Returns ``article`` itself when it is within every cap; otherwise a copy
    whose text is a prefix and whose items all lie inside that prefix.
    """
    text = article.text
    within = (
        len(text) <= MAX_LINK_CHARS
        and len(article.entities) <= MAX_LINK_ENTITIES
        and all(len(e.mentions) <= MAX_LINK_MENTIONS for e in article.entities)
        and len(article.quotes) <= MAX_LINK_QUOTES
        and len(article.events) <= MAX_LINK_EVENTS
        and len(article.dates) <= MAX_LINK_DATES
    )
    if within:
        return article
    cut = len(text)
    if cut > MAX_LINK_CHARS:
        line_end = text.rfind("\n", 0, MAX_LINK_CHARS)
        cut = line_end if line_end > MAX_LINK_CHARS // 2 else MAX_LINK_CHARS
    entities = []
    for entity in article.entities:
        mentions = tuple(m for m in entity.mentions if m.end <= cut)[:MAX_LINK_MENTIONS]
        if mentions or not entity.mentions:
            entities.append(replace(entity, mentions=mentions))
    entities.sort(key=lambda e: -len(e.mentions))  # stable: ties keep the article's order
    kept = {id(e) for e in entities[:MAX_LINK_ENTITIES]}
    return replace(
        article,
        text=text[:cut],
        entities=tuple(e for e in entities if id(e) in kept),
        quotes=tuple(
            q for q in article.quotes if max(q.end, q.cue_end or 0, q.speaker_end or 0) <= cut
        )[:MAX_LINK_QUOTES],
        events=tuple(e for e in article.events if e.end <= cut)[:MAX_LINK_EVENTS],
        dates=tuple(d for d in article.dates if d.end <= cut)[:MAX_LINK_DATES],
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Links:
    stories: tuple[Story, ...] = ()
    entities: tuple[Entity, ...] = ()
    entity_map: dict[str, str] = field(default_factory=dict)  # per-article entity id -> corpus id
    claims: tuple[Claim, ...] = ()
    naming: tuple[Naming, ...] = ()
    omissions: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    voices: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: tuple[str, ...] = ()  # steps that failed, with the error, so the run can say so


def link_corpus(articles: Sequence[Article], existing: Sequence[Story] = ()) -> Links:
    """Run every cross-article step; a failing step is reported, never fatal to the others."""
    from parallax.crossdoc.claims import align_claims, find_omissions
    from parallax.crossdoc.contradictions import find_contradictions
    from parallax.crossdoc.entities import resolve_entities
    from parallax.crossdoc.naming import find_naming, quotes_by_outlet
    from parallax.crossdoc.stories import cluster_stories

    articles = [cap_article(a) for a in articles]
    problems: list[str] = []

    def attempt(step: str, call: Any, default: Any) -> Any:
        try:
            return call()
        except Exception as error:  # a bug in one step must not lose the others
            problems.append(f"{step}: {error!r}")
            return default

    stories = attempt("stories", lambda: cluster_stories(articles, existing), tuple(existing))
    resolution = attempt("entities", lambda: resolve_entities(articles, stories), None)
    entities = tuple(resolution.entities) if resolution else ()
    entity_map = dict(resolution.mapping) if resolution else {}
    claims = attempt("claims", lambda: align_claims(articles, stories, entity_map), ())
    claims = attempt(
        "contradictions", lambda: find_contradictions(claims, articles, entity_map=entity_map), claims
    )
    omissions = attempt("omissions", lambda: find_omissions(claims, articles, stories), {})
    naming = attempt("naming", lambda: find_naming(articles, entity_map), ())
    voices = attempt("voices", lambda: quotes_by_outlet(articles, entity_map), {})
    return Links(
        stories=tuple(stories), entities=entities, entity_map=entity_map, claims=tuple(claims),
        naming=tuple(naming), omissions=dict(omissions), voices=dict(voices),
        problems=tuple(problems),
    )
