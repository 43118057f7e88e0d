"""Parquet shards: records cross the driver/worker boundary unchanged."""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parallax.io.shards import from_arrow, read_shard, to_arrow, write_shard
from parallax.records import (
    Article, Entity, Event, Mention, Quote, Rejection, Removed, TimeExpression,
)

# Arrow strings are UTF-8: lone surrogates are scrubbed at the input edge (api.scrub).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
JSON_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), TEXT,
    st.floats(allow_nan=False),  # NaN != NaN: equality could not be checked
)


def strategy_for(hint: Any) -> st.SearchStrategy[Any]:
    """A strategy for any record field type, derived from the type hints like the encoder."""
    if get_origin(hint) in (Union, types.UnionType):
        (inner,) = [a for a in get_args(hint) if a is not type(None)]
        return st.none() | strategy_for(inner)
    if dataclasses.is_dataclass(hint):
        hints = get_type_hints(hint)
        fields = {f.name: strategy_for(hints[f.name]) for f in dataclasses.fields(hint)}
        return st.builds(hint, **fields)
    if hint is str:
        return TEXT
    if hint is bool:
        return st.booleans()
    if hint is int:
        return st.integers(min_value=-(2**63), max_value=2**63 - 1)
    if hint is float:
        return st.floats(allow_nan=False)
    origin = get_origin(hint) or hint
    if isinstance(origin, type) and issubclass(origin, Mapping):
        return st.dictionaries(TEXT, JSON_SCALAR, max_size=4)
    if origin is tuple:
        args = get_args(hint)
        if args[1:] == (Ellipsis,):
            return st.lists(strategy_for(args[0]), max_size=3).map(tuple)
        return st.tuples(*(strategy_for(a) for a in args))
    raise AssertionError(f"no strategy for {hint!r}")


OUTCOMES = st.lists(strategy_for(Article) | strategy_for(Rejection), max_size=4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OUTCOMES)
def test_shards_round_trip_any_records(records):
    assert from_arrow(to_arrow(records)) == records


def full_article() -> Article:
    text = "Minister Ana Díaz said on Friday: “We will help Paris.” 🌍"
    return Article(
        id="art_0123456789abcdef", input="/data/x.html#item=3", format="html", text=text,
        url="https://example.org/a", outlet="Example", title="T", authors=("A", "B"),
        published="2024-03-08", language="en", language_score=0.9731, flags=("too-short",),
        removed=(Removed(text="Share this", reason="share", at=12),), duplicate_of=None,
        notes=("decoded as windows-1252",),
        entities=(
            Entity(
                id="ent_1", name="Paris", type="GPE", aliases=("Paree",), labels=("capital",),
                mentions=(Mention(article="art_0123456789abcdef", start=48, end=53, text="Paris"),),
                kb={"geonames": 2988507, "lat": 48.85341, "lon": 2.3488, "country": "FR",
                    "kind": "city"},
            ),
            Entity(id="ent_2", name="Ana Díaz", type="PERSON"),
        ),
        quotes=(Quote(id="quo_1", article="art_0123456789abcdef", start=35, end=54,
                      text="We will help Paris.", kind="direct", cue="said", cue_start=13,
                      cue_end=17, speaker="ent_2", speaker_text="Ana Díaz", speaker_start=9,
                      speaker_end=17, speakers=("ent_2",)),),
        events=(Event(id="evt_1", article="art_0123456789abcdef", start=0, end=55, type="AID",
                      trigger="help", trigger_start=43, trigger_end=47, actor="ent_2",
                      place="ent_1", date="2024-03-08", date_text="on Friday",
                      date_inferred=True, quote="quo_1", negated=False),),
        dates=(TimeExpression(article="art_0123456789abcdef", start=18, end=27, text="on Friday",
                              value="2024-03-08", inferred=False, anchor="2024-03-08"),),
        html="<p>raw</p>",
        stamps=(("extract", "stg_aa"), ("read", "stg_bb")),
    )


def test_shards_round_trip_through_a_parquet_file(tmp_path: Path):
    records = [
        full_article(),
        Rejection(article_id="art_1", input="in.txt", stage="read", reason="stage-error",
                  detail="ValueError: boom"),
        Article(id="art_2", input="b.txt", format="txt", text=""),
    ]
    path = write_shard(tmp_path / "part-0.parquet", records)
    assert read_shard(path) == records
    assert [p.name for p in tmp_path.iterdir()] == ["part-0.parquet"]  # no temporary file left
    columns = pq.read_table(path).column_names
    assert columns == ["article", "rejection"]


def test_shards_keep_types_that_json_would_blur():
    article = full_article()
    (back,) = from_arrow(to_arrow([article]))
    assert isinstance(back.stamps, tuple) and isinstance(back.stamps[0], tuple)
    assert isinstance(back.entities[0].mentions, tuple)
    assert type(back.entities[0].kb["geonames"]) is int
    assert back.language_score == 0.9731


def test_shards_round_trip_an_empty_batch():
    assert from_arrow(to_arrow([])) == []


def test_shards_refuse_a_mapping_that_is_not_json_data():
    article = Article(id="art_1", input="a", format="txt", text="x",
                      entities=(Entity(id="ent_1", name="X", type="ORG", kb={"ids": (1, 2)}),))
    with pytest.raises(ValueError, match="JSON data"):
        to_arrow([article])


def test_shards_refuse_other_records():
    with pytest.raises(TypeError, match="record 1 is a Mention"):
        to_arrow([Article(id="a", input="a", format="txt", text=""),
                  Mention(article="a", start=0, end=0, text="")])  # type: ignore[list-item]


def test_shards_refuse_a_foreign_table(tmp_path: Path):
    import pyarrow as pa

    with pytest.raises(ValueError, match="not a Parallax shard"):
        from_arrow(pa.table({"id": ["x"]}))
