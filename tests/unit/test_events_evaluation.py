"""The PLOVER gold-record and MEANTIME readers and the argument overlap rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.evaluation.events import (
    content_words,
    evaluate_events,
    format_events_report,
    overlaps,
    read_cat_document,
    read_gold_records,
    split_of,
)

RECORDS = [
    {"id": "PLOVER-GSR01-DOCUMENT-0001", "event": "DOCUMENT", "eventText": "docs"},
    {"id": "PLOVER-GSR01-DEMAND-0001", "event": "DEMAND", "eventText": "urged",
     "source": [{"actorText": "United States", "code": "USA"}], "target": [{"actorText": "Israel", "code": "ISR"}],
     "text": "The United States urged Israel to release the prisoners.",
     "textInfo": {"markup": "The (SRC: United States) (EVT: urged) (TAR: Israel) to release the prisoners."}},
    {"id": "PLOVER-GSR01-FIGHT-0002", "event": "FIGHT", "eventText": "shelled",
     "source": [{"actorText": "Sudanese rebels", "code": "SDN"}], "target": [{"actorText": "Juba", "code": "SDN"}],
     "text": "Sudanese rebels shelled the southern regional capital Juba on Sunday.",
     "textInfo": {"markup": "(SRC: Sudanese rebels) (EVT: shelled) the southern regional capital (TAR: Juba) on Sunday."}},
]


def test_overlap_rule_uses_the_shorter_side() -> None:
    assert content_words("The U.S. and its allies") == ["us", "allies"]
    assert overlaps("A group of Moroccan diplomats", "Moroccan diplomats")
    assert overlaps("Senior Hungarian and Romanian officials", "Hungarian")
    assert not overlaps("Israeli army", "Hamas")
    assert not overlaps(None, "Hamas") and not overlaps("the", "Hamas")


def test_read_gold_records_and_splits(tmp_path: Path) -> None:
    (tmp_path / "PLOVER_GSR_CAMEO.json").write_text(json.dumps(RECORDS), encoding="utf-8")
    records = read_gold_records(tmp_path)
    assert [r["id"] for r in records] == ["PLOVER-GSR01-DEMAND-0001", "PLOVER-GSR01-FIGHT-0002"]
    assert [split_of(r) for r in records] == ["dev", "test"]


@pytest.mark.slow
def test_evaluate_events_maps_old_labels(tmp_path: Path) -> None:
    (tmp_path / "PLOVER_GSR_CAMEO.json").write_text(json.dumps(RECORDS), encoding="utf-8")
    result = evaluate_events(tmp_path)
    assert result["all"]["type_accuracy"] == 1.0  # DEMAND -> REQUEST, FIGHT -> ASSAULT
    assert result["all"]["actor_accuracy"] == 1.0
    assert result["all"]["target_accuracy"] == 1.0
    assert "dev" in format_events_report(result)


def test_read_cat_document() -> None:
    raw = """<Document doc_id="1">
<token number="0" sentence="0" t_id="1">Rebels</token>
<token number="1" sentence="0" t_id="2">attacked</token>
<token number="2" sentence="0" t_id="3">Juba</token>
<token number="0" sentence="1" t_id="4">Done</token>
<Markables>
<ENTITY_MENTION m_id="10"><token_anchor t_id="1"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="11"><token_anchor t_id="3"/></ENTITY_MENTION>
<EVENT_MENTION m_id="12"><token_anchor t_id="2"/></EVENT_MENTION>
<TIMEX3 m_id="13" functionInDocument="CREATION_TIME" type="DATE" value="2007-03-19"/>
</Markables>
<Relations>
<HAS_PARTICIPANT r_id="1" sem_role="Arg0"><source m_id="12"/><target m_id="10"/></HAS_PARTICIPANT>
<HAS_PARTICIPANT r_id="2" sem_role="Arg1"><source m_id="12"/><target m_id="11"/></HAS_PARTICIPANT>
</Relations></Document>"""
    doc = read_cat_document(raw)
    assert doc["text"] == "Rebels attacked Juba\nDone"
    assert doc["dct"] == "2007-03-19"
    assert doc["mentions"]["12"] == ("EVENT_MENTION", 7, 15)
    assert sorted(doc["participants"]) == [("12", "10", "Arg0"), ("12", "11", "Arg1")]
