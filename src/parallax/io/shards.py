"""Parquet shards of records: how batches travel between the driver and Dask workers.

A shard is one Parquet file with two struct columns, ``article`` and
``rejection``; each row holds exactly one of them, in batch order. The Arrow
schema is derived from the record dataclasses' type hints, so a new field on
``Article`` (or on a nested record) travels without touching this module:

=========================  ==========================================
Python                     Arrow
=========================  ==========================================
``str``                    ``large_string``
``int`` / ``float``        ``int64`` / ``float64`` (exact round-trip)
``bool``                   ``bool``
``X | None``               ``X``, nullable
``tuple[X, ...]``          ``list<X>`` (read back as a tuple)
``tuple[X, Y]``            ``struct<f0: X, f1: Y>`` (read back as a tuple)
record dataclass           ``struct`` of its fields
``Mapping[str, Any]``      JSON text (``Entity.kb``: JSON data only)
=========================  ==========================================

``from_arrow(to_arrow(records)) == records`` for every batch of ``Article``
and ``Rejection`` records (property-tested). Files are written to a temporary
name and renamed, so a reader never sees half a shard.
"""

from __future__ import annotations

import dataclasses
import json
import os
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import pyarrow as pa
import pyarrow.parquet as pq

from parallax.records import Article, Rejection

Outcome = Article | Rejection
_COLUMNS = {"article": Article, "rejection": Rejection}


def write_shard(path: str | os.PathLike[str], records: Sequence[Outcome]) -> Path:
    """Write ``records`` (articles and rejections, in order) to a Parquet file at ``path``."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        pq.write_table(to_arrow(records), tmp, compression="zstd")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def read_shard(path: str | os.PathLike[str]) -> list[Outcome]:
    """Read a shard written by ``write_shard``: the same records in the same order."""
    return from_arrow(pq.read_table(path))


def to_arrow(records: Sequence[Outcome]) -> pa.Table:
    """Encode articles and rejections as an Arrow table (one row per record)."""
    for i, record in enumerate(records):
        if type(record) not in _COLUMNS.values():
            raise TypeError(f"record {i} is a {type(record).__name__}, not an Article or Rejection")
    columns = {}
    for column, record_type in _COLUMNS.items():
        encode = _encoder(record_type)
        values = [encode(r) if type(r) is record_type else None for r in records]
        columns[column] = pa.array(values, type=_arrow_type(record_type))
    return pa.table(columns)


def from_arrow(table: pa.Table) -> list[Outcome]:
    """Decode a table made by ``to_arrow`` back into records."""
    missing = set(_COLUMNS) - set(table.column_names)
    if missing:
        raise ValueError(f"not a Parallax shard: columns {sorted(missing)} missing")
    decoded: list[list[Outcome | None]] = []
    for column, record_type in _COLUMNS.items():
        decode = _decoder(record_type)
        decoded.append([None if v is None else decode(v) for v in table.column(column).to_pylist()])
    outcomes: list[Outcome] = []
    for i, row in enumerate(zip(*decoded, strict=True)):
        present = [r for r in row if r is not None]
        if len(present) != 1:
            raise ValueError(f"shard row {i} holds {len(present)} records, expected exactly one")
        outcomes.append(present[0])
    return outcomes


# --- schema from type hints -------------------------------------------------


def _is_optional(hint: Any) -> tuple[bool, Any]:
    if get_origin(hint) in (Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        if len(args) == 1 and len(get_args(hint)) == 2:
            return True, args[0]
        raise TypeError(f"unsupported union in a record field: {hint}")
    return False, hint


def _is_mapping(hint: Any) -> bool:
    origin = get_origin(hint) or hint
    return isinstance(origin, type) and issubclass(origin, Mapping)


@cache
def _hints(record_type: type) -> tuple[tuple[str, Any], ...]:
    hints = get_type_hints(record_type)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(record_type))


@cache
def _arrow_type(hint: Any) -> pa.DataType:
    _, hint = _is_optional(hint)
    if dataclasses.is_dataclass(hint):
        fields = _hints(hint)  # type: ignore[arg-type]
        return pa.struct([pa.field(n, _arrow_type(h)) for n, h in fields])
    if hint is str or _is_mapping(hint):
        return pa.large_string()
    if hint is bool:
        return pa.bool_()
    if hint is int:
        return pa.int64()
    if hint is float:
        return pa.float64()
    if get_origin(hint) is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return pa.large_list(_arrow_type(args[0]))
        return pa.struct([pa.field(f"f{i}", _arrow_type(a)) for i, a in enumerate(args)])
    raise TypeError(f"no Arrow encoding for record field type {hint!r}")


# --- values: records -> plain Python (Arrow input) and back -----------------


@cache
def _encoder(hint: Any) -> Callable[[Any], Any]:
    optional, hint = _is_optional(hint)
    inner: Callable[[Any], Any]
    if dataclasses.is_dataclass(hint):
        fields = [(n, _encoder(h)) for n, h in _hints(hint)]  # type: ignore[arg-type]

        def inner(value: Any) -> Any:
            return {n: enc(getattr(value, n)) for n, enc in fields}
    elif _is_mapping(hint):
        inner = _encode_mapping
    elif get_origin(hint) is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _encoder(args[0])

            def inner(value: Any) -> Any:
                return [item(v) for v in value]
        else:
            parts = [_encoder(a) for a in args]

            def inner(value: Any) -> Any:
                if len(value) != len(parts):
                    raise ValueError(f"expected a {len(parts)}-tuple, got {value!r}")
                pairs = zip(parts, value, strict=True)
                return {f"f{i}": enc(v) for i, (enc, v) in enumerate(pairs)}
    else:
        _arrow_type(hint)  # raises for unsupported types

        def inner(value: Any) -> Any:
            return value
    if not optional:
        return inner
    return lambda value: None if value is None else inner(value)


@cache
def _decoder(hint: Any) -> Callable[[Any], Any]:
    optional, hint = _is_optional(hint)
    inner: Callable[[Any], Any]
    if dataclasses.is_dataclass(hint):
        record_type = typing.cast(type, hint)
        fields = [(n, _decoder(h)) for n, h in _hints(record_type)]

        def inner(value: Any) -> Any:
            return record_type(**{n: dec(value[n]) for n, dec in fields})
    elif _is_mapping(hint):
        inner = json.loads
    elif get_origin(hint) is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])

            def inner(value: Any) -> Any:
                return tuple(item(v) for v in value)
        else:
            parts = [_decoder(a) for a in args]

            def inner(value: Any) -> Any:
                return tuple(dec(value[f"f{i}"]) for i, dec in enumerate(parts))
    else:
        def inner(value: Any) -> Any:
            return value
    if not optional:
        return inner
    return lambda value: None if value is None else inner(value)


def _encode_mapping(value: Mapping[str, Any]) -> str:
    text = json.dumps(dict(value), ensure_ascii=False)
    if json.loads(text) != value:
        raise ValueError(
            f"a mapping field must hold JSON data (str keys; str, int, float, bool, None, "
            f"lists and dicts) to travel in a shard: {value!r}"
        )
    return text
