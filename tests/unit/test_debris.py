"""Unit tests for the debris remover: each rule cuts what it should and keeps body text."""

from __future__ import annotations

import pytest

from parallax.records import Removed
from parallax.stages.debris import (
    BOILERPLATE,
    CAPTION,
    COMMENT_FORM,
    EDITOR_NOTE,
    LINK_ONLY,
    READ_MORE,
    REASONS,
    REPEATED,
    SOCIAL_POST,
    SUBSCRIBE_PROMPT,
    SYNDICATION_FOOTER,
    CleanResult,
    find_boilerplate,
    normalize_line,
    remove_debris,
)

LEDE = (
    "The city council voted 7-2 on Monday night to approve a new housing plan that would add "
    "4,000 units over five years, capping a contentious debate that stretched over months."
)
SECOND = "Supporters said the plan was overdue, while opponents worried about traffic and schools."


def _article(*lines: str) -> str:
    return "\n".join([LEDE, SECOND, *lines])


def _reasons(result: CleanResult) -> dict[str, str]:
    return {piece.text: piece.reason for piece in result.removed}


def _assert_cut(line: str, reason: str, *, tail: bool = False) -> None:
    text = _article(line) if tail else "\n".join([LEDE, line, SECOND])
    result = remove_debris(text)
    assert _reasons(result).get(line) == reason, result.removed
    assert line not in result.text.split("\n\n")
    assert LEDE in result.text and SECOND in result.text


def _assert_kept(line: str, *, tail: bool = False) -> None:
    text = _article(line) if tail else "\n".join([LEDE, line, SECOND])
    result = remove_debris(text)
    assert line in result.text.split("\n\n"), result.removed
    assert result.removed == ()


# --------------------------------------------------------------------------
# Whitespace and shape of the output


def test_remove_debris_normalises_whitespace_and_paragraphs() -> None:
    text = (
        "\ufeff  First\u00a0paragraph\twith   spaces.\r\n\r\n\r\n"
        "Second\u200b paragraph.  \n\n\n\n\t\nThird."
    )
    result = remove_debris(text)
    assert result.text == "First paragraph with spaces.\n\nSecond paragraph.\n\nThird."
    assert result.removed == ()
    assert result.outlet_hint is None


def test_remove_debris_keeps_tokenised_spacing() -> None:
    text = "SAN FRANCISCO , Calif . , March 3 -- The company said it would cut 500 jobs ."
    assert remove_debris(text).text == text


def test_remove_debris_empty_and_blank_input() -> None:
    assert remove_debris("") == CleanResult(text="", removed=(), outlet_hint=None)
    assert remove_debris(" \n\t\r\n ").text == ""


def test_remove_debris_joins_hard_wrapped_paragraphs() -> None:
    text = (
        "KYIV, Ukraine (AP) -- Russian forces launched a wave of drone attacks on\n"
        "Ukraine's capital overnight, officials said Saturday, damaging residential\n"
        "buildings and wounding at least five people.\n"
        "\n"
        "The attack began shortly after midnight and lasted several hours,\n"
        "according to the city's military administration.\n"
        "\n"
        '"It was a terrifying night," said resident Olena Kovalenko, 54.\n'
    )
    result = remove_debris(text)
    assert result.text.split("\n\n") == [
        "KYIV, Ukraine (AP) -- Russian forces launched a wave of drone attacks on Ukraine's "
        "capital overnight, officials said Saturday, damaging residential buildings and "
        "wounding at least five people.",
        "The attack began shortly after midnight and lasted several hours, according to the "
        "city's military administration.",
        '"It was a terrifying night," said resident Olena Kovalenko, 54.',
    ]


def test_remove_debris_does_not_join_lines_of_trafilatura_output() -> None:
    text = "\n".join([LEDE, "Short line.", SECOND, "Another short one."])
    assert remove_debris(text).text.split("\n\n") == [
        LEDE,
        "Short line.",
        SECOND,
        "Another short one.",
    ]


