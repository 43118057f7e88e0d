"""report.html and the web app in real headless Chromium (Debian's, driven by Playwright).

Never a downloaded browser: ``/usr/bin/chromium`` from the ``chromium`` apt
package. Screenshots go to ``test-artifacts/`` at the repository root.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                       "(apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (pip install playwright)")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))
from test_web_store import (  # noqa: E402
    ANA,
    BRIDGE,
    BRIDGE_TEXT,
    CLAIM_A,
    CLAIM_B,
    HOSTILE,
    HOSTILE_TEXT,
    PAYLOADS,
    PLAIN,
    STORY,
    UNICODE,
    build_articles,
    build_store,
    span,
)

from parallax.contract import to_analysis  # noqa: E402
from parallax.report.html import write_report  # noqa: E402


class Watch:
    """Everything a page did that it should not: requests out, dialogs, errors."""

    def __init__(self, page: Any, allowed_prefix: str) -> None:
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.allowed_prefix = allowed_prefix
        page.on("dialog", self._dialog)
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", self._request)
        page.route("**/*", self._route)

    def _request(self, request: Any) -> None:
        if not request.url.startswith(self.allowed_prefix) and request.url not in self.outside:
            self.outside.append(request.url)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.allowed_prefix):
            route.continue_()
        else:
            if url not in self.outside:
                self.outside.append(url)
            route.abort()

    def assert_clean(self) -> None:
        assert self.outside == [], f"requests left the allowed origin: {self.outside}"
        assert self.dialogs == [], f"a dialog fired: {self.dialogs}"
        assert self.errors == [], f"console errors: {self.errors}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900}, java_script_enabled=True)
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()


def shoot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


# --- report.html from disk ------------------------------------------------------


def story_analysis() -> dict[str, Any]:
    """analysis.json for the test articles plus the story the web test store has (contradiction both ways)."""
    document = to_analysis(build_articles(), [{"input": PAYLOADS[0], "stage": "read", "error": PAYLOADS[1]}])
    a_start, a_end = span(BRIDGE_TEXT, "will reopen in May")
    b_start, b_end = span(HOSTILE_TEXT, PAYLOADS[0])
    document["stories"] = [{"id": STORY, "title": f"Bridge story {PAYLOADS[0]}", "articles": [BRIDGE, HOSTILE, UNICODE, PLAIN[0], PLAIN[4]],
                            "first_date": "2024-03-12", "last_date": "2024-03-15", "keywords": ["bridge", PAYLOADS[1]]}]
    document["claims"] = [
        {"id": CLAIM_A, "story": STORY, "summary": "The bridge reopens in May.", "kind": "date", "outlets": 2,
         "mentions": [{"article": BRIDGE, "start": a_start, "end": a_end, "text": BRIDGE_TEXT[a_start:a_end],
                       "outlet": "Example Daily"}],
         "contradicts": [{"claim": CLAIM_B, "reason": f"dates differ: May vs June {PAYLOADS[2]}", "kind": "date"}]},
        {"id": CLAIM_B, "story": STORY, "summary": f"The bridge reopens in June {PAYLOADS[0]}", "kind": "date",
         "outlets": 1, "mentions": [{"article": HOSTILE, "start": b_start, "end": b_end, "text": PAYLOADS[0],
                                     "outlet": PAYLOADS[1]}],
         "contradicts": [{"claim": CLAIM_A, "reason": f"dates differ: May vs June {PAYLOADS[2]}", "kind": "date"}]},
    ]
    document["naming"] = [{"entity": ANA, "outlet": "Example Daily", "article": BRIDGE, "labels": ["Mayor"],
                           "spans": [{"article": BRIDGE, "start": 0, "end": 5, "text": "Mayor", "label": "Mayor"}]}]
    return document


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(story_analysis(), tmp_path_factory.mktemp("report") / "report.html")


def in_viewport(locator: Any) -> bool:
    return bool(locator.evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && "
        "r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth; }"))


def test_browser_report_opens_offline_and_runs_nothing_injected(page: Any, report: Path) -> None:
    watch = Watch(page, "file://")
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    assert page.title().startswith("Parallax report")
    assert page.evaluate("document.scripts.length") == 1  # only ours
    assert page.locator("#article-table tbody tr").count() == len(build_articles())
    page.goto(report.as_uri() + f"#{HOSTILE}")  # opens the hostile article
    assert page.locator(f"details[id='{HOSTILE}']").evaluate("d => d.open")
    assert PAYLOADS[0] in page.locator(f"details[id='{HOSTILE}'] .a-text").inner_text()
    shoot(page, "report.png")
    watch.assert_clean()


def test_browser_report_filter_and_removed_toggle(page: Any, report: Path) -> None:
    watch = Watch(page, "file://")
    page.goto(report.as_uri())
    rows = page.locator("#article-table tbody tr")
    page.fill("#filter-text", "café")
    assert page.locator("#shown-count").inner_text() == "1"
    assert rows.locator("visible=true").count() == 1
    page.fill("#filter-text", "")
    page.select_option("#filter-flag", "garbled-text")
    assert page.locator("#shown-count").inner_text() == "1"
    page.select_option("#filter-flag", "")
    page.uncheck("#show-duplicates")
    assert page.locator("#shown-count").inner_text() == str(len(build_articles()) - 1)

    page.click("[data-expand=open]")
    cut = page.locator(f"details[id='{BRIDGE}'] .cut-text")
    assert not cut.is_visible()
    page.check("#show-removed")
    assert cut.is_visible() and cut.inner_text() == "Subscribe to our newsletter"
    assert "show-removed" in (page.get_attribute("body", "class") or "")
    page.uncheck("#show-removed")
    assert not cut.is_visible()
    page.locator(f"details[id='{BRIDGE}'] .cut-tag").click()  # one marker on its own
    assert cut.is_visible()
    shoot(page, "report-removed.png")
    watch.assert_clean()


def test_browser_report_story_map_and_charts_draw(page: Any, report: Path) -> None:
    watch = Watch(page, "file://")
    page.goto(report.as_uri() + f"#story-{STORY}")
    story = page.locator(f"section[id='story-{STORY}']")
    land = story.locator("figure.map path.land")
    assert land.count() >= 3  # Ukraine and neighbours
    assert land.first.evaluate("e => e.getBBox().width > 0 && getComputedStyle(e).fill !== 'none'")
    markers = story.locator("figure.map g.marker circle")
    assert markers.count() == 2  # Kyiv and Lviv, the places in the story's articles
    for i in range(markers.count()):
        assert markers.nth(i).is_visible()
        box = markers.nth(i).bounding_box()
        svg = story.locator("figure.map svg").bounding_box()
        assert box and svg and svg["x"] <= box["x"] <= svg["x"] + svg["width"]
        assert svg["y"] <= box["y"] <= svg["y"] + svg["height"]
    assert story.locator("figure.timeline circle").count() >= 1
    assert story.locator("figure.coverage circle").count() >= 1
    story.locator("figure.map").scroll_into_view_if_needed()
    shoot(page, "report-story.png")
    watch.assert_clean()


def test_browser_report_claim_opens_article_at_the_span(page: Any, report: Path) -> None:
    watch = Watch(page, "file://")
    page.goto(report.as_uri())
    article = page.locator(f"details[id='{BRIDGE}']")
    assert not article.evaluate("d => d.open")
    page.locator(f"tr[id='story-{STORY}-{CLAIM_A}'] a.claim-mention").click()
    assert article.evaluate("d => d.open")
    target = page.locator(f"[id='{BRIDGE}--{CLAIM_A}'] ~ .hl-claim.flash").first
    assert "reopen" in BRIDGE_TEXT[BRIDGE_TEXT.index(target.inner_text()):]
    assert in_viewport(target), "the claim's span is not on screen"
    assert target.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"
    page.screenshot(path=str(ARTIFACTS / "report-claim-span.png"))
    watch.assert_clean()


def test_browser_report_naming_label_opens_article_at_its_words(page: Any, report: Path) -> None:
    watch = Watch(page, "file://")
    page.goto(report.as_uri())
    article = page.locator(f"details[id='{BRIDGE}']")
    assert not article.evaluate("d => d.open")
    page.locator(f"section[id='story-{STORY}-naming'] a.chip", has_text="Mayor").click()
    assert article.evaluate("d => d.open")
    target = page.locator(f"[id='{BRIDGE}--l-0-5'] ~ .hl-label.flash").first
    assert target.inner_text().startswith("Mayor")
    assert in_viewport(target), "the label's words are not on screen"
    watch.assert_clean()


def test_browser_report_contradiction_shows_both_sides(page: Any, report: Path) -> None:
    watch = Watch(page, "file://")
    page.goto(report.as_uri() + f"#story-{STORY}-claims")
    row = page.locator(f"tr[id='story-{STORY}-{CLAIM_A}']")
    sides = row.locator(".side-by-side .side")
    assert not sides.first.is_visible()
    row.locator("details.contradiction summary").click()
    assert sides.count() == 2 and sides.nth(0).is_visible() and sides.nth(1).is_visible()
    assert any("May" in t for t in sides.nth(0).locator("mark.diff").all_inner_texts())
    assert PAYLOADS[0] in sides.nth(1).inner_text()  # the hostile side, as text
    left, right = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert left and right and left["x"] + left["width"] <= right["x"]  # side by side
    assert "dates differ" in row.locator(".reason").inner_text()
    row.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "report-contradiction.png"))
    watch.assert_clean()


# --- the web app on loopback --------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from parallax.web import create_app

    store = build_store(tmp_path_factory.mktemp("web") / "parallax.duckdb")
    config = uvicorn.Config(create_app(store), host="127.0.0.1", port=free_port(), log_level="warning",
                            server_header=False, lifespan="on")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        running.should_exit = True
        thread.join(timeout=15)


def test_browser_web_article_highlights(page: Any, server: str) -> None:
    watch = Watch(page, server + "/")
    page.goto(f"{server}/articles/{BRIDGE}")
    entity = page.locator("#text a.hl-ent-PERSON")
    assert entity.inner_text() == "Ana Petrović"
    colour = entity.evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour not in ("rgba(0, 0, 0, 0)", "transparent")  # the stylesheet loaded under the CSP
    assert page.locator("#text .hl-quote").count() >= 1
    assert page.locator("#text .hl-trigger-PROTEST").inner_text() == "blocked"
    cut = page.locator("#text .cut-text")
    assert not cut.is_visible()
    page.check("#show-removed")  # web.js runs under the CSP
    assert cut.is_visible()
    shoot(page, "web-article.png")
    entity.click()
    page.wait_for_url(f"{server}/entities/{ANA}")
    assert page.locator("ul.contexts mark").first.inner_text() == "Ana Petrović"
    shoot(page, "web-entity.png")
    watch.assert_clean()


def test_browser_web_hostile_article_runs_nothing(page: Any, server: str) -> None:
    watch = Watch(page, server + "/")
    page.goto(f"{server}/articles/{HOSTILE}")
    assert PAYLOADS[0] in page.locator("#text").inner_text()
    assert page.evaluate("document.scripts.length") == 1
    assert page.evaluate("Array.from(document.scripts).map(s => s.src)") == [f"{server}/static/web.js"]
    shoot(page, "web-hostile.png")
    page.goto(f"{server}/stories/{STORY}")
    page.locator("details.contradiction summary").first.click()
    assert page.locator(".side-by-side").first.is_visible()
    shoot(page, "web-story.png")
    watch.assert_clean()


def test_browser_web_story_claim_opens_article_at_the_span(page: Any, server: str) -> None:
    watch = Watch(page, server + "/")
    page.goto(f"{server}/stories/{STORY}")
    assert page.locator("figure.map path.land").count() >= 3
    assert page.locator("figure.map g.marker circle").first.is_visible()
    colour = page.locator("figure.map path.land").first.evaluate("e => getComputedStyle(e).fill")
    assert colour not in ("none", "rgb(0, 0, 0)")  # styled by report.css under the app's CSP
    row = page.locator(f"tr[id='{CLAIM_A}']")
    row.locator("details.contradiction summary").click()
    assert row.locator(".side-by-side .side").nth(1).is_visible()
    shoot(page, "web-story-view.png")
    row.locator("a.claim-mention").click()
    page.wait_for_url(f"{server}/articles/{BRIDGE}#{CLAIM_A}")
    target = page.locator(f"[id='{CLAIM_A}'] ~ .hl-claim").first
    assert in_viewport(target)
    watch.assert_clean()


def test_browser_web_search(page: Any, server: str) -> None:
    watch = Watch(page, server + "/")
    page.goto(f"{server}/articles")
    page.fill("header.site input[name=q]", "petrović")
    page.press("header.site input[name=q]", "Enter")
    page.wait_for_url(f"{server}/search?q=*")
    assert page.locator("ol.hits > li").count() == 3
    assert page.locator("ol.hits mark").first.inner_text().lower() == "petrović"
    shoot(page, "web-search.png")
    watch.assert_clean()
