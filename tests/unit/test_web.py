"""The web app: every endpoint, pagination, ids, limits, headers, escaping, OpenAPI."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import lxml.html
import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")

with warnings.catch_warnings():  # starlette asks for httpx2 when only httpx is installed
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402
from test_web_store import (  # noqa: E402
    ANA,
    BRIDGE,
    BRIDGE_TEXT,
    CLAIM_A,
    CLAIM_B,
    EVENT_PROTEST,
    EVIL,
    HOSTILE,
    KYIV,
    PAYLOADS,
    PLAIN,
    QUOTE_ANA,
    QUOTE_EVIL,
    STORY,
    UNICODE,
    build_store,
)

from parallax import query as q  # noqa: E402
from parallax.errors import ConfigError, StoreError  # noqa: E402
from parallax.web import create_app, is_loopback, serve  # noqa: E402
from parallax.web.app import _environment  # noqa: E402
from parallax.web.highlight import Mark, Segment, layout  # noqa: E402
from parallax.web.security import CONTENT_SECURITY_POLICY  # noqa: E402

BASE = "http://127.0.0.1"
ALL_ARTICLES = 8


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web") / "parallax.duckdb")


@pytest.fixture(scope="module")
def bare_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("bare") / "parallax.duckdb", stories=False)


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(store), base_url=BASE) as c:
        yield c


@pytest.fixture(scope="module")
def bare(bare_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(bare_store.parent), base_url=BASE) as c:  # the --out folder works too
        yield c


@pytest.fixture(scope="module")
def openapi(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


# --- JSON API -------------------------------------------------------------------


def test_web_api_articles_paginate_with_total_and_next(client: TestClient) -> None:
    seen: list[str] = []
    url: str | None = "/api/articles?limit=3"
    pages = 0
    while url:
        body = client.get(url).json()
        assert body["total"] == ALL_ARTICLES and body["limit"] == 3
        seen += [a["id"] for a in body["items"]]
        url = body["next"]
        pages += 1
    assert pages == 3
    assert seen[:3] == [BRIDGE, HOSTILE, UNICODE] and len(set(seen)) == ALL_ARTICLES


def test_web_api_next_keeps_filters(client: TestClient) -> None:
    body = client.get("/api/articles", params={"outlet": "Example Daily", "limit": 1}).json()
    assert body["total"] == 4
    assert "outlet=Example+Daily" in body["next"] and "offset=1" in body["next"]
    last = client.get("/api/articles", params={"outlet": "Example Daily", "limit": 1, "offset": 3})
    assert last.json()["next"] is None


@pytest.mark.parametrize("params", [{"limit": 501}, {"limit": 0}, {"offset": -1}, {"limit": "x"}])
def test_web_api_rejects_bad_paging(client: TestClient, params: dict[str, Any]) -> None:
    assert client.get("/api/articles", params=params).status_code == 422


def test_web_api_limit_500_is_allowed(client: TestClient) -> None:
    body = client.get("/api/entities", params={"limit": 500}).json()
    assert body["limit"] == 500 and body["next"] is None


def test_web_api_article_filters(client: TestClient) -> None:
    assert client.get("/api/articles", params={"flag": "garbled-text"}).json()["total"] == 1
    assert client.get("/api/articles", params={"story": STORY}).json()["total"] == 4
    assert client.get("/api/articles", params={"story": "sto_bad"}).status_code == 422


def test_web_api_article_detail_offsets_point_into_text(client: TestClient) -> None:
    article = client.get(f"/api/articles/{BRIDGE}").json()
    text = article["text"]
    assert text == BRIDGE_TEXT
    assert article["flags"] == ["masked-numbers"]
    assert article["removed"][0]["reason"] == "boilerplate"
    assert {e["id"] for e in article["entities"]} == {ANA, KYIV, q_police(article)}
    for entity in article["entities"]:
        for m in entity["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]
    (quote,) = article["quotes"]
    assert quote["id"] == QUOTE_ANA and quote["speaker_name"] == "Ana Petrović"
    assert text[quote["start"]:quote["end"]] == quote["text"]
    assert [e["type"] for e in article["events"]] == ["PROTEST", "COERCE"]
    assert article["dates"][0]["value"] == "2024-03-12"
    assert article["stories"] == [{"id": STORY, "title": f"Bridge story {PAYLOADS[0]}"}]
    assert article["claim_mentions"][0]["claim"] == CLAIM_A


def q_police(article: dict[str, Any]) -> str:
    return next(e["id"] for e in article["entities"] if e["name"] == "police")


def test_web_api_entities_list_and_filters(client: TestClient) -> None:
    body = client.get("/api/entities").json()
    assert body["total"] == 5
    assert body["items"][0]["name"] == "police" and body["items"][0]["mentions"] == 2
    assert client.get("/api/entities", params={"type": "GPE"}).json()["total"] == 2
    named = client.get("/api/entities", params={"name": "petrov"}).json()
    assert [e["id"] for e in named["items"]] == [ANA]


def test_web_api_entity_detail(client: TestClient) -> None:
    entity = client.get(f"/api/entities/{ANA}").json()
    assert entity["aliases"] == ["Petrović"] and entity["labels"] == ["Mayor"]
    (m,) = entity["mentions"]
    assert m["before"] == "Mayor " and m["after"].startswith(" said the bridge")
    assert m["outlet"] == "Example Daily"
    assert [x["id"] for x in entity["quotes"]] == [QUOTE_ANA]
    assert entity["naming"] == [
        {"outlet": "Example Daily", "names": ["Ana Petrović"], "labels": ["Mayor"], "articles": 1}
    ]
    place = client.get(f"/api/entities/{KYIV}").json()
    assert place["kb"]["lat"] == 50.45466
    assert [e["id"] for e in place["events"]] == [EVENT_PROTEST]


def test_web_api_quotes_and_events(client: TestClient) -> None:
    quotes = client.get("/api/quotes").json()
    assert quotes["total"] == 2
    assert client.get("/api/quotes", params={"speaker": EVIL}).json()["items"][0]["id"] == QUOTE_EVIL
    assert client.get("/api/quotes", params={"article": BRIDGE}).json()["total"] == 1
    events = client.get("/api/events").json()
    assert events["total"] == 3
    assert client.get("/api/events", params={"type": "PROTEST"}).json()["total"] == 2
    assert client.get("/api/events", params={"entity": KYIV}).json()["total"] == 1


def test_web_api_stories_and_claims(client: TestClient) -> None:
    stories = client.get("/api/stories").json()
    (story,) = stories["items"]
    assert story["id"] == STORY and story["articles"] == 4
    assert story["outlets"] == 2  # the duplicate (PLAIN[4]) is not counted; the hostile outlet is
    assert story["claims"] == 2 and story["contradictions"] == 1
    detail = client.get(f"/api/stories/{STORY}").json()
    assert {a["id"] for a in detail["articles"]} == {BRIDGE, HOSTILE, PLAIN[0], PLAIN[4]}
    assert [c["id"] for c in detail["claims"]] == [CLAIM_A, CLAIM_B]
    assert detail["events"][0]["id"] == EVENT_PROTEST
    claims = client.get("/api/claims").json()
    assert claims["total"] == 2
    first = claims["items"][0]
    assert first["contradicts"] == [
        {"claim": CLAIM_B, "reason": f"dates differ: May vs June {PAYLOADS[2]}", "kind": "date"}
    ]
    assert BRIDGE_TEXT[first["mentions"][0]["start"]:first["mentions"][0]["end"]] == "will reopen in May"
    assert client.get("/api/claims", params={"article": HOSTILE}).json()["items"][0]["id"] == CLAIM_B


def test_web_api_stories_and_claims_empty_without_tables(bare: TestClient) -> None:
    for path in ("/api/stories", "/api/claims", f"/api/claims?article={BRIDGE}"):
        assert bare.get(path).json() == {"items": [], "total": 0, "limit": 50, "offset": 0, "next": None}
    assert bare.get(f"/api/stories/{STORY}").status_code == 404
    assert bare.get(f"/api/articles?story={STORY}").json()["total"] == 0
    assert bare.get(f"/api/articles/{BRIDGE}").json()["stories"] == []
    home = bare.get("/")
    assert home.status_code == 200 and "<h1>Articles</h1>" in home.text


def test_web_api_search_across_kinds(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "PETROVIĆ"}).json()
    kinds = [(h["kind"], h["id"]) for h in hits["items"]]
    assert kinds == [("article", BRIDGE), ("entity", ANA), ("quote", QUOTE_ANA)]
    first = hits["items"][0]
    assert first["snippet"][first["match_start"]:first["match_end"]].lower() == "petrović"
    only = client.get("/api/search", params={"q": "petrović", "kind": "entity"}).json()
    assert [h["kind"] for h in only["items"]] == ["entity"]


def test_web_api_search_all_terms_must_match(client: TestClient) -> None:
    assert client.get("/api/search", params={"q": "bridge tuesday"}).json()["total"] == 1
    assert client.get("/api/search", params={"q": "bridge nowhere"}).json()["total"] == 0
    assert client.get("/api/search", params={"q": "   "}).json()["total"] == 0


@pytest.mark.parametrize(("needle", "expected"), [("100%", 1), ("%", 1), ("_", 5), ("r_w", 0),
                                                  ("\\", 0), ("'", 1), ("bridge_works", 5)])
def test_web_api_search_treats_pattern_characters_literally(
    client: TestClient, needle: str, expected: int
) -> None:
    body = client.get("/api/search", params={"q": needle, "kind": "article"}).json()
    assert body["total"] == expected


def test_web_api_search_paginates(client: TestClient) -> None:
    first = client.get("/api/search", params={"q": "plain", "limit": 2}).json()
    assert first["total"] == 5 and len(first["items"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    assert {h["id"] for h in first["items"]}.isdisjoint({h["id"] for h in second["items"]})


def test_web_api_search_query_length_is_bounded(client: TestClient) -> None:
    assert client.get("/api/search", params={"q": "x" * 201}).status_code == 422


# --- ids and paths ----------------------------------------------------------------

BAD_PATHS = [
    "/articles/art_123",
    "/api/articles/art_123",
    f"/api/articles/{BRIDGE.upper()}",
    f"/api/articles/{ANA}",  # an id of the wrong kind
    f"/api/entities/{BRIDGE}",
    "/api/articles/art_" + "0" * 1000,
    "/api/articles/art_0000000000000000",  # well formed, not in the store
    "/articles/art_0000000000000000",
    "/entities/ent_0000000000000000",
    "/stories/sto_0000000000000000",
    "/api/stories/sto_0000000000000000",
    "/articles/..%2f..%2fetc%2fpasswd",
    "/articles/%2e%2e/%2e%2e/etc/passwd",
    "/api/articles/%2e%2e",
    "/api/entities/ent_0000000000000000%00",
    "/api/articles/art_0000000000000000%0a",
    "/static/..%2fapp.py",
    "/static/%2e%2e%2fweb%2fapp.py",
    "/static/report.html.j2",
    "/etc/passwd",
    "/api/../../etc/passwd",
]


@pytest.mark.parametrize("path", BAD_PATHS)
def test_web_bad_or_unknown_ids_are_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404, response.text
    assert "root:" not in response.text


def test_web_404_is_json_under_api_and_html_elsewhere(client: TestClient) -> None:
    api = client.get("/api/articles/art_123")
    assert api.headers["content-type"] == "application/json" and "detail" in api.json()
    page = client.get("/articles/art_123")
    assert page.headers["content-type"].startswith("text/html")


def test_web_ids_are_checked_before_any_query(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: Any, **__: Any) -> None:
        raise AssertionError("queried with a malformed id")

    monkeypatch.setattr(q, "get_article", fail)
    assert client.get("/api/articles/art_' OR 1=1 --").status_code == 404


# --- methods, limits, headers, hosts, tokens --------------------------------------


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"])
def test_web_only_get_and_head(client: TestClient, method: str) -> None:
    response = client.request(method, "/api/articles")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_web_head_answers_like_get_without_body(client: TestClient) -> None:
    get = client.get(f"/articles/{BRIDGE}")
    head = client.head(f"/articles/{BRIDGE}")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == get.headers["content-length"]


def test_web_rejects_large_bodies(client: TestClient) -> None:
    response = client.request("GET", "/api/articles", content=b"x" * (64 * 1024 + 1))
    assert response.status_code == 413
    small = client.request("GET", "/api/articles", content=b"x" * 100)
    assert small.status_code == 200


def test_web_rejects_large_chunked_bodies(client: TestClient) -> None:
    def chunks(n: int) -> Iterator[bytes]:
        for _ in range(n):
            yield b"x" * 16_384

    assert client.request("GET", "/api/articles", content=chunks(5)).status_code == 413
    assert client.request("GET", "/api/articles", content=chunks(2)).status_code == 200


@pytest.mark.parametrize("path", ["/", f"/articles/{BRIDGE}", "/api/articles", "/api/articles/art_1",
                                  "/nowhere", "/static/web.css", "/api/openapi.json"])
def test_web_security_headers_on_every_response(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    assert "server" not in headers


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1.evil.example", ""])
def test_web_refuses_unknown_host_headers(client: TestClient, host: str) -> None:
    response = client.get("/api/articles", headers={"host": host})
    assert response.status_code == 400


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "LOCALHOST"])
def test_web_accepts_loopback_host_headers(client: TestClient, host: str) -> None:
    assert client.get("/api/articles", headers={"host": host}).status_code == 200


def test_web_refuses_websockets(client: TestClient) -> None:
    from starlette.websockets import WebSocketDisconnect

    with pytest.raises(WebSocketDisconnect), client.websocket_connect("/api/articles"):
        pass


def test_web_token_via_bearer_query_once_then_cookie(store: Path) -> None:
    app = create_app(store, token="s3cret-token")
    with TestClient(app, base_url=BASE, follow_redirects=False) as c:
        assert c.get("/api/articles").status_code == 401
        assert c.get("/api/articles", headers={"authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/articles?token=wrong").status_code == 401
        ok = c.get("/api/articles", headers={"authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200
        c.cookies.clear()
        once = c.get("/articles?token=s3cret-token&offset=0")
        assert once.status_code == 303
        assert once.headers["location"] == "/articles?offset=0"  # the token leaves the URL
        cookie = once.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert c.get("/articles").status_code == 200  # the cookie now carries it
        c.cookies.clear()
        assert c.get("/articles").status_code == 401


def test_web_time_limit_interrupts_slow_queries(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(db: Any, **_: Any) -> q.Page[Any]:
        db.execute("SELECT count(*) FROM range(1000000000000) t(x) WHERE x % 7 = 3").fetchall()
        raise AssertionError("not interrupted")

    monkeypatch.setattr(q, "list_articles", slow)
    with TestClient(create_app(store, time_limit=0.3), base_url=BASE) as c:
        started = time.monotonic()
        response = c.get("/api/articles")
        assert response.status_code == 503
        assert "longer than 0.3 s" in response.json()["detail"]
        assert time.monotonic() - started < 10
        assert c.get("/articles").status_code == 503


def test_web_store_is_read_only(client: TestClient, store: Path) -> None:
    reader = client.app.state.reader  # type: ignore[attr-defined]
    assert reader.store.read_only
    cursor = reader.cursor()
    with pytest.raises(Exception, match="(?i)read.only"):
        cursor.execute("DELETE FROM articles")
    cursor.close()


def test_web_sql_cannot_reach_files(client: TestClient) -> None:
    cursor = client.app.state.reader.cursor()  # type: ignore[attr-defined]
    try:
        with pytest.raises(Exception, match="(?i)disabled|external"):
            cursor.execute("SELECT * FROM read_csv('/etc/passwd')").fetchall()
        with pytest.raises(Exception, match="(?i)lock"):
            cursor.execute("SET enable_external_access = true")
    finally:
        cursor.close()


def test_web_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="parallax analyze"):
        create_app(tmp_path)


# --- HTML views -------------------------------------------------------------------

# Tags the templates use; anything else in a page was injected.
TEMPLATE_TAGS = {
    "html", "head", "meta", "link", "title", "script", "body", "header", "a", "nav", "form",
    "input", "button", "main", "footer", "h1", "h2", "h3", "p", "div", "table", "thead",
    "tbody", "tr", "th", "td", "span", "b", "dl", "dt", "dd", "label", "section", "article",
    "ul", "ol", "li", "mark", "details", "summary", "br",
    # story views: headings, inline SVG charts and map, diff marks
    "h4", "figure", "figcaption", "svg", "g", "path", "rect", "line", "circle", "text",
}  # fmt: skip


def assert_no_injection(html: str) -> None:
    root = lxml.html.document_fromstring(html)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag in TEMPLATE_TAGS, f"injected <{element.tag}>"
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"event handler {name}={value!r}"
            if name in ("href", "src", "action"):
                assert value.startswith(("/", "#", "https://", "http://", "data:,")), value
        if element.tag == "script":
            assert element.get("src") == "/static/web.js" and not (element.text or "").strip()


HTML_PAGES = [
    "/", "/articles", f"/articles/{BRIDGE}", f"/articles/{HOSTILE}", f"/articles/{UNICODE}",
    "/entities", f"/entities/{EVIL}", f"/entities/{ANA}", f"/stories/{STORY}",
    "/search?q=alert", "/search?q=%3Cscript%3E", "/search", "/articles?flag=%3Cscript%3E",
    "/articles?outlet=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "/entities?name=%3Cscript%3E",
]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_web_pages_render_and_escape_hostile_text(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert_no_injection(response.text)
    assert "<script>alert" not in response.text and "<img src=x" not in response.text


def test_web_hostile_article_shows_its_text_as_text(client: TestClient) -> None:
    html = client.get(f"/articles/{HOSTILE}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    root = lxml.html.document_fromstring(html)
    assert PAYLOADS[0] in root.text_content()  # shown, not run
    assert not root.xpath("//a[contains(@href, 'javascript')]")  # the url is text, not a link


def test_web_article_page_highlights_spans(client: TestClient) -> None:
    root = lxml.html.document_fromstring(client.get(f"/articles/{BRIDGE}").text)
    (entity,) = root.xpath("//div[@id='text']//a[contains(@class, 'hl-ent-PERSON')]")
    assert entity.text == "Ana Petrović" and entity.get("href") == f"/entities/{ANA}"
    assert root.xpath(f"//span[@id='{QUOTE_ANA}']")
    quote = "".join(e.text_content() for e in root.xpath("//div[@id='text']//*[contains(@class, 'hl-quote')]"))
    assert quote == "the bridge in Kyiv will reopen in May"
    (trigger,) = root.xpath("//*[contains(@class, 'hl-trigger-PROTEST')]")
    assert trigger.text == "blocked" and "PROTEST" in trigger.get("title")
    assert root.xpath("//*[contains(@class, 'hl-trigger-negated')]")[0].text == "arrest"
    assert root.xpath("//div[@id='text']//*[contains(@class, 'hl-date')]")[0].text_content() == "on Tuesday"
    (cut,) = root.xpath("//label[@class='cut']")
    assert cut.xpath(".//span[@class='cut-text']")[0].text == "Subscribe to our newsletter"
    paragraphs = root.xpath("//div[@id='text']/p")
    assert [p.text_content().replace("boilerplateSubscribe to our newsletter", "") for p in paragraphs] == BRIDGE_TEXT.split("\n")
    assert root.xpath("//input[@id='show-removed']")
    assert "masked-numbers" in root.text_content()


def test_web_entity_page_shows_mentions_in_context(client: TestClient) -> None:
    root = lxml.html.document_fromstring(client.get(f"/entities/{ANA}").text)
    (item,) = root.xpath("//ul[@class='contexts']/li")
    assert "Mayor Ana Petrović said" in " ".join(item.text_content().split())
    assert item.xpath(".//mark")[0].text == "Ana Petrović"
    assert item.xpath(".//a")[0].get("href").startswith(f"/articles/{BRIDGE}#m-")


def test_web_home_lists_stories_when_present(client: TestClient) -> None:
    root = lxml.html.document_fromstring(client.get("/").text)
    assert root.xpath(f"//a[@href='/stories/{STORY}']")
    story = client.get(f"/stories/{STORY}").text
    assert "dates differ: May vs June" in lxml.html.document_fromstring(story).text_content()


def test_web_static_files_are_whitelisted(client: TestClient) -> None:
    css = client.get("/static/report.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert client.get("/static/web.js").headers["content-type"].startswith("text/javascript")


def test_web_has_no_cdn_docs_pages(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


# --- OpenAPI ----------------------------------------------------------------------

API_CALLS = [
    ("/api/stories", "/api/stories"),
    (f"/api/stories/{STORY}", "/api/stories/{story_id}"),
    ("/api/articles?limit=3", "/api/articles"),
    (f"/api/articles/{BRIDGE}", "/api/articles/{article_id}"),
    (f"/api/articles/{HOSTILE}", "/api/articles/{article_id}"),
    (f"/api/articles/{UNICODE}", "/api/articles/{article_id}"),
    (f"/api/articles/{PLAIN[0]}", "/api/articles/{article_id}"),
    ("/api/entities", "/api/entities"),
    (f"/api/entities/{ANA}", "/api/entities/{entity_id}"),
    (f"/api/entities/{KYIV}", "/api/entities/{entity_id}"),
    (f"/api/entities/{EVIL}", "/api/entities/{entity_id}"),
    ("/api/quotes", "/api/quotes"),
    ("/api/events", "/api/events"),
    ("/api/claims", "/api/claims"),
    ("/api/search?q=bridge", "/api/search"),
    ("/api/search?q=nothing-matches-this", "/api/search"),
]


def response_validator(openapi: dict[str, Any], template: str, status: str = "200") -> jsonschema.Validator:
    operation = openapi["paths"][template]["get"]
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    root = {**schema, "components": openapi["components"]}
    jsonschema.Draft202012Validator.check_schema(root)
    return jsonschema.Draft202012Validator(root)


def test_web_openapi_documents_every_api_route(openapi: dict[str, Any]) -> None:
    assert openapi["openapi"].startswith("3.")
    expected = {template for _, template in API_CALLS}
    assert expected <= set(openapi["paths"])
    assert not [p for p in openapi["paths"] if not p.startswith("/api/")]  # pages stay out
    for template in expected:
        assert "$ref" in openapi["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


@pytest.mark.parametrize(("url", "template"), API_CALLS)
def test_web_json_responses_validate_against_openapi(
    client: TestClient, openapi: dict[str, Any], url: str, template: str
) -> None:
    response = client.get(url)
    assert response.status_code == 200
    response_validator(openapi, template).validate(response.json())


def test_web_404_validates_against_openapi(client: TestClient, openapi: dict[str, Any]) -> None:
    response = client.get("/api/articles/art_0000000000000000")
    response_validator(openapi, "/api/articles/{article_id}", "404").validate(response.json())


def test_web_openapi_schema_rejects_wrong_shapes(openapi: dict[str, Any]) -> None:
    validator = response_validator(openapi, "/api/articles")
    assert not validator.is_valid({"items": [{"id": 1}], "total": 0, "limit": 1, "offset": 0, "next": None})


# --- highlighting -----------------------------------------------------------------


def segments(paragraphs: list[Any]) -> list[Segment]:
    return [part for p in paragraphs for part in p.parts if not part.is_cut]


def test_highlight_overlapping_marks_make_flat_segments() -> None:
    text = "Ana Petrović said hello."
    marks = [Mark(0, 12, "ent", "PERSON"), Mark(4, 17, "quote", "q", anchor="quo_0000000000000001"),
             Mark(13, 17, "cue", "cue")]
    paragraphs, stray = layout(text, marks, [])
    parts = segments(paragraphs)
    assert "".join(s.text for s in parts) == text and stray == []
    assert [(s.text, [m.kind for m in s.marks]) for s in parts] == [
        ("Ana ", ["ent"]), ("Petrović", ["ent", "quote"]), (" ", ["quote"]),
        ("said", ["quote", "cue"]), (" hello.", []),
    ]
    assert [s.anchors for s in parts][:2] == [(), ("quo_0000000000000001",)]


def test_highlight_ignores_spans_outside_the_text() -> None:
    marks = [Mark(-1, 3, "ent", "x"), Mark(2, 99, "ent", "y"), Mark(3, 3, "ent", "empty"),
             Mark(5, 2, "ent", "backwards")]
    (paragraph,), _ = layout("short text", marks, [])
    assert [(s.text, s.marks) for s in segments([paragraph])] == [("short text", ())]


def test_highlight_marks_across_paragraphs_and_cuts() -> None:
    text = "One two.\nThree four."
    marks = [Mark(4, 14, "quote", "q", anchor="quo_0000000000000001")]
    paragraphs, _ = layout(text, marks, [(9, "boilerplate", "Subscribe"), (100, "tail", "end")])
    assert len(paragraphs) == 2
    first, second = paragraphs
    assert [getattr(p, "text", None) for p in first.parts] == ["One ", "two."]
    assert second.parts[0].is_cut and second.parts[0].text == "Subscribe"
    assert second.parts[-1].is_cut and second.parts[-1].text == "end"
    anchored = [s for s in segments(paragraphs) if s.anchors]
    assert len(anchored) == 1 and anchored[0].text == "two."


def test_highlight_css_classes_only_from_plain_words() -> None:
    segment = Segment("x", 0, (Mark(0, 1, "ent", "l", variant='"><script>'),
                               Mark(0, 1, "trigger", "l", variant="PROTEST")))
    assert segment.classes == "hl-ent hl-trigger hl-trigger-PROTEST"
    bad = Segment("x", 0, (Mark(0, 1, "ent", "l", entity="ent_../../x"),))
    assert _environment().filters["entity_href"](bad.entity) is None


def test_highlight_text_without_lines_returns_stray_cuts() -> None:
    paragraphs, stray = layout("", [], [(0, "advert", "Buy")])
    assert paragraphs == [] and [c.text for c in stray] == ["Buy"]


# --- serve ------------------------------------------------------------------------


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.1.2.3", True), ("localhost", True), ("::1", True), ("[::1]", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.5", False), ("example.org", False),
])  # fmt: skip
def test_serve_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_refuses_remote_host_without_flag(store: Path) -> None:
    with pytest.raises(ConfigError, match="--allow-remote"):
        serve(store, host="0.0.0.0", port=1)


def test_serve_remote_warns_and_requires_a_token(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    lines: list[str] = []
    serve(store, host="0.0.0.0", port=9999, allow_remote=True, echo=lines.append)
    assert lines[0].startswith("WARNING")
    assert "?token=" in lines[1]
    (call,) = calls
    assert call["host"] == "0.0.0.0" and call["port"] == 9999 and call["server_header"] is False
    with TestClient(call["app"], base_url="http://203.0.113.9") as c:
        assert c.get("/api/articles").status_code == 401  # any host, but a token
        token = lines[1].split("?token=")[1]
        assert c.get("/api/articles", headers={"authorization": f"Bearer {token}"}).status_code == 200


def test_serve_loopback_needs_no_token(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(app))
    lines: list[str] = []
    serve(store.parent, echo=lines.append)
    assert "http://127.0.0.1:8765/" in lines[0] and "token" not in lines[0]
    with TestClient(calls[0], base_url=BASE) as c:
        assert c.get("/api/articles").status_code == 200


def test_query_reader_needs_a_read_only_store(store: Path, tmp_path: Path) -> None:
    from parallax.store.duckdb import Store

    with Store(tmp_path / "w.duckdb") as writable, pytest.raises(ValueError, match="read_only"):
        q.Reader(writable)


def test_query_is_id() -> None:
    assert q.is_id(BRIDGE) and q.is_id(BRIDGE, "art") and not q.is_id(BRIDGE, "ent")
    assert not q.is_id(BRIDGE + "\n") and not q.is_id("men_0000000000000000")


# --- story view (shared with report.html) ----------------------------------------


def test_web_story_page_shows_map_claims_and_both_sides(client: TestClient) -> None:
    page = lxml.html.document_fromstring(client.get(f"/stories/{STORY}").text)
    stats = [dd.text_content() for dd in page.xpath('//dl[@class="stats"]//dd')]
    assert stats == ["4", "2", "2", "1"]  # articles, independent outlets, claims, contradictions
    markers = page.xpath('//figure[contains(@class, "map")]//g[@class="marker"]')
    assert [m.xpath(".//text")[0].text for m in markers] == ["Kyiv"]
    assert markers[0].xpath(".//a")[0].get("href") == f"/entities/{KYIV}"
    assert page.xpath('//figure[contains(@class, "map")]//path[@class="land"]')
    row = page.get_element_by_id(CLAIM_A)
    assert row.xpath('.//a[@class="claim-mention"]')[0].get("href") == f"/articles/{BRIDGE}#{CLAIM_A}"
    sides = row.xpath('.//details[@class="contradiction"]//div[@class="side"]')
    marked = [[m.text for m in side.xpath(".//mark")] for side in sides]
    assert marked == [["will reopen in May"], [PAYLOADS[0]]]  # nothing in common: all of it differs
    assert "dates differ" in row.xpath('.//details[@class="contradiction"]/summary')[0].text_content()
    timeline = page.xpath('//figure[contains(@class, "timeline")]//circle')
    assert len(timeline) == 1  # the protest, 2024-03-12; the negated arrest has no date
    assert page.xpath('//figure[contains(@class, "coverage")]//circle')


def test_web_story_claim_link_lands_on_the_highlighted_span(client: TestClient) -> None:
    page = lxml.html.document_fromstring(client.get(f"/articles/{BRIDGE}").text)
    anchor = page.get_element_by_id(CLAIM_A)
    marked = anchor.getnext()
    while marked.get("class") == "anchor":
        marked = marked.getnext()
    assert "hl-claim" in marked.get("class")
    start, end = BRIDGE_TEXT.index("will reopen in May"), BRIDGE_TEXT.index("will reopen in May") + 18
    assert BRIDGE_TEXT[start:end].startswith(marked.text_content())


def test_web_naming_label_opens_the_article_at_its_words(client: TestClient) -> None:
    story = lxml.html.document_fromstring(client.get(f"/stories/{STORY}").text)
    chips = story.xpath('//section[contains(@id, "naming")]//a[contains(@class, "chip")]')
    assert [(c.text_content(), c.get("href")) for c in chips] == [("Mayor", f"/articles/{BRIDGE}#l-0-5")]
    page = lxml.html.document_fromstring(client.get(f"/articles/{BRIDGE}").text)
    marked = page.get_element_by_id("l-0-5").getnext()
    while marked.get("class") == "anchor":
        marked = marked.getnext()
    assert "hl-label" in marked.get("class")
    assert marked.text_content() == "Mayor"


def test_web_story_document_has_the_analysis_shape(client: TestClient, store: Path) -> None:
    from test_web_store import build_articles

    from parallax.contract import to_analysis

    with q.open_reader(store) as reader:
        db = reader.cursor()
        doc = q.story_document(db, STORY)
        assert q.story_document(db, "sto_ffffffffffffffff") is None
    assert doc is not None
    assert doc["stories"][0]["articles"] == [BRIDGE, HOSTILE, PLAIN[0], PLAIN[4]]
    assert {a["id"] for a in doc["articles"]} == {BRIDGE, HOSTILE, PLAIN[0], PLAIN[4]}
    reference = to_analysis(build_articles(), [])  # what analysis.json holds for the same articles
    extra = {"outlet", "article_title", "speaker_name"}  # read-side conveniences
    for key in ("events", "quotes", "entities"):
        assert doc[key] and reference[key]
        fields = set(reference[key][0])
        assert all(set(item) - extra == fields for item in doc[key]), key
    claim_fields = {"id", "story", "summary", "kind", "mentions", "outlets", "contradicts"}
    assert all(set(c) == claim_fields for c in doc["claims"])
    assert doc["naming"] == [{"entity": ANA, "outlet": "Example Daily", "article": BRIDGE, "labels": ["Mayor"],
                              "spans": [{"article": BRIDGE, "start": 0, "end": 5, "text": "Mayor", "label": "Mayor"}]}]
    kyiv = next(e for e in doc["entities"] if e["id"] == KYIV)
    assert kyiv["kb"]["lat"] == pytest.approx(50.45466)


def test_web_story_missing_tables_or_bad_id_is_404(client: TestClient, bare: TestClient) -> None:
    assert bare.get(f"/stories/{STORY}").status_code == 404
    assert client.get("/stories/sto_ffffffffffffffff").status_code == 404
    assert client.get("/stories/sto_<script>").status_code == 404


def test_web_entity_page_accepts_corpus_ids(tmp_path: Path) -> None:
    import duckdb

    path = build_store(tmp_path / "parallax.duckdb")
    corpus = "ent_00000000000c0a11"
    db = duckdb.connect(str(path))
    try:
        db.execute("INSERT INTO corpus_entities VALUES (?, ?, ?, ?, ?, ?)",
                   [corpus, "Ana Petrović", "PERSON", ["Petrović", "the mayor"], ["Mayor"], "{}"])
        db.execute("INSERT INTO entity_links VALUES (?, ?)", [ANA, corpus])
        db.execute("INSERT INTO naming VALUES (?, ?, ?, ?)", [corpus, "Example Daily", BRIDGE, ["embattled"]])
    finally:
        db.close()
    with TestClient(create_app(path), base_url=BASE) as c:
        detail = c.get(f"/api/entities/{corpus}").json()
        assert detail["name"] == "Ana Petrović" and "the mayor" in detail["aliases"]
        assert detail["naming"] == [  # the reader's title and the naming step's label, per outlet
            {"outlet": "Example Daily", "names": ["Ana Petrović"], "labels": ["Mayor", "embattled"], "articles": 1}
        ]
        assert detail["mention_count"] == 1 and detail["quotes"][0]["id"] == QUOTE_ANA
        html = c.get(f"/entities/{corpus}").text
        assert "How each outlet names it" in html and "Example Daily" in html
        listed = c.get("/api/entities", params={"name": "petrović"}).json()["items"]
        assert [(e["id"], e["mentions"], e["articles"]) for e in listed] == [(corpus, 1, 1)]
        page = lxml.html.document_fromstring(c.get(f"/articles/{BRIDGE}").text)
        assert page.xpath('//div[@id="text"]//a[contains(@class, "hl-ent-PERSON")]')[0].get("href") == f"/entities/{corpus}"
