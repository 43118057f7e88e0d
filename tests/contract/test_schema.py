"""The analysis.json contract: schema, validator and docs/schema.md stay in step."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from parallax.schema import SCHEMA_VERSION, load_schema, validate_analysis

DOCS = Path(__file__).resolve().parents[2] / "docs" / "schema.md"

A1 = "art_00000000000000a1"
A2 = "art_00000000000000a2"
ENT = "ent_00000000000000e1"
STO = "sto_00000000000000b1"
CLM = "clm_00000000000000c1"
TEXT1 = "Mayor Ana Petrović said the bridge will reopen in May.\nProtesters blocked it."
TEXT2 = "Mayor Ana Petrović said the bridge will reopen in May."


def _span(text: str, needle: str, article: str) -> dict[str, Any]:
    start = text.index(needle)
    return {"article": article, "start": start, "end": start + len(needle), "text": needle}


def make_doc() -> dict[str, Any]:
    """Return a small, valid analysis.json document with every section filled."""
    quote_span = _span(TEXT1, "the bridge will reopen in May", A1)
    trigger = _span(TEXT1, "blocked", A1)
    del trigger["text"]
    return {
        "schema_version": "1.0",
        "generator": {"name": "parallax", "version": "0.1.0"},
        "articles": [
            {
                "id": A1,
                "input": "feed.xml#item=1",
                "format": "rss",
                "url": "https://example.org/a",
                "outlet": "Example Daily",
                "title": "Bridge to reopen",
                "authors": ["J. Doe"],
                "published": "2024-03-14",
                "language": "en",
                "language_score": 0.97,
                "text": TEXT1,
                "removed": [{"text": "Share this", "reason": "boilerplate", "at": 55}],
                "flags": ["repeated-text", "some-future-flag"],
                "duplicate_of": None,
                "notes": ["decoded as windows-1252"],
                "future_field": {"allowed": True},
            },
            {
                "id": A2,
                "input": "dump.jsonl#line=2",
                "format": "jsonl",
                "url": None,
                "outlet": None,
                "title": None,
                "authors": [],
                "published": None,
                "language": None,
                "language_score": None,
                "text": TEXT2,
                "removed": [],
                "flags": [],
                "duplicate_of": A1,
                "notes": [],
            },
        ],
        "errors": [{"input": "dump.jsonl#line=3", "error": "not valid JSON", "stage": "read"}],
        "entities": [
            {
                "id": ENT,
                "name": "Ana Petrović",
                "type": "PERSON",
                "aliases": [],
                "mentions": [_span(TEXT1, "Ana Petrović", A1), _span(TEXT2, "Ana Petrović", A2)],
                "kb": {"wikidata": "Q1"},
            }
        ],
        "quotes": [
            {
                "id": "quo_0000000000000001",
                **quote_span,
                "kind": "indirect",
                "cue": "said",
                "speaker": ENT,
                "speaker_text": "Mayor Ana Petrović",
            }
        ],
        "events": [
            {
                "id": "evt_0000000000000001",
                **trigger,
                "type": "PROTEST",
                "actor": "Protesters",
                "target": "it",
                "place": None,
                "date": "2024-03",
                "date_text": None,
            }
        ],
        "stories": [{"id": STO, "title": "Bridge", "articles": [A1, A2]}],
        "claims": [
            {
                "id": CLM,
                "story": STO,
                "summary": "The bridge reopens in May.",
                "mentions": [{**quote_span, "outlet": "Example Daily"}],
                "outlets": 1,
                "contradicts": [],
            }
        ],
        "naming": [{"entity": ENT, "outlet": "Example Daily", "article": A1, "labels": ["Mayor"]}],
        "stats": {
            "articles": 2,
            "unique_articles": 1,
            "duplicates": 1,
            "errors": 1,
            "languages": {"en": 1},
            "flags": {"repeated-text": 1, "some-future-flag": 1},
        },
        "future_section": [],
    }


def empty_doc() -> dict[str, Any]:
    """Return the smallest valid document: no articles, nothing found."""
    return {
        "schema_version": "1.0",
        "generator": {"name": "parallax", "version": "0.1.0"},
        "articles": [],
        "errors": [],
        "entities": [],
        "quotes": [],
        "events": [],
        "stories": [],
        "claims": [],
        "naming": [],
        "stats": {
            "articles": 0,
            "unique_articles": 0,
            "duplicates": 0,
            "errors": 0,
            "languages": {},
            "flags": {},
        },
    }


def _docs_example() -> dict[str, Any]:
    text = DOCS.read_text(encoding="utf-8")
    example = text.split("## Example", 1)[1]
    block = re.search(r"```json\n(.*?)```", example, re.S)
    assert block, "docs/schema.md has no ```json example block under '## Example'"
    doc: dict[str, Any] = json.loads(block.group(1))
    return doc


# --- the schema itself ------------------------------------------------------


def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_load_returns_fresh_copy() -> None:
    load_schema()["title"] = "changed"
    assert load_schema()["title"] != "changed"


def test_schema_version_constant_matches_example() -> None:
    assert SCHEMA_VERSION == "1.2"
    assert _docs_example()["schema_version"] == SCHEMA_VERSION


def test_schema_later_sections_are_required() -> None:
    required = set(load_schema()["required"])
    assert {"entities", "quotes", "events", "stories", "claims", "naming", "stats"} <= required


def test_schema_allows_additional_properties_everywhere() -> None:
    # Forward compatibility: no object in the contract may forbid unknown keys.
    for node in _walk(load_schema()):
        assert node.get("additionalProperties", True) is not False
        assert node.get("unevaluatedProperties", True) is not False


# --- valid documents --------------------------------------------------------


def test_validate_analysis_accepts_full_doc() -> None:
    validate_analysis(make_doc())


def test_validate_analysis_accepts_empty_corpus() -> None:
    validate_analysis(empty_doc())


def test_validate_analysis_accepts_docs_example() -> None:
    validate_analysis(_docs_example())


def test_validate_analysis_accepts_later_minor_version() -> None:
    doc = make_doc()
    doc["schema_version"] = "1.7"
    validate_analysis(doc)


def test_validate_analysis_accepts_empty_span_at_end_of_text() -> None:
    doc = make_doc()
    n = len(TEXT1)
    doc["entities"][0]["mentions"].append({"article": A1, "start": n, "end": n, "text": ""})
    doc["articles"][0]["removed"].append({"text": "footer", "reason": "boilerplate", "at": n})
    validate_analysis(doc)


# --- invalid documents ------------------------------------------------------


def _invalid(mutate: Any) -> str:
    doc = make_doc()
    mutate(doc)
    with pytest.raises(ValueError) as info:
        validate_analysis(doc)
    return str(info.value)


def test_validate_analysis_rejects_missing_articles() -> None:
    message = _invalid(lambda d: d.pop("articles"))
    assert "'articles' is a required property" in message


@pytest.mark.parametrize("section", ["entities", "quotes", "events", "stories", "claims", "naming"])
def test_validate_analysis_rejects_missing_later_section(section: str) -> None:
    assert section in _invalid(lambda d: d.pop(section))


@pytest.mark.parametrize("bad_id", ["art_1", "art_00000000000000A1", "ART_00000000000000a1", ""])
def test_validate_analysis_rejects_bad_article_id(bad_id: str) -> None:
    message = _invalid(lambda d: d["articles"][0].update(id=bad_id))
    assert "$.articles[0].id" in message


def test_validate_analysis_rejects_start_after_end() -> None:
    def mutate(doc: dict[str, Any]) -> None:
        doc["quotes"][0]["start"], doc["quotes"][0]["end"] = 10, 5
        doc["quotes"][0]["text"] = ""

    message = _invalid(mutate)
    assert "$.quotes[0]: start 10 is after end 5" in message


def test_validate_analysis_rejects_negative_offset() -> None:
    message = _invalid(lambda d: d["events"][0].update(start=-1))
    assert "$.events[0].start" in message


@pytest.mark.parametrize(
    "published", ["14/03/2024", "2024-3-14", "2024-02-30", "2024-03-14T10:00:00Z"]
)
def test_validate_analysis_rejects_bad_published(published: str) -> None:
    message = _invalid(lambda d: d["articles"][0].update(published=published))
    assert "$.articles[0].published" in message


def test_validate_analysis_rejects_span_past_end_of_text() -> None:
    message = _invalid(lambda d: d["events"][0].update(end=len(TEXT1) + 1))
    assert "$.events[0].end" in message


def test_validate_analysis_rejects_span_text_mismatch() -> None:
    message = _invalid(lambda d: d["entities"][0]["mentions"][0].update(text="Ana"))
    assert "$.entities[0].mentions[0].text" in message


def test_validate_analysis_rejects_unknown_span_article() -> None:
    message = _invalid(lambda d: d["quotes"][0].update(article="art_ffffffffffffffff"))
    assert "is not an article id" in message


def test_validate_analysis_rejects_removed_past_end() -> None:
    message = _invalid(lambda d: d["articles"][0]["removed"][0].update(at=10_000))
    assert "$.articles[0].removed[0].at" in message


def test_validate_analysis_rejects_dangling_duplicate_of() -> None:
    message = _invalid(lambda d: d["articles"][1].update(duplicate_of="art_ffffffffffffffff"))
    assert "$.articles[1].duplicate_of" in message


def test_validate_analysis_rejects_duplicate_of_a_duplicate() -> None:
    def mutate(doc: dict[str, Any]) -> None:
        third = copy.deepcopy(doc["articles"][1])
        third.update(id="art_00000000000000a3", duplicate_of=A2)
        doc["articles"].append(third)
        doc["stats"].update(articles=3, duplicates=2)

    assert "itself a duplicate" in _invalid(mutate)


def test_validate_analysis_rejects_repeated_article_id() -> None:
    def mutate(doc: dict[str, Any]) -> None:
        doc["articles"][1].update(id=A1, duplicate_of=None)
        doc["stats"].update(unique_articles=2, duplicates=0)

    assert "duplicate article id" in _invalid(mutate)


def test_validate_analysis_rejects_inconsistent_stats() -> None:
    message = _invalid(lambda d: d["stats"].update(unique_articles=2))
    assert "$.stats.unique_articles" in message


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("articles", 0, "format"), "pdf"),
        (("articles", 0, "language_score"), 1.5),
        (("articles", 0, "language"), "English"),
        (("articles", 0, "flags"), ["Too Short"]),
        (("articles", 0, "authors"), "J. Doe"),
        (("quotes", 0, "kind"), "rumour"),
        (("quotes", 0, "speaker"), "Ana"),
        (("events", 0, "type"), "reopen"),
        (("events", 0, "date"), "March 2024"),
        (("errors", 0, "error"), ""),
        (("stats", "articles"), -1),
        (("schema_version",), "2.0"),
        (("generator",), {"name": "parallax"}),
    ],
)
def test_validate_analysis_rejects_bad_values(path: tuple[Any, ...], value: Any) -> None:
    def mutate(doc: dict[str, Any]) -> None:
        node: Any = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    assert str(path[-1]) in _invalid(mutate)


def test_validate_analysis_rejects_dangling_references() -> None:
    message = _invalid(lambda d: d["naming"][0].update(entity="ent_ffffffffffffffff"))
    assert "$.naming[0].entity" in message
    message = _invalid(lambda d: d["claims"][0].update(story="sto_ffffffffffffffff"))
    assert "$.claims[0].story" in message


def test_validate_analysis_error_names_path_and_caps_count() -> None:
    doc = make_doc()
    for article in doc["articles"]:
        article["format"] = "pdf"
        article["id"] = "bad"
    with pytest.raises(ValueError) as info:
        validate_analysis(doc)
    message = str(info.value)
    assert message.startswith("analysis.json does not match schema 1.2: $.articles[0]")
    assert "(and " in message or message.count("; ") == 3


def test_validate_analysis_rejects_non_object() -> None:
    with pytest.raises(ValueError, match="is not of type 'object'"):
        validate_analysis([])  # type: ignore[arg-type]


# --- docs/schema.md cannot drift from the schema ----------------------------


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _property_names(schema: dict[str, Any]) -> set[str]:
    return {name for node in _walk(schema) for name in node.get("properties", {})}


def _enum_values(schema: dict[str, Any]) -> set[str]:
    values = {str(v) for node in _walk(schema) for v in node.get("enum", [])}
    return values | set(schema["$defs"]["flag"]["examples"])


def test_docs_mention_every_property() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    names = _property_names(load_schema())
    assert len(names) > 40  # the walk really found the nested properties
    missing = sorted(name for name in names if f"`{name}`" not in docs)
    assert not missing, f"docs/schema.md does not describe: {missing}"


def test_docs_mention_every_enum_value_and_known_flag() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    missing = sorted(value for value in _enum_values(load_schema()) if f"`{value}`" not in docs)
    assert not missing, f"docs/schema.md does not list: {missing}"


def test_docs_flag_table_matches_known_flags() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    table = docs.split("### Flags", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", table, re.M))
    assert documented == set(load_schema()["$defs"]["flag"]["examples"])
