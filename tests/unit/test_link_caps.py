"""The link step bounds what one huge article contributes (counts, not timing)."""

from __future__ import annotations

import parallax.crossdoc.claims as claims_module
from parallax.crossdoc import link
from parallax.crossdoc.duplicates import MAX_CHARS, fingerprint
from parallax.crossdoc.link import cap_article, link_corpus
from parallax.records import Article, Entity, Mention, Quote

SENTENCE = (
    "Police in Springfield said 12 people were hurt when a bridge collapsed on Tuesday, "
    "Mayor Anna Berg told reporters.\n"
)


def huge_article(megabytes: int = 50) -> Article:
    """One synthetic article of ``megabytes`` MB with an entity, a mention and a quote per line."""
    lines = (megabytes * 1_000_000) // len(SENTENCE)
    text = SENTENCE * lines
    step = len(SENTENCE)
    at = SENTENCE.index("Anna Berg")
    people = [
        Entity(id=f"ent_p{i}", name=f"Person {i}", type="PERSON",
               mentions=(Mention(article="art_huge", start=i * step + at, end=i * step + at + 9,
                                 text="Anna Berg"),))
        for i in range(0, lines, max(1, lines // 5000))
    ]
    city = SENTENCE.index("Springfield")
    places = Entity(
        id="ent_city", name="Springfield", type="GPE",
        mentions=tuple(Mention(article="art_huge", start=i * step + city, end=i * step + city + 11,
                               text="Springfield") for i in range(0, lines, max(1, lines // 20000))),
    )
    quotes = tuple(
        Quote(id=f"quo_{i}", article="art_huge", start=i * step, end=i * step + 40,
              text=text[i * step : i * step + 40], kind="indirect")
        for i in range(0, lines, max(1, lines // 3000))
    )
    return Article(id="art_huge", input="huge.txt", format="text", text=text, outlet="Big Paper",
                   title="Bridge collapse", published="2024-03-05",
                   entities=(places, *people), quotes=quotes)


def test_cap_article_bounds_text_and_items():
    article = huge_article(50)
    capped = cap_article(article)
    assert len(capped.text) <= link.MAX_LINK_CHARS
    assert article.text.startswith(capped.text)  # a prefix: offsets stay valid
    assert len(capped.entities) <= link.MAX_LINK_ENTITIES
    assert all(len(e.mentions) <= link.MAX_LINK_MENTIONS for e in capped.entities)
    assert all(m.end <= len(capped.text) for e in capped.entities for m in e.mentions)
    assert len(capped.quotes) <= link.MAX_LINK_QUOTES
    assert all(q.end <= len(capped.text) for q in capped.quotes)
    # The most-mentioned entity survives the entity cap.
    assert capped.entities[0].id == "ent_city"


def test_cap_article_leaves_normal_articles_alone():
    normal = Article(id="art_n", input="n.txt", format="text", text=SENTENCE * 20)
    assert cap_article(normal) is normal


def test_link_corpus_on_a_huge_article_is_capped():
    article = huge_article(50)
    seen: list[int] = []
    original = claims_module.extract_claims

    def counting(a: Article):
        seen.append(len(a.text))
        return original(a)

    claims_module.extract_claims = counting
    try:
        links = link_corpus([article])
    finally:
        claims_module.extract_claims = original
    assert not links.problems
    assert seen and max(seen) <= link.MAX_LINK_CHARS  # claims read only the capped text
    mentions = [m for c in links.claims for m in c.mentions]
    assert len(mentions) <= claims_module.MAX_ARTICLE_CLAIMS
    assert all(m.end <= link.MAX_LINK_CHARS for m in mentions)
    assert sum(len(e.mentions) for e in links.entities) <= link.MAX_LINK_ENTITIES * link.MAX_LINK_MENTIONS
    assert [s.articles for s in links.stories] == [("art_huge",)]


def test_fingerprint_reads_only_the_first_characters():
    text = SENTENCE * (3 * MAX_CHARS // len(SENTENCE))
    assert fingerprint("a", text) == fingerprint("a", text[:MAX_CHARS])
