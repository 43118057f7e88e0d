"""parallax export: one file per table in every format, and the PLOVER event CSV."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest
from test_web_store import (
    BRIDGE,
    BRIDGE_TEXT,
    EVENT_NEGATED,
    EVENT_PROTEST,
    EVENT_UNICODE,
    UNICODE,
    UNICODE_TEXT,
    build_articles,
    build_store,
    span,
)

from parallax.errors import InputError, StoreError
from parallax.export import EXPORT_TABLES, FORMATS, PLOVER_COLUMNS, export_store
from parallax.store.duckdb import Store

BASE_TABLES = ("articles", "removed", "flags", "errors", "entities", "mentions", "quotes", "events", "dates")
STORY_TABLES = ("stories", "story_articles", "claims", "claim_mentions", "contradictions", "naming", "naming_spans")
READERS = {"jsonl": "read_json('{}', format='newline_delimited')", "csv": "read_csv('{}', header=true)",
           "parquet": "read_parquet('{}')"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("export") / "parallax.duckdb")


@pytest.fixture(scope="module")
def bare_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("bare") / "parallax.duckdb", stories=False)


def table_counts(path: Path) -> dict[str, int]:
    db = duckdb.connect(str(path), read_only=True)
    try:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                for t in EXPORT_TABLES
                if db.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                              [t]).fetchone()[0]}  # type: ignore[index]
    finally:
        db.close()


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_writes_every_table_in_every_format(store: Path, tmp_path: Path, fmt: str) -> None:
    written = export_store(store, tmp_path, fmt)  # type: ignore[arg-type]
    names = [p.name for p in written]
    assert names == [f"{t}.{fmt}" for t in (*BASE_TABLES, *STORY_TABLES)] + ["events_plover.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)  # no temporary files left
    counts = table_counts(store)
    assert counts["errors"] == 0  # an empty table still gets its file
    db = duckdb.connect()
    for table, expected in counts.items():
        path = tmp_path / f"{table}.{fmt}"
        if expected == 0 and fmt == "jsonl":
            assert path.read_bytes() == b""
            continue
        got = db.execute(f"SELECT count(*) FROM {READERS[fmt].format(path)}").fetchone()[0]  # type: ignore[index]
        assert got == expected, table


def test_export_empty_tables_keep_header_and_schema(store: Path, tmp_path: Path) -> None:
    export_store(store, tmp_path / "csv", "csv")
    export_store(store, tmp_path / "parquet", "parquet")
    assert (tmp_path / "csv" / "errors.csv").read_text().strip() == "input,stage,error,article_id"
    columns = duckdb.connect().execute(
        f"DESCRIBE SELECT * FROM read_parquet('{tmp_path / 'parquet' / 'errors.parquet'}')"
    ).fetchall()
    assert [c[0] for c in columns] == ["input", "stage", "error", "article_id"]


def test_export_writes_empty_cross_article_tables_with_headers(bare_store: Path, tmp_path: Path) -> None:
    names = [p.name for p in export_store(bare_store, tmp_path, "csv")]
    assert "articles.csv" in names and "events_plover.csv" in names
    assert (tmp_path / "stories.csv").read_text().strip().startswith("id,title")


def test_export_csv_round_trips_text_and_lists(store: Path, tmp_path: Path) -> None:
    export_store(store.parent, tmp_path, "csv")  # the --out folder works too
    with (tmp_path / "articles.csv").open(newline="", encoding="utf-8") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle)}
    assert rows[BRIDGE]["text"] == BRIDGE_TEXT  # newlines survive
    assert json.loads(rows[BRIDGE]["authors"]) == ["J. Doe"]
    assert rows[UNICODE]["text"] == UNICODE_TEXT
    original = {a.id: a for a in build_articles()}
    assert [r["id"] for r in rows.values()] == [a.id for a in original.values()]  # input order


def test_export_jsonl_kb_is_an_object(store: Path, tmp_path: Path) -> None:
    export_store(store, tmp_path, "jsonl")
    entities = [json.loads(line) for line in (tmp_path / "entities.jsonl").read_text().splitlines()]
    kyiv = next(e for e in entities if e["name"] == "Kyiv")
    assert kyiv["kb"]["lat"] == 50.45466 and kyiv["aliases"] == []


def test_export_parquet_keeps_types(store: Path, tmp_path: Path) -> None:
    export_store(store, tmp_path, "parquet")
    row = duckdb.connect().execute(
        f"SELECT authors, language_score FROM read_parquet('{tmp_path / 'articles.parquet'}') "
        "WHERE id = ?", [BRIDGE]
    ).fetchone()
    assert row == (["J. Doe"], 0.98)


def read_plover(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == PLOVER_COLUMNS
        return list(reader)


def test_export_plover_columns_and_rows(store: Path, tmp_path: Path) -> None:
    export_store(store, tmp_path, "jsonl")
    rows = {r["event_id"]: r for r in read_plover(tmp_path / "events_plover.csv")}
    assert PLOVER_COLUMNS[:11] == ("date", "actor", "target", "type", "place", "lat", "lon",
                                   "article_id", "url", "outlet", "sentence")
    assert EVENT_NEGATED not in rows  # the text says it did not happen
    protest = rows[EVENT_PROTEST]
    assert protest["date"] == "2024-03-12" and protest["type"] == "PROTEST"
    assert protest["actor"] == "Protesters" and protest["target"] == "the bridge"
    assert protest["place"] == "Kyiv" and protest["country"] == "UA"
    assert float(protest["lat"]) == 50.45466 and float(protest["lon"]) == 30.5238
    assert protest["article_id"] == BRIDGE and protest["url"] == "https://example.org/bridge"
    assert protest["outlet"] == "Example Daily"
    assert protest["sentence"] == "Protesters blocked the bridge on Tuesday, police said."


def test_export_plover_sentence_slicing_counts_code_points(store: Path, tmp_path: Path) -> None:
    """DuckDB's substr counts code points like Python: emoji, flags, combining accents."""
    export_store(store, tmp_path, "csv")
    row = next(r for r in read_plover(tmp_path / "events_plover.csv") if r["event_id"] == EVENT_UNICODE)
    start, end = span(UNICODE_TEXT, "crowds marched on Friday.")
    before = UNICODE_TEXT[:start]
    assert any(ord(c) > 0xFFFF for c in before) and "\u0301" in before  # astral and combining
    assert row["sentence"] == UNICODE_TEXT[start:end]
    assert row["article_id"] == UNICODE and row["outlet"] == "Ukrinform 🇺🇦"
    assert row["date_inferred"] == "true" and float(row["lat"]) == 49.83826


