"""Decoding cascade and binary sniffing (parallax.io.decode)."""

from __future__ import annotations

import codecs

import pytest

from parallax.io.decode import decode_bytes, sniff_binary, sniff_charset

FRENCH = "Le café du coin a fermé. Élodie était très déçue, mais la boulangère a souri."
SMART = (
    "He said \u201chello\u201d \u2014 the price was \u20ac5. Caf\u00e9 na\u00efve r\u00e9sum\u00e9."
)


def test_decode_utf8_plain_has_no_note():
    assert decode_bytes(FRENCH.encode("utf-8")) == (FRENCH, None)


def test_decode_utf8_bom_is_stripped_without_note():
    text, note = decode_bytes(codecs.BOM_UTF8 + b"Hello")
    assert text == "Hello"
    assert note is None


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_decode_utf16_and_utf32_with_bom(encoding):
    data = FRENCH.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    text, note = decode_bytes(data)
    assert text == FRENCH
    assert "byte-order mark" in note and "utf-" in note


def test_decode_utf16_without_bom_is_detected():
    text, note = decode_bytes("Plain ASCII news text in UTF-16.".encode("utf-16-le"))
    assert text == "Plain ASCII news text in UTF-16."
    assert note == "decoded as utf-16-le (detected)"


def test_bytes_alternating_with_nuls_are_not_utf16_unless_the_rest_is_text():
    from parallax.io.decode import _utf16_without_bom

    assert _utf16_without_bom(b"\x00\xff" * 64) is None  # would decode as "ÿÿÿ…"
    assert _utf16_without_bom(bytes(b for i in range(64) for b in (0, 0x80 + i))) is None
    assert _utf16_without_bom("Crème brûlée à la carte, s'il vous plaît.".encode("utf-16-be")) == "utf-16-be"


def test_decode_latin1_detected_as_windows_1252():
    text, note = decode_bytes(FRENCH.encode("latin-1"))
    assert text == FRENCH
    assert note == "decoded as windows-1252 (detected)"


def test_decode_cp1252_smart_quotes_detected():
    text, note = decode_bytes(SMART.encode("cp1252"))
    assert text == SMART
    assert note == "decoded as windows-1252 (detected)"


def test_decode_short_latin1_word_prefers_windows_1252():
    assert decode_bytes("café".encode("latin-1"))[0] == "café"


def test_decode_shift_jis_detected():
    japanese = "東京で大きな地震がありました。政府は緊急会議を開き、被害の状況を確認しています。"
    text, note = decode_bytes(japanese.encode("shift_jis"))
    assert text == japanese
    assert note in ("decoded as shift-jis (detected)", "decoded as cp932 (detected)")


def test_decode_cyrillic_windows_1251_detected():
    russian = "Президент заявил, что переговоры продолжатся на следующей неделе в Москве."
    text, note = decode_bytes(russian.encode("cp1251"))
    assert text == russian
    assert note == "decoded as windows-1251 (detected)"


def test_decode_declared_charset_is_used_when_it_fits():
    text, note = decode_bytes(SMART.encode("cp1252"), declared="windows-1252")
    assert text == SMART
    assert note == "decoded as windows-1252 (declared)"


def test_decode_declared_latin1_means_windows_1252_like_browsers():
    text, note = decode_bytes("\u201cquoted\u201d".encode("cp1252"), declared="ISO-8859-1")
    assert text == "\u201cquoted\u201d"
    assert note == "decoded as windows-1252 (declared)"


def test_decode_unknown_declared_charset_is_ignored():
    text, note = decode_bytes(FRENCH.encode("latin-1"), declared="no-such-charset")
    assert text == FRENCH
    assert "'no-such-charset' did not fit" in note


def test_decode_declared_charset_loses_to_valid_utf8():
    text, note = decode_bytes(FRENCH.encode("utf-8"), declared="shift_jis")
    assert (text, note) == (FRENCH, None)


def test_decode_mostly_utf8_keeps_utf8_and_replaces_stray_byte():
    data = ("Café crème " * 5).encode("utf-8") + b"\xe9 fin"
    text, note = decode_bytes(data)
    assert text.startswith("Café crème Café")
    assert text.endswith("\ufffd fin")
    assert note == "decoded as utf-8 with 1 invalid byte sequences replaced"


def test_decode_strips_nul_bytes_and_notes_it():
    text, note = decode_bytes(b"Hel\x00lo wor\x00ld")
    assert text == "Hello world"
    assert note == "removed 2 NUL bytes"


def test_decode_normalises_newlines():
    assert decode_bytes(b"a\r\nb\rc\n")[0] == "a\nb\nc\n"


def test_decode_empty_bytes():
    assert decode_bytes(b"") == ("", None)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(40), "looks like PNG image"),
        (b"\xff\xd8\xff\xe0" + bytes(40), "looks like JPEG image"),
        (b"GIF89a" + bytes(40), "looks like GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3", "looks like PDF document; extract its text first"),
        (b"PK\x03\x04" + bytes(40), "looks like ZIP archive or Office document"),
        (b"\x7fELF\x02\x01\x01" + bytes(40), "looks like ELF executable"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "looks like WebP image"),
    ],
)
def test_sniff_binary_magic_numbers(data, expected):
    assert sniff_binary(data).startswith(expected)


def test_sniff_binary_control_bytes():
    assert sniff_binary(bytes(range(32)) * 10) == "81% control bytes"


def test_sniff_binary_accepts_text_with_a_few_nuls():
    assert sniff_binary(b"Hello\x00 world, this is text with one NUL") is None


def test_sniff_binary_accepts_utf16_text():
    assert sniff_binary("Hello world".encode("utf-16")) is None
    assert sniff_binary("Hello world".encode("utf-16-le")) is None


def test_sniff_binary_names_gzip():
    assert sniff_binary(b"\x1f\x8b\x08\x00" + b"text-like") == (
        "looks like gzip-compressed data; decompress it first"
    )


@pytest.mark.parametrize(
    ("head", "charset"),
    [
        (b'<html><head><meta charset="windows-1252">', "windows-1252"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">', "Shift_JIS"),
        (b'<?xml version="1.0" encoding="ISO-8859-1"?><rss>', "ISO-8859-1"),
        (b"<html><body>no declaration</body></html>", None),
    ],
)
def test_sniff_charset_reads_meta_and_xml_declarations(head, charset):
    assert sniff_charset(head) == charset
