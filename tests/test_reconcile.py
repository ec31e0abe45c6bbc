"""Reconciliation: bounds as intervals, the classification of figure pairs, the pair table, the
official-series check and the counts that leave derivatives out."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import copies, paths, reconcile, records, reference, tables
from helpers.reconcile import Interval, Report, classify_pair, interval, rounded_interval

SHARED_SERIES = paths.ROOT.parent / "shared" / "data" / "reference" / "casualties_daily.json"
needs_shared_series = pytest.mark.skipif(
    not SHARED_SERIES.is_file(),
    reason=f"the shared copy of the official series is absent: {SHARED_SERIES}",
)


def report(value, bound="=", category="gaza_killed", source="gaza_moh", date="2024-04-01",
           article="wire-1", outlet="Wire") -> Report:
    day = dt.date.fromisoformat(date) if date else None
    return Report(category, value, bound, source, day, article, outlet)


# --- intervals --------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "bound", "expected"), [
    (32916, "=", Interval(32916, 32916)),
    (32000, ">", Interval(32000, 33000, low_closed=False, high_closed=False)),
    (1200, ">=", Interval(1200, 1300, high_closed=False)),
    (250, "<", Interval(0, 250, high_closed=False)),
    (250, "<=", Interval(0, 250)),
    (1200, "~", Interval(1200 * 0.95, 1200 * 1.05)),
])
def test_each_bound_reads_as_an_interval(value, bound, expected):
    assert interval(value, bound) == expected


def test_more_than_a_number_without_trailing_zero_is_open_ended():
    assert interval(34012, ">") == Interval(34012, float("inf"), False, False)


def test_more_than_is_capped_at_the_next_step_of_its_stated_precision():
    assert interval(1_400_000, ">").high == 1_500_000
    assert interval(760, ">").high == 770


def test_about_without_tolerance_is_the_number_itself():
    assert interval(1200, "~", tolerance=0) == Interval(1200, 1200)


def test_an_unknown_bound_is_named():
    with pytest.raises(ValueError, match="'±'"):
        interval(10, "±")


def test_precision_step_is_the_place_of_the_last_significant_digit():
    assert [reconcile.precision_step(v) for v in (32000, 1143, 1_400_000, 250, 0)] == [
        1000, 1, 100_000, 10, 1]


def test_a_round_plain_number_allows_what_rounds_to_it():
    assert rounded_interval(1200, "=") == Interval(1150, 1250, high_closed=False)


def test_an_unrounded_plain_number_allows_only_itself():
    assert rounded_interval(1143, "=") == Interval(1143, 1143)


def test_about_a_one_digit_number_allows_its_rounding_range():
    assert rounded_interval(30000, "~") == Interval(25000, 35000)


def test_open_ends_do_not_touch():
    assert not interval(32000, ">").overlaps(interval(33000, "="))
    assert interval(32000, ">").overlaps(interval(32999, "="))


def test_intervals_read_in_words():
    assert str(interval(32000, ">")) == "above 32,000 and below 33,000"
    assert str(interval(1200, "~")) == "1,140 to 1,260"
    assert str(interval(250, "<=")) == "at most 250"
    assert str(interval(32916, "=")) == "exactly 32,916"


# --- classify_pair: one pair per classification -----------------------------------------------

def test_consistent_when_a_bound_holds_the_exact_figure():
    kind, evidence = classify_pair(report(32000, ">"), report(32916, article="wire-2"))
    assert kind == "consistent"
    assert '"more than 32,000"' in evidence and '"32,916"' in evidence


def test_consistent_when_two_articles_state_the_same_bound_and_number():
    kind, evidence = classify_pair(report(32000, ">"), report(32000, ">", article="wire-2"))
    assert kind == "consistent" and "report the same figure" in evidence


def test_rounding_when_about_a_number_holds_the_exact_figure():
    kind, evidence = classify_pair(report(1200, "~", "oct7_killed"),
                                   report(1143, "=", "oct7_killed", article="wire-2"))
    assert kind == "rounding"
    assert "1,140 to 1,260" in evidence and "1,143" in evidence


def test_rounding_when_a_plain_round_number_is_the_exact_figure_rounded():
    kind, _ = classify_pair(report(1200, "=", "oct7_killed"),
                            report(1189, "=", "oct7_killed", article="wire-2"))
    assert kind == "rounding"


def test_time_when_a_running_count_is_larger_in_the_later_report():
    kind, evidence = classify_pair(report(34000, ">", date="2024-04-18", article="late"),
                                   report(32000, ">", date="2024-04-01", article="early"))
    assert kind == "time"
    assert "published 17 days after" in evidence
    assert evidence.index("2024-04-18") < evidence.index("2024-04-01")


def test_time_when_a_falling_count_is_smaller_in_the_later_report():
    kind, evidence = classify_pair(
        report(136, category="hostages_remaining", source="israeli_official", date="2024-01-10"),
        report(129, category="hostages_remaining", source="israeli_official", date="2024-04-18",
               article="wire-2"))
    assert kind == "time" and "hostages_remaining only falls" in evidence


def test_source_when_figures_differ_and_their_attribution_classes_differ():
    kind, evidence = classify_pair(
        report(253, category="hostages_taken", source="israeli_official"),
        report(247, category="hostages_taken", source="none", date="2024-04-18", article="wire-2"))
    assert kind == "source"
    assert "Israeli officials and no source given" in evidence


def test_source_evidence_quotes_how_each_article_words_its_source():
    tallies = reconcile.Report("hostages_taken", 253, "=", "israeli_official",
                               attribution_text="according to Israeli tallies")
    _, evidence = classify_pair(tallies, report(247, category="hostages_taken", source="none"))
    assert evidence.endswith('attributed differently: Israeli officials ("according to Israeli '
                             'tallies") and no source given.')


def test_conflict_when_nothing_explains_the_difference():
    kind, evidence = classify_pair(report(1200, category="oct7_killed"),
                                   report(1400, category="oct7_killed", article="wire-2"))
    assert kind == "conflict"
    assert "oct7_killed is not a running count" in evidence
    assert "both are attributed to Gaza health ministry" in evidence


# --- classify_pair: edge cases and precedence ------------------------------------------------

def test_more_than_against_about_the_same_number_is_rounding():
    kind, _ = classify_pair(report(32000, ">"), report(32000, "~", article="wire-2"))
    assert kind == "rounding"


def test_more_than_against_a_far_lower_about_on_the_same_day_is_a_conflict():
    kind, evidence = classify_pair(report(34000, ">"), report(31000, "~", article="wire-2"))
    assert kind == "conflict" and "both were published the same day" in evidence


def test_a_running_count_that_shrinks_later_is_not_time():
    kind, evidence = classify_pair(report(34000, ">", date="2024-04-18"),
                                   report(32000, ">", date="2024-04-20", article="wire-2"))
    assert kind == "conflict"
    assert "yet the later report is not the larger" in evidence


def test_an_event_count_revised_upwards_later_is_not_time():
    kind, _ = classify_pair(report(1143, category="oct7_killed", date="2024-04-01"),
                            report(1200, category="oct7_killed", date="2024-04-18", article="b"))
    assert kind == "conflict"


def test_a_missing_date_rules_out_time():
    kind, evidence = classify_pair(report(32000, ">", date=None),
                                   report(34000, ">", date="2024-04-18", article="wire-2"))
    assert kind == "conflict"
    assert "a publication date is unknown" in evidence and "date unknown" in evidence


def test_a_missing_date_leaves_a_source_difference_to_explain():
    kind, _ = classify_pair(report(32000, ">", date=None, source="un"),
                            report(34000, ">", date="2024-04-18", article="wire-2"))
    assert kind == "source"


def test_same_outlet_is_classified_like_any_pair_and_named_on_both_sides():
    kind, evidence = classify_pair(report(1200, category="oct7_killed", outlet="Daily Ledger"),
                                   report(1400, category="oct7_killed", outlet="Daily Ledger",
                                          article="wire-2"))
    assert kind == "conflict" and evidence.count("Daily Ledger") == 2


def test_rounding_comes_before_source():
    kind, _ = classify_pair(report(1200, "~", "oct7_killed", source="israeli_official"),
                            report(1143, "=", "oct7_killed", source="none", article="wire-2"))
    assert kind == "rounding"


def test_time_comes_before_source():
    kind, _ = classify_pair(report(32000, ">", date="2024-04-01", source="gaza_moh"),
                            report(34000, ">", date="2024-04-18", source="un", article="wire-2"))
    assert kind == "time"


def test_pairs_can_be_given_as_table_rows():
    row = pd.Series({"category": "gaza_killed", "value": 32000, "bound": ">",
                     "attribution_class": "gaza_moh", "published_date": pd.Timestamp("2024-04-01"),
                     "article_id": "wire-1", "outlet": "Wire"})
    other = {**row.to_dict(), "value": 32916, "bound": "=", "article_id": "wire-2",
             "published_date": "2024-04-02"}
    assert classify_pair(row, other)[0] == "consistent"


def test_figures_of_different_categories_are_not_compared():
    with pytest.raises(ValueError, match="gaza_killed with gaza_injured"):
        classify_pair(report(1), report(1, category="gaza_injured"))


# --- pair_table -------------------------------------------------------------------------------

def tables_of(rows):
    """(figures, articles) tables from rows of
    (article_id, outlet, date, category, value, bound, source)."""
    figures, article_rows = [], {}
    for offset, (article, outlet, date, category, value, bound, source) in enumerate(rows):
        figures.append(records.Figure(article, category, value, bound, source, "", "", offset,
                                      offset + 1, str(value)))
        article_rows[article] = {"article_id": article, "outlet": outlet,
                                 "published_date": date or "", "characters": 1,
                                 "debris_lines": 0}
    return tables.figures_frame(figures), tables.articles_frame(article_rows.values())


STORY = [
    ("reuters-0401", "Reuters", "2024-04-01", "gaza_killed", 32000, ">", "gaza_moh"),
    ("reuters-0401", "Reuters", "2024-04-01", "oct7_killed", 1200, "=", "israeli_official"),
    ("cnn-0401", "CNN", "2024-04-01", "gaza_killed", 32000, ">", "gaza_moh"),
    ("axios-0418", "Axios", "2024-04-18", "gaza_killed", 34000, ">", "gaza_moh"),
    ("axios-0418", "Axios", "2024-04-18", "oct7_killed", 1143, "=", "none"),
]


def test_pair_table_has_the_declared_columns_in_order():
    table = reconcile.pair_table(*tables_of(STORY))
    assert list(table.columns) == ["category", "article_a", "value_a", "bound_a", "article_b",
                                   "value_b", "bound_b", "classification", "evidence"]
    assert dict(table.dtypes.astype(str))["value_a"] == "int64"


def test_pair_table_classifies_the_story():
    table = reconcile.pair_table(*tables_of(STORY))
    assert table[["category", "article_a", "article_b", "classification"]].values.tolist() == [
        ["gaza_killed", "cnn-0401", "axios-0418", "time"],
        ["gaza_killed", "cnn-0401", "reuters-0401", "consistent"],
        ["oct7_killed", "reuters-0401", "axios-0418", "source"],
    ]


def test_pair_table_says_how_many_articles_a_compared_figure_stands_for():
    table = reconcile.pair_table(*tables_of(STORY))
    time_row = table[table["classification"] == "time"].iloc[0]
    assert "2 and 1 articles" in time_row["evidence"]


def test_pair_table_leaves_out_excluded_derivatives():
    table = reconcile.pair_table(*tables_of(STORY), exclude_ids={"cnn-0401"})
    assert "cnn-0401" not in set(table["article_a"]) | set(table["article_b"])
    assert len(table) == 2


def test_pair_table_never_pairs_an_article_with_itself():
    figures, articles = tables_of([
        ("one", "Wire", "2024-04-01", "gaza_killed", 32000, ">", "gaza_moh"),
        ("one", "Wire", "2024-04-01", "gaza_killed", 32782, "=", "gaza_moh"),
    ])
    assert reconcile.pair_table(figures, articles).empty


def test_pair_table_pairs_each_repeat_of_a_figure_once_with_the_first():
    rows = [(f"wire-{i:02d}", "Wire", "2024-04-01", "gaza_killed", 32000, ">", "gaza_moh")
            for i in range(30)]
    table = reconcile.pair_table(*tables_of(rows))
    assert len(table) == 29
    assert set(table["article_a"]) == {"wire-00"}


def test_pair_table_compares_dates_only_within_the_neighbouring_publication_dates():
    days = ["2024-04-01", "2024-04-02", "2024-04-03", "2024-04-04"]
    rows = [(f"a-{day}", "Wire", day, "gaza_killed", 32000 + 100 * n, "=", "gaza_moh")
            for n, day in enumerate(days)]
    table = reconcile.pair_table(*tables_of(rows))
    pairs = set(zip(table["article_a"], table["article_b"]))
    assert ("a-2024-04-01", "a-2024-04-03") in pairs
    assert ("a-2024-04-01", "a-2024-04-04") not in pairs
    assert len(pairs) == 5


def test_pair_table_compares_undated_figures_with_the_most_reported_of_their_category():
    figures, articles = tables_of([
        ("dated", "Wire", "2024-04-01", "gaza_killed", 32000, ">", "gaza_moh"),
        ("undated-1", "Blog", None, "gaza_killed", 34000, ">", "gaza_moh"),
        ("undated-2", "Blog", None, "gaza_killed", 31000, ">", "gaza_moh"),
    ])
    table = reconcile.pair_table(figures, articles)
    assert table[["article_a", "article_b", "classification"]].values.tolist() == [
        ["dated", "undated-1", "conflict"],
        ["dated", "undated-2", "conflict"],
        ["undated-1", "undated-2", "conflict"],
    ]
    assert "a publication date is unknown" in table["evidence"].iloc[0]


def test_pair_table_compares_period_counts_only_on_the_same_day():
    figures, articles = tables_of([
        ("monday", "Wire", "2024-04-01", "daily_killed", 63, "=", "gaza_moh"),
        ("tuesday", "Wire", "2024-04-02", "daily_killed", 71, "=", "gaza_moh"),
    ])
    assert reconcile.pair_table(figures, articles).empty


def test_pair_table_does_not_pair_other_casualty_counts():
    figures, articles = tables_of([
        ("one", "Wire", "2024-04-01", "other_casualty", 7, "=", "other"),
        ("two", "Wire", "2024-04-01", "other_casualty", 140, "=", "other"),
    ])
    assert reconcile.pair_table(figures, articles).empty


# --- independent counts -----------------------------------------------------------------------

def test_independent_counts_leave_derivatives_out():
    figures, articles = tables_of(STORY)
    counts = reconcile.independent_counts(figures, articles, exclude_ids={"cnn-0401"})
    row = counts[(counts["category"] == "gaza_killed") & (counts["value"] == 32000)].iloc[0]
    assert (row["articles"], row["independent_articles"], row["independent_outlets"]) == (2, 1, 1)


# --- the official series ----------------------------------------------------------------------

SERIES_ROWS = [
    {"report_date": "2024-03-31", "killed_cum": 32782, "ext_killed_cum": 32782,
     "injured_cum": 75298, "ext_injured_cum": 75298},
    {"report_date": "2024-04-01", "killed_cum": 32845, "ext_killed_cum": 32845,
     "injured_cum": 75392, "ext_injured_cum": 75392},
    {"report_date": "2024-04-18", "ext_killed_cum": 33970,
     "injured_cum": 76770, "ext_injured_cum": 76770},
    {"report_date": "2024-04-19", "killed_cum": 34012, "ext_killed_cum": 34012,
     "injured_cum": 76833, "ext_injured_cum": 76833},
]


@pytest.fixture
def series(tmp_path):
    path = tmp_path / "series.json"
    path.write_text(json.dumps(SERIES_ROWS), encoding="utf-8")
    return reference.load(path)


CHECKED = [
    ("early", "Wire", "2024-04-01", "gaza_killed", 32000, ">", "gaza_moh"),
    ("stale", "Daily", "2024-04-01", "gaza_killed", 32782, "=", "gaza_moh"),
    ("ahead", "Axios", "2024-04-18", "gaza_killed", 34000, ">", "gaza_moh"),
    ("ahead", "Axios", "2024-04-18", "oct7_killed", 1143, "=", "none"),
]


def checked_row(table, article):
    return table[table["article_id"] == article].iloc[0]


def test_official_check_covers_gaza_killed_and_injured_only(series):
    table = reconcile.official_check(*tables_of(CHECKED), series)
    assert list(table.columns) == list(reconcile.OFFICIAL_SCHEMA)
    assert table["article_id"].tolist() == ["early", "stale", "ahead"]


def test_official_check_gives_the_count_of_the_date_and_the_difference(series):
    row = checked_row(reconcile.official_check(*tables_of(CHECKED), series), "stale")
    assert (row["official_value"], row["difference"], row["official_field"]) == (
        32845, -63, "killed_cum")


def test_official_check_lag_is_the_age_of_the_quoted_count(series):
    table = reconcile.official_check(*tables_of(CHECKED), series)
    assert checked_row(table, "stale")["lag_days"] == 1
    assert checked_row(table, "early")["lag_days"] == 0


def test_official_check_flags_a_report_above_the_count_of_its_date(series):
    row = checked_row(reconcile.official_check(*tables_of(CHECKED), series), "ahead")
    assert row["above_official"]
    assert (row["official_value"], row["official_field"]) == (33970, "ext_killed_cum")
    assert row["lag_days"] == -1


def test_official_check_lag_is_empty_when_no_official_count_matches(series):
    figures, articles = tables_of(
        [("odd", "Wire", "2024-04-19", "gaza_killed", 40000, ">", "none")])
    row = reconcile.official_check(figures, articles, series).iloc[0]
    assert row["official_value"] == 34012 and pd.isna(row["lag_days"]) and row["above_official"]


def test_official_check_without_a_series_leaves_the_official_columns_empty():
    table = reconcile.official_check(*tables_of(CHECKED), None)
    assert len(table) == 3
    assert table[["official_value", "difference", "lag_days", "above_official"]].isna().all().all()


def test_official_check_of_an_undated_article_has_no_official_count(series):
    figures, articles = tables_of(
        [("undated", "Blog", None, "gaza_killed", 32000, ">", "gaza_moh")])
    row = reconcile.official_check(figures, articles, series).iloc[0]
    assert pd.isna(row["official_value"]) and pd.isna(row["lag_days"])


@needs_shared_series
def test_official_check_against_the_shared_copy():
    table = reconcile.official_check(*tables_of(CHECKED), reference.load(SHARED_SERIES))
    early, ahead = checked_row(table, "early"), checked_row(table, "ahead")
    def checked(row):
        return row["official_value"], row["lag_days"], row["above_official"]

    assert checked(early) == (32845, 0, False)
    assert checked(ahead) == (33970, -1, True)


# --- properties -------------------------------------------------------------------------------

reports = st.builds(
    Report,
    category=st.sampled_from(["gaza_killed", "oct7_killed", "hostages_remaining"]),
    value=st.integers(0, 2_000_000),
    bound=st.sampled_from(["=", ">", ">=", "~", "<", "<="]),
    attribution_class=st.sampled_from(["gaza_moh", "israeli_official", "none"]),
    published_date=st.one_of(st.none(), st.dates(dt.date(2023, 10, 7), dt.date(2024, 12, 31))),
    article_id=st.sampled_from(["a", "b"]),
)


@given(reports, reports)
def test_the_classification_does_not_depend_on_the_order_of_the_pair(a, b):
    b = Report(a.category, b.value, b.bound, b.attribution_class, b.published_date, b.article_id)
    assert classify_pair(a, b)[0] == classify_pair(b, a)[0]


@given(reports)
def test_every_figure_is_consistent_with_itself(a):
    assert classify_pair(a, a)[0] == "consistent"


def test_pair_table_at_scale_compares_each_figure_with_the_most_reported_of_its_window():
    popular = [(f"wire-{i}", "Wire", "2024-04-01", "gaza_killed", 32000, ">", "gaza_moh")
               for i in range(3)]
    rare = [(f"blog-{v}", "Blog", "2024-04-01", "gaza_killed", v, "=", "gaza_moh")
            for v in range(32100, 32700, 100)]  # six figures one article each
    table = reconcile.pair_table(*tables_of(popular + rare))
    pairs = {frozenset(pair) for pair in zip(table["article_a"], table["article_b"])}
    assert all({"wire-0", article} in pairs for article, *_ in rare)
    # The two rare figures outside the five most reported are not compared with each other.
    assert {"blog-32500", "blog-32600"} not in pairs
    assert len(table) == 2 + 20


# --- command line -----------------------------------------------------------------------------

HARBOUR = """Ceasefire talks stall as Rafah waits

