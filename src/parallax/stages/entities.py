"""Entities of one article: spaCy NER plus the rules news text needs.

``find_entities(doc, article_id, gazetteer=...)`` turns a parsed article into
:class:`~parallax.records.Entity` records, each with its mentions. It is a
pure function of the parse (and the gazetteer, loaded once per process by the
caller); it never raises on odd text (a blank pipeline's doc without tags,
parse or entities included) and costs a few linear passes over the tokens:
3-6 % of the parse time measured on news and on CoNLL.

What it adds to the statistical NER, in order:

1. **Span repair.** A leading "the", honorifics ("Mr", "Mrs"), punctuation,
   possessive ``'s``, numbers and scores at the edges ("Mexico 2-0"), trailing
   lower-case words ("Jiangsu province"), "ex-" prefixes, and anything across
   a line break, a bracket or a spaced dash are cut from spans (the pieces are
   kept). Spans without a capital letter are dropped ("communists"), and so is
   a lone common word at the start of a line that the tagger does not call a
   proper noun ("Automakers ..."). A person name the model cut short is
   extended over the capitalised name tokens just before it ("Recep" +
   "Tayyip Erdoğan"); a short capitalised span right after a capitalised
   title is a person ("Chancellor Olaf Scholz", which the model calls ORG).
   A name the model cut at a quoted nickname is one span again ("Vincent" +
   "'Chin' Gigante"). A span that is a headline around names ("Colts Beat
   Chiefs", "Lindsay Lohan Checks Into Rehab") is cut into the names the
   article uses on their own (see ``_split_headlines``).
2. **Acronyms defined in the text.** "the UN Interim Force in Lebanon
   (UNIFIL)": the long form becomes one entity (replacing the fragments the
   model found), ``UNIFIL`` an alias, and every later ``UNIFIL`` a mention,
   tagged by the model or not; the same for places ("(DRC)") and people
   ("(AOC)", whose name chain continues as usual). An all-capitals name that
   spells the initials of exactly one longer name of the same type ("NATO",
   "North Atlantic Treaty Organization") joins it.
3. **Titles split from names.** "Polish Foreign Minister Radosław Sikorski":
   the mention is "Radosław Sikorski", the role "Foreign Minister" and the
   affiliation "Polish" become ``labels`` (words of the title that the model
   tagged as organisations, "Interior", "State", are dropped). Also "Secretary
   of State X", "Chinese Foreign Ministry spokesperson X", "Green Party
   presidential candidate X", titles inside the model's span ("Emir Tamim"),
   "Sen. X (D-NY)" (label "D-NY"), and appositions from the parse: "Mao Ning,
   a spokesperson for the Chinese Foreign Ministry," gives "spokesperson" and
   "Chinese Foreign Ministry"; "The president of Russia, Vladimir Putin," gives
   "president" and "Russia".
4. **Places** (when a gazetteer is given). A span the model typed PERSON, ORG,
   NORP, FAC or as a work/product/event becomes GPE (LOC for a continent) when
   its text is a place the gazetteer knows and the context agrees: a country
   always; a national capital or a city of a million anywhere; a city of
   100,000+ in a country the article names or after a locative preposition;
   15,000+ in a named country after a preposition ("near Avdiivka"). Persons
   keep their type when the word is part of a person's name in the article or
   follows a title ("Michael Jordan" ... "Jordan"); organisations only become
   places after "in"/"from"/"near"… or next to a listed place (so Barcelona
   the club stays an organisation); NORP and FAC only for countries and
   capitals. Capitalised words the model missed become GPE: a country or
   state standing alone, a capital of a million, a city of 100,000+ (15,000+
   in a named country) after a locative preposition or in a list with a
   place, a dateline ("KYIV, Ukraine (AP) —", "BONN 1996-08-30"), countries in
   headlines set in capitals. Lists the model glued together ("Kyiv and
   Kharkiv") are split when every part is a place. Every GPE/LOC/FAC is then
   looked up with the article's countries (and US states) as context and gets
   ``kb`` (GeoNames id, coordinates, country, kind); the context comes from
   the places that resolve on their own to a country, a US state, a capital
   or a city of 100,000+. Mentions resolving to one GeoNames feature are one
   entity ("Kiev" and "Kyiv").
5. **Name chains.** Mentions of one person are merged: a shorter name that is
   the end of a longer one ("Tayyip Erdoğan", "Erdoğan"), the first and last
   names of a longer one, or a bare first name, when exactly one full name in
   the article fits. Two people sharing a surname stay two entities; a bare
   surname then joins the most recently mentioned of them only when that one
   was mentioned in the same or the previous sentence and the other not since,
   and otherwise stays an entity of its own. A bare surname whose honorific
   or role tells the other sex than the one full name's ("Mr. Trump",
   "Melania Trump, the first lady") shows a second person of that name: then
   only bare names whose cue agrees join, the others stay one entity of their
   own. A bare surname in the running text long before the only full name is
   written ("Gigante" all through, "Louis Gigante", his brother, at the end)
   is not guessed either. "Jr."/"Sr." do not hide the surname ("Comeaux" of
   "Arcade Joseph Comeaux Jr."), but a junior never joins his father's name;
   a quoted nickname is not part of the name ("Vincent 'Chin' Gigante").
   Names the model did not tag are found from the ones it did ("Recep Tayyip
   Erdoğan" untagged, "Erdoğan" tagged later), and a single word it typed
   otherwise that is the surname of one person joins that person. Finally,
   one name has one type per article: groups whose mentions all read the
   same join the place the gazetteer resolved, else the type most of their
   mentions carry.
6. **Role references.** "the Turkish president", "the foreign minister",
   "Turkey's president" become mentions (text as written) of the one person
   whose labels carry that role. A nationality must agree with the holder's
   affiliation when the holder has one; an organisation ("the president of
   Acme") must agree with one. When no person or several fit, nothing is
   linked. Roles qualified by "vice", "deputy", "former"… never match the bare
   role. Known limit: with a single "President X" whose nationality is not
   written, "the president of Russia" links to X.

Demonyms stay NORP ("Turkish", "Ukrainians"); they are not merged with the
country. Mentions never overlap; entities come in order of first mention;
their ids are ``make_id("ent", article_id, type, name)`` where ``name`` is
the fullest name used in the article (for places, ties go to the GeoNames
spelling).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from parallax.ids import make_id
from parallax.records import Entity, Mention
from parallax.stages.places import Gazetteer, Place, fold_name

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["SKIPPED_LABELS", "find_entities"]

SKIPPED_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_RELABELLED = frozenset(
    {"PERSON", "ORG", "LOC", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}
)

# Words of address: cut from a name, not kept as labels.
_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "messrs", "mme", "mlle", "madam", "madame", "monsieur"}
)
# Nouns that name a role; before a name they are a title, after "the" a role reference.
_ROLE_WORDS = """
    president president-elect vice-president premier minister secretary secretary-general
    chancellor vice-chancellor king queen prince princess emperor empress pope sheikh emir
    sultan shah ayatollah governor gov senator sen representative rep congressman
    congresswoman lawmaker legislator mp mep mayor ambassador envoy consul general gen
    lieutenant lt colonel col major maj captain capt admiral adm sergeant sgt marshal
    commander cmdr brigadier commissioner director director-general chairman chairwoman
    chairperson chair ceo founder co-founder spokesman spokeswoman spokesperson judge
    justice attorney attorney-general prosecutor leader speaker deputy dr doctor professor
    prof rev reverend father bishop archbishop cardinal imam rabbi patriarch coach manager
    striker midfielder defender goalkeeper batsman bowler all-rounder skipper sir dame lord
    lady inspector superintendent detective det chief head adviser advisor aide counsel
    official economist analyst candidate nominee hopeful incumbent challenger front-runner
    frontrunner
"""
_ROLE_HEADS = frozenset(_ROLE_WORDS.split())
# Words that qualify a role inside a title ("Deputy Prime Minister", "Minister for
# Foreign Affairs", "Secretary of State"); lower-case forms.
_MODIFIER_WORDS = """
    foreign interior defence defense finance justice health home state energy education
    trade economy economic economics agriculture labour labor transport environment culture
    sports sport security national chief supreme acting former deputy vice prime first grand
    executive managing assistant associate senior junior majority minority affairs homeland
    veterans treasury commerce development international internal external public general
    crown opposition party presidential press communications military army navy air force
    police intelligence foreign-affairs central bank federal regional provincial district
    high court interim caretaker outgoing incoming
