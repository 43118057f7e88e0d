"""resolve_entities: one entity per real-world thing, never two people in one."""

from __future__ import annotations

import random

import pytest

import parallax.crossdoc.entities as module
from parallax.crossdoc.entities import (
    EntityResolution,
    name_key,
    resolve_entities,
    similar_words,
    skeleton,
    transliterate,
)
from parallax.ids import make_id
from parallax.records import Article, Entity, Mention, Story


# --------------------------------------------------------------------------- helpers
def ent(
    article: str,
    name: str,
    type: str = "PERSON",
    *,
    aliases: tuple[str, ...] = (),
    labels: tuple[str, ...] = (),
    kb: dict | None = None,
    count: int = 1,
) -> Entity:
    texts = [name, *aliases]
    mentions = tuple(
        Mention(article=article, start=20 * i, end=20 * i + len(texts[i % len(texts)]),
                text=texts[i % len(texts)])
        for i in range(max(count, len(texts)))
    )  # fmt: skip
    return Entity(
        id=make_id("ent", article, type, name),
        name=name,
        type=type,
        aliases=aliases,
        mentions=mentions,
        labels=labels,
        kb=kb or {},
    )


def art(article_id: str, *entities: Entity) -> Article:
    return Article(id=article_id, input=article_id, format="txt", text="x" * 400, entities=entities)


def story(story_id: str, *article_ids: str) -> Story:
    return Story(id=story_id, title=story_id, articles=article_ids)


def entity_of(result: EntityResolution, article: str, name: str, type: str = "PERSON") -> str:
    return result.mapping[make_id("ent", article, type, name)]


def together(result: EntityResolution, *pairs: tuple[str, str, str]) -> bool:
    return len({entity_of(result, a, n, t) for a, n, t in pairs}) == 1


# --------------------------------------------------------------------------- keys
def test_transliteration_and_folding():
    assert name_key("Erdoğan") == name_key("Erdogan") == name_key("Эрдоган") == "erdogan"
    assert transliterate("Київ") == "Kyiv"
    assert name_key("Владимир Путин") == "vladimir putin"
    assert name_key("Τσίπρας") == "tsipras"
    assert name_key("U. S. Surgeon General") == name_key("U.S. Surgeon General")
    assert name_key("Mt Cook") == name_key("Mount Cook")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("gaddafi", "qaddafi"),
        ("gaddafi", "kadhafi"),
        ("qadhafi", "gadhafi"),
        ("kharkiv", "kharkov"),
        ("kharkiv", "karkhiv"),
        ("zelenskyy", "selenskyj"),
        ("zelensky", name_key("Зеленский")),
        ("hezbollah", "hizbollah"),
    ],
)
def test_transliteration_variants_are_similar(a, b):
    assert similar_words(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("mohammed", "mahmoud"), ("iran", "iraq"), ("slovakia", "slovenia"), ("austria", "australia"),
     ("hassan", "hussein"), ("lech", "jaroslaw")],
)  # fmt: skip
def test_different_names_are_not_similar(a, b):
    assert not similar_words(a, b)


def test_skeleton_classes():
    assert skeleton("gaddafi") == skeleton("qadhafi") == skeleton("kadhafi") == "KTF"
    assert skeleton("kharkiv") == skeleton("karkhiv") == skeleton("kharkov")


# --------------------------------------------------------------------------- merges
def test_diacritics_and_script_merge():
    result = resolve_entities(
        [
            art("a1", ent("a1", "Vladimir Putin")),
            art("a2", ent("a2", "Владимир Путин")),
            art("a3", ent("a3", "Władimir Putin")),
        ]
    )
    assert together(
        result, ("a1", "Vladimir Putin", "PERSON"), ("a2", "Владимир Путин", "PERSON"),
        ("a3", "Władimir Putin", "PERSON"),
    )  # fmt: skip
    (entity,) = result.entities
    assert entity.name == "Vladimir Putin"  # Latin script preferred
    assert "Владимир Путин" in entity.aliases


