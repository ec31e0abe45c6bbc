"""The tables the notebooks show, and the sentences that read them: one function per view.

Notebooks call these and display the result; the computations live here, tested, once.
Views join, select, label and order what `tables`, `reference` and `reconcile` produce; they
never extract or classify anything themselves. Labels for people are here too, so a table and
the chart drawn from it say the same thing.

Text from articles (titles, sentences, outlets) is untrusted: every HTML view escapes it.
"""

from __future__ import annotations

import datetime
import html
from dataclasses import replace

import pandas as pd

from helpers import notebook_params, reconcile, reference, tables

CATEGORY_LABELS = {
    "gaza_killed": "Killed in Gaza (cumulative)",
    "gaza_injured": "Injured in Gaza (cumulative)",
    "daily_killed": "Killed in Gaza in a stated recent period",
    "oct7_killed": "Killed in Israel on 7 October",
    "oct7_civilians_killed": "Civilians killed in Israel on 7 October",
    "hostages_taken": "Hostages taken on 7 October",
    "hostages_remaining": "Hostages still held",
    "rafah_population": "People in Rafah",
    "gaza_population": "Population of Gaza",
    "westbank_killed": "Killed in the West Bank (cumulative)",
    "other_casualty": "Other casualty counts",
}
UNKNOWN_OUTLET = "(outlet unknown)"
UNKNOWN_DATE = "(date unknown)"
OFFICIAL_MISSING = ("Official series missing: no casualties_daily.json at hand (run "
                    "`python -m helpers reference fetch` or pass --reference PATH); "
                    "the reported figures are shown alone.")
OFFICIAL_SOURCE = "official: Gaza Ministry of Health daily reports via Tech for Palestine"
# Rows of the static sentence table in a report; the full list is figures.csv.
SENTENCE_ROWS_SHOWN = 500


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category.replace("_", " "))


def source_label(attribution_class: str) -> str:
    return reconcile.SOURCE_WORDS.get(attribution_class, attribution_class)


def _day(value) -> str:
    return UNKNOWN_DATE if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def set_display_options() -> None:
    """Show whole tables and sentences in notebooks and reports (pandas cuts at 60 rows)."""
    pd.set_option("display.max_rows", 250)
    pd.set_option("display.min_rows", 250)
    pd.set_option("display.max_colwidth", None)


# --- the corpus -------------------------------------------------------------------------------

def read_corpus(params: notebook_params.Parameters) -> tables.CorpusTables:
    """The corpus as tables, without articles published after `as_of` (undated ones stay)."""
    corpus = tables.corpus_tables([params.corpus_dir], params.manifest)
    return cut_at(corpus, params.as_of)


def cut_at(corpus: tables.CorpusTables, as_of: datetime.date | None) -> tables.CorpusTables:
    if as_of is None:
        return corpus
    later = corpus.articles["published_date"] > pd.Timestamp(as_of)
    kept_ids = corpus.articles.loc[~later.fillna(False), "article_id"]
    return replace(
        corpus,
        articles=corpus.articles[corpus.articles["article_id"].isin(kept_ids)].reset_index(drop=True),
        figures=corpus.figures[corpus.figures["article_id"].isin(kept_ids)].reset_index(drop=True),
    )


def parameters_table(params: notebook_params.Parameters) -> pd.DataFrame:
    shown = params.shown()
    del shown["output_dir"]  # a staging folder during a run: meaningless to a reader
    return pd.DataFrame({"parameter": list(shown), "value": list(shown.values())})


def corpus_summary(corpus: tables.CorpusTables) -> str:
    a = corpus.articles
    outlets = a["outlet"].replace("", pd.NA).dropna().nunique()
    dated = a["published_date"].dropna()
    span = (f"published between {_day(dated.min())} and {_day(dated.max())}" if len(dated)
            else "none with a known publication date")
    return (f"{len(a)} articles from {outlets} named outlets, {span}; "
            f"{len(a) - len(dated)} without a date, {len(a[a['outlet'] == ''])} without an outlet; "
            f"{len(corpus.problems)} files could not be read; {len(corpus.figures)} figure mentions.")


