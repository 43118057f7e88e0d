"""Reading stage (entities, quotes, dates, events) vs a bare spaCy pass, side by side.

Texts: real news articles from ../shared/evaldata (PTC train: newspaper3k scrapes of 48
outlets), read at run time. Both passes use the same model, the same texts, batch size and
process; the ratio bare/reader is the share of time that is spaCy itself (target >= 0.6).

Usage: .venv/bin/python benchmarks/bench_reading.py [--evaldata ../shared/evaldata] [--limit 200]
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    default = Path(__file__).resolve().parents[2] / "shared" / "evaldata"
    parser.add_argument("--evaldata", type=Path, default=default)
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args()

    from parallax.records import Article
    from parallax.stages.reader import ArticleReader

    paths = sorted((args.evaldata / "ptc_propaganda" / "train-articles").glob("*.txt"))[: args.limit]
    texts = [p.read_text(encoding="utf-8").partition("\n")[2].strip() for p in paths]
    words = sum(len(t.split()) for t in texts)
    articles = [
        Article(id=f"art_{i:016x}", input=str(p), format="txt", text=t, language="en",
                published="2018-10-01")
        for i, (p, t) in enumerate(zip(paths, texts, strict=True))
    ]

    start = time.perf_counter()
    reader = ArticleReader()
    reader.setup()
    cold = time.perf_counter() - start
    nlp = reader._nlp

    list(nlp.pipe(texts[:5]))  # warm up
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=reader.batch_size):
        pass
    bare = time.perf_counter() - start

    start = time.perf_counter()
    out = reader.process_batch(articles)
    full = time.perf_counter() - start

    counts = {k: sum(len(getattr(a, k)) for a in out) for k in ("entities", "quotes", "dates", "events")}
    print(f"machine: {platform.machine()}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}")
    print(f"texts: {len(texts)} PTC articles, {words} words; found {counts}")
    print(f"cold start (spaCy model + gazetteer): {cold:.2f} s")
    print(f"bare nlp.pipe : {len(texts) / bare:6.1f} articles/s {words / bare:8.0f} words/s")
    print(f"reader stage  : {len(texts) / full:6.1f} articles/s {words / full:8.0f} words/s")
    print(f"ratio bare/reader: {bare / full:.2f}")


if __name__ == "__main__":
    main()
