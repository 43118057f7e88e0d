"""One entity per real-world thing across articles, outlets, spellings and scripts.

``resolve_entities(articles, stories)`` merges the per-article entities that
:func:`parallax.stages.entities.find_entities` built into corpus entities. It
is a pure, deterministic function of its input (the order of the articles
and of their entities does not matter) and never compares all pairs.

How names are compared
----------------------
Every name is first reduced to a *key*: Cyrillic (Russian, Ukrainian,
Belarusian, Serbian, Macedonian, Bulgarian) and Greek letters are
transliterated to Latin by a small table (:func:`transliterate`), then
:func:`parallax.stages.places.fold_name` drops diacritics and case
(``Erdoğan``, ``Erdogan`` and ``Эрдоган`` all become ``erdogan``). Particles
(``al``, ``bin``, ``von``…) are optional and generational suffixes
(``Jr``) are kept apart. Two single words are *variants* when their keys are
equal, or when their consonant skeletons (:func:`skeleton`: q/k/g/kh/gh one
class, d/t/dh/th one class, s/z/sh one class, f/v/w/ph one class, vowels, h
and doubled letters dropped) are equal and the edit distance (with
transpositions) is at most a third of the longer word; or when the words
differ by one edit and are at least five letters long. So Gaddafi, Qaddafi,
Kadhafi and Gadhafi are variants (skeleton ``KTF``), and so are Kharkiv,
Kharkov and Karkhiv (``KRKF``), Zelenskyy and Selenskyj; Mohammed and
Mahmoud (same skeleton, three edits apart) are not, nor are Iran and Iraq.

When two entities are the same
------------------------------
Types never mix: a PERSON joins only a PERSON, an ORG only an ORG, a NORP only
a NORP; GPE and LOC join each other only through the gazetteer. So "Russia"
(GPE), "Russian" (NORP) and "Russian police" (ORG) stay three entities.

- **Places**: the same GeoNames id is the same place whatever the spelling
  (Kyiv / Kiev / Київ); two different ids are never merged. A place without
  an id joins one whose name it shares or is a variant of.
- **People**: two full names are the same person when their surnames are
  variants and their given names fit: aligned in order, each pair equal,
  an initial, or with the same consonant skeleton (a variant: Muammar /
  Moammar, Vladimir / Volodymyr), with the words left over on one side all
  initials or none ("Recep Tayyip Erdoğan" = "Tayyip Erdogan"; "Muammar
  al-Gaddafi" = "Moammar Kadhafi"; "Regina M. Benjamin" = "Regina
  Benjamin"). Full names whose given names differ are never merged
  ("Jarosław Kaczyński" / "Lech Kaczyński"; "Ahmed Aboul Gheit" / "Ahmed
  Shafik"; "Marine Le Pen" / "Jean-Marie Le Pen"; "George W. Bush" /
  "George H. W. Bush"; "Donald Trump" / "Donald Trump Jr."), except a
  familiar short form with the same surname in the same story ("Mo Cheeks" /
  "Maurice Cheeks": two or three letters, same first letter, its skeleton
  starting the other's). A bare surname (an article that only says
  "Kaczyński") joins a full name only within its story and only when
  exactly one person of the story fits (by surname, or by the first word for
  names written surname first, "Kim" for "Kim Jong Un"); when several fit, a
  shared role or title label picks one, or else a person the story mentions
  at least three times as often as any other ("Trump" in a story about
  Donald Trump that also mentions Melania Trump once); otherwise it stays an
  entity of its own (Jarosław and Lech Kaczyński both prominent). A name the
  tagger cut short ("Kim Jong") joins the one person of its story whose name
  it begins. A bare name that fits no one in its story joins the corpus-wide
  person chosen the same way if a shared label or co-occurring entities
  support it.
- **Organisations and other names**: the same key; a name that is an alias
  (an acronym defined in the text) of another ("NATO" named in one article,
  "North Atlantic Treaty Organization (NATO)" in another); names whose
  words are variants one by one ("Hezbollah" / "Hizbollah"); an acronym that
  spells the initials of a long name in the same story; a short name that
  ends exactly one organisation of its story ("Chargers" / "San Diego
  Chargers"; "Navy" / "Indian Navy" unless the story also has a US Navy).
  Keys join runs of single letters ("U. S." = "U.S.") and expand "Mt",
  "St", "Ft".

Tagger slips
------------
The per-article tagger is wrong in ways that only the corpus shows, so some
names are repaired before they are compared:

- **Type**: the same name typed otherwise in a few articles of a story takes
  the reading of at least twice as many of its articles ("Hugh Jackman" a
  GPE in two, a PERSON in eight); a person against a place or facility the
  gazetteer did not resolve needs only more articles. A resolved place
  never changes type (the country "Russia" and an organisation "Russia"
  stay apart), nor does a NORP. A single word typed PERSON that fits no
  person of its story but names one organisation of it ("Colts",
  "SEACOM") is that organisation; a single word typed as a place without a
  GeoNames id that fits exactly one person of its story ("Kathina") is that
  person.
- **Padding**: a name that contains the full name of exactly one person of
  its story, with only common words around it ("Actress Lindsay Lohan",
  "Lindsay Lohan Checks Into Rehab", "Nominates Regina Benjamin"), or a
  nationality or a name of the story before it ("American Hasim Rahman",
  "Chargers Jamal Williams"), is that person; so is a common word before
  the surname of exactly one person of the story ("Officer Ortiz"). A
  name found only in Title Case headlines that begins with a person or an
  organisation of the story ("Microsoft Launches", "Lohan Checks") is that
  one. A word is common when the story's running text (headlines and
  sentence starts not counted) writes it in lower case at least twice as
  often as capitalised, so given names ("Melania Trump", "William Mark
  Felt") and names going on ("Betty Ford Center") are never padding; a
  name after "the" or a quotation mark is a title ("The Notorious Bettie
  Page"), and a name followed by a word the text writes as a compound after
  a determiner ("the Obama administration") is not padded.
- **Forms**: an organisation's legal form is not part of its name
  ("Microsoft Corp." = "Microsoft"); a natural feature word joins the bare
  place name within a story ("Mediterranean Sea" = "Mediterranean"; not
  "Kansas City" / "Kansas"); a familiar given name joins the full one with
  the same surname in one story ("Fred" / "Frederick", "Katie" / "Kathryn",
  "Bill" / "William"; not "Dan" / "Dana"); a "Jr." never joins a name
  without it ("Mark Felt Jr." / "W. Mark Felt").

Merges of spelling variants that are not obviously the same need evidence
beyond the string: the same story, a shared role or title label, or at least
two shared co-occurring entities. Merging is agglomerative over candidate
pairs, best first, and a merge is refused when it would put two
incompatible names in one entity (two people with different given names, two
GeoNames ids, two types): transitivity cannot chain "A. Hassan" into both
"Ahmed Hassan" and "Ali Hassan".

Cost
----
Entities with the same type and key (or GeoNames id) are grouped first, so
comparisons run between distinct names, not mentions. Candidate pairs come
from an inverted index over blocking keys (the key, the folded surname, the
consonant skeleton, one-deletion variants of surnames and single-word names,
acronyms, GeoNames ids); keys shared by more than ``_MAX_POSTING`` names are
skipped. Cost grows with the number of distinct names, not its square.

Output
------
Each corpus entity keeps every alias and every mention (mentions carry their
article), the union of labels and of ``kb`` (GeoNames data included); its
``name`` is the most frequent full form, preferring a Latin-script name; its
id is ``make_id("ent", type, key)`` where the key is ``geonames:<id>`` for a
place with one, else the folded name (a bare surname that stays apart in
several stories gets its smallest member id appended, so ids never clash).
Entities come sorted by number of mentions, then id.
"""

from __future__ import annotations

import copy
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from parallax.ids import make_id
from parallax.records import Article, Entity, Mention, Story
from parallax.stages.places import fold_name

