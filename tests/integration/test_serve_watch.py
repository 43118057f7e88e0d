"""`parallax serve --watch`: files dropped into a folder show up in the running app."""

from __future__ import annotations

import json
import shutil
import threading
import time
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")

with warnings.catch_warnings():  # starlette asks for httpx2 when only httpx is installed
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient  # noqa: E402

from parallax import analyze  # noqa: E402
from parallax.web import create_app  # noqa: E402
from parallax.web.watch import FolderWatcher, LiveReader, folder_listing  # noqa: E402

BASE = "http://127.0.0.1"
CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus" / "wikinews"
TEXTS = sorted(CORPUS.glob("*.txt"))


def _count(reader: LiveReader) -> int:
    cursor = reader.cursor()
    try:
        return cursor.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        cursor.close()


def _store(tmp: Path, name: str, texts: list[Path]) -> Path:
    folder = tmp / f"{name}-in"
    folder.mkdir()
    for text in texts:
        shutil.copy(text, folder / text.name)
    out = tmp / name
    analyze(folder, out, read=False, report=False, workers=1)
    return out


def test_folder_listing_sees_new_changed_and_nested_files_but_not_symlinks(tmp_path: Path):
    (tmp_path / "a.txt").write_text("one")
    before = folder_listing(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("two")
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / ".partial.txt").write_text("a browser's download in progress")
    after = folder_listing(tmp_path)
    assert {name for name, _, _ in after} == {"a.txt", "sub/b.txt"}
    assert before < after
    (tmp_path / "a.txt").write_text("one, longer")
    assert folder_listing(tmp_path) != after


def test_swap_waits_for_open_cursors_and_serves_the_new_store(tmp_path: Path):
    old = _store(tmp_path, "old", TEXTS[:1])
    new = _store(tmp_path, "new", TEXTS[:2])
    reader = LiveReader(old)
    assert _count(reader) == 1
    held = reader.cursor()
    swapped = threading.Event()

    def swap() -> None:
        reader.swap(lambda: shutil.copyfile(new / "parallax.duckdb", old / "parallax.duckdb"))
        swapped.set()

    worker = threading.Thread(target=swap)
    worker.start()
    time.sleep(0.3)
    assert not swapped.is_set()  # a request still reads the old file
    assert held.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    held.close()
    worker.join(10)
    assert swapped.is_set()
    assert _count(reader) == 2
    reader.close()


def test_dropped_files_are_analysed_into_the_running_app(tmp_path: Path):
    out = _store(tmp_path, "out", TEXTS[:1])
    dropbox = tmp_path / "dropbox"
    dropbox.mkdir()
    app = create_app(out, watch=dropbox, watch_interval=3600)  # polled by hand below
    with TestClient(app, base_url=BASE) as client:
        status = client.get("/api/watch").json()
        assert status["state"] == "idle" and status["updates"] == 0
        assert client.get("/api/articles").json()["total"] == 1

        for text in TEXTS[1:3]:
            shutil.copy(text, dropbox / text.name)
        (dropbox / "junk.bin").write_bytes(b"\x00\xff" * 64)  # an error, not an article
        watcher = app.state.watcher
        assert watcher.check() is False  # first sight: wait until the listing holds still
        assert watcher.check() is True

        status = client.get("/api/watch").json()
        assert status["updates"] == 1 and status["last_error"] is None
        assert status["articles"] == 3
        assert client.get("/api/articles").json()["total"] == 3
        errors = json.loads((out / "analysis.json").read_text())["errors"]
        assert [Path(e["input"]).name for e in errors] == ["junk.bin"]
        titles = {item["title"] for item in client.get("/api/articles").json()["items"]}
        assert len(titles) == 3
        assert watcher.check() is False  # nothing new: no second analysis
        assert (out / "analysis.json").is_file() and (out / "report.html").is_file()


def test_a_failed_analysis_keeps_the_previous_store_and_says_why(tmp_path: Path):
    out = _store(tmp_path, "out", TEXTS[:1])
    dropbox = tmp_path / "dropbox"
    dropbox.mkdir()
    shutil.copy(TEXTS[1], dropbox / TEXTS[1].name)
    reader = LiveReader(out)
    watcher = FolderWatcher(dropbox, reader, extra_args=("--no-such-option",))
    watcher.check()
    assert watcher.check() is False
    status = watcher.status()
    assert status.updates == 0 and "no-such-option" in (status.last_error or "")
    assert _count(reader) == 1
    reader.close()


def test_api_watch_is_404_without_watch(tmp_path: Path):
    out = _store(tmp_path, "out", TEXTS[:1])
    with TestClient(create_app(out), base_url=BASE) as client:
        response = client.get("/api/watch")
    assert response.status_code == 404 and "--watch" in response.json()["detail"]


def test_serving_a_missing_store_with_watch_makes_it_from_the_folder_first(tmp_path: Path):
    from parallax.web.server import _first_analysis

    dropbox = tmp_path / "dropbox"
    dropbox.mkdir()
    shutil.copy(TEXTS[0], dropbox / TEXTS[0].name)
    out = _first_analysis(tmp_path / "out", dropbox, say=lambda line: None)
    assert out == tmp_path / "out"
    reader = LiveReader(out)
    assert _count(reader) == 1
    reader.close()
    assert not list((out / ".parallax-watch").glob("parallax.duckdb"))  # moved, not copied


def test_installing_a_staged_store_drops_the_old_files_write_ahead_log(tmp_path: Path):
    from parallax.web.watch import install_staged

    staging, live = tmp_path / "staging", tmp_path / "live"
    staging.mkdir()
    live.mkdir()
    (staging / "parallax.duckdb").write_bytes(b"new")
    (live / "parallax.duckdb").write_bytes(b"old")
    (live / "parallax.duckdb.wal").write_bytes(b"log of the old file")
    install_staged(staging, live)
    assert (live / "parallax.duckdb").read_bytes() == b"new"
    assert not (live / "parallax.duckdb.wal").exists()
