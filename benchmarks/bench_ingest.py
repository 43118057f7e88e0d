"""Throughput of the ingest+clean part of `analyze` (read, extract, clean, langid, flags, dedupe,
store, analysis.json, report), i.e. `analyze(..., read=False)`.

Builds a corpus at run time from real articles in ../shared/evaldata (PTC train and dev:
newspaper3k scrapes of 48 outlets, one sentence per line), written both as plain
text and as HTML pages (each article's paragraphs in a generic page skeleton with a
nav bar and footer), so both paths are measured. Nothing from evaldata is copied
into the repository.

Side by side in one run, on the same files:
  * bare trafilatura: `trafilatura.bare_extraction(with_metadata=True)` over the HTML files
    (the floor any HTML pipeline pays), and a bare read of the text files;
  * Parallax `analyze` with 1 worker and with one worker per core.

Usage: .venv/bin/python benchmarks/bench_ingest.py [--evaldata ../shared/evaldata] [--copies 2]
"""

from __future__ import annotations

import argparse
import html
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="Outlet {outlet}"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a></nav>
<article><h1>{title}</h1>{paragraphs}</article>
<aside><h3>Most read</h3><ul><li><a href="/a">Another story</a></li></ul></aside>
<footer>Copyright Outlet {outlet}. All rights reserved.</footer></body></html>"""


def build_corpus(evaldata: Path, root: Path, copies: int) -> tuple[int, int]:
    sources = sorted((evaldata / "ptc_propaganda").glob("*-articles/*.txt"))
    words = 0
    count = 0
    for copy in range(copies):
        for i, path in enumerate(sources):
            raw = path.read_text(encoding="utf-8")
            title, _, body = raw.partition("\n")
            # A marker per copy keeps copies distinct documents (not near-duplicates).
            body = f"Copy {copy} of item {i}.\n" + body
            words += len(body.split())
            count += 1
            if i % 2:
                (root / "txt").mkdir(parents=True, exist_ok=True)
                (root / "txt" / f"{copy}-{path.name}").write_text(f"{title}\n\n{body}", encoding="utf-8")
            else:
                paragraphs = "".join(
                    f"<p>{html.escape(line)}</p>" for line in body.splitlines() if line.strip()
                )
                page = PAGE.format(title=html.escape(title), outlet=i % 48, paragraphs=paragraphs)
                (root / "html").mkdir(parents=True, exist_ok=True)
                (root / "html" / f"{copy}-{path.stem}.html").write_text(page, encoding="utf-8")
    return count, words


def bare_pass(root: Path) -> float:
    """The floor: trafilatura main text + metadata (as Parallax asks for), and reading text files."""
    import trafilatura
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
    start = time.perf_counter()
    for path in sorted((root / "html").glob("*.html")):
        trafilatura.bare_extraction(path.read_text(encoding="utf-8"), with_metadata=True, config=config)
    for path in sorted((root / "txt").glob("*.txt")):
        path.read_text(encoding="utf-8")
    return time.perf_counter() - start


def parallax_pass(root: Path, out: Path, workers: int) -> float:
    from parallax import analyze

    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    result = analyze([str(root)], out, workers=workers, read=False)
    elapsed = time.perf_counter() - start
    assert result.articles, "nothing analysed"
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evaldata", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "evaldata")
    parser.add_argument("--copies", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "corpus"
        count, words = build_corpus(args.evaldata, root, args.copies)
        cores = len(os.sched_getaffinity(0))
        # Warm up imports and models so cold start is not counted in throughput.
        parallax_pass(root / "txt", Path(tmp) / "warm", 1)
        bare = bare_pass(root)
        one = parallax_pass(root, Path(tmp) / "out1", 1)
        many = parallax_pass(root, Path(tmp) / f"out{cores}", cores)
    print(f"machine: {platform.processor() or platform.machine()}, {cores} cores, Python {platform.python_version()}")
    print(f"corpus: {count} articles ({words} words), half HTML, half text")
    print(f"bare trafilatura+read : {count / bare:8.1f} articles/s {words / bare:10.0f} words/s")
    print(f"parallax, 1 worker    : {count / one:8.1f} articles/s {words / one:10.0f} words/s  ratio vs bare {bare / one:.2f}")
    print(f"parallax, {cores} workers   : {count / many:8.1f} articles/s {words / many:10.0f} words/s  ratio vs bare {bare / many:.2f}")


if __name__ == "__main__":
    main()
