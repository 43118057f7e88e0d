"""Per-document time budget: a stage call that overruns becomes a Rejection, the run goes on."""

from __future__ import annotations

import re
import signal
import threading
import time
from dataclasses import dataclass, replace

import pytest
from click.testing import CliRunner

from parallax.errors import StageError
from parallax.pipeline.apply import apply_stages
from parallax.pipeline.stage import Stage
from parallax.pipeline.timeout import StageTimeout, can_interrupt, time_limit
from parallax.records import Article, Rejection
from parallax.runners.local import LocalRunner


def make_article(i: int, text: str) -> Article:
    return Article(id=f"art_{i:016x}", input=f"doc{i}.txt", format="txt", text=text)


@dataclass(kw_only=True)
class Stubborn(Stage):
    """Loops forever on text containing "hang", sleeps on "nap", swallows ordinary errors."""

    name = "stubborn"
    requires = frozenset({"text"})
    provides = frozenset({"text"})

    def process(self, article):
        try:
            if "hang" in article.text:
                while True:
                    pass
            if "nap" in article.text:
                time.sleep(30)
            if "regex" in article.text:
                re.match(r"(a+)+$", "a" * 40 + "b")  # catastrophic backtracking
        except Exception:  # a stage that hides its errors must still be stopped
            return article
        return replace(article, text=article.text.upper())


def test_time_limit_stops_a_busy_loop():
    started = time.monotonic()
    with pytest.raises(StageTimeout), time_limit(0.2):
        while True:
            pass
    assert time.monotonic() - started < 5
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0  # timer disarmed


def test_time_limit_restores_the_previous_handler_and_allows_fast_calls():
    before = signal.getsignal(signal.SIGALRM)
    with time_limit(5):
        total = sum(range(1000))
    assert total == 499500
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_time_limit_none_or_zero_means_no_limit():
    for seconds in (None, 0):
        with time_limit(seconds):
            time.sleep(0.01)


def test_time_limit_outside_the_main_thread_judges_afterwards():
    outcome: list[str] = []

    def work(seconds: float) -> None:
        assert not can_interrupt()
        try:
            with time_limit(0.05):
                time.sleep(seconds)
            outcome.append("done")
        except StageTimeout:
            outcome.append("timeout")

    for seconds in (0.2, 0.0):
        thread = threading.Thread(target=work, args=(seconds,))
        thread.start()
        thread.join()
    assert outcome == ["timeout", "done"]


@pytest.mark.parametrize("text", ["hang forever", "nap time", "regex bomb"])
def test_apply_stages_turns_an_overrun_into_a_timeout_rejection(text):
    batch = [make_article(1, "fine"), make_article(2, text), make_article(3, "also fine")]
    started = time.monotonic()
    out = apply_stages([Stubborn()], batch, doc_timeout=0.3)
    assert time.monotonic() - started < 10
    assert [o.text for o in out if isinstance(o, Article)] == ["FINE", "ALSO FINE"]
    [rejection] = [o for o in out if isinstance(o, Rejection)]
    assert rejection.article_id == batch[1].id
    assert rejection.reason == "timeout"
    assert rejection.detail == "took longer than 0.3 s in stage 'stubborn'"


def test_apply_stages_timeout_strict_raises():
    with pytest.raises(StageError, match=r"doc1\.txt took longer than 0\.2 s in stage 'stubborn'"):
        apply_stages([Stubborn()], [make_article(1, "hang")], strict=True, doc_timeout=0.2)


def test_apply_stages_without_a_budget_is_unchanged():
    [out] = apply_stages([Stubborn()], [make_article(1, "fine")])
    assert out.text == "FINE"


def test_worker_processes_enforce_the_budget():
    batch = [make_article(i, "hang" if i == 2 else f"doc {i}") for i in range(6)]
    with LocalRunner(2, min_parallel=1, doc_timeout=0.5) as runner:
        out = runner.run([Stubborn()], batch)
    reasons = [o.reason if isinstance(o, Rejection) else "ok" for o in out]
    assert reasons == ["ok", "ok", "timeout", "ok", "ok", "ok"]


def test_cli_passes_doc_timeout_to_analyze(monkeypatch, tmp_path):
    import parallax.api
    from parallax.cli import cli
    from parallax.errors import ParallaxError

    seen: dict[str, object] = {}

    def fake_analyze(inputs, out, **options):
        seen.update(options)
        raise ParallaxError("stop here")

    monkeypatch.setattr(parallax.api, "analyze", fake_analyze)
    runner = CliRunner()
    result = runner.invoke(
        cli, ["analyze", str(tmp_path), "--out", str(tmp_path / "o"), "--doc-timeout", "7"]
    )
    assert "stop here" in result.output
    assert seen["doc_timeout"] == 7.0
    runner.invoke(cli, ["analyze", str(tmp_path), "--out", str(tmp_path / "o"), "--doc-timeout", "0"])
    assert seen["doc_timeout"] is None
    runner.invoke(cli, ["analyze", str(tmp_path), "--out", str(tmp_path / "o")])
    assert seen["doc_timeout"] == 60.0


def test_batch_budget_grows_with_the_batch():
    from parallax.pipeline.timeout import DOCS_PER_BUDGET, batch_budget

    assert batch_budget(60, 1) == batch_budget(60, DOCS_PER_BUDGET) == 60
    assert batch_budget(60, 4 * DOCS_PER_BUDGET) == 240
    assert batch_budget(None, 10) is None and batch_budget(0, 10) is None


@dataclass(kw_only=True)
class Steady(Stage):
    """Takes 0.05 s per document, in one batch call."""

    name = "steady"
    requires = frozenset({"text"})
    provides = frozenset({"text"})

    def process_batch(self, articles):
        type(self).calls += 1
        time.sleep(0.05 * len(articles))
        return [replace(a, text=a.text.upper()) for a in articles]


Steady.calls = 0


def test_a_slow_but_normal_batch_is_not_rerun_one_by_one():
    batch = [make_article(i, f"doc {i}") for i in range(32)]  # 1.6 s in all, 0.05 s each
    Steady.calls = 0
    out = apply_stages([Steady()], batch, doc_timeout=1.0)  # batch budget 2 s
    assert all(isinstance(o, Article) for o in out)
    assert Steady.calls == 1
