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
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["StageTimeout", "can_interrupt", "time_limit"]


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
