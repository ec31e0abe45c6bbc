"""Views: the tables notebooks show, built from hand-made records of our own."""

from __future__ import annotations

import datetime

import pandas as pd
import pytest

from helpers import people, reconcile, records, reference, tables, views
from helpers.records import Figure


def figure(article_id, category, value, bound, source, sentence, surface, start):
    return Figure(article_id, category, value, bound, source, "", sentence, start,
                  start + len(surface), surface)


TOLL_1 = "The ministry said more than 30,000 people had been killed."
TOLL_2 = "Nearly 31,000 people have been killed, health officials say."
HOSTAGES = "Israel says 240 hostages were taken and 240 more are feared missing."
OCT7 = "Gunmen killed 1,200 people, Israeli tallies show."


@pytest.fixture()
def corpus() -> tables.CorpusTables:
    articles = tables.articles_frame([
        {"article_id": "a-wire", "outlet": "Northern Wire", "outlet_source": "manifest",
         "published_date": "2024-02-28", "date_source": "manifest", "title": "Toll passes 30,000",
         "characters": 900, "encoding": "utf-8", "debris_lines": 1, "path": "/corpus/a-wire.txt", "url": ""},
        {"article_id": "b-gulf", "outlet": "Gulf <Report>", "outlet_source": "stated",
         "published_date": "2024-03-10", "date_source": "stated", "title": "Rafah fears",
         "characters": 700, "encoding": "utf-8", "debris_lines": 0, "path": "/corpus/b-gulf.txt", "url": ""},
        {"article_id": "c-blog", "outlet": "", "outlet_source": "unknown", "published_date": "",
         "date_source": "unknown", "title": "", "characters": 400, "encoding": "utf-8",
         "debris_lines": 2, "path": "/corpus/c-blog.txt", "url": ""},
    ])
    figures = tables.figures_frame([
        figure("a-wire", "gaza_killed", 30000, ">", "gaza_moh", TOLL_1, "more than 30,000", 18),
        figure("a-wire", "oct7_killed", 1200, "=", "israeli_official", OCT7, "1,200", 300),
        figure("b-gulf", "gaza_killed", 31000, "~", "gaza_moh", TOLL_2, "Nearly 31,000", 0),
        figure("c-blog", "hostages_taken", 240, "=", "israeli_official", HOSTAGES, "240", 12),
        figure("c-blog", "hostages_taken", 240, "=", "none", HOSTAGES, "240", 40),
    ])
    problems = pd.DataFrame({"path": ["/corpus/scan.txt"], "reason": ["binary file"]}, dtype="string")
    return tables.CorpusTables(articles=articles, figures=figures, problems=problems)


@pytest.fixture()
def series() -> pd.DataFrame:
    days = pd.date_range("2024-02-20", "2024-03-20")
    counts = [29500 + 100 * i for i in range(len(days))]
    return pd.DataFrame({"date": days, "killed_cum": counts, "injured_cum": counts,
                         "ext_killed_cum": counts, "ext_injured_cum": counts,
                         "report_source": "mohtel"}).astype(reference.SERIES_SCHEMA)


def test_cut_at_leaves_out_articles_published_later_and_keeps_undated_ones(corpus):
    cut = views.cut_at(corpus, datetime.date(2024, 3, 1))
    assert list(cut.articles["article_id"]) == ["a-wire", "c-blog"]
    assert sorted(set(cut.figures["article_id"])) == ["a-wire", "c-blog"]
    assert views.cut_at(corpus, None) is corpus


def test_with_articles_names_an_unknown_outlet(corpus):
    joined = views.with_articles(corpus)
    assert list(joined["outlet"]) == ["Northern Wire", "Northern Wire", "Gulf <Report>",
                                      views.UNKNOWN_OUTLET, views.UNKNOWN_OUTLET]


def test_corpus_summary_counts_what_a_reader_asks_first(corpus):
    assert views.corpus_summary(corpus) == (
        "3 articles from 2 named outlets, published between 2024-02-28 and 2024-03-10; "
        "1 without a date, 1 without an outlet; 1 file could not be read or had bad lines; 5 figure mentions.")


def test_articles_overview_shows_paths_and_unknowns_for_people(corpus):
    overview = views.articles_overview(corpus.articles)
    assert list(overview.loc[2, ["outlet", "published", "debris lines"]]) == [
        views.UNKNOWN_OUTLET, views.UNKNOWN_DATE, 2]
    assert overview.loc[0, "file"] == "/corpus/a-wire.txt"


