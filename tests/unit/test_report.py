"""report.html: self-contained, escaped, faithful to the offsets it is given."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from markupsafe import escape

from parallax.report import geo, render_report, story, write_report
from parallax.report import html as report_html
from parallax.schema import validate_analysis

ORIGINAL = "art_000000000000000a"
COPY = "art_000000000000000b"
HOSTILE = "art_000000000000000c"
LATER_SECTIONS = ("entities", "quotes", "events", "stories", "claims", "naming")

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "'><iframe src=javascript:alert(1)>",
    "javascript:alert(1)",
)
PAYLOAD = " ".join(PAYLOADS)

# Tags report.html itself uses; anything else in the markup was injected.
TEMPLATE_TAGS = {
    "!doctype", "html", "head", "meta", "title", "style", "body", "header", "h1", "h2",
    "p", "dl", "div", "dt", "dd", "a", "b", "span", "nav", "main", "section", "input",
    "select", "option", "label", "table", "thead", "tbody", "tr", "th", "td", "button",
    "details", "summary", "ul", "li", "footer", "script",
    # story views: headings, inline SVG charts and map, diff marks
    "h3", "h4", "mark", "figure", "figcaption", "svg", "g", "path", "rect", "line", "circle", "text",
}  # fmt: skip


def make_article(**overrides: Any) -> dict[str, Any]:
    article: dict[str, Any] = {
        "id": ORIGINAL,
        "input": "pages/a.html",
        "format": "html",
        "url": "https://example.org/a",
        "outlet": "Example Daily",
        "title": "Bridge to reopen in May",
        "authors": ["J. Doe"],
        "published": "2024-03-14",
        "language": "en",
        "language_score": 0.98,
        "text": "First paragraph here.\nSecond paragraph.",
        "removed": [],
        "flags": [],
        "duplicate_of": None,
        "notes": [],
    }
    article.update(overrides)
    return article


def make_analysis(
    articles: list[dict[str, Any]], errors: list[dict[str, Any]] | None = None, **sections: Any
) -> dict[str, Any]:
    errors = errors or []
    duplicates = sum(1 for a in articles if a["duplicate_of"])
    languages: dict[str, int] = {}
    flags: dict[str, int] = {}
    for a in articles:
        if a["language"]:
            languages[a["language"]] = languages.get(a["language"], 0) + 1
        for flag in a["flags"]:
            flags[flag] = flags.get(flag, 0) + 1
    doc: dict[str, Any] = {
        "schema_version": "1.0",
        "generator": {"name": "parallax", "version": "0.1.0"},
        "articles": articles,
        "errors": errors,
        **{name: sections.get(name, []) for name in LATER_SECTIONS},
        "stats": {
            "articles": len(articles),
            "unique_articles": len(articles) - duplicates,
            "duplicates": duplicates,
            "errors": len(errors),
            "languages": languages,
            "flags": flags,
        },
    }
    validate_analysis(doc)  # tests render documents that honour the contract
    return doc


def hostile_analysis() -> dict[str, Any]:
    text = f"Opening line. {PAYLOAD}\nSecond {PAYLOAD} paragraph."
    hostile = make_article(
        id=HOSTILE,
        input=f"feeds/{PAYLOAD}.xml#item=1",
        format="rss",
        url="javascript:alert(1)",
        outlet=PAYLOAD,
        title=PAYLOAD,
        authors=[PAYLOAD],
        text=text,
        removed=[{"text": PAYLOAD, "reason": PAYLOAD, "at": 5}],
        notes=[PAYLOAD],
    )
    start = text.index("<script>")
    entity = "ent_00000000000000e1"
    return make_analysis(
        [make_article(), hostile],
        errors=[{"input": PAYLOAD, "error": PAYLOAD, "stage": PAYLOAD}],
        entities=[
            {
                "id": entity,
                "name": PAYLOAD,
                "type": PAYLOAD,
                "aliases": [PAYLOAD],
                "mentions": [
                    {"article": HOSTILE, "start": start, "end": start + 8, "text": "<script>"}
                ],
                "kb": {"x": PAYLOAD},
            }
        ],
        quotes=[
            {
                "id": "quo_0000000000000001",
                "article": HOSTILE,
                "start": start,
                "end": start + 8,
                "text": "<script>",
                "kind": "direct",
                "cue": PAYLOAD,
                "speaker": entity,
                "speaker_text": PAYLOAD,
            }
        ],
    )


def parse(html: str) -> Any:
    return lxml.html.document_fromstring(html)


def our_script() -> str:
    return report_html._static("report.js")


# --- safety -----------------------------------------------------------------


def _assert_nothing_injected(html: str) -> None:
    tree = parse(html)
    scripts = tree.xpath("//script")
    assert len(scripts) == 1
    assert scripts[0].text == our_script()
    assert not scripts[0].get("src")
    for element in tree.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"event handler {name}={value!r}"
        href = re.sub(r"[\x00-\x20]", "", element.get("href", "")).lower()
        assert not href.startswith(("javascript:", "data:", "vbscript:")), href
    for tag in ("img", "iframe", "object", "embed", "link", "base", "form"):
        assert not tree.xpath(f"//{tag}"), f"unexpected <{tag}>"
    for svg in tree.xpath("//svg"):  # our charts and maps only
        assert svg.getparent().tag == "figure" and "chart" in svg.getparent().get("class", ""), "stray <svg>"
    # Raw check, independent of the parser: every tag in the markup is one of ours.
    tags = {m.lower() for m in re.findall(r"<(!?[a-zA-Z][a-zA-Z0-9-]*)", html)}
    assert tags <= TEMPLATE_TAGS, tags - TEMPLATE_TAGS


def test_report_escapes_hostile_text_everywhere() -> None:
    html = render_report(hostile_analysis())
    _assert_nothing_injected(html)
    for payload in PAYLOADS[:4]:
        assert payload not in html
    # ... and the text is still there for the reader, as text.
    text = parse(html).text_content()
    for payload in PAYLOADS:
        assert payload in text


def test_report_escapes_hostile_ids_and_flags() -> None:
    # The renderer draws documents that break the contract, too; still escaped.
    doc = hostile_analysis()
    doc["articles"][1]["id"] = f'x">{PAYLOAD}'
    doc["articles"][1]["flags"] = [PAYLOAD]
    doc["articles"][1]["duplicate_of"] = f'"{PAYLOAD}'
    doc["articles"][1]["language"] = PAYLOAD
    doc["generator"]["version"] = PAYLOAD
    _assert_nothing_injected(render_report(doc))


def test_report_javascript_url_is_text_not_link() -> None:
    html = render_report(hostile_analysis())
    tree = parse(html)
    section = tree.get_element_by_id(HOSTILE)
    assert "javascript:alert(1)" in section.text_content()
    assert not [a for a in section.iter("a") if "javascript" in a.get("href", "")]


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://example.org/a?b=1&c=2", True),
        ("http://example.org/", True),
        ("HTTPS://EXAMPLE.ORG/", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//example.org/a", False),
        ("https:example.org", False),
        ("file:///etc/passwd", False),
        ("example.org/a", False),
    ],
)
def test_report_links_only_http_urls(url: str, linked: bool) -> None:
    html = render_report(make_analysis([make_article(url=url)]))
    links = [a for a in parse(html).iter("a") if not a.get("href", "").startswith("#")]
    assert bool(links) is linked
    for a in links:
        assert a.get("href") == url
        assert set(a.get("rel", "").split()) >= {"noopener", "noreferrer", "nofollow"}


def test_report_csp_allows_exactly_our_script() -> None:
    html = render_report(make_analysis([make_article()]))
    tree = parse(html)
    metas = tree.xpath('//meta[@http-equiv="Content-Security-Policy"]')
    assert len(metas) == 1
    policy = dict(
        (d.split()[0], d.split()[1:]) for d in metas[0].get("content").split(";") if d.strip()
    )
    assert policy["default-src"] == ["'none'"]
    assert policy["style-src"] == ["'unsafe-inline'"]
    assert policy["img-src"] == ["data:"]
    (source,) = policy["script-src"]
    script = tree.xpath("//script")[0].text
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert source == f"'sha256-{digest}'"
    # The CSP comes before anything it must govern.
    assert html.index("Content-Security-Policy") < html.index("<style>")


def test_report_loads_nothing_from_the_network() -> None:
    articles = [
        make_article(),
        make_article(id=COPY, url="http://example.net/copy", duplicate_of=ORIGINAL),
    ]
    html = render_report(make_analysis(articles))
    tree = parse(html)
    assert not tree.xpath("//*[@src]")
    assert not tree.xpath("//link")
    article_urls = {a["url"] for a in articles}
    for a in tree.iter("a"):
        href = a.get("href")
        assert href.startswith("#") or href in article_urls, href
    css = "".join(s.text for s in tree.xpath("//style"))
    assert "@import" not in css
    assert "url(" not in css
    # Apart from the article links, the page names no http(s) address at all.
    rest = html
    for url in article_urls:
        rest = rest.replace(str(escape(url)), "")
    assert "http://" not in rest
    assert "https://" not in rest


def test_report_script_uses_no_html_injection_sinks() -> None:
    script = our_script()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script


def test_report_template_never_disables_escaping() -> None:
    templates = Path(report_html.__file__).parent / "templates"
    for template in templates.iterdir():
        source = re.sub(r"\{#.*?#\}", "", template.read_text(encoding="utf-8"), flags=re.S)
        assert "|safe" not in source.replace(" ", "")
        assert "autoescape" not in source


# --- content ----------------------------------------------------------------


def test_report_summary_shows_corpus_counts() -> None:
    articles = [
        make_article(flags=["too-short"]),
        make_article(id=COPY, duplicate_of=ORIGINAL, language="fr", flags=["too-short"]),
    ]
    doc = make_analysis(articles, errors=[{"input": "x.txt", "error": "empty", "stage": "read"}])
    tree = parse(render_report(doc))
    terms = tree.xpath('//dl[@class="stats"]//dt')
    values = tree.xpath('//dl[@class="stats"]//dd')
    stats = {dt.text_content(): dd.text_content() for dt, dd in zip(terms, values, strict=True)}
    assert stats == {"Articles": "2", "Unique": "1", "Duplicates": "1", "Errors": "1"}
    header = tree.xpath("//header")[0].text_content()
    assert "en 1" in header and "fr 1" in header
    assert "too-short 2" in header


def test_report_article_table_rows() -> None:
    articles = [
        make_article(flags=["too-short", "date-missing"]),
        make_article(id=COPY, title=None, duplicate_of=ORIGINAL, text="one two three four"),
    ]
    tree = parse(render_report(make_analysis(articles)))
    rows = tree.xpath('//table[@id="article-table"]/tbody/tr')
    assert len(rows) == 2
    first, second = rows
    assert first.xpath("td[1]/a")[0].get("href") == f"#{ORIGINAL}"
    assert first.xpath("td[1]")[0].text_content() == "Bridge to reopen in May"
    assert first.xpath("td[2]")[0].text_content() == "Example Daily"
    assert first.xpath("td[3]")[0].text_content() == "2024-03-14"
    assert first.xpath("td[4]")[0].text_content() == "en"
    assert [b.text for b in first.xpath('td[5]/span[@class="badge"]')] == [
        "too-short",
        "date-missing",
    ]
    assert first.xpath("td[6]")[0].text_content() == "5"  # words
    assert first.get("data-flags") == "too-short date-missing"
    # No title: the first words stand in. A duplicate links to its original.
    assert second.xpath("td[1]")[0].text_content() == "one two three four"
    assert second.get("data-dup") is not None
    assert second.xpath('td[5]/a[contains(@class, "dup")]')[0].get("href") == f"#{ORIGINAL}"
    options = tree.xpath('//select[@id="filter-flag"]/option/@value')
    assert options == ["", "date-missing", "too-short"]


def test_report_articles_collapsed_with_anchor_ids() -> None:
    articles = [make_article(), make_article(id=COPY, duplicate_of=ORIGINAL)]
    tree = parse(render_report(make_analysis(articles)))
    sections = tree.xpath('//details[contains(@class, "article")]')
    assert [d.get("id") for d in sections] == [ORIGINAL, COPY]
    assert all(d.get("open") is None for d in sections)
    copy = tree.get_element_by_id(COPY)
    assert copy.xpath(f'.//dd/a[@href="#{ORIGINAL}"]')  # "Duplicate of" link


def test_report_article_text_is_split_into_paragraphs() -> None:
    text = "Para one.\n\nPara two.\n   \nPara three."
    tree = parse(render_report(make_analysis([make_article(text=text)])))
    paragraphs = tree.get_element_by_id(ORIGINAL).xpath(".//div[@class='a-text']/p")
    assert [p.text_content() for p in paragraphs] == ["Para one.", "Para two.", "Para three."]
    assert [int(p.get("data-start")) for p in paragraphs] == [0, 11, 25]
    for p in paragraphs:
        start = int(p.get("data-start"))
        assert text[start : start + len(p.text_content())] == p.text_content()


def _markers(tree: Any, article_id: str) -> list[tuple[int, int, str, str]]:
    """Return (where it is drawn, data-at, reason, text) for each removed marker."""
    found = []
    for p in tree.get_element_by_id(article_id).xpath(".//div[@class='a-text']/p"):
        position = int(p.get("data-start") or 0)
        if p.text:
            position += len(p.text)
        for child in p:
            assert child.tag == "label" and "cut" in child.get("class")
            reason = child.xpath("span[@class='cut-tag']")[0].text_content()
            removed = child.xpath("span[@class='cut-text']")[0].text_content()
            found.append((position, int(child.get("data-at")), reason, removed))
            position += len(child.tail or "")
    return found


def test_report_removed_pieces_appear_at_their_offsets() -> None:
    text = "Alpha beta gamma.\nDelta epsilon.\n\nZeta."
    removed = [
        {"text": "Advert!", "reason": "advert", "at": 0},
        {"text": "Share on X", "reason": "share", "at": 6},  # inside a paragraph
        {"text": "Read more", "reason": "related", "at": 6},  # same place, keeps order
        {"text": "Newsletter", "reason": "boilerplate", "at": 18},  # start of paragraph 2
        {"text": "Footer", "reason": "footer", "at": len(text)},  # end of text
    ]
    tree = parse(render_report(make_analysis([make_article(text=text, removed=removed)])))
    markers = _markers(tree, ORIGINAL)
    assert markers == [
        (0, 0, "advert", "Advert!"),
        (6, 6, "share", "Share on X"),
        (6, 6, "related", "Read more"),
        (18, 18, "boilerplate", "Newsletter"),
        (len(text), len(text), "footer", "Footer"),
    ]
    # The text around the markers is untouched: "Alpha " before, "beta" after.
    first = tree.get_element_by_id(ORIGINAL).xpath(".//div[@class='a-text']/p")[0]
    assert first.text_content().startswith("advertAdvert!Alpha shareShare on X")


def test_report_removed_piece_between_paragraphs_shows_at_next_paragraph() -> None:
    text = "One.\n\nTwo."
    removed = [{"text": "Ad", "reason": "advert", "at": 5}]  # on the blank line
    tree = parse(render_report(make_analysis([make_article(text=text, removed=removed)])))
    assert _markers(tree, ORIGINAL) == [(6, 5, "advert", "Ad")]


def test_report_removed_pieces_shown_for_empty_text() -> None:
    removed = [{"text": "All", "reason": "nav", "at": 0}]
    doc = make_analysis([make_article(text="", removed=removed)])
    section = parse(render_report(doc)).get_element_by_id(ORIGINAL)
    assert section.xpath(".//label[@class='cut']/span[@class='cut-text']")[0].text == "All"


def test_report_has_global_show_removed_toggle() -> None:
    doc = make_analysis([make_article(removed=[{"text": "x", "reason": "ad", "at": 0}])])
    tree = parse(render_report(doc))
    assert tree.xpath('//input[@id="show-removed"][@type="checkbox"]')
    assert "show-removed" in our_script()


def test_report_lists_errors() -> None:
    errors = [
        {"input": "dump.jsonl#line=7", "error": "line 7 is not valid JSON", "stage": "read"},
        {"input": "https://example.org/gone", "error": "HTTP 404 Not Found", "stage": None},
    ]
    tree = parse(render_report(make_analysis([make_article()], errors=errors)))
    rows = tree.get_element_by_id("errors").xpath(".//tbody/tr")
    cells = [[td.text_content() for td in row.xpath("td")] for row in rows]
    assert cells == [
        ["dump.jsonl#line=7", "read", "line 7 is not valid JSON"],
        ["https://example.org/gone", "", "HTTP 404 Not Found"],
    ]
    assert not tree.get_element_by_id("errors").xpath(".//a[starts-with(@href, 'http')]")


def test_report_hides_empty_sections() -> None:
    html = render_report(make_analysis([make_article()]))
    tree = parse(html)
    for section in ("errors", *LATER_SECTIONS):
        assert tree.get_element_by_id(section, None) is None
        assert not tree.xpath(f'//a[@href="#{section}"]')


def _row(tree: Any, section: str) -> list[str]:
    """Return the cell texts of the first row of a section's table."""
    return [td.text_content() for td in tree.get_element_by_id(section).xpath(".//tbody/tr[1]/td")]


