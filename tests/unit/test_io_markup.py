"""Head metadata and visible-text helpers (parallax.io.markup)."""

from __future__ import annotations

import time

from parallax.io.markup import find_canonical_url, is_html_text, visible_text


def test_visible_text_drops_tags_scripts_and_entities():
    markup = (
        "<p>Tom &amp; Jerry</p><script>var x = '<p>no</p>';</script><style>p{}</style> <b>ok</b>"
    )
    assert visible_text(markup) == "Tom & Jerry ok"


def test_visible_text_is_linear_on_stray_angle_brackets():
    start = time.perf_counter()
    assert visible_text("<" * 200_000 + "<script>" + "x<" * 20_000) == "<" * 200_000
    assert time.perf_counter() - start < 2


def test_find_canonical_url_resolves_relative_links_and_ignores_non_http():
    page = '<head><link rel="Canonical" href="/story/1"></head>'
    assert find_canonical_url(page, "https://news.example/amp/1") == "https://news.example/story/1"
    assert find_canonical_url(page) is None
    assert find_canonical_url('<link rel="canonical" href="javascript:alert(1)">') is None


def test_find_canonical_url_ignores_links_in_the_body():
    page = '<head></head><body><link rel="canonical" href="https://spam.example/"></body>'
    assert find_canonical_url(page) is None


def test_is_html_text_for_documents_fragments_and_prose():
    assert is_html_text("<!-- saved --><!DOCTYPE html><html>")
    assert is_html_text("<p>One</p><p>Two</p>")
    assert not is_html_text("I <3 news and a < b")
