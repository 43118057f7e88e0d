"""Naming and framing: labels around entity mentions, scare quotes, loaded terms, quotes per outlet."""

from __future__ import annotations

from dataclasses import replace

from test_claims import ArticleBuilder

from parallax.crossdoc.naming import LOADED_TERMS, find_naming, labels_around, quotes_by_outlet


def labels(text: str, name: str, type: str = "ORG", *, forms: tuple[str, ...] = (),
           titles: tuple[str, ...] = ()) -> list[str]:
    b = ArticleBuilder(text)
    eid = b.ent(name, type, forms=forms, labels=titles)
    article = b.build()
    return labels_around(article, article.entities[0]) if article.entities[0].id == eid else []


def test_apposition_after_the_name():
    got = labels("Denis Pushilin, the self-proclaimed leader of the Donetsk People's Republic, spoke.",
                 "Denis Pushilin", "PERSON")
    assert "self-proclaimed leader of the Donetsk People's Republic" in got


def test_apposition_before_the_name_and_titles():
    got = labels("The Syrian president, Bashar al-Assad, flew to Moscow.", "Bashar al-Assad", "PERSON",
                 titles=("President",))
    assert got[0] == "President" and "Syrian president" in got


def test_so_called_premodifier():
    assert labels("Fighters of the so-called Islamic State retreated.", "Islamic State") == ["so-called"]


def test_regime_after_the_name():
    got = labels("The Assad regime bombed the town again.", "Bashar al-Assad", "PERSON", forms=("Assad",))
    assert got == ["regime"]


def test_rebels_versus_opposition_fighters_side_by_side():
    a = labels("Houthi rebels fired a missile at the ship.", "Houthi")
    b = labels("Opposition fighters linked to the Houthi fired a missile.", "Houthi")
    assert a == ["rebels"]
    assert b == ["opposition fighters"]
    c = labels("Militants loyal to the Houthi fired a missile.", "Houthi")
    assert c == ["militants"]


def test_occupied_city_of_and_stance_words():
    assert labels("Shells hit the occupied city of Mariupol overnight.", "Mariupol", "GPE") == ["occupied"]
    assert labels("Kremlin-backed separatists of Donetsk shelled it.", "Donetsk", "GPE") == ["separatists"]
    assert labels("Separatists shelled the port of Donetsk.", "Donetsk", "GPE") == []
    assert labels("The pro-Russian Viktor Medvedchuk was arrested.", "Viktor Medvedchuk", "PERSON") == ["pro-russian"]


def test_scare_quotes_near_the_name():
    got = labels('The junta held "elections" in Naypyidaw last week.', "Naypyidaw", "GPE")
    assert "\u201celections\u201d" in got


def test_real_quote_with_a_speaker_is_no_scare_quote():
    text = 'Min Aung Hlaing said: "Stability." The army ruled Naypyidaw.'
    b = ArticleBuilder(text)
    speaker = b.ent("Min Aung Hlaing", "PERSON")
    b.ent("Naypyidaw", "GPE")
    b.quote("Stability.", speaker, "Min Aung Hlaing")
    article = b.build()
    assert labels_around(article, article.entities[0]) == []


def test_loaded_word_naming_someone_else_is_not_taken():
    got = labels("Hamas militants fired rockets at Israel on Monday.", "Israel", "GPE")
    assert got == []


def test_find_naming_maps_entities_and_groups_per_article():
    a = ArticleBuilder("The Assad regime shelled Idlib.", id="art_a", outlet="Left")
    assad_a = a.ent("Assad", "PERSON")
    b = ArticleBuilder("The Assad government shelled Idlib.", id="art_b", outlet="Right")
    assad_b = b.ent("Assad", "PERSON")
    entity_map = {assad_a: "ent_assad", assad_b: "ent_assad"}
    namings = find_naming([a.build(), b.build()], entity_map)
    assert [(n.entity, n.outlet, n.labels) for n in namings] == [
        ("ent_assad", "Left", ("regime",)), ("ent_assad", "Right", ("government",)),
    ]


