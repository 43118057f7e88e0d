"""The Dask runner: per-article stages on a ``dask.distributed`` cluster.

The driver cuts a batch into parts and writes each part to a Parquet shard
(``io/shards.py``) in a shard directory every worker can read. A task,
``run_shard``, reads the shard, calls ``apply_stages`` and writes the outcomes
to another shard; the driver reads them back in batch order. Workers never
open the store: the driver stays the single DuckDB writer. Models load once
per worker process through the per-process cache in ``apply_stages``.

A part whose task fails (its worker died more than the scheduler's
``allowed-failures`` times, a shard could not be read) is retried one article
per task, one task at a time, so only an article that kills workers fails, and
it comes back as a ``Rejection`` (reason ``worker-lost``), never dropped.

Dask is imported here only, inside functions: the rest of Parallax runs
without it.
"""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from parallax.errors import ParallaxError, RunnerError, StageError
from parallax.pipeline.apply import apply_stages
from parallax.pipeline.stage import Stage
from parallax.records import Article, Rejection
from parallax.runners.local import default_workers

ABANDON_WAIT = 30.0  # seconds to wait for running tasks to end before their shards are deleted
PINS = "pip install 'dask==2026.8.0' 'distributed==2026.8.0'"


def run_shard(
    stages: Sequence[Stage], in_path: str, out_path: str, strict: bool = False,
    doc_timeout: float | None = None,
) -> str:
    """Worker task: read a shard of articles, run ``apply_stages``, write the outcomes.

    Dask runs tasks in worker threads, where no signal can interrupt a stage, so
    ``doc_timeout`` is judged after each call (see ``pipeline/timeout.py``): the
    outcome matches the local runner's, only the wait is longer.
    """
    from parallax.io.shards import read_shard, write_shard

    batch = read_shard(in_path)
    articles = [item for item in batch if isinstance(item, Article)]
    if len(articles) != len(batch):
        raise ValueError(f"input shard {in_path} holds rejections; only articles can be run")
    write_shard(out_path, apply_stages(stages, articles, strict=strict, doc_timeout=doc_timeout))
    if not os.path.exists(in_path):  # the driver gave up on this task meanwhile: leave nothing
        os.unlink(out_path)
    return out_path


