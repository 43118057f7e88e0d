"""Contradictions: each kind flagged when claims disagree, and not flagged on paraphrase or detail."""

from __future__ import annotations

from test_claims import KHARKIV, KYIV, LVIV, UKRAINE, ArticleBuilder, by_name, story

from parallax.crossdoc.claims import PlaceRef, align_claims, extract_claims
from parallax.crossdoc.contradictions import conflicts, find_contradictions, places_agree
from parallax.records import Article, Claim


def run(*articles: Article) -> tuple[Claim, ...]:
    entity_map = by_name(*articles)
    claims = align_claims(articles, [story(*articles)], entity_map)
    return find_contradictions(claims, articles, entity_map=entity_map)


def flags(claims: tuple[Claim, ...]) -> list[tuple[str, str]]:
    return sorted((c.kind, c.reason) for claim in claims for c in claim.contradicts)


def kinds(claims: tuple[Claim, ...]) -> set[str]:
    return {c.kind for claim in claims for c in claim.contradicts}


def toll(text: str, *, id: str, outlet: str, place_kb: dict | None = KHARKIV, place: str = "Kharkiv",
         date: tuple[str, str] | None = None) -> Article:
    b = ArticleBuilder(text, id=id, outlet=outlet)
    city = b.ent(place, kb=place_kb) if place in text else None
    if date:
        b.date(*date)
    trigger = next(t for t in ("killed", "struck", "died") if t in text)
    b.evt(trigger, "ASSAULT", target="people" if trigger == "killed" else "market", place=city,
          date=date[1] if date else None, date_text=date[0] if date else None)
    return b.build()


# --------------------------------------------------------------------------- numbers


def test_numbers_that_do_not_overlap_are_flagged_on_both_sides():
    a = toll("At least 40 people were killed in Kharkiv when missiles hit a market.", id="art_a", outlet="Reuters")
    b = toll("12 people were killed in Kharkiv when missiles hit a market.", id="art_b", outlet="TASS")
    claims = run(a, b)
    assert len(claims) == 2
    first, second = claims
    assert [c.claim for c in first.contradicts] == [second.id]
    assert [c.claim for c in second.contradicts] == [first.id]
    assert first.contradicts[0].kind == second.contradicts[0].kind == "number"
    reason = first.contradicts[0].reason
    assert "At least 40 killed (Reuters)" in reason and "12 killed (TASS)" in reason


def test_numbers_that_overlap_are_not_flagged():
    a = toll("At least 40 people were killed in Kharkiv when missiles hit a market.", id="art_a", outlet="Reuters")
    b = toll("45 people were killed in Kharkiv when missiles hit a market.", id="art_b", outlet="AP")
    claims = run(a, b)
    assert flags(claims) == []
    assert len(claims) == 1 and claims[0].outlets == 2


def test_number_words_equal_digits():
    a = toll("Three people were killed in Kharkiv when missiles hit a market.", id="art_a", outlet="A")
    b = toll("3 people were killed in Kharkiv when missiles hit a market.", id="art_b", outlet="B")
    assert flags(run(a, b)) == []


def test_about_200_and_190_agree():
    a = toll("About 200 people were killed in Kharkiv when missiles hit a market.", id="art_a", outlet="A")
    b = toll("190 people were killed in Kharkiv when missiles hit a market.", id="art_b", outlet="B")
    assert flags(run(a, b)) == []


def test_different_counted_things_are_not_compared():
    a = toll("12 soldiers were killed in Kharkiv when missiles hit a market.", id="art_a", outlet="A")
    b = toll("40 people were killed in Kharkiv when missiles hit a market.", id="art_b", outlet="B")
    assert flags(run(a, b)) == []


def test_running_total_and_single_count_are_not_compared():
    a = toll("So far 400 people were killed in Kharkiv since missiles hit a market.", id="art_a", outlet="A")
    b = toll("12 people were killed in Kharkiv when missiles hit a market.", id="art_b", outlet="B")
    assert flags(run(a, b)) == []


def test_paraphrase_and_extra_detail_are_not_flagged():
    a = toll("Twelve people were killed in Kharkiv when missiles hit a market.", id="art_a", outlet="A")
    b = toll("12 people were killed in Kharkiv on Tuesday when two Russian missiles hit the central food "
             "market, regional governor Oleh Syniehubov said.", id="art_b", outlet="B",
             date=("Tuesday", "2025-03-11"))
    claims = run(a, b)
    assert flags(claims) == [] and len(claims) == 1


# --------------------------------------------------------------------------- dates and weekdays


