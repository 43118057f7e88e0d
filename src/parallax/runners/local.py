"""The local runner: in-process for small batches, a process pool for large ones.

It only cuts and ships batches; every document goes through ``apply_stages``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor

from parallax.pipeline.apply import apply_stages
from parallax.pipeline.stage import Stage
from parallax.records import Article, Rejection

# Each worker process is one core's worth of work: keep native math libraries from
# starting threads of their own (2 workers x N BLAS threads would oversubscribe the cores).
_THREAD_LIMITS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")
# Articles per pool task: small tasks keep every worker busy to the end of a batch
# (a spaCy read is ~0.1-0.2 s per 600-word article; the last task no longer idles a core for seconds).
MAX_PART = 8


def _limit_threads() -> None:
    """Pool initializer: one thread per worker process unless the user set otherwise."""
    for name in _THREAD_LIMITS:
        os.environ.setdefault(name, "1")


def default_workers() -> int:
    """One worker per usable core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class LocalRunner:
    """Run stages over batches, in this process or in a pool of worker processes."""

    def __init__(
        self, workers: int = 1, *, strict: bool = False, min_parallel: int = 16,
        doc_timeout: float | None = None,
    ) -> None:
        self.workers = max(1, workers)
        self.strict = strict
        self.doc_timeout = doc_timeout  # seconds per stage call; see pipeline/timeout.py
        self.min_parallel = min_parallel
        self._pool: Executor | None = None

    def run(self, stages: Sequence[Stage], batch: Sequence[Article]) -> list[Article | Rejection]:
        if self.workers == 1 or len(batch) < self.min_parallel:
            return apply_stages(stages, batch, strict=self.strict, doc_timeout=self.doc_timeout)
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_limit_threads)
        size = min(MAX_PART, -(-len(batch) // (self.workers * 4)))
        parts = [list(batch[i : i + size]) for i in range(0, len(batch), size)]
        futures = [
            self._pool.submit(
                apply_stages, list(stages), part, strict=self.strict, doc_timeout=self.doc_timeout
            )
            for part in parts
        ]
        return [outcome for future in futures for outcome in future.result()]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> LocalRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
