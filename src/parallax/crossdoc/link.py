"""The cross-article step: stories, one entity per real-world thing, claims, naming.

Pure: takes every article of the corpus (and the stories already stored, so
story ids stay stable) and returns the links; the caller stores them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
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
    from parallax.crossdoc.claims import reusing_candidates

    with reusing_candidates():
        return _link_corpus([cap_article(a) for a in articles], existing)


def _link_corpus(articles: Sequence[Article], existing: Sequence[Story]) -> Links:
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


def extend_stories(
    new: Sequence[Article], context: Sequence[Article], stories: Sequence[Story]
) -> tuple[Story, ...]:
    """Place ``new`` articles in ``stories`` (stored candidates) or in new stories.

    ``context`` are stored members of the candidate stories (the store picks
    the most recent ones); the clustering is the same online
    :func:`~parallax.crossdoc.stories.cluster_stories` the full step runs, so
    stored stories keep their ids and members and only grow. Returns only the
    stories that received a new article (grown or new).
    """
    from parallax.crossdoc.stories import cluster_stories

    fresh = {a.id for a in new}
    given = [cap_article(a) for a in (*new, *context)]
    result = cluster_stories(given, stories)
    return tuple(s for s in result if any(a in fresh for a in s.articles))


def link_increment(
    new: Sequence[Article],
    context: Sequence[Article],
    stories: Sequence[Story],
    *,
    stored_map: Mapping[str, str],
    stored_entities: Callable[[Sequence[str]], Mapping[str, Entity]],
    members: Sequence[Article] = (),
    member_map: Mapping[str, str] = {},
    candidates: Mapping[str, Sequence[Any]] = {},
    claims: Mapping[str, Sequence[Claim]] = {},
    extra: Sequence[Article] = (),
) -> tuple[Links, dict[str, tuple[Any, ...]]]:
    """Link the ``new`` articles into ``stories`` (those that received them) from what is stored.

    Nothing of the stories' other members is re-read or re-computed:

    - *Entities* are resolved over ``new`` and ``context`` (the stored members
      read to place them) and reconciled with the store so corpus ids stay
      stable: a resolved entity any of whose per-article entities already
      pointed at a stored corpus entity (``stored_map``) keeps that id (the
      most used one); otherwise it takes its own id, which equals a stored
      entity's id when its type and display key are the same (then
      ``stored_entities`` gives the record to extend; it is a lookup, called once).
    - *Claims*: the stored ``claims`` of each story grow with the new articles'
      sentences (:func:`~parallax.crossdoc.claims.extend_claims`) using the
      stored claim ``candidates`` of the other members; ``member_map`` is the
      stored entity map of their per-article entities and ``members`` their
      metadata records (outlet, date, ``duplicate_of``; texts not needed).
    - *Contradictions*: the stored ones are kept (under the claims' new ids) and
      only sentence pairs with a new sentence are compared.
    - *Omissions* are recomputed per story from the claims; *naming* for the
      new articles and for those whose entities moved to another corpus id
      (:func:`remapped`).

    ``extra`` are full articles whose candidates must be extracted too: stored
    originals of new near-duplicates and members stored without candidates
    (by an older version). Returns the links of ``stories`` and the candidates
    extracted here (to store for the next run).
    """
    from parallax.crossdoc.claims import reusing_candidates

    problems: list[str] = []

    def attempt(step: str, call: Any, default: Any) -> Any:
        try:
            return call()
        except Exception as error:  # a bug in one step must not lose the others
            problems.append(f"{step}: {error!r}")
            return default

    with reusing_candidates():
        return _increment(
            [cap_article(a) for a in new], [cap_article(a) for a in context], stories,
            stored_map, stored_entities, members, member_map, candidates, claims,
            [cap_article(a) for a in extra], attempt, problems,
        )


def _increment(
    new: Sequence[Article],
    context: Sequence[Article],
    stories: Sequence[Story],
    stored_map: Mapping[str, str],
    stored_entities: Callable[[Sequence[str]], Mapping[str, Entity]],
    members: Sequence[Article],
    member_map: Mapping[str, str],
    stored_candidates: Mapping[str, Sequence[Any]],
    stored_claims: Mapping[str, Sequence[Claim]],
    extra: Sequence[Article],
    attempt: Any,
    problems: list[str],
) -> tuple[Links, dict[str, tuple[Any, ...]]]:
    from parallax.crossdoc.claims import candidates_by_article, extend_claims, find_omissions
    from parallax.crossdoc.contradictions import flag_contradictions
    from parallax.crossdoc.entities import resolve_entities
    from parallax.crossdoc.naming import find_naming
    from parallax.records import Contradiction

    fresh = {a.id for a in new}
    loaded = [*new, *context]
    resolution = attempt("entities", lambda: resolve_entities(loaded, stories), None)
    entities, entity_map = _reconcile(resolution, stored_map, stored_entities)
    full_map = {**member_map, **entity_map}
    extracted: dict[str, tuple[Any, ...]] = attempt(
        "claims", lambda: candidates_by_article([*new, *extra]), {})
    candidates = {**stored_candidates, **extracted}
    by_id = {a.id: a for a in members}
    by_id.update((a.id, a) for a in (*extra, *loaded))
    claims, renamed = attempt(
        "claims", lambda: extend_claims(stories, stored_claims, candidates, fresh, by_id, full_map), ((), {}))
    kept: dict[str, dict[tuple[str, str], Contradiction]] = {}
    for story_claims in stored_claims.values():
        for claim in story_claims:
            here = renamed.get(claim.id)
            for flag in claim.contradicts:
                there = renamed.get(flag.claim)
                if here and there and here != there:
                    kept.setdefault(here, {}).setdefault((there, flag.kind), replace(flag, claim=there))
    claims = tuple(replace(c, contradicts=tuple(kept[c.id].values())) if c.id in kept else c for c in claims)
    published = {i: a.published for i, a in by_id.items() if a.published}
    claims = attempt("contradictions", lambda: flag_contradictions(
        claims, candidates, published, entity_map=full_map, fresh=fresh), claims)
    omissions = attempt("omissions", lambda: find_omissions(claims, list(by_id.values()), stories), {})
    moved = remapped(loaded, stored_map, entity_map)
    named = [a for a in loaded if a.id in fresh or a.id in moved]
    naming = attempt("naming", lambda: find_naming(named, entity_map), ())
    links = Links(
        stories=tuple(stories), entities=entities, entity_map=entity_map, claims=tuple(claims),
        naming=tuple(naming), omissions=dict(omissions), problems=tuple(problems),
    )
    return links, extracted


def remapped(
    articles: Sequence[Article], before: Mapping[str, str], after: Mapping[str, str]
) -> set[str]:
    """Ids of the articles an entity of which points at another corpus entity than before."""
    return {
        a.id for a in articles
        if any(e.id in before and after.get(e.id) != before[e.id] for e in a.entities)
    }


def _reconcile(
    resolution: Any,
    stored_map: Mapping[str, str],
    stored_entities: Callable[[Sequence[str]], Mapping[str, Entity]],
) -> tuple[tuple[Entity, ...], dict[str, str]]:
    if resolution is None:
        return (), {}
    nodes_of: dict[str, list[str]] = {}
    for node, corpus_id in resolution.mapping.items():
        nodes_of.setdefault(corpus_id, []).append(node)
    targets: dict[str, str] = {}
    for entity in resolution.entities:
        before = Counter(stored_map[n] for n in nodes_of.get(entity.id, ()) if n in stored_map)
        targets[entity.id] = min(before, key=lambda i: (-before[i], i)) if before else entity.id
    records = stored_entities(sorted(set(targets.values())))
    entities: list[Entity] = []
    mapping: dict[str, str] = {}
    for entity in resolution.entities:
        nodes = sorted(nodes_of.get(entity.id, ()))
        target = targets[entity.id]
        stored = records.get(target)
        if stored is not None:
            aliases = tuple(dict.fromkeys(
                a for a in (*stored.aliases, entity.name, *entity.aliases) if a and a != stored.name))
            labels = tuple(dict.fromkeys((*stored.labels, *entity.labels)))
            kb = {**dict(entity.kb), **dict(stored.kb)}
            entity = replace(stored, aliases=aliases, labels=labels, kb=kb, mentions=entity.mentions)
        else:
            entity = replace(entity, id=target)
        entities.append(entity)
        for node in nodes:
            mapping[node] = target
    merged: dict[str, Entity] = {}
    for entity in entities:  # two resolved entities may land on one stored id
        if entity.id in merged:
            first = merged[entity.id]
            entity = replace(
                first,
                aliases=tuple(dict.fromkeys((*first.aliases, *entity.aliases))),
                labels=tuple(dict.fromkeys((*first.labels, *entity.labels))),
                mentions=(*first.mentions, *entity.mentions),
            )
        merged[entity.id] = entity
    return tuple(merged.values()), mapping