def test_dates_that_do_not_overlap_are_flagged():
    a = toll("Missiles struck a market in Kharkiv on March 11.", id="art_a", outlet="A",
             date=("March 11", "2025-03-11"))
    b = toll("Missiles struck a market in Kharkiv on March 12.", id="art_b", outlet="B",
             date=("March 12", "2025-03-12"))
    claims = run(a, b)
    assert kinds(claims) == {"date"}
    assert "2025-03-11" in claims[0].contradicts[0].reason and "2025-03-12" in claims[0].contradicts[0].reason


def test_month_and_day_in_it_overlap():
    a = toll("Missiles struck a market in Kharkiv in March.", id="art_a", outlet="A", date=("March", "2025-03"))
    b = toll("Missiles struck a market in Kharkiv on March 12.", id="art_b", outlet="B",
             date=("March 12", "2025-03-12"))
    assert flags(run(a, b)) == []


def undated(text: str, id: str, outlet: str, day: str, value: str) -> Article:
    b = ArticleBuilder(text, id=id, outlet=outlet)
    b.date(day, value, inferred=True)
    b.evt("struck", "ASSAULT", target="market", date=None)
    return b.build()


def test_inferred_dates_are_not_compared_but_weekday_names_are():
    # No publication date: the inferred ISO values are not trusted, but the written
    # weekdays of one event still disagree.
    a = undated("Missiles struck a market in Kharkiv on Tuesday.", "art_a", "A", "Tuesday", "2025-03-11")
    b = undated("Missiles struck a market in Kharkiv on Wednesday.", "art_b", "B", "Wednesday", "2025-03-19")
    found = flags(run(a, b))
    assert found and {kind for kind, _ in found} == {"date"}
    assert all("days differ" in reason and "2025" not in reason for _, reason in found)
    assert "on Tuesday (A)" in found[0][1] and "on Wednesday (B)" in found[0][1]


def test_weekday_of_a_statement_is_not_the_day_of_the_event():
    a = undated("Missiles struck a market in Kharkiv on Tuesday.", "art_a", "A", "Tuesday", "2025-03-11")
    b = undated("Missiles struck a market in Kharkiv, officials said Wednesday.", "art_b", "B",
                "Wednesday", "2025-03-12")
    assert flags(run(a, b)) == []


def test_late_one_day_and_early_the_next_are_one_night():
    a = undated("Missiles struck a market in Kharkiv late Tuesday.", "art_a", "A", "Tuesday", "2025-03-11")
    b = undated("Missiles struck a market in Kharkiv early Wednesday.", "art_b", "B", "Wednesday", "2025-03-12")
    assert flags(run(a, b)) == []


def test_weekday_that_does_not_match_its_date_is_flagged_with_the_real_weekday():
    # March 12, 2025 was a Wednesday
    a = toll("Missiles struck a market in Kharkiv on Tuesday, March 12, 2025.", id="art_a", outlet="Reuters",
             date=("Tuesday, March 12, 2025", "2025-03-12"))
    b = toll("Missiles struck a market in Kharkiv on March 12.", id="art_b", outlet="TASS",
             date=("March 12", "2025-03-12"))
    claims = run(a, b)
    assert kinds(claims) == {"weekday"}
    reason = claims[0].contradicts[0].reason
    assert "Wednesday" in reason and "Tuesday, March 12, 2025" in reason and "(Reuters)" in reason
    assert all(c.claim != claim.id for claim in claims for c in claim.contradicts)


def test_weekday_that_matches_is_not_flagged():
    a = toll("Missiles struck a market in Kharkiv on Wednesday, March 12, 2025.", id="art_a", outlet="A",
             date=("Wednesday, March 12, 2025", "2025-03-12"))
    b = toll("Missiles struck a market in Kharkiv on March 12.", id="art_b", outlet="B",
             date=("March 12", "2025-03-12"))
    assert flags(run(a, b)) == []


# --------------------------------------------------------------------------- places


def test_different_cities_are_flagged():
    a = toll("Missiles struck a market in Kharkiv, killing shoppers.", id="art_a", outlet="A")
    b = toll("Missiles struck a market in Lviv, killing shoppers.", id="art_b", outlet="B",
             place="Lviv", place_kb=LVIV)
    claims = run(a, b)
    assert kinds(claims) == {"place"}
    assert "Kharkiv" in claims[0].contradicts[0].reason and "Lviv" in claims[0].contradicts[0].reason


def test_city_and_its_country_are_not_flagged():
    a = toll("Missiles struck a market in Kyiv, killing shoppers.", id="art_a", outlet="A",
             place="Kyiv", place_kb=KYIV)
    b = toll("Missiles struck a market in Ukraine, killing shoppers.", id="art_b", outlet="B",
             place="Ukraine", place_kb=UKRAINE)
    assert flags(run(a, b)) == []


