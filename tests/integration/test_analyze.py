"""End to end: inputs -> store -> analysis.json -> report, through the public API and CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from parallax import analyze
from parallax.schema import validate_analysis

pytestmark = pytest.mark.slow

LONG_BODY = " ".join(
    f"Sentence {i} of a long enough article body that reports what officials said on Friday."
    for i in range(30)
)


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


@pytest.fixture()
def messy_folder(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    write(root / "good.txt", "Storm hits coast\n\n" + LONG_BODY)
    write(root / "copy of good.txt", "Storm hits coast\n\n" + LONG_BODY + " Extra line.")
    write(root / "latin1.txt", ("Café owners in Zürich said prices rose. " * 20).encode("latin-1"))
    write(root / "empty.txt", "")
    write(root / "image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10)
    write(root / "bad.jsonl", json.dumps({"title": "ok", "text": LONG_BODY.replace("officials", "witnesses").replace("Friday", "Monday")}) + "\n{not json\n")
    write(
        root / "hostile.html",
        "<html><head><title>T</title></head><body><article><p>"
        + LONG_BODY
        + "</p><p><script>alert(1)</script><img src=x onerror=alert(2)></p></article>",
    )
    write(root / "scripts-only.html", "<html><body><script>document.write('x')</script></body></html>")
    return root


def test_analyze_accounts_for_every_input(messy_folder: Path, tmp_path: Path) -> None:
    result = analyze([str(messy_folder)], tmp_path / "out", workers=1)
    inputs = {Path(a.input.split("#")[0]).name for a in result.articles}
    failed = {Path(e.input.split("#")[0]).name for e in result.errors}
    names = {p.name for p in messy_folder.iterdir()}
    assert names <= inputs | failed
    assert {"good.txt", "latin1.txt", "hostile.html"} <= inputs
    assert {"empty.txt", "image.png", "scripts-only.html"} <= failed
    bad_line = [e for e in result.errors if e.input.endswith("bad.jsonl#line=2")]
    assert bad_line and "JSON" in bad_line[0].error
    copy = next(a for a in result.articles if a.input.endswith("copy of good.txt"))
    good = next(a for a in result.articles if a.input.endswith("/good.txt"))
    # Same date (none): the one met first in the sorted walk is the original.
    assert copy.duplicate_of is None
    assert good.duplicate_of == copy.id
    latin = next(a for a in result.articles if a.input.endswith("latin1.txt"))
    assert "Café owners in Zürich" in latin.text


def test_analyze_writes_valid_contract_and_escaped_report(messy_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    analyze([str(messy_folder)], out, workers=1)
    document = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    validate_analysis(document)
    for article in document["articles"]:
        for piece in article["removed"]:
            assert 0 <= piece["at"] <= len(article["text"])
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in report
    assert "onerror=alert" not in report.replace("onerror=alert(2)&gt;", "")


def test_analyze_rerun_is_idempotent(messy_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    analyze([str(messy_folder)], out, workers=1)
    first = (out / "analysis.json").read_text(encoding="utf-8")
    analyze([str(messy_folder)], out, workers=1)
    assert (out / "analysis.json").read_text(encoding="utf-8") == first


def test_analyze_adds_new_inputs_incrementally(messy_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = analyze([str(messy_folder / "good.txt")], out, workers=1)
    second = analyze([str(messy_folder)], out, workers=1)
    assert first.articles[0] in second.articles
    assert len(second.articles) > len(first.articles)


def test_analyze_in_memory_without_out(messy_folder: Path) -> None:
    result = analyze([str(messy_folder / "good.txt")])
    assert result.out_dir is None
    [article] = result.articles
    assert article.title == "Storm hits coast"
    assert article.id.startswith("art_")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "parallax", *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_cli_exit_codes(messy_folder: Path, tmp_path: Path) -> None:
    ok = run_cli("analyze", str(messy_folder / "good.txt"), "--out", str(tmp_path / "a"), "--quiet")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().endswith("report.html")
    nothing = run_cli("analyze", str(messy_folder / "empty.txt"), "--out", str(tmp_path / "b"))
    assert nothing.returncode == 1
    assert "empty" in nothing.stderr
    usage = run_cli("analyze", "--out", str(tmp_path / "c"))
    assert usage.returncode == 2


def test_cli_unwritable_out_is_a_clear_error(messy_folder: Path, tmp_path: Path) -> None:
    blocker = write(tmp_path / "file-not-dir", "x")
    result = run_cli("analyze", str(messy_folder / "good.txt"), "--out", str(blocker / "sub"))
    assert result.returncode == 1
    assert "cannot write to the output directory" in result.stderr
