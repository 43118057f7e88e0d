"""Incremental linking: new articles against stored stories, with SQL-blocked candidates."""

from __future__ import annotations

import random

from parallax import api
from parallax.crossdoc.link import link_corpus
from parallax.crossdoc.naming import quotes_by_outlet
from parallax.ids import make_id
from parallax.records import Article, Entity, Mention, Quote
from parallax.store.duckdb import Store


def story_text(topic: int, variant: int) -> tuple[str, list[str]]:
    """A synthetic report on topic ``topic``: its own rare words and names, shuffled per outlet."""
    rng = random.Random(topic)
    vocab = [f"{w}{topic}x" for w in ("flood", "dam", "valley", "rescue", "levee", "barge",
                                       "pump", "mayor", "river", "storm", "bridge", "crew")]
    names = [f"Qara{topic}ville", f"Anna Berg{topic}son"]
    sentences = [
        f"{names[0]} officials said the {vocab[i]} and the {vocab[i + 1]} were damaged near "
        f"the {vocab[(i + 5) % 12]}, {names[1]} told reporters." for i in range(0, 10, 2)
    ]
    rng = random.Random(topic * 100 + variant)
    rng.shuffle(sentences)
    return " ".join(sentences), names


def make(topic: int, variant: int, day: int = 5, outlet: str | None = None) -> Article:
    text, names = story_text(topic, variant)
    article_id = make_id("art", str(topic), str(variant))
    entities = []
    for name in names:
        start = text.find(name)
        entities.append(Entity(
            id=make_id("ent", article_id, name), name=name,
            type="PERSON" if " " in name else "GPE",
            mentions=(Mention(article=article_id, start=start, end=start + len(name), text=name),),
        ))
    person = entities[1]
    quote_start = text.find("officials said")
    quote = Quote(id=make_id("quo", article_id), article=article_id, start=quote_start,
                  end=quote_start + 14, text="officials said", kind="indirect", speaker=person.id)
    return Article(id=article_id, input=f"{topic}-{variant}", format="txt", text=text,
                   title=f"Flood report {topic}", published=f"2024-03-{day:02d}",
                   outlet=outlet or f"Outlet {variant}", language="en",
                   entities=tuple(entities), quotes=(quote,))


def groups(stories) -> set[frozenset[str]]:
    return {frozenset(s.articles) for s in stories}


def test_incremental_link_matches_a_full_link():
    first = [make(t, v) for t in range(8) for v in range(2)]
    later = [make(t, v) for t in range(8) for v in range(2, 4)] + [make(99, 0)]
    full = link_corpus(first + later)
    with Store(None) as store:
        store.save_batch(first, [])
        links, _ = api._link(store)
        first_ids = {s.id for s in links.stories}
        store.save_batch(later, [])
        links, articles = api._link(store)
        assert articles is None  # the second run did not read the whole store
        assert not store.unlinked_ids()
        assert groups(links.stories) == groups(full.stories)
        assert first_ids <= {s.id for s in links.stories}  # stored stories kept their ids
        # One corpus entity per person/place, as the full run has.
        assert sorted(e.name for e in links.entities) == sorted(e.name for e in full.entities)
        assert len(set(links.entity_map.values())) == len(full.entities)


def test_incremental_link_reads_only_candidate_stories():
    first = [make(t, v) for t in range(40) for v in range(3)]
    with Store(None) as store:
        store.save_batch(first, [])
        api._link(store)
        read: list[int] = []
        original = store.articles

        def counting(ids=None):
            result = original(ids)
            read.append(len(result))
            return result

        store.articles = counting  # type: ignore[method-assign]
        store.save_batch([make(7, 10)], [])
        links, _ = api._link(store)
        # The new article, then the members of the few candidate stories, not 120 articles.
        assert 0 < sum(read) <= 1 + 3 * api.CANDIDATE_STORIES, read
        story = next(s for s in links.stories if make(7, 10).id in s.articles)
        assert set(story.articles) == {make(7, v).id for v in (0, 1, 2, 10)}