def test_places_agree_rules():
    kyiv = PlaceRef(entity="e1", text="Kyiv", **KYIV)
    ukraine = PlaceRef(entity="e2", text="Ukraine", **UKRAINE)
    lviv = PlaceRef(entity="e3", text="Lviv", **LVIV)
    brovary = PlaceRef(entity="e4", text="Brovary", geonames=711390, lat=50.51, lon=30.79, country="UA", kind="city")
    moscow = PlaceRef(entity="e5", text="Moscow", geonames=524901, lat=55.75, lon=37.62, country="RU", kind="city")
    unknown = PlaceRef(entity="e6", text="the village")
    assert places_agree(kyiv, ukraine) is True
    assert places_agree(kyiv, brovary) is True  # 20 km apart
    assert places_agree(kyiv, lviv) is False
    assert places_agree(ukraine, moscow) is False
    assert places_agree(kyiv, unknown) is None


# --------------------------------------------------------------------------- who did what to whom


def swap(text: str, actor: str, target: str, *, id: str, outlet: str, trigger: str = "attacked") -> Article:
    b = ArticleBuilder(text, id=id, outlet=outlet)
    ids = {name: b.ent(name) for name in ("Armenia", "Azerbaijan")}
    b.evt(trigger, "ASSAULT", actor=ids[actor], target=ids[target])
    return b.build()


def test_actor_and_target_swapped_is_flagged():
    a = swap("Armenia attacked Azerbaijan near the border overnight.", "Armenia", "Azerbaijan", id="art_a", outlet="A")
    b = swap("Azerbaijan attacked Armenia near the border overnight.", "Azerbaijan", "Armenia", id="art_b", outlet="B")
    claims = run(a, b)
    assert kinds(claims) == {"actor"}
    assert "who did what to whom" in claims[0].contradicts[0].reason


def test_same_direction_is_not_flagged():
    a = swap("Armenia attacked Azerbaijan near the border overnight.", "Armenia", "Azerbaijan", id="art_a", outlet="A")
    b = swap("Armenia attacked Azerbaijan overnight, officials said.", "Armenia", "Azerbaijan", id="art_b", outlet="B")
    claims = run(a, b)
    assert flags(claims) == [] and len(claims) == 1


def test_winner_and_loser_swapped_is_flagged():
    a = ArticleBuilder("Brazil defeated Argentina in the final on Sunday night.", id="art_a", outlet="A")
    a.ent("Brazil"), a.ent("Argentina")
    b = ArticleBuilder("Argentina beat Brazil in the final on Sunday night.", id="art_b", outlet="B")
    b.ent("Brazil"), b.ent("Argentina")
    claims = run(a.build(), b.build())
    assert kinds(claims) == {"actor"} and "who won" in claims[0].contradicts[0].reason


def test_winner_and_loser_agreeing_in_other_words_is_not_flagged():
    a = ArticleBuilder("Brazil defeated Argentina in the final on Sunday night.", id="art_a", outlet="A")
    a.ent("Brazil"), a.ent("Argentina")
    b = ArticleBuilder("Argentina lost to Brazil in the final on Sunday night.", id="art_b", outlet="B")
    b.ent("Brazil"), b.ent("Argentina")
    assert flags(run(a.build(), b.build())) == []


def test_same_act_blamed_on_different_countries_is_flagged():
    def blame(nation: str, id: str, outlet: str) -> Article:
        b = ArticleBuilder(f"{nation} missiles struck the market in Kharkiv, killing shoppers.", id=id, outlet=outlet)
        b.ent(nation, "NORP")
        b.evt("struck", "ASSAULT", actor=f"{nation} missiles", target="market", place=b.ent("Kharkiv", kb=KHARKIV))
        return b.build()

    claims = run(blame("Russian", "art_a", "Reuters"), blame("Ukrainian", "art_b", "TASS"))
    assert kinds(claims) == {"actor"} and "who did it" in claims[0].contradicts[0].reason


def test_country_and_its_people_are_one_actor():
    a = ArticleBuilder("Russian missiles struck the market in Kharkiv, killing shoppers.", id="art_a", outlet="A")
    a.ent("Russian", "NORP")
    a.evt("struck", "ASSAULT", actor="Russian missiles", target="market")
    b = ArticleBuilder("Russia struck the market in Kharkiv, killing shoppers.", id="art_b", outlet="B")
    russia = b.ent("Russia")
    b.evt("struck", "ASSAULT", actor=russia, target="market")
    assert flags(run(a.build(), b.build())) == []


