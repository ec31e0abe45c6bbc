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
import re
from dataclasses import replace

import pandas as pd

from helpers import corpus as corpus_files
from helpers import notebook_params, paths, reconcile, reference, tables
from helpers.records import Article

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


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]])")


def markdown_text(text: object) -> str:
    """Text from the corpus (outlets, ids, evidence quoting them) made safe to put in a Markdown
    sentence: HTML escaped, since Markdown passes it through to the report, and the characters
    that make emphasis, code or links backslash-escaped, so "[x](javascript:...)" stays text."""
    return html.escape(_MARKDOWN_PUNCTUATION.sub(r"\\\1", str(text)))


def _phrases(values, bounds) -> list[str]:
    """Figures in words ("more than 32,000"), one per value and bound."""
    return [reconcile.phrase(int(v), str(b)) for v, b in zip(values, bounds)]


def _day(value) -> str:
    return UNKNOWN_DATE if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def set_display_options() -> None:
    """Show whole tables and sentences in notebooks and reports (pandas cuts at 60 rows)."""
    pd.set_option("display.max_rows", 250)
    pd.set_option("display.min_rows", 250)
    pd.set_option("display.max_colwidth", None)


# --- the corpus -------------------------------------------------------------------------------

def read_corpus(params: notebook_params.Parameters) -> tables.CorpusTables:
    """The corpus as tables, without articles published after `as_of` (undated ones stay).

    Figures of articles read before with the same extractor come from the figure store
    (`paths.notebook_store()`), so six notebooks, and tomorrow's run, extract each article once."""
    corpus = tables.corpus_tables([params.corpus_dir], params.manifest, store=paths.notebook_store())
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


