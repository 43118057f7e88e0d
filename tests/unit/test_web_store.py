"""A small hand-built store for the web and export tests (and checks that it is right).

`build_store(path, stories=True)` writes articles whose every offset is
computed from the text, including one hostile article full of markup and a
Unicode-heavy one, and optionally the stories/claims tables the cross-article
steps will add.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from parallax.ids import make_id
from parallax.records import Article, Entity, Event, Mention, Quote, Removed, TimeExpression
from parallax.store.duckdb import Store

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    "'><iframe src=javascript:alert(4)>",
    "javascript:alert(5)",
)
PAYLOAD = " ".join(PAYLOADS)

BRIDGE = make_id("art", "bridge")
HOSTILE = make_id("art", "hostile")
UNICODE = make_id("art", "unicode")
PLAIN = [make_id("art", "plain", str(i)) for i in range(5)]

ANA = make_id("ent", "ana")
KYIV = make_id("ent", "kyiv")
POLICE = make_id("ent", "police")
EVIL = make_id("ent", "evil")
PLACE_U = make_id("ent", "lviv")

QUOTE_ANA = make_id("quo", "ana")
QUOTE_EVIL = make_id("quo", "evil")
EVENT_PROTEST = make_id("evt", "protest")
EVENT_NEGATED = make_id("evt", "negated")
EVENT_UNICODE = make_id("evt", "unicode")

STORY = make_id("sto", "bridge")
CLAIM_A = make_id("clm", "a")
CLAIM_B = make_id("clm", "b")

BRIDGE_TEXT = (
    "Mayor Ana Petrović said the bridge in Kyiv will reopen in May.\n"
    "Protesters blocked the bridge on Tuesday, police said. Fees rose 100% this year.\n"
    "Police did not arrest anyone."
)
HOSTILE_TEXT = f"Intro {PAYLOAD} said {PAYLOADS[1]}.\nSecond line with <b>bold</b> & ampersands."
UNICODE_TEXT = "Café 👩‍👩‍👧 in Lviv 🇺🇦: e\u0301lan — crowds marched on Friday. Naïve end."


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def mention(article: str, text: str, needle: str, nth: int = 0) -> Mention:
    start, end = span(text, needle, nth)
    return Mention(article=article, start=start, end=end, text=needle)


def bridge_article() -> Article:
    t = BRIDGE_TEXT
    q_start, q_end = span(t, "the bridge in Kyiv will reopen in May")
    cue = span(t, "said")
    speaker = span(t, "Mayor Ana Petrović")
    protest = span(t, "Protesters blocked the bridge on Tuesday, police said.")
    trigger = span(t, "blocked")
    negated = span(t, "Police did not arrest anyone.")
    arrest = span(t, "arrest")
    tuesday = span(t, "on Tuesday")
    return Article(
        id=BRIDGE, input="pages/bridge.html", format="html", text=t,
        url="https://example.org/bridge", outlet="Example Daily", title="Bridge to reopen in May",
        authors=("J. Doe",), published="2024-03-14", language="en", language_score=0.98,
        removed=(Removed(text="Subscribe to our newsletter", reason="boilerplate", at=t.index("\n") + 1),),
        flags=("masked-numbers",),
        entities=(
            Entity(id=ANA, name="Ana Petrović", type="PERSON", aliases=("Petrović",),
                   labels=("Mayor",), mentions=(mention(BRIDGE, t, "Ana Petrović"),)),
            Entity(id=KYIV, name="Kyiv", type="GPE",
                   kb={"geonames": 703448, "lat": 50.45466, "lon": 30.5238, "country": "UA"},
                   mentions=(mention(BRIDGE, t, "Kyiv"),)),
            Entity(id=POLICE, name="police", type="ORG",
                   mentions=(mention(BRIDGE, t, "police"), mention(BRIDGE, t, "Police"))),
        ),
        quotes=(
            Quote(id=QUOTE_ANA, article=BRIDGE, start=q_start, end=q_end, text=t[q_start:q_end],
                  kind="indirect", cue="said", cue_start=cue[0], cue_end=cue[1], speaker=ANA,
                  speaker_text="Mayor Ana Petrović", speaker_start=speaker[0], speaker_end=speaker[1]),
        ),
        events=(
            Event(id=EVENT_PROTEST, article=BRIDGE, start=protest[0], end=protest[1], type="PROTEST",
                  trigger="blocked", trigger_start=trigger[0], trigger_end=trigger[1],
                  actor="Protesters", actor_text="Protesters", target="the bridge",
                  target_text="the bridge", place=KYIV, place_text="Kyiv", date="2024-03-12",
                  date_text="on Tuesday"),
            Event(id=EVENT_NEGATED, article=BRIDGE, start=negated[0], end=negated[1], type="COERCE",
                  trigger="arrest", trigger_start=arrest[0], trigger_end=arrest[1], actor=POLICE,
                  actor_text="Police", negated=True),
        ),
        dates=(TimeExpression(article=BRIDGE, start=tuesday[0], end=tuesday[1], text="on Tuesday",
                              value="2024-03-12", anchor="2024-03-14"),),
    )


def hostile_article() -> Article:
    t = HOSTILE_TEXT
    q_start, q_end = span(t, PAYLOADS[1])
    evil = span(t, PAYLOADS[0])
    return Article(
        id=HOSTILE, input=f"evil/{PAYLOADS[0]}.html", format="html", text=t,
        url=PAYLOADS[4], outlet=PAYLOADS[1], title=PAYLOADS[0], authors=(PAYLOADS[2],),
        published="2024-03-15", language="en", language_score=0.5,
        removed=(Removed(text=PAYLOADS[0], reason=PAYLOADS[2], at=3),),
        flags=("garbled-text",), notes=(PAYLOADS[3],),
        entities=(
            Entity(id=EVIL, name=PAYLOADS[2], type='"><script>alert(6)</script>',
                   aliases=(PAYLOADS[3],), labels=(PAYLOADS[0],), kb={"x": PAYLOADS[0]},
                   mentions=(Mention(article=HOSTILE, start=evil[0], end=evil[1], text=PAYLOADS[0]),)),
        ),
        quotes=(
            Quote(id=QUOTE_EVIL, article=HOSTILE, start=q_start, end=q_end, text=t[q_start:q_end],
                  kind="direct", cue="said", speaker=EVIL, speaker_text=PAYLOADS[2]),
        ),
    )


def unicode_article() -> Article:
    t = UNICODE_TEXT
    sentence = span(t, "crowds marched on Friday.")
    trigger = span(t, "marched")
    return Article(
        id=UNICODE, input="u.txt", format="txt", text=t, outlet="Ukrinform 🇺🇦",
        title="Café crowds", published="2024-03-16", language="en",
        entities=(Entity(id=PLACE_U, name="Lviv", type="GPE",
                         kb={"lat": 49.83826, "lon": 24.02324, "country": "UA"},
                         mentions=(mention(UNICODE, t, "Lviv"),)),),
        events=(Event(id=EVENT_UNICODE, article=UNICODE, start=sentence[0], end=sentence[1],
                      type="PROTEST", trigger="marched", trigger_start=trigger[0],
                      trigger_end=trigger[1], actor_text="crowds", actor="crowds", place=PLACE_U,
                      place_text="Lviv", date="2024-03-15", date_inferred=True),),
    )


def plain_article(i: int) -> Article:
    return Article(
        id=PLAIN[i], input=f"plain/{i}.txt", format="txt",
        text=f"Plain article number {i} about the bridge_works budget.",
        outlet="Other Times" if i % 2 else "Example Daily", published=f"2024-03-{10 + i:02d}",
        duplicate_of=BRIDGE if i == 4 else None,
    )


def build_articles() -> list[Article]:
    return [bridge_article(), hostile_article(), unicode_article(), *(plain_article(i) for i in range(5))]


STORY_TABLES = """
CREATE TABLE IF NOT EXISTS stories (id VARCHAR, title VARCHAR, first_date VARCHAR, last_date VARCHAR, keywords VARCHAR[]);
CREATE TABLE IF NOT EXISTS story_articles (story_id VARCHAR, article_id VARCHAR);
CREATE TABLE IF NOT EXISTS claims (id VARCHAR, story_id VARCHAR, summary VARCHAR, outlets INTEGER, kind VARCHAR);
CREATE TABLE IF NOT EXISTS claim_mentions (claim_id VARCHAR, article_id VARCHAR, "start" INTEGER, "end" INTEGER,
                             text VARCHAR, outlet VARCHAR);