# --------------------------------------------------------------------------- negation


def withdrawal(text: str, *, negated: bool, id: str, outlet: str) -> Article:
    b = ArticleBuilder(text, id=id, outlet=outlet)
    rebels = b.ent("Donetsk militia", "ORG")
    trigger = "withdraw" if "withdraw" in text else "withdrew"
    b.evt(trigger, "RETREAT", actor=rebels, target="the front line", negated=negated)
    return b.build()


def test_negated_in_one_report_only_is_flagged():
    a = withdrawal("The Donetsk militia did not withdraw from the front line on Monday.", negated=True,
                   id="art_a", outlet="A")
    b = withdrawal("The Donetsk militia withdrew from the front line on Monday.", negated=False,
                   id="art_b", outlet="B")
    claims = run(a, b)
    assert kinds(claims) == {"negation"} and len(claims) == 2


def test_negation_is_not_flagged_when_both_agree_or_the_other_hedges():
    a = withdrawal("The Donetsk militia did not withdraw from the front line on Monday.", negated=True,
                   id="art_a", outlet="A")
    b = withdrawal("The Donetsk militia has not yet withdrawn, nor did it withdraw from the front line.",
                   negated=False, id="art_b", outlet="B")
    assert flags(run(a, b)) == []


# --------------------------------------------------------------------------- two incidents


def test_different_date_and_different_count_read_as_two_incidents():
    a = toll("40 people were killed in Kharkiv when missiles struck on March 11.", id="art_a", outlet="A",
             date=("March 11", "2025-03-11"))
    b = toll("12 people were killed in Kharkiv when missiles struck on March 14.", id="art_b", outlet="B",
             date=("March 14", "2025-03-14"))
    claims = run(a, b)
    assert flags(claims) == [] and len(claims) == 2  # kept apart, not flagged


def test_conflicts_is_symmetric_in_kinds():
    a = toll("At least 40 people were killed in Kharkiv when missiles hit a market.", id="art_a", outlet="A")
    b = toll("12 people were killed in Lviv when missiles hit a market.", id="art_b", outlet="B",
             place="Lviv", place_kb=LVIV)
    (ca,), (cb,) = extract_claims(a), extract_claims(b)
    assert {k for k, _ in conflicts(ca, cb)} == {k for k, _ in conflicts(cb, ca)} == {"number", "place"}


# --------------------------------------------------------------------------- fewer false flags
# (rules tuned on the dev split of `parallax eval contradictions`; see EVALUATION.md)


def seized(text: str, count: str, *, id: str, outlet: str) -> Article:
    b = ArticleBuilder(text, id=id, outlet=outlet)
    b.evt("confiscated", "COERCE", actor="Police", target=count)
    return b.build()


def test_ordinary_counts_in_the_same_role_of_the_same_event_are_flagged():
    a = seized("Police confiscated 31 rifles in Kharkiv on Friday.", "31 rifles", id="art_a", outlet="A")
    b = seized("Police confiscated 12 rifles in Kharkiv on Friday.", "12 rifles", id="art_b", outlet="B")
    assert kinds(run(a, b)) == {"number"}


def test_ordinary_counts_of_different_sets_are_not_flagged():
    # three of the five boats: intercepted vs attacking
    a = ArticleBuilder("A warship intercepted three boats near Kharkiv and foiled an attack.", id="art_a",
                       outlet="A")
    a.evt("attack", "ASSAULT", target="vessels")
    b = ArticleBuilder("Five boats tried to attack the vessels near Kharkiv.", id="art_b", outlet="B")
    b.evt("attack", "ASSAULT", actor="Five boats", target="vessels")
    assert flags(run(a.build(), b.build())) == []


def test_ordinary_counts_given_as_bounds_are_not_flagged():
    a = seized("Police confiscated at least three rifles in Kharkiv.", "at least three rifles",
               id="art_a", outlet="A")
    b = seized("Police confiscated two rifles in Kharkiv.", "two rifles", id="art_b", outlet="B")
    assert flags(run(a, b)) == []


def test_misread_magnitude_is_not_compared():
    a = toll("The 6.1-magnitude quake struck Kharkiv.", id="art_a", outlet="A")
    b = toll("A quake registering 6.1 on the Richter scale 60km west of Kharkiv struck it.", id="art_b",
             outlet="B")
    [cb] = extract_claims(b)
    assert any(q.key == "magnitude" and q.low == 60 for q in cb.quantities)  # the misreading
    [ca] = extract_claims(a)
    assert conflicts(ca, cb) == ()


