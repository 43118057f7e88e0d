"""The cross-article step: stories, one entity per real-world thing, claims, naming.

Pure: takes every article of the corpus (and the stories already stored, so
story ids stay stable) and returns the links; the caller stores them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from parallax.records import Article, Claim, Entity, Naming, Story


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