def test_remove_debris_offsets_point_into_cleaned_text() -> None:
    text = "Advertisement\n" + LEDE + "\nPhoto: Reuters\n" + SECOND + "\nShare this article"
    result = remove_debris(text)
    assert result.text == LEDE + "\n\n" + SECOND
    assert result.removed == (
        Removed(text="Advertisement", reason=LINK_ONLY, at=0),
        Removed(text="Photo: Reuters", reason=CAPTION, at=len(LEDE)),
        Removed(text="Share this article", reason=SUBSCRIBE_PROMPT, at=len(result.text)),
    )


def test_remove_debris_reasons_are_the_documented_ones() -> None:
    import parallax.stages.debris as debris

    assert all(f"| `{reason}` |" in (debris.__doc__ or "") for reason in REASONS)
    assert len(set(REASONS)) == 10
    assert set(REASONS) == {
        "comment-form",
        "subscribe-prompt",
        "read-more",
        "caption",
        "syndication-footer",
        "social-post",
        "editor-note",
        "link-only",
        "boilerplate",
        "repeated",
    }


# --------------------------------------------------------------------------
# comment-form


@pytest.mark.parametrize(
    "line",
    [
        "Your email address will not be published. Required fields are marked *",
        "Required fields are marked *",
        "Name * Email * Website",
        "Save my name, email, and website in this browser for the next time I comment.",
        "You must be logged in to post a comment.",
        "Log in to comment",
        "Post comment",
        "Comments are closed.",
        "Notify me of follow-up comments by email.",
        "We welcome comments that are civil and on topic. Comments that include abuse will be "
        "removed.",
        "Read our community guidelines",
        "Be the first to comment",
    ],
)
def test_remove_debris_cuts_comment_small_print(line: str) -> None:
    _assert_cut(line, COMMENT_FORM)


def test_remove_debris_cuts_comment_section_to_the_end() -> None:
    text = _article(
        "12 Comments",
        "Leave a Reply Cancel reply",
        "Your email address will not be published. Required fields are marked *",
        "John Smith says:",
        "March 3, 2024 at 10:15 am",
        "This plan has been a disaster for years and the council knows it, frankly.",
        "Reply",
    )
    result = remove_debris(text)
    assert result.text == LEDE + "\n\n" + SECOND
    assert {piece.reason for piece in result.removed} == {COMMENT_FORM}
    assert len(result.removed) == 7


def test_remove_debris_comment_count_at_top_does_not_cut_the_article() -> None:
    result = remove_debris("4 Comments\n" + LEDE + "\n" + SECOND)
    assert result.text == LEDE + "\n\n" + SECOND
    assert result.removed == (Removed(text="4 Comments", reason=COMMENT_FORM, at=0),)


@pytest.mark.parametrize(
    "line",
    [
        "He declined to comment.",
        "A spokesperson did not respond to a request for comment.",
        "Comments from the minister drew criticism from opposition parties.",
        "The post drew thousands of comments within an hour.",
    ],
)
def test_remove_debris_keeps_sentences_about_comments(line: str) -> None:
    _assert_kept(line)
    _assert_kept(line, tail=True)


# --------------------------------------------------------------------------
# subscribe-prompt


@pytest.mark.parametrize(
    "line",
    [
        "Sign up for our newsletter",
        "Sign up for our free daily newsletter to get the latest news in your inbox.",
        "Follow us on Twitter",
        "Follow Jane Doe on X: @janedoe",
        "Share this article",
        "Share on Facebook",
        "Facebook Twitter WhatsApp Email",
        "Click here to subscribe",
        "Support our journalism",
        "Download our app",
        "Get the latest headlines delivered to your inbox every morning.",
        "Already a subscriber? Log in",
        "You have reached your limit of free articles this month.",
        "By signing up, you agree to our Terms of Use and Privacy Policy.",
        "Got a tip? Email us at tips@example.com",
        "Newsletter",
    ],
)
def test_remove_debris_cuts_prompts_anywhere(line: str) -> None:
    _assert_cut(line, SUBSCRIBE_PROMPT)


