"""Timeline: date phrases resolved against the publication date, so a reader sees which day each
article is about."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import corpus, paths, records, timeline

D = dt.date


def events(text: str, published: str = "2024-04-01") -> list[tuple[str, D | None, D | None]]:
    article = records.Article(article_id="a1", path="a1.txt", text=text, published_date=published)
    return [(e.phrase, e.resolved_date, e.resolved_until) for e in timeline.timeline(article)]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, records.Article]:
    manifest = tmp_path_factory.mktemp("seeds") / "manifest.csv"
    manifest.write_text("id,url,outlet,published_date\n"
                        "000_bd0af76679971a63,,Reuters,2024-04-01\n"
                        "001_61d1ee31a07849de,,,2024-04-18\n"
                        "002_3e43536d6c17f217,,CNN,2024-04-01\n", encoding="utf-8")
    return {a.article_id[:3]: a for a in corpus.iter_articles([paths.SEEDS], manifest=manifest)
            if isinstance(a, records.Article)}


def test_on_monday_in_a_monday_paper_is_that_day():
    assert events("Officials held a virtual meeting on Monday.") == [
        ("on Monday", D(2024, 4, 1), D(2024, 4, 1))]


def test_a_weekday_earlier_in_the_week_is_the_latest_such_day_before_publication():
    assert events("The envoy landed on Friday.", "2024-04-03") == [
        ("on Friday", D(2024, 3, 29), D(2024, 3, 29))]


def test_a_month_and_day_is_the_latest_such_day_on_or_before_publication():
    assert events("They spoke on April 1 and again on Oct. 7.", "2024-04-18") == [
        ("on April 1", D(2024, 4, 1), D(2024, 4, 1)),
        ("on Oct. 7", D(2023, 10, 7), D(2023, 10, 7))]


def test_a_full_date_keeps_its_year():
    assert events("A photograph taken on March 13, 2024.", "2024-04-18") == [
        ("on March 13, 2024", D(2024, 3, 13), D(2024, 3, 13))]


def test_a_day_a_few_days_ahead_this_year_is_not_pushed_back_a_year():
    assert events("A vote is scheduled for April 20.", "2024-04-18") == [
        ("April 20", D(2024, 4, 20), D(2024, 4, 20))]


def test_last_week_is_the_monday_to_sunday_before_the_publication_week():
    assert events("A meeting planned for last week was called off.") == [
        ("last week", D(2024, 3, 25), D(2024, 3, 31))]


def test_earlier_this_month_runs_from_the_first_to_the_day_before_publication():
    assert events("Earlier this month, the president warned Israel.", "2024-04-18") == [
        ("Earlier this month", D(2024, 4, 1), D(2024, 4, 17))]


def test_over_the_weekend_is_the_last_saturday_and_sunday():
    assert events("Thousands marched over the weekend.") == [
        ("over the weekend", D(2024, 3, 30), D(2024, 3, 31))]


def test_days_later_count_from_the_last_day_the_article_dated():
    assert events("The resolution passed on March 25. Two days later Israel asked to meet.") == [
        ("on March 25", D(2024, 3, 25), D(2024, 3, 25)),
        ("Two days later", D(2024, 3, 27), D(2024, 3, 27))]


def test_days_ago_count_from_publication():
    assert events("The convoy left three days ago.") == [
        ("three days ago", D(2024, 3, 29), D(2024, 3, 29))]


def test_last_night_is_the_day_before_publication_and_this_morning_the_day_itself():
    assert events("Families rallied last night; the cabinet meets this morning.", "2024-03-13") == [
        ("last night", D(2024, 3, 12), D(2024, 3, 12)),
        ("this morning", D(2024, 3, 13), D(2024, 3, 13))]


def test_in_a_month_is_the_whole_month():
    assert events("Talks broke down in March.") == [("in March", D(2024, 3, 1), D(2024, 3, 31))]


def test_without_a_publication_date_only_a_full_date_is_placed():
    assert events("On Monday officials recalled the talks of March 13, 2024.", "") == [
        ("On Monday", None, None), ("March 13, 2024", D(2024, 3, 13), D(2024, 3, 13))]


def test_each_event_carries_its_sentence_and_offsets():
    text = "Talks resumed. The delegation arrived on Thursday and left at night."
    article = records.Article(article_id="a1", path="a1.txt", text=text,
                              published_date="2024-04-18")
    [event] = timeline.timeline(article)
    assert text[event.start:event.end] == "on Thursday"
    assert event.sentence == "The delegation arrived on Thursday and left at night."


def test_a_date_in_page_debris_is_not_an_event():
    text = "Talks resumed on Monday.\nUpdated: March 30"
    debris = (records.Debris(start=25, end=len(text), kind="timestamp", text=text[25:]),)
    article = records.Article(article_id="a1", path="a1.txt", text=text,
                              published_date="2024-04-01", debris=debris)
    assert [e.phrase for e in timeline.timeline(article)] == ["on Monday"]


def test_a_publication_date_that_is_not_iso_is_named_with_the_file():
    article = records.Article(article_id="a1", path="wire/a1.txt", text="On Monday.",
                              published_date="1 April 2024")
    with pytest.raises(ValueError, match="wire/a1.txt: published_date '1 April 2024'"):
        timeline.timeline(article)


def test_timeline_table_has_a_row_per_event_with_dates_as_datetimes():
    article = records.Article(article_id="a1", path="a1.txt", text="They met on Monday.",
                              published_date="2024-04-01")
    table = timeline.timeline_table([article])
    assert list(table.columns) == list(timeline.EVENT_FIELDS)
    assert table["resolved_date"].dt.date.tolist() == [D(2024, 4, 1)]


def test_seeds_the_first_of_april_reports_are_about_monday_the_first(seeds):
    for key in ("000", "002"):
        days = {(e.phrase.lower(), e.resolved_date) for e in timeline.timeline(seeds[key])}
        assert ("on monday", D(2024, 4, 1)) in days


def test_seeds_the_eighteenth_of_april_report_is_about_that_thursday_and_recalls_the_first(seeds):
    days = {(e.phrase, e.resolved_date) for e in timeline.timeline(seeds["001"])}
    assert {("on Thursday", D(2024, 4, 18)), ("on April 1", D(2024, 4, 1))} <= days