@pytest.mark.parametrize("prefix", ["", "👩‍👩‍👧", "🇺🇦🇺🇦", "e\u0301" * 3, "日本語", "\U0001d11e", "a\r\nb"])
def test_export_sql_slice_equals_python_slice(tmp_path: Path, prefix: str) -> None:
    text = f"{prefix} The army shelled the town. {prefix}"
    start, end = span(text, "The army shelled the town.")
    db = duckdb.connect()
    got = db.execute("SELECT substr(?, ? + 1, ? - ?)", [text, start, end, start]).fetchone()[0]  # type: ignore[index]
    assert got == text[start:end]


def test_export_rejects_unknown_format(store: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="jsonl, csv, parquet"):
        export_store(store, tmp_path, "xlsx")  # type: ignore[arg-type]


def test_export_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no Parallax store"):
        export_store(tmp_path / "nowhere", tmp_path / "out", "csv")


def test_export_paths_with_quotes_and_spaces(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "it's a \"dir\""
    written = export_store(store, out, "csv")
    assert all(p.parent == out and p.exists() for p in written)


def test_export_does_not_change_the_store(store: Path, tmp_path: Path) -> None:
    before = table_counts(store)
    export_store(store, tmp_path, "parquet")
    assert table_counts(store) == before
    with Store(store, read_only=True) as opened:
        assert len(opened.articles()) == len(build_articles())
