"""``apply_stages``: the only function that runs documents through stages.

Every runner (in-process, process pool, Dask) calls this and nothing else, so
the NLP never has a second code path.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from dataclasses import replace

from parallax.errors import ConfigError, StageError
from parallax.pipeline.stage import Stage
from parallax.pipeline.timeout import StageTimeout, batch_budget, time_limit
from parallax.records import Article, Rejection

# One set-up instance per stage fingerprint per process: models load once per
# worker even when a distributed scheduler unpickles the stage for every task.
_READY: dict[str, Stage] = {}


def check_pipeline(stages: Sequence[Stage], available: frozenset[str]) -> None:
    """Raise ConfigError when a stage reads a field no earlier stage provides."""
    have = set(available)
    for stage in stages:
        missing = stage.requires - have
        if missing:
            raise ConfigError(
                f"stage {stage.name!r} needs {sorted(missing)}, which no earlier stage provides; "
                "reorder the pipeline"
            )
        have |= stage.provides


def ready(stage: Stage) -> Stage:
    """Return a set-up instance equivalent to ``stage`` from the per-process cache."""
    key = stage.fingerprint()
    cached = _READY.get(key)
    if cached is None:
        stage.setup()
        _READY[key] = cached = stage
    return cached


def apply_stages(
    stages: Sequence[Stage],
    batch: Sequence[Article],
    *,
    strict: bool = False,
    doc_timeout: float | None = None,
) -> list[Article | Rejection]:
    """Run ``batch`` through ``stages`` in order; one bad document never sinks the batch.

    Articles already stamped with a stage's fingerprint skip that stage. When a
    batch call raises, the documents are retried one at a time so the culprit
    becomes a ``Rejection(reason="stage-error")`` (or a StageError if strict).
    ``doc_timeout`` (seconds per document) bounds every stage call
    (``pipeline/timeout.py``); a batch call that overruns is retried one document
    at a time, and a single document that overruns becomes
    ``Rejection(reason="timeout")``.
    """
    outcomes: list[Article | Rejection] = list(batch)
    for stage in stages:
        live = ready(stage)
        stamp = (live.name, live.fingerprint())
        todo = [
            i for i, item in enumerate(outcomes)
            if isinstance(item, Article) and stamp not in item.stamps
        ]
        if not todo:
            continue
        results = _run_guarded(
            live, [outcomes[i] for i in todo], strict=strict, doc_timeout=doc_timeout  # type: ignore[misc]
        )
        for i, result in zip(todo, results, strict=True):
            if isinstance(result, Article):
                result = replace(result, stamps=(*result.stamps, stamp))
            outcomes[i] = result
    return outcomes


def _run_guarded(
    stage: Stage, articles: list[Article], *, strict: bool, doc_timeout: float | None = None
) -> list[Article | Rejection]:
    try:
        with time_limit(batch_budget(doc_timeout, len(articles))):
            results = stage.process_batch(articles)
        if len(results) != len(articles):
            raise RuntimeError(f"returned {len(results)} results for {len(articles)} articles")
        return results
    except StageTimeout:
        if len(articles) == 1:
            detail = f"took longer than {doc_timeout:g} s in stage {stage.name!r}"
            if strict:
                raise StageError(f"{articles[0].input} {detail}") from None
            return [stage.reject(articles[0], "timeout", detail)]
    except Exception:
        if len(articles) == 1:
            return [_fail(stage, articles[0], strict=strict)]
    return [
        _run_guarded(stage, [a], strict=strict, doc_timeout=doc_timeout)[0] for a in articles
    ]


def _fail(stage: Stage, article: Article, *, strict: bool) -> Rejection:
    detail = traceback.format_exc(limit=3).strip().splitlines()[-1]
    if strict:
        raise StageError(f"stage {stage.name!r} failed on {article.input}: {detail}")
    return stage.reject(article, "stage-error", detail)
