"""Golden end-to-end test on the bundled sample corpus.

The expected file is a compact, reviewable summary per article (metadata,
flags, removed pieces, duplicate links, a hash of the cleaned text). After an
intended change, run ``pytest tests/golden --update-golden`` and review the diff.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from parallax import analyze
from parallax.schema import validate_analysis

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "examples" / "corpus"
EXPECTED = Path(__file__).parent / "expected" / "sample_corpus.json"


def summarise(document: dict) -> dict:
    by_id = {a["id"]: a for a in document["articles"]}

    def rel(path: str) -> str:
        return Path(path).resolve().relative_to(CORPUS).as_posix() if "#" not in path else (
            Path(path.split("#")[0]).resolve().relative_to(CORPUS).as_posix() + "#" + path.split("#", 1)[1]
        )

    articles = {}
    for a in document["articles"]:
        articles[rel(a["input"])] = {
            "title": a["title"],
            "outlet": a["outlet"],
            "published": a["published"],
            "language": a["language"],
            "flags": a["flags"],
            "duplicate_of": rel(by_id[a["duplicate_of"]]["input"]) if a["duplicate_of"] else None,
            "removed": [[p["reason"], p["text"][:80]] for p in a["removed"]],
            "words": len(a["text"].split()),
            "text_sha1": hashlib.sha1(a["text"].encode()).hexdigest()[:12],
            "starts": a["text"][:60],
        }
    return {
        "articles": dict(sorted(articles.items())),
        "errors": sorted([rel(e["input"]), e["error"]] for e in document["errors"]),
    }


def test_sample_corpus_golden(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    analyze([str(CORPUS)], tmp_path / "out", workers=1)
    document = json.loads((tmp_path / "out" / "analysis.json").read_text(encoding="utf-8"))
    validate_analysis(document)
    summary = summarise(document)
    if request.config.getoption("--update-golden") or not EXPECTED.exists():
        EXPECTED.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        if not request.config.getoption("--update-golden"):
            pytest.fail(f"wrote missing golden file {EXPECTED}; review and commit it")
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert summary == expected


def test_sample_corpus_every_file_accounted(tmp_path: Path) -> None:
    result = analyze([str(CORPUS)], tmp_path / "out", workers=1)
    seen = {Path(x.input.split("#")[0]).resolve() for x in (*result.articles, *result.errors)}
    files = {p.resolve() for p in CORPUS.rglob("*") if p.is_file() and not p.name.startswith(".")}
    assert files == seen
    assert len(result.articles) >= 50
    assert all(a.language == "en" for a in result.articles)
