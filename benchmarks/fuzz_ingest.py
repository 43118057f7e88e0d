"""Coverage-guided fuzzing of ingest and cleaning with atheris (libFuzzer for Python).

Not part of the test suite: a bounded nightly/benchmark job. atheris is not a
dependency of Parallax; install it into the venv for this script only::

    .venv/bin/pip install atheris==3.0.0
    .venv/bin/python benchmarks/fuzz_ingest.py                      # every target, 60 s each
    .venv/bin/python benchmarks/fuzz_ingest.py --target sources --max-total-time 600
    .venv/bin/python benchmarks/fuzz_ingest.py --keep-going    # record every crash, do not stop
    .venv/bin/python benchmarks/fuzz_ingest.py --target pipeline -- -runs=100000  # libFuzzer flags

Targets (each checks invariants, not just "no exception"):

* ``decode``   — ``decode_bytes``/``sniff_binary``/``sniff_charset`` on any bytes: text has
  no NUL or CR and no lone surrogate (the store and spaCy refuse them).
* ``sources``  — the bytes are written to a temporary file named with one of the
  extensions Parallax sniffs (.txt .html .json .jsonl .rss .xml .warc .warc.gz .gz,
  none) and read with ``iter_documents``: it never raises, yields at least one outcome,
  labels every outcome with the file. (Its strings may still hold lone surrogates from
  JSON escapes such as ``"\\ud800"``: ``api.to_article`` scrubs them, checked below.)
* ``clean``    — ``remove_debris`` then ``quality_flags`` on the decoded bytes: offsets
  stay inside the cleaned text, the result is idempotent, flags are known.
* ``pipeline`` — the documents of ``sources`` go through ``to_article`` and the
  Extractor, Cleaner, LanguageDetector and QualityFlagger stages with ``strict=True``,
  so any stage exception (which a normal run records as ``stage-error``) is a finding;
  every string of every article and of every (scrubbed) input failure encodes as UTF-8.

Crash inputs are written to ``out/fuzz/<target>/`` (``crash-<sha1>``; with ``--keep-going``
one ``finding-<sha1>`` plus its traceback per new kind of crash); replay one with
``benchmarks/fuzz_ingest.py --target T out/fuzz/T/crash-…``. A seed corpus of one
small valid document per format is generated there on every start.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

TARGETS = ("decode", "sources", "clean", "pipeline")
ROOT = Path(__file__).resolve().parents[1]
EXTENSIONS = (".txt", ".html", ".json", ".jsonl", ".rss", ".xml", ".warc", ".warc.gz", ".gz", "")

BODY = (
    "Mayor Anna Kowalski said on Tuesday that the new bridge would open in June. "
    "\u201cWe have waited long enough,\u201d she told reporters. Advertisement\n\n"
    "Share this article\n\nResidents protested last week. Photo: Reuters\n"
)


def seeds() -> dict[str, bytes]:
    """One small valid input per format (the first byte picks the file extension)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = f"<html><head><title>Bridge</title></head><body><article><p>{BODY}</p></article></body></html>"
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><item><title>T</title>'
        f"<description><![CDATA[<p>{BODY * 3}</p>]]></description></item></channel></rss>"
    )
    buffer = io.BytesIO()
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer = WARCWriter(buffer, gzip=False)
    writer.write_record(
        writer.create_warc_record(
            "https://news.example/a",
            "response",
            payload=io.BytesIO(page.encode()),
            http_headers=headers,
        )
    )
    warc = buffer.getvalue()
    record = json.dumps({"title": "Bridge", "text": BODY, "url": "https://news.example/a"})
    return {
        "txt": b"\x00" + f"Bridge opens\n\n{BODY}".encode(),
        "html": b"\x01" + page.encode(),
        "json": b"\x02" + record.encode(),
        "jsonl": b"\x03" + (record + "\n{bad\n" + record.replace("Bridge", "Road") + "\n").encode(),
        "rss": b"\x04" + feed.encode(),
        "xml": b"\x05" + feed.encode("utf-16"),
        "warc": b"\x06" + warc,
        "warc.gz": b"\x07" + gzip.compress(warc),
        "gz": b"\x08" + gzip.compress(page.encode("cp1252", "replace")),
        "none": b"\x09" + BODY.encode("utf-16-le"),
    }