def articles_overview(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per article: where its outlet and date came from, size, debris lines."""
    return pd.DataFrame({
        "article": articles["article_id"],
        "outlet": articles["outlet"].replace("", UNKNOWN_OUTLET),
        "outlet from": articles["outlet_source"],
        "published": articles["published_date"].map(_day),
        "date from": articles["date_source"],
        "title": articles["title"],
        "characters": articles["characters"],
        "debris lines": articles["debris_lines"],
        "file": articles["path"].map(notebook_params.display_path),
    })


def outlets_overview(articles: pd.DataFrame) -> pd.DataFrame:
    """Per outlet: how many articles, first and last publication date."""
    frame = articles.assign(outlet=articles["outlet"].replace("", UNKNOWN_OUTLET))
    grouped = frame.groupby("outlet", sort=True)
    return pd.DataFrame({
        "articles": grouped["article_id"].count(),
        "first published": grouped["published_date"].min().map(_day),
        "last published": grouped["published_date"].max().map(_day),
    }).reset_index()


def timeline_points(articles: pd.DataFrame) -> pd.DataFrame:
    """Outlet and date of each dated article, for `charts.publication_timeline`."""
    return articles.assign(outlet=articles["outlet"].replace("", UNKNOWN_OUTLET))[
        ["outlet", "published_date"]].dropna(subset=["published_date"])


def problems_overview(problems: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"file": problems["path"].map(notebook_params.display_path),
                         "why it could not be read": problems["reason"]})


def chart_source(corpus: tables.CorpusTables, official: bool = False) -> str:
    outlets = corpus.articles["outlet"].replace("", pd.NA).dropna().nunique()
    line = f"figures extracted by Tallies from {len(corpus.articles)} articles ({outlets} outlets)"
    return f"{line}; {OFFICIAL_SOURCE}" if official else line


# --- figures ----------------------------------------------------------------------------------

def with_articles(corpus: tables.CorpusTables) -> pd.DataFrame:
    """Each figure with its article's outlet (labelled when unknown) and publication date."""
    known = corpus.articles[["article_id", "outlet", "published_date", "title"]]
    joined = corpus.figures.merge(known, on="article_id", how="left", validate="many_to_one")
    joined["outlet"] = joined["outlet"].fillna("").replace("", UNKNOWN_OUTLET)
    return joined


def figures_overview(joined: pd.DataFrame) -> pd.DataFrame:
    """Every figure record, as a reader checks it: what, how much, who says, where."""
    return pd.DataFrame({
        "article": joined["article_id"],
        "outlet": joined["outlet"],
        "published": joined["published_date"].map(_day),
        "category": joined["category"],
        "as written": joined["surface"],
        "value": joined["value"],
        "bound": joined["bound"],
        "source": joined["attribution_class"],
        "source as written": joined["attribution_text"],
    })


def category_counts(figures: pd.DataFrame) -> pd.DataFrame:
    """Figure mentions per category (rows, labelled, in the contract's order) and source class."""
    counts = pd.crosstab(figures["category"], figures["attribution_class"])
    order = [c for c in CATEGORY_LABELS if c in counts.index] + sorted(set(counts.index) - set(CATEGORY_LABELS))
    sources = [s for s in reconcile.SOURCE_WORDS if s in counts.columns] + sorted(
        set(counts.columns) - set(reconcile.SOURCE_WORDS))
    counts = counts.loc[order, sources]
    counts.index = [category_label(c) for c in counts.index]
    counts.columns = [source_label(s) for s in counts.columns]
    counts.index.name, counts.columns.name = "category", "source"
    return counts


def category_summary(counts: pd.DataFrame) -> str:
    if counts.empty:
        return "The corpus holds no figure."
    totals = counts.sum(axis=1).sort_values(ascending=False, kind="stable")
    unsourced = int(counts[source_label("none")].sum()) if source_label("none") in counts else 0
    return (f"{int(totals.sum())} figure mentions in {len(totals)} categories; the most frequent is "
            f"{totals.index[0].lower()} ({int(totals.iloc[0])}); {unsourced} mentions give no source.")


# --- the death toll against the official series -----------------------------------------------

def reports_of(joined: pd.DataFrame, category: str) -> pd.DataFrame:
    """Every figure of one category by publication date, then outlet (undated last)."""
    rows = joined[joined["category"] == category]
    rows = rows.sort_values(["published_date", "outlet", "article_id", "char_start"],
                            kind="stable", na_position="last")
    return rows[["published_date", "outlet", "value", "bound", "surface", "attribution_class",
                 "article_id"]].reset_index(drop=True)


def reports_overview(reports: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "published": reports["published_date"].map(_day),
        "outlet": reports["outlet"],
        "as written": reports["surface"],
        "value": reports["value"],
        "bound": reports["bound"],
        "source": reports["attribution_class"].map(source_label),
        "article": reports["article_id"],
    })


def load_series(params: notebook_params.Parameters) -> pd.DataFrame | None:
    """The official series, or None when none is at hand (the views then say it is missing)."""
    return reference.load(params.reference_path) if params.reference_path else None


