"""The NewsWCL50 reader behind the naming evaluation: text and gold chain spans from CoNLL."""

from __future__ import annotations

from pathlib import Path

from parallax.evaluation.naming import read_conll

CONLL = """#begin document 0/-/0_L; part 000
0/-/0_L\t1\t0\tPresident\t(0_USA_Trump_ACTOR\t
0/-/0_L\t1\t1\tTrump\t0_USA_Trump_ACTOR)\t
0/-/0_L\t1\t2\tmet\t-\t
0/-/0_L\t1\t3\tthe\t(0_PRK_COUNTRY| (0_PRK_Jong_Un_ACTOR\t
0/-/0_L\t1\t4\tdictator\t0_PRK_Jong_Un_ACTOR)| 0_PRK_COUNTRY)\t
0/-/0_L\t1\t5\t.\t-\t

0/-/0_L\t2\t0\tSo\t-\t
0/-/0_L\t2\t1\t-\t-\t
0/-/0_L\t2\t2\tcalled\t-\t
#end document
"""


def test_read_conll_rebuilds_text_and_gold_mentions(tmp_path: Path):
    path = tmp_path / "NewsWCL50.conll"
    path.write_text(CONLL, encoding="utf-8")
    (doc,) = read_conll(path)
    assert (doc["name"], doc["event"], doc["outlet"]) == ("0_L", 0, "L")
    assert doc["text"] == "President Trump met the dictator.\nSo-called"
    spans = {(chain, doc["text"][s:e]) for chain, s, e in doc["mentions"]}
    assert spans == {
        ("0_USA_Trump_ACTOR", "President Trump"),
        ("0_PRK_Jong_Un_ACTOR", "the dictator"),
        ("0_PRK_COUNTRY", "the dictator"),
    }