__all__ = [
    "EntityResolution",
    "edit_distance",
    "name_key",
    "resolve_entities",
    "similar_words",
    "skeleton",
    "transliterate",
]

_MAX_POSTING = 100  # a blocking key shared by more names than this is too common to use
_PLACE_TYPES = frozenset({"GPE", "LOC"})
_PARTICLES = frozenset(
    {"al", "el", "ul", "bin", "ibn", "bint", "abu", "von", "van", "der", "den", "de", "da", "di",
     "du", "la", "le", "del", "della", "dos", "das", "ben", "mac"}
)  # fmt: skip
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "junior", "senior"})
_STOP = frozenset({"the", "of", "and", "for", "in", "on", "&", "a", "an", "at", "to"})
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,9}$")

# --------------------------------------------------------------------------- scripts
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian and Belarusian
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
    # Serbian and Macedonian
    "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c", "џ": "dz", "ѓ": "gj", "ќ": "kj",
    "ѕ": "dz",
}  # fmt: skip
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}  # fmt: skip
_GREEK_PAIRS = {"ου": "ou", "αι": "ai", "ει": "ei", "οι": "oi", "μπ": "b", "ντ": "d", "γκ": "g"}
# Ukrainian spelling of the shared letters (official 2010 romanisation, simplified).
_UKRAINIAN = {"и": "y", "г": "h", "й": "i", "ї": "i", "є": "ie", "ю": "iu", "я": "ia"}
_UKRAINIAN_INITIAL = {"й": "y", "ї": "yi", "є": "ye", "ю": "yu", "я": "ya"}
_UKRAINIAN_MARKS = frozenset("іїєґ")
_SCRIPT_TABLE = {**_CYRILLIC, **_GREEK}
_WORD_SPLIT = re.compile(r"(\W+)")


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def transliterate(text: str) -> str:
    """Spell Cyrillic and Greek letters in Latin (a comparison key, not a display form).

    Russian-style romanisation by default; a word with a Ukrainian-only
    letter (і, ї, є, ґ) is read with the Ukrainian table (и -> y, г -> h).

    >>> transliterate("Эрдоган"), transliterate("Київ"), transliterate("Τσίπρας")
    ('Erdogan', 'Kyiv', 'Tsipras')
    """
    if text.isascii():
        return text
    return "".join(_transliterate_word(part) for part in _WORD_SPLIT.split(text))


def _transliterate_word(word: str) -> str:
    chars = unicodedata.normalize("NFC", word)
    ukrainian = any(ch in _UKRAINIAN_MARKS for ch in chars.lower())
    out: list[str] = []
    i = 0
    while i < len(chars):
        ch = chars[i]
        lower = ch.lower()
        if lower not in _SCRIPT_TABLE:
            bare = _strip_accents(lower)
            if bare not in _GREEK:
                out.append(ch)
                i += 1
                continue
            lower = bare
        pair = _strip_accents(chars[i : i + 2].lower())
        if pair in _GREEK_PAIRS:
            latin = _GREEK_PAIRS[pair]
            i += 2
        else:
            if ukrainian and i == 0 and lower in _UKRAINIAN_INITIAL:
                latin = _UKRAINIAN_INITIAL[lower]
            elif ukrainian and lower in _UKRAINIAN:
                latin = _UKRAINIAN[lower]
            else:
                latin = _SCRIPT_TABLE[lower]
            i += 1
        out.append(latin.capitalize() if ch != ch.lower() and latin else latin)
    return "".join(out)


@functools.lru_cache(maxsize=1 << 18)
def name_key(name: str) -> str:
    """Return the comparison key of a name: transliterated, diacritics and case folded.

    >>> name_key("Recep Tayyip Erdoğan"), name_key("Эрдоган"), name_key("U.S.")
    ('recep tayyip erdogan', 'erdogan', 'us')
    """
    text = name.strip()
    if text.endswith(("'s", "\u2019s")):
        text = text[:-2]
    out: list[str] = []
    run = False  # inside a run of single letters ("u s" -> "us", like "U.S.")
    for word in fold_name(transliterate(text)).split():
        word = _ABBREVIATIONS.get(word, word)
        if len(word) == 1 and word.isalpha():
            if run:
                out[-1] += word
            else:
                out.append(word)
            run = True
        else:
            out.append(word)
            run = False
    return " ".join(out)


_ABBREVIATIONS = {"mt": "mount", "st": "saint", "ft": "fort"}


_DIGRAPHS = (
    ("tsch", "C"), ("sch", "S"), ("tch", "C"), ("ch", "C"), ("ph", "F"), ("zh", "S"),
    ("kh", "K"), ("gh", "K"), ("dh", "T"), ("th", "T"), ("sh", "S"), ("ck", "K"), ("qu", "K"),
    ("x", "KS"),
)  # fmt: skip
_CLASSES = {
    "q": "K", "k": "K", "g": "K", "d": "T", "t": "T", "s": "S", "z": "S", "f": "F", "v": "F",
    "w": "F", "b": "B", "p": "P", "l": "L", "r": "R", "m": "M", "n": "N",
}  # fmt: skip


@functools.lru_cache(maxsize=1 << 16)
def skeleton(word: str) -> str:
    """Return the consonant skeleton of a folded word (transliteration-proof).

    >>> skeleton("gaddafi"), skeleton("qadhafi"), skeleton("kharkiv"), skeleton("karkhiv")
    ('KTF', 'KTF', 'KRKF', 'KRKF')
    """
    text = word.lower()
    for source, target in _DIGRAPHS:
        text = text.replace(source, target)
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == "c":
            nxt = text[i + 1] if i + 1 < len(text) else ""
            code = "S" if nxt in ("e", "i", "y") else "K"
        elif ch.isupper():
            code = ch
        else:
            code = _CLASSES.get(ch, "")
        if code and (not out or out[-1] != code):
            out.append(code)
        elif not code and ch.isdigit():
            out.append(ch)
    return "".join(out)


def edit_distance(a: str, b: str, limit: int = 99) -> int:
    """Optimal-string-alignment distance (insert, delete, substitute, swap neighbours).

    Returns ``limit + 1`` as soon as the distance is known to exceed ``limit``.
    """
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[len(b)]