def test_find_naming_leaves_out_entities_without_labels():
    b = ArticleBuilder("Officials met in Geneva on Monday.")
    b.ent("Geneva", "GPE")
    assert find_naming([b.build()]) == ()


def test_quotes_by_outlet_counts_joint_statement_members():
    a = ArticleBuilder('"We stand together," France and Germany said. "No," Russia said.', id="art_a", outlet="X")
    fr, de, ru = a.ent("France"), a.ent("Germany"), a.ent("Russia")
    q = a.quote("We stand together,", fr, "France and Germany")
    a.quotes[-1] = replace(q, speakers=(fr, de))
    a.quote("No,", ru, "Russia")
    b = ArticleBuilder('"Never," Russia said.', id="art_b", outlet=None)
    ru_b = b.ent("Russia")
    b.quote("Never,", ru_b, "Russia")
    counts = quotes_by_outlet([a.build(), b.build()], {ru: "ent_ru", ru_b: "ent_ru"})
    assert counts == {fr: {"X": 1}, de: {"X": 1}, "ent_ru": {"X": 1, "art_b": 1}}


def test_lexicon_is_lowercase_and_categorised():
    assert all(term == term.lower() for term in LOADED_TERMS)
    assert {"delegitimising", "violent-actor", "sympathetic", "territory", "euphemism"} <= set(LOADED_TERMS.values())


# --- where each label is written (provenance) ---------------------------------

SPAN_CASES = [
    ("Denis Pushilin, the self-proclaimed leader of the DPR, spoke.", "Denis Pushilin", "PERSON", (),
     "self-proclaimed leader of the DPR"),
    ("The Syrian president, Bashar al-Assad, flew to Moscow.", "Bashar al-Assad", "PERSON", (), "Syrian president"),
    ("Fighters of the so-called Islamic State retreated.", "Islamic State", "ORG", (), "so-called"),
    ("The Assad regime bombed the town again.", "Assad", "PERSON", (), "regime"),
    ("Shells hit the occupied city of Mariupol overnight.", "Mariupol", "GPE", (), "occupied"),
    ('The junta held "elections" in Naypyidaw last week.', "Naypyidaw", "GPE", (), '"elections"'),
    ("Kremlin-backed separatists of Donetsk shelled it.", "Donetsk", "GPE", (), "separatists"),
    ("Russia's brutal invasion went on.", "Russia", "GPE", (), "brutal invasion"),
]


def test_every_label_points_at_the_words_it_came_from():
    for text, name, kind, titles, words in SPAN_CASES:
        b = ArticleBuilder(text)
        b.ent(name, kind, labels=titles)
        article = b.build()
        (naming,) = find_naming([article])
        assert naming.spans, text
        assert {s.label for s in naming.spans} == set(naming.labels), text
        written = [article.text[s.start : s.end] for s in naming.spans]
        assert words in written, (text, written)


def test_title_span_is_the_title_nearest_a_mention():
    text = "The president spoke first. Later President Joko Widodo left Jakarta."
    b = ArticleBuilder(text)
    b.ent("Joko Widodo", "PERSON", labels=("President",))
    article = b.build()
    (naming,) = find_naming([article])
    (span,) = [s for s in naming.spans if s.label == "President"]
    assert span.start == text.index("President Joko") and span.end == span.start + len("President")


def test_title_written_nowhere_has_no_span_but_stays_a_label():
    b = ArticleBuilder("Joko Widodo left Jakarta on Monday.")
    b.ent("Joko Widodo", "PERSON", labels=("Governor",))
    article = b.build()
    (naming,) = find_naming([article])
    assert naming.labels == ("Governor",) and naming.spans == ()


def test_analysis_json_carries_label_spans_that_validate():
    from parallax.contract import to_analysis
    from parallax.crossdoc.link import Links
    from parallax.schema import validate_analysis

    art = "art_00000000000000aa"
    b = ArticleBuilder("The Assad regime bombed Idlib, the rebel-held city.", id=art, outlet="Left")
    assad = b.ent("Assad", "PERSON")
    article = b.build()
    links = Links(naming=find_naming([article]), entity_map={assad: assad})
    doc = to_analysis([article], [], links)
    validate_analysis(doc)
    (item,) = doc["naming"]
    assert item["spans"] == [{"article": art, "start": 10, "end": 16, "text": "regime", "label": "regime"}]
    item["spans"][0]["end"] = 999
    try:
        validate_analysis(doc)
    except ValueError as error:
        assert "naming[0].spans[0]" in str(error)
    else:
        raise AssertionError("a label span past the text must not validate")


