"""Check-worthy claims: extracted per article, aligned across the articles of a story.

Three pure functions, no I/O, no clock, no model:

- :func:`extract_claims` turns one read article into :class:`Candidate`
  records, one per check-worthy sentence, each carrying typed *facets*: the
  events of the sentence with their arguments (type, actor, target, place,
  date, negation), the numbers it states with what they count
  (:class:`Quantity`: "at least 40" killed, "67 percent" turnout, "$5
  billion"), who won over whom (:class:`Result`), the date expressions, and
  the speaker when the sentence is an attributed statement.
- :func:`align_claims` groups the candidates of the articles of each story
  (never across stories) into :class:`~parallax.records.Claim` records: the
  same claim quoted verbatim, paraphrased, or quoted in one outlet and
  reported in another is one claim with several mentions.
- :func:`find_omissions` lists, per story and outlet, the well-corroborated
  claims that outlet does not carry.

Decisions, documented because they are choices:

- **The unit is the sentence.** A claim mention is a sentence span (a
  regex splitter that knows abbreviations and initials; newlines always
  end a sentence). A sentence with two events and a number is one candidate
  with three facets; contradictions compare facets, so atomicity is kept
  where it matters while ids stay unique (one candidate per sentence start).
- **Similarity ignores values.** Alignment compares what a sentence is
  about, not what it says the values are: TF-IDF cosine over stemmed
  content words with numbers, months and weekdays removed, plus one token
  per entity (mapped through ``entity_map``, so "Erdoğan" and "Erdogan"
  match), plus small bonuses for a shared event (type and trigger, or type
  and an argument), a shared counted thing and a shared speaker. A pair
  also needs an *anchor* (a shared entity, event, counted thing or speaker)
  unless the words alone are very close. IDF is computed per story.
- **Blocking.** Each candidate is indexed under its few heaviest features
  (prefix filtering); only candidates of different articles that share an
  indexed feature are scored, so a story of n sentences costs about n·k
  comparisons, never n².
- **Conflicting mentions are kept apart.** Two candidates whose typed facets
  disagree (:func:`parallax.crossdoc.contradictions.conflicts`) are never
  put in one claim, so "at least 40 killed" and "12 killed" end up as two
  claims that :func:`~parallax.crossdoc.contradictions.find_contradictions`
  links. Merging is greedy by affinity with a mean-affinity check between
  the two groups (no chaining of loosely related sentences) and at most one
  mention per article.
- **Independent outlets.** A mention counts for the outlet of its article's
  *root* (``duplicate_of`` followed to the original), or for the article id
  when there is no outlet: syndicated copies and reposts count once,
  several articles of one outlet count once.
- **Near-duplicates are not read** by the per-article reader, so their
  candidates are the original's, re-anchored where the same sentence occurs
  in the copy's text: a copy carries the claim (for omissions) but does not
  add an outlet.
- **Background and places.** A sentence dated more than
  :data:`BACKGROUND_DAYS` before its article (or a pronoun-led sentence
  right after one) is *background* and never joins, or is compared with, a
  sentence about the story's own time. Within a story, a place name the
  reader resolved differently in different articles takes one reading
  (:func:`harmonise_places`).
- **Ids.** ``make_id("clm", story, first mention's article, str(start))``
  where mentions are ordered by publication date then article id, so a
  claim's id stays stable as later articles join the story.
"""

from __future__ import annotations

import functools
import json
import math
import re
import zlib
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace
from datetime import date

from parallax.ids import make_id
from parallax.records import Article, Claim, ClaimMention, Entity, Event, Story
from parallax.stages.dates import to_date_range

__all__ = [
    "Action",
    "Candidate",
    "DateRef",
    "PlaceRef",
    "Quantity",
    "Result",
    "affinity",
    "align_claims",
    "extend_claims",
    "extract_claims",
    "find_omissions",
    "find_quantities",
    "harmonise_places",
    "nation_key",
    "pack_candidates",
    "same_nation",
    "split_sentences",
    "stem",
    "unpack_candidates",
]

# Tuning (ECB+ dev topics, see parallax.evaluation.claims).
LINK_THRESHOLD = 0.42  # affinity needed to put two mentions in one claim
MERGE_THRESHOLD = 0.30  # mean affinity needed between two groups being merged
ANCHORLESS_COSINE = 0.6  # word cosine that aligns without a shared entity/event/number
PREFIX_FEATURES = 6  # features per candidate put in the blocking index
MAX_POSTING = 150  # features shared by more candidates than this are not used for blocking
MAX_CROSS_CHECK = 12  # members per group whose mean affinity is checked when two groups merge
MAX_CONFLICT_CHECK = 30  # members per group checked for typed conflicts when two groups merge
MAX_ARTICLE_CLAIMS = 200  # check-worthy sentences one article brings to its story (first ones kept)

# ----------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True, kw_only=True)
class Quantity:
    """A number with what it counts: ``at least 40`` people ``killed``.

    ``low``/``high`` are inclusive bounds (``math.inf`` when open): "at least
    40" is [40, inf], "about 200" [160, 240], "dozens" [24, 99]. ``key`` is
    what is counted ("killed", "injured", "percent:turnout", "money:USD",
    "magnitude", or the counted noun's stem); ``noun`` the counted noun's
    stem when it is specific (None for "people", "persons" or none written).
    """

    text: str
    low: float
    high: float
    key: str
    noun: str | None = None
    label: str = ""  # how to say what it counts in a reason ("killed", "protesters")
    cumulative: bool = False  # the sentence counts a running total ("so far", "a total of")


@dataclass(frozen=True, slots=True, kw_only=True)
class PlaceRef:
    """A place written in the sentence, with its gazetteer facts when known."""

    entity: str
    text: str
    geonames: int | None = None
    country: str | None = None
    kind: str | None = None  # country, continent, admin1, city
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Action:
    """One event of the sentence. Arguments are entity ids when resolved, else their words."""

    type: str
    trigger: str  # stem of the trigger word
    trigger_text: str
    actor: str | None = None
    actor_text: str | None = None
    target: str | None = None
    target_text: str | None = None
    place: PlaceRef | None = None  # only a place named in this sentence (not the dateline)
    date: str | None = None  # ISO value, only when written in the sentence and not inferred
    date_text: str | None = None
    negated: bool = False
    actor_nations: tuple[str, ...] = ()  # nation keys of the countries/peoples in the actor phrase


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    """Who won over whom: "A defeated B", "B lost to A", "A won the election"."""

    winner: str  # entity id
    winner_text: str
    winner_type: str = ""  # the winner's entity type (PERSON, ORG, GPE…)
    loser: str | None = None
    loser_text: str | None = None
    contest: str | None = None  # "election", "match"… when written