"""
_MODIFIERS = frozenset(_MODIFIER_WORDS.split())
# Qualifiers that make a different role ("vice president" is not "the president").
_OTHER_ROLE = frozenset(
    {
        "vice",
        "deputy",
        "former",
        "ex",
        "assistant",
        "associate",
        "under",
        "junior",
        "outgoing",
        "incoming",
        "late",
        "then",
    }
)
_CONNECTORS = frozenset({"of", "for", "the", "and", "on", "&"})
# Honorifics and role words that tell a person's sex; suffixes of generation.
_MALE = frozenset(
    "mr messrs monsieur sir lord king prince emperor duke chairman congressman spokesman "
    "husband father son brother boyfriend widower".split()
)
_FEMALE = frozenset(
    "mrs ms miss madam madame mme mlle dame lady queen princess empress duchess chairwoman "
    "congresswoman spokeswoman actress wife mother daughter sister girlfriend widow".split()
)
_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})
_QUOTES = frozenset({"'", '"', "\u2018", "\u2019", "\u201c", "\u201d", "``", "''"})
# Lines that open an article (headline, dateline, lede): a bare surname there may come
# before the full name is written; later in the text it may not.
_OPENING_SENTENCES = 3
# ... nor a few sentences before it ("Gigante pleaded guilty. ... Vincent Gigante, 77, ...").
_NEAR_SENTENCES = 3
# Verbs that headlines put between two names, in their base form.
_HEADLINE_VERBS = frozenset(
    """
    beat defeat edge top rout down stun upset win lose tie draw face meet play host visit
    sign hire fire name nominate appoint pick replace succeed join leave quit resign retire
    sue charge arrest jail convict sentence acquit kill shoot attack hit strike slam blast
    criticise criticize praise back endorse reject accept urge warn tell ask call say
    buy acquire sell merge launch unveil announce reverse overturn block ban approve
    die check return
    """.split()
)
# Words that end a name's first part when the name goes on ("Bank of America").
_NAME_GOES_ON = frozenset({"of", "for", "on"})
_JOINERS = frozenset({"and", "&", "vs", "v", "versus", "with", "at", "to", "over", "after"})
_LOCATIVE = frozenset(
    {
        "in",
        "from",
        "near",
        "outside",
        "across",
        "inside",
        "around",
        "into",
        "toward",
        "towards",
        "to",
        "at",
        "via",
        "through",
        "throughout",
        "between",
        "of",
    }
)
_STRONG_LOCATIVE = frozenset({"in", "from", "near", "outside", "inside", "around", "across"})
_POSSESSIVE = frozenset({"'s", "\u2019s", "'", "\u2019", "s"})
_PARTY = re.compile(r"\s*\(\s*([DRI])\s*[-\u2013]\s*([A-Z][A-Za-z.]{0,14})\s*\)")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&.\-]{0,10}[A-Za-z.]$")
_BIG_CITY = 1_000_000  # a city this big is known anywhere
_DASHES = frozenset({"-", "\u2013", "\u2014", "--"})
_NO_NUMBERS = frozenset({"PERSON", "GPE", "LOC", "NORP", "FAC", "ORG"})  # no digits at their edges
_PROPER_END = frozenset({"PERSON", "GPE", "LOC", "NORP", "FAC", "ORG"})  # end on a capital
_COMMON_WORD_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})
_SCORE = re.compile(r"^\d+(?:[-\u2013/.:]\d+)+$")
_MIN_CITY = 100_000  # a city this big is a "major city"
_MIN_CONTEXT_CITY = 15_000  # ... or this big in a country the article names


@dataclass(eq=False)
class _Span:
    start: int  # token index
    end: int  # exclusive
    label: str
    origin: str = "ner"  # ner, acronym, acronym-use, gazetteer, chain, role
    roles: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    group: str | None = None  # forced group key
    place: Place | None = None
    titled: bool = False


@dataclass(eq=False)
class _Group:
    key: str
    label: str
    spans: list[_Span] = field(default_factory=list)
    place: Place | None = None


def find_entities(
    doc: Doc, article_id: str, *, gazetteer: Gazetteer | None = None
) -> tuple[Entity, ...]:
    """Return the entities named in ``doc`` (one article), ordered by first mention."""
    return _Finder(doc, article_id, gazetteer).run()


class _Finder:
    """One pass over one document; the object holds the per-document working state."""

    def __init__(self, doc: Doc, article_id: str, gazetteer: Gazetteer | None) -> None:
        self.doc = doc
        self.text: str = doc.text
        self.article_id = article_id
        self.gazetteer = gazetteer
        self.n = len(doc)
        self.has_tags = bool(self.n) and doc.has_annotation("TAG")
        self.has_deps = bool(self.n) and doc.has_annotation("DEP")
        self.sent = self._sentence_ids()
        self.first = self._sentence_starts()  # first token of each token's sentence
        self.in_ent = [""] * self.n  # label of any spaCy entity (dates too) over a token
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                self.in_ent[i] = ent.label_
        self.stop = _stop_words()
        self.context: set[str] = set()
        self.acronyms: dict[str, str] = {}  # acronym text -> group key
        self.person_acronyms: dict[str, _Span] = {}  # group key -> the person's long form
        self._upper_lines: dict[int, bool] = {}
        self._lower_words: set[str] | None = None
        self._inner_names: dict[str, list[int]] | None = None

    # ----------------------------------------------------------------- driver
    def run(self) -> tuple[Entity, ...]:
        if not self.n:
            return ()
        spans = [
            _Span(ent.start, ent.end, ent.label_)
            for ent in self.doc.ents
            if ent.label_ not in SKIPPED_LABELS
        ]
        spans = [s for span in spans for s in self._trim(span)]
        spans = self._acronyms(spans)
        spans = self._nicknames(spans)
        spans = self._people(spans)
        if self.gazetteer is not None:
            spans = self._places(spans)
        spans = self._split_headlines(spans)
        spans = _without_overlaps(spans)
        groups = self._group(spans)
        self._role_references(groups, spans)
        return self._entities(groups)

    # ----------------------------------------------------------------- helpers
    def _sentence_ids(self) -> list[int]:
        ids = [0] * self.n
        if not self.n:
            return ids
        use_sents = self.doc.has_annotation("SENT_START")
        current = 0
        for i, token in enumerate(self.doc):
            if i and ((use_sents and token.is_sent_start) or "\n" in self.doc[i - 1].text_with_ws):
                current += 1
            ids[i] = current
        return ids

    def _sentence_starts(self) -> list[int]:
        starts = [0] * self.n
        for i in range(1, self.n):
            starts[i] = starts[i - 1] if self.sent[i] == self.sent[i - 1] else i
        return starts

    def _chars(self, start: int, end: int) -> tuple[int, int]:
        first, last = self.doc[start], self.doc[end - 1]
        return first.idx, last.idx + len(last.text)

    def _span_text(self, start: int, end: int) -> str:
        a, b = self._chars(start, end)
        return self.text[a:b]

    def _lower(self, i: int) -> str:
        return self.doc[i].lower_.rstrip(".")

    def _is_cap(self, i: int) -> bool:
        text = self.doc[i].text
        return bool(text) and text[0].isupper() and any(ch.isalpha() for ch in text)

    def _is_name_like(self, i: int) -> bool:
        token = self.doc[i]
        if not self._is_cap(i) or token.is_punct or token.is_space:
            return False
        if self.has_tags and token.tag_ not in ("NNP", "NNPS"):
            return False
        return token.lower_ not in self.stop

    def _is_role_head(self, i: int) -> bool:
        return self._lower(i) in _ROLE_HEADS

    # ----------------------------------------------------------------- 1 spans
    def _trim(self, span: _Span) -> list[_Span]:
        """Repair one model span; may split it (line breaks, " - ", brackets) or drop it."""
        doc = self.doc
        pieces: list[tuple[int, int]] = []
        piece_start = span.start
        for i in range(span.start, span.end):
            token = doc[i]
            breaks_after = i + 1 < span.end and "\n" in token.whitespace_
            if (
                "\n" in token.text
                or token.text in ("(", ")", "[", "]")
                or (
                    token.text in _DASHES and token.whitespace_ and i > 0 and doc[i - 1].whitespace_
                )
            ):
                pieces.append((piece_start, i))
                piece_start = i + 1
            elif breaks_after or self.sent[i] != self.sent[min(i + 1, span.end - 1)]:
                pieces.append((piece_start, i + 1))
                piece_start = i + 1
        pieces.append((piece_start, span.end))
        kept: list[_Span] = []
        for start, end in pieces:
            trimmed = self._trim_piece(span.label, start, end)
            if trimmed is None:
                continue
            piece = _Span(trimmed[0], trimmed[1], span.label, origin=span.origin)
            if span.label == "PERSON":
                self._split_inner_title(piece)
            if piece.start < piece.end:
                kept.append(piece)
        return kept

    def _trim_piece(self, label: str, start: int, end: int) -> tuple[int, int] | None:
        doc = self.doc
        numeric_edges = label in _NO_NUMBERS
        if (
            end - start > 2
            and doc[start].text.isalpha()
            and doc[start].text.islower()
            and (doc[start + 1].text in _DASHES and not doc[start].whitespace_)
        ):
            start += 2  # "ex-England", "pro-Kremlin"
        while start < end:
            token = doc[start]
            lower = token.lower_
            if (
                token.is_punct
                or token.is_space
                or lower in ("the", "a", "an")
                or (label == "PERSON" and lower.rstrip(".") in _HONORIFICS)
                or (numeric_edges and _is_number(token.text))
            ):
                start += 1
                continue
            break
        while end > start:
            token = doc[end - 1]
            text = token.text
            if (
                token.is_punct
                or token.is_space
                or token.lower_ in _POSSESSIVE
                or ((numeric_edges or label == "ORG") and _SCORE.match(text))
                or (numeric_edges and _is_number(text))
                or (label in _PROPER_END and text.isalpha() and text.islower() and end - 1 > start)
            ):
                end -= 1
                continue
            break
        if start >= end:
            return None
        text = self._span_text(start, end)
        if not any(ch.isupper() for ch in text):
            return None  # names are capitalised: "communists", "division"
        if end - start == 1 and self.has_tags and label in _COMMON_WORD_LABELS:
            token = doc[start]
            at_line_start = start == 0 or self.sent[start - 1] != self.sent[start]
            if (
                at_line_start
                and token.tag_ not in ("NNP", "NNPS")
                and not (self.gazetteer is not None and self._is_prominent_place(token.text))
                and not self._written_as_name(start)
            ):
                return None  # "Automakers ...", "Attendance :" at the start of a line
        return start, end

    def _split_inner_title(self, span: _Span) -> None:
        """Cut a title the model put inside a PERSON span ("President Joe Biden")."""
        cut = -1
        for i in range(span.start, span.end - 1):
            lower = self._lower(i)
            if lower in _ROLE_HEADS or lower in _HONORIFICS:
                cut = i
            elif lower in _MODIFIERS or lower in _CONNECTORS:
                continue
            else:
                break
        if cut < 0:
            return
        # Words of a portfolio after "of"/"for" belong to the title too.
        i = cut + 1
        if i < span.end - 1 and self._lower(i) in ("of", "for"):
            j = i + 1
            while j < span.end - 1 and (
                self._lower(j) in _MODIFIERS or self._lower(j) in _CONNECTORS
            ):
                j += 1
            if j > i + 1:
                cut = j - 1
        if not self._is_cap(cut + 1):
            return
        role = self._span_text(span.start, cut + 1)
        if fold_name(role) not in _HONORIFICS:
            span.roles.append(role)
        span.titled = True
        span.start = cut + 1

    # ----------------------------------------------------------------- 2 acronyms
    def _acronyms(self, spans: list[_Span]) -> list[_Span]:
        doc, n = self.doc, self.n
        added: list[_Span] = []
        for i in range(1, n - 1):
            if doc[i - 1].text != "(" or doc[i + 1].text != ")":
                continue
            acronym = doc[i].text
            letters = "".join(ch for ch in acronym if ch.isalpha())
            if not _ACRONYM.match(acronym) or sum(ch.isupper() for ch in acronym) < 2:
                continue
            if len(letters) < 2 or acronym in self.acronyms:
                continue
            long_start = self._long_form(i - 1, letters.upper())
            if long_start < 0:
                continue
            label = "ORG"  # unless the model typed the name: "Democratic Republic of Congo"
            for span in spans:
                if span.start < i - 1 and span.end > long_start:
                    label = span.label
                    break
            if self.gazetteer is not None:
                place = self.gazetteer.lookup(self._span_text(long_start, i - 1))
                if place is not None and place.kind == "country":
                    label = "GPE"
            key = f"{label}:{fold_name(self._span_text(long_start, i - 1))}"
            self.acronyms[acronym] = key
            long_form = _Span(long_start, i - 1, label, origin="acronym", group=key)
            if label == "PERSON":  # "Alexandria Ocasio-Cortez (AOC)": the name chains as usual
                long_form.group = None
                self.person_acronyms[key] = long_form
            added.append(long_form)
            added.append(_Span(i, i + 1, label, origin="acronym-use", group=key))
        if not added:
            return spans
        kept = [s for s in spans if not any(_overlap(s, a) for a in added)]
        kept.extend(added)
        # Later uses of a defined acronym, tagged or not.
        taken = _coverage(kept, n)
        extra: list[_Span] = []
        for i, token in enumerate(doc):
            use = self.acronyms.get(token.text)
            if use is None:
                continue
            owner = taken[i]
            if owner is None:
                extra.append(_Span(i, i + 1, use.split(":", 1)[0], origin="acronym-use", group=use))
            elif owner.start == i and owner.end == i + 1 and owner.group is None:
                owner.group = use
                owner.label = use.split(":", 1)[0]
                owner.origin = "acronym-use"
        return kept + extra

    def _long_form(self, paren: int, letters: str) -> int:
        """Return the start token of the name that ``letters`` abbreviates, or -1."""
        lowest = max(0, paren - len(letters) - 6)
        for start in range(paren - 1, lowest - 1, -1):
            if self.sent[start] != self.sent[paren]:
                break
            words = [self.doc[k].text for k in range(start, paren)]
            if not words or words[0].lower() in _CONNECTORS or not words[0][:1].isupper():
                continue
            if _spells(words, letters):
                return start
        return -1

    # ----------------------------------------------------------------- 3 people
    def _nicknames(self, spans: list[_Span]) -> list[_Span]:
        """Vincent 'The Chin' Gigante: a given name, a quoted nickname and a surname.

        The model often cuts such a name at the quotes ("Vincent" and "Chin'
        Gigante"). When a capitalised name word, a quoted run of one to three
        capitalised words and a capitalised name word follow each other, and
        the model tagged a person over one end and nothing else over either,
        the whole run is one person's name (the nickname is dropped from the
        name's words, see ``_words``).
        """
        covered = _coverage(spans, self.n)
        added: list[_Span] = []
        for q in range(1, self.n - 3):
            if self.doc[q].text not in _QUOTES or self.doc[q - 1].whitespace_ != " ":
                continue
            close = next(
                (c for c in range(q + 2, min(q + 5, self.n - 1)) if self.doc[c].text in _QUOTES),
                None,
            )
            if close is None or not all(
                self.doc[k].is_alpha and self._is_cap(k) for k in range(q + 1, close)
            ):
                continue
            given, surname = covered[q - 1], covered[close + 1]
            if given is None and surname is None:
                continue  # the model saw no person here
            if not all(
                span.label == "PERSON"
                if span is not None
                else self._is_name_like(k) and not self._is_role_head(k)
                for span, k in ((given, q - 1), (surname, close + 1))
            ):
                continue  # a tagged end must be a person, an untagged one a name word
            start = given.start if given is not None else q - 1
            end = surname.end if surname is not None else close + 2
            if start < q - 1 - 3 or end > close + 1 + 3:
                continue
            added.append(_Span(start, end, "PERSON"))
        return spans + added if added else spans

    def _people(self, spans: list[_Span]) -> list[_Span]:
        taken = _coverage(spans, self.n)
        dropped: set[int] = set()
        for span in spans:
            if span.label != "PERSON" and self._is_titled_name(span):
                span.label = "PERSON"  # "Chancellor Olaf Scholz", tagged ORG by the model
            if span.label != "PERSON":
                continue
            if not span.titled:
                self._extend_left(span, taken)
            self._title_before(span, spans, taken, dropped)
            self._party_after(span, spans, dropped)
            if self.has_deps:
                self._appositions(span, taken)
        return [s for s in spans if id(s) not in dropped]

    def _is_titled_name(self, span: _Span) -> bool:
        """True for a short capitalised span right after a capitalised title word."""
        i = span.start - 1
        if span.group is not None or i < 0 or span.end - span.start > 3:
            return False
        title = self.doc[i]
        if not title.text[:1].isupper() or self.sent[i] != self.sent[span.start]:
            return False
        if self._lower(i) not in _ROLE_HEADS and self._lower(i) not in _HONORIFICS:
            return False
        if not all(
            self.doc[k].is_title and self.doc[k].is_alpha for k in range(span.start, span.end)
        ):
            return False
        return not self._is_prominent_place(self._span_text(span.start, span.end))

    def _extend_left(self, span: _Span, taken: list[_Span | None]) -> None:
        for _ in range(2):
            i = span.start - 1
            if i < 0 or self.in_ent[i] or taken[i] is not None:
                return
            token = self.doc[i]
            if token.whitespace_ != " " or self.sent[i] != self.sent[span.start]:
                return
            lower = self._lower(i)
            if lower in _ROLE_HEADS or lower in _HONORIFICS or lower in _MODIFIERS:
                return
            if not self._is_name_like(i) or not token.is_title:
                return
            if self._is_prominent_place(token.text):
                return
            span.start = i
            taken[i] = span

    def _title_before(
        self, span: _Span, spans: list[_Span], taken: list[_Span | None], dropped: set[int]
    ) -> None:
        """Find "Polish Foreign Minister" / "Secretary of State" left of the name."""
        i = span.start - 1
        if i < 0 or self.sent[i] != self.sent[span.start]:
            return
        head = -1
        if self._is_role_head(i) or self._lower(i) in _HONORIFICS:
            head = i
        else:
            # "Secretary of State", "Minister for Foreign Affairs": portfolio words after of/for.
            j = i
            while j >= 0 and j > i - 5 and self.sent[j] == self.sent[span.start]:
                lower = self._lower(j)
                if lower in ("of", "for") and j > 0 and self._is_role_head(j - 1):
                    head = j - 1
                    break
                if not (self._is_cap(j) or lower in _CONNECTORS):
                    break
                j -= 1
            if head < 0:
                return
        if (
            self.doc[head].text.islower()
            and self.has_tags
            and self.doc[head].tag_ not in ("NN", "NNP")
        ):
            return  # "to head Smith's team"
        lowercase_head = self.doc[head].text.islower()
        k = head
        while k - 1 >= 0 and self.sent[k - 1] == self.sent[span.start]:
            prev = self.doc[k - 1]
            lower = self._lower(k - 1)
            owner = taken[k - 1]
            if owner is not None and (
                owner.label == "PERSON" or owner.end - owner.start > 1 or lower not in _MODIFIERS
            ):
                break  # an entity ("Polish", "Green Party"): the affiliation; "Interior" is not one
            if lower in _MODIFIERS or lower in _ROLE_HEADS:
                k -= 1
                continue
            if (
                self._is_cap(k - 1)
                and not prev.is_punct
                and not lowercase_head
                and (lower not in self.stop)
                and not self._is_prominent_place(prev.text)
            ):
                k -= 1
                continue
            break
        title_start, title_end = k, span.start
        role = self._span_text(title_start, title_end)
        honorific_only = all(self._lower(t) in _HONORIFICS for t in range(title_start, title_end))
        if not honorific_only:
            span.roles.append(role)
        span.titled = True
        # Entities the model found inside the title are affiliations or nothing.
        seen: set[int] = set()
        for t in range(title_start, title_end):
            other = taken[t]
            if other is None or other is span or id(other) in seen or other.label == "PERSON":
                continue
            seen.add(id(other))
            if other.start < title_start or other.end > title_end:
                continue
            proper = any(self._lower(x) not in _MODIFIERS for x in range(other.start, other.end))
            if other.start > head:  # inside "of State": a portfolio unless it is a place
                proper = proper and other.label in ("GPE", "NORP")
            if proper:
                span.affiliations.append(self._span_text(other.start, other.end))
            else:
                dropped.add(id(other))
                for x in range(other.start, other.end):
                    taken[x] = None
        # The affiliation just left of the title: "Polish", "U.S.", "Turkey's".
        a = title_start - 1
        if a >= 0 and self.doc[a].lower_ in _POSSESSIVE:
            a -= 1
        if a >= 0 and taken[a] is not None and taken[a] is not span:
            owner = taken[a]
            assert owner is not None
            if owner.label in ("NORP", "GPE", "ORG", "LOC") and owner.end in (title_start, a + 1):
                span.affiliations.append(self._span_text(owner.start, owner.end))

    def _party_after(self, span: _Span, spans: list[_Span], dropped: set[int]) -> None:
        _, end_char = self._chars(span.start, span.end)
        match = _PARTY.match(self.text, end_char)
        if not match:
            return
        span.affiliations.append(f"{match.group(1)}-{match.group(2)}")  # "D-NY"
        stop = match.end()
        for other in spans:
            if (
                other is not span
                and self.doc[other.start].idx >= end_char
                and self.doc[other.start].idx < stop
            ):
                dropped.add(id(other))

    def _appositions(self, span: _Span, taken: list[_Span | None]) -> None:
        doc = self.doc
        root = doc[span.end - 1]
        heads: list[int] = []
        for child in root.children:
            if child.dep_ == "appos" and child.i >= span.end and self._is_role_head(child.i):
                heads.append(child.i)
        if root.dep_ == "appos" and root.head.i < span.start and self._is_role_head(root.head.i):
            heads.append(root.head.i)
        for h in heads:
            head = doc[h]
            if head.tag_ in ("NNS", "NNPS"):
                continue
            start = h
            for child in sorted(head.lefts, key=lambda t: -t.i):
                if (
                    child.i == start - 1
                    and child.dep_ in ("compound", "amod")
                    and taken[child.i] is None
                ):
                    start = child.i
            span.roles.append(self._span_text(start, h + 1))
            for child in head.children:
                target = child
                if child.dep_ == "prep" and child.lower_ in ("for", "of", "at", "to"):
                    objects = [c for c in child.children if c.dep_ == "pobj"]
                    if not objects:
                        continue
                    target = objects[0]
                elif child.dep_ not in ("poss", "amod", "compound", "nmod"):
                    continue
                owner = taken[target.i]
                if (
                    owner is not None
                    and owner is not span
                    and owner.label in ("GPE", "NORP", "ORG", "LOC")
                ):
                    span.affiliations.append(self._span_text(owner.start, owner.end))

    # ----------------------------------------------------------------- 4 places
    def _is_prominent_place(self, text: str) -> bool:
        if self.gazetteer is None:
            return False
        place = self.gazetteer.lookup(text)
        return place is not None and _prominent(place)

    def _places(self, spans: list[_Span]) -> list[_Span]:
        gazetteer = self.gazetteer
        assert gazetteer is not None
        person_words = self._person_words(spans)
        spans = [piece for span in spans for piece in self._split_list(span)]
        spans = [piece for span in spans for piece in self._split_headline(span)]
        # Countries the model's own place spans name: evidence for smaller places.
        for span in spans:
            if span.label in ("GPE", "LOC"):
                place = gazetteer.lookup(self._span_text(span.start, span.end))
                if place is not None and place.country and _prominent(place):
                    self.context.add(place.country)
        for index, span in enumerate(spans):
            if span.label not in _RELABELLED or span.group is not None:
                continue
            text = self._span_text(span.start, span.end)
            place = gazetteer.lookup(text, countries=self.context)
            if place is None or not self._is_place_here(span, index, spans, place, person_words):
                continue
            span.label = "LOC" if place.kind == "continent" else "GPE"
        spans.extend(self._missed_places(spans, person_words))
        # Context: countries (and US states) the article names on their own.
        first: dict[int, Place | None] = {}
        for index, span in enumerate(spans):
            if span.label not in _PLACE_LABELS:
                continue
            place = gazetteer.lookup(self._span_text(span.start, span.end))
            first[index] = place
            if (
                place is not None
                and place.country
                and (place.kind in ("country", "admin1") or _prominent(place))
            ):
                self.context.add(place.country)
                if place.kind == "admin1" and place.admin1:
                    self.context.add(f"{place.country}-{place.admin1}")
        for index, span in enumerate(spans):
            if span.label in _PLACE_LABELS and index in first:
                span.place = gazetteer.lookup(
                    self._span_text(span.start, span.end), countries=self.context
                )
        return spans

    def _is_place_here(
        self, span: _Span, index: int, spans: list[_Span], place: Place, person_words: set[str]
    ) -> bool:
        """Decide whether a span the model typed otherwise is the place it names."""
        label = span.label
        if self._is_dateline(span.start, span.end) and (
            place.kind in ("country", "admin1") or place.population >= _MIN_CONTEXT_CITY
        ):
            return True
        if label in ("GPE", "LOC"):
            return _prominent(place)
        text = fold_name(self._span_text(span.start, span.end))
        if label == "PERSON" and (
            span.titled or span.roles or span.affiliations or text in person_words
        ):
            return False
        if place.kind in ("country", "continent"):
            return True
        if label in ("NORP", "FAC"):
            return place.capital
        located = self._after_locative(span.start, strong=True) or self._listed_with_place(
            span, index, spans
        )
        if place.kind == "admin1":
            return located or place.country in self.context
        big = place.capital or place.population >= _BIG_CITY
        supported = place.country in self.context and (
            place.population >= _MIN_CITY or (located and place.population >= _MIN_CONTEXT_CITY)
        )
        if label == "ORG":  # clubs are named after cities: "Barcelona signed a striker"
            return located and (big or supported or place.population >= _MIN_CITY)
        if place.population >= _MIN_CITY and self._after_locative(span.start):
            return True  # "left Mariupol for Zaporizhzhia"
        return big or supported

    def _listed_with_place(self, span: _Span, index: int, spans: list[_Span]) -> bool:
        """True for "Kiev and Odessa": the span follows a place across "and" or a comma."""
        j = span.start - 1
        if j < 1 or self.doc[j].lower_ not in ("and", ",", "or"):
            return False
        for other in spans[max(0, index - 3) : index]:
            if other.end == j and other.label in _PLACE_LABELS:
                return True
        return False

    def _person_words(self, spans: list[_Span]) -> set[str]:
        words: set[str] = set()
        for span in spans:
            if span.label == "PERSON" and span.end - span.start >= 2:
                text = self._span_text(span.start, span.end)
                if self._is_prominent_place(text):
                    continue  # "Sri Lanka" tagged PERSON is no evidence of a person
                words.add(fold_name(text))
                for i in range(span.start, span.end):
                    words.add(fold_name(self.doc[i].text))
        return words

    def _split_list(self, span: _Span) -> list[_Span]:
        """Split "Kyiv and Kharkiv" when every part is a place."""
        if span.group is not None or span.label == "PERSON" or span.end - span.start < 3:
            return [span]
        cuts = [
            i for i in range(span.start, span.end) if self.doc[i].lower_ in ("and", ",", "&", "or")
        ]
        if not cuts:
            return [span]
        parts: list[tuple[int, int]] = []
        begin = span.start
        for cut in cuts:
            parts.append((begin, cut))
            begin = cut + 1
        parts.append((begin, span.end))
        parts = [(a, b) for a, b in parts if b > a]
        assert self.gazetteer is not None
        places = [self.gazetteer.lookup(self._span_text(a, b)) for a, b in parts]
        if len(parts) < 2 or any(p is None or p.population < _MIN_CONTEXT_CITY for p in places):
            return [span]
        return [
            _Span(
                a,
                b,
                "LOC" if p is not None and p.kind == "continent" else "GPE",
                origin="gazetteer",
            )
            for (a, b), p in zip(parts, places, strict=True)
        ]

    def _split_headline(self, span: _Span) -> list[_Span]:
        """In a headline set in capitals, keep only the countries of a garbled span."""
        if (
            span.group is not None
            or span.label in _PLACE_LABELS
            or not self._upper_line(span.start)
        ):
            return [span]
        assert self.gazetteer is not None
        if self.gazetteer.lookup(self._span_text(span.start, span.end)) is not None:
            return [span]
        found = self._places_in_capitals(span.start, span.end)
        return found or [span]

    def _split_headlines(self, spans: list[_Span]) -> list[_Span]:
        """Cut a span that is a headline around names into the names it holds.

        "Colts Beat Chiefs", "Obama To Nominate Regina Benjamin", "Lindsay Lohan
        Checks Into Rehab", "Chargers Jamal Williams": a span whose own words are
        named nowhere else in the article, but whose parts are names the article
        uses on their own (or the end of one: "Chargers" of "San Diego
        Chargers"), with headline words around them, keeps only those parts.
        Headline words are verbs (tagged so, or used as verbs in the article's
        running text: "Checks" / "checked"), stop words, role words and words the
        article writes in lower case. The split needs a verb or a conjunction
        between two names, a verb right after the last name, or two adjacent
        names, one an organisation and one a person ("Chargers" ORG, "Jamal
        Williams" PERSON; a place and a team, "San Diego Chargers", stay whole).
        After a person's name in a title-case headline, common words ending in a
        plural are cut too ("James Comey Memos"); "Trump's National Economic
        Council" becomes the person and the council.
        Never split: a name that goes on after a connector ("Bank of America",
        "University of Texas"), two adjacent names of one type ("Hillary
        Clinton"), a name followed by a plain noun ("Betty Ford Center").
        """
        candidates = [
            s for s in spans if s.end - s.start >= 2 and s.group is None and s.origin == "ner"
        ]
        if not candidates:
            return spans
        known: dict[tuple[str, ...], list[_Span]] = {}
        for span in spans:
            words = self._words(span)
            if words:
                known.setdefault(words, []).append(span)
        suffixes: dict[tuple[str, ...], list[_Span]] = {}
        for words, owners in known.items():
            for k in range(1, len(words)):
                suffixes.setdefault(words[k:], []).extend(owners)
        verbs: set[str] | None = None
        replaced: dict[int, list[_Span]] = {}
        for span in candidates:
            words = self._words(span)
            if len(known.get(words, ())) > 1:
                continue  # the whole name is used elsewhere
            pieces = self._possessive_pieces(span, known, suffixes)
            if pieces is not None:
                replaced[id(span)] = pieces
                continue
            if len(words) != span.end - span.start:
                continue  # punctuation inside
            if verbs is None:
                verbs = self._article_verbs()
            pieces = self._headline_pieces(span, known, suffixes, verbs)
            if pieces is not None:
                replaced[id(span)] = pieces
        if not replaced:
            return spans
        out: list[_Span] = []
        for span in spans:
            out.extend(replaced.get(id(span), (span,)))
        return out

    def _possessive_pieces(
        self,
        span: _Span,
        known: dict[tuple[str, ...], list[_Span]],
        suffixes: dict[tuple[str, ...], list[_Span]],
    ) -> list[_Span] | None:
        """A known person's possessive inside a span: "Trump's National Economic Council"."""
        for p in range(span.start + 1, span.end - 1):
            if self.doc[p].lower_ not in ("'s", "\u2019s") or not self._is_cap(p + 1):
                continue
            words = self._words(_Span(span.start, p, span.label))
            owners = [o for o in known.get(words, ()) if o is not span]
            if not owners:
                owners = [o for o in suffixes.get(words, ()) if o is not span]
                if len({self._words(o) for o in owners}) != 1:
                    return None
            if any(o.label != "PERSON" for o in owners):
                return None
            return [_Span(span.start, p, "PERSON"), _Span(p + 1, span.end, span.label)]
        return None

    def _plural_after_person(self, tail: tuple[int, int], owner: _Span) -> bool:
        """True for "Memos" after "James Comey": common words, the last a plural noun."""
        if owner.label != "PERSON" or not self._title_line(tail[0]):
            return False
        words = [self.doc[i].lower_ for i in range(*tail)]
        lower = self._lower_case_words()
        return (
            all(w in lower for w in words)
            and words[-1].endswith("s")
            and not words[-1].endswith("ss")
            and words[-1][:-1] not in self.stop
        )

    def _title_line(self, i: int) -> bool:
        """True if token ``i`` stands in a headline set in title case (or capitals)."""
        words = upper = 0
        k = self.first[i]
        while k < self.n and self.sent[k] == self.sent[i]:
            text = self.doc[k].text
            if len(text) > 3 and text.isalpha():
                words += 1
                upper += text[0].isupper()
            k += 1
        return words >= 2 and upper == words

    def _written_as_name(self, i: int) -> bool:
        """True if the word at ``i`` opens a sentence but the article writes it as a name.

        "Trump said ..." (a word the tagger reads as a noun at a sentence start)
        is kept when "Trump" is capitalised inside a sentence elsewhere and
        never written in lower case.
        """
        if self.doc[i].lower_ in self._lower_case_words():
            return False
        return self._capitalised_elsewhere(i, _Span(i, i + 1, ""))

    def _capitalised_elsewhere(self, i: int, span: _Span) -> bool:
        """True if the word at ``i`` is written as a name inside a sentence elsewhere."""
        word = self.doc[i].text
        if not word[:1].isupper() or word.lower() in self.stop:
            return False
        if self._inner_names is None:
            self._inner_names = {}
            for k in range(1, self.n):
                text = self.doc[k].text
                if text[:1].isupper() and self.first[k] != k:
                    self._inner_names.setdefault(text, []).append(k)
        return any(
            (k < span.start or k >= span.end) and not self._upper_line(k)
            for k in self._inner_names.get(word, ())
        )

    def _article_verbs(self) -> set[str]:
        """Lower-case forms and lemmas of the verbs in the article's running text."""
        verbs: set[str] = set()
        if not self.has_tags:
            return verbs
        for token in self.doc:
            if token.pos_ == "VERB" and token.text[:1].islower():
                verbs.add(token.lower_)
                verbs.add(token.lemma_.lower())
        return verbs

    def _is_headline_verb(self, i: int, verbs: set[str]) -> bool:
        token = self.doc[i]
        if token.tag_.startswith("VB") and token.lower_ not in self.stop:
            return True
        lower = token.lower_
        if i == self.first[i] and len(lower) > 6 and lower.endswith(("ing", "ed")):
            return True  # "Following Gigante's conviction", "Including Obama"
        stems = {lower}
        for ending in ("s", "es", "ed", "d", "ing"):
            if lower.endswith(ending) and len(lower) > len(ending) + 2:
                stems.add(lower[: -len(ending)])
        return bool(stems & verbs) or bool(stems & _HEADLINE_VERBS)

    def _is_headline_word(self, i: int, verbs: set[str]) -> bool:
        lower = self._lower(i)
        return (
            lower in self.stop
            or lower in _ROLE_HEADS
            or lower in _MODIFIERS
            or self._is_headline_verb(i, verbs)
            or lower in self._lower_case_words()
        )

    def _lower_case_words(self) -> set[str]:
        if self._lower_words is None:
            self._lower_words = {t.lower_ for t in self.doc if t.text[:1].islower()}
        return self._lower_words

    def _headline_pieces(
        self,
        span: _Span,
        known: dict[tuple[str, ...], list[_Span]],
        suffixes: dict[tuple[str, ...], list[_Span]],
        verbs: set[str],
    ) -> list[_Span] | None:
        """The names inside a headline span, or None if it must stay whole."""
        words = self._words(span)
        n = len(words)
        found: list[tuple[int, int, _Span, bool]] = []  # start, end, owner, exact
        k = 0
        while k < n:
            for j in range(n, k, -1):
                if (j - k) == n:
                    continue
                part = words[k:j]
                owners = [o for o in known.get(part, ()) if o is not span]
                exact = bool(owners)
                if not owners:
                    owners = [o for o in suffixes.get(part, ()) if o is not span]
                    if len({self._words(o) for o in owners}) != 1:
                        if j - k == 1 and self._capitalised_elsewhere(span.start + k, span):
                            owners = [span]  # a word the article writes as a name
                        else:
                            continue  # not the end of a name, or of several
                if self._is_prominent_place(" ".join(words[k:j])) and j - k == 1 and not exact:
                    continue
                found.append((span.start + k, span.start + j, owners[0], exact))
                k = j
                break
            else:
                k += 1
        if not found:
            return None
        # What lies between, before and after the names must be headline words.
        gaps: list[tuple[int, int]] = []
        previous = span.start
        for start, end, _, _ in found:
            gaps.append((previous, start))
            previous = end
        tail = (previous, span.end)
        if any(not self._is_headline_word(i, verbs) for a, b in gaps for i in range(a, b)):
            return None
        lead_start, lead_end = gaps[0]
        if lead_end > lead_start and self._lower(lead_end - 1) in _NAME_GOES_ON:
            return None  # "Bank of America"
        tail_verb = tail[1] > tail[0] and self._is_headline_verb(tail[0], verbs)
        if tail[1] > tail[0] and not tail_verb:
            if not self._plural_after_person(tail, found[-1][2]):
                return None  # "Betty Ford Center"
            tail_verb = True  # "James Comey Memos", "Clinton Emails"
        for (_, end, owner, _), (start, _, next_owner, _) in zip(found, found[1:]):
            between = range(end, start)
            if any(
                self._is_headline_verb(i, verbs) or self._lower(i) in _JOINERS for i in between
            ):
                continue
            labels = {owner.label, next_owner.label}
            if not between and labels == {"PERSON", "ORG"} and span not in (owner, next_owner):
                continue  # "Chargers Jamal Williams", never "San Diego" + "Chargers"
            return None
        lead_verb = self.first[span.start] == span.start and any(
            self._is_headline_verb(i, verbs) for i in range(lead_start, lead_end)
        )
        if len(found) == 1 and not tail_verb and not lead_verb:
            return None  # one name needs a verb after it, or before it at a sentence start
        if all(owner is span for _, _, owner, _ in found):
            return None  # no part is a name the article uses elsewhere
        pieces: list[_Span] = []
        for start, end, owner, exact in found:
            piece = _Span(start, end, owner.label, place=owner.place)
            if owner is span:
                piece.place = None
            elif not exact and owner.label != "PERSON":
                piece.group = owner.group or self._key(owner)
            pieces.append(piece)
        return pieces

    def _after_locative(self, i: int, *, strong: bool = False) -> bool:
        j = i - 1
        if j >= 0 and self.doc[j].lower_ == "the":
            j -= 1
        words = _STRONG_LOCATIVE if strong else _LOCATIVE
        return j >= 0 and self.doc[j].lower_ in words

    def _missed_places(self, spans: list[_Span], person_words: set[str]) -> list[_Span]:
        gazetteer = self.gazetteer
        assert gazetteer is not None
        doc, n = self.doc, self.n
        taken = _coverage(spans, n)
        found: list[_Span] = []
        countries = set(self.context)
        for span in spans:
            if span.label in _PLACE_LABELS:
                place = gazetteer.lookup(self._span_text(span.start, span.end))
                if place is not None and place.kind == "country":
                    countries.add(place.country)
        i = 0
        last_place_end = -10
        while i < n:
            if not self._candidate_word(i, taken):
                i += 1
                continue
            # The run of capitalised words around i.
            j = i
            while (
                j < n
                and self._candidate_word(j, taken)
                and (j == i or doc[j - 1].whitespace_ == " ")
            ):
                j += 1
            run_start, run_end = i, j
            if self._upper_line(run_start):
                found.extend(self._places_in_capitals(run_start, run_end))
                i = run_end
                continue
            if run_end - run_start > 4:
                i = run_end
                continue
            text = self._span_text(run_start, run_end)
            if fold_name(text) in person_words or doc[run_start].lower_ in self.stop:
                i = run_end
                continue
            place = gazetteer.lookup(text, countries=countries)
            if place is not None and self._accept_missed(
                place, run_start, run_end, last_place_end, countries
            ):
                label = "LOC" if place.kind == "continent" else "GPE"
                found.append(_Span(run_start, run_end, label, origin="gazetteer"))
                last_place_end = run_end
            i = run_end
        return found

    def _upper_line(self, i: int) -> bool:
        """True if token ``i`` stands in a headline set in capitals."""
        sent = self.sent[i]
        cached = self._upper_lines.get(sent)
        if cached is None:
            words = upper = 0
            k = self.first[i]
            while k < self.n and self.sent[k] == sent:
                text = self.doc[k].text
                if len(text) > 1 and text.isalpha():
                    words += 1
                    upper += text.isupper()
                k += 1
            cached = self._upper_lines[sent] = words >= 2 and upper == words
        return cached

    def _is_dateline(self, start: int, end: int) -> bool:
        """True for "BONN 1996-08-30", "KYIV, Ukraine", "LONDON (Reuters) -" at a line start."""
        if start and "\n" not in self.doc[start - 1].text_with_ws:
            return False
        if end >= self.n or not all(self.doc[k].text.isupper() for k in range(start, end)):
            return False
        after = self.doc[end].text
        return any(ch.isdigit() for ch in after) or after in (",", "(", *_DASHES)

    def _places_in_capitals(self, start: int, end: int) -> list[_Span]:
        """Countries (and a dateline's city) in a headline set in capitals."""
        assert self.gazetteer is not None
        found: list[_Span] = []
        p = start
        while p < end:
            for size in (3, 2, 1):
                if p + size > end:
                    continue
                place = self.gazetteer.lookup(self._span_text(p, p + size))
                if place is None:
                    continue
                if place.kind == "country" or (
                    self._is_dateline(p, p + size)
                    and (place.kind == "admin1" or place.population >= _MIN_CONTEXT_CITY)
                ):
                    found.append(_Span(p, p + size, "GPE", origin="gazetteer"))
                    p += size
                    break
            else:
                p += 1
        return found

    def _candidate_word(self, i: int, taken: list[_Span | None]) -> bool:
        if taken[i] is not None or self.in_ent[i]:
            return False
        token = self.doc[i]
        text = token.text
        if not text[:1].isupper() or not text.replace("-", "").replace(".", "").isalpha():
            return False
        if token.is_upper and len(text) < 3:
            return False
        return not (self.has_tags and token.tag_ not in ("NNP", "NNPS", "NN", "JJ", "NNS"))

    def _accept_missed(
        self, place: Place, start: int, end: int, last_place_end: int, countries: set[str]
    ) -> bool:
        doc = self.doc
        # Neighbouring capitalised words mean a longer name ("Chad Smith", "Paris Hilton").
        if (
            start - 1 > self.first[start]  # a capitalised first word of a sentence is fine
            and self._is_cap(start - 1)
            and not doc[start - 1].is_punct
        ):
            return False
        if end < self.n and self._is_cap(end) and not doc[end].is_punct and doc[end].text != "'s":
            return False
        if self.has_tags and all(doc[k].tag_ not in ("NNP", "NNPS") for k in range(start, end)):
            upper = all(doc[k].is_upper for k in range(start, end))
            if not upper:
                return False
        if self._is_dateline(start, end) and (
            place.kind in ("country", "admin1") or place.population >= _MIN_CONTEXT_CITY
        ):
            return True
        after_place = start - last_place_end <= 2 and doc[start - 1].lower_ in ("and", ",", "or")
        located = self._after_locative(start) or after_place
        if end < self.n and doc[end].text == "," and end + 1 < self.n:
            located = located or (
                self._is_cap(end + 1)
                and (
                    self.gazetteer is not None
                    and self.gazetteer.lookup(doc[end + 1].text) is not None
                )
            )
        if place.kind in ("country", "continent"):
            return True
        if place.kind == "admin1":
            return located or place.population >= _MIN_CITY
        if not located:
            return place.capital and place.population >= _BIG_CITY
        if place.population >= _MIN_CITY or place.capital:
            return True
        return place.population >= _MIN_CONTEXT_CITY and place.country in countries

    def _group(self, spans: list[_Span]) -> dict[str, _Group]:
        groups: dict[str, _Group] = {}
        people = [s for s in spans if s.label == "PERSON" and s.group is None]
        self._chain_people(people, spans)
        for span in spans:
            long_form = self.person_acronyms.get(span.group or "")
            if long_form is not None and span is not long_form:
                span.group = long_form.group or self._key(long_form)
        for span in sorted(spans, key=lambda s: s.start):
            key = span.group or self._key(span)
            span.group = key
            group = groups.get(key)
            if group is None:
                group = groups[key] = _Group(key=key, label=span.label)
            group.spans.append(span)
            if span.place is not None and group.place is None:
                group.place = span.place
        self._unify_types(groups)
        self._join_initialisms(groups)
        return groups

    def _unify_types(self, groups: dict[str, _Group]) -> None:
        """One name, one type per article: the model's "Chelsea" PERSON joins "Chelsea" GPE.

        Groups whose mentions all read the same are merged: into the place the
        gazetteer resolved if there is one, else into the type most mentions
        carry (the first mention's type on a tie). Person chains with a longer
        name are left alone.
        """
        by_text: dict[str, list[_Group]] = {}
        for group in groups.values():
            texts = {fold_name(self._span_text(s.start, s.end)) for s in group.spans}
            if len(texts) == 1:
                by_text.setdefault(texts.pop(), []).append(group)
        for same in by_text.values():
            same = [g for g in same if g.label != "NORP"]
            if len(same) < 2:
                continue
            placed = [g for g in same if g.place is not None]
            if len(placed) > 1:
                continue
            if placed:
                target = placed[0]
            else:
                target = max(same, key=lambda g: (len(g.spans), -min(s.start for s in g.spans)))
            for group in same:
                if group is target:
                    continue
                for span in group.spans:
                    span.group = target.key
                    span.label = target.label
                target.spans.extend(group.spans)
                del groups[group.key]
            target.spans.sort(key=lambda s: s.start)

    def _key(self, span: _Span) -> str:
        if span.place is not None:
            return f"{span.label}:geonames:{span.place.geonames}"
        return f"{span.label}:{fold_name(self._span_text(span.start, span.end))}"

    def _words(self, span: _Span) -> tuple[str, ...]:
        """Folded words of a span, less a quoted nickname: "Vincent 'The Chin' Gigante"."""
        words: list[str] = []
        outside: list[str] = []
        inside = False
        for i in range(span.start, span.end):
            text = self.doc[i].text
            if text in _QUOTES:
                inside = not inside
                continue
            word = fold_name(text)
            if word:
                words.append(word)
                if not inside:
                    outside.append(word)
        return tuple(outside) if len(outside) >= 2 and len(outside) < len(words) else tuple(words)

    def _chain_people(self, people: list[_Span], spans: list[_Span]) -> None:
        """Merge the mentions of one person; see the module docstring (rule 5)."""
        forms: dict[tuple[str, ...], list[_Span]] = {}
        for span in people:
            words = self._words(span)
            if words:
                forms.setdefault(words, []).append(span)
        # Relabel other single spans that are a person's name (the model's ORG "Erdoğan").
        full = [f for f in forms if len(f) >= 2]
        surname_of: dict[str, set[tuple[str, ...]]] = {}
        for f in full:
            surname_of.setdefault(_surname(f), set()).add(f)
        for span in spans:
            if span.label == "PERSON" or span.group is not None or span.origin == "gazetteer":
                continue
            words = self._words(span)
            if not words:
                continue
            if words in forms or (len(words) == 1 and len(surname_of.get(words[0], ())) == 1):
                if span.label in _PLACE_LABELS and self._after_locative(span.start, strong=True):
                    continue  # "in Jordan", even with Michael Jordan in the article
                span.label = "PERSON"
                span.place = None
                people.append(span)
                forms.setdefault(words, []).append(span)
        # Names the model missed: "Recep Tayyip Erdoğan" untagged, "Erdoğan" tagged later.
        last_words = {_surname(f) for f in forms}
        taken = _coverage(spans, self.n)
        for i in range(self.n):
            if taken[i] is not None or self.in_ent[i]:
                continue
            word = fold_name(self.doc[i].text)
            if word not in last_words or not self._is_name_like(i):
                continue
            if i + 1 < self.n and self._is_cap(i + 1) and not self.doc[i + 1].is_punct:
                continue  # part of a longer name we do not know
            first = i
            while first > 0 and first > i - 3 and self._is_given_name(first - 1, i, taken):
                first -= 1
            new = _Span(first, i + 1, "PERSON", origin="chain")
            spans.append(new)
            people.append(new)
            for k in range(first, i + 1):
                taken[k] = new
            forms.setdefault(self._words(new), []).append(new)
            if first < i:
                surname_of.setdefault(word, set()).add(self._words(new))
        # Long forms: a name not contained in a longer one.
        root_of: dict[tuple[str, ...], tuple[str, ...]] = {}
        ordered = sorted(forms, key=lambda f: (-len(f), min(s.start for s in forms[f])))
        for form in ordered:
            if len(form) < 2:
                continue
            containers = [
                g
                for g in ordered
                if len(g) > len(form)
                and (
                    g[-len(form) :] == form
                    or (len(form) == 2 and g[0] == form[0] and g[-1] == form[-1])
                )
            ]
            roots = {root_of.get(g, g) for g in containers}
            root_of[form] = roots.pop() if len(roots) == 1 else form
        roots = {root_of[f] for f in root_of}
        last_seen: dict[tuple[str, ...], list[tuple[int, int]]] = {}
        for form, form_spans in forms.items():
            if len(form) >= 2:
                root = root_of[form]
                for span in form_spans:
                    span.group = self._person_key(root)
                    last_seen.setdefault(root, []).append((span.start, self.sent[span.start]))
        # Bare single names.
        for form, form_spans in forms.items():
            if len(form) != 1:
                continue
            word = form[0]
            by_surname = sorted(r for r in roots if _surname(r) == word)
            candidates = by_surname or sorted(r for r in roots if r[0] == word)
            if len(candidates) == 1:
                self._join_one(form_spans, candidates[0], people)
                continue
            for span in sorted(form_spans, key=lambda s: s.start):
                chosen = self._most_recent(span, candidates, last_seen) if candidates else None
                span.group = self._person_key(chosen) if chosen else None
                if chosen:
                    last_seen.setdefault(chosen, []).append((span.start, self.sent[span.start]))

    def _join_one(
        self, bare: list[_Span], root: tuple[str, ...], people: list[_Span]
    ) -> None:
        """Join bare names to the one full name that fits, unless the cues disagree.

        A bare name in the running text before the full name is first written
        ("Gigante" all through the article, "Louis Gigante" only at its end) is
        someone the article introduced otherwise: it does not join. Only the
        opening lines (``_OPENING_SENTENCES``: headline, dateline, lede) and the
        few sentences just before the full name (``_NEAR_SENTENCES``) may name a
        person by surname before the full name.

        "Melania Trump, the first lady" and "Mr. Trump": a bare name whose
        honorific or role says another sex than the full name's shows that the
        article speaks of a second person of that name, so only bare names
        whose own cue agrees join; the rest ("President Trump", "Trump") stay
        one entity of their own rather than a guess.
        """
        key = self._person_key(root)
        full = [s for s in people if s.group == key]
        introduced = min((self.sent[s.start] for s in full), default=0)
        sex = {self._sex(s) for s in full} - {None}
        known = sex.pop() if len(sex) == 1 else None
        cues = [self._sex(span) for span in bare]
        clash = known is not None and any(c is not None and c != known for c in cues)
        for span, cue in zip(bare, cues, strict=True):
            here = self.sent[span.start]
            early = here >= _OPENING_SENTENCES and here + _NEAR_SENTENCES < introduced
            if (not clash or cue == known) and not early:
                span.group = key
            else:
                span.group = None

    def _sex(self, span: _Span) -> str | None:
        """"m" or "f" from the honorific before a person's name or a role it carries."""
        i = span.start - 1
        if i >= 0 and self.sent[i] == self.sent[span.start]:
            before = self._lower(i)
            if before in _MALE:
                return "m"
            if before in _FEMALE:
                return "f"
        words = {w for role in span.roles for w in role.lower().split()}
        male, female = bool(words & _MALE), bool(words & _FEMALE)
        if male != female:
            return "m" if male else "f"
        return None

    def _is_given_name(self, k: int, last: int, taken: list[_Span | None]) -> bool:
        """True if token ``k`` can precede the name ending at ``last`` as a given name."""
        token = self.doc[k]
        lower = self._lower(k)
        if taken[k] is not None or self.in_ent[k] or self.sent[k] != self.sent[last]:
            return False
        if lower in _ROLE_HEADS or lower in _HONORIFICS or lower in _MODIFIERS:
            return False
        if not token.is_title or not self._is_name_like(k) or token.whitespace_ != " ":
            return False
        if k == self.first[k] and token.lower_ in self._lower_case_words():
            return False  # "Following Gigante's conviction": a common word opening a sentence
        return not self._is_prominent_place(token.text)

    def _most_recent(
        self,
        span: _Span,
        candidates: Sequence[tuple[str, ...]],
        last_seen: dict[tuple[str, ...], list[tuple[int, int]]],
    ) -> tuple[str, ...] | None:
        here = self.sent[span.start]
        latest: list[tuple[int, int, tuple[str, ...]]] = []
        for candidate in candidates:
            before = [
                (start, sent) for start, sent in last_seen.get(candidate, ()) if start < span.start
            ]
            if before:
                start, sent = max(before)
                latest.append((start, sent, candidate))
        if not latest:
            return None
        latest.sort(reverse=True)
        _, sent, best = latest[0]
        if here - sent > 1:
            return None
        if len(latest) > 1 and latest[1][1] >= sent:
            return None
        if len(latest) > 1 and latest[1][1] >= here - 1:
            return None
        return best

    def _person_key(self, form: tuple[str, ...]) -> str:
        return "PERSON:" + " ".join(form)

    def _join_initialisms(self, groups: dict[str, _Group]) -> None:
        """Join "NATO" to "North Atlantic Treaty Organization" when only one name fits."""
        long_names: dict[str, list[str]] = {}
        for key, group in groups.items():
            if group.label in ("PERSON", "NORP") or group.key in self.acronyms.values():
                continue
            for span in group.spans:
                if span.end - span.start >= 2:
                    long_names.setdefault(key, []).append(self._span_text(span.start, span.end))
        for key, group in list(groups.items()):
            if key not in groups or group.label in ("PERSON", "NORP"):
                continue
            texts = {self._span_text(s.start, s.end) for s in group.spans}
            short = [
                t
                for t in texts
                if " " not in t
                and t.replace(".", "").isupper()
                and 2 <= len(t.replace(".", "")) <= 8
            ]
            if len(short) != len(texts) or not short:
                continue
            letters = short[0].replace(".", "")
            matches = [
                other
                for other, names in long_names.items()
                if other != key
                and groups[other].label == group.label
                and any(_spells(name.split(), letters) for name in names)
            ]
            if len(matches) != 1:
                continue
            target = groups[matches[0]]
            for span in group.spans:
                span.group = target.key
            target.spans.extend(group.spans)
            target.spans.sort(key=lambda s: s.start)
            del groups[key]

    # ----------------------------------------------------------------- 6 roles
    def _role_references(self, groups: dict[str, _Group], spans: list[_Span]) -> None:
        if not self.has_tags:
            return
        holders: list[tuple[_Group, list[tuple[tuple[str, ...], list[str]]]]] = []
        for group in groups.values():
            if group.label != "PERSON":
                continue
            affiliations = [a for s in group.spans for a in s.affiliations]
            roles = [
                (tuple(w for w in fold_name(role).split() if w), affiliations)
                for s in group.spans
                for role in s.roles
            ]
            roles = [(r, a) for r, a in roles if r and r[-1] in _ROLE_HEADS]
            if roles:
                holders.append((group, roles))
        if not holders:
            return
        taken = _coverage(spans, self.n)
        doc = self.doc
        for h in range(self.n):
            token = doc[h]
            if (
                taken[h] is not None
                or not token.text.islower()
                or self._lower(h) not in _ROLE_HEADS
            ):
                continue
            if token.pos_ != "NOUN" or token.tag_ != "NN":
                continue
            if h + 1 < self.n and (self._is_cap(h + 1) or doc[h + 1].pos_ in ("NOUN", "PROPN")):
                continue  # a title before a name, or "president" as a modifier
            if self.has_deps and self._names_a_person(h, taken):
                continue  # "the president, Vladimir Putin," labels the name instead
            start, role_words, qualifiers = self._role_phrase(h, taken)
            if start < 0:
                continue
            end = h + 1
            # "the president of Russia": Russia qualifies the reference and stays a mention.
            if end + 1 < self.n and doc[end].lower_ in ("of", "at") and taken[end + 1] is not None:
                owner = taken[end + 1]
                assert owner is not None
                if owner.label in ("GPE", "ORG", "NORP") and owner.start == end + 1:
                    qualifiers.append((self._span_text(owner.start, owner.end), owner.label))
            holder = _match_role(role_words, qualifiers, holders)
            if holder is None:
                continue
            new = _Span(start, end, "PERSON", origin="role", group=holder.key)
            for t in range(start, end):
                previous = taken[t]
                if previous is not None and previous is not new:
                    self._forget(groups, previous)
                taken[t] = new
            holder.spans.append(new)
            holder.spans.sort(key=lambda s: s.start)

    def _names_a_person(self, h: int, taken: list[_Span | None]) -> bool:
        token = self.doc[h]
        related = [token.head] if token.dep_ == "appos" else []
        related += [child for child in token.children if child.dep_ == "appos"]
        for other in related:
            owner = taken[other.i]
            if owner is not None and owner.label == "PERSON":
                return True
        return False

    def _role_phrase(
        self, h: int, taken: list[_Span | None]
    ) -> tuple[int, tuple[str, ...], list[tuple[str, str]]]:
        """Return (start, role words, (affiliation, type)s) of "the Turkish foreign minister"."""
        doc = self.doc
        words = [self._lower(h)]
        affiliations: list[tuple[str, str]] = []
        k = h
        while k - 1 >= 0 and self.sent[k - 1] == self.sent[h]:
            prev = doc[k - 1]
            lower = self._lower(k - 1)
            owner = taken[k - 1]
            if owner is not None and owner.label in ("NORP", "GPE", "ORG"):
                affiliations.append((self._span_text(owner.start, owner.end), owner.label))
                k = owner.start
                continue
            if prev.lower_ in _POSSESSIVE and k - 2 >= 0 and taken[k - 2] is not None:
                owner = taken[k - 2]
                assert owner is not None
                if owner.label in ("GPE", "ORG", "NORP"):
                    affiliations.append((self._span_text(owner.start, owner.end), owner.label))
                    return owner.start, tuple(words), affiliations
                return -1, (), []
            if (
                owner is None
                and (lower in _MODIFIERS or lower in _ROLE_HEADS)
                and prev.text.islower()
            ):
                words.insert(0, lower)
                k -= 1
                continue
            break
        if k - 1 >= 0 and doc[k - 1].lower_ == "the" and taken[k - 1] is None:
            return k - 1, tuple(words), affiliations
        return -1, (), []

    def _forget(self, groups: dict[str, _Group], span: _Span) -> None:
        key = span.group or ""
        group = groups.get(key)
        if group is None:
            return
        group.spans = [s for s in group.spans if s is not span]
        if not group.spans:
            del groups[key]

    # ----------------------------------------------------------------- output
    def _entities(self, groups: dict[str, _Group]) -> tuple[Entity, ...]:
        built: dict[str, tuple[int, Entity]] = {}
        for group in groups.values():
            spans = sorted(group.spans, key=lambda s: s.start)
            names = [s for s in spans if s.origin != "role"]
            if not names:
                continue
            written = [self._span_text(s.start, s.end) for s in names]
            own = group.place.name if group.place is not None else ""
            name = max(written, key=lambda t: (len(t.split()), len(t), t == own, -written.index(t)))
            if group.label != "PERSON":
                long_form = [
                    self._span_text(s.start, s.end) for s in names if s.origin == "acronym"
                ]
                if long_form:
                    name = long_form[0]
            aliases = tuple(dict.fromkeys(t for t in written if t != name))
            mentions = []
            for s in spans:
                a, b = self._chars(s.start, s.end)
                mentions.append(
                    Mention(article=self.article_id, start=a, end=b, text=self.text[a:b])
                )
            labels = tuple(
                dict.fromkeys(
                    label for s in names for label in (*s.roles, *s.affiliations) if label
                )
            )
            kb = group.place.to_kb() if group.place is not None else {}
            entity_id = make_id("ent", self.article_id, group.label, name)
            entity = Entity(
                id=entity_id,
                name=name,
                type=group.label,
                aliases=aliases,
                mentions=tuple(mentions),
                labels=labels,
                kb=kb,
            )
            first = mentions[0].start
            if entity_id in built:  # same type and name: one entity
                earlier_first, earlier = built[entity_id]
                merged = sorted(
                    {(m.start, m.end): m for m in (*earlier.mentions, *mentions)}.values(),
                    key=lambda m: m.start,
                )
                entity = Entity(
                    id=entity_id,
                    name=name,
                    type=group.label,
                    aliases=tuple(dict.fromkeys((*earlier.aliases, *aliases))),
                    mentions=tuple(merged),
                    labels=tuple(dict.fromkeys((*earlier.labels, *labels))),
                    kb=earlier.kb or kb,
                )
                first = min(first, earlier_first)
            built[entity_id] = (first, entity)
        return tuple(
            entity for _, entity in sorted(built.values(), key=lambda item: (item[0], item[1].id))
        )


# --------------------------------------------------------------------- functions
def _surname(form: tuple[str, ...]) -> str:
    """The family name of a folded full name: "Comeaux" of "Arcade Joseph Comeaux Jr."."""
    if len(form) > 2 and form[-1] in _GENERATIONS:
        return form[-2]
    return form[-1]


def _overlap(a: _Span, b: _Span) -> bool:
    return a.start < b.end and b.start < a.end


def _coverage(spans: Iterable[_Span], n: int) -> list[_Span | None]:
    taken: list[_Span | None] = [None] * n
    for span in spans:
        for i in range(max(span.start, 0), min(span.end, n)):
            taken[i] = span
    return taken


def _without_overlaps(spans: list[_Span]) -> list[_Span]:
    priority = {"acronym": 0, "acronym-use": 0, "ner": 1, "chain": 1, "gazetteer": 2, "role": 3}
    order = sorted(spans, key=lambda s: (priority.get(s.origin, 4), -(s.end - s.start), s.start))
    kept: list[_Span] = []
    taken: set[int] = set()
    for span in order:
        if span.start >= span.end or any(i in taken for i in range(span.start, span.end)):
            continue
        kept.append(span)
        taken.update(range(span.start, span.end))
    return sorted(kept, key=lambda s: s.start)


def _is_number(text: str) -> bool:
    return (
        bool(text)
        and (text[0].isdigit() or text[0] in "+-")
        and any(ch.isdigit() for ch in text)
        and (not any(ch.isalpha() for ch in text))
    )


def _prominent(place: Place) -> bool:
    return (
        place.kind in ("country", "continent", "admin1")
        or place.capital
        or (place.population >= _MIN_CITY)
    )


def _spells(words: Sequence[str], letters: str) -> bool:
    """True if ``letters`` are the initials of ``words`` (see module docstring)."""
    pieces: list[tuple[str, bool]] = []  # (word, optional)
    for word in words:
        for part in re.split(r"[-/]", word):
            if not part:
                continue
            optional = part.lower() in _CONNECTORS or part.lower() in (
                "in",
                "de",
                "du",
                "des",
                "la",
                "le",
                "al",
                "el",
            )
            if not optional and not (part[0].isupper() or part[0].isdigit()):
                return False
            pieces.append((part, optional))
    if not pieces or pieces[0][1] or pieces[-1][1]:
        return False
    target = letters.upper()
    memo: dict[tuple[int, int], bool] = {}

    def fits(w: int, k: int) -> bool:
        if w == len(pieces):
            return k == len(target)
        if (w, k) in memo:
            return memo[(w, k)]
        word, optional = pieces[w]
        result = False
        if optional and fits(w + 1, k):
            result = True
        elif k < len(target) and word[0].upper() == target[k]:
            result = fits(w + 1, k + 1)
            upper = "".join(ch for ch in word if ch.isalpha())
            if not result and len(upper) > 1 and upper.isupper():
                result = target[k : k + len(upper)] == upper and fits(w + 1, k + len(upper))
        memo[(w, k)] = result
        return result

    return fits(0, 0)


def _compatible(a: str, b: str) -> bool:
    """Loose match of affiliations: "Turkish" ~ "Turkey", "Chinese" ~ "China"."""
    x, y = fold_name(a), fold_name(b)
    if not x or not y:
        return False
    if x == y or x in y.split() or y in x.split():
        return True
    common = 0
    for cx, cy in zip(x, y, strict=False):
        if cx != cy:
            break
        common += 1
    return common >= 4 or (common >= 3 and common >= min(len(x), len(y)) - 3)


def _match_role(
    words: tuple[str, ...],
    qualifiers: list[tuple[str, str]],
    holders: list[tuple[_Group, list[tuple[tuple[str, ...], list[str]]]]],
) -> _Group | None:
    """Return the one person whose role (and affiliation) fits the reference, or None.

    A nationality ("the Turkish president") may match a holder whose
    affiliation is unknown; an organisation ("the president of Acme") must
    match one of the holder's affiliations.
    """
    affiliations = [text for text, _ in qualifiers]
    strict = any(label == "ORG" for _, label in qualifiers)
    fitting: list[tuple[_Group, list[str]]] = []
    for group, roles in holders:
        for role, group_affiliations in roles:
            if len(role) < len(words) or role[-len(words) :] != words:
                continue
            extra = role[: len(role) - len(words)]
            if any(w in _OTHER_ROLE for w in extra):
                continue
            fitting.append((group, group_affiliations))
            break
    if affiliations and fitting:
        agreeing = [
            g for g, a in fitting if any(_compatible(x, y) for x in affiliations for y in a)
        ]
        if agreeing:
            fitting = [(g, []) for g in agreeing]
        elif strict:
            return None
        else:
            fitting = [(g, a) for g, a in fitting if not a]
    unique = {id(g): g for g, _ in fitting}
    return next(iter(unique.values())) if len(unique) == 1 else None


@functools.cache
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)