def test_outlets_overview_gives_counts_and_date_range(corpus):
    overview = views.outlets_overview(corpus.articles)
    assert overview.to_dict("records")[1] == {
        "outlet": "Gulf <Report>", "articles": 1, "first published": "2024-03-10",
        "last published": "2024-03-10"}


def test_category_counts_follow_the_contract_order_with_labels(corpus):
    counts = views.category_counts(corpus.figures)
    assert list(counts.index) == ["Killed in Gaza (cumulative)", "Killed in Israel on 7 October",
                                  "Hostages taken on 7 October"]
    assert list(counts.columns) == ["Gaza health ministry", "Israeli officials", "no source given"]
    assert counts.loc["Hostages taken on 7 October"].tolist() == [0, 1, 1]
    assert views.category_summary(counts) == (
        "5 figure mentions in 3 categories; the most frequent is killed in gaza (cumulative) (2); "
        "1 mention gives no source.")


def test_reports_of_a_category_run_by_publication_date(corpus):
    joined = views.with_articles(corpus)
    reports = views.reports_of(joined, "gaza_killed")
    assert list(reports["value"]) == [30000, 31000]
    assert list(views.reports_overview(reports)["source"]) == ["Gaza health ministry"] * 2


def test_the_official_line_covers_the_reports_with_a_margin_and_stops_at_as_of(corpus, series):
    reports = views.reports_of(views.with_articles(corpus), "gaza_killed")
    line = views.official_line(series, reports, "killed", None, margin_days=3)
    assert (line["date"].min(), line["date"].max()) == (pd.Timestamp("2024-02-25"), pd.Timestamp("2024-03-13"))
    capped = views.official_line(series, reports, "killed", datetime.date(2024, 3, 5), margin_days=3)
    assert capped["date"].max() == pd.Timestamp("2024-03-05")
    assert views.official_line(None, reports, "killed", None) is None


def test_each_report_is_set_against_the_official_count_of_its_date(corpus, series):
    check = reconcile.official_check(corpus.figures, corpus.articles, series)
    comparison = views.official_comparison(check, "gaza_killed")
    assert list(comparison["reported"]) == ["more than 30,000", "about 31,000"]
    assert list(comparison["official count"]) == [30300, 31400]
    assert list(comparison["difference"]) == [-300, -400]
    assert views.official_summary(comparison, series).startswith(
        "2 of 2 reports could be set against the official count of their publication date")


def test_without_a_series_the_summary_says_the_official_line_is_missing(corpus):
    check = reconcile.official_check(corpus.figures, corpus.articles, None)
    comparison = views.official_comparison(check, "gaza_killed")
    assert views.official_summary(comparison, None) == views.OFFICIAL_MISSING


def test_by_outlet_orders_by_the_categories_given(corpus):
    rows = views.by_outlet(views.with_articles(corpus), ["hostages_taken", "oct7_killed"])
    assert list(rows["category"]) == ["Hostages taken on 7 October"] * 2 + ["Killed in Israel on 7 October"]
    assert list(rows["source"]) == ["Israeli officials", "no source given", "Israeli officials"]


def test_by_source_lists_the_figures_each_source_stands_behind(corpus):
    table = views.by_source(views.with_articles(corpus), ["hostages_taken"])
    assert table.to_dict("records") == [
        {"category": "Hostages taken on 7 October", "source": "Israeli officials",
         "figures reported": "240", "articles": 1, "outlets": 0, "copies left out": 0},
        {"category": "Hostages taken on 7 October", "source": "no source given",
         "figures reported": "240", "articles": 1, "outlets": 0, "copies left out": 0},
    ]


def test_by_source_does_not_count_a_copy_as_an_independent_article(corpus):
    table = views.by_source(views.with_articles(corpus), ["gaza_killed"], derived={"b-gulf"})
    assert table[["figures reported", "articles", "outlets", "copies left out"]].values.tolist() == [
        ["more than 30,000; about 31,000", 1, 1, 1]]


