"""Lay out an article's text as paragraphs of flat, annotated segments.

Annotations (entity mentions, quotes, dates, event triggers, claims) may
overlap and nest, so the text is cut at every span boundary into flat
segments, each carrying the set of annotations that cover it. The template
escapes each segment's text on its own; no annotation data is ever trusted as
markup. Removed debris is placed where it stood, as in ``report.html``.

Pure: no I/O.
"""

from __future__ import annotations

from parallax.query import ArticleDetail
from parallax.report.layout import Mark, Paragraph, Segment, layout

__all__ = ["Mark", "Paragraph", "Segment", "article_marks", "label_anchor", "layout"]


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
    for label in article.naming_labels:
        marks.append(Mark(label.start, label.end, "label", f"naming label: {label.label}",
                          anchor=label_anchor(label.start, label.end)))
    return marks


def label_anchor(start: int, end: int) -> str:
    """Element id of a naming label's words in an article page."""
    return f"l-{start}-{end}"
