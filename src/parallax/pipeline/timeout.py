"""A time budget for one stage call, so one pathological document cannot hang a run.

``apply_stages`` wraps every ``process_batch`` call in ``time_limit``. In the
main thread of a process (the CLI, and every worker of the process pool) the
budget is enforced with ``signal.setitimer``: when it runs out, ``SIGALRM``
raises ``StageTimeout`` inside the stage, wherever Python code is running
(including the regular-expression engine, which checks for signals).

Elsewhere (a worker thread, or when another ``ITIMER_REAL`` timer is already
armed) a signal cannot be used. Then the call runs to the end and is judged
afterwards: if it took longer than the budget it raises ``StageTimeout`` all
the same, so a document gets the same outcome in both modes; only the wait
differs.

``StageTimeout`` derives from ``BaseException`` so a stage's own
``except Exception`` cannot swallow it.

A call on a batch of ``n`` documents gets ``seconds * max(1, n / DOCS_PER_BUDGET)``:
a normal batch of 256 long articles must not be re-run one by one because it
took longer than one document may, and a pathological document still stops
its batch within minutes, after which it is run alone with ``seconds``.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["DOCS_PER_BUDGET", "StageTimeout", "batch_budget", "can_interrupt", "time_limit"]

DOCS_PER_BUDGET = 16  # a batch call gets one document's budget per this many documents


def batch_budget(seconds: float | None, documents: int) -> float | None:
    """The time a call on ``documents`` documents may take when one may take ``seconds``."""
    if not seconds or seconds <= 0:
        return None
    return seconds * max(1.0, documents / DOCS_PER_BUDGET)


class StageTimeout(BaseException):  # noqa: N818 (like KeyboardInterrupt: not an error of the stage)
    """A stage call ran past its time budget."""


def can_interrupt() -> bool:
    """True when ``time_limit`` can stop a running call (main thread, no other timer armed)."""
    return (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    )


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ``StageTimeout`` if the block runs longer than ``seconds`` (``None``/0: no limit)."""
    if not seconds or seconds <= 0:
        yield
        return
    started = time.monotonic()
    if not can_interrupt():
        yield
        if time.monotonic() - started > seconds:
            raise StageTimeout(seconds)
        return

    def _alarm(signum: int, frame: FrameType | None) -> None:
        raise StageTimeout(seconds)

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
