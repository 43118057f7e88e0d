"""iter_documents: every format, every failure kind, folders, symlinks and URLs."""

from __future__ import annotations

import gzip
import io
import json
import os
import socket
import time
from pathlib import Path

import httpx
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from parallax.io.fetch import Fetcher
from parallax.io.sources import iter_documents
from parallax.records import InputFailure, SourceDocument

LONG_PARAGRAPH = (
    "A firebomb attack on a bank in Greece killed at least three people today as police "
    "fought pitched battles with striking protesters furious at budget cuts."
)


# ---------------------------------------------------------------- helpers


def read(*inputs, **options) -> list[SourceDocument | InputFailure]:
    return list(iter_documents([str(i) for i in inputs], **options))


def only_doc(*inputs, **options) -> SourceDocument:
    outcomes = read(*inputs, **options)
    assert len(outcomes) == 1, outcomes
    assert isinstance(outcomes[0], SourceDocument), outcomes[0]
    return outcomes[0]


def only_failure(*inputs, **options) -> InputFailure:
    outcomes = read(*inputs, **options)
    assert len(outcomes) == 1, outcomes
    assert isinstance(outcomes[0], InputFailure), outcomes[0]
    return outcomes[0]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# ---------------------------------------------------------------- plain text


def test_txt_leading_url_title_and_date_become_fields(tmp_path):
    path = write(
        tmp_path / "greek.txt",
        "http://www.thenational.ae/news/world/europe/three-killed\n"
        "Three killed as rioters bomb Greek bank\n"
        "May 5, 2010\n\n"
        f"{LONG_PARAGRAPH}\n\nSecond paragraph.\n",
    )
    doc = only_doc(path)
    assert doc.format == "txt"
    assert doc.input == str(path)
    assert doc.title == "Three killed as rioters bomb Greek bank"
    assert doc.url == "http://www.thenational.ae/news/world/europe/three-killed"
    assert doc.published == "2010-05-05"
    assert doc.text == f"{LONG_PARAGRAPH}\n\nSecond paragraph."


def test_txt_tokenized_labelled_date_line(tmp_path):
    path = write(
        tmp_path / "a.txt",
        "Pirates seized off Somalia\nFirst Published : June 13 , 2013 4 : 59 PM EDT\n\n"
        + LONG_PARAGRAPH,
    )
    doc = only_doc(path)
    assert (doc.title, doc.published, doc.text) == (
        "Pirates seized off Somalia",
        "2013-06-13",
        LONG_PARAGRAPH,
    )


def test_txt_date_before_title_and_byline(tmp_path):
    path = write(
        tmp_path / "a.txt",
        "21 July 2013 Last updated at 11:11 GMT\nWaitrose fire in Wellington tackled\n"
        "By Jane Doe and John Roe\n\n" + LONG_PARAGRAPH,
    )
    doc = only_doc(path)
    assert doc.published == "2013-07-21"
    assert doc.title == "Waitrose fire in Wellington tackled"
    assert doc.authors == ("Jane Doe", "John Roe")
    assert doc.text == LONG_PARAGRAPH


def test_txt_starting_with_a_sentence_has_no_title(tmp_path):
    path = write(tmp_path / "a.txt", f"{LONG_PARAGRAPH}\n\nMore text here.")
    doc = only_doc(path)
    assert doc.title is None
    assert doc.text == f"{LONG_PARAGRAPH}\n\nMore text here."


def test_txt_all_caps_dateline_is_not_a_title(tmp_path):
    path = write(tmp_path / "a.txt", "WASHINGTON\n\n" + LONG_PARAGRAPH)
    doc = only_doc(path)
    assert doc.title is None
    assert doc.text.startswith("WASHINGTON\n\nA firebomb")


def test_txt_hard_wrapped_paragraph_is_not_a_title(tmp_path):
    text = (
        "The minister said on Tuesday that the talks would continue next week in\n"
        "Brussels, where delegations from both sides are expected to meet again.\n"
    )
    doc = only_doc(write(tmp_path / "a.txt", text))
    assert doc.title is None
    assert doc.text == text.strip()


def test_txt_doubtful_date_line_stays_in_body(tmp_path):
    path = write(
        tmp_path / "a.txt", "Talks collapse\nPublished: sometime last week\n\n" + LONG_PARAGRAPH
    )
    doc = only_doc(path)
    assert doc.title == "Talks collapse"
    assert doc.published is None
    assert doc.text.startswith("Published: sometime last week\n\nA firebomb")


def test_txt_markdown_heading_is_title(tmp_path):
    doc = only_doc(write(tmp_path / "story.md", "# Quake hits Iran\nA strong quake hit.\n"))
    assert (doc.title, doc.text) == ("Quake hits Iran", "A strong quake hit.")


