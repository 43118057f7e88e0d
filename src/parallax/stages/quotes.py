"""Quote finder: who said what, where, and the words that say so.

``find_quotes(doc, article_id, entities)`` reads the spaCy ``Doc`` of one
article's cleaned text and returns its ``Quote`` records, sorted by start. Any
pipeline works: the full parser gives the best speakers, a blank tokenizer
with a sentencizer still finds quote spans and speaker words. It is a pure
function (no I/O, no clock, no mutable globals) and never raises on odd text.

The cascade, in order:

1. **Quote marks** are paired per paragraph at the character level
   (``_pair_doubles``, ``_pair_singles``): curly, straight and ``''`` double
   quotes (the other family nests one level), ‘…’ and '…' single quotes
   outside double quotes (apostrophes, plural possessives and elisions such
   as ``’90s`` are not quote marks), unbalanced quotes (they end at the
   paragraph end, or where a new opener shows the old one was never closed),
   orphan closers (a paragraph that forgot its opener) and multi-paragraph
   quotes (each new paragraph reopens with a mark; only the last one closes).
2. **Embedded posts** (text followed by ``— Name (@handle) date``) and
   **transcript lines** (``PENCE: Well, look…``) are found by their shape.
3. **Every quoted span** is framed by the words around it in its sentence:
   ``"…," X said`` / ``"…," said X`` / ``X said: "…"`` / ``X said "…"`` /
   ``"…" — Name`` / ``Name: "…"`` / ``"…," according to X``. A span with only
   an attribution around it is ``direct``; a span inside a longer clause is
   ``partial`` (the speaker is the subject of the reporting or naming verb
   that governs it: it called the raid "a reckless escalation"); a paragraph
   that is only a quote, introduced by a line ending in a colon, is ``block``.
   A quote whose sentence has no attribution takes the speaker of the quote
   it continues ("…," he said, "…"; the next paragraph of the same quote),
   else of the previous sentence (its attribution, else its subject when that
   is a name, pronoun or role).
4. **Reported speech** comes from the dependency parse: a reporting verb
   with a clausal complement (``X said that …``, ``…, officials said``, and
   the parenthetical ``…, officials say, unless …``, whose text keeps the
   parenthetical), directive and commissive verbs (``X urged Y to …``,
   ``X vowed to …``) and ``according to X``.
5. **Statements** (``in a statement``, ``the joint statement said``) get the
   kind ``statement`` and the issuer as speaker (found in the noun phrase or
   in an earlier "X issued a statement"). Coordinated speakers
   (``X and Y said``) fill ``speakers`` with every member; ``speaker`` is
   then the group's entity if one covers the whole phrase, else None.
6. **Speakers are resolved** to entity ids: a mention under the speaker's
   head word, then names and aliases (surnames of people), then pronouns (the
   most recent speaker or sentence subject of a compatible type, skipping
   people the text genders the other way: Mr./Ms., spokeswoman…), then role
   nouns ("the president") through ``Entity.labels``: the one holder, else
   the most recent speaker or mention among the holders.

Conventions: ``text`` of a direct quote excludes the marks and a trailing
comma ("We will win," → ``We will win``); indirect text drops a leading
"that". ``speakers`` is empty unless several parties spoke together. For a
quote that takes its speaker from elsewhere, ``speaker_text``, ``cue`` and
their offsets point at that attribution.

Scare quotes (one quoted word, or a short term or title with no verb
governing it) are not quotes and are skipped; a later framing step handles
them. Every step looks at a bounded window of tokens or characters, so the
cost grows linearly with the text (a few percent of the spaCy parse).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from parallax.ids import make_id
from parallax.records import Entity, Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = [
    "NAMING_VERBS",
    "VERB_FORMS",
    "REPORTING_VERBS",
    "find_quotes",
    "reporting_lemma",
]

# --------------------------------------------------------------------------- lexicons


def _lexicon(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: Verbs that report speech or writing (lemmas). They attribute quotes next to
#: them and, with a clausal complement, introduce reported speech.
REPORTING_VERBS: frozenset[str] = _lexicon("""
    accuse acknowledge add admit advise advocate affirm allege announce answer apologise
    apologize appeal argue ask assert assure attest aver avow beg blast blog boast brag brief
    caution charge chide cite claim comment complain concede conclude condemn confess confirm
    contend counter cry decry declare demand denounce deny describe disclose dispute divulge
    echo elaborate email emphasise emphasize estimate exclaim explain forecast grumble guarantee
    hint imply implore inform insist instruct interject joke lament mention message mock
    muse mutter note notify object observe order plead pledge point post predict proclaim
    promise pronounce propose protest question quip rage read reaffirm reassure rebut
    recall recount reiterate remark remind repeat reply report respond retort reveal say
    scoff scream shout signal snap speculate state stress suggest swear tell testify text
    threaten thunder tout tweet underline underscore urge vow warn whisper wonder write yell
    """)

#: Verbs that attribute a quote only when they sit right next to it
#: ("…," he continued) but are too vague to introduce reported speech.
FRAME_ONLY_VERBS: frozenset[str] = _lexicon(
    "begin chant chuckle continue go interrupt laugh shrug sigh sing smile sob"
)

#: Verbs that put a label in someone's mouth: it called the raid "a reckless escalation".
NAMING_VERBS: frozenset[str] = _lexicon("""
    brand call characterise characterize compare criticise criticize decry deem denounce describe
    dismiss dub hail label laud praise refer slam term
    """)

#: Verbs whose object + infinitive is what was said: X urged Y to …
_DIRECTIVE_VERBS = _lexicon("advise ask beg call encourage implore instruct order tell urge warn")
#: Verbs whose bare infinitive is what was said: X vowed to …
_COMMISSIVE_VERBS = _lexicon("pledge promise swear threaten vow")

#: Verbs that are reporting verbs only with a clausal complement, never alone.
_INDIRECT_VERBS = REPORTING_VERBS - _lexicon(
    "blast cry echo message mock post read rage slam snap text thunder tout"
)

_SPEECH_NOUNS = _lexicon("""
    address answer comment declaration email explanation letter message note post quote remark
    reply response speech statement tweet warning word
    """)
_STATEMENT_NOUNS = _lexicon("statement communique communiqué declaration readout release")
_ISSUE_VERBS = _lexicon("issue release publish sign adopt put send circulate")

_IRREGULAR_FORMS = {
    "said": "say",
    "says": "say",
    "saying": "say",
    "told": "tell",
    "wrote": "write",
    "written": "write",
    "writes": "write",
    "writing": "write",
    "swore": "swear",
    "sworn": "swear",
    "read": "read",
    "reads": "read",
    "went": "go",
    "goes": "go",
    "gone": "go",
    "began": "begin",
    "begun": "begin",
    "admitted": "admit",
    "admitting": "admit",
    "quipped": "quip",
    "quipping": "quip",
    "rebutted": "rebut",
    "rebutting": "rebut",
    "snapped": "snap",
    "pled": "plead",
    "forecast": "forecast",
    "sobbed": "sob",
    "thundered": "thunder",
    "according": "accord",
}

_FEMININE = _lexicon(
    """
    mrs. mrs ms. ms miss madam spokeswoman congresswoman chairwoman businesswoman councilwoman
    queen princess duchess lady wife mother daughter sister grandmother actress
    """
)
_MASCULINE = _lexicon(
    """
    mr. mr sir spokesman congressman businessman councilman king prince duke husband father son
    brother grandfather actor
    """
)
_PRONOUNS = {
    "he": ("PERSON",),
    "she": ("PERSON",),
    "they": ("ORG", "NORP", "GPE", "PERSON"),
    "it": ("ORG", "GPE", "NORP"),
    "we": (),
    "i": (),
    "you": (),
}
_RELATIVE = frozenset({"who", "which", "that", "whom"})

_ROLE_SYNONYMS = {
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "spokesperson": "spokesperson",
    "chairman": "chair",
    "chairwoman": "chair",
    "chairperson": "chair",
    "chair": "chair",
    "congressman": "representative",
    "congresswoman": "representative",
    "rep.": "representative",
    "sen.": "senator",
    "gov.": "governor",
    "pres.": "president",
    "premier": "premier",
    "prime": "minister",
    "pm": "minister",
    "mayor": "mayor",
    "ceo": "ceo",
}

_SENT_END = frozenset({".", "!", "?"})
_CALENDAR_WORDS = _lexicon("""
    monday tuesday wednesday thursday friday saturday sunday today tonight yesterday tomorrow
    january february march april may june july august september october november december
    jan. feb. mar. apr. jun. jul. aug. sept. sep. oct. nov. dec. morning afternoon evening night
    week weekend month year earlier later
    """)
_SUBORDINATORS = _lexicon(
    "when where while as because after before if since until unless though although whereas once"
)
_DASH_GAP = re.compile(r"[—–―]|--| - ")
_FILLERS = frozenset(
    {"also", "later", "then", "has", "had", "have", "was", "once", "again", "recently"}
)
_LEAD_PUNCT = frozenset({",", "—", "–", "―", "-", "--", ":", ")", ";", "…"})
_DASHES = frozenset({"—", "–", "―", "--", "-"})
_SCARE_MAX_WORDS = 3  # a quoted fragment this short needs a verb governing it
_FRAME_TOKENS = 40  # how far a frame reaches before or after a quote
_WORD = re.compile(r"\w+")

_DOUBLE_OPEN = "“„‟«"
_DOUBLE_CLOSE = "”»"
_STRAIGHT = '"'
_SINGLE_OPEN = "‘‛"
_OPENER_BEFORE = " \t\n([{—–―-/:;“‘\"'«"
_CLOSER_AFTER = " \t\n.,;:!?)]}—–―-…'’\"”»"
_ELISION = re.compile(r"(?:\d0s|\d\d|em|til|cause|n)\b", re.IGNORECASE)

_POST_SIGNATURE = re.compile(
    r"(?:(?<=\s)|^)(?P<dash>—|–|―|--|-)[ \t]?(?P<name>[^\n—–―()@]{1,80}?)[ \t]*"
    r"\(@(?P<handle>\w{1,30})\)(?:[ \t]*(?:on[ \t]+)?"
    r"(?P<date>[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2},[ \t]+\d{4}"
    r"|\d{1,2}[ \t]+[A-Z][a-z]{2,8}[ \t]+\d{4}))?",
    re.MULTILINE,
)
_TRAILING_LINKS = re.compile(r"(?:\s*(?:pic\.twitter\.com/\S+|https?://\S+))+\s*$")
_TRANSCRIPT = re.compile(
    r"[\"“]?(?P<name>[A-Z][A-Z.'’\-]+(?:[ \t][A-Z][A-Z.'’\-]+){0,2})[ \t]*:[ \t]+\S"
)
_NOT_SPEAKERS = _lexicon("""
    update note watch read breaking exclusive photos photo video editor editors q a related
    correction clarification advertisement ad more also see listen warning disclaimer source
    sources live transcript pictured caption background context analysis opinion summary
    question answer conclusion result results reaction timeline verdict why what how who
    """)

_KIND_PRIORITY = {
    "embedded-post": 0,
    "block": 1,
    "direct": 2,
    "statement": 3,
    "partial": 4,
    "indirect": 5,
}


def _forms(lemma: str) -> set[str]:
    forms = {lemma, lemma + "s", lemma + "ing"}
    if lemma.endswith("e"):
        forms |= {lemma + "d", lemma[:-1] + "ing"}
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms |= {lemma[:-1] + "ied", lemma[:-1] + "ies"}
    else:
        forms.add(lemma + "ed")
    if lemma.endswith(("s", "sh", "ch", "x")):
        forms.add(lemma + "es")
    return forms


_ALL_LEMMAS = REPORTING_VERBS | FRAME_ONLY_VERBS | NAMING_VERBS | {"accord"}
_FORM_TO_LEMMA: dict[str, str] = {}
for _lemma in sorted(_ALL_LEMMAS):
    for _form in _forms(_lemma):
        _FORM_TO_LEMMA.setdefault(_form, _lemma)
_FORM_TO_LEMMA.update(_IRREGULAR_FORMS)
#: Every inflected form of the reporting, naming and frame verbs -> its lemma ("echoed" -> "echo").
VERB_FORMS: Mapping[str, str] = MappingProxyType(_FORM_TO_LEMMA)


def reporting_lemma(token: Token) -> str | None:
    """Return the lexicon lemma of ``token`` if it is a reporting, naming or frame verb."""
    lemma = token.lemma_.lower()
    if lemma not in _ALL_LEMMAS:
        lemma = _FORM_TO_LEMMA.get(token.lower_, "")
        if not lemma:
            return None
    pos = token.pos_
    if pos and pos not in ("VERB", "AUX") and not token.tag_.startswith("VB"):
        return None
    return str(lemma)


_ROLE_NOUNS = _lexicon("""
    administration adviser advisor agency aide ambassador analyst army attorney authority
    campaign candidate ceo chair chairman chairwoman chancellor chief commander commission
    commissioner committee company congressman congresswoman council court defendant department
    diplomat director economist embassy envoy executive expert general government governor group
    head investigator judge lawmaker lawyer leader management manager mayor military minister
    ministry nominee office officer official organisation organization party police premier
    president professor prosecutor regime representative researcher resident secretary senator
    source spokesman spokesperson spokeswoman staff union witness
    activist author bishop brother colleague commentator consultant critic daughter doctor donor
    editor employee father founder friend historian host husband imam inspector journalist
    lobbyist mediator member mother negotiator neighbor neighbour nurse observer organiser
    organizer owner partner pastor pollster priest protester rabbi reporter scientist sister son
    strategist student supporter survivor teacher veteran victim voter wife worker writer
    """)


# --------------------------------------------------------------------------- quote marks


@dataclass(slots=True)
class _Marked:
    """A top-level quoted span found by its marks (content excludes the marks)."""

    open: int | None  # index of the opening mark; None for an orphan closer
    close: int | None  # index of the closing mark; None when never closed
    start: int  # content, whitespace-trimmed
    end: int
    para: int
    single: bool = False
    close_size: int = 1  # 2 for a '' closing mark
    reopens: bool = False  # continues a quote left open at the previous paragraph's end
    continues: bool = False  # left open at its paragraph's end; the next paragraph reopens

    @property
    def outer_start(self) -> int:
        return self.open if self.open is not None else self.start

    @property
    def outer_end(self) -> int:
        return self.close + self.close_size if self.close is not None else self.end


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines as whitespace-trimmed (start, end) pairs."""
    out = []
    pos = 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def _is_opener_shape(text: str, i: int, size: int = 1) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + size] if i + size < len(text) else " "
    return (before in _OPENER_BEFORE or before.isspace()) and not after.isspace()


