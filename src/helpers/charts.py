"""One function per chart, each returning a matplotlib Figure that reads without the code.

Charts draw what they are given and compute no figures: the tables come ready from
`helpers.views`. Every chart has a title, axes labelled with their units and a source line under it.
Figures are built with `matplotlib.figure.Figure`, not pyplot: no global state, nothing shown
twice in a notebook, safe in any process.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.dates as mdates
import matplotlib.ticker as mticker
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

# How a bound is drawn: filled for exact, an arrow-like triangle for a floor or a ceiling,
# hollow for an approximation, so "more than 34,000" never reads as "34,000".
BOUND_STYLE: dict[str, dict] = {
    "=": {"marker": "o", "filled": True, "label": "exact (=)"},
    ">": {"marker": "^", "filled": True, "label": "more than (>)"},
    ">=": {"marker": "^", "filled": False, "label": "at least (≥)"},
    "~": {"marker": "D", "filled": False, "label": "about (~)"},
    "<": {"marker": "v", "filled": True, "label": "fewer than (<)"},
    "<=": {"marker": "v", "filled": False, "label": "at most (≤)"},
}
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
           "#17becf", "#7f7f7f", "#bcbd22")
OFFICIAL_COLOR = "#444444"
# In the lag chart, how far apart (in outlet rows) two figures of one outlet are drawn.
LAG_ROW_SHIFT = 0.2
THOUSANDS = mticker.FuncFormatter(lambda value, _: f"{value:,.0f}")


def _plain(text: object) -> str:
    """Text from articles drawn as written: matplotlib would read "$...$" as mathematics (and
    fail the whole chart on a malformed formula), so dollar signs are escaped."""
    return str(text).replace("$", r"\$")


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _source_line(fig: Figure, source: str) -> None:
    # A figure-level caption under the axes; constrained layout keeps room for it.
    fig.supxlabel(f"Source: {source}", x=0.01, ha="left", fontsize=8, color="#555555")


def _colors(names: Sequence[str]) -> dict[str, str]:
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def _bound_marker(bound: str, color: str) -> dict:
    style = BOUND_STYLE.get(bound, BOUND_STYLE["="])
    return {"marker": style["marker"], "markeredgecolor": color,
            "markerfacecolor": color if style["filled"] else "white", "markeredgewidth": 1.5}


def _legend(ax, sections: list[tuple[str, list]]) -> None:
    """One legend box right of the axes, from their top down, each (heading, handles) section
    in turn under its heading in bold. One box, not one per section (a second one lower down
    would sit on the source line), and attached to the axes, not the figure, so that it starts
    under the title and constrained layout makes room for it."""
    handles: list = []
    headings: list[int] = []
    for heading, items in sections:
        if items:
            headings.append(len(handles))
            handles += [Line2D([], [], linestyle="none", label=_plain(heading)), *items]
    if not handles:
        return
    legend = ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1),
                       borderaxespad=0, fontsize=8, alignment="left")
    for index in headings:
        legend.get_texts()[index].set_fontweight("bold")


def _bound_handles(bounds: Sequence[str]) -> list:
    return [Line2D([], [], linestyle="none", markersize=8, label=BOUND_STYLE[b]["label"],
                   **_bound_marker(b, "#333333")) for b in BOUND_STYLE if b in set(bounds)]


def _color_handles(colors: dict[str, str]) -> list:
    return [Line2D([], [], linestyle="none", markersize=8, label=_plain(name), **_bound_marker("=", color))
            for name, color in colors.items()]


def _dates(ax) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _empty(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", color="#777777")


def publication_timeline(articles: pd.DataFrame, *, title: str, source: str) -> Figure:
    """One dot per article: publication date (x) by outlet (y).

    `articles`: columns `outlet` and `published_date` (datetime); rows without a date are not drawn.
    """
    dated = articles.dropna(subset=["published_date"])
    outlets = sorted(dated["outlet"].astype(str).unique())
    fig = _figure(8, 1.6 + 0.35 * max(len(outlets), 1))
    ax = fig.subplots()
    if dated.empty:
        _empty(ax, "No article has a publication date")
    for row, outlet in enumerate(outlets):
        dates = dated.loc[dated["outlet"].astype(str) == outlet, "published_date"]
        ax.plot(dates, [row] * len(dates), "o", color=PALETTE[0], alpha=0.7)
    ax.set_yticks(range(len(outlets)), [_plain(o) for o in outlets])
    ax.set_ylim(max(len(outlets), 1) - 0.3, -0.7)  # first outlet on top
    ax.set_xlabel("publication date")
    ax.set_ylabel("outlet")
    _dates(ax)
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(_plain(title))
    _source_line(fig, source)
    return fig


def counts_by_category(counts: pd.DataFrame, *, title: str, xlabel: str, legend_title: str,
                       source: str) -> Figure:
    """Horizontal stacked bars: one bar per row label, one segment per column (e.g. source class).

    `counts`: index = bar labels (drawn top to bottom in the given order), columns = segments.
    """
    fig = _figure(8, 1.6 + 0.4 * max(len(counts), 1))
    ax = fig.subplots()
    if counts.empty:
        _empty(ax, "Nothing to count")
    left = pd.Series(0, index=counts.index, dtype="int64")
    colors = _colors(list(counts.columns))
    labels = [_plain(label) for label in counts.index]
    for column in counts.columns:
        ax.barh(labels, counts[column], left=left, color=colors[column], label=_plain(column))
        left = left + counts[column]
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    _legend(ax, [(legend_title, [Patch(color=colors[c], label=_plain(c)) for c in counts.columns])])
    ax.set_title(_plain(title))
    _source_line(fig, source)
    return fig


def reported_vs_official(reports: pd.DataFrame, official: pd.DataFrame | None, *, title: str,
                         ylabel: str, source: str, missing_note: str) -> Figure:
    """Reported figures by publication date, one colour per outlet and one marker per bound,
    over the official daily series as a line.

    `reports`: columns `published_date` (datetime), `outlet`, `value`, `bound`; reports
    without a date cannot be placed and are not drawn.
    `official`: columns `date` (datetime) and `value`, already limited to the period to show,
    or None when no series is at hand: then `missing_note` is written on the chart.
    """
    fig = _figure(9, 5)
    ax = fig.subplots()
    if official is not None and not official.empty:
        ax.plot(official["date"], official["value"], color=OFFICIAL_COLOR, linewidth=1.5,
                drawstyle="steps-post", label="official daily count")
    elif official is None:
        ax.text(0.01, 0.97, missing_note, transform=ax.transAxes, va="top", color="#b00020")
    reports = reports.dropna(subset=["published_date"])
    colors = _colors(sorted(reports["outlet"].astype(str).unique()))
    for _, row in reports.iterrows():
        ax.plot([row["published_date"]], [row["value"]], linestyle="none", markersize=9,
                **_bound_marker(str(row["bound"]), colors[str(row["outlet"])]))
    if reports.empty:
        _empty(ax, "No report of this figure in the corpus")
    official_handles = [Line2D([], [], color=OFFICIAL_COLOR, drawstyle="steps-post",
                               label="official daily count")] if official is not None else []
    _legend(ax, [("outlet", _color_handles(colors) + official_handles),
                  ("bound", _bound_handles(list(reports["bound"].astype(str))))])
    ax.yaxis.set_major_formatter(THOUSANDS)
    ax.set_xlabel("publication date" if official is None
                  else "publication date / date of the official count")
    ax.set_ylabel(ylabel)
    _dates(ax)
    ax.grid(alpha=0.3)
    ax.set_title(_plain(title))
    _source_line(fig, source)
    return fig


def values_by_outlet(table: pd.DataFrame, *, title: str, xlabel: str, source: str) -> Figure:
    """Small multiples, one panel per `category`: each report's `value` (x) by `outlet` (y),
    coloured by `source`, marked by `bound` and labelled with the number `as written`.

    `table`: columns `category`, `outlet`, `source`, `value`, `bound`, `as written`; panels are
    drawn in order of first appearance, outlets alphabetically from the top.
    """
    panels = list(dict.fromkeys(table["category"].astype(str))) or ["(none)"]
    # Each panel as tall as its number of outlets, plus room for its title and ticks.
    heights = [table.loc[table["category"].astype(str) == p, "outlet"].nunique() + 1.5 for p in panels]
    fig = _figure(9, 1.2 + 0.32 * sum(heights))
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=heights)[:, 0]
    if table.empty:
        _empty(axes[0], "No such figure in the corpus")
    colors = _colors(sorted(table["source"].astype(str).unique()))
    for ax, panel in zip(axes, panels):
        rows = table[table["category"].astype(str) == panel]
        outlets = sorted(rows["outlet"].astype(str).unique())
        for _, row in rows.iterrows():
            ax.plot([row["value"]], [outlets.index(str(row["outlet"]))], linestyle="none",
                    markersize=9, **_bound_marker(str(row["bound"]), colors[str(row["source"])]))
        _label_markers(ax, rows, outlets)
        ax.set_yticks(range(len(outlets)), [_plain(o) for o in outlets])
        ax.set_ylim(len(outlets) - 0.4, -0.6)  # first outlet on top
        ax.margins(x=0.25)
        if len(rows) and ax.get_xlim()[0] < 0 <= rows["value"].min():
            ax.set_xlim(left=0)  # the margin must not invent negative counts
        ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
        ax.xaxis.set_major_formatter(THOUSANDS)
        ax.grid(axis="x", alpha=0.3)
        ax.set_title(_plain(panel), fontsize=10, loc="left")
    axes[-1].set_xlabel(xlabel)
    _legend(axes[0], [("source", _color_handles(colors)),
                       ("bound", _bound_handles(list(table["bound"].astype(str))))])
    fig.suptitle(_plain(title))
    _source_line(fig, source)
    return fig


def _label_markers(ax, rows: pd.DataFrame, outlets: list[str]) -> None:
    """Each marker of a panel labelled with its number as written: one label per outlet and
    value (wordings that differ only in case written once, others joined by " / "), and labels
    along an outlet's line alternately above and below, so neighbouring numbers stay legible."""
    labels: dict[tuple[str, float], list[str]] = {}
    for outlet, value, written in zip(rows["outlet"].astype(str), rows["value"],
                                      rows["as written"].astype(str)):
        same = labels.setdefault((outlet, value), [])
        if written.lower() not in {w.lower() for w in same}:
            same.append(written)
    placed: dict[str, int] = {}
    for (outlet, value), written in sorted(labels.items()):
        above = placed.get(outlet, 0) % 2 == 0
        placed[outlet] = placed.get(outlet, 0) + 1
        ax.annotate(_plain(" / ".join(written)), (value, outlets.index(outlet)),
                    textcoords="offset points", xytext=(7, 4 if above else -11), fontsize=8)