class DaskRunner:
    """Run stages over batches on a Dask cluster, shipping them as Parquet shards."""

    def __init__(
        self,
        *,
        scheduler: str | None = None,
        workers: int | None = None,
        shard_dir: str | os.PathLike[str] | None = None,
        strict: bool = False,
        doc_timeout: float | None = None,
        timeout: float = 30.0,
        parts_per_worker: int = 2,
    ) -> None:
        distributed = _import_distributed()
        self.strict = strict
        self.doc_timeout = doc_timeout
        self.parts_per_worker = max(1, parts_per_worker)
        self.address = scheduler or "a local cluster"
        self._cluster: Any = None
        self._own_dir = shard_dir is None
        where = tempfile.mkdtemp(prefix="parallax-shards-") if shard_dir is None else shard_dir
        self._dir = Path(where).resolve()
        self._run = uuid.uuid4().hex[:12]
        self._seq = itertools.count()
        try:
            self._dir.mkdir(parents=True, exist_ok=True)
            if scheduler:
                self._client = _connect(distributed, scheduler, timeout)
            else:
                self._cluster = distributed.LocalCluster(
                    n_workers=workers or default_workers(), threads_per_worker=1, processes=True,
                    host="127.0.0.1", dashboard_address="127.0.0.1:0",  # loopback, any free port
                    silence_logs=logging.ERROR,
                )
                self._client = distributed.Client(self._cluster, set_as_default=False)
                self.address = self._cluster.scheduler_address
            self._check_workers(timeout)
        except BaseException:
            self.close()
            raise

    # --- running ------------------------------------------------------------

    def run(self, stages: Sequence[Stage], batch: Sequence[Article]) -> list[Article | Rejection]:
        """Run ``stages`` over ``batch`` on the cluster; outcomes come back in batch order."""
        if not batch:
            return []
        stages = list(stages)
        try:
            slots = max(1, sum(self._client.nthreads().values()))
        except (OSError, TimeoutError) as error:
            raise RunnerError(
                f"lost the Dask scheduler at {self.address}: {_describe(error)}"
            ) from error
        size = -(-len(batch) // (slots * self.parts_per_worker))
        parts = [list(batch[i : i + size]) for i in range(0, len(batch), size)]
        submitted: list[tuple[Any, Path, Path]] = []
        outcomes: list[Article | Rejection] = []
        try:
            submitted = [self._submit(stages, part) for part in parts]
            for i, (part, task) in enumerate(zip(parts, submitted, strict=True)):
                outcomes.extend(self._collect(stages, part, task, retry=len(part) > 1))
                submitted[i] = (None, task[1], task[2])  # collected and cleaned up
        except BaseException as error:
            # Strict error: let running tasks end, then tidy up. Interrupt: cancel and go.
            self._abandon(submitted, wait=isinstance(error, Exception))
            raise
        return outcomes

    def _abandon(self, submitted: list[tuple[Any, Path, Path]], *, wait: bool) -> None:
        """Delete the shards of tasks still out, cancelling those tasks.

        Cancelling cannot stop a task a worker has started: it would write its
        output shard after we deleted it. With ``wait`` the tasks are first
        given up to ``ABANDON_WAIT`` seconds to end; a task that ends later
        still removes its own output (see ``run_shard``).
        """
        futures = [future for future, _, _ in submitted if future is not None]
        running = [future for future in futures if future.status == "pending"]  # queued or running
        if wait and running:
            try:
                with self._client.as_current():  # our client is not the process default
                    _import_distributed().wait(running, timeout=ABANDON_WAIT)
            except Exception:  # noqa: BLE001 - timed out or lost the scheduler: tidy up anyway
                pass
        for future in futures:
            future.cancel()
        for _, in_path, out_path in submitted:
            in_path.unlink(missing_ok=True)
            out_path.unlink(missing_ok=True)

    def _submit(self, stages: list[Stage], part: list[Article]) -> tuple[Any, Path, Path]:
        from parallax.io.shards import write_shard

        name = f"{self._run}-{next(self._seq):06d}"
        in_path, out_path = self._dir / f"{name}.in.parquet", self._dir / f"{name}.out.parquet"
        write_shard(in_path, part)
        future = self._client.submit(
            run_shard, stages, str(in_path), str(out_path), self.strict, self.doc_timeout,
            key=f"parallax-shard-{name}", pure=False,
        )
        return future, in_path, out_path

    def _collect(
        self, stages: list[Stage], part: list[Article], task: tuple[Any, Path, Path], *, retry: bool
    ) -> list[Article | Rejection]:
        from parallax.io.shards import read_shard

        future, in_path, out_path = task
        try:
            future.result()
            outcomes = read_shard(out_path)
            if len(outcomes) != len(part):
                raise RuntimeError(
                    f"shard {out_path} holds {len(outcomes)} outcomes for {len(part)} articles"
                )
            return outcomes
        except (KeyboardInterrupt, SystemExit, ParallaxError):
            raise  # StageError in strict mode comes back from the worker as itself
        except BaseException as error:  # noqa: BLE001 - a lost worker surfaces as many types
            problem = error
        finally:
            future.release()
            in_path.unlink(missing_ok=True)
            out_path.unlink(missing_ok=True)
        if self._client.status != "running":
            raise RunnerError(f"lost the Dask scheduler at {self.address}: {_describe(problem)}")
        if retry:
            # Find the article that fails: one task per article, one at a time, so an article
            # that kills its worker cannot take an innocent task down with it.
            return [
                outcome
                for article in part
                for outcome in self._collect(
                    stages, [article], self._submit(stages, [article]), retry=False
                )
            ]
        (article,) = part
        what = "+".join(stage.name for stage in stages)
        reason = "worker-lost" if type(problem).__name__ == "KilledWorker" else "worker-error"
        detail = f"{_describe(problem)} (on the Dask cluster at {self.address})"
        if self.strict:
            raise StageError(f"stage {what!r} failed on {article.input}: {detail}")
        return [Rejection(article_id=article.id, input=article.input, stage=what, reason=reason,
                          detail=detail)]

    # --- set-up and tear-down -----------------------------------------------

    def _check_workers(self, timeout: float) -> None:
        try:
            self._client.wait_for_workers(1, timeout=timeout)
        except (TimeoutError, OSError) as error:
            raise RunnerError(
                f"no Dask worker joined the scheduler at {self.address} within {timeout:g} s; "
                "start workers (`dask worker ADDRESS --nthreads 1`)"
            ) from error
        probe = self._dir / f".probe-{self._run}"
        probe.write_text(self._run, encoding="utf-8")
        try:
            seen = self._client.run(_can_use_shards, str(probe), self._run)
        finally:
            probe.unlink(missing_ok=True)
        blind = sorted(worker for worker, ok in seen.items() if not ok)
        if blind:
            raise RunnerError(
                f"Dask workers {', '.join(blind)} cannot read and write the shard directory "
                f"{self._dir}; put it on storage every worker mounts at the same path (--shard-dir)"
            )

    def close(self) -> None:
        logger = logging.getLogger("distributed")
        level = logger.level
        logger.setLevel(logging.ERROR)  # a local scheduler logs every closing client and worker
        try:
            client = getattr(self, "_client", None)
            if client is not None:
                client.close()
                self._client = None
            if self._cluster is not None:
                self._cluster.close()
                self._cluster = None
        finally:
            logger.setLevel(level)
        if self._own_dir:
            shutil.rmtree(self._dir, ignore_errors=True)
        else:
            try:
                self._dir.rmdir()  # only if no shard is left behind
            except OSError:
                pass

    def __enter__(self) -> DaskRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as error:
        raise RunnerError(
            f"the Dask runner needs dask and distributed installed: {PINS}"
        ) from error
    return distributed


def _connect(distributed: Any, address: str, timeout: float) -> Any:
    try:
        return distributed.Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise RunnerError(
            f"cannot reach the Dask scheduler at {address} within {timeout:g} s "
            f"({_describe(error)}); "
            "check the address and that `dask scheduler` is running there"
        ) from error
    except ValueError as error:
        raise RunnerError(f"not a Dask scheduler address: {address!r} ({error})") from error


def _can_use_shards(probe: str, token: str) -> bool:
    """Worker check: the driver's probe file is visible here and the folder is writable."""
    try:
        return (Path(probe).read_text(encoding="utf-8") == token
                and os.access(Path(probe).parent, os.W_OK))
    except OSError:
        return False


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__
