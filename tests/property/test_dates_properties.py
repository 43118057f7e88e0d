"""Invariants of date finding and normalising, on generated text and anchors."""

from __future__ import annotations

import re
from datetime import date

import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parallax.stages.dates import find_dates, resolve_date, to_date_range

_VALUE = re.compile(r"\d{4}(-\d{2}(-\d{2})?|-W\d{2}|-Q[1-4])?")
_KINDS = {"absolute", "relative", "vague", "duration", "set", "unknown"}

_PIECES = [
    "on Friday", "last week", "March 3", "3 March 2024", "yesterday", "two days ago",
    "the day before", "earlier this year", "in 2019", "Tuesday, March 12", "3/4/2024",
    "13/4/2024", "next Monday", "the third quarter", "a year earlier", "recently",
    "Aug. 26 to Oct. 20", "between 1994 and 1997", "every Friday", "for three years",
    "Christmas", "mid-November", "the weekend", "9999-12-31", "0001-01-01", "Feb. 30",
    "Russian forces shelled Kharkiv", "officials said", ",", ".", "\n\n", "(AP) —", "'98",
    "the", "will", "Sept.", "May", "March", "Friday's", "nineteen ninety-six",
]
_text = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)), max_size=25
).map(" ".join)
_anchor = st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
_published = st.one_of(
    st.none(), _anchor.map(lambda d: d.isoformat() if d else None), st.text(max_size=12)
)

_NLP = spacy.blank("en")
_NLP.add_pipe("sentencizer")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(st.sampled_from(_PIECES), st.text(max_size=60), _text), anchor=_anchor,
       tense=st.sampled_from([None, "past", "future", "present", "nonsense"]),
       reference=st.one_of(st.none(), st.sampled_from(["2024-03-05", "2024-W09", "2024-Q3", "2024", "x"])))
def test_resolve_date_never_raises_and_values_are_iso(text: str, anchor: date | None, tense: str | None,
                                                      reference: str | None) -> None:
    res = resolve_date(text, anchor, tense=tense, reference=reference)
    assert res.kind in _KINDS
    if res.value is not None:
        assert _VALUE.fullmatch(res.value), res
        assert to_date_range(res.value) is not None, res


@settings(max_examples=200, deadline=None)
@given(text=st.sampled_from(_PIECES), anchor=st.dates(min_value=date(2, 1, 1), max_value=date(9998, 12, 31)))
def test_resolve_date_relative_values_need_an_anchor(text: str, anchor: date) -> None:
    with_anchor = resolve_date(text, anchor)
    without = resolve_date(text, None)
    if with_anchor.kind == "relative" and with_anchor.value is not None and without.kind == "relative":
        assert without.value is None  # never invent a year


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_text, published=_published)
def test_find_dates_offsets_are_valid(text: str, published: str | None) -> None:
    doc = _NLP(text)
    found = find_dates(doc, "art_x", published)
    previous_start = -1
    for x in found:
        assert 0 <= x.start < x.end <= len(text)
        assert doc.text[x.start:x.end] == x.text
        assert x.text == x.text.strip()
        assert x.start >= previous_start  # in text order
        previous_start = x.start
        if x.value is not None:
            assert _VALUE.fullmatch(x.value)
        if x.inferred:
            assert x.anchor is not None
    assert find_dates(doc, "art_x", published) == found  # pure: same input, same output
