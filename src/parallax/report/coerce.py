"""Read analysis.json-shaped data defensively: a wrong type reads as empty, never raises.

The report and the story views take documents from files a user may have edited,
so every field is coerced on the way in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["as_list", "as_str", "mappings"]


def mappings(parent: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """The objects in the list ``parent[key]`` (other items and non-lists dropped)."""
    value = parent.get(key) if isinstance(parent, Mapping) else None
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list | tuple) else []


def as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def as_str(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)