Negotiators left Cairo on Tuesday without an agreement, officials said.

The Gaza health ministry said more than 32,000 people have been killed in the territory since
the war began.
"""
LEDGER = """Aid convoys reach the north

Trucks carrying flour crossed into northern Gaza on Friday.

More than 34,000 Palestinians have been killed, according to the health ministry in Gaza.
"""
MANIFEST = """id,url,outlet,published_date
harbour-0402,https://example.org/harbour-0402,Harbour Times,2024-04-02
ledger-0419,https://example.org/ledger-0419,The Ledger,2024-04-19
"""


@pytest.fixture
def small_corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "harbour-0402.txt").write_text(HARBOUR, encoding="utf-8")
    (folder / "ledger-0419.txt").write_text(LEDGER, encoding="utf-8")
    (folder / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    return folder


def run_cli(*arguments) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", *map(str, arguments)],
                          check=False, capture_output=True, text=True, timeout=120)


def test_cli_reconcile_writes_the_pair_table_as_csv(small_corpus):
    done = run_cli("reconcile", small_corpus)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert list(rows[0]) == list(reconcile.PAIR_SCHEMA)
    assert [(r["category"], r["article_a"], r["article_b"], r["classification"]) for r in rows] == [
        ("gaza_killed", "harbour-0402", "ledger-0419", "time")]


def test_cli_reconcile_official_checks_against_the_series_as_jsonl(small_corpus, tmp_path):
    series = tmp_path / "series.json"
    series.write_text(json.dumps(SERIES_ROWS), encoding="utf-8")
    done = run_cli("reconcile", small_corpus, "--official", "--reference", series,
                   "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    checked = [(r["article_id"], r["official_value"], r["lag_days"], r["above_official"])
               for r in rows]
    assert checked == [("harbour-0402", 32845, 1, False), ("ledger-0419", 34012, 0, False)]
    assert rows[0]["published_date"] == "2024-04-02" and rows[0]["official_date"] == "2024-04-01"


def test_pair_table_with_the_series_gives_the_official_count_of_each_date(series):
    figures, articles = tables_of(CHECKED)
    table = reconcile.pair_table(figures, articles, series=series)
    toll = table[(table["category"] == "gaza_killed") & (table["article_b"] == "ahead")]
    assert toll["evidence"].str.endswith(
        "The official series counted 32,845 on 2024-04-01 and 33,970 on 2024-04-18.").all()
    assert not table.loc[table["category"] == "oct7_killed", "evidence"].str.contains("official series").any()


def test_cli_reconcile_with_a_reference_cites_the_series_in_the_pair_table(small_corpus, tmp_path):
    series = tmp_path / "series.json"
    series.write_text(json.dumps(SERIES_ROWS), encoding="utf-8")
    done = run_cli("reconcile", small_corpus, "--reference", series)
    assert done.returncode == 0, done.stderr
    (row,) = csv.DictReader(io.StringIO(done.stdout))
    assert row["classification"] == "time"
    assert row["evidence"].endswith("The official series counted 32,845 on 2024-04-01 and 34,012 on 2024-04-19.")


@pytest.mark.skipif(paths.REFERENCE_FILE.is_file(),
                    reason=f"a fetched series is the default here: {paths.REFERENCE_FILE}")
def test_cli_reconcile_official_without_a_series_says_so_and_leaves_columns_empty(small_corpus):
    done = run_cli("reconcile", small_corpus, "--official")
    assert done.returncode == 0, done.stderr
    assert "no official series" in done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 2 and {r["official_value"] for r in rows} == {""}


def test_cli_reconcile_names_an_unreadable_file_and_keeps_the_rest(small_corpus):
    (small_corpus / "broken.txt").write_bytes(b"\x00\x01\x02" * 50)
    done = run_cli("reconcile", small_corpus)
    assert done.returncode == 1
    assert "broken.txt" in done.stderr
    assert "harbour-0402,32000" in done.stdout


# --- what notebook 06 shows -------------------------------------------------------------------

def test_classification_counts_give_every_class_in_precedence_order():
    counts = reconcile.classification_counts(reconcile.pair_table(*tables_of(STORY)))
    assert list(counts.columns) == ["consistent", "rounding", "time", "source", "conflict"]
    assert counts.loc["gaza_killed"].tolist() == [1, 0, 1, 0, 0]
    assert counts.loc["oct7_killed"].tolist() == [0, 0, 0, 1, 0]


def test_lag_by_outlet_keeps_reports_whose_age_is_known_and_names_unknown_outlets(series):
    rows = CHECKED + [("anonymous", "", "2024-04-01", "gaza_killed", 32782, "=", "none"),
                      ("undated", "Blog", None, "gaza_killed", 32000, ">", "gaza_moh")]
    check = reconcile.official_check(*tables_of(rows), series)
    lags = reconcile.lag_by_outlet(check, unknown_outlet="(outlet unknown)")
    assert list(lags.columns) == list(reconcile.LAG_SCHEMA)
    assert lags[["outlet", "article_id", "lag_days"]].values.tolist() == [
        ["(outlet unknown)", "anonymous", 1], ["Axios", "ahead", -1], ["Daily", "stale", 1],
        ["Wire", "early", 0]]


def test_lag_by_outlet_is_empty_without_a_series():
    check = reconcile.official_check(*tables_of(CHECKED), None)
    assert reconcile.lag_by_outlet(check).empty


class Pair:
    def __init__(self, original, derivative, similarity, quality_original, quality_derivative):
        self.original, self.derivative, self.similarity = original, derivative, similarity
        self.quality_original, self.quality_derivative = quality_original, quality_derivative


def test_copies_frame_lists_each_copy_pair():
    frame = reconcile.copies_frame([Pair("cnn-0401", "cnn-0401-retold", 0.65, 1.0, 0.49)])
    assert frame.values.tolist() == [["cnn-0401", "cnn-0401-retold", 0.65, 1.0, 0.49]]
    assert list(frame.columns) == list(reconcile.COPIES_SCHEMA)


RETOLD = """Aid convoys finally reach the north

