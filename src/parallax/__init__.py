"""Parallax: from a pile of news articles to who said what, with provenance."""

__version__ = "0.1.0"
