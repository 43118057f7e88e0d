import pytest

from parallax.records import Article
from parallax.stages.langid import LanguageDetector


@pytest.fixture(scope="module")
def detector():
    stage = LanguageDetector()
    stage.setup()
    return stage


def make_article(text, **overrides):
    return Article(id="art_0000000000000001", input="a.txt", format="txt", text=text, **overrides)


def test_langid_english(detector):
    [out] = detector.process_batch([make_article("The minister said the talks would resume next week in Geneva.")])
    assert out.language == "en"
    assert out.language_score > 0.8


def test_langid_non_english_is_kept_and_named(detector):
    text = "Le ministre a déclaré que les négociations reprendraient la semaine prochaine à Genève."
    [out] = detector.process_batch([make_article(text)])
    assert out.language == "fr"


def test_langid_notes_disagreement_with_declared_language(detector):
    [out] = detector.process_batch([make_article("Der Minister sagte, die Gespräche würden nächste Woche fortgesetzt.", language="en")])
    assert out.language == "de"
    assert any("declares language 'en'" in note for note in out.notes)


def test_langid_empty_text_is_left_alone(detector):
    [out] = detector.process_batch([make_article("")])
    assert out.language is None
