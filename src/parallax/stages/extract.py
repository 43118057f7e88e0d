"""Extractor: raw HTML page -> main text and metadata (trafilatura cascade).

Reads ``html``/``text``; writes ``text``, ``title``, ``outlet``, ``authors``,
``published``, ``url`` (only where the source did not already say), and drops
``html``. Emits ``empty-text`` when neither the page nor the record holds any
article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from parallax.pipeline.stage import Stage
from parallax.records import Article, Rejection, Removed

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
_WHITESPACE = re.compile(r"\s+")


@dataclass(kw_only=True)
class Extractor(Stage):
    """Extract the article body from HTML with trafilatura, falling back to its baseline."""

    name = "extract"
    version = 1
    requires = frozenset({"html", "text"})
    provides = frozenset({"text", "title", "outlet", "published", "authors"})
    favor_precision: bool = False
    include_tables: bool = True
    max_tree_size: int = 200_000
    # htmldate's extensive search scans free text with dateparser: ~17 ms a page
    # (5x the rest of extraction) and only helps pages without date metadata.
    extensive_date_search: bool = False

    def process(self, article: Article) -> Article | Rejection:
        if article.html is None:
            if not article.text.strip():
                return self.reject(article, "empty-text", "the record holds no article text")
            if article.outlet is None and article.url:
                return replace(article, outlet=outlet_from_url(article.url))
            return article
        meta = self._extract(article.html, article.url)
        text = (meta.get("text") or "").strip()
        if not text:
            return self.reject(
                article,
                "empty-text",
                "no article text found in the HTML page (it may be an index page, "
                "a script-only page or a paywall stub)",
            )
        title = article.title or _clean(meta.get("title"))
        text, removed = _split_leading_title(text, title)
        published = article.published or _iso_date(meta.get("date"))
        authors = article.authors or _authors(meta.get("author"))
        return replace(
            article,
            html=None,
            text=text,
            title=title,
            outlet=(
                article.outlet
                or _clean(meta.get("sitename"))
                or outlet_from_url(article.url or meta.get("url") or meta.get("hostname"))
            ),
            url=article.url or _clean(meta.get("url")),
            published=published,
            authors=authors,
            removed=(*article.removed, *removed),
        )

    def setup(self) -> None:
        from trafilatura.settings import use_config

        config = use_config()
        # Pathologically deep or huge pages are refused instead of stalling a worker.
        config.set("DEFAULT", "MAX_TREE_SIZE", str(self.max_tree_size))
        config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "on" if self.extensive_date_search else "off")
        self._config = config

    def _extract(self, html: str, url: str | None) -> dict[str, Any]:
        import trafilatura

        if not hasattr(self, "_config"):
            self.setup()
        document = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=self.include_tables,
            favor_precision=self.favor_precision,
            config=self._config,
        )
        meta: dict[str, Any] = document.as_dict() if document is not None else {}
        if not (meta.get("text") or "").strip():
            _, baseline_text, _ = trafilatura.baseline(html)
            meta["text"] = baseline_text
        return meta


def outlet_from_url(url: object) -> str | None:
    """Name an outlet by its web host when nothing better is known ("www.bbc.co.uk" -> "bbc.co.uk")."""
    if not isinstance(url, str) or not url.strip():
        return None
    from urllib.parse import urlsplit

    candidate = url.strip()
    try:
        host = urlsplit(candidate if "//" in candidate else f"//{candidate}").hostname
    except ValueError:  # "http://[::1" and other malformed hosts: no outlet, not a crash
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = _WHITESPACE.sub(" ", value).strip()
    return value or None


def _iso_date(value: object) -> str | None:
    if isinstance(value, str) and _ISO_DATE.match(value):
        return value[:10]
    return None


def _authors(value: object) -> tuple[str, ...]:
    if not isinstance(value, str):
        return ()
    parts = re.split(r";|\band\b|,|\|", value)
    return tuple(p.strip() for p in parts if p.strip())


def _split_leading_title(text: str, title: str | None) -> tuple[str, tuple[Removed, ...]]:
    """Drop a first line that only repeats the headline (kept as metadata)."""
    if not title:
        return text, ()
    first, sep, rest = text.partition("\n")
    if sep and _WHITESPACE.sub(" ", first).strip().casefold() == title.casefold():
        return rest.lstrip("\n"), (Removed(text=first, reason="title", at=0),)
    return text, ()