def test_store_voices_match_quotes_by_outlet():
    articles = [make(t, v) for t in range(3) for v in range(3)]
    with Store(None) as store:
        store.save_batch(articles, [])
        links, _ = api._link(store)
        assert store.voices() == quotes_by_outlet(articles, links.entity_map)
        assert store.voices()


def test_fingerprints_backfilled_and_duplicates_found_in_sql():
    base = make(1, 0)
    with Store(None) as store:
        store.save_batch([base], [])  # as an old version stored it: no fingerprint
        assert store.unfingerprinted_ids() == [base.id]
        api._backfill_fingerprints(store)
        assert store.unfingerprinted_ids() == []
        bands, _ = api.lsh_bands()
        assert store.query("SELECT count(*) FROM fingerprint_bands")[0][0] == bands
        copy = Article(id="art_copy", input="copy", format="txt", text=base.text + " More.")
        other = make(2, 0)
        marked, prints = api._mark_duplicates([copy, other], store)
        assert [a.duplicate_of for a in marked] == [base.id, None]
        assert len(prints) == 2


def test_old_store_without_bookkeeping_is_upgraded_and_linked_whole_once(tmp_path):
    import duckdb

    path = tmp_path / "parallax.duckdb"
    first = [make(t, v) for t in range(4) for v in range(2)]
    with Store(path) as store:
        store.save_batch(first, [])
        before, _ = api._link(store)
    db = duckdb.connect(str(path))  # what the previous version left: no new tables
    for table in ("fingerprints", "fingerprint_bands", "linked_articles", "link_terms"):
        db.execute(f"DROP TABLE {table}")
    db.close()
    with Store(path) as store:
        assert store.linked_count() == 0 and len(store.unfingerprinted_ids()) == len(first)
        api._backfill_fingerprints(store)
        links, articles = api._link(store)
        assert articles is not None  # linked whole once
        assert [s.id for s in links.stories] == [s.id for s in before.stories]
        store.save_batch([make(2, 5)], [])
        links, articles = api._link(store)
        assert articles is None  # then incrementally
        assert any(make(2, 5).id in s.articles and make(2, 0).id in s.articles for s in links.stories)


def test_changed_input_triggers_a_full_relink():
    first = [make(t, v) for t in range(3) for v in range(2)]
    with Store(None) as store:
        store.save_batch(first, [])
        api._link(store)
        changed = Article(id="art_changed", input=first[0].input, format="txt",
                          text=first[0].text + " Updated.", published="2024-03-05")
        store.save_batch([changed], [])  # same input, new content: the old article goes
        assert store.has_stale_links()
        links, articles = api._link(store)
        assert articles is not None and not store.has_stale_links()
        assert first[0].id not in {a for s in links.stories for a in s.articles}


def test_first_link_of_a_large_store_is_chunked(monkeypatch):
    monkeypatch.setattr(api, "FULL_LINK_MAX", 12)
    monkeypatch.setattr(api, "LINK_CHUNK", 5)
    articles = [make(t, v) for v in range(3) for t in range(8)]  # 24 articles, 8 stories
    with Store(None) as store:
        store.save_batch(articles, [])
        links, loaded = api._link(store)
        assert loaded is None and not store.unlinked_ids()
        assert groups(links.stories) == groups(link_corpus(articles).stories)


# -- claims, contradictions and omissions of the incremental step ---------------------------

FACTS = [
    "The storm killed {killed} people in {place} on Tuesday.",
    "Rescue crews evacuated {evacuated} residents from flooded streets near the {bridge} bridge.",
    "Mayor {person} said the {levee} levee failed after heavy rain.",
    "Officials estimated damage at {damage} million dollars across {place}.",
    "The {barge} barge sank in the river during the flood.",
]


