"""Charts: titled, labelled with units, a source line, bounds drawn apart, given data only."""

from __future__ import annotations

import io

import matplotlib.colors as mcolors
import pandas as pd
import pytest
from matplotlib.figure import Figure

from helpers import charts

SOURCE = "figures extracted by Tallies from 3 articles"


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def markers(ax) -> list[tuple[str, bool]]:
    """(marker, filled) of every single-point line drawn on the axes."""
    found = []
    for line in ax.get_lines():
        if len(line.get_xdata()) == 1:
            face = mcolors.to_hex(line.get_markerfacecolor())
            found.append((line.get_marker(), face != "#ffffff"))
    return found


def renders(fig: Figure) -> bool:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue().startswith(b"\x89PNG")


@pytest.fixture()
def reports() -> pd.DataFrame:
    return pd.DataFrame({
        "published_date": pd.to_datetime(["2024-03-01", "2024-03-20", "2024-04-02", None]),
        "outlet": ["Northern Wire", "Gulf Report", "Northern Wire", "Gulf Report"],
        "value": [30000, 31500, 33000, 34000],
        "bound": [">", "~", "=", ">"],
    })


@pytest.fixture()
def official() -> pd.DataFrame:
    return pd.DataFrame({"date": pd.date_range("2024-02-25", "2024-04-05"),
                         "value": range(29900, 29900 + 41 * 80, 80)})


def test_reported_vs_official_is_titled_labelled_and_sourced(reports, official):
    fig = charts.reported_vs_official(reports, official, title="Reported toll", ylabel="people killed",
                                      source=SOURCE, missing_note="Official series missing")
    ax = fig.axes[0]
    assert ax.get_title() == "Reported toll"
    assert ax.get_ylabel() == "people killed"
    assert "date" in ax.get_xlabel()
    assert f"Source: {SOURCE}" in texts(fig)
    assert renders(fig)


def test_each_bound_has_its_own_marker_and_undated_reports_are_not_drawn(reports, official):
    fig = charts.reported_vs_official(reports, official, title="t", ylabel="y", source=SOURCE,
                                      missing_note="missing")
    assert markers(fig.axes[0]) == [("^", True), ("D", False), ("o", True)]


def test_the_official_series_is_a_line_through_its_dates(reports, official):
    fig = charts.reported_vs_official(reports, official, title="t", ylabel="y", source=SOURCE,
                                      missing_note="missing")
    lines = [line for line in fig.axes[0].get_lines() if len(line.get_xdata()) > 1]
    assert len(lines) == 1 and list(lines[0].get_ydata()) == list(official["value"])
    assert "official daily count" in texts(fig)


def test_without_a_series_the_chart_says_it_is_missing(reports):
    fig = charts.reported_vs_official(reports, None, title="t", ylabel="y", source=SOURCE,
                                      missing_note="Official series missing")
    assert "Official series missing" in texts(fig)
    assert markers(fig.axes[0]) == [("^", True), ("D", False), ("o", True)]
    assert renders(fig)


def overlap(a, b) -> bool:
    box_a, box_b = a.get_window_extent(), b.get_window_extent()
    return box_a.overlaps(box_b)


def test_the_legend_is_one_box_clear_of_the_title_and_the_source_line(reports, official):
    long_source = (SOURCE + "; official: Gaza Ministry of Health daily reports via Tech for "
                   "Palestine")
    fig = charts.reported_vs_official(reports, official, title="Reported Gaza death toll and the "
                                      "official daily count, by outlet", ylabel="people killed",
                                      source=long_source, missing_note="missing")
    assert renders(fig)  # lays the figure out
    ax = fig.axes[0]
    legend = ax.get_legend()
    headings = [t.get_text() for t in legend.get_texts() if t.get_fontweight() == "bold"]
    assert headings == ["outlet", "bound"]
    assert not overlap(legend, fig._supxlabel) and not overlap(legend, ax.title)


def test_no_reports_at_all_still_gives_a_readable_chart(official):
    empty = pd.DataFrame({"published_date": pd.Series(dtype="datetime64[ns]"), "outlet": [],
                          "value": [], "bound": []})
    fig = charts.reported_vs_official(empty, official, title="t", ylabel="y", source=SOURCE,
                                      missing_note="missing")
    assert "No report of this figure in the corpus" in texts(fig)
    assert renders(fig)


@pytest.fixture()
def by_outlet() -> pd.DataFrame:
    return pd.DataFrame({
        "category": ["Hostages taken", "Hostages taken", "Killed on 7 October"],
        "outlet": ["Radio Desk", "Northern Wire", "Northern Wire"],
        "source": ["no source given", "Israeli officials", "Israeli officials"],
        "value": [250, 240, 1200],
        "bound": ["~", "~", "="],
        "as written": ["around 250", "some 240", "1,200"],
    })


