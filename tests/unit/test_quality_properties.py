"""quality_flags never raises and always returns sorted, known flags."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from parallax.records import Removed
from parallax.stages.quality import FLAGS, quality_flags


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(),
    removed=st.lists(st.builds(Removed, text=st.text(), reason=st.just("x")), max_size=3),
    published=st.one_of(st.none(), st.just(""), st.just("2024-03-04")),
    language=st.one_of(st.none(), st.text(max_size=6)),
    language_score=st.one_of(st.none(), st.floats(0, 1)),
    min_words=st.integers(0, 200),
)
def test_quality_flags_total_and_sorted(
    text: str,
    removed: list[Removed],
    published: str | None,
    language: str | None,
    language_score: float | None,
    min_words: int,
) -> None:
    flags = quality_flags(
        text,
        removed=removed,
        published=published,
        language=language,
        language_score=language_score,
        min_words=min_words,
    )
    assert flags == tuple(sorted(set(flags)))
    assert set(flags) <= set(FLAGS)
    assert ("date-missing" in flags) == (not published)