@functools.lru_cache(maxsize=1 << 16)
def similar_words(a: str, b: str) -> bool:
    """True if two folded words are spellings of one name (see the module docstring)."""
    if a == b:
        return True
    shortest = min(len(a), len(b))
    if shortest <= 3:
        return False
    longest = max(len(a), len(b))
    if shortest >= 5 and edit_distance(a, b, 1) <= 1:
        return True
    ka, kb = skeleton(a), skeleton(b)
    if ka != kb or len(ka) < 2:
        return False
    return edit_distance(a, b, longest // 3) <= longest / 3


# --------------------------------------------------------------------------- names
@dataclass(frozen=True, slots=True)
class _Name:
    """A name split for comparison: given names, surname, particles dropped."""

    key: str
    words: tuple[str, ...]  # without particles and suffixes
    suffix: str = ""

    @property
    def surname(self) -> str:
        return self.words[-1] if self.words else ""

    @property
    def given(self) -> tuple[str, ...]:
        return self.words[:-1]

    @property
    def full(self) -> bool:
        return len(self.words) >= 2


@functools.lru_cache(maxsize=1 << 18)
def _parse(key: str) -> _Name:
    words = [w for w in key.split() if w]
    suffix = ""
    while len(words) > 1 and words[-1] in _SUFFIXES:
        suffix = words.pop()
    kept = tuple(w for w in words if w not in _PARTICLES) or tuple(words)
    return _Name(key=key, words=kept, suffix=suffix)


# Familiar forms that do not begin like the full name (English usage; the rest are rules).
_NICKNAMES: dict[str, tuple[str, ...]] = {
    "bill": ("william",), "billy": ("william",), "will": ("william",), "bob": ("robert",),
    "bobby": ("robert",), "rob": ("robert",), "dick": ("richard",), "rick": ("richard",),
    "jack": ("john",), "johnny": ("john",), "jim": ("james",), "jimmy": ("james",),
    "peggy": ("margaret",), "maggie": ("margaret",), "meg": ("margaret",), "ted": ("edward",),
    "ned": ("edward",), "tony": ("anthony",), "mike": ("michael",), "liz": ("elizabeth",),
    "beth": ("elizabeth",), "betty": ("elizabeth",), "chuck": ("charles",), "hank": ("henry",),
    "harry": ("henry",), "larry": ("lawrence", "laurence"), "becky": ("rebecca",),
    "kate": ("katherine", "kathryn", "catherine", "katharine"),
    "katie": ("katherine", "kathryn", "catherine", "katharine"),
    "kathy": ("katherine", "kathryn", "kathleen"), "joe": ("joseph",),
    "steve": ("stephen", "steven"),
    "dave": ("david",), "andy": ("andrew",), "nick": ("nicholas",), "pat": ("patrick", "patricia"),
    "dan": ("daniel",), "ben": ("benjamin",), "matt": ("matthew",), "tom": ("thomas",),
    "sam": ("samuel", "samantha"), "chris": ("christopher", "christine", "christina"),
    "jenny": ("jennifer",), "sue": ("susan",), "sandy": ("sandra", "alexandra"),
}  # fmt: skip


def _short_form(a: str, b: str) -> bool:
    """A given name that may be the familiar form of a longer one.

    Mo/Maurice and Jim/James (two or three letters, the same first letter,
    the start of the other's skeleton), Fred/Frederick (three or four letters
    that begin the other), the full name at least two letters longer (Dan is
    not Dana); or a listed form
    (Bill/William, Katie/Kathryn, Peggy/Margaret). Only used for
    two names with the same surname (see :func:`_person_compatible`).
    """
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(long) <= len(short) or short[0] != long[0] and short not in _NICKNAMES:
        return False
    if len(long) >= len(short) + 2 and (  # "Dan" is not "Dana"
        (2 <= len(short) <= 3 and skeleton(long).startswith(skeleton(short)))
        or (3 <= len(short) <= 4 and long.startswith(short))
    ):
        return True
    return long in _NICKNAMES.get(short, ())


def _same_given(word: str, other: str, nicknames: bool) -> bool:
    """Given names are stricter than surnames: the consonant skeleton must agree.

    So Muammar/Moammar and Vladimir/Volodymyr match (a long skeleton is
    distinctive on its own), but not Marine/Marie (Marine Le Pen is not
    Jean-Marie Le Pen) nor Mohammed/Mahmoud.
    """
    if word == other:
        return True
    if (len(word) == 1 and other.startswith(word)) or (len(other) == 1 and word.startswith(other)):
        return True
    shape = skeleton(word)
    if shape == skeleton(other) and (len(shape) >= 4 or similar_words(word, other)):
        return True
    return nicknames and _short_form(word, other)


def _initial(word: str) -> bool:
    """An initial ("m") or joined initials ("hw" from "H. W.")."""
    return len(word) == 1 or (len(word) == 2 and not any(ch in "aeiouy" for ch in word))


def _given_compatible(a: Sequence[str], b: Sequence[str], *, nicknames: bool = False) -> bool:
    """Given names that can belong to one person.

    The names are aligned in order (equal, a spelling variant, an initial,
    or with ``nicknames`` a familiar form). They fit when at least one pair
    aligns (or one side has none) and the words left over on one side are
    all initials or on the other side are none: "Regina M." fits "Regina"
    and a headline's "Nominates Regina"; "Lech" never fits "Jarosław";
    "George W." never fits "George H. W." (initials left on both sides).
    """
    if not a or not b:
        return True
    rows, cols = len(a), len(b)
    best = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            best[i][j] = max(best[i + 1][j], best[i][j + 1])
            if _same_given(a[i], b[j], nicknames):
                best[i][j] = max(best[i][j], 1 + best[i + 1][j + 1])
    if best[0][0] == 0:
        return False
    left_a: list[str] = []
    left_b: list[str] = []
    i = j = 0
    while i < rows and j < cols:
        if _same_given(a[i], b[j], nicknames) and best[i][j] == 1 + best[i + 1][j + 1]:
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            left_a.append(a[i])
            i += 1
        else:
            left_b.append(b[j])
            j += 1
    left_a += a[i:]
    left_b += b[j:]
    initials_a = [w for w in left_a if _initial(w)]
    initials_b = [w for w in left_b if _initial(w)]
    if initials_a and initials_b:
        return False
    return len(initials_a) == len(left_a) or len(initials_b) == len(left_b)


def _is_suffix(short: str, long: str) -> bool:
    """"Navy" of "Indian Navy", "Chargers" of "San Diego Chargers" (whole words)."""
    a, b = short.split(), long.split()
    return 1 <= len(a) < len(b) and b[len(b) - len(a) :] == a


def _is_prefix(short: Sequence[str], long: Sequence[str]) -> bool:
    return 2 <= len(short) < len(long) and tuple(long[: len(short)]) == tuple(short)


def _person_compatible(
    a: _Name, b: _Name, *, partial: bool = True, nicknames: bool = True
) -> bool:
    """Can two person names denote one person?

    With ``partial``, a name cut short by the tagger ("Kim Jong" for "Kim
    Jong Un") fits the longer name; pair scoring does not use that (only
    the story phase does, see :func:`_attach_partial_names`).
    """
    if not a.words or not b.words:
        return False
    if partial and a.suffix == b.suffix and (
        _is_prefix(a.words, b.words) or _is_prefix(b.words, a.words)
    ):
        return True
    if a.full and b.full:
        if not similar_words(a.surname, b.surname):
            return False
        if a.suffix != b.suffix and (a.given == b.given or _junior(a) != _junior(b)):
            return False  # "Donald Trump" / "Donald Trump Jr."; "W. Mark Felt" / "Mark Felt Jr."
        if a.suffix and b.suffix and a.suffix != b.suffix:
            return False
        familiar = nicknames and a.surname == b.surname
        return _given_compatible(a.given, b.given, nicknames=familiar)
    bare, other = (a, b) if not a.full else (b, a)
    word = bare.words[0]
    if not other.full:
        return similar_words(word, other.words[0])
    return similar_words(word, other.surname) or word == other.words[0]


def _junior(name: _Name) -> bool:
    return name.suffix in _JUNIOR


_JUNIOR = frozenset({"jr", "junior", "ii", "iii", "iv"})


def _words_similar(a: _Name, b: _Name) -> bool:
    """Names of places, organisations…: the same words one by one, up to spelling."""
    wa = [w for w in a.key.split() if w not in _STOP]
    wb = [w for w in b.key.split() if w not in _STOP]
    if not wa or len(wa) != len(wb):
        return False
    if not any(len(w) >= 4 for w in wa):
        return wa == wb
    return all(x == y or similar_words(x, y) for x, y in zip(wa, wb, strict=True))


def _initials(key: str) -> str:
    words = [w for w in key.split() if w not in _STOP]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


def _acronym(text: str) -> str | None:
    """``"NATO"``, ``"U.N."`` -> ``"nato"``, ``"un"``; None for ordinary words."""
    bare = text.replace(".", "").replace(" ", "")
    return bare.lower() if _ACRONYM.match(bare) else None


def _is_latin(text: str) -> bool:
    return all(
        not ch.isalpha() or "LATIN" in unicodedata.name(ch, "LATIN") for ch in text
    )


# --------------------------------------------------------------------------- records
@dataclass(frozen=True)
class EntityResolution:
    """Corpus entities and the map from each per-article entity id to its corpus entity."""

    entities: tuple[Entity, ...]
    mapping: Mapping[str, str] = field(default_factory=dict)


@dataclass(eq=False)
class _Group:
    """Per-article entities with one type and one key: the unit that gets compared."""

    key: str  # sort key and identity
    type: str
    name: _Name
    family: str  # PERSON, PLACE, ORG, NORP…
    bare: bool = False  # a single-word person name, kept per story
    geonames: int | None = None
    nodes: list[Entity] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    stories: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)  # name and alias keys
    acronyms: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    anchors: set[str] = field(default_factory=set)
    story_mentions: Counter[str] = field(default_factory=Counter)  # story -> mentions there
    index: int = 0