# libFuzzer dictionary: tokens random mutation rarely builds by itself (str as UTF-8).
DICTIONARY: tuple[str | bytes, ...] = (
    "\\ud800",
    "\\udfff",
    "\\u0000",
    "&#xD800;",
    "&#0;",
    "&#x110000;",
    "&amp;",
    "<![CDATA[",
    "]]>",
    "<!DOCTYPE",
    "<!ENTITY",
    "SYSTEM",
    "<?xml",
    " encoding=",
    "<rss",
    "<item>",
    "</item>",
    "<feed",
    "<entry>",
    "<content",
    "<description>",
    "<html",
    "<body",
    "<article",
    "<p>",
    "<meta charset=",
    "<script>",
    '<link rel="canonical" href=',
    "WARC/1.0\r\n",
    "WARC-Type: response\r\n",
    "Content-Length: ",
    "HTTP/1.1 200 OK\r\n",
    "Content-Type: text/html\r\n",
    "\r\n\r\n",
    b"\x1f\x8b\x08",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xfe\xff",
    '{"text": "',
    '{"title": "',
    '"html": "',
    '"url": "',
    '"date_publish": "',
    '"articles": [',
    "\u2028",
    "\u2029",
    "\x85",
    "Advertisement",
    "Read more:",
    "Photo:",
    "said",
    "\u201c",
    "\u201d",
    "By ",
    "Published: ",
)


def write_dictionary(path: Path) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for token in DICTIONARY:
            escaped = "".join(
                f"\\x{byte:02x}"
                if byte < 0x20 or byte > 0x7E or byte in (0x22, 0x5C)
                else chr(byte)
                for byte in (
                    token if isinstance(token, bytes) else token.encode("utf-8", "surrogatepass")
                )
            )
            handle.write(f'"{escaped}"\n')


class Finding(AssertionError):
    """An invariant the target checks did not hold."""


def _no_surrogates(value: object, where: str) -> None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise Finding(
                f"{where} holds a lone surrogate: {value[max(0, error.start - 20) : error.end + 20]!r}"
            ) from None
    elif isinstance(value, tuple | list):
        for item in value:
            _no_surrogates(item, where)


def make_target(name: str):  # one closure per target keeps the harness one file
    import atheris

    with atheris.instrument_imports(include=["parallax"]):
        from parallax.api import scrub, to_article
        from parallax.io.decode import decode_bytes, sniff_binary, sniff_charset
        from parallax.io.sources import iter_documents
        from parallax.pipeline.apply import apply_stages
        from parallax.records import Article, InputFailure, Rejection, SourceDocument
        from parallax.stages.clean import Cleaner, QualityFlagger
        from parallax.stages.debris import remove_debris
        from parallax.stages.extract import Extractor
        from parallax.stages.langid import LanguageDetector
        from parallax.stages.quality import FLAGS, quality_flags

    folder = tempfile.mkdtemp(prefix="parallax-fuzz-")
    stages = [Extractor(), Cleaner(), LanguageDetector(), QualityFlagger()]

    def read(data: bytes) -> list[SourceDocument | InputFailure]:
        extension = EXTENSIONS[data[0] % len(EXTENSIONS)] if data else ""
        path = os.path.join(folder, "input" + extension)
        with open(path, "wb") as handle:
            handle.write(data[1:])
        outcomes = list(iter_documents([path], max_bytes=1 << 20))
        if not outcomes:
            raise Finding("iter_documents yielded nothing")
        for outcome in outcomes:
            if not isinstance(outcome, SourceDocument | InputFailure):
                raise Finding(f"unexpected outcome {outcome!r}")
            if outcome.input != path and not outcome.input.startswith(path + "#"):
                raise Finding(f"outcome labelled {outcome.input!r}, not the file")
        return outcomes

    def decode(data: bytes) -> None:
        text, note = decode_bytes(data, sniff_charset(data))
        sniff_binary(data)
        if "\x00" in text or "\r" in text:
            raise Finding("decoded text holds NUL or CR")
        _no_surrogates(text, "decoded text")
        if note is not None and not isinstance(note, str):
            raise Finding("note is not a string")

    def sources(data: bytes) -> None:
        read(data)

    def clean(data: bytes) -> None:
        text, _ = decode_bytes(data)
        result = remove_debris(text)
        for piece in result.removed:
            if not 0 <= piece.at <= len(result.text):
                raise Finding(f"removed piece at {piece.at} outside 0..{len(result.text)}")
        again = remove_debris(result.text)
        if again.text != result.text or again.removed:
            raise Finding("cleaning is not idempotent")
        flags = quality_flags(result.text, removed=result.removed)
        if not set(flags) <= set(FLAGS):
            raise Finding(f"unknown flags {flags}")

    def pipeline(data: bytes) -> None:
        outcomes = read(data)
        for failure in outcomes:
            if isinstance(failure, InputFailure):
                _no_surrogates(scrub(failure.error), "scrubbed InputFailure.error")
        articles = [to_article(doc) for doc in outcomes if isinstance(doc, SourceDocument)]
        for article in articles:
            for field in article.__slots__:  # type: ignore[attr-defined]
                if field != "id":
                    _no_surrogates(getattr(article, field), f"Article.{field} (to_article)")
        for outcome in apply_stages(stages, articles, strict=True):
            if isinstance(outcome, Rejection):
                if outcome.reason == "stage-error":
                    raise Finding(f"stage error: {outcome.detail}")
                continue
            assert isinstance(outcome, Article)
            for piece in outcome.removed:
                if not 0 <= piece.at <= len(outcome.text):
                    raise Finding(f"removed piece at {piece.at} outside the text")
            _no_surrogates(outcome.text, "Article.text")
            _no_surrogates([piece.text for piece in outcome.removed], "Removed.text")

    return {"decode": decode, "sources": sources, "clean": clean, "pipeline": pipeline}[name]


