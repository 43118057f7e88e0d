"""`parallax serve --watch FOLDER`: analyse files dropped into a folder while serving.

The server keeps answering from the store it has while a new analysis runs, so
an update never blocks the views for longer than a file rename:

1. the folder is polled; a change (a file added, removed, resized or touched)
   is acted on once two polls in a row see the same listing, so a file still
   being copied is not read half-written;
2. the live ``parallax.duckdb`` is copied into a staging folder beside it and
   ``parallax analyze FOLDER --out STAGING`` runs there in a child process (the
   store is incremental, so only new files cost; a crash or a memory blow-up
   in the analysis cannot take the server down);
3. on success the reader is swapped: requests in flight finish, new ones wait,
   the read-only connection is closed, the staged store, ``analysis.json`` and
   ``report.html`` replace the live ones with ``os.replace`` and the store is
   reopened. On failure the old store stays and the error is shown in
   ``/api/watch``; the next change retries.

DuckDB shares one database instance per file and process, so the old
connection must be closed before the new file is opened: that is why requests
hold a shared lock (``LiveReader.cursor``) and the swap takes it exclusively.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from parallax import query as q

__all__ = ["FolderWatcher", "LiveReader", "WatchStatus", "analyse_folder", "folder_listing"]

STAGING = ".parallax-watch"  # staging folder inside the --out folder
LIVE_FILES = ("parallax.duckdb", "analysis.json", "report.html")
WAL = "parallax.duckdb.wal"

Listing = frozenset[tuple[str, int, int]]


def folder_listing(folder: Path) -> Listing:
    """Every regular file under ``folder`` as (relative path, size, mtime in ns).

    Like ``analyze`` walking a folder: hidden files and folders are skipped and
    symbolic links are not followed; files that vanish while listed are left out.
    """
    found: set[tuple[str, int, int]] = set()
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(root, d))]
        for name in files:
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if not os.path.islink(path):
                found.add((os.path.relpath(path, folder), info.st_size, info.st_mtime_ns))
    return frozenset(found)


class _SharedExclusiveLock:
    """Many holders in shared mode or one in exclusive mode; a waiting exclusive goes first."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._shared = 0
        self._exclusive = False
        self._waiting = 0

    def acquire_shared(self) -> None:
        with self._cond:
            self._cond.wait_for(lambda: not self._exclusive and not self._waiting)
            self._shared += 1

    def release_shared(self) -> None:
        with self._cond:
            self._shared -= 1
            self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._cond:
            self._waiting += 1
            self._cond.wait_for(lambda: not self._exclusive and self._shared == 0)
            self._waiting -= 1
            self._exclusive = True
        try:
            yield
        finally:
            with self._cond:
                self._exclusive = False
                self._cond.notify_all()