def _family(entity_type: str) -> str:
    return "PLACE" if entity_type in _PLACE_TYPES else entity_type


def _geonames(entity: Entity) -> int | None:
    value = entity.kb.get("geonames") if entity.kb else None
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- main
def resolve_entities(
    articles: Sequence[Article], stories: Sequence[Story] = ()
) -> EntityResolution:
    """Merge the per-article entities of ``articles`` into corpus entities.

    ``stories`` give the context for bare surnames and the evidence for
    spelling variants; without them the whole corpus is one context.
    """
    story_of: dict[str, str] = {}
    for story in sorted(stories, key=lambda s: s.id):
        for article_id in story.articles:
            story_of.setdefault(article_id, story.id)
    unique = {a.id: a for a in sorted(articles, key=lambda a: (a.id, len(a.entities)))}
    groups = _build_groups(unique.values(), story_of)
    if not groups:
        return EntityResolution(entities=(), mapping={})
    one_context = not story_of
    forced = _majority_types(groups, one_context=one_context)
    forced += _padded_names(groups, unique, story_of)
    clusters = _Clusters(groups)
    for a, b in forced:
        clusters.union(a, b)
    for _score, a, b in _candidate_pairs(groups, one_context=one_context):
        clusters.union(a, b)
    _attach_partial_names(groups, clusters, one_context=one_context)
    return _build_entities(groups, clusters)


def _build_groups(articles: Iterable[Article], story_of: Mapping[str, str]) -> list[_Group]:
    by_key: dict[str, _Group] = {}
    per_article: dict[str, list[_Group]] = defaultdict(list)
    for article in articles:
        story = story_of.get(article.id, "")
        seen: set[int] = set()
        for entity in sorted(article.entities, key=lambda e: e.id):
            key = name_key(entity.name) or name_key(entity.id)
            family = _family(entity.type)
            if family == "ORG":
                key = _without_legal_form(key)
            geonames = _geonames(entity) if family in ("PLACE", "FAC") else None
            name = _parse(key)
            bare = family == "PERSON" and not name.full
            if geonames is not None:
                group_key = f"{family}|geo:{geonames}"
            elif bare:
                group_key = f"PERSON|bare:{key}|{story}"
            else:
                group_key = f"{entity.type}|{key}"
            group = by_key.get(group_key)
            if group is None:
                group = _Group(
                    key=group_key, type=entity.type, name=name, family=family, bare=bare,
                    geonames=geonames,
                )  # fmt: skip
                by_key[group_key] = group
            group.nodes.append(entity)
            group.articles.add(article.id)
            if story:
                group.stories.add(story)
            group.story_mentions[story] += max(1, len(entity.mentions))
            for alias in (entity.name, *entity.aliases):
                alias_key = name_key(alias)
                if alias_key:
                    group.keys.add(alias_key)
                letters = _acronym(alias.strip())
                if letters:
                    group.acronyms.add(letters)
            group.labels.update(fold_name(label) for label in entity.labels if label.strip())
            if id(group) not in seen:
                seen.add(id(group))
                per_article[article.id].append(group)
    groups = sorted(by_key.values(), key=lambda g: g.key)
    for number, group in enumerate(groups):
        group.index = number
        group.nodes.sort(key=lambda e: e.id)
        if group.geonames is not None:  # the group's name: its most used spelling
            group.name = _parse(name_key(_display_name(group.nodes)))
    for members in per_article.values():
        anchors = [g.key for g in members if not g.bare]
        for group in members:
            if len(group.anchors) < 200:
                group.anchors.update(a for a in anchors if a != group.key)
    return groups


# --------------------------------------------------------------------------- type slips
def _shared_story(a: _Group, b: _Group, *, one_context: bool) -> bool:
    return one_context or bool(a.stories & b.stories)


def _retype(group: _Group, family: str) -> None:
    group.family = family
    group.bare = family == "PERSON" and not group.name.full


def _majority_types(groups: Sequence[_Group], *, one_context: bool) -> list[tuple[int, int]]:
    """Join a name typed otherwise in a few articles to the reading most articles use.

    The tagger types one name differently from article to article ("Hugh
    Jackman" a GPE in two articles and a PERSON in eight; "Bettie Page" an
    ORG or a PERSON). Groups with the same key, neither a place the
    gazetteer resolved, and a story in common: the one in fewer articles
    takes the family of the one in at least twice as many (for a person
    against a place or facility without a GeoNames id, more articles
    suffice: a capitalised two-word name is the tagger's weakest place
    call) and the two are joined. A place with a GeoNames id never changes
    and never takes another type ("Russia" the country and an organisation
    called "Russia" stay apart), and a NORP stays a NORP.
    """
    by_key: dict[str, list[_Group]] = defaultdict(list)
    for group in groups:
        if group.geonames is None and group.family != "NORP":
            by_key[group.name.key].append(group)
    pairs: list[tuple[int, int]] = []
    for key in sorted(by_key):
        members = by_key[key]
        if len({g.family for g in members}) < 2:
            continue
        ranked = sorted(members, key=lambda g: (-len(g.articles), g.index))
        for group in ranked:  # the most used first, so a reading that moves is settled before
            for other in ranked:
                if (
                    other is group
                    or other.family == group.family
                    or not _shared_story(group, other, one_context=one_context)
                ):
                    continue
                weak_place = other.family == "PERSON" and group.family in ("PLACE", "FAC")
                needed = len(group.articles) + 1 if weak_place else 2 * len(group.articles)
                if len(other.articles) >= needed:
                    _retype(group, other.family)
                    pairs.append((group.index, other.index))
                break  # only the most used other reading is considered
    return pairs


# --------------------------------------------------------------------------- padded names
_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
_SENTENCE_END = frozenset('.!?:;"\u201c\u201d(')
_MAX_PADDED_WORDS = 10


