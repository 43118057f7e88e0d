"""Invariants of the debris remover, checked on generated text."""

from __future__ import annotations

import time
from collections import Counter

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from parallax.stages.debris import (
    DROPPED_CHARACTERS,
    REASONS,
    REPEATED,
    normalize_line,
    remove_debris,
)

# Lines that look like debris, body, or both, so generated texts hit the rules.
_LINES = [
    "Advertisement",
    "Share this article",
    "Sign up for our daily newsletter",
    "Related:",
    "Read more: Police search for suspect in downtown robbery",
    "Most Read",
    "Police search for suspect in downtown robbery",
    "Local bakery wins national award for sourdough",
    "Storm expected to bring heavy rain this weekend",
    "3 hours ago",
    "12 Comments",
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "Name * Email * Website",
    "John Smith says:",
    "Reply",
    "Photo: Reuters",
    "Lawmakers at the Capitol on Tuesday. (AP Photo/Jane Roe)",
    "This article originally appeared on The Trace.",
    "© 2024 Example Media. All rights reserved.",
    "We will win. pic.twitter.com/AbC123",
    "— Jane Minister (@janeminister) March 3, 2024",
    "@janeminister",
    "(Reporting by Jane Doe; Editing by Mark Potter)",
    "[Editor's note: This story has been updated.]",
    "https://example.com/story",
    "Home > World > Europe",
    "Tags: France, Europe",
    "Support our journalism",
    "We rely on readers like you to support our independent journalism. Please donate today.",
    "What happens next",
    "“We will not retreat,” he said.",
    "He declined to comment.",
    "The photo was widely shared.",
    "WASHINGTON (AP) — The Senate voted on Tuesday to approve the aid package for Ukraine.",
    "The measure passed 68 to 31 after months of talks between the two parties in Congress,"
    " which had stalled over border security demands from Republicans.",
    "Officials said the bridge would stay closed for weeks while engineers inspected it.",
    "Calif . , the governor said",
    "***",
    "",
    "   ",
    "\t",
]
_line = st.one_of(
    st.sampled_from(_LINES),
    st.text(max_size=40),
    st.text(alphabet="abc XYZ.,:;!?()[]@#/|>-—\u00a0\u200b\t*©", max_size=30),
)
_sep = st.sampled_from(["\n", "\n\n", "\r\n", "\r", "\n \n", "\n\n\n", "\u2028"])


@st.composite
def _texts(draw: st.DrawFn) -> str:
    lines = draw(st.lists(_line, max_size=25))
    parts: list[str] = []
    for line in lines:
        parts.append(line)
        parts.append(draw(_sep))
    return "".join(parts)


_BODY = [
    "The measure passed 68 to 31 after months of talks between the two parties in Congress,"
    " which had stalled over border security demands from Republicans.",
    "Engineers will return on Thursday to take core samples from the supports, the county said"
    " in a statement issued late on Tuesday night.",
    "Supporters said the plan was overdue, while opponents worried about traffic, parking and"
    " crowded schools in the fast-growing northern districts.",
]


@st.composite
def _articles(draw: st.DrawFn) -> str:
    """Article-shaped text: body paragraphs with debris between and after them."""
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 5))):
        parts.append(draw(st.sampled_from(_BODY)))
        parts.extend(draw(st.lists(st.sampled_from(_LINES), max_size=3)))
    parts.extend(draw(st.lists(st.sampled_from(_LINES), max_size=10)))
    return draw(st.sampled_from(["\n", "\n\n"])).join(parts)


_any_text = st.one_of(_texts(), _articles(), st.text())
_boilerplate = st.frozensets(st.sampled_from([normalize_line(x) for x in _LINES] + ["x"]))


def _visible(text: str) -> Counter[str]:
    return Counter(c for c in text if not c.isspace() and c not in DROPPED_CHARACTERS)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_any_text, boilerplate=_boilerplate)
