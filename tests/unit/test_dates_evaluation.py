"""The TempEval-3 reader and scorer on a hand-written TimeML document."""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.evaluation.dates import (
    evaluate_dates,
    format_dates_report,
    normalise_gold_value,
    parse_timeml,
    value_kind,
)

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>T1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2024-03-08" temporalFunction="false" functionInDocument="CREATION_TIME">20240308</TIMEX3></DCT>
<TEXT>
Rebels shelled the town <TIMEX3 tid="t1" type="DATE" value="2024-03-07">yesterday</TIMEX3> &amp; again
<TIMEX3 tid="t2" type="DATE" value="PRESENT_REF">now</TIMEX3>. Talks lasted
<TIMEX3 tid="t3" type="DURATION" value="P3D">three days</TIMEX3> and resume
<TIMEX3 tid="t4" type="DATE" value="2024-W11">next week</TIMEX3>, said an official on
<TIMEX3 tid="t5" type="DATE" value="2024-03-01">Friday</TIMEX3>.
</TEXT>
</TimeML>
"""


def test_parse_timeml_offsets_and_dct() -> None:
    doc = parse_timeml(TML, "t1.tml")
    assert doc.dct == "2024-03-08"
    assert [(t.text, t.type, t.value) for t in doc.timexes] == [
        ("yesterday", "DATE", "2024-03-07"),
        ("now", "DATE", "PRESENT_REF"),
        ("three days", "DURATION", "P3D"),
        ("next week", "DATE", "2024-W11"),
        ("Friday", "DATE", "2024-03-01"),
    ]
    for t in doc.timexes:
        assert doc.text[t.start:t.end] == t.text
    assert "&" in doc.text and "&amp;" not in doc.text


def test_normalise_gold_value_and_kind() -> None:
    assert normalise_gold_value("1998-W8") == "1998-W08"
    assert normalise_gold_value("2000-01-05TEV") == "2000-01-05"
    assert normalise_gold_value("PRESENT_REF") == "PRESENT_REF"
    assert [value_kind(v) for v in ("2024-03-08", "2024-W09", "2024-03", "2024-Q3", "2024", "PAST_REF", "1998-SU")] == [
        "day", "week", "month", "quarter", "year", "ref", "other",
    ]


@pytest.mark.slow
def test_evaluate_dates_on_a_tiny_folder(tmp_path: Path) -> None:
    (tmp_path / "TimeBank").mkdir()
    (tmp_path / "TimeBank" / "t1.tml").write_text(TML, encoding="utf-8")
    result = evaluate_dates(tmp_path)
    assert result["documents"] == 1 and result["gold"] == 4  # DATE only, DCT excluded
    # "Friday" in a past clause published on a Friday is that day, not the gold's week before
    assert result["correct"] == 2 and result["found"] == 3  # "now" is not emitted
    report = format_dates_report(result)
    assert "end to end" in report and "0.500" in report