def _count(number: int, singular: str, plural: str | None = None) -> str:
    """ "1 file", "2 files"; `plural` when adding an s will not do."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def corpus_summary(corpus: tables.CorpusTables) -> str:
    a = corpus.articles
    outlets = a["outlet"].replace("", pd.NA).dropna().nunique()
    dated = a["published_date"].dropna()
    span = (f"published between {_day(dated.min())} and {_day(dated.max())}" if len(dated)
            else "none with a known publication date")
    # A manifest may have several bad lines: count files, not lines.
    unread = corpus.problems["path"].nunique()
    return (f"{_count(len(a), 'article')} from {_count(outlets, 'named outlet')}, {span}; "
            f"{len(a) - len(dated)} without a date, {len(a[a['outlet'] == ''])} without an outlet; "
            f"{_count(unread, 'file')} could not be read or had bad lines; "
            f"{_count(len(corpus.figures), 'figure mention')}.")


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


def problems_summary(problems: pd.DataFrame) -> str:
    if problems.empty:
        return "Every file was read."
    files = problems["path"].nunique()
    return (f"{_count(len(problems), 'problem')} in {_count(files, 'file')}, listed above with the "
            f"reason; a file that could not be read has no figure in any table or chart, a bad "
            f"manifest line is left out and its article read without it. Every other file was read.")


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
    categories = _count(len(totals), "category", "categories")
    return (f"{_count(int(totals.sum()), 'figure mention')} in {categories}; "
            f"the most frequent is {totals.index[0].lower()} ({int(totals.iloc[0])}); "
            f"{_count(unsourced, 'mention gives', 'mentions give')} no source.")


# --- the death toll against the official series -----------------------------------------------

def reports_of(joined: pd.DataFrame, category: str) -> pd.DataFrame:
    """Every figure of one category by publication date, then outlet (undated last)."""
    rows = joined[joined["category"] == category]
    rows = rows.sort_values(["published_date", "outlet", "article_id", "char_start"],
                            kind="stable", na_position="last")
    return rows[["published_date", "outlet", "value", "bound", "surface", "attribution_class",
                 "article_id"]].reset_index(drop=True)


def _report_words(row) -> str:
    outlet = row.outlet if row.outlet != UNKNOWN_OUTLET else "outlet unknown"
    figure = reconcile.phrase(int(row.value), str(row.bound))
    return f'"{figure}" ({markdown_text(outlet)}, {_day(row.published_date)})'


def toll_summary(reports: pd.DataFrame) -> str:
    """How the reported figure moved, from the earliest dated report to the latest, and how many
    reports have no date (they are in the table but cannot be placed on a chart)."""
    if reports.empty:
        return "No article in the corpus reports this figure."
    dated = reports.dropna(subset=["published_date"])
    undated = len(reports) - len(dated)
    left_out = (f"; {_count(undated, 'report has', 'reports have')} no publication date and "
                f"cannot be placed on the chart" if undated else "")
    if dated.empty:
        return (f"None of the {_count(len(reports), 'report')} has a publication date, so none "
                f"can be placed on the chart.")
    first, last = dated.iloc[0], dated.iloc[-1]
    if len(dated) == 1:
        moved = f"One dated report: {_report_words(first)}"
    else:
        moved = (f"From the first dated report to the last, the reported figure went from "
                 f"{_report_words(first)} to {_report_words(last)}")
    return f"{moved}{left_out}."


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


def official_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """`official_comparison` as a reader sees it: an empty cell where a value is not known, and
    without the official columns when no report could be set against the series at all."""
    if comparison["official count"].isna().all():
        return comparison[["published", "outlet", "reported", "article"]]
    return comparison.astype(object).where(comparison.notna(), "")


def _days_span(days: pd.Series) -> str:
    low, high = int(days.min()), int(days.max())
    return _count(low, "day") if low == high else f"{low} to {high} days"


def official_summary(comparison: pd.DataFrame, series: pd.DataFrame | None) -> str:
    if series is None:
        return OFFICIAL_MISSING
    if comparison.empty:
        return "No report of this figure to compare with the official series."
    checked = comparison.dropna(subset=["official count"])
    above = int(checked["above official"].fillna(False).sum())
    ages = checked["quoted count's age (days)"].dropna()
    old, ahead = ages[ages >= 0], -ages[ages < 0]
    age = f"; the quoted counts were {_days_span(old)} old when published" if len(old) else ""
    if len(ahead):
        age += (f"; {_count(len(ahead), 'report was', 'reports were')} ahead of the series, "
                f"which showed the count quoted only {_days_span(ahead)} later")
    undated = len(comparison) - len(checked)
    return (f"{len(checked)} of {len(comparison)} reports could be set against the official count "
            f"of their publication date ({undated} without a date or before the series); "
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


def by_source(joined: pd.DataFrame, categories: list[str], derived=()) -> pd.DataFrame:
    """Per category and source class: the figures reported (as phrases) and how many articles and
    named outlets report them; articles in `derived` (copies of another, `copies.derived_ids`)
    are not counted there, only under "copies left out"."""
    rows = joined[joined["category"].isin(categories)]
    copied = rows["article_id"].isin(list(derived))
    out = []
    for category in categories:
        for source in reconcile.SOURCE_WORDS:
            chosen = (rows["category"] == category) & (rows["attribution_class"] == source)
            if not chosen.any():
                continue
            figures = rows[chosen].drop_duplicates(["value", "bound"])
            figures = figures.sort_values(["value", "bound"])
            own = rows[chosen & ~copied]
            out.append({
                "category": category_label(category),
                "source": source_label(source),
                "figures reported": "; ".join(reconcile.phrase(int(v), str(b))
                                              for v, b in zip(figures["value"], figures["bound"])),
                "articles": own["article_id"].nunique(),
                "outlets": own.loc[own["outlet"] != UNKNOWN_OUTLET, "outlet"].nunique(),
                "copies left out": rows.loc[chosen & copied, "article_id"].nunique(),
            })
    return pd.DataFrame(out, columns=["category", "source", "figures reported", "articles",
                                      "outlets", "copies left out"])


# The order in which why_they_differ picks its examples: what most needs a reader's eye first.
EXAMPLE_ORDER = ("conflict", "source", "time", "rounding")


def why_they_differ(pairs: pd.DataFrame, categories: list[str], examples: int = 3) -> list[str]:
    """One paragraph per category from reconcile's pair table: how many pairs of reports differ,
    what explains them, and the evidence for one pair of each explanation (conflicts first, then
    source, time and rounding, up to `examples`); nothing is asserted that a pair does not show."""
    paragraphs = []
    for category in categories:
        rows = pairs[pairs["category"] == category]
        label = category_label(category)
        if rows.empty:
            paragraphs.append(f"**{label}**: fewer than two articles report it; nothing to compare.")
            continue
        differing = rows[rows["classification"] != "consistent"]
        if differing.empty:
            agree = ("the one compared pair of reports agrees." if len(rows) == 1
                     else f"all {len(rows)} compared pairs of reports agree.")
            paragraphs.append(f"**{label}**: {agree}")
            continue
        counts = differing["classification"].value_counts()
        kinds = ", ".join(f"{counts[k]} {k}" for k in reconcile.CLASSIFICATIONS if k in counts)
        shown = [differing[differing["classification"] == kind].iloc[0]
                 for kind in EXAMPLE_ORDER if kind in counts][:examples]
        # Evidence names outlets and article ids, text from the corpus: escaped, since Markdown
        # passes HTML through to the report.
        evidence = " ".join(f"{row['classification'].capitalize()}: "
                            f"{markdown_text(row['evidence'])}" for row in shown)
        verb = "differs" if len(differing) == 1 else "differ"
        paragraphs.append(f"**{label}**: {len(differing)} of {_count(len(rows), 'compared pair')} "
                          f"{verb} ({kinds}). {evidence}")
    return paragraphs


def copies_summary(copy_pairs) -> str:
    """One sentence on what copy detection (`copies.CopyPair`s) found and what follows from it."""
    pairs = list(copy_pairs)
    if not pairs:
        return ("No article retells another in nearly the same words: every article counts as "
                "an independent report.")
    derived = {pair.derivative for pair in pairs}
    found = "; ".join(f"{markdown_text(p.derivative)} retells {markdown_text(p.original)} "
                      f"({p.similarity:.0%} of its sentences found again, text quality "
                      f"{p.quality_derivative:.2f} against {p.quality_original:.2f})"
                      for p in pairs)
    return (f"{_count(len(derived), 'article is', 'articles are')} derived from another: {found}. "
            f"Derived articles are shown here but left out of the pair table and of the "
            f"independent counts below.")


def pairs_overview(pairs: pd.DataFrame) -> pd.DataFrame:
    """reconcile's pair table as a reader checks it: each figure in words beside its article."""
    return pd.DataFrame({
        "category": pairs["category"].map(category_label),
        "article a": pairs["article_a"],
        "figure a": _phrases(pairs["value_a"], pairs["bound_a"]),
        "article b": pairs["article_b"],
        "figure b": _phrases(pairs["value_b"], pairs["bound_b"]),
        "classification": pairs["classification"],
        "evidence": pairs["evidence"],
    })


