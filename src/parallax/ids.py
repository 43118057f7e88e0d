"""Deterministic content-hash identifiers with a type prefix."""

from __future__ import annotations

import hashlib


def make_id(prefix: str, *parts: str) -> str:
    """Return ``prefix_`` plus 16 hex digits of a blake2b hash of ``parts``."""
    digest = hashlib.blake2b(digest_size=8)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return f"{prefix}_{digest.hexdigest()}"