def _padded_names(
    groups: Sequence[_Group], articles: Mapping[str, Article], story_of: Mapping[str, str]
) -> list[tuple[int, int]]:
    """Join names the tagger padded with headline or role words to the person they contain.

    "Lindsay Lohan Checks Into Rehab" (a Title Case headline), "Actress
    Lindsay Lohan", "Nominates Regina Benjamin", "American Hasim Rahman":
    a name that contains, as whole words, the full name of exactly one
    person of its story, where every word left over is a common word of the
    story's text (written in lower case at least twice as often as
    capitalised mid-sentence, Title Case headlines not counted) or, before
    the person, the name of an organisation, group or place of the story
    ("Chargers Jamal Williams"). A given name is capitalised, so "William
    Mark Felt" is never "Mark Felt" padded; "Betty Ford Center" keeps its
    capitalised "Center". A name written after "the" or a quotation mark
    (a title: "The Notorious Bettie Page") is left alone.
    """
    people: dict[str, list[_Group]] = defaultdict(list)
    surnames: dict[tuple[str, str], list[_Group]] = defaultdict(list)  # (story, surname)
    affiliations: dict[str, set[str]] = defaultdict(set)  # story -> keys of non-person names
    nationalities: set[str] = set()
    for group in groups:
        if group.family == "PERSON" and not group.bare and len(group.name.key.split()) >= 2:
            people[group.name.key].append(group)
            for story in group.stories or {""}:
                surnames[(story, group.name.key.split()[-1])].append(group)
        elif group.family in ("ORG", "NORP", "PLACE"):
            for story in group.stories or {""}:
                affiliations[story].add(group.name.key)
            if group.family == "NORP":
                nationalities.add(group.name.key)
    # Candidates: (group, story, person, leftover words before, after)
    found: list[tuple[_Group, str, _Group, list[str], list[str]]] = []
    role_only: set[tuple[int, str]] = set()  # a surname after words that must all be common
    for group in groups if people else ():
        words = group.name.key.split()
        if group.bare or group.geonames is not None or not 2 <= len(words) <= _MAX_PADDED_WORDS:
            continue
        for story in sorted(group.stories) or [""]:  # "Officer Ortiz": a role and a surname
            named = [p for p in surnames.get((story, words[-1]), ()) if p is not group]
            if (
                len(named) == 1
                and named[0].name.key not in group.keys
                and not (group.family == "PERSON" and _person_compatible(group.name, named[0].name))
            ):
                found.append((group, story, named[0], words[:-1], []))
                role_only.add((group.index, story))
        for i in range(len(words)):
            for j in range(i + 2, len(words) + 1):
                if j - i == len(words):
                    continue
                for person in people.get(" ".join(words[i:j]), ()):
                    if person is group:
                        continue
                    for story in sorted(group.stories & person.stories) or (
                        [""] if not story_of else []
                    ):
                        found.append((group, story, person, words[:i], words[j:]))
    headlines = _headline_names(groups, articles, story_of, found)
    if not found and not headlines:
        return []
    needed: dict[str, set[str]] = defaultdict(set)
    joins: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for group, story, _person, before, after in (*found, *headlines):
        needed[story].update(_stem(w) for w in (*before, *after))
        if after:
            joins[story].add(_join(group, after))
    case, compounds = _word_case(articles, story_of, needed, joins)
    accepted: dict[int, set[int]] = defaultdict(set)
    for group, story, person, before, after in found:
        common = case.get(story, {})
        prefix = " ".join(before)
        affiliation = (group.index, story) not in role_only and (
            prefix in affiliations.get(story, ()) or prefix in nationalities
        )
        if not all(_common_word(common.get(_stem(w))) for w in after):
            continue
        if after and _join(group, after) in compounds.get(story, ()):
            continue
        if before and not affiliation and not all(
            _common_word(common.get(_stem(w))) for w in before
        ):
            continue
        if _quoted_title(group, articles):
            continue
        accepted[group.index].add(person.index)
    for group, story, target, _before, after in headlines:
        common = case.get(story, {})
        if (
            group.index not in accepted
            and all(_common_word(common.get(_stem(w))) for w in after)
            and _join(group, after) not in compounds.get(story, ())
        ):
            accepted[group.index].add(target.index)
    pairs: list[tuple[int, int]] = []
    for index in sorted(accepted):
        targets = {p for p in accepted[index] if p not in accepted}  # not padded names themselves
        if len(targets) != 1:
            continue
        group, target = groups[index], groups[next(iter(targets))]
        _retype(group, target.family)
        group.name = target.name  # a mention of the target under a longer surface form
        pairs.append((index, target.index))
    return pairs


def _headline_names(
    groups: Sequence[_Group],
    articles: Mapping[str, Article],
    story_of: Mapping[str, str],
    found: Sequence[tuple[_Group, str, _Group, list[str], list[str]]],
) -> list[tuple[_Group, str, _Group, list[str], list[str]]]:
    """Names found only in Title Case headlines that begin with a known name of their story.

    "Microsoft Launches", "Colts Beat Chiefs", "Lohan Checks": the tagger
    reads a headline's capitalised verbs as part of the name before them.
    Every mention must lie in a Title Case line; the name's first words must
    be the full name of a person or organisation of the story (the longest
    such start), or a surname that exactly one person of the story has; the
    words after it are checked like padding (:func:`_padded_names`).
    """
    padded = {g.index for g, *_ in found}
    lines: dict[tuple[str, int], bool] = {}
    names: dict[tuple[str, str], list[_Group]] = defaultdict(list)
    surnames: dict[tuple[str, str], set[int]] = defaultdict(set)
    for group in groups:
        if group.bare or group.family not in ("PERSON", "ORG") or group.index in padded:
            continue
        for story in group.stories or {""}:
            names[(story, group.name.key)].append(group)
            if group.family == "PERSON" and group.name.full:
                surnames[(story, group.name.surname)].add(group.index)
    out: list[tuple[_Group, str, _Group, list[str], list[str]]] = []
    for group in groups:
        words = group.name.key.split()
        if (
            group.geonames is not None
            or not 2 <= len(words) <= _MAX_PADDED_WORDS
            or not _in_headlines(group, articles, lines)
        ):
            continue
        for story in sorted(group.stories) or [""]:
            target: _Group | None = None
            for j in range(len(words) - 1, 0, -1):
                run = " ".join(words[:j])
                choices = [g for g in names.get((story, run), ()) if g is not group]
                if choices:
                    target = min(choices, key=lambda g: (-len(g.articles), g.index))
                    break
                if j == 1 and len(surnames.get((story, run), ())) == 1:
                    target = groups[next(iter(surnames[(story, run)]))]
            if target is not None:
                out.append((group, story, target, [], words[j:]))
    return out


def _in_headlines(
    group: _Group, articles: Mapping[str, Article], cache: dict[tuple[str, int], bool]
) -> bool:
    """Is every mention of the group's full name in a Title Case line (a headline)?

    Shorter mentions the article chained to it ("Obama" in the body, for
    "Obama Overturns" in the headline) are not asked. ``cache`` keeps each
    line's answer (by article and line start), so every line is read at most
    once however many names it holds.
    """
    checked = False
    for node in group.nodes:
        for mention in node.mentions:
            if len(mention.text) < len(node.name):
                continue
            checked = True
            article = articles.get(mention.article)
            if article is None:
                return False
            text = article.text
            start = text.rfind("\n", 0, mention.start) + 1
            key = (article.id, start)
            if key not in cache:
                end = text.find("\n", mention.end)
                cache[key] = _title_case(text[start : end if end >= 0 else len(text)])
            if not cache[key]:
                return False
    return checked


def _title_case(line: str) -> bool:
    """Most words of four letters or more capitalised (three at least): a headline."""
    long_words = [t.group() for t in _TOKEN.finditer(line) if len(t.group()) >= 4]
    capitals = sum(1 for w in long_words if w[0].isupper())
    return len(long_words) >= 3 and capitals * 3 >= len(long_words) * 2


def _join(group: _Group, after: Sequence[str]) -> tuple[str, str]:
    """The last word of the contained name and the first word after it."""
    words = group.name.key.split()
    return words[len(words) - len(after) - 1], after[0]


def _stem(word: str) -> str:
    """A crude English stem, so "launches" is counted with "launched" and "fire" with "fired"."""
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[: -len(ending)]
            break
    return word[:-1] if word.endswith("e") and len(word) >= 4 else word


def _common_word(counts: tuple[int, int] | None) -> bool:
    if counts is None:
        return False
    lower, upper = counts
    return lower >= 1 and lower >= 2 * upper


def _word_case(
    articles: Mapping[str, Article],
    story_of: Mapping[str, str],
    needed: Mapping[str, set[str]],
    joins: Mapping[str, set[tuple[str, str]]],
) -> tuple[dict[str, dict[str, tuple[int, int]]], dict[str, set[tuple[str, str]]]]:
    """For each story, how often each needed word is written lower case and capitalised.

    Words are counted by :func:`_stem` ("launches" with "launched").
    Capitalised counts skip sentence starts; Title Case lines (headlines) are
    not counted at all. Also which ``joins`` (a name's last word, then a
    word) the running text writes after a determiner with the second word in
    lower case: "the Obama administration" makes "Obama Administration" a
    compound, not a name padded by a headline ("Lohan checks into" is no
    compound). Only the articles of stories that need a word are read, with
    one regular expression per story.
    """
    texts: dict[str, list[str]] = defaultdict(list)
    for article_id in sorted(articles):
        story = story_of.get(article_id, "")
        if story in needed:
            texts[story].append(articles[article_id].text)
    out: dict[str, dict[str, tuple[int, int]]] = {}
    compounds: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for story, words in needed.items():
        lower: Counter[str] = Counter()
        upper: Counter[str] = Counter()
        wanted = joins.get(story, set())
        alternatives = "|".join(re.escape(w) for w in sorted(words) if w)
        word_pattern = (
            re.compile(rf"\b(?:{alternatives})(?:ing|ed|es|e|s)?\b", re.I) if words else None
        )
        join_pattern = (
            re.compile(
                "|".join(rf"\b{re.escape(x)}\s+{re.escape(y)}\b" for x, y in sorted(wanted)), re.I
            )
            if wanted
            else None
        )
        for text in texts.get(story, ()):
            headline: dict[int, bool] = {}
            for match in word_pattern.finditer(text) if word_pattern else ():
                word = match.group()
                stem = _stem(word.lower())
                if stem not in words or _in_title_line(text, match.start(), headline):
                    continue
                if word[0].islower():
                    lower[stem] += 1
                    continue
                before = text[max(0, match.start() - 3) : match.start()].rstrip(" \t")
                if before and before[-1] not in _SENTENCE_END and before[-1] != "\n":
                    upper[stem] += 1
            for match in join_pattern.finditer(text) if join_pattern else ():
                first, second = match.group().split(None, 1)
                pair = (_plain(first), _plain(second))
                if (
                    second[0].islower()
                    and pair in wanted
                    and not _in_title_line(text, match.start(), headline)
                    and _after_determiner(_words_before(text, match.start()) + [first])
                ):
                    compounds[story].add(pair)
        out[story] = {w: (lower[w], upper[w]) for w in words}
    return out, compounds