def classification_overview(counts: pd.DataFrame) -> pd.DataFrame:
    """`reconcile.classification_counts` with the categories in words."""
    return counts.rename(index=category_label)


def copies_overview(copies: pd.DataFrame) -> pd.DataFrame:
    """`reconcile.copies_frame` in words: similarity as a share, qualities on a 0-1 scale."""
    return pd.DataFrame({
        "original": copies["original"],
        "derivative": copies["derivative"],
        "sentences found again": copies["similarity"].map("{:.0%}".format),
        "text quality of the original": copies["quality_original"],
        "text quality of the derivative": copies["quality_derivative"],
    })


def support_overview(support: pd.DataFrame) -> pd.DataFrame:
    """`reconcile.independent_counts` in words."""
    return pd.DataFrame({
        "category": support["category"].map(category_label),
        "figure": _phrases(support["value"], support["bound"]),
        "source": support["attribution_class"].map(source_label),
        "articles": support["articles"],
        "independent articles": support["independent_articles"],
        "independent named outlets": support["independent_outlets"],
    })


def support_summary(support: pd.DataFrame) -> str:
    """What the independent counts show: figures only copies repeat, and the best-supported one."""
    if support.empty:
        return "The corpus reports no figure."
    only_copied = support[support["independent_articles"] == 0]
    inflated = support[(support["articles"] > support["independent_articles"])
                       & (support["independent_articles"] > 0)]
    best = support.sort_values("independent_articles", ascending=False, kind="stable").iloc[0]
    sentence = (f"The figure most independent articles report is "
                f'"{reconcile.phrase(int(best["value"]), str(best["bound"]))}" '
                f"({category_label(best['category']).lower()}, "
                f"{_count(int(best['independent_articles']), 'article')})")
    if len(inflated) or len(only_copied):
        sentence += (f"; copies would have counted {_count(len(inflated), 'figure')} more than once"
                     + (f" and rest {_count(len(only_copied), 'figure')} on a copy alone "
                        f"(its original words it differently)" if len(only_copied) else ""))
    return sentence + "."


def lag_points(check: pd.DataFrame) -> pd.DataFrame:
    """`reconcile.lag_by_outlet` with outlets and figures named as the other views name them:
    the input of `charts.lag_by_outlet`."""
    points = reconcile.lag_by_outlet(check, unknown_outlet=UNKNOWN_OUTLET)
    return points.assign(category=points["category"].map(category_label))


