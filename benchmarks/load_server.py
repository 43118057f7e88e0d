"""Load test of `parallax serve` on loopback: many keep-alive clients, bounded, zero errors expected.

Builds a store from the sample corpus (``parallax.analyze``), starts ``parallax serve`` on a
free loopback port in a subprocess, and runs an asyncio + httpx load generator against it:
``--connections`` clients (one keep-alive connection each) for ``--duration`` seconds, at most
``--max-requests`` requests per connection, each client cycling through the endpoints below
(ids rotate over every story and article in the store):

    stories page     GET /                      story list (HTML)
    stories API      GET /api/stories           story list (JSON)
    story page       GET /stories/{sto_…}       (HTML)
    story API        GET /api/stories/{sto_…}   (JSON)
    article page     GET /articles/{art_…}      (HTML, highlighted text)
    article API      GET /api/articles/{art_…}  (JSON)

Every answer must be 200; anything else (or a connection error or timeout) counts as an
error, and the script exits 1 if there was any. Before the load, each endpoint is timed
alone (sequential requests), so queueing under load can be told from the cost of a request.

Usage::

    .venv/bin/python benchmarks/load_server.py                      # 50 connections, 30 s
    .venv/bin/python benchmarks/load_server.py --store out/demo     # reuse an analysed --out
    .venv/bin/python benchmarks/load_server.py --markdown           # also print a table for BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
ENDPOINTS = (
    "stories page",
    "stories API",
    "story page",
    "story API",
    "article page",
    "article API",
)


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of ``values`` (seconds)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, round(share * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def build_store(corpus: Path, out: Path) -> None:
    from parallax import analyze

    started = time.monotonic()
    result = analyze([str(corpus)], out, report=False)
    print(
        f"analysed {len(result.articles)} articles from {corpus} in {time.monotonic() - started:.0f} s",
        file=sys.stderr,
    )


def start_server(store: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "parallax", "serve", str(store), "--port", str(port)]
    server = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(
                f"the server exited: {server.stderr.read().decode() if server.stderr else ''}"
            )
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not answer within 60 s")


def paths_for(base: str) -> dict[str, list[str]]:
    stories = httpx.get(f"{base}/api/stories", params={"limit": 500}).json()["items"]
    articles = httpx.get(f"{base}/api/articles", params={"limit": 500}).json()["items"]
    if not stories or not articles:
        raise SystemExit(
            "the store has no stories or no articles: analyse a corpus with reading on"
        )
    story_ids = [s["id"] for s in stories]
    article_ids = [a["id"] for a in articles]
    return {
        "stories page": ["/"],
        "stories API": ["/api/stories"],
        "story page": [f"/stories/{i}" for i in story_ids],
        "story API": [f"/api/stories/{i}" for i in story_ids],
        "article page": [f"/articles/{i}" for i in article_ids],
        "article API": [f"/api/articles/{i}" for i in article_ids],
    }


def time_alone(base: str, paths: dict[str, list[str]], repeats: int) -> dict[str, float]:
    """Median latency of each endpoint with no other load (sequential requests)."""
    alone = {}
    with httpx.Client(base_url=base, timeout=30) as client:
        for name, options in paths.items():
            times = []
            for n in range(repeats):
                started = time.perf_counter()
                client.get(options[n % len(options)]).raise_for_status()
                times.append(time.perf_counter() - started)
            alone[name] = percentile(times, 0.5)
    return alone


async def client_loop(
    base: str,
    paths: dict[str, list[str]],
    index: int,
    stop_at: float,
    max_requests: int,
    results: Results,
) -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        for n in range(max_requests):
            if time.monotonic() >= stop_at:
                return
            name = ENDPOINTS[(index + n) % len(ENDPOINTS)]
            options = paths[name]
            path = options[(index * 7 + n) % len(options)]
            started = time.perf_counter()
            try:
                response = await client.get(path)
                await response.aread()
            except httpx.HTTPError as error:
                results.errors[name].append(f"{path}: {type(error).__name__}: {error}")
                continue
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                results.errors[name].append(f"{path}: HTTP {response.status_code}")
            else:
                results.latencies[name].append(elapsed)


async def run_load(
    base: str, paths: dict[str, list[str]], connections: int, duration: float, max_requests: int
) -> tuple[Results, float]:
    results = Results()
    started = time.monotonic()
    stop_at = started + duration
    await asyncio.gather(
        *(client_loop(base, paths, i, stop_at, max_requests, results) for i in range(connections))
    )
    return results, time.monotonic() - started


def report(results: Results, alone: dict[str, float], elapsed: float, markdown: bool) -> int:
    rows = []
    total_ok = total_errors = 0
    for name in ENDPOINTS:
        ok = results.latencies[name]
        errors = results.errors[name]
        total_ok += len(ok)
        total_errors += len(errors)
        rows.append(
            (
                name,
                len(ok) + len(errors),
                len(errors),
                len(ok) / elapsed,
                alone[name] * 1000,
                percentile(ok, 0.5) * 1000,
                percentile(ok, 0.99) * 1000,
                max(ok, default=float("nan")) * 1000,
            )
        )
    header = (
        "endpoint",
        "requests",
        "errors",
        "req/s",
        "alone p50 ms",
        "p50 ms",
        "p99 ms",
        "max ms",
    )
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print(
                f"| {row[0]} | {row[1]} | {row[2]} | {row[3]:.1f} | {row[4]:.0f} | {row[5]:.0f} | "
                f"{row[6]:.0f} | {row[7]:.0f} |"
            )
        print(
            f"| **all** | {total_ok + total_errors} | {total_errors} | {total_ok / elapsed:.1f} | | | | |"
        )
    else:
        print(f"{header[0]:<14}" + "".join(f"{h:>14}" for h in header[1:]))
        for row in rows:
            print(
                f"{row[0]:<14}{row[1]:>14}{row[2]:>14}{row[3]:>14.1f}{row[4]:>14.0f}{row[5]:>14.0f}"
                f"{row[6]:>14.0f}{row[7]:>14.0f}"
            )
        print(
            f"{'all':<14}{total_ok + total_errors:>14}{total_errors:>14}{total_ok / elapsed:>14.1f}"
        )
    for name, errors in results.errors.items():
        for line in errors[:5]:
            print(f"  ! {name}: {line}", file=sys.stderr)
    return 1 if total_errors else 0


def machine() -> str:
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / (1 << 30):.0f} GiB"
    except (ValueError, OSError):
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return f"{platform.machine()}, {cores} cores{memory}, Python {platform.python_version()}, {platform.system()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "examples" / "corpus")
    parser.add_argument(
        "--store", type=Path, help="an analysed --out folder to serve (default: build one)"
    )
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load")
    parser.add_argument("--max-requests", type=int, default=2000, help="per connection")
    parser.add_argument(
        "--alone", type=int, default=20, help="sequential requests per endpoint first"
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table too")
    options = parser.parse_args()

    print(f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {machine()}", file=sys.stderr)
    print(f"# {shlex.join([Path(sys.executable).name, *sys.argv])}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="parallax-load-") as scratch:
        store = options.store
        if store is None:
            store = Path(scratch) / "out"
            build_store(options.corpus, store)
        port = free_port()
        server = start_server(store, port)
        base = f"http://127.0.0.1:{port}"
        try:
            paths = paths_for(base)
            print(
                f"# {len(paths['story API'])} stories, {len(paths['article API'])} articles; "
                f"{options.connections} connections, {options.duration:.0f} s, at most "
                f"{options.max_requests} requests per connection",
                file=sys.stderr,
            )
            alone = time_alone(base, paths, options.alone)
            results, elapsed = asyncio.run(
                run_load(base, paths, options.connections, options.duration, options.max_requests)
            )
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        status = report(results, alone, elapsed, markdown=False)
        if options.markdown:
            print()
            report(results, alone, elapsed, markdown=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