def test_remove_debris_cuts_donation_appeal_in_the_tail() -> None:
    appeal = (
        "We have a small favour to ask. Millions of readers rely on our independent journalism, "
        "which remains free for everyone. If you can, please support us with a contribution "
        "today. Thank you."
    )
    result = remove_debris(_article(appeal, "Get our free app"))
    assert result.text == LEDE + "\n\n" + SECOND
    assert _reasons(result) == {appeal: SUBSCRIBE_PROMPT, "Get our free app": SUBSCRIBE_PROMPT}


def test_remove_debris_cuts_weak_prompts_only_in_the_tail() -> None:
    # "Listen to our podcast" is only a prompt where promos live: at the end.
    line = "Listen to our podcast about the housing crisis here."
    _assert_cut(line, SUBSCRIBE_PROMPT, tail=True)
    text = "\n".join([LEDE, line, LEDE.replace("Monday", "Sunday")])
    assert remove_debris(text).removed == ()


@pytest.mark.parametrize(
    "line",
    [
        "The newsletter, which has 40,000 subscribers, first reported the story.",
        "Share prices fell 3% after the announcement.",
        "Sign-up rates for the program rose sharply, officials said.",
        "Follow the money, the investigators said, and you will find the answer.",
        "He urged supporters to follow him on social media for updates.",
        "Donate blood at any Red Cross center, officials urged residents.",
        "Watch out for scam apps, police warned.",
        "The app will launch in May, the company said.",
        "“We will not sell our land,” the farmers said in a statement to reporters.",
    ],
)
def test_remove_debris_keeps_sentences_mentioning_prompt_words(line: str) -> None:
    _assert_kept(line)
    _assert_kept(line, tail=True)


# --------------------------------------------------------------------------
# read-more


@pytest.mark.parametrize(
    "line",
    [
        "Read more: Police search for suspect in downtown robbery",
        "READ MORE | Storm expected to bring heavy rain",
        "Related: Council approves budget",
        "See also: How the housing plan works",
        "Read more about the housing plan here",
        "Click here to read the full story",
    ],
)
def test_remove_debris_cuts_inline_promos(line: str) -> None:
    _assert_cut(line, READ_MORE)


def test_remove_debris_cuts_promo_header_and_its_teasers() -> None:
    text = _article(
        "Most Read",
        "Police search for suspect in downtown robbery",
        "3 hours ago",
        "Local bakery wins national award for sourdough",
        "Storm expected to bring heavy rain this weekend",
        "Forecasters say up to three inches could fall across the region.",
    )
    result = remove_debris(text)
    assert result.text == LEDE + "\n\n" + SECOND
    assert {piece.reason for piece in result.removed} == {READ_MORE}
    assert len(result.removed) == 6


def test_remove_debris_teasers_stop_where_body_resumes() -> None:
    body = (
        "The plan still needs the mayor's signature, which is expected next week after a "
        "final legal review by the city attorney's office."
    )
    quote = "“This is a generational investment,” said council member Ana Ruiz."
    text = "\n".join([LEDE, "Related", "Council approves new budget for schools", quote, body])
    result = remove_debris(text)
    assert result.text.split("\n\n") == [LEDE, quote, body]
    assert _reasons(result) == {
        "Related": READ_MORE,
        "Council approves new budget for schools": READ_MORE,
    }


def test_remove_debris_cuts_headline_run_trailing_the_article() -> None:
    text = _article(
        "Police search for suspect in downtown robbery",
        "Local bakery wins national award for sourdough",
        "Storm expected to bring heavy rain this weekend",
        "Why the city's housing crunch keeps getting worse",
    )
    result = remove_debris(text)
    assert result.text == LEDE + "\n\n" + SECOND
    assert {piece.reason for piece in result.removed} == {READ_MORE}


def test_remove_debris_keeps_subheadings_mid_article() -> None:
    text = "\n".join(
        [
            LEDE,
            "What the plan includes",
            "The plan rezones 12 neighborhoods for apartment buildings of up to six stories.",
            "Why opponents are worried",
            "Opponents worried about traffic and school crowding.",
            "What happens next",
            "The mayor is expected to sign the plan next week.",
        ]
    )
    result = remove_debris(text)
    assert result.removed == ()
    assert len(result.text.split("\n\n")) == 7