def signature(error: BaseException) -> str:
    """Name a crash by its exception type and the innermost frame that raised it.

    A ``StageError`` (strict mode) is named by the exception that caused it.
    """
    while isinstance(error.__cause__ or error.__context__, Exception) and not isinstance(
        error, Finding
    ):
        error = error.__cause__ or error.__context__  # type: ignore[assignment]
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    if isinstance(
        error, Finding
    ):  # "Article.url (to_article) holds a lone surrogate: …" -> its kind
        return f"Finding: {str(error).split(':')[0]}"
    return f"{type(error).__name__} at {where}"


def fuzz_one(target: str, seconds: int, extra: list[str], *, keep_going: bool = False) -> None:
    """Run one target in this process (atheris.Fuzz never returns)."""
    import atheris

    work = ROOT / "out" / "fuzz" / target
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for name, data in seeds().items():
        (corpus / f"seed-{name}").write_bytes(data)
    write_dictionary(work / "parallax.dict")
    test_one_input = make_target(target)

    import logging

    logging.disable(logging.CRITICAL)  # trafilatura/htmldate log every odd page
    seen: set[str] = set()

    def guarded(data: bytes) -> None:
        if not keep_going:
            test_one_input(data)
            return
        try:
            test_one_input(data)
        except Exception as error:  # record each kind once, then go on fuzzing
            kind = signature(error)
            if kind in seen:
                return
            seen.add(kind)
            digest = hashlib.sha1(data).hexdigest()
            (work / f"finding-{digest}").write_bytes(data)
            (work / f"finding-{digest}.txt").write_text(
                kind + "\n\n" + "".join(traceback.format_exception(error)), encoding="utf-8"
            )
            print(f"\n== NEW FINDING: {kind} -> {work / f'finding-{digest}'}", file=sys.stderr)

    replay = [arg for arg in extra if not arg.startswith("-")]
    args = (
        [sys.argv[0], *extra]
        if replay
        else [
            sys.argv[0],
            str(corpus),
            f"-max_total_time={seconds}",
            f"-artifact_prefix={work}/",
            "-rss_limit_mb=4096",
            "-timeout=30",
            "-max_len=65536",
            f"-dict={work / 'parallax.dict'}",
            *extra,
        ]
    )
    atheris.Setup(args, guarded)
    atheris.Fuzz()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--max-total-time", type=int, default=60, help="seconds per target")
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="record each new kind of crash (exception type and place) and go on",
    )
    parser.add_argument(
        "libfuzzer", nargs="*", help="passed to libFuzzer (after --), or crash files to replay"
    )
    options = parser.parse_args()
    try:
        import atheris  # noqa: F401
    except ImportError:
        print("atheris is not installed: .venv/bin/pip install atheris==3.0.0", file=sys.stderr)
        return 2
    if options.target != "all":
        fuzz_one(
            options.target, options.max_total_time, options.libfuzzer, keep_going=options.keep_going
        )
        return 0
    failed = []
    for target in TARGETS:
        started = time.monotonic()
        work = ROOT / "out" / "fuzz" / target
        before = {(f, f.stat().st_mtime) for f in work.glob("finding-*[0-9a-f]")}
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "--target",
                target,
                "--max-total-time",
                str(options.max_total_time),
                *(["--keep-going"] if options.keep_going else []),
                "--",
                *options.libfuzzer,
            ],
            env={**os.environ, "HF_HUB_OFFLINE": "1"},
            check=False,
        )
        found = len({(f, f.stat().st_mtime) for f in work.glob("finding-*[0-9a-f]")} - before)
        if done.returncode:
            status = f"FOUND A CRASH (exit {done.returncode})"
        else:
            status = f"{found} new kind(s) of crash recorded" if found else "ok"
        print(f"== {target}: {status} after {time.monotonic() - started:.0f} s", file=sys.stderr)
        if done.returncode or found:
            failed.append(target)
    print(f"== crash inputs, if any, are in {ROOT / 'out' / 'fuzz'}/<target>/", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