def test_bare_surname_in_another_script_joins_within_story():
    articles = [
        art("a1", ent("a1", "Recep Tayyip Erdoğan", labels=("President",))),
        art("a2", ent("a2", "Erdogan")),
        art("a3", ent("a3", "Эрдоган")),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3")])
    assert together(
        result, ("a1", "Recep Tayyip Erdoğan", "PERSON"), ("a2", "Erdogan", "PERSON"),
        ("a3", "Эрдоган", "PERSON"),
    )  # fmt: skip
    assert result.entities[0].name == "Recep Tayyip Erdoğan"


def test_transliteration_variants_of_a_full_name_merge_across_stories():
    articles = [
        art("a1", ent("a1", "Muammar Gaddafi")),
        art("a2", ent("a2", "Moammar Qaddafi")),
        art("a3", ent("a3", "Muammar al-Kadhafi")),
        art("a4", ent("a4", "Muammar Gadhafi")),
    ]
    stories = [story(f"s{i}", f"a{i}") for i in range(1, 5)]
    result = resolve_entities(articles, stories)
    assert len(result.entities) == 1
    assert len(result.entities[0].mentions) == 4


def test_place_spelling_slips_merge_with_the_gazetteer_place():
    kharkiv = {"geonames": 706483, "country": "UA", "kind": "city"}
    articles = [
        art("a1", ent("a1", "Kharkiv", "GPE", kb=kharkiv)),
        art("a2", ent("a2", "Kharkov", "GPE")),
        art("a3", ent("a3", "Karkhiv", "GPE")),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3")])
    assert together(
        result, ("a1", "Kharkiv", "GPE"), ("a2", "Kharkov", "GPE"), ("a3", "Karkhiv", "GPE")
    )
    (entity,) = result.entities
    assert entity.kb["geonames"] == 706483
    assert entity.id == make_id("ent", "GPE", "geonames:706483")


def test_same_geonames_id_merges_different_spellings():
    kb = {"geonames": 703448}
    result = resolve_entities(
        [art("a1", ent("a1", "Kyiv", "GPE", kb=kb, count=3)), art("a2", ent("a2", "Kiev", "GPE", kb=kb))]
    )
    (entity,) = result.entities
    assert entity.name == "Kyiv" and entity.aliases == ("Kiev",)


def test_acronym_alias_links_long_form_across_articles():
    articles = [
        art("a1", ent("a1", "North Atlantic Treaty Organization", "ORG", aliases=("NATO",))),
        art("a2", ent("a2", "NATO", "ORG")),
        art("a3", ent("a3", "North Atlantic Treaty Organization", "ORG")),
    ]
    result = resolve_entities(articles, [story("s1", "a1"), story("s2", "a2"), story("s3", "a3")])
    assert together(
        result, ("a1", "North Atlantic Treaty Organization", "ORG"), ("a2", "NATO", "ORG"),
        ("a3", "North Atlantic Treaty Organization", "ORG"),
    )  # fmt: skip
    assert result.entities[0].name == "North Atlantic Treaty Organization"


def test_acronym_spelling_initials_joins_only_within_a_story():
    apart = resolve_entities(
        [art("a1", ent("a1", "Islamic State", "ORG")), art("a2", ent("a2", "IS", "ORG"))],
        [story("s1", "a1"), story("s2", "a2")],
    )
    assert len(apart.entities) == 2
    longer = [art("a1", ent("a1", "Democratic National Committee", "ORG")), art("a2", ent("a2", "DNC", "ORG"))]
    joined = resolve_entities(longer, [story("s1", "a1", "a2")])
    assert len(joined.entities) == 1


def test_surname_joins_full_name_within_story_only():
    articles = [
        art("a1", ent("a1", "Olaf Scholz")),
        art("a2", ent("a2", "Scholz")),
        art("a3", ent("a3", "Scholz")),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2"), story("s2", "a3")])
    assert entity_of(result, "a1", "Olaf Scholz") == entity_of(result, "a2", "Scholz")
    assert entity_of(result, "a3", "Scholz") != entity_of(result, "a1", "Olaf Scholz")


def test_surname_in_other_story_joins_with_a_shared_label():
    articles = [
        art("a1", ent("a1", "Olaf Scholz", labels=("Chancellor",))),
        art("a3", ent("a3", "Scholz", labels=("Chancellor",))),
    ]
    result = resolve_entities(articles, [story("s1", "a1"), story("s2", "a3")])
    assert len(result.entities) == 1


def test_korean_name_written_surname_first_and_cut_short():
    articles = [
        art("a1", ent("a1", "Kim Jong Un", count=3)),
        art("a2", ent("a2", "Kim")),
        art("a3", ent("a3", "Kim Jong")),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3")])
    assert len(result.entities) == 1
    assert result.entities[0].name == "Kim Jong Un"


def test_dominant_person_takes_the_bare_surname_and_familiar_forms_join():
    articles = [
        art("a1", ent("a1", "Donald Trump", count=30), ent("a1", "Melania Trump")),
        art("a2", ent("a2", "Trump", count=5)),
        art("a3", ent("a3", "Maurice Cheeks"), ent("a3", "Mo Cheeks")),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3")])
    assert entity_of(result, "a2", "Trump") == entity_of(result, "a1", "Donald Trump")
    assert entity_of(result, "a1", "Melania Trump") != entity_of(result, "a1", "Donald Trump")
    assert entity_of(result, "a3", "Mo Cheeks") == entity_of(result, "a3", "Maurice Cheeks")


def test_organisation_short_name_joins_the_one_it_ends_within_story():
    articles = [
        art("a1", ent("a1", "San Diego Chargers", "ORG")),
        art("a2", ent("a2", "Chargers", "ORG")),
        art("a3", ent("a3", "Chargers", "ORG")),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2"), story("s2", "a3")])
    assert entity_of(result, "a2", "Chargers", "ORG") == entity_of(result, "a1", "San Diego Chargers", "ORG")


# --------------------------------------------------------------------------- never merge
def test_two_ministers_named_ahmed_stay_apart():
    articles = [
        art("a1", ent("a1", "Ahmed Aboul Gheit", labels=("Foreign Minister",))),
        art("a2", ent("a2", "Ahmed Shafik", labels=("Prime Minister",))),
        art("a3", ent("a3", "Ahmed")),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3")])
    assert len(result.entities) == 3


def test_kaczynski_twins_stay_apart_and_the_bare_surname_is_not_guessed():
    articles = [
        art("a1", ent("a1", "Jarosław Kaczyński", count=3)),
        art("a2", ent("a2", "Lech Kaczyński", count=2)),
        art("a3", ent("a3", "Kaczyński")),
        art("a4", ent("a4", "Jaroslaw Kaczynski")),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3", "a4")])
    jaroslaw = entity_of(result, "a1", "Jarosław Kaczyński")
    assert entity_of(result, "a4", "Jaroslaw Kaczynski") == jaroslaw
    assert entity_of(result, "a2", "Lech Kaczyński") != jaroslaw
    assert entity_of(result, "a3", "Kaczyński") not in {jaroslaw, entity_of(result, "a2", "Lech Kaczyński")}


def test_bare_surname_with_a_label_picks_the_twin_with_that_label():
    articles = [
        art("a1", ent("a1", "Jarosław Kaczyński", labels=("party leader",))),
        art("a2", ent("a2", "Lech Kaczyński", labels=("President",))),
        art("a3", ent("a3", "Kaczyński", labels=("President",))),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3")])
    assert entity_of(result, "a3", "Kaczyński") == entity_of(result, "a2", "Lech Kaczyński")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Hamid Karzai", "Mahmoud Karzai"),
        ("Viktor Yanukovych", "Viktor Yushchenko"),
        ("Mahmoud Abbas", "Mohammed Abbas"),
        ("Donald Trump", "Donald Trump Jr."),
        ("George W. Bush", "George H. W. Bush"),
        ("Lech Kaczyński", "Marta Kaczyńska"),
        ("Ed Miliband", "David Miliband"),
        ("Marine Le Pen", "Jean-Marie Le Pen"),
    ],
)
def test_different_people_with_near_identical_names_never_merge(first, second):
    articles = [art("a1", ent("a1", first)), art("a2", ent("a2", second))]
    result = resolve_entities(articles, [story("s1", "a1", "a2")])
    assert len(result.entities) == 2


def test_initial_cannot_chain_two_people_together():
    articles = [
        art("a1", ent("a1", "Ahmed Hassan")),
        art("a2", ent("a2", "Ali Hassan")),
        art("a3", ent("a3", "A. Hassan")),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3")])
    assert entity_of(result, "a1", "Ahmed Hassan") != entity_of(result, "a2", "Ali Hassan")


def test_country_its_people_and_its_police_never_merge():
    russia = {"geonames": 2017370, "kind": "country"}
    articles = [
        art("a1", ent("a1", "Russia", "GPE", kb=russia), ent("a1", "Russian", "NORP")),
        art("a2", ent("a2", "Russian police", "ORG"), ent("a2", "Russians", "NORP")),
        art("a3", ent("a3", "Russia", "ORG")),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3")])
    types = sorted(e.type for e in result.entities)
    assert types == ["GPE", "NORP", "ORG", "ORG"]  # Russian + Russians are one NORP
    assert entity_of(result, "a1", "Russia", "GPE") != entity_of(result, "a3", "Russia", "ORG")


def test_two_places_with_different_geonames_ids_never_merge():
    articles = [
        art("a1", ent("a1", "Paris", "GPE", kb={"geonames": 2988507})),
        art("a2", ent("a2", "Paris", "GPE", kb={"geonames": 4717560})),
        art("a3", ent("a3", "Paris", "GPE")),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3")])
    assert entity_of(result, "a1", "Paris", "GPE") != entity_of(result, "a2", "Paris", "GPE")
    assert len(result.entities) == 2  # the unresolved Paris joins one of them, not both
    assert len({e.id for e in result.entities}) == 2


# --------------------------------------------------------------------------- output
def test_every_alias_mention_and_label_is_kept_and_mapping_is_total():
    articles = [
        art("a1", ent("a1", "Volodymyr Zelensky", aliases=("Zelensky",), labels=("President",), count=3)),
        art("a2", ent("a2", "Volodymyr Zelenskyy", labels=("Ukrainian President",))),
        art("a3", ent("a3", "Владимир Зеленский")),
        art("a4", ent("a4", "Kyiv", "GPE", kb={"geonames": 703448})),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3", "a4")])
    nodes = [e for a in articles for e in a.entities]
    assert set(result.mapping) == {e.id for e in nodes}
    assert set(result.mapping.values()) == {e.id for e in result.entities}
    person = next(e for e in result.entities if e.type == "PERSON")
    assert len(person.mentions) == sum(len(e.mentions) for e in nodes if e.type == "PERSON")
    assert {m.article for m in person.mentions} == {"a1", "a2", "a3"}
    assert {"Zelensky", "Volodymyr Zelenskyy", "Владимир Зеленский"} <= set(person.aliases)
    assert set(person.labels) == {"President", "Ukrainian President"}
    assert person.name == "Volodymyr Zelensky"
    assert person.id == make_id("ent", "PERSON", "volodymyr zelensky")


def test_ids_of_bare_names_apart_in_two_stories_do_not_clash():
    articles = [art("a1", ent("a1", "Smith")), art("a2", ent("a2", "Smith"))]
    result = resolve_entities(articles, [story("s1", "a1"), story("s2", "a2")])
    assert len(result.entities) == 2
    assert len({e.id for e in result.entities}) == 2


def test_empty_input():
    assert resolve_entities([]) == EntityResolution(entities=(), mapping={})
    assert resolve_entities([art("a1")]).entities == ()


def test_candidate_pairs_come_from_blocking_not_all_pairs(monkeypatch):
    calls = []
    original = module._pair_score

    def counting(a, b, **kwargs):
        calls.append(1)
        return original(a, b, **kwargs)

    monkeypatch.setattr(module, "_pair_score", counting)
    first = ["Anna", "Boris", "Chen", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal"]
    rng = random.Random(7)
    syllables = ["ka", "lo", "mi", "ne", "su", "tor", "vin", "bel", "dra", "gun", "pe", "rix"]
    surnames: set[str] = set()
    while len(surnames) < 2000:
        surnames.add("".join(rng.choice(syllables) for _ in range(4)).capitalize())
    articles = []
    for i, surname in enumerate(sorted(surnames)):
        name = f"{first[i % 10]} {surname}"
        articles.append(art(f"a{i}", ent(f"a{i}", name)))
    result = resolve_entities(articles)
    assert len(result.entities) > 1900  # a few random surnames are one letter apart
    assert len(calls) < 20 * 2000  # all pairs would be about 2,000,000


# --------------------------------------------------------------------------- tagger slips
def text_art(article_id: str, text: str, *names: tuple[str, str]) -> Article:
    """An article whose entities' mentions are every occurrence of their name in ``text``."""
    entities = []
    for name, type in names:
        starts, at = [], text.find(name)
        while at >= 0:
            starts.append(at)
            at = text.find(name, at + len(name))
        assert starts, name
        mentions = tuple(
            Mention(article=article_id, start=s, end=s + len(name), text=name) for s in starts
        )
        entities.append(
            Entity(id=make_id("ent", article_id, type, name), name=name, type=type, mentions=mentions)
        )
    return Article(id=article_id, input=article_id, format="txt", text=text, entities=tuple(entities))


def test_a_name_typed_otherwise_in_a_few_articles_joins_the_majority_reading():
    articles = [art(f"a{i}", ent(f"a{i}", "Hugh Jackman")) for i in range(1, 4)]
    articles.append(art("a4", ent("a4", "Hugh Jackman", "GPE")))  # no GeoNames id
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3", "a4")])
    (entity,) = result.entities
    assert entity.type == "PERSON"
    assert entity_of(result, "a4", "Hugh Jackman", "GPE") == entity_of(result, "a1", "Hugh Jackman")


def test_majority_reading_needs_a_clear_majority_and_a_shared_story():
    balanced = [
        art("a1", ent("a1", "Walt Disney", "ORG")), art("a2", ent("a2", "Walt Disney", "ORG")),
        art("a3", ent("a3", "Walt Disney")), art("a4", ent("a4", "Walt Disney")),
    ]  # fmt: skip
    assert len(resolve_entities(balanced, [story("s1", "a1", "a2", "a3", "a4")]).entities) == 2
    apart = [art(f"a{i}", ent(f"a{i}", "Hugh Jackman")) for i in range(1, 4)]
    apart.append(art("a4", ent("a4", "Hugh Jackman", "GPE")))
    stories = [story("s1", "a1", "a2", "a3"), story("s2", "a4")]
    assert len(resolve_entities(apart, stories).entities) == 2


def test_a_resolved_place_and_a_nationality_never_change_type():
    georgia = {"geonames": 614540, "kind": "country"}
    articles = [art(f"a{i}", ent(f"a{i}", "Georgia", "ORG")) for i in range(1, 5)]
    articles += [art("a5", ent("a5", "Georgia", "GPE", kb=georgia)), art("a6", ent("a6", "Georgia", "NORP"))]
    result = resolve_entities(articles, [story("s1", *(f"a{i}" for i in range(1, 7)))])
    assert sorted(e.type for e in result.entities) == ["GPE", "NORP", "ORG"]


def test_a_single_word_typed_person_that_names_only_an_organisation_joins_it():
    articles = [
        art("a1", ent("a1", "Indianapolis Colts", "ORG", count=3)),
        art("a2", ent("a2", "Colts", count=4)),
        art("a3", ent("a3", "Peyton Manning"), ent("a3", "Manning")),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3")])
    assert entity_of(result, "a2", "Colts") == entity_of(result, "a1", "Indianapolis Colts", "ORG")
    assert entity_of(result, "a3", "Manning") == entity_of(result, "a3", "Peyton Manning")


def test_a_single_word_that_fits_a_person_stays_a_person_even_with_a_namesake_organisation():
    articles = [
        art("a1", ent("a1", "Harrison Ford", count=3), ent("a1", "Ford", "ORG")),
        art("a2", ent("a2", "Ford")),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2")])
    assert entity_of(result, "a2", "Ford") == entity_of(result, "a1", "Harrison Ford")
    assert entity_of(result, "a1", "Ford", "ORG") != entity_of(result, "a1", "Harrison Ford")


def test_an_unresolved_place_word_that_is_a_persons_name_joins_the_person():
    articles = [
        art("a1", ent("a1", "Kathina Thomas", count=2)),
        art("a2", ent("a2", "Kathina", "GPE", count=3)),  # the tagger's slip, no GeoNames id
        art("a3", ent("a3", "Jordan", "GPE", kb={"geonames": 248816, "kind": "country"})),
        art("a4", ent("a4", "Michael Jordan")),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3", "a4")])
    assert entity_of(result, "a2", "Kathina", "GPE") == entity_of(result, "a1", "Kathina Thomas")
    assert entity_of(result, "a3", "Jordan", "GPE") != entity_of(result, "a4", "Michael Jordan")


def test_an_unresolved_place_word_fitting_two_people_stays_a_place():
    articles = [
        art("a1", ent("a1", "Anna Kessel"), ent("a1", "Paul Kessel")),
        art("a2", ent("a2", "Kessel", "GPE")),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2")])
    assert result.mapping[make_id("ent", "a2", "GPE", "Kessel")] not in {
        entity_of(result, "a1", "Anna Kessel"), entity_of(result, "a1", "Paul Kessel")
    }


LOHAN_BODY = (
    "The actress checked into rehab on Thursday. An actress who checks into rehab twice is "
    "news, and the actress said she checks in today.\n"
)


def test_a_name_padded_with_role_or_headline_words_joins_the_person_it_contains():
    articles = [
        text_art("a1", "Lindsay Lohan Checks Into Rehab Again Today\n" + LOHAN_BODY,
                 ("Lindsay Lohan Checks Into Rehab", "PERSON")),
        text_art("a2", LOHAN_BODY + "Later, Lindsay Lohan spoke. Lindsay Lohan left.\n",
                 ("Lindsay Lohan", "PERSON")),
        text_art("a3", LOHAN_BODY + "Actress Lindsay Lohan was seen.\n",
                 ("Actress Lindsay Lohan", "PERSON")),
    ]  # fmt: skip
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3")])
    (entity,) = result.entities
    assert entity.name == "Lindsay Lohan"
    assert {"Lindsay Lohan Checks Into Rehab", "Actress Lindsay Lohan"} <= set(entity.aliases)


def test_a_name_that_goes_on_with_capitalised_words_is_not_padding():
    body = "She left the Betty Ford Center. The Betty Ford Center said so; a center nearby did not.\n"
    articles = [
        text_art("a1", body, ("Betty Ford Center", "ORG")),
        text_art("a2", "Former first lady Betty Ford founded it. Betty Ford died in 2011.\n",
                 ("Betty Ford", "PERSON")),
        text_art("a3", "He met William Mark Felt in 1972. Felt was there.\n",
                 ("William Mark Felt", "PERSON")),
        text_art("a4", "Mark Felt Jr. spoke for the family.\n", ("Mark Felt Jr.", "PERSON")),
    ]  # fmt: skip
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3", "a4")])
    assert entity_of(result, "a1", "Betty Ford Center", "ORG") != entity_of(result, "a2", "Betty Ford")
    assert entity_of(result, "a4", "Mark Felt Jr.") != entity_of(result, "a3", "William Mark Felt")


def test_a_title_written_after_the_or_in_quotes_is_not_padding():
    body = "The notorious pin-up was notorious for it; notorious indeed.\n"
    articles = [
        text_art("a1", body + 'The film "The Notorious Bettie Page" came out.\n',
                 ("Notorious Bettie Page", "WORK_OF_ART")),
        text_art("a2", body + "Bettie Page died. Bettie Page was 85.\n", ("Bettie Page", "PERSON")),
    ]  # fmt: skip
    result = resolve_entities(articles, [story("s1", "a1", "a2")])
    assert len(result.entities) == 2


def test_a_headline_name_joins_the_organisation_or_person_it_begins_with():
    body = "The company launched a fix. It launches another next week, and launches are rare.\n"
    articles = [
        text_art("a1", "Microsoft Launches Emergency Patch For Browser\n" + body,
                 ("Microsoft Launches", "ORG")),
        text_art("a2", body + "Microsoft said the flaw was fixed. Microsoft Corp. agreed.\n",
                 ("Microsoft", "ORG"), ("Microsoft Corp.", "ORG")),
        text_art("a3", body + "Microsoft Launches is not a headline here.\n",
                 ("Microsoft Launches", "PRODUCT")),
    ]  # fmt: skip
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3")])
    microsoft = entity_of(result, "a2", "Microsoft", "ORG")
    assert entity_of(result, "a1", "Microsoft Launches", "ORG") == microsoft
    assert entity_of(result, "a2", "Microsoft Corp.", "ORG") == microsoft
    assert entity_of(result, "a3", "Microsoft Launches", "PRODUCT") != microsoft


def test_legal_forms_are_not_part_of_an_organisations_name_across_stories():
    articles = [art("a1", ent("a1", "Microsoft Corp.", "ORG")), art("a2", ent("a2", "Microsoft", "ORG")),
                art("a3", ent("a3", "British Broadcasting Corporation", "ORG", aliases=("BBC",))),
                art("a4", ent("a4", "BBC", "ORG"))]  # fmt: skip
    result = resolve_entities(articles, [story(f"s{i}", f"a{i}") for i in range(1, 5)])
    assert len(result.entities) == 2


@pytest.mark.parametrize(
    ("short", "full"),
    [("Fred LaRue", "Frederick C. LaRue"), ("Katie Jenkin", "Kathryn Jenkin"),
     ("Bill Clinton", "William Clinton"), ("Mo Cheeks", "Maurice Cheeks")],
)  # fmt: skip
def test_a_familiar_given_name_joins_within_a_story_only(short, full):
    together_ = resolve_entities([art("a1", ent("a1", full)), art("a2", ent("a2", short))],
                                 [story("s1", "a1", "a2")])  # fmt: skip
    assert len(together_.entities) == 1
    apart = resolve_entities([art("a1", ent("a1", full)), art("a2", ent("a2", short))],
                             [story("s1", "a1"), story("s2", "a2")])  # fmt: skip
    assert len(apart.entities) == 2


@pytest.mark.parametrize(
    ("first", "second"),
    [("Marine Le Pen", "Marie Le Pen"), ("Ed Miliband", "David Miliband"),
     ("Bill Clinton", "Hillary Clinton"), ("Fred Smith", "Frank Smith"), ("Dan Rather", "Dana Rather")],
)  # fmt: skip
def test_different_given_names_are_not_familiar_forms(first, second):
    result = resolve_entities([art("a1", ent("a1", first)), art("a2", ent("a2", second))],
                              [story("s1", "a1", "a2")])  # fmt: skip
    assert len(result.entities) == 2


def test_a_headline_compound_of_a_name_and_a_noun_is_not_the_name():
    body = ("The Obama administration overturned a rule. The administration said so; "
            "Obama overturns rules often and the administration overturns more.\n")  # fmt: skip
    articles = [
        text_art("a1", "Obama Administration Flips Endangered Species Ruling\n" + body,
                 ("Obama Administration", "ORG")),
        text_art("a2", "Obama Overturns Endangered Species Rule Again\n" + body,
                 ("Obama Overturns", "PERSON")),
        text_art("a3", body + "President Barack Obama spoke.\n", ("Barack Obama", "PERSON")),
    ]  # fmt: skip
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3")])
    obama = entity_of(result, "a3", "Barack Obama")
    assert entity_of(result, "a2", "Obama Overturns") == obama
    assert entity_of(result, "a1", "Obama Administration", "ORG") != obama


def test_a_role_word_before_a_surname_joins_the_one_person_of_that_surname():
    body = "The officer said an officer fired; officers were there.\n"
    articles = [
        text_art("a1", body + "Jerry Ortiz was shot. Jerry Ortiz died.\n", ("Jerry Ortiz", "PERSON")),
        text_art("a2", body + "Officer Ortiz was a veteran.\n", ("Officer Ortiz", "PERSON")),
    ]  # fmt: skip
    result = resolve_entities(articles, [story("s1", "a1", "a2")])
    assert entity_of(result, "a2", "Officer Ortiz") == entity_of(result, "a1", "Jerry Ortiz")


def test_a_given_name_before_a_surname_is_never_a_role_even_when_mistyped_elsewhere():
    body = "The president spoke. Melania waved.\n"
    articles = [
        text_art("a1", body + "Donald Trump spoke. Donald Trump left.\n", ("Donald Trump", "PERSON")),
        text_art("a2", body + "Melania Trump arrived.\n", ("Melania Trump", "PERSON"),
                 ("Melania", "GPE")),
        text_art("a3", body + "Brigitte Macron and Emmanuel Macron met.\n",
                 ("Brigitte Macron", "PERSON"), ("Emmanuel Macron", "PERSON")),
    ]  # fmt: skip
    result = resolve_entities(articles, [story("s1", "a1", "a2", "a3")])
    assert entity_of(result, "a2", "Melania Trump") != entity_of(result, "a1", "Donald Trump")
    assert entity_of(result, "a3", "Brigitte Macron") != entity_of(result, "a3", "Emmanuel Macron")


def test_a_natural_feature_word_joins_the_bare_place_name_within_a_story_only():
    articles = [
        art("a1", ent("a1", "Mediterranean Sea", "LOC")), art("a2", ent("a2", "Mediterranean", "LOC")),
        art("a3", ent("a3", "Qeshm Island", "LOC")), art("a4", ent("a4", "Qeshm", "LOC")),
        art("a5", ent("a5", "Kansas City", "GPE")), art("a6", ent("a6", "Kansas", "GPE")),
    ]  # fmt: skip
    result = resolve_entities(articles, [story("s1", *(f"a{i}" for i in range(1, 7)))])
    assert entity_of(result, "a1", "Mediterranean Sea", "LOC") == entity_of(result, "a2", "Mediterranean", "LOC")
    assert entity_of(result, "a3", "Qeshm Island", "LOC") == entity_of(result, "a4", "Qeshm", "LOC")
    assert entity_of(result, "a5", "Kansas City", "GPE") != entity_of(result, "a6", "Kansas", "GPE")
    apart = resolve_entities(articles[:2], [story("s1", "a1"), story("s2", "a2")])
    assert len(apart.entities) == 2


def test_a_nationality_word_joins_a_person_only_as_an_exact_surname():
    articles = [
        art("a1", ent("a1", "Wladimir Klitschko", count=3), ent("a1", "Christian Bale")),
        art("a2", ent("a2", "Klitschko", "NORP"), ent("a2", "Christian", "NORP")),
    ]
    result = resolve_entities(articles, [story("s1", "a1", "a2")])
    assert entity_of(result, "a2", "Klitschko", "NORP") == entity_of(result, "a1", "Wladimir Klitschko")
    assert entity_of(result, "a2", "Christian", "NORP") != entity_of(result, "a1", "Christian Bale")


def test_organisation_names_written_with_or_without_a_space_are_one():
    articles = [art("a1", ent("a1", "Portland Trail Blazers", "ORG")),
                art("a2", ent("a2", "Portland Trailblazers", "ORG")),
                art("a3", ent("a3", "Portland Trail Rangers", "ORG"))]  # fmt: skip
    result = resolve_entities(articles, [story("s1", "a1"), story("s2", "a2"), story("s3", "a3")])
    assert len(result.entities) == 2