class _LockedCursor:
    """A cursor that gives back its shared lock when closed (once)."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, release: Callable[[], None]) -> None:
        self._cursor = cursor
        self._release: Callable[[], None] | None = release

    def close(self) -> None:
        try:
            self._cursor.close()
        finally:
            if self._release is not None:
                self._release, release = None, self._release
                release()

    def __getattr__(self, name: str) -> object:
        return getattr(self._cursor, name)


class LiveReader:
    """A read-only store whose file can be replaced while the app runs.

    Same interface as ``query.Reader`` (``cursor()``, ``close()``); every cursor
    holds a shared lock until it is closed, and ``swap`` replaces the files
    under the exclusive lock. ``on_open`` runs on every newly opened reader
    (the app locks down external access there).
    """

    def __init__(self, path: str | Path, on_open: Callable[[q.Reader], None] | None = None) -> None:
        self.path = q.resolve_store_path(path)
        self._on_open = on_open
        self._lock = _SharedExclusiveLock()
        self._reader = self._open()

    def _open(self) -> q.Reader:
        reader = q.open_reader(self.path)
        if self._on_open is not None:
            self._on_open(reader)
        return reader

    def cursor(self) -> duckdb.DuckDBPyConnection:
        self._lock.acquire_shared()
        try:
            cursor = self._reader.cursor()
        except BaseException:
            self._lock.release_shared()
            raise
        return _LockedCursor(cursor, self._lock.release_shared)  # type: ignore[return-value]

    def swap(self, replace_files: Callable[[], None]) -> None:
        """Close the store, run ``replace_files``, open it again (even if that failed)."""
        with self._lock.exclusive():
            self._reader.close()
            try:
                replace_files()
            finally:
                self._reader = self._open()

    def close(self) -> None:
        with self._lock.exclusive():
            self._reader.close()


@dataclass(frozen=True, slots=True, kw_only=True)
class WatchStatus:
    """What ``/api/watch`` reports."""

    folder: str
    state: str  # "idle" or "analysing"
    updates: int  # analyses that replaced the live store
    last_update: str | None  # ISO time of the last successful update (UTC)
    last_error: str | None  # why the last attempt failed; None after a success
    articles: int | None  # articles in the live store after the last update


def analyse_folder(
    folder: Path, out_dir: Path, *, extra_args: tuple[str, ...] = (),
    on_start: Callable[[subprocess.Popen[str]], None] | None = None,
) -> Path:
    """Run ``parallax analyze FOLDER`` on a staged copy of ``out_dir``'s store; return the staging dir.

    Raises ``RuntimeError`` with the analysis's own error message when it
    produced no ``analysis.json``. ``on_start`` receives the child process
    (so a stopping server can end it).
    """
    staging = out_dir / STAGING
    staging.mkdir(parents=True, exist_ok=True)
    for name in LIVE_FILES:
        (staging / name).unlink(missing_ok=True)
    (staging / WAL).unlink(missing_ok=True)
    live = out_dir / "parallax.duckdb"
    if live.is_file():
        shutil.copyfile(live, staging / "parallax.duckdb")
        if (out_dir / WAL).is_file():  # a writer died before its checkpoint: keep its work
            shutil.copyfile(out_dir / WAL, staging / WAL)
    command = [sys.executable, "-m", "parallax", "analyze", str(folder), "--out", str(staging),
               "--quiet", *extra_args]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as child:
        if on_start is not None:
            on_start(child)
        _, errors = child.communicate()
    if child.returncode not in (0, 1) or not (staging / "analysis.json").is_file():
        lines = [line for line in errors.splitlines() if line.strip()]
        reason = lines[-1] if lines else f"exit status {child.returncode}"
        raise RuntimeError(f"analysing {folder} failed: {reason}")
    return staging


def install_staged(staging: Path, out_dir: Path) -> None:
    """Move the staged files over the live ones (each ``os.replace`` is atomic).

    A live write-ahead log belongs to the old file (its work went into the staged
    copy), so it is removed rather than replayed onto the new one.
    """
    for name in LIVE_FILES:
        if (staging / name).is_file():
            os.replace(staging / name, out_dir / name)
            if name == "parallax.duckdb":
                (out_dir / WAL).unlink(missing_ok=True)


class FolderWatcher:
    """Poll ``folder`` and fold new files into the store ``reader`` serves."""

    def __init__(
        self, folder: str | Path, reader: LiveReader, *, interval: float = 5.0,
        extra_args: tuple[str, ...] = (), echo: Callable[[str], None] | None = None,
    ) -> None:
        self.folder = Path(folder).resolve()
        self.reader = reader
        self.out_dir = reader.path.parent
        self.interval = interval
        self.extra_args = extra_args
        self._say = echo or (lambda line: None)
        self._analysed: Listing | None = None
        self._last_seen: Listing | None = None
        self._state = "idle"
        self._updates = 0
        self._last_update: str | None = None
        self._last_error: str | None = None
        self._articles: int | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._child: subprocess.Popen[str] | None = None

    def _started(self, child: subprocess.Popen[str]) -> None:
        self._child = child
        if self._stop.is_set():
            child.terminate()

    def status(self) -> WatchStatus:
        return WatchStatus(folder=str(self.folder), state=self._state, updates=self._updates,
                           last_update=self._last_update, last_error=self._last_error,
                           articles=self._articles)

    def check(self) -> bool:
        """One poll: analyse if the folder changed and held still since the last poll.

        Returns True when the live store was replaced.
        """
        try:
            listing = folder_listing(self.folder)
        except OSError as error:
            self._last_error = f"cannot list {self.folder}: {error}"
            return False
        settled = listing == self._last_seen
        self._last_seen = listing
        if not settled or listing == self._analysed:
            return False
        return self._update(listing)

    def _update(self, listing: Listing) -> bool:
        self._state = "analysing"
        self._say(f"watch: analysing {self.folder} ({len(listing)} files)")
        try:
            staging = analyse_folder(self.folder, self.out_dir, extra_args=self.extra_args,
                                     on_start=self._started)
            if self._stop.is_set():
                return False
            self.reader.swap(lambda: install_staged(staging, self.out_dir))
        except (OSError, RuntimeError, subprocess.SubprocessError, duckdb.Error) as error:
            self._last_error = str(error)
            self._say(f"watch: {error}; still serving the previous analysis")
            return False
        finally:
            self._state = "idle"
        self._analysed = listing
        self._updates += 1
        self._last_update = datetime.now(UTC).isoformat(timespec="seconds")
        self._last_error = None
        self._articles = self._count_articles()
        self._say(f"watch: updated, {self._articles} articles")
        return True

    def _count_articles(self) -> int | None:
        cursor = self.reader.cursor()
        try:
            row = cursor.execute("SELECT count(*) FROM articles").fetchone()
            return int(row[0]) if row else None
        except duckdb.Error:
            return None
        finally:
            cursor.close()

    def start(self) -> None:
        """Poll in a daemon thread every ``interval`` seconds until ``stop``."""
        if self._thread is not None:
            return

        def loop() -> None:
            while not self._stop.wait(self.interval):
                self.check()

        self._thread = threading.Thread(target=loop, name="parallax-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop polling and end a running analysis (its staged copy is simply left behind)."""
        self._stop.set()
        child = self._child
        if child is not None and child.poll() is None:
            child.terminate()
        if self._thread is not None:
            self._thread.join(timeout=max(1.0, self.interval * 2))
            self._thread = None

