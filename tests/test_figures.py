"""The figure engine, specified by sentences written for these tests in the phrasing of real news:
wire copy, live blogs, translated text and headlines. Each case lists every figure the text holds
as (category, value, bound, attribution_class), in text order; an empty list means "no figure".
"""

from __future__ import annotations

import pytest

from helpers import figures
from helpers.records import Article, Debris


def extract(text: str, article_id: str = "a1", debris: tuple[Debris, ...] = ()) -> list:
    return figures.extract_figures(Article(article_id=article_id, path="", text=text, debris=debris))


def tuples(text: str) -> list[tuple]:
    return [(f.category, f.value, f.bound, f.attribution_class) for f in extract(text)]


CASES = {
    # --- gaza_killed: the cumulative toll, every bound and the usual sources ---------------------
    "moh_say_more_than": (
        "Health officials in the enclave say more than 30,000 people have been killed.",
        [("gaza_killed", 30000, ">", "gaza_moh")]),
    "moh_trailing_at_least": (
        "At least 33,175 Palestinians have been killed in Gaza since the war began, the territory's health ministry said on Saturday.",
        [("gaza_killed", 33175, ">=", "gaza_moh")]),
    "toll_rose_to_exact": (
        "The death toll in Gaza rose to 31,819 on Tuesday, according to the Hamas-run health ministry.",
        [("gaza_killed", 31819, "=", "gaza_moh")]),
    "toll_surpassed_verb": (
        "Gaza's death toll surpassed 35,000, the Palestinian Ministry of Health reported.",
        [("gaza_killed", 35000, ">", "gaza_moh")]),
    "nearly_words": (
        "Israel's offensive has killed nearly 29,000 Palestinians, most of them women and children, local health authorities say.",
        [("gaza_killed", 29000, "~", "gaza_moh")]),
    "almost_no_source": (
        "Almost 27,000 people have died in the territory since October.",
        [("gaza_killed", 27000, "~", "none")]),
    "headline_no_stop": (
        "Gaza death toll passes 34,000 as strikes pound Rafah\nThe war shows no sign of easing.",
        [("gaza_killed", 34000, ">", "none")]),
    "un_source": (
        "The UN humanitarian office put the number of Palestinians killed at 32,552.",
        [("gaza_killed", 32552, "=", "un")]),
    "per_ministry_figures_next_sentence": (
        "The war has now killed 34,097 people in Gaza. That figure comes from the health ministry in the territory.",
        [("gaza_killed", 34097, "=", "gaza_moh")]),
    "roughly_with_thousand_word": (
        "Roughly thirty-two thousand Gazans have lost their lives in the fighting, officials in the Strip say.",
        [("gaza_killed", 32000, "~", "other")]),
    "upwards_hamas_run": (
        "Upwards of 28,000 have been killed in Gaza, according to figures from the Hamas-run health ministry.",
        [("gaza_killed", 28000, ">", "gaza_moh")]),

    # --- gaza_injured ------------------------------------------------------------------------
    "killed_and_wounded_cumulative": (
        "The ministry says 34,183 Palestinians have been killed and 77,143 wounded since October 7.",
        [("gaza_killed", 34183, "=", "gaza_moh"), ("gaza_injured", 77143, "=", "gaza_moh")]),
    "injured_more_than": (
        "More than 70,000 people have been injured in Gaza during the war, according to health officials.",
        [("gaza_injured", 70000, ">", "gaza_moh")]),

    # --- daily_killed ------------------------------------------------------------------------
    "spec_daily_and_wounded": (
        "At least 60 people were killed and 112 wounded overnight, the ministry said.",
        [("daily_killed", 60, ">=", "gaza_moh"), ("other_casualty", 112, "=", "gaza_moh")]),
    "past_24_hours": (
        "In the past 24 hours, 79 Palestinians were killed across the Gaza Strip, the health ministry said.",
        [("daily_killed", 79, "=", "gaza_moh")]),
    "two_days": (
        "Israeli strikes over the past two days have killed at least 140 people across Gaza, medics said.",
        [("daily_killed", 140, ">=", "other")]),

    # --- oct7_killed and civilians -----------------------------------------------------------
    "spec_oct7_israel_says": (
        "Gunmen killed about 1,200 people and took roughly 250 hostages, Israel says.",
        [("oct7_killed", 1200, "~", "israeli_official"), ("hostages_taken", 250, "~", "israeli_official")]),
    "oct7_tallies": (
        "The war began when Hamas militants stormed southern Israel on Oct. 7, killing some 1,200 people, according to Israeli tallies.",
        [("oct7_killed", 1200, "~", "israeli_official")]),
    "oct7_afp_tally": (
        "The October 7 attack resulted in the deaths of 1,170 people, mostly civilians, according to an AFP tally based on official Israeli figures.",
        [("oct7_killed", 1170, "=", "afp_tally")]),
    "oct7_with_civilians_subgroup": (
        "Militants crossed into Israel and killed 1,139 people, including 695 civilians, Israeli social security data show.",
        [("oct7_killed", 1139, "=", "israeli_official"), ("oct7_civilians_killed", 695, "=", "israeli_official")]),
    "early_tally_in_israel": (
        "The number of people killed in Israel has passed 1,300, the army said.",
        [("oct7_killed", 1300, ">", "israeli_official")]),
    "oct7_civilians_direct": (
        "Of those slain in the Hamas attack on October 7, more than 760 were civilians.",
        [("oct7_civilians_killed", 760, ">", "none")]),
    "oct7_aside_does_not_capture_gaza_toll": (
        "Israel's war in Gaza, which began after the Oct. 7 attack, has killed more than 34,000 people, the health ministry says.",
        [("gaza_killed", 34000, ">", "gaza_moh")]),

    # --- hostages ----------------------------------------------------------------------------
    "hostages_taken_words": (
        "Hamas seized two hundred and fifty-three hostages during the assault.",
        [("hostages_taken", 253, "=", "none")]),
    "hostages_taken_passive": (
        "About 240 people were taken hostage and dragged into Gaza on October 7.",
        [("hostages_taken", 240, "~", "none")]),
    "hostages_remaining_with_dead": (
        "Israel says 133 hostages remain in Gaza, including at least 30 believed to be dead.",
        [("hostages_remaining", 133, "=", "israeli_official"), ("other_casualty", 30, ">=", "israeli_official")]),
    "hostages_still_held": (
        "Some 129 captives are still being held in the territory, the prime minister's office said.",
        [("hostages_remaining", 129, "~", "israeli_official")]),
    "spec_alive_estimate_not_figure": (
        "Israel believes 99 of the hostages are still alive.",
        []),
    "hostages_released_not_figure": (
        "During the week-long truce, 105 hostages were released in exchange for 240 Palestinian prisoners.",
        []),
    "hostages_rescued_not_figure": (
        "Special forces rescued four hostages from a building in Nuseirat.",
        []),

    # --- rafah_population and gaza_population --------------------------------------------------
    "spec_rafah_some": (
        "Some 1.3 million people now crowd into Rafah.",
        [("rafah_population", 1300000, "~", "none")]),
    "rafah_sheltering_words": (
        "More than one million Palestinians are sheltering in Rafah, aid agencies say.",
        [("rafah_population", 1000000, ">", "other")]),
    "rafah_estimated": (
        "An estimated 1.4 million people have sought refuge in Rafah, according to the UN.",
        [("rafah_population", 1400000, "~", "un")]),
    "rafah_displaced_into": (
        "Rafah, on the Egyptian border, now holds roughly 1.5 million displaced Palestinians.",
        [("rafah_population", 1500000, "~", "none")]),
    "rafah_earlier_population": (
        "Before the war, Rafah was home to about 275,000 people.",
        [("rafah_population", 275000, "~", "none")]),
    "rafah_million_and_a_half": (
        "A million and a half people are packed into Rafah's tents and schools.",
        [("rafah_population", 1500000, "=", "none")]),
    "gaza_population": (
        "Most of Gaza's 2.3 million people have been forced from their homes.",
        [("gaza_population", 2300000, "=", "none")]),
    "gaza_population_of": (
        "The territory has a population of about 2.2 million, according to UN estimates.",
        [("gaza_population", 2200000, "~", "un")]),

    # --- westbank_killed ---------------------------------------------------------------------
    "westbank_cumulative": (
        "In the occupied West Bank, at least 460 Palestinians have been killed by Israeli troops or settlers since October 7, the ministry in Ramallah says.",
        [("westbank_killed", 460, ">=", "gaza_moh")]),
    "westbank_raid_is_other": (
        "An Israeli raid on the Jenin camp in the West Bank killed 12 Palestinians, the Palestinian health ministry said.",
        [("other_casualty", 12, "=", "gaza_moh")]),

    # --- other_casualty ----------------------------------------------------------------------
    "strike_toll": (
        "An Israeli strike on a house in Rafah killed 13 people, including five children, hospital officials said.",
        [("other_casualty", 13, "=", "other"), ("other_casualty", 5, "=", "other")]),
    "aid_workers": (
        "More than 200 aid workers have been killed in Gaza since the war began, the UN says.",
        [("other_casualty", 200, ">", "un")]),
    "journalists": (
        "At least 97 journalists and media workers have died, the Committee to Protect Journalists said.",
        [("other_casualty", 97, ">=", "other")]),
    "soldiers": (
        "The military says 260 soldiers have been killed in the ground offensive.",
        [("other_casualty", 260, "=", "israeli_official")]),
    "unrwa_staff": (
        "UNRWA says 178 of its staff have been killed.",
        [("other_casualty", 178, "=", "un")]),
    "hunger_deaths": (
        "Twenty-eight children have died of malnutrition and dehydration, the health ministry said.",
        [("other_casualty", 28, "=", "gaza_moh")]),
    "children_subgroup_of_toll": (
        "The ministry said 34,305 people had been killed, including more than 14,500 children.",
        [("gaza_killed", 34305, "=", "gaza_moh"), ("other_casualty", 14500, ">", "gaza_moh")]),
    "civil_defence_source": (
        "Gaza's civil defence agency said 22 bodies were recovered after a strike on a school in Jabalia.",
        [("other_casualty", 22, "=", "other")]),
    "aid_queue_killed_fewer_than": (
        "Fewer than 120 people died when troops opened fire near an aid convoy, Palestinian officials said.",
        [("other_casualty", 120, "<", "other")]),
    "up_to_bound": (
        "Up to 50 people may have been killed in the blast at the market, the civil defence said.",
        [("other_casualty", 50, "<=", "other")]),
    "at_most_bound": (
        "At most 30 people died in the strike, according to the army.",
        [("other_casualty", 30, "<=", "israeli_official")]),
    "no_fewer_than": (
        "No fewer than 45 people were killed in a strike on tents in Rafah, the Palestinian Red Crescent said.",
        [("other_casualty", 45, ">=", "other")]),
    "us_official_source": (
        "A U.S. official said the strike had killed 7 aid workers.",
        [("other_casualty", 7, "=", "other")]),
    "less_than": (
        "Less than 40 people were killed in the attack on the camp, a hospital director told reporters.",
        [("other_casualty", 40, "<", "other")]),

    # --- not figures ---------------------------------------------------------------------------
    "displaced_not_figure": (
        "Some 1.7 million people have been displaced across the Gaza Strip, the UN said.",
        []),
    "missing_not_figure": (
        "Another 7,000 people are missing under the rubble, civil defence says.",
        []),
    "detained_not_figure": (
        "The army said it had detained 500 suspects during the operation.",
        []),
    "prisoners_not_figure": (
        "Israel freed 240 Palestinian prisoners during the truce.",
        []),
    "trucks_not_figure": (
        "Only 161 aid trucks entered Gaza on Sunday, the UN said.",
        []),
    "brigades_not_figure": (
        "Israeli officials say four Hamas battalions remain in the city.",
        []),
    "targets_not_figure": (
        "The air force struck more than 150 targets overnight.",
        []),
    "percentage_not_figure": (
        "About 70 percent of those killed were women and children.",
        []),
    "percent_sign_not_figure": (
        "Aid deliveries fell by 50% in February.",
        []),
    "age_not_figure": (
        "A 12-year-old boy was among the dead, his uncle said.",
        []),
    "duration_not_figure": (
        "The meeting lasted two and a half hours.",
        []),
    "months_of_war_not_figure": (
        "Six months of war have left the enclave in ruins.",
        []),
    "date_not_figure": (
        "The talks were held on March 25, 2024, in Washington.",
        []),
    "year_not_figure": (
        "The 2014 war lasted 50 days.",
        []),
    "time_not_figure": (
        "The briefing began at 10:30 in the morning.",
        []),
    "vague_dozens_not_figure": (
        "Dozens of people were killed and hundreds wounded in the strikes.",
        []),
    "vague_thousands_not_figure": (
        "Thousands of Israelis protested in Tel Aviv over the weekend.",
        []),
    "resolution_number_not_figure": (
        "The Security Council adopted Resolution 2728 with 14 votes in favour.",
        []),
    "money_not_figure": (
        "Congress approved $14 billion in military aid.",
        []),
    "weeks_not_figure": (
        "Fighting resumed after a seven-day pause.",
        []),

    # --- attribution rules -------------------------------------------------------------------
    "source_of_other_clause_does_not_count": (
        "Hamas killed about 1,200 people in the October 7 attack, while the health ministry says 34,000 Palestinians have died since.",
        [("oct7_killed", 1200, "~", "none"), ("gaza_killed", 34000, "=", "gaza_moh")]),
    "adjacent_sentence_other_figure_does_not_count": (
        "Officials in Gaza say 34,000 have been killed. Militants killed 1,143 people in Israel on October 7.",
        [("gaza_killed", 34000, "=", "other"), ("oct7_killed", 1143, "=", "none")]),
    "outlet_is_not_source": (
        "More than 32,000 people have been killed in Gaza, CNN has learned.",
        [("gaza_killed", 32000, ">", "none")]),
    "outlet_named_as_source_is_other": (
        "Some 1,400 people were killed on October 7, according to The Times of Israel.",
        [("oct7_killed", 1400, "~", "other")]),
    "person_named_as_source_is_other": (
        "Kirby said 1,200 people were killed in the Hamas attack.",
        [("oct7_killed", 1200, "=", "other")]),
    "said_before_entity": (
        "About 2,000 people had been killed in the first week, said the ministry in Gaza.",
        [("gaza_killed", 2000, "~", "gaza_moh")]),
    "who_says_oct7_israel": (
        "Israeli officials said 253 people were abducted during the raid.",
        [("hostages_taken", 253, "=", "israeli_official")]),

    # --- translated and awkward text ---------------------------------------------------------
    "translated_order": (
        "Killed in the Gaza Strip since the beginning of the aggression were 33,000 citizens, announced the Ministry of Health.",
        [("gaza_killed", 33000, "=", "gaza_moh")]),
    "live_blog_colon": (
        "Latest: death toll in Gaza reaches 32,782, ministry says",
        [("gaza_killed", 32782, "=", "gaza_moh")]),
    "cut_off_mid_word": (
        "The health ministry said more than 33,000 people had been killed in the terri",
        [("gaza_killed", 33000, ">", "gaza_moh")]),
    "abbreviations_do_not_split": (
        "Sen. Rick Scott said Oct. 7 showed the threat. Hamas took 240 hostages that day, U.S. officials said.",
        [("hostages_taken", 240, "=", "other")]),
    "spaced_number": (
        "Some 1 200 people were killed in the Oct. 7 attack.",
        [("oct7_killed", 1200, "~", "none")]),
    "plus_suffix": (
        "The toll in Gaza now stands at 30,000-plus, officials say.",
        [("gaza_killed", 30000, ">", "other")]),
    "or_more_suffix": (
        "Israel said 1,200 or more people were killed in the Hamas attack.",
        [("oct7_killed", 1200, ">=", "israeli_official")]),

    # --- background, speakers and subjects ----------------------------------------------------
    "place_description_is_not_the_speakers": (
        "The foreign minister said an assault on Rafah, where some 1.3 million people shelter, would be a disaster.",
        [("rafah_population", 1300000, "~", "none")]),
    "appositive_place_is_not_the_speakers": (
        "Blinken said Washington opposed a push into Rafah, the last refuge for more than a million displaced people.",
        [("rafah_population", 1000000, ">", "none")]),
    "source_after_the_description_counts": (
        "Rafah, where 1.5 million people are now crammed, faces an assault, the UN warned.",
        [("rafah_population", 1500000, "=", "un")]),
    "subject_after_said_is_not_the_source": (
        "Kirby said the Pentagon had seen reports that 1.2 million people were sheltering in Rafah.",
        [("rafah_population", 1200000, "=", "other")]),
    "southern_gaza_where_rafah_lies": (
        "Tanks massed outside Rafah, the southern Gaza city where 1.4 million civilians are sheltered.",
        [("rafah_population", 1400000, "=", "none")]),
    "famine_elsewhere_in_the_sentence": (
        "More than 33,000 Palestinians have been killed in the war, which has also pushed the north toward famine.",
        [("gaza_killed", 33000, ">", "none")]),
    "running_total_after_bringing": (
        "Hospitals received 48 bodies in the past 24 hours, bringing the death toll to 34,097, the ministry said.",
        [("daily_killed", 48, "=", "gaza_moh"), ("gaza_killed", 34097, "=", "gaza_moh")]),
    "whole_population_beside_rafah": (
        "Nearly 1.5 million Palestinians have crowded into Rafah, more than half of Gaza's population of 2.3 million.",
        [("rafah_population", 1500000, "~", "none"), ("gaza_population", 2300000, "=", "none")]),
    "killed_or_injured_together": (
        "Over 100,000 people have been killed or injured in Gaza, the UN chief said.",
        [("other_casualty", 100000, ">", "un")]),
    "overnight_strikes_on_one_city": (
        "Israeli strikes killed at least 22 people in Rafah overnight, according to hospital records.",
        [("other_casualty", 22, ">=", "other")]),
    "killed_then_taken_hostage": (
        "Israel has said that about 1,200 people were killed, and 240 taken hostage, in the Oct 7 attack.",
        [("oct7_killed", 1200, "~", "israeli_official"), ("hostages_taken", 240, "=", "israeli_official")]),
    "held_hostages_and_remains": (
        "Hamas is still holding around 100 hostages and the remains of about 30 others, according to Israel.",
        [("hostages_remaining", 100, "~", "israeli_official"), ("other_casualty", 30, "~", "israeli_official")]),
    "children_sheltering_are_part_of_a_population": (
        "More than 600,000 children are sheltering in Rafah, UNICEF said.",
        []),
    "headline_credit_after_dash": (
        "Gaza death toll tops 33,000 - ministry",
        [("gaza_killed", 33000, ">", "gaza_moh")]),
    "live_blog_credit_after_colon": (
        "12:45 GMT - Death toll rises to 34,012: Gaza health ministry",
        [("gaza_killed", 34012, "=", "gaza_moh")]),
    "paired_dashes_are_an_aside": (
        "Around 1.4 million people - more than half of Gaza's population - are crammed into Rafah.",
        [("rafah_population", 1400000, "~", "none")]),
    "subgroup_after_copula": (
        "It said 9,000 of the dead were women and 14,000 were children.",
        [("other_casualty", 9000, "=", "none"), ("other_casualty", 14000, "=", "none")]),
    "ramallah_ministry_west_bank": (
        "The number of people killed in the West Bank since October 7 has reached 460, the Palestinian health ministry in Ramallah said.",
        [("westbank_killed", 460, "=", "gaza_moh")]),
    "source_before_a_comma_and_a_description_free_clause": (
        "According to the Gaza health ministry, the number of dead has climbed to 32,623, with 75,092 wounded.",
        [("gaza_killed", 32623, "=", "gaza_moh"), ("gaza_injured", 75092, "=", "gaza_moh")]),
    "weekday_dates_the_saying_not_the_count": (
        "The ministry said on Monday that 36,050 people had been killed and 81,026 wounded.",
        [("gaza_killed", 36050, "=", "gaza_moh"), ("gaza_injured", 81026, "=", "gaza_moh")]),
    "fact_box_source_in_brackets": (
        "- Hostages seized: 253 (Israeli government)\n- Wounded in Gaza: 79,366 (health ministry)",
        [("hostages_taken", 253, "=", "israeli_official"), ("gaza_injured", 79366, "=", "gaza_moh")]),
    "source_introducing_a_later_figure": (
        "Gunmen seized about 240 hostages, and Israel says 132 of them remain in Gaza.",
        [("hostages_taken", 240, "~", "none"), ("hostages_remaining", 132, "=", "israeli_official")]),
    "source_inside_a_relative_clause": (
        "Hamas seized 250 hostages, 116 of whom are still in Gaza, including 41 the army says are dead.",
        [("hostages_taken", 250, "=", "none"), ("hostages_remaining", 116, "=", "none"),
         ("other_casualty", 41, "=", "israeli_official")]),
    "pronoun_speaker_refers_back": (
        "The health ministry in Gaza issued its daily update. It said 61 people had been killed in the previous 24 hours.",
        [("daily_killed", 61, "=", "gaza_moh")]),
    "headline_then_sourced_lede": (
        "Gaza toll passes 31,000\nThe Hamas-run health ministry said 31,045 people had been killed since October 7.",
        [("gaza_killed", 31000, ">", "gaza_moh"), ("gaza_killed", 31045, "=", "gaza_moh")]),
    "age_between_commas_is_not_a_count": (
        "Samir, 38, said the strike killed 9 members of his family.",
        [("other_casualty", 9, "=", "other")]),
    "joined_by_and_counts_the_same": (
        "The army says 250 soldiers have died in the ground operation, and 590 since the war began.",
        [("other_casualty", 250, "=", "israeli_official"), ("other_casualty", 590, "=", "israeli_official")]),
    "subgroup_named_before_the_number": (
        "The number of journalists killed since the war began stands at 103, the Palestinian Journalists Syndicate said.",
        [("other_casualty", 103, "=", "other")]),
    "hostages_left_after_a_recovery": (
        "The operation leaves 115 hostages in Gaza, a third of them thought to be dead, officials said.",
        [("hostages_remaining", 115, "=", "other")]),
    "since_a_weekday_early_in_the_war_is_cumulative": (
        "Officials in Gaza's health ministry said 2,215 people had been killed since Saturday, and 8,714 wounded.",
        [("gaza_killed", 2215, "=", "gaza_moh"), ("gaza_injured", 8714, "=", "gaza_moh")]),
    "source_then_and_another_speaker": (
        "Strikes have killed more than 37,000 people in Gaza, according to the health ministry, and Israel says 120 hostages remain.",
        [("gaza_killed", 37000, ">", "gaza_moh"), ("hostages_remaining", 120, "=", "israeli_official")]),
    "one_area_toll_this_week": (
        "The ministry says at least 14 people have died in northern Gaza this week.",
        [("other_casualty", 14, ">=", "gaza_moh")]),
    "partitive_them": (
        "Hamas said three of them had been killed in an Israeli bombardment.",
        [("other_casualty", 3, "=", "other")]),
    "territory_of_n_people": (
        "The territory of 2.3 million people has been under siege since October.",
        [("gaza_population", 2300000, "=", "none")]),
    "share_of_gaza_now_in_rafah": (
        "About half of Gaza's 2.3 million people are now in Rafah, the UN says.",
        [("gaza_population", 2300000, "=", "un")]),
    "people_facing_hunger_are_not_the_population": (
        "Some 1.1 million people, half of Gaza's population, face famine, UN agencies warned.",
        []),
    "generic_organisation_as_source": (
        "Six aid workers killed in convoy strike, charity says",
        [("other_casualty", 6, "=", "other")]),
    "a_list_of_subgroups": (
        "The ministry said 36,439 people had been killed, including 7,870 children, 5,012 women and 1,955 elderly people.",
        [("gaza_killed", 36439, "=", "gaza_moh"), ("other_casualty", 7870, "=", "gaza_moh"),
         ("other_casualty", 5012, "=", "gaza_moh"), ("other_casualty", 1955, "=", "gaza_moh")]),
    "people_who_fled_rafah_are_displaced": (
        "About 950,000 people have fled Rafah since the operation began, UNRWA said.",
        []),
    "title_and_name_after_said": (
        "\"More than 31,000 people have been killed,\" said UN Secretary-General Antonio Guterres.",
        [("gaza_killed", 31000, ">", "un")]),
    "apposition_closed_by_the_cue": (
        "Dr Ahmed Salem, director of Nasser hospital, said at least 45 bodies had been brought in.",
        [("other_casualty", 45, ">=", "other")]),
    "another_countrys_health_ministry": (
        "Lebanon's health ministry said 9 people had been killed in an Israeli strike on a village.",
        [("other_casualty", 9, "=", "other")]),
    "people_were_in_rafah": (
        "According to OCHA, about 1.3 million people were in Rafah at the start of May.",
        [("rafah_population", 1300000, "~", "un")]),
    "footnote_marks_are_not_counts": (
        "By mid-2024 at least 38,000 Palestinians had been killed.[12]",
        [("gaza_killed", 38000, ">=", "none")]),
    "children_under_an_age": (
        "At least 14,100 of the dead were children under 18, the ministry said.",
        [("other_casualty", 14100, ">=", "gaza_moh")]),
    "north_of_as_a_bound": (
        "The army claims to have killed north of 14,000 militants.",
        [("other_casualty", 14000, ">", "israeli_official")]),
    "still_in_gaza_without_the_word_hostage": (
        "About 250 people were seized that day; Israel says 128 are still in Gaza.",
        [("hostages_taken", 250, "~", "none"), ("hostages_remaining", 128, "=", "israeli_official")]),
    "a_new_clause_after_comma_and": (
        "At least 31 children have died of malnutrition, and a UN report warned that 1.1 million people face famine.",
        [("other_casualty", 31, ">=", "none")]),
    "another_front": (
        "Israeli strikes in southern Lebanon killed 31 people on Wednesday, Lebanese officials said.",
        [("other_casualty", 31, "=", "other")]),
    "an_earlier_war_is_history": (
        "During the 2014 war, more than 2,200 Palestinians were killed in 51 days.",
        []),
    "fled_without_saying_where": (
        "Rafah offensive: the UN says 600,000 people have fled in a week",
        []),
    "line_opening_with_its_source": (
        "Health ministry: 97 killed and 130 injured in the past 24 hours",
        [("daily_killed", 97, "=", "gaza_moh"), ("other_casualty", 130, "=", "gaza_moh")]),
    "a_source_by_its_own_count": (
        "Hostages taken: 253, by Israel's count.",
        [("hostages_taken", 253, "=", "israeli_official")]),
    "the_name_inside_a_which_aside_is_not_the_speaker": (
        "The health ministry, which is run by Hamas, reports more than 26,000 killed.",
        [("gaza_killed", 26000, ">", "gaza_moh")]),
    "place_before_according_to_is_not_a_speaker": (
        "About 1,170 people were killed in southern Israel, according to an AFP tally of Israeli figures.",
        [("oct7_killed", 1170, "~", "afp_tally")]),
    "spokesman_named_between_source_and_verb": (
        "The Ministry of Health in Gaza, Dr. Ashraf al-Qudra, announced that 9,061 people had been killed.",
        [("gaza_killed", 9061, "=", "gaza_moh")]),
    "reporter_from_the_scene": (
        "Al Jazeera's Hani Mahmoud, reporting from Rafah, said about 1.4 million people were living in tents there.",
        [("rafah_population", 1400000, "~", "other")]),
    "it_also_says": (
        "The ministry gave no breakdown. It also says more than 70,000 people have been wounded.",
        [("gaza_injured", 70000, ">", "gaza_moh")]),
    "the_ministrys_daily_report": (
        "Killed in the past day: 44, in the ministry's latest daily report.",
        [("daily_killed", 44, "=", "gaza_moh")]),
    "soldiers_who_fell": (
        "The army said three soldiers fell in battle in central Gaza, raising the toll of the ground operation to 290.",
        [("other_casualty", 3, "=", "israeli_official"), ("other_casualty", 290, "=", "israeli_official")]),
    "west_bank_killed_and_injured": (
        "In the occupied West Bank, at least 520 Palestinians have been killed and some 5,200 injured since Oct. 7, the health ministry in Ramallah said.",
        [("westbank_killed", 520, ">=", "gaza_moh"), ("other_casualty", 5200, "~", "gaza_moh")]),
    "a_toll_on_another_front": (
        "Lebanon's health ministry says the toll from Israeli strikes since last week is nearing 1,600.",
        [("other_casualty", 1600, "~", "other")]),
    "the_city_refers_back_to_rafah": (
        "Tanks massed on the edge of Rafah. Around 1.2 million people are sheltering in the city, the UN says.",
        [("rafah_population", 1200000, "~", "un")]),
    "part_of_a_toll_in_the_past_day": (
        "The ministry said 58 of those deaths came in the previous 24 hours.",
        [("daily_killed", 58, "=", "gaza_moh")]),
    "martyrs_from_the_medical_staff": (
        "The office said the martyrs from the medical staff rose to 340.",
        [("other_casualty", 340, "=", "other")]),
    "security_forces_among_the_dead": (
        "The attack killed 1,163 people in Israel, including 373 members of the security forces.",
        [("oct7_killed", 1163, "=", "none"), ("other_casualty", 373, "=", "none")]),
    "enclave_home_to": (
        "Israel tightened its siege of the enclave, home to 2.2 million people, on Monday.",
        [("gaza_population", 2200000, "=", "none")]),
    "fact_box_label": (
        "- Population of the Gaza Strip before the war: 2.3 million",
        [("gaza_population", 2300000, "=", "none")]),
    "pronoun_after_its_antecedent_in_the_sentence": (
        "The ministry published the names of 7,028 people it said had been killed.",
        [("gaza_killed", 7028, "=", "gaza_moh")]),
    "description_then_a_sourced_figure": (
        "In Rafah, where up to 1.4 million people once sheltered, about 50,000 remain, according to UNRWA.",
        [("rafah_population", 1400000, "<=", "none"), ("rafah_population", 50000, "~", "un")]),
    "abducted_then_remained": (
        "On the war's 200th day, 133 hostages abducted on October 7 remained in Gaza, the army said.",
        [("hostages_remaining", 133, "=", "israeli_official")]),
    "a_named_strike_toll": (
        "09:15 GMT - Jabalia strike toll rises to 45",
        [("other_casualty", 45, "=", "none")]),
    "an_institutions_toll": (
        "Across the territory, the health ministry's toll rose to 37,396 dead and 85,523 wounded.",
        [("gaza_killed", 37396, "=", "gaza_moh"), ("gaza_injured", 85523, "=", "gaza_moh")]),
    "a_countrys_toll_is_not_a_source": (
        "Israel's toll from the attack stands at about 1,200 people killed on October 7.",
        [("oct7_killed", 1200, "~", "none")]),
    "a_handle_and_time_before_the_credit": (
        "@GazaUpdates (9:15 am): Health ministry: 64 killed and 150 injured in the past 24 hours",
        [("daily_killed", 64, "=", "gaza_moh"), ("other_casualty", 150, "=", "gaza_moh")]),
    "verb_after_an_including_aside": (
        "The ministry says 2,750 Palestinians, including 724 children, have been killed since Saturday.",
        [("gaza_killed", 2750, "=", "gaza_moh"), ("other_casualty", 724, "=", "gaza_moh")]),
    "translated_deaths_among_women": (
        "The martyrs from the women reached 9,200 martyr, according to the office.",
        [("other_casualty", 9200, "=", "other")]),
    "hunger_deaths_near_the_number": (
        "At least 27 children have died of malnutrition and dehydration in northern Gaza, the ministry said.",
        [("other_casualty", 27, ">=", "gaza_moh")]),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_sentence(case: str) -> None:
    text, expected = CASES[case]
    assert tuples(text) == expected


def test_figure_surface_is_the_text_at_its_offsets() -> None:
    text = "Health officials say more than 34,000 people have been killed."
    (figure,) = extract(text)
    assert figure.surface == "more than 34,000"
    assert text[figure.char_start:figure.char_end] == figure.surface


def test_attribution_text_is_the_source_phrase_as_written() -> None:
    (figure,) = extract("More than 32,000 people have been killed in Gaza, the region's health ministry reported.")
    assert figure.attribution_text == "the region's health ministry reported"


def test_attribution_text_has_at_most_eight_words() -> None:
    (figure,) = extract(
        "According to a new report by the Hamas-run Gaza health ministry in the territory, "
        "34,000 have been killed."
    )
    assert figure.attribution_class == "gaza_moh"
    assert len(figure.attribution_text.split()) <= 8


def test_sentence_field_is_whitespace_collapsed() -> None:
    (figure,) = extract("The ministry said   34,000 people\thad been killed.")
    assert figure.sentence == "The ministry said 34,000 people had been killed."


def test_figures_in_debris_are_not_emitted() -> None:
    text = "Share this story\nFollow us: 1,200 people killed\nThe ministry said 34,000 people had been killed."
    debris = (Debris(start=17, end=46, kind="share", text=text[17:46]),)
    assert [f.value for f in extract(text, debris=debris)] == [34000]


def test_output_is_sorted_by_char_start() -> None:
    found = extract(
        "Israel says 1,200 people were killed on Oct. 7. The ministry says 34,000 have been killed in Gaza. "
        "Hamas took 253 hostages."
    )
    assert [f.char_start for f in found] == sorted(f.char_start for f in found)
    assert [f.value for f in found] == [1200, 34000, 253]


def test_empty_article_has_no_figures() -> None:
    assert extract("") == []


def test_extractor_version_changes_with_the_taxonomy(tmp_path) -> None:
    from helpers import taxonomy

    copy = tmp_path / "taxonomy.toml"
    copy.write_text(taxonomy.DEFAULT_PATH.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert taxonomy.load(copy).digest != taxonomy.default().digest


# Every figure in the five seed articles, read through the corpus reader as the CLI reads them.
SEED_FIGURES = {
    "000": [("gaza_killed", 32000, ">", "gaza_moh"), ("rafah_population", 1000000, ">", "none"),
            ("oct7_killed", 1200, "=", "israeli_official"),
            ("hostages_taken", 253, "=", "israeli_official")],
    "001": [("rafah_population", 1400000, "=", "none"), ("rafah_population", 1000000, ">", "none"),
            ("gaza_killed", 34000, ">", "gaza_moh"), ("oct7_killed", 1143, "=", "none"),
            ("oct7_civilians_killed", 760, ">", "none"), ("hostages_taken", 247, "=", "none")],
    "002": [("rafah_population", 1000000, ">", "none"), ("gaza_killed", 32000, ">", "gaza_moh")],
    "003": [],
    "004": [("rafah_population", 1000000, ">", "none"), ("gaza_killed", 32000, ">", "gaza_moh")],
}


@pytest.mark.parametrize("prefix", SEED_FIGURES)
def test_seed_figures(prefix: str) -> None:
    from helpers import corpus
    from helpers.paths import SEEDS

    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    article = corpus.read_article(path)
    assert [(f.category, f.value, f.bound, f.attribution_class)
            for f in figures.extract_figures(article)] == SEED_FIGURES[prefix]
