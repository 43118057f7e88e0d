"""Turn raw bytes into text, or say why they are not text.

News files arrive in every encoding the web has used. The cascade is, in
order: byte-order mark, strict UTF-8, the charset the source declared
(HTTP header or ``<meta charset>``), UTF-8 with a few stray bytes, statistical
detection restricted to the encodings browsers support, and finally UTF-8
with replacement characters. Each step but strict UTF-8 leaves a note so a
user can see how a document was read.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

from charset_normalizer import from_bytes

__all__ = ["decode_bytes", "sniff_binary", "sniff_charset"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# The legacy encodings of the WHATWG Encoding Standard: what browsers decode,
# hence what real pages use. Detection outside this set mostly finds noise.
_WEB_ENCODINGS: tuple[str, ...] = (
    "cp866", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5", "iso8859_6", "iso8859_7",
    "iso8859_8", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
    "koi8_r", "koi8_u", "mac_roman", "cp874", "cp1250", "cp1251", "cp1252", "cp1253",
    "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "mac_cyrillic", "gbk", "gb18030",
    "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr",
)  # fmt: skip

# When detection ties, prefer the encoding more documents really use.
_PREFERENCE: tuple[str, ...] = (
    "cp1252", "cp1251", "shift_jis", "cp932", "euc_kr", "gb18030", "gbk", "big5", "euc_jp",
    "cp1250", "iso8859_2", "cp1256", "cp1254", "cp1253", "cp1255", "cp874", "cp1257",
    "cp1258", "koi8_r", "koi8_u", "iso8859_15", "iso8859_5", "iso8859_7",
)  # fmt: skip

# Labels that mean windows-1252 on the web (WHATWG), whatever they say.
_WINDOWS_1252_ALIASES = frozenset({"latin_1", "iso8859_1", "ascii", "cp1252"})

_CHAOS_TOLERANCE = 0.02
_COHERENCE_TIE = 0.05

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document; extract its text first, e.g. with pdftotext"),
    (b"PK\x03\x04", "ZIP archive or Office document; unzip it or save it as text first"),
    (b"PK\x05\x06", "empty ZIP archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\x1f\x8b", "gzip-compressed data; decompress it first"),
    (b"\xfd7zXZ\x00", "xz archive; decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive; extract it first"),
    (b"Rar!\x1a\x07", "RAR archive; extract it first"),
    (b"\x28\xb5\x2f\xfd", "zstd archive; decompress it first"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Microsoft Office document; save it as text first"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"PAR1", "Parquet file"),
    (b"OggS", "Ogg media"),
    (b"\x00asm", "WebAssembly module"),
    (b"wOFF", "web font"),
    (b"wOF2", "web font"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O executable"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "Mach-O executable"),
)
_RIFF_KINDS = {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}

_SNIFF_BYTES = 8192
_MAX_CONTROL_SHARE = 0.10
# C0 controls that never occur in text: everything below 0x20 except
# \t \n \v \f \r and ESC (ANSI colour codes in logs), plus DEL.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""")


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str | None]:
    """Decode ``data`` to text with ``\\n`` newlines and no NUL bytes; never raises.

    Returns the text and a note saying how it was decoded, or ``None`` when it
    was plain UTF-8. ``declared`` is a charset named by the source (an HTTP
    header or ``<meta charset>``); it is trusted only if the bytes fit it.
    """
    text, notes = _decode(data, declared)
    nul_count = text.count("\x00")
    if nul_count:
        text = text.replace("\x00", "")
        notes.append(f"removed {nul_count} NUL byte{'s' if nul_count != 1 else ''}")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, "; ".join(notes) or None


