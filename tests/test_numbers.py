"""helpers.numbers: which numerals in news text are counts, their values, bounds and offsets.

Every sentence here was written for these tests, in the phrasing of wire copy, live blogs,
headlines and translated reports.
"""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.numbers import (
    BOUNDS_PATH,
    BoundsError,
    Count,
    find_counts,
    load_bound_table,
    parse_count,
)
from helpers.records import BOUNDS


def counts(text: str) -> list[tuple[str, int, str]]:
    """(surface, value, bound) of every count found in `text`."""
    return [(c.surface, c.value, c.bound) for c in find_counts(text)]


# --- parse_count ----------------------------------------------------------------------------------

@pytest.mark.parametrize("surface, value", [
    ("34,000", 34_000),
    ("1,200", 1_200),
    ("253", 253),
    ("1,143,000", 1_143_000),
    ("34 000", 34_000),
    ("34\u2009000", 34_000),  # thin space
    ("1\u202f400\u202f000", 1_400_000),  # narrow no-break spaces
    ("1.4 million", 1_400_000),
    ("2.3 million", 2_300_000),
    ("1.4m", 1_400_000),
    ("1.4mn", 1_400_000),
    ("1.5bn", 1_500_000_000),
    ("1.5 billion", 1_500_000_000),
    ("34k", 34_000),
    ("12 thousand", 12_000),
    ("one million", 1_000_000),
    ("a million", 1_000_000),
    ("a hundred thousand", 100_000),
    ("a hundred and fifty", 150),
    ("a million and a half", 1_500_000),
    ("half a million", 500_000),
    ("a half million", 500_000),
    ("a quarter of a million", 250_000),
    ("one and a half million", 1_500_000),
    ("two and a half million", 2_500_000),
    ("two hundred and fifty-three", 253),
    ("Two hundred fifty three", 253),
    ("thirty-four thousand", 34_000),
    ("twelve", 12),
    ("forty", 40),
    ("Twenty-One", 21),
    ("nine hundred and ninety-nine thousand", 999_000),
    ("30.000", 30_000),  # translated from German or Italian
    ("1.400.000", 1_400_000),
    ("1,4 million", 1_400_000),  # a decimal comma, translated from French
    ("1,400 million", 1_400_000_000),
])
def test_parse_count_reads_digits_scales_and_words(surface, value):
    assert parse_count(surface) == value


@pytest.mark.parametrize("surface", [
    "a dozen", "dozens", "hundreds", "thousands", "tens of thousands", "scores",
    "2.5", "1.2345678 million", "30%", "007", "twenty twelve", "", "killed",
])
def test_parse_count_refuses_what_is_not_a_count(surface):
    assert parse_count(surface) is None


# --- Counts kept, with their bounds ---------------------------------------------------------------

def test_a_plain_count_is_exact():
    assert counts("Gunmen killed 1,200 people and seized 253 hostages.") == [
        ("1,200", 1_200, "="), ("253", 253, "=")]


def test_a_bound_phrase_is_part_of_the_surface():
    text = "Health officials in the enclave say more than 34,000 people have been killed."
    [count] = find_counts(text)
    assert count == Count(start=text.index("more"), end=text.index(" people"),
                          number_start=text.index("34,000"), value=34_000, bound=">",
                          surface="more than 34,000")


def test_bound_phrases_ignore_case():
    assert counts("More than 32,000 people have been killed in Gaza since October 7.") == [
        ("More than 32,000", 32_000, ">")]


def test_at_least_qualifies_only_the_number_it_stands_before():
    text = "At least 60 people were killed and 112 wounded overnight, the ministry said."
    assert counts(text) == [("At least 60", 60, ">="), ("112", 112, "=")]


