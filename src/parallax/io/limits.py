"""The size limit shared by files, pages and WARC records, and how to talk about it."""

from __future__ import annotations

__all__ = ["DEFAULT_MAX_BYTES", "describe_size", "over_limit"]

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def describe_size(size: int) -> str:
    """Write a byte count the way people read it: ``"80 MB"``, ``"1.5 KB"``, ``"200 bytes"``."""
    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            value = size / factor
            shown = f"{value:.0f}" if value >= 10 else f"{value:.1f}".removesuffix(".0")
            return f"{shown} {unit}"
    return f"{size} bytes"


def over_limit(what: str, size: int | None, limit: int) -> str:
    """Say that ``what`` is over the limit and how to raise it.

    ``size`` is ``None`` when only "more than the limit" is known (a stream
    cut off as soon as it passed the limit).
    """
    shown = f"more than {describe_size(limit)}" if size is None else describe_size(size)
    limit_shown = describe_size(limit) if limit >= 1024 else f"{limit}-byte"
    if size is not None and describe_size(size) == describe_size(limit):
        shown = f"{size} bytes"  # "64 MB, over the 64 MB limit" would read as a contradiction
        limit_shown = f"{limit}-byte"
    return f"{what} is {shown}, over the {limit_shown} limit (raise --max-bytes)"