@example(text="Advertisement\n\nBody text here.", boilerplate=frozenset())
def test_remove_debris_invariants(text: str, boilerplate: frozenset[str]) -> None:
    result = remove_debris(text, boilerplate=boilerplate)
    paragraphs = result.text.split("\n\n") if result.text else []
    # Paragraphs are normalised: non-empty, single-line, no outer or doubled spaces.
    for paragraph in paragraphs:
        assert paragraph and paragraph == " ".join(paragraph.split())
    for piece in result.removed:
        assert piece.reason in REASONS
        assert 0 <= piece.at <= len(result.text)
        assert piece.text and piece.text == piece.text.strip()
        # A piece cut as a whole line is not left in the output (repeats keep their first copy).
        if piece.reason != REPEATED:
            assert piece.text not in paragraphs
    # Nothing lost: every visible input character is kept or listed as removed.
    out = _visible(result.text)
    for piece in result.removed:
        out.update(_visible(piece.text))
    assert out == _visible(text)
    # Idempotent: cleaning the cleaned text changes and removes nothing.
    again = remove_debris(result.text, boilerplate=boilerplate)
    assert again.text == result.text
    assert again.removed == ()


@settings(max_examples=100, deadline=None)
@given(text=_any_text)
def test_remove_debris_removed_offsets_are_ordered(text: str) -> None:
    result = remove_debris(text)
    offsets = [piece.at for piece in result.removed]
    assert offsets == sorted(offsets)


@settings(max_examples=200, deadline=None)
@given(line=st.text(max_size=60))
def test_normalize_line_is_idempotent_on_keys(line: str) -> None:
    key = normalize_line(line)
    assert normalize_line(key) == key
    assert key == key.strip()


def test_remove_debris_five_megabyte_single_line_is_fast() -> None:
    text = ("word " * 1_000_000)[:5_000_000]
    start = time.perf_counter()
    result = remove_debris(text)
    elapsed = time.perf_counter() - start
    assert result.text == text.strip()
    assert elapsed < 2.0


def test_remove_debris_pathological_lines_are_fast() -> None:
    # Shapes that make naive regexes backtrack: long runs of one character,
    # unclosed brackets, handle-like and URL-like runs, in one huge line each.
    shapes = [
        "(" * 200_000,
        "a " * 200_000 + "(",
        "@" * 200_000,
        "— " * 200_000 + "(@x)",
        "http://" + "a/" * 200_000,
        "Photo: " + "x" * 500_000,
        "Home > " * 50_000,
        "A. " * 200_000,
        "Related: " + "Word " * 100_000,
    ]
    for text in shapes:
        start = time.perf_counter()
        remove_debris(text)
        assert time.perf_counter() - start < 2.0, text[:20]


def test_remove_debris_many_short_lines_is_fast() -> None:
    text = "\n".join(f"Line number {i} of the text" for i in range(20_000))
    start = time.perf_counter()
    remove_debris(text)
    assert time.perf_counter() - start < 5.0


@settings(max_examples=100, deadline=None)
@given(
    corpus=st.dictionaries(
        st.sampled_from(["a", "b", "c"]), st.lists(_any_text, max_size=6), max_size=3
    ),
    min_articles=st.integers(min_value=1, max_value=4),
)
def test_find_boilerplate_returns_keys_for_every_outlet(
    corpus: dict[str, list[str]], min_articles: int
) -> None:
    from parallax.stages.debris import find_boilerplate

    found = find_boilerplate(corpus, min_articles=min_articles)
    assert set(found) == set(corpus)
    for outlet, keys in found.items():
        assert isinstance(keys, frozenset)
        assert all(key and key == normalize_line(key) for key in keys)
        # Cleaning with the outlet's boilerplate keeps every invariant.
        for text in corpus[outlet]:
            result = remove_debris(text, boilerplate=keys)
            assert remove_debris(result.text, boilerplate=keys).text == result.text
