"""cluster_stories invariants on generated corpora: deterministic, order-free, total, stable."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.crossdoc.stories import cluster_stories
from parallax.ids import make_id
from parallax.records import Article, Entity, Mention

TOPICS = [
    "earthquake rubble survivors aftershocks villages rescue",
    "election ballots turnout parliament coalition candidates",
    "pirates vessel navy hijack gulf merchant",
    "shooting gunman police office employee shotgun",
    "wildfire evacuation firefighters hectares smoke blaze",
]
NAMES = ["Qeshm", "Cusco", "Troy", "Aden", "Kyiv", "Anna Berg", "Omar Said"]


@st.composite
def corpora(draw):
    count = draw(st.integers(min_value=1, max_value=14))
    articles = []
    for n in range(count):
        topic = draw(st.integers(min_value=0, max_value=len(TOPICS) - 1))
        words = TOPICS[topic].split()
        picked = draw(st.lists(st.sampled_from(words), min_size=0, max_size=12))
        name = draw(st.sampled_from(NAMES))
        text = " ".join([*picked, name])
        day = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=28)))
        article_id = f"art_{n:03d}"
        start = text.rfind(name)
        entity = Entity(
            id=make_id("ent", article_id, name),
            name=name,
            type="GPE",
            mentions=(Mention(article=article_id, start=start, end=start + len(name), text=name),),
        )
        duplicate = draw(st.booleans()) and n > 0
        articles.append(
            Article(
                id=article_id,
                input=str(n),
                format="txt",
                text=text,
                title=" ".join(picked[:3]),
                published=f"2024-05-{day:02d}" if day else None,
                entities=(entity,) if draw(st.booleans()) else (),
                duplicate_of=f"art_{n - 1:03d}" if duplicate else None,
            )
        )
    order = draw(st.permutations(range(count)))
    return articles, [articles[i] for i in order]


@settings(max_examples=60, deadline=None)
@given(corpora())
def test_deterministic_order_free_and_total(data):
    articles, shuffled = data
    stories = cluster_stories(articles)
    assert stories == cluster_stories(shuffled)
    assert stories == cluster_stories(articles)
    members = [a for s in stories for a in s.articles]
    assert sorted(members) == sorted(a.id for a in articles)  # each article exactly once
    for story in stories:
        assert story.id == make_id("sto", story.articles[0])
    assert len({s.id for s in stories}) == len(stories)


@settings(max_examples=60, deadline=None)
@given(corpora(), st.integers(min_value=0, max_value=14))
def test_online_growth_keeps_every_existing_story(data, cut):
    articles, _ = data
    first = cluster_stories(articles[:cut])
    after = cluster_stories(articles, existing=first)
    by_id = {s.id: s for s in after}
    for story in first:
        assert story.id in by_id
        assert set(story.articles) <= set(by_id[story.id].articles)
    members = [a for s in after for a in s.articles]
    assert sorted(members) == sorted(a.id for a in articles)
