"""Flag articles whose text cannot be fully trusted or analysed.

Pure functions, no I/O. ``quality_flags`` looks at a cleaned article body and
what the cleaner cut from it, and returns sorted, de-duplicated flag strings.
A flag never removes an article; it tells later stages and readers to be careful.

| flag | meaning |
|---|---|
| `too-short` | Fewer than `min_words` words (default 80): too little to analyse reliably. |
| `repeated-text` | A substantial passage occurs more than once (page scraped twice, say). |
| `masked-numbers` | Figures are replaced by placeholders (`XX people`, `$XX million`, `N,NNN`). |
| `garbled-text` | Damaged text: mojibake (`Ã©`, `â€™`), U+FFFD, control characters, symbol soup. |
| `date-missing` | No publication date is known (`published` is None or empty). |
| `high-debris-ratio` | The cleaner cut over 40 % of the visible characters. |
| `non-english` | `language` is known and is not English (`en`, `en-GB`, `eng` are English). |
| `language-uncertain` | The language detector's `language_score` is below 0.5. |

Details:

- ``repeated-text``: two different sentences of 8+ words each occur twice, or one
  such sentence three times, or over a quarter of the text's 8-word sequences
  are repeats. Repeated names, short phrases and a quote cited twice do not count.
- ``masked-numbers``: ``XX``/``xx``, ``##``, ``***``, ``NN`` or a lone ``X`` in a
  numeric position: before a count noun or unit (``XX people``, ``## injured``,
  ``XX-year-old``, ``XX%``), after a currency sign (``$XX million``,
  ``₹XX crore``, ``Rs ## lakh``), in digit groups (``N,NNN``, ``1,XXX``,
  ``0,000``), in dates and times (``XX/XX/XXXX``, ``XX:XX``). Words such as Xbox
  and XXL and Roman numerals (World War II, Pope Benedict XVI, XX Century) are
  not masks; neither are "Generation X" or "Malcolm X".
- ``garbled-text``: any UTF-8-read-as-cp1252 sequence ``â€``; or two or more
  mojibake pairs (``Ã©``, ``Â£``), U+FFFD replacement characters or C1 control
  characters; or private-use/unassigned/control/box-drawing characters over 5 %
  of the visible ones; or letters under 30 % of the visible characters; or
  paragraphs made mostly of symbols (not letters, not digits) holding 15 % of them.
- ``high-debris-ratio``: non-space characters of ``removed`` over non-space
  characters of ``removed`` plus ``text``.
- ``non-english``: an empty code or ``und``, ``zxx``, ``mul`` counts as unknown.
- ``language-uncertain``: no flag when there is no score.

``repeated-text``, ``masked-numbers`` and ``garbled-text`` judge the first
500,000 characters of very long texts, so flagging stays fast.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from parallax.records import Removed

__all__ = [
    "DATE_MISSING",
    "FLAGS",
    "GARBLED_TEXT",
    "HIGH_DEBRIS_RATIO",
    "LANGUAGE_UNCERTAIN",
    "MASKED_NUMBERS",
    "NON_ENGLISH",
    "REPEATED_TEXT",
    "TOO_SHORT",
    "quality_flags",
]

TOO_SHORT = "too-short"
REPEATED_TEXT = "repeated-text"
MASKED_NUMBERS = "masked-numbers"
GARBLED_TEXT = "garbled-text"
DATE_MISSING = "date-missing"
HIGH_DEBRIS_RATIO = "high-debris-ratio"
NON_ENGLISH = "non-english"
LANGUAGE_UNCERTAIN = "language-uncertain"

FLAGS: tuple[str, ...] = (
    DATE_MISSING,
    GARBLED_TEXT,
    HIGH_DEBRIS_RATIO,
    LANGUAGE_UNCERTAIN,
    MASKED_NUMBERS,
    NON_ENGLISH,
    REPEATED_TEXT,
    TOO_SHORT,
)

MAX_DEBRIS_SHARE = 0.4
MIN_LANGUAGE_SCORE = 0.5

_MAX_SCAN_CHARS = 500_000  # content checks judge at most this much text (about 80k words)


def quality_flags(
    text: str,
    *,
    removed: Sequence[Removed] = (),
    published: str | None = None,
    language: str | None = None,
    language_score: float | None = None,
    min_words: int = 80,
) -> tuple[str, ...]:
    """Return the sorted quality flags of a cleaned article.

    Args:
        text: the cleaned article body.
        removed: what the cleaner cut (for ``high-debris-ratio``).
        published: ISO publication date, or None when unknown.
        language: detected or declared language code, or None when unknown.
        language_score: the detector's confidence in [0, 1], or None.
        min_words: fewer words than this is ``too-short``.
    """
    flags: set[str] = set()
    sample = text[:_MAX_SCAN_CHARS]
    if not _has_words(text, min_words):
        flags.add(TOO_SHORT)
    if _has_repeated_text(sample):
        flags.add(REPEATED_TEXT)
    if _has_masked_numbers(sample):
        flags.add(MASKED_NUMBERS)
    if _is_garbled(sample):
        flags.add(GARBLED_TEXT)
    if not published:
        flags.add(DATE_MISSING)
    if _debris_share(text, removed) > MAX_DEBRIS_SHARE:
        flags.add(HIGH_DEBRIS_RATIO)
    if language is not None and _is_non_english(language):
        flags.add(NON_ENGLISH)
    if language_score is not None and language_score < MIN_LANGUAGE_SCORE:
        flags.add(LANGUAGE_UNCERTAIN)
    return tuple(sorted(flags))


_TOKEN_RUN = re.compile(r"\S+")


def _has_words(text: str, count: int) -> bool:
    """Whether ``text`` has at least ``count`` words (tokens holding a letter or digit)."""
    seen = 0
    for token in _TOKEN_RUN.finditer(text):
        if seen >= count:
            break
        if _ALNUM.search(token.group()):
            seen += 1
    return seen >= count


_UNKNOWN_LANGUAGES = frozenset({"", "und", "unknown", "zxx", "xx", "mul", "none"})


def _is_non_english(language: str) -> bool:
    primary = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]
    return primary not in _UNKNOWN_LANGUAGES and primary not in {"en", "eng", "english"}


def _visible_length(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def _debris_share(text: str, removed: Sequence[Removed]) -> float:
    cut = sum(_visible_length(piece.text) for piece in removed)
    total = cut + _visible_length(text)
    return cut / total if total else 0.0


# --------------------------------------------------------------------------
# repeated-text

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?\u2026])[\"'\u201d\u2019)\]]*\s+|\n+")
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_MIN_SENTENCE_WORDS = 8
_SHINGLE = 8
_MAX_REPEATED_SHINGLE_SHARE = 0.25
_MIN_SHINGLES = 20


def _has_repeated_text(text: str) -> bool:
    counts: Counter[tuple[str, ...]] = Counter()
    for sentence in _SENTENCE_SPLIT.split(text):
        tokens = tuple(t.casefold() for t in _TOKEN.findall(sentence))
        if len(tokens) >= _MIN_SENTENCE_WORDS:
            counts[tokens] += 1
    repeated = [n for n in counts.values() if n > 1]
    if len(repeated) >= 2 or any(n >= 3 for n in repeated):
        return True
    words = [t.casefold() for t in _TOKEN.findall(text)]
    shingles = [tuple(words[i : i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1)]
    if len(shingles) < _MIN_SHINGLES:
        return False
    duplicates = len(shingles) - len(set(shingles))
    return duplicates / len(shingles) > _MAX_REPEATED_SHINGLE_SHARE


# --------------------------------------------------------------------------
# masked-numbers

_COUNT_NOUNS = (
    r"(?:people|persons|person|deaths|dead|killed|injured|wounded|hurt|missing|cases|patients"
    r"|children|kids|students|soldiers|troops|civilians|votes|seats|percent|per cent|pc"
    r"|crores?|lakhs?|lakh|crore|millions?|billions?|thousands?|hundreds?|trillions?|bn|mn|m|k"
    r"|km|kms|kilometres|kilometers|miles|metres|meters|feet|kg|kgs|kilograms|tonnes|tons"
    r"|litres|liters|gallons|acres|hectares|years?|months?|weeks?|days?|hours?|minutes?"
    r"|seconds?|dollars|euros|pounds|rupees|yuan|yen|homes|houses|buildings|workers|employees"
    r"|jobs|officers|policemen|police|members|arrests|arrested|fatalities|casualties|victims"
    r"|residents|families|vehicles|cars|flights|passengers|units|shares|points|runs|goals"
    r"|wickets|degrees|mph|km/h|kmph|villages|districts|countries|times|rounds|bullets|shots"
    r"|migrants|refugees|protesters|pilgrims|devotees|farmers|voters|candidates|mw|gw|kw"
    r"|crore-rupee|year-old|years-old)"
)
_MASK = r"(?:[Xx]{2,}|#{2,}|#(?=\s)|\*{2,}|N{2,})"  # XX, ##, ***, NN
_MASK_TAIL = rf"(?:[.,](?:{_MASK}|[Xx#N]{{1,3}}|\d{{1,3}}))"
_CURRENCY = (
    r"(?:[$€£¥₹₩₽₺₦₱฿]|US\$|A\$|C\$|HK\$|S\$|Rs\.?|INR|USD|EUR|GBP|AUD|CAD|JPY|CNY|Rp\.?"
    r"|R\$|Ksh\.?|KSh|NGN|PKR|BDT|Tk\.?)"
)
_MASKED_STRONG = re.compile(
    # "$XX million", "₹XX crore", "Rs ## lakh", "£X.XX"
    rf"(?<![\w$€£¥₹]){_CURRENCY}\s?(?=[\d.,]*[Xx#*N])[Xx#*N\d]+(?:[.,][Xx#*N\d]+)*(?![\w#*])"
    # "XX people", "## injured", "***  killed", "XX-year-old", "XX%"
    rf"|(?<![\w#*]){_MASK}{_MASK_TAIL}*[\s-]*(?:{_COUNT_NOUNS})\b"
    rf"|(?<![\w#*]){_MASK}\s?%"
    # digit groups with masked parts: "N,NNN", "X,XXX", "1,XXX", "0,000"
    r"|(?<![\w.,])(?:[XxN#]{1,3}|\d{1,3})(?:,(?:[Xx]{3}|N{3}|#{3}))+(?![\w,])"
    r"|(?<![\w.,])(?:[Xx]{1,3}|N{1,3}|#{1,3}),\d{3}(?![\w,])"
    r"|(?<![\w.,])0+(?:,000)+(?![\w,])"
    # dates and times: "XX/XX/XXXX", "12/XX/2023", "XX:XX"
    r"|(?<![\w/])(?:[Xx]{1,2}|#{1,2}|\d{1,2})[/.-](?:[Xx]{1,2}|#{1,2}|\d{1,2})[/.-]"
    r"(?:[Xx]{2,4}|#{2,4}|\d{2,4})(?![\w/])"
    r"|(?<![\w:])(?:[Xx]{2}|#{2}):(?:[Xx]{2}|#{2})(?![\w:])"
    # "aged XX", "age ##"
    rf"|\b(?:aged?|age of|ages)\s+{_MASK}\b"
)
_DATE_LIKE_ALL_DIGITS = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")
_MASKED_SINGLE_X = re.compile(
    # a single "X" standing for a number: "X people were killed", "at least X injured"
    r"(?<![\w'\u2019-])X(?=\s+(?:people|persons|killed|dead|injured|wounded|percent|per cent"
    r"|crore|lakh|million|billion|deaths|civilians|soldiers)\b)"
)
_CAPITALISED_BEFORE = re.compile(r"[A-Z][\w'\u2019-]*\s+$")


def _has_masked_numbers(text: str) -> bool:
    for m in _MASKED_STRONG.finditer(text):
        if not _DATE_LIKE_ALL_DIGITS.fullmatch(m.group()):  # a real date is not a mask
            return True
    for m in _MASKED_SINGLE_X.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        if not _CAPITALISED_BEFORE.search(before):  # "Generation X people", "Malcolm X"
            return True
    return False


# --------------------------------------------------------------------------
# garbled-text

_MOJIBAKE = re.compile(
    # UTF-8 read as cp1252 or latin-1, e.g. "Ã©" for "é" and "â€™" for a right quote
    "(?:\u00e2\u20ac[\u0080-\u00bf\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u2122"
    "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u02c6\u02dc\u0192]"
    "|[\u00c3\u00c2][\u0080-\u00bf\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u2122"
    "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u02c6\u02dc\u0192]"
    "|\u00ef\u00bb\u00bf|\u00c2(?=\s))"
)
_UNMISTAKABLE_MOJIBAKE = re.compile(
    "\u00e2\u20ac|\u00c3\u00a2\u00e2\u201a\u00ac|\u00ef\u00bb\u00bf"
)
_JUNK_CATEGORIES = frozenset({"Co", "Cn", "Cs", "Cc"})
_MIN_DAMAGE = 2
_MAX_JUNK_SHARE = 0.05
_MIN_LETTER_SHARE = 0.3
_MAX_SOUP_SHARE = 0.15


def _is_garbled(text: str) -> bool:
    if _UNMISTAKABLE_MOJIBAKE.search(text):
        return True
    damage = len(_MOJIBAKE.findall(text)) + text.count("\ufffd") + len(_C1.findall(text))
    if damage >= _MIN_DAMAGE:
        return True
    visible = len(text) - len(_SPACE.findall(text))
    if visible < 50:
        return False
    junk = _count_junk(text)
    if junk >= 10 and junk / visible > _MAX_JUNK_SHARE:
        return True
    letters = len(_LETTER.findall(text))
    if visible >= 100 and letters / visible < _MIN_LETTER_SHARE:
        return True
    # Symbol soup confined to some paragraphs (broken markup, a mangled table).
    soup = 0
    for paragraph in text.split("\n"):
        chars = len(paragraph) - len(_SPACE.findall(paragraph))
        if chars >= 40 and len(_ALNUM.findall(paragraph)) < 0.5 * chars:
            soup += chars  # mostly symbols: not words, not figures
    return soup >= _MAX_SOUP_SHARE * visible


_SPACE = re.compile(r"\s")
_LETTER = re.compile(r"[^\W\d_]")
_ALNUM = re.compile(r"[^\W_]")
_C1 = re.compile("[\x80-\x84\x86-\x9f]")
_MAYBE_JUNK = re.compile("[^\\s\\w\u0021-\u007e\u00a0-\u024f\u2010-\u206f\u20a0-\u20cf]")


def _count_junk(text: str) -> int:
    """Private-use, unassigned, control and box-drawing characters in ``text``."""
    return sum(1 for c in _MAYBE_JUNK.findall(text) if _is_junk(c))


def _is_junk(char: str) -> bool:
    if "\u2500" <= char <= "\u259f":  # box drawing and block elements
        return True
    return unicodedata.category(char) in _JUNK_CATEGORIES