def lag_by_outlet(table: pd.DataFrame, *, title: str, xlabel: str, source: str,
                  empty_note: str) -> Figure:
    """How old the official count each report quoted was: `lag_days` (x) by `outlet` (y), one
    marker per report, coloured by `category` and shaped by `bound`; a line marks 0, the
    official count of the publication date itself (left of it: the report was ahead).

    `table`: columns `outlet`, `category`, `lag_days`, `bound` (`reconcile.lag_by_outlet`);
    outlets alphabetically from the top. When it is empty, `empty_note` is written instead.
    """
    outlets = sorted(table["outlet"].astype(str).unique())
    fig = _figure(8, 1.8 + 0.35 * max(len(outlets), 1))
    ax = fig.subplots()
    ax.set_xlabel(xlabel)
    ax.set_title(_plain(title))
    _source_line(fig, source)
    if table.empty:
        _empty(ax, empty_note)
        ax.set_xticks([])
        ax.set_yticks([])
        return fig
    categories = sorted(table["category"].astype(str).unique())
    colors = _colors(categories)
    for _, row in table.iterrows():
        # Each figure a little above or below the outlet's line, so equal ages stay visible.
        shift = LAG_ROW_SHIFT * (categories.index(str(row["category"])) - (len(categories) - 1) / 2)
        ax.plot([row["lag_days"]], [outlets.index(str(row["outlet"])) + shift], linestyle="none",
                markersize=9, alpha=0.8,
                **_bound_marker(str(row["bound"]), colors[str(row["category"])]))
    ax.axvline(0, color=OFFICIAL_COLOR, linewidth=1, linestyle="--")
    ax.set_yticks(range(len(outlets)), [_plain(o) for o in outlets])
    ax.set_ylim(len(outlets) - 0.4, -0.6)  # first outlet on top
    # Whole days, and at least a day either side of the data and of 0.
    ax.set_xlim(min(table["lag_days"].min(), 0) - 1, max(table["lag_days"].max(), 0) + 1)
    ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    ax.set_ylabel("outlet")
    ax.grid(axis="x", alpha=0.3)
    _legend(ax, [("figure", _color_handles(colors)),
                       ("bound", _bound_handles(list(table["bound"].astype(str))))])
    return fig
