"""Dates named in the text as story evidence: same day, same happening; never a penalty."""

from __future__ import annotations

import random

from parallax.crossdoc.stories import _date_keys, _similarity, _vectors, cluster_stories
from parallax.ids import make_id
from parallax.records import Article, Entity, Mention, TimeExpression

# Two floods of one river in one town, years apart, reported in much the same words: the
# days they name tell the reports apart (undated copies, as scraped text often is).
FLOOD = (
    "The Elbe burst its banks in Pirna on {day}, flooding the old town and forcing hundreds "
    "of residents from their homes. Mayor Klaus-Peter Hanke said sandbag walls along the "
    "river front had failed overnight and firefighters were pumping water from cellars. "
    "Rail services to Dresden were suspended while the river kept rising. {detail}"
)
DETAILS = {
    "March 28": "Volunteers filled sandbags at the market square and schools stayed closed",
    "January 14": "Ice floes jammed the bridge piers after snow melt upstream fed the river",
}


def flood(n: int, day: str, value: str | None, *, year: str | None = None) -> Article:
    """One outlet's report: sentences reordered, a few words dropped, the day kept."""
    rng = random.Random(n)
    sentences = FLOOD.format(day="DAY", detail=DETAILS.get(day, "")).split(". ")
    rng.shuffle(sentences)
    words = [w for w in " ".join(sentences).split() if "DAY" in w or rng.random() > 0.25]
    text = " ".join(words).replace("DAY", day) + f". Reporting by desk {n}."
    if year:
        text += f" The last flood this high was in {year}."
    article_id = make_id("art", "flood", str(n), day)
    start = text.index(day)
    dates = [TimeExpression(article=article_id, start=start, end=start + len(day), text=day,
                            value=value)]  # fmt: skip
    if year:
        at = text.rindex(year)
        dates.append(
            TimeExpression(article=article_id, start=at, end=at + 4, text=year, value=year)
        )
    entities = []
    for name, kind in (("Pirna", "GPE"), ("Klaus-Peter Hanke", "PERSON"), ("Elbe", "LOC")):
        at = text.find(name)
        if at >= 0:
            entities.append(Entity(
                id=make_id("ent", article_id, name), name=name, type=kind,
                mentions=(Mention(article=article_id, start=at, end=at + len(name), text=name),),
            ))  # fmt: skip
    return Article(id=article_id, input=f"flood-{n}", format="txt", text=text,
                   title="Elbe floods Pirna old town", entities=tuple(entities),
                   dates=tuple(dates))  # fmt: skip


def _expression(text: str, value: str | None, inferred: bool = False) -> TimeExpression:
    return TimeExpression(article="art_x", start=0, end=len(text), text=text, value=value,
                          inferred=inferred)  # fmt: skip


def test_date_keys_name_month_days_and_stated_years_only():
    article = Article(
        id="art_x", input="x", format="txt", text="", dates=(
            _expression("Dec. 11", None),  # no year known: the day still counts
            _expression("Thursday, 11 December 2008", "2008-12-11"),
            _expression("the 3rd of March", None),
            _expression("Tuesday", "2008-12-09", inferred=True),  # resolved from an anchor
            _expression("2006", "2006"),
            _expression("last week", "2008-W49", inferred=True),
            _expression("September", None),  # a bare month names no day
            _expression("May 45", None),  # not a day
        ),
    )  # fmt: skip
    assert _date_keys(article) == [
        "date:md-03-03", "date:md-12-11", "date:y-2006", "date:y-2008",
    ]  # fmt: skip


def test_same_named_day_links_reports_of_one_happening_and_keeps_the_other_apart():
    spring = [flood(n, "March 28", None) for n in range(8)]
    winter = [flood(n, "January 14", None) for n in range(8, 16)]
    expected = {frozenset(a.id for a in spring), frozenset(a.id for a in winter)}
    stories = cluster_stories([*spring, *winter])
    assert {frozenset(s.articles) for s in stories} == expected
    # The same texts without their date expressions: a report lands in the wrong flood.
    bare = [Article(**{**_fields(a), "dates": ()}) for a in [*spring, *winter]]
    assert {frozenset(s.articles) for s in cluster_stories(bare)} != expected


def test_a_shared_day_raises_similarity_and_a_different_day_costs_almost_nothing():
    a = flood(0, "March 28", "2013-03-28")
    same = flood(1, "March 28", "2013-03-28")
    other = flood(2, "January 14", "2011-01-14")
    same_bare, other_bare = (
        Article(**{**_fields(x), "id": x.id + "_bare", "dates": ()}) for x in (same, other)
    )
    docs, _ = _vectors([a, same, other, same_bare, other_bare], (), set())
    assert {"date:md-03-28", "date:y-2013"} <= docs[a.id].entities.keys()

    def sim(x: Article, y: Article) -> float:
        return _similarity(docs[x.id], docs[y.id], 0.3, None)

    gain = sim(a, same) - sim(a, same_bare)
    # A different day is no veto: like any entity the other report lacks, it only dilutes.
    loss = sim(a, other_bare) - sim(a, other)
    assert gain > 0.05
    assert 0 <= loss < gain
    assert sim(a, other) > 0.8 * sim(a, other_bare)


def test_date_keys_never_become_story_keywords():
    (story,) = cluster_stories([flood(n, "March 28", "2013-03-28", year="2002") for n in range(3)])
    assert story.keywords
    assert not any(k.startswith("date:") or k[:2].isdigit() for k in story.keywords)


def _fields(article: Article) -> dict:
    return {name: getattr(article, name) for name in article.__slots__}


def test_a_day_every_article_names_does_not_undo_the_blocking(story_comparisons):
    import parallax.crossdoc.stories as module

    calls = story_comparisons
    rng = random.Random(5)
    vocabulary = [f"w{i}x{'abcdefghij'[i % 10]}" for i in range(20000)]
    articles = []
    for n in range(1500):
        base = vocabulary[(n // 10) * 8 : (n // 10) * 8 + 8]
        text = " ".join(base * 3 + rng.sample(vocabulary, 40)) + " on March 28"
        at = text.index("March 28")
        articles.append(Article(
            id=f"art_{n:05d}", input=str(n), format="txt", text=text, title=" ".join(base[:4]),
            dates=(TimeExpression(article=f"art_{n:05d}", start=at, end=at + 8, text="March 28",
                                  value="2024-03-28"),),
        ))  # fmt: skip
    stories = cluster_stories(articles)
    assert len(calls) <= 1500 * module._MAX_CANDIDATES
    assert len(calls) < 1500 * 1499 // 2 // 10
    assert 110 <= len(stories) <= 200  # 150 planted stories; the shared day links none of them
