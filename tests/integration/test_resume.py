"""A run killed with SIGKILL resumes to the same result as an uninterrupted run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def make_corpus(root: Path, n: int) -> None:
    root.mkdir()
    for i in range(n):
        body = " ".join(
            f"Report {i}: the council in district {i} said on Monday that item {j} was approved."
            for j in range(25)
        )
        (root / f"article-{i:04d}.txt").write_text(f"Council news {i}\n\n{body}", encoding="utf-8")


def command(corpus: Path, out: Path) -> list[str]:
    return [
        sys.executable, "-m", "parallax", "analyze", str(corpus), "--out", str(out),
        "--batch-size", "10", "--workers", "1", "--clean-only", "--no-report",
    ]


def canonical(out: Path) -> dict:
    document = json.loads((out / "analysis.json").read_text(encoding="utf-8"))
    document["articles"] = sorted(document["articles"], key=lambda a: a["id"])
    return document


def test_killed_run_resumes_without_duplicates_or_loss(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_corpus(corpus, 120)
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}

    reference = tmp_path / "reference"
    subprocess.run(command(corpus, reference), check=True, capture_output=True, env=env, timeout=300)

    out = tmp_path / "killed"
    process = subprocess.Popen(
        command(corpus, out), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env
    )
    assert process.stderr is not None
    batches = 0
    for line in process.stderr:
        if line.startswith("read "):
            batches += 1
            if batches == 3:
                process.send_signal(signal.SIGKILL)
                break
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert not (out / "analysis.json").exists()

    resumed = subprocess.run(command(corpus, out), capture_output=True, text=True, env=env, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert "already stored" in resumed.stderr
    assert canonical(out) == canonical(reference)
    assert len(canonical(out)["articles"]) == 120
