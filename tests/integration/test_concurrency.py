"""Two runs on one --out, unwritable output folders and a full disk (issue 7).

DuckDB allows one writing process per file. A second ``parallax analyze`` (or
a reader such as ``serve``/``export``) on a store being written must fail at
once with a clear message and must not harm the store. An output folder that
cannot be written, or a disk that fills up mid-run, must give a clear error
and leave the store consistent: whole batches only, resumable.

We run as root in CI, and root ignores file modes; the permission tests drop
CAP_DAC_OVERRIDE with ``setpriv`` so a read-only folder really is read-only.
The full disk is a 16 MB tmpfs mounted in a private mount namespace
(``unshare``): nothing outside the test's own processes sees it.
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

ENV = {**os.environ, "HF_HUB_OFFLINE": "1"}
IN_USE = "in use by another Parallax process"
WORDS = (
    "council bridge river mayor said would open residents protest city budget vote engineers "
    "inspected steel frame cracks district closure repairs police officials week monday"
).split()


def make_corpus(root: Path, n: int, words: int = 400) -> Path:
    root.mkdir(parents=True)
    for i in range(n):
        rng = random.Random(i)
        body = " ".join(rng.choice(WORDS) for _ in range(words))
        (root / f"article-{i:04d}.txt").write_text(f"Article {i}\n\n{body}.", encoding="utf-8")
    return root


def analyze_command(corpus: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "parallax",
        "analyze",
        str(corpus),
        "--out",
        str(out),
        "--clean-only",
        "--no-report",
        "--workers",
        "1",
        "--batch-size",
        "10",
        *extra,
    ]


def stored_articles(out: Path) -> tuple[int, int]:
    """Open the store the way a later run would; return (articles, distinct inputs)."""
    with duckdb.connect(str(out / "parallax.duckdb"), read_only=True) as db:
        row = db.execute("SELECT count(*), count(DISTINCT input) FROM articles").fetchone()
        assert row is not None
        return row[0], row[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_first_batch(process: subprocess.Popen[str]) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("read "):
            return
    raise AssertionError("the first run ended before storing a batch")


def test_second_analyze_on_the_same_out_fails_fast_and_the_store_survives(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", 300)
    out = tmp_path / "out"
    first = subprocess.Popen(
        analyze_command(corpus, out),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=ENV,
    )
    try:
        wait_for_first_batch(first)
        started = time.monotonic()
        second = subprocess.run(
            analyze_command(corpus, out), capture_output=True, text=True, env=ENV, timeout=120
        )
        waited = time.monotonic() - started
        assert first.poll() is None, "the first run finished before the second started"
    finally:
        assert first.stderr is not None
        rest = first.stderr.read()
        first.wait(timeout=300)
    assert second.returncode == 1, second.stderr
    assert IN_USE in second.stderr
    assert "Traceback" not in second.stderr
    assert waited < 30, f"the second run took {waited:.0f} s to give up"
    assert first.returncode == 0, rest
    assert stored_articles(out) == (300, 300)

    again = subprocess.run(
        analyze_command(corpus, out), capture_output=True, text=True, env=ENV, timeout=300
    )
    assert again.returncode == 0, again.stderr
    assert "300 already stored" in again.stderr or "already stored" in again.stderr
    assert stored_articles(out) == (300, 300)


def test_two_analyze_started_together_one_wins_and_nothing_is_lost(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus", 120)
    out = tmp_path / "out"
    processes = [
        subprocess.Popen(
            analyze_command(corpus, out),
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            env=ENV,
        )
        for _ in range(2)
    ]
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in processes]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 1]), results
    for code, stderr in results:
        assert "Traceback" not in stderr, stderr
        if code == 1:
            assert IN_USE in stderr
    assert stored_articles(out) == (120, 120)


@pytest.mark.parametrize("command", ["serve", "export"])
def test_readers_on_a_store_being_written_get_a_clear_error(tmp_path: Path, command: str) -> None:
    if command == "serve":
        pytest.importorskip("fastapi")
    corpus = make_corpus(tmp_path / "corpus", 300)
    out = tmp_path / "out"
    writer = subprocess.Popen(
        analyze_command(corpus, out),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=ENV,
    )
    try:
        wait_for_first_batch(writer)
        args = (
            ["--port", str(free_port())]
            if command == "serve"
            else ["--out", str(tmp_path / "export")]
        )
        reader = subprocess.run(
            [sys.executable, "-m", "parallax", command, str(out), *args],
            capture_output=True,
            text=True,
            env=ENV,
            timeout=60,
        )
        assert writer.poll() is None, "the writer finished before the reader started"
    finally:
        assert writer.stderr is not None
        writer.stderr.read()
        writer.wait(timeout=300)
    assert reader.returncode == 1, reader.stderr
    assert IN_USE in reader.stderr
    assert "Traceback" not in reader.stderr
    assert writer.returncode == 0
    assert stored_articles(out) == (300, 300)


# --- unwritable output ---------------------------------------------------------------------


def one_article(tmp_path: Path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text("Bridge opens\n\n" + " ".join(WORDS * 5) + ".", encoding="utf-8")
    return path


def without_root_override() -> list[str]:
    """Drop root's power to ignore file modes (CAP_DAC_OVERRIDE), or skip."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root without setpriv: file modes cannot be enforced")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


