"""Lay out an article's text as paragraphs of flat, annotated segments.

Annotations (entity mentions, quotes, dates, event triggers, claims) may
overlap and nest, so the text is cut at every span boundary into flat
segments, each carrying the set of annotations that cover it. The template
escapes each segment's text on its own; no annotation data is ever trusted as
markup. Removed debris is placed where it stood, as in ``report.html``.

Pure: no I/O.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from parallax.query import ArticleDetail, is_id
from parallax.report.layout import Cut, paragraph_spans, place_cuts

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
    def href(self) -> str | None:
        """Link to the innermost entity mentioned here, if any."""
        entities = [m for m in self.marks if m.kind == "ent" and m.entity and is_id(m.entity, "ent")]
        if not entities:
            return None
        inner = min(entities, key=lambda m: m.end - m.start)
        return f"/entities/{inner.entity}"


@dataclass(slots=True)
class Paragraph:
    start: int
    parts: list[Segment | Cut] = field(default_factory=list)


def article_marks(article: ArticleDetail) -> list[Mark]:
    """Every annotation of ``article`` as a mark."""
    marks: list[Mark] = []
    for entity in article.entities:
        for mention in entity.mentions:
            marks.append(Mark(
                mention.start, mention.end, "ent", f"{entity.type} {entity.name}",
                variant=entity.type, anchor=f"m-{mention.start}-{mention.end}", entity=entity.id,
            ))
    for quote in article.quotes:
        speaker = quote.speaker_name or quote.speaker_text or "unknown speaker"
        cue = f", {quote.cue}" if quote.cue else ""
        marks.append(Mark(quote.start, quote.end, "quote", f"quote ({quote.kind}{cue}) by {speaker}",
                          variant=quote.kind, anchor=quote.id))
        if quote.cue_start is not None and quote.cue_end is not None:
            marks.append(Mark(quote.cue_start, quote.cue_end, "cue", "reporting cue"))
        if quote.speaker_start is not None and quote.speaker_end is not None:
            marks.append(Mark(quote.speaker_start, quote.speaker_end, "speaker", f"speaker: {speaker}"))
    for date in article.dates:
        value = date.value or "unresolved"
        marks.append(Mark(date.start, date.end, "date",
                          f"date {value}{' (inferred)' if date.inferred else ''}"))
    for event in article.events:
        who = " → ".join(x for x in (event.actor_text or event.actor, event.target_text or event.target) if x)
        when = f", {event.date}" if event.date else ""
        label = f"event {event.type}{' (negated)' if event.negated else ''}"
        marks.append(Mark(event.trigger_start, event.trigger_end, "trigger",
                          f"{label}: {who}{when}" if who else f"{label}{when}",
                          variant="negated" if event.negated else event.type, anchor=event.id))
    for claim in article.claim_mentions:
        marks.append(Mark(claim.start, claim.end, "claim", "claim", anchor=claim.claim))
    return marks


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