def _is_closer_shape(text: str, i: int, size: int = 1) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + size] if i + size < len(text) else " "
    return (after in _CLOSER_AFTER or after.isspace()) and not before.isspace()


def _pair_doubles(text: str, s: int, e: int) -> list[tuple[int | None, int | None, int]]:
    """Pair the double quote marks of one paragraph ``[s, e)``.

    Returns top-level spans as ``(open, close, content_end)``: ``open`` is
    None for an orphan closer (the quote runs from the paragraph start);
    ``close`` is None when the quote is never closed, and then
    ``content_end`` is the paragraph end or the next top-level opener. Marks
    of the other family (straight inside curly or the reverse) nest one
    level deep and are skipped.
    """
    spans: list[tuple[int | None, int | None, int]] = []
    stack: list[tuple[str, int]] = []  # (family, index)

    def close_top(i: int) -> None:
        spans.append((stack[0][1], i, i))
        stack.clear()

    i = s - 1
    while i + 1 < e:
        i += 1
        ch = text[i]
        size = 1
        if ch == "'" and i + 1 < e and text[i + 1] == "'":
            ch, size = _STRAIGHT, 2  # ''…'': two apostrophes typed as a double quote
        if ch in _DOUBLE_OPEN:
            if not stack:
                stack.append(("curly", i))
            elif len(stack) == 1 and stack[0][0] == "curly":
                if _is_closer_shape(text, i) and not _is_opener_shape(text, i):
                    close_top(i)  # “…“ typed as a closer
                else:  # the previous quote was never closed
                    spans.append((stack[0][1], None, i))
                    stack[:] = [("curly", i)]
            elif len(stack) == 1:
                stack.append(("curly", i))
        elif ch in _DOUBLE_CLOSE:
            if not stack:
                if ch == "”" and _is_opener_shape(text, i) and not _is_closer_shape(text, i):
                    stack.append(("curly", i))  # ” typed as an opener
                elif not spans:
                    spans.append((None, i, i))
            elif any(f == "curly" for f, _ in stack):
                while len(stack) > 1 and stack[-1][0] != "curly":
                    stack.pop()
                if len(stack) == 1:
                    close_top(i)
                else:
                    stack.pop()
            elif len(stack) == 1 and _is_closer_shape(text, i):
                close_top(i)  # a straight quote closed with a curly mark
        elif ch == _STRAIGHT:
            family = "straight" if size == 1 else "twin"
            if any(f == family for f, _ in stack):
                while len(stack) > 1 and stack[-1][0] != family:
                    stack.pop()
                if len(stack) == 1:
                    close_top(i)
                else:
                    stack.pop()
            elif len(stack) == 1:
                if _is_closer_shape(text, i, size) and not _is_opener_shape(text, i, size):
                    close_top(i)  # a curly quote closed with a straight mark
                else:
                    stack.append((family, i))
            elif _is_closer_shape(text, i, size) and not _is_opener_shape(text, i, size):
                if not spans:
                    spans.append((None, i, i))
            elif size == 1 or _is_opener_shape(text, i, size):
                stack.append((family, i))
            i += size - 1
    if stack:
        spans.append((stack[0][1], None, e))
    return spans


def _pair_singles(text: str, s: int, e: int, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pair ‘…’ (and '…') single quotes in ``[s, e)`` outside the ``taken`` ranges.

    An opener follows a space or an opening bracket and is not an elision
    (’90s, ’em, rock ’n’ roll); a closer follows a non-space and is not
    followed by a letter (so don’t and Clinton’s are apostrophes).
    """
    closers: dict[str, list[int]] = {"’": [], "'": []}
    for i in range(s, e):
        ch = text[i]
        if ch in closers and i > s and not text[i - 1].isspace():
            after = text[i + 1] if i + 1 < e else " "
            if not after.isalnum():
                closers[ch].append(i)
    spans: list[tuple[int, int]] = []
    taken_starts = [a for a, _ in taken]
    i = s
    while i < e:
        ch = text[i]
        if (ch in _SINGLE_OPEN or ch == "'") and _is_opener_shape(text, i):
            after = text[i + 1] if i + 1 < e else " "
            if after.isalnum() and not _ELISION.match(text, i + 1, e):
                t = bisect_right(taken_starts, i)
                if t == 0 or taken[t - 1][1] <= i:  # not inside a double-quoted span
                    limit = taken_starts[t] if t < len(taken_starts) else e
                    pool = closers["'" if ch == "'" else "’"]
                    k = bisect_right(pool, i + 1)
                    close = None
                    for c in pool[k : k + 12]:  # prefer a closer that ends a phrase over a plural
                        if c >= limit or c - i >= 600:  # possessive ("the farmers’ demands")
                            break
                        if close is None:
                            close = c
                        if not _weak_closer(text, c, e):
                            close = c
                            break
                    if close is not None:
                        spans.append((i, close))
                        i = close + 1
                        continue
        i += 1
    return spans


def _weak_closer(text: str, i: int, e: int) -> bool:
    """’ after an s and before a lowercase word reads as a plural possessive."""
    return text[i - 1] == "s" and i + 2 < e and text[i + 1] == " " and text[i + 2].islower()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _find_marked(text: str, paras: list[tuple[int, int]]) -> list[_Marked]:
    """Every top-level quoted span of the text, in order."""
    out: list[_Marked] = []
    open_at_end = False
    for p, (s, e) in enumerate(paras):
        doubles = _pair_doubles(text, s, e)
        if doubles and doubles[-1][1] is None and doubles[-1][0] is not None:
            # never closed and not reopened in the next paragraph: a stray mark if the
            # text after it pairs up on its own
            nxt = paras[p + 1][0] if p + 1 < len(paras) else None
            if nxt is None or text[nxt] not in _DOUBLE_OPEN + _STRAIGHT + "'":
                first = doubles[-1][0]
                inner = _pair_doubles(text, first + (2 if text.startswith("''", first) else 1), e)
                if any(c is not None and o is not None for o, c, _ in inner):
                    doubles = doubles[:-1] + [x for x in inner if x[0] is not None]
        para_spans: list[_Marked] = []
        for o, c, cend in doubles:
            open_size = 2 if o is not None and text.startswith("''", o) else 1
            close_size = 2 if c is not None and text.startswith("''", c) else 1
            cs, ce = _trim(text, s if o is None else o + open_size, cend)
            if ce > cs and text[ce - 1] == "," and c is not None:
                ce = _trim(text, cs, ce - 1)[1]
            para_spans.append(
                _Marked(open=o, close=c, start=cs, end=ce, para=p, close_size=close_size)
            )
        taken = [(m.outer_start, m.outer_end) for m in para_spans]
        for o, c in _pair_singles(text, s, e, taken):
            cs, ce = _trim(text, o + 1, c)
            if ce > cs and text[ce - 1] == ",":
                ce = _trim(text, cs, ce - 1)[1]
            para_spans.append(_Marked(open=o, close=c, start=cs, end=ce, para=p, single=True))
        para_spans = sorted((m for m in para_spans if m.end > m.start), key=lambda m: m.outer_start)
        if open_at_end and para_spans and para_spans[0].open == s and not para_spans[0].single:
            para_spans[0].reopens = True
            out[-1].continues = True
        last = para_spans[-1] if para_spans else None
        open_at_end = bool(
            last is not None and last.close is None and last.open is not None and not last.single
        )
        out.extend(para_spans)
    return out


# --------------------------------------------------------------------------- attribution


@dataclass(slots=True)
class _Attr:
    """Where a quote is attributed: the cue and the words naming the speaker."""

    cue: str | None
    cue_start: int | None
    cue_end: int | None
    speaker: tuple[int, int] | None = None  # character span of the speaker words
    heads: tuple[Any, ...] = ()  # head tokens (one per coordinated member)
    statement: bool = False
    unresolvable: bool = False  # e.g. "the statement said" with no issuer in sight


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    kind: str
    attr: _Attr | None = None
    mode: str = "attr"  # attr | link | context | none
    link: int | None = None  # candidate to copy the speaker from
    context: _Attr | None = None  # subject of the previous sentence
    para: int = 0
    prev_sentence: tuple[int, int] | None = None
    # filled in by resolution
    speaker: str | None = None
    speakers: tuple[str, ...] = ()
    final: _Attr | None = None


@dataclass(slots=True)
class _Entities:
    """Lookup tables over the article's entities, built once per document."""

    m_starts: list[int] = field(default_factory=list)
    m_ends: list[int] = field(default_factory=list)
    m_ids: list[str] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)
    names: dict[str, set[str]] = field(default_factory=dict)
    surnames: dict[str, set[str]] = field(default_factory=dict)
    roles: dict[str, set[str]] = field(default_factory=dict)
    subj_pos: list[int] = field(default_factory=list)
    subj_ids: list[str] = field(default_factory=list)
    gender: dict[str, str] = field(default_factory=dict)  # "he" / "she" when the text says so