# --- standalone descriptions ("the dictator", "the country") -----------------

COUNTRY = {"kind": "country"}


def described(text: str, *entities: tuple[str, str, tuple[str, ...], dict | None]) -> dict[str, list[str]]:
    """Name -> description labels resolved to it."""
    from parallax.crossdoc.naming import descriptions

    b = ArticleBuilder(text)
    ids = {b.ent(name, kind, labels=titles, kb=kb, forms=(name, *extra)): name
           for name, kind, titles, kb, *extra in entities}
    article = b.build()
    return {ids[e]: [label for label, s, t in items if article.text[s:t].endswith(label.split()[-1])]
            for e, items in descriptions(article).items()}


def test_description_with_the_persons_own_title_and_nationality():
    got = described("Kim Jong Un met envoys on Monday. The reclusive North Korean leader smiled.",
                    ("Kim Jong Un", "PERSON", ("leader", "North Korean"), None))
    assert got == {"Kim Jong Un": ["reclusive North Korean leader"]}


def test_bare_loaded_description_is_not_pinned_on_an_office_holder():
    text = 'Trump called Kim "Rocket Man," while the dictator described Trump as a "dotard."'
    got = described(text, ("Trump", "PERSON", ("President",), None))
    assert got == {}


def test_description_two_people_could_fill_is_left_out():
    text = "President Trump met President Moon Jae-in in Seoul. The president said talks went well."
    got = described(text, ("Trump", "PERSON", ("President",), None), ("Moon Jae-in", "PERSON", ("President",), None))
    assert got == {}
    one = described("President Trump landed in Seoul. The president said talks went well.",
                    ("Trump", "PERSON", ("President",), None))
    assert one == {"Trump": ["president"]}


def test_the_country_needs_one_country_in_reach():
    alone = described("North Korea said it would halt tests. In total, the country fired 23 missiles.",
                      ("North Korea", "GPE", (), COUNTRY))
    assert alone == {"North Korea": ["country"]}
    two = described("The United States and North Korea met. The country fired 23 missiles.",
                    ("United States", "GPE", (), COUNTRY), ("North Korea", "GPE", (), COUNTRY))
    assert two == {}
    far = described("North Korea said it would halt tests. A. B. C. D. The country fired 23 missiles.",
                     ("North Korea", "GPE", (), COUNTRY))
    assert far == {}  # three sentences back is out of reach


def test_description_with_its_own_complement_or_a_name_next_to_it_is_not_standalone():
    text = "President Macron hosted Trump. The president of France spoke first."
    assert described(text, ("Macron", "PERSON", ("President",), None)) == {}
    text = "Trump flew in. The president, Donald Trump, spoke."
    assert described(text, ("Donald Trump", "PERSON", ("President",), None, "Trump")) == {}
    text = "Syria was bombed. The Islamic State claimed it."
    assert described(text, ("Syria", "GPE", (), COUNTRY)) == {}


def test_organisation_named_by_its_last_word():
    text = "The Democratic National Committee sued on Friday. Hackers stole the committee's emails."
    got = described(text, ("Democratic National Committee", "ORG", (), None))
    assert got == {"Democratic National Committee": ["committee"]}
    other = described("The Democratic National Committee sued. The ethics committee met.",
                      ("Democratic National Committee", "ORG", (), None))
    assert other == {}  # "ethics committee" names another committee


def test_descriptions_reach_the_naming_table_with_their_words():
    b = ArticleBuilder("North Korea said it would halt tests. The regime fired 23 missiles last year.")
    b.ent("North Korea", "GPE", kb=COUNTRY)
    article = b.build()
    (naming,) = find_naming([article])
    assert naming.labels == ("regime",)
    assert [article.text[s.start : s.end] for s in naming.spans] == ["regime"]


