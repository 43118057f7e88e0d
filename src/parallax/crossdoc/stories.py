"""Stories: articles about the same happening, grouped incrementally, never all pairs.

``cluster_stories(articles, existing)`` groups articles the way Miranda et al.
(2018, "Multilingual clustering of streaming news") represent them -- TF-IDF
vectors per feature family, combined linearly, damped by time -- but decides
the groups on a sparse similarity graph rather than by a single pass against
story centroids. On ECB+ the single pass (with any threshold) reached B³ F1
0.86-0.91 and depended on the order of the articles; the graph reaches
0.93-1.0 (see ``EVALUATION.md``).

Representation
--------------
- **words**: case- and diacritic-folded words of the body, of the lead (the
  first ``LEAD_CHARS`` characters, counted ``LEAD_REPEAT`` more times) and of
  the title (``TITLE_REPEAT`` more times); stop words, numbers and words under
  three letters dropped; a plural ``s`` cut.
- **entities**: the per-article entities (a place by its GeoNames id, a
  person by full name and by surname, an organisation by its name and its
  acronyms), counted by mentions, mentions in the lead counted again; plus
  the **dates the text names** (:func:`_date_keys`): each month and day
  written with a month name ("Dec. 11", "11 December 2008", with or without
  a year) and each year of an explicitly written (not inferred) date, once
  per article. Reports of one happening name the same day; two happenings of
  the same kind (two earthquakes on one island, two patches for one browser)
  mostly name different ones. A shared day counts for a link; a differing
  one is no veto and weighs only as any entity the other text lacks (texts
  name past dates too, and on ECB+ a penalty for differing text dates
  lowered B³ F1, see ``EVALUATION.md``).

Weights are ``(1 + log tf) * idf`` with ``idf = log((1 + N) / (1 + df)) + 1``
over the articles given; each vector is L2-normalised. The similarity of two
articles is ``(1 - entity_weight) * cos(words) + entity_weight * cos(entities)``
(words alone when either has no entity or date key, e.g. a language the
reader skips).
Entity names are also words, so a name counts in both parts and weighs more
than an ordinary word. Time: with ``d`` the days between the two articles'
dates (``published``, else the median full date written in the text) the
similarity is multiplied by ``exp(-(d / (window_days / 2)) ** 2 / 2)``, and
articles more than ``window_days`` apart are never linked. Undated articles
are compared without decay; ``window_days=0`` turns time off.

Grouping
--------
1. *Neighbours.* Each article is linked to its ``neighbours`` most similar
   articles whose similarity is at least ``threshold`` and at least half of
   its best similarity (a relative cut that keeps an article on the edge of
   a topic from linking into the next story).
2. *Components.* The links split the corpus into connected components
   (usually one per topic: "rehab", "pirates").
3. *Communities.* Inside each component, Louvain modularity optimisation
   (Blondel et al. 2008) with resolution ``resolution`` splits the topic into
   stories (Tara Reid's rehab vs Lindsay Lohan's). Modularity is computed per
   component, so adding unrelated articles elsewhere never changes a story
   (the resolution limit of a global modularity would merge small stories as
   the corpus grows).

Online and stable. Members of ``existing`` stories found among ``articles``
start in their story's community and never move; a story none of whose
members is given is represented by its title and keywords. New articles join
an existing story's community or form new ones; two existing stories never
merge. So existing stories keep their ids and members and only grow. A new
story's id is ``make_id("sto", earliest member id)`` (earliest by date, then
id); an existing story keeps its id even when an older article joins it. An
article with ``duplicate_of`` joins its original's story. Louvain visits
articles in date order, then id order, so the result does not depend on the
order of the input.

Cost. Neighbours come from an inverted index over each article's
highest-weighted terms that at least one other article shares
(``_BLOCK_WORDS`` words and ``_BLOCK_ENTITIES`` entity keys), restricted to
articles inside the time window; a term shared by more than
``_MAX_POSTING`` such articles is too common to suggest neighbours and is
skipped; only the ``_MAX_CANDIDATES`` articles sharing the most term weight
are compared. Each article therefore costs a bounded number of comparisons,
the graph has at most ``neighbours`` links per article, and Louvain is
near-linear in the links: the whole step grows linearly.

Each story's ``title`` is that of its most central member (the member most
similar to the story's word centroid; ties to the earliest),
``first_date``/``last_date`` span its members' dates and ``keywords`` are
the heaviest entity names and words of its centroid.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from parallax.ids import make_id
from parallax.records import Article, Story
from parallax.stages.dates import MONTHS
from parallax.stages.places import _SPECIAL_LETTERS, fold_name

__all__ = ["cluster_stories", "story_terms"]

THRESHOLD = 0.08
WINDOW_DAYS = 30
ENTITY_WEIGHT = 0.3
NEIGHBOURS = 6
RESOLUTION = 0.5
RELATIVE = 0.5  # a link must be at least this share of the article's best similarity
TITLE_REPEAT = 3
LEAD_REPEAT = 2
LEAD_CHARS = 300
_BLOCK_WORDS = 12
_BLOCK_ENTITIES = 10
_MAX_POSTING = 400
_MAX_CANDIDATES = 60
_KEYWORDS = 8
TERM_WORDS = 30  # words per article kept for store-side candidate search (story_terms)
TERM_ENTITIES = 15
_WORD = re.compile(r"\w+", re.UNICODE)
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_SKIPPED_TYPES = frozenset({"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"})
_DATE_KEY = "date:"
_MONTH_NAME = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH_DAY = re.compile(
    rf"\b(?P<m1>{_MONTH_NAME})(?![a-z])\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_NAME})\b",
    re.IGNORECASE,
)

_STOP_WORDS = frozenset(
    """
    a about above after again against all almost also although always am among an and another
    any anyone anything are around as at back be became because become been before being below
    between both but by can cannot could did do does doing done down during each either else
    even ever every few first for former from further get gets got had has have having he her
    here hers herself him himself his how however i if in including into is it its itself just
    last least less like made make many may me might more most much must my myself near neither
    never new next no nor not now of off often on once one only or other others our ours
    ourselves out over own per perhaps rather really said same say says see seen several she
    should since so some still such than that the their theirs them themselves then there these
    they this those though through thus to told too toward towards under until up upon us very
    via was we well were what whatever when where whether which while who whom whose why will
    with within without would yet you your yours yourself yourselves mr mrs ms dr according
    year years week weeks day days time tuesday monday wednesday thursday friday saturday
    sunday today yesterday tomorrow two three four five six seven eight nine ten people
    percent reported report reports news http https www com html
    """.split()
)


# --------------------------------------------------------------------------- features
@dataclass(slots=True)
class _Doc:
    id: str
    date: int | None  # publication date (proleptic ordinal): gates and damps links
    words: dict[str, float]  # unit vector
    entities: dict[str, float]  # unit vector (may be empty)
    block: tuple[tuple[str, float], ...] = ()
    day: int | None = None  # publication date, else the median full date in the text


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """What :func:`fold_name` turns one character into (it works character by character)."""
    decomposed = unicodedata.normalize("NFKD", ch.translate(_SPECIAL_LETTERS))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return kept.translate(_SPECIAL_LETTERS).casefold()


def _fold_text(text: str) -> str:
    """``fold_name(text)`` up to whitespace, as one ``str.translate`` (the words are the same)."""
    return text.translate({ord(c): _fold_char(c) for c in set(text)})


def _words(text: str, surface: Counter[tuple[str, str]] | None = None) -> list[str]:
    out = []
    if text.isascii():  # fast path; fold_name gives the same words
        folded = text.lower().replace("'", "")
    else:
        folded = _fold_text(text)
    for raw in _WORD.findall(folded):
        if len(raw) < 3 or raw[0].isdigit() or raw in _STOP_WORDS:
            continue
        word = raw
        if len(raw) > 4 and raw.endswith("s") and not raw.endswith(("ss", "us", "is")):
            word = raw[:-1]
        if surface is not None:
            surface[(word, raw)] += 1
        out.append(word)
    return out


def _lead_end(article: Article) -> int:
    """End offset of the lead: the first ``LEAD_CHARS`` characters, extended to a line end."""
    text = article.text
    if len(text) <= LEAD_CHARS:
        return len(text)
    cut = text.find("\n", LEAD_CHARS)
    return len(text) if cut < 0 else cut


def _entity_terms(article: Article) -> tuple[Counter[str], dict[str, str]]:
    from parallax.crossdoc.entities import name_key

    terms: Counter[str] = Counter()
    names: dict[str, str] = {}
    lead = _lead_end(article)
    for entity in article.entities:
        if entity.type in _SKIPPED_TYPES:
            continue
        in_lead = sum(1 for m in entity.mentions if m.start < lead)
        weight = max(1, len(entity.mentions)) + LEAD_REPEAT * in_lead
        keys: list[str] = []
        geonames = entity.kb.get("geonames") if entity.kb else None
        if geonames is not None:
            keys.append(f"geo:{geonames}")
        else:
            key = name_key(entity.name)
            if key:
                keys.append(f"{entity.type}:{key}")
        if entity.type == "PERSON":
            words = name_key(entity.name).split()
            if len(words) > 1:
                keys.append(f"PERSON:{words[-1]}")
        for alias in entity.aliases:
            bare = alias.replace(".", "")
            if bare.isupper() and 2 <= len(bare) <= 10:
                keys.append(f"{entity.type}:{name_key(alias)}")
        for key in dict.fromkeys(keys):
            terms[key] += weight
            names.setdefault(key, entity.name)
    for key in _date_keys(article):
        terms[key] += 1
    return terms, names


def _date_keys(article: Article) -> list[str]:
    """The days and years the article's date expressions name, as entity-part keys.

    ``date:md-MM-DD`` for a month name written with a day number (whatever
    the year, and whether or not the reader could resolve it), ``date:y-YYYY``
    for the year of a value the text states rather than one inferred from an
    anchor ("Tuesday" resolved against a publication date says nothing of
    its own). Weekdays, "yesterday" and bare months give no key. Month names
    are the English ones the date reader knows; in other languages only the
    years of resolved values count.
    """
    keys: dict[str, None] = {}
    for expression in article.dates:
        value = expression.value or ""
        if not expression.inferred and value[:4].isdigit():
            keys[f"{_DATE_KEY}y-{value[:4]}"] = None
        match = _MONTH_DAY.search(expression.text)
        if match is not None:
            month = MONTHS[(match["m1"] or match["m2"]).lower()]
            day = int(match["d1"] or match["d2"])
            if 1 <= day <= 31:
                keys[f"{_DATE_KEY}md-{month:02d}-{day:02d}"] = None
    return sorted(keys)


def _published(article: Article) -> int | None:
    if article.published and _FULL_DATE.match(article.published):
        return _parse_date(article.published[:10])
    return None


def _article_date(article: Article) -> int | None:
    published = _published(article)
    if published is not None:
        return published
    values = sorted(
        d
        for d in (
            _parse_date(t.value[:10])
            for t in article.dates
            if t.value and _FULL_DATE.match(t.value)
        )
        if d is not None
    )
    return values[(len(values) - 1) // 2] if values else None


def _parse_date(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10]).toordinal()
    except ValueError:
        return None


def _unit(counts: Mapping[str, float], idf: Mapping[str, float]) -> dict[str, float]:
    vector = {k: (1.0 + math.log(c)) * idf.get(k, 1.0) for k, c in counts.items() if c > 0}
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in sorted(vector.items())} if norm else {}


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    common = a.keys() & b.keys()  # the intersection runs in C; a list sums faster than a generator
    return sum([a[k] * b[k] for k in common])


def _similarity(a: _Doc, b: _Doc, entity_weight: float, window: int | None) -> float:
    """Combined cosine of two articles, damped by the days between them."""
    score = _dot(a.words, b.words)
    if a.entities and b.entities:
        score = (1 - entity_weight) * score + entity_weight * _dot(a.entities, b.entities)
    if window and a.date is not None and b.date is not None and a.date != b.date:
        sigma = window / 2
        score *= math.exp(-(((a.date - b.date) / sigma) ** 2) / 2)
    return score


def _vectors(
    articles: Sequence[Article], existing: Sequence[Story], present: set[str]
) -> tuple[dict[str, _Doc], dict[str, str]]:
    raw: dict[str, tuple[Counter[str], Counter[str], int | None, int | None]] = {}
    names: dict[str, str] = {}
    surface: Counter[tuple[str, str]] = Counter()
    for article in articles:
        words = Counter(_words(article.text, surface))
        for word in _words(article.text[: _lead_end(article)]):
            words[word] += LEAD_REPEAT
        for word in _words(article.title or ""):
            words[word] += TITLE_REPEAT
        entities, entity_names = _entity_terms(article)
        for key, name in entity_names.items():
            names.setdefault(key, name)
        raw[article.id] = (words, entities, _published(article), _article_date(article))
    for story in existing:
        if any(a in present for a in story.articles):
            continue
        words = Counter(_words(story.title or ""))
        for keyword in story.keywords:
            words.update(_words(keyword))
        day = _parse_date(story.last_date) if story.last_date else None
        raw[f"story:{story.id}"] = (words, Counter(), day, day)
    for (word, form), _ in sorted(surface.items(), key=lambda kv: (-kv[1], kv[0])):
        names.setdefault(f"w:{word}", form)
    total = len(raw)
    df: Counter[str] = Counter()
    for words, entities, _, _ in raw.values():
        df.update(words.keys())
        df.update(entities.keys())
    idf = {term: math.log((1 + total) / (1 + count)) + 1 for term, count in df.items()}
    docs: dict[str, _Doc] = {}
    for doc_id, (words, entities, published, day) in raw.items():
        word_vector = _unit(words, idf)
        entity_vector = _unit(entities, idf)
        # A term no other article has cannot suggest a neighbour: block on shared ones.
        shared_words = ((k, v) for k, v in word_vector.items() if df[k] > 1)
        shared_entities = ((k, v) for k, v in entity_vector.items() if df[k] > 1)
        top_words = sorted(shared_words, key=lambda kv: (-kv[1], kv[0]))[:_BLOCK_WORDS]
        top_entities = sorted(shared_entities, key=lambda kv: (-kv[1], kv[0]))
        block = tuple((f"w:{k}", v) for k, v in top_words) + tuple(
            (f"e:{k}", v) for k, v in top_entities[:_BLOCK_ENTITIES]
        )
        docs[doc_id] = _Doc(
            id=doc_id,
            date=published,
            words=word_vector,
            entities=entity_vector,
            block=block,
            day=day,
        )
    return docs, names


def _raw_terms(article: Article) -> tuple[Counter[str], Counter[str]]:
    words = Counter(_words(article.text))
    for word in _words(article.text[: _lead_end(article)]):
        words[word] += LEAD_REPEAT
    for word in _words(article.title or ""):
        words[word] += TITLE_REPEAT
    return words, _entity_terms(article)[0]


def story_terms(article: Article) -> tuple[int | None, tuple[tuple[str, float], ...]]:
    """The article's date and its heaviest terms, for finding candidate stories in the store.

    Returns (day, ((term, weight), ...)): up to ``TERM_WORDS`` words (``w:``)
    and ``TERM_ENTITIES`` entity keys (``e:``) by ``1 + log tf`` (the same
    term frequencies the story vectors use). The store keeps them per linked
    article, and a new article's candidate stories are those whose members
    share its rarest terms (IDF from the stored terms) inside the time window;
    only those stories' members are then loaded and clustered with it.
    """
    words, entities = _raw_terms(article)
    top_words = sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:TERM_WORDS]
    top_entities = sorted(entities.items(), key=lambda kv: (-kv[1], kv[0]))[:TERM_ENTITIES]
    terms = tuple((f"w:{k}", 1.0 + math.log(c)) for k, c in top_words) + tuple(
        (f"e:{k}", 1.0 + math.log(c)) for k, c in top_entities if c > 0
    )
    return _article_date(article), terms


# --------------------------------------------------------------------------- main
def cluster_stories(
    articles: Sequence[Article],
    existing: Sequence[Story] = (),
    *,
    threshold: float = THRESHOLD,
    window_days: int = WINDOW_DAYS,
    entity_weight: float = ENTITY_WEIGHT,
    neighbours: int = NEIGHBOURS,
    resolution: float = RESOLUTION,
) -> tuple[Story, ...]:
    """Group ``articles`` into stories, extending ``existing`` ones (module docstring).

    Returns every story (existing ones, grown or not, and new ones) sorted by
    first date then id. ``window_days=0`` turns time decay off.
    """
    unique: dict[str, Article] = {}
    for article in sorted(articles, key=lambda a: (a.id, a.text)):
        unique.setdefault(article.id, article)
    window = window_days if window_days and window_days > 0 else None

    story_of: dict[str, str] = {}  # article id -> existing story id
    originals = {story.id: story for story in sorted(existing, key=lambda s: s.id)}
    for story in originals.values():
        for article_id in story.articles:
            story_of.setdefault(article_id, story.id)

    # Duplicates whose original is known follow it and are not clustered.
    followers: dict[str, str] = {}
    for article in unique.values():
        if article.id not in story_of and article.duplicate_of:
            target = _original(article.id, unique, story_of)
            if target is not None:
                followers[article.id] = target
    clustered = [a for a in unique.values() if a.id not in followers]
    docs, names = _vectors(clustered, tuple(originals.values()), set(unique))

    def order(doc_id: str) -> tuple[bool, int, str]:
        day = docs[doc_id].day
        return (day is None, day or 0, doc_id)

    nodes = sorted(docs, key=order)
    position = {doc_id: i for i, doc_id in enumerate(nodes)}
    fixed: dict[int, str] = {}
    for doc_id, i in position.items():
        if doc_id.startswith("story:") and doc_id[6:] in originals:
            fixed[i] = doc_id[6:]
        elif doc_id in story_of:
            fixed[i] = story_of[doc_id]
    edges = _neighbour_graph([docs[n] for n in nodes], threshold, window, entity_weight, neighbours)
    labels = _communities(len(nodes), edges, fixed, resolution)

    members: dict[str, list[str]] = defaultdict(list)
    for i, label in enumerate(labels):
        if not nodes[i].startswith("story:"):
            members[label].append(nodes[i])
    stories: list[tuple[str | None, list[str]]] = []
    grown: set[str] = set()
    claimed: set[str] = set()
    for label in sorted(members, key=lambda lab: order(members[lab][0])):
        group = members[label]
        existing_id = label if label in originals else None
        if existing_id is not None:
            claimed.add(existing_id)
            if any(a not in story_of for a in group):
                grown.add(existing_id)
        stories.append((existing_id, group))
    for story_id in originals:
        if story_id not in claimed:
            stories.append((story_id, []))
    # Followers join their original's story.
    home: dict[str, int] = {}
    for number, (_, group) in enumerate(stories):
        for article_id in group:
            home[article_id] = number
    number_of = {sid: i for i, (sid, _) in enumerate(stories) if sid is not None}
    for story_id, original in originals.items():
        for article_id in original.articles:
            home.setdefault(article_id, number_of[story_id])
    for article_id, target in sorted(followers.items()):
        number = home.get(target)
        if number is None:
            stories.append((None, [article_id]))
            home[article_id] = len(stories) - 1
            continue
        stories[number][1].append(article_id)
        home[article_id] = number
        story_id = stories[number][0]
        if story_id is not None:
            grown.add(story_id)
    return _finish(stories, originals, grown, docs, unique, names)


def _original(
    article_id: str, articles: Mapping[str, Article], story_of: Mapping[str, str]
) -> str | None:
    """Follow ``duplicate_of`` to the first known article that is not itself a copy."""
    seen = {article_id}
    target = articles[article_id].duplicate_of
    while target is not None:
        if target in story_of:
            return target
        if target not in articles:
            return None
        following = articles[target].duplicate_of
        if not following or following in seen or following == target:
            return target if not following else None
        seen.add(target)
        target = following
    return None


# --------------------------------------------------------------------------- graph
def _neighbour_graph(
    docs: Sequence[_Doc],
    threshold: float,
    window: int | None,
    entity_weight: float,
    neighbours: int,
) -> dict[tuple[int, int], float]:
    """Links from each article to its nearest neighbours (module docstring, step 1)."""
    postings: dict[str, list[int]] = defaultdict(list)  # term -> node indices in date order
    days: dict[str, list[float]] = defaultdict(list)
    by_date = sorted(range(len(docs)), key=lambda i: (docs[i].date is None, docs[i].date or 0, i))
    for i in by_date:
        doc = docs[i]
        day = float(doc.date) if doc.date is not None else math.inf
        for term, _ in doc.block:
            postings[term].append(i)
            days[term].append(day)
    edges: dict[tuple[int, int], float] = {}
    for i, doc in enumerate(docs):
        shared: dict[int, float] = defaultdict(float)
        for term, weight in doc.block:
            posting = postings[term]
            if window and doc.date is not None:
                dated = days[term]
                lo = bisect.bisect_left(dated, doc.date - window)
                hi = bisect.bisect_right(dated, doc.date + window)
                undated = len(dated) - bisect.bisect_left(dated, math.inf)
                if hi - lo + undated > _MAX_POSTING:
                    continue
                span = [*posting[lo:hi], *posting[len(posting) - undated :]]
            elif len(posting) > _MAX_POSTING:
                continue
            else:
                span = posting
            for j in span:
                if j != i:
                    shared[j] += weight
        ranked = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:_MAX_CANDIDATES]
        scored = []
        for j, _ in ranked:
            other = docs[j]
            if window and doc.date is not None and other.date is not None:
                if abs(doc.date - other.date) > window:
                    continue
            score = _compare(doc, other, entity_weight, window)
            if score >= threshold:
                scored.append((score, j))
        if not scored:
            continue
        scored.sort(key=lambda sj: (-sj[0], sj[1]))
        best = scored[0][0]
        for score, j in scored[:neighbours]:
            if score < RELATIVE * best:
                break
            key = (i, j) if i < j else (j, i)
            edges[key] = score
    return edges


def _compare(a: _Doc, b: _Doc, entity_weight: float, window: int | None) -> float:
    """One comparison of two articles; a separate function so tests can count calls."""
    return _similarity(a, b, entity_weight, window)


def _communities(
    n: int, edges: Mapping[tuple[int, int], float], fixed: Mapping[int, str], resolution: float
) -> list[str]:
    """Label each node: its existing story id, or a new community key (module docstring 2-3)."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    # Members of one existing story belong together even without links.
    first_of: dict[str, int] = {}
    for node in sorted(fixed):
        story = fixed[node]
        if story in first_of:
            ra, rb = find(node), find(first_of[story])
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        else:
            first_of[story] = node
    components: dict[int, list[int]] = defaultdict(list)
    for node in range(n):
        components[find(node)].append(node)
    labels = [""] * n
    by_component: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for (a, b), w in edges.items():
        by_component[find(a)].append((a, b, w))
    for root, nodes in components.items():
        local = {node: k for k, node in enumerate(nodes)}
        local_edges = [(local[a], local[b], w) for a, b, w in by_component.get(root, ())]
        local_fixed = {local[node]: fixed[node] for node in nodes if node in fixed}
        groups = _louvain(len(nodes), local_edges, local_fixed, resolution)
        for k, node in enumerate(nodes):
            group = groups[k]
            labels[node] = group if isinstance(group, str) else f"new:{nodes[group]}"
    return labels