def _in_title_line(text: str, at: int, cache: dict[int, bool]) -> bool:
    start = text.rfind("\n", 0, at) + 1
    if start not in cache:
        end = text.find("\n", at)
        cache[start] = _title_case(text[start : end if end >= 0 else len(text)])
    return cache[start]


def _words_before(text: str, at: int, count: int = 6) -> list[str]:
    start = max(text.rfind("\n", 0, at) + 1, at - 80)
    return [t.group() for t in _TOKEN.finditer(text, start, at)][-count:]


def _plain(word: str) -> str:
    return word.lower() if word.isascii() else fold_name(word)


_DETERMINERS = frozenset(
    {"the", "a", "an", "this", "that", "his", "her", "its", "their", "our", "new", "whose"}
)


def _after_determiner(words: Sequence[str]) -> bool:
    """Do the capitalised words ending ``words`` follow a determiner ("the Obama ...")?"""
    i = len(words) - 1
    while i >= 0 and words[i][:1].isupper() and words[i].lower() not in _DETERMINERS:
        i -= 1
    return i >= 0 and words[i].lower() in _DETERMINERS


def _quoted_title(group: _Group, articles: Mapping[str, Article]) -> bool:
    """Is any mention of the group written after "the" or a quotation mark (a title)?"""
    for node in group.nodes:
        for mention in node.mentions:
            article = articles.get(mention.article)
            if article is None:
                continue
            before = article.text[max(0, mention.start - 5) : mention.start]
            if before.rstrip()[-1:] in ('"', "'", "\u201c", "\u2018") or before.lower().endswith(
                ("the ", "the\u00a0")
            ):
                return True
    return False


_LEGAL_FORMS = frozenset(
    {"corp", "inc", "ltd", "llc", "plc", "co", "gmbh", "ag", "nv", "bv", "spa", "pty", "lp"}
)


def _without_legal_form(key: str) -> str:
    """``"microsoft corp"`` -> ``"microsoft"``: the legal form is not part of the name."""
    words = key.split()
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    return " ".join(words)


# Natural features named after what they are ("Mediterranean Sea", "Qeshm Island"); not
# administrative words: "Kansas City" is not "Kansas", "Marion County" not "Marion".
_FEATURES = frozenset(
    {"sea", "ocean", "river", "island", "isle", "islands", "lake", "bay", "strait", "peninsula",
     "desert", "glacier", "mountains", "range", "canyon", "gulf"}
)  # fmt: skip


def _without_feature(key: str) -> str | None:
    """``"mediterranean sea"`` -> ``"mediterranean"``; None without a trailing feature word."""
    words = key.split()
    if len(words) >= 2 and words[-1] in _FEATURES and words[-2] not in _STOP:
        return " ".join(words[:-1])
    return None


def _blocking_keys(group: _Group) -> set[str]:
    family = group.family
    keys: set[str] = set()
    if group.bare:
        return keys
    if group.geonames is not None:
        keys.add(f"{family}|geo:{group.geonames}")
    for key in group.keys:
        keys.add(f"{family}|n:{key}")
    for letters in group.acronyms:
        keys.add(f"{family}|a:{letters}")
    name = group.name
    if family == "PERSON":
        surname = name.surname
        keys.add(f"PERSON|s:{surname}")
        sk = skeleton(surname)
        if len(sk) >= 2:
            keys.add(f"PERSON|k:{sk}")
        keys.update(f"PERSON|d:{v}" for v in _deletions(surname))
        return keys
    initials = _initials(name.key)
    if initials:
        keys.add(f"{family}|a:{initials}")
    if " " in name.key:
        keys.add(f"{family}|j:{name.key.replace(' ', '')}")
    elif len(name.key) >= 6:
        keys.add(f"{family}|j:{name.key}")
    bare_feature = _without_feature(name.key) if family == "PLACE" else None
    if bare_feature:
        keys.add(f"{family}|n:{bare_feature}")
    words = [w for w in name.key.split() if w not in _STOP]
    if words:
        sk = " ".join(skeleton(w) for w in words)
        if len(sk.replace(" ", "")) >= 3:
            keys.add(f"{family}|k:{sk}")
    if len(words) == 1:
        keys.update(f"{family}|d:{v}" for v in _deletions(words[0]))
    return keys


def _deletions(word: str) -> set[str]:
    if len(word) < 5:
        return set()
    return {word[:i] + word[i + 1 :] for i in range(len(word))} | {word}


def _candidate_pairs(groups: list[_Group], *, one_context: bool) -> list[tuple[float, int, int]]:
    postings: dict[str, list[int]] = defaultdict(list)
    for group in groups:
        for key in _blocking_keys(group):
            postings[key].append(group.index)
    pairs: set[tuple[int, int]] = set()
    for key in sorted(postings):
        members = postings[key]
        if len(members) < 2 or len(members) > _MAX_POSTING:
            continue
        pairs.update(combinations(sorted(members), 2))
    scored: list[tuple[float, int, int]] = []
    for a, b in pairs:
        score = _pair_score(groups[a], groups[b], one_context=one_context)
        if score > 0:
            scored.append((score, a, b))
    scored.sort(key=lambda item: (-item[0], item[1], item[2]))
    return scored


def _evidence(a: _Group, b: _Group, *, one_context: bool) -> bool:
    if one_context or (a.stories & b.stories):
        return True
    if a.labels & b.labels:
        return True
    return len(a.anchors & b.anchors) >= 2


def _pair_score(a: _Group, b: _Group, *, one_context: bool) -> float:
    """How sure we are that two groups are one thing (0: not a candidate)."""
    if a.family != b.family or a.bare or b.bare:
        return 0.0
    if a.geonames is not None and b.geonames is not None and a.geonames != b.geonames:
        return 0.0
    if a.family == "PERSON":
        evidence = _evidence(a, b, one_context=one_context)
        if not _person_compatible(a.name, b.name, partial=False, nicknames=False):
            # "Mo Cheeks" / "Maurice Cheeks": a familiar form, only with evidence.
            if evidence and _person_compatible(a.name, b.name, partial=False):
                return 0.75
            return 0.0
        exact = a.name.surname == b.name.surname
        short = a.name if len(a.name.given) <= len(b.name.given) else b.name
        initials_only = bool(short.given) and all(len(w) == 1 for w in short.given)
        if initials_only and not evidence:
            return 0.0
        return 0.9 if exact else 0.8
    if a.name.key in b.keys or b.name.key in a.keys:
        return 0.95  # one is named by the other's alias or acronym
    if a.name.key.replace(" ", "") == b.name.key.replace(" ", ""):
        return 0.9  # "Trail Blazers" / "Trailblazers"
    if a.acronyms & b.acronyms and _evidence(a, b, one_context=one_context):
        return 0.85  # the same acronym defined for both
    if _words_similar(a.name, b.name):
        strong = edit_distance(a.name.key, b.name.key, 1) <= 1 and len(a.name.key) >= 6
        if strong or _evidence(a, b, one_context=one_context):
            return 0.8
        return 0.0
    if a.family == "PLACE" and (
        _without_feature(a.name.key) == b.name.key or _without_feature(b.name.key) == a.name.key
    ):  # "Mediterranean Sea" / "Mediterranean", in one story
        return 0.7 if (one_context or a.stories & b.stories) else 0.0
    acronym_a = _acronym_of(a)
    acronym_b = _acronym_of(b)
    if (
        (acronym_a and acronym_a == _initials(b.name.key))
        or (acronym_b and acronym_b == _initials(a.name.key))
    ) and (one_context or a.stories & b.stories):
        return 0.7
    return 0.0


