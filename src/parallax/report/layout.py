"""Article text as paragraphs of annotated segments, with removed pieces in place.

Shared by report.html and the web app, so both highlight the same spans and
show debris at the same place. Annotations (entity mentions, quotes, dates,
event triggers, claims) may overlap and nest, so :func:`layout` cuts the
text at every span boundary into flat segments, each carrying the marks that
cover it; templates escape each segment's text on its own and no annotation
is ever trusted as markup.

Pure: works on the text and offsets only.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_LINE = re.compile(r"[^\n]+")
_CSS_WORD = re.compile(r"[A-Za-z0-9_-]{1,32}")


@dataclass(frozen=True, slots=True)
class Mark:
    """One annotation over ``text[start:end]``."""

    start: int
    end: int
    kind: str  # ent, quote, cue, speaker, date, trigger, claim
    label: str  # shown as a tooltip and to screen readers
    variant: str = ""  # entity type, quote kind…; becomes a CSS class when it is a plain word
    anchor: str | None = None  # element id placed where the mark starts
    entity: str | None = None  # entity id, for a link


@dataclass(slots=True)
class Segment:
    text: str
    start: int
    marks: tuple[Mark, ...] = ()
    anchors: tuple[str, ...] = ()
    is_cut: bool = False

    @property
    def classes(self) -> str:
        names: list[str] = []
        for mark in self.marks:
            names.append(f"hl-{mark.kind}")
            if mark.variant and _CSS_WORD.fullmatch(mark.variant):
                names.append(f"hl-{mark.kind}-{mark.variant}")
        return " ".join(dict.fromkeys(names))

    @property
    def title(self) -> str:
        return "; ".join(dict.fromkeys(mark.label for mark in self.marks))

    @property
    def entity(self) -> str | None:
        """Id of the innermost entity mentioned here, if any (the caller checks it before linking)."""
        entities = [m for m in self.marks if m.kind == "ent" and m.entity]
        if not entities:
            return None
        return min(entities, key=lambda m: m.end - m.start).entity


@dataclass(slots=True)
class Paragraph:
    start: int
    parts: list[Segment | Cut] = field(default_factory=list)



@dataclass(slots=True)
class Cut:
    """A removed piece, drawn as a collapsed marker where it stood."""

    at: int
    reason: str
    text: str
    is_cut: bool = True


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line of ``text``."""
    return [(m.start(), m.end()) for m in _LINE.finditer(text) if not m.group().isspace()]


def place_cuts(
    spans: Sequence[tuple[int, int]], cuts: Sequence[Cut]
) -> list[list[tuple[int, Cut]]]:
    """Put each cut in the paragraph it stood in, else at the start of the next one.

    Returns, per paragraph, (offset to draw the cut at, cut); a cut after the
    last paragraph goes at its end. ``spans`` must not be empty.
    """
    starts = [start for start, _ in spans]
    placed: list[list[tuple[int, Cut]]] = [[] for _ in spans]
    for cut in cuts:
        i = bisect.bisect_right(starts, cut.at) - 1
        if i >= 0 and cut.at <= spans[i][1]:
            placed[i].append((cut.at, cut))
        elif i + 1 < len(spans):
            placed[i + 1].append((spans[i + 1][0], cut))
        else:
            placed[-1].append((spans[-1][1], cut))
    return placed


def layout(text: str, marks: Iterable[Mark], removed: Sequence[tuple[int, str, str]]) -> tuple[list[Paragraph], list[Cut]]:
    """Split ``text`` into paragraphs of annotated segments, with cuts in place.

    ``removed`` is (at, reason, text) per piece. Marks outside the text or
    empty are ignored. Returns the paragraphs and the cuts that had no
    paragraph to go in (an article without text).
    """
    length = len(text)
    valid = sorted(
        (m for m in marks if 0 <= m.start < m.end <= length),
        key=lambda m: (m.start, -m.end),
    )
    spans = paragraph_spans(text)
    cuts = sorted(
        (Cut(at=min(max(at, 0), length), reason=reason, text=piece) for at, reason, piece in removed),
        key=lambda cut: cut.at,
    )
    if not spans:
        return [], cuts
    placed = place_cuts(spans, cuts)
    bounds = sorted(
        {0, length}
        | {p for span in spans for p in span}
        | {m.start for m in valid}
        | {m.end for m in valid}
        | {at for here in placed for at, _ in here}
    )
    paragraphs: list[Paragraph] = []
    active: list[Mark] = []
    anchored: set[str] = set()
    next_mark = 0
    for (start, end), here in zip(spans, placed, strict=True):
        paragraph = Paragraph(start=start)
        pending = list(here)
        lo = bisect.bisect_left(bounds, start)
        hi = bisect.bisect_left(bounds, end)
        for a, b in zip(bounds[lo:hi], bounds[lo + 1 : hi + 1], strict=True):
            while pending and pending[0][0] <= a:
                paragraph.parts.append(pending.pop(0)[1])
            while next_mark < len(valid) and valid[next_mark].start <= a:
                active.append(valid[next_mark])
                next_mark += 1
            active = [m for m in active if m.end > a]
            covering = tuple(m for m in active if m.end >= b)
            anchors = []
            for mark in covering:
                if mark.anchor and mark.anchor not in anchored:
                    anchored.add(mark.anchor)
                    anchors.append(mark.anchor)
            paragraph.parts.append(Segment(text[a:b], a, covering, tuple(anchors)))
        paragraph.parts.extend(cut for _, cut in pending)
        paragraphs.append(paragraph)
    return paragraphs, []