@dataclass(frozen=True, slots=True, kw_only=True)
class DateRef:
    """A resolved date expression of the sentence, with a weekday check."""

    text: str
    value: str
    weekday_note: str | None = None  # "March 12, 2025 was a Wednesday, not a Tuesday"


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """One check-worthy sentence of one article, with its typed facets."""

    article: str
    outlet: str | None
    start: int
    end: int
    text: str
    kind: str  # statement, number, event
    actions: tuple[Action, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    results: tuple[Result, ...] = ()
    dates: tuple[DateRef, ...] = ()
    speaker: str | None = None  # entity id, or the speaker's words when unresolved
    speaker_text: str | None = None
    quote: str | None = None  # quote id
    entities: tuple[str, ...] = ()  # per-article entity ids named in the sentence
    places: tuple[PlaceRef, ...] = ()  # every gazetteer place named in the sentence
    background: bool = False  # dated well before the article's own time ("in 2003", "last year")
    terms: tuple[str, ...] = ()  # stemmed content words (no numbers, months, weekdays)


# ----------------------------------------------------------------------------- words

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren as at be because been
    before being below between both but by can cannot could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not of off on once only or other
    our ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    said say says saying told tell tells according reported reports report added adding noted
    stated claimed announced asked explained insisted wrote statement mr mrs ms dr
    one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
    hundred hundreds thousand thousands million millions billion billions dozen dozens
    percent per cent least nearly almost around approximately roughly some
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight
    morning afternoon evening night week weekend month year day days weeks months years
    ago earlier later last next this new also still even now however since would could
    """.split()
)
_NOT_NEGATION = frozenset({"no", "nor", "not"})

_IRREGULAR = {
    "struck": "strike", "strikes": "strike", "striking": "strike", "shot": "shoot", "fought": "fight",
    "won": "win", "wins": "win", "winning": "win", "lost": "lose", "loses": "lose", "losing": "lose",
    "held": "hold", "met": "meet", "sent": "send", "took": "take", "taken": "take", "gave": "give",
    "given": "give", "went": "go", "gone": "go", "came": "come", "made": "make", "began": "begin",
    "begun": "begin", "broke": "break", "broken": "break", "fled": "flee", "fell": "fall",
    "fallen": "fall", "hit": "hit", "hits": "hit", "hitting": "hit", "left": "leave", "led": "lead",
    "brought": "bring", "caught": "catch", "seized": "seize", "died": "die", "dies": "die",
    "dying": "die", "dead": "die", "death": "die", "deaths": "die", "killed": "kill",
    "children": "child", "men": "man", "women": "woman", "people": "people", "police": "police",
    "news": "news", "was": "be", "were": "be", "is": "be", "are": "be", "been": "be",
    "chose": "choose", "chosen": "choose", "spoke": "speak", "spoken": "speak", "wrote": "write",
    "written": "write", "beat": "beat", "beaten": "beat", "bought": "buy", "sold": "sell",
    "quit": "quit", "shook": "shake", "shaken": "shake", "rose": "rise", "risen": "rise",
    "stole": "steal", "stolen": "steal", "ran": "run", "arrested": "arrest", "injured": "injure",
    "injuries": "injure", "injury": "injure", "wounded": "wound",
}
for _past, _base in (_pair.split(":") for _pair in (
    "withdrew:withdraw withdrawn:withdraw drew:draw drawn:draw threw:throw thrown:throw flew:fly "
    "flown:fly grew:grow grown:grow knew:know known:know blew:blow blown:blow swore:swear "
    "sworn:swear tore:tear torn:tear overran:overrun overcame:overcome arose:arise froze:freeze "
    "frozen:freeze rode:ride drove:drive driven:drive undertook:undertake sought:seek "
    "taught:teach thought:think built:build spent:spend lent:lend meant:mean dealt:deal felt:feel "
    "kept:keep slept:sleep stood:stand understood:understand upheld:uphold withheld:withhold "
    "told:tell hid:hide hidden:hide bit:bite fed:feed bled:bleed sped:speed got:get "
    "forgot:forget hung:hang rang:ring sang:sing sprang:spring stung:sting swung:swing "
    "stuck:stick dug:dig spun:spin mistook:mistake woke:wake ate:eat eaten:eat sat:sit lay:lie "
    "paid:pay laid:lay slew:slay slain:slay sank:sink sunk:sink swam:swim strove:strive "
    "forbade:forbid forgave:forgive forgiven:forgive shut:shut set:set put:put cut:cut "
    "spread:spread cast:cast bet:bet let:let hurt:hurt quit:quit split:split saw:see seen:see "
    "found:find fought:fight bound:bind wound:wound ground:grind became:become done:do did:do "
    "had:have has:have having:have says:say said:say"
).split()):
    _IRREGULAR.setdefault(_past, _base)
_VOWELS = frozenset("aeiouy")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return a crude, consistent stem: "killed", "kills", "killing" -> "kill".

    Irregular forms go through a small table; then plural and verb endings
    are stripped and a final "e" dropped, so "strike" and "striking" meet.
    Only equality of stems matters, not their spelling.
    """
    w = word.casefold().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if w in _IRREGULAR:
        w = _IRREGULAR[w]
    elif len(w) > 4:
        if w.endswith("ies") or w.endswith("ied"):
            w = w[:-3] + "y"
        elif w.endswith("sses"):
            w = w[:-2]
        elif w.endswith("ing") and len(w) > 5 and any(ch in _VOWELS for ch in w[:-3]):
            w = _undouble(w[:-3])
        elif w.endswith("ed") and any(ch in _VOWELS for ch in w[:-2]):
            w = _undouble(w[:-2])
        elif w.endswith("es") and w[-3] in "sxz" or w.endswith(("ches", "shes")):
            w = w[:-2]
        elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def _undouble(w: str) -> str:
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz" and w[-1] not in _VOWELS:
        return w[:-1]
    return w


_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof st sen rep gov gen lt col maj capt sgt cpl adm cmdr jr sr inc corp co ltd
    no vs etc jan feb mar apr jun jul aug sep sept oct nov dec mt ft rev hon pres gen brig ave
    u.s u.k u.n e.g i.e a.m p.m d.c n.y l.a
    """.split()
)
_BOUNDARY = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[A-Z0-9])|\n\s*")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences of ``text[start:end]``, whitespace trimmed.

    Ends at ``.``/``!``/``?`` (with closing quotes or brackets) followed by
    a capital, digit or opening quote, and at every newline; not after
    common abbreviations ("Mr.", "Gen.", "U.S.") or single initials ("J.").
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _BOUNDARY.finditer(text, start, end):
        if m.group().startswith((".", "!", "?")) and m.group()[0] == ".":
            before = text[max(start, m.start() - 6) : m.start()]
            word = re.search(r"([\w.]+)$", before)
            if word:
                token = word.group(1).lower().rstrip(".")
                if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                    continue
        _add_span(text, cursor, m.end(), spans)
        cursor = m.end()
    _add_span(text, cursor, end, spans)
    return spans


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


# ----------------------------------------------------------------------------- numbers

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000,
    "k": 1_000,
}
_SCALE_ABBREVIATIONS = frozenset({"m", "mn", "bn", "k"})  # only after a currency sign: "$5m"
_VAGUE = {  # plural scale words: (low, high)
    "dozens": (24.0, 99.0), "hundreds": (200.0, 999.0), "thousands": (2_000.0, 99_999.0),
    "millions": (2e6, 999e6), "billions": (2e9, 999e9),
}
_MODIFIERS: tuple[tuple[str, str], ...] = (  # longest first
    ("no fewer than", "min"), ("no less than", "min"), ("not less than", "min"),
    ("in excess of", "min"), ("a minimum of", "min"), ("at least", "min"), ("more than", "min"),
    ("upwards of", "min"), ("over", "min"), ("just over", "min"), ("above", "min"),
    ("as many as", "max"), ("as much as", "max"), ("up to", "max"), ("at most", "max"),
    ("fewer than", "max"), ("less than", "max"), ("under", "max"), ("below", "max"),
    ("just under", "near"), ("nearly", "near"), ("almost", "near"), ("close to", "near"),
    ("an estimated", "about"), ("estimated", "about"), ("about", "about"), ("around", "about"),
    ("roughly", "about"), ("approximately", "about"), ("some", "about"), ("an approximate", "about"),
    ("about", "about"), ("circa", "about"), ("exactly", "exact"), ("only", "exact"),
)
_CURRENCY_SIGNS = {
    "$": "USD", "us$": "USD", "$us": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "a$": "AUD",
    "$a": "AUD", "c$": "CAD", "$c": "CAD", "nz$": "NZD", "$nz": "NZD", "hk$": "HKD", "$hk": "HKD",
    "s$": "SGD", "$s": "SGD",
}
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP",
    "pounds": "GBP", "yuan": "CNY", "ruble": "RUB", "rubles": "RUB", "rouble": "RUB",
    "roubles": "RUB", "hryvnia": "UAH", "hryvnias": "UAH", "rupee": "INR", "rupees": "INR",
    "shekel": "ILS", "shekels": "ILS", "yen": "JPY", "francs": "CHF",
}
# What is counted, by the words that say so around the number.
CATEGORIES: Mapping[str, frozenset[str]] = {
    "killed": frozenset({
        "kill", "killed", "killing", "kills", "dead", "death", "deaths", "die", "died", "dying",
        "fatality", "fatalities", "slain", "perished", "toll", "lives", "bodies", "murdered",
    }),
    "injured": frozenset({
        "injure", "injured", "injuring", "injury", "injuries", "wound", "wounded", "wounding",
        "hurt", "hospitalised", "hospitalized",
    }),
    "arrested": frozenset({
        "arrest", "arrested", "arresting", "arrests", "detain", "detained", "detaining",
        "detention", "detentions", "custody", "detainees",
    }),
    "missing": frozenset({"missing", "unaccounted"}),
    "displaced": frozenset({"displaced", "evacuated", "evacuees", "homeless", "refugees"}),
    "casualties": frozenset({"casualties"}),
    "abducted": frozenset({"abducted", "kidnapped", "hostages", "hostage", "abducting"}),
    "rescued": frozenset({"rescued"}),
    "turnout": frozenset({"turnout"}),
    "population": frozenset({"population", "inhabitants"}),
}
_CATEGORY_OF = {word: key for key, words in CATEGORIES.items() for word in words}
# Only verb-like words reach left over the number ("killing 12", "toll rose to 40").
_LEFT_CATEGORY = frozenset({
    "killing", "killed", "kills", "kill", "injuring", "injured", "wounding", "wounded", "toll",
    "arrested", "detained", "arresting", "detaining", "evacuated", "displaced", "rescued",
    "kidnapped", "abducted", "population", "turnout", "deaths", "dead", "casualties",
})
_NOT_A_TOLL = frozenset({
    "penalty", "sentence", "sentences", "row", "threat", "threats", "squad", "squads", "camp",
    "warrant", "certificate",
})
_LEFT_LINKS = frozenset({
    "to", "of", "at", "reached", "rose", "risen", "climbed", "stood", "stands", "hit", "has",
    "had", "have", "now", "is", "was", "were", "are", "been", "jumped", "increased", "reaching",
    "leaving", "left", "put", "puts", "another", "some", "the", "a", "an", "other", "more",
})
_PERCENT_SUBJECTS = frozenset({
    "turnout", "vote", "votes", "unemployment", "inflation", "growth", "approval", "support",
    "rate", "share", "stake", "interest", "tariff", "tariffs", "tax", "majority",
})
_GENERIC_NOUNS = frozenset({"people", "persons", "person", "individuals", "individual", "others", "of"})
_TIME_NOUNS = frozenset({
    "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks",
    "month", "months", "year", "years", "decade", "decades", "century", "centuries", "times",
    "year-old", "years-old", "time", "a.m", "p.m", "am", "pm", "o'clock", "gmt", "utc", "percent",
    "point", "points", "mph", "km", "kilometres", "kilometers", "miles", "metres", "meters",
    "feet", "inches", "degrees", "th", "st", "nd", "rd", "ft", "m", "cm", "mm", "kg", "kgs",
    "lb", "lbs", "pounds", "tons", "tonnes", "acres", "hectares", "kph", "km/h", "yards", "yard",
    "knots", "mile", "metre", "meter", "foot", "inch", "kilogram", "kilograms", "gallons", "litres",
    "liters", "barrels", "storey", "storeys", "stories", "floors", "rounds", "games", "seasons",
})
_NUMBER_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")
_TOKEN = re.compile(
    r"(?:US|A|C|NZ|HK|S)\$|\$(?:US|A|C|NZ|HK|S)(?=\d)|[$€£¥%]|\d+(?:[.,]\d+)*|[^\W\d_]+(?:['\u2019.-][^\W\d_]+)*\.?|[-\u2013\u2014]|[^\w\s]"
)


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    low: str
    start: int
    end: int


def _tokens(text: str, start: int, end: int) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(text, start, end):
        t = m.group()
        if t.endswith(".") and len(t) > 1 and t.lower().rstrip(".") not in _ABBREVIATIONS:
            t = t[:-1]
        out.append(_Tok(t, t.casefold().replace("\u2019", "'"), m.start(), m.start() + len(t)))
    return out


def _digit_value(text: str) -> float | None:
    if "," in text:
        if not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
            return None
        text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def _read_number(toks: list[_Tok], i: int) -> tuple[float, float, int] | None:
    """Read a number starting at token i: (low, high, index after it), or None."""
    t = toks[i]
    n = len(toks)
    if _NUMBER_TOKEN.fullmatch(t.text):
        value = _digit_value(t.text)
        if value is None:
            return None
        j = i + 1
        if j < n and toks[j].low in _SCALES and (
            toks[j].low not in _SCALE_ABBREVIATIONS or (i >= 1 and toks[i - 1].low in _CURRENCY_SIGNS)
        ):
            value *= _SCALES[toks[j].low]
            j += 1
        return value, value, j
    if t.low in _VAGUE:
        low, high = _VAGUE[t.low]
        j = i + 1
        # "tens of thousands", "hundreds of thousands"
        if j + 1 < n and toks[j].low == "of" and toks[j + 1].low in _VAGUE:
            scale = _VAGUE[toks[j + 1].low][0] / 2
            low, high, j = low * scale, high * scale * 10, j + 2
        return low, high, j
    if t.low == "tens" and i + 2 < n and toks[i + 1].low == "of" and toks[i + 2].low in _VAGUE:
        base = _VAGUE[toks[i + 2].low][0] / 2
        return base * 20, base * 99, i + 3
    if t.low in ("a", "one") and i + 1 < n and toks[i + 1].low == "dozen":
        return 12.0, 12.0, i + 2
    if t.low == "dozen":
        return 12.0, 12.0, i + 1
    total = 0.0
    current = 0.0
    j = i
    seen = False
    while j < n:
        low = toks[j].low
        parts = low.split("-")
        if all(p in _UNITS for p in parts) and parts:
            current += sum(_UNITS[p] for p in parts)
            seen = True
        elif seen and low in _SCALES and low not in ("m", "mn", "bn", "k"):
            scale = _SCALES[low]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
        elif seen and low == "and" and j + 1 < n and toks[j + 1].low.split("-")[0] in _UNITS:
            pass
        else:
            break
        j += 1
    if not seen:
        return None
    value = total + current
    return value, value, j


# Could a number start here? A digit, or a word ``_could_start_number`` accepts; a sentence
# without one holds no quantity and is not tokenised (most sentences: a large share of
# the claims step's time before this check).
_NUMBER_WORDS = sorted({*_UNITS, *_VAGUE, "tens", "dozen"}, key=len, reverse=True)
_MAYBE_NUMBER = re.compile(
    r"\d|(?<![^\W\d_])(?:" + "|".join(_NUMBER_WORDS) + r")(?![^\W\d_])"
)


def find_quantities(
    text: str, start: int, end: int, blocked: Sequence[tuple[int, int]] = ()
) -> tuple[Quantity, ...]:
    """Find the numbers of ``text[start:end]`` that count something, with their bounds.

    ``blocked`` spans (date expressions, entity names) hold no quantity.
    Years, times, ages, durations, ordinals and scores are skipped, and so
    is a number whose counted thing cannot be told.
    """
    if not _MAYBE_NUMBER.search(text[start:end].casefold()):
        return ()
    toks = _tokens(text, start, end)
    out: list[Quantity] = []
    percents = sum(
        1 for k, t in enumerate(toks)
        if t.low in ("%", "percent", "pct") or (t.low == "per" and k + 1 < len(toks) and toks[k + 1].low == "cent")
    )
    i = 0
    n = len(toks)
    while i < n:
        read = _read_number(toks, i) if _could_start_number(toks, i) else None
        if read is None:
            i += 1
            continue
        low, high, j = read
        first = i
        if any(s < toks[j - 1].end and toks[first].start < e for s, e in blocked):
            i = j
            continue
        quantity, after = _quantity_at(toks, first, j, low, high, text)
        if quantity is not None and not (percents > 1 and quantity.key.startswith("percent:")):
            out.append(quantity)
        i = max(after, i + 1)
    return tuple(out)


def _could_start_number(toks: list[_Tok], i: int) -> bool:
    t = toks[i]
    if _NUMBER_TOKEN.fullmatch(t.text) or t.low in _VAGUE or t.low in ("tens", "dozen"):
        return True
    if t.low in ("a", "one") and i + 1 < len(toks) and toks[i + 1].low == "dozen":
        return True
    return t.low.split("-")[0] in _UNITS and t.low != "one" or (
        t.low == "one" and i + 1 < len(toks) and toks[i + 1].low not in ("of", "another", "day", ",")
    )


def _quantity_at(
    toks: list[_Tok], i: int, j: int, low: float, high: float, text: str
) -> tuple[Quantity | None, int]:
    n = len(toks)
    num = toks[i]
    # skip what is not a count: years, times, ages, ordinals, hyphenated measures, scores
    if _NUMBER_TOKEN.fullmatch(num.text) and j == i + 1:
        if re.fullmatch(r"1[89]\d\d|20\d\d", num.text) and (i == 0 or toks[i - 1].low not in _CURRENCY_SIGNS):
            return None, j
        if j < n and toks[j].text in (":",) or (j < n and toks[j].low in ("a.m", "p.m", "am", "pm")):
            return None, j + 1
    if j < n and toks[j].text in ("-", "\u2013") and j + 1 < n:
        nxt = toks[j + 1]
        if _NUMBER_TOKEN.fullmatch(nxt.text) or nxt.low in _UNITS:  # range "10-20" or a score
            other = _read_number(toks, j + 1)
            if other is not None and other[0] > high and _counted_after(toks, other[2]) is not None:
                low, high, j = min(low, other[0]), max(high, other[1]), other[2]
            else:
                return None, (other[2] if other else j + 2)
        elif nxt.low.startswith(("year", "month", "week", "day", "hour", "minute", "point", "time")):
            return None, j + 2
        elif nxt.low == "magnitude":
            return _make(toks, i, j + 2, low, high, "magnitude", None, "magnitude", text), j + 2
        else:
            return None, j + 2
    if j < n and toks[j].low in ("to", "or") and j + 1 < n:
        other = _read_number(toks, j + 1) if _could_start_number(toks, j + 1) else None
        if other is not None:
            low, high, j = min(low, other[0]), max(high, other[1]), other[2]
    if i >= 1 and toks[i - 1].low == "between" and j + 1 < n and toks[j].low == "and":
        other = _read_number(toks, j + 1) if _could_start_number(toks, j + 1) else None
        if other is not None:
            low, high, j = min(low, other[0]), max(high, other[1]), other[2]
    # age: "56-year-old" handled above; "aged 56", "56 years old"
    if i >= 1 and toks[i - 1].low in ("aged", "age", "ages", "number", "no", "route", "flight", "room", "page"):
        return None, j
    # modifiers to the left (currency sign may sit between)
    k = i
    currency = None
    if k >= 1 and toks[k - 1].low in _CURRENCY_SIGNS:
        currency = _CURRENCY_SIGNS[toks[k - 1].low]
        k -= 1
    mod_start, mod = k, None
    left_words = [t.low for t in toks[max(0, k - 3) : k]]
    for phrase, kind in _MODIFIERS:
        words = phrase.split()
        if len(words) <= len(left_words) and left_words[-len(words) :] == words:
            mod, mod_start = kind, k - len(words)
            break
    if mod == "min":
        high = math.inf
    elif mod == "max":
        low = 0.0
    elif mod == "near":
        low = low * 0.8
    elif mod == "about":
        low, high = low * 0.8, high * 1.2
    # units to the right
    percent = False
    if j < n and toks[j].low in ("%", "percent", "pct"):
        percent, j = True, j + 1
    elif j + 1 < n and toks[j].low == "per" and toks[j + 1].low == "cent":
        percent, j = True, j + 2
    if j < n and toks[j].low in _CURRENCY_WORDS:
        currency, j = _CURRENCY_WORDS[toks[j].low], j + 1
    if j < n and toks[j].low in ("year-old", "years-old") or (
        j + 1 < n and toks[j].low in ("years", "year") and toks[j + 1].low == "old"
    ):
        return None, j
    if percent:
        key = _percent_key(toks, mod_start, j)
        if key is None:
            return None, j
        return _make(toks, mod_start, j, low, high, key, None, key.split(":", 1)[1], text), j
    if currency:
        head, _ = _head_after(toks, j)
        key = f"money:{currency}" + (f":{stem(head)}" if head else "")
        return _make(toks, mod_start, j, low, high, key, None, f"{currency}", text), j
    if any(t.low == "magnitude" or t.low == "richter" for t in toks[max(0, i - 2) : j + 2]):
        return _make(toks, mod_start, j, low, high, "magnitude", None, "magnitude", text), j
    head, head_end = _head_after(toks, j)
    if head is not None and head.lower() in _TIME_NOUNS:
        return None, j
    category = _category(toks, mod_start, j, head, head_end)
    noun = None if head is None or head.lower() in _GENERIC_NOUNS else stem(head)
    if (
        head is not None and head_end + 1 < n and toks[head_end].low in ("and", "or")
        and _WORD.fullmatch(toks[head_end + 1].text) and toks[head_end + 1].low not in STOPWORDS
        and toks[head_end + 1].low not in _CATEGORY_OF
    ):  # "420 passengers and crew" counts both
        noun = f"{noun or stem(head)}&{stem(toks[head_end + 1].low)}"
        head = f"{head} and {toks[head_end + 1].text}"
    if category is not None:
        if noun is not None and head is not None and _CATEGORY_OF.get(head.lower()) == category:
            noun = None  # "40 deaths": the noun is the category
        label = category if noun is None else f"{head} {category}"
        return _make(toks, mod_start, j, low, high, category, noun, label, text), max(j, head_end)
    if head is None or noun is None:
        return None, j
    if head[0].isupper() and head.lower() not in ("people",):
        return None, j  # "Apollo 11 Crew", "3 Doors Down": a name, not a count
    return _make(toks, mod_start, j, low, high, noun, noun, head, text), max(j, head_end)


def _make(
    toks: list[_Tok], a: int, b: int, low: float, high: float, key: str, noun: str | None,
    label: str, text: str,
) -> Quantity:
    phrase = text[toks[a].start : toks[b - 1].end]
    return Quantity(text=phrase, low=low, high=high, key=key, noun=noun, label=label)


def _head_after(toks: list[_Tok], j: int) -> tuple[str | None, int]:
    """The counted noun after a number: the last of up to three content words."""
    n = len(toks)
    k = j
    if k < n and toks[k].low == "of" and k + 1 < n:  # "dozens of people", "a dozen of them"
        k += 1
        if k < n and toks[k].low == "the":
            k += 1
    head = None
    head_end = j
    taken = 0
    while k < n and taken < 3:
        t = toks[k]
        if not _WORD.fullmatch(t.text) or t.low in STOPWORDS and t.low not in ("people",) and not (
            t.low in _TIME_NOUNS
        ):
            break
        if t.low in _CATEGORY_OF and taken:
            break
        if taken and t.low.endswith("ed") and t.low not in _CATEGORY_OF:
            break  # "300 protesters gathered": the verb is not the noun
        head, head_end = t.text, k + 1
        taken += 1
        if t.low in _CATEGORY_OF or t.low in _TIME_NOUNS:
            break
        k += 1
    return head, head_end


def _category(toks: list[_Tok], a: int, b: int, head: str | None, head_end: int) -> str | None:
    """What a number counts, from its noun, the verb right before it, or the words after it."""
    n = len(toks)
    if head is not None and head.lower() in _CATEGORY_OF:
        return _CATEGORY_OF[head.lower()]
    # left, over linking words only: "killing at least 12", "the death toll rose to 40"
    k = a - 1
    steps = 0
    while k >= 0 and steps < 4:
        t = toks[k]
        if t.low in _LEFT_CATEGORY:
            return _CATEGORY_OF[t.low]
        if t.low not in _LEFT_LINKS:
            break
        k -= 1
        steps += 1
    # right: "40 people were killed", stopping at the next number or clause break
    k = max(b, head_end)
    steps = 0
    while k < n and steps < 6:
        t = toks[k]
        if t.text in (",", ";", ":", "(", ")", "-", "\u2013", "\u2014") or _NUMBER_TOKEN.fullmatch(t.text) or t.low in _UNITS:
            break
        if t.low in _CATEGORY_OF:
            if k + 1 < n and toks[k + 1].low in _NOT_A_TOLL:
                return None  # "death penalty", "death sentence"
            return _CATEGORY_OF[t.low]
        if t.low in ("and", "but", "or", "while", "who", "which", "when", "as", "after", "before"):
            break
        k += 1
        steps += 1
    return None


def _is_typed_key(key: str) -> bool:
    """A count whose meaning is fixed (casualties, turnout, money, magnitude), not any plural noun."""
    return key in CATEGORIES or key.startswith(("percent:", "money:")) or key == "magnitude"


def _percent_key(toks: list[_Tok], a: int, b: int) -> str | None:
    n = len(toks)
    for k in list(range(b, min(n, b + 4))) + list(range(a - 1, max(-1, a - 7), -1)):
        if toks[k].text in (";",):
            break
        if toks[k].low in _PERCENT_SUBJECTS:
            return "percent:" + stem(toks[k].low)
    if b + 1 < n and toks[b].low == "of":
        head, _ = _head_after(toks, b)
        if head:
            return "percent:" + stem(head)
    return None


def _counted_after(toks: list[_Tok], j: int) -> str | None:
    head, _ = _head_after(toks, j)
    if head is None or head.lower() in _TIME_NOUNS:
        return None
    return head


# ----------------------------------------------------------------------------- extraction

_CUMULATIVE = re.compile(
    r"\b(?:a total of|in total|in all|so far|to date|thus far|overall|altogether|cumulative|"
    r"since the (?:start|beginning)|running total)\b",
    re.IGNORECASE,
)
_WEEKDAY_WORDS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WIN_VERBS = re.compile(
    r"^\W*(?:has |had )?(?:narrowly |easily )?(defeated|defeats|beat|beats|edged|edges|routed|"
    r"overcame|ousted|trounced|thrashed|won (?:against|over)|triumphed over|prevailed over)\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
_LOSE_VERBS = re.compile(
    r"^\W*(?:has |had )?(lost to|fell to|was defeated by|were defeated by|was beaten by|"
    r"were beaten by|conceded defeat to)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_WON_CONTEST = re.compile(
    r"^\W*(?:has |had )?(won|wins|clinched|secured|took)\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,2}?"
    r"(election|presidency|race|runoff|run-off|primary|vote|referendum|final|championship|title|"
    r"tournament|cup|series|match|bout)\b",
    re.IGNORECASE,
)


def extract_claims(article: Article) -> tuple[Candidate, ...]:
    """Return the check-worthy sentences of ``article`` with their typed facets.

    Reads ``text``, ``entities``, ``quotes``, ``events`` and ``dates``. A
    sentence is check-worthy when it carries an event, a counted number, a
    result (who won), or is an attributed statement; sentences of fewer than
    four words are skipped. One candidate per sentence, in text order.
    """
    text = article.text
    if not text:
        return ()
    entity_by_id = {e.id: e for e in article.entities}
    spans = sorted(
        (m.start, m.end, e.id) for e in article.entities for m in e.mentions if 0 <= m.start < m.end
    )
    span_starts = [s for s, _, _ in spans]
    date_spans = [(d.start, d.end) for d in article.dates]
    events_by_sentence: dict[int, list[Event]] = defaultdict(list)
    sentences = split_sentences(text)
    starts = [s for s, _ in sentences]
    for ev in article.events:
        k = bisect_left(starts, ev.trigger_start + 1) - 1
        if k >= 0 and ev.trigger_start < sentences[k][1]:
            events_by_sentence[k].append(ev)
    anchor = _article_anchor(article)
    out: list[Candidate] = []
    previous_background = False
    for k, (s, e) in enumerate(sentences):
        sentence = text[s:e]
        if len(re.findall(r"\w+", sentence)) < 4:
            continue
        lo = bisect_left(span_starts, s)
        inside = []
        for idx in range(lo, len(spans)):
            ms, me, eid = spans[idx]
            if ms >= e:
                break
            if me <= e:
                inside.append((ms, me, eid))
        entity_ids = tuple(dict.fromkeys(eid for _, _, eid in inside))
        actions = tuple(
            _action(ev, s, e, text, entity_by_id, inside) for ev in events_by_sentence.get(k, ())
        )
        blocked = date_spans + [(ms, me) for ms, me, eid in inside
                                if entity_by_id[eid].type not in ("CARDINAL", "QUANTITY", "MONEY", "PERCENT")]
        quantities = find_quantities(text, s, e, blocked)
        if quantities and _CUMULATIVE.search(sentence):
            quantities = tuple(replace(q, cumulative=True) for q in quantities)
        results = _results(text, inside, entity_by_id, s, e)
        dates = _dates(article, text, s, e)
        background = _is_background(article, s, e, anchor) or (
            previous_background and not dates and _CONTINUES.match(sentence) is not None
        )
        previous_background = background
        speaker, speaker_text, quote_id = _speaker(article, s, e)
        if not (actions or quantities or results or speaker or speaker_text):
            continue
        kind = "statement" if (speaker or speaker_text) else "number" if quantities else "event"
        out.append(
            Candidate(
                article=article.id,
                outlet=article.outlet,
                start=s,
                end=e,
                text=sentence,
                kind=kind,
                actions=actions,
                quantities=quantities,
                results=results,
                dates=dates,
                speaker=speaker,
                speaker_text=speaker_text,
                quote=quote_id,
                background=background,
                entities=entity_ids,
                places=tuple(
                    _place_ref(entity_by_id[eid]) for eid in entity_ids
                    if entity_by_id[eid].kb.get("geonames") is not None
                ),
                terms=_terms(text, s, e, inside),
            )
        )
    return tuple(out)


def _terms(text: str, s: int, e: int, inside: Sequence[tuple[int, int, str]]) -> tuple[str, ...]:
    out = []
    holes = sorted((ms, me) for ms, me, _ in inside)
    k, reach = 0, -1  # reach: the furthest end of the holes starting at or before the word
    for m in _WORD.finditer(text, s, e):
        at = m.start()
        while k < len(holes) and holes[k][0] <= at:
            reach = max(reach, holes[k][1])
            k += 1
        if at < reach:  # inside an entity mention
            continue
        low = m.group().casefold()
        if low in STOPWORDS or len(low) < 2:
            continue
        if low in _NOT_NEGATION or all(part in _UNITS for part in low.split("-")):
            continue
        out.append(stem(low))
    return tuple(out)


def _action(
    ev: Event, s: int, e: int, text: str, entity_by_id: Mapping[str, Entity],
    inside: Sequence[tuple[int, int, str]],
) -> Action:
    place = None
    if ev.place and ev.place in entity_by_id:
        for ms, _, eid in inside:
            if eid != ev.place:
                continue
            before = re.findall(r"[\w-]+", text[max(s, ms - 30) : ms].casefold())[-3:]
            while before and before[-1] in ("the", "a", "an", "suburban", "downtown", "central",
                                            "northern", "southern", "eastern", "western"):
                before.pop()
            if (before and before[-1] in _LOCATIVE) or ev.place == ev.target:
                place = _place_ref(entity_by_id[ev.place])
                break
    date_value = None
    if ev.date and not ev.date_inferred and ev.date_text and ev.date_text in text[s:e]:
        date_value = ev.date
    nations: list[str] = []
    if ev.actor:
        actor_entity = entity_by_id.get(ev.actor)
        if actor_entity is not None and actor_entity.type in ("GPE", "NORP"):
            nations.append(nation_key(actor_entity.name))
        elif ev.actor_text:
            at = text.find(ev.actor_text, s, e)
            if at >= 0:
                for ms, me, eid in inside:
                    if at <= ms and me <= at + len(ev.actor_text) and entity_by_id[eid].type in ("GPE", "NORP"):
                        nations.append(nation_key(entity_by_id[eid].name))
    return Action(
        type=ev.type,
        trigger=stem(ev.trigger.split()[-1] if ev.trigger.split() else ev.trigger),
        trigger_text=ev.trigger,
        actor=ev.actor,
        actor_text=ev.actor_text,
        target=ev.target,
        target_text=ev.target_text,
        place=place,
        date=date_value,
        date_text=ev.date_text if date_value else None,
        negated=ev.negated,
        actor_nations=tuple(dict.fromkeys(nations)),
    )


_LOCATIVE = frozenset({  # where something happened; not "from" (origin) or "to" (destination)
    "in", "at", "near", "outside", "inside", "across", "throughout", "around", "on", "off",
    "over", "within", "nearby", "outskirts",
})
_NATION_ALIASES = {
    "american": "united states", "americans": "united states", "us": "united states",
    "u.s": "united states", "usa": "united states", "america": "united states",
    "french": "france", "dutch": "netherlands", "holland": "netherlands", "british": "united kingdom",
    "britain": "united kingdom", "uk": "united kingdom", "u.k": "united kingdom",
    "great britain": "united kingdom", "english": "united kingdom", "swiss": "switzerland",
    "welsh": "wales", "scottish": "scotland", "irish": "ireland", "spanish": "spain",
    "danish": "denmark", "swedish": "sweden", "finnish": "finland", "polish": "poland",
    "greek": "greece", "thai": "thailand", "filipino": "philippines", "philippine": "philippines",
    "emirati": "united arab emirates", "uae": "united arab emirates", "saudi": "saudi arabia",
    "chinese": "china", "turkish": "turkey", "turkiye": "turkey", "soviet": "russia",
    "kremlin": "russia", "israelis": "israel", "palestinians": "palestine",
    "norwegian": "norway", "portuguese": "portugal", "belgian": "belgium",
}


def nation_key(name: str) -> str:
    """A comparison key for a country or its people: "Russian" and "Russia" share one.

    A small table covers irregular pairs (French/France, American/United
    States); otherwise the first five letters of the folded name, which
    joins regular demonyms (Ukrainian/Ukraine, Israeli/Israel, Iranian/Iran
    through :func:`same_nation`'s prefix rule).
    """
    folded = " ".join(name.casefold().replace(".", "").removeprefix("the ").split())
    folded = _NATION_ALIASES.get(folded, folded)
    return folded


def same_nation(a: str, b: str) -> bool:
    """Whether two :func:`nation_key` values name one country (prefix of at least four letters)."""
    if a == b:
        return True
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    n = min(len(short), 5)
    return n >= 4 and long.startswith(short[:n]) and (len(short) <= 5 or long.startswith(short))


def _place_ref(entity: Entity) -> PlaceRef:
    kb = entity.kb or {}
    geonames = kb.get("geonames")
    lat, lon = kb.get("lat"), kb.get("lon")
    return PlaceRef(
        entity=entity.id,
        text=entity.name,
        geonames=int(geonames) if isinstance(geonames, int | float | str) and str(geonames).isdigit() else None,
        country=kb.get("country") or None,
        kind=kb.get("kind") or None,
        lat=float(lat) if isinstance(lat, int | float) else None,
        lon=float(lon) if isinstance(lon, int | float) else None,
    )


def _dates(article: Article, text: str, s: int, e: int) -> tuple[DateRef, ...]:
    out = []
    for d in article.dates:
        if not (s <= d.start and d.end <= e) or not d.value or d.inferred:
            continue
        note = None
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d.value):
            around = text[max(s, d.start - 14) : d.end].casefold()
            written = [w for w in _WEEKDAY_WORDS if re.search(rf"\b{w}\b", around)]
            if len(written) == 1 and re.search(r"[a-z]{3}\.? ?\d|\d", d.text.casefold()):
                day = date.fromisoformat(d.value)
                if day.weekday() != _WEEKDAY_WORDS[written[0]]:
                    note = (
                        f"{day.strftime('%B')} {day.day}, {day.year} was a "
                        f"{_WEEKDAY_NAMES[day.weekday()]}, not a {written[0].capitalize()}"
                    )
        out.append(DateRef(text=d.text, value=d.value, weekday_note=note))
    return tuple(out)


_CONTINUES = re.compile(r"(?:It|They|He|She|That|This|These|Those|Its|Their)\b")
BACKGROUND_DAYS = 20  # a sentence dated this long before the article is background


def _article_anchor(article: Article) -> date | None:
    """The article's own time: its publication date, else the anchor its dates were resolved on."""
    for value in (article.published, *sorted(
        (d.anchor for d in article.dates if d.anchor), key=lambda a: (-sum(x.anchor == a for x in article.dates), a)
    )):
        if value and re.match(r"\d{4}-\d{2}-\d{2}", value):
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


def _is_background(article: Article, s: int, e: int, anchor: date | None) -> bool:
    """Whether the sentence tells of an earlier time: a date in it ends well before the anchor."""
    if anchor is None:
        return False
    for d in article.dates:
        if s <= d.start and d.end <= e and d.value:
            span = to_date_range(d.value)
            if span is not None and (anchor - span[1]).days > BACKGROUND_DAYS:
                return True
    return False


def _speaker(article: Article, s: int, e: int) -> tuple[str | None, str | None, str | None]:
    best = None
    best_overlap = 0
    for q in article.quotes:
        overlap = min(q.end, e) - max(q.start, s)
        if overlap <= 0:
            continue
        if overlap * 2 < min(e - s, q.end - q.start):
            continue
        if not (q.speaker or q.speaker_text):
            continue
        if overlap > best_overlap:
            best, best_overlap = q, overlap
    if best is None:
        return None, None, None
    speaker = best.speaker or (best.speakers[0] if best.speakers else None)
    return speaker, best.speaker_text, best.id


def _results(
    text: str, inside: Sequence[tuple[int, int, str]], entity_by_id: Mapping[str, Entity],
    s: int, e: int,
) -> tuple[Result, ...]:
    out: list[Result] = []
    for a, (ms, me, eid) in enumerate(inside):
        if entity_by_id[eid].type in ("DATE", "TIME", "CARDINAL", "MONEY", "PERCENT"):
            continue
        rest = text[me : min(e, me + 80)]
        if m := _WON_CONTEST.match(rest):
            out.append(Result(
                winner=eid, winner_text=text[ms:me], winner_type=entity_by_id[eid].type,
                contest=m.group(2).lower(),
            ))
            continue
        for b in range(a + 1, len(inside)):
            ns, ne, other = inside[b]
            if other == eid or ns - me > 60:
                break
            between = text[me:ns]
            if _WIN_VERBS.match(between):
                out.append(Result(
                    winner=eid, winner_text=text[ms:me], winner_type=entity_by_id[eid].type,
                    loser=other, loser_text=text[ns:ne],
                ))
            elif _LOSE_VERBS.match(between):
                out.append(Result(
                    winner=other, winner_text=text[ns:ne], winner_type=entity_by_id[other].type,
                    loser=eid, loser_text=text[ms:me],
                ))
            break
    return tuple(out)


# ----------------------------------------------------------------------------- similarity


def _mapped(value: str | None, entity_map: Mapping[str, str]) -> str | None:
    if value is None:
        return None
    return entity_map.get(value, value)


def _features(c: Candidate, entity_map: Mapping[str, str]) -> Counter[str]:
    feats: Counter[str] = Counter(c.terms)
    for eid in c.entities:
        feats["@" + entity_map.get(eid, eid)] += 1
    return feats


def _keys(c: Candidate, entity_map: Mapping[str, str]) -> set[str]:
    """Structural keys: what the sentence is about beyond its words."""
    keys = {f"#{a.type}:{a.trigger}" for a in c.actions}
    keys |= {f"%{q.key}" for q in c.quantities}
    if c.speaker:
        keys.add("!" + entity_map.get(c.speaker, c.speaker))
    return keys


class _Space:
    """TF-IDF vectors of one story's candidates (IDF from the story itself)."""

    def __init__(self, candidates: Sequence[Candidate], entity_map: Mapping[str, str]) -> None:
        self.entity_map = entity_map
        self.features = [_features(c, entity_map) for c in candidates]
        self.keys = [_keys(c, entity_map) for c in candidates]
        df: Counter[str] = Counter()
        for f in self.features:
            df.update(f.keys())
        n = len(candidates)
        self.idf = {t: math.log((n + 1) / (d + 1)) + 1.0 for t, d in df.items()}
        self.vectors: list[dict[str, float]] = []
        for f in self.features:
            vec = {
                t: (1.0 + math.log(tf)) * self.idf[t] * (1.5 if t.startswith("@") else 1.0)
                for t, tf in f.items()
            }
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            self.vectors.append({t: v / norm for t, v in vec.items()})
        self.df = df
        self.candidates = candidates
        # what affinity() needs, computed once per candidate
        self.entities = [frozenset(entity_map.get(x, x) for x in c.entities) for c in candidates]
        self.counted = [frozenset(q.key for q in c.quantities) for c in candidates]
        self.speakers = [entity_map.get(c.speaker, c.speaker) if c.speaker else None for c in candidates]
        self.triggers = [frozenset((a.type, a.trigger) for a in c.actions) for c in candidates]
        self.arguments = [
            frozenset((a.type, _mapped(v, entity_map)) for a in c.actions for v in (a.actor, a.target) if v)
            for c in candidates
        ]

    def cosine(self, i: int, j: int) -> float:
        a, b = self.vectors[i], self.vectors[j]
        if len(a) > len(b):
            a, b = b, a
        return sum(v * b.get(t, 0.0) for t, v in a.items())

    def affinity(self, i: int, j: int) -> float:
        """:func:`affinity` of candidates i and j, from the precomputed sets."""
        cosine = self.cosine(i, j)
        event = bool(self.triggers[i] & self.triggers[j] or self.arguments[i] & self.arguments[j])
        counted = bool(self.counted[i] & self.counted[j])
        speaker = self.speakers[i] is not None and self.speakers[i] == self.speakers[j]
        if not (self.entities[i] & self.entities[j] or event or counted or speaker) and cosine < ANCHORLESS_COSINE:
            return 0.0
        return cosine + 0.15 * event + 0.1 * counted + 0.1 * speaker


def affinity(
    a: Candidate, b: Candidate, *, cosine: float, entity_map: Mapping[str, str] = {}
) -> float:
    """How strongly two sentences are about the same thing, values ignored (0 when unanchored).

    ``cosine`` is their TF-IDF word-and-entity cosine; shared events,
    counted things and speakers add to it. Without any shared entity, event,
    counted thing or speaker, only a word cosine of at least
    ``ANCHORLESS_COSINE`` counts.
    """
    ents_a = {entity_map.get(x, x) for x in a.entities}
    ents_b = {entity_map.get(x, x) for x in b.entities}
    shared_entity = bool(ents_a & ents_b)
    event = _shared_event(a, b, entity_map)
    counted = bool({q.key for q in a.quantities} & {q.key for q in b.quantities})
    speaker = bool(
        a.speaker and b.speaker and entity_map.get(a.speaker, a.speaker) == entity_map.get(b.speaker, b.speaker)
    )
    if not (shared_entity or event or counted or speaker) and cosine < ANCHORLESS_COSINE:
        return 0.0
    return cosine + 0.15 * event + 0.1 * counted + 0.1 * speaker


def _shared_event(a: Candidate, b: Candidate, entity_map: Mapping[str, str]) -> bool:
    for x in a.actions:
        for y in b.actions:
            if x.type != y.type:
                continue
            if x.trigger == y.trigger:
                return True
            args_x = {_mapped(v, entity_map) for v in (x.actor, x.target) if v}
            args_y = {_mapped(v, entity_map) for v in (y.actor, y.target) if v}
            if args_x & args_y:
                return True
    return False


def _candidate_pairs(space: _Space, owners: Sequence[str]) -> set[tuple[int, int]]:
    """Blocking: pairs of different articles that share one of their heaviest features."""
    postings: dict[str, list[int]] = defaultdict(list)
    for i, vec in enumerate(space.vectors):
        top = sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:PREFIX_FEATURES]
        for t, _ in top:
            postings[t].append(i)
        for key in space.keys[i]:
            postings[key].append(i)
    pairs: set[tuple[int, int]] = set()
    for _, members in sorted(postings.items()):
        if len(members) > MAX_POSTING:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if owners[i] != owners[j]:
                    pairs.add((i, j) if i < j else (j, i))
    return pairs


# ----------------------------------------------------------------------------- alignment


_REUSE: ContextVar[dict[tuple[str, int], tuple[Candidate, ...]] | None] = ContextVar(
    "parallax_claims_reuse", default=None
)


@contextmanager
def reusing_candidates() -> Iterator[None]:
    """Within this block, each article's candidates are extracted once.

    The link step calls :func:`candidates_by_article` from claim alignment and
    again from contradiction finding over the same articles; this halves the
    claims step. Scoped to the block (a context variable), so nothing leaks
    between runs; a nested block shares the outer one's memo.
    """
    if _REUSE.get() is not None:
        yield
        return
    token = _REUSE.set({})
    try:
        yield
    finally:
        _REUSE.reset(token)


# ----------------------------------------------------------------------------- stored candidates
# The incremental link step keeps each linked article's candidates in the store
# (compressed JSON, one row per article) so a later run aligns only the new
# articles' sentences instead of re-reading and re-extracting every member of
# the stories they join. Positional arrays in field order; never pickle.

_NESTED: dict[str, type] = {
    "actions": Action, "quantities": Quantity, "results": Result, "dates": DateRef, "places": PlaceRef,
}


def _encode(value: object) -> object:
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return [_encode(getattr(value, f.name)) for f in fields(value)]  # type: ignore[arg-type]
    return value


def _decode(kind: type, row: list[object]) -> object:
    values: dict[str, object] = {}
    for f, raw in zip(fields(kind), row, strict=True):
        if f.name in _NESTED and kind is Candidate:
            values[f.name] = tuple(_decode(_NESTED[f.name], r) for r in raw)  # type: ignore[union-attr]
        elif f.name == "place" and kind is Action:
            values[f.name] = None if raw is None else _decode(PlaceRef, raw)  # type: ignore[arg-type]
        elif isinstance(raw, list):
            values[f.name] = tuple(raw)
        else:
            values[f.name] = raw
    return kind(**values)


def pack_candidates(candidates: Sequence[Candidate]) -> bytes:
    """One article's candidates as compressed JSON (see :func:`unpack_candidates`)."""
    return zlib.compress(json.dumps(_encode(tuple(candidates)), separators=(",", ":")).encode(), 6)


def unpack_candidates(data: bytes) -> tuple[Candidate, ...]:
    """The candidates :func:`pack_candidates` stored, equal to the originals."""
    return tuple(_decode(Candidate, row) for row in json.loads(zlib.decompress(data)))  # type: ignore[misc]


def _extract(article: Article) -> tuple[Candidate, ...]:
    memo = _REUSE.get()
    key = (article.id, len(article.text))
    if memo is not None and key in memo:
        return memo[key]
    found = extract_claims(article)[:MAX_ARTICLE_CLAIMS]
    if memo is not None:
        memo[key] = found
    return found


def candidates_by_article(articles: Sequence[Article]) -> dict[str, tuple[Candidate, ...]]:
    """Extract every article's candidates; near-duplicates borrow their original's.

    A near-duplicate that was not read (no entities, quotes or events) gets
    each candidate of its root re-anchored where the same sentence occurs in
    its own text. At most ``MAX_ARTICLE_CLAIMS`` per article, the first ones.
    """
    by_id = {a.id: a for a in articles}
    out: dict[str, tuple[Candidate, ...]] = {}
    for article in articles:
        if article.id in out:
            continue
        root = _root(article, by_id)
        unread = not (article.entities or article.events or article.quotes)
        if root.id != article.id and unread:
            if root.id not in out:
                out[root.id] = _extract(root)
            out[article.id] = _reanchor(out[root.id], root, article)
        else:
            out[article.id] = _extract(article)
    return out


def _reanchor(candidates: Sequence[Candidate], root: Article, copy: Article) -> tuple[Candidate, ...]:
    out = []
    cursor = 0
    for c in candidates:
        at = copy.text.find(c.text, cursor)
        if at < 0:
            at = copy.text.find(c.text)
        if at < 0:
            continue
        cursor = at + len(c.text)
        out.append(replace(c, article=copy.id, outlet=copy.outlet, start=at, end=at + len(c.text)))
    out.sort(key=lambda c: c.start)
    unique: list[Candidate] = []
    for c in out:
        if not unique or unique[-1].start != c.start:
            unique.append(c)
    return tuple(unique)


def harmonise_places(cands: Sequence[Candidate]) -> list[Candidate]:
    """Give one place name one gazetteer reading across a story.

    The reader resolves each article's places on its own, so "Troy" can be
    Troy, Michigan in one article and Troy, Georgia in another. Within a
    story, a name read several ways takes the reading closest to the story's
    other places (the smallest median distance); without other places, the
    most frequent reading. When one country holds at least 60 % of the
    story's place readings, a reading in a country with under 10 % is
    dropped (the place stays, unresolved): "Cumbria" read as a town in
    Maryland in a story about England.
    """
    readings: dict[str, Counter[PlaceRef]] = defaultdict(Counter)
    for c in cands:
        for p in c.places:
            if p.geonames is not None:
                readings[_fold(p.text)][_reading(p)] += 1
        for a in c.actions:
            if a.place is not None and a.place.geonames is not None and not c.places:
                readings[_fold(a.place.text)][_reading(a.place)] += 1
    countries = Counter(p.country for seen in readings.values() for p, n in seen.items() for _ in range(n) if p.country)
    total = sum(countries.values())
    outliers: set[str] = set()
    if total >= 5 and countries.most_common(1)[0][1] >= 0.6 * total:
        outliers = {c for c, n in countries.items() if n < 0.1 * total}
    ambiguous = {name for name, seen in readings.items() if len(seen) > 1}
    if not ambiguous and not outliers:
        return list(cands)
    chosen: dict[str, PlaceRef] = {}
    for name in sorted(ambiguous):
        others = [p for other, seen in readings.items() if other != name for p in seen
                  if p.lat is not None and p.lon is not None]

        def rank(p: PlaceRef, name: str = name, others: list[PlaceRef] = others) -> tuple[float, int, int]:
            if others and p.lat is not None and p.lon is not None:
                distances = sorted(_distance_km(p, q) for q in others)
                median = distances[len(distances) // 2]
            else:
                median = math.inf
            return (median, -readings[name][p], p.geonames or 0)

        chosen[name] = min(readings[name], key=rank)
    def settle(p: PlaceRef) -> PlaceRef:
        if _fold(p.text) in chosen:
            p = replace(chosen[_fold(p.text)], entity=p.entity, text=p.text)
        if p.country in outliers:  # a reading from another country than the whole story: distrust it
            p = PlaceRef(entity=p.entity, text=p.text)
        return p

    out = []
    for c in cands:
        if not any(a.place is not None for a in c.actions):
            out.append(c)
            continue
        actions = tuple(replace(a, place=settle(a.place)) if a.place is not None else a for a in c.actions)
        out.append(replace(c, actions=actions))
    return out


def _fold(name: str) -> str:
    return " ".join(name.casefold().removeprefix("the ").split())


def _reading(p: PlaceRef) -> PlaceRef:
    return replace(p, entity="", text="")


def _distance_km(p: PlaceRef, q: PlaceRef) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (p.lat or 0.0, p.lon or 0.0, q.lat or 0.0, q.lon or 0.0))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _root(article: Article, by_id: Mapping[str, Article]) -> Article:
    seen = {article.id}
    current = article
    while current.duplicate_of and current.duplicate_of in by_id and current.duplicate_of not in seen:
        seen.add(current.duplicate_of)
        current = by_id[current.duplicate_of]
    return current


def source_of(article: Article, by_id: Mapping[str, Article]) -> str:
    """The independent source an article counts for: its root's outlet, or the root's id."""
    root = _root(article, by_id)
    if root.id == article.id and article.duplicate_of:
        return article.duplicate_of  # original not loaded: the copy counts for it
    return root.outlet or root.id


def outlet_key(article: Article) -> str:
    """How omissions name an outlet: the outlet, or the article id when there is none."""
    return article.outlet or article.id


def align_claims(
    articles: Sequence[Article],
    stories: Sequence[Story],
    entity_map: Mapping[str, str] = {},
) -> tuple[Claim, ...]:
    """Group the check-worthy sentences of each story's articles into claims.

    Only articles of the same story are compared. Returns every claim,
    single-mention ones included, ordered by story id then claim id.
    ``contradicts`` is left empty: see
    :func:`~parallax.crossdoc.contradictions.find_contradictions`.
    """
    from parallax.crossdoc.contradictions import conflicts

    by_id = {a.id: a for a in articles}
    story_articles = {
        s.id: [by_id[x] for x in dict.fromkeys(s.articles) if x in by_id] for s in stories
    }
    wanted = [a for s in sorted(stories, key=lambda s: s.id) for a in story_articles[s.id]]
    extracted = candidates_by_article(list({a.id: a for a in wanted}.values()) + [
        by_id[a.duplicate_of] for a in wanted if a.duplicate_of and a.duplicate_of in by_id
    ])
    claims: list[Claim] = []
    for story in sorted(stories, key=lambda s: s.id):
        members = story_articles[story.id]
        cands = harmonise_places([c for a in members for c in extracted.get(a.id, ())])
        if not cands:
            continue
        groups = _cluster(cands, entity_map, conflicts)
        for group in groups:
            claims.append(_claim(story.id, [cands[i] for i in group], by_id))
    claims.sort(key=lambda c: (c.story, c.id))
    return tuple(claims)


def extend_claims(
    stories: Sequence[Story],
    stored: Mapping[str, Sequence[Claim]],
    candidates: Mapping[str, Sequence[Candidate]],
    fresh: set[str],
    by_id: Mapping[str, Article],
    entity_map: Mapping[str, str] = {},
) -> tuple[tuple[Claim, ...], dict[str, str]]:
    """Add the ``fresh`` articles' sentences to the ``stored`` claims of ``stories``.

    The incremental form of :func:`align_claims`: ``candidates`` hold every
    member's candidates (stored ones as the store kept them), ``stored`` each
    story's claims from earlier runs. A stored claim starts as one group and is
    never split; the same agglomerative merge as :func:`align_claims` then runs
    over the pairs that involve at least one new sentence only, so stored
    claims grow, gain new mentions or merge through a new sentence, and new
    sentences form claims of their own. ``by_id`` needs each member's outlet,
    date and ``duplicate_of`` only (texts are not read). Returns every claim of
    ``stories`` and the new id of each stored claim (ids follow the earliest
    mention, as in a full link).
    """
    from parallax.crossdoc.contradictions import conflicts

    claims: list[Claim] = []
    renamed: dict[str, str] = {}
    for story in sorted(stories, key=lambda s: s.id):
        members = list(dict.fromkeys(story.articles))
        cands = harmonise_places([c for a in members for c in candidates.get(a, ())])
        if not cands:
            continue
        index = {(c.article, c.start): i for i, c in enumerate(cands)}
        taken: set[int] = set()
        initial: list[list[int]] = []
        first_of: dict[str, int] = {}
        for claim in stored.get(story.id, ()):
            group = [index[key] for m in claim.mentions
                     if (key := (m.article, m.start)) in index and index[key] not in taken]
            if group:
                taken.update(group)
                initial.append(sorted(group))
                first_of[claim.id] = group[0]
        new = {i for i, c in enumerate(cands) if c.article in fresh}
        groups = _cluster(cands, entity_map, conflicts, initial=initial, fresh=new)
        group_of = {i: g for g, members_ in enumerate(groups) for i in members_}
        made = [_claim(story.id, [cands[i] for i in group], by_id) for group in groups]
        claims.extend(made)
        for old, i in first_of.items():
            renamed[old] = made[group_of[i]].id
    claims.sort(key=lambda c: (c.story, c.id))
    return tuple(claims), renamed


def _cluster(
    cands: Sequence[Candidate],
    entity_map: Mapping[str, str],
    conflicts: object,
    *,
    initial: Sequence[Sequence[int]] = (),
    fresh: set[int] | None = None,
) -> list[list[int]]:
    """Agglomerative grouping; ``initial`` groups start merged and only pairs
    touching a ``fresh`` candidate are scored (all pairs when ``fresh`` is None)."""
    space = _Space(cands, entity_map)
    owners = [c.article for c in cands]
    cache: dict[tuple[int, int], float] = {}

    def score(i: int, j: int) -> float:
        key = (i, j) if i < j else (j, i)
        if key not in cache:
            cache[key] = space.affinity(i, j)
        return cache[key]

    conflict_cache: dict[tuple[int, int], bool] = {}

    def clash(i: int, j: int) -> bool:
        key = (i, j) if i < j else (j, i)
        if key not in conflict_cache:
            conflict_cache[key] = cands[i].background != cands[j].background or bool(
                conflicts(cands[i], cands[j], entity_map=entity_map)  # type: ignore[operator]
            )
        return conflict_cache[key]

    scored = []
    for i, j in _candidate_pairs(space, owners):
        if fresh is not None and i not in fresh and j not in fresh:
            continue
        value = score(i, j)
        if value >= LINK_THRESHOLD:
            scored.append((-value, i, j))
    scored.sort()
    parent = list(range(len(cands)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(cands))}
    owned: dict[int, set[str]] = {i: {owners[i]} for i in range(len(cands))}
    for group in initial:
        keep = min(group)
        for other in group:
            if other != keep:
                parent[other] = keep
                members.pop(other, None)
                owned.pop(other, None)
        members[keep] = sorted(group)
        owned[keep] = {owners[i] for i in group}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for _, i, j in scored:
        ri, rj = find(i), find(j)
        if ri == rj or owned[ri] & owned[rj]:
            continue
        left, right = members[ri][:MAX_CROSS_CHECK], members[rj][:MAX_CROSS_CHECK]
        if any(clash(x, y) for x in members[ri][:MAX_CONFLICT_CHECK] for y in members[rj][:MAX_CONFLICT_CHECK]):
            continue
        mean = sum(score(x, y) for x in left for y in right) / (len(left) * len(right))
        if mean < MERGE_THRESHOLD:
            continue
        keep, gone = (ri, rj) if ri < rj else (rj, ri)
        parent[gone] = keep
        members[keep] = sorted(members[keep] + members.pop(gone))
        owned[keep] |= owned.pop(gone)
    return [members[r] for r in sorted(members)]


_DATELINE = re.compile(
    r"^(?:[A-Z][A-Za-z.'\- ]{1,40}|[A-Z][A-Z .'\-]{1,40})(?:,\s*[A-Za-z .]{2,30})?"
    r"(?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([^)]{1,40}\))?\s*[-\u2013\u2014]+\s+"
)


def summarize(text: str, limit: int = 200) -> str:
    """A short readable statement from a mention: dateline removed, trimmed at a word."""
    t = " ".join(text.split())
    m = _DATELINE.match(t)
    if m and len(t) - m.end() > 20:
        t = t[m.end() :]
    if len(t) > limit:
        cut = t.rfind(" ", 0, limit - 1)
        t = t[: cut if cut > limit // 2 else limit - 1].rstrip(",;: ") + "\u2026"
    return t


def _claim(story: str, group: Sequence[Candidate], by_id: Mapping[str, Article]) -> Claim:
    def order(c: Candidate) -> tuple[str, str, int]:
        art = by_id.get(c.article)
        return ((art.published or "9999") if art else "9999", c.article, c.start)

    ordered = sorted(group, key=order)
    first = ordered[0]
    mentions = tuple(
        ClaimMention(article=c.article, start=c.start, end=c.end, text=c.text, outlet=c.outlet)
        for c in ordered
    )
    sources = {source_of(by_id[c.article], by_id) if c.article in by_id else c.article for c in ordered}
    kinds = Counter(c.kind for c in ordered)
    kind = max(kinds, key=lambda k: (kinds[k], k == "number", k == "statement"))
    shortest = min(ordered, key=lambda c: (len(c.text), c.article, c.start))
    return Claim(
        id=make_id("clm", story, first.article, str(first.start)),
        story=story,
        summary=summarize(shortest.text),
        mentions=mentions,
        outlets=len(sources),
        kind=kind,
    )


# ----------------------------------------------------------------------------- omissions


def find_omissions(
    claims: Sequence[Claim],
    articles: Sequence[Article],
    stories: Sequence[Story],
    *,
    min_outlets: int = 2,
) -> dict[str, dict[str, tuple[str, ...]]]:
    """Map story id -> outlet -> ids of the story's well-corroborated claims that outlet lacks.

    A claim is well corroborated when at least ``min_outlets`` independent
    outlets carry it. Every outlet with an article in the story is listed
    (articles without an outlet by their id), with an empty tuple when it
    omits nothing; stories without a well-corroborated claim are left out.
    An outlet carries a claim when any of its articles (copies included)
    has a mention of it.
    """
    by_id = {a.id: a for a in articles}
    by_story: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_story[claim.story].append(claim)
    out: dict[str, dict[str, tuple[str, ...]]] = {}
    for story in sorted(stories, key=lambda s: s.id):
        strong = sorted(
            (c for c in by_story.get(story.id, ()) if c.outlets >= min_outlets), key=lambda c: c.id
        )
        if not strong:
            continue
        outlets = sorted({outlet_key(by_id[a]) for a in story.articles if a in by_id})
        table: dict[str, tuple[str, ...]] = {}
        for outlet in outlets:
            table[outlet] = tuple(
                c.id for c in strong
                if not any(m.article in by_id and outlet_key(by_id[m.article]) == outlet for m in c.mentions)
            )
        out[story.id] = table
    return out

