"""Cross-article steps at scale: full link at 1k/10k/100k articles, and the incremental case.

Corpus (built at run time from real articles in ../shared/evaldata; nothing is copied into
the repository):

1. *Pool.* Every ECB+ document here (topics 1-35, 837 news articles about 70 seminal events
   and their look-alikes) and the first ``--ptc`` PTC training articles (long opinion and
   news pieces from 48 outlets) are read once with the real reading stage (spaCy parse,
   entities, quotes, dates, events). The parsed pool is cached in ``--cache`` (outside the
   repository) so later runs skip the parse.
2. *Events.* A corpus of N articles is a sequence of events. Each event takes one pool
   article as its seed and a day drawn uniformly from a span of ``N / 100`` days (about
   100 articles a day, so the density of the news does not change with N), and is covered
   by 1-12 outlets (geometric, mean about 3.5).
3. *Outlet variants.* Each outlet's article is the seed with each sentence dropped with
   probability 0.15 and neighbouring sentences swapped with probability 0.3, a sign-off
   line added, published 0-3 days after the event; 5 % of variants are verbatim syndicated
   copies marked ``duplicate_of`` the first one. Every entity mention, quote (span, cue,
   speaker), event and date expression inside a kept sentence is carried over with its
   offsets moved to the new text (items crossing sentences are dropped); per-article ids
   are re-derived for the new article; full-date values move with the event's day.
   So stories and entities overlap as in real coverage: the same names and facts across
   outlets, the same seed re-used months apart as a different happening, hard negatives
   (ECB+'s look-alike events) everywhere.

Measurements, each in its own subprocess (peak RSS = ``VmHWM`` of that
process): ``full N``: a fresh store with N articles (bulk insert, untimed), then the link
step exactly as ``analyze`` runs it (read every article from the store, ``link_corpus``,
save the links); ``incremental N``: a copy of that store plus 1,000 new articles (half new
coverage of stored events, half new events), then the same call, which now links only the
new ones. Absolute times on the shared machine are noisy: compare ratios from one run.

Usage: .venv/bin/python benchmarks/bench_crossdoc.py --sizes 1000 10000 100000
       .venv/bin/python benchmarks/bench_crossdoc.py --profile 10000   # cProfile of the link step
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import platform
import random
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

OUTLETS = [f"Outlet {chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(60)]
ARTICLES_PER_DAY = 100
INCREMENT = 1000


# --------------------------------------------------------------------------- pool
def build_pool(evaldata: Path, ptc: int, cache: Path) -> list[Any]:
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"pool-ecb-ptc{ptc}.pkl"
    if path.exists():
        with open(path, "rb") as handle:
            return pickle.load(handle)
    from parallax.evaluation.claims import read_ecb_corpus
    from parallax.ids import make_id
    from parallax.records import Article
    from parallax.stages.reader import ArticleReader

    raw: list[Article] = []
    for doc in read_ecb_corpus(evaldata / "ecbplus"):
        text = doc.text.strip()
        title = text.split("\n", 1)[0][:100]
        raw.append(Article(id=make_id("art", "pool", doc.name), input=doc.name, format="txt",
                           text=text, title=title, language="en", published="2020-01-01"))
    for p in sorted((evaldata / "ptc_propaganda" / "train-articles").glob("*.txt"))[:ptc]:
        title, _, body = p.read_text(encoding="utf-8").partition("\n")
        raw.append(Article(id=make_id("art", "pool", p.stem), input=p.name, format="txt",
                           text=body.strip(), title=title.strip(), language="en",
                           published="2020-01-01"))
    reader = ArticleReader()
    reader.setup()
    pool = []
    start = time.perf_counter()
    for i in range(0, len(raw), 32):
        pool.extend(a for a in reader.process_batch(raw[i : i + 32]) if isinstance(a, Article))
        print(f"  parsed {len(pool)}/{len(raw)} pool articles ({time.perf_counter() - start:.0f} s)",
              file=sys.stderr)
    pool = [a for a in pool if len(a.text) > 200]
    with open(path, "wb") as handle:
        pickle.dump(pool, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return pool


# --------------------------------------------------------------------------- variants
def _variant(seed: Any, article_id: str, outlet: str, day: int, rng: random.Random) -> Any:
    from parallax.crossdoc.claims import split_sentences
    from parallax.ids import make_id
    from parallax.records import Mention

    text = seed.text
    spans = split_sentences(text)
    order = [k for k in range(len(spans)) if rng.random() > 0.15 or len(spans) <= 3]
    for i in range(len(order) - 1):
        if rng.random() < 0.3:
            order[i], order[i + 1] = order[i + 1], order[i]
    pieces: list[str] = []
    moved: dict[int, int] = {}  # sentence index -> new start
    at = 0
    for k in order:
        s, e = spans[k]
        moved[k] = at - s
        pieces.append(text[s:e])
        at += e - s + 1
    sign_off = f"Reporting by {outlet} staff."
    new_text = "\n".join(pieces) + "\n" + sign_off
    starts = [s for s, _ in spans]

    import bisect

    def where(start: int | None, end: int | None) -> tuple[int, int] | None:
        if start is None or end is None:
            return None
        k = bisect.bisect_right(starts, start) - 1
        if k < 0 or k not in moved or end > spans[k][1]:
            return None
        return start + moved[k], end + moved[k]

    shift = day - date.fromisoformat(seed.published).toordinal()

    def shifted(value: str | None) -> str | None:
        if value and len(value) >= 10 and value[4] == "-" and value[7] == "-":
            try:
                d = date.fromisoformat(value[:10]) + timedelta(days=shift)
                return d.isoformat() + value[10:]
            except ValueError:
                return value
        return value

    ids: dict[str, str] = {}
    entities = []
    for entity in seed.entities:
        mentions = []
        for m in entity.mentions:
            span = where(m.start, m.end)
            if span:
                mentions.append(Mention(article=article_id, start=span[0], end=span[1], text=m.text))
        if mentions:
            ids[entity.id] = make_id("ent", article_id, entity.id)
            entities.append(replace(entity, id=ids[entity.id], mentions=tuple(mentions)))
    quotes = []
    for q in seed.quotes:
        span = where(q.start, q.end)
        cue = where(q.cue_start, q.cue_end)
        speaker = where(q.speaker_start, q.speaker_end)
        if not span or (q.cue_start is not None and not cue) or (q.speaker_start is not None and not speaker):
            continue
        quotes.append(replace(
            q, id=make_id("quo", article_id, q.id), article=article_id, start=span[0], end=span[1],
            cue_start=cue[0] if cue else None, cue_end=cue[1] if cue else None,
            speaker_start=speaker[0] if speaker else None, speaker_end=speaker[1] if speaker else None,
            speaker=ids.get(q.speaker, None) if q.speaker else None,
            speakers=tuple(ids[s] for s in q.speakers if s in ids)))
    events = []
    for ev in seed.events:
        span, trigger = where(ev.start, ev.end), where(ev.trigger_start, ev.trigger_end)
        if not span or not trigger:
            continue
        events.append(replace(
            ev, id=make_id("evt", article_id, ev.id), article=article_id, start=span[0], end=span[1],
            trigger_start=trigger[0], trigger_end=trigger[1],
            actor=ids.get(ev.actor, ev.actor) if ev.actor else None,
            target=ids.get(ev.target, ev.target) if ev.target else None,
            place=ids.get(ev.place, ev.place) if ev.place else None,
            date=shifted(ev.date)))
    dates = []
    for d in seed.dates:
        span = where(d.start, d.end)
        if span:
            dates.append(replace(d, article=article_id, start=span[0], end=span[1],
                                 value=shifted(d.value), anchor=shifted(d.anchor)))
    return replace(
        seed, id=article_id, input=f"bench/{article_id}", text=new_text, outlet=outlet,
        published=date.fromordinal(day).isoformat(), entities=tuple(entities),
        quotes=tuple(quotes), events=tuple(events), dates=tuple(dates), duplicate_of=None,
        stamps=(), removed=(), flags=(),
    )


def synthesize(pool: list[Any], n: int, seed: int, *, span_days: int, first_day: int,
               events: list[tuple[int, int]] | None = None,
               made: list[tuple[int, int]] | None = None) -> list[Any]:
    """``n`` articles: events of 1-12 outlet variants (module docstring).

    ``events`` (seed index, day) are re-covered first, half of ``n`` (the incremental case).
    """
    out: list[Any] = []
    for batch in generate(pool, n, seed, span_days=span_days, first_day=first_day, events=events,
                          made=made):
        out.extend(batch)
    return out


def generate(pool: list[Any], n: int, seed: int, *, span_days: int, first_day: int,
             events: list[tuple[int, int]] | None = None,
             made: list[tuple[int, int]] | None = None, batch: int = 2000) -> Any:
    """:func:`synthesize` in batches of about ``batch`` articles (the same articles), so a
    large corpus never sits in memory whole."""
    from parallax.ids import make_id

    rng = random.Random(seed)
    out: list[Any] = []
    done = 0
    planned = list(events or [])
    rng.shuffle(planned)
    reuse = n // 2 if events else 0
    count = 0
    while done + len(out) < n:
        if len(out) >= batch:  # between events: a copy only points at its own event's first
            done += len(out)
            yield out
            out = []
        if reuse and done + len(out) < reuse and planned:
            index, day = planned.pop()
        else:
            index, day = rng.randrange(len(pool)), first_day + rng.randrange(span_days)
        outlets = rng.sample(OUTLETS, min(12, 1 + int(rng.expovariate(1 / 2.5))))
        if made is not None:
            made.append((index, day))
        first = None
        for outlet in outlets:
            if done + len(out) >= n:
                break
            count += 1
            article_id = make_id("art", "bench", str(seed), str(count))
            if first is not None and rng.random() < 0.05:
                copy = replace(first, id=article_id, input=f"bench/{article_id}", outlet=outlet)
                out.append(_rekey(copy, first.id))
                continue
            article = _variant(pool[index], article_id, outlet, day + rng.choice((0, 0, 1, 2, 3)), rng)
            out.append(article)
            first = first or article
    if out:
        yield out


def _rekey(copy: Any, original: str) -> Any:
    """A verbatim syndicated copy: the same text, its own ids, marked as a duplicate."""
    from parallax.ids import make_id

    ids = {e.id: make_id("ent", copy.id, e.id) for e in copy.entities}
    return replace(
        copy, duplicate_of=original,
        entities=tuple(replace(e, id=ids[e.id], mentions=tuple(replace(m, article=copy.id) for m in e.mentions))
                       for e in copy.entities),
        quotes=tuple(replace(q, id=make_id("quo", copy.id, q.id), article=copy.id,
                             speaker=ids.get(q.speaker or "", None),
                             speakers=tuple(ids[s] for s in q.speakers if s in ids)) for q in copy.quotes),
        events=tuple(replace(e, id=make_id("evt", copy.id, e.id), article=copy.id) for e in copy.events),
        dates=tuple(replace(d, article=copy.id) for d in copy.dates),
    )


def corpus_events(pool: list[Any], n: int, seed: int) -> tuple[int, int]:
    """(first day, span) of the corpus of size n: ~100 articles a day."""
    return date(2021, 1, 1).toordinal(), max(10, math.ceil(n / ARTICLES_PER_DAY))


# --------------------------------------------------------------------------- one measurement
def _save(store: Any, articles: list[Any]) -> None:
    from parallax import api

    for i in range(0, len(articles), 2000):
        chunk = articles[i : i + 2000]
        prints = []
        bands, rows = api.lsh_bands()
        for a in chunk:
            fp = api.fingerprint(a.id, a.text)
            prints.append((a.id, api.signature_bytes(fp.signature), api.band_hashes(fp.signature, bands, rows)))
        store.save_batch(chunk, [], fingerprints=prints)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from parallax import api
    from parallax.store.duckdb import Store

    pool = build_pool(args.evaldata, args.ptc, args.cache)
    n = args.size
    first_day, span = corpus_events(pool, n, 1)
    path = args.cache / f"store-{n}.duckdb"
    result: dict[str, Any] = {"mode": args.mode, "size": n}
    if args.mode == "full":
        made: list[tuple[int, int]] = []
        path.unlink(missing_ok=True)
        result["entities"] = result["chars"] = 0
        with Store(path) as store:
            start = time.perf_counter()
            for batch in generate(pool, n, 1, span_days=span, first_day=first_day, made=made):
                result["entities"] += sum(len(a.entities) for a in batch)
                result["chars"] += sum(len(a.text) for a in batch)
                _save(store, batch)
            del batch
            result["store_write_s"] = time.perf_counter() - start
            (args.cache / f"events-{n}.json").write_text(json.dumps(made))
            result["rss_before_link_mb"] = peak_rss_mb()
            spent = _time_readback(store)
            start = time.perf_counter()
            links, _ = api._link(store)
            result["link_s"] = time.perf_counter() - start
            result["readback_s"] = spent[0]
            result["stories"] = len(links.stories)
            result["corpus_entities"] = len(links.entities)
            result["claims"] = len(links.claims)
            result["problems"] = list(links.problems)
    else:
        work = args.cache / f"store-{n}-plus.duckdb"
        shutil.copyfile(path, work)
        rng = random.Random(7)
        # Re-cover stored events: recover (seed, day) pairs from the full corpus generator.
        events = [tuple(e) for e in json.loads((args.cache / f"events-{n}.json").read_text())]
        new = synthesize(pool, INCREMENT, 2, span_days=span, first_day=first_day,
                         events=rng.sample(events, min(len(events), INCREMENT)))
        with Store(work) as store:
            _save(store, new)
            spent = _time_readback(store)
            start = time.perf_counter()
            links, _ = api._link(store)
            result["link_s"] = time.perf_counter() - start
            result["readback_s"] = spent[0]
            result["stories"] = len(links.stories)
            result["problems"] = list(links.problems)
            # What the increment had to re-link: every member of the stories it touched.
            result["relinked_articles"] = store.query(
                "SELECT count(*) FROM story_articles WHERE story_id IN (SELECT story_id FROM "
                "story_articles WHERE article_id IN (SELECT unnest(?::VARCHAR[])))",
                [[a.id for a in new]])[0][0]
        work.unlink(missing_ok=True)
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def _time_readback(store: Any) -> list[float]:
    """Time ``store.links()`` inside the link step: the read of every stored link that
    ``analysis.json`` needs at the end (grows with the store by nature)."""
    spent = [0.0]
    read = store.links

    def timed() -> Any:
        start = time.perf_counter()
        try:
            return read()
        finally:
            spent[0] += time.perf_counter() - start

    store.links = timed
    return spent


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM). Not ``ru_maxrss``: Linux carries that over
    ``execve`` from the parent, so a subprocess would report the driver's peak."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- driver
def main() -> None:
    parser = argparse.ArgumentParser()
    default = Path(__file__).resolve().parents[2] / "shared" / "evaldata"
    parser.add_argument("--evaldata", type=Path, default=default)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/parallax-bench-crossdoc"))
    parser.add_argument("--ptc", type=int, default=120)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument("--no-incremental", action="store_true")
    parser.add_argument("--only-incremental", action="store_true",
                        help="re-use the stores of an earlier run (same --cache)")
    parser.add_argument("--profile", type=int, default=0, help="cProfile the full link at this size")
    parser.add_argument("--profile-incremental", type=int, default=0,
                        help="cProfile adding 1,000 to the stored N-article store of an earlier run")
    parser.add_argument("--agreement", type=int, default=0,
                        help="stories of (N - 1,000 full, then 1,000 incremental) vs N full")
    parser.add_argument("--mode", choices=["full", "incremental"], help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(measure(args)))
        return
    build_pool(args.evaldata, args.ptc, args.cache)
    if args.profile:
        _profile(args)
        return
    if args.profile_incremental:
        _profile_incremental(args)
        return
    if args.agreement:
        _agreement(args)
        return
    print(f"machine: {platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
          f"Python {platform.python_version()}, {date.today().isoformat()}")
    rows = []
    for size in args.sizes:
        modes = ("incremental",) if args.only_incremental else ("full", "incremental")
        for mode in modes[:1] if args.no_incremental else modes:
            command = [sys.executable, __file__, "--mode", mode, "--size", str(size),
                       "--evaldata", str(args.evaldata), "--cache", str(args.cache),
                       "--ptc", str(args.ptc)]
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            if done.returncode:
                print(done.stderr[-3000:], file=sys.stderr)
                raise SystemExit(f"{mode} {size} failed")
            row = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(json.dumps(row), flush=True)
    _table(rows)


def _table(rows: list[dict[str, Any]]) -> None:
    full = {r["size"]: r for r in rows if r["mode"] == "full"}
    print("\n| articles | link step (s) | ×time vs previous size | peak RSS (MB) | stories | "
          "add 1,000 to this store: link step (s) | of which reading all links back (s) | "
          "peak RSS (MB) | incremental / fresh 1k |")
    print("|---|---|---|---|---|---|---|---|---|")
    fresh = full.get(1000, {}).get("link_s")
    previous = None
    for size in sorted(full):
        r = full[size]
        inc = next((x for x in rows if x["mode"] == "incremental" and x["size"] == size), None)
        ratio = f"{r['link_s'] / previous['link_s']:.1f}× for {size / previous['size']:.0f}×" if previous else "–"
        inc_cells = (f"{inc['link_s']:.1f} | {inc.get('readback_s', 0):.1f} | {inc['peak_rss_mb']:.0f}"
                     if inc else "– | – | –")
        inc_ratio = f"{inc['link_s'] / fresh:.2f}" if inc and fresh else "–"
        print(f"| {size:,} | {r['link_s']:.1f} | {ratio} | {r['peak_rss_mb']:.0f} | {r['stories']:,} | "
              f"{inc_cells} | {inc_ratio} |")
        previous = r


def _agreement(args: argparse.Namespace) -> None:
    """How far incremental linking departs from one full link over the same articles.

    Pairwise: of the article pairs the full link puts in one story, the share the
    incremental run also does (recall), and vice versa (precision).
    """
    from itertools import combinations

    from parallax import api
    from parallax.store.duckdb import Store

    pool = build_pool(args.evaldata, args.ptc, args.cache)
    n = args.agreement
    first_day, span = corpus_events(pool, n, 1)
    made: list[tuple[int, int]] = []
    base = synthesize(pool, n - INCREMENT, 1, span_days=span, first_day=first_day, made=made)
    new = synthesize(pool, INCREMENT, 2, span_days=span, first_day=first_day,
                     events=random.Random(7).sample(made, min(len(made), INCREMENT)))

    def pairs(stories: Any) -> set[tuple[str, str]]:
        return {p for s in stories for p in combinations(sorted(s.articles), 2)}

    from parallax.crossdoc.link import link_corpus

    with Store(None) as store:
        _save(store, base)
        api._link(store)
        stored = store.stories()
        _save(store, new)
        start = time.perf_counter()
        incremental, _ = api._link(store)
        took = time.perf_counter() - start
    start = time.perf_counter()
    rerun = link_corpus(base + new, stored)  # what the previous version did on the second run
    rerun_took = time.perf_counter() - start
    with Store(None) as store:
        _save(store, base + new)
        full, _ = api._link(store)

    def claim_pairs(claims: Any) -> set[tuple[Any, Any]]:
        return {p for c in claims for p in combinations(sorted((m.article, m.start) for m in c.mentions), 2)}

    def conflict_pairs(claims: Any) -> set[frozenset[Any]]:
        key = {c.id: {(m.article, m.start) for m in c.mentions} for c in claims}
        return {frozenset((x, y)) for c in claims for f in c.contradicts if f.claim in key
                for x in key[c.id] for y in key[f.claim]}

    def compare(name: str, other: Any) -> str:
        a, b = pairs(incremental.stories), pairs(other.stories)
        both = len(a & b)
        ca, cb = claim_pairs(incremental.claims), claim_pairs(other.claims)
        cboth = len(ca & cb)
        fa, fb = conflict_pairs(incremental.claims), conflict_pairs(other.claims)
        fboth = len(fa & fb)
        multi = [sum(1 for c in x.claims if c.outlets >= 2) for x in (incremental, other)]
        return (f"vs {name}: stories {len(incremental.stories)} vs {len(other.stories)}, same-story "
                f"pairs recall {both / max(1, len(b)):.3f} precision {both / max(1, len(a)):.3f}, "
                f"corpus entities {len(incremental.entities)} vs {len(other.entities)}, "
                f"claims {len(incremental.claims)} vs {len(other.claims)} "
                f"(≥2 outlets {multi[0]} vs {multi[1]}), same-claim mention pairs recall "
                f"{cboth / max(1, len(cb)):.3f} precision {cboth / max(1, len(ca)):.3f}, contradicting "
                f"mention pairs {len(fa)} vs {len(fb)} (shared {fboth})")

    print(f"{n} articles: {n - INCREMENT} linked, then {INCREMENT} incrementally in {took:.1f} s "
          f"(a re-link of all {n} with the stored stories, as before: {rerun_took:.1f} s)")
    print("incremental " + compare("re-link of all with stored stories", rerun))
    print("incremental " + compare("one link over all at once", full))


def _profile(args: argparse.Namespace) -> None:
    import cProfile
    import pstats

    from parallax.crossdoc.link import link_corpus

    pool = build_pool(args.evaldata, args.ptc, args.cache)
    first_day, span = corpus_events(pool, args.profile, 1)
    articles = synthesize(pool, args.profile, 1, span_days=span, first_day=first_day)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    links = link_corpus(articles)
    profiler.disable()
    print(f"link_corpus over {len(articles)} articles: {time.perf_counter() - start:.1f} s, "
          f"{len(links.stories)} stories, problems={links.problems}")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(25)


def _profile_incremental(args: argparse.Namespace) -> None:
    """cProfile of the ``incremental`` measurement on the store an earlier run left."""
    import cProfile
    import pstats

    from parallax import api
    from parallax.store.duckdb import Store

    pool = build_pool(args.evaldata, args.ptc, args.cache)
    n = args.profile_incremental
    first_day, span = corpus_events(pool, n, 1)
    work = args.cache / f"store-{n}-profile.duckdb"
    shutil.copyfile(args.cache / f"store-{n}.duckdb", work)
    events = [tuple(e) for e in json.loads((args.cache / f"events-{n}.json").read_text())]
    new = synthesize(pool, INCREMENT, 2, span_days=span, first_day=first_day,
                     events=random.Random(7).sample(events, min(len(events), INCREMENT)))
    with Store(work) as store:
        _save(store, new)
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        api._link(store)
        profiler.disable()
        print(f"adding {INCREMENT} to {n}: {time.perf_counter() - start:.1f} s under the profiler")
    work.unlink(missing_ok=True)
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