CREATE TABLE IF NOT EXISTS contradictions (claim_id VARCHAR, other_claim_id VARCHAR, reason VARCHAR, kind VARCHAR);
CREATE TABLE IF NOT EXISTS naming (entity_id VARCHAR, outlet VARCHAR, article_id VARCHAR, labels VARCHAR[]);
CREATE TABLE IF NOT EXISTS naming_spans (entity_id VARCHAR, article_id VARCHAR, label VARCHAR, "start" INTEGER,
                                         "end" INTEGER);
"""


def build_store(path: Path, *, stories: bool = True) -> Path:
    """Write the test articles (and, with ``stories``, story tables) to ``path``."""
    with Store(path) as store:
        store.save_batch(build_articles(), [])
    if stories:
        db = duckdb.connect(str(path))
        try:
            db.execute(STORY_TABLES)
            db.execute("INSERT INTO stories VALUES (?, ?, ?, ?, ?)",
                       [STORY, f"Bridge story {PAYLOADS[0]}", "2024-03-12", "2024-03-15",
                        ["bridge", PAYLOADS[1]]])
            for article in (BRIDGE, HOSTILE, PLAIN[0], PLAIN[4]):
                db.execute("INSERT INTO story_articles VALUES (?, ?)", [STORY, article])
            db.execute("INSERT INTO claims VALUES (?, ?, ?, ?, ?)",
                       [CLAIM_A, STORY, "The bridge reopens in May.", 2, "event"])
            db.execute("INSERT INTO claims VALUES (?, ?, ?, ?, ?)",
                       [CLAIM_B, STORY, f"The bridge reopens in June {PAYLOADS[0]}", 1, "event"])
            start, end = span(BRIDGE_TEXT, "will reopen in May")
            db.execute("INSERT INTO claim_mentions VALUES (?, ?, ?, ?, ?, ?)",
                       [CLAIM_A, BRIDGE, start, end, "will reopen in May", "Example Daily"])
            h_start, h_end = span(HOSTILE_TEXT, PAYLOADS[0])
            db.execute("INSERT INTO claim_mentions VALUES (?, ?, ?, ?, ?, ?)",
                       [CLAIM_B, HOSTILE, h_start, h_end, PAYLOADS[0], PAYLOADS[1]])
            db.execute("INSERT INTO contradictions VALUES (?, ?, ?, ?)",
                       [CLAIM_A, CLAIM_B, f"dates differ: May vs June {PAYLOADS[2]}", "date"])
            db.execute("INSERT INTO naming VALUES (?, ?, ?, ?)", [ANA, "Example Daily", BRIDGE, ["Mayor"]])
            db.execute("INSERT INTO naming_spans VALUES (?, ?, ?, ?, ?)", [ANA, BRIDGE, "Mayor", 0, 5])
        finally:
            db.close()
    return path


# --- the builder is right ----------------------------------------------------


def test_web_store_offsets_match_texts() -> None:
    for article in build_articles():
        for entity in article.entities:
            for m in entity.mentions:
                assert article.text[m.start:m.end] == m.text
        for quote in article.quotes:
            assert article.text[quote.start:quote.end] == quote.text
        for event in article.events:
            assert article.text[event.trigger_start:event.trigger_end] == event.trigger
        for date in article.dates:
            assert article.text[date.start:date.end] == date.text


def test_web_store_builds(tmp_path: Path) -> None:
    path = build_store(tmp_path / "p.duckdb")
    with Store(path, read_only=True) as store:
        assert len(store.articles()) == 8
        assert store.query("SELECT count(*) FROM claims")[0][0] == 2
