"""Read HTML pages out of WARC web archives with warcio.

A WARC is streamed record by record, so archives far larger than memory
work; the size limit applies to each page rather than to the file. Records
that are not pages (requests, metadata, images, redirects) are skipped
silently: they were never articles. A cut-off or corrupt archive keeps the
pages read before the break and reports the break.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import redirect_stderr
from dataclasses import replace
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]

from parallax.io.decode import decode_bytes, sniff_binary, sniff_charset
from parallax.io.limits import over_limit
from parallax.records import InputFailure, SourceDocument

__all__ = ["is_warc_start", "parse_warc"]

Outcome = SourceDocument | InputFailure

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_DRAIN_CHUNK = 1 << 16
# warcio raises a mix of its own, zlib and (on cut-off headers) attribute
# errors; all of them mean "this archive is damaged here".
_DAMAGE = (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError, IndexError, AttributeError)


def is_warc_start(head: bytes) -> bool:
    """Say whether uncompressed bytes begin like a WARC file."""
    return head.startswith(b"WARC/")


def parse_warc(stream: BinaryIO, label: str, *, max_bytes: int) -> Iterator[Outcome]:
    """Yield each 2xx HTML response in the archive as an html document (locator ``#record=N``)."""
    skipped: Counter[str] = Counter()
    pages = 0
    number = 0
    records = iter(ArchiveIterator(_uncompressed(stream)))
    while True:
        warnings = io.StringIO()
        try:
            with redirect_stderr(warnings):  # warcio prints its warnings straight to stderr
                record = next(records)
        except StopIteration:
            break
        except _DAMAGE as error:
            yield _damaged(label, number + 1, pages, error)
            return
        number += 1
        where = f"{label}#record={number}"
        try:
            with redirect_stderr(warnings):
                outcome = _record_outcome(record, where, max_bytes)
                truncated = _is_cut_off(record)
        except _DAMAGE as error:
            yield _damaged(label, number, pages, error)
            return
        if isinstance(outcome, SourceDocument) and warnings.getvalue().strip():
            warning = " ".join(warnings.getvalue().split())[:200]
            outcome = replace(outcome, notes=(*outcome.notes, f"warcio warned: {warning}"))
        if truncated:
            yield InputFailure(input=where, error=_cut_off_message(number, pages))
            return
        if isinstance(outcome, str):
            skipped[outcome] += 1
            continue
        if isinstance(outcome, SourceDocument):
            pages += 1
        yield outcome
    if pages == 0 and not _yielded_failures(skipped, number):
        yield InputFailure(input=label, error=_no_pages_message(number, skipped))


def _uncompressed(stream: BinaryIO) -> BinaryIO:
    """Read gzipped WARCs through one gzip stream.

    That handles both the standard one-member-per-record layout and a whole
    file gzipped at once, which warcio itself refuses.
    """
    magic = stream.read(2)
    stream.seek(0)
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[return-value]
    return stream


def _record_outcome(record: Any, where: str, max_bytes: int) -> Outcome | str:
    """Turn one record into a document or failure, or return why it was skipped."""
    kind = record.rec_type
    if not kind:
        raise ValueError("a record has no WARC-Type header")
    if kind not in ("response", "resource"):
        return f"{kind} record"
    if kind == "response":
        if record.http_headers is None:
            return "non-HTTP response"
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return f"HTTP {status or 'unknown'} response"
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    if not content_type.lower().strip().startswith(_HTML_TYPES):
        return "non-HTML response"
    payload = record.content_stream().read(max_bytes + 1)
    url = record.rec_headers.get_header("WARC-Target-URI")
    if len(payload) > max_bytes:
        return InputFailure(input=where, error=over_limit(f"page {url}", None, max_bytes))
    if not payload.strip():
        return "empty response"
    binary = sniff_binary(payload)
    if binary:
        return InputFailure(
            input=where, error=f"page {url} is labelled HTML but is binary ({binary})"
        )
    text, note = decode_bytes(payload, _charset(content_type) or sniff_charset(payload))
    return SourceDocument(
        input=where,
        format="warc",
        html=text,
        url=url or None,
        notes=(note,) if note else (),
    )


def _is_cut_off(record: Any) -> bool:
    """Read the rest of the record; a Content-Length the file cannot fill means it was cut."""
    raw = record.raw_stream
    while raw.read(_DRAIN_CHUNK):
        pass
    return bool(getattr(raw, "limit", 0))


def _charset(content_type: str) -> str | None:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _damaged(label: str, number: int, pages: int, error: BaseException) -> InputFailure:
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, AttributeError):
        detail = "a record header is cut off or malformed"
    return InputFailure(
        input=f"{label}#record={number}",
        error=f"WARC is corrupt or truncated at record {number} ({detail}); {_pages_read(pages)}",
    )


def _cut_off_message(number: int, pages: int) -> str:
    return f"WARC is truncated: record {number} is cut off; {_pages_read(pages)}"


def _pages_read(pages: int) -> str:
    if pages == 0:
        return "no pages were read before it"
    if pages == 1:
        return "the 1 page before it was read"
    return f"the {pages} pages before it were read"


def _yielded_failures(skipped: Counter[str], number: int) -> bool:
    """Whether every record was accounted for by something other than a skip."""
    return number > 0 and sum(skipped.values()) < number


def _no_pages_message(number: int, skipped: Counter[str]) -> str:
    if number == 0:
        return "WARC holds no records"
    details = ", ".join(f"{count} {reason}" for reason, count in sorted(skipped.items()))
    return f"WARC holds no HTML pages with a 2xx status among its {number} records ({details})"
