from parallax.crossdoc.duplicates import find_duplicates, fingerprint, shingle

BASE = (
    "Rescue teams searched through the night for survivors after a magnitude 6.1 earthquake "
    "struck the mountain region early on Tuesday, flattening homes in three villages and cutting "
    "the main road to the provincial capital, officials said. At least 40 people were taken to "
    "hospital and hundreds spent the night outdoors as aftershocks rattled the area. The "
    "governor said army helicopters would fly in tents and water on Wednesday morning."
)


def test_shingle_is_stable_across_calls():
    assert shingle(BASE) == shingle(BASE)
    assert shingle("") == frozenset()


def test_syndicated_copy_with_small_edits_is_a_duplicate():
    copy = BASE.replace("officials said", "officials told reporters") + " (Reporting by staff)"
    known = [fingerprint("art_a", BASE)]
    assert find_duplicates(known, [fingerprint("art_b", copy)]) == {"art_b": "art_a"}


def test_different_story_on_same_topic_is_not_a_duplicate():
    other = (
        "A magnitude 5.2 earthquake shook the coastal city on Sunday evening, causing panic but "
        "little damage, according to the national seismology institute. Schools will reopen on "
        "Monday after engineers inspect buildings, the mayor said, and ferry services resumed."
    )
    assert find_duplicates([fingerprint("art_a", BASE)], [fingerprint("art_b", other)]) == {}


def test_duplicates_within_new_batch_point_to_the_first():
    prints = [fingerprint("art_1", BASE), fingerprint("art_2", BASE), fingerprint("art_3", BASE)]
    assert find_duplicates([], prints) == {"art_2": "art_1", "art_3": "art_1"}


def test_short_copy_contained_in_longer_article_is_a_duplicate():
    longer = BASE + " " + BASE.replace("Tuesday", "Monday").replace("40", "45") * 1
    teaser_repost = BASE
    result = find_duplicates([fingerprint("art_long", longer)], [fingerprint("art_short", teaser_repost)])
    assert result == {"art_short": "art_long"}