def _louvain(
    n: int,
    edges: Sequence[tuple[int, int, float]],
    fixed: Mapping[int, str],
    resolution: float,
) -> list[int | str]:
    """Louvain modularity communities; fixed nodes keep their story and never move.

    Returns, per node, its story id (fixed communities) or the smallest node
    index of its community.
    """
    if n == 1 or not edges:
        return [fixed.get(i, i) for i in range(n)]
    adjacency: list[dict[int, float]] = [defaultdict(float) for _ in range(n)]
    for a, b, w in edges:
        adjacency[a][b] += w
        adjacency[b][a] += w
    # Start: nodes of one existing story in one community; others alone.
    story_root: dict[str, int] = {}
    community = list(range(n))
    for node in sorted(fixed):
        community[node] = story_root.setdefault(fixed[node], node)
    membership = list(range(n))  # original node -> current super-node
    super_fixed = [node in fixed for node in range(n)]
    size = n
    for _level in range(20):
        degree = [sum(a.values()) for a in adjacency]
        total = sum(degree)
        if total <= 0:
            break
        totals: dict[int, float] = defaultdict(float)
        for node in range(size):
            totals[community[node]] += degree[node]
        moved = False
        for _sweep in range(50):
            moves = 0
            for node in range(size):
                if super_fixed[node]:
                    continue
                current = community[node]
                k = degree[node]
                links: dict[int, float] = defaultdict(float)
                for other, w in adjacency[node].items():
                    if other != node:
                        links[community[other]] += w
                totals[current] -= k
                best = current
                best_gain = links.get(current, 0.0) - resolution * totals[current] * k / total
                for candidate in sorted(links):
                    gain = links[candidate] - resolution * totals[candidate] * k / total
                    if gain > best_gain + 1e-12:
                        best, best_gain = candidate, gain
                totals[best] += k
                if best != current:
                    community[node] = best
                    moves += 1
            if not moves:
                break
            moved = True
        if not moved and _level > 0:
            break
        renumber: dict[int, int] = {}
        for node in range(size):
            renumber.setdefault(community[node], len(renumber))
        merged: list[dict[int, float]] = [defaultdict(float) for _ in renumber]
        next_fixed = [False] * len(renumber)
        for node in range(size):
            c = renumber[community[node]]
            next_fixed[c] = next_fixed[c] or super_fixed[node]
            for other, w in adjacency[node].items():
                merged[c][renumber[community[other]]] += w
        membership = [renumber[community[m]] for m in membership]
        if len(renumber) == size and _level > 0:
            break
        adjacency, super_fixed, size = merged, next_fixed, len(renumber)
        community = list(range(size))
        if not moved:
            break
    result: list[int | str] = [0] * n
    smallest: dict[int, int] = {}
    story_of_super: dict[int, str] = {}
    for node in range(n):
        smallest.setdefault(membership[node], node)
        if node in fixed:
            story_of_super[membership[node]] = fixed[node]
    for node in range(n):
        group = membership[node]
        result[node] = story_of_super.get(group, smallest[group])
    return result


