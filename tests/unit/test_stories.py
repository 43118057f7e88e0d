"""cluster_stories: same story together, hard negatives apart, stable ids, never all pairs."""

from __future__ import annotations

import random

import parallax.crossdoc.stories as module
from parallax.crossdoc.stories import cluster_stories
from parallax.ids import make_id
from parallax.records import Article, Entity, Mention, Story, TimeExpression

QUAKE_A = (
    "A magnitude 6.1 earthquake struck the mountain region of Qeshm island early on Tuesday, "
    "flattening homes in three villages near Bandar Abbas and cutting the main road. Rescue "
    "teams searched the rubble for survivors as aftershocks rattled Qeshm. Governor Ali Rezaei "
    "said helicopters would fly tents and water to the island villages."
)
QUAKE_B = (
    "An earthquake of magnitude 5.8 shook Cusco province on Sunday, collapsing adobe homes in "
    "two Andean villages near Urubamba. Rescue teams dug through rubble for survivors while "
    "aftershocks rattled the valley. Mayor Rosa Quispe said the army would fly tents and "
    "water to the mountain villages around Urubamba."
)
SHOOTING = (
    "A former employee opened fire at an accounting firm in Troy on Monday, killing a partner "
    "and wounding two receptionists before police arrested him in the parking lot. Police "
    "Chief Gerry Scherlinck said the gunman, Anthony LaCalamita, had been fired weeks earlier "
    "and used a shotgun bought days before the shooting."
)
STORIES = {
    "quake_a": (QUAKE_A, ["Qeshm", "Bandar Abbas", "Ali Rezaei"], "Quake hits Qeshm island"),
    "quake_b": (QUAKE_B, ["Cusco", "Urubamba", "Rosa Quispe"], "Earthquake shakes Cusco"),
    "shooting": (SHOOTING, ["Troy", "Anthony LaCalamita", "Gerry Scherlinck"], "Troy office shooting"),
}


def rewrite(text: str, seed: int) -> str:
    """A different outlet's copy: sentences reordered, a few words dropped, a line added."""
    rng = random.Random(seed)
    sentences = [s.strip() for s in text.split(". ") if s.strip()]
    rng.shuffle(sentences)
    words = " ".join(sentences).split()
    kept = [w for w in words if rng.random() > 0.15]
    return " ".join(kept) + f". Reporting by desk {seed}."


def make_article(
    key: str, n: int, *, published: str | None = "2024-03-05", text: str | None = None,
    duplicate_of: str | None = None, language: str = "en",
) -> Article:  # fmt: skip
    body, names, title = STORIES[key] if key in STORIES else ("", [], key)
    article_id = make_id("art", key, str(n), published or "")
    text = text if text is not None else rewrite(body, n)
    entities = []
    for name in names:
        start = text.find(name)
        if start < 0:
            continue
        entities.append(
            Entity(
                id=make_id("ent", article_id, "X", name),
                name=name,
                type="PERSON" if " " in name and name[0] in "ARG" else "GPE",
                mentions=(Mention(article=article_id, start=start, end=start + len(name), text=name),),
            )
        )
    return Article(
        id=article_id,
        input=f"{key}-{n}",
        format="txt",
        text=text,
        title=f"{title} ({n})",
        published=published,
        entities=tuple(entities),
        duplicate_of=duplicate_of,
        language=language,
    )


def groups(stories: tuple[Story, ...]) -> set[frozenset[str]]:
    return {frozenset(s.articles) for s in stories}


def corpus() -> list[Article]:
    return [make_article(key, n) for key in STORIES for n in range(4)]


# --------------------------------------------------------------------------- grouping
def test_same_story_grouped_and_hard_negative_kept_apart():
    articles = corpus()
    stories = cluster_stories(articles)
    expected = {
        frozenset(a.id for a in articles if a.input.startswith(key)) for key in STORIES
    }
    assert groups(stories) == expected


def test_every_article_in_exactly_one_story_and_fields_filled():
    articles = corpus()
    stories = cluster_stories(articles)
    members = [a for s in stories for a in s.articles]
    assert sorted(members) == sorted(a.id for a in articles)
    for story in stories:
        assert story.id == make_id("sto", story.articles[0])
        assert story.title and story.keywords
        assert story.first_date == story.last_date == "2024-03-05"
    quake = next(s for s in stories if "Qeshm" in s.title)
    assert "Qeshm" in quake.keywords


def test_story_id_is_the_earliest_member_and_dates_span_members():
    early = make_article("quake_a", 10, published="2024-03-01")
    late = make_article("quake_a", 11, published="2024-03-04")
    (story,) = cluster_stories([late, early])
    assert story.id == make_id("sto", early.id)
    assert story.articles == (early.id, late.id)
    assert (story.first_date, story.last_date) == ("2024-03-01", "2024-03-04")


def test_time_decay_separates_the_same_words_months_apart():
    spring = [make_article("quake_a", n, published="2024-03-05") for n in range(3)]
    autumn = [make_article("quake_a", n, published="2024-10-05") for n in range(3, 6)]
    assert len(cluster_stories(spring + autumn)) == 2
    assert len(cluster_stories(spring + autumn, window_days=0)) == 1


