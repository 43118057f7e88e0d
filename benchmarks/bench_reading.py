"""Reading stage (entities, quotes, dates, events) vs a bare spaCy pass, side by side.

Texts: real news articles from ../shared/evaldata (PTC train: newspaper3k scrapes of 48
outlets), read at run time. Both passes use the same model, the same texts, batch size and
process; the ratio bare/reader is the share of time that is spaCy itself (target >= 0.6).
The bare pass runs the model's stock components; the reader runs the same model with its
attribute_ruler and lemmatizer replaced by the exact fast versions (stages/spacy_fast.py),
so a ratio above 1 means the reader is faster than a bare parse. CPU seconds
(``time.process_time``) are printed next to wall time: on a shared machine they are the
steadier measure.

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
    parser.add_argument("--components", action="store_true",
                        help="also print CPU ms per article of each spaCy component, stock vs fast")
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

    import spacy

    stock = spacy.load(reader.model)
    list(stock.pipe(texts[:5]))  # warm up
    list(nlp.pipe(texts[:5]))
    start, cpu = time.perf_counter(), time.process_time()
    for _ in stock.pipe(texts, batch_size=reader.batch_size):
        pass
    bare, bare_cpu = time.perf_counter() - start, time.process_time() - cpu

    start, cpu = time.perf_counter(), time.process_time()
    out = reader.process_batch(articles)
    full, full_cpu = time.perf_counter() - start, time.process_time() - cpu

    counts = {k: sum(len(getattr(a, k)) for a in out) for k in ("entities", "quotes", "dates", "events")}
    print(f"machine: {platform.machine()}, {len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}")
    print(f"texts: {len(texts)} PTC articles, {words} words; found {counts}")
    print(f"cold start (spaCy model + gazetteer): {cold:.2f} s")
    print(f"bare nlp.pipe : {len(texts) / bare:6.1f} articles/s {words / bare:8.0f} words/s "
          f"({bare_cpu:.1f} CPU s)")
    print(f"reader stage  : {len(texts) / full:6.1f} articles/s {words / full:8.0f} words/s "
          f"({full_cpu:.1f} CPU s)")
    print(f"ratio bare/reader: {bare / full:.2f} wall, {bare_cpu / full_cpu:.2f} CPU")
    if args.components:
        print("CPU ms per article, component by component (stock | fast):")
        stock_ms = _component_cpu(stock, texts, reader.batch_size)
        fast_ms = _component_cpu(nlp, texts, reader.batch_size)
        for name in stock_ms:
            print(f"  {name:16s} {stock_ms[name]:7.1f} | {fast_ms[name]:7.1f}")


def _component_cpu(nlp: object, texts: list[str], batch_size: int) -> dict[str, float]:
    """Run the pipeline one component at a time over all texts; CPU ms per text for each."""
    cpu = time.process_time()
    docs = [nlp.make_doc(t) for t in texts]  # type: ignore[attr-defined]
    spent = {"tokenizer": time.process_time() - cpu}
    for name, component in nlp.pipeline:  # type: ignore[attr-defined]
        cpu = time.process_time()
        docs = list(component.pipe(docs, batch_size=batch_size))
        spent[name] = time.process_time() - cpu
    spent["total"] = sum(spent.values())
    return {name: seconds * 1000 / len(texts) for name, seconds in spent.items()}


if __name__ == "__main__":
    main()
