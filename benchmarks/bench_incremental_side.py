"""Add the same 1,000 articles to a copy of the same 10k store with whatever code is on PYTHONPATH.

For comparing two versions of the incremental link step side by side: run it alternately
with ``PYTHONPATH`` pointing at each version's ``src`` (e.g. one from ``git archive <commit>
src``), after ``bench_crossdoc.py --sizes 10000`` left ``store-10000.duckdb`` and
``events-10000.json`` in ``--cache``. Prints one JSON line: label, seconds of ``api._link``,
claims and stories afterwards, peak RSS.

Usage: PYTHONPATH=src .venv/bin/python benchmarks/bench_incremental_side.py new --cache DIR
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_crossdoc as bench  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("label")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/parallax-bench-crossdoc"))
    parser.add_argument("--evaldata", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "evaldata")
    parser.add_argument("--size", type=int, default=10000)
    args = parser.parse_args()

    from parallax import api
    from parallax.store.duckdb import Store

    pool = bench.build_pool(args.evaldata, 120, args.cache)
    first_day, span = bench.corpus_events(pool, args.size, 1)
    work = args.cache / f"side-{args.label}.duckdb"
    shutil.copyfile(args.cache / f"store-{args.size}.duckdb", work)
    events = [tuple(e) for e in json.loads((args.cache / f"events-{args.size}.json").read_text())]
    new = bench.synthesize(pool, bench.INCREMENT, 2, span_days=span, first_day=first_day,
                           events=random.Random(7).sample(events, min(len(events), bench.INCREMENT)))
    try:
        with Store(work) as store:
            bench._save(store, new)
            start = time.perf_counter()
            links, _ = api._link(store)
            took = time.perf_counter() - start
    finally:
        work.unlink(missing_ok=True)
    print(json.dumps({"code": args.label, "link_s": round(took, 1), "claims": len(links.claims),
                      "stories": len(links.stories), "peak_rss_mb": round(bench.peak_rss_mb())}))


if __name__ == "__main__":
    main()
