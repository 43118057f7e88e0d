"""Dask runner: 1 worker vs 2 workers (and the local runner for reference), side by side.

Texts: real news articles from ../shared/evaldata (PTC train: newspaper3k scrapes of 48
outlets), read at run time, never copied. Every configuration runs the same per-article chain
``api.analyze`` runs -- [Extractor] -> [Cleaner, LanguageDetector, QualityFlagger] ->
[ArticleReader] -- over the same articles in the same batches. Driver-side steps (reading
files, dedupe, DuckDB, the cross-article link step) are not part of it: they do not change
with the runner.

All runners are started and warmed up first (models loaded in every worker process, cold
start reported), then the configurations run in rotating order for --rounds rounds, so load
from other jobs on a shared machine hits them alike. Reported: articles/s (median and range
over the rounds), speed-up of 2 Dask workers over 1 and efficiency (speed-up / workers). The
outcomes of every configuration are checked to be identical.

With --end-to-end, each configuration instead runs the whole ``parallax.analyze`` on the
same files (into a fresh temporary --out each time): cluster start, model loading, reading,
dedupe, DuckDB writes and the cross-article step included, i.e. what a user waits for.

Usage: .venv/bin/python benchmarks/bench_dask.py [--evaldata ../shared/evaldata] [--limit 60]
       [--rounds 3] [--batch-size 256] [--end-to-end]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    default = Path(__file__).resolve().parents[2] / "shared" / "evaldata"
    parser.add_argument("--evaldata", type=Path, default=default)
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--end-to-end", action="store_true")
    args = parser.parse_args()
    if args.end_to_end:
        end_to_end(args)
        return

    from parallax.records import Article
    from parallax.runners.dask import DaskRunner
    from parallax.runners.local import LocalRunner

    paths = sorted((args.evaldata / "ptc_propaganda" / "train-articles").glob("*.txt"))
    articles = [
        Article(id=f"art_{i:016x}", input=str(p), format="txt", text=p.read_text(encoding="utf-8"))
        for i, p in enumerate(paths[: args.limit])
    ]
    warmup = [Article(id=f"art_warm{i:012x}", input=str(p), format="txt",
                      text=p.read_text(encoding="utf-8")) for i, p in enumerate(paths[-16:])]
    words = sum(len(a.text.split()) for a in articles)

    configs: list[tuple[str, int, Callable[[], object]]] = [
        ("LocalRunner, in-process", 1, lambda: LocalRunner(1)),
        ("LocalRunner, 2-process pool", 2, lambda: LocalRunner(2)),
        ("Dask LocalCluster, 1 worker", 1, lambda: DaskRunner(workers=1)),
        ("Dask LocalCluster, 2 workers", 2, lambda: DaskRunner(workers=2)),
    ]
    runners = {}
    cold = {}
    for name, _, make in configs:
        start = time.perf_counter()
        runner = make()
        run_chain(runner, warmup, args.batch_size)
        cold[name] = time.perf_counter() - start
        runners[name] = runner

    timings: dict[str, list[float]] = {name: [] for name, _, _ in configs}
    cpu: dict[str, list[float]] = {name: [] for name, _, _ in configs}
    outputs: dict[str, list] = {}
    try:
        for round_no in range(args.rounds):
            order = configs[round_no % len(configs):] + configs[: round_no % len(configs)]
            for name, _, _ in order:
                cpu_start = cpu_seconds()
                start = time.perf_counter()
                outputs[name] = run_chain(runners[name], articles, args.batch_size)
                timings[name].append(time.perf_counter() - start)
                cpu[name].append(cpu_seconds() - cpu_start)
    finally:
        for runner in runners.values():
            runner.close()  # type: ignore[attr-defined]

    reference = sorted(outputs[configs[0][0]], key=_key)
    same = all(sorted(out, key=_key) == reference for out in outputs.values())

    print(f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {platform.machine()}, "
          f"{len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}; "
          f"load average before: {os.getloadavg()[0]:.1f}")
    print(f"texts: {len(articles)} PTC articles, {words} words; batch size {args.batch_size}; "
          f"{args.rounds} rounds; identical outcomes in every configuration: {same}")
    rates = {name: [len(articles) / t for t in timings[name]] for name, _, _ in configs}
    one = statistics.median(rates["Dask LocalCluster, 1 worker"])
    print("| runner | workers | cold start + warm-up (s) | articles/s (median) | range | "
          "speed-up vs Dask 1 worker | efficiency | CPU ms per article |")
    print("|---|---|---|---|---|---|---|---|")
    for name, workers, _ in configs:
        median = statistics.median(rates[name])
        speedup = median / one
        per_article = statistics.median(cpu[name]) / len(articles) * 1000
        print(f"| {name} | {workers} | {cold[name]:.1f} | {median:.2f} | "
              f"{min(rates[name]):.2f}–{max(rates[name]):.2f} | {speedup:.2f} | "
              f"{speedup / workers:.2f} | {per_article:.0f} |")
    print("(CPU ms per article: user+system time of this process and all its child processes "
          "-- workers, pool, nannies -- during the timed runs; other jobs' load does not enter it)")
    shard_cost(outputs[configs[0][0]])
    if not same:
        raise SystemExit("outcomes differ between runners")


def cpu_seconds() -> float:
    """User + system CPU time of this process and every descendant (Dask workers, pool)."""
    import psutil

    me = psutil.Process()
    total = 0.0
    for process in [me, *me.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def shard_cost(outcomes: list) -> None:
    """Driver-side price of the shard format per read article, next to pickle."""
    import pickle
    import tempfile

    from parallax.io.shards import read_shard, write_shard

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "shard.parquet"
        for name, trip in (("Parquet shard write + read", lambda: read_shard(write_shard(path, outcomes))),
                           ("pickle dumps + loads", lambda: pickle.loads(pickle.dumps(outcomes)))):
            assert trip() == outcomes
            start = time.perf_counter()
            for _ in range(5):
                trip()
            per = (time.perf_counter() - start) / 5 / len(outcomes) * 1000
            print(f"{name}: {per:.2f} ms per read article")
        print(f"shard size: {path.stat().st_size / len(outcomes) / 1024:.1f} KiB per read article; "
              f"{sum(len(getattr(o, 'entities', ())) for o in outcomes) / len(outcomes):.0f} "
              "entities per article")


def end_to_end(args: argparse.Namespace) -> None:
    """Whole ``analyze`` runs per configuration, rotating order, fresh output each time."""
    import tempfile

    from parallax import analyze

    paths = sorted((args.evaldata / "ptc_propaganda" / "train-articles").glob("*.txt"))[: args.limit]
    configs = [
        ("local, in-process", 1, {"workers": 1}),
        ("local, 2-process pool", 2, {"workers": 2}),
        ("Dask LocalCluster, 1 worker", 1, {"runner": "dask", "workers": 1}),
        ("Dask LocalCluster, 2 workers", 2, {"runner": "dask", "workers": 2}),
    ]
    timings: dict[str, list[float]] = {name: [] for name, _, _ in configs}
    documents: dict[str, list] = {}
    for round_no in range(args.rounds):
        order = configs[round_no % len(configs):] + configs[: round_no % len(configs)]
        for name, _, options in order:
            with tempfile.TemporaryDirectory() as out:
                start = time.perf_counter()
                result = analyze([str(p) for p in paths], out, batch_size=args.batch_size,
                                 report=False, **options)
                timings[name].append(time.perf_counter() - start)
                documents[name] = sorted((a.id, a.text, a.entities, a.quotes, a.events, a.dates)
                                         for a in result.articles)
    same = all(d == documents[configs[0][0]] for d in documents.values())
    print(f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; machine: {platform.machine()}, "
          f"{len(os.sched_getaffinity(0))} cores, Python {platform.python_version()}; "
          f"load average before: {os.getloadavg()[0]:.1f}")
    print(f"end to end: {len(paths)} PTC files; batch size {args.batch_size}; {args.rounds} rounds; "
          f"identical articles in every configuration: {same}")
    rates = {name: [len(paths) / t for t in timings[name]] for name, _, _ in configs}
    one = statistics.median(rates["Dask LocalCluster, 1 worker"])
    print("| analyze with | workers | articles/s (median) | range | speed-up vs Dask 1 worker | efficiency |")
    print("|---|---|---|---|---|---|")
    for name, workers, _ in configs:
        median = statistics.median(rates[name])
        print(f"| {name} | {workers} | {median:.2f} | {min(rates[name]):.2f}–{max(rates[name]):.2f} | "
              f"{median / one:.2f} | {median / one / workers:.2f} |")
    if not same:
        raise SystemExit("outcomes differ between runners")


def run_chain(runner: object, articles: Sequence[object], batch_size: int) -> list:
    """The per-article stages ``api.analyze`` runs, batch by batch (no driver-side steps)."""
    from parallax.records import Article
    from parallax.stages.clean import Cleaner, QualityFlagger
    from parallax.stages.extract import Extractor
    from parallax.stages.langid import LanguageDetector
    from parallax.stages.reader import ArticleReader

    run = runner.run  # type: ignore[attr-defined]
    outcomes: list = []
    for i in range(0, len(articles), batch_size):
        batch = articles[i : i + batch_size]
        extracted = run([Extractor()], batch)
        cleaned = run([Cleaner(), LanguageDetector(), QualityFlagger()],
                      [a for a in extracted if isinstance(a, Article)])
        read = run([ArticleReader()], [a for a in cleaned if isinstance(a, Article)])
        outcomes += [o for o in extracted + cleaned if not isinstance(o, Article)] + read
    return outcomes


def _key(outcome: object) -> str:
    return getattr(outcome, "id", None) or getattr(outcome, "article_id", "")


if __name__ == "__main__":
    main()
