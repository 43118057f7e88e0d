"""Unit tests for quality flags: one positive and one negative case per flag."""

from __future__ import annotations

import re

import pytest

from parallax.records import Removed
from parallax.stages import quality
from parallax.stages.quality import FLAGS, quality_flags

# A clean, English, dated, long-enough article body (about 120 words).
CLEAN = (
    "The city council voted 7-2 on Monday night to approve a new housing plan that would add "
    "4,000 units over five years, capping a contentious debate that stretched over months.\n\n"
    "Supporters said the plan was overdue, while opponents worried about traffic and crowded "
    "schools in the fast-growing northern districts.\n\n"
    "“This is a generational investment,” said council member Ana Ruiz, who led the push for "
    "the measure. “We cannot wait another decade.”\n\n"
    "The plan rezones 12 neighborhoods for apartment buildings of up to six stories and sets "
    "aside 20% of new units for low-income families. The mayor is expected to sign it next "
    "week, and the first permits could be issued by the end of the summer, officials said."
)
DATED = {"published": "2024-03-04", "language": "en", "language_score": 0.98}


def _flags(text: str = CLEAN, **overrides: object) -> tuple[str, ...]:
    kwargs = {**DATED, **overrides}
    return quality_flags(text, **kwargs)  # type: ignore[arg-type]


def test_quality_flags_clean_article_has_none() -> None:
    assert _flags() == ()


def test_quality_flags_are_sorted_unique_and_known() -> None:
    flags = quality_flags(
        "XX people died. Ã© â€™", published=None, language="fr", language_score=0.1
    )
    assert flags == tuple(sorted(set(flags)))
    assert set(flags) <= set(FLAGS)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", flag) for flag in flags)


def test_quality_flags_documents_every_flag_in_module_docstring() -> None:
    doc = quality.__doc__ or ""
    for flag in FLAGS:
        assert f"| `{flag}` |" in doc


# too-short


def test_quality_flags_too_short() -> None:
    assert "too-short" in _flags("Police closed the bridge on Tuesday after cracks were found.")


def test_quality_flags_not_too_short_at_min_words() -> None:
    text = " ".join(["word"] * 80)
    assert "too-short" not in _flags(text)
    assert "too-short" in _flags(text, min_words=81)
    assert "too-short" not in _flags("A short note.", min_words=3)


def test_quality_flags_punctuation_is_not_a_word() -> None:
    assert "too-short" in _flags("— — — … ! ? . , " * 40, min_words=5)


# repeated-text


def test_quality_flags_repeated_text_when_passage_is_pasted_twice() -> None:
    lede = (
        "Regulators fined the bank $2 billion on Thursday for failing to stop money laundering. "
        "The bank said it had cooperated fully and had already overhauled its systems."
    )
    text = lede + "\n\nIt will appeal, a spokesman said on Friday morning.\n\n" + lede
    assert "repeated-text" in _flags(text)


def test_quality_flags_repeated_text_when_one_sentence_appears_three_times() -> None:
    line = "Click the link below to see the full list of winners from the ceremony."
    assert "repeated-text" in _flags(CLEAN + "\n\n" + "\n\n".join([line] * 3))


def test_quality_flags_no_repeated_text_for_names_and_one_repeated_quote() -> None:
    quote = "“We will not retreat from this fight for our homes,” Ruiz said."
    text = CLEAN + "\n\n" + quote + "\n\nAna Ruiz, Ana Ruiz and Ana Ruiz again.\n\n" + quote
    assert "repeated-text" not in _flags(text)
    assert "repeated-text" not in _flags()


# masked-numbers


@pytest.mark.parametrize(
    "sentence",
    [
        "XX people were killed and ## injured in the blast, police said.",
        "The state will spend ₹XX crore on the new bridge.",
        "The company raised $XX million in its latest funding round.",
        "Officials said N,NNN homes had been damaged.",
        "The virus has infected 0,000 people so far.",
        "The suspect, a XX-year-old man, was arrested on XX/XX/XXXX.",
        "At least X people were killed in the attack.",
        "Turnout rose to XX% in the second round.",
        "About *** people attended the rally.",
    ],
)
def test_quality_flags_masked_numbers(sentence: str) -> None:
    assert "masked-numbers" in _flags(CLEAN + "\n\n" + sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Xbox sales rose in the quarter, while demand for XXL shirts fell.",
        "Veterans of World War II met Pope Benedict XVI in the XX Century hall.",
        "The vote was held on 12/03/2024 at 10:30, with 1,200 people present.",
        "Generation X people are now in their fifties, and Malcolm X remains an icon.",
        "The hashtag #MissingPeople trended after the storm.",
        "He rated it ***** and said the sequel was better.",
        "SpaceX launched 22 satellites; the X account posted a video.",
    ],
)
def test_quality_flags_no_masked_numbers_for_ordinary_words(sentence: str) -> None:
    assert "masked-numbers" not in _flags(CLEAN + "\n\n" + sentence)


