"""Invariants of claims and contradictions on generated articles.

Claim mentions always point at their text, claim ids are unique, a claim has
at most one mention per article, and contradictions are symmetric (never a
claim against itself).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parallax.crossdoc.claims import align_claims, extract_claims, split_sentences
from parallax.crossdoc.contradictions import find_contradictions
from parallax.ids import make_id
from parallax.records import Article, Entity, Event, Mention, Story, TimeExpression

PLACES = {
    "Kharkiv": {"geonames": 706483, "lat": 49.98, "lon": 36.25, "country": "UA", "kind": "city"},
    "Lviv": {"geonames": 702550, "lat": 49.84, "lon": 24.03, "country": "UA", "kind": "city"},
    "Ukraine": {"geonames": 690791, "lat": 49.0, "lon": 32.0, "country": "UA", "kind": "country"},
}
ACTORS = ("Russia", "Ukraine", "Poland")
SENTENCES = st.builds(
    lambda count, actor, target, place, day, negated, weekday: (
        f"{count} people were killed when {actor} {'did not strike' if negated else 'struck'} "
        f"{target} in {place} on {weekday}March {day}, 2025."
    ),
    st.sampled_from(["At least 40", "12", "Twelve", "about 30", "45", "dozens of", "3"]),
    st.sampled_from(ACTORS),
    st.sampled_from(("Poland", "a market", "Russia")),
    st.sampled_from(tuple(PLACES)),
    st.integers(min_value=10, max_value=13),
    st.booleans(),
    st.sampled_from(["", "Tuesday, ", "Wednesday, "]),
) | st.sampled_from([
    "Police arrested more than 2,000 protesters in Kharkiv.",
    "Turnout was 67 percent, officials said.",
    "Turnout was 59 percent, officials said.",
    "The weather was mild.",
    "Poland defeated Ukraine in the final.",
    "Ukraine beat Poland in the final.",
])


def build(article_id: str, outlet: str | None, sentences: list[str], duplicate_of: str | None) -> Article:
    text = " ".join(sentences)
    entities: dict[str, Entity] = {}
    for name in (*ACTORS, *PLACES):
        mentions = []
        start = text.find(name)
        while start >= 0:
            mentions.append(Mention(article=article_id, start=start, end=start + len(name), text=name))
            start = text.find(name, start + 1)
        if mentions:
            eid = make_id("ent", article_id, name)
            entities[name] = Entity(id=eid, name=name, type="GPE", mentions=tuple(mentions), kb=PLACES.get(name, {}))
    events, dates = [], []
    for s, e in split_sentences(text):
        sentence = text[s:e]
        for trigger in ("struck", "strike"):
            at = sentence.find(" " + trigger + " ")
            if at < 0:
                continue
            ts = s + at + 1
            actor = next((n for n in ACTORS if sentence.find(n) >= 0 and s + sentence.find(n) < ts), None)
            place = next((n for n in PLACES if f"in {n}" in sentence), None)
            events.append(Event(
                id=make_id("evt", article_id, str(s), str(ts)), article=article_id, start=s, end=e,
                type="ASSAULT", trigger=trigger, trigger_start=ts, trigger_end=ts + len(trigger),
                actor=entities[actor].id if actor else None, actor_text=actor,
                place=entities[place].id if place else None, place_text=place,
                negated=trigger == "strike",
            ))
        day = sentence.find("March ")
        if day >= 0:
            start = s + day
            end = start + len("March 10, 2025")
            if text[start - 2: start] == ", " and text[start - 11:start - 2] in ("Wednesday", " Tuesday"):
                start = text.rfind(" ", 0, start - 2) + 1
            dates.append(TimeExpression(article=article_id, start=start, end=end, text=text[start:end],
                                        value=f"2025-03-{text[end - 8:end - 6]}"))
    return Article(id=article_id, input=article_id, format="txt", text=text, outlet=outlet, language="en",
                   published="2025-03-14", duplicate_of=duplicate_of, entities=tuple(entities.values()),
                   events=tuple(events), dates=tuple(dates))


CORPUS = st.lists(
    st.tuples(st.sampled_from(["Reuters", "TASS", "AP", None]), st.lists(SENTENCES, min_size=1, max_size=4)),
    min_size=1, max_size=4,
)


def corpus(draw: list[tuple[str | None, list[str]]]) -> tuple[list[Article], list[Story], dict[str, str]]:
    articles = []
    for i, (outlet, sentences) in enumerate(draw):
        duplicate_of = articles[0].id if i == 3 else None
        articles.append(build(f"art_{i}", outlet, sentences, duplicate_of))
    stories = [Story(id="sto_a", title="a", articles=tuple(a.id for a in articles[:2])),
               Story(id="sto_b", title="b", articles=tuple(a.id for a in articles[2:]))]
    entity_map = {e.id: "ent_" + e.name for a in articles for e in a.entities}
    return articles, stories, entity_map


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CORPUS)
def test_claim_mentions_point_at_their_text(draw):
    articles, stories, entity_map = corpus(draw)
    texts = {a.id: a.text for a in articles}
    for article in articles:
        for c in extract_claims(article):
            assert 0 <= c.start < c.end <= len(article.text) and article.text[c.start:c.end] == c.text
    claims = align_claims(articles, stories, entity_map)
    story_of = {a: s.id for s in stories for a in s.articles}
    assert len({c.id for c in claims}) == len(claims)
    for claim in claims:
        assert claim.outlets >= 1
        assert len({m.article for m in claim.mentions}) == len(claim.mentions)
        for m in claim.mentions:
            assert texts[m.article][m.start:m.end] == m.text
            assert story_of[m.article] == claim.story
    assert align_claims(articles, stories, entity_map) == claims


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CORPUS)
def test_contradictions_are_symmetric(draw):
    articles, stories, entity_map = corpus(draw)
    claims = find_contradictions(align_claims(articles, stories, entity_map), articles, entity_map=entity_map)
    by_id = {c.id: c for c in claims}
    for claim in claims:
        for flag in claim.contradicts:
            assert flag.claim != claim.id
            other = by_id[flag.claim]
            assert other.story == claim.story
            assert any(back.claim == claim.id and back.kind == flag.kind for back in other.contradicts)