def test_report_renders_later_sections_when_present() -> None:
    text = "Mayor Ana Petrović said the bridge will reopen."
    entity = "ent_00000000000000e1"
    story = "sto_00000000000000f1"
    name_at = text.index("Ana Petrović")
    quote_at = text.index("the bridge will reopen")
    quote_span = {"article": ORIGINAL, "start": quote_at, "end": len(text) - 1}
    quote_span["text"] = text[quote_at : len(text) - 1]
    mention = {"article": ORIGINAL, "start": name_at, "end": name_at + 12, "text": "Ana Petrović"}
    doc = make_analysis(
        [make_article(text=text)],
        entities=[
            {
                "id": entity,
                "name": "Ana Petrović",
                "type": "PERSON",
                "aliases": [],
                "mentions": [mention, mention],
                "kb": {},
            }
        ],
        quotes=[
            {
                "id": "quo_0000000000000001",
                **quote_span,
                "kind": "indirect",
                "cue": "said",
                "speaker": entity,
                "speaker_text": "Mayor Ana Petrović",
            }
        ],
        events=[
            {
                "id": "evt_0000000000000001",
                "article": ORIGINAL,
                "start": text.index("reopen"),
                "end": text.index("reopen") + 6,
                "type": "AGREE",
                "actor": "Mayor",
                "target": None,
                "place": None,
                "date": None,
                "date_text": None,
            }
        ],
        stories=[{"id": story, "title": "Bridge", "articles": [ORIGINAL]}],
        claims=[
            {
                "id": "clm_0000000000000001",
                "story": story,
                "summary": "The bridge reopens.",
                "mentions": [{**quote_span, "outlet": "Example Daily"}],
                "outlets": 1,
                "contradicts": [],
            }
        ],
        naming=[
            {"entity": entity, "outlet": "Example Daily", "article": ORIGINAL, "labels": ["Mayor"],
             "spans": [{"article": ORIGINAL, "start": text.index("Mayor"), "end": text.index("Mayor") + 5,
                        "text": "Mayor", "label": "Mayor"}]}
        ],
    )
    tree = parse(render_report(doc))
    label_anchor = f"{ORIGINAL}--l-{text.index('Mayor')}-{text.index('Mayor') + 5}"
    (chip,) = tree.get_element_by_id(f"story-{story}-naming").xpath('.//a[contains(@class, "chip")]')
    assert chip.text_content() == "Mayor" and chip.get("href") == f"#{label_anchor}"
    marked = tree.get_element_by_id(label_anchor).getnext()
    while marked.get("class") == "anchor":
        marked = marked.getnext()
    assert "hl-label" in marked.get("class") and marked.text_content().startswith("Mayor")
    for section in ("entities", "quotes", "events", "stories"):
        assert tree.get_element_by_id(section) is not None
        assert tree.xpath(f'//nav//a[@href="#{section}"]')
    for part in ("claims", "naming", "voices", "articles"):  # claims and naming now live in the story
        assert tree.get_element_by_id(f"story-{story}-{part}") is not None
    quote_row = _row(tree, "quotes")
    assert quote_row[0].startswith("Mayor Ana Petrović")
    assert quote_row[1] == "the bridge will reopen"
    assert tree.get_element_by_id("quotes").xpath(f'.//a[@href="#{ORIGINAL}"]')
    entity_row = _row(tree, "entities")
    assert entity_row[:3] == ["Ana Petrović", "PERSON", "2"]
    event_row = _row(tree, "events")
    assert event_row[:2] == ["AGREE", "reopen"]


