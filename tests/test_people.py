"""People and quotes: the officials an article names, spelling variants merged only when safe, and
the same quote as several outlets report it."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import corpus, paths, people, records

SEED_IDS = {"000": "000_bd0af76679971a63", "001": "001_61d1ee31a07849de",
            "002": "002_3e43536d6c17f217", "003": "003_f12e7e2f4e6ab07a",
            "004": "004_a183fa05ace4f895"}


def article(text: str, article_id: str = "a1", outlet: str = "") -> records.Article:
    return records.Article(article_id=article_id, path=f"{article_id}.txt", text=text,
                           outlet=outlet)


def named(text: str) -> list[tuple[str, str]]:
    """(person, surface) of every mention, in text order."""
    return [(m.person, m.surface) for m in people.find_mentions(article(text))]


@pytest.fixture(scope="module")
def seeds() -> dict[str, records.Article]:
    return {a.article_id[:3]: a for a in corpus.iter_articles([paths.SEEDS])
            if isinstance(a, records.Article)}


# --- finding names ------------------------------------------------------------------------------

def test_a_name_after_its_role_is_found_with_the_role():
    [mention] = people.find_mentions(article(
        "She said national security adviser Jake Sullivan would lead the talks."))
    assert (mention.person, mention.role, mention.match) == (
        "Jake Sullivan", "national security adviser", "table")


def test_a_role_governing_a_department_keeps_it_and_the_name_is_what_follows():
    [mention] = people.find_mentions(article(
        "The group met Secretary of State Antony Blinken in Brussels on Thursday."))
    assert (mention.person, mention.role) == ("Antony Blinken", "Secretary of State")


def test_a_name_outside_the_alias_table_is_kept_as_written_with_its_role():
    [mention] = people.find_mentions(article(
        "Local officials said Gaza City mayor Yahya Sarraj had asked for fuel."))
    assert (mention.person, mention.role, mention.match) == ("Yahya Sarraj", "Gaza City mayor",
                                                             "as_written")


def test_an_honorific_with_a_surname_goes_to_the_person_the_article_names_in_full():
    assert named("White House press secretary Karine Jean-Pierre spoke first. "
                 "Later, Ms. Jean-Pierre took questions.") == [
        ("Karine Jean-Pierre", "Karine Jean-Pierre"), ("Karine Jean-Pierre", "Ms. Jean-Pierre")]


def test_an_honorific_with_a_surname_alone_goes_to_the_one_table_person_of_that_surname():
    assert named("Mr. Netanyahu told visiting senators the operation would go ahead.") == [
        ("Benjamin Netanyahu", "Mr. Netanyahu")]


def test_a_bare_surname_counts_for_the_person_the_article_names_in_full():
    assert named("John Kirby, a White House spokesman, spoke on Monday. "
                 "Kirby said the meeting was useful.") == [
        ("John Kirby", "John Kirby"), ("John Kirby", "Kirby")]


def test_a_surname_used_for_an_administration_names_no_one():
    assert named("The Biden administration has warned against an assault on Rafah.") == []


def test_a_table_surname_is_not_claimed_when_another_first_name_carries_it():
    assert named("Hunter Biden testified on Tuesday. Biden said he had done nothing wrong.") == []


def test_a_title_case_headline_yields_no_names():
    assert named("Biden Admin Officials Meet With Israeli Officials Virtually Ahead of Talks") == []


def test_names_sharing_one_role_are_each_found():
    assert named("The gala was attended by former presidents Barack Obama and Bill Clinton.") == [
        ("Barack Obama", "Barack Obama"), ("Bill Clinton", "Bill Clinton")]


def test_a_singular_role_belongs_to_the_first_of_two_names_only():
    gallant, gantz = people.find_mentions(article(
        "Defence Minister Yoav Gallant and Benny Gantz argued for sending a delegation."))
    assert (gallant.person, gallant.role) == ("Yoav Gallant", "Defence Minister")
    assert (gantz.person, gantz.role) == ("Benny Gantz", "Israeli war cabinet minister")  # table


def test_a_rank_between_role_and_name_joins_the_role():
    [mention] = people.find_mentions(article(
        "Military spokesman Rear Admiral Daniel Hagari said on Wednesday the war would go on."))
    assert (mention.person, mention.role) == ("Daniel Hagari", "Military spokesman Rear Admiral")


def test_a_nationality_between_role_and_name_is_not_part_of_the_name():
    [mention] = people.find_mentions(article(
        "Mediators pressed for the truce outlined by the President American Joe Biden."))
    assert (mention.person, mention.surface, mention.role) == (
        "Joe Biden", "Joe Biden", "American President")


def test_a_dateline_dash_before_a_role_is_not_part_of_it():
    [mention] = people.find_mentions(article(
        "DUBAI (Gulf Report) - Israeli Prime Minister Binyamin Netanyahu approved the plans."))
    assert mention.role == "Israeli Prime Minister"


def test_a_variant_of_a_listed_official_is_found_without_a_role_before_it():
    assert named("The spokesman military Daniel Hagary said the raid was planned since weeks.") == [
        ("Daniel Hagari", "Daniel Hagary")]


# --- merging variants ---------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "canonical"), [
    ("Tsashi Hanegbi", "Tzachi Hanegbi"),
    ("Brett McGuirk", "Brett McGurk"),
    ("Ismael Haniyeh", "Ismail Haniyeh"),
    # Transliteration pairs (y/i, ou/u, doubled letters) fold away, even in short surnames.
    ("Herzi Halevy", "Herzi Halevi"),
    ("Daniel Hagary", "Daniel Hagari"),
    ("Yoav Galant", "Yoav Gallant"),
    ("Benjamin Netanyahou", "Benjamin Netanyahu"),
])
def test_a_close_misspelling_of_a_listed_official_merges_with_them(written, canonical):
    assert people.match_table(written, people.default_aliases()) == (canonical, "fuzzy")


@pytest.mark.parametrize("written", [
    "Tim Scott",  # another first name than Rick Scott, and not listed
    "Brett McGuire",  # one letter from McGurk in the whole name, but another surname
    "Lloyd Gallant",
    "Yoav Austin",
    "Haim Katz",  # Israel's tourism minister, not its foreign minister Israel Katz
    "Yoav Kisch",  # the education minister, not Yoav Gallant
])
def test_a_name_that_is_only_somewhat_like_a_listed_official_does_not_merge(written):
    assert people.match_table(written, people.default_aliases()) is None


def test_distinct_officials_in_one_article_stay_distinct():
    mentions = people.find_mentions(article(
        "Defense Secretary Lloyd Austin met Israeli Defense Minister Yoav Gallant. "
        "Sen. Rick Scott and Sen. Tim Scott were not there."))
    assert [m.person for m in mentions] == ["Lloyd Austin", "Yoav Gallant", "Rick Scott",
                                            "Tim Scott"]


def test_misspelled_names_lists_variants_not_listed_in_the_table():
    assert people.misspelled_names(
        "National Security Adviser Tsashi Hanegbi and Tzachi Hanegbi's deputy attended.") == [
        ("Tsashi Hanegbi", "Tzachi Hanegbi")]


def test_a_malformed_alias_table_is_named_with_its_line(tmp_path):
    table = tmp_path / "aliases.csv"
    table.write_text("canonical,alias,role\nJoe Biden,Joe Biden,US President\nJoe Biden,,\n",
                     encoding="utf-8")
    with pytest.raises(ValueError, match=r"aliases\.csv:3"):
        people.read_aliases(table)


def test_an_alias_given_to_two_people_is_refused(tmp_path):
    table = tmp_path / "aliases.csv"
    table.write_text("canonical,alias,role\nJohn Kirby,John Kirby,\nJohn Kerry,John Kirby,\n",
                     encoding="utf-8")
    with pytest.raises(ValueError, match="already belongs to 'John Kirby'"):
        people.read_aliases(table)


def test_seeds_the_retranslations_misspelled_adviser_merges_with_the_originals(seeds):
    table = people.people_table([seeds["002"], seeds["004"]])
    hanegbi = table[table["person"] == "Tzachi Hanegbi"]
    assert sorted(hanegbi["surface"]) == ["Tsashi Hanegbi", "Tzachi Hanegbi"]


def test_seeds_gallant_and_austin_are_two_people(seeds):
    table = people.people_table([seeds["003"], seeds["004"]])
    assert {"Yoav Gallant", "Lloyd Austin"} <= set(table["person"])
    austin = table[table["person"] == "Lloyd Austin"]
    assert set(austin["surface"]) == {"Lloyd Austin", "Austin"}


# --- tables -------------------------------------------------------------------------------------

def test_people_table_counts_each_surface_and_gives_the_article_role_else_the_tables():
    table = people.people_table([article(
        "Israeli Prime Minister Benjamin Netanyahu spoke. Netanyahu said no. Netanyahu left. "
        "Biden said nothing.")])
    assert table[["person", "surface", "role", "count"]].values.tolist() == [
        ["Benjamin Netanyahu", "Benjamin Netanyahu", "Israeli Prime Minister", 1],
        ["Benjamin Netanyahu", "Netanyahu", "Israeli Prime Minister", 2],
        ["Joe Biden", "Biden", "US President", 1],
    ]


def test_outlet_by_person_counts_the_articles_of_each_outlet_naming_each_person():
    articles = [article("President Joe Biden spoke.", "a1", "Wire"),
                article("President Joe Biden and Secretary of State Antony Blinken spoke.", "a2",
                        "Wire"),
                article("Secretary of State Antony Blinken spoke.", "a3", "Daily")]
    frame = people.outlet_by_person(people.people_table(articles),
                                    pd.DataFrame({"article_id": ["a1", "a2", "a3"],
                                                  "outlet": ["Wire", "Wire", "Daily"]}))
    assert frame.to_dict("index") == {"Antony Blinken": {"Daily": 1, "Wire": 1},
                                      "Joe Biden": {"Daily": 0, "Wire": 2}}


# --- quotes -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "speaker"), [
    ('"We will keep pressing," Secretary of State Antony Blinken said.', "Antony Blinken"),
    ('"We will keep pressing," said Ms. Jean-Pierre.', "Karine Jean-Pierre"),
    ('Speaking in Cairo, Antony Blinken said: "We will keep pressing."', "Antony Blinken"),
    ('"We will keep pressing," an official said.', ""),
])
def test_a_quote_gets_the_speaker_its_sentence_names(text, speaker):
    [quote] = people.find_quotes(article(text))
    assert (quote.speaker, quote.text) == (speaker, text.split('"')[1].rstrip(",").rstrip())


def test_a_quote_after_he_said_goes_to_whoever_spoke_in_the_sentence_before():
    quotes = people.find_quotes(article(
        'Mr. Kirby repeated that the policy had not changed. "Nothing has changed," he said.'))
    assert [(q.speaker, q.text) for q in quotes] == [("John Kirby", "Nothing has changed")]


def test_an_unattributed_quote_continues_the_speaker_of_the_quote_before_it_in_the_paragraph():
    quotes = people.find_quotes(article(
        '"We have to have this conversation," Jean-Pierre said. "We have to understand the plan."'
        "\n\nKarine Jean-Pierre is the White House press secretary."))
    assert [q.speaker for q in quotes] == ["Karine Jean-Pierre", "Karine Jean-Pierre"]


def test_quote_offsets_point_at_the_quoted_text():
    text = 'He called it "very, very bad" on Sunday.'
    [quote] = people.find_quotes(article(text))
    assert text[quote.start:quote.end] == "very, very bad"


def test_the_same_quote_in_several_renderings_is_aligned_and_a_different_one_is_not():
    quotes = [
        people.Quote("a1", "Karine Jean-Pierre", "If they are going to move forward with a "
                     "military operation, we have to have this conversation", 0, 1),
        people.Quote("a2", "", "If they're going to move forward with military operations, we "
                     "have to have this conversation. We need to understand how", 0, 1),
        people.Quote("a3", "John Kirby", "We continue to support Israel as they go after Hamas",
                     0, 1),
    ]
    aligned = people.align_quotes(quotes)
    assert aligned[["group", "article_id"]].values.tolist() == [[0, "a1"], [0, "a2"]]
    assert aligned["score"].iloc[1] >= people.QUOTE_SCORE_CUTOFF


def test_two_word_quotes_align_only_when_nearly_identical():
    quotes = [people.Quote("a1", "", "no choice", 0, 1), people.Quote("a2", "", "no choice", 0, 1),
              people.Quote("a3", "", "choice now", 0, 1)]
    assert people.align_quotes(quotes)["article_id"].tolist() == ["a1", "a2"]


def test_seeds_jean_pierres_quote_is_aligned_across_three_outlets(seeds):
    quotes = [q for key in ("000", "003", "004") for q in people.find_quotes(seeds[key])]
    aligned = people.align_quotes(quotes)
    conversation = aligned[aligned["text"].str.contains("have to have this conversation")]
    assert set(conversation["article_id"]) == {SEED_IDS["000"], SEED_IDS["003"], SEED_IDS["004"]}
    assert conversation["group"].nunique() == 1
    assert set(conversation["speaker"]) == {"Karine Jean-Pierre"}
