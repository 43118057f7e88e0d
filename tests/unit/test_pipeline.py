import pickle
from dataclasses import dataclass, replace

import pytest

from parallax.errors import ConfigError, StageError
from parallax.pipeline.apply import apply_stages, check_pipeline
from parallax.pipeline.stage import Stage
from parallax.records import Article, Rejection


def make_article(**overrides):
    fields = {"id": "art_0000000000000001", "input": "a.txt", "format": "txt", "text": "Hello world."}
    fields.update(overrides)
    return Article(**fields)


@dataclass(kw_only=True)
class Upper(Stage):
    name = "upper"
    requires = frozenset({"text"})
    provides = frozenset({"text"})
    calls: int = 0

    def setup(self):
        self._ready = True

    def process(self, article):
        if "boom" in article.text:
            raise ValueError("cannot shout boom")
        return replace(article, text=article.text.upper())


@dataclass(kw_only=True)
class NeedsEntities(Stage):
    name = "needs"
    requires = frozenset({"entities"})


def test_apply_stages_runs_and_stamps():
    [out] = apply_stages([Upper()], [make_article()])
    assert out.text == "HELLO WORLD."
    assert out.stamps == (("upper", Upper().fingerprint()),)


def test_apply_stages_skips_already_stamped_articles():
    [once] = apply_stages([Upper()], [make_article(text="a")])
    [twice] = apply_stages([Upper()], [replace(once, text="b")])
    assert twice.text == "b"


def test_apply_stages_isolates_the_bad_document():
    batch = [make_article(text="fine"), make_article(id="art_2", text="boom"), make_article(text="ok")]
    out = apply_stages([Upper()], batch)
    assert [o.text for o in out if isinstance(o, Article)] == ["FINE", "OK"]
    [rejection] = [o for o in out if isinstance(o, Rejection)]
    assert rejection.article_id == "art_2"
    assert rejection.reason == "stage-error"
    assert "cannot shout boom" in rejection.detail


def test_apply_stages_strict_raises():
    with pytest.raises(StageError, match="cannot shout boom"):
        apply_stages([Upper()], [make_article(text="boom")], strict=True)


def test_stage_pickles_without_runtime_state():
    stage = Upper()
    stage.setup()
    clone = pickle.loads(pickle.dumps(stage))
    assert not hasattr(clone, "_ready")
    assert clone.fingerprint() == stage.fingerprint()


def test_fingerprint_changes_with_config():
    assert Upper(calls=1).fingerprint() != Upper(calls=2).fingerprint()


def test_check_pipeline_rejects_missing_inputs():
    with pytest.raises(ConfigError, match="needs"):
        check_pipeline([NeedsEntities()], frozenset({"text"}))
    check_pipeline([Upper()], frozenset({"text"}))
