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

from parallax.records import Article, Entity

SCHEMA_VERSION = "1.1"
LATER_SECTIONS = ("stories", "claims", "naming")


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


def to_analysis(
    articles: Sequence[Article],
    errors: Sequence[dict[str, Any]],
    sections: dict[str, list[Any]] | None = None,
) -> dict[str, Any]:
    """Assemble the analysis document; sections not built yet are empty lists."""
    sections = sections or {}
    languages = Counter(a.language for a in articles if a.language)
    flags = Counter(flag for a in articles for flag in a.flags)
    duplicates = sum(1 for a in articles if a.duplicate_of)
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "parallax", "version": __version__},
        "articles": [to_article_dict(a) for a in articles],
        "errors": [dict(e) for e in errors],
    }
    document["entities"] = [to_entity_dict(e) for a in articles for e in a.entities]
    document["quotes"] = [_plain(q) for a in articles for q in a.quotes]
    document["events"] = [_plain(e) for a in articles for e in a.events]
    document["dates"] = [_plain(d) for a in articles for d in a.dates]
    for name in LATER_SECTIONS:
        document[name] = list(sections.get(name, []))
    document["stats"] = {
        "articles": len(articles),
        "unique_articles": len(articles) - duplicates,
        "duplicates": duplicates,
        "errors": len(errors),
        "languages": dict(sorted(languages.items())),
        "flags": dict(sorted(flags.items())),
    }
    return document