def test_values_by_outlet_draws_one_panel_per_category_in_order(by_outlet):
    fig = charts.values_by_outlet(by_outlet, title="Hostages", xlabel="people", source=SOURCE)
    panels = [ax for ax in fig.axes if ax.get_title(loc="left")]
    assert [ax.get_title(loc="left") for ax in panels] == ["Hostages taken", "Killed on 7 October"]
    assert [t.get_text() for t in panels[0].get_yticklabels()] == ["Northern Wire", "Radio Desk"]
    assert panels[-1].get_xlabel() == "people"


def test_values_by_outlet_labels_each_marker_with_the_number_as_written(by_outlet):
    fig = charts.values_by_outlet(by_outlet, title="Hostages", xlabel="people", source=SOURCE)
    assert {"around 250", "some 240", "1,200", "Hostages", f"Source: {SOURCE}"} <= set(texts(fig))
    assert renders(fig)


def test_values_by_outlet_writes_a_wording_once_and_never_draws_negative_counts(by_outlet):
    repeated = pd.DataFrame({"category": ["Hostages taken"] * 3,
                             "outlet": ["Radio Desk"] * 3,
                             "source": ["no source given", "Gaza health ministry", "none"],
                             "value": [4, 4, 253], "bound": ["="] * 3,
                             "as written": ["Four", "four", "253"]})
    fig = charts.values_by_outlet(repeated, title="t", xlabel="people", source=SOURCE)
    labels = [a.get_text() for a in fig.axes[0].texts]
    assert sorted(labels) == ["253", "Four"]
    assert fig.axes[0].get_xlim()[0] == 0


def test_counts_by_category_stacks_one_segment_per_column():
    counts = pd.DataFrame({"Gaza health ministry": [3, 0], "no source given": [1, 2]},
                          index=["Killed in Gaza", "Hostages taken"])
    fig = charts.counts_by_category(counts, title="Mentions", xlabel="figure mentions (count)",
                                    legend_title="source", source=SOURCE)
    ax = fig.axes[0]
    widths = sorted(round(patch.get_width()) for patch in ax.patches)
    assert widths == [0, 1, 2, 3]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Killed in Gaza", "Hostages taken"]
    assert ax.get_xlabel() == "figure mentions (count)"
    assert {"source", "Gaza health ministry", "no source given"} <= set(texts(fig))


def test_publication_timeline_puts_each_dated_article_on_its_outlets_line():
    articles = pd.DataFrame({"outlet": ["Gulf Report", "Northern Wire", "Gulf Report"],
                             "published_date": pd.to_datetime(["2024-02-29", "2023-11-15", None])})
    fig = charts.publication_timeline(articles, title="Articles", source=SOURCE)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Gulf Report", "Northern Wire"]
    assert sum(len(line.get_xdata()) for line in ax.get_lines()) == 2
    assert ax.get_xlabel() == "publication date"
    assert renders(fig)


@pytest.fixture()
def lags() -> pd.DataFrame:
    return pd.DataFrame({
        "outlet": ["Northern Wire", "Gulf Report", "Northern Wire"],
        "category": ["gaza_killed", "gaza_killed", "gaza_injured"],
        "lag_days": [0, 3, -1],
        "bound": [">", "=", "~"],
    })


def test_lag_by_outlet_puts_each_report_on_its_outlets_line_at_its_lag(lags):
    fig = charts.lag_by_outlet(lags, title="Age of the quoted count", xlabel="days old",
                               source=SOURCE, empty_note="nothing")
    ax = fig.axes[0]
    points = sorted((line.get_xdata()[0], round(line.get_ydata()[0], 2))
                    for line in ax.get_lines() if len(line.get_xdata()) == 1)
    # Gulf Report on top (row 0), Northern Wire below (row 1); injured drawn just above killed.
    assert points == [(-1, 0.9), (0, 1.1), (3, 0.1)]
    assert sorted(markers(ax)) == sorted([("^", True), ("o", True), ("D", False)])
    assert {"Age of the quoted count", "days old", f"Source: {SOURCE}"} <= set(texts(fig))
    assert renders(fig)


def test_lag_by_outlet_without_reports_says_why_and_draws_no_scale(lags):
    fig = charts.lag_by_outlet(lags.iloc[0:0], title="Age", xlabel="days old", source=SOURCE,
                               empty_note="Official series missing")
    assert "Official series missing" in texts(fig) and renders(fig)
    assert list(fig.axes[0].get_xticks()) == []


def test_lag_by_outlet_counts_in_whole_days_around_a_single_report(lags):
    fig = charts.lag_by_outlet(lags.iloc[:1], title="Age", xlabel="days old", source=SOURCE,
                               empty_note="nothing")
    ax = fig.axes[0]
    assert ax.get_xlim() == (-1, 1)
    assert all(float(tick).is_integer() for tick in ax.get_xticks())


def test_dollar_signs_in_article_text_are_drawn_as_written_not_as_mathematics(by_outlet):
    by_outlet.loc[0, "outlet"] = "The $\\frac{ Ledger$"  # unescaped, a formula that cannot parse
    fig = charts.values_by_outlet(by_outlet, title="t", xlabel="people", source=SOURCE)
    assert renders(fig)