def test_txt_single_line_is_body_not_title(tmp_path):
    doc = only_doc(write(tmp_path / "a.txt", "Just one short line"))
    assert (doc.title, doc.text) == (None, "Just one short line")


def test_txt_crlf_newlines_are_normalised(tmp_path):
    doc = only_doc(write(tmp_path / "a.txt", b"Headline here\r\n\r\nBody one.\r\nBody two.\r\n"))
    assert (doc.title, doc.text) == ("Headline here", "Body one.\nBody two.")


# ---------------------------------------------------------------- encodings


FRENCH = "Le café du coin a fermé. Élodie était très déçue, mais la boulangère a souri."


@pytest.mark.parametrize(
    ("encoding", "prefix", "note"),
    [
        ("latin-1", b"", "decoded as windows-1252 (detected)"),
        ("cp1252", b"", "decoded as windows-1252 (detected)"),
        ("utf-16", b"", "decoded as utf-16-le (byte-order mark)"),
        ("utf-8", b"\xef\xbb\xbf", None),
    ],
)
def test_encodings_are_decoded_with_a_note(tmp_path, encoding, prefix, note):
    text = "Café fermé\n\n" + FRENCH + (" \u201cOui\u201d." if encoding == "cp1252" else "")
    doc = only_doc(write(tmp_path / "fr.txt", prefix + text.encode(encoding)))
    assert doc.title == "Café fermé"
    assert doc.text == text.split("\n\n", 1)[1]
    assert doc.notes == ((note,) if note else ())


def test_shift_jis_text_file(tmp_path):
    japanese = "東京で大きな地震がありました。政府は緊急会議を開き、被害の状況を確認しています。"
    doc = only_doc(write(tmp_path / "jp.txt", japanese.encode("shift_jis")))
    assert doc.text == japanese
    assert doc.notes[0] in ("decoded as shift-jis (detected)", "decoded as cp932 (detected)")


def test_nul_bytes_are_stripped_and_noted(tmp_path):
    doc = only_doc(write(tmp_path / "a.txt", b"Some\x00 news text with a stray NUL."))
    assert doc.text == "Some news text with a stray NUL."
    assert doc.notes == ("removed 1 NUL byte",)


# ---------------------------------------------------------------- HTML


PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>Greek bank fire</title>
<meta property="og:url" content="https://news.example/og-url">
<link rel="canonical" href="https://news.example/greek-bank-fire">
</head><body><article><h1>Greek bank fire</h1><p>Three people died.</p></article></body></html>
"""


def test_html_page_keeps_markup_and_canonical_url(tmp_path):
    doc = only_doc(write(tmp_path / "page.html", PAGE))
    assert doc.format == "html"
    assert doc.html == PAGE
    assert doc.text is None
    assert doc.url == "https://news.example/greek-bank-fire"
    assert doc.language == "en-GB"


def test_html_og_url_when_no_canonical(tmp_path):
    page = PAGE.replace('<link rel="canonical" href="https://news.example/greek-bank-fire">', "")
    assert only_doc(write(tmp_path / "page.htm", page)).url == "https://news.example/og-url"


def test_html_truncated_page_still_yields_html(tmp_path):
    cut = PAGE[: PAGE.index("<p>Three") + 12]
    doc = only_doc(write(tmp_path / "cut.html", cut))
    assert doc.html == cut
    assert doc.url == "https://news.example/greek-bank-fire"


def test_html_meta_charset_is_honoured(tmp_path):
    page = '<html><head><meta charset="windows-1252"></head><body><p>\u201cNon\u201d, dit-il.</p>'
    doc = only_doc(write(tmp_path / "fr.html", page.encode("cp1252")))
    assert "\u201cNon\u201d, dit-il." in doc.html
    assert doc.notes == ("decoded as windows-1252 (declared)",)


def test_text_file_holding_html_is_read_as_html(tmp_path):
    doc = only_doc(write(tmp_path / "saved.txt", PAGE))
    assert doc.format == "html"
    assert doc.html == PAGE
    assert doc.notes == ("file named as text holds an HTML page; read it as HTML",)


# ---------------------------------------------------------------- JSON


def test_json_news_please_record(tmp_path):
    record = {
        "title": "Navy foils pirate attack",
        "maintext": LONG_PARAGRAPH,
        "date_publish": "2011-11-11 20:09:00",
        "date_download": "2020-01-01 00:00:00",
        "source_domain": "www.thehindu.com",
        "url": "https://www.thehindu.com/news/navy",
        "authors": ["Staff Reporter"],
        "language": "en",
        "description": "Teaser",
    }
    doc = only_doc(write(tmp_path / "np.json", json.dumps(record)))
    assert doc.format == "json"
    assert doc.input == str(tmp_path / "np.json")
    assert (doc.title, doc.text, doc.published) == (
        "Navy foils pirate attack",
        LONG_PARAGRAPH,
        "2011-11-11",
    )
    assert (doc.outlet, doc.url, doc.authors, doc.language) == (
        "www.thehindu.com",
        "https://www.thehindu.com/news/navy",
        ("Staff Reporter",),
        "en",
    )


def test_json_newspaper_export(tmp_path):
    record = {
        "text": LONG_PARAGRAPH,
        "title": "Quake in Iran",
        "publish_date": "2005-11-27T22:30:00-05:00",
        "authors": ["Ali Akbar", "Jane Roe"],
        "url": "https://www.bbc.co.uk/news/iran",
        "source_url": "https://www.bbc.co.uk",
        "meta_lang": "en",
    }
    doc = only_doc(write(tmp_path / "n3k.json", json.dumps(record)))
    assert doc.published == "2005-11-27"  # the day the outlet printed, not UTC's
    assert doc.outlet == "www.bbc.co.uk"
    assert doc.authors == ("Ali Akbar", "Jane Roe")
    assert doc.language == "en"


def test_json_generic_fields_publisher_object_and_rfc2822_date(tmp_path):
    record = {
        "headline": "Fire at Waitrose",
        "body": LONG_PARAGRAPH,
        "pubDate": "Mon, 22 Jul 2013 10:24:00 +0100",
        "publisher": {"@type": "Organization", "name": "ITV News"},
        "author": {"name": "Sam Smith"},
    }
    doc = only_doc(write(tmp_path / "g.json", json.dumps(record)))
    assert (doc.title, doc.text, doc.published) == (
        "Fire at Waitrose",
        LONG_PARAGRAPH,
        "2013-07-22",
    )
    assert (doc.outlet, doc.authors) == ("ITV News", ("Sam Smith",))


def test_json_epoch_date_and_html_field(tmp_path):
    record = {"html": "<p>Hello</p>", "published": 1371157140, "site_name": "Example"}
    doc = only_doc(write(tmp_path / "e.json", json.dumps(record)))
    assert (doc.html, doc.text, doc.published, doc.outlet) == (
        "<p>Hello</p>",
        None,
        "2013-06-13",
        "Example",
    )


def test_json_text_field_holding_markup_becomes_html(tmp_path):
    record = {
        "content": {"rendered": "<p>First.</p><p>Second.</p>"},
        "title": {"rendered": "WP post"},
    }
    doc = only_doc(write(tmp_path / "wp.json", json.dumps(record)))
    assert doc.html == "<p>First.</p><p>Second.</p>"
    assert doc.title == "WP post"
    assert doc.notes == ('field "content" holds HTML; read it as HTML',)


def test_json_list_gives_one_document_per_item_with_locators(tmp_path):
    items = [
        {"title": "One", "text": "First."},
        {"foo": 1, "bar": 2},
        "oops",
        {"title": "Three", "body": "Third."},
    ]
    outcomes = read(write(tmp_path / "list.json", json.dumps(items)))
    base = str(tmp_path / "list.json")
    assert [o.input for o in outcomes] == [f"{base}#item={n}" for n in (1, 2, 3, 4)]
    assert outcomes[0].title == "One" and outcomes[3].text == "Third."
    assert outcomes[1].error == "JSON object has no text or html field (fields: bar, foo)"
    assert outcomes[2].error == "expected an article object, got a string"


def test_json_wrapper_object_with_articles_list(tmp_path):
    wrapped = {
        "status": "ok",
        "articles": [{"title": "A", "content": "Alpha."}, {"title": "B", "content": "Beta."}],
    }
    outcomes = read(write(tmp_path / "api.json", json.dumps(wrapped)))
    assert [(o.input.rsplit("#", 1)[1], o.text) for o in outcomes] == [
        ("item=1", "Alpha."),
        ("item=2", "Beta."),
    ]


def test_json_malformed_names_line_column_and_error(tmp_path):
    broken = '{\n  "title": "A",\n  "text": "B"\n    "url": "C"\n}'
    failure = only_failure(write(tmp_path / "bad.json", broken))
    assert failure.error == "malformed JSON at line 4, column 5: Expecting ',' delimiter"


def test_json_short_description_only_is_not_an_article(tmp_path):
    record = {"title": "T", "maintext": None, "description": "A short teaser."}
    failure = only_failure(write(tmp_path / "d.json", json.dumps(record)))
    assert failure.error == 'JSON object has only a 15-character "description", no article text'


def test_json_empty_text_field_is_named(tmp_path):
    failure = only_failure(write(tmp_path / "d.json", json.dumps({"title": "T", "maintext": ""})))
    assert failure.error == 'JSON object has an empty "maintext" field and no other text or html'


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("42", "JSON holds a number; expected an article object or a list of them"),
        ("[]", "JSON list is empty: no articles"),
        ('"text"', "JSON holds a string; expected an article object or a list of them"),
    ],
)
def test_json_wrong_top_level_values(tmp_path, content, error):
    assert only_failure(write(tmp_path / "x.json", content)).error == error


def test_json_file_holding_json_lines_is_read_as_jsonl(tmp_path):
    lines = '{"title": "A", "text": "Alpha."}\n{"title": "B", "text": "Beta."}\n'
    outcomes = read(write(tmp_path / "x.json", lines))
    assert [o.input.rsplit("#", 1)[1] for o in outcomes] == ["line=1", "line=2"]
    assert outcomes[1].notes == ("file holds one JSON object per line; read it as JSON Lines",)


# ---------------------------------------------------------------- JSON Lines


def test_jsonl_good_lines_survive_a_bad_one(tmp_path):
    content = (
        '{"title": "A", "maintext": "Alpha text."}\n'
        '{"title": "B", "maintext": "Beta" "oops"}\n'
        "\n"
        "[1, 2]\n"
        '{"title": "D", "maintext": "Delta text."}\n'
    )
    path = write(tmp_path / "dump.jsonl", content)
    outcomes = read(path)
    assert [o.input for o in outcomes] == [f"{path}#line={n}" for n in (1, 2, 4, 5)]
    assert [o.title for o in outcomes if isinstance(o, SourceDocument)] == ["A", "D"]
    assert outcomes[0].format == "jsonl"
    assert outcomes[1].error == "line 2: malformed JSON at column 35: Expecting ',' delimiter"
    assert outcomes[2].error == "line 4: expected an article object, got a list"


def test_ndjson_gzipped(tmp_path):
    lines = "\n".join(json.dumps({"title": f"T{n}", "text": f"Body {n}."}) for n in (1, 2))
    path = write(tmp_path / "dump.ndjson.gz", gzip.compress(lines.encode()))
    outcomes = read(path)
    assert [(o.input, o.text) for o in outcomes] == [
        (f"{path}#line=1", "Body 1."),
        (f"{path}#line=2", "Body 2."),
    ]


def test_corrupt_gzip_is_a_failure(tmp_path):
    data = gzip.compress(b'{"text": "x"}' * 100)
    failure = only_failure(write(tmp_path / "dump.jsonl.gz", data[: len(data) // 2]))
    assert failure.error == "gzip data is truncated"


# ---------------------------------------------------------------- feeds


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Wikinews</title><link>https://en.wikinews.org/</link><language>en</language>
<item>
  <title>Penske to buy Saturn</title>
  <link>https://en.wikinews.org/wiki/Penske</link>
  <pubDate>Fri, 05 Jun 2009 23:30:00 -0400</pubDate>
  <dc:creator>Wiki Reporter</dc:creator>
  <description>GM announced a sale.</description>
  <content:encoded><![CDATA[<p>General Motors announced on Friday that Penske was selected.</p>
<p>More.</p>]]></content:encoded>
</item>
<item>
  <title>Teaser only</title>
  <link>https://en.wikinews.org/wiki/Teaser</link>
  <description>Only a short teaser sentence here.</description>
</item>
<item>
  <title>Long plain description</title>
  <link>https://en.wikinews.org/wiki/Long</link>
  <description>{long}</description>
</item>
</channel></rss>
""".replace("{long}", "Words of a full article in the description field. " * 12)


