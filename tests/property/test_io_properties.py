"""Invariants of the input edge under arbitrary input (hypothesis)."""

from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from parallax.io.dates import to_iso_date
from parallax.io.decode import decode_bytes, sniff_binary
from parallax.io.plaintext import split_header
from parallax.io.sources import iter_documents
from parallax.records import InputFailure, SourceDocument

DECLARED = st.sampled_from(
    [None, "utf-8", "latin-1", "windows-1252", "shift_jis", "utf-16", "bogus"]
)


@given(st.binary(max_size=3000), DECLARED)
def test_decode_bytes_never_raises_and_normalises(data, declared):
    text, note = decode_bytes(data, declared)
    assert isinstance(text, str)
    assert "\x00" not in text
    assert "\r" not in text
    assert note is None or isinstance(note, str)
    assert sniff_binary(data) is None or isinstance(sniff_binary(data), str)


@given(st.text(max_size=500), st.sampled_from(["utf-8", "utf-16", "utf-32"]))
def test_decode_bytes_round_trips_text_with_a_bom_or_in_utf8(text, encoding):
    assume(not (encoding == "utf-16" and text.startswith("\x00")))  # reads as a UTF-32 BOM
    expected = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    if encoding == "utf-8" and text.startswith("\ufeff"):
        expected = expected[1:]  # a leading U+FEFF in UTF-8 is a byte-order mark
    assert decode_bytes(text.encode(encoding))[0] == expected


@given(
    st.one_of(
        st.text(max_size=80), st.integers(), st.floats(allow_nan=True), st.none(), st.booleans()
    )
)
def test_to_iso_date_never_raises_and_returns_a_real_date(value):
    iso = to_iso_date(value)
    assert iso is None or date.fromisoformat(iso).isoformat() == iso


@given(st.text(max_size=600))
def test_split_header_never_raises_and_keeps_the_body(text):
    parts = split_header(text)
    assert parts.body in text.strip() or parts.body == text.strip()
    if parts.title is not None:
        assert parts.body
        assert parts.title in text or parts.title.strip("# ") in text


def _warc_page() -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for n in range(2):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        body = io.BytesIO(f"<html><body><p>Page {n}</p></body></html>".encode())
        writer.write_record(
            writer.create_warc_record(
                f"https://a.example/{n}", "response", payload=body, http_headers=headers
            )
        )
    return buffer.getvalue()


SAMPLES = [
    b"Title\n\nBody text.",
    b"<html><head><title>x</title></head><body><p>Hi</p>",
    json.dumps({"title": "T", "text": "Body"}).encode(),
    b'{"text": "a"}\n{"oops"\n',
    b"<?xml version='1.0'?><rss version='2.0'><channel><title>F</title><item><title>I</title>"
    b"<description>short</description></item></channel></rss>",
    b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>x",
    _warc_page(),
    b"\x89PNG\r\n\x1a\n",
    b"\x1f\x8b\x08\x00garbage",
    b"",
    b"   \n",
]
NAMES = st.text(alphabet="abcdefghij klmnoé東-_$&;'()", min_size=1, max_size=12).filter(
    lambda name: not name.startswith(".") and name.strip() == name
)
EXTENSIONS = st.sampled_from(
    [
        "",
        ".txt",
        ".md",
        ".html",
        ".json",
        ".jsonl",
        ".xml",
        ".rss",
        ".warc",
        ".warc.gz",
        ".gz",
        ".css",
        ".bin",
    ]
)
CONTENTS = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from(SAMPLES),
    st.tuples(st.sampled_from(SAMPLES), st.integers(min_value=0, max_value=400)).map(
        lambda s: s[0][: s[1]]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.tuples(NAMES, EXTENSIONS).map("".join), CONTENTS, min_size=1, max_size=8))
def test_iter_documents_accounts_for_every_file_and_never_raises(files):
    with tempfile.TemporaryDirectory() as root:
        paths = []
        for name, content in files.items():
            path = os.path.join(root, "in", name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(content)
            paths.append(path)
        outcomes = list(iter_documents([os.path.join(root, "in")]))
    assert all(isinstance(o, SourceDocument | InputFailure) for o in outcomes)
    for path in paths:
        mine = [o for o in outcomes if o.input == path or o.input.startswith(path + "#")]
        assert mine, f"{path} was not accounted for"
    owners = sorted(paths, key=len, reverse=True)
    assert all(any(o.input == p or o.input.startswith(p + "#") for p in owners) for o in outcomes)
    order = [
        next(p for p in sorted(paths) if o.input == p or o.input.startswith(p + "#"))
        for o in outcomes
    ]
    assert order == sorted(order)


@pytest.mark.parametrize("gzipped", [False, True])
def test_truncated_warc_at_every_offset_never_raises(tmp_path, gzipped):
    data = gzip.compress(_warc_page()) if gzipped else _warc_page()
    path = tmp_path / ("cut.warc.gz" if gzipped else "cut.warc")
    for end in range(0, len(data), 3):
        path.write_bytes(data[:end])
        outcomes = list(iter_documents([str(path)]))
        assert outcomes, end
        assert all(o.input.startswith(str(path)) for o in outcomes)
        assert sum(isinstance(o, SourceDocument) for o in outcomes) <= 2