@pytest.mark.parametrize("text, expected", [
    ("Rafah is home to more than one million displaced people.",
     ("more than one million", 1_000_000, ">")),
    ("Rafah shelters more than 1 million displaced people.",
     ("more than 1 million", 1_000_000, ">")),
    ("Rafah now shelters an estimated 1.4 million people.",
     ("an estimated 1.4 million", 1_400_000, "~")),
    ("Some 1.3 million people now crowd into Rafah.", ("Some 1.3 million", 1_300_000, "~")),
    ("The toll surpassed 30,000 on Thursday.", ("surpassed 30,000", 30_000, ">")),
    ("The death toll has topped 35,000, officials say.", ("topped 35,000", 35_000, ">")),
    ("Nearly 2 million Gazans have fled their homes.", ("Nearly 2 million", 2_000_000, "~")),
    ("No fewer than 40 aid workers have died.", ("No fewer than 40", 40, ">=")),
    ("Fewer than 100 trucks crossed on Sunday.", ("Fewer than 100", 100, "<")),
    ("The crossing can take up to 500 trucks a day.", ("up to 500", 500, "<=")),
    ("No more than 50 patients remain at the hospital.", ("No more than 50", 50, "<=")),
    ("Just under 1,000 people were evacuated.", ("Just under 1,000", 1_000, "<")),
    ("Upwards of 600,000 children are out of school.", ("Upwards of 600,000", 600_000, ">")),
])
def test_bound_phrases_before_the_number(text, expected):
    assert counts(text) == [expected]


@pytest.mark.parametrize("text, expected", [
    ("Israeli strikes killed 1,200-plus people, medics said.", ("1,200-plus", 1_200, ">")),
    ("The camp holds 20,000+ people.", ("20,000+", 20_000, ">")),
    ("Officials counted 300 or more bodies at the site.", ("300 or more", 300, ">=")),
    ("A convoy carried 40 or so wounded civilians.", ("40 or so", 40, "~")),
    ("Rescuers pulled 90-odd survivors from the rubble.", ("90-odd", 90, "~")),
])
def test_bound_phrases_after_the_number_extend_the_surface(text, expected):
    assert counts(text) == [expected]


def test_plus_followed_by_a_number_adds_and_does_not_bound():
    assert counts("The brigade lost 1,200 plus 300 reservists.") == [
        ("1,200", 1_200, "="), ("300", 300, "=")]


def _bound_table() -> dict[str, dict[str, list[str]]]:
    return tomllib.loads(BOUNDS_PATH.read_text(encoding="utf-8"))


def test_a_malformed_bound_table_names_the_file_and_the_key(tmp_path):
    table = tmp_path / "bounds.toml"
    table.write_text('[before]\n"about" = ["around"]\n', encoding="utf-8")
    with pytest.raises(BoundsError, match=r"bounds\.toml.*'about'"):
        load_bound_table(table)


@pytest.mark.parametrize("bound, phrase", [
    (bound, phrase) for bound, phrases in _bound_table()["before"].items() for phrase in phrases])
def test_every_phrase_of_the_bound_table_before_a_number(bound, phrase):
    text = f"Medics said {phrase} 140 people were hurt."
    assert counts(text) == [(f"{phrase} 140", 140, bound)]


@pytest.mark.parametrize("bound, phrase", [
    (bound, phrase) for bound, phrases in _bound_table()["after"].items() for phrase in phrases])
def test_every_phrase_of_the_bound_table_after_a_number(bound, phrase):
    joined = phrase if phrase[0] in "-+" else f" {phrase}"
    text = f"Medics said 140{joined} people were hurt."
    assert counts(text) == [(f"140{joined}", 140, bound)]


def test_the_bound_table_uses_only_known_bounds():
    table = _bound_table()
    assert set(table["before"]) | set(table["after"]) <= set(BOUNDS) - {"="}


@pytest.mark.parametrize("text, expected", [
    ("Twelve people were killed when the shelter was hit.", ("Twelve", 12, "=")),
    ("Two hundred and fifty-three hostages were taken.", ("Two hundred and fifty-three", 253, "=")),
    ("forty families shared one classroom", ("forty", 40, "=")),
    ("A million people have crossed into the south.", ("A million", 1_000_000, "=")),
    ("Half a million people face famine, the agency warned.", ("Half a million", 500_000, "=")),
    ("About a million and a half people are in Rafah.",
     ("About a million and a half", 1_500_000, "~")),
    ("Thirty-four thousand Palestinians have been killed.", ("Thirty-four thousand", 34_000, "=")),
    ("TWO SOLDIERS KILLED IN AMBUSH", ("TWO", 2, "=")),
])
def test_number_words_are_counts(text, expected):
    assert counts(text) == [expected]


def test_offsets_point_at_the_surface_and_the_numeral():
    text = ("Overnight,\nat least 22 people died (about 1.4 million displaced) "
            "and “thirty” were hurt.")
    found = list(find_counts(text))
    assert [c.surface for c in found] == ["at least 22", "about 1.4 million", "thirty"]
    for count in found:
        assert text[count.start:count.end] == count.surface
        assert parse_count(text[count.number_start:count.end].split(" or ")[0]) == count.value
    assert [text[c.number_start:c.end] for c in found] == ["22", "1.4 million", "thirty"]