def test_rss_items_become_documents_and_teasers_failures(tmp_path):
    path = write(tmp_path / "feed.rss", RSS)
    first, teaser, long_item = read(path)
    assert first.input == f"{path}#item=1"
    assert first.format == "rss"
    assert (
        first.html
        == "<p>General Motors announced on Friday that Penske was selected.</p>\n<p>More.</p>"
    )
    assert (first.title, first.url, first.published) == (
        "Penske to buy Saturn",
        "https://en.wikinews.org/wiki/Penske",
        "2009-06-05",
    )
    assert (first.authors, first.outlet, first.language) == (("Wiki Reporter",), "Wikinews", "en")
    assert teaser.input == f"{path}#item=2"
    assert teaser.error == (
        "feed item has only a 34-character summary, no article content; "
        "fetch its link instead: https://en.wikinews.org/wiki/Teaser"
    )
    assert long_item.text.startswith("Words of a full article")
    assert long_item.html is None


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example Times</title>
  <entry>
    <title>Storm hits coast</title>
    <link href="https://times.example/storm"/>
    <updated>2024-03-01T08:00:00Z</updated>
    <author><name>Ann Lee</name></author>
    <content type="html">&lt;p&gt;The storm made landfall at dawn.&lt;/p&gt;
      &lt;p&gt;Two dead.&lt;/p&gt;</content>
  </entry>