# --------------------------------------------------------------------------- output
def _finish(
    stories: list[tuple[str | None, list[str]]],
    originals: Mapping[str, Story],
    grown: set[str],
    docs: Mapping[str, _Doc],
    articles: Mapping[str, Article],
    names: Mapping[str, str],
) -> tuple[Story, ...]:
    def day_of(article_id: str) -> int | None:
        doc = docs.get(article_id)
        if doc is not None:
            return doc.day
        article = articles.get(article_id)
        return _article_date(article) if article is not None else None

    out: list[Story] = []
    for story_id, group in stories:
        original = originals.get(story_id) if story_id else None
        if original is not None and story_id not in grown:
            out.append(original)
            continue
        # A member not given (only its id is known) sorts at the story's first date.
        stored = _parse_date(original.first_date) if original and original.first_date else None

        def order(article_id: str, stored: int | None = stored) -> tuple[bool, int, str]:
            day = day_of(article_id)
            if day is None and article_id not in articles:
                day = stored
            return (day is None, day or 0, article_id)

        everyone = [*(original.articles if original else ()), *group]
        members = sorted(dict.fromkeys(everyone), key=order)
        if not members:
            continue
        words: dict[str, float] = defaultdict(float)
        entities: dict[str, float] = defaultdict(float)
        for article_id in members:
            doc = docs.get(article_id)
            if doc is not None:
                for k, v in doc.words.items():
                    words[k] += v
                for k, v in doc.entities.items():
                    entities[k] += v
        dates = [d for d in (day_of(a) for a in members) if d is not None]
        if original is not None:
            dates += [d for d in map(_parse_date, (original.first_date, original.last_date)) if d]
        title = _central_title(members, words, docs, articles)
        if not title and original is not None:
            title = original.title
        out.append(
            Story(
                id=story_id or make_id("sto", members[0]),
                title=title,
                articles=tuple(members),
                first_date=_iso(min(dates)) if dates else None,
                last_date=_iso(max(dates)) if dates else None,
                keywords=_keywords(words, entities, names),
            )
        )
    out.sort(key=lambda s: (s.first_date is None, s.first_date or "", s.id))
    return tuple(out)


