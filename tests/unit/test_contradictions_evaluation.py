"""The contradiction evaluation: the labelled pairs file, and the scores computed from verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.evaluation.contradictions import (
    PAIRS_FILE,
    LabelledPair,
    SentenceRef,
    format_contradictions_report,
    load_pairs,
    score,
    sentence_digest,
)

EVALDATA = Path(__file__).resolve().parents[3] / "shared" / "evaldata" / "ecbplus"


def pair(pid: str, label: str, kind: str | None = None, split: str = "dev") -> LabelledPair:
    ref = SentenceRef("1_1ecb", 0, "00000000")
    return LabelledPair(pid, split, ref, ref, label, kind, "why")


def test_shipped_pairs_are_valid_balanced_and_hold_no_text():
    pairs = load_pairs()
    assert len(pairs) >= 40
    for split in ("dev", "test"):
        labels = {p.label for p in pairs if p.split == split}
        assert labels == {"contradiction", "compatible"}, split
    for p in pairs:
        assert len(p.a.digest) == len(p.b.digest) == 8
        assert len(p.rationale) < 200  # a rationale, never the sentences themselves
        assert (p.a.doc, p.a.sentence) != (p.b.doc, p.b.sentence)
    # both sentences of a pair come from one sub-topic (one story), and a sub-topic from one split
    split_of: dict[str, str] = {}
    for p in pairs:
        topic = p.a.doc.split("_")[0] + p.a.doc.split("_")[1].lstrip("0123456789")
        assert p.b.doc.split("_")[0] + p.b.doc.split("_")[1].lstrip("0123456789") == topic
        assert split_of.setdefault(topic, p.split) == p.split, topic
    raw = PAIRS_FILE.read_text(encoding="utf-8")
    assert all(len(json.loads(line)) <= 7 for line in raw.splitlines())


def test_load_pairs_refuses_bad_labels_and_kinds(tmp_path):
    row = {
        "id": "x", "split": "dev", "label": "contradiction", "rationale": "r",
        "a": {"doc": "1_1ecb", "sentence": 1, "digest": "00000000"},
        "b": {"doc": "1_2ecb", "sentence": 1, "digest": "00000000"},
    }
    path = tmp_path / "pairs.jsonl"
    path.write_text(json.dumps(row), encoding="utf-8")
    with pytest.raises(ValueError, match="needs a kind"):
        load_pairs(path)
    path.write_text(json.dumps({**row, "kind": "number", "label": "maybe"}), encoding="utf-8")
    with pytest.raises(ValueError, match="label must be one of"):
        load_pairs(path)
    path.write_text(json.dumps({**row, "kind": "number"}) + "\n" + json.dumps({**row, "kind": "date"}))
    with pytest.raises(ValueError, match="duplicate pair ids"):
        load_pairs(path)


def test_sentence_digest_ignores_spacing_only():
    assert sentence_digest("Ten  dead\nin a quake") == sentence_digest("Ten dead in a quake")
    assert sentence_digest("Ten dead in a quake") != sentence_digest("Nine dead in a quake")


def test_score_precision_recall_and_false_flags_per_kind():
    pairs = [
        pair("t1", "contradiction", "number"),
        pair("t2", "contradiction", "date"),
        pair("t3", "contradiction", "number"),
        pair("f1", "compatible"),
        pair("f2", "compatible"),
        pair("f3", "compatible"),
    ]
    verdicts = {
        "t1": [("number", "numbers differ")],
        "t2": [("date", "dates differ"), ("weekday", "weekday")],
        "f1": [("number", "numbers differ")],
    }
    result = score(pairs, verdicts)
    assert (result["flagged"], result["true_flags"], result["false_flags"]) == (3, 2, 1)
    assert result["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["recall"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["false_flag_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert result["compatible_flagged_rate"] == pytest.approx(1 / 3, abs=1e-4)
    number = result["per_kind"]["number"]
    assert (number["gold"], number["found"], number["flags"], number["false_flags"]) == (2, 1, 2, 1)
    assert result["per_kind"]["weekday"]["precision"] == 1.0
    assert {e["id"] for e in result["errors"]} == {"t3", "f1"}
    report = format_contradictions_report({"split": "dev", "pairs": 6, "documents": 2, **result})
    assert "false-flag rate 0.333 (1/3 flags)" in report
    assert "missed t3" in report and "false flag f1" in report


def test_score_with_no_flags_has_zero_precision_not_an_error():
    result = score([pair("t1", "contradiction", "number")], {})
    assert (result["precision"], result["recall"], result["false_flag_rate"]) == (0.0, 0.0, 0.0)


@pytest.mark.slow
@pytest.mark.skipif(not EVALDATA.is_dir(), reason="ECB+ not available")
def test_digests_match_the_shared_ecbplus_copy():
    from parallax.evaluation.claims import read_ecb_document
    from parallax.evaluation.contradictions import _xml_path, sentence_text

    for p in load_pairs():
        for ref in (p.a, p.b):
            doc = read_ecb_document(_xml_path(EVALDATA, ref.doc))
            assert sentence_digest(sentence_text(doc, ref.sentence)) == ref.digest, (p.id, ref)