def run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, env=ENV, timeout=300)


def test_out_under_a_regular_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = run(analyze_command(one_article(tmp_path), blocker / "out"))
    assert done.returncode == 1
    assert "cannot write to the output directory" in done.stderr
    assert "Not a directory" in done.stderr
    assert "Traceback" not in done.stderr


def test_out_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = run(analyze_command(one_article(tmp_path), blocker))
    assert done.returncode == 2
    assert "is a file" in done.stderr


def test_read_only_out_folder_is_a_clear_error(tmp_path: Path) -> None:
    prefix = without_root_override()
    out = tmp_path / "read-only"
    out.mkdir()
    out.chmod(0o555)
    try:
        done = run([*prefix, *analyze_command(one_article(tmp_path), out)])
        nested = run([*prefix, *analyze_command(one_article(tmp_path), out / "sub")])
    finally:
        out.chmod(0o755)
    for result in (done, nested):
        assert result.returncode == 1
        assert "cannot write to the output directory" in result.stderr
        assert "Permission denied" in result.stderr
        assert "Traceback" not in result.stderr
    assert not any(out.iterdir())


def test_read_only_store_file_is_a_clear_error_and_stays_intact(tmp_path: Path) -> None:
    prefix = without_root_override()
    article = one_article(tmp_path)
    out = tmp_path / "out"
    assert run(analyze_command(article, out)).returncode == 0
    store = out / "parallax.duckdb"
    before = store.read_bytes()
    store.chmod(0o444)
    try:
        (tmp_path / "b.txt").write_text("Another\n\n" + " ".join(reversed(WORDS * 5)) + ".")
        done = run([*prefix, *analyze_command(tmp_path, out)])
    finally:
        store.chmod(0o644)
    assert done.returncode == 1
    assert "cannot open the store" in done.stderr and "Permission denied" in done.stderr
    assert "Traceback" not in done.stderr
    assert store.read_bytes() == before
    assert stored_articles(out) == (1, 1)


# --- disk full ---------------------------------------------------------------------------