def test_why_they_differ_reads_the_pair_table():
    pairs = pd.DataFrame([
        {"category": "hostages_taken", "article_a": "a", "value_a": 253, "bound_a": "=",
         "article_b": "b", "value_b": 247, "bound_b": "=", "classification": "source",
         "evidence": "253 and 247 come from different sources."},
        {"category": "hostages_taken", "article_a": "a", "value_a": 253, "bound_a": "=",
         "article_b": "c", "value_b": 253, "bound_b": "=", "classification": "consistent",
         "evidence": "same"},
        {"category": "oct7_killed", "article_a": "a", "value_a": 1200, "bound_a": "~",
         "article_b": "b", "value_b": 1200, "bound_b": "=", "classification": "consistent",
         "evidence": "same"},
    ]).astype(reconcile.PAIR_SCHEMA)
    assert views.why_they_differ(pairs, ["hostages_taken", "oct7_killed", "hostages_remaining"]) == [
        ("**Hostages taken on 7 October**: 1 of 2 compared pairs differs (1 source). "
         "Source: 253 and 247 come from different sources."),
        "**Killed in Israel on 7 October**: the one compared pair of reports agrees.",
        "**Hostages still held**: fewer than two articles report it; nothing to compare.",
    ]


def test_highlight_marks_the_number_and_escapes_the_rest():
    assert views.highlight("<b>Over</b> 30,000 & more", "30,000") == (
        "&lt;b&gt;Over&lt;/b&gt; <mark>30,000</mark> &amp; more")


def test_highlight_marks_the_requested_appearance():
    assert views.highlight("240 taken, 240 missing", "240", 1) == "240 taken, <mark>240</mark> missing"


def test_highlight_leaves_a_sentence_plain_when_the_number_is_not_in_it():
    assert views.highlight("cut off <here", "1,200") == "cut off &lt;here"


def test_two_figures_with_the_same_wording_in_one_sentence_each_get_their_own(corpus):
    rows = views.sentence_rows(views.with_articles(corpus), category="hostages_taken")
    assert list(rows["sentence"]) == [
        "Israel says <mark>240</mark> hostages were taken and 240 more are feared missing.",
        "Israel says 240 hostages were taken and <mark>240</mark> more are feared missing.",
    ]


def test_sentence_rows_filter_by_outlet_and_source(corpus):
    joined = views.with_articles(corpus)
    assert list(views.sentence_rows(joined, outlet="Gulf <Report>")["article"]) == ["b-gulf"]
    assert list(views.sentence_rows(joined, source="none")["article"]) == ["c-blog"]


def test_the_sentence_table_escapes_article_text_and_says_when_it_is_cut(corpus):
    rows = views.sentence_rows(views.with_articles(corpus))
    page = views.sentences_html(rows, limit=3)
    assert "Gulf &lt;Report&gt;" in page and "Gulf <Report>" not in page
    assert page.count("<tr>") == 4  # the header and three rows
    assert "Showing 3 of 5 figures" in page


def test_choices_offer_any_then_what_the_corpus_holds(corpus):
    options = views.choices(views.with_articles(corpus))
    assert options["category"][0] == ("any", "")
    assert ("Hostages taken on 7 October", "hostages_taken") in options["category"]
    assert [value for _, value in options["outlet"]] == ["", "(outlet unknown)", "Gulf <Report>", "Northern Wire"]


def test_figures_are_written_only_where_asked(corpus, tmp_path):
    assert views.write_figures(corpus.figures, None).startswith("No output_dir given")
    assert views.write_figures(corpus.figures, tmp_path) == (
        "Wrote 5 figure records to figures.csv and figures.parquet.")
    assert pd.read_parquet(tmp_path / "figures.parquet").equals(corpus.figures)
    assert len(pd.read_csv(tmp_path / "figures.csv")) == 5


def test_evidence_naming_outlets_is_escaped_for_markdown():
    pairs = pd.DataFrame([{
        "category": "oct7_killed", "article_a": "a", "value_a": 1200, "bound_a": "=",
        "article_b": "b", "value_b": 1139, "bound_b": "=", "classification": "conflict",
        "evidence": 'says <img src=x onerror="alert(1)">'}]).astype(reconcile.PAIR_SCHEMA)
    [paragraph] = views.why_they_differ(pairs, ["oct7_killed"])
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in paragraph and "<img" not in paragraph


def test_corpus_text_in_a_markdown_sentence_makes_no_markup_and_no_link():
    assert views.markdown_text('<b>Wire</b> [x](javascript:alert(1)) *a_b*') == (
        "&lt;b&gt;Wire&lt;/b&gt; \\[x\\](javascript:alert(1)) \\*a\\_b\\*")


