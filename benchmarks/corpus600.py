"""Build a corpus of ~600-word real English news articles for the throughput benchmarks.

Source: the PTC (SemEval-2020 Task 11) train and dev articles in ../shared/evaldata —
newspaper3k scrapes of 48 outlets, one sentence or paragraph per line, title on the first
line. Read at run time; nothing is copied into the repository.

How: the bodies of all source articles, in file-name order, are read as one stream of lines;
each benchmark article takes lines from the stream until it holds at least ``target`` words
(so a long source article is trimmed at a line end near 600 words and the rest starts the
next benchmark article; a short one is continued by the opening of the next source). No line
is used twice, so the benchmark articles are distinct documents (no near-duplicates). Each
file gets the title of the source article its first line came from.
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_EVALDATA = Path(__file__).resolve().parents[2] / "shared" / "evaldata"


def build_texts(evaldata: Path, count: int, target: int = 600) -> list[tuple[str, str]]:
    """Return up to ``count`` (title, body) pairs of about ``target`` words each."""
    sources = sorted((evaldata / "ptc_propaganda").glob("*-articles/*.txt"))
    if not sources:
        raise SystemExit(f"no PTC articles under {evaldata / 'ptc_propaganda'}")
    out: list[tuple[str, str]] = []
    lines: list[str] = []
    words = 0
    title = ""
    for path in sources:
        head, _, body = path.read_text(encoding="utf-8").partition("\n")
        for line in body.splitlines():
            line = line.strip()
            if not line:
                continue
            if not lines:
                title = head.strip()
            lines.append(line)
            words += len(line.split())
            if words >= target:
                out.append((title, "\n\n".join(lines)))
                lines, words = [], 0
                if len(out) >= count:
                    return out
    return out


def write_corpus(pairs: list[tuple[str, str]], root: Path) -> Path:
    """Write the pairs as ``title\\n\\nbody`` text files (what a scrape folder looks like)."""
    root.mkdir(parents=True, exist_ok=True)
    for i, (title, body) in enumerate(pairs):
        (root / f"article-{i:04d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return root