def _acronym_of(group: _Group) -> str | None:
    words = group.name.key.split()
    if len(words) != 1:
        return None
    return words[0] if words[0] in group.acronyms else None


# --------------------------------------------------------------------------- clusters
@dataclass(eq=False)
class _Summary:
    """What a cluster's compatibility and choices need, merged as clusters merge."""

    members: list[int]
    families: set[str]
    geonames: set[int]
    names: dict[str, _Group]  # distinct name keys (bare names of many stories: one entry)
    aliases: set[str]
    full: bool
    labels: set[str]
    anchors: set[str]
    story_mentions: Counter[str]

    @classmethod
    def of(cls, group: _Group) -> _Summary:
        return cls(
            members=[group.index],
            families={group.family},
            geonames={group.geonames} if group.geonames is not None else set(),
            names={group.name.key: group},
            aliases=set(group.keys),
            full=not group.bare,
            labels=set(group.labels),
            anchors=set(group.anchors),
            story_mentions=Counter(group.story_mentions),
        )

    def absorb(self, other: _Summary) -> None:
        self.members.extend(other.members)
        self.families |= other.families
        self.geonames |= other.geonames
        for key, group in other.names.items():
            self.names.setdefault(key, group)
        self.aliases |= other.aliases
        self.full = self.full or other.full
        self.labels |= other.labels
        if len(self.anchors) < _MAX_ANCHORS:
            self.anchors |= other.anchors
        self.story_mentions.update(other.story_mentions)


_MAX_ANCHORS = 500


