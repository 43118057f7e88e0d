import subprocess
import sys

import pytest

from parallax.errors import StoreError
from parallax.records import Article, InputFailure, Rejection, Removed
from parallax.store.duckdb import Store


def make_article(i, **overrides):
    fields = {
        "id": f"art_{i:016x}", "input": f"doc{i}.txt", "format": "txt", "text": f"Body {i}.",
        "removed": (Removed(text="Share this", reason="subscribe-prompt", at=3),),
        "flags": ("date-missing", "too-short"), "authors": ("A B",), "notes": ("n",),
    }
    fields.update(overrides)
    return Article(**fields)


def test_store_round_trips_articles(tmp_path):
    with Store(tmp_path / "p.duckdb") as store:
        store.save_batch([make_article(1), make_article(2)], [])
    with Store(tmp_path / "p.duckdb", read_only=True) as store:
        articles = store.articles()
    assert [a.id for a in articles] == [make_article(1).id, make_article(2).id]
    assert articles[0] == make_article(1)


def test_store_known_ids(tmp_path):
    with Store(tmp_path / "p.duckdb") as store:
        store.save_batch([make_article(1)], [])
        assert store.known_ids([make_article(1).id, make_article(2).id]) == {make_article(1).id}


def test_store_replaces_errors_of_reattempted_inputs(tmp_path):
    with Store(tmp_path / "p.duckdb") as store:
        store.save_batch([], [InputFailure(input="bad.json", error="malformed JSON")])
        store.save_batch([], [InputFailure(input="bad.json", error="malformed JSON")], attempted_inputs=["bad.json"])
        store.save_batch([], [Rejection(article_id="art_1", input="x.html", stage="extract", reason="empty-text", detail="no text")])
        assert store.errors() == [
            {"input": "bad.json", "stage": "read", "error": "malformed JSON"},
            {"input": "x.html", "stage": "extract", "error": "empty-text: no text"},
        ]


def test_store_replaces_changed_input(tmp_path):
    with Store(tmp_path / "p.duckdb") as store:
        store.save_batch([make_article(1, input="same.txt")], [])
        store.save_batch([make_article(2, input="same.txt")], [])
        assert [a.id for a in store.articles()] == [make_article(2).id]
        assert store.query("SELECT count(*) FROM removed")[0][0] == 1


def test_store_failed_batch_leaves_nothing(tmp_path):
    with Store(tmp_path / "p.duckdb") as store:
        with pytest.raises(Exception):
            store.save_batch([make_article(1), make_article(1)], [])  # duplicate primary key
        assert store.articles() == []


def test_store_refuses_a_second_writer_process(tmp_path):
    path = tmp_path / "p.duckdb"
    with Store(path):
        code = f"from parallax.store.duckdb import Store; Store({str(path)!r})"
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0
    assert "in use by another Parallax process" in result.stderr


def test_store_rejects_newer_schema(tmp_path):
    path = tmp_path / "p.duckdb"
    with Store(path) as store:
        store._db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema version 99"):
        Store(path)


def test_store_boilerplate_counts_accumulate(tmp_path):
    with Store(tmp_path / "p.duckdb") as store:
        store.add_boilerplate_counts({("Herald", "share this"): 2})
        store.add_boilerplate_counts({("Herald", "share this"): 1, ("Post", "x"): 1})
        assert store.boilerplate_counts(["Herald"]) == {("Herald", "share this"): 3}


def test_store_round_trips_reading_results(tmp_path):
    from parallax.records import Entity, Event, Mention, Quote, TimeExpression

    aid = f"art_{1:016x}"
    text = "Erdogan said on Friday: “We will respond.” Troops shelled Kyiv."
    entity = Entity(
        id="ent_00000000000000aa", name="Erdogan", type="PERSON", aliases=("Mr Erdogan",),
        labels=("president",), kb={"geonames": 1},
        mentions=(Mention(article=aid, start=0, end=7, text="Erdogan"),),
    )
    quote = Quote(
        id="quo_00000000000000bb", article=aid, start=25, end=40, text=text[25:40], kind="direct",
        cue="said", cue_start=8, cue_end=12, speaker=entity.id, speaker_text="Erdogan",
        speaker_start=0, speaker_end=7, speakers=(entity.id,),
    )
    date = TimeExpression(article=aid, start=13, end=22, text="on Friday", value="2024-03-08", inferred=False, anchor="2024-03-09")
    event = Event(
        id="evt_00000000000000cc", article=aid, start=43, end=len(text), type="ASSAULT",
        trigger="shelled", trigger_start=50, trigger_end=57, actor="Troops", actor_text="Troops",
        target="ent_00000000000000dd", target_text="Kyiv", date="2024-03-08", date_text="on Friday",
        quote=None, negated=False,
    )
    article = make_article(1, text=text, entities=(entity,), quotes=(quote,), dates=(date,), events=(event,))
    with Store(tmp_path / "p.duckdb") as store:
        store.save_batch([article], [])
        [back] = store.articles()
    assert back == article