DISK_FULL_SCRIPT = r"""
set -u
mount -t tmpfs -o size=16m tmpfs "$MNT" || exit 97
dd if=/dev/zero of="$MNT/filler" bs=1K count=$((16384 - FREE_KB)) status=none 2>/dev/null
"$PY" -m parallax analyze "$CORPUS" --out "$MNT/out" --clean-only --no-report \
    --workers 1 --batch-size 20 >"$LOG/first.out" 2>"$LOG/first.err"
echo $? >"$LOG/first.rc"
"$PY" -c "$COUNT" "$MNT/out" >"$LOG/after-full.txt" 2>&1
ls -a "$MNT/out" >"$LOG/leftovers.txt"
rm -f "$MNT/filler"
"$PY" -m parallax analyze "$CORPUS" --out "$MNT/out" --clean-only --no-report \
    --workers 1 --batch-size 20 >"$LOG/second.out" 2>"$LOG/second.err"
echo $? >"$LOG/second.rc"
"$PY" -c "$COUNT" "$MNT/out" >"$LOG/after-resume.txt" 2>&1
"""
COUNT = (
    "import sys, duckdb; db = duckdb.connect(sys.argv[1] + '/parallax.duckdb', read_only=True); "
    "print(*db.execute('SELECT count(*), count(DISTINCT input) FROM articles').fetchone())"
)
# 200 articles of 600 words: a 1.6 MB store and a 0.9 MB analysis.json. With 512 KB free the
# store's commit fails part way; with 1.5 MB free the store fits (today) and analysis.json
# does not. Either way the run must end with one clear line and a consistent store.
FREE_KB = {"store": 512, "analysis.json": 1536}


def private_tmpfs_prefix() -> list[str]:
    """A command prefix that runs a script in a private mount namespace, or skip."""
    if not shutil.which("unshare"):
        pytest.skip("no unshare: cannot mount a private tmpfs to fill")
    candidates = [["unshare", "--mount"], ["unshare", "--user", "--map-root-user", "--mount"]]
    for prefix in candidates:
        probe = subprocess.run(
            [*prefix, "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt && umount /mnt"],
            capture_output=True,
            timeout=30,
        )
        if probe.returncode == 0:
            return prefix
    pytest.skip("cannot mount a tmpfs in a private mount namespace here (no privileges)")


@pytest.fixture(scope="module")
def disk_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("disk-corpus") / "corpus", 200, words=600)


@pytest.fixture(scope="module", params=sorted(FREE_KB))
def disk_full(
    request: pytest.FixtureRequest, disk_corpus: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    """Run analyze on a nearly full disk, then free space and resume; return (scenario, logs)."""
    prefix = private_tmpfs_prefix()
    base = tmp_path_factory.mktemp("disk-full")
    (base / "mnt").mkdir()
    log = base / "log"
    log.mkdir()
    env = {
        **ENV,
        "MNT": str(base / "mnt"),
        "CORPUS": str(disk_corpus),
        "LOG": str(log),
        "PY": sys.executable,
        "COUNT": COUNT,
        "FREE_KB": str(FREE_KB[request.param]),
    }
    subprocess.run(
        [*prefix, "bash", "-c", DISK_FULL_SCRIPT],
        env=env,
        cwd=Path(__file__).parents[2],
        timeout=600,
        check=True,
    )
    return request.param, log


def test_disk_full_is_a_clear_error(disk_full: tuple[str, Path]) -> None:
    _, log = disk_full
    stderr = (log / "first.err").read_text()
    assert (log / "first.rc").read_text().strip() == "1", stderr
    assert "Traceback" not in stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and "No space left on device" in last, last
    leftovers = (log / "leftovers.txt").read_text().split()
    assert not [name for name in leftovers if name.endswith(".tmp")], leftovers


def test_disk_full_leaves_whole_batches_and_resumes(disk_full: tuple[str, Path]) -> None:
    scenario, log = disk_full
    articles, inputs = map(int, (log / "after-full.txt").read_text().split())
    assert articles == inputs and articles % 20 == 0  # whole batches of 20, no duplicates
    if scenario == "store":
        assert 0 < articles < 200, "the disk did not fill while the store was written"
    assert (log / "second.rc").read_text().strip() == "0", (log / "second.err").read_text()
    assert (log / "after-resume.txt").read_text().split() == ["200", "200"]
