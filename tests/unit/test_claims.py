"""Claims: sentence splitting, numbers, extraction, alignment within stories, outlets, omissions.

Articles are built by hand (:class:`ArticleBuilder`) with entities, events,
quotes and dates at correct offsets, so no model is loaded.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from parallax.crossdoc.claims import (
    align_claims,
    extract_claims,
    find_omissions,
    find_quantities,
    harmonise_places,
    split_sentences,
    stem,
    summarize,
)
from parallax.ids import make_id
from parallax.records import (
    Article,
    Entity,
    Event,
    Mention,
    Quote,
    Story,
    TimeExpression,
)

KHARKIV = {"geonames": 706483, "lat": 49.98, "lon": 36.25, "country": "UA", "kind": "city"}
KYIV = {"geonames": 703448, "lat": 50.45, "lon": 30.52, "country": "UA", "kind": "city"}
LVIV = {"geonames": 702550, "lat": 49.84, "lon": 24.03, "country": "UA", "kind": "city"}
UKRAINE = {"geonames": 690791, "lat": 49.0, "lon": 32.0, "country": "UA", "kind": "country"}


class ArticleBuilder:
    """Build an Article with entities, events, quotes and dates at the right offsets."""

    def __init__(self, text: str, *, id: str = "art_a", outlet: str | None = "Outlet A",
                 published: str | None = "2025-03-13", duplicate_of: str | None = None) -> None:
        self.text, self.id, self.outlet, self.published = text, id, outlet, published
        self.duplicate_of = duplicate_of
        self.entities: dict[str, Entity] = {}
        self.events: list[Event] = []
        self.quotes: list[Quote] = []
        self.dates: list[TimeExpression] = []

    def at(self, sub: str, nth: int = 0) -> tuple[int, int]:
        start = -1
        for _ in range(nth + 1):
            start = self.text.index(sub, start + 1)
        return start, start + len(sub)

    def ent(self, name: str, type: str = "GPE", *, forms: tuple[str, ...] = (), kb: dict[str, Any] | None = None,
            labels: tuple[str, ...] = ()) -> str:
        eid = make_id("ent", self.id, type, name)
        mentions = []
        for form in forms or (name,):
            start = self.text.find(form)
            while start >= 0:
                end = start + len(form)
                if (start == 0 or not self.text[start - 1].isalnum()) and (end == len(self.text) or not self.text[end].isalnum()):
                    mentions.append(Mention(article=self.id, start=start, end=end, text=form))
                start = self.text.find(form, start + 1)
        self.entities[eid] = Entity(id=eid, name=name, type=type, aliases=tuple(f for f in forms if f != name),
                                    mentions=tuple(sorted(mentions, key=lambda m: m.start)), labels=labels, kb=kb or {})
        return eid

    def evt(self, trigger: str, type: str, *, actor: str | None = None, target: str | None = None,
            place: str | None = None, date: str | None = None, date_text: str | None = None,
            negated: bool = False, nth: int = 0) -> Event:
        ts, te = self.at(trigger, nth)
        s, e = next((s, e) for s, e in split_sentences(self.text) if s <= ts < e)

        def text_of(value: str | None) -> str | None:
            if value is None:
                return None
            return self.entities[value].name if value in self.entities else value

        event = Event(
            id=make_id("evt", self.id, str(s), str(e), type, str(ts)), article=self.id, start=s, end=e,
            type=type, trigger=trigger, trigger_start=ts, trigger_end=te,
            actor=actor, actor_text=text_of(actor), target=target, target_text=text_of(target),
            place=place, place_text=text_of(place), date=date, date_text=date_text, negated=negated,
        )
        self.events.append(event)
        return event

    def quote(self, content: str, speaker: str | None, speaker_text: str, kind: str = "direct") -> Quote:
        s, e = self.at(content)
        q = Quote(id=make_id("quo", self.id, str(s), str(e)), article=self.id, start=s, end=e, text=content,
                  kind=kind, cue="said", speaker=speaker, speaker_text=speaker_text)
        self.quotes.append(q)
        return q

    def date(self, sub: str, value: str, *, inferred: bool = False) -> None:
        s, e = self.at(sub)
        self.dates.append(TimeExpression(article=self.id, start=s, end=e, text=sub, value=value,
                                         inferred=inferred, anchor=self.published))

    def build(self) -> Article:
        return Article(
            id=self.id, input=f"{self.id}.txt", format="txt", text=self.text, outlet=self.outlet,
            published=self.published, language="en", duplicate_of=self.duplicate_of,
            entities=tuple(self.entities.values()), events=tuple(self.events), quotes=tuple(self.quotes),
            dates=tuple(sorted(self.dates, key=lambda d: d.start)),
        )


def story(*articles: Article, id: str = "sto_1") -> Story:
    return Story(id=id, title=id, articles=tuple(a.id for a in articles))


def by_name(*articles: Article) -> dict[str, str]:
    """A stand-in for cross-article entity resolution: one corpus id per (type, name)."""
    return {e.id: make_id("ent", e.type, e.name.casefold()) for a in articles for e in a.entities}


def market_strike(text: str, *, id: str, outlet: str | None, published: str = "2025-03-13",
                  actor: str = "Russia", **kw: Any) -> Article:
    b = ArticleBuilder(text, id=id, outlet=outlet, published=published, **kw)
    country = b.ent(actor)
    city = b.ent("Kharkiv", kb=KHARKIV)
    trigger = next(t for t in ("struck", "hit", "attacked", "shelled") if t in text)
    b.evt(trigger, "ASSAULT", actor=country, target="market", place=city)
    return b.build()


# --------------------------------------------------------------------------- sentences and words


def test_split_sentences_keeps_abbreviations_and_initials():
    text = "Gen. J. Smith met Mr. Lee in the U.S. capital. They talked.\nNext line here"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Gen. J. Smith met Mr. Lee in the U.S. capital.", "They talked.", "Next line here",
    ]


def test_split_sentences_trims_whitespace_and_handles_quotes():
    text = '  "We will win." He said it again!  '
    assert [text[s:e] for s, e in split_sentences(text)] == ['"We will win."', "He said it again!"]


def test_stem_joins_inflections():
    assert stem("killed") == stem("kills") == stem("killing") == stem("kill")
    assert stem("struck") == stem("strike") == stem("striking")
    assert stem("withdrew") == stem("withdraw")
    assert stem("protesters") == stem("protester")


# --------------------------------------------------------------------------- numbers


def quantities(sentence: str):
    return find_quantities(sentence, 0, len(sentence))


def test_quantity_at_least_is_open_above():
    (q,) = quantities("At least 40 people were killed in the attack.")
    assert (q.low, q.high, q.key, q.noun) == (40, math.inf, "killed", None)


def test_quantity_counted_noun_and_category():
    (q,) = quantities("Police arrested more than 2,000 protesters in Moscow.")
    assert (q.low, q.key, q.noun) == (2000, "arrested", stem("protesters"))


def test_quantity_words_equal_digits():
    (a,) = quantities("Three people were injured.")
    (b,) = quantities("3 people were injured.")
    assert (a.low, a.high, a.key) == (b.low, b.high, b.key) == (3, 3, "injured")


def test_quantity_dozen_range_and_scale():
    (dozen,) = quantities("A dozen people were injured.")
    assert (dozen.low, dozen.high) == (12, 12)
    (span,) = quantities("Between 10 and 20 people were killed.")
    assert (span.low, span.high, span.key) == (10, 20, "killed")
    (vague,) = quantities("Dozens of people were injured.")
    assert vague.low >= 24 and vague.key == "injured"
    (money,) = quantities("The EU pledged $1.5 billion in aid.")
    assert money.low == 1.5e9 and money.key == "money:USD"


def test_quantity_percent_needs_its_subject():
    (q,) = quantities("Turnout was 67 percent, officials said.")
    assert (q.low, q.key) == (67, "percent:turnout")
    assert quantities("Prices fell 3 percent and 5 percent in two months.") == ()


def test_quantity_left_verb_counts():
    (killed, injured) = quantities("The blast killed 12 and injured 40.")
    assert (killed.low, killed.key, injured.low, injured.key) == (12, "killed", 40, "injured")


def test_quantity_skips_years_ages_times_and_penalties():
    assert quantities("In 2019, a 56-year-old man left at 10:30 a.m.") == ()
    assert [q.key for q in quantities("Nine were in favour of the death penalty.")] == []
    assert [q.key for q in quantities("Nine jurors backed the death penalty.")] == [stem("jurors")]
    assert quantities("He was sentenced to three years.") == ()


def test_quantity_blocked_spans_hold_none():
    text = "On March 12 two people were killed."
    s = text.index("March 12")
    assert [q.low for q in find_quantities(text, 0, len(text), [(s, s + 8)])] == [2]


# --------------------------------------------------------------------------- extraction


def test_extract_claims_reads_event_arguments_and_offsets():
    text = "KYIV (Reuters) - Russia struck a market in Kharkiv on Tuesday. The weather was mild today."
    b = ArticleBuilder(text)
    russia, city = b.ent("Russia"), b.ent("Kharkiv", kb=KHARKIV)
    b.date("Tuesday", "2025-03-11")
    b.evt("struck", "ASSAULT", actor=russia, target="market", place=city, date="2025-03-11", date_text="Tuesday")
    article = b.build()
    (c,) = extract_claims(article)
    assert text[c.start:c.end] == c.text and c.text.startswith("KYIV")
    (action,) = c.actions
    assert (action.type, action.actor, action.target, action.date) == ("ASSAULT", russia, "market", "2025-03-11")
    assert action.place is not None and action.place.geonames == 706483
    assert c.kind == "event"


def test_extract_claims_skips_unchecked_sentences_and_marks_statements():
    text = 'It rained. "We will rebuild the market," the mayor Ihor Terekhov said. Nothing else happened here.'
    b = ArticleBuilder(text)
    mayor = b.ent("Ihor Terekhov", "PERSON")
    b.quote("We will rebuild the market,", mayor, "the mayor Ihor Terekhov")
    (c,) = extract_claims(b.build())
    assert c.kind == "statement" and c.speaker == mayor and c.text.startswith('"We will')


def test_extract_claims_place_from_dateline_is_not_the_event_place():
    text = "KYIV - Missiles struck a market, officials said."
    b = ArticleBuilder(text)
    kyiv = b.ent("KYIV", kb=KYIV)
    b.evt("struck", "ASSAULT", target="market", place=kyiv)
    (c,) = extract_claims(b.build())
    assert c.actions[0].place is None  # "KYIV -" is no locative phrase


def test_extract_claims_background_sentence_is_marked():
    text = "A quake killed 612 people in Zarand in February 2005. Ten people were killed on Sunday."
    b = ArticleBuilder(text, published="2008-09-10")
    b.date("February 2005", "2005-02")
    b.date("Sunday", "2008-09-07")
    first, second = extract_claims(b.build())
    assert first.background and not second.background


# --------------------------------------------------------------------------- alignment


def test_align_paraphrases_into_one_claim_with_two_outlets():
    a = market_strike("Russia struck a crowded market in Kharkiv on Tuesday, killing shoppers.",
                      id="art_a", outlet="Reuters")
    b = market_strike("A Russian missile strike hit the central market of Kharkiv, where Russia struck before.",
                      id="art_b", outlet="AP")
    c = market_strike("Russia struck the busy Kharkiv market, the governor said.", id="art_c", outlet="BBC")
    claims = align_claims([a, b, c], [story(a, b, c)], by_name(a, b, c))
    multi = [cl for cl in claims if len(cl.mentions) > 1]
    assert len(multi) == 1
    assert {m.outlet for m in multi[0].mentions} >= {"Reuters", "BBC"}
    assert multi[0].outlets == len({m.outlet for m in multi[0].mentions})


def test_align_needs_the_entity_map_for_spelling_variants():
    a = ArticleBuilder("Erdoğan condemned the attack on the embassy in Ankara.", id="art_a", outlet="X")
    erd_a = a.ent("Erdoğan", "PERSON")
    a.evt("condemned", "ACCUSE", actor=erd_a, target="attack")
    b = ArticleBuilder("Erdogan condemned the embassy attack.", id="art_b", outlet="Y")
    erd_b = b.ent("Erdogan", "PERSON")
    b.evt("condemned", "ACCUSE", actor=erd_b, target="attack")
    arts = [a.build(), b.build()]
    joined = {erd_a: "ent_erdogan", erd_b: "ent_erdogan"}
    claims = align_claims(arts, [story(*arts)], joined)
    assert [len(c.mentions) for c in claims] == [2]


def test_align_joint_statement_quoted_and_paraphrased():
    q_text = ('"We will not accept any ceasefire that rewards aggression," France and Germany said '
              "in a joint statement.")
    p_text = "France and Germany said in a joint statement they would not accept a ceasefire rewarding aggression."
    a = ArticleBuilder(q_text, id="art_a", outlet="Le Monde")
    fr, de = a.ent("France"), a.ent("Germany")
    a.quote("We will not accept any ceasefire that rewards aggression,", fr, "France and Germany")
    b = ArticleBuilder(p_text, id="art_b", outlet="DW")
    fr_b, de_b = b.ent("France"), b.ent("Germany")
    b.quote("they would not accept a ceasefire rewarding aggression", fr_b, "France and Germany", kind="indirect")
    arts = [a.build(), b.build()]
    claims = align_claims(arts, [story(*arts)], by_name(*arts))
    assert len(claims) == 1 and len(claims[0].mentions) == 2 and claims[0].kind == "statement"


def test_align_keeps_unrelated_sentences_apart():
    a = market_strike("Russia struck a market in Kharkiv. Police arrested 12 protesters in Moscow overnight.",
                      id="art_a", outlet="A")
    b = market_strike("Russia struck a market in Kharkiv. The central bank cut interest rates to 5 percent.",
                      id="art_b", outlet="B")
    claims = align_claims([a, b], [story(a, b)], by_name(a, b))
    assert sorted(len(c.mentions) for c in claims) == [1, 1, 2]


def test_align_never_across_stories():
    a = market_strike("Russia struck a market in Kharkiv on Tuesday.", id="art_a", outlet="A")
    b = market_strike("Russia struck a market in Kharkiv on Tuesday.", id="art_b", outlet="B")
    claims = align_claims([a, b], [story(a, id="sto_1"), story(b, id="sto_2")], by_name(a, b))
    assert len(claims) == 2 and all(len(c.mentions) == 1 for c in claims)
    assert {c.story for c in claims} == {"sto_1", "sto_2"}


def test_align_claim_id_from_story_and_earliest_mention():
    late = market_strike("Russia struck a market in Kharkiv.", id="art_late", outlet="A", published="2025-03-14")
    early = market_strike("Later: Russia struck a market in Kharkiv.", id="art_early", outlet="B",
                          published="2025-03-12")
    (claim,) = align_claims([late, early], [story(late, early)], by_name(late, early))
    first = claim.mentions[0]
    assert first.article == "art_early"
    assert claim.id == make_id("clm", "sto_1", "art_early", str(first.start))


def test_outlets_count_duplicates_and_same_outlet_once():
    text = "Russia struck a market in Kharkiv on Tuesday."
    original = market_strike(text, id="art_o", outlet="Reuters")
    # a syndicated copy, not read by the reader: no entities/events of its own
    copy = Article(id="art_c", input="c", format="txt", text="Via wire: " + text, outlet="Yahoo",
                   language="en", duplicate_of="art_o")
    same_outlet = market_strike("Russia struck the Kharkiv market.", id="art_r2", outlet="Reuters")
    no_outlet = market_strike("Russia struck a market in Kharkiv.", id="art_n", outlet=None)
    arts = [original, copy, same_outlet, no_outlet]
    (claim,) = align_claims(arts, [story(*arts)], by_name(*arts))
    assert {m.article for m in claim.mentions} == {"art_o", "art_c", "art_r2", "art_n"}
    copy_mention = next(m for m in claim.mentions if m.article == "art_c")
    assert copy.text[copy_mention.start:copy_mention.end] == text
    assert claim.outlets == 2  # Reuters (original, copy, second article) + the article without outlet


def test_outlets_two_independent_outlets_count_twice():
    a = market_strike("Russia struck a market in Kharkiv.", id="art_a", outlet="Reuters")
    b = market_strike("Russia struck a market in Kharkiv.", id="art_b", outlet="AP")
    (claim,) = align_claims([a, b], [story(a, b)], by_name(a, b))
    assert claim.outlets == 2


def test_summary_drops_dateline_and_trims():
    assert summarize("KYIV, March 12 (Reuters) - Russia struck a market in Kharkiv.") == "Russia struck a market in Kharkiv."
    long = "word " * 100
    assert len(summarize(long, limit=50)) <= 50 and summarize(long, limit=50).endswith("\u2026")


# --------------------------------------------------------------------------- omissions


def test_find_omissions_lists_what_an_outlet_leaves_out():
    a = market_strike("Russia struck a market in Kharkiv.", id="art_a", outlet="Reuters")
    b = market_strike("Russia struck a market in Kharkiv.", id="art_b", outlet="AP")
    c_builder = ArticleBuilder("Police arrested 12 protesters in Moscow overnight.", id="art_c", outlet="TASS")
    c_builder.evt("arrested", "COERCE", actor="Police", target="12 protesters")
    c = c_builder.build()
    arts = [a, b, c]
    stories = [story(*arts)]
    claims = align_claims(arts, stories, by_name(*arts))
    strike = next(cl for cl in claims if cl.outlets == 2)
    omissions = find_omissions(claims, arts, stories)
    assert omissions == {"sto_1": {"AP": (), "Reuters": (), "TASS": (strike.id,)}}
    assert find_omissions(claims, arts, stories, min_outlets=3) == {}


def test_find_omissions_copies_carry_the_claim():
    text = "Russia struck a market in Kharkiv on Tuesday."
    a = market_strike(text, id="art_a", outlet="Reuters")
    b = market_strike(text, id="art_b", outlet="AP")
    copy = Article(id="art_c", input="c", format="txt", text=text, outlet="Yahoo", language="en",
                   duplicate_of="art_a")
    arts = [a, b, copy]
    claims = align_claims(arts, [story(*arts)], by_name(*arts))
    assert find_omissions(claims, arts, [story(*arts)])["sto_1"]["Yahoo"] == ()


# --------------------------------------------------------------------------- places across a story


def test_harmonise_places_picks_the_reading_near_the_story():
    troy_mi = {"geonames": 5012639, "lat": 42.61, "lon": -83.15, "country": "US", "kind": "city"}
    troy_ga = {"geonames": 4207400, "lat": 32.84, "lon": -83.63, "country": "US", "kind": "city"}
    detroit = {"geonames": 4990729, "lat": 42.33, "lon": -83.05, "country": "US", "kind": "city"}
    a = ArticleBuilder("A gunman shot two people in Troy near Detroit.", id="art_a")
    a.evt("shot", "ASSAULT", actor="A gunman", place=a.ent("Troy", kb=troy_ga))
    a.ent("Detroit", kb=detroit)
    b = ArticleBuilder("A gunman shot two people in Troy on Monday.", id="art_b")
    b.evt("shot", "ASSAULT", actor="A gunman", place=b.ent("Troy", kb=troy_mi))
    cands = [c for art in (a.build(), b.build()) for c in extract_claims(art)]
    settled = harmonise_places(cands)
    assert {c.actions[0].place.geonames for c in settled} == {5012639}
    assert replace(settled[0], actions=cands[0].actions) == cands[0]
