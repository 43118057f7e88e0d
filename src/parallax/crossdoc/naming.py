"""Naming and framing: the words each outlet puts around each actor, and whose voices it quotes.

Two pure functions over read articles, no parse, no model: they work on
``Article.text`` and the entity mention offsets with small windows, so they
cost a few microseconds per mention.

:func:`find_naming` returns one :class:`~parallax.records.Naming` per entity
(mapped through ``entity_map`` to its corpus id) and article, with the labels
found around its mentions, in order of first use:

- **roles and titles** the reader already attached (``Entity.labels``:
  "President", "Foreign Minister");
- **appositions**: "Denis Pushilin, *the self-proclaimed leader of the DPR*,"
  and "*the Syrian president*, Bashar al-Assad" (up to eight words, the
  article dropped);
- **premodifiers** between a determiner and the mention ("the *embattled*
  Assad", "the *so-called* Islamic State") and hyphenated stance words right
  before it ("*Kremlin-backed* separatists", "*pro-Russian*");
- **head nouns after the mention** that say what kind of actor it is: "the
  Assad *regime*", "Houthi *rebels*", "Hamas *militants*", "Russia's *brutal
  invasion*" (:data:`HEAD_NOUNS`, plus loaded terms);
- **scare quotes**: a quoted term of one to four words in the same sentence,
  within 150 characters of the mention and not itself a quote with a
  speaker ('the "elections" held by X' gives ``“elections”``);
- **loaded terms** (:data:`LOADED_TERMS`) tied to the name by a linking
  phrase: "militants *loyal to* X", "the occupied city *of* X", "rebels
  *backed by* X" (a term merely nearby is not taken: it usually names
  someone else).

The loaded-term lexicon is small, general and documented by category so a
reader can see why a word is there; it marks words that carry a judgement
(delegitimising, violent-actor, sympathetic, territorial, euphemistic), not
words that are wrong to use. Which term an outlet picks is the signal.

:func:`quotes_by_outlet` counts, per speaker (corpus id) and outlet, the
quotes attributed to them: every member of a joint statement counts.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

from parallax.records import Article, Entity, LabelSpan, Naming
from parallax.stages.quotes import VERB_FORMS

__all__ = [
    "HEAD_NOUNS", "LOADED_TERMS", "descriptions", "find_naming", "label_spans_around", "labels_around",
    "quotes_by_outlet",
]

# term -> category. Multi-word terms are matched as phrases; all lowercase.
LOADED_TERMS: Mapping[str, str] = MappingProxyType({
    # delegitimising: deny an actor or act its standing
    "regime": "delegitimising", "so-called": "delegitimising", "self-proclaimed": "delegitimising",
    "self-styled": "delegitimising", "puppet": "delegitimising", "junta": "delegitimising",
    "thugs": "delegitimising", "mob": "delegitimising", "gang": "delegitimising",
    "cabal": "delegitimising", "illegitimate": "delegitimising", "sham": "delegitimising",
    "bogus": "delegitimising", "pseudo": "delegitimising", "fake": "delegitimising",
    "proxies": "delegitimising", "proxy": "delegitimising", "stooge": "delegitimising",
    # violent actor: how an armed group is named
    "terrorist": "violent-actor", "terrorists": "violent-actor", "terror": "violent-actor",
    "militants": "violent-actor", "militant": "violent-actor", "extremists": "violent-actor",
    "extremist": "violent-actor", "jihadists": "violent-actor", "jihadist": "violent-actor",
    "insurgents": "violent-actor", "insurgent": "violent-actor", "rebels": "violent-actor",
    "rebel": "violent-actor", "separatists": "violent-actor", "separatist": "violent-actor",
    "radicals": "violent-actor", "radical": "violent-actor", "fanatics": "violent-actor",
    "gunmen": "violent-actor", "warlord": "violent-actor", "warlords": "violent-actor",
    "occupiers": "violent-actor", "invaders": "violent-actor", "aggressor": "violent-actor",
    "nazis": "violent-actor", "neo-nazis": "violent-actor", "fascists": "violent-actor",
    # sympathetic: lend legitimacy or victimhood
    "freedom fighters": "sympathetic", "resistance": "sympathetic", "martyrs": "sympathetic",
    "martyr": "sympathetic", "liberators": "sympathetic", "heroes": "sympathetic",
    "opposition fighters": "sympathetic", "activists": "sympathetic", "defenders": "sympathetic",
    "patriots": "sympathetic", "peacekeepers": "sympathetic", "victims": "sympathetic",
    # authority: how a ruler is named
    "dictator": "authority", "strongman": "authority", "autocrat": "authority",
    "tyrant": "authority", "despot": "authority", "hardline": "authority",
    "hard-line": "authority", "hardliner": "authority", "embattled": "authority",
    "authoritarian": "authority", "reformist": "authority", "moderate": "authority",
    # territory and acts
    "occupied": "territory", "disputed": "territory", "annexed": "territory",
    "liberated": "territory", "contested": "territory", "occupation": "territory",
    "annexation": "territory", "reunification": "territory", "invasion": "territory",
    "aggression": "territory", "incursion": "territory",
    # euphemism
    "special military operation": "euphemism", "collateral damage": "euphemism",
    "enhanced interrogation": "euphemism", "neutralised": "euphemism", "neutralized": "euphemism",
    "pacification": "euphemism", "counter-terrorist operation": "euphemism",
    "counterterrorism operation": "euphemism", "denazification": "euphemism",
    # migration
    "illegal immigrants": "migration", "illegals": "migration", "illegal aliens": "migration",
    "undocumented": "migration", "aliens": "migration", "migrants": "migration",
    "refugees": "migration", "asylum seekers": "migration",
    # political position
    "far-right": "position", "far-left": "position", "ultra-nationalist": "position",
    "ultranationalist": "position", "populist": "position", "nationalist": "position",
    "right-wing": "position", "left-wing": "position", "hard-right": "position",
    "controversial": "position",
})

# Nouns after a name that say what kind of actor it is ("the Assad regime", "Houthi rebels").
HEAD_NOUNS = frozenset({
    "regime", "government", "administration", "forces", "troops", "army", "military", "militants",
    "militia", "militias", "rebels", "fighters", "insurgents", "separatists", "terrorists",
    "extremists", "loyalists", "supporters", "authorities", "officials", "leadership", "junta",
    "camp", "movement", "group", "faction", "occupiers", "invaders", "soldiers", "police",
    "protesters", "demonstrators", "activists", "mob", "thugs", "gunmen", "jihadists",
    "operatives", "proxies", "allies", "backers", "side", "invasion", "aggression", "occupation",
    "offensive", "operation", "crackdown", "propaganda", "leader", "dictatorship", "apologists",
    "sympathizers", "sympathisers", "lobby", "establishment", "elite", "elites", "cronies",
})

_DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "our", "this"})  # not "that …": a clause
_FUNCTION = frozenset({
    "the", "a", "an", "of", "in", "on", "at", "to", "for", "by", "with", "from", "and", "or",
    "but", "as", "is", "was", "were", "are", "be", "been", "has", "have", "had", "that", "this",
    "which", "who", "whom", "whose", "said", "says", "told", "also", "not", "it", "he", "she",
    "they", "we", "i", "you", "his", "her", "their", "its", "our", "when", "while", "after",
    "before", "will", "would", "could", "should", "may", "might", "can", "did", "does", "do",
})
_APPOSITION_STOP = frozenset({
    "who", "which", "that", "said", "says", "told", "and", "but", "where", "when", "while",
    "according", "he", "she", "they", "it", "we", "i", "is", "was", "has", "had", "will",
})
_NOT_APPOSITION = frozenset({
    "he", "she", "they", "it", "we", "i", "you", "his", "her", "their", "its", "whom", "who", "which",
    "that", "nor", "could", "would", "should", "will", "did", "does", "do", "was", "were", "is",
    "are", "has", "had", "have", "ever", "even", "since", "wrote", "not", "if", "then", "than",
})
_GLUE = frozenset("""
if because although though unless whereas whether so however into about upon against beyond via per
among amid amidst toward towards despite during within without through throughout across over under
between after before since until till as like than then also even just only both either neither
nor yet still off out up down near around onto behind beside inside outside past
""".split())  # closed-class words that never premodify a name nor end a quoted term
_PREPOSITION_THE = re.compile(
    r"\b(?:by|from|with|to|for|at|in|on|against|under|after|before|during|about|between|among|into|over)"
    r"\s+(?:the|a|an)\s+", re.I)  # not "of": "the leader of the DPR" is one phrase
_CLAUSE_WORDS = frozenset({"that", "who", "whom", "which", "whose", "where", "when", "while", "because"})
# Past forms of reporting verbs ("announced", "echoed", "said"): an apposition does not run past them.
_PAST_VERBS = frozenset(
    form for form, lemma in VERB_FORMS.items() if form != lemma and not form.endswith(("s", "ing"))
)
_SENTENCE_NOUNS = frozenset("""
statement comment claim remark move decision step view sentiment position assertion charge allegation
accusation sign development reference nod reminder
""".split())
_ROLE_WORDS = HEAD_NOUNS | frozenset("""
president premier chancellor minister secretary governor mayor senator congressman congresswoman
chairman chairwoman director ambassador general commander king queen prince spokesman spokeswoman
spokesperson prosecutor judge attorney lawyer founder chief head member candidate adviser advisor
official analyst expert professor executive aide envoy negotiator correspondent editor owner
former deputy acting senior chair manager counsel coordinator strategist representative delegate
""".split())
_NOT_MODIFIERS = frozenset({"what", "how", "why", "where", "whether", "if", "so", "because", "than"})
_PLAIN_MODIFIERS = frozenset({  # words between "the" and a name that say nothing about it
    "next", "last", "first", "second", "third", "two", "three", "four", "both", "other", "same",
    "between", "latest", "recent", "current", "new", "many", "several", "few", "all", "such",
    "northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
    "entire", "whole", "very", "much", "more", "most", "own", "upcoming", "planned", "possible", "nearby",
    "local", "neighbouring", "neighboring",
})
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*|\d+")
_STANCE = re.compile(r"^(?:pro|anti)-[\w-]+$|^[\w-]+-(?:backed|led|allied|aligned|sponsored|funded|controlled|held|installed|appointed|proclaimed|styled)$", re.I)
_QUOTED = re.compile(r"[\"\u201c\u00ab\u2018]([^\"\u201c\u201d\u00ab\u00bb\u2018\u2019]{2,40})[\"\u201d\u00bb\u2019]")
_SENTENCE_END = re.compile(r"[.!?]\s|\n")
_MAX_APPOSITION = 8
_LOADED_RE = re.compile(
    r"(?<![\w-])(" + "|".join(sorted((re.escape(t) for t in LOADED_TERMS), key=len, reverse=True)) + r")(?![\w-])",
    re.I,
)
_SKIP_TYPES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})


Found = tuple[str, int, int]  # a label and the span of the words it came from


def find_naming(articles: Sequence[Article], entity_map: Mapping[str, str] = {}) -> tuple[Naming, ...]:
    """Return the labels each article uses for each entity, one record per (entity, article).

    Entities are reported under their corpus id (``entity_map``, identity when
    missing). Each record keeps where every label was found (``spans``).
    Records with no label are left out; output is sorted by entity, outlet
    and article.
    """
    out: list[Naming] = []
    for article in articles:
        by_entity: dict[str, dict[Found, None]] = defaultdict(dict)
        mentions = _mention_index(article)
        described = descriptions(article, mentions=mentions)
        for entity in article.entities:
            if entity.type in _SKIP_TYPES:
                continue
            found = by_entity[entity_map.get(entity.id, entity.id)]
            for item in (*label_spans_around(article, entity, mentions=mentions), *described.get(entity.id, ())):
                found.setdefault(item)
        for corpus_id, found in by_entity.items():
            if found:
                out.append(Naming(
                    entity=corpus_id, outlet=article.outlet, article=article.id,
                    labels=_distinct_labels(label for label, _, _ in found),
                    spans=tuple(sorted(
                        {LabelSpan(label=_canonical(label, found), start=s, end=e) for label, s, e in found if e > s},
                        key=lambda x: (x.start, x.end, x.label))),
                ))
    out.sort(key=lambda n: (n.entity, n.outlet or "", n.article))
    return tuple(out)


def _mention_index(article: Article) -> tuple[list[int], list[int]]:
    spans = sorted((m.start, m.end) for e in article.entities for m in e.mentions)
    return [s for s, _ in spans], [e for _, e in spans]


def labels_around(
    article: Article, entity: Entity, *, mentions: tuple[list[int], list[int]] | None = None
) -> list[str]:
    """The labels around every mention of one entity in one article, in order of first use.

    ``mentions`` is the article's sorted mention index (built when not given).
    """
    return list(dict.fromkeys(label for label, _, _ in label_spans_around(article, entity, mentions=mentions)))


def label_spans_around(
    article: Article, entity: Entity, *, mentions: tuple[list[int], list[int]] | None = None
) -> list[Found]:
    """Every label of one entity in one article with the span of its words, in order of first use.

    The reader's titles come first, at the place nearest a mention where the
    title is written (``(label, -1, -1)`` when it is written nowhere near one).
    """
    text = article.text
    found: list[Found] = [_title_span(text, entity, label) for label in entity.labels if label]
    taken = _quote_spans(article)
    other_mentions = mentions if mentions is not None else _mention_index(article)
    names = {entity.name.casefold(), *(a.casefold() for a in entity.aliases)}
    titles = frozenset(w.casefold() for label in entity.labels for w in label.split())
    for mention in sorted(entity.mentions, key=lambda m: m.start):
        if not (0 <= mention.start < mention.end <= len(text)):
            continue
        s, e = _sentence(text, mention.start, mention.end)
        for item in (
            *_premodifiers(text, s, mention.start, titles),
            *_heads_after(text, mention.end, e),
            *_appositions(text, s, e, mention.start, mention.end, other_mentions),
            *_scare_quotes(text, s, e, mention.start, mention.end, taken, other_mentions),
            *_loaded_nearby(text, s, e, mention.start, mention.end),
        ):
            label = item[0]
            if label.casefold() in names or not label.strip():
                continue
            found.append(item)
    return list(dict.fromkeys(found))


def _title_span(text: str, entity: Entity, label: str) -> Found:
    """Where a title the reader attached is written: the occurrence nearest one of the entity's mentions."""
    pattern = re.compile(r"(?<![\w-])" + r"\s+".join(re.escape(w) for w in label.split()) + r"(?![\w-])", re.I)
    best: tuple[int, int, int] | None = None
    for mention in entity.mentions:
        lo, hi = max(0, mention.start - 200), min(len(text), mention.end + 200)
        for m in pattern.finditer(text, lo, hi):
            gap = mention.start - m.end() if m.end() <= mention.start else max(0, m.start() - mention.end)
            if best is None or gap < best[0]:
                best = (gap, m.start(), m.end())
    if best is None and (m := pattern.search(text)):
        best = (0, m.start(), m.end())
    return (label, best[1], best[2]) if best else (label, -1, -1)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a mention (at most 400 characters each side)."""
    lo = max(0, start - 400)
    s = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        s = m.end()
    m = _SENTENCE_END.search(text, end, min(len(text), end + 400))
    e = m.start() + 1 if m else min(len(text), end + 400)
    return s, e


def _words_before(text: str, s: int, start: int, limit: int) -> list[re.Match[str]]:
    return list(_WORD.finditer(text, max(s, start - 80), start))[-limit:]


def _premodifiers(text: str, s: int, start: int, titles: frozenset[str] = frozenset()) -> list[Found]:
    """Words between a determiner and the name ("the so-called X"), and stance words right before it.

    Capitalised words the reader already knows as the entity's titles
    ("the embattled Syrian President Assad") are stepped over.
    """
    words = _words_before(text, s, start, 6)
    adjacent: list[Found] = []  # stance or loaded words touching the name
    run: list[Found] = []
    touching = True
    cursor = start
    for m in reversed(words):
        if text[m.end() : cursor].strip():
            break
        word = m.group()
        low = word.casefold()
        cursor = m.start()
        if low in _DETERMINERS:
            return _first_of_each([item for item in reversed(run) if item[0] not in _PLAIN_MODIFIERS])
        if low in titles:
            continue  # "the Greek prime minister X": the title, already a label as a whole
        if word[0].isupper() and not _STANCE.match(word) or low in _FUNCTION or low in _GLUE or word[0].isdigit():
            break  # "the measures if Greece": not a premodifier of the name
        run.append((low, m.start(), m.end()))
        if touching and (_STANCE.match(word) or low in LOADED_TERMS):
            adjacent.append((low, m.start(), m.end()))
        else:
            touching = False
    return _first_of_each(list(reversed(adjacent)))


def _first_of_each(items: list[Found]) -> list[Found]:
    """The first occurrence of each label, in order."""
    seen: dict[str, Found] = {}
    for item in items:
        seen.setdefault(item[0], item)
    return list(seen.values())


def _heads_after(text: str, end: int, e: int) -> list[Found]:
    """A kind-of-actor noun right after the name, with up to two modifiers ("Russia's brutal invasion")."""
    tail = text[end : min(e, end + 60)]
    lead = re.match(r"['\u2019]s?\s+|\s+", tail)
    if not lead:
        return []
    words = list(re.finditer(r"[a-z][\w-]*", tail[lead.end() :]))
    at = lead.end()
    for k, word in enumerate(words[:3]):
        if tail[at : lead.end() + word.start()].strip():
            return []  # punctuation between: the noun phrase ended
        at = lead.end() + word.end()
        head = word.group().casefold()
        if head in HEAD_NOUNS or head in LOADED_TERMS:
            mods = words[:k]
            head_span = (end + lead.end() + word.start(), end + at)
            label = " ".join([*(m.group().casefold() for m in mods), head])
            return [(label, end + lead.end() + (mods[0].start() if mods else word.start()), head_span[1])]
        if head in _FUNCTION or head in _NOT_MODIFIERS or head in _GLUE or head.endswith("ing"):
            return []  # "X told the rebels", "X installed what officials": not a noun phrase about X
    return []


def _appositions(
    text: str, s: int, e: int, start: int, end: int, others: tuple[list[int], list[int]]
) -> list[Found]:
    """Noun phrases set off by commas next to the name: "X, the leader of Y," and "the Syrian president, X"."""
    out: list[Found] = []
    after = text[end : min(e, end + 160)]
    m = re.match(r",\s+((?:the|a|an)\s+)?([^,;.()\u2014]{3,120}?)(?=,|;|\.|\)|\u2014|$)", after)
    cut = _clause_cut(text, end + m.start(2), end + m.end(2)) if m else None
    if m and cut:
        a, b = cut
        phrase = text[a:b].strip()
        words = [w.casefold() for w in phrase.split()]
        first = words[0] if words else ""
        head_words = set(re.split(r"\b(?:of|for|at|to|with|in|on)\b", " ".join(words))[0].split())
        bare_ok = (  # no article: "leader of the DPR", "spokesman for the ministry"; not "shut down ports"
            phrase[:1].islower() and len(words) <= 6 and not (set(words) & _NOT_APPOSITION)
            and not first.endswith(("ed", "ing", "ly")) and b == end + m.end(2)  # not cut short by a verb
            and bool(head_words & _ROLE_WORDS)
        )
        inside_commas = text[max(s, start - 2) : start].rstrip(" ").endswith(",")
        if phrase and (m.group(1) or bare_ok and not inside_commas) and first not in _APPOSITION_STOP:
            if not _is_mention(end + m.start(2), others) and not _sentential(words):
                out.append(_trimmed(text, a, b))
    lo = max(s, start - 160)
    m = re.search(r"(?:^|[,;(]\s*|\b)((?:the|a|an)\s+[^,;()\u2014]{3,120}?),\s*$", text[lo:start], re.I)
    # "the special counsel, Robert Mueller, said": the name closes the apposition with a comma (or ends the
    # sentence); "Under the bailout package, Greece will…" and "At the White House, Trump said" are adverbials.
    closed = re.match(r"\s*[,;.)\u2014]", text[end : end + 3])
    if m and closed:
        inner = re.match(r"(?:(?:the|a|an)\s+)?", m.group(1), re.I)
        first = lo + m.start(1) + (inner.end() if inner else 0)
        for p in _PREPOSITION_THE.finditer(text, first, lo + m.end(1)):  # "the inquiry by the special counsel, X"
            first = p.end()
        cut = _clause_cut(text, first, lo + m.end(1))
        a, b = cut or (0, 0)
        phrase = text[a:b].strip()
        words = [w.casefold() for w in phrase.split()]
        if phrase and b == lo + m.end(1) and len(words) <= _MAX_APPOSITION and not _sentential(words):
            out.append(_trimmed(text, a, b))
    return out


def _clause_cut(text: str, a: int, b: int) -> tuple[int, int] | None:
    """``[a, b)`` cut before a relative clause ("the leader | who founded it"); None when a verb follows.

    "X, the boats disengaged from…" and "a statement echoed by…" are
    clauses, not appositions.
    """
    for w in re.finditer(r"[A-Za-z][\w'-]*", text[a:b]):
        low = w.group().casefold()
        if not w.start():
            continue
        if low in _CLAUSE_WORDS:
            return a, a + len(text[a : a + w.start()].rstrip())
        verb_like = low.endswith("ed") and re.match(r"\s+(?:from|to|by|with|into|and|at|in|on|off|out|up)\b",
                                                     text[a + w.end() : b])
        if low in _PAST_VERBS or verb_like:
            return None
    return a, b


def _sentential(words: Sequence[str]) -> bool:
    """An apposition about the sentence, not the name: "a statement echoed by…", "a move that…"."""
    return bool(words) and words[0] in _SENTENCE_NOUNS


def _is_mention(pos: int, others: tuple[list[int], list[int]]) -> bool:
    starts, ends = others
    k = bisect_right(starts, pos) - 1
    return k >= 0 and pos < ends[k]


def _trimmed(text: str, a: int, b: int) -> Found:
    """The phrase ``text[a:b]`` cut to its first words, with the span of what is kept."""
    words = list(re.finditer(r"\S+", text[a:b]))[:_MAX_APPOSITION]
    if not words:
        return ("", a, a)
    s, e = a + words[0].start(), a + words[-1].end()
    return (" ".join(w.group() for w in words), s, e)


def _straight_quotes_before(text: str, at: int) -> int:
    """How many straight double quotes stand between the paragraph start and ``at``."""
    return text.count('"', text.rfind("\n", 0, at) + 1, at)


def _quote_spans(article: Article) -> list[tuple[int, int]]:
    """Spans of direct quotes with a speaker: a quoted term that is one of them is no scare quote."""
    return [(q.start, q.end) for q in article.quotes if (q.speaker or q.speaker_text) and q.kind != "indirect"]


def _scare_quotes(
    text: str, s: int, e: int, start: int, end: int, taken: Sequence[tuple[int, int]],
    others: tuple[list[int], list[int]] | None = None,
) -> list[Found]:
    out: list[Found] = []
    for m in _QUOTED.finditer(text, s, e):
        inner = m.group(1).strip()
        if not inner or len(inner.split()) > 4 or not re.search(r"[^\W\d_]", inner):
            continue
        if text[m.start()] == '"' and _straight_quotes_before(text, m.start()) % 2:
            continue  # '…" because of its "…' is the gap between two quotes, not a quoted term
        words = inner.casefold().split()
        if words[0] in _GLUE or words[-1] in _GLUE | _DETERMINERS:
            continue  # a fragment of speech ("and because it"), not a term held at a distance
        if inner[-1] in ",.!?;:":
            continue  # a quoted fragment of speech, not a term held at a distance
        if m.start() < end and start < m.end():
            continue  # the name itself in quotes
        if min(abs(m.start() - end), abs(start - m.end())) > 150:
            continue
        lo, hi = (end, m.start()) if m.start() >= end else (m.end(), start)
        if others and bisect_left(others[0], hi) > bisect_left(others[0], lo):
            continue  # another name stands between: the term is about it ("a "charity flight" from Singapore to Sydney")
        if any(abs(a - m.start(1)) <= 1 and abs(b - m.end(1)) <= 1 for a, b in taken):
            continue  # a real quote with a speaker
        out.append((f"\u201c{inner}\u201d", m.start(), m.end()))
    return out


def _distinct_labels(labels: Iterable[str]) -> tuple[str, ...]:
    """Labels in order of first use, one per spelling that differs only in case ("President"/"president")."""
    seen: dict[str, str] = {}
    for label in labels:
        seen.setdefault(label.casefold(), label)
    return tuple(seen.values())


def _canonical(label: str, found: Iterable[Found]) -> str:
    """The spelling of ``label`` that :func:`_distinct_labels` keeps."""
    return next(other for other, _, _ in found if other.casefold() == label.casefold())


# Heads of standalone definite descriptions ("the dictator", "the reclusive regime") and the
# entity types they can stand for. Titles must match a title the article gave the person.
_TITLE_HEADS = frozenset("""
president premier chancellor minister secretary governor mayor senator congressman congresswoman
chairman chairwoman director ambassador general commander king queen prince emperor pope
spokesman spokeswoman prosecutor judge attorney
""".split())
_RULER_HEADS = frozenset("""
leader dictator strongman tyrant despot autocrat ruler monarch warlord
""".split())
_RULER_TITLES = frozenset("""
president premier chancellor minister leader chairman king queen emperor ruler dictator monarch
""".split())
_STATE_HEADS = frozenset("""
country nation regime kingdom republic junta
""".split())  # not "state": "state media", "a state visit", "the state of Ohio"
_PERSON_OR_STATE_HEADS = _TITLE_HEADS | _RULER_HEADS | _STATE_HEADS
_BODY_HEADS = frozenset("""
committee party agency bureau council commission court union ministry department company group
organization organisation movement front alliance coalition army militia network institute
foundation bank board league federation association campaign government administration
""".split())  # "the committee" for "the Democratic National Committee"; not "the house", "the times"
_DESCRIPTION = re.compile(r"(?<![\w-])(?:the|The)\s+([A-Za-z][\w'\u2019-]*(?:[ \t]+[A-Za-z][\w'\u2019-]*){0,3})")
_DESCRIPTION_WORD = re.compile(r"[A-Za-z][\w-]*")  # a possessive 's ends the word: "the committee's emails"
_DESCRIPTION_STOP = frozenset({"of", "in", "for", "at", "on", "from", "who", "which", "that", "to"})


def descriptions(
    article: Article, *, mentions: tuple[list[int], list[int]] | None = None
) -> dict[str, list[Found]]:
    """Standalone definite descriptions resolved to the entity they stand for, by entity id.

    "the dictator", "the reclusive leader", "the country", "the regime": a
    description away from any name is taken only when one entity of the
    article can be meant — a person whose titles contain the noun (or, for
    "the North Korean dictator" and the like, a person with a ruler's title
    and that nationality; a bare "the dictator" is never pinned on whoever
    happens to hold an office) or a country, named in this sentence or the two before and no other such
    entity named there (a description the article left ambiguous is left
    out, not guessed); an organisation when its own name ends in the noun
    ("the committee" after "the Democratic National Committee"). "the
    president of France" (a description with its own complement) is
    not taken.
    """
    text = article.text
    index = mentions if mentions is not None else _mention_index(article)
    starts = _sentence_starts(text)
    by_start: list[tuple[int, int, Entity]] = sorted(
        (m.start, m.end, e) for e in article.entities for m in e.mentions if 0 <= m.start < m.end <= len(text)
    )
    first_at = [x[0] for x in by_start]
    out: dict[str, list[Found]] = defaultdict(list)
    org_heads = {e.name.casefold().split()[-1] for e in article.entities
                 if e.type in ("ORG", "NORP") and len(e.name.split()) >= 2} & _BODY_HEADS
    for m in _DESCRIPTION.finditer(text):
        words = list(_DESCRIPTION_WORD.finditer(text, m.start(1), m.end(1)))
        k = next((i for i, w in enumerate(words) if w.group() in _PERSON_OR_STATE_HEADS or w.group() in org_heads),
                 None)
        if k is None:
            continue
        head, mods, head_at = words[k].group(), [w.group() for w in words[:k]], words[k]
        if any(w.casefold() in _FUNCTION or w.casefold() in _DESCRIPTION_STOP for w in mods):
            continue
        a, b = words[0].start(), head_at.end()
        if _is_mention(head_at.start(), index) or _is_mention(m.start(), index) or _name_next(text, b, index):
            continue  # part of a name, or "the president, X": read by the other rules
        if re.match(r"\s+(?:of|for|at)\b", text[b : b + 6]) or not _phrase_ends(text, b):
            continue  # "the president of France", "the court reporter": not this head's own phrase
        if _name_before(text, m.start(), index):
            continue  # "Malachi York, the Nuwaubian leader": an apposition, read by that rule
        if mods and any(w[:1].isupper() for w in mods) and head in _STATE_HEADS:
            continue  # "the Islamic State", "the Gulf states": a name, not a description
        since = starts[max(0, bisect_right(starts, m.start()) - 3)]
        recent = [e for _, _, e in by_start[bisect_left(first_at, since) : bisect_left(first_at, m.start())]]
        entity = _meant(head, mods, recent, article.entities)
        if entity is None:
            continue
        label = " ".join([*mods, head])
        if label.casefold() in {entity.name.casefold(), *(x.casefold() for x in entity.aliases)}:
            continue
        out[entity.id].append((label, a, b))
    return out


def _sentence_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _SENTENCE_END.finditer(text))]


_VERB_ENDINGS = ("ed", "s", "ly")


def _phrase_ends(text: str, end: int) -> bool:
    """Whether the noun phrase ends at ``end``: punctuation, a possessive, or a verb-like word follows.

    Without a parse this is a guess that errs towards leaving a
    description out: "the court reporter" continues the phrase, "the
    country fired", "the president said" and "the country's" end it.
    """
    rest = text[end : end + 30]
    if not rest or rest[0] in ".,;:!?)\"'\u201d\u2019\n" or re.match(r"['\u2019]s\b", rest):
        return True
    word = re.match(r"[ \t]+([A-Za-z][\w-]*)", rest)
    if not word:
        return True
    w = word.group(1)
    return w[:1].isupper() or w.casefold() in _FUNCTION or w.casefold().endswith(_VERB_ENDINGS)


def _name_before(text: str, start: int, index: tuple[list[int], list[int]]) -> bool:
    """Whether a name ends right before ``start`` with a comma between ("X, the leader")."""
    gap = re.search(r",\s*$", text[max(0, start - 4) : start])
    return bool(gap) and _is_mention(start - (len(text[max(0, start - 4) : start]) - gap.start()) - 1, index)


def _name_next(text: str, end: int, index: tuple[list[int], list[int]]) -> bool:
    gap = re.match(r",?\s+", text[end : end + 4])
    return bool(gap) and _is_mention(end + gap.end(), index)


def _meant(head: str, mods: Sequence[str], recent: Sequence[Entity], every: Sequence[Entity]) -> Entity | None:
    """The one entity a description can stand for, or None when none or several can."""
    mod_words = {w.casefold() for w in mods}

    def titles(e: Entity) -> set[str]:
        return {w.casefold() for label in e.labels for w in label.split()}

    def fits_mods(e: Entity) -> bool:  # "the North Korean leader": a capitalised modifier must be the person's
        caps = {w.casefold() for w in mods if w[:1].isupper()}
        return not caps or caps <= titles(e) | {w.casefold() for w in e.name.split()}

    candidates: dict[str, Entity] = {}
    if head in _TITLE_HEADS or head in _RULER_HEADS:
        for e in recent:
            if e.type != "PERSON" or not fits_mods(e):
                continue
            own = titles(e)
            named_by_mods = any(w[:1].isupper() for w in mods)  # "the North Korean dictator"
            if head in own or head in _RULER_HEADS and named_by_mods and own & _RULER_TITLES:
                candidates.setdefault(e.id, e)
    elif head in _STATE_HEADS:
        countries = {e.id: len(e.mentions) for e in every if e.type == "GPE" and dict(e.kb).get("kind") == "country"}
        most = max(countries.values(), default=0)
        for e in recent:  # and not a side country while another carries the article
            if e.id in countries and fits_mods(e) and 2 * countries[e.id] >= most:
                candidates.setdefault(e.id, e)
    else:
        for e in recent:  # "the committee", not "the ethics committee"
            name = e.name.casefold().split()
            if e.type in ("ORG", "NORP") and name[-1:] == [head] and mod_words <= set(name):
                candidates.setdefault(e.id, e)
    if len(candidates) != 1:
        return None
    (entity,) = candidates.values()
    if head not in _BODY_HEADS and mod_words & {w.casefold() for w in entity.name.split()}:
        return None  # "the Trump administration" style: part of a name, not a description of it
    return entity


_LINKS = (
    r"of|loyal to|backed by|linked to|tied to|allied with|affiliated with|aligned with|"
    r"supported by|led by|controlled by|held by|run by|belonging to|fighting for|called"
)
_PLACE_NOUNS = (
    r"city|town|region|territory|territories|village|villages|areas?|province|district|port|"
    r"capital|enclave|peninsula|strip|bank|heights|lands?|parts?|regions"
)
_NEARBY_LEFT = re.compile(
    r"(?<![\w-])(" + "|".join(sorted((re.escape(t) for t in LOADED_TERMS), key=len, reverse=True))
    + r")(?:\s+(?:" + _PLACE_NOUNS + r"))?\s+(?:" + _LINKS + r")\s+(?:the\s+)?$",
    re.I,
)


def _loaded_nearby(text: str, s: int, e: int, start: int, end: int) -> list[Found]:
    """A loaded term tied to the name by a linking phrase: "militants loyal to X", "the occupied city of X"."""
    lo = max(s, start - 80)
    m = _NEARBY_LEFT.search(text[lo:start])
    return [(m.group(1).casefold(), lo + m.start(1), lo + m.end(1))] if m else []


def quotes_by_outlet(
    articles: Sequence[Article], entity_map: Mapping[str, str] = {}
) -> dict[str, dict[str, int]]:
    """Map speaker corpus id -> outlet -> number of quotes, for "whose voices each outlet quotes".

    Every member of a joint statement counts once for it; quotes whose
    speaker was not resolved to an entity are not counted. Articles without
    an outlet count under their id.
    """
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for article in articles:
        outlet = article.outlet or article.id
        for quote in article.quotes:
            speakers = quote.speakers or ((quote.speaker,) if quote.speaker else ())
            for speaker in dict.fromkeys(speakers):
                counts[entity_map.get(speaker, speaker)][outlet] += 1
    return {speaker: dict(sorted(by.items())) for speaker, by in sorted(counts.items())}