def test_the_toll_sentence_escapes_an_outlet_named_in_markup(corpus):
    joined = views.with_articles(corpus)
    joined["outlet"] = "<script>alert(1)</script>"
    summary = views.toll_summary(views.reports_of(joined, "gaza_killed"))
    assert "<script>" not in summary and "&lt;script&gt;" in summary


class Pair:
    def __init__(self, original, derivative, similarity, quality_original, quality_derivative):
        self.original, self.derivative, self.similarity = original, derivative, similarity
        self.quality_original, self.quality_derivative = quality_original, quality_derivative


def test_copies_summary_names_derivatives_and_says_they_are_not_counted():
    summary = views.copies_summary([Pair("cnn-0401", "cnn-0401-retold", 0.65, 1.0, 0.49)])
    assert summary.startswith("1 article is derived from another: cnn-0401-retold retells cnn-0401")
    assert "65% of its sentences" in summary and "left out of the pair table" in summary


def test_copies_summary_escapes_article_ids_made_of_markup():
    summary = views.copies_summary([Pair("<img src=x>", "copy_of_it", 0.65, 1.0, 0.49)])
    assert "copy\\_of\\_it retells &lt;img src=x&gt;" in summary


def test_copies_summary_without_copies_says_every_article_counts():
    assert "every article counts" in views.copies_summary([])


def test_the_official_summary_gives_one_age_when_all_quoted_counts_are_as_old(corpus, series):
    check = reconcile.official_check(corpus.figures, corpus.articles, series)
    comparison = views.official_comparison(check, "gaza_killed")
    comparison["quoted count's age (days)"] = pd.array([3, 3], dtype="Int64")
    assert views.official_summary(comparison, series).endswith("the quoted counts were 3 days old when published.")


def pair(classification: str, evidence: str, value_b: int = 247) -> dict:
    return {"category": "hostages_taken", "article_a": "a", "value_a": 253, "bound_a": "=",
            "article_b": "b", "value_b": value_b, "bound_b": "=",
            "classification": classification, "evidence": evidence}


def test_why_they_differ_shows_a_conflict_first_then_one_pair_of_each_other_kind():
    pairs = pd.DataFrame([pair("rounding", "R1", 250), pair("source", "S1"), pair("source", "S2"),
                          pair("conflict", "C1", 240)]).astype(reconcile.PAIR_SCHEMA)
    [paragraph] = views.why_they_differ(pairs, ["hostages_taken"])
    assert paragraph.endswith("(1 rounding, 2 source, 1 conflict). Conflict: C1 Source: S1 "
                              "Rounding: R1")


def test_the_problems_sentence_says_what_was_left_out_or_that_all_was_read(corpus):
    assert views.problems_summary(corpus.problems).startswith("1 problem in 1 file, listed above")
    assert views.problems_summary(corpus.problems.iloc[0:0]) == "Every file was read."


def test_toll_summary_reads_the_move_from_the_first_dated_report_to_the_last(corpus):
    joined = views.with_articles(corpus)
    joined.loc[joined["article_id"] == "c-blog", "category"] = "gaza_killed"
    assert views.toll_summary(views.reports_of(joined, "gaza_killed")) == (
        'From the first dated report to the last, the reported figure went from "more than '
        '30,000" (Northern Wire, 2024-02-28) to "about 31,000" (Gulf &lt;Report&gt;, 2024-03-10); '
        "2 reports have no publication date and cannot be placed on the chart.")


def test_without_a_series_the_official_table_shows_the_reported_figures_alone(corpus):
    check = reconcile.official_check(corpus.figures, corpus.articles, None)
    table = views.official_table(views.official_comparison(check, "gaza_killed"))
    assert list(table.columns) == ["published", "outlet", "reported", "article"]


def test_the_official_table_leaves_unknown_values_blank(corpus, series):
    corpus.articles.loc[1, "published_date"] = pd.NaT
    check = reconcile.official_check(corpus.figures, corpus.articles, series)
    table = views.official_table(views.official_comparison(check, "gaza_killed"))
    assert table.loc[1, ["official count", "difference", "above official"]].tolist() == ["", "", ""]
    assert table.loc[0, "official count"] == 30300


