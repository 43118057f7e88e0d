"""One story at a glance: the view model report.html and the web app both draw.

:func:`build_story` works on an analysis.json-shaped mapping (``stories``,
``articles``, ``claims``, ``events``, ``quotes``, ``entities``, ``naming``,
``omissions``); the report passes the whole document, the web app a slice
read from the store (:func:`parallax.query.story_document`). So both show
the same content, drawn by the same template macros
(``templates/_story.html.j2``).

Links differ between the two (an in-page anchor in the report, a URL in the
web app), so the caller passes ``link(article_id, anchor)`` and
``entity_link(entity_id)``.

Pure: no I/O beyond the packaged map outlines. Everything that ends up in a
page is plain text or numbers; the templates escape it.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from parallax.report.coerce import as_list as _list
from parallax.report.coerce import as_str as _s
from parallax.report.coerce import mappings as _maps
from parallax.report.geo import MapView, Place, build_map, is_coordinate

__all__ = [
    "Chart",
    "ClaimView",
    "ContradictionView",
    "StoryView",
    "build_coverage",
    "build_story",
    "build_timeline",
    "parse_day",
    "story_slices",
    "story_summaries",
    "typical_range",
    "word_diff",
]

Link = Callable[[str, str | None], str | None]
EntityLink = Callable[[str], str | None]

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
MAX_NAMING_ROWS = 30
MAX_OMITTED = 12
CORROBORATED = 2  # a claim carried by this many independent outlets is well corroborated


# --- word diff ----------------------------------------------------------------


def word_diff(left: str, right: str) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """Split both texts into runs, each marked True where it differs from the other.

    Words are compared case-insensitively; a changed stretch never starts or
    ends with whitespace. Joining the runs of a side gives back that side's text.
    """
    a = _TOKEN.findall(left)
    b = _TOKEN.findall(right)
    matcher = difflib.SequenceMatcher(
        None, [t.lower() for t in a], [t.lower() for t in b], autojunk=False
    )
    out_a: list[tuple[str, bool]] = []
    out_b: list[tuple[str, bool]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        same = op == "equal"
        _extend(out_a, a[i1:i2], same)
        _extend(out_b, b[j1:j2], same)
    return out_a, out_b


def _extend(out: list[tuple[str, bool]], tokens: Sequence[str], same: bool) -> None:
    words = [i for i, t in enumerate(tokens) if not t.isspace()]
    first, last = (words[0], words[-1]) if words else (0, -1)
    for i, token in enumerate(tokens):
        changed = not same and first <= i <= last  # spaces inside a changed stretch join it
        if out and out[-1][1] == changed:
            out[-1] = (out[-1][0] + token, changed)
        else:
            out.append((token, changed))


# --- dates ----------------------------------------------------------------------

_DAY = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def parse_day(value: Any) -> date | None:
    """The first day of an ISO ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` date (else None)."""
    if not isinstance(value, str):
        return None
    match = _DAY.match(value.strip()[:10])
    if not match:
        return None
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


# --- charts -----------------------------------------------------------------------


@dataclass(slots=True)
class Dot:
    x: float
    y: float
    r: float
    title: str
    href: str | None = None
    hollow: bool = False  # inferred date
    kind: str = ""  # CSS word: event type, outlet row…


@dataclass(slots=True)
class Tick:
    x: float
    label: str
    anchor: str = "middle"


@dataclass(slots=True)
class Row:
    y: float
    label: str


@dataclass(slots=True)
class Chart:
    """A small server-side SVG chart: dots on a time axis, optionally in rows."""

    width: float
    height: float
    left: float
    ticks: list[Tick]
    rows: list[Row]
    dots: list[Dot]
    caption: str

    @property
    def viewbox(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"

    @property
    def axis_y(self) -> float:
        return self.height - 22


def _axis(
    days: Sequence[date], left: float, width: float
) -> tuple[Callable[[date], float], list[Tick]]:
    first, last = min(days), max(days)
    if first == last:
        first, last = first - timedelta(days=1), last + timedelta(days=1)
    span = (last - first).days
    right = width - 40

    def x(day: date) -> float:
        return round(left + (day - first).days / span * (right - left), 1)

    room = max(
        1, int((right - left) // 120)
    )  # an ISO date label needs about 80 px, more when scaled up
    step = max(1, -(-span // room))
    ticks = []
    day = first
    while day <= last:
        ticks.append(Tick(x(day), day.isoformat()))
        day += timedelta(days=step)
    ticks[0].anchor = "start"
    if len(ticks) > 1 and ticks[-1].x > right - 30:
        ticks[-1].anchor = "end"
    return x, ticks


def typical_range(days: Sequence[date], slack: int = 30) -> tuple[date, date]:
    """The range of ``days`` without far-off outliers (Tukey's fences on the quartiles, plus slack days).

    A story about last week may mention a date centuries ago ("founded in
    353"); drawn on the same axis it would squash everything else.
    """
    ordered = sorted(days)
    q1 = ordered[len(ordered) // 4]
    q3 = ordered[(3 * len(ordered)) // 4]
    spread = (q3 - q1).days
    fence = timedelta(days=int(1.5 * spread) + slack)
    return q1 - fence, q3 + fence


def build_timeline(
    events: Sequence[Mapping[str, Any]], link: Link, width: float = 800
) -> Chart | None:
    """Dated events on a time axis: one dot per event, stacked on the same day.

    ``events`` are analysis.json events (plus ``outlet``); inferred dates
    are drawn hollow. Returns None when no event has a date.
    """
    dated = [(parse_day(e.get("date")), e) for e in events]
    points = sorted(((d, e) for d, e in dated if d), key=lambda p: (p[0], _s(p[1].get("type"))))
    if not points:
        return None
    low, high = typical_range([d for d, _ in points])
    far = sum(1 for d, _ in points if not low <= d <= high)
    points = [(d, e) for d, e in points if low <= d <= high]
    x, ticks = _axis([d for d, _ in points], 24, width)
    stack: Counter[date] = Counter()
    dots = []
    for day, event in points:
        level = stack[day]
        stack[day] += 1
        who = " → ".join(
            v for v in (_s(event.get("actor_text")), _s(event.get("target_text"))) if v
        )
        where = _s(event.get("place_text"))
        inferred = bool(event.get("date_inferred"))
        title = (
            f"{_s(event.get('date'))}{' (inferred)' if inferred else ''} · {_s(event.get('type'))}"
            f"{' (negated)' if event.get('negated') else ''}: {_s(event.get('trigger'))}"
            f"{' · ' + who if who else ''}{' · in ' + where if where else ''}"
            f"{' · ' + _s(event.get('outlet')) if event.get('outlet') else ''}"
        )
        dots.append(
            Dot(
                x=x(day),
                y=0,
                r=5,
                title=title,
                hollow=inferred,
                href=link(_s(event.get("article")), _s(event.get("id")) or None),
                kind=_css_word(_s(event.get("type"))),
            )
        )
        dots[-1].y = level  # placed below once the tallest stack is known
    tallest = max(stack.values())
    spacing = 12
    height = min(40 + tallest * spacing, 260)
    spacing = min(spacing, (height - 40) / max(tallest, 1))
    for dot in dots:
        dot.y = round(height - 34 - dot.y * spacing, 1)
    undated = len(events) - len(points) - far
    caption = (
        f"{len(points)} dated events"
        + (f", {undated} undated" if undated else "")
        + (f", {far} with far-off dates" if far else "")
        + (" (not drawn)" if undated or far else "")
        + "; hollow dots are inferred dates"
    )
    return Chart(
        width=width, height=height, left=24, ticks=ticks, rows=[], dots=dots, caption=caption
    )


def build_coverage(
    articles: Sequence[Mapping[str, Any]], link: Link, width: float = 600
) -> Chart | None:
    """Articles per outlet per day: one row per outlet, dot area grows with the count.

    Near-duplicates are left out (they are not independent coverage).
    Returns None when no article has a date.
    """
    cells: dict[tuple[str, date], list[Mapping[str, Any]]] = defaultdict(list)
    for article in articles:
        day = parse_day(article.get("published"))
        if day is None or article.get("duplicate_of"):
            continue
        cells[(_s(article.get("outlet")) or "unknown outlet", day)].append(article)
    if not cells:
        return None
    outlets = sorted(
        {o for o, _ in cells},
        key=lambda o: (-sum(len(v) for (p, _), v in cells.items() if p == o), o),
    )
    left = min(12 + 8 * max(len(o) for o in outlets), 190)
    fits = int((left - 12) // 8)
    x, ticks = _axis([d for _, d in cells], left, width)
    row_h = 24
    rows = [
        Row(y=14 + i * row_h, label=o if len(o) <= fits else o[: fits - 1] + "…")
        for i, o in enumerate(outlets)
    ]
    index = {o: i for i, o in enumerate(outlets)}
    dots = []
    for (outlet, day), members in sorted(cells.items(), key=lambda kv: (index[kv[0][0]], kv[0][1])):
        n = len(members)
        titles = "; ".join(_s(m.get("title")) or _s(m.get("id")) for m in members[:5])
        dots.append(
            Dot(
                x=x(day),
                y=rows[index[outlet]].y,
                r=round(min(4 + 2.5 * (n - 1), 10), 1),
                title=f"{outlet} · {day.isoformat()} · {n} article{'s' if n > 1 else ''}: {titles}",
                href=link(_s(members[0].get("id")), None),
            )
        )
    height = 14 + len(outlets) * row_h + 18
    return Chart(
        width=width,
        height=height,
        left=left,
        ticks=ticks,
        rows=rows,
        dots=dots,
        caption="Articles per outlet per day (near-duplicates left out)",
    )


# --- the story --------------------------------------------------------------


@dataclass(slots=True)
class MentionView:
    article: str
    outlet: str
    text: str
    href: str | None


@dataclass(slots=True)
class ContradictionView:
    other: str  # the other claim's id
    reason: str
    kind: str
    left_outlet: str
    right_outlet: str
    left: list[tuple[str, bool]]  # this claim's passage as diff runs
    right: list[tuple[str, bool]]
    left_href: str | None
    right_href: str | None


@dataclass(slots=True)
class ClaimView:
    id: str
    summary: str
    kind: str
    outlets: list[str]
    independent: int
    mentions: list[MentionView]
    contradictions: list[ContradictionView]


@dataclass(slots=True)
class NamingRow:
    entity: str
    name: str
    type: str
    href: str | None
    cells: list[tuple[list[str], list[tuple[str, str | None]]]]  # per outlet: (names as written, (label, link))


@dataclass(slots=True)
class VoiceRow:
    speaker: str
    href: str | None
    cells: list[list[tuple[str, str | None]]]  # per outlet: (quote text, link)
    total: int


@dataclass(slots=True)
class Omission:
    outlet: str
    claims: list[tuple[str, int, str | None]]  # (summary, independent outlets, link to a mention)
    more: int


@dataclass(slots=True)
class StoryView:
    id: str
    title: str
    first_date: str | None
    last_date: str | None
    keywords: list[str]
    articles: list[dict[str, Any]]
    article_count: int
    outlet_count: int
    outlets: list[str]
    contradiction_count: int
    claims: list[ClaimView]
    timeline: Chart | None
    events: list[dict[str, Any]]
    coverage: Chart | None
    map: MapView | None
    places: list[Place]
    naming_outlets: list[str]
    naming: list[NamingRow]
    voice_outlets: list[str]
    voices: list[VoiceRow]
    omissions: list[Omission]
    notes: list[str] = field(default_factory=list)


def story_summaries(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Title, dates, articles, independent outlets and contradictions of every story."""
    articles = {_s(a.get("id")): a for a in _maps(doc, "articles")}
    pairs: dict[str, set[frozenset[str]]] = defaultdict(set)
    for claim in _maps(doc, "claims"):
        for x in _maps(claim, "contradicts"):
            pairs[_s(claim.get("story"))].add(frozenset((_s(claim.get("id")), _s(x.get("claim")))))
    out = []
    for story in _maps(doc, "stories"):
        members = [articles[i] for i in map(_s, _list(story.get("articles"))) if i in articles]
        out.append(
            {
                "id": _s(story.get("id")),
                "title": _s(story.get("title")) or _s(story.get("id")),
                "first_date": _s(story.get("first_date")) or None,
                "last_date": _s(story.get("last_date")) or None,
                "articles": len(_list(story.get("articles"))),
                "outlets": len(_independent_outlets(members)),
                "contradictions": len(pairs[_s(story.get("id"))]),
            }
        )
    return out


def story_slices(doc: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(story id, the part of ``doc`` that story needs) for every story, in one pass over ``doc``.

    :func:`build_story` on a slice gives the same view as on the whole
    document, without scanning every claim, event and quote once per story.
    """
    by_article: dict[str, dict[str, list[Mapping[str, Any]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for key in ("events", "quotes", "naming"):
        for item in _maps(doc, key):
            by_article[_s(item.get("article"))][key].append(item)
    entities_of: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for entity in _maps(doc, "entities"):
        for article in {_s(m.get("article")) for m in _maps(entity, "mentions")}:
            entities_of[article].append(entity)
    claims_of: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    claims = {_s(c.get("id")): c for c in _maps(doc, "claims")}
    for claim in claims.values():
        claims_of[_s(claim.get("story"))].append(claim)
    articles = {_s(a.get("id")): a for a in _maps(doc, "articles")}
    omissions = doc.get("omissions") if isinstance(doc.get("omissions"), Mapping) else {}
    for story in _maps(doc, "stories"):
        story_id = _s(story.get("id"))
        members = list(dict.fromkeys(_s(a) for a in _list(story.get("articles"))))
        own = claims_of.get(story_id, [])
        others = {_s(x.get("claim")) for c in own for x in _maps(c, "contradicts")} - {
            _s(c.get("id")) for c in own
        }
        entities: dict[str, Mapping[str, Any]] = {}
        for article in members:
            for entity in entities_of.get(article, ()):
                entities.setdefault(_s(entity.get("id")), entity)
        yield (
            story_id,
            {
                "stories": [story],
                "articles": [articles[a] for a in members if a in articles],
                "claims": own + [claims[o] for o in sorted(others) if o in claims],
                "events": [e for a in members for e in by_article[a]["events"]],
                "quotes": [q for a in members for q in by_article[a]["quotes"]],
                "naming": [n for a in members for n in by_article[a]["naming"]],
                "entities": list(entities.values()),
                "omissions": {story_id: omissions.get(story_id)}
                if isinstance(omissions, Mapping) and story_id in omissions
                else {},
            },
        )


def build_story(
    doc: Mapping[str, Any], story_id: str, *, link: Link, entity_link: EntityLink
) -> StoryView | None:
    """The view of story ``story_id`` in ``doc`` (None if there is no such story)."""
    story = next((s for s in _maps(doc, "stories") if _s(s.get("id")) == story_id), None)
    if story is None:
        return None
    member_ids = [_s(a) for a in _list(story.get("articles"))]
    members = set(member_ids)
    by_id = {_s(a.get("id")): a for a in _maps(doc, "articles")}
    articles = [by_id[i] for i in member_ids if i in by_id]
    articles.sort(key=lambda a: (_s(a.get("published")) or "9999", _s(a.get("outlet"))))
    outlet_of = {_s(a.get("id")): _s(a.get("outlet")) for a in articles}
    entities = {_s(e.get("id")): e for e in _maps(doc, "entities")}

    claims_all = {_s(c.get("id")): c for c in _maps(doc, "claims")}
    claims = [c for c in claims_all.values() if _s(c.get("story")) == story_id]
    claim_views = [_claim_view(c, claims_all, link) for c in claims]
    claim_views.sort(key=lambda c: (not c.contradictions, -c.independent, c.summary))
    pairs = {frozenset((c.id, x.other)) for c in claim_views for x in c.contradictions}

    events = []
    for event in _maps(doc, "events"):
        article = _s(event.get("article"))
        if article in members:
            place = _s(event.get("place"))
            events.append(
                {
                    **event,
                    "outlet": outlet_of.get(article, ""),
                    "href": link(article, _s(event.get("id")) or None),
                    "place_href": entity_link(place) if place in entities else None,
                }
            )
    events.sort(
        key=lambda e: (
            parse_day(e.get("date")) or date.max,
            _s(e.get("article")),
            e.get("start") or 0,
        )
    )

    places = _places(entities.values(), members, events, entity_link)
    outlets = _independent_outlets(articles)
    naming_outlets, naming = _naming(doc, entities, members, outlet_of, entity_link, link)
    voice_outlets, voices = _voices(doc, entities, members, outlet_of, link, entity_link)
    return StoryView(
        id=story_id,
        title=_s(story.get("title")) or story_id,
        first_date=_s(story.get("first_date")) or None,
        last_date=_s(story.get("last_date")) or None,
        keywords=[_s(k) for k in _list(story.get("keywords"))],
        articles=[
            {
                "id": _s(a.get("id")),
                "title": _s(a.get("title")) or _s(a.get("id")),
                "outlet": _s(a.get("outlet")),
                "published": _s(a.get("published")),
                "duplicate": bool(a.get("duplicate_of")),
                "href": link(_s(a.get("id")), None),
            }
            for a in articles
        ],
        article_count=len(member_ids),
        outlet_count=len(outlets),
        outlets=outlets,
        contradiction_count=len(pairs),
        claims=claim_views,
        timeline=build_timeline(events, link),
        events=events,
        coverage=build_coverage(articles, link),
        map=build_map(places),
        places=places,
        naming_outlets=naming_outlets,
        naming=naming,
        voice_outlets=voice_outlets,
        voices=voices,
        omissions=_omissions(doc, story_id, claims_all, link),
    )


def _claim_view(
    claim: Mapping[str, Any], claims: Mapping[str, Mapping[str, Any]], link: Link
) -> ClaimView:
    mentions = _maps(claim, "mentions")
    claim_id = _s(claim.get("id"))
    views = [
        MentionView(
            article=_s(m.get("article")),
            outlet=_s(m.get("outlet")) or "unknown outlet",
            text=_s(m.get("text")),
            href=link(_s(m.get("article")), claim_id),
        )
        for m in mentions
    ]
    outlets = list(dict.fromkeys(v.outlet for v in views))
    given = claim.get("outlets")
    independent = given if isinstance(given, int) and not isinstance(given, bool) else len(outlets)
    contradictions = []
    for x in _maps(claim, "contradicts"):
        other_id = _s(x.get("claim"))
        other = claims.get(other_id, {})
        mine = mentions[0] if mentions else {}
        theirs = _maps(other, "mentions")[0] if _maps(other, "mentions") else {}
        left_text = _s(mine.get("text")) or _s(claim.get("summary"))
        right_text = _s(theirs.get("text")) or _s(other.get("summary"))
        left, right = word_diff(left_text, right_text)
        contradictions.append(
            ContradictionView(
                other=other_id,
                reason=_s(x.get("reason")),
                kind=_s(x.get("kind")) or "other",
                left_outlet=_s(mine.get("outlet")) or "unknown outlet",
                right_outlet=_s(theirs.get("outlet"))
                or ("another story" if not other else "unknown outlet"),
                left=left,
                right=right,
                left_href=link(_s(mine.get("article")), claim_id) if mine else None,
                right_href=link(_s(theirs.get("article")), other_id) if theirs else None,
            )
        )
    return ClaimView(
        id=claim_id,
        summary=_s(claim.get("summary")),
        kind=_s(claim.get("kind")),
        outlets=outlets,
        independent=independent,
        mentions=views,
        contradictions=contradictions,
    )


def _places(
    entities: Iterable[Mapping[str, Any]],
    members: set[str],
    events: Sequence[Mapping[str, Any]],
    entity_link: EntityLink,
) -> list[Place]:
    event_places = Counter(_s(e.get("place")) for e in events if e.get("place"))
    places = []
    for entity in entities:
        kb = entity.get("kb")
        if not isinstance(kb, Mapping) or not is_coordinate(kb.get("lat"), kb.get("lon")):
            continue
        mentions = [m for m in _maps(entity, "mentions") if _s(m.get("article")) in members]
        entity_id = _s(entity.get("id"))
        if not mentions and not event_places[entity_id]:
            continue
        places.append(
            Place(
                id=entity_id,
                name=_s(entity.get("name")),
                lat=float(kb["lat"]),
                lon=float(kb["lon"]),
                kind=_s(kb.get("kind")),
                mentions=len(mentions) + event_places[entity_id],
                href=entity_link(entity_id),
            )
        )
    places.sort(key=lambda p: (-p.mentions, p.name))
    return places


def _naming(
    doc: Mapping[str, Any],
    entities: Mapping[str, Mapping[str, Any]],
    members: set[str],
    outlet_of: Mapping[str, str],
    entity_link: EntityLink,
    link: Link | None = None,
) -> tuple[list[str], list[NamingRow]]:
    """Per entity and outlet: the names written and the labels, each label linked to where it is written."""
    names: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    labels: dict[str, dict[str, dict[str, str | None]]] = defaultdict(lambda: defaultdict(dict))
    for entity_id, entity in entities.items():
        for m in _maps(entity, "mentions"):
            article = _s(m.get("article"))
            if article in members:
                names[entity_id][outlet_of.get(article) or "unknown outlet"].add(_s(m.get("text")))
    for row in _maps(doc, "naming"):
        article = _s(row.get("article"))
        if article in members:
            outlet = _s(row.get("outlet")) or outlet_of.get(article) or "unknown outlet"
            where: dict[str, str | None] = {}
            for span in _maps(row, "spans"):
                start, end = span.get("start"), span.get("end")
                if isinstance(start, int) and isinstance(end, int) and link is not None:
                    where.setdefault(_s(span.get("label")), link(article, f"l-{start}-{end}"))
            cell = labels[_s(row.get("entity"))][outlet]
            for label in (_s(x) for x in _list(row.get("labels"))):
                if cell.get(label) is None:
                    cell[label] = where.get(label)
    candidates = set(labels) | {e for e, by in names.items() if len(by) >= 2}

    def interest(entity_id: str) -> tuple[int, int, str]:
        spread = set(names[entity_id]) | set(labels[entity_id])
        variety = len({n.lower() for v in names[entity_id].values() for n in v})
        return (-len(spread), -variety, _s(entities.get(entity_id, {}).get("name")))

    chosen = sorted(candidates, key=interest)[:MAX_NAMING_ROWS]
    outlets = sorted({o for e in chosen for o in (*names[e], *labels[e])})
    rows = []
    for entity_id in chosen:
        entity = entities.get(entity_id, {})
        rows.append(
            NamingRow(
                entity=entity_id,
                name=_s(entity.get("name")) or entity_id,
                type=_s(entity.get("type")),
                href=entity_link(entity_id),
                cells=[
                    (sorted(names[entity_id].get(o, ())), sorted(labels[entity_id].get(o, {}).items()))
                    for o in outlets
                ],
            )
        )
    return outlets, rows


def _voices(
    doc: Mapping[str, Any],
    entities: Mapping[str, Mapping[str, Any]],
    members: set[str],
    outlet_of: Mapping[str, str],
    link: Link,
    entity_link: EntityLink,
) -> tuple[list[str], list[VoiceRow]]:
    table: dict[str, dict[str, list[tuple[str, str | None]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    names: dict[str, str] = {}
    hrefs: dict[str, str | None] = {}
    for quote in _maps(doc, "quotes"):
        article = _s(quote.get("article"))
        if article not in members:
            continue
        speaker = _s(quote.get("speaker"))
        key = speaker or "text:" + _s(quote.get("speaker_text")).strip().lower()
        if key == "text:":
            key = "text:unknown"
        names.setdefault(
            key,
            _s(entities.get(speaker, {}).get("name"))
            or _s(quote.get("speaker_text"))
            or "unknown speaker",
        )
        hrefs.setdefault(key, entity_link(speaker) if speaker else None)
        outlet = outlet_of.get(article) or "unknown outlet"
        table[key][outlet].append(
            (_s(quote.get("text")), link(article, _s(quote.get("id")) or None))
        )
    outlets = sorted({o for by in table.values() for o in by})
    rows = [
        VoiceRow(
            speaker=names[k],
            href=hrefs[k],
            cells=[table[k].get(o, []) for o in outlets],
            total=sum(len(v) for v in table[k].values()),
        )
        for k in table
    ]
    rows.sort(key=lambda r: (-sum(1 for c in r.cells if c), -r.total, r.speaker))
    return outlets, rows


def _omissions(
    doc: Mapping[str, Any], story_id: str, claims: Mapping[str, Mapping[str, Any]], link: Link
) -> list[Omission]:
    given = doc.get("omissions")
    by_outlet = given.get(story_id) if isinstance(given, Mapping) else None
    if not isinstance(by_outlet, Mapping):
        return []
    out = []
    for outlet, ids in sorted(by_outlet.items()):
        rows = []
        for claim_id in map(_s, _list(ids)):
            claim = claims.get(claim_id)
            if claim is None:
                continue
            mention = _maps(claim, "mentions")[0] if _maps(claim, "mentions") else {}
            n = claim.get("outlets")
            rows.append(
                (
                    _s(claim.get("summary")),
                    n if isinstance(n, int) else 0,
                    link(_s(mention.get("article")), claim_id) if mention else None,
                )
            )
        rows.sort(key=lambda r: (-r[1], r[0]))
        if rows:
            out.append(
                Omission(
                    outlet=_s(outlet),
                    claims=rows[:MAX_OMITTED],
                    more=max(len(rows) - MAX_OMITTED, 0),
                )
            )
    return out


# --- helpers ----------------------------------------------------------------------


def _independent_outlets(articles: Iterable[Mapping[str, Any]]) -> list[str]:
    return sorted(
        {_s(a.get("outlet")) for a in articles if a.get("outlet") and not a.get("duplicate_of")}
    )


_CSS = re.compile(r"[^A-Za-z0-9_-]")


def _css_word(value: str) -> str:
    return _CSS.sub("", value)[:32]
