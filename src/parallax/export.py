"""Export a store's tables as JSON Lines, CSV or Parquet, plus a PLOVER event CSV.

One file per table, written by DuckDB itself (``COPY (SELECT …) TO …``; its
Parquet writer needs no pyarrow). Tables the store does not have yet are
skipped; a table that exists but is empty still gets a file (CSV: the header
line; Parquet: the schema; JSON Lines: an empty file). Each file is written
under a temporary name and moved into place, so a reader never sees half a
file.

``events_plover.csv`` has one row per event that the text does not negate,
with the columns GDELT/ACLED-style tools expect: date, actor, target, type,
place, lat, lon, the source article, its URL and outlet, and the sentence
the event was read from (sliced from the article text in SQL:
``substr(text, start + 1, end - start)``; DuckDB counts code points like
Python, so this equals ``text[start:end]``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import duckdb

from parallax.errors import InputError
from parallax.query import open_reader, table_names

__all__ = ["EXPORT_TABLES", "FORMATS", "PLOVER_COLUMNS", "export_store"]

Format = Literal["jsonl", "csv", "parquet"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv", "parquet")
EXPORT_TABLES = (
    "articles", "removed", "flags", "errors", "entities", "mentions", "quotes", "events", "dates",
    "stories", "story_articles", "claims", "claim_mentions", "contradictions", "naming", "naming_spans",
)
PLOVER_FILE = "events_plover.csv"
PLOVER_COLUMNS = (
    "date", "actor", "target", "type", "place", "lat", "lon", "article_id", "url", "outlet",
    "sentence", "event_id", "date_inferred", "actor_id", "target_id", "place_id", "country",
    "published",
)
_ORDER = {  # stable row order per table; others keep their stored order
    "articles": "seq",
    "removed": "article_id, position",
    "mentions": 'article_id, "start", "end", entity_id',
    "quotes": 'article_id, "start", "end", id',
    "events": 'article_id, "start", trigger_start, id',
    "dates": 'article_id, "start", "end"',
    "naming_spans": 'article_id, "start", "end", label, entity_id',
}
_JSON_TEXT_COLUMNS = frozenset({"kb"})
_COPY_OPTIONS = {"jsonl": "FORMAT json", "csv": "FORMAT csv, HEADER", "parquet": "FORMAT parquet"}
_EXTENSIONS = {"jsonl": "jsonl", "csv": "csv", "parquet": "parquet"}

_PLOVER_SQL = """
WITH names AS (
    SELECT id, arg_min(name, rowid) AS name, arg_min(kb, rowid) AS kb FROM entities GROUP BY id
)
SELECT
    v.date AS date,
    coalesce(v.actor_text, an.name, v.actor) AS actor,
    coalesce(v.target_text, tn.name, v.target) AS target,
    v.type AS type,
    coalesce(v.place_text, p.name, v.place) AS place,
    TRY_CAST(json_extract_string(p.kb, '$.lat') AS DOUBLE) AS lat,
    TRY_CAST(json_extract_string(p.kb, '$.lon') AS DOUBLE) AS lon,
    v.article_id AS article_id,
    a.url AS url,
    a.outlet AS outlet,
    substr(a.text, v."start" + 1, v."end" - v."start") AS sentence,
    v.id AS event_id,
    coalesce(v.date_inferred, false) AS date_inferred,
    an.id AS actor_id,
    tn.id AS target_id,
    p.id AS place_id,
    json_extract_string(p.kb, '$.country') AS country,
    a.published AS published
FROM events v
JOIN articles a ON a.id = v.article_id
LEFT JOIN names an ON an.id = v.actor
LEFT JOIN names tn ON tn.id = v.target
LEFT JOIN names p ON p.id = v.place
WHERE NOT coalesce(v.negated, false)
ORDER BY a.seq, v."start", v.trigger_start, v.id
"""


def export_store(
    store_path: str | os.PathLike[str], out_dir: str | os.PathLike[str], fmt: Format
) -> list[Path]:
    """Write every exportable table of the store to ``out_dir``; return the paths written.

    ``store_path`` is an ``--out`` folder or its ``parallax.duckdb``. The
    PLOVER CSV is written whatever ``fmt`` is, when the store has events.
    """
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with open_reader(store_path) as reader:
        db = reader.cursor()
        try:
            present = table_names(db)
            for table in EXPORT_TABLES:
                if table not in present:
                    continue
                path = target / f"{table}.{_EXTENSIONS[fmt]}"
                _copy(db, _select(db, table, fmt), path, _COPY_OPTIONS[fmt])
                written.append(path)
            if {"events", "articles", "entities"} <= present:
                path = target / PLOVER_FILE
                _copy(db, _PLOVER_SQL, path, _COPY_OPTIONS["csv"])
                written.append(path)
        finally:
            db.close()
    return written


def _select(db: duckdb.DuckDBPyConnection, table: str, fmt: Format) -> str:
    """SELECT every column.

    In CSV, lists become JSON arrays (CSV has no lists); in JSON Lines, columns
    holding JSON text (``kb``) become JSON objects.
    """
    columns = db.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    parts = []
    for name, kind in columns:
        quoted = '"' + name.replace('"', '""') + '"'
        is_nested = kind.endswith("[]") or kind.startswith(("STRUCT", "MAP"))
        if fmt == "csv" and is_nested:
            parts.append(f"to_json({quoted}) AS {quoted}")
        elif fmt == "jsonl" and name in _JSON_TEXT_COLUMNS and kind == "VARCHAR":
            parts.append(f"CASE WHEN json_valid({quoted}) THEN {quoted}::JSON END AS {quoted}")
        else:
            parts.append(quoted)
    order = f" ORDER BY {_ORDER[table]}" if table in _ORDER else ""
    return f'SELECT {", ".join(parts)} FROM "{table}"{order}'


def _copy(db: duckdb.DuckDBPyConnection, select: str, path: Path, options: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    literal = "'" + str(tmp).replace("'", "''") + "'"
    try:
        db.execute(f"COPY ({select}) TO {literal} ({options})")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