def _central_title(
    members: list[str],
    centroid: Mapping[str, float],
    docs: Mapping[str, _Doc],
    articles: Mapping[str, Article],
) -> str:
    best: tuple[float, int] | None = None
    title = ""
    for rank, article_id in enumerate(members):
        article = articles.get(article_id)
        doc = docs.get(article_id)
        if article is None or not (article.title or "").strip():
            continue
        score = _dot(doc.words, centroid) if doc is not None else 0.0
        key = (-round(score, 9), rank)
        if best is None or key < best:
            best, title = key, (article.title or "").strip()
    if not title:
        for article_id in members:
            article = articles.get(article_id)
            if article is not None and article.text.strip():
                return article.text.strip().split("\n", 1)[0][:120]
    return title


def _keywords(
    words: Mapping[str, float], entities: Mapping[str, float], names: Mapping[str, str]
) -> tuple[str, ...]:
    chosen: list[str] = []
    seen: set[str] = set()
    named = ((k, v) for k, v in entities.items() if not k.startswith(_DATE_KEY))
    for key, _ in sorted(named, key=lambda kv: (-kv[1], kv[0]))[: _KEYWORDS // 2]:
        label = names.get(key, key.split(":", 1)[-1])
        if fold_name(label) not in seen:
            seen.add(fold_name(label))
            chosen.append(label)
    known = {w for label in seen for w in label.split()}
    for key, _ in sorted(words.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(chosen) >= _KEYWORDS:
            break
        form = names.get(f"w:{key}", key)
        if key not in seen and key not in known and form not in known:
            seen.add(key)
            chosen.append(form)
    return tuple(chosen)


def _iso(day: int | None) -> str | None:
    return date.fromordinal(day).isoformat() if day is not None else None