def report(topic: int, variant: int, toll: bool = True) -> Article:
    """One outlet's report of storm ``topic``: five distinct facts, shuffled; outlet 3 gives
    another death toll (a contradiction with the others); ``toll=False`` leaves the toll out."""
    place, person = f"Qara{topic}ville", f"Anna Berg{topic}son"
    values = dict(killed=10 + topic + (25 if variant == 3 else 0), evacuated=200 + topic,
                  damage=3 + topic, place=place, person=person, bridge=f"delta{topic}x",
                  levee=f"north{topic}x", barge=f"cargo{topic}x")
    sentences = [fact.format(**values) for fact in FACTS[0 if toll else 1:]]
    random.Random(topic * 100 + variant).shuffle(sentences)
    text = " ".join(sentences)
    article_id = make_id("art", "facts", str(topic), str(variant))
    entities = []
    for name, kind in ((place, "GPE"), (person, "PERSON")):
        starts = [i for i in range(len(text)) if text.startswith(name, i)]
        entities.append(Entity(
            id=make_id("ent", article_id, name), name=name, type=kind,
            mentions=tuple(Mention(article=article_id, start=s, end=s + len(name), text=name)
                           for s in starts)))
    return Article(id=article_id, input=f"facts-{topic}-{variant}", format="txt", text=text,
                   title=f"Storm in {place}", published="2024-03-05", outlet=f"Outlet {variant}",
                   language="en", entities=tuple(entities))


def claim_view(links):
    """Claims as their mentions (ids differ with story ids), with outlets, kind and conflicts."""
    key = {c.id: tuple(sorted((m.article, m.start) for m in c.mentions)) for c in links.claims}
    claims = sorted((key[c.id], c.outlets, c.kind) for c in links.claims)
    conflicts = sorted((key[c.id], key[x.claim], x.kind) for c in links.claims for x in c.contradicts)
    omitted = sorted((tuple(sorted(s_articles[s])), outlet, tuple(sorted(key[c] for c in ids)))
                     for s_articles in [{s.id: s.articles for s in links.stories}]
                     for s, table in links.omissions.items() for outlet, ids in table.items() if ids)
    return claims, conflicts, omitted


def test_incremental_claims_equal_a_full_link():
    first = [report(t, v) for t in range(6) for v in range(2)]
    later = [report(t, v) for t in range(6) for v in range(2, 4)] + [report(50, 0), report(50, 1)]
    full = link_corpus(first + later)
    with Store(None) as store:
        store.save_batch(first, [])
        api._link(store)
        assert store.query("SELECT count(*) FROM claim_candidates")[0][0] == len(first)
        store.save_batch(later, [])
        links, _ = api._link(store)
    claims, conflicts, omitted = claim_view(links)
    assert (claims, conflicts, omitted) == claim_view(full)
    assert max(outlets for _, outlets, _ in claims) == 4  # stored claims grew with the new outlets
    assert conflicts and omitted  # outlet 3's other toll, found across the two runs


def test_stored_contradictions_survive_a_later_increment():
    first = [report(t, v) for t in range(4) for v in (0, 3)]  # outlet 3's toll conflicts at once
    later = [report(t, 5, toll=False) for t in range(4)]  # joins the stories, brings no toll
    with Store(None) as store:
        store.save_batch(first, [])
        before, _ = api._link(store)
        assert claim_view(before)[1]
        store.save_batch(later, [])
        links, _ = api._link(store)
    assert all(any(a.id in s.articles for s in links.stories) for a in later)
    assert claim_view(links) == claim_view(link_corpus(first + later))
    assert len(claim_view(links)[1]) == len(claim_view(before)[1])  # kept, not re-found


def test_increment_extracts_only_the_new_articles(monkeypatch):
    from parallax.crossdoc import claims as claims_module

    first = [report(t, v) for t in range(4) for v in range(3)]
    with Store(None) as store:
        store.save_batch(first, [])
        api._link(store)
        seen: list[str] = []
        original = claims_module.extract_claims

        def counting(article):
            seen.append(article.id)
            return original(article)

        monkeypatch.setattr(claims_module, "extract_claims", counting)
        added = report(2, 7)
        store.save_batch([added], [])
        links, _ = api._link(store)
        assert seen == [added.id]  # stored members' candidates came from the store
        claim = next(c for c in links.claims if any(m.article == added.id for m in c.mentions)
                     and "killed" in c.mentions[0].text)
        assert claim.outlets == 4


def test_packed_candidates_round_trip():
    from parallax.crossdoc.claims import extract_claims, pack_candidates, unpack_candidates

    found = extract_claims(report(3, 1))
    assert any(c.quantities for c in found) and any(c.entities for c in found)
    assert unpack_candidates(pack_candidates(found)) == found