def test_background_in_a_past_month_is_not_compared_when_undated():
    a = toll("A quake in September killed 40 people in Kharkiv.", id="art_a", outlet="A")
    b = toll("A quake killed three people in Kharkiv.", id="art_b", outlet="B")
    assert flags(run(a, b)) == []
    c = toll("A quake in September killed three people in Kharkiv.", id="art_c", outlet="C")
    assert kinds(run(a, c)) == {"number"}


def test_background_with_only_a_year_or_month_is_not_compared_with_the_event():
    # "in 2003" resolves (a year) even without a publication date: still background, not a day of this event
    def undated_toll(text: str, id: str, year: str | None = None) -> Article:
        b = ArticleBuilder(text, id=id, outlet=id, published=None)
        city = b.ent("Kharkiv", kb=KHARKIV)
        if year:
            b.date(year, year)
        b.evt("killed", "ASSAULT", target="people", place=city)
        return b.build()

    a = undated_toll("A quake killed 600 people in Kharkiv in 2003.", "art_a", "2003")
    b = undated_toll("A quake killed three people in Kharkiv.", "art_b")
    assert flags(run(a, b)) == []
    c = undated_toll("A quake killed 600 people in Kharkiv on 2003-05-01.", "art_c", "2003-05-01")
    assert kinds(run(c, b)) == {"number"}  # a day-precise date is no background marker


def test_region_and_a_far_city_in_it_are_not_compared():
    region = PlaceRef(entity="ent_r", text="Cumbria", geonames=1, country="GB", kind="admin2",
                      lat=54.5, lon=-3.0)
    town = PlaceRef(entity="ent_t", text="Millom", geonames=2, country="GB", kind="city",
                    lat=54.21, lon=-3.27)
    far = PlaceRef(entity="ent_f", text="Leeds", geonames=3, country="GB", kind="city",
                   lat=53.80, lon=-1.55)
    assert places_agree(region, town) is None
    assert places_agree(town, far) is False


def test_weekday_of_another_event_in_the_sentence_is_not_compared():
    a = ArticleBuilder("Police charged a man Saturday after missiles struck a market in Kharkiv.", id="art_a",
                       outlet="A")
    a.date("Saturday", "2025-03-15", inferred=True)
    a.evt("charged", "COERCE", actor="Police", target="a man")
    a.evt("struck", "ASSAULT", target="market")
    b = undated("Missiles struck a market in Kharkiv on Friday.", "art_b", "B", "Friday", "2025-03-14")
    assert flags(run(a.build(), b)) == []
    c = undated("Missiles struck a market in Kharkiv before Sunday's vote.", "art_c", "C", "Sunday",
                "2025-03-16")
    assert flags(run(b, c)) == []


def test_the_whole_of_a_part_is_not_the_count():
    a = toll("Two of the three people were killed in Kharkiv when missiles hit a market.", id="art_a",
             outlet="A")
    b = toll("One person was killed in Kharkiv when missiles hit a market.", id="art_b", outlet="B")
    assert all("three" not in reason for _, reason in flags(run(a, b)))


def test_weekdays_of_the_same_act_on_different_people_are_not_compared():
    def arrest(text: str, who: str, id: str, day: str, value: str) -> Article:
        b = ArticleBuilder(text, id=id, outlet=id)
        person = b.ent(who, "PERSON")
        b.date(day, value, inferred=True)
        b.evt("arrested", "COERCE", target=person)
        return b.build()

    a = arrest("Police arrested Jamal Williams early Sunday in Kharkiv.", "Jamal Williams", "art_a", "Sunday",
               "2025-03-16")
    b = arrest("Police arrested Vincent Jackson early Tuesday in Kharkiv.", "Vincent Jackson", "art_b",
               "Tuesday", "2025-03-11")
    assert flags(run(a, b)) == []


def test_a_higher_toll_published_on_a_later_day_is_an_update():
    from dataclasses import replace

    early = toll("12 people were killed in Kharkiv when missiles hit a market.", id="art_a", outlet="A")
    late = toll("At least 40 people were killed in Kharkiv when missiles hit a market.", id="art_b",
                outlet="B")
    assert flags(run(replace(early, published="2025-03-11"), replace(late, published="2025-03-12"))) == []
    # the later report gives the lower toll: a real disagreement
    assert kinds(run(replace(early, published="2025-03-13"), replace(late, published="2025-03-12"))) == {
        "number"}
    # the same day, or no dates: still compared
    assert kinds(run(replace(early, published="2025-03-12"), replace(late, published="2025-03-12"))) == {
        "number"}
    assert kinds(run(early, late)) == {"number"}