def official_line(series: pd.DataFrame | None, reports: pd.DataFrame, measure: str,
                  as_of: datetime.date | None, margin_days: int = 14) -> pd.DataFrame | None:
    """The official counts around the reports' dates (a margin either side, never past `as_of`),
    as columns date and value for `charts.reported_vs_official`; None without a series."""
    if series is None:
        return None
    counts = reference.official_counts(series, measure)
    dated = reports["published_date"].dropna()
    if dated.empty:
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "value": pd.Series(dtype="int64")})
    start = dated.min() - pd.Timedelta(days=margin_days)
    end = dated.max() + pd.Timedelta(days=margin_days)
    if as_of is not None:
        end = min(end, pd.Timestamp(as_of))
    window = counts[(counts.index >= start) & (counts.index <= end)]
    return pd.DataFrame({"date": window.index, "value": window.to_numpy()})


def official_comparison(check: pd.DataFrame, category: str) -> pd.DataFrame:
    """Each report of `category` beside the official count of its publication date."""
    rows = check[check["category"] == category]
    return pd.DataFrame({
        "published": rows["published_date"].map(_day),
        "outlet": rows["outlet"].fillna("").replace("", UNKNOWN_OUTLET),
        "reported": [reconcile.phrase(int(v), str(b)) for v, b in zip(rows["value"], rows["bound"])],
        "official date": rows["official_date"].map(lambda d: "" if pd.isna(d) else _day(d)),
        "official count": rows["official_value"],
        "difference": rows["difference"],
        "above official": rows["above_official"],
        "quoted count's age (days)": rows["lag_days"],
        "article": rows["article_id"],
    }).reset_index(drop=True)


def official_summary(comparison: pd.DataFrame, series: pd.DataFrame | None) -> str:
    if series is None:
        return OFFICIAL_MISSING
    if comparison.empty:
        return "No report of this figure to compare with the official series."
    checked = comparison.dropna(subset=["official count"])
    above = int(checked["above official"].fillna(False).sum())
    ages = checked["quoted count's age (days)"].dropna()
    span = f"{int(ages.min())}" if len(ages) and ages.min() == ages.max() else (
        f"{int(ages.min())} to {int(ages.max())}" if len(ages) else "")
    age = f"; the quoted counts were {span} days old when published" if span else ""
    undated = len(comparison) - len(checked)
    return (f"{len(checked)} of {len(comparison)} reports could be set against the official count of "
            f"their publication date ({undated} without a date or before the series); "
            f"{above} {'is' if above == 1 else 'are'} above it{age}.")


# --- hostages and 7 October: by outlet and by source ------------------------------------------

def by_outlet(joined: pd.DataFrame, categories: list[str]) -> pd.DataFrame:
    """The figures of `categories` with outlet, source and wording, in the order of `categories`;
    both the table shown and the input of `charts.values_by_outlet`."""
    rows = joined[joined["category"].isin(categories)].copy()
    rows["order"] = rows["category"].map({c: i for i, c in enumerate(categories)})
    rows = rows.sort_values(["order", "outlet", "published_date", "article_id", "char_start"],
                            kind="stable", na_position="last")
    return pd.DataFrame({
        "category": rows["category"].map(category_label),
        "outlet": rows["outlet"],
        "published": rows["published_date"].map(_day),
        "as written": rows["surface"],
        "value": rows["value"],
        "bound": rows["bound"],
        "source": rows["attribution_class"].map(source_label),
        "source as written": rows["attribution_text"],
        "article": rows["article_id"],
    }).reset_index(drop=True)


def by_source(joined: pd.DataFrame, categories: list[str]) -> pd.DataFrame:
    """Per category and source class: the figures reported (as phrases) and how many articles."""
    rows = joined[joined["category"].isin(categories)]
    out = []
    for category in categories:
        for source in reconcile.SOURCE_WORDS:
            chosen = rows[(rows["category"] == category) & (rows["attribution_class"] == source)]
            if chosen.empty:
                continue
            figures = chosen.drop_duplicates(["value", "bound"]).sort_values(["value", "bound"])
            out.append({
                "category": category_label(category),
                "source": source_label(source),
                "figures reported": "; ".join(reconcile.phrase(int(v), str(b))
                                              for v, b in zip(figures["value"], figures["bound"])),
                "articles": chosen["article_id"].nunique(),
                "outlets": chosen.loc[chosen["outlet"] != UNKNOWN_OUTLET, "outlet"].nunique(),
            })
    return pd.DataFrame(out, columns=["category", "source", "figures reported", "articles", "outlets"])


