"""Size wording shared by every size-limit message."""

from __future__ import annotations

import pytest

from parallax.io.limits import DEFAULT_MAX_BYTES, describe_size, over_limit


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (1023, "1023 bytes"),
        (1536, "1.5 KB"),
        (80 << 20, "80 MB"),
        (3 << 30, "3 GB"),
    ],
)
def test_describe_size(size, text):
    assert describe_size(size) == text


def test_over_limit_default_limit_in_megabytes():
    assert over_limit("file", 80 << 20, DEFAULT_MAX_BYTES) == (
        "file is 80 MB, over the 64 MB limit (raise --max-bytes)"
    )


def test_over_limit_falls_back_to_bytes_when_rounding_hides_the_difference():
    assert over_limit("file", (64 << 20) + 10, DEFAULT_MAX_BYTES) == (
        "file is 67108874 bytes, over the 67108864-byte limit (raise --max-bytes)"
    )