def test_report_renders_one_thousand_articles() -> None:
    paragraph = ("The council met on Tuesday and said the bridge would reopen in May. " * 8).strip()
    text = "\n".join([paragraph] * 9)[:5000]
    articles = [
        make_article(
            id=f"art_{i:016x}",
            title=f"Article {i}",
            text=text,
            removed=[{"text": "Subscribe now", "reason": "boilerplate", "at": 1000}],
            flags=["too-short"] if i % 10 == 0 else [],
            duplicate_of="art_0000000000000000" if i % 50 == 49 else None,
        )
        for i in range(1000)
    ]
    tree = parse(render_report(make_analysis(articles)))
    assert len(tree.xpath('//table[@id="article-table"]/tbody/tr')) == 1000
    assert len(tree.xpath('//details[contains(@class, "article")]')) == 1000
    assert len(tree.xpath('//label[@class="cut"]')) == 1000


def test_report_tolerates_sparse_documents() -> None:
    html = render_report({})
    assert "No articles." in html
    html = render_report({"articles": [{"text": "Only text, nothing else."}], "stats": "bad"})
    assert "Only text, nothing else." in html


def test_report_is_deterministic() -> None:
    doc = hostile_analysis()
    assert render_report(doc) == render_report(doc)


# --- writing ----------------------------------------------------------------


