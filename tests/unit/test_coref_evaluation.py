"""Coreference evaluation: which system mention a gold mention is matched to (no model)."""

from __future__ import annotations

import pytest

from parallax.evaluation.coref import GoldMention, _head, _match
from parallax.evaluation.stories import EcbDocument
from parallax.ids import make_id
from parallax.records import Article, Entity, Mention


def gold(text: str, start: int = 10) -> GoldMention:
    return GoldMention(document="d1", topic=1, start=start, end=start + len(text), chain="c", text=text)


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("the Japanese prime minister", "minister"),
        ("President Emmanuel Macron of France", "Macron"),
        ("a mountain in New Zealand", "mountain"),
        ("Regina Benjamin, MD", "Benjamin"),
        ("the Gulf of Aden", "Gulf"),
        ("Wladimir Klitschko (52-3, 46 KOs)", "Klitschko"),
        ("Lindsay Lohan's", "Lohan"),
        ("New Zealand", "Zealand"),
    ],
)
def test_head_is_the_last_word_before_a_post_modifier(text, head):
    mention = gold(text)
    start, end = _head(mention)
    assert text[start - mention.start : end - mention.start] == head


def test_a_name_inside_a_post_modifier_does_not_match_the_phrase():
    text = "x" * 10 + "President Emmanuel Macron of France said"
    article_id = make_id("art", "d1")

    def entity(name: str, type: str) -> Entity:
        start = text.index(name)
        return Entity(
            id=make_id("ent", article_id, type, name), name=name, type=type,
            mentions=(Mention(article=article_id, start=start, end=start + len(name), text=name),),
        )  # fmt: skip

    macron, france = entity("Emmanuel Macron", "PERSON"), entity("France", "GPE")
    article = Article(id=article_id, input="d1", format="txt", text=text, entities=(macron, france))
    document = EcbDocument(name="d1", topic=1, half="ecb", text=text, title="", url=None)
    phrase = gold("President Emmanuel Macron of France")
    country = gold("France", text.index("France"))
    matched = _match([phrase, country], [article], [document])
    assert matched[0] is not None and matched[0][1] == macron.id
    assert matched[1] is not None and matched[1][1] == france.id


def test_last_word_matching_is_kept_for_comparison():
    text = "x" * 10 + "President Emmanuel Macron of France said"
    article_id = make_id("art", "d1")
    start = text.index("France")
    france = Entity(
        id=make_id("ent", article_id, "GPE", "France"), name="France", type="GPE",
        mentions=(Mention(article=article_id, start=start, end=start + 6, text="France"),),
    )  # fmt: skip
    article = Article(id=article_id, input="d1", format="txt", text=text, entities=(france,))
    document = EcbDocument(name="d1", topic=1, half="ecb", text=text, title="", url=None)
    phrase = gold("President Emmanuel Macron of France")
    assert _match([phrase], [article], [document]) == [None]
    assert _match([phrase], [article], [document], match="last-word") == [(phrase, france.id)]
