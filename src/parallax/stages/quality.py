"""Flag articles whose text cannot be fully trusted or analysed.

Pure functions, no I/O. ``quality_flags`` looks at a cleaned article body and
what the cleaner cut from it, and returns sorted, de-duplicated flag strings.
A flag never removes an article; it tells later stages and readers to be careful.

======================= ========================================================================
flag                    meaning
======================= ========================================================================
``too-short``           Fewer than ``min_words`` words (default 80) in the cleaned text: too
                        little to analyse reliably.
``repeated-text``       A substantial passage occurs more than once: at least two different
                        sentences of 8+ words each repeated, one such sentence three times, or
                        over a quarter of the text's 8-word sequences being repeats (page
                        scraped twice, teaser or lede pasted again). Repeated names and short
                        phrases do not count.
``masked-numbers``      Figures were replaced by placeholders in the copy: ``XX people were
                        killed``, ``## injured``, ``$XX million``, ``₹XX crore``, ``N,NNN``,
                        ``0,000``, ``XX/XX/XXXX``, ``XX-year-old``, ``*** people``. Words such as
                        Xbox, XXL or Roman numerals (World War II, Pope Benedict XVI,
                        XX Century) are not masks.
``garbled-text``        The text is damaged: mojibake (``Ã©``, ``â€™``), U+FFFD replacement
                        characters, C1 control characters, or a high share of symbol junk or of
                        non-letter characters.
``date-missing``        No publication date is known (``published`` is None or empty).
``high-debris-ratio``   The cleaner cut more than 40 % of the article's visible (non-space)
                        characters: extraction may have kept the wrong block.
``non-english``         ``language`` is known and is not English (``en``, ``en-GB``, … count
                        as English).
``language-uncertain``  The language detector's score is below 0.5.
======================= ========================================================================
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

_MAX_SCAN_CHARS = 2_000_000  # pattern checks look at most at this much text


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
    if _count_words(text) < min_words:
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
    if language is not None and not _is_english(language):
        flags.add(NON_ENGLISH)
    if language_score is not None and language_score < MIN_LANGUAGE_SCORE:
        flags.add(LANGUAGE_UNCERTAIN)
    return tuple(sorted(flags))


def _count_words(text: str) -> int:
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def _is_english(language: str) -> bool:
    return re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0] in {"en", "eng", "english"}


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
_MASK_GROUP = rf"(?:{_MASK}|[Xx#N]|\d{{1,3}}){_MASK_TAIL}+"
_CURRENCY = (
    r"(?:[$€£¥₹₩₽₺₦₱฿]|US\$|A\$|C\$|HK\$|S\$|Rs\.?|INR|USD|EUR|GBP|AUD|CAD|JPY|CNY|Rp\.?"
    r"|R\$|Ksh\.?|KSh|NGN|PKR|BDT|Tk\.?)"
)
_MASKED_STRONG = re.compile(
    # "$XX million", "₹XX crore", "Rs ## lakh", "£X.XX"
    rf"(?<![\w$€£¥₹]){_CURRENCY}\s?(?:{_MASK_GROUP}|{_MASK}|[Xx#])(?![\w#*])"
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
    damage = len(_MOJIBAKE.findall(text)) + text.count("\ufffd")
    damage += sum(1 for c in text if "\x80" <= c <= "\x9f" and c != "\x85")
    if damage >= _MIN_DAMAGE:
        return True
    visible = [c for c in text if not c.isspace()]
    if len(visible) < 50:
        return False
    junk = sum(1 for c in visible if _is_junk(c))
    if junk >= 10 and junk / len(visible) > _MAX_JUNK_SHARE:
        return True
    letters = sum(1 for c in visible if c.isalpha())
    if len(visible) >= 100 and letters / len(visible) < _MIN_LETTER_SHARE:
        return True
    # Symbol soup confined to some paragraphs (broken markup, a mangled table).
    soup = 0
    for paragraph in text.split("\n"):
        chars = [c for c in paragraph if not c.isspace()]
        if len(chars) >= 40 and sum(1 for c in chars if c.isalnum()) < 0.5 * len(chars):
            soup += len(chars)  # mostly symbols: not words, not figures
    return soup >= _MAX_SOUP_SHARE * len(visible)


def _is_junk(char: str) -> bool:
    if "\u2500" <= char <= "\u259f":  # box drawing and block elements
        return True
    return unicodedata.category(char) in _JUNK_CATEGORIES
