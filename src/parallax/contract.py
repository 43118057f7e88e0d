"""Build the ``analysis.json`` document (the public contract) from typed records.

Pure: no I/O. The JSON Schema in ``parallax/schema`` and ``docs/schema.md``
describe every field this produces.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from parallax import __version__
from dataclasses import asdict

from parallax.crossdoc.link import Links
from parallax.records import Article, Claim, Entity, Naming

SCHEMA_VERSION = "1.2"


def to_article_dict(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "input": article.input,
        "format": article.format,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "authors": list(article.authors),
        "published": article.published,
        "language": article.language,
        "language_score": article.language_score,
        "text": article.text,
        "removed": [
            {"text": piece.text, "reason": piece.reason, "at": piece.at} for piece in article.removed
        ],
        "flags": list(article.flags),
        "duplicate_of": article.duplicate_of,
        "notes": list(article.notes),
    }


def to_entity_dict(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": list(entity.aliases),
        "labels": list(entity.labels),
        "mentions": [asdict(m) for m in entity.mentions],
        "kb": dict(entity.kb),
    }


def _plain(record: Any) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(record).items()}


def to_claim_dict(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "story": claim.story,
        "summary": claim.summary,
        "kind": claim.kind,
        "mentions": [asdict(m) for m in claim.mentions],
        "outlets": claim.outlets,
        "contradicts": [asdict(c) for c in claim.contradicts],
    }


def to_naming_dict(naming: Naming, entity: str | None, text: str) -> dict[str, Any]:
    """One naming item; label spans outside ``text`` (a stale record) are left out."""
    return {
        "entity": entity, "outlet": naming.outlet, "article": naming.article, "labels": list(naming.labels),
        "spans": [
            {"article": naming.article, "start": s.start, "end": s.end, "text": text[s.start : s.end],
             "label": s.label}
            for s in naming.spans if 0 <= s.start <= s.end <= len(text) and s.label in naming.labels
        ],
    }


def to_analysis(
    articles: Sequence[Article],
    errors: Sequence[dict[str, Any]],
    links: Links | None = None,
) -> dict[str, Any]:
    """Assemble the analysis document from articles and (if run) the cross-article links.

    With links, ``entities`` are the merged corpus entities and every entity id
    in quotes and events is rewritten to its corpus id.
    """
    links = links or Links()
    merged = bool(links.entities)
    mapping = links.entity_map if merged else {}

    def corpus(value: str | None) -> str | None:
        return mapping.get(value, value) if value else value
    languages = Counter(a.language for a in articles if a.language)
    flags = Counter(flag for a in articles for flag in a.flags)
    duplicates = sum(1 for a in articles if a.duplicate_of)
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "parallax", "version": __version__},
        "articles": [to_article_dict(a) for a in articles],
        "errors": [dict(e) for e in errors],
    }
    if merged:
        document["entities"] = [to_entity_dict(e) for e in links.entities]
    else:
        document["entities"] = [to_entity_dict(e) for a in articles for e in a.entities]
    quotes = []
    for article in articles:
        for quote in article.quotes:
            item = _plain(quote)
            item["speaker"] = corpus(quote.speaker)
            item["speakers"] = sorted({corpus(s) for s in quote.speakers if s})
            quotes.append(item)
    document["quotes"] = quotes
    events = []
    for article in articles:
        for event in article.events:
            item = _plain(event)
            for role in ("actor", "target", "place"):
                item[role] = corpus(item[role])
            events.append(item)
    document["events"] = events
    document["dates"] = [_plain(d) for a in articles for d in a.dates]
    document["stories"] = [
        {"id": s.id, "title": s.title, "articles": list(s.articles), "first_date": s.first_date,
         "last_date": s.last_date, "keywords": list(s.keywords)}
        for s in links.stories
    ]
    document["claims"] = [to_claim_dict(c) for c in links.claims]
    texts = {a.id: a.text for a in articles}
    document["naming"] = [to_naming_dict(n, corpus(n.entity), texts.get(n.article, "")) for n in links.naming]
    document["omissions"] = {
        story: {outlet: list(ids) for outlet, ids in sorted(by_outlet.items())}
        for story, by_outlet in sorted(links.omissions.items())
    }
    document["voices"] = {
        corpus(speaker) or speaker: dict(sorted(by_outlet.items()))
        for speaker, by_outlet in sorted(links.voices.items())
    }
    document["stats"] = {
        "articles": len(articles),
        "unique_articles": len(articles) - duplicates,
        "duplicates": duplicates,
        "errors": len(errors),
        "languages": dict(sorted(languages.items())),
        "flags": dict(sorted(flags.items())),
    }
    return document
