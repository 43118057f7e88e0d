"""The local web app (``parallax serve``): views and a JSON API over a read-only store.

Needs the ``web`` extra (FastAPI, uvicorn). See ``docs/web.md``.
"""

from __future__ import annotations

from parallax.web.app import create_app
from parallax.web.server import is_loopback, serve

__all__ = ["create_app", "is_loopback", "serve"]