</feed>
"""


def test_atom_feed_in_xml_file(tmp_path):
    doc = only_doc(write(tmp_path / "times.xml", ATOM))
    assert doc.format == "rss"
    assert doc.input.endswith("times.xml#item=1")
    assert doc.html == "<p>The storm made landfall at dawn.</p>\n      <p>Two dead.</p>"
    assert (doc.title, doc.url, doc.published, doc.authors, doc.outlet) == (
        "Storm hits coast",
        "https://times.example/storm",
        "2024-03-01",
        ("Ann Lee",),
        "Example Times",
    )


def test_feed_sniffed_without_extension(tmp_path):
    doc = only_doc(write(tmp_path / "atomfeed", ATOM))
    assert (doc.format, doc.title) == ("rss", "Storm hits coast")


def test_malformed_feed_reports_parser_message(tmp_path):
    broken = '<rss version="2.0"><channel><title>News & Views</title></channel></rss>'
    failure = only_failure(write(tmp_path / "broken.rss", broken))
    assert failure.error == "malformed feed: line 1, column 41: not well-formed (invalid token)"


def test_xml_sitemap_is_not_a_feed(tmp_path):
    sitemap = '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.example/1</loc></url></urlset>'
    failure = only_failure(write(tmp_path / "sitemap.xml", sitemap))
    assert failure.error == (
        "XML file is not an RSS or Atom feed (root element <urlset>); "
        "it is a sitemap: pass the article URLs instead"
    )


# ---------------------------------------------------------------- WARC


def warc_bytes(records, *, gzipped=False) -> bytes:
    """Build a WARC; records are (kind, url, status, content type, body) tuples."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    for kind, url, status, content_type, body in records:
        if kind == "response":
            headers = StatusAndHeaders(
                status, [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
        else:
            record = writer.create_warc_record(
                url, kind, payload=io.BytesIO(body), warc_content_type=content_type
            )
        writer.write_record(record)
    return buffer.getvalue()


CRAWL = [
    ("warcinfo", "", "", "application/warc-fields", b"software: test\r\n"),
    (
        "response",
        "https://news.example/a",
        "200 OK",
        "text/html; charset=utf-8",
        "<html><body><p>Caf\u00e9 A</p></body></html>".encode(),
    ),
    ("response", "https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n0000"),
    (
        "response",
        "https://news.example/missing",
        "404 Not Found",
        "text/html",
        b"<html>gone</html>",
    ),
    (
        "response",
        "https://news.example/b",
        "200 OK",
        "text/html; charset=windows-1252",
        "<p>\u201cB\u201d</p>".encode("cp1252"),
    ),
]


@pytest.mark.parametrize("gzipped", [False, True])
def test_warc_html_responses_become_documents(tmp_path, gzipped):
    name = "crawl.warc.gz" if gzipped else "crawl.warc"
    path = write(tmp_path / name, warc_bytes(CRAWL, gzipped=gzipped))
    outcomes = read(path)
    assert [o.input for o in outcomes] == [f"{path}#record=2", f"{path}#record=5"]
    first, second = outcomes
    assert (first.format, first.url, first.html) == (
        "warc",
        "https://news.example/a",
        "<html><body><p>Caf\u00e9 A</p></body></html>",
    )
    assert second.html == "<p>\u201cB\u201d</p>"
    assert second.notes == ("decoded as windows-1252 (declared)",)


def test_warc_gzipped_as_a_whole_file(tmp_path):
    path = write(tmp_path / "crawl.warc.gz", gzip.compress(warc_bytes(CRAWL)))
    assert [o.input for o in read(path)] == [f"{path}#record=2", f"{path}#record=5"]


def test_warc_sniffed_without_extension(tmp_path):
    outcomes = read(write(tmp_path / "crawl.bin", warc_bytes(CRAWL, gzipped=True)))
    assert [o.url for o in outcomes] == ["https://news.example/a", "https://news.example/b"]


def test_warc_without_pages_says_what_it_holds(tmp_path):
    failure = only_failure(write(tmp_path / "images.warc", warc_bytes(CRAWL[2:4])))
    assert failure.error == (
        "WARC holds no HTML pages with a 2xx status among its 2 records "
        "(1 HTTP 404 response, 1 non-HTML response)"
    )


def test_warc_truncated_keeps_pages_before_the_break(tmp_path):
    data = warc_bytes(CRAWL)
    cut = data[: data.index(b"<p>\x93B")]  # in the middle of the last record
    path = write(tmp_path / "cut.warc", cut)
    outcomes = read(path)
    assert isinstance(outcomes[0], SourceDocument)
    assert outcomes[0].url == "https://news.example/a"
    assert outcomes[-1].input == f"{path}#record=5"
    assert (
        outcomes[-1].error
        == "WARC is truncated: record 5 is cut off; the 1 page before it was read"
    )


def test_warc_truncated_in_a_header_reports_the_break(tmp_path):
    data = warc_bytes(CRAWL)
    cut = data[: data.index(b"WARC-Target-URI: https://news.example/b") + 10]
    outcomes = read(write(tmp_path / "cut.warc", cut))
    assert isinstance(outcomes[0], SourceDocument)
    assert isinstance(outcomes[-1], InputFailure)
    assert (
        "WARC is corrupt or truncated at record 5" in outcomes[-1].error
        or "truncated: record 5" in outcomes[-1].error
    )


def test_warc_garbage_after_magic_is_corrupt(tmp_path):
    failure = only_failure(
        write(tmp_path / "bad.warc", b"WARC/1.0\r\nthis is not a header\r\n\r\n")
    )
    assert failure.error.startswith("WARC is corrupt or truncated at record 1")


# ---------------------------------------------------------------- failures


def test_missing_path_is_not_found(tmp_path):
    assert only_failure(tmp_path / "nope.txt").error == "not found (no such file or folder)"


def test_missing_path_that_looks_like_a_url_gets_a_hint():
    failure = only_failure("www.example.com/news/story")
    assert failure.error == "not found (did you mean the URL https://www.example.com/news/story ?)"


def test_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    write(tmp_path / "empty" / ".hidden.txt", "secret")
    failure = only_failure(tmp_path / "empty")
    assert failure.error.startswith("is a directory with no supported files")


def test_empty_file(tmp_path):
    assert only_failure(write(tmp_path / "e.txt", b"")).error == "empty file"


def test_whitespace_only_file(tmp_path):
    assert (
        only_failure(write(tmp_path / "w.json", " \n\t\r\n ")).error
        == "empty file (only whitespace)"
    )


def test_binary_png_named_txt(tmp_path):
    failure = only_failure(write(tmp_path / "photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(100)))
    assert failure.error == "binary file (looks like PNG image), not an article"


def test_binary_control_bytes_without_extension(tmp_path):
    failure = only_failure(write(tmp_path / "blob", bytes(range(32)) * 20))
    assert failure.error == "binary file (81% control bytes), not an article"


def test_stylesheet_is_not_an_article(tmp_path):
    failure = only_failure(write(tmp_path / "site.css", "body { color: red; }"))
    assert failure.error == "is a CSS stylesheet, not an article"


def test_oversize_file_is_refused_without_reading(tmp_path):
    failure = only_failure(write(tmp_path / "big.txt", b"x" * 200), max_bytes=100)
    assert failure.error == "file is 200 bytes, over the 100-byte limit (raise --max-bytes)"


def test_oversize_file_message_in_megabytes(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(80 * 1024 * 1024)  # sparse: no disk used, nothing read
    assert only_failure(path).error == "file is 80 MB, over the 64 MB limit (raise --max-bytes)"


def test_unreadable_file_permission_denied(tmp_path):
    path = write(tmp_path / "secret.txt", "Top secret")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: chmod cannot make a file unreadable")
        assert only_failure(path).error == "permission denied (make it readable, e.g. chmod a+r)"
    finally:
        path.chmod(0o644)


def test_permission_error_on_open_becomes_failure(tmp_path, monkeypatch):
    path = write(tmp_path / "secret.txt", "Top secret")
    import builtins

    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):
        if os.fspath(file) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    assert only_failure(path).error == "permission denied (make it readable, e.g. chmod a+r)"


def test_named_pipe_is_skipped(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert only_failure(fifo).error == "is a named pipe, not a regular file; skipped"


@pytest.mark.parametrize("scheme", ["ftp://example.com/a.txt", "file:///etc/passwd"])
def test_other_url_schemes_are_refused(scheme):
    assert "unsupported URL scheme" in only_failure(scheme).error


def test_awkward_file_names(tmp_path):
    names = [
        "with space.txt",
        "Zürich \u2013 東京.txt",
        "$(rm -rf ~); echo `x` & 'q' \"d\" |*?.txt",
    ]
    for name in names:
        write(tmp_path / name, f"Title {len(name)}\n\n{LONG_PARAGRAPH}")
    outcomes = read(tmp_path)
    assert sorted(o.input for o in outcomes) == sorted(str(tmp_path / n) for n in names)
    assert all(isinstance(o, SourceDocument) and o.text == LONG_PARAGRAPH for o in outcomes)


def test_every_input_is_accounted_for_even_when_all_are_bad(tmp_path):
    inputs = [
        tmp_path / "missing",
        write(tmp_path / "e.txt", b""),
        write(tmp_path / "b.bin", b"\x7fELF" + bytes(9)),
    ]
    outcomes = read(*inputs)
    assert [o.input for o in outcomes] == [str(i) for i in inputs]
    assert all(isinstance(o, InputFailure) for o in outcomes)


# ---------------------------------------------------------------- folders and symlinks


def test_folder_is_walked_sorted_and_hidden_entries_skipped(tmp_path):
    root = tmp_path / "corpus"
    write(root / "b.txt", "B title\n\nBody B.")
    write(root / "a.txt", "A title\n\nBody A.")
    write(root / "sub" / "c.txt", "C title\n\nBody C.")
    write(root / ".git" / "config", "[core]")
    write(root / ".notes.txt", "hidden")
    outcomes = read(root)
    assert [o.input for o in outcomes] == [
        str(root / "a.txt"),
        str(root / "b.txt"),
        str(root / "sub" / "c.txt"),
    ]
    assert [o.title for o in outcomes] == ["A title", "B title", "C title"]


def test_folder_label_keeps_the_path_as_given(tmp_path, monkeypatch):
    write(tmp_path / "corpus" / "a.txt", "Hello\n\nWorld.")
    monkeypatch.chdir(tmp_path)
    assert [o.input for o in read("corpus/")] == ["corpus/a.txt"]


def test_symlink_skipped_by_default(tmp_path):
    root = tmp_path / "corpus"
    target = write(root / "real.txt", "Real\n\nBody.")
    (root / "link.txt").symlink_to(target)
    outcomes = read(root)
    assert [o.input for o in outcomes] == [str(root / "link.txt"), str(root / "real.txt")]
    assert outcomes[0].error.startswith("is a symlink; skipped (use --follow-symlinks")


def test_symlink_inside_folder_followed_when_asked(tmp_path):
    root = tmp_path / "corpus"
    target = write(root / "real.txt", "Real\n\nBody.")
    (root / "link.txt").symlink_to(target)
    outcomes = read(root, follow_symlinks=True)
    assert [(o.input, o.text) for o in outcomes] == [
        (str(root / "link.txt"), "Body."),
        (str(root / "real.txt"), "Body."),
    ]


def test_symlink_out_of_folder_never_followed(tmp_path):
    secret = write(tmp_path / "outside" / "secret.txt", "Secret\n\nDo not read.")
    root = tmp_path / "corpus"
    write(root / "a.txt", "A\n\nBody.")
    (root / "escape.txt").symlink_to(secret)
    (root / "escape_dir").symlink_to(secret.parent, target_is_directory=True)
    outcomes = read(root, follow_symlinks=True)
    assert [o.input for o in outcomes] == [
        str(root / "a.txt"),
        str(root / "escape.txt"),
        str(root / "escape_dir"),
    ]
    assert all("Do not read" not in (getattr(o, "text", "") or "") for o in outcomes)
    assert outcomes[1].error == f"is a symlink pointing outside {root} (to {secret}); not followed"
    assert outcomes[2].error.startswith("is a symlink pointing outside")


def test_symlink_loop_is_not_walked_twice(tmp_path):
    root = tmp_path / "corpus"
    write(root / "sub" / "a.txt", "A\n\nBody.")
    (root / "sub" / "again").symlink_to(root, target_is_directory=True)
    outcomes = read(root, follow_symlinks=True)
    assert [o.input for o in outcomes] == [str(root / "sub" / "a.txt"), str(root / "sub" / "again")]
    assert outcomes[1].error.startswith("is a symlink to a folder already read")


def test_broken_symlink_with_follow(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "dead.txt").symlink_to(root / "gone.txt")
    assert (
        only_failure(root, follow_symlinks=True).error
        == "is a broken symlink (its target is missing)"
    )


def test_unknown_extensions_are_sniffed(tmp_path):
    root = tmp_path / "mixed"
    write(root / "1-page", PAGE)
    write(root / "2-record", json.dumps({"title": "J", "text": "Json body."}))
    write(root / "3-plain", "Plain title\n\nPlain body.")
    outcomes = read(root)
    assert [o.format for o in outcomes] == ["html", "json", "txt"]
    assert outcomes[1].text == "Json body."
    assert outcomes[2].title == "Plain title"


def test_fifty_megabyte_single_line_file_is_fast(tmp_path):
    path = tmp_path / "huge.txt"
    line = ("word " * 10_000_000)[:50_000_000]
    path.write_text(line, encoding="ascii")
    start = time.perf_counter()
    doc = only_doc(path)
    elapsed = time.perf_counter() - start
    assert len(doc.text) == len(line.strip())
    assert doc.title is None
    assert elapsed < 10, f"took {elapsed:.1f} s"


# ---------------------------------------------------------------- URLs


def url_fetcher(routes: dict[str, httpx.Response], table: dict[str, str] | None = None) -> Fetcher:
    def handler(request: httpx.Request) -> httpx.Response:
        return routes.get(str(request.url), httpx.Response(404))

    table = table if table is not None else {"news.example": "93.184.215.14"}

    def resolve(host, port):
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (table[host], port))]

    return Fetcher(transport=httpx.MockTransport(handler), resolver=resolve)


def test_url_html_page_becomes_url_document():
    page = PAGE.replace("https://news.example/greek-bank-fire", "/greek-bank-fire")
    fetcher = url_fetcher({"https://news.example/p?id=1": httpx.Response(200, html=page)})
    doc = only_doc("https://news.example/p?id=1", fetcher=fetcher)
    assert (doc.format, doc.input, doc.html) == ("url", "https://news.example/p?id=1", page)
    assert doc.url == "https://news.example/greek-bank-fire"  # relative canonical made absolute


def test_url_plain_text_page():
    fetcher = url_fetcher(
        {"https://news.example/t": httpx.Response(200, text="Plain news\n\nBody text.")}
    )
    doc = only_doc("https://news.example/t", fetcher=fetcher)
    assert (doc.format, doc.title, doc.text, doc.url) == (
        "url",
        "Plain news",
        "Body text.",
        "https://news.example/t",
    )


def test_url_feed_items_are_located():
    feed = httpx.Response(
        200, content=ATOM.encode(), headers={"content-type": "application/atom+xml"}
    )
    fetcher = url_fetcher({"https://news.example/feed": feed})
    doc = only_doc("https://news.example/feed", fetcher=fetcher)
    assert (doc.input, doc.format, doc.title) == (
        "https://news.example/feed#item=1",
        "rss",
        "Storm hits coast",
    )


def test_url_failures_do_not_stop_the_run(tmp_path):
    fetcher = url_fetcher(
        {"https://news.example/ok": httpx.Response(200, html="<p>fine</p>")},
        {"news.example": "93.184.215.14", "intranet.example": "10.0.0.1"},
    )
    inputs = [
        "http://intranet.example/admin",
        "https://nowhere.example/",
        "https://news.example/missing",
        "https://news.example/ok",
    ]
    outcomes = list(iter_documents(inputs, fetcher=fetcher))
    assert [o.input for o in outcomes] == inputs
    assert "intranet.example resolves to 10.0.0.1, a private address" in outcomes[0].error
    assert (
        outcomes[1].error == "could not reach nowhere.example: name resolution failed (no network?)"
    )
    assert outcomes[2].error == "HTTP 404 Not Found from https://news.example/missing"
    assert outcomes[3].html == "<p>fine</p>"


def test_url_allow_private_flag_reaches_the_fetcher():
    fetcher = url_fetcher({"http://intranet.example/": httpx.Response(200, html="<p>in</p>")}, {})
    doc = only_doc("http://intranet.example/", fetcher=fetcher, allow_private=True)
    assert doc.html == "<p>in</p>"


def test_url_max_bytes_flag_reaches_the_fetcher():
    fetcher = url_fetcher(
        {"https://news.example/big": httpx.Response(200, html="<p>" + "x" * 500 + "</p>")}
    )
    failure = only_failure("https://news.example/big", fetcher=fetcher, max_bytes=100)
    assert failure.error == (
        "https://news.example/big is 507 bytes, over the 100-byte limit (raise --max-bytes)"
    )


def test_url_binary_response_is_refused():
    png = httpx.Response(
        200, content=b"\x89PNG\r\n\x1a\n" + bytes(50), headers={"content-type": "image/png"}
    )
    fetcher = url_fetcher({"https://news.example/logo.png": png})
    failure = only_failure("https://news.example/logo.png", fetcher=fetcher)
    assert failure.error == "binary file (looks like PNG image), not an article"


def test_iter_documents_accepts_a_bare_path(tmp_path):
    path = write(tmp_path / "a.txt", "Title\n\nBody.")
    assert [o.input for o in iter_documents(path)] == [str(path)]


def test_gzip_bomb_stops_at_the_limit(tmp_path):
    bomb = gzip.compress(b"a" * 3_000_000)
    failure = only_failure(write(tmp_path / "bomb.txt.gz", bomb), max_bytes=1 << 20)
    assert failure.error == (
        "decompressed content is more than 1 MB, over the 1 MB limit (raise --max-bytes)"
    )


def test_txt_setext_underlined_title(tmp_path):
    doc = only_doc(write(tmp_path / "a.md", "Storm warning\n=============\n\nRain all week."))
    assert (doc.title, doc.text) == ("Storm warning", "Rain all week.")