def test_head_inside_a_longer_phrase_or_an_apposition_is_not_a_description():
    court = described("Judge Ray Sims sat in the Superior Court. He shot the court reporter twice.",
                      ("Superior Court", "ORG", (), None))
    assert court == {}
    text = "Rudolph shared a cell with Malachi York, the Nuwaubian leader convicted of fraud."
    got = described(text, ("Rudolph", "PERSON", ("leader", "Nuwaubian"), None), ("Malachi York", "PERSON", (), None))
    assert got == {}


# --- what is not a label (precision) ------------------------------------------


def test_gap_between_two_quotes_and_speech_fragments_are_not_scare_quotes():
    text = '"Greece is a unique case in the EU" because of its "precarious debt dynamics" and because it lied.'
    got = labels(text, "Greece", "GPE")
    assert "\u201cbecause of its\u201d" not in got
    assert "\u201cand because it\u201d" not in got
    assert labels('The junta held "elections" in Naypyidaw.', "Naypyidaw", "GPE") == ["\u201celections\u201d"]


def test_clause_words_and_numbers_are_not_premodifiers():
    assert labels("He must implement the measures if Greece is to avoid bankruptcy.", "Greece", "GPE") == []
    assert labels("The apprehended included 12 Somalis and 11 Yemenis.", "Somalis", "NORP") == []
    assert labels("He said that loaning General Motors money was wrong.", "General Motors") == []
    assert labels("Shells hit the embattled Mariupol again.", "Mariupol", "GPE") == ["embattled"]


def test_appositions_stop_at_a_clause_and_skip_fronted_phrases_and_predicates():
    got = labels("Tom LaSorda, the president of Chrysler announced that plants would close.", "Tom LaSorda", "PERSON")
    assert got == []  # without the closing comma this reads as a clause; left out rather than guessed
    got = labels("He met Kim Jong Un, the leader who rules North Korea.", "Kim Jong Un", "PERSON")
    assert got == ["leader"]
    assert labels("Under the bailout package, Greece will receive loans.", "Greece", "GPE") == []
    assert labels("The strike grounded flights to Greece, shut down ports and closed schools.", "Greece", "GPE") == []
    got = labels("No grudges against the West Coast Bank, a statement echoed by its president.", "West Coast Bank")
    assert got == []
    got = labels("On sighting Mysore, the boats disengaged from the ship and fled.", "Mysore", "GPE")
    assert got == []
    got = labels("The inquiry by the special counsel, Robert Mueller, went on.", "Robert Mueller", "PERSON")
    assert got == ["special counsel"]
    got = labels("Suh Hoon, director of South Korea's spy agency, met him.", "Suh Hoon", "PERSON")
    assert got == ["director of South Korea's spy agency"]


def test_a_name_used_as_a_modifier_takes_no_apposition():
    text = "Fighting accusations of holding up the bailout, German Chancellor Angela Merkel spoke."
    assert labels(text, "German", "NORP") == []


def test_scare_quote_with_another_name_between_belongs_to_that_name():
    b = ArticleBuilder('The first flight will take off for a "special charity-flight" from Singapore to Sydney.')
    b.ent("Singapore", "GPE")
    b.ent("Sydney", "GPE")
    article = b.build()
    by_name = {e.name: labels_around(article, e) for e in article.entities}
    assert by_name == {"Singapore": ["\u201cspecial charity-flight\u201d"], "Sydney": []}


def test_spatial_and_verb_words_are_not_labels():
    assert labels("A quake hit an island off Iran's southern coast.", "Iran", "GPE") == []
    assert labels("Police checked a nearby Wells Fargo branch.", "Wells Fargo") == []
    assert labels("Greeks protesting against government cuts threw bombs.", "Greeks", "NORP") == []


def test_title_words_are_not_split_into_premodifier_labels():
    got = labels("He met the Greek prime minister George Papandreou.", "George Papandreou", "PERSON",
                 titles=("prime minister", "Greek"))
    assert got == ["prime minister", "Greek"]
