"""The analysis.json contract: its JSON Schema and a validator.

``analysis.schema.json`` (JSON Schema draft 2020-12) checks shapes and
patterns. Rules a schema cannot express (``start <= end``, offsets inside the
article text, span text equal to the slice it names, ids that must resolve,
stats that must add up) are checked by :func:`validate_analysis` after the
schema passes. ``docs/schema.md`` describes every field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import jsonschema

__all__ = ["SCHEMA_VERSION", "load_schema", "validate_analysis"]

SCHEMA_VERSION = "1.2"

_SCHEMA_FILE = "analysis.schema.json"
_MAX_PROBLEMS = 5


@lru_cache(maxsize=1)
def _schema_text() -> str:
    return resources.files("parallax.schema").joinpath(_SCHEMA_FILE).read_text(encoding="utf-8")


def load_schema() -> dict[str, Any]:
    """Return a fresh copy of the analysis.json JSON Schema."""
    schema: dict[str, Any] = json.loads(_schema_text())
    return schema


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        load_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def validate_analysis(doc: Mapping[str, Any]) -> None:
    """Check ``doc`` against the analysis.json contract.

    Raises:
        ValueError: naming the JSON path and problem of the first few
            violations, e.g. ``$.articles[0].id: 'art_1' does not match ...``.
    """
    errors = sorted(_validator().iter_errors(doc), key=_path_key)
    if errors:
        problems = [f"{error.json_path}: {error.message}" for error in errors]
        raise ValueError(_summarise(problems))
    problems = list(_semantic_problems(doc))
    if problems:
        raise ValueError(_summarise(problems))


def _path_key(error: jsonschema.ValidationError) -> list[tuple[int, int, str]]:
    # Paths mix list indices and keys; sort indices numerically, keys by name.
    return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path]


def _summarise(problems: list[str]) -> str:
    shown = "; ".join(problems[:_MAX_PROBLEMS])
    more = len(problems) - _MAX_PROBLEMS
    suffix = f" (and {more} more)" if more > 0 else ""
    return f"analysis.json does not match schema {SCHEMA_VERSION}: {shown}{suffix}"


def _semantic_problems(doc: Mapping[str, Any]) -> Iterator[str]:
    """Yield violations of the rules JSON Schema cannot express."""
    articles = doc["articles"]
    texts: dict[str, str] = {}
    for i, article in enumerate(articles):
        if article["id"] in texts:
            yield f"$.articles[{i}].id: duplicate article id {article['id']!r}"
        texts[article["id"]] = article["text"]
        for j, piece in enumerate(article["removed"]):
            if piece["at"] > len(article["text"]):
                yield (
                    f"$.articles[{i}].removed[{j}].at: {piece['at']} is past the end of "
                    f"the text ({len(article['text'])} characters)"
                )
    originals = {a["id"] for a in articles if a["duplicate_of"] is None}
    for i, article in enumerate(articles):
        target = article["duplicate_of"]
        if target is None:
            continue
        where = f"$.articles[{i}].duplicate_of"
        if target == article["id"]:
            yield f"{where}: an article cannot duplicate itself"
        elif target not in texts:
            yield f"{where}: {target!r} is not an article id in this file"
        elif target not in originals:
            yield f"{where}: {target!r} is itself a duplicate; point at the original"

    yield from _id_problems(doc)
    yield from _span_problems(doc, texts)
    yield from _reference_problems(doc, set(texts))
    yield from _stats_problems(doc)


def _id_problems(doc: Mapping[str, Any]) -> Iterator[str]:
    for section in ("entities", "quotes", "events", "stories", "claims"):
        seen: set[str] = set()
        for i, item in enumerate(doc[section]):
            if item["id"] in seen:
                yield f"$.{section}[{i}].id: duplicate id {item['id']!r}"
            seen.add(item["id"])


def _spans(doc: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for i, entity in enumerate(doc["entities"]):
        for j, mention in enumerate(entity["mentions"]):
            yield f"$.entities[{i}].mentions[{j}]", mention
    for i, quote in enumerate(doc["quotes"]):
        yield f"$.quotes[{i}]", quote
    for i, event in enumerate(doc["events"]):
        yield f"$.events[{i}]", event
    for i, claim in enumerate(doc["claims"]):
        for j, mention in enumerate(claim["mentions"]):
            yield f"$.claims[{i}].mentions[{j}]", mention
    for i, expression in enumerate(doc.get("dates", [])):
        yield f"$.dates[{i}]", expression
    for i, naming in enumerate(doc["naming"]):
        for j, span in enumerate(naming.get("spans", [])):
            yield f"$.naming[{i}].spans[{j}]", span
    for i, event in enumerate(doc["events"]):
        if "trigger_start" in event and "trigger_end" in event:
            trigger = {
                "article": event["article"],
                "start": event["trigger_start"],
                "end": event["trigger_end"],
            }
            yield f"$.events[{i}].trigger", trigger


def _span_problems(doc: Mapping[str, Any], texts: Mapping[str, str]) -> Iterator[str]:
    for where, span in _spans(doc):
        start, end, article = span["start"], span["end"], span["article"]
        if start > end:
            yield f"{where}: start {start} is after end {end}"
            continue
        text = texts.get(article)
        if text is None:
            yield f"{where}.article: {article!r} is not an article id in this file"
            continue
        if end > len(text):
            yield f"{where}.end: {end} is past the end of {article} ({len(text)} characters)"
            continue
        if "text" in span and span["text"] != text[start:end]:
            yield (
                f"{where}.text: {span['text']!r} is not the text at "
                f"[{start}:{end}] of {article} ({text[start:end]!r})"
            )


def _reference_problems(doc: Mapping[str, Any], article_ids: set[str]) -> Iterator[str]:
    entity_ids = {e["id"] for e in doc["entities"]}
    story_ids = {s["id"] for s in doc["stories"]}
    claim_ids = {c["id"] for c in doc["claims"]}
    quote_ids = {q["id"] for q in doc["quotes"]}
    for i, quote in enumerate(doc["quotes"]):
        if quote["speaker"] is not None and quote["speaker"] not in entity_ids:
            yield f"$.quotes[{i}].speaker: {quote['speaker']!r} is not an entity id in this file"
        for j, member in enumerate(quote.get("speakers", [])):
            if member not in entity_ids:
                yield f"$.quotes[{i}].speakers[{j}]: {member!r} is not an entity id in this file"
    for i, event in enumerate(doc["events"]):
        if event.get("quote") is not None and event["quote"] not in quote_ids:
            yield f"$.events[{i}].quote: {event['quote']!r} is not a quote id in this file"
    for i, story in enumerate(doc["stories"]):
        for j, article in enumerate(story["articles"]):
            if article not in article_ids:
                yield f"$.stories[{i}].articles[{j}]: {article!r} is not an article id in this file"
    for i, claim in enumerate(doc["claims"]):
        if claim["story"] not in story_ids:
            yield f"$.claims[{i}].story: {claim['story']!r} is not a story id in this file"
        for j, other in enumerate(claim["contradicts"]):
            if other["claim"] == claim["id"]:
                yield f"$.claims[{i}].contradicts[{j}].claim: a claim cannot contradict itself"
            elif other["claim"] not in claim_ids:
                yield (
                    f"$.claims[{i}].contradicts[{j}].claim: {other['claim']!r} "
                    "is not a claim id in this file"
                )
    for i, naming in enumerate(doc["naming"]):
        if naming["entity"] not in entity_ids:
            yield f"$.naming[{i}].entity: {naming['entity']!r} is not an entity id in this file"
        if naming["article"] not in article_ids:
            yield f"$.naming[{i}].article: {naming['article']!r} is not an article id in this file"
        for j, span in enumerate(naming.get("spans", [])):
            if span["article"] != naming["article"]:
                yield f"$.naming[{i}].spans[{j}].article: {span['article']!r} is not the naming item's article"
            if span["label"] not in naming["labels"]:
                yield f"$.naming[{i}].spans[{j}].label: {span['label']!r} is not one of the item's labels"


def _stats_problems(doc: Mapping[str, Any]) -> Iterator[str]:
    stats = doc["stats"]
    duplicates = sum(1 for a in doc["articles"] if a["duplicate_of"] is not None)
    expected = {
        "articles": len(doc["articles"]),
        "duplicates": duplicates,
        "unique_articles": len(doc["articles"]) - duplicates,
        "errors": len(doc["errors"]),
    }
    for key, value in expected.items():
        if stats[key] != value:
            yield f"$.stats.{key}: {stats[key]} but the file has {value}"
