"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def story_comparisons(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the article pairs ``cluster_stories`` compares (one item per comparison)."""
    import parallax.crossdoc.stories as module

    calls: list[int] = []
    original = module._compare

    def counting(a, b, entity_weight, window):  # noqa: ANN001, ANN202
        calls.append(1)
        return original(a, b, entity_weight, window)

    monkeypatch.setattr(module, "_compare", counting)
    return calls