def test_offsets_survive_characters_outside_ascii():
    text = "😀 Gaza: “about 1\u2009200” dead\r\n— عدد 34,000 قتيل"
    found = list(find_counts(text))
    assert [(c.surface, c.value, c.bound) for c in found] == [
        ("about 1\u2009200", 1_200, "~"), ("34,000", 34_000, "=")]
    assert all(text[c.start:c.end] == c.surface for c in found)


def test_numbers_at_the_start_of_a_line_or_after_a_bracket_are_found():
    text = "1,200 killed\nGaza (253 hostages)\n[40 wounded]"
    assert [c.value for c in find_counts(text)] == [1_200, 253, 40]


def test_a_number_on_the_next_line_is_a_count_of_its_own():
    assert counts("Toll: 32,000\n253 hostages remain") == [
        ("32,000", 32_000, "="), ("253", 253, "=")]


def test_a_month_next_to_a_large_number_is_no_date():
    assert counts("In March 1,200 people fled the camp.") == [("1,200", 1_200, "=")]


def test_may_as_a_verb_is_no_month():
    assert counts("Officials fear 12 may have died in the collapse.") == [("12", 12, "=")]


# --- Numerals that are never counts ---------------------------------------------------------------

@pytest.mark.parametrize("text", [
    # years
    "The war that began in 2023 has displaced most of the population.",
    "The blockade has been in place since 2007.",
    "The 2014 war lasted seven weeks.",
    "2023 was the deadliest year on record for journalists.",
    "Israel's 2014 operation was shorter.",
    # dates
    "Hamas attacked on Oct. 7, killing civilians.",
    "Talks resumed on October 7 in Cairo.",
    "The attack of 7 October shocked the country.",
    "The council voted on March 25.",
    "4/1/2024",
    "The report is dated 2024-04-01.",
    "The ceasefire began on the 7th.",
    "Officials met on Sept. 11 and Dec. 3.",
    # times
    "The strike hit at 10:30 local time.",
    "Sirens sounded at 3 p.m. in Ashkelon.",
    "0:00",
    "The convoy left at 9am.",
    "Prayers start at 6 o’clock.",
    # percentages
    "Prices rose 30% in a week.",
    "About 30 percent of buildings are damaged.",
    "Nearly 60 per cent of homes were hit.",
    "Turnout fell 5 percentage points.",
    # money
    "The fund pledged $5 million for shelters.",
    "The EU sent 5 million dollars in aid.",
    "Donors gave €20 million.",
    "Britain pledged £3m.",
    "The tax revenue was 40 million shekels.",
    "The fine was NIS 200.",
    # ages
    "A boy aged 12 was among the injured.",
    "A 12-year-old girl was pulled from the rubble.",
    "Children from age 5 were evacuated.",
    "The youngest victim was 12 years old.",
    "Men aged between 18 and 60 may not leave.",
    "Children under the age of 18 were not detained.",
    # durations and periods
    "The meeting lasted two hours.",
    "The war has lasted six months.",
    "Power was cut for 24 hours.",
    "Over the past two days, the shelling eased.",
    "The truce held for three weeks.",
    "The talks ran more than two and a half hours.",
    "After 100 days of war the city lay in ruins.",
    "On day 100 the army pulled back.",
    "Two days later the talks collapsed.",
    "A six-week truce was proposed.",
    # ordinals
    "It was the second virtual meeting this month.",
    "The 1st Battalion took the hill.",
    # names and identifiers
    "Resolution 2728 demands an immediate ceasefire.",
    "The jets were F-16 fighters.",
    "Hospitals were still recovering from COVID-19.",
    "Route 4 was closed to traffic.",
    "Highway 1 links the cities.",
    "Section 8 of the law applies.",
    "The G7 leaders met in Italy.",
    "Channel 12 reported the strike.",
    "Unit 8200 intercepted the calls.",
    # scores and ratios
    "The match ended 3-2.",
    "Roughly 1 in 4 households has no water.",
    "One in four children is malnourished.",
    "Nine out of 10 Gazans have been displaced.",
    # decimals, phone numbers, measures
    "Inflation reached 2.5 last month.",
    "Call +972 3 555 1234 for information.",
    "Call (02) 555-1234.",
    "The enclave is 41 km long.",
    "Gaza covers 365 square kilometres.",
    "The strip is home to 2.2 tonnes of rubble per person.",
    # "one" as a pronoun, and vague counts
    "One of the officials said the talks were constructive.",
    "One official said the plan was not ready.",
    "Dozens were hurt and hundreds fled.",
    "Tens of thousands marched in Tel Aviv.",
    "A dozen families shared one tent.",
    "The two-state solution was discussed.",
    "Two thirds of homes are damaged.",
])
def test_numerals_that_are_not_counts(text):
    assert counts(text) == []