@pytest.mark.parametrize(
    "line",
    [
        "Related concerns about energy prices dominated the second day of the summit.",
        "More than 200 people attended the rally.",
        "More — much more — was at stake in the vote than the budget.",
        "Read the statement in full, the minister told reporters, and judge for yourselves.",
    ],
)
def test_remove_debris_keeps_sentences_starting_with_promo_words(line: str) -> None:
    _assert_kept(line)
    _assert_kept(line, tail=True)


# --------------------------------------------------------------------------
# caption


@pytest.mark.parametrize(
    "line",
    [
        "Photo: Reuters",
        "Senate Majority Leader Chuck Schumer speaks to reporters in Washington, Feb. 13, 2024. "
        "(AP Photo/J. Scott Applewhite)",
        "Image copyright Getty Images",
        "Image caption Lawmakers gathered at Versailles for the vote",
        "Credit: Jane Doe for The Example Times",
        "File photo of the central bank building in Frankfurt",
        "FILE PHOTO: A view of the central bank building in Frankfurt, Germany, May 4, 2023.",
        "Rescue workers search the rubble in Antakya / Getty Images",
        "A shopper walks along Oxford Street in London, March 2, 2024. REUTERS/Hannah McKay",
        "Photograph: Jane Doe/Example Agency",
        "Protesters gather outside parliament (Photo: John Smith)",
        "Smoke rises over the city (Getty Images)",
        "President speaks at a rally in Ohio. (Photo by Chip Somodevilla/Getty Images)",
        "Kevin Lamarque/Reuters",
    ],
)
def test_remove_debris_cuts_captions_and_credits(line: str) -> None:
    _assert_cut(line, CAPTION)


@pytest.mark.parametrize(
    "line",
    [
        "The photo was widely shared on social media.",
        "Reuters reported that the deal was reached late at night.",
        "Photo agencies were barred from the event.",
        "The ministry said the vote would go ahead (Reuters).",
        "Inflation rose 3.4% in the year to February (source: Office for National Statistics).",
        "A file photo of the suspect was released by police on Tuesday.",
    ],
)
def test_remove_debris_keeps_sentences_about_photos_and_agencies(line: str) -> None:
    _assert_kept(line)


# --------------------------------------------------------------------------
# syndication-footer and outlet_hint


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("This article originally appeared on The Trace.", "The Trace"),
        (
            "This article originally appeared on Grist, a nonprofit newsroom covering climate.",
            "Grist",
        ),
        ("This story was first published by ProPublica.", "ProPublica"),
        ("Republished with permission from Example Daily News.", "Example Daily News"),
        (
            "This article is republished from The Conversation under a Creative Commons license. "
            "Read the original article.",
            "The Conversation",
        ),
        ("This story was originally published by U.S. News & World Report.", None),
        ("Read the original article on Business Insider", "Business Insider"),
        ("Copyright 2024 The Associated Press. All rights reserved.", "The Associated Press"),
        ("© 2024 Example Media Group Ltd. All rights reserved.", "Example Media Group Ltd"),
        (
            "This material may not be published, broadcast, rewritten or redistributed without "
            "permission.",
            None,
        ),
        ("Distributed by Tribune Content Agency, LLC.", None),
    ],
)
def test_remove_debris_cuts_syndication_footer_and_names_outlet(
    line: str, outlet: str | None
) -> None:
    result = remove_debris(_article(line))
    assert _reasons(result) == {line: SYNDICATION_FOOTER}
    if outlet is not None or "U.S." not in line:
        assert result.outlet_hint == outlet
    else:
        assert result.outlet_hint == "U.S. News & World Report"


def test_remove_debris_origin_footer_wins_over_copyright_for_outlet() -> None:
    result = remove_debris(
        _article(
            "© 2024 Host Site Inc. All rights reserved.",
            "This story originally appeared in The Source Weekly.",
        )
    )
    assert result.outlet_hint == "The Source Weekly"


@pytest.mark.parametrize(
    "line",
    [
        "Copyright law requires platforms to remove infringing content quickly.",
        "Food was distributed by volunteers at the border crossing.",
        "The report was first published in The Lancet in 2020 and cited widely since.",
        "The allegations first appeared in a newspaper column last week.",
    ],
)
def test_remove_debris_keeps_sentences_resembling_footers(line: str) -> None:
    _assert_kept(line)
    _assert_kept(line, tail=True)