def sniff_binary(data: bytes) -> str | None:
    """Describe why ``data`` is binary (``"looks like PNG image"``), or ``None`` if it may be text.

    Callers that can unpack gzip should do so before asking. Text with a
    byte-order mark or in BOM-less UTF-16 is never binary, even though it is
    full of NULs.
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return f"looks like {kind}"
    if data[:4] == b"RIFF" and data[8:12] in _RIFF_KINDS:
        return f"looks like {_RIFF_KINDS[data[8:12]]}"
    if data[4:8] == b"ftyp":
        return "looks like MP4 or QuickTime media"
    if data[:3] == b"ID3" and data[3:4] in (b"\x02", b"\x03", b"\x04"):
        return "looks like MP3 audio"
    if data[:3] == b"BZh" and data[4:10] == b"1AY&SY":
        return "looks like bzip2 archive; decompress it first"
    sample = data[:_SNIFF_BYTES]
    if not sample or _bom_encoding(sample) or _utf16_without_bom(sample):
        return None
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    share = control / len(sample)
    if share > _MAX_CONTROL_SHARE:
        return f"{share:.0%} control bytes"
    return None


def sniff_charset(data: bytes) -> str | None:
    """Return the charset an HTML or XML document declares in its first bytes, if any."""
    head = data[:4096]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _decode(data: bytes, declared: str | None) -> tuple[str, list[str]]:
    """Run the decoding cascade; return text (with NULs and CRs) and notes."""
    bom = _bom_encoding(data)
    if bom:
        encoding, size = bom
        text = data[size:].decode(encoding, errors="replace")
        return text, [] if encoding == "utf-8" else [f"decoded as {encoding} (byte-order mark)"]
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), [f"decoded as {utf16} (detected)"]
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    notes: list[str] = []
    if declared:
        decoded = _decode_declared(data, declared)
        if decoded is not None:
            return decoded
        notes.append(f"declared charset {declared!r} did not fit the bytes")
    mostly = _decode_mostly_utf8(data)
    if mostly is not None:
        return mostly[0], [*notes, mostly[1]]
    detected = _detect(data)
    if detected is not None:
        text, encoding = detected
        return text, [*notes, f"decoded as {_label(encoding)} (detected)"]
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return text, [*notes, f"decoded as utf-8 with {bad} undecodable byte sequences replaced"]


def _bom_encoding(data: bytes) -> tuple[str, int] | None:
    """Return the encoding and BOM length if ``data`` starts with a byte-order mark.

    ``FF FE 00 00`` opens both UTF-32-LE and UTF-16-LE text that starts with
    a NUL; UTF-32 wins only if the bytes decode as UTF-32.
    """
    matches = [(encoding, len(bom)) for bom, encoding in _BOMS if data.startswith(bom)]
    for encoding, size in matches:
        if not encoding.startswith("utf-32"):
            return encoding, size
        try:
            data[size:].decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding, size
    return matches[0] if matches else None


def _utf16_without_bom(data: bytes) -> str | None:
    """Spot BOM-less UTF-16 of mostly-ASCII text: NULs in every other byte."""
    sample = data[:_SNIFF_BYTES]
    if len(sample) < 8 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    even_nuls = even.count(0) / len(even)
    odd_nuls = odd.count(0) / len(odd)
    if odd_nuls > 0.4 and even_nuls < 0.05 and _mostly_text(even):
        return "utf-16-le"
    if even_nuls > 0.4 and odd_nuls < 0.05 and _mostly_text(odd):
        return "utf-16-be"
    return None


_TEXT_BYTES = frozenset(b"\t\n\r" + bytes(range(0x20, 0x7F)))


def _mostly_text(low_bytes: bytes) -> bool:
    """Whether the low bytes of would-be UTF-16 are mostly printable ASCII (not ``00 FF 00 FF``)."""
    return sum(byte in _TEXT_BYTES for byte in low_bytes) >= 0.6 * len(low_bytes)


def _decode_declared(data: bytes, declared: str) -> tuple[str, list[str]] | None:
    """Decode with the declared charset if it exists and fits the bytes strictly."""
    try:
        encoding = codecs.lookup(declared.strip()).name.replace("-", "_")
    except LookupError:
        return None
    candidates = ["cp1252", encoding] if encoding in _WINDOWS_1252_ALIASES else [encoding]
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        return text, [f"decoded as {_label(candidate)} (declared)"]
    return None


def _decode_mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """Keep UTF-8 when only a few byte sequences are broken (a bad splice, a cut).

    Guessing a legacy encoding there would garble every other character.
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    good = non_ascii - bad
    if good >= 3 and good >= 3 * bad:
        return text, f"decoded as utf-8 with {bad} invalid byte sequences replaced"
    return None


def _detect(data: bytes) -> tuple[str, str] | None:
    """Guess a web encoding with charset-normalizer, breaking ties by real-world use."""
    try:
        matches = list(from_bytes(data, cp_isolation=list(_WEB_ENCODINGS)))
    except (LookupError, ValueError, UnicodeError):
        return None
    if not matches:
        return None
    best_chaos = min(match.chaos for match in matches)
    close = [m for m in matches if m.chaos <= best_chaos + _CHAOS_TOLERANCE]
    top_coherence = max(match.coherence for match in close)
    tied = [m for m in close if m.coherence >= top_coherence - _COHERENCE_TIE]
    for encoding in _by_preference(e for m in tied for e in (m.encoding, *m.could_be_from_charset)):
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def _by_preference(encodings: Iterable[str]) -> list[str]:
    """Order encodings by how common they are; unknown ones keep their order, last."""
    unique = list(dict.fromkeys(encodings))
    rank = {name: index for index, name in enumerate(_PREFERENCE)}
    return sorted(unique, key=lambda name: rank.get(name, len(rank)))


def _label(encoding: str) -> str:
    """Name an encoding the way the web does: ``cp1252`` -> ``windows-1252``."""
    name = encoding.lower().replace("_", "-")
    if re.fullmatch(r"cp125\d", name):
        return "windows-" + name[2:]
    if name.startswith("iso8859-"):
        return "iso-8859-" + name[len("iso8859-") :]
    return name
