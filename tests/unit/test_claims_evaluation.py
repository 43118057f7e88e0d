"""The ECB+ reader behind the claims evaluation: text rebuilt from tokens, gold chains per sentence."""

from __future__ import annotations

from pathlib import Path

from parallax.evaluation.claims import read_ecb_document, stories_by, to_article

XML = """<Document doc_name="7_1ecb.xml" doc_id="D1">
<token t_id="1" sentence="0" number="0">A</token>
<token t_id="2" sentence="0" number="1">36</token>
<token t_id="3" sentence="0" number="2">-</token>
<token t_id="4" sentence="0" number="3">year</token>
<token t_id="5" sentence="0" number="4">-</token>
<token t_id="6" sentence="0" number="5">old</token>
<token t_id="7" sentence="0" number="6">was</token>
<token t_id="8" sentence="0" number="7">killed</token>
<token t_id="9" sentence="0" number="8">.</token>
<token t_id="10" sentence="1" number="0">``</token>
<token t_id="11" sentence="1" number="1">Sad</token>
<token t_id="12" sentence="1" number="2">,</token>
<token t_id="13" sentence="1" number="3">''</token>
<token t_id="14" sentence="1" number="4">police</token>
<token t_id="15" sentence="1" number="5">said</token>
<token t_id="16" sentence="1" number="6">of</token>
<token t_id="17" sentence="1" number="7">1,000</token>
<token t_id="18" sentence="1" number="8">deaths</token>
<Markables>
<ACTION_OCCURRENCE m_id="1"><token_anchor t_id="8"/></ACTION_OCCURRENCE>
<HUMAN_PART_PER m_id="2"><token_anchor t_id="6"/></HUMAN_PART_PER>
<ACTION_OCCURRENCE m_id="3" instance_id="ACT1"/>
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="1" note="ACT1"><source m_id="1"/><target m_id="3"/></CROSS_DOC_COREF>
<CROSS_DOC_COREF r_id="2" note="HUM9"><source m_id="2"/><target m_id="3"/></CROSS_DOC_COREF>
</Relations>
</Document>
"""


def test_read_ecb_document_rebuilds_text_and_chains(tmp_path: Path):
    path = tmp_path / "7_1ecb.xml"
    path.write_text(XML, encoding="utf-8")
    doc = read_ecb_document(path, annotated={0})
    assert doc.text == "A 36-year-old was killed.\n\u201cSad,\u201d police said of 1,000 deaths"
    assert (doc.topic, doc.half) == (7, "ecb")
    s, e = doc.sentence_spans[0]
    assert doc.text[s:e] == "A 36-year-old was killed."
    assert doc.action_chains == {0: {"ACT1"}}
    assert doc.any_chains == {0: {"ACT1", "HUM9"}}
    assert doc.annotated == {0}


def test_stories_by_subtopic_and_topic(tmp_path: Path):
    docs = []
    for name in ("7_1ecb", "7_2ecbplus", "8_1ecb"):
        path = tmp_path / f"{name}.xml"
        path.write_text(XML.replace("7_1ecb", name), encoding="utf-8")
        docs.append(read_ecb_document(path))
    articles = [to_article(d) for d in docs]
    assert sorted(len(s.articles) for s in stories_by(docs, articles, whole_topic=False)) == [1, 1, 1]
    assert sorted(len(s.articles) for s in stories_by(docs, articles, whole_topic=True)) == [1, 2]