# garbled-text


@pytest.mark.parametrize(
    "sentence",
    [
        "The minister didnâ€™t say whether the cafÃ© would reopen.",
        "Le prÃ©sident a parlÃ© hier soir.",
        "The mayor said the \ufffd\ufffd plan would cost \ufffd5 million.",
        "The mayor\x92s office said it didn\x92t know.",
        "\ue000\ue001\ue002\ue003\ue004\ue005\ue006\ue007\ue008\ue009\ue00a\ue00b" * 3,
        "%$#@! 1234 5678 ;;;; ==== ++++ 0987 6543 #### //// " * 4,
    ],
)
def test_quality_flags_garbled_text(sentence: str) -> None:
    assert "garbled-text" in _flags(CLEAN + "\n\n" + sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The café in São Paulo served crème brûlée to Zoë and François.",
        "Prices rose 3.4% to €1,200 (£1,030) — the “biggest” rise since 1992.",
        "Fans posted 🎉🎉🔥 after the win.",
        "Résumé: Ärzte in Köln und Москва warnten vor Überlastung.",
    ],
)
def test_quality_flags_not_garbled_for_accents_symbols_and_emoji(sentence: str) -> None:
    assert "garbled-text" not in _flags(CLEAN + "\n\n" + sentence)


# date-missing


def test_quality_flags_date_missing() -> None:
    assert "date-missing" in _flags(published=None)
    assert "date-missing" in _flags(published="")


def test_quality_flags_date_present() -> None:
    assert "date-missing" not in _flags(published="2024-03-04")


# high-debris-ratio


def test_quality_flags_high_debris_ratio() -> None:
    removed = [Removed(text="Sign up for our newsletter " * 40, reason="subscribe-prompt")]
    assert "high-debris-ratio" in _flags(removed=removed)


def test_quality_flags_low_debris_ratio() -> None:
    removed = [
        Removed(text="Advertisement", reason="link-only"),
        Removed(text="Share this article", reason="subscribe-prompt"),
    ]
    assert "high-debris-ratio" not in _flags(removed=removed)
    assert "high-debris-ratio" not in _flags("", removed=())


def test_quality_flags_debris_ratio_threshold_is_forty_percent() -> None:
    text = "a" * 60
    assert "high-debris-ratio" not in _flags(text, removed=[Removed(text="b" * 40, reason="x")])
    assert "high-debris-ratio" in _flags(text, removed=[Removed(text="b" * 41, reason="x")])


# non-english


@pytest.mark.parametrize("language", ["fr", "de", "zh", "es"])
def test_quality_flags_non_english(language: str) -> None:
    assert "non-english" in _flags(language=language)


@pytest.mark.parametrize("language", [None, "en", "en-GB", "EN", "en_US", "eng", "", "und"])
def test_quality_flags_english_or_unknown_is_not_non_english(language: str | None) -> None:
    assert "non-english" not in _flags(language=language)


# language-uncertain


def test_quality_flags_language_uncertain() -> None:
    assert "language-uncertain" in _flags(language_score=0.3)
    assert "language-uncertain" in _flags(language_score=0.0)


def test_quality_flags_language_confident_or_unscored() -> None:
    assert "language-uncertain" not in _flags(language_score=0.5)
    assert "language-uncertain" not in _flags(language_score=None)


def test_quality_flags_handles_huge_text_quickly() -> None:
    import time

    text = ("The council met again on Tuesday to discuss the budget. " * 100_000)[:5_000_000]
    start = time.perf_counter()
    flags = quality_flags(text, published="2024-01-01", language="en", language_score=0.9)
    assert time.perf_counter() - start < 5.0
    assert "repeated-text" in flags


def test_quality_flags_market_table_is_not_garbled() -> None:
    table = "\n".join(
        [
            "Dow Jones 38,790.43 +75.66 +0.20%",
            "S&P 500 5,117.94 +32.33 +0.63%",
            "Nasdaq 16,103.45 +130.27 +0.82%",
            "FTSE 100 7,722.55 -4.87 -0.06%",
            "Nikkei 225 40,003.60 +264.33 +0.66%",
        ]
    )
    assert "garbled-text" not in _flags(CLEAN + "\n\n" + table)


@pytest.mark.parametrize(
    "sentence",
    [
        "GM seeks $16.6 billion in loans, on top of the $13.4 billion it received.",
        "The CARS act provides a US$3,000 to 5,000 incentive; Rs 500 crore was set aside.",
        "Shares fell to €1.2bn, or £1,030 per holder, at 10:30 on 04/03/2024.",
    ],
)
def test_quality_flags_real_amounts_are_not_masked(sentence: str) -> None:
    assert "masked-numbers" not in _flags(CLEAN + "\n\n" + sentence)