# --------------------------------------------------------------------------
# social-post


def test_remove_debris_keeps_post_text_and_cuts_its_trailer() -> None:
    post = "We stand by our farmers. The new rules will protect their livelihoods."
    text = "\n".join(
        [
            LEDE,
            post + " pic.twitter.com/AbC123xyz",
            "— Jane Minister (@janeminister) March 3, 2024",
            SECOND,
        ]
    )
    result = remove_debris(text)
    assert result.text.split("\n\n") == [LEDE, post, SECOND]
    assert result.removed == (
        Removed(text="pic.twitter.com/AbC123xyz", reason=SOCIAL_POST, at=len(LEDE) + 2 + len(post)),
        Removed(
            text="— Jane Minister (@janeminister) March 3, 2024",
            reason=SOCIAL_POST,
            at=len(LEDE) + 2 + len(post),
        ),
    )


def test_remove_debris_cuts_fused_post_trailer() -> None:
    post = "Proud of our team today!"
    line = post + " https://t.co/xYz123 — Coach Lee (@coachlee) 3 March 2024"
    result = remove_debris("\n".join([LEDE, line, SECOND]))
    assert result.text.split("\n\n") == [LEDE, post, SECOND]
    assert [piece.reason for piece in result.removed] == [SOCIAL_POST]


@pytest.mark.parametrize(
    "line",
    [
        "pic.twitter.com/AbC123",
        "https://t.co/AbC123",
        "@janeminister",
        "View this post on Instagram",
        "A post shared by Farmers Union (@farmersunion)",
        "Skip Twitter post, 1",
        "End of Twitter post, 1",
    ],
)
def test_remove_debris_cuts_social_trailer_lines(line: str) -> None:
    _assert_cut(line, SOCIAL_POST)


def test_remove_debris_keeps_sentences_about_posts() -> None:
    _assert_kept("A video shared by the ministry showed tanks crossing the river.")
    _assert_kept("She wrote on X that the vote was a disgrace.")


# --------------------------------------------------------------------------
# editor-note


@pytest.mark.parametrize(
    "line",
    [
        "[Editor's note: This story has been updated to include a statement from the mayor.]",
        "(Reporting by Jane Doe and John Roe; Editing by Mark Potter)",
        "(Additional reporting by Ana Ruiz in Madrid)",
        "[Source: Reuters]",
        "Editor's note: This story has been updated.",
        "Writing by Jane Doe; editing by John Roe",
        "Compiled by Jane Doe",
        "Associated Press writers Mary Jones and Kevin Smith contributed to this report.",
        "This story has been updated to correct the spelling of a name.",
        "Correction: An earlier version of this article misstated the date of the vote.",
        "(With inputs from agencies)",
        "Source: Ministry of Health",
    ],
)
def test_remove_debris_cuts_editor_notes(line: str) -> None:
    _assert_cut(line, EDITOR_NOTE)


def test_remove_debris_cuts_trailing_reporting_note_from_paragraph() -> None:
    line = SECOND + " (Reporting by Jane Doe; Editing by Mark Potter)"
    result = remove_debris("\n".join([LEDE, line]))
    assert result.text == LEDE + "\n\n" + SECOND
    assert result.removed == (
        Removed(
            text="(Reporting by Jane Doe; Editing by Mark Potter)",
            reason=EDITOR_NOTE,
            at=len(result.text),
        ),
    )


@pytest.mark.parametrize(
    "line",
    [
        "Reporting by The New York Times revealed that the company had hidden losses for years.",
        "Climate change contributed to the decline, the report said.",
        "Several factors contributed to the decline.",
        "Sources said the talks had stalled over the weekend.",
    ],
)
def test_remove_debris_keeps_sentences_resembling_notes(line: str) -> None:
    _assert_kept(line)


# --------------------------------------------------------------------------
# link-only