# --- people, quotes and dates -----------------------------------------------------------------

def corpus_articles(params: notebook_params.Parameters,
                    corpus: tables.CorpusTables) -> list[Article]:
    """The readable articles of the corpus that `corpus` kept (after its as_of cut-off), with
    their text, for the views that read it (people, quotes, dates)."""
    kept = set(corpus.articles["article_id"])
    items = corpus_files.iter_articles([params.corpus_dir], manifest=params.manifest)
    return [item for item in items if isinstance(item, Article) and item.article_id in kept]


def _named_outlets(articles: pd.DataFrame) -> pd.DataFrame:
    return articles.assign(outlet=articles["outlet"].replace("", UNKNOWN_OUTLET))


def people_by_outlet(named: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """How many articles of each outlet (columns) name each person (rows), most named first;
    `named` is a `people.people_table`."""
    from helpers import people  # rapidfuzz: only the notebooks that show people pay for it

    table = people.outlet_by_person(named, _named_outlets(articles))
    table.index.name = "person"
    return table


def people_summary(named: pd.DataFrame) -> str:
    """Who is named, and which spellings were merged into one person."""
    if named.empty:
        return "No article names an official the way the people finder recognises."
    persons = named["person"].nunique()
    variants = named[(named["surface"].str.count(" ") > 0) & (named["surface"] != named["person"])]
    variants = variants.drop_duplicates(["surface", "person"]).sort_values(["person", "surface"])
    merged = "; ".join(f"{markdown_text(s)} as {markdown_text(p)}"
                       for s, p in zip(variants["surface"], variants["person"]))
    return (f"{_count(persons, 'person is', 'people are')} named. "
            + (f"Spellings read as one person: {merged}." if merged
               else "No spelling variant of a name had to be merged."))


def quotes_side_by_side(articles: list[Article], corpus: tables.CorpusTables) -> pd.DataFrame:
    """The same quote as several articles report it: one row per rendering, grouped, with the
    outlet and the speaker the article gives."""
    from helpers import people

    aligned = people.align_quotes(q for article in articles for q in people.find_quotes(article))
    outlets = _named_outlets(corpus.articles).set_index("article_id")["outlet"]
    return pd.DataFrame({
        "quote": aligned["group"] + 1,
        "article": aligned["article_id"],
        "outlet": aligned["article_id"].map(outlets),
        "speaker": aligned["speaker"].replace("", "(not said)"),
        "as quoted": aligned["text"],
    })


def quotes_summary(quotes: pd.DataFrame) -> str:
    if quotes.empty:
        return "No quote appears in more than one article."
    groups = quotes.groupby("quote")["article"].nunique()
    return (f"{_count(len(groups), 'quote appears', 'quotes appear')} in more than one article "
            f"(at most {groups.max()}); read across a group to see how each outlet rendered it.")


def _span_words(start, until) -> str:
    first, last = pd.Timestamp(start).date(), pd.Timestamp(until).date()
    return first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"


def dates_by_article(articles: list[Article], corpus: tables.CorpusTables) -> pd.DataFrame:
    """Per article, each date phrase it uses with the day (or days) it means, resolved against
    the publication date (each phrase and day once): which meeting or event each article is
    about. Phrases an undated article cannot place are listed apart."""
    from helpers import timeline  # dateparser: only the notebooks that show dates pay for it

    events = timeline.timeline_table(articles)
    known = _named_outlets(corpus.articles).set_index("article_id")
    rows = []
    for article_id, group in events.groupby("article_id", sort=True):
        placed = group.dropna(subset=["resolved_date"])
        means = list(dict.fromkeys(
            f"{phrase} = {_span_words(start, until)}" for phrase, start, until in
            zip(placed["phrase"], placed["resolved_date"], placed["resolved_until"])))
        unplaced = list(dict.fromkeys(group.loc[group["resolved_date"].isna(), "phrase"]))
        if unplaced:
            means.append("not placed without a publication date: " + ", ".join(unplaced))
        rows.append({"article": article_id, "outlet": known.at[article_id, "outlet"],
                     "published": _day(known.at[article_id, "published_date"]),
                     "dates it mentions": "; ".join(means)})
    return pd.DataFrame(rows, columns=["article", "outlet", "published", "dates it mentions"])


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
