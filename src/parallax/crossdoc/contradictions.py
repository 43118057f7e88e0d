"""Contradictions: aligned claims that cannot both be true, with a reason a person can check.

No NLI model ships in a package we can use offline (see ``MODELS.md``), so a
contradiction is found by *typed comparison* of the facets
:func:`~parallax.crossdoc.claims.extract_claims` reads, between sentences of
one story that are about the same thing (:func:`~parallax.crossdoc.claims.affinity`
at least :data:`CONTRADICTION_THRESHOLD`):

- **number**: the same counted thing (same key and noun: "killed" people,
  "percent:turnout", "magnitude") with value ranges that do not overlap.
  "at least 40" vs "12" conflicts; "at least 40" vs "45", "three" vs "3",
  "about 200" vs "190" do not; "12 soldiers" vs "40 people" are different
  things. A sentence giving two values for one thing is not compared on it,
  nor is a running total ("so far", "a total of") with a single count. A
  higher toll (dead, injured, arrested…) in an article published on a later
  day is an update, not a contradiction; a lower one still disagrees.
  Counts of ordinary nouns ("three boats" vs "two boats") are flagged only
  when both are exact and fill the same role of the same event ("confiscated
  31 magazines" vs "confiscated 12 magazines"): "intercepted three boats" and
  "five boats attacked" count different sets, "at least three banks" and
  "two banks" can both hold. Counts of casualties, arrests, turnout, money
  and magnitudes need no such support. A magnitude above 10 or a share above
  100 % is a misreading ("6.1 on the Richter scale 60km west"), and the whole
  of a part ("two of the three victims died") is not what was counted: neither
  is compared.
- **background**: a sentence dated well before its article ("a quake killed
  612 in 2003") is never compared with one about the story's own time; nor,
  when the reader could not date it (no publication date), a sentence placed
  in a past month or year ("in September", "in 2003", "two years ago").
- **date**: the same event (type and trigger, compatible actor and target)
  dated to calendar ranges that do not overlap ("2024-03" and "2024-03-12"
  overlap). Dates the reader inferred without a publication date are not
  used; a sentence-level date is compared only between sentences counting the
  same thing, each with exactly one day-precise date. Without any resolved
  date (no publication date), the weekday names of one event (same type,
  trigger and compatible arguments) are compared:
  "on Thursday" vs "on Friday" disagree; "said Friday" dates the statement,
  not the event, and "late Thursday" agrees with "early Friday".
- **weekday**: a date written with a weekday it does not fall on
  ("Tuesday, March 12, 2025", a Wednesday). The analysis contract forbids a
  claim contradicting itself, so the flag goes against the aligned claim that
  gives the date for the same thing; the reason names the real weekday.
- **place**: the same event placed in different gazetteer places neither of
  which contains the other: a city and its country agree ("Kyiv" vs
  "Ukraine"), places under 50 km apart agree, a region and a city are not
  compared (no hierarchy says whether the city is in it), unresolved places are not
  compared; only places named in the sentence count (never the dateline).
- **actor**: who did what to whom: the same event type and trigger with
  actor and target swapped ("A attacked B" vs "B attacked A", both resolved
  entities); the same act on the same target blamed on different countries
  or peoples ("Russian missiles struck the market" vs "Ukrainian missiles
  struck the market"; "Russian" and "Russia" are one nation); or the winner and loser swapped ("A defeated B" vs "B beat A"),
  or different winners of the same contest ("A won the election" vs
  "B won the election", winners of the same entity type).
- **negation**: the same event, negated in one sentence only.

**One incident, not two.** When two sentences disagree on when or where
*and* on something else (say both the date and the number), they are most
likely about different incidents, and nothing is flagged; disagreeing on the
count and on who did it (same time and place) is flagged on both counts. Mere
paraphrase and extra detail never disagree: a facet present on one side only
is not compared.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace

from parallax.crossdoc.claims import (
    MAX_POSTING,
    PREFIX_FEATURES,
    Action,
    Candidate,
    PlaceRef,
    Quantity,
    _Space,
    _distance_km,
    _is_typed_key,
    candidates_by_article,
    harmonise_places,
    same_nation,
)
from parallax.records import Article, Claim, Contradiction
from parallax.stages.dates import to_date_range

__all__ = [
    "CONTRADICTION_THRESHOLD", "conflicts", "find_contradictions", "flag_contradictions", "pair_flags",
    "places_agree",
]

CONTRADICTION_THRESHOLD = 0.42  # affinity two sentences need before their facets are compared
NEAR_KM = 50.0  # places closer than this are the same place for a claim
FAMILY = {"number": "number", "date": "date", "weekday": "date", "place": "place",
          "actor": "actor", "target": "actor", "negation": "negation"}


def _who(c: Candidate) -> str:
    return c.outlet or c.article


def _m(value: str | None, entity_map: Mapping[str, str]) -> str | None:
    return None if value is None else entity_map.get(value, value)


def _is_entity(value: str | None) -> bool:
    return bool(value) and str(value).startswith("ent_")


def _norm(text: str | None) -> str:
    words = (text or "").casefold().replace("\u2019", "'").split()
    words = [w.removesuffix("'s") for w in words if w not in ("the", "a", "an")]
    return " ".join(words)


def _same_arg(u: str | None, u_text: str | None, v: str | None, v_text: str | None,
              entity_map: Mapping[str, str]) -> bool | None:
    """True/False when both arguments are present, None when one is missing."""
    if u is None or v is None:
        return None
    if _m(u, entity_map) == _m(v, entity_map):
        return True
    return bool(u_text and v_text and _norm(u_text) == _norm(v_text))


def _same_event(x: Action, y: Action, entity_map: Mapping[str, str]) -> bool:
    if x.type != y.type or x.trigger != y.trigger:
        return False
    actor = _same_arg(x.actor, x.actor_text, y.actor, y.actor_text, entity_map)
    target = _same_arg(x.target, x.target_text, y.target, y.target_text, entity_map)
    return actor is not False and target is not False


def places_agree(p: PlaceRef, q: PlaceRef, entity_map: Mapping[str, str] = {}) -> bool | None:
    """Whether two places can be the same place for a claim; None when it cannot be told.

    The same entity or GeoNames feature agrees; a country (or continent)
    agrees with anything inside it; two places under :data:`NEAR_KM` apart
    agree (a city and its district); a region and a city of the same country
    cannot be told apart without a hierarchy, so they are not compared.
    """
    if _m(p.entity, entity_map) == _m(q.entity, entity_map):
        return True
    if p.geonames is None or q.geonames is None:
        return None
    if p.geonames == q.geonames:
        return True
    kinds = {p.kind, q.kind}
    if "continent" in kinds:
        return None
    if p.country and q.country and p.country != q.country:
        return False
    if "country" in kinds:
        return p.country == q.country if p.country and q.country else None
    if kinds != {"city"}:
        return None  # a region and a place in it, or an unknown kind: cannot be told apart
    if None not in (p.lat, p.lon, q.lat, q.lon):
        return _distance_km(p, q) < NEAR_KM
    return None


def _disjoint(u: str, v: str) -> bool:
    a, b = to_date_range(u), to_date_range(v)
    if a is None or b is None:
        return False
    return a[1] < b[0] or b[1] < a[0]


def _value(q: Quantity) -> str:
    return f"{q.text} {q.label}".strip()


def _single(quantities: Sequence[Quantity], key: str, noun: str | None) -> Quantity | None:
    found = [q for q in quantities if q.key == key and q.noun == noun]
    if not found or len({(q.low, q.high) for q in found}) > 1:
        return None
    return found[0]


def conflicts(
    a: Candidate, b: Candidate, *, entity_map: Mapping[str, str] = {},
    published: Mapping[str, str] = {},
) -> tuple[tuple[str, str], ...]:
    """Every typed disagreement between two sentences, as ``(kind, reason)`` pairs.

    Kinds: number, date, weekday, place, actor, negation. Only facets present
    on both sides are compared. Symmetric up to the order of names in the
    reasons.
    """
    return tuple((kind, reason) for kind, reason, _ in _conflicts(a, b, entity_map, published))




_NEGATION_CUE = re.compile(r"\b(?:not|never|no|nor|neither|without|until|unless|fail(?:ed|s)? to)\b|n[\'\u2019]t\b", re.I)


def _conflicts(
    a: Candidate, b: Candidate, entity_map: Mapping[str, str], published: Mapping[str, str] = {}
) -> list[tuple[str, str, bool]]:
    """``(kind, reason, strong)``: weak flags (counts of ordinary nouns) need a shared event."""
    out: list[tuple[str, str, bool]] = []
    if _elsewhen(a) != _elsewhen(b):
        return out  # an earlier event told as background is not the story's event
    wa, wb = _who(a), _who(b)
    # numbers
    for key, noun in sorted({(q.key, q.noun) for q in a.quantities} & {(q.key, q.noun) for q in b.quantities},
                            key=lambda kn: (kn[0], kn[1] or "")):
        qa, qb = _single(a.quantities, key, noun), _single(b.quantities, key, noun)
        if qa is None or qb is None or qa.cumulative != qb.cumulative:
            continue
        if not (_plausible(qa) and _plausible(qb)) or _partitive_whole(a, qa) or _partitive_whole(b, qb):
            continue
        if not _is_typed_key(key) and not _same_count(a, qa, b, qb):
            continue
        if _below(qa.high, qb.low) or _below(qb.high, qa.low):
            if _update(key, a, qa, b, qb, published):
                continue
            strong = _is_typed_key(key) or _shares_trigger(a, b)
            out.append(("number", f"numbers differ: {_value(qa)} ({wa}) vs {_value(qb)} ({wb})", strong))
    # events: dates, places, swaps, negation
    dated = False
    for x in a.actions:
        for y in b.actions:
            if x.type == y.type and x.trigger == y.trigger and _swapped(x, y, entity_map):
                out.append(("actor", (
                    f"who did what to whom differs: {x.actor_text} {x.trigger_text} {x.target_text} ({wa})"
                    f" vs {y.actor_text} {y.trigger_text} {y.target_text} ({wb})"
                ), True))
                continue
            if _blame_differs(x, y, entity_map):
                out.append(("actor", (
                    f"who did it differs: {x.actor_text} {x.trigger_text} {x.target_text} ({wa})"
                    f" vs {y.actor_text} {y.trigger_text} {y.target_text} ({wb})"
                ), True))
                continue
            if not _same_event(x, y, entity_map):
                continue
            if x.date and y.date:
                dated = True
                if _disjoint(x.date, y.date):
                    out.append(("date", (
                        f"dates differ: {x.trigger_text} {x.date_text} = {x.date} ({wa})"
                        f" vs {y.trigger_text} {y.date_text} = {y.date} ({wb})"
                    ), True))
            if x.place and y.place and places_agree(x.place, y.place, entity_map) is False:
                out.append(("place", (
                    f"places differ: {x.trigger_text} in {x.place.text} ({wa})"
                    f" vs {y.trigger_text} in {y.place.text} ({wb})"
                ), True))
            if x.negated != y.negated and _negation_clear(a, b, x, y, entity_map):
                neg, pos = (x, y) if x.negated else (y, x)
                out.append(("negation", (
                    f"one report negates it: \"{_phrase(neg, True)}\" ({wa if neg is x else wb})"
                    f" vs \"{_phrase(pos, False)}\" ({wb if neg is x else wa})"
                ), True))
    # sentence-level date: same counted thing, one day-precise date each
    if not dated and {q.key for q in a.quantities} & {q.key for q in b.quantities}:
        da = [d for d in a.dates if len(d.value) == 10]
        db = [d for d in b.dates if len(d.value) == 10]
        if len(da) == 1 and len(db) == 1 and _disjoint(da[0].value, db[0].value):
            out.append(("date", (
                f"dates differ: {da[0].text} = {da[0].value} ({wa}) vs {db[0].text} = {db[0].value} ({wb})"
            ), True))
    # weekday names the reader could not date (no publication date): one day each, same event
    shared_events = {(x.type, x.trigger) for x in a.actions for y in b.actions if _same_event(x, y, entity_map)}
    if not dated and not a.dates and not b.dates and shared_events:
        days_a, days_b = _event_days(a, shared_events), _event_days(b, shared_events)
        if len(days_a) == 1 and len(days_b) == 1 and not _same_day_or_night(days_a[0], days_b[0]):
            out.append(("date", (
                f"days differ: {days_a[0][3]} ({wa}) vs {days_b[0][3]} ({wb})"
            ), True))
    # weekday written with a date it does not fall on
    for one, other, w1, w2 in ((a, b, wa, wb), (b, a, wb, wa)):
        other_dates = [d for d in other.dates if not d.weekday_note]
        for d in one.dates:
            if d.weekday_note and other_dates:
                out.append(("weekday", (
                    f"weekday does not match the date: \"{d.text}\" ({w1}): {d.weekday_note};"
                    f" {w2} gives \"{other_dates[0].text}\" = {other_dates[0].value}"
                ), True))
    # results: who won
    for r in a.results:
        for s in b.results:
            rw, rl = _m(r.winner, entity_map), _m(r.loser, entity_map)
            sw, sl = _m(s.winner, entity_map), _m(s.loser, entity_map)
            if rl and sl and rw == sl and rl == sw and rw != rl:
                out.append(("actor", (
                    f"who won differs: {r.winner_text} over {r.loser_text} ({wa})"
                    f" vs {s.winner_text} over {s.loser_text} ({wb})"
                ), True))
            elif (
                r.contest and r.contest == s.contest and rw != sw and r.winner_type == s.winner_type
                and _norm(r.winner_text) not in _norm(s.winner_text)
                and _norm(s.winner_text) not in _norm(r.winner_text)
            ):
                out.append(("actor", (
                    f"who won the {r.contest} differs: {r.winner_text} ({wa}) vs {s.winner_text} ({wb})"
                ), True))
    return list(dict.fromkeys(out))


_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_COARSE_PAST = re.compile(
    rf"\b(?:in|during)\s+(?:(?:early|late|mid-?)\s*)?"
    rf"(?:(?:{_MONTHS})(?:,?\s+(?:19|20)\d\d\b|(?!\s+\d))|(?:19|20)\d\d\b)"
    rf"|\blast\s+(?:{_MONTHS}|year|month|decade)\b|\b(?:earlier this|previous)\s+(?:year|month|decade)\b"
    r"|\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|many)\s+(?:years|months|decades)\s+ago\b",
    re.I,
)


_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_WORD = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|told|tells|announced|announces|confirmed|confirms|reported|reports|added|"
    r"statement|stated|spokesman|spokeswoman)\b(?:\W+\w+){0,6}\W*$",
    re.I,
)
_NIGHT = re.compile(r"\b(?:late|night|evening|overnight)\b", re.I)
_EARLY = re.compile(r"\b(?:early|morning|dawn|before dawn)\b", re.I)


_CLAUSE_BREAK = re.compile(r"\b(?:after|before|since|following|when|while|until|as)\b", re.I)
_DAY_PREFIX = re.compile(r"\b(?:on|late|early|last|this|next|by|since)\s+$", re.I)
_DAY_SUFFIX = re.compile(r"^\s+(?:night|morning|evening|afternoon)\b", re.I)


def _event_days(c: Candidate, events: set[tuple[str, str]]) -> list[tuple[int, bool, bool, str]]:
    """Weekday names of a sentence that date one of ``events`` (type, trigger).

    ``(day, night, early, words)``. A weekday counts when no clause break
    ("after", "when"…) lies between it and the nearest trigger of the events:
    in "charged with murder Saturday after opening fire" Saturday dates the
    charge, not the shooting. A day that dates a statement ("said
    Friday", "confirmed to People on Friday") or names a thing ("Sunday's
    game") is left out. "late Thursday"/"Thursday night" is night,
    "early Friday"/"Friday morning" is early.
    """
    text = c.text
    triggers = []
    for x in c.actions:
        at = text.find(x.trigger_text)
        if at >= 0 and (x.type, x.trigger) in events:
            triggers.append((at, at + len(x.trigger_text)))
    out = []
    for m in _DAY_WORD.finditer(text):
        if _SPEECH_BEFORE.search(text[max(0, m.start() - 60) : m.start()]):
            continue
        if text[m.end() : m.end() + 2] in ("'s", "\u2019s"):
            continue
        if not triggers:
            continue
        start, end = min(triggers, key=lambda t: t[0] - m.end() if t[0] >= m.end() else m.start() - t[1])
        between = text[end : m.start()] if end <= m.start() else text[m.end() : start]
        if _CLAUSE_BREAK.search(between):
            continue
        prefix = _DAY_PREFIX.search(text[: m.start()])
        suffix = _DAY_SUFFIX.match(text[m.end() :])
        words = (prefix.group() if prefix else "") + m.group() + (suffix.group() if suffix else "")
        near = text[max(0, m.start() - 12) : m.end() + 10]
        out.append((
            _DAYS.index(m.group(1).lower()), bool(_NIGHT.search(near)), bool(_EARLY.search(near)),
            words.strip(),
        ))
    return out


def _same_day_or_night(x: tuple[int, bool, bool, str], y: tuple[int, bool, bool, str]) -> bool:
    """Same weekday, or one night told as "late Thursday" and "early Friday"."""
    if x[0] == y[0]:
        return True
    first, second = (x, y) if (y[0] - x[0]) % 7 == 1 else (y, x) if (x[0] - y[0]) % 7 == 1 else (None, None)
    return first is not None and second is not None and (first[1] or second[2])


def _elsewhen(c: Candidate) -> bool:
    """Told as background: dated well before its article, or placed in a past month/year with no day.

    "…killed more than 31,000 in Bam in 2003, and 600 in Zarand in February"
    in an article the reader could not place in time is background too.
    """
    return c.background or (not any(len(d.value) == 10 for d in c.dates) and _coarse_past(c.text))


def _coarse_past(text: str) -> bool:
    """Whether a sentence places itself in a month, a year or "years ago" (not a day).

    Used only when the reader dated neither sentence (no publication date):
    "a quake in September killed 40" is then background to "a quake injured
    three", not a disagreement about it.
    """
    return _COARSE_PAST.search(text) is not None


def _plausible(q: Quantity) -> bool:
    """A magnitude above 10 or a share above 100 % is a misread number ("60km"), not a claim."""
    if q.key == "magnitude":
        return 0 < q.low <= 10 and (math.isinf(q.high) or q.high <= 10)
    if q.key.startswith("percent:"):
        return q.low <= 100
    return True


_PARTITIVE = re.compile(r"\b\w+\s+of\s+(?:the|his|her|their|its|these|those|them)\s+$", re.I)


def _partitive_whole(c: Candidate, q: Quantity) -> bool:
    """The count is the whole of a part ("two of the three victims died"): it is not what died."""
    at = c.text.find(q.text)
    return at >= 0 and _PARTITIVE.search(c.text[max(0, at - 30) : at]) is not None


RUNNING_TALLIES = frozenset({"killed", "injured", "arrested", "casualties", "displaced", "rescued", "abducted"})


def _update(
    key: str, a: Candidate, qa: Quantity, b: Candidate, qb: Quantity, published: Mapping[str, str]
) -> bool:
    """A higher toll in an article published on a later day is an update, not a contradiction.

    Only for tallies that grow as news comes in (dead, injured, arrested…);
    a later report of a *lower* toll, or two reports of one day, still disagree.
    """
    day_a, day_b = published.get(a.article), published.get(b.article)
    if key not in RUNNING_TALLIES or not day_a or not day_b or day_a[:10] == day_b[:10]:
        return False
    earlier, later = (qa, qb) if day_a[:10] < day_b[:10] else (qb, qa)
    return later.low > earlier.high


def _bindings(c: Candidate, q: Quantity) -> set[tuple[str, str, str]]:
    """The (event type, trigger, role) slots of the sentence whose words hold the count."""
    out = set()
    for x in c.actions:
        for role, words in (("actor", x.actor_text), ("target", x.target_text)):
            if words and q.text in words:
                out.add((x.type, x.trigger, role))
    return out


def _same_count(a: Candidate, qa: Quantity, b: Candidate, qb: Quantity) -> bool:
    """Whether two counts of an ordinary noun ("boats", "banks") count the same set.

    Counts of ordinary things are compared only when both are exact and both
    fill the same role of the same event ("confiscated 31 magazines" and
    "confiscated 12 magazines"): "intercepted three boats" and "five boats
    attacked" count different sets (three of the five), "at least three banks"
    and "two banks" can both be true, "in seven villages" is where, not what.
    Casualties, arrests, money, turnout and magnitudes have a fixed meaning and
    need no such support.
    """
    if qa.low != qa.high or qb.low != qb.high:
        return False
    return bool(_bindings(a, qa) & _bindings(b, qb))


def _shares_trigger(a: Candidate, b: Candidate) -> bool:
    return bool({(x.type, x.trigger) for x in a.actions} & {(y.type, y.trigger) for y in b.actions})


def _negation_clear(a: Candidate, b: Candidate, x: Action, y: Action, entity_map: Mapping[str, str]) -> bool:
    """Negation is compared only on a shared argument, with no negation at all in the other sentence."""
    actor = _same_arg(x.actor, x.actor_text, y.actor, y.actor_text, entity_map)
    target = _same_arg(x.target, x.target_text, y.target, y.target_text, entity_map)
    if not (actor or target):
        return False
    affirmative = b if x.negated else a
    return not _NEGATION_CUE.search(affirmative.text)


def _other_incident(found: Sequence[tuple[str, str]]) -> bool:
    """Whether disagreements suggest two incidents rather than one disputed one.

    Disagreeing on when or where *and* on something else (the count, who
    did it) is read as two different incidents; a weekday slip is not a
    disagreement between the two sentences and does not count.
    """
    families = {FAMILY[k] for k, _ in found if k != "weekday"}
    return len(families) > 1 and bool(families & {"date", "place"})


def _below(x: float, y: float) -> bool:
    """x < y beyond rounding (values are compared after unit scaling)."""
    if math.isinf(x) or math.isinf(y):
        return x < y
    return x < y - 1e-9 * max(1.0, abs(x), abs(y))


def _swapped(x: Action, y: Action, entity_map: Mapping[str, str]) -> bool:
    if not all(_is_entity(v) for v in (x.actor, x.target, y.actor, y.target)):
        return False
    xa, xt, ya, yt = (_m(v, entity_map) for v in (x.actor, x.target, y.actor, y.target))
    return xa != xt and xa == yt and xt == ya


def _blame_differs(x: Action, y: Action, entity_map: Mapping[str, str]) -> bool:
    """Same act on the same target, attributed to different countries or peoples."""
    if x.type != y.type or x.trigger != y.trigger or not x.actor_nations or not y.actor_nations:
        return False
    if _same_arg(x.target, x.target_text, y.target, y.target_text, entity_map) is not True:
        return False
    return not any(same_nation(p, q) for p in x.actor_nations for q in y.actor_nations)


def _phrase(x: Action, negated: bool) -> str:
    words = [x.actor_text or "", "not" if negated else "", x.trigger_text, x.target_text or ""]
    return " ".join(w for w in words if w)


def find_contradictions(
    claims: Sequence[Claim],
    articles: Sequence[Article],
    *,
    entity_map: Mapping[str, str] = {},
) -> tuple[Claim, ...]:
    """Return ``claims`` with ``contradicts`` filled on both sides of every disagreement.

    Claims of one story are compared mention by mention (blocked on shared
    features, never all pairs); a pair is flagged when the two sentences are
    about the same thing (affinity at least :data:`CONTRADICTION_THRESHOLD`)
    and disagree on exactly one family of facts (see the module docstring).
    Pass the same ``entity_map`` as to :func:`~parallax.crossdoc.claims.align_claims`.
    """
    by_id = {a.id: a for a in articles}
    needed = {m.article for c in claims for m in c.mentions if m.article in by_id}
    extra = {by_id[a].duplicate_of for a in needed if by_id[a].duplicate_of in by_id}
    extracted = candidates_by_article([by_id[a] for a in sorted(needed | extra)])  # type: ignore[index]
    published = {a.id: a.published for a in articles if a.published}
    return flag_contradictions(claims, extracted, published, entity_map=entity_map)


def flag_contradictions(
    claims: Sequence[Claim],
    candidates: Mapping[str, Sequence[Candidate]],
    published: Mapping[str, str],
    *,
    entity_map: Mapping[str, str] = {},
    fresh: set[str] | None = None,
) -> tuple[Claim, ...]:
    """:func:`find_contradictions` from each article's candidates (``candidates``).

    With ``fresh`` (the incremental link step) only sentence pairs with at
    least one sentence of a ``fresh`` article are compared; the flags the
    claims already carry (stored from earlier runs) are kept and new ones added.
    """
    index = {(c.article, c.start): c for cands in candidates.values() for c in cands}
    flags: dict[str, dict[tuple[str, str], str]] = defaultdict(dict)
    by_story: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_story[claim.story].append(claim)
    for story in sorted(by_story):
        _story_flags(by_story[story], index, entity_map, flags, published, fresh)
    out = []
    for claim in claims:
        found = flags.get(claim.id)
        if not found:
            out.append(claim)
            continue
        extra_flags = tuple(
            Contradiction(claim=other, reason=reason, kind=kind)
            for (other, kind), reason in sorted(found.items())
        )
        known = {(c.claim, c.kind) for c in claim.contradicts}
        merged = claim.contradicts + tuple(f for f in extra_flags if (f.claim, f.kind) not in known)
        out.append(replace(claim, contradicts=merged))
    return tuple(out)


def pair_flags(
    a: Candidate, b: Candidate, *, affinity: float, entity_map: Mapping[str, str] = {},
    published: Mapping[str, str] = {},
) -> tuple[tuple[str, str], ...]:
    """The flags ``find_contradictions`` raises for two sentences of one story, or ``()``.

    ``affinity`` is the pair's :meth:`~parallax.crossdoc.claims._Space.affinity`
    within its story. This is the whole decision for one pair (the evaluation
    calls it on hand-labelled pairs); which pairs are compared is decided by
    blocking in :func:`find_contradictions`. ``published`` maps article ids to
    their publication dates (ISO), for telling an updated toll from a conflict.
    """
    if affinity < CONTRADICTION_THRESHOLD:
        return ()
    typed = _conflicts(a, b, entity_map, published)
    found = tuple((kind, reason) for kind, reason, _ in typed)
    if not found or _other_incident(found) or not any(strong for _, _, strong in typed):
        return ()
    return found


def _story_flags(
    claims: Sequence[Claim],
    index: Mapping[tuple[str, int], Candidate],
    entity_map: Mapping[str, str],
    flags: dict[str, dict[tuple[str, str], str]],
    published: Mapping[str, str] = {},
    fresh: set[str] | None = None,
) -> None:
    if fresh is not None and not any(m.article in fresh for c in claims for m in c.mentions):
        return
    cands: list[Candidate] = []
    owner: list[int] = []
    for k, claim in enumerate(claims):
        for m in claim.mentions:
            c = index.get((m.article, m.start))
            if c is not None:
                cands.append(c)
                owner.append(k)
    cands = harmonise_places(cands)
    if len(set(owner)) < 2:
        return
    space = _Space(cands, entity_map)
    postings: dict[str, list[int]] = defaultdict(list)
    for i, vec in enumerate(space.vectors):
        for t, _ in sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:PREFIX_FEATURES]:
            postings[t].append(i)
        for key in space.keys[i]:
            postings[key].append(i)
    best: dict[tuple[int, int], tuple[float, tuple[tuple[str, str], ...]]] = {}
    seen: set[tuple[int, int]] = set()
    for _, members in sorted(postings.items()):
        if len(members) > MAX_POSTING:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if owner[i] == owner[j] or cands[i].article == cands[j].article:
                    continue
                if fresh is not None and cands[i].article not in fresh and cands[j].article not in fresh:
                    continue
                pair = (i, j) if i < j else (j, i)
                if pair in seen:
                    continue
                seen.add(pair)
                a, b = cands[pair[0]], cands[pair[1]]
                score = space.affinity(*pair)
                found = pair_flags(a, b, affinity=score, entity_map=entity_map, published=published)
                if not found:
                    continue
                key = (owner[pair[0]], owner[pair[1]])
                key = key if key[0] < key[1] else (key[1], key[0])
                if key not in best or score > best[key][0]:
                    # reasons are written first-claim-first
                    if owner[pair[0]] != key[0]:
                        found = conflicts(b, a, entity_map=entity_map, published=published)
                    best[key] = (score, found)
    for (p, q), (_, found) in sorted(best.items()):
        cp, cq = claims[p], claims[q]
        for kind, reason in found:
            flags[cp.id].setdefault((cq.id, kind), reason)
            flags[cq.id].setdefault((cp.id, kind), reason)