def test_write_report_writes_atomically(tmp_path: Path) -> None:
    doc = make_analysis([make_article()])
    target = tmp_path / "out" / "report.html"
    result = write_report(doc, target)
    assert result == target
    assert target.read_text(encoding="utf-8") == render_report(doc)
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.html"]
    assert os.stat(target).st_mode & 0o777 == 0o644
    # Overwrite in place, accepting a str path.
    write_report(make_analysis([make_article(title="New title")]), str(target))
    assert "New title" in target.read_text(encoding="utf-8")


def test_write_report_failure_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(report_html.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_report(make_analysis([make_article()]), target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


# --- story views: builders ------------------------------------------------------



def test_story_word_diff_marks_the_differing_numbers() -> None:
    left, right = story.word_diff("Police said 18 people were injured on Tuesday.",
                                  "Police said 12 people were injured on Wednesday.")
    assert [t for t, changed in left if changed] == ["18", "Tuesday"]
    assert [t for t, changed in right if changed] == ["12", "Wednesday"]
    assert "".join(t for t, _ in left) == "Police said 18 people were injured on Tuesday."
    assert "".join(t for t, _ in right) == "Police said 12 people were injured on Wednesday."


def test_story_word_diff_ignores_case_and_trims_spaces_from_changes() -> None:
    left, right = story.word_diff("The Bridge  reopens", "the bridge reopens in June")
    assert not any(changed for _, changed in left)
    assert [t for t, changed in right if changed] == ["in June"]  # one stretch, no edge spaces


def test_geo_project_maps_view_corners_to_the_svg_box() -> None:
    view = geo.View(west=0, south=-10, east=20, north=10, width=800, height=400)
    x0, y0 = geo.project(view, 0, 10)
    x1, y1 = geo.project(view, 20, -10)
    assert x0 >= 0 and y0 >= 0 and x1 <= 800 and y1 <= 400
    assert x1 > x0 and y1 > y0  # east is right, south is down
    mid = geo.project(view, 10, 0)
    assert mid == pytest.approx((400, 200))


def test_geo_fit_view_contains_every_place_with_padding() -> None:
    places = [geo.Place(id="a", name="Athens", lat=37.98, lon=23.73),
              geo.Place(id="b", name="Tehran", lat=35.69, lon=51.42)]
    view = geo.fit_view(places)
    for p in places:
        assert view.west < p.lon < view.east and view.south < p.lat < view.north
        x, y = geo.project(view, p.lon, p.lat)
        assert 20 < x < view.width - 20 and 10 < y < view.height - 10
    assert geo.MIN_HEIGHT <= view.height <= geo.MAX_HEIGHT


def test_geo_single_place_gets_a_regional_view() -> None:
    view = geo.fit_view([geo.Place(id="k", name="Kyiv", lat=50.45, lon=30.52)])
    assert view.east - view.west >= geo.MIN_SPAN and view.north - view.south >= geo.MIN_SPAN


def test_geo_clip_ring_keeps_inside_and_cuts_at_the_edge() -> None:
    square = [(-10.0, -10.0), (10.0, -10.0), (10.0, 10.0), (-10.0, 10.0)]
    clipped = geo.clip_ring(square, 0, 0, 100, 100)
    assert sorted(clipped) == sorted([(0, 0), (10, 0), (10, 10), (0, 10)])
    assert geo.clip_ring([(200.0, 200.0), (300.0, 200.0), (300.0, 300.0)], 0, 0, 100, 100) == []


def test_geo_build_map_draws_outlines_and_markers_inside_the_box() -> None:
    places = [geo.Place(id="ent_1", name="Kyiv", lat=50.45, lon=30.52, mentions=3),
              geo.Place(id="ent_2", name="Lviv", lat=49.84, lon=24.02, mentions=1),
              geo.Place(id="ent_3", name="Nowhere", lat=float("nan"), lon=400)]
    drawn = geo.build_map(places)
    assert drawn is not None
    assert [m.place.name for m in drawn.markers] == ["Kyiv", "Lviv"]  # bad coordinates dropped
    for m in drawn.markers:
        assert 0 <= m.x <= drawn.view.width and 0 <= m.y <= drawn.view.height
    names = {name for name, _ in drawn.paths}
    assert {"Ukraine", "Poland"} <= names and "Australia" not in names
    assert all(d.startswith("M") and d.endswith("z") for _, d in drawn.paths)
    assert sum(len(d) for _, d in drawn.paths) < 60_000
    assert geo.build_map([]) is None
    crowded = geo.build_map([geo.Place(id="a", name="Bangkok", lat=13.75, lon=100.5, mentions=2),
                             geo.Place(id="b", name="Thailand", lat=13.75, lon=100.5, mentions=1)])
    assert crowded is not None and [m.labelled for m in crowded.markers] == [True, False]


def test_geo_outline_file_is_small_and_public_domain() -> None:
    raw = report_html.resources.files("parallax.report").joinpath("static/world-110m.json").read_bytes()
    assert len(raw) < 300_000
    assert "public domain" in geo._outlines()["source"]
    assert len(geo._outlines()["countries"]) > 150


def _event(i: int, day: str | None, **extra: Any) -> dict[str, Any]:
    return {"id": f"evt_{i:016x}", "article": ORIGINAL, "type": "PROTEST", "trigger": "marched",
            "date": day, **extra}


def test_story_timeline_orders_by_date_and_marks_inferred() -> None:
    events = [_event(1, "2024-03-15"), _event(2, "2024-03-12", date_inferred=True),
              _event(3, None), _event(4, "2024-03"), _event(5, "0353-01-01")]
    chart = story.build_timeline(events, lambda a, x: f"#{a}--{x}")
    assert chart is not None
    by_title = {d.title.split(" ")[0]: d for d in chart.dots}
    assert by_title["2024-03-12"].x < by_title["2024-03-15"].x
    assert by_title["2024-03"].x < by_title["2024-03-12"].x  # a month is drawn at its first day
    assert by_title["2024-03-12"].hollow and not by_title["2024-03-15"].hollow
    assert len(chart.dots) == 3  # undated and far-off dates are not drawn ...
    assert "1 undated" in chart.caption and "1 with far-off dates" in chart.caption  # ... but counted
    assert chart.dots[0].href == f"#{ORIGINAL}--evt_{4:016x}"
    assert story.build_timeline([_event(1, None)], lambda a, x: None) is None


def test_story_coverage_rows_per_outlet_without_duplicates() -> None:
    articles = [make_article(id=f"art_{i:016x}", outlet=o, published=d, duplicate_of=dup)
                for i, (o, d, dup) in enumerate([("A", "2024-03-12", None), ("A", "2024-03-12", None),
                                                 ("B", "2024-03-14", None), ("C", "2024-03-14", ORIGINAL),
                                                 ("D", None, None)])]
    chart = story.build_coverage(articles, lambda a, x: f"#{a}")
    assert chart is not None
    assert [r.label for r in chart.rows] == ["A", "B"]
    big, small = chart.dots
    assert big.r > small.r and "2 articles" in big.title
    assert big.x < small.x


def _story_doc(text: str, other: str, outlet: str = "Example Daily") -> dict[str, Any]:
    sto = "sto_00000000000000f1"
    one = make_article(id=ORIGINAL, text=text, outlet=outlet, published="2024-03-14")
    two = make_article(id=COPY, text=other, outlet="Other Times", published="2024-03-15")
    return make_analysis(
        [one, two],
        entities=[{"id": "ent_00000000000000e1", "name": outlet, "type": "GPE", "aliases": [],
                   "mentions": [{"article": ORIGINAL, "start": 0, "end": 5, "text": text[:5]},
                                {"article": COPY, "start": 0, "end": 5, "text": other[:5]}],
                   "kb": {"lat": 50.45, "lon": 30.52, "kind": "city"}}],
        stories=[{"id": sto, "title": outlet, "articles": [ORIGINAL, COPY]}],
        claims=[
            {"id": "clm_0000000000000001", "story": sto, "summary": text, "outlets": 1, "kind": "number",
             "mentions": [{"article": ORIGINAL, "start": 0, "end": len(text), "text": text, "outlet": outlet}],
             "contradicts": [{"claim": "clm_0000000000000002", "reason": f"numbers differ {outlet}", "kind": "number"}]},
            {"id": "clm_0000000000000002", "story": sto, "summary": other, "outlets": 1, "kind": "number",
             "mentions": [{"article": COPY, "start": 0, "end": len(other), "text": other, "outlet": "Other Times"}],
             "contradicts": [{"claim": "clm_0000000000000001", "reason": f"numbers differ {outlet}", "kind": "number"}]},
        ],
        naming=[{"entity": "ent_00000000000000e1", "outlet": outlet, "article": ORIGINAL, "labels": [outlet]}],
    )


def test_story_view_counts_and_contradiction_sides() -> None:
    doc = _story_doc("Police said 18 people were hurt.", "Police said 12 people were hurt.")
    view = story.build_story(doc, "sto_00000000000000f1", link=lambda a, x: f"#{a}--{x}" if x else f"#{a}",
                             entity_link=lambda e: f"#{e}")
    assert view is not None
    assert view.article_count == 2 and view.outlet_count == 2 and view.contradiction_count == 1
    contested = next(c for c in view.claims if c.id == "clm_0000000000000001").contradictions[0]
    assert [t for t, c in contested.left if c] == ["18"] and [t for t, c in contested.right if c] == ["12"]
    assert contested.left_href == f"#{ORIGINAL}--clm_0000000000000001"
    assert contested.right_href == f"#{COPY}--clm_0000000000000002"
    assert view.map is not None and view.map.markers[0].place.mentions == 2
    assert story.story_summaries(doc)[0]["contradictions"] == 1
    assert story.build_story(doc, "sto_ffffffffffffffff", link=lambda a, x: None, entity_link=lambda e: None) is None


def test_report_story_links_to_highlighted_span_in_the_article() -> None:
    doc = _story_doc("Police said 18 people were hurt.", "Police said 12 people were hurt.")
    tree = parse(render_report(doc))
    section = tree.get_element_by_id("story-sto_00000000000000f1")
    link = section.get_element_by_id("story-sto_00000000000000f1-clm_0000000000000001").xpath(
        './/a[@class="claim-mention"]')[0].get("href")
    assert link == f"#{ORIGINAL}--clm_0000000000000001"
    anchor = tree.get_element_by_id(link[1:])
    assert anchor.get("class") == "anchor"
    assert anchor.getparent().xpath("ancestor::details")[0].get("id") == ORIGINAL
    marked = anchor.getnext()
    while marked.get("class") == "anchor":  # other spans starting at the same offset
        marked = marked.getnext()
    assert "hl-claim" in marked.get("class") and "Police".startswith(marked.text_content())
    sides = section.xpath('.//details[@class="contradiction"]//div[@class="side"]')
    assert sorted(s.xpath(".//mark")[0].text for s in sides) == ["12", "12", "18", "18"]  # both ways
    assert section.xpath('.//figure[contains(@class, "map")]//circle')
    assert section.xpath('.//figure[contains(@class, "coverage")]//circle')


def test_report_story_views_escape_hostile_text() -> None:
    doc = _story_doc(f"Police said 18 {PAYLOAD} were hurt.", f"Police said 12 {PAYLOAD} hurt.", outlet=PAYLOAD)
    doc["events"] = [_event(1, "2024-03-14", type=PAYLOAD, trigger=PAYLOAD, actor_text=PAYLOAD,
                            place_text=PAYLOAD, trigger_start=0, trigger_end=6),
                     _event(2, PAYLOAD, type=PAYLOAD, trigger=PAYLOAD)]
    doc["quotes"] = [{"id": "quo_0000000000000001", "article": ORIGINAL, "start": 0, "end": 6,
                      "text": PAYLOAD, "kind": PAYLOAD, "speaker": None, "speaker_text": PAYLOAD}]
    doc["omissions"] = {"sto_00000000000000f1": {PAYLOAD: ["clm_0000000000000002"]}}
    html = render_report(doc)
    _assert_nothing_injected(html)
    for payload in PAYLOADS[:4]:
        assert payload not in html
    section = parse(html).get_element_by_id("story-sto_00000000000000f1")
    assert PAYLOADS[0] in section.text_content()  # shown, as text
    for part in ("map", "timeline", "coverage", "claims", "events", "voices", "naming", "omissions"):
        assert PAYLOADS[0] in section.get_element_by_id(f"story-sto_00000000000000f1-{part}").text_content(), part


def test_report_article_text_highlights_entities_quotes_claims() -> None:
    doc = _story_doc("Kyiv police said 18 people were hurt.", "Kyiv police said 12 people were hurt.")
    tree = parse(render_report(doc))
    text = tree.get_element_by_id(ORIGINAL).xpath('.//div[contains(@class, "a-text")]')[0]
    entity = text.xpath('.//a[contains(@class, "hl-ent")]')[0]
    assert entity.text.strip() == "Kyiv" and entity.get("href") == "#ent_00000000000000e1"
    assert text.xpath('.//*[contains(@class, "hl-claim")]')


def test_story_slice_gives_the_same_view_as_the_whole_document() -> None:
    doc = _story_doc("Police said 18 people were hurt.", "Police said 12 people were hurt.")
    doc["articles"].append(make_article(id="art_00000000000000ff", text="Unrelated."))
    doc["events"] = [_event(1, "2024-03-14"), {**_event(2, "2024-03-14"), "article": "art_00000000000000ff"}]

    def view(d: dict[str, Any]) -> Any:
        return story.build_story(d, "sto_00000000000000f1", link=lambda a, x: f"#{a}--{x}",
                                 entity_link=lambda e: f"#{e}")

    (story_id, part), = story.story_slices(doc)
    assert story_id == "sto_00000000000000f1"
    assert len(part["events"]) == 1
    assert view(part) == view(doc)