@pytest.mark.parametrize(
    "line",
    [
        "https://example.com/news/2024/03/03/story.html",
        "www.example.org",
        "Home > World > Europe",
        "News | World | Europe",
        "Skip to content",
        "Advertisement",
        "ADVERTISEMENT",
        "Story continues below advertisement",
        "Scroll to continue with content",
        "Tags: France, Abortion, Europe",
        "We use cookies to improve your experience on our site.",
        "***",
    ],
)
def test_remove_debris_cuts_links_and_navigation(line: str) -> None:
    _assert_cut(line, LINK_ONLY)


def test_remove_debris_keeps_sentences_with_links() -> None:
    _assert_kept("Details are available at https://example.gov/plan, the council said.")
    _assert_kept("The advertisement ran in three newspapers on Sunday.")


def test_remove_debris_cuts_footer_navigation_in_the_tail() -> None:
    result = remove_debris(_article("Privacy Policy | Terms of Use | Contact Us"))
    assert _reasons(result) == {"Privacy Policy | Terms of Use | Contact Us": LINK_ONLY}


# --------------------------------------------------------------------------
# boilerplate and normalize_line


def test_normalize_line_collapses_case_digits_dates_and_punctuation() -> None:
    assert normalize_line("  © 2024 Example   News. ") == "0 example news"
    assert normalize_line("© 2023 EXAMPLE NEWS") == "0 example news"
    assert normalize_line("Updated March 3, 2024 10:15") == normalize_line(
        "Updated Jun 9 2023 9:05"
    )
    assert normalize_line("Sign\u00a0up for our newsletter!") == "sign up for our newsletter"
    assert normalize_line("—") == ""


def test_remove_debris_cuts_boilerplate_lines() -> None:
    boilerplate = frozenset({normalize_line("The Example Times is a nonprofit newsroom.")})
    text = _article("The Example Times is a nonprofit newsroom.")
    result = remove_debris(text, boilerplate=boilerplate)
    assert result.text == LEDE + "\n\n" + SECOND
    assert _reasons(result) == {"The Example Times is a nonprofit newsroom.": BOILERPLATE}
    assert remove_debris(text).removed == ()


_TOPICS = ["the bridge", "a school board", "the river", "the hospital", "a new stadium"]
_PLACES = ["Millbrook", "Riverton", "Oak Hill", "Lakeside", "Pine Falls"]


def _story(n: int) -> str:
    topic, place = _TOPICS[n], _PLACES[n]
    return "\n".join(
        [
            f"Officials in {place} said on Tuesday that plans for {topic} would be reviewed again "
            f"after residents objected at a crowded public meeting.",
            f"The review of {topic} could take months, and {place} leaders warned that costs "
            f"were likely to rise as a result of the delay.",
            "The Example Times is an independent newsroom covering the valley.",
            "Most popular",
            "Russia invaded Ukraine in February 2022, starting the largest war in Europe since "
            "1945.",
        ]
    )


def test_find_boilerplate_finds_lines_repeated_across_articles() -> None:
    found = find_boilerplate({"Example Times": [_story(i) for i in range(4)]})
    assert found == {
        "Example Times": frozenset(
            {
                normalize_line("The Example Times is an independent newsroom covering the valley."),
                normalize_line("Most popular"),
            }
        )
    }


def test_find_boilerplate_ignores_outlets_with_too_few_articles() -> None:
    found = find_boilerplate({"Small": [_story(1), _story(2)], "Other": []})
    assert found == {"Small": frozenset(), "Other": frozenset()}


def test_find_boilerplate_counts_versions_of_one_story_once() -> None:
    versions = [_story(1) + f"\nUpdate {i}: officials said more later on." for i in range(5)]
    versions = [v.replace("Most popular", "") for v in versions]
    found = find_boilerplate({"Example Times": versions}, min_articles=3)
    assert found == {"Example Times": frozenset()}


def test_find_boilerplate_with_min_articles_one_lists_candidate_lines() -> None:
    found = find_boilerplate({"Example Times": [_story(1)]}, min_articles=1)
    assert found["Example Times"] == {
        normalize_line("The Example Times is an independent newsroom covering the valley."),
        normalize_line("Most popular"),
    }


def test_find_boilerplate_rejects_bad_min_articles() -> None:
    with pytest.raises(ValueError, match="min_articles"):
        find_boilerplate({}, min_articles=0)