def test_undated_articles_use_dates_in_the_text_for_display_only():
    article = make_article("quake_a", 1, published=None)
    dated = Article(
        **{**_fields(article), "dates": (
            TimeExpression(article=article.id, start=0, end=5, text="x", value="2024-02-02"),
        )}
    )  # fmt: skip
    (story,) = cluster_stories([dated])
    assert story.first_date == "2024-02-02"


def _fields(article: Article) -> dict:
    return {name: getattr(article, name) for name in article.__slots__}


def test_articles_without_entities_or_in_other_scripts_cluster_on_words():
    text = "Землетрясение магнитудой 6,1 произошло на острове Кешм, разрушив дома в трех деревнях."
    russian = [
        make_article("ru", n, text=f"{text} Спасатели ищут выживших {n}.", language="ru")
        for n in range(3)
    ]
    empty = make_article("empty", 0, text="")
    stories = cluster_stories([*russian, *corpus(), empty])
    assert frozenset(a.id for a in russian) in groups(stories)
    assert frozenset({empty.id}) in groups(stories)


# --------------------------------------------------------------------------- online
def test_online_assignment_keeps_existing_ids_and_members():
    first_batch = corpus()
    before = cluster_stories(first_batch)
    newcomer = make_article("quake_b", 20)
    stranger = make_article("other", 0, text="The central bank raised interest rates to 5.5 percent.")
    after = cluster_stories([*first_batch, newcomer, stranger], existing=before)
    by_id = {s.id: s for s in after}
    assert set(by_id) >= {s.id for s in before}
    for old in before:
        assert set(old.articles) <= set(by_id[old.id].articles)
    quake_b = next(s for s in before if any(a.startswith("Earthquake shakes") for a in [s.title]))
    assert newcomer.id in by_id[quake_b.id].articles
    assert any(s.articles == (stranger.id,) for s in after)


def test_older_article_joining_later_keeps_the_story_id():
    later = [make_article("shooting", n, published="2024-03-06") for n in range(3)]
    (before,) = cluster_stories(later)
    older = make_article("shooting", 9, published="2024-03-04")
    (after,) = cluster_stories([*later, older], existing=[before])
    assert after.id == before.id
    assert after.articles[0] == older.id  # earliest first, id unchanged
    assert after.first_date == "2024-03-04"


def test_unchanged_stories_come_back_identical_and_two_existing_never_merge():
    articles = corpus()
    before = cluster_stories(articles)
    assert cluster_stories(articles, existing=before) == before
    # Split the shooting story in two existing stories: they stay two.
    shooting = [a for a in articles if a.input.startswith("shooting")]
    halves = [
        Story(id="sto_one", title="one", articles=(shooting[0].id, shooting[1].id)),
        Story(id="sto_two", title="two", articles=(shooting[2].id, shooting[3].id)),
    ]
    again = cluster_stories(shooting, existing=halves)
    assert {s.id for s in again} == {"sto_one", "sto_two"}


def test_existing_story_without_its_articles_is_matched_by_title_and_keywords():
    old = Story(
        id="sto_old",
        title="Earthquake shakes Cusco, adobe homes collapse near Urubamba",
        articles=("art_gone",),
        keywords=("Cusco", "Urubamba", "earthquake", "villages", "aftershocks"),
        first_date="2024-03-04",
        last_date="2024-03-04",
    )
    newcomer = make_article("quake_b", 1)
    stories = cluster_stories([newcomer], existing=[old])
    (joined,) = [s for s in stories if s.id == "sto_old"]
    assert joined.articles == ("art_gone", newcomer.id)


def test_duplicates_join_their_original_story():
    original = make_article("quake_a", 0)
    copy = make_article("other", 5, text="", duplicate_of=original.id)
    copy_of_copy = make_article("other", 6, text="", duplicate_of=copy.id)
    stories = cluster_stories([copy_of_copy, copy, original, *corpus()])
    home = next(s for s in stories if original.id in s.articles)
    assert {copy.id, copy_of_copy.id} <= set(home.articles)
    # The original is already in the store: the copy joins that story.
    (before,) = [s for s in cluster_stories([original]) if original.id in s.articles]
    late_copy = make_article("other", 7, text="", duplicate_of=original.id)
    after = cluster_stories([original, late_copy], existing=[before])
    assert after[0].id == before.id and late_copy.id in after[0].articles


# --------------------------------------------------------------------------- cost
def test_blocking_keeps_comparisons_sub_quadratic(story_comparisons):
    calls = story_comparisons
    rng = random.Random(3)
    vocabulary = [f"w{i}x{'abcdefghij'[i % 10]}" for i in range(20000)]
    articles = []
    for n in range(2000):
        topic = n // 10
        base = vocabulary[topic * 8 : topic * 8 + 8]
        words = base * 3 + rng.sample(vocabulary, 40)
        day = 1 + (topic % 28)
        articles.append(
            Article(
                id=f"art_{n:05d}", input=str(n), format="txt", text=" ".join(words),
                title=" ".join(base[:4]), published=f"2024-03-{day:02d}",
            )  # fmt: skip
        )
    stories = cluster_stories(articles)
    assert len(calls) <= 2000 * module._MAX_CANDIDATES  # bounded per article
    assert len(calls) < 2000 * 1999 // 2 // 10  # far below all pairs
    assert 150 <= len(stories) <= 260  # 200 planted stories