def test_a_share_of_two_counts_is_no_ratio():
    text = "Of those killed, 13,000 out of 34,000 were children."
    assert counts(text) == [("13,000", 13_000, "="), ("34,000", 34_000, "=")]


def test_a_count_within_a_period_is_no_ratio():
    assert counts("Strikes killed 62 in 24 hours.") == [("62", 62, "=")]


def test_a_day_and_month_do_not_hide_the_count_after_them():
    text = "On March 7 100 people were evacuated."
    assert counts(text) == [("100", 100, "=")]


def test_a_year_can_be_a_count_after_a_word_and_before_a_noun():
    assert counts("Officials said 2023 people were affected.") == [("2023", 2023, "=")]
    assert counts("More than 2000 people died.") == [("More than 2000", 2000, ">")]
    assert counts("The tally reached 2,023 on Friday.") == [("2,023", 2023, "=")]


def test_a_seed_article_sentence():
    text = ("Israel’s retaliation began after an Oct. 7 attack in which Hamas militants breached "
            "the Israeli border to kill 1,200 people and take 253 hostages, according to Israeli "
            "tallies.")
    assert counts(text) == [("1,200", 1_200, "="), ("253", 253, "=")]


def test_counts_come_in_text_order():
    text = "About 1,200 people; 253 hostages; more than 34,000 dead; 1.4 million in Rafah."
    starts = [c.start for c in find_counts(text)]
    assert starts == sorted(starts) and len(starts) == 4


# --- Properties: any count, however written, reads back to itself ---------------------------------

_UNITS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)
_TENS = (
    "_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
)


def spell(n: int) -> str:
    """`n` (0 < n < 10**9) in English words, British style: "two hundred and fifty-three"."""
    def below_thousand(k: int) -> str:
        hundreds, rest = divmod(k, 100)
        words = [f"{_UNITS[hundreds]} hundred"] if hundreds else []
        if rest:
            tens = _UNITS[rest] if rest < 20 else _TENS[rest // 10] + (
                f"-{_UNITS[rest % 10]}" if rest % 10 else "")
            words.append(f"and {tens}" if hundreds else tens)
        return " ".join(words)

    millions, rest = divmod(n, 1_000_000)
    thousands, units = divmod(rest, 1_000)
    parts = [f"{below_thousand(millions)} million" if millions else "",
             f"{below_thousand(thousands)} thousand" if thousands else "",
             below_thousand(units)]
    return " ".join(p for p in parts if p)


def test_the_speller_writes_news_english():
    assert spell(253) == "two hundred and fifty-three"
    assert spell(34_000) == "thirty-four thousand"
    assert spell(1_000_001) == "one million one"


_counts = st.integers(min_value=1, max_value=10**9 - 1)
_written = st.one_of(
    _counts.map(lambda n: (n, str(n))),
    _counts.map(lambda n: (n, f"{n:,}")),
    _counts.map(lambda n: (n, f"{n:,}".replace(",", "\u2009"))),
    st.integers(min_value=10, max_value=9_999).map(
        lambda k: (k * 100_000, f"{k // 10}.{k % 10} million")),
    _counts.map(lambda n: (n, spell(n))),
)


@settings(max_examples=300, deadline=None)
@given(_written)
def test_any_count_parses_back(written):
    n, surface = written
    assert parse_count(surface) == n


@settings(max_examples=300, deadline=None)
@given(_written)
def test_any_count_is_found_in_a_sentence(written):
    n, surface = written
    if surface == "one":
        return  # a bare "one" is never emitted (see test_numerals_that_are_not_counts)
    text = f"Officials said {surface} people were affected."
    assert counts(text) == [(surface, n, "=")]