# --------------------------------------------------------------------------
# repeated


def test_remove_debris_cuts_repeated_paragraph_keeping_the_first() -> None:
    result = remove_debris("\n".join([LEDE, SECOND, LEDE]))
    assert result.text == LEDE + "\n\n" + SECOND
    assert result.removed == (Removed(text=LEDE, reason=REPEATED, at=len(result.text)),)


def test_remove_debris_keeps_short_repeated_markers() -> None:
    text = "\n".join(["Q:", "What did you see?", "A:", "Smoke, everywhere, and people running."])
    text = text + "\nQ:\nWhat happened next?\nA:\nWe ran to the river and waited there."
    assert remove_debris(text).removed == ()


# --------------------------------------------------------------------------
# Body that must survive


def test_remove_debris_keeps_one_line_dateline_lede() -> None:
    text = (
        "WASHINGTON (AP) — The Senate on Tuesday passed a bill to avert a government shutdown, "
        "sending it to the president's desk hours before a midnight deadline."
    )
    assert remove_debris(text) == CleanResult(text=text, removed=(), outlet_hint=None)


def test_remove_debris_keeps_short_quotes_at_the_end() -> None:
    text = _article("“We will fight this,” said union president Mark Lee.", "“Every job matters.”")
    assert remove_debris(text).removed == ()


def test_remove_debris_full_article_with_every_kind_of_debris() -> None:
    text = "\n".join(
        [
            "Skip to content",
            "Home > Local > Transport",
            "Residents of Millbrook woke on Tuesday to find the main bridge closed after "
            "engineers discovered cracks in two of its supports, officials said.",
            "Photo: County Roads Department",
            "The closure forces drivers into a 20-mile detour.",
            "Advertisement",
            "“We will not reopen it until it is safe,” said Mayor Dana Ortiz.",
            "[Editor's note: This story has been updated with the mayor's comments.]",
            "Share this article",
            "This article originally appeared on The Valley Ledger.",
            "Related:",
            "Millbrook council approves new budget",
            "School board delays vote on bus routes",
            "3 Comments",
            "Leave a Reply",
            "John Smith says:",
            "This bridge has been a disaster for years.",
        ]
    )
    result = remove_debris(text)
    assert result.text.split("\n\n") == [
        "Residents of Millbrook woke on Tuesday to find the main bridge closed after engineers "
        "discovered cracks in two of its supports, officials said.",
        "The closure forces drivers into a 20-mile detour.",
        "“We will not reopen it until it is safe,” said Mayor Dana Ortiz.",
    ]
    assert result.outlet_hint == "The Valley Ledger"
    assert [piece.reason for piece in result.removed] == [
        LINK_ONLY,
        LINK_ONLY,
        CAPTION,
        LINK_ONLY,
        EDITOR_NOTE,
        SUBSCRIBE_PROMPT,
        SYNDICATION_FOOTER,
        READ_MORE,
        READ_MORE,
        READ_MORE,
        COMMENT_FORM,
        COMMENT_FORM,
        COMMENT_FORM,
        COMMENT_FORM,
    ]
    assert remove_debris(result.text).removed == ()


def test_remove_debris_keeps_list_introduced_by_the_article() -> None:
    text = _article(
        "The main changes in the plan are:",
        "Council approves 4,000 new homes",
        "Plan rezones 12 neighborhoods",
        "One in five units reserved for low-income families",
        "Mayor expected to sign next week",
    )
    assert remove_debris(text).removed == ()
    winners = _article("The winners were:", "Best Picture", "Best Director", "Best Actress")
    assert remove_debris(winners).removed == ()


def test_remove_debris_cuts_topic_tags_trailing_the_article() -> None:
    result = remove_debris(_article("Housing", "City Council", "Millbrook"))
    assert result.text == LEDE + "\n\n" + SECOND
    assert {piece.reason for piece in result.removed} == {LINK_ONLY}


