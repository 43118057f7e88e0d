"""Read publication dates in the shapes news sources write them.

Everything becomes an ISO ``YYYY-MM-DD`` string. A date with a time zone
keeps the calendar day the source printed (the day readers saw), except
epoch timestamps, which are read as UTC. Ambiguous numeric dates such as
``03/04/2013`` are refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

__all__ = ["match_date_line", "to_iso_date"]

_MIN_YEAR, _MAX_YEAR = 1800, 2200

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"

_DATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"\b{_YEAR}-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}})(?!\d)",
        rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}\b",
        rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b",
        rf"\b{_YEAR}/(?P<month>\d{{1,2}})/{_DAY}\b",
        rf"\b{_DAY}\.(?P<month>\d{{1,2}})\.{_YEAR}\b",
        r"\b(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4})\b",
    )
)

# What may stand around a date on a line of its own: times, zones, separators.
_FILLER = re.compile(
    r"(?:[\s,|()\-\u2013\u2014]+|T?\d{1,2}(?::\d{2}){1,2}(?:\.\d+)?|[ap]\.?m\.?|hrs?|at|on"
    r"|(?:last\s+)?(?:updated|modified)|(?-i:[A-Z]{2,5})|[+-]\d{2}:?\d{2}|Z)*",
    re.IGNORECASE,
)
_LABEL = re.compile(
    r"(?:(?:first|last|originally)\s+)?(?:published|updated|posted|modified|dated?)"
    r"(?:\s+(?:on|at))?\s*[:\-\u2013\u2014]?\s*(?P<rest>.*)",
    re.IGNORECASE,
)
_EPOCH_STRING = re.compile(r"\d{9,13}(?:\.\d+)?")
_MAX_LINE = 120


def to_iso_date(value: object) -> str | None:
    """Convert a date in any common source shape to ``YYYY-MM-DD``, or ``None``.

    Accepts ISO dates and datetimes, RFC 2822 (RSS), epoch seconds or
    milliseconds (numbers or digit strings) and English prose dates such as
    ``"June 13, 2013"``.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if isinstance(value, dict):
        return to_iso_date(value.get("$date"))  # MongoDB extended JSON exports
    if not isinstance(value, str):
        return None
    text = value.strip()[:_MAX_LINE]  # a longer "date" is prose; do not scan megabytes
    if not text:
        return None
    if _EPOCH_STRING.fullmatch(text):
        return _from_epoch(float(text))
    return _from_iso(text) or _from_rfc2822(text) or _search_date(_tidy(text))


def match_date_line(line: str) -> str | None:
    """Return the ISO date if ``line`` is only a (possibly labelled) date, else ``None``.

    ``"Published: June 13, 2013"``, ``"First Published : June 13 , 2013 4 : 59 PM EDT"``
    and ``"Thursday, June 13, 2013"`` match; a sentence mentioning a date does not.
    """
    if len(line) > _MAX_LINE:
        return None
    text = _tidy(line.strip())
    label = _LABEL.fullmatch(text)
    rest = label.group("rest") if label else text
    found = _find_date(rest)
    if found is None:
        return None
    iso, start, end = found
    if not (_FILLER.fullmatch(rest, 0, start) and _FILLER.fullmatch(rest, end)):
        return None
    return iso


def _tidy(text: str) -> str:
    """Undo tokenizer spacing (``"June 13 , 2013 4 : 59"``) so patterns can match."""
    text = re.sub(r"\s+([,:])", r"\1", text)
    text = re.sub(r"(\d):\s+(\d)", r"\1:\2", text)
    return re.sub(r"\s+", " ", text)


def _search_date(text: str) -> str | None:
    found = _find_date(text)
    return found[0] if found else None


def _find_date(text: str) -> tuple[str, int, int] | None:
    """Find the earliest valid date in ``text``; return it with its span."""
    best: tuple[str, int, int] | None = None
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            iso = _from_match(match)
            if iso is not None:
                if best is None or match.start() < best[1]:
                    best = (iso, match.start(), match.end())
                break
    return best


def _from_match(match: re.Match[str]) -> str | None:
    parts = match.groupdict()
    year = int(parts["year"])
    if "first" in parts:  # d/m/y or m/d/y: only when one reading is impossible
        first, second = int(parts["first"]), int(parts["second"])
        if first == second:
            return _valid(year, first, second)
        if first > 12 >= second:
            return _valid(year, second, first)
        if second > 12 >= first:
            return _valid(year, first, second)
        return None
    raw_month = parts["month"]
    month = int(raw_month) if raw_month.isdigit() else _MONTHS[raw_month[:3].lower()]
    return _valid(year, month, int(parts["day"]))


def _valid(year: int, month: int, day: int) -> str | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_epoch(seconds: float) -> str | None:
    if seconds > 1e11:  # milliseconds
        seconds /= 1000
    try:
        moment = datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return _valid(moment.year, moment.month, moment.day)


def _from_iso(text: str) -> str | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return _valid(moment.year, moment.month, moment.day)


def _from_rfc2822(text: str) -> str | None:
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    return _valid(moment.year, moment.month, moment.day)