Flour trucks crossed into northern Gaza on Friday, aid agencies reported.

More than 34,000 Palestinians have been killed, according to the health ministry in Gaza.

The convoys waited at the crossing for eleven hours before soldiers waved them through.

Drivers described crowds gathering along the coastal road as the trucks approached the city.
"""


def test_corpus_copies_finds_a_retold_article_among_the_kept_ones(small_corpus):
    (small_corpus / "ledger-0419.txt").write_text(RETOLD, encoding="utf-8")
    retold = RETOLD.replace("finally ", "").replace("aid agencies reported", "agencies said")
    (small_corpus / "echo-0420.txt").write_text(retold, encoding="utf-8")
    found = reconcile.corpus_copies([small_corpus])
    assert [(p.original, p.derivative) for p in found] == [("ledger-0419", "echo-0420")]
    assert reconcile.corpus_copies([small_corpus], article_ids=["harbour-0402", "echo-0420"]) == []


# --- the seeds --------------------------------------------------------------------------------

# Publication dates and outlets of the seed articles (facts about them; the texts state few).
SEEDS_MANIFEST = """id,url,outlet,published_date
000_bd0af76679971a63,,Reuters,2024-04-01
001_61d1ee31a07849de,,,2024-04-18
002_3e43536d6c17f217,,CNN,2024-04-01
003_f12e7e2f4e6ab07a,,The Epoch Times,2024-04-01
004_a183fa05ace4f895,,CNN,2024-04-01
"""


@pytest.fixture(scope="module")
def seed_pairs(tmp_path_factory):
    manifest = tmp_path_factory.mktemp("seeds") / "manifest.csv"
    manifest.write_text(SEEDS_MANIFEST, encoding="utf-8")
    corpus = tables.corpus_tables([paths.SEEDS], manifest)
    derived = copies.derived_ids(reconcile.corpus_copies([paths.SEEDS], manifest))
    return derived, reconcile.pair_table(corpus.figures, corpus.articles, exclude_ids=derived)


def seed_rows(pairs, category, *articles):
    rows = pairs[pairs["category"] == category]
    return rows[rows["article_a"].isin(articles) & rows["article_b"].isin(articles)]


def test_seeds_the_retranslated_article_is_a_derivative_and_takes_no_part(seed_pairs):
    derived, pairs = seed_pairs
    assert derived == {"004_a183fa05ace4f895"}
    assert "004_a183fa05ace4f895" not in set(pairs["article_a"]) | set(pairs["article_b"])


def test_seeds_the_first_of_april_tolls_and_the_eighteenth_differ_by_time(seed_pairs):
    _, pairs = seed_pairs
    tolls = pairs[pairs["category"] == "gaza_killed"]
    first_of_april = seed_rows(pairs, "gaza_killed", "000_bd0af76679971a63", "002_3e43536d6c17f217")
    against_later = tolls[tolls["article_b"] == "001_61d1ee31a07849de"]
    # 000 and 002 state the same figure on the same day: one group, compared once with 001.
    assert first_of_april["classification"].tolist() == ["consistent"]
    assert len(against_later) == 1 and against_later["classification"].tolist() == ["time"]
    assert "2 and 1 articles" in against_later["evidence"].iloc[0]
    assert "conflict" not in set(tolls["classification"])


def test_seeds_253_and_247_hostages_differ_by_source(seed_pairs):
    _, pairs = seed_pairs
    row = seed_rows(pairs, "hostages_taken", "000_bd0af76679971a63", "001_61d1ee31a07849de").iloc[0]
    assert (row["value_a"], row["value_b"], row["classification"]) == (253, 247, "source")
    assert ('Israeli officials ("according to Israeli tallies") and no source given'
            in row["evidence"])


def test_seeds_1200_and_1143_killed_on_7_october_differ_by_source(seed_pairs):
    _, pairs = seed_pairs
    row = seed_rows(pairs, "oct7_killed", "000_bd0af76679971a63", "001_61d1ee31a07849de").iloc[0]
    assert (row["value_a"], row["value_b"], row["classification"]) == (1200, 1143, "source")
    assert ('Israeli officials ("according to Israeli tallies") and no source given'
            in row["evidence"])


def test_intervals_with_fractional_ends_read_as_the_whole_counts_inside():
    assert str(interval(250, "~")) == "238 to 262"


@given(st.integers(0, 10**7), st.sampled_from(["=", ">", ">=", "~", "<", "<="]))
def test_every_interval_reads_in_words(value, bound):
    assert str(interval(value, bound)) and str(rounded_interval(value, bound))
