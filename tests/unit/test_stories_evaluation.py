"""Story and coreference evaluation: readers and metrics on tiny hand-made data (no model)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from parallax.evaluation.coref import (
    b_cubed,
    ceaf_e,
    muc,
    read_ecbplus_chains,
    read_newswcl_chains,
    score_links,
)
from parallax.evaluation.stories import (
    cluster_scores,
    detokenize,
    format_stories_report,
    read_ecbplus,
    read_newswcl_documents,
)

ECB = """<?xml version="1.0" encoding="UTF-8"?>
<Document doc_name="{name}" doc_id="DOC1">
{tokens}
<Markables>
<HUMAN_PART_PER m_id="1"  >
  <token_anchor t_id="{first}"/>
  <token_anchor t_id="{second}"/>
</HUMAN_PART_PER>
<HUMAN_PART_PER m_id="9" RELATED_TO="" TAG_DESCRIPTOR="t1_reid" instance_id="HUM1" />
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="1" note="HUM1" >
  <source m_id="1" />
  <target m_id="9" />
</CROSS_DOC_COREF>
</Relations>
</Document>
"""


def write_ecb(folder, name, sentences):
    tokens, number = [], 0
    for s, sentence in enumerate(sentences):
        for n, token in enumerate(sentence.split()):
            number += 1
            tokens.append(f'<token t_id="{number}" sentence="{s}" number="{n}">{token}</token>')
    path = folder / f"{name}.xml"
    path.write_text(ECB.format(name=name, tokens="\n".join(tokens), first=1 + 0, second=2), "utf-8")
    return path


def test_read_ecbplus_rebuilds_text_title_url_and_gold(tmp_path):
    topic = tmp_path / "xml" / "1"
    topic.mkdir(parents=True)
    write_ecb(topic, "1_1ecb", ["Tara Reid enters rehab .", "She checked in on Tuesday ."])
    write_ecb(topic, "1_2ecbplus", ["http : / / www . x . com / a", "Lindsay Lohan leaves rehab"])
    docs = read_ecbplus(tmp_path)
    assert [d.name for d in docs] == ["1_1ecb", "1_2ecbplus"]
    first, second = docs
    assert first.text == "Tara Reid enters rehab.\nShe checked in on Tuesday."
    assert first.title == "Tara Reid enters rehab."
    assert first.gold == "1ecb" and second.gold == "1ecbplus"
    assert second.url is not None and second.url.startswith("http")
    assert second.text == "Lindsay Lohan leaves rehab"
    chains = read_ecbplus_chains([first])
    assert [(m.text, m.chain) for m in chains] == [("Tara Reid", "1:HUM1")]


def test_detokenize_keeps_token_offsets():
    text, spans = detokenize([[("1", "``"), ("2", "Hi"), ("3", "''"), ("4", ","), ("5", "he"), ("6", "said")]])
    assert text == '"Hi", he said'
    for token_id, (start, end) in spans.items():
        assert text[start:end] in ('"', "Hi", ",", "he", "said")


def test_read_newswcl_documents_and_actor_chains(tmp_path):
    folder = tmp_path / "cdcr_conll"
    folder.mkdir()
    rows = [
        "#begin document 0/-/0_L; part 000",
        "0/-/0_L\t0\t0\tPresident\t(0_USA_Trump_ACTOR",
        "0/-/0_L\t0\t1\tTrump\t0_USA_Trump_ACTOR)",
        "0/-/0_L\t0\t2\tmet\t-",
        "0/-/0_L\t0\t3\tJapan\t(0_JPN_COUNTRY)",
        "0/-/0_L\t0\t4\t.\t-",
        "",
        "1/-/1_M\t0\t0\tComey\t(1_USA_Comey_ACTOR)",
        "1/-/1_M\t0\t1\tspoke\t-",
    ]
    (folder / "NewsWCL50.conll").write_text("\n".join(rows) + "\n", "utf-8")
    docs = read_newswcl_documents(tmp_path)
    assert [(d.name, d.topic, d.gold) for d in docs] == [("0_L", 0, "0"), ("1_M", 1, "1")]
    assert docs[0].text == "President Trump met Japan."
    chains = read_newswcl_chains(tmp_path, docs)
    assert [(m.text, m.chain) for m in chains] == [
        ("President Trump", "0_USA_Trump_ACTOR"),
        ("Comey", "1_USA_Comey_ACTOR"),
    ]  # the COUNTRY chain is not an identity chain


def test_cluster_scores_known_values():
    perfect = cluster_scores(["a", "a", "b"], ["x", "x", "y"])
    assert perfect["b3_f1"] == perfect["pairwise_f1"] == perfect["ari"] == 1.0
    merged = cluster_scores(["a", "a", "b", "b"], ["x", "x", "x", "x"])
    assert merged["b3_precision"] == 0.5 and merged["b3_recall"] == 1.0
    assert merged["pairwise_precision"] == pytest.approx(2 / 6, abs=1e-4)
    assert merged["clusters"] == 1 and merged["gold_clusters"] == 2


def test_coreference_metrics_known_values():
    key = [{1, 2, 3}]
    response = [{1, 2}, {3}]
    assert muc(key, response) == pytest.approx((1.0, 0.5, 2 / 3))
    p, r, _ = b_cubed(key, response)
    assert (p, r) == (pytest.approx(1.0), pytest.approx(5 / 9))
    p, r, f = ceaf_e(key, response)
    assert (p, r) == (pytest.approx(0.4), pytest.approx(0.8))


def test_cross_document_pairs_count_only_pairs_across_articles():
    gold = {0: "trump", 1: "trump", 2: "trump", 3: "melania"}
    response = {0: "e1", 1: "e1", 2: "e2", 3: "e1"}
    documents = {0: "d1", 1: "d2", 2: "d3", 3: "d3"}
    scores = score_links(gold, response, documents)["cross_doc_pairs"]
    # linked across documents: (0,1) right, (0,3) wrong, (1,3) wrong
    assert (scores["linked"], scores["correct"], scores["gold"]) == (3, 1, 3)


def test_format_report_runs():
    result = {
        "dataset": "x",
        "documents": 2,
        "splits": {"all": {**cluster_scores(["a", "b"], ["x", "y"]), "cluster_seconds": 0.1}},
        "timing": {"read_seconds": 1.0, "load_seconds": 0.5},
        "dev_confusions": ["split a into 2 stories"],
    }
    text = format_stories_report(result)
    assert "B3 F1" in text and "split a" in text


def _pool(topics: int) -> tuple[list, list]:
    from parallax.evaluation.stories import EcbDocument
    from parallax.records import Article

    subjects = ["harbour fire", "bridge collapse", "vaccine trial", "coach sacked", "ferry strike"]
    documents, articles = [], []
    for topic in range(1, topics + 1):
        for half in ("ecb", "ecbplus"):
            for n in range(3):
                words = f"{subjects[topic % 5]} {half}{topic} {half}{topic}x report {n}"
                name = f"{topic}_{n}{half}"
                documents.append(EcbDocument(name=name, topic=topic, half=half, text=words,
                                             title=words, url=None))  # fmt: skip
                articles.append(Article(id=f"art_{name}", input=name, format="txt", text=words,
                                        title=words))  # fmt: skip
    return documents, articles


def test_topic_halves_are_seeded_halves_of_the_non_test_topics():
    from parallax.evaluation.stories import topic_halves

    documents, articles = _pool(6)
    first = topic_halves(documents, articles, rounds=4)
    assert first == topic_halves(documents, articles, rounds=4)  # seeded: same halves
    assert first["rounds"] == 4 and first["topics_each"] == 3
    assert len(first["b3_f1"]) == 4 and first["min"] <= first["mean"] <= first["max"] <= 1.0
    assert topic_halves(documents, articles, rounds=4, seed=8)["rounds"] == 4
    # Held-back test topics (36-45) never enter a half; one topic alone gives no halves.
    with_test = [replace(d, topic=40) if d.topic == 6 else d for d in documents]
    assert topic_halves(with_test, articles, rounds=2)["topics_each"] == 2  # 5 topics left
    single, single_articles = _pool(1)
    assert topic_halves(single, single_articles)["rounds"] == 0
    result = {"dataset": "x", "documents": 2, "timing": {}, "halves": first,
              "splits": {"all": {**cluster_scores(["a", "b"], ["x", "y"]), "cluster_seconds": 0.1}}}
    assert "random halves" in format_stories_report(result)  # fmt: skip
