"""Find date expressions in an article and resolve them to the calendar.

Two pure functions, no I/O and no clock:

- :func:`resolve_date` normalises one expression ("on Friday", "March 3",
  "last week", "two days ago") against an anchor date and returns a
  :class:`Resolution` ``(value, kind, note)``.
- :func:`find_dates` finds the expressions in a spaCy ``Doc`` (spaCy ``DATE``
  and ``TIME`` entities plus our own patterns, so it also works on a blank
  tokenizer-only ``Doc``) and returns :class:`~parallax.records.TimeExpression`
  records resolved against the publication date.

Value formats (ISO 8601 / TimeML subset):

=============  ==================  ================================================
format         example             written as
=============  ==================  ================================================
``YYYY-MM-DD`` ``2024-03-08``      "Friday", "March 8", "yesterday", "two days ago"
``YYYY-Www``   ``2024-W09``        "last week", "this week", "the weekend", "two weeks ago"
``YYYY-MM``    ``2024-03``         "March", "last month", "earlier this month"
``YYYY-Qn``    ``2024-Q3``         "the third quarter", "last quarter" (business news)
``YYYY``       ``2024``            "in 2024", "last year", "earlier this year"
``None``       --                  vague ("earlier", "recently"), no year known, ambiguous
=============  ==================  ================================================

Decisions, documented because they are choices:

- **Never invent a year.** A day-month ("March 3") or a weekday with no anchor
  gets ``value=None`` (not TimeML's ``XXXX-03-03``) and keeps its text, so a
  consumer never mistakes a guess for a date. The same goes for ambiguous
  numeric dates ("3/4/2024" could be March 4 or 3 April): resolved only when
  one part is above 12 or both parts are equal; year-first numbers
  ("2024/03/04") are unambiguous.
- **Tense picks the direction.** A bare weekday in a past-tense clause (or with
  no parse at all: news reports what happened) is the most recent one on or
  before the anchor; in a future clause ("will meet Friday", "next Friday")
  the first one after it; in a present clause ("the summit opens Monday") the
  nearest. A day-month or month without a year is the nearest occurrence,
  except that a past clause looks back unless the date is at most two months
  ahead ("extended the offer to Nov. 20" names a coming deadline) and a
  future clause looks ahead.
- **A weekday that disagrees with its date** ("Tuesday, March 13, 2024",
  a Wednesday) keeps the explicit date and says so in ``note``; without a
  year the weekday picks the year.
- **Reference time.** "the day before", "the next day", "a year later" are
  relative to the narrative, not to publication: :func:`find_dates` passes
  the previous resolved expression of the article as ``reference`` (values
  that were themselves derived from a reference do not become one). Without a
  usable reference, "...later/after" stays unresolved and "...earlier/before"
  falls back to the anchor. After a quarter, "a year ago"/"the year-earlier
  quarter" is the same quarter a year back (business-news convention, as in
  TimeML).
- **Modifiers are dropped, granularity is kept:** "late last year" is
  ``2023``, "mid-November" is ``2024-11``, "Friday night" is the Friday.
- **Durations, frequencies and ages are not dates:** "three years",
  "the past week", "every Friday", "56 years old" are classified as such and
  :func:`find_dates` leaves them out.
- **Spans** are the date words without their preposition ("Friday" in "on
  Friday"); ranges ("Aug. 26 to Oct. 20", "between 1994 and 1997") are split
  into their ends. Vague adverbs ("earlier", "recently", "soon") are kept with
  ``value=None`` when the tagger calls them adverbs (on a blank ``Doc``: when
  they end a clause); "now" and "currently" are not emitted.
- **Inferred anchors.** With no publication date, the anchor is the most
  frequent explicit full date of the article (ties: the latest, since news is
  written after what it reports); every value that depended on it carries
  ``inferred=True``. ``anchor`` is set only on values that used the anchor.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from typing import Any, NamedTuple

from parallax.records import TimeExpression

__all__ = [
    "FROM_REFERENCE", "Resolution", "find_dates", "infer_anchor", "resolve_date", "to_date_range",
]


FROM_REFERENCE = "relative to the previous expression"


class Resolution(NamedTuple):
    """What :func:`resolve_date` made of one expression.

    ``kind`` is one of ``absolute`` (needs no anchor), ``relative`` (needed the
    anchor or reference), ``vague`` ("earlier", "recently"), ``duration``,
    ``set`` ("every Friday"), ``unknown`` (not understood). ``note`` explains a
    ``None`` value or a weekday/date mismatch.
    """

    value: str | None
    kind: str
    note: str | None = None


# --- vocabulary -------------------------------------------------------------

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMBERS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "a couple of": 2, "a few": 3, "several": 3, "couple of": 2,
}
ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
}
# (month, day) of fixed-date holidays; Thanksgiving is computed.
HOLIDAYS: dict[str, tuple[int, int]] = {
    "christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25),
    "new year's eve": (12, 31), "new year's day": (1, 1), "boxing day": (12, 26),
    "valentine's day": (2, 14), "halloween": (10, 31), "independence day": (7, 4),
    "bastille day": (7, 14), "st. patrick's day": (3, 17), "may day": (5, 1),
    "veterans day": (11, 11), "armistice day": (11, 11),
}
VAGUE = (
    "earlier", "recently", "recent", "previously", "lately", "formerly", "now", "currently",
    "current", "soon", "nowadays", "these days", "in the past", "the past", "in the future",
    "the future", "once", "then", "at the time", "before", "later", "afterwards", "already",
    "yet", "today's", "eventually", "shortly", "someday", "some day", "one day",
)

_MONTH_RE = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
_WEEKDAY_RE = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)"
)
_NUMBER_RE = (
    r"(?:\d+|a couple of|couple of|a few|several|an?|one|two|three|four|five|six|seven|eight"
    r"|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|twenty|thirty|forty|fifty)"
)
_UNIT_RE = r"(?:day|week|month|year|decade|quarter|fortnight|hour|minute|century|centuries)s?"
_SEASONS = ("spring", "summer", "fall", "autumn", "winter")

# normaliser patterns (on lowercased, punctuation-normalised text)
_R_ISO_DAY = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_R_ISO_MONTH = re.compile(r"\b(\d{4})-(\d{2})\b(?!-)")
_R_NUMERIC = re.compile(r"\b(\d{1,4})[/.](\d{1,2})(?:[/.](\d{2,4}))?\b")
_R_MONTH = re.compile(rf"\b({_MONTH_RE})\b\.?")
_R_WEEKDAY = re.compile(rf"\b({_WEEKDAY_RE})(s?)\b\.?")
_R_YEAR = re.compile(r"(?<!\d)(?<!\d-)(1[0-9]{3}|2[0-9]{3})(?!\d)(s?)|'(\d{2})\b(s?)")
_R_SET = re.compile(
    r"\b(every|each|daily|weekly|monthly|yearly|annual|annually|nightly|quarterly|biweekly"
    r"|semiannual|per (?:day|week|month|year)|(?:once|twice|times) an? (?:day|week|month|year))\b"
)
_R_AGE = re.compile(r"\b(?:years?|months?|weeks?|days?)[- ]old\b|\baged?\b|\bage of\b")
_R_AGO = re.compile(
    rf"\b({_NUMBER_RE})\s+(?:more\s+)?({_UNIT_RE})\s+(ago|earlier|before|later|after|from now|hence"
    r"|back|previously|prior)\b"
)
_R_IN_UNITS = re.compile(rf"^(?:in|within)\s+({_NUMBER_RE})\s+({_UNIT_RE})(?:'s? time)?$")
_R_REL_UNIT = re.compile(
    r"\b(last|this|next|past|coming|previous|current|following|prior|same|that|the)\s+"
    r"(week|month|year|weekend|quarter|fortnight|spring|summer|fall|autumn|winter|day|morning"
    r"|afternoon|evening|night|decade)\b"
)
_R_QUARTER = re.compile(
    r"\b(first|second|third|fourth|1st|2nd|3rd|4th)[- ](?:fiscal[- ])?quarter\b|\bq([1-4])\b"
)
_R_HALF = re.compile(r"\b(first|second|1st|2nd)[- ]half\b|\bh([12])\b")
_R_DURATION = re.compile(
    rf"^(?:for|over|during|within|in|about|around|nearly|almost|roughly|some|at least"
    rf"|more than|less than|up to|the|a|an|all|the past|the last|the next|the previous"
    rf"|the first|the coming|the following|past|last|next|\s)*\s*"
    rf"(?:{_NUMBER_RE}|\d+(?:\.\d+)?|\d+[- ]and[- ]a[- ]half|a half|half a|many|few|dozens of"
    rf"|hundreds of|thousands of|several)?(?:[- ]|\s)*(?:more\s+)?{_UNIT_RE}"
    rf"(?:[- ]long)?(?: or (?:so|more|two|three))?$"
)
_R_CENTURY = re.compile(r"\bcentur(?:y|ies)\b|\bmillennium\b")
_TOKEN_CLEAN = re.compile(r"[\u2010-\u2015\u2212]")
_SPACE = re.compile(r"\s+")

_MAX_ORDINAL = date.max.toordinal()


# --- calendar helpers ---------------------------------------------------------


def _iso_week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _add_months(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    year = min(max(year, 1), 9999)
    return date(year, month + 1, 1)


def _shift(d: date, days: int) -> date | None:
    ordinal = d.toordinal() + days
    if 1 <= ordinal <= _MAX_ORDINAL:
        return date.fromordinal(ordinal)
    return None


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _thanksgiving(year: int) -> date:
    first = date(year, 11, 1)
    offset = (3 - first.weekday()) % 7
    return date(year, 11, 1 + offset + 21)


def to_date_range(value: str | None) -> tuple[date, date] | None:
    """Return the first and last calendar day a resolved value covers, or None.

    Accepts every format :func:`resolve_date` produces: ``YYYY-MM-DD``,
    ``YYYY-Www``, ``YYYY-MM``, ``YYYY-Qn`` and ``YYYY``.
    """
    if not value:
        return None
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := re.fullmatch(r"(\d{4})-W(\d{1,2})", value):
            start = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return start, start + timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            start = date(int(m[1]), int(m[2]), 1)
            return start, _add_months(start, 1) - timedelta(days=1)
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            start = date(int(m[1]), 3 * int(m[2]) - 2, 1)
            return start, _add_months(start, 3) - timedelta(days=1)
        if m := re.fullmatch(r"(\d{4})", value):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
    except (ValueError, OverflowError):
        return None
    return None


def _parse_iso(value: str | None) -> date | None:
    if not value:
        return None
    m = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    return _valid(int(m[1]), int(m[2]), int(m[3]))


def _clean(text: str) -> str:
    text = _TOKEN_CLEAN.sub("-", text.lower()).replace("\u2019", "'").replace("\u2018", "'")
    text = _SPACE.sub(" ", text).strip(" ,;:()[]{}\"")
    text = re.sub(r"'s?$", "", text)  # "last year's", "the 1990s'"
    text = re.sub(r"\bfiscal[- ]", "", text)  # "fiscal 1989", "the fiscal first quarter"
    return _spell_years(text)


_SPELLED_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}
_SPELLED_TENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_R_SPELLED_YEAR = re.compile(
    r"\b(nineteen|eighteen|twenty) (ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
    r"|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[- ](one|two|three|four|five|six|seven|eight|nine))?\b"
    r"|\btwo thousand(?: and)?(?: (one|two|three|four|five|six|seven|eight|nine))?\b"
)


def _spell_years(text: str) -> str:
    """"nineteen ninety-six" -> "1996", "the year two thousand" -> "the year 2000"."""
    if "teen" not in text and "twenty" not in text and "thousand" not in text:
        return text

    def year(m: re.Match[str]) -> str:
        if m[1]:
            century = _SPELLED_TENS[m[1]]
            return str(century * 100 + _SPELLED_TENS[m[2]] + _SPELLED_UNITS.get(m[3] or "", 0))
        return str(2000 + _SPELLED_UNITS.get(m[4] or "", 0))

    return _R_SPELLED_YEAR.sub(year, text)


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word) if len(word) <= 4 else None
    return NUMBERS.get(word)


# --- the normaliser -----------------------------------------------------------


def resolve_date(
    text: str,
    anchor: date | None,
    *,
    tense: str | None = None,
    reference: str | None = None,
) -> Resolution:
    """Normalise one date expression.

    Args:
        text: the expression as written ("on Friday", "March 3", "last week").
        anchor: the publication date (or an inferred one); None if unknown.
        tense: "past", "future" or "present" for the clause the expression
            is in; None when unknown (treated as past, the news default).
        reference: the ISO value of the narrative's current time (the previous
            expression), used by "the day before", "a year later".

    Never raises: any input gives a :class:`Resolution`.
    """
    try:
        return _resolve(_clean(text), anchor, tense, reference)
    except (ValueError, OverflowError, IndexError, KeyError):  # calendar edge cases
        return Resolution(None, "unknown", "out of calendar range")


def _resolve(s: str, anchor: date | None, tense: str | None, reference: str | None) -> Resolution:
    if not s:
        return Resolution(None, "unknown", "empty")
    if m := _R_IN_UNITS.match(s):  # "in two days": before "in" is stripped below
        n = _number(m[1])
        if n is not None and anchor is not None:
            return _offset(anchor, n, m[2], "in")
        return Resolution(None, "relative", "no anchor")
    s = re.sub(r"^(?:on|in|at|by|since|until|till|from|during|of|before|after|as of)\s+", "", s)
    if _R_AGE.search(s):
        return Resolution(None, "duration", "age")

    # absolute numeric forms
    if m := _R_ISO_DAY.search(s):
        d = _valid(int(m[1]), int(m[2]), int(m[3]))
        return Resolution(d.isoformat(), "absolute") if d else Resolution(None, "unknown", "invalid date")
    if m := _R_ISO_MONTH.search(s):
        if 1 <= int(m[2]) <= 12:
            return Resolution(f"{m[1]}-{m[2]}", "absolute")
    if (m := _R_NUMERIC.search(s)) and not _R_MONTH.search(s):
        return _numeric(m, anchor)

    if _R_SET.search(s) and not _R_AGO.search(s) and not re.search(r"\b(last|next|this|past|coming)\b", s):
        return Resolution(None, "set")

    # "two days ago", "a year earlier", "three weeks later"
    if m := _R_AGO.search(s):
        return _ago(m, anchor, reference)

    # the day before, the next day, the same day, the previous week
    if rel := _narrative(s, anchor, reference):
        return rel
    if rel := _year_ago_period(s, anchor, reference):
        return rel
    if m := re.fullmatch(
        r"(?:(?:earlier|later|early|late) in|(?:at |by |until |toward |towards )?the (?:end|beginning|start"
        r"|middle|rest|remainder|close|turn) of) the (week|month|year)",
        s,
    ):
        return _relative_unit(s, "this", m[1], anchor, tense, reference)

    if s in ("today", "tonight", "this morning", "this afternoon", "this evening", "today's"):
        return _day(anchor, 0)
    if re.fullmatch(r"(?:early |late |earlier |later )?(?:today|tonight)(?: \w+)?", s):
        return _day(anchor, 0)
    if re.search(r"\bthe day before yesterday\b", s):
        return _day(anchor, -2)
    if re.search(r"\bthe day after tomorrow\b", s):
        return _day(anchor, 2)
    if re.search(r"\b(yesterday|last night)\b", s):
        return _day(anchor, -1)
    if re.search(r"\btomorrow\b", s):
        return _day(anchor, 1)

    # holidays
    for name, (month, day) in HOLIDAYS.items():
        if re.search(rf"\b{re.escape(name)}\b", s):
            year = _explicit_year(s, anchor)
            return _month_day(month, day, year, None, anchor, _direction(s, tense))
    if re.search(r"\bthanksgiving\b", s):
        year = _explicit_year(s, anchor)
        if year is None:
            if anchor is None:
                return Resolution(None, "relative", "no year")
            cands = [_thanksgiving(y) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
            return Resolution(_pick(cands, anchor, _direction(s, tense)).isoformat(), "relative")
        return Resolution(_thanksgiving(year).isoformat(), "absolute")

    # month names: "March 3, 2024", "3 March", "March 2024", "last March"
    month_match = _find_month(s)
    if month_match is not None:
        return _with_month(s, month_match, anchor, tense)

    if m := _R_QUARTER.search(s):
        n = ORDINALS.get(m[1] or "", 0) or int(m[2] or 0)
        return _quarter_value(s, n, anchor, tense)
    if m := _R_HALF.search(s):
        return Resolution(None, "relative", "half year")

    # weekdays
    if m := _R_WEEKDAY.search(s):
        if m[2] == "s" and not re.search(r"\b(last|next|this|past|coming)\b", s):
            return Resolution(None, "set")
        return _weekday(s, WEEKDAYS[m[1]], anchor, tense)

    if _R_CENTURY.search(s):
        return Resolution(None, "absolute", "century")
    if re.search(r"(?<!\d)\d{2,3}0s\b|'\d0s\b|\b(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b", s):
        return Resolution(None, "absolute", "decade")

    # "last week", "this year", "earlier this month", "next quarter"
    if m := _R_REL_UNIT.search(s):
        res = _relative_unit(s, m[1], m[2], anchor, tense, reference)
        if res is not None:
            return res

    # a year on its own: "2019", "fiscal 2019", "the end of 2019", "mid-2019"
    if m := _R_YEAR.search(s):
        if m[2] == "s" or m[4] == "s":
            return Resolution(None, "absolute", "decade")
        year = int(m[1]) if m[1] else _two_digit_year(int(m[3]), anchor)
        if _R_DURATION.match(s):
            return Resolution(None, "duration")
        return Resolution(f"{year:04d}", "absolute")

    if s in ("the quarter", "the latest quarter", "the most recent quarter", "the recent quarter",
             "the latest period", "the period", "the quarter just ended", "the fiscal quarter"):
        return _quarter_shift(anchor, -1)
    if s in ("the year", "the current year", "the calendar year", "year-end",
             "the year's end", "year end", "the end of the year", "the full year"):
        if anchor is None:
            return Resolution(None, "relative", "no anchor")
        return Resolution(f"{anchor.year:04d}", "relative")
    if s in ("the week", "the month"):
        return _relative_unit(s, "this", s[4:], anchor, tense, reference)

    if _R_DURATION.match(s) or re.fullmatch(rf"(?:the )?(?:past|last|next|coming) (?:{_NUMBER_RE} )?{_UNIT_RE}", s):
        return Resolution(None, "duration")
    if re.fullmatch(rf"(?:the )?(?:{_NUMBER_RE} )?{_UNIT_RE}", s):
        return Resolution(None, "duration")
    stripped = re.sub(r"^(?:until|since|as of|even|just|only|very|more|most|so|as)\s+", "", s)
    if stripped in VAGUE or s in VAGUE:
        return Resolution(None, "vague", "vague")
    return Resolution(None, "unknown", "unparsed")


def _numeric(m: re.Match[str], anchor: date | None) -> Resolution:
    a, b, c = m[1], m[2], m[3]
    if len(a) == 4:  # 2024/03/04 is year-first and unambiguous
        if c is None:
            return Resolution(None, "unknown", "unparsed")
        d = _valid(int(a), int(b), int(c))
        return Resolution(d.isoformat(), "absolute") if d else Resolution(None, "unknown", "invalid date")
    if c is None:
        return Resolution(None, "relative", "ambiguous numeric date without year")
    year = int(c) if len(c) == 4 else _two_digit_year(int(c), anchor) if len(c) == 2 else None
    if year is None:
        return Resolution(None, "unknown", "invalid date")
    x, y = int(a), int(b)
    if x == y or x > 12 >= y or y > 12 >= x:
        month, day = (y, x) if x > 12 else (x, y)
        d = _valid(year, month, day)
        return Resolution(d.isoformat(), "absolute") if d else Resolution(None, "unknown", "invalid date")
    if x > 12 and y > 12:
        return Resolution(None, "unknown", "invalid date")
    return Resolution(None, "absolute", "ambiguous numeric date (day/month order unknown)")


def _two_digit_year(yy: int, anchor: date | None) -> int:
    base = anchor.year if anchor else 2000
    century = base - base % 100
    year = century + yy
    if year > base + 10 and year - 100 >= 1:  # no year 0 or BC dates from two digits
        year -= 100
    return year


def _explicit_year(s: str, anchor: date | None) -> int | None:
    for m in _R_YEAR.finditer(s):
        if m[2] == "s" or m[4] == "s":
            continue
        return int(m[1]) if m[1] else _two_digit_year(int(m[3]), anchor)
    return None


def _direction(s: str, tense: str | None) -> str:
    """Which way a calendar date without a year lies from the anchor.

    Explicit words decide first; then a future clause looks ahead; otherwise
    the nearest occurrence wins (a past-tense clause still talks about the
    coming deadline in "extended the offer to Nov. 20").
    """
    if re.search(r"\b(next|coming|upcoming|following)\b", s):
        return "future"
    if re.search(r"\b(last|past|previous|earlier|ago)\b", s):
        return "past"
    if tense == "future":
        return "future"
    if tense == "past":
        return "past"
    return "nearest"


_PAST_SLACK = 62  # days: "extended the offer to Nov. 20", "payable Dec. 7" in a past clause


def _pick(candidates: list[date], anchor: date, direction: str) -> date:
    """Choose among candidate dates by direction relative to the anchor.

    "past" allows a near-future slack: a past-tense clause often names a coming
    deadline ("extended the offer to Nov. 20"), rarely a date ten months back
    written without its year.
    """
    if direction == "future":
        after = [c for c in candidates if c > anchor]
        return min(after) if after else max(candidates)
    if direction == "nearest":
        return min(candidates, key=lambda c: (abs(c.toordinal() - anchor.toordinal()), c > anchor))
    limit = _shift(anchor, _PAST_SLACK) or anchor
    before = [c for c in candidates if c <= limit]
    return max(before) if before else min(candidates)


def _day(anchor: date | None, days: int) -> Resolution:
    if anchor is None:
        return Resolution(None, "relative", "no anchor")
    d = _shift(anchor, days)
    return Resolution(d.isoformat() if d else None, "relative")


def _offset(base: date, n: int, unit: str, word: str) -> Resolution:
    sign = -1 if word in ("ago", "earlier", "before", "back", "previously", "prior") else 1
    unit = unit.rstrip("s") if unit != "centuries" else "century"
    if unit == "day":
        d = _shift(base, sign * n)
        return Resolution(d.isoformat() if d else None, "relative")
    if unit in ("week", "fortnight"):
        d = _shift(base, sign * n * (14 if unit == "fortnight" else 7))
        return Resolution(_iso_week(d) if d else None, "relative")
    if unit == "month":
        d = _add_months(base, sign * n)
        return Resolution(f"{d.year:04d}-{d.month:02d}", "relative")
    if unit == "quarter":
        d = _add_months(base, sign * n * 3)
        return Resolution(f"{d.year:04d}-Q{_quarter(d)}", "relative")
    if unit in ("year", "decade"):
        year = base.year + sign * n * (10 if unit == "decade" else 1)
        return Resolution(f"{year:04d}" if 1 <= year <= 9999 else None, "relative")
    return Resolution(None, "relative", f"{unit} granularity")


def _reference_date(reference: str | None) -> tuple[date, str] | None:
    """The reference value as a date plus its granularity."""
    if not reference:
        return None
    span = to_date_range(reference)
    if span is None:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", reference):
        return span[0], "day"
    if "-W" in reference:
        return span[0], "week"
    if "-Q" in reference:
        return span[0], "quarter"
    if re.fullmatch(r"\d{4}-\d{2}", reference):
        return span[0], "month"
    return span[0], "year"


_GRAIN = {"day": 0, "week": 1, "fortnight": 1, "month": 2, "quarter": 3, "year": 4, "decade": 5,
          "century": 6}


def _ago(m: re.Match[str], anchor: date | None, reference: str | None) -> Resolution:
    count, unit, word = m[1], m[2], m[3]
    n = _number(count)
    if n is None or count in ("several", "a few", "a couple of", "couple of"):
        return Resolution(None, "vague", "vague count")
    base = anchor
    if word not in ("ago", "from now", "hence", "back"):
        # earlier/later/before/after: relative to the narrative's reference time
        ref = _reference_date(reference)
        grain = _GRAIN.get(unit.rstrip("s"), 5)
        if ref is not None and _GRAIN[ref[1]] <= grain:
            if ref[1] == "quarter" and grain == 4:  # "a year earlier" after "the third quarter"
                sign = 1 if word in ("later", "after") else -1
                return Resolution(f"{ref[0].year + sign * n:04d}-Q{_quarter(ref[0])}", "relative", FROM_REFERENCE)
            return _offset(ref[0], n, unit, word)._replace(note=FROM_REFERENCE)
        if word in ("later", "after"):
            return Resolution(None, "relative", "relative to an unknown reference time")
    if base is None:
        return Resolution(None, "relative", "no anchor")
    return _offset(base, n, unit, word)


_R_YEAR_AGO_PERIOD = re.compile(
    r"(?:the )?(?:comparable |corresponding |same )?(?:year-ago|year-earlier|prior-year|year ago|year earlier)"
    r"(?: (?:quarter|period))?"
    r"|(?:the )?(?:comparable |corresponding |same )?(?:quarter|period)(?: of)? (?:a year (?:ago|earlier)|last year)"
    r"|last year's (?:quarter|period)|(?:the )?(?:1[0-9]|20)\d\d (?:quarter|period)"
)


def _year_ago_period(s: str, anchor: date | None, reference: str | None) -> Resolution | None:
    """"the year-ago quarter": the reference quarter a year back (business news)."""
    quarterly = _R_YEAR_AGO_PERIOD.fullmatch(s)
    ref = _reference_date(reference)
    ref_quarter = ref is not None and ref[1] == "quarter"
    if not quarterly and not (ref_quarter and s in ("a year ago", "a year earlier")):
        return None
    if ref is not None and ref_quarter:
        year = _explicit_year(s, anchor)
        if year is None:
            year = ref[0].year - 1
        return Resolution(f"{year:04d}-Q{_quarter(ref[0])}", "relative", FROM_REFERENCE)
    if anchor is None:
        return Resolution(None, "relative", "no anchor")
    if "quarter" in s or "period" in s:
        d = _add_months(anchor.replace(day=1), -3)
        year = _explicit_year(s, anchor) or d.year - 1
        return Resolution(f"{year:04d}-Q{_quarter(d)}", "relative")
    return Resolution(f"{anchor.year - 1:04d}", "relative")


def _narrative(s: str, anchor: date | None, reference: str | None) -> Resolution | None:
    m = re.fullmatch(
        r"(?:the |that |a )?(day|week|month|year|night|evening|morning)"
        r" (before|after|earlier|later|prior)(?: that)?",
        s,
    ) or re.fullmatch(
        r"(?:(?:the|that) (?:previous|next|following|same|preceding|prior)"
        r"|(?:the |that )?(?:following|same|preceding|prior)) (day|week|month|year|night|evening|morning)",
        s,
    )
    if m and m.lastindex == 1:  # second pattern: the modifier is in the text
        word = re.match(r"(?:the |that )?(\w+)", s)[1]  # type: ignore[index]
        m = None
        unit_word = re.search(r"(day|week|month|year|night|evening|morning)$", s)
        return _narrative_shift(word, unit_word[1] if unit_word else "day", reference)
    if not m:
        that = re.fullmatch(
            r"(?:(?:earlier|later|early|late) )?(?:that|the same|that same|the) (day|night|week|month|year|quarter)", s
        )
        if that:
            if that[0] in ("the week", "the month", "the year"):
                return None  # the current one, resolved against the anchor below
            ref = _reference_date(reference)
            unit = {"night": "day"}.get(that[1], that[1])
            if ref is not None and _GRAIN[ref[1]] <= _GRAIN[unit]:
                return _offset(ref[0], 0, unit, "after")._replace(note=FROM_REFERENCE)
            if that[0] in ("the day", "the quarter"):
                return None
            return Resolution(None, "relative", "relative to an unknown reference time")
        return None
    return _narrative_shift(m[2], m[1], reference)


def _narrative_shift(word: str, unit: str, reference: str | None) -> Resolution:
    sign = {"before": -1, "earlier": -1, "prior": -1, "previous": -1, "preceding": -1,
            "after": 1, "later": 1, "next": 1, "following": 1, "same": 0}[word]
    if unit in ("night", "evening", "morning"):
        unit = "day"
    ref = _reference_date(reference)
    if ref is None or _GRAIN[ref[1]] > _GRAIN[unit]:
        return Resolution(None, "relative", "relative to an unknown reference time")
    base = ref[0]
    if sign == 0:
        return _offset(base, 0, unit, "after")._replace(note=FROM_REFERENCE)
    return _offset(base, 1, unit, "after" if sign > 0 else "before")._replace(note=FROM_REFERENCE)


_MONTH_TOKEN = re.compile(rf"(?<![a-z])({_MONTH_RE})(?![a-z])(\.?)")


def _find_month(s: str) -> re.Match[str] | None:
    for m in _MONTH_TOKEN.finditer(s):
        word = m[1]
        if word == "may" and s != "may" and not re.search(r"\d|\b(last|next|this|early|late|mid|in|of|since|until)\b", s):
            continue
        if word in ("mar", "sun", "sat", "wed") and not m[2]:
            continue
        return m
    return None


def _with_month(s: str, m: re.Match[str], anchor: date | None, tense: str | None) -> Resolution:
    month = MONTHS[m[1]]
    rest_after = s[m.end():]
    rest_before = s[: m.start()]
    day = None
    if dm := re.match(r"\s*(\d{1,2})(?:st|nd|rd|th)?\b", rest_after):
        day = int(dm[1])
    elif dm := re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?$", rest_before):
        day = int(dm[1])
    elif dm := re.search(r"(?:the\s+)?\b(\d{1,2})(?:st|nd|rd|th)\s+(?:of\s+)?$", rest_before):
        day = int(dm[1])
    year = _explicit_year(s, anchor)
    weekday = None
    if wm := _R_WEEKDAY.search(s):
        weekday = WEEKDAYS[wm[1]]
    if day is not None and not 1 <= day <= 31:
        return Resolution(None, "unknown", "invalid date")
    if day is not None:
        return _month_day(month, day, year, weekday, anchor, _direction(s, tense))
    if year is not None:
        return Resolution(f"{year:04d}-{month:02d}", "absolute")
    if anchor is None:
        return Resolution(None, "relative", "no year")
    if re.search(r"\blast\b", s):
        year = anchor.year if month < anchor.month else anchor.year - 1
    elif re.search(r"\b(next|coming)\b", s):
        year = anchor.year if month > anchor.month else anchor.year + 1
    elif re.search(r"\bthis\b", s):
        year = anchor.year
    else:
        direction = _direction(s, tense)
        cands = [date(y, month, 1) for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
        first = anchor.replace(day=1)
        year = _pick(cands, first, direction).year
    return Resolution(f"{year:04d}-{month:02d}", "relative")


def _month_day(
    month: int, day: int, year: int | None, weekday: int | None, anchor: date | None, direction: str
) -> Resolution:
    if year is not None:
        d = _valid(year, month, day)
        if d is None:
            return Resolution(None, "unknown", "invalid date")
        note = None
        if weekday is not None and d.weekday() != weekday:
            note = f"weekday mismatch: written {_WEEKDAY_NAMES[weekday]}, {d.isoformat()} is a {_WEEKDAY_NAMES[d.weekday()]}"
        return Resolution(d.isoformat(), "absolute", note)
    if anchor is None:
        return Resolution(None, "relative", "no year")
    cands = [d for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (d := _valid(y, month, day))]
    if not cands:
        return Resolution(None, "unknown", "invalid date")
    if weekday is not None:
        matching = [c for c in cands if c.weekday() == weekday]
        if matching:
            best = min(matching, key=lambda c: abs(c.toordinal() - anchor.toordinal()))
            return Resolution(best.isoformat(), "relative")
        picked = _pick(cands, anchor, direction if direction != "past" else "nearest")
        note = f"weekday mismatch: written {_WEEKDAY_NAMES[weekday]}, {picked.isoformat()} is a {_WEEKDAY_NAMES[picked.weekday()]}"
        return Resolution(picked.isoformat(), "relative", note)
    return Resolution(_pick(cands, anchor, direction).isoformat(), "relative")


def _weekday(s: str, weekday: int, anchor: date | None, tense: str | None) -> Resolution:
    if anchor is None:
        return Resolution(None, "relative", "no anchor")
    delta_back = (anchor.weekday() - weekday) % 7  # days back to the most recent one (0 = today)
    if re.search(r"\b(last|past|previous)\b", s):
        back = delta_back or 7
        return _day(anchor, -back)
    if re.search(r"\b(next|coming|upcoming)\b", s):
        return _day(anchor, (weekday - anchor.weekday()) % 7 or 7)
    if re.search(r"\bthis\b", s):
        return _day(anchor, weekday - anchor.weekday())
    direction = "future" if tense == "future" else "nearest" if tense == "present" else "past"
    if direction == "future":
        return _day(anchor, (weekday - anchor.weekday()) % 7 or 7)
    if direction == "nearest":
        forward = (weekday - anchor.weekday()) % 7
        return _day(anchor, forward if forward < delta_back else -delta_back)
    return _day(anchor, -delta_back)


def _quarter_value(s: str, n: int, anchor: date | None, tense: str | None) -> Resolution:
    year = _explicit_year(s, anchor)
    if year is not None:
        return Resolution(f"{year:04d}-Q{n}", "absolute")
    if anchor is None:
        return Resolution(None, "relative", "no year")
    if re.search(r"\b(last|previous|prior|year-earlier|year-ago|a year (?:earlier|ago))\b", s):
        if "year" in s:
            return Resolution(f"{anchor.year - 1:04d}-Q{n}", "relative")
    if re.search(r"\bnext\b", s):
        year = anchor.year if n > _quarter(anchor) else anchor.year + 1
        return Resolution(f"{year:04d}-Q{n}", "relative")
    # the most recent such quarter that has begun: results are reported after the
    # quarter, and forecasts ("expects a third-quarter loss") concern the current one
    year = anchor.year if n <= _quarter(anchor) else anchor.year - 1
    return Resolution(f"{year:04d}-Q{n}", "relative")


def _quarter_shift(anchor: date | None, shift: int) -> Resolution:
    if anchor is None:
        return Resolution(None, "relative", "no anchor")
    d = _add_months(anchor.replace(day=1), 3 * shift)
    return Resolution(f"{d.year:04d}-Q{_quarter(d)}", "relative")


def _relative_unit(
    s: str, word: str, unit: str, anchor: date | None, tense: str | None, reference: str | None
) -> Resolution | None:
    if word == "past" and unit != "weekend":
        return Resolution(None, "duration")  # "the past week" is a duration in TimeML
    if word == "the" and unit != "weekend":
        return None
    if unit in _SEASONS:
        return Resolution(None, "relative", "season")
    if unit in ("decade", "fortnight"):
        return Resolution(None, "duration")
    if word in ("same", "that", "following", "prior"):
        return None  # narrative-relative forms are handled by _narrative
    if anchor is None:
        return Resolution(None, "relative", "no anchor")
    shift = {"last": -1, "previous": -1, "past": -1, "this": 0, "current": 0, "the": 0,
             "next": 1, "coming": 1}[word]
    if unit in ("day", "morning", "afternoon", "evening", "night"):
        if word in ("this", "current"):
            return _day(anchor, 0)
        if word == "last" and unit == "night":
            return _day(anchor, -1)
        return None
    if unit == "week":
        d = _shift(anchor, 7 * shift)
        return Resolution(_iso_week(d) if d else None, "relative")
    if unit == "weekend":
        on_weekend = anchor.weekday() >= 5
        if word in ("last", "past", "previous"):
            weeks = 0 if word == "past" and on_weekend else -1
        elif word in ("next", "coming"):
            weeks = 1 if on_weekend else 0
        elif word == "this":
            weeks = 0
        elif tense == "future":  # "the weekend"
            weeks = 1 if on_weekend and anchor.weekday() == 6 else 0
        else:
            weeks = 0 if on_weekend else -1
        d = _shift(anchor, 7 * weeks)
        return Resolution(_iso_week(d) if d else None, "relative", "weekend")
    if unit == "month":
        d = _add_months(anchor.replace(day=1), shift)
        return Resolution(f"{d.year:04d}-{d.month:02d}", "relative")
    if unit == "quarter":
        return _quarter_shift(anchor, shift)
    if unit == "year":
        year = anchor.year + shift
        return Resolution(f"{year:04d}", "relative")
    return None


# --- the finder -----------------------------------------------------------------

# Proper names are capitalised in English: month and weekday names must be.
_CAP_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\.|Jan|Feb|Aug|Sept|Oct|Nov|Dec)"
)
_CAP_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MOD = r"(?i:last|next|this|coming|past|previous|early|late|mid-?|the end of|the beginning of|the start of|the middle of)"
_PART = r"(?:\s+(?i:morning|afternoon|evening|night))"
_YEAR4 = r"(?:1[6-9]\d\d|20\d\d|21\d\d)"
_ORD = r"(?:st|nd|rd|th)"
_FINDER = re.compile(
    "|".join(
        [
            # Tuesday, March 12, 2024 / March 12 / March 12th, 2024 / Mar. 3
            rf"(?:{_CAP_WEEKDAY},?\s+)?(?:{_MOD}\s+)?{_CAP_MONTH}\s+\d{{1,2}}{_ORD}?\b(?:,?\s+{_YEAR4}\b)?",
            # 12 March 2024 / 12th of March
            rf"(?:{_CAP_WEEKDAY},?\s+)?(?:the\s+)?\d{{1,2}}{_ORD}?\s+(?:of\s+)?{_CAP_MONTH}\b(?:,?\s+{_YEAR4}\b)?",
            # March 2024, last March, early March
            rf"(?:{_MOD}\s+)?{_CAP_MONTH}(?:\s+of)?,?\s+{_YEAR4}\b",
            rf"(?:{_MOD}\s+|(?i:in|since|until|by|during|through)\s+){_CAP_MONTH}(?![\w.])",
            # ISO and numeric
            r"\b\d{4}-\d{2}-\d{2}\b",
            r"\b\d{1,2}/\d{1,2}/\d{2,4}\b",
            # weekdays
            rf"(?:(?i:last|next|this|coming|past|early|late|every|each)\s+)?{_CAP_WEEKDAY}s?{_PART}?\b",
            # relative words
            r"\b(?i:the day (?:before|after) (?:yesterday|tomorrow)|yesterday|today|tomorrow|tonight|last night"
            r"|this (?:morning|afternoon|evening))\b",
            rf"\b(?i:(?:(?:earlier|later|early|late|the end of|the beginning of|the start of|the middle of"
            rf"|the rest of|mid-?)\s+)?(?:last|this|next|the coming|the previous|the past)\s+"
            rf"(?:week|month|year|weekend|quarter|spring|summer|fall|autumn|winter))\b",
            rf"\b(?i:{_NUMBER_RE}\s+(?:more\s+)?{_UNIT_RE}\s+(?:ago|earlier|later|before|after|from now))\b",
            r"\b(?i:the (?:day|week|month|year) (?:before|after)|the (?:previous|next|following|same) "
            r"(?:day|week|month|year))\b",
            # quarters and years with a preposition
            rf"\b(?i:(?:the\s+)?(?:first|second|third|fourth)[- ]quarter)(?:\s+(?i:of)\s+{_YEAR4})?\b",
            rf"\b(?i:in|since|until|by|of|during|from|before|after|through|fiscal|early|late) {_YEAR4}\b(?![-/]\d)",
            rf"\b(?i:mid-|end-){_YEAR4}\b",
            # holidays and business periods
            r"\b(?:Christmas(?: Eve| Day)?|New Year's (?:Eve|Day)|Thanksgiving(?: Day)?|Boxing Day"
            r"|Independence Day|Bastille Day|Valentine's Day|Halloween|Veterans Day|Armistice Day)\b",
            r"\b(?i:the (?:latest|most recent|year-earlier|year-ago|comparable|corresponding) (?:quarter|period)"
            r"|the year-(?:earlier|ago)|year-(?:earlier|ago) (?:quarter|period))\b",
            # vague: "in the past"; the adverbs are taken from the tagger, or clause-final
            r"\b(?i:in the (?:past|future|near future))\b",
        ]
    )
)


def find_dates(doc: Any, article_id: str, published: str | None) -> tuple[TimeExpression, ...]:
    """Find and resolve every date expression in ``doc``.

    Reads spaCy ``DATE``/``TIME`` entities when the ``Doc`` has them and the
    dependency parse (for tense) when present; works on a blank ``Doc`` too.
    ``published`` is the article's ISO publication date; when it is None the
    anchor is inferred from the article's own full dates (see
    :func:`infer_anchor`). Never raises on odd text; offsets index ``doc.text``.
    """
    text: str = doc.text
    anchor = _parse_iso(published)
    inferred = False
    if anchor is None:
        anchor = infer_anchor(text)
        inferred = anchor is not None
    out: list[TimeExpression] = []
    reference: str | None = None
    for start, end, is_entity in _split_ranges(_candidate_spans(doc, text), text, anchor):
        surface = text[start:end]
        tense = _tense(doc, start, end, text)
        res = resolve_date(surface, anchor, tense=tense, reference=reference)
        if res.kind in ("duration", "set"):
            continue
        if res.kind == "unknown" and not is_entity:
            continue
        if res.kind == "unknown" and re.fullmatch(r"\W*\d{1,3}\W*", surface):
            continue
        used_anchor = res.kind == "relative" and anchor is not None and res.value is not None
        out.append(
            TimeExpression(
                article=article_id,
                start=start,
                end=end,
                text=surface,
                value=res.value,
                inferred=inferred and used_anchor,
                anchor=anchor.isoformat() if used_anchor and anchor else None,
            )
        )
        if res.value is not None and res.note != FROM_REFERENCE:
            reference = res.value
    return tuple(out)


_FULL_DATE = re.compile(
    rf"\b({_CAP_MONTH})\s+(\d{{1,2}}){_ORD}?,?\s+({_YEAR4})\b"
    rf"|\b(\d{{1,2}}){_ORD}?\s+(?:of\s+)?({_CAP_MONTH})\s+({_YEAR4})\b"
    r"|\b(\d{4})-(\d{2})-(\d{2})\b"
)


def infer_anchor(text: str) -> date | None:
    """Pick an anchor from an article's own explicit full dates.

    The most frequent full date wins; ties go to the latest, because a news
    article is written after what it reports. None when there is none.
    """
    counts: Counter[date] = Counter()
    for m in _FULL_DATE.finditer(text):
        if m[1]:
            d = _valid(int(m[3]), MONTHS[m[1].lower().rstrip(".")], int(m[2]))
        elif m[4]:
            d = _valid(int(m[6]), MONTHS[m[5].lower().rstrip(".")], int(m[4]))
        else:
            d = _valid(int(m[7]), int(m[8]), int(m[9]))
        if d is not None:
            counts[d] += 1
    if not counts:
        return None
    return max(counts, key=lambda d: (counts[d], d))


_LEADING_PREPOSITION = re.compile(
    r"(?i:in|since|until|by|of|during|from|before|after|through|on|at)\s+"
)
_ABBREVIATION_END = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec)\.$")
_TRIM = " \t\r\n,;:.!?\"'()[]{}\u201c\u201d\u2018\u2019"


_VAGUE_ADVERBS = frozenset({"recently", "previously", "earlier", "soon", "lately", "formerly"})
_CLAUSE_FINAL_VAGUE = re.compile(r"\b(?i:recently|previously|earlier|soon|lately)(?=\s*[,.;:]|\s*$)")


def _candidate_spans(doc: Any, text: str) -> list[tuple[int, int, bool]]:
    """Union of entity and pattern spans, overlapping ones merged."""
    raw: list[tuple[int, int, bool]] = []
    for ent in getattr(doc, "ents", ()):
        if ent.label_ in ("DATE", "TIME"):
            raw.append((ent.start_char, ent.end_char, ent.label_ == "DATE"))
    for m in _FINDER.finditer(text):
        raw.append((m.start(), m.end(), False))
    tagged = doc.has_annotation("TAG")
    if tagged:
        for token in doc:
            if token.lower_ in _VAGUE_ADVERBS and token.pos_ == "ADV" and token.dep_ == "advmod":
                raw.append((token.idx, token.idx + len(token.text), False))
    else:
        for m in _CLAUSE_FINAL_VAGUE.finditer(text):
            raw.append((m.start(), m.end(), False))
    raw.sort(key=lambda x: (x[0], -x[1]))
    merged: list[tuple[int, int, bool]] = []
    for start, end, is_entity in raw:
        if merged and start < merged[-1][1]:
            s0, e0, ent0 = merged[-1]
            merged[-1] = (s0, max(e0, end), ent0 or is_entity)
        else:
            merged.append((start, end, is_entity))
    out: list[tuple[int, int, bool]] = []
    for start, end, is_entity in merged:
        while start < end and text[start] in _TRIM:
            start += 1
        if m := _LEADING_PREPOSITION.match(text, start, end):
            start = m.end()
        while end > start and text[end - 1] in _TRIM and not _ABBREVIATION_END.search(text, start, end):
            end -= 1
        if end > start:
            out.append((start, end, is_entity))
    return out


_CONNECTOR = re.compile(r"\s+(?:and|or|to|through|thru|until|till|ended|ending|versus|vs\.?)\s+|\s*[-\u2013\u2014]\s+")
_RANGE_PREFIX = re.compile(r"(?:between|from)\s+", re.I)
_BARE_YEAR = re.compile(r"\s*(?:1[6-9]|20)\d\d\s*")


def _split_ranges(
    spans: list[tuple[int, int, bool]], text: str, anchor: date | None
) -> list[tuple[int, int, bool]]:
    """Split "Aug. 26 to Oct. 20", "the quarter ended Sept. 30", "between 1994 and 1997".

    A span is split only when every piece is a date expression of its own, so
    "April 24 and 25" and "Tuesday, March 12" stay whole.
    """
    out: list[tuple[int, int, bool]] = []
    for start, end, is_entity in spans:
        surface = text[start:end]
        pieces: list[tuple[int, int]] = []
        offset = 0
        if m := _RANGE_PREFIX.match(surface):
            offset = m.end()
        for m in _CONNECTOR.finditer(surface, offset):
            pieces.append((offset, m.start()))
            offset = m.end()
        pieces.append((offset, len(surface)))
        expanded: list[tuple[int, int]] = []
        for a, b in pieces:
            parts = surface[a:b].split(",")
            if len(parts) > 1 and all(_BARE_YEAR.fullmatch(p) for p in parts if p.strip()):
                pos = a
                for part in parts:
                    stripped = part.strip()
                    if stripped:
                        lead = pos + part.index(stripped)
                        expanded.append((lead, lead + len(stripped)))
                    pos += len(part) + 1
            else:
                expanded.append((a, b))
        if len(expanded) > 1 and all(
            b > a and resolve_date(surface[a:b], anchor).kind not in ("unknown", "duration", "set")
            for a, b in expanded
        ):
            out.extend((start + a, start + b, is_entity) for a, b in expanded)
        else:
            out.append((start, end, is_entity))
    return out


_SOON = re.compile(r"\bas (?:soon|early) as\s+$", re.I)
_FUTURE_WORDS = re.compile(r"\b(will|shall|'ll|going to|is to|are to|scheduled|due to|expected to|plans? to|next)\b", re.I)


def _tense(doc: Any, start: int, end: int, text: str) -> str | None:
    """"past", "future", "present" or None for the clause around a span."""
    if doc.has_annotation("DEP") and doc.has_annotation("TAG"):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            root = span.root
            if root.dep_ in ("poss", "compound", "nmod", "amod") and root.head.pos_ in ("NOUN", "PROPN"):
                return None  # "Wednesday's ruling": the clause's tense says nothing about it
            if _SOON.search(text, max(0, start - 16), start):
                return "future"
            return _parsed_tense(root)
    window = text[max(0, start - 60): start]
    if _FUTURE_WORDS.search(window):
        return "future"
    return None


def _parsed_tense(token: Any, depth: int = 0) -> str | None:
    verb = token
    for _ in range(6):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    words = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowered = {c.lower_ for c in words}
    if lowered & {"will", "shall", "'ll", "wo", "would"}:
        return "future"
    if verb.tag_ == "VBG" and lowered & {"is", "are", "am", "'s", "'re"}:
        return "future"  # "is meeting Friday" is a plan
    if verb.tag_ == "VBD" or lowered & {"has", "have", "had", "was", "were", "been", "did"}:
        return "past"
    if verb.tag_ in ("VB", "VBN") and "to" in lowered and depth < 3 and verb.head.i != verb.i:
        head = verb.head  # infinitive: the governing verb decides ("plans to meet Friday")
        if head.lemma_ in ("plan", "expect", "schedule", "intend", "hope", "want", "aim", "prepare",
                           "set", "due", "slate", "poise", "go", "be"):
            return "future"
        if verb.tag_ == "VBN" and "be" in lowered and verb.dep_ in ("acl", "relcl") and head.pos_ in ("NOUN", "PROPN"):
            return "future"  # a passive infinitive after a noun looks ahead: "the measures to be voted on Thursday"
        return _parsed_tense(head, depth + 1)
    if verb.tag_ in ("VBZ", "VBP"):
        return "present"
    if verb.tag_ == "VBN":
        return "past"
    return None