def _split_at(words: Sequence[Token], cuts: Sequence[int]) -> list[list[Token]]:
    """``words`` cut at the positions ``cuts`` (the tokens there dropped)."""
    pieces, start = [], 0
    for k in (*cuts, len(words)):
        pieces.append(list(words[start:k]))
        start = k + 1
    return pieces


def _role_key(word: str) -> str:
    word = word.lower()
    return _ROLE_SYNONYMS.get(word, word)


def _norm_name(text: str) -> str:
    text = re.sub(r"[’']s$", "", text.strip())
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE)
    return " ".join(text.lower().split())


class _Finder:
    """One document's quote finding; every method looks at a bounded window."""

    def __init__(self, doc: Doc, article_id: str, entities: Sequence[Entity]) -> None:
        self.doc = doc
        self.article_id = article_id
        self.text: str = doc.text
        self.n = len(doc)
        self.starts = [t.idx for t in doc]
        self.parsed = doc.has_annotation("DEP")
        self.tagged = doc.has_annotation("POS") or doc.has_annotation("TAG")
        self.paras = _paragraphs(self.text)
        self.para_starts = [s for s, _ in self.paras]
        if doc.has_annotation("SENT_START"):
            self.sent_starts = [s.start_char for s in doc.sents]
        else:
            self.sent_starts = list(self.para_starts)
        self.marked = _find_marked(self.text, self.paras)
        self.mark_starts = [m.outer_start for m in self.marked]
        self.claimed: list[tuple[int, int]] = []
        self.ents = self._index_entities(entities)
        self.history: list[tuple[int, str]] = []  # (position, entity id) of resolved speakers

    # ------------------------------------------------------------------ helpers

    def tok_range(self, a: int, b: int) -> range:
        """Indices of tokens starting in ``[a, b)``."""
        return range(bisect_left(self.starts, a), bisect_left(self.starts, b))

    def para_tokens(self, pos: int) -> tuple[int, int]:
        """Token index range of the paragraph holding character ``pos``."""
        s, e = self.paras[self.para_of(pos)] if self.paras else (0, len(self.text))
        return bisect_left(self.starts, s), bisect_left(self.starts, e)

    def para_of(self, pos: int) -> int:
        return max(0, bisect_right(self.para_starts, pos) - 1)

    def in_marked(self, pos: int) -> _Marked | None:
        k = bisect_right(self.mark_starts, pos) - 1
        if k >= 0 and self.marked[k].outer_start <= pos < self.marked[k].outer_end:
            return self.marked[k]
        return None

    def claim(self, a: int, b: int) -> None:
        """Mark ``[a, b)`` as taken by a post, transcript line or block."""
        k = bisect_right(self.claimed, (a, b))
        self.claimed.insert(k, (a, b))

    def is_claimed(self, a: int, b: int) -> bool:
        k = bisect_right(self.claimed, (a, len(self.text) + 1))
        for j in range(k - 1, max(-1, k - 4), -1):
            s, e = self.claimed[j]
            if s <= a and b <= e:
                return True
        return False

    def span_of(self, i: int, j: int) -> tuple[int, int]:
        """Character span of tokens ``[i, j)`` with edge punctuation dropped."""
        doc = self.doc
        while i < j and (doc[i].is_punct or doc[i].is_space) and doc[i].text not in ("(",):
            i += 1
        while j > i and (doc[j - 1].is_punct or doc[j - 1].is_space) and doc[j - 1].text != ")":
            j -= 1
        if j <= i:
            return (doc[i].idx, doc[i].idx) if i < self.n else (len(self.text), len(self.text))
        last = doc[j - 1]
        return doc[i].idx, last.idx + len(last.text)

    def is_verb(self, t: Token) -> bool:
        return bool(t.pos_ == "VERB" or (t.pos_ == "" and t.tag_.startswith("VB")))

    def _is_role(self, t: Token) -> bool:
        return t.lemma_.lower() in _ROLE_NOUNS or _role_key(t.text) in self.ents.roles

    def _is_nameish(self, t: Token) -> bool:
        if t.pos_ == "PROPN":
            return True
        if self._mention_at(t.idx) is not None:
            return True
        if not self.tagged:
            return bool(t.text[:1].isupper() and t.is_alpha)
        return False

    # ------------------------------------------------------------------ entities

    def _index_entities(self, entities: Sequence[Entity]) -> _Entities:
        idx = _Entities()
        text_len = len(self.text)
        mentions: list[tuple[int, int, str]] = []
        for ent in entities:
            idx.types[ent.id] = (ent.type or "").upper()
            for name in (ent.name, *ent.aliases):
                key = _norm_name(name)
                if key:
                    idx.names.setdefault(key, set()).add(ent.id)
                words = key.split()
                if idx.types[ent.id] == "PERSON" and words:
                    idx.surnames.setdefault(words[-1], set()).add(ent.id)
            for label in ent.labels:
                for word in label.split():
                    idx.roles.setdefault(_role_key(word), set()).add(ent.id)
            for m in ent.mentions:
                if 0 <= m.start < m.end <= text_len:
                    mentions.append((m.start, m.end, ent.id))
                    key = _norm_name(m.text)
                    if key:
                        idx.names.setdefault(key, set()).add(ent.id)
        mentions.sort()
        idx.m_starts = [s for s, _, _ in mentions]
        idx.m_ends = [e for _, e, _ in mentions]
        idx.m_ids = [i for _, _, i in mentions]
        if self.parsed:
            for s, e, ent_id in mentions:
                if self.in_marked(s) is not None:
                    continue
                for k in self.tok_range(s, e):
                    t = self.doc[k]
                    if t.dep_ in ("nsubj", "nsubjpass") and not (s <= t.head.idx < e):
                        idx.subj_pos.append(s)
                        idx.subj_ids.append(ent_id)
                        break
        self._genders(entities, mentions, idx)
        return idx

    def _genders(
        self, entities: Sequence[Entity], mentions: list[tuple[int, int, str]], idx: _Entities
    ) -> None:
        """Record "he"/"she" for people the text genders.

        Titles and role words count three votes (Mr./Ms., spokeswoman,
        congressman, in the labels or right before a mention); a possessive or
        reflexive pronoun shortly after the person as a subject counts one
        ("Clinton said her plan …"). A side needs twice the other's votes.
        """
        votes: dict[str, list[int]] = {}  # entity id -> [he, she]

        def vote(ent_id: str, word: str, weight: int) -> None:
            if word in _FEMININE or word in ("her", "hers", "herself"):
                votes.setdefault(ent_id, [0, 0])[1] += weight
            elif word in _MASCULINE or word in ("his", "him", "himself"):
                votes.setdefault(ent_id, [0, 0])[0] += weight

        for ent in entities:
            if idx.types.get(ent.id) == "PERSON":
                for word in " ".join((*ent.labels, ent.name)).lower().split():
                    if word in _FEMININE or word in _MASCULINE:
                        vote(ent.id, word, 3)
        for s, _, ent_id in mentions:
            k = bisect_left(self.starts, s) - 1
            if k >= 0 and idx.types.get(ent_id) == "PERSON":
                word = self.doc[k].lower_
                if word in _FEMININE or word in _MASCULINE:
                    vote(ent_id, word, 3)
        for s, ent_id in zip(idx.subj_pos, idx.subj_ids, strict=True):
            if idx.types.get(ent_id) != "PERSON":
                continue
            k = bisect_left(self.starts, s)
            for j in range(k + 1, min(self.n, k + 10)):
                t = self.doc[j]
                if t.text in _SENT_END or t.is_space or t.text in _DOUBLE_OPEN + _STRAIGHT:
                    break
                m = bisect_right(idx.m_starts, t.idx) - 1
                if m >= 0 and t.idx < idx.m_ends[m] and idx.m_ids[m] != ent_id:
                    break  # another name comes first: the pronoun may be theirs
                if t.lower_ in ("his", "him", "himself", "her", "hers", "herself"):
                    vote(ent_id, t.lower_, 1)
                    break
        for ent_id, (he, she) in votes.items():
            if he >= 2 * she and he > 0:
                idx.gender[ent_id] = "he"
            elif she >= 2 * he and she > 0:
                idx.gender[ent_id] = "she"

    def _mention_at(self, pos: int) -> str | None:
        e = self.ents
        k = bisect_right(e.m_starts, pos) - 1
        # mentions can nest; look back a few for one that covers pos
        for j in range(k, max(-1, k - 4), -1):
            if e.m_starts[j] <= pos < e.m_ends[j]:
                return e.m_ids[j]
        return None

    # ------------------------------------------------------------------ frames

    def left_frame(self, pos: int, floor: int) -> list[Token]:
        """Tokens of the sentence before ``pos`` (back to ``floor`` or a sentence end)."""
        doc = self.doc
        k = bisect_left(self.starts, pos) - 1
        out: list[Token] = []
        while k >= 0 and self.starts[k] >= floor and len(out) < _FRAME_TOKENS:
            t = doc[k]
            if t.text in _SENT_END or (t.is_space and "\n" in t.text):
                break
            out.append(t)
            k -= 1
        out.reverse()
        return out

    def right_frame(self, pos: int, ceiling: int) -> list[Token]:
        """Tokens after ``pos`` up to a sentence end or ``ceiling``."""
        doc = self.doc
        k = bisect_left(self.starts, pos)
        out: list[Token] = []
        while k < self.n and self.starts[k] < ceiling and len(out) < _FRAME_TOKENS:
            t = doc[k]
            if t.text in _SENT_END or (t.is_space and "\n" in t.text):
                break
            out.append(t)
            k += 1
        return out

    # ------------------------------------------------------------------ speakers

    def subject(self, v: Token, depth: int = 0) -> Token | None:
        """The grammatical subject of reporting verb ``v`` (through xcomp/advcl/conj)."""
        if not self.parsed:
            return None
        lemma = reporting_lemma(v) or v.lemma_.lower()
        subjects = [
            c
            for c in v.children
            if (c.dep_ == "nsubj" or (c.dep_ == "nsubjpass" and lemma in ("quote", "cite")))
            and any(ch.isalnum() for ch in c.text)
        ]
        if subjects:
            c = min(subjects, key=lambda x: abs(x.i - v.i))  # two subjects: a misparse; the nearer
            if c.lower_ in _RELATIVE and v.dep_ == "relcl" and v.head.i != v.i:
                return v.head
            return c
        for c in v.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        if (
            v.dep_ == "acl"
            and v.head.i < v.i
            and (self._is_nameish(v.head) or self._is_role(v.head) or v.head.lower_ in _PRONOUNS)
        ):
            return v.head  # "footage of Trump saying, …"
        before = self.doc[v.i - 1] if v.i else None
        if (
            v.tag_ == "VBG" and before is not None and before.ent_type_ in ("PERSON", "ORG", "NORP")
            and self._is_nameish(before)
        ):
            return before  # "footage of Hillary Clinton asking, …" even when the parse hangs it elsewhere
        if v.tag_ == "VBG" and v.dep_ == "acl" and depth < 3:
            # "…, saying …": the participle shares the subject of the main clause
            h = v
            for _ in range(10):
                if h.head.i == h.i:
                    break
                h = h.head
            if h.i != v.i and h.pos_ in ("VERB", "AUX"):
                return self.subject(h, depth + 1)
        if depth < 3 and v.dep_ in ("xcomp", "advcl", "conj", "pcomp", "prep") and v.head.i != v.i:
            return self.subject(v.head, depth + 1)
        return None

    def noun_phrase(
        self, head: Token, lo: int, hi: int, depth: int = 0
    ) -> tuple[int, int, list[Token]]:
        """Token range ``[i, j)`` naming the speaker with head ``head``, inside ``[lo, hi)``."""
        if head.pos_ == "PRON" or head.lower_ in _PRONOUNS or not self.parsed:
            return head.i, head.i + 1, [head]
        left = max(lo, head.left_edge.i)
        right = head.i + 1
        heads = [head]
        rights = list(head.rights)
        has_conj = any(c.dep_ == "conj" for c in rights)
        for c in rights:
            dep = c.dep_
            if dep in ("compound", "flat", "nummod", "case") or (
                dep == "prep"
                and c.lower_ in ("of", "for", "at", "from")
                and (c.right_edge.i - head.i < 10)
            ):
                right = c.right_edge.i + 1
            elif dep == "cc" or (dep == "punct" and c.text == "," and has_conj):
                continue
            elif dep == "conj" and depth < 4:
                _, r2, h2 = self.noun_phrase(c, lo, hi, depth + 1)
                right, heads = r2, heads + h2
            else:
                break
        right = min(right, hi)
        # extend to cover a mention the head sits in
        mid = self._mention_span_at(head.idx)
        if mid is not None:
            ms, me = mid
            while left > lo and self.starts[left] > ms:
                left -= 1
            while right < hi and right < self.n and self.starts[right] < me:
                right += 1
        return left, max(right, left + 1), heads

    def _mention_span_at(self, pos: int) -> tuple[int, int] | None:
        e = self.ents
        k = bisect_right(e.m_starts, pos) - 1
        for j in range(k, max(-1, k - 4), -1):
            if e.m_starts[j] <= pos < e.m_ends[j]:
                return e.m_starts[j], e.m_ends[j]
        return None

    def _speaker_word(self, t: Token) -> bool:
        """Can ``t`` start or end a speaker's name (not a date, number or lowercase filler)?"""
        if t.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"):
            return False
        if t.lower_ in _CALENDAR_WORDS:
            return False
        return bool(t.lower_ in _PRONOUNS or t.text[:1].isupper() or t.lower_ in ("the", "a", "an"))

    def lexical_speaker(
        self, toks: Sequence[Token], after: bool
    ) -> tuple[int, int, list[Token]] | None:
        """Speaker words without a usable parse: the words before the verb, or a name after it."""
        words = [t for t in toks if not t.is_space]
        run: list[Token] = []
        if after and self.tagged:
            # a noun phrase right after the verb: "said the senator", "said Mao Ning"
            for t in words[:10]:
                nominal = t.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM", "PART")
                if not (nominal or t.text in ("(", ")", "-")):
                    break
                if t.ent_type_ in ("DATE", "TIME") or t.lower_ in _CALENDAR_WORDS:
                    break
                run.append(t)
            while run and run[-1].pos_ not in ("NOUN", "PROPN") and run[-1].text != ")":
                run.pop()
            if not run:
                return None
            head = self._head_of(run)
            if not (self._is_nameish(head) or self._is_role(head)):
                return None  # "answering questions", "told reporters": the object, not a speaker
            return run[0].i, run[-1].i + 1, [head]
        if after:
            for t in words:
                if not run:
                    if t.is_punct or not self._speaker_word(t):
                        return None
                elif (t.is_punct and t.text not in ("(", ")", "-", ".")) or not (
                    t.is_punct or self._speaker_word(t) or t.lower_ in ("of", "for")
                ):
                    break
                run.append(t)
                if len(run) >= 8:
                    break
            while run and (run[-1].is_punct or run[-1].lower_ in ("of", "for", "the", "a", "an")):
                run.pop()
            if not run:
                return None
            head = self._head_of(run)
            if self.tagged and head.pos_ not in ("PROPN", "NOUN", "PRON", "X"):
                return None
            return run[0].i, run[-1].i + 1, [head]
        commas = [k for k, t in enumerate(words) if t.text == ","]
        named = [
            piece for piece in _split_at(words, commas)[1:]
            if any(t.ent_type_ in ("PERSON", "ORG") for t in piece)
        ]
        if commas and words[0].pos_ == "ADP" and words[0].lower_ != "of" and named:
            words = named[-1]  # "In a statement to the Observer, her adviser, Jake Sullivan, said"
        elif commas:
            tail = [t for t in words[commas[-1] + 1 :] if not t.is_punct]
            if tail and any(
                self._speaker_word(t) and t.lower_ not in ("the", "a", "an") for t in tail
            ):
                words = words[commas[-1] + 1 :]  # "Speaking to X, a spokesperson for Y said"
            else:
                words = words[: commas[0]]  # "Trump, who lost the vote, said"
        while words and (words[0].is_punct or words[0].lower_ in ("and", "but", "so", "then")):
            words = words[1:]
        while words and (
            (words[-1].is_punct and words[-1].text != ")")
            or words[-1].lower_ in _FILLERS
            or words[-1].pos_ in ("ADV", "AUX")
            or (not self._speaker_word(words[-1]) and words[-1].text != ")")
        ):
            words = words[:-1]
        if not words or len(words) > 12:
            return None
        head = self._head_of(words)
        if self.tagged and head.pos_ not in ("PROPN", "NOUN", "PRON", "X"):
            return None
        return words[0].i, words[-1].i + 1, [head]

    def _head_of(self, words: Sequence[Token]) -> Token:
        """The word of a name that identifies it: the last name word before a parenthesis."""
        best = words[-1]
        depth = 0
        for t in words:
            if t.text == "(":
                depth += 1
            elif t.text == ")":
                depth = max(0, depth - 1)
            elif depth == 0 and not t.is_punct:
                best = t
        return best

    def _better_subject(self, subj: Token | None) -> Token | None:
        """A name in apposition when the parser took a plain noun for the subject."""
        if subj is not None and not (
            self._is_nameish(subj) or subj.pos_ == "PRON" or self._is_role(subj)
        ):
            # "the election, Minyon Moore, …, called" / "His partner, Lawrence Cummings, called"
            near = self.doc[max(0, subj.i - 12) : min(self.n, subj.i + 13)]
            subj = next(
                (
                    t
                    for t in near
                    if t.dep_ == "appos" and self._is_nameish(t) and self._under(t, subj)
                ),
                subj,
            )
        return subj

    def attr_at_verb(self, v: Token, lo: int, hi: int, exclude: tuple[int, int] = (0, 0)) -> _Attr:
        """Attribution for reporting verb ``v``; the speaker must lie in tokens ``[lo, hi)``."""
        cue_end_tok = v
        nxt = self.doc[v.i + 1] if v.i + 1 < self.n else None
        if nxt is not None and nxt.dep_ == "prt" and nxt.head.i == v.i:
            cue_end_tok = nxt
        attr = _Attr(cue=None, cue_start=v.idx, cue_end=cue_end_tok.idx + len(cue_end_tok.text))
        attr.cue = self.text[attr.cue_start : attr.cue_end]
        p_lo, p_hi = self.para_tokens(v.idx)
        lo, hi = max(lo, p_lo), min(hi, p_hi)
        subj = self.subject(v)
        subj = self._better_subject(subj)
        if subj is not None and self.in_marked(subj.idx) is not None:
            subj = None  # a speaker never stands inside quote marks
        found: tuple[int, int, list[Token]] | None = None
        if subj is None and self.parsed:
            # "…," tweeted the senator: the parser made the speaker an object
            subj = next(
                (
                    c
                    for c in v.rights
                    if c.dep_ in ("dobj", "attr", "npadvmod", "oprd")
                    and c.i - v.i <= 4
                    and (self._is_nameish(c) or self._is_role(c))
                    and c.ent_type_ not in ("DATE", "TIME") and c.lower_ not in _CALENDAR_WORDS  # "said Monday"
                    and all(not t.is_punct for t in self.doc[v.i + 1 : c.i])
                ),
                None,
            )
        if subj is not None and lo <= subj.i < hi and not (exclude[0] <= subj.idx < exclude[1]):
            found = self.noun_phrase(subj, lo, hi)
        else:
            before = [
                t
                for t in self.doc[lo : v.i]
                if not (exclude[0] <= t.idx < exclude[1]) and self.in_marked(t.idx) is None
            ]
            if any(not t.is_punct for t in before):
                found = self.lexical_speaker(before, after=False)
            elif v.i + 1 < hi:
                found = self.lexical_speaker(self.doc[v.i + 1 : hi], after=True)
        found = self.tidy_speaker(found)
        if found is not None:
            i, j, heads = found
            attr.speaker = self.span_of(i, j)
            attr.heads = tuple(heads)
            self._statement(attr, v, heads[0])
        else:
            self._statement(attr, v, None)
        return attr

    def tidy_speaker(self, found: tuple[int, int, list[Token]] | None) -> tuple[int, int, list[Token]] | None:
        """Repair speaker words a bad parse produced; None when nothing in them can speak.

        A date, a relative pronoun or a verb is never a speaker ("Saturday at
        the convention Sen. Warren", "shows that Syed Farook"): the last
        person or organisation named in the words is taken instead. A leading
        prepositional phrase is dropped ("In a statement to the Observer, her
        adviser, Jake Sullivan" -> "her adviser, Jake Sullivan").
        """
        if found is None:
            return None
        i, j, heads = found
        head = heads[0] if heads else self.doc[j - 1]
        if self.doc[i].pos_ == "ADP" and self.doc[i].lower_ not in ("of",):
            comma = next((t.i for t in self.doc[i:j] if t.text == ","), None)
            if comma is not None and comma + 1 < j:
                i = comma + 1
                while i < j and (self.doc[i].is_punct or self.doc[i].is_space):
                    i += 1
                if not (i <= head.i < j):
                    head = self._head_of(self.doc[i:j])
            else:
                return self._named_in(i, j)
        bad_head = (
            head.ent_type_ in ("DATE", "TIME") or head.lower_ in _CALENDAR_WORDS or head.lower_ in _RELATIVE
            or head.pos_ in ("VERB", "AUX", "ADP", "SCONJ")
        )
        if bad_head:
            return self._named_in(i, j)
        return i, j, [head, *heads[1:]] if heads and heads[0].i == head.i else [head]

    def _named_in(self, i: int, j: int) -> tuple[int, int, list[Token]] | None:
        """The last person or organisation named in tokens ``[i, j)``, as a speaker."""
        for k in range(j - 1, i - 1, -1):
            t = self.doc[k]
            if t.ent_type_ in ("PERSON", "ORG") and t.ent_iob_ in ("B", "I"):
                start = k
                while start > i and self.doc[start - 1].ent_type_ == t.ent_type_ and t.ent_iob_ != "B" \
                        and self.doc[start].ent_iob_ == "I":
                    start -= 1
                return start, k + 1, [t]
        return None

    def _statement(self, attr: _Attr, v: Token, head: Token | None) -> None:
        """Mark statements: "in a statement", "the joint statement said"; find the issuer."""
        if not self.parsed:
            return
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "through", "via"):
                for g in c.children:
                    if g.dep_ == "pobj" and g.lemma_.lower() in _STATEMENT_NOUNS:
                        attr.statement = True
        if head is None or head.lemma_.lower() not in _STATEMENT_NOUNS:
            return
        attr.statement = True
        issuer: Token | None = None
        for c in head.children:
            if c.dep_ == "poss" or (c.dep_ == "compound" and c.pos_ == "PROPN"):
                issuer = c
            elif c.dep_ == "prep" and c.lower_ in ("from", "by", "of"):
                issuer = next((g for g in c.children if g.dep_ == "pobj"), issuer)
        if issuer is None:
            issuer = self._issuer_before(head)
        if issuer is None:
            attr.unresolvable = True
            return
        lo = max(0, issuer.i - 15)
        i, j, heads = self.noun_phrase(issuer, lo, min(self.n, issuer.i + 15))
        attr.speaker = self.span_of(i, j)
        attr.heads = tuple(heads)

    def _issuer_before(self, head: Token) -> Token | None:
        """Who issued the statement: "X and Y issued a joint statement" shortly before."""
        for k in range(head.i - 1, max(-1, head.i - 120), -1):
            t = self.doc[k]
            if (
                t.lemma_.lower() in _ISSUE_VERBS
                and t.pos_ == "VERB"
                and any(
                    c.dep_ == "dobj" and c.lemma_.lower() in _STATEMENT_NOUNS for c in t.children
                )
            ):
                return self.subject(t)
            if t.dep_ == "pobj" and t.lemma_.lower() in _STATEMENT_NOUNS and t.head.dep_ == "prep":
                owner = t.head.head
                if owner.pos_ == "VERB" and k < head.i - 1:
                    return self.subject(owner)
        return None

    def according(self, acc: Token, lo: int, hi: int) -> _Attr | None:
        """Attribution for "according to X"."""
        if acc.i + 1 >= self.n or self.doc[acc.i + 1].lower_ != "to":
            return None
        to = self.doc[acc.i + 1]
        attr = _Attr(cue="according to", cue_start=acc.idx, cue_end=to.idx + len(to.text))
        attr.cue = self.text[attr.cue_start : attr.cue_end]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if self.parsed else None
        found: tuple[int, int, list[Token]] | None
        if pobj is not None:
            found = self.noun_phrase(pobj, to.i + 1, hi)
            if pobj.lemma_.lower() in _STATEMENT_NOUNS:
                attr.statement = True
                self._statement(attr, acc, pobj)
                if attr.speaker is not None:
                    return attr
        else:
            found = self.lexical_speaker(self.doc[to.i + 1 : hi], after=True)
        found = self.tidy_speaker(found)
        if found is not None:
            i, j, heads = found
            attr.speaker = self.span_of(i, j)
            attr.heads = tuple(heads)
        return attr

    def name_intro(self, toks: Sequence[Token]) -> _Attr | None:
        """A verbless colon intro: "Chinese Foreign Ministry spokesperson Mao Ning:"."""
        words = [t for t in toks if not t.is_space]
        if not words or words[-1].text != ":":
            return None
        colon = words[-1]
        words = words[:-1]
        while words and words[0].lower_ in ("and", "but", "here", "so"):
            words = words[1:]
        if not words or len(words) > 12:
            return None
        if any(t.text in _DASHES or self.is_verb(t) or t.pos_ == "AUX" for t in words):
            return None
        last = words[-1]
        owner = [k for k, t in enumerate(words) if t.lower_ in ("'s", "’s", "'", "’")]
        if owner and owner[-1] > 0 and last.lemma_.lower() in _SPEECH_NOUNS:
            # "Trump's response:" / "The ministry's statement:": the owner speaks
            words = words[: owner[-1]]
            last = self._head_of(words)
        ok = (
            self._is_nameish(last)
            or (last.pos_ == "NOUN" and last.text[:1].isupper())
            or last.lower_ in _ROLE_NOUNS
            or _role_key(last.text) in self.ents.roles
        )
        if not ok or (not self.tagged and len(words) > 6):
            return None
        if last.lower_ in _NOT_SPEAKERS:
            return None
        span = self.span_of(words[0].i, last.i + 1)
        return _Attr(
            cue=":", cue_start=colon.idx, cue_end=colon.idx + 1, speaker=span, heads=(last,)
        )

    # ------------------------------------------------------------------ framing one quote

    def attr_right(
        self,
        toks: Sequence[Token],
        exclude: tuple[int, int],
        signal: bool = True,
        pos: int | None = None,
    ) -> _Attr | None:
        """``"…," X said`` / ``"…," said X`` / ``"…" — Name`` / ``"…," according to X``.

        ``signal`` says the quote ends the way an attributed quote does (a
        comma, question or exclamation mark, or a dash); without it only a
        plain ``X said`` / ``said X`` right after the quote counts.
        """
        j = 0
        dash = None
        while j < len(toks) and (toks[j].text in _LEAD_PUNCT or toks[j].is_space):
            if toks[j].text in _DASHES:
                dash = toks[j]
            j += 1
        if j >= len(toks):
            return None
        first = toks[j]
        lo, hi = first.i, toks[-1].i + 1
        dash_at: tuple[int, int] | None = (dash.idx, dash.idx + len(dash.text)) if dash else None
        if dash_at is None and pos is not None:
            gap = _DASH_GAP.search(self.text, pos, first.idx)
            if gap is not None:
                dash_at = (gap.start(), gap.end())
        if first.lower_ == "according":
            return self.according(first, lo, hi)
        for k in range(j, min(len(toks), j + 24)):
            t = toks[k]
            lemma = reporting_lemma(t)
            if lemma and lemma != "accord" and lemma not in NAMING_VERBS - REPORTING_VERBS:
                between = [x for x in toks[j:k] if not self._in_modifier(x, first.i)]
                if self.parsed and any(self.is_verb(x) and x.is_lower for x in between):
                    break
                if any(x.pos_ == "SCONJ" or x.lower_ in _SUBORDINATORS for x in between):
                    break
                if not signal and (
                    any(x.pos_ == "AUX" for x in between)
                    or (self.parsed and any(c.dep_ == "auxpass" for c in t.children))
                ):
                    return None
                return self.attr_at_verb(t, lo, hi, exclude)
            if self._in_modifier(t, first.i):
                continue  # "…," Smith, who chairs the committee, said
            if (
                (self.is_verb(t) and t.is_lower)
                or t.lower_ in ("and", "but")
                or t.lower_ in _SUBORDINATORS
            ):
                break
        if dash_at is not None and self._is_nameish(first):
            run = [first]
            for t in toks[j + 1 : j + 8]:
                if t.is_punct or not (
                    self._is_nameish(t) or t.lower_ in ("of", "de", "van", "von")
                ):
                    break
                run.append(t)
            return _Attr(
                cue=self.text[dash_at[0] : dash_at[1]],
                cue_start=dash_at[0],
                cue_end=dash_at[1],
                speaker=self.span_of(run[0].i, run[-1].i + 1),
                heads=(run[-1],),
            )
        if signal and self.parsed:
            # "…," Blige sings to Clinton: any verb whose subject sits between quote and verb
            for k in range(j, min(len(toks), j + 10)):
                t = toks[k]
                if t.lower_ in _SUBORDINATORS or t.lower_ in ("and", "but") or t.pos_ == "SCONJ":
                    break
                if t.pos_ == "VERB":
                    subj = self.subject(t)
                    if (
                        subj is not None
                        and subj.i >= first.i
                        and subj.left_edge.i >= first.i
                        and not any(c.dep_ == "auxpass" for c in t.children)
                        and (
                            subj.pos_ in ("PROPN", "PRON")
                            or self._is_nameish(subj)
                            or subj.lemma_.lower() in _ROLE_NOUNS
                        )
                    ):
                        return self.attr_at_verb(t, lo, hi, exclude)
                    break
        return None

    def attr_left(
        self, toks: Sequence[Token], exclude: tuple[int, int], clause_colon: bool = False
    ) -> tuple[_Attr | None, bool]:
        """``X said: "…"`` / ``X said "…"`` / ``Name: "…"`` / ``According to X, "…"``.

        Returns the attribution and whether it sits right before the quote
        (only punctuation, "that" and the verb's own dependents in between).
        With ``clause_colon``, any clause ending in a colon attributes the
        quote to its subject when that is a name, role or pronoun
        ("Obama is rolling out a new message: "It's about me."").
        """
        if not toks:
            return None, False
        lo, hi = toks[0].i, toks[-1].i + 1
        first_found: tuple[_Attr | None, bool] | None = None
        for k in range(len(toks) - 1, max(-1, len(toks) - 17), -1):
            t = toks[k]
            lemma = reporting_lemma(t)
            if lemma == "accord":
                attr = self.according(t, lo, hi)
                return attr, bool(attr and toks[-1].text in (",", ":"))
            if lemma:
                gap = toks[k + 1 :]
                naming = lemma in NAMING_VERBS and any(not x.is_punct for x in gap)
                tight = (
                    not naming
                    and len(gap) <= 10
                    and all(
                        x.is_punct
                        or x.lower_ == "that"
                        or (not self.is_verb(x) and x.pos_ != "AUX" and self._under(x, t))
                        for x in gap
                    )
                )
                attr = self.attr_at_verb(t, lo, hi, exclude)
                if attr.speaker is not None or not self.parsed:
                    return attr, tight
                if first_found is None:
                    first_found = (attr, tight)
                continue  # a verb with no speaker in sight (a noun the tagger took for a verb)
            if self.is_verb(t):
                if first_found is None and clause_colon and toks[-1].text == ":":
                    return self._colon_clause(t, toks[-1], lo, hi)
                break
        if first_found is not None:
            return first_found
        intro = self.name_intro(toks)
        return intro, intro is not None

    def _colon_clause(self, t: Token, colon: Token, lo: int, hi: int) -> tuple[_Attr | None, bool]:
        for _ in range(4):
            if t.head.i == t.i or not (lo <= t.head.i < hi):
                break
            t = t.head
        subj = self.subject(t) if t.pos_ in ("VERB", "AUX") else None
        if subj is None or not (lo <= subj.i < hi):
            return None, False
        if not (
            self._is_nameish(subj) or self._is_role(subj) or subj.lower_ in ("he", "she", "they")
        ):
            return None, False
        i, j, heads = self.noun_phrase(subj, lo, hi)
        attr = _Attr(
            cue=":",
            cue_start=colon.idx,
            cue_end=colon.idx + 1,
            speaker=self.span_of(i, j),
            heads=tuple(heads),
        )
        return attr, True

    def _in_modifier(self, x: Token, first: int) -> bool:
        """Is ``x`` inside a relative or participial clause on a noun at or after ``first``?"""
        if not self.parsed:
            return False
        a = x
        for _ in range(4):
            if a.dep_ in ("relcl", "acl", "appos") and first <= a.head.i < x.i:
                return True
            if a.head.i == a.i:
                return False
            a = a.head
        return False

    def _under(self, x: Token, v: Token) -> bool:
        if not self.parsed:
            return True
        for _ in range(6):
            if x.i == v.i:
                return True
            if x.head.i == x.i:
                return False
            x = x.head
        return False

    def governor(self, start: int, end: int) -> Token | None:
        """The reporting or naming verb whose clause holds the quoted words."""
        if not self.parsed:
            return None
        tried = 0
        for k in self.tok_range(start, end):
            t = self.doc[k]
            if start <= t.head.idx < end or t.head.i == t.i:
                continue
            h = t.head
            for _ in range(8):
                if (
                    not (start <= h.idx < end)
                    and reporting_lemma(h) not in (None, "accord")
                    and self.in_marked(h.idx) is None
                ):
                    return h
                if h.head.i == h.i:
                    break
                h = h.head
            tried += 1
            if tried >= 3:
                break
        return None

    def intro_before(self, para: int) -> _Attr | None:
        """The attribution a paragraph ending in a colon gives the next paragraph."""
        if para <= 0:
            return None
        s, e = self.paras[para - 1]
        if self.text[e - 1] != ":":
            return None
        toks = self.left_frame(e, s)
        attr, tight = self.attr_left(toks, (e, e))
        if attr is None and any(t.lemma_.lower() in _SPEECH_NOUNS for t in toks):
            # "Sanders made the following comment:"
            verb = next((t for t in reversed(toks) if t.pos_ in ("VERB", "AUX")), None)
            if verb is not None:
                attr, tight = self._colon_clause(verb, toks[-1], toks[0].i, toks[-1].i + 1)
        if attr is None or not tight or attr.speaker is None:
            return None
        return attr

    def previous_sentence(self, pos: int) -> tuple[int, int] | None:
        """Character range of the sentence before the one holding ``pos``."""
        k = bisect_right(self.sent_starts, pos) - 1
        while k >= 1:
            ps, pe = self.sent_starts[k - 1], self.sent_starts[k]
            ps, pe = _trim(self.text, ps, pe)
            if pe > ps:
                return ps, pe
            k -= 1
        return None

    def sentence_subject(self, span: tuple[int, int]) -> _Attr | None:
        """The subject of a sentence if it can be a speaker (a name, pronoun or role)."""
        if not self.parsed:
            return None
        rng = self.tok_range(*span)
        if not rng:
            return None
        root = self.doc[rng.start].sent.root
        if not (span[0] <= root.idx < span[1]):
            return None
        subj = self._better_subject(self.subject(root))
        if subj is None or self.in_marked(subj.idx) is not None:
            return None
        ok = (
            subj.lower_ in ("he", "she", "they")
            or self._is_nameish(subj)
            or subj.lemma_.lower() in _ROLE_NOUNS
            or _role_key(subj.text) in self.ents.roles
        )
        if not ok:
            return None
        i, j, heads = self.noun_phrase(subj, rng.start, rng.stop)
        lemma = reporting_lemma(root)
        attr = _Attr(
            cue=None, cue_start=None, cue_end=None, speaker=self.span_of(i, j), heads=tuple(heads)
        )
        if lemma and lemma != "accord":
            attr.cue, attr.cue_start, attr.cue_end = root.text, root.idx, root.idx + len(root.text)
        return attr

    def _bare_attribution(self, toks: Sequence[Token], exclude: tuple[int, int]) -> _Attr | None:
        """A sentence that is only an attribution ("Smith said Monday.") after a quote."""
        if len(toks) > 8:
            return None
        k = toks[-1].i + 1
        if k < self.n and self.doc[k].text not in _SENT_END:
            return None
        attr = self.attr_right(toks, exclude, signal=False)
        if attr is None or attr.speaker is None or attr.cue_start is None:
            return None
        verb = self.doc[bisect_left(self.starts, attr.cue_start)]
        if self.parsed and any(
            c.dep_ in ("ccomp", "xcomp", "dobj", "dative") for c in verb.children
        ):
            return None  # "He said he would leave.": a sentence of its own
        return attr

    def _tiny(self, m: _Marked) -> bool:
        """A nickname or scare quote: one or two words, not a sentence of its own."""
        last = self.text[m.close - 1] if m.close else self.text[m.end - 1]
        return len(_WORD.findall(self.text, m.start, m.end)) <= 2 and last not in ".?!,"

    def frame_quote(self, k: int, cands: list[_Cand], by_mark: dict[int, int]) -> None:
        """Turn quoted span ``self.marked[k]`` into a candidate, or skip it."""
        m = self.marked[k]
        text = self.text
        ps, pe = self.paras[m.para]
        prev = self.marked[k - 1] if k > 0 and self.marked[k - 1].para == m.para else None
        floor = ps
        for j in range(k - 1, max(-1, k - 4), -1):  # frames look past nicknames and scare quotes
            o = self.marked[j]
            if o.para != m.para or not self._tiny(o):
                floor = o.outer_end if o.para == m.para else ps
                break
        ceiling = pe
        for j in range(k + 1, min(len(self.marked), k + 4)):
            o = self.marked[j]
            if o.para != m.para or not self._tiny(o):
                ceiling = o.outer_start if o.para == m.para else pe
                break
        whole = m.outer_start == ps and (m.close is None or not _WORD.search(text, m.outer_end, pe))
        exclude = (m.start, m.end)
        raw_end = text[m.close - 1] if m.close is not None and m.close > 0 else ""
        after = text[m.outer_end] if m.close is not None and m.outer_end < len(text) else ""
        signal = raw_end in ",?!—–―-…" or after in (",", "—", "–", "―")

        if whole and m.open is not None and not m.reopens:
            intro = self.intro_before(m.para)
            if intro is not None:
                by_mark[k] = len(cands)
                cands.append(_Cand(m.start, m.end, "block", attr=intro, para=m.para))
                return

        left = self.left_frame(m.outer_start, floor)
        right = self.right_frame(m.outer_end, ceiling)
        next_sentence: list[Token] = []
        if raw_end == "." and _trim(text, m.outer_end, ceiling)[0] < len(text):
            nxt_char = text[_trim(text, m.outer_end, max(ceiling, m.outer_end))[0] :][:1]
            if nxt_char.isupper():
                # "… we won." Smith …: a new sentence starts after the quote
                next_sentence, right = right, []
        la, tight = self.attr_left(left, exclude, clause_colon=True) if left else (None, False)
        ra = self.attr_right(right, exclude, signal, m.outer_end) if right else None

        if m.reopens and k > 0 and (k - 1) in by_mark and ra is None and not (la and tight):
            base = cands[by_mark[k - 1]]
            kind = "block" if base.kind == "block" else "direct"
            by_mark[k] = len(cands)
            cands.append(_Cand(m.start, m.end, kind, mode="link", link=by_mark[k - 1], para=m.para))
            return

        if m.open is None:  # orphan closer: needs an attribution after it
            if ra is None:
                return
            by_mark[k] = len(cands)
            cands.append(_Cand(m.start, m.end, "direct", attr=ra, para=m.para))
            return

        left_words = any(not t.is_punct and not t.is_space for t in left)
        right_words = any(not t.is_punct and not t.is_space for t in right)
        words = len(_WORD.findall(text, m.start, m.end))
        starts_upper = not text[m.start].islower()
        middle = (
            prev is not None
            and la is not None
            and tight
            and prev.close is not None
            and bool(left)
            and left[-1].text == ","
            and not self._tiny(prev)
            and not _WORD.search(text, prev.outer_end, left[0].idx)
            and len(left) <= 12
        )
        colon = bool(left) and left[-1].text == ":"
        sentence_level = (
            not left_words or (la is not None and tight and (starts_upper or middle or colon))
        ) and (not right_words or ra is not None or (la is not None and tight))
        if sentence_level:
            attr = ra if (ra is not None and (la is None or la.cue != ":")) else la
            if attr is ra and la is not None and ra is not None and ra.speaker is None:
                attr = la
            kind = "direct"
            if attr is None and prev is not None and k - 1 in by_mark and not left_words:
                # "…" "…": the quote before in the same paragraph
                base = cands[by_mark[k - 1]]
                if base.attr is not None or base.mode != "none":
                    by_mark[k] = len(cands)
                    cands.append(
                        _Cand(m.start, m.end, kind, mode="link", link=by_mark[k - 1], para=m.para)
                    )
                    return
            if attr is None and next_sentence:
                attr = self._bare_attribution(next_sentence, exclude)
            if attr is None:
                cand = _Cand(m.start, m.end, kind, mode="context", para=m.para)
                cand.prev_sentence = self.previous_sentence(m.outer_start)
                if cand.prev_sentence is not None:
                    cand.context = self.sentence_subject(cand.prev_sentence)
                by_mark[k] = len(cands)
                cands.append(cand)
                return
            if attr.statement:
                kind = "statement"
            by_mark[k] = len(cands)
            cands.append(_Cand(m.start, m.end, kind, attr=attr, para=m.para))
            return

        # a fragment inside a longer sentence
        attr = ra if ra is not None and ra.speaker is not None else None
        if attr is None:
            gov = self.governor(m.start, m.end)
            if gov is not None:
                sent = gov.sent
                lo = min(sent.start, left[0].i) if left else sent.start
                hi = max(sent.end, right[-1].i + 1) if right else sent.end
                attr = self.attr_at_verb(gov, lo, hi, exclude)
                if attr.speaker is None:
                    attr = None
        if attr is None and la is not None and la.speaker is not None:
            attr = la
        if words <= 1:
            return  # a scare quote, not a quote
        if attr is None:
            title_like = all(
                w[:1].isupper() for w in _WORD.findall(text, m.start, m.end) if len(w) > 3
            )
            if words <= _SCARE_MAX_WORDS or title_like:
                return
        cand = _Cand(
            m.start, m.end, "partial", attr=attr, mode="attr" if attr else "none", para=m.para
        )
        if attr is None:  # a fragment with no verb in reach: most often the last speaker goes on
            cand.mode = "context"
            cand.prev_sentence = self.previous_sentence(m.outer_start)
            if cand.prev_sentence is not None:
                cand.context = self.sentence_subject(cand.prev_sentence)
        by_mark[k] = len(cands)
        cands.append(cand)

    # ------------------------------------------------------------------ paragraph-level forms

    def embedded_posts(self, cands: list[_Cand]) -> None:
        """Posts signed "— Name (@handle) date"; the post text comes just before."""
        text = self.text
        last_end = -1
        for match in _POST_SIGNATURE.finditer(text):
            dash = match.start("dash")
            p = self.para_of(dash)
            ps, pe = self.paras[p]
            if not (ps <= dash < pe + 1):
                continue
            cs = max(ps, last_end)
            cs, ce = _trim(text, cs, dash)
            if ce <= cs and p > 0:
                cs, ce = self.paras[p - 1]
            link = _TRAILING_LINKS.search(text, cs, ce)
            if link is not None and link.start() > cs:
                ce = _trim(text, cs, link.start())[1]
            if (
                ce - cs >= 2
                and text[cs] in _DOUBLE_OPEN + _STRAIGHT
                and text[ce - 1] in _DOUBLE_CLOSE + _STRAIGHT
            ):
                cs, ce = _trim(text, cs + 1, ce - 1)
            last_end = match.end()
            if ce <= cs:
                continue
            name_s, name_e = _trim(text, match.start("name"), match.end("name"))
            heads = tuple(self.doc[i] for i in self.tok_range(name_s, name_e))[-1:]
            attr = _Attr(
                cue=match.group("dash"),
                cue_start=dash,
                cue_end=match.end("dash"),
                speaker=(name_s, name_e),
                heads=heads,
            )
            self.claim(cs, match.end())
            cands.append(_Cand(cs, ce, "embedded-post", attr=attr, para=p))

    def transcript_lines(self, cands: list[_Cand]) -> None:
        """Interview transcripts: ``PENCE: Well, look, …``."""
        text = self.text
        for p, (s, e) in enumerate(self.paras):
            match = _TRANSCRIPT.match(text, s, e)
            if match is None:
                continue
            name = match.group("name")
            if any(w.lower().strip(".") in _NOT_SPEAKERS for w in name.split()):
                continue
            if sum(ch.isalpha() for ch in name) < 2 or self.is_claimed(s, e):
                continue
            colon = text.index(":", match.end("name"))
            cs, ce = _trim(text, colon + 1, e)
            if (
                ce - cs >= 2
                and text[cs] in _DOUBLE_OPEN + _STRAIGHT
                and text[ce - 1] in _DOUBLE_CLOSE + _STRAIGHT
            ):
                cs, ce = _trim(text, cs + 1, ce - 1)
            if ce <= cs:
                continue
            heads = tuple(
                self.doc[i] for i in self.tok_range(match.start("name"), match.end("name"))
            )[-1:]
            attr = _Attr(
                cue=":",
                cue_start=colon,
                cue_end=colon + 1,
                speaker=(match.start("name"), match.end("name")),
                heads=heads,
            )
            self.claim(s, e)
            cands.append(_Cand(cs, ce, "direct", attr=attr, para=p))

    def unmarked_blocks(self, cands: list[_Cand]) -> None:
        """A paragraph without quote marks after an intro line ending in a colon."""
        text = self.text
        marked_paras = {m.para for m in self.marked if m.open == self.paras[m.para][0]}
        for p in range(1, len(self.paras)):
            s, e = self.paras[p]
            if p in marked_paras or text[e - 1] == ":" or self.is_claimed(s, e):
                continue
            if len(_WORD.findall(text, s, e)) < 3:
                continue
            intro = self.intro_before(p)
            if intro is None:
                continue
            self.claim(s, e)
            cands.append(_Cand(s, e, "block", attr=intro, para=p))

    # ------------------------------------------------------------------ reported speech

    def reported_speech(self, cands: list[_Cand]) -> None:
        """``X said (that) …``, ``X urged Y to …``, ``according to X, …``."""
        if not self.parsed:
            return
        doc = self.doc
        covered = sorted((c.start, c.end) for c in cands if c.kind != "partial")
        cov_starts = [s for s, _ in covered]
        for t in doc:
            lemma = reporting_lemma(t)
            if lemma is None or t.pos_ != "VERB":
                continue
            if self.in_marked(t.idx) is not None or self.is_claimed(t.idx, t.idx + 1):
                continue
            if t.tag_ == "VBN" and not any(c.dep_.startswith("nsubj") for c in t.children):
                continue  # "Asked whether …, Smith said": the asker is someone else
            attr: _Attr | None = None
            lo = hi = -1
            parenthetical = False
            if lemma == "accord":
                if t.dep_ != "prep" or t.head.i == t.i:
                    continue
                head = t.head
                lo, hi = head.left_edge.i, head.right_edge.i + 1
                a, b = t.left_edge.i, t.right_edge.i + 1
                if a - lo >= hi - b:
                    hi = a
                else:
                    lo = b
                attr = self.according(t, max(0, t.i - 2), min(self.n, t.right_edge.i + 1))
            elif lemma in _INDIRECT_VERBS:
                comp = next((c for c in t.children if c.dep_ == "ccomp"), None)
                if comp is not None:
                    lo, hi = comp.left_edge.i, comp.right_edge.i + 1
                elif (directive := self._directive(t, lemma)) is not None:
                    lo, hi = directive
                elif t.dep_ == "parataxis" and t.i > t.head.i and t.head.pos_ in ("VERB", "AUX"):
                    # "The talks will fail, officials say." / "…, officials say, unless …":
                    # the whole clause, the parenthetical attribution included
                    lo = t.head.left_edge.i
                    hi = t.left_edge.i
                    if t.right_edge.i < t.head.right_edge.i - 1:
                        hi = t.head.right_edge.i + 1
                        parenthetical = True
                else:
                    continue
                if lo <= t.i < hi and not parenthetical:
                    continue
                subj = self.subject(t)
                if subj is None or (lo <= subj.i < hi and not parenthetical):
                    continue
                attr = self.attr_at_verb(
                    t, max(0, subj.left_edge.i), min(self.n, subj.right_edge.i + 1)
                )
            if attr is None or attr.speaker is None or lo < 0:
                continue
            while lo < hi and (doc[lo].is_punct or doc[lo].is_space or doc[lo].lower_ == "that"):
                lo += 1
            while hi > lo and (doc[hi - 1].is_punct or doc[hi - 1].is_space):
                hi -= 1
            if hi - lo < 2:
                continue
            cs, ce = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)
            if self.is_claimed(cs, ce) or self.para_of(cs) != self.para_of(ce - 1):
                continue
            cs, ce = self._take_marks(cs, ce)
            if self._cuts_quote(cs, ce):
                continue  # the clause cuts through a quotation: the parse went astray
            whole = self.in_marked(cs)
            if whole is not None and (whole.outer_start, whole.outer_end) == (cs, ce):
                continue  # the clause is one quotation, already found by its marks
            inside = 0
            k = max(0, bisect_right(cov_starts, cs) - 1)
            stop = k + 64
            while k < min(len(covered), stop) and covered[k][0] < ce:
                inside += max(0, min(ce, covered[k][1]) - max(cs, covered[k][0]))
                k += 1
            if inside * 2 >= ce - cs:
                continue
            kind = "statement" if attr.statement else "indirect"
            cands.append(_Cand(cs, ce, kind, attr=attr, para=self.para_of(cs)))

    def _directive(self, t: Token, lemma: str) -> tuple[int, int] | None:
        """Token range of "Y to …" after "urged"/"asked", or of "to …" after "vowed"."""
        if lemma not in _DIRECTIVE_VERBS and lemma not in _COMMISSIVE_VERBS:
            return None
        x = next((c for c in t.children if c.dep_ == "xcomp" and c.i > t.i), None)
        if x is None:
            return None
        if lemma in _COMMISSIVE_VERBS:
            return x.left_edge.i, x.right_edge.i + 1
        obj = next((c for c in t.children if c.dep_ in ("dobj", "dative")), None)
        if obj is None:
            return None
        return obj.left_edge.i, x.right_edge.i + 1

    def _take_marks(self, cs: int, ce: int) -> tuple[int, int]:
        """Widen a clause that starts or ends a quotation to take in the quote marks."""
        first, last = self.in_marked(cs), self.in_marked(ce - 1)
        if (
            first is not None
            and first.open is not None
            and not _WORD.search(self.text, first.open, cs)
        ):
            cs = first.open
        if (
            last is not None
            and last.close is not None
            and not _WORD.search(self.text, ce, last.close)
        ):
            ce = last.outer_end
        return cs, ce

    def _cuts_quote(self, cs: int, ce: int) -> bool:
        k = max(0, bisect_right(self.mark_starts, cs) - 1)
        stop = k + 64  # a clause holding more quotes than this is a misparse anyway
        while k < min(len(self.marked), stop) and self.marked[k].outer_start < ce:
            m = self.marked[k]
            a, b = m.outer_start, m.outer_end
            if b > cs and not (cs <= a and b <= ce) and not (a <= cs and ce <= b):
                return True
            k += 1
        return False

    # ------------------------------------------------------------------ resolution

    def resolve_head(self, head: Token, span: tuple[int, int], pos: int) -> str | None:
        e = self.ents
        mid = self._mention_at(head.idx)
        if mid is not None:
            return mid
        low = head.lower_
        if low in _PRONOUNS:
            return self.antecedent(pos, _PRONOUNS[low], low)
        key = _norm_name(self.text[span[0] : span[1]])
        ids = e.names.get(key)
        if ids and len(ids) == 1:
            return next(iter(ids))
        if self._is_nameish(head):
            ids = e.surnames.get(low) or e.names.get(low)
            if ids and len(ids) == 1:
                return next(iter(ids))
            return None
        role = _role_key(head.lemma_ or head.text)
        ids = e.roles.get(role) or e.roles.get(_role_key(head.text))
        if not ids:
            return None
        if len(ids) == 1:
            return next(iter(ids))
        for p, ent_id in reversed(self.history[-30:]):
            if p < pos and ent_id in ids:
                return ent_id
        k = bisect_left(e.m_starts, pos) - 1
        for j in range(k, max(-1, k - 60), -1):
            if e.m_ids[j] in ids:
                return e.m_ids[j]
        return None

    def antecedent(self, pos: int, types: tuple[str, ...], pronoun: str = "") -> str | None:
        """The most recent speaker or sentence subject before ``pos`` of a compatible type."""
        if not types:
            return None
        e = self.ents

        def fits(ent_id: str) -> bool:
            if e.types.get(ent_id) not in types:
                return False
            known = e.gender.get(ent_id)
            return known is None or pronoun not in ("he", "she") or known == pronoun

        best: tuple[int, str] | None = None
        k = bisect_left(e.subj_pos, pos) - 1
        for j in range(k, max(-1, k - 30), -1):
            if fits(e.subj_ids[j]):
                best = (e.subj_pos[j], e.subj_ids[j])
                break
        for p, ent_id in reversed(self.history[-30:]):
            if p < pos and fits(ent_id):
                if best is None or p > best[0]:
                    best = (p, ent_id)
                break
        if best is None:
            k = bisect_left(e.m_starts, pos) - 1
            for j in range(k, max(-1, k - 20), -1):
                if fits(e.m_ids[j]) and self.in_marked(e.m_starts[j]) is None:
                    return e.m_ids[j]
        return best[1] if best else None

    def _of_members(self, head: Token) -> list[Token]:
        for c in head.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                if pobj is None:
                    return []
                out = [pobj]
                for g in pobj.children:
                    if g.dep_ == "conj":
                        out.append(g)
                return out
        return []

    def resolve(self, attr: _Attr) -> tuple[str | None, tuple[str, ...]]:
        if attr.speaker is None or attr.unresolvable or not attr.heads:
            return None, ()
        pos = attr.speaker[0]
        heads = list(attr.heads)
        ids = [
            self.resolve_head(
                h, attr.speaker if len(heads) == 1 else (h.idx, h.idx + len(h.text)), pos
            )
            for h in heads
        ]
        if ids == [None] and self.parsed:
            # "the foreign ministers of Germany and France": the members follow "of"
            of_members = self._of_members(heads[0])
            if len(of_members) > 1:
                heads = of_members
                ids = [self.resolve_head(h, (h.idx, h.idx + len(h.text)), pos) for h in heads]
        if len(ids) == 1:
            if ids[0] is not None:
                self.history.append((pos, ids[0]))
            return ids[0], ()
        members = tuple(dict.fromkeys(i for i in ids if i is not None))
        group = None
        e = self.ents
        k = bisect_left(e.m_starts, attr.speaker[0])
        if (
            k < len(e.m_starts)
            and e.m_starts[k] == attr.speaker[0]
            and e.m_ends[k] == attr.speaker[1]
        ):
            group = e.m_ids[k]
        for ent_id in members:
            self.history.append((pos, ent_id))
        return group, members

    def settle(self, cands: list[_Cand]) -> None:
        """Give every candidate its speaker, in text order."""
        order = sorted(range(len(cands)), key=lambda i: (cands[i].start, cands[i].end))
        last: _Cand | None = None
        for i in order:
            c = cands[i]
            if c.mode == "link" and c.link is not None:
                base = cands[c.link]
                c.final, c.speaker, c.speakers = base.final, base.speaker, base.speakers
            elif c.attr is not None:
                c.final = c.attr
                c.speaker, c.speakers = self.resolve(c.attr)
            elif c.mode == "context":
                ps = c.prev_sentence
                if (
                    last is not None
                    and ps is not None
                    and last.final is not None
                    and (
                        last.end > ps[0]
                        or (last.final.speaker is not None and last.final.speaker[0] >= ps[0])
                    )
                ):
                    c.final, c.speaker, c.speakers = last.final, last.speaker, last.speakers
                elif c.context is not None:
                    c.final = c.context
                    c.speaker, c.speakers = self.resolve(c.context)
                elif last is not None and last.final is not None and c.para - last.para <= 1:
                    c.final, c.speaker, c.speakers = last.final, last.speaker, last.speakers
            if c.final is not None and c.final.speaker is not None:
                last = c

    # ------------------------------------------------------------------ driver

    def run(self) -> tuple[Quote, ...]:
        cands: list[_Cand] = []
        self.embedded_posts(cands)
        self.transcript_lines(cands)
        by_mark: dict[int, int] = {}
        taken = {(c.start, c.end) for c in cands}
        for k, m in enumerate(self.marked):
            if (m.start, m.end) in taken or self.is_claimed(m.start, m.end):
                continue
            self.frame_quote(k, cands, by_mark)
        self.unmarked_blocks(cands)
        self.reported_speech(cands)
        self.settle(cands)
        return self.emit(cands)

    def emit(self, cands: Iterable[_Cand]) -> tuple[Quote, ...]:
        best: dict[tuple[int, int], _Cand] = {}
        for c in cands:
            if not (0 <= c.start < c.end <= len(self.text)):
                continue
            key = (c.start, c.end)
            if key not in best or _KIND_PRIORITY[c.kind] < _KIND_PRIORITY[best[key].kind]:
                best[key] = c
        quotes = []
        for (start, end), c in sorted(best.items()):
            a = c.final
            speaker_span = a.speaker if a is not None and a.speaker is not None else None
            if speaker_span is not None and not (
                0 <= speaker_span[0] < speaker_span[1] <= len(self.text)
            ):
                speaker_span = None
            quotes.append(
                Quote(
                    id=make_id("quo", self.article_id, str(start), str(end)),
                    article=self.article_id,
                    start=start,
                    end=end,
                    text=self.text[start:end],
                    kind=c.kind,
                    cue=a.cue if a is not None else None,
                    cue_start=a.cue_start if a is not None else None,
                    cue_end=a.cue_end if a is not None else None,
                    speaker=c.speaker,
                    speaker_text=self.text[speaker_span[0] : speaker_span[1]]
                    if speaker_span
                    else None,
                    speaker_start=speaker_span[0] if speaker_span else None,
                    speaker_end=speaker_span[1] if speaker_span else None,
                    speakers=c.speakers,
                )
            )
        return tuple(quotes)


def find_quotes(doc: Doc, article_id: str, entities: Sequence[Entity] = ()) -> tuple[Quote, ...]:
    """Find the quotes of one parsed article, sorted by start.

    Args:
        doc: the spaCy parse of the article's cleaned text (``doc.text`` is
            ``Article.text``); a parser gives the best speakers, a tokenizer
            with a sentencizer is enough for quote spans.
        article_id: the article id, used in quote ids and records.
        entities: the article's entities with their mentions, used to resolve
            speakers to entity ids (names, pronouns, roles). Without them,
            ``speaker`` stays None and ``speaker_text`` still names the speaker.
    """
    if not doc.text:
        return ()
    return _Finder(doc, article_id, entities).run()