def why_they_differ(pairs: pd.DataFrame, categories: list[str], examples: int = 3) -> list[str]:
    """One paragraph per category from reconcile's pair table: how many pairs of reports differ,
    what explains them, and the evidence for a few; nothing is asserted that a pair does not show."""
    paragraphs = []
    for category in categories:
        rows = pairs[pairs["category"] == category]
        label = category_label(category)
        if rows.empty:
            paragraphs.append(f"**{label}**: fewer than two articles report it; nothing to compare.")
            continue
        differing = rows[rows["classification"] != "consistent"]
        if differing.empty:
            paragraphs.append(f"**{label}**: all {len(rows)} compared pairs of reports agree.")
            continue
        counts = differing["classification"].value_counts()
        kinds = ", ".join(f"{counts[k]} {k}" for k in reconcile.CLASSIFICATIONS if k in counts)
        shown = differing.drop_duplicates(["value_a", "bound_a", "value_b", "bound_b"]).head(examples)
        # Evidence names outlets and article ids, text from the corpus: escaped, since Markdown
        # passes HTML through to the report.
        evidence = " ".join(f"{row.classification.capitalize()}: {html.escape(row.evidence)}"
                            for row in shown.itertuples(index=False))
        paragraphs.append(f"**{label}**: {len(differing)} of {len(rows)} compared pairs differ "
                          f"({kinds}). {evidence}")
    return paragraphs


# --- files for the run ------------------------------------------------------------------------

FIGURE_FILES = ("figures.csv", "figures.parquet")


def write_figures(figures: pd.DataFrame, output_dir) -> str:
    """Write the figure records to `output_dir` (csv and parquet); say what was done."""
    if output_dir is None:
        return ("No output_dir given: nothing written. A run of the collection writes "
                + " and ".join(FIGURE_FILES) + " next to the reports.")
    for name in FIGURE_FILES:
        tables.write_table(figures, output_dir / name)
    return f"Wrote {len(figures)} figure records to " + " and ".join(FIGURE_FILES) + "."


# --- exploring sentences ----------------------------------------------------------------------

def highlight(sentence: str, surface: str, occurrence: int = 0) -> str:
    """The sentence as HTML, escaped, with the `occurrence`-th appearance of `surface` in <mark>.

    When the number is not found as written (the sentence was cut), the sentence is shown plain.
    """
    surface = " ".join(str(surface).split())
    start = -1
    for _ in range(occurrence + 1):
        start = sentence.find(surface, start + 1) if surface else -1
        if start < 0:
            return html.escape(sentence)
    end = start + len(surface)
    return (f"{html.escape(sentence[:start])}<mark>{html.escape(sentence[start:end])}</mark>"
            f"{html.escape(sentence[end:])}")


def sentence_rows(joined: pd.DataFrame, category: str = "", outlet: str = "",
                  source: str = "") -> pd.DataFrame:
    """Figures filtered by category, outlet and source class ("" = any), each with its sentence
    highlighted. A sentence holding the same number twice highlights each figure's own copy:
    the k-th figure (by position) with that wording gets the k-th appearance."""
    rows = joined.sort_values(["article_id", "char_start"], kind="stable")
    occurrence = rows.groupby(["article_id", "sentence", "surface"], sort=False).cumcount()
    rows = rows.assign(occurrence=occurrence)
    for column, wanted in (("category", category), ("outlet", outlet), ("attribution_class", source)):
        if wanted:
            rows = rows[rows[column] == wanted]
    return pd.DataFrame({
        "category": rows["category"].map(category_label),
        "outlet": rows["outlet"],
        "published": rows["published_date"].map(_day),
        "source": rows["attribution_class"].map(source_label),
        "sentence": [highlight(s, f, k) for s, f, k in zip(rows["sentence"], rows["surface"], rows["occurrence"])],
        "article": rows["article_id"],
    }).reset_index(drop=True)


def sentences_html(rows: pd.DataFrame, limit: int = SENTENCE_ROWS_SHOWN) -> str:
    """`sentence_rows` as an HTML table: every text cell escaped, sentences already escaped."""
    head = "".join(f'<th style="text-align: left">{html.escape(c)}</th>' for c in rows.columns)
    # Inline left alignment: notebook styles right-align table cells, hard to read for sentences.
    body = "".join(
        "<tr>" + "".join(f'<td style="text-align: left">'
                         f"{value if column == 'sentence' else html.escape(str(value))}</td>"
                         for column, value in row.items()) + "</tr>"
        for _, row in rows.head(limit).iterrows())
    note = (f"<p>Showing {limit} of {len(rows)} figures; all of them are in figures.csv.</p>"
            if len(rows) > limit else "")
    return f'<table class="tallies-sentences"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}'


def choices(joined: pd.DataFrame) -> dict[str, list[tuple[str, str]]]:
    """(label, value) options for picking a category, an outlet and a source; "" = any."""
    categories = [c for c in CATEGORY_LABELS if c in set(joined["category"])]
    sources = [s for s in reconcile.SOURCE_WORDS if s in set(joined["attribution_class"])]
    return {
        "category": [("any", "")] + [(category_label(c), c) for c in categories],
        "outlet": [("any", "")] + [(o, o) for o in sorted(joined["outlet"].unique())],
        "source": [("any", "")] + [(source_label(s), s) for s in sources],
    }
