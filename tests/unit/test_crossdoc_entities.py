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