class _Clusters:
    """Union-find over groups that refuses merges joining incompatible names."""

    def __init__(self, groups: list[_Group]) -> None:
        self.groups = groups
        self.parent = list(range(len(groups)))
        self.summary: dict[int, _Summary] = {g.index: _Summary.of(g) for g in groups}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def size(self, i: int) -> int:
        return len(self.summary[self.find(i)].members)

    def union(self, a: int, b: int) -> bool:
        """Merge the clusters of ``a`` and ``b`` unless their names are incompatible."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not self.compatible(ra, rb):
            return False
        keep, drop = (ra, rb) if ra < rb else (rb, ra)
        self.parent[drop] = keep
        big, small = self.summary[keep], self.summary.pop(drop)
        if len(small.members) > len(big.members):
            big, small = small, big
            self.summary[keep] = big
        big.absorb(small)
        return True

    def compatible(self, ra: int, rb: int) -> bool:
        left, right = self.summary[ra], self.summary[rb]
        if left.families != right.families:
            return False
        if len(left.geonames | right.geonames) > 1:
            return False
        family = next(iter(left.families))
        has_full = left.full or right.full
        for x in left.names.values():
            for y in right.names.values():
                if x.name.key == y.name.key:
                    continue
                if family == "PERSON" and x.bare and y.bare and has_full:
                    continue  # "Trump" and "Donald" meet through "Donald Trump"
                if family == "PERSON":
                    if not _person_compatible(x.name, y.name):
                        return False
                elif (
                    len(x.name.words) > 1
                    and len(y.name.words) > 1
                    and x.geonames is None
                    and y.geonames is None
                    and not _words_similar(x.name, y.name)
                    and x.name.key.replace(" ", "") != y.name.key.replace(" ", "")
                    and x.name.key not in right.aliases
                    and y.name.key not in left.aliases
                    and not _is_suffix(x.name.key, y.name.key)
                    and not _is_suffix(y.name.key, x.name.key)
                ):
                    return False
        return True

    def retype(self, index: int, family: str) -> bool:
        """Give a group that is still alone another family (a tagger's type slip)."""
        root = self.find(index)
        summary = self.summary[root]
        if len(summary.members) != 1:
            return False
        group = self.groups[index]
        _retype(group, family)
        summary.families = {family}
        summary.full = not group.bare
        return True

    def roots(self) -> list[int]:
        return sorted(self.summary)


def _attach_partial_names(groups: list[_Group], clusters: _Clusters, *, one_context: bool) -> None:
    """Join bare names and cut-short names to the person of their story they fit.

    Within each story (the whole corpus when no stories are given), a bare
    name ("Kaczyński", "Kim") fits the people whose surname it spells, or
    failing that whose first word it is; a cut-short full name ("Kim Jong")
    fits the people whose name it begins; an organisation's short name
    ("Navy", "Chargers") fits the organisations whose name it ends ("Indian
    Navy", "San Diego Chargers"). One fitting person: join it. Several:
    the one sharing a role or title label with the name, else one that the
    story mentions at least ``_DOMINANT`` times as often as any other; else
    the name stays an entity of its own. A bare name whose story names no one
    it fits then joins the corpus-wide person chosen the same way, if a
    shared label or two shared co-occurring entities support it.
    """
    index = _PartialIndex(groups)
    leftovers: list[_Group] = []
    for group in groups:
        if _unresolved_place_word(group):
            _attach_place_word(group, index, clusters, one_context=one_context)
            continue
        if group.family not in ("PERSON", "ORG"):
            continue
        for story in [""] if one_context else sorted(group.stories):
            people = index.candidates(group, None if one_context else story)
            fitting = _fits(group, people, clusters)
            choice = _choose(group, fitting, clusters, story)
            if choice is not None:
                clusters.union(group.index, choice)
            elif group.bare and not fitting:
                if not _attach_to_organisation(group, index, clusters, story, one_context):
                    leftovers.append(group)
            elif group.bare:
                leftovers.append(group)
    for group in leftovers:
        if clusters.size(group.index) > 1:
            continue
        fitting = _fits(group, index.candidates(group, None), clusters)
        choice = _choose(group, fitting, clusters, None)
        if choice is None:
            continue
        chosen = clusters.summary[choice]
        if (group.labels & chosen.labels) or len(group.anchors & chosen.anchors) >= 2:
            clusters.union(group.index, choice)


_DOMINANT = 3


def _unresolved_place_word(group: _Group) -> bool:
    """A single-word place the gazetteer did not resolve: maybe a name the tagger misread."""
    return (
        group.family in ("PLACE", "NORP")
        and group.geonames is None
        and len(group.name.words) == 1
    )


def _attach_place_word(
    group: _Group, index: _PartialIndex, clusters: _Clusters, *, one_context: bool
) -> None:
    """A single word typed as a place without a GeoNames id that is the name of one person.

    "Kathina" (a GPE the gazetteer does not know) in a story about Kathina
    Thomas is her first name. It joins the person when, in every story the
    word appears in, exactly one person fits it as a bare name does; a place
    the gazetteer resolved never does. A word typed NORP joins only as the
    exact surname of one person ("Klitschko").
    """
    if clusters.size(group.index) > 1:
        return
    as_person = copy.copy(group)
    _retype(as_person, "PERSON")
    chosen: set[int] = set()
    for story in [""] if one_context else sorted(group.stories):
        people = index.candidates(as_person, None if one_context else story)
        if group.family == "NORP":  # "Klitschko", never "Christian" for Christian Bale
            people = [p for p in people if p.name.surname == group.name.key]
        fitting = _fits(as_person, people, clusters)
        if len(fitting) != 1:
            return
        chosen |= fitting
    if len(chosen) == 1 and clusters.retype(group.index, "PERSON"):
        clusters.union(group.index, next(iter(chosen)))


def _attach_to_organisation(
    group: _Group, index: _PartialIndex, clusters: _Clusters, story: str, one_context: bool
) -> bool:
    """A single word typed PERSON that fits no person of its story but names one organisation.

    "Colts" or "SEACOM" tagged as a person in some articles, in a story
    whose organisations include "Indianapolis Colts" or "SEACOM" and whose
    people include no one of that name: it is the organisation (one
    organisation fits, by the same name or as the end of its name).
    """
    if group.name.key in group.acronyms and len(group.name.key) <= 2:
        return False
    organisations = index.organisations(group, None if one_context else story)
    roots = {clusters.find(o.index) for o in organisations if o.family == "ORG"}
    roots.discard(clusters.find(group.index))
    if len(roots) != 1 or not clusters.retype(group.index, "ORG"):
        return False
    return clusters.union(group.index, next(iter(roots)))


class _PartialIndex:
    """Full names by surname keys, first word and leading words; organisations by end words."""

    def __init__(self, groups: Sequence[_Group]) -> None:
        self.postings: dict[str, list[_Group]] = defaultdict(list)
        for group in groups:
            words = group.name.words
            if group.family == "ORG":
                parts = group.name.key.split()
                self.postings["o:" + group.name.key].append(group)
                for j in range(1, len(parts)):
                    self.postings["x:" + " ".join(parts[-j:])].append(group)
            elif group.family == "PERSON" and not group.bare and words:
                surname = group.name.surname
                keys = {"s:" + surname, "k:" + skeleton(surname), "f:" + words[0]}
                keys.update("d:" + v for v in _deletions(surname))
                keys.update("p:" + " ".join(words[:j]) for j in range(2, len(words)))
                for key in keys:
                    self.postings[key].append(group)

    def candidates(self, group: _Group, story: str | None) -> list[_Group]:
        words = group.name.words
        if not words:
            return []
        if group.family == "ORG":
            keys = ["x:" + group.name.key]
        elif group.bare:
            word = words[0]
            keys = ["s:" + word, "k:" + skeleton(word), "f:" + word]
            keys += ["d:" + v for v in _deletions(word)]
        else:
            keys = ["p:" + " ".join(words)]
        return self._lookup(group, keys, story)

    def organisations(self, group: _Group, story: str | None) -> list[_Group]:
        """Organisations named exactly like the group or ending with its name."""
        return self._lookup(group, ["o:" + group.name.key, "x:" + group.name.key], story)

    def _lookup(self, group: _Group, keys: Sequence[str], story: str | None) -> list[_Group]:
        found: dict[int, _Group] = {}
        for key in keys:
            for other in self.postings.get(key, ()):
                if other is not group and (story is None or story in other.stories):
                    found[other.index] = other
        return [found[i] for i in sorted(found)]


def _fits(group: _Group, people: Sequence[_Group], clusters: _Clusters) -> set[int]:
    """Clusters of ``people`` that a bare or cut-short name ``group`` could belong to."""
    own = clusters.find(group.index)
    words = group.name.words
    if not words:
        return set()
    if group.family != "PERSON":
        if group.name.key in group.acronyms:  # "UN" is not the end of "Bank of UN"
            return set()
        fitting = {
            clusters.find(p.index) for p in people if _is_suffix(group.name.key, p.name.key)
        }
    elif group.bare:
        word = words[0]
        if group.name.suffix:  # "Donald Jr." fits only a "Jr."
            people = [p for p in people if p.name.suffix == group.name.suffix]
        fitting = {
            clusters.find(p.index) for p in people if similar_words(word, p.name.surname)
        }
        if not fitting:
            fitting = {clusters.find(p.index) for p in people if p.name.words[0] == word}
    else:
        fitting = {
            clusters.find(p.index)
            for p in people
            if _is_prefix(words, p.name.words) and p.name.suffix == group.name.suffix
        }
    fitting.discard(own)
    return fitting


def _choose(
    group: _Group, fitting: set[int], clusters: _Clusters, story: str | None
) -> int | None:
    if not fitting:
        return None
    if len(fitting) == 1:
        return next(iter(fitting))
    if group.labels:
        labelled = {root for root in fitting if group.labels & clusters.summary[root].labels}
        if len(labelled) == 1:
            return next(iter(labelled))
    weight = {
        root: (
            clusters.summary[root].story_mentions.get(story, 0)
            if story is not None
            else sum(clusters.summary[root].story_mentions.values())
        )
        for root in fitting
    }
    ranked = sorted(fitting, key=lambda root: (-weight[root], root))
    if weight[ranked[0]] >= _DOMINANT * max(1, weight[ranked[1]]):
        return ranked[0]
    return None


# --------------------------------------------------------------------------- output
def _display_name(nodes: Sequence[Entity]) -> str:
    """The name most articles use, preferring Latin script and full names.

    Ties go to the name with more mentions, then title case, then A-Z.
    """
    counts = Counter(node.name for node in nodes)
    mentions = Counter()
    for node in nodes:
        mentions[node.name] += len(node.mentions)

    def rank(name: str) -> tuple[bool, bool, int, int, bool, bool, str]:
        full = len(_parse(name_key(name)).words) >= 2
        return (
            not _is_latin(name),
            not full,
            -counts[name],
            -mentions[name],
            not name.istitle(),
            name.isupper(),
            name,
        )

    return min(counts, key=rank)


def _build_entities(groups: list[_Group], clusters: _Clusters) -> EntityResolution:
    built: list[tuple[str, str, str, Entity, list[Entity]]] = []
    for root in clusters.roots():
        members = [groups[i] for i in clusters.summary[root].members]
        nodes = sorted((n for g in members for n in g.nodes), key=lambda n: n.id)
        type_counts = Counter(n.type for n in nodes)
        entity_type = min(type_counts, key=lambda t: (-type_counts[t], t))
        people = [n for n in nodes if len(_parse(name_key(n.name)).words) >= 2]
        name = _display_name(people if entity_type == "PERSON" and people else nodes)
        geonames = next((g.geonames for g in members if g.geonames is not None), None)
        key = f"geonames:{geonames}" if geonames is not None else name_key(name)
        aliases = Counter(a for n in nodes for a in (n.name, *n.aliases) if a and a != name)
        labels = Counter(label for n in nodes for label in n.labels)
        kb: dict[str, object] = {}
        for node in nodes:
            for k, v in (node.kb or {}).items():
                kb.setdefault(k, v)
        mentions: list[Mention] = sorted(
            {m for n in nodes for m in n.mentions},
            key=lambda m: (m.article, m.start, m.end, m.text),
        )
        entity = Entity(
            id="",
            name=name,
            type=entity_type,
            aliases=tuple(sorted(aliases, key=lambda a: (-aliases[a], a))),
            mentions=tuple(mentions),
            labels=tuple(sorted(labels, key=lambda a: (-labels[a], a))),
            kb=kb,
        )
        built.append((entity_type, key, nodes[0].id, entity, nodes))
    taken: Counter[tuple[str, str]] = Counter((t, k) for t, k, *_ in built)
    entities: list[Entity] = []
    mapping: dict[str, str] = {}
    for entity_type, key, first_id, entity, nodes in built:
        if taken[(entity_type, key)] > 1:
            key = f"{key}|{first_id}"
        entity_id = make_id("ent", entity_type, key)
        final = Entity(
            id=entity_id,
            name=entity.name,
            type=entity.type,
            aliases=entity.aliases,
            mentions=entity.mentions,
            labels=entity.labels,
            kb=entity.kb,
        )
        entities.append(final)
        for node in nodes:
            mapping[node.id] = entity_id
    entities.sort(key=lambda e: (-len(e.mentions), e.id))
    return EntityResolution(entities=tuple(entities), mapping=mapping)
