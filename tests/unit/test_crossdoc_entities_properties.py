"""resolve_entities invariants on generated corpora: total, exclusive, order-free."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.crossdoc.entities import resolve_entities
from parallax.ids import make_id
from parallax.records import Article, Entity, Mention, Story

NAMES = [
    ("PERSON", "Jarosław Kaczyński"), ("PERSON", "Lech Kaczyński"), ("PERSON", "Kaczyński"),
    ("PERSON", "Muammar Gaddafi"), ("PERSON", "Moammar Kadhafi"), ("PERSON", "Gaddafi"),
    ("PERSON", "Ahmed Shafik"), ("PERSON", "Ahmed"), ("PERSON", "A. Shafik"),
    ("PERSON", "Эрдоган"), ("PERSON", "Recep Tayyip Erdoğan"), ("PERSON", "Kim Jong"),
    ("PERSON", "Kim Jong Un"), ("PERSON", "Kim"), ("GPE", "Kharkiv"), ("GPE", "Kharkov"),
    ("GPE", "Russia"), ("NORP", "Russian"), ("ORG", "Russian police"), ("ORG", "NATO"),
    ("ORG", "North Atlantic Treaty Organization"), ("ORG", "Navy"), ("ORG", "Indian Navy"),
]  # fmt: skip
GEONAMES = {"Kharkiv": 706483, "Russia": 2017370}


@st.composite
def corpora(draw):
    count = draw(st.integers(min_value=1, max_value=8))
    articles = []
    for n in range(count):
        article_id = f"art_{n}"
        picked = draw(st.lists(st.sampled_from(NAMES), max_size=6, unique=True))
        entities = []
        for number, (kind, name) in enumerate(picked):
            aliases = ("NATO",) if name.startswith("North Atlantic") and draw(st.booleans()) else ()
            labels = tuple(draw(st.lists(st.sampled_from(["President", "Minister"]), max_size=1)))
            kb = {"geonames": GEONAMES[name]} if name in GEONAMES and draw(st.booleans()) else {}
            mentions = tuple(
                Mention(article=article_id, start=100 * number + 10 * k, end=100 * number + 10 * k + 5,
                        text=name)
                for k in range(draw(st.integers(min_value=1, max_value=3)))
            )  # fmt: skip
            entities.append(
                Entity(
                    id=make_id("ent", article_id, kind, name),
                    name=name,
                    type=kind,
                    aliases=aliases,
                    mentions=mentions,
                    labels=labels,
                    kb=kb,
                )
            )
        articles.append(
            Article(id=article_id, input=article_id, format="txt", text="", entities=tuple(entities))
        )
    groups = draw(st.lists(st.integers(min_value=0, max_value=2), min_size=count, max_size=count))
    stories = [
        Story(id=f"sto_{g}", title="", articles=tuple(a.id for a, k in zip(articles, groups) if k == g))
        for g in sorted(set(groups))
    ]
    order = draw(st.permutations(range(count)))
    shuffled = [
        Article(
            id=articles[i].id, input=articles[i].input, format="txt", text="",
            entities=tuple(reversed(articles[i].entities)),
        )
        for i in order
    ]  # fmt: skip
    return articles, shuffled, stories


@settings(max_examples=80, deadline=None)
@given(corpora())
def test_every_entity_maps_to_exactly_one_and_order_does_not_matter(data):
    articles, shuffled, stories = data
    result = resolve_entities(articles, stories)
    again = resolve_entities(shuffled, list(reversed(stories)))
    assert result == again
    nodes = [e for a in articles for e in a.entities]
    assert set(result.mapping) == {e.id for e in nodes}
    ids = [e.id for e in result.entities]
    assert len(ids) == len(set(ids))
    assert set(result.mapping.values()) == set(ids)
    # Mentions are partitioned: each per-article entity's mentions land in its corpus entity.
    by_id = {e.id: e for e in result.entities}
    for node in nodes:
        assert set(node.mentions) <= set(by_id[result.mapping[node.id]].mentions)
    assert sum(len(e.mentions) for e in result.entities) == len({m for n in nodes for m in n.mentions})
    for entity in result.entities:
        types = {n.type for n in nodes if result.mapping[n.id] == entity.id}
        assert len(types) == 1 or types <= {"GPE", "LOC"}
        firsts = {
            n.name.split()[0]
            for n in nodes
            if result.mapping[n.id] == entity.id and n.name in ("Jarosław Kaczyński", "Lech Kaczyński")
        }
        assert len(firsts) <= 1  # the twins are never one entity