def test_remove_debris_keeps_markdown_tables_and_lists_from_extraction() -> None:
    rows = [
        "| Team | Wins | Losses |",
        "|---|---|---|",
        "| Arsenal | 20 | 3 |",
        "| Chelsea | 0 | 0 |",
        "| Fulham | 0 | 0 |",
        "| Home | News | Sport |",
    ]
    table2 = ["| Team | Wins | Losses |", "|---|---|---|", "| Spurs | 1 | 9 |"]
    text = _article(*rows, "Another table follows for the second division.", *table2)
    result = remove_debris(text)
    assert result.removed == ()
    assert result.text.split("\n\n")[2:] == [
        *rows,
        "Another table follows for the second division.",
        *table2,
    ]


@pytest.mark.parametrize(
    "line", ["Get updates on the storm", "Watch the video", "See the full list of winners here"]
)
def test_remove_debris_cuts_link_text_to_more_coverage(line: str) -> None:
    _assert_cut(line, READ_MORE)


@pytest.mark.parametrize("line", ["Follow the money", "Watch the skies.", "See you in court"])
def test_remove_debris_keeps_imperative_subheads_and_quotes(line: str) -> None:
    _assert_kept(line)


def test_find_boilerplate_never_takes_short_body_sentences_quotes_or_datelines() -> None:
    lines = [
        "He declined to comment.",
        "No one was injured.",
        "“We will not retreat,” he said.",
        "WASHINGTON",
        "KYIV, Ukraine (AP) —",
        "Sign up for our newsletter.",
        "Most popular",
    ]
    stories = [_story(i) + "\n" + "\n".join(lines) for i in range(4)]
    found = find_boilerplate({"Example Times": stories})["Example Times"]
    assert normalize_line("Sign up for our newsletter.") in found
    assert normalize_line("Most popular") in found
    for line in lines[:5]:
        assert normalize_line(line) not in found


@pytest.mark.parametrize(
    "line",
    [
        "With input from residents, the council drafted a plan for the riverfront.",
        "The report was revised in 2019 to include new data on emissions.",
        "Additional reporting by local media suggested the toll was higher.",
    ],
)
def test_remove_debris_keeps_body_sentences_shaped_like_credits(line: str) -> None:
    _assert_kept(line)


@pytest.mark.parametrize(
    "line",
    [
        "(With inputs from PTI)",
        "With reporting from Jane Doe in Kyiv",
        "(Agencies)",
        "(AFP/Reuters)",
    ],
)
def test_remove_debris_cuts_agency_input_notes(line: str) -> None:
    _assert_cut(line, EDITOR_NOTE)


def test_remove_debris_comment_count_and_share_bar_early_do_not_cut_the_article() -> None:
    body = [SECOND, LEDE.replace("Monday", "Sunday"), "The mayor is expected to sign it."]
    text = "\n".join([LEDE, "12 Comments", "Share", "Like", *body])
    result = remove_debris(text)
    assert result.text.split("\n\n") == [LEDE, *body]
    assert [piece.reason for piece in result.removed] == [
        COMMENT_FORM,
        SUBSCRIBE_PROMPT,
        COMMENT_FORM,
    ]


def test_remove_debris_comment_thread_longer_than_the_article_is_cut() -> None:
    thread = [
        f"Reader number {i} here with a rather long opinion about the plan." for i in range(8)
    ]
    text = "\n".join(
        [
            LEDE,
            SECOND,
            "Comments",
            "Your email address will not be published. Required fields are marked *",
            *thread,
        ]
    )
    result = remove_debris(text)
    assert result.text == LEDE + "\n\n" + SECOND
    assert {piece.reason for piece in result.removed} == {COMMENT_FORM}


def test_remove_debris_continue_reading_button_does_not_swallow_the_body() -> None:
    subhead = "What the plan includes"
    text = "\n".join([LEDE, "Continue reading", subhead, SECOND])
    result = remove_debris(text)
    assert result.text.split("\n\n") == [LEDE, subhead, SECOND]
    assert _reasons(result) == {"Continue reading": READ_MORE}


def test_remove_debris_keeps_short_rhetorical_repeats() -> None:
    text = "\n".join(
        [
            "The agency said the files were lost in a flood.",
            "Really?",
            "Officials later admitted the backups had never been made.",
            "Really?",
        ]
    )
    assert remove_debris(text).removed == ()