def test_the_official_summary_says_when_a_report_ran_ahead_of_the_series(corpus, series):
    check = reconcile.official_check(corpus.figures, corpus.articles, series)
    comparison = views.official_comparison(check, "gaza_killed")
    comparison["quoted count's age (days)"] = pd.array([0, -2], dtype="Int64")
    assert views.official_summary(comparison, series).endswith(
        "the quoted counts were 0 days old when published; 1 report was ahead of the series, "
        "which showed the count quoted only 2 days later.")


def test_pairs_overview_gives_each_figure_in_words():
    pairs = pd.DataFrame([pair("source", "S")]).astype(reconcile.PAIR_SCHEMA)
    row = views.pairs_overview(pairs).iloc[0]
    assert (row["category"], row["figure a"], row["figure b"]) == (
        "Hostages taken on 7 October", "253", "247")


def test_support_summary_names_the_best_supported_figure_and_what_copies_would_add():
    support = pd.DataFrame([
        {"category": "gaza_killed", "value": 32000, "bound": ">", "attribution_class": "gaza_moh",
         "articles": 3, "independent_articles": 2, "independent_outlets": 2},
        {"category": "gaza_killed", "value": 33000, "bound": "~", "attribution_class": "none",
         "articles": 1, "independent_articles": 0, "independent_outlets": 0},
    ]).astype(reconcile.SUPPORT_SCHEMA)
    assert views.support_summary(support) == (
        'The figure most independent articles report is "more than 32,000" (killed in gaza '
        "(cumulative), 2 articles); copies would have counted 1 figure more than once and rest "
        "1 figure on a copy alone (its original words it differently).")


def test_lag_points_name_the_figure_as_the_other_views_do(corpus, series):
    check = reconcile.official_check(corpus.figures, corpus.articles, series)
    assert set(views.lag_points(check)["category"]) == {"Killed in Gaza (cumulative)"}


def test_people_summary_lists_the_spellings_merged_into_one_person():
    named = people.people_table([records.Article(
        "a1", "a1.txt", "Military spokesman Daniel Hagary spoke. Daniel Hagari added nothing.")])
    assert views.people_summary(named) == (
        "1 person is named. Spellings read as one person: Daniel Hagary as Daniel Hagari.")


def test_dates_by_article_gives_each_phrase_once_and_sets_unplaced_ones_apart(corpus):
    articles = [
        records.Article("a-wire", "a.txt", "They met on Monday. On Monday again, and last week.",
                        published_date="2024-02-28"),
        records.Article("c-blog", "c.txt", "Families marched yesterday."),
    ]
    table = views.dates_by_article(articles, corpus)
    assert table["dates it mentions"].tolist() == [
        "on Monday = 2024-02-26; On Monday = 2024-02-26; last week = 2024-02-19 to 2024-02-25",
        "not placed without a publication date: yesterday"]
    assert table["outlet"].tolist() == ["Northern Wire", views.UNKNOWN_OUTLET]


def test_quotes_summary_without_shared_quotes_says_so():
    empty = pd.DataFrame(columns=["quote", "article", "outlet", "speaker", "as quoted"])
    assert views.quotes_summary(empty) == "No quote appears in more than one article."


def test_notebooks_reuse_figures_from_the_store_named_by_the_environment(tmp_path, monkeypatch):
    from helpers import figures, notebook_params, paths

    monkeypatch.setenv(paths.STORE_VARIABLE, str(tmp_path / "store"))
    params = notebook_params.resolve(corpus_dir=str(paths.SEEDS))
    first = views.read_corpus(params)

    def no_extraction(article, *args):
        raise AssertionError(f"{article.article_id} extracted again")

    monkeypatch.setattr(figures, "extract_figures", no_extraction)
    assert views.read_corpus(params).figures.equals(first.figures)


def test_an_empty_store_variable_extracts_afresh(monkeypatch):
    from helpers import paths

    monkeypatch.setenv(paths.STORE_VARIABLE, "")
    assert paths.notebook_store() is None


def test_bad_manifest_lines_count_as_one_file():
    problems = pd.DataFrame({"path": ["c/manifest.csv", "c/manifest.csv", "c/blob.txt"],
                             "reason": ["line 3: bad date", "line 4: repeated id", "binary file"]})
    assert views.problems_summary(problems).startswith("3 problems in 2 files")
