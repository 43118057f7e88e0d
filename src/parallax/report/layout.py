"""Paragraphs and removed pieces placed in them: shared by report.html and the web app.

Pure: works on the article text and the removed pieces' offsets only, so both
renderers show debris at the same place.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

_LINE = re.compile(r"[^\n]+")


@dataclass(slots=True)
class Cut:
    """A removed piece, drawn as a collapsed marker where it stood."""

    at: int
    reason: str
    text: str
    is_cut: bool = True


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line of ``text``."""
    return [(m.start(), m.end()) for m in _LINE.finditer(text) if not m.group().isspace()]


def place_cuts(
    spans: Sequence[tuple[int, int]], cuts: Sequence[Cut]
) -> list[list[tuple[int, Cut]]]:
    """Put each cut in the paragraph it stood in, else at the start of the next one.

    Returns, per paragraph, (offset to draw the cut at, cut); a cut after the
    last paragraph goes at its end. ``spans`` must not be empty.
    """
    starts = [start for start, _ in spans]
    placed: list[list[tuple[int, Cut]]] = [[] for _ in spans]
    for cut in cuts:
        i = bisect.bisect_right(starts, cut.at) - 1
        if i >= 0 and cut.at <= spans[i][1]:
            placed[i].append((cut.at, cut))
        elif i + 1 < len(spans):
            placed[i + 1].append((spans[i + 1][0], cut))
        else:
            placed[-1].append((spans[-1][1], cut))
    return placed
