"""Do reported figures disagree, and why: bounds as intervals, pairs classified, the official lag.

Every figure is read as the set of counts it allows (an `Interval`):

    =    [v, v]
    >    (v, v + step)   "more than 32,000" = above 32,000 and below 33,000
    >=   [v, v + step)   "at least 1,200"   = 1,200 or more and below 1,300
    <    [0, v)
    <=   [0, v]
    ~    [v(1 - t), v(1 + t)] with t = APPROX_TOLERANCE (5%)

`step` is the place value of the last significant digit (32,000 -> 1,000; 1.4 million -> 100,000).
A "more than" figure is capped there because that is how a running tally is reported: once the
count passes 33,000 the wording becomes "more than 33,000". A number with no trailing zero
("more than 34,012") carries no such cap and stays open-ended, (v, infinity).

The 5% tolerance for "about" is the largest relative half-step of any number stated to two
significant digits (half of 100 against 1,000): "about X" that is X rounded to two significant
digits always falls inside it, and a wider band would start to call real differences rounding.

Allowing for rounding (`rounded_interval`) widens a plain round number to the counts that round
to it at its significant digits ("1,200" -> 1,150 or more and below 1,250), and an "about" figure
to whichever is wider, its tolerance or that rounding range ("about 30,000" -> 25,000 to 35,000).

`classify_pair` names the first explanation that holds, in this order (fewest assumptions first):

    consistent  the figures as stated can both be true: their intervals overlap
    rounding    they overlap once rounding is allowed for ("about 1,200" and "1,143")
    time        a running count, both dates known and different, and the later report is the
                larger (the smaller for a count that only falls, `MONOTONE_CATEGORIES`)
    source      the figures are attributed to different source classes ("none" is a class:
                an unsourced figure cannot be assumed to come from the same tally)
    conflict    nothing above explains the difference

Running counts are gaza_killed, gaza_injured and westbank_killed, which only grow, and
hostages_remaining, which only falls. oct7_killed and hostages_taken are not: they count one
event, and revisions move them either way (1,400 became 1,200, then 1,139), so a later, larger
figure is no evidence that time explains it.

At scale (`pair_table`) figures with the same signature (category, value, bound, source class,
publication date) are one group; each extra member is paired with the group's first article, and
each group is compared with the `MOST_REPORTED` groups with the most articles on its publication
date and the `NEIGHBOUR_DATES` publication dates before it (an undated group: in its whole
category), never all pairs of articles.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import numpy as np
import pandas as pd

from helpers import records, reference

APPROX_TOLERANCE = 0.05

# Count direction over time: +1 only grows, -1 only falls. Any other category has no direction.
MONOTONE_CATEGORIES = {
    "gaza_killed": +1,
    "gaza_injured": +1,
    "westbank_killed": +1,
    "hostages_remaining": -1,
}
# A period count ("killed in the past 24 hours") is comparable only with reports of the same day.
SAME_DAY_CATEGORIES = frozenset({"daily_killed"})
# other_casualty gathers different measures (one strike, journalists, aid workers): no pairs.
UNPAIRED_CATEGORIES = frozenset({"other_casualty"})
# At scale each figure is compared with the figures most reported around its publication date:
# the MOST_REPORTED groups with the most articles on its date and the NEIGHBOUR_DATES dates before.
NEIGHBOUR_DATES = 2
MOST_REPORTED = 5

CLASSIFICATIONS = ("consistent", "rounding", "time", "source", "conflict")  # precedence order
OFFICIAL_MEASURES = {"gaza_killed": "killed", "gaza_injured": "injured"}

PAIR_SCHEMA: dict[str, str] = {
    "category": "string",
    "article_a": "string",
    "value_a": "int64",
    "bound_a": "string",
    "article_b": "string",
    "value_b": "int64",
    "bound_b": "string",
    "classification": "string",
    "evidence": "string",
}
OFFICIAL_SCHEMA: dict[str, str] = {
    "category": "string",
    "article_id": "string",
    "outlet": "string",
    "published_date": "datetime64[ns]",
    "value": "int64",
    "bound": "string",
    "official_date": "datetime64[ns]",
    "official_value": "Int64",
    "official_field": "string",
    "difference": "Int64",
    "lag_days": "Int64",
    "above_official": "boolean",
}
COPIES_SCHEMA: dict[str, str] = {
    "original": "string",
    "derivative": "string",
    "similarity": "float64",
    "quality_original": "float64",
    "quality_derivative": "float64",
}
LAG_SCHEMA: dict[str, str] = {
    "outlet": "string",
    "category": "string",
    "published_date": "datetime64[ns]",
    "value": "int64",
    "bound": "string",
    "lag_days": "int64",
    "article_id": "string",
}
SUPPORT_SCHEMA: dict[str, str] = {
    "category": "string",
    "value": "int64",
    "bound": "string",
    "attribution_class": "string",
    "articles": "int64",
    "independent_articles": "int64",
    "independent_outlets": "int64",
}

BOUND_WORDS = {"=": "", ">": "more than ", ">=": "at least ", "~": "about ",
               "<": "fewer than ", "<=": "at most "}
SOURCE_WORDS = {
    "gaza_moh": "Gaza health ministry",
    "israeli_official": "Israeli officials",
    "afp_tally": "AFP tally",
    "un": "UN",
    "other": "another named source",
    "none": "no source given",
}


# --- intervals --------------------------------------------------------------------------------

def _number(x: float) -> str:
    return f"{x:,.0f}"


@dataclass(frozen=True, slots=True)
class Interval:
    """The counts a figure allows: from `low` to `high`, each end closed or open."""

    low: float
    high: float
    low_closed: bool = True
    high_closed: bool = True

    def overlaps(self, other: Interval) -> bool:
        # The tighter end wins; at equal values an open end is the tighter one.
        low, low_open = max((self.low, not self.low_closed), (other.low, not other.low_closed))
        high, high_closed = min((self.high, self.high_closed), (other.high, other.high_closed))
        return low < high or (low == high and not low_open and high_closed)

    def above(self, count: float) -> bool:
        """Every count this interval allows is larger than `count`."""
        return self.low > count or (self.low == count and not self.low_closed)

    @lru_cache(maxsize=1 << 14)  # noqa: B019 - intervals are few, immutable and shared
    def __str__(self) -> str:
        fractional_high = math.isfinite(self.high) and not float(self.high).is_integer()
        if fractional_high or not float(self.low).is_integer():
            # Counts are whole numbers: a fractional end reads as the whole counts inside it.
            low = math.ceil(self.low)
            high = math.floor(self.high) if fractional_high else self.high
            return str(Interval(low, high, self.low_closed or low != self.low,
                                self.high_closed or high != self.high))
        if self.low == self.high:
            return f"exactly {_number(self.low)}"
        if self.low_closed and self.high_closed and self.low > 0 and math.isfinite(self.high):
            return f"{_number(self.low)} to {_number(self.high)}"
        low = f"{_number(self.low)} or more" if self.low_closed else f"above {_number(self.low)}"
        if math.isinf(self.high):
            return low
        high = (f"at most {_number(self.high)}" if self.high_closed
                else f"below {_number(self.high)}")
        return high if self.low == 0 and self.low_closed else f"{low} and {high}"


def precision_step(value: int) -> int:
    """The place value of the last significant digit: 32,000 -> 1,000; 1,143 -> 1; 0 -> 1."""
    step = 1
    while value and value % (step * 10) == 0:
        step *= 10
    return step


@lru_cache(maxsize=1 << 16)
def interval(value: int, bound: str, tolerance: float = APPROX_TOLERANCE) -> Interval:
    """The counts a figure allows as stated (see the module docstring); `tolerance=0` reads
    "about X" as exactly X."""
    step = precision_step(value)
    capped = value + step if step > 1 else math.inf
    match bound:
        case "=":
            return Interval(value, value)
        case ">":
            return Interval(value, capped, low_closed=False, high_closed=False)
        case ">=":
            return Interval(value, capped, high_closed=False)
        case "<":
            return Interval(0, value, high_closed=False)
        case "<=":
            return Interval(0, value)
        case "~":
            return Interval(value * (1 - tolerance), value * (1 + tolerance))
    raise ValueError(f"unknown bound {bound!r}: expected one of {tuple(BOUND_WORDS)}")


@lru_cache(maxsize=1 << 16)
def rounded_interval(value: int, bound: str, tolerance: float = APPROX_TOLERANCE) -> Interval:
    """The counts a figure allows once rounding is allowed for: a round "=" number covers what
    rounds to it at its significant digits, "~" the wider of that and its tolerance."""
    half = precision_step(value) / 2
    if bound == "=" and half >= 1:
        return Interval(value - half, value + half, high_closed=False)
    if bound == "~":
        stated = interval(value, bound, tolerance)
        return Interval(min(stated.low, value - half), max(stated.high, value + half))
    return interval(value, bound, tolerance)


def phrase(value: int, bound: str) -> str:
    """The figure in words: ">" 32000 -> "more than 32,000"."""
    return f"{BOUND_WORDS[bound]}{value:,}"


# --- pairs ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Report:
    """One reported figure with what the comparison needs to know about it."""

    category: str
    value: int
    bound: str
    attribution_class: str
    published_date: dt.date | None = None
    article_id: str = ""
    outlet: str = ""
    attribution_text: str = ""  # the source as worded: "according to Israeli tallies"

    def __str__(self) -> str:
        words, when, _ = _figure_words(self.value, self.bound, self.published_date,
                                       self.attribution_class)
        return (f'"{words}" ({self.article_id or "article unknown"}, '
                f'{self.outlet or "outlet unknown"}, {when}, {self.source})')

    @property
    def source(self) -> str:
        """The source class in words, with the article's own wording of it when there is one:
        'Israeli officials ("according to Israeli tallies")'."""
        source = SOURCE_WORDS.get(self.attribution_class, self.attribution_class)
        return f'{source} ("{self.attribution_text}")' if self.attribution_text else source


@lru_cache(maxsize=1 << 16)
def _figure_words(value: int, bound: str, published: dt.date | None, source: str) -> tuple:
    """The parts of a report's description that many articles share (cached)."""
    when = published.isoformat() if published else "date unknown"
    return phrase(value, bound), when, SOURCE_WORDS.get(source, source)


def _date(value) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def as_report(item) -> Report:
    """A `Report` from a Report, a mapping or table row, or an object with the same fields."""
    if isinstance(item, Report):
        return item
    if hasattr(item, "keys"):
        get = item.get
    else:
        def get(name, default=None):
            return getattr(item, name, default)
    return Report(
        category=str(get("category")),
        value=int(get("value")),
        bound=str(get("bound")),
        attribution_class=_text(get("attribution_class", "")) or "none",
        published_date=_date(get("published_date")),
        article_id=_text(get("article_id", "")),
        outlet=_text(get("outlet", "")),
        attribution_text=_text(get("attribution_text", "")),
    )


def _why_time_does_not_explain(a: Report, b: Report) -> str:
    direction = MONOTONE_CATEGORIES.get(a.category)
    if direction is None:
        return f"{a.category} is not a running count, so time does not explain it"
    if a.published_date is None or b.published_date is None:
        return "a publication date is unknown, so time cannot explain it"
    if a.published_date == b.published_date:
        return "both were published the same day"
    moves, trend = ("grows", "larger") if direction > 0 else ("falls", "smaller")
    return f"{a.category} only {moves}, yet the later report is not the {trend}"


def _time_explains(a: Report, b: Report) -> bool:
    """A running count moved the right way between two dates. Called once the figures are known
    not to overlap even allowing for rounding, so one lies wholly above the other."""
    direction = MONOTONE_CATEGORIES.get(a.category)
    if direction is None or a.published_date is None or b.published_date is None:
        return False
    if a.published_date == b.published_date:
        return False
    earlier, later = sorted((a, b), key=lambda r: r.published_date)
    earlier_counts = rounded_interval(earlier.value, earlier.bound)
    later_counts = rounded_interval(later.value, later.bound)
    if direction > 0:
        return later_counts.low >= earlier_counts.high
    return later_counts.high <= earlier_counts.low


def classify_pair(a, b) -> tuple[str, str]:
    """(classification, evidence) for two figures of one category; see the module docstring for
    the classes and their precedence. `a` and `b` are `Report`s or rows with the same fields."""
    a, b = as_report(a), as_report(b)
    if a.category != b.category:
        raise ValueError(f"cannot compare {a.category} with {b.category}")
    if (a.value, a.bound) == (b.value, b.bound):
        return "consistent", f"{a} and {b} report the same figure."
    stated_a, stated_b = interval(a.value, a.bound, 0), interval(b.value, b.bound, 0)
    if stated_a.overlaps(stated_b):
        return "consistent", (f"{a} and {b} can both be true: {stated_a} and {stated_b} "
                              f"overlap.")
    rounded_a, rounded_b = rounded_interval(a.value, a.bound), rounded_interval(b.value, b.bound)
    if rounded_a.overlaps(rounded_b):
        return "rounding", (f"{a} and {b} differ only by rounding: allowing for it they read "
                            f"{rounded_a} and {rounded_b}, which overlap.")
    if _time_explains(a, b):
        earlier, later = sorted((a, b), key=lambda r: r.published_date)
        days = (later.published_date - earlier.published_date).days
        grows = MONOTONE_CATEGORIES[a.category] > 0
        return "time", (f"{a.category} only {'grows' if grows else 'falls'}, and {later} was "
                        f"published {days} day{'s' if days != 1 else ''} after {earlier}, "
                        f"with the {'larger' if grows else 'smaller'} figure.")
    differs = (f"{a} and {b} differ even allowing for rounding, and "
               f"{_why_time_does_not_explain(a, b)}")
    if a.attribution_class != b.attribution_class:
        return "source", (f"{differs}; they are attributed differently: {a.source} and "
                          f"{b.source}.")
    return "conflict", (f"{differs}; both are attributed to "
                        f"{SOURCE_WORDS.get(a.attribution_class, a.attribution_class)}.")


# --- tables -----------------------------------------------------------------------------------

def corpus_copies(paths: Iterable, manifest=None, article_ids: Iterable[str] | None = None) -> list:
    """Copy pairs (`copies.CopyPair`) among a corpus's readable articles, streamed through
    `copies.find_copies`; only the articles in `article_ids` take part when it is given (the
    articles a notebook kept, e.g. after its as_of cut-off)."""
    from helpers import copies, corpus

    keep = None if article_ids is None else set(article_ids)
    return copies.find_copies(
        item for item in corpus.iter_articles(paths, manifest=manifest)
        if isinstance(item, records.Article) and (keep is None or item.article_id in keep))


def copies_frame(copy_pairs: Iterable) -> pd.DataFrame:
    """Copy pairs as a table: original, derivative, similarity and both text-quality scores."""
    rows = [tuple(getattr(pair, name) for name in COPIES_SCHEMA) for pair in copy_pairs]
    return _frame(rows, COPIES_SCHEMA)


def _reported(figures: pd.DataFrame, articles: pd.DataFrame, exclude_ids=()) -> pd.DataFrame:
    """Figures with their article's outlet and date; one row per distinct figure per article
    (with the first wording of its source)."""
    columns = ["article_id", "category", "value", "bound", "attribution_class"]
    known = articles[["article_id", "outlet", "published_date"]].drop_duplicates("article_id")
    texts = (figures["attribution_text"] if "attribution_text" in figures
             else pd.Series("", index=figures.index))
    rows = figures[columns].assign(attribution_text=texts).drop_duplicates(columns)
    rows = rows[~rows["article_id"].isin(list(exclude_ids))]
    rows = rows.merge(known, on="article_id", how="left")
    rows["published_date"] = pd.to_datetime(rows["published_date"])
    rows["outlet"] = rows["outlet"].astype("string").fillna("")
    rows["attribution_class"] = rows["attribution_class"].astype("string").fillna("none")
    rows["attribution_text"] = rows["attribution_text"].astype("string").fillna("")
    return rows


def _frame(rows: list[tuple], schema: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(schema))
    return frame.astype(schema)


@dataclass(frozen=True, slots=True)
class _Group:
    """Reports with one signature; `members` are (article_id, outlet, attribution_text) sorted by
    article id."""

    report: Report  # the first member's report
    members: tuple[tuple[str, str, str], ...]

    def as_member(self, index: int) -> Report:
        if index == 0:
            return self.report
        r = self.report
        return Report(r.category, r.value, r.bound, r.attribution_class, r.published_date,
                      *self.members[index])


def _by_date(item: tuple[dt.date | None, list]) -> tuple[bool, dt.date]:
    return item[0] is None, item[0] or dt.date.min


def _groups(reported: pd.DataFrame) -> dict[str, list[list[_Group]]]:
    """Per category, its signature groups bucketed by publication date (dated ones in order)."""
    keys = ["category", "value", "bound", "attribution_class", "published_date"]
    ordered = reported.sort_values(keys + ["article_id"], kind="stable", na_position="last")
    stamps = ordered["published_date"]
    day_of = {stamp: stamp.date() for stamp in stamps.dropna().unique()}
    columns = zip(ordered["category"].tolist(), ordered["value"].tolist(),
                  ordered["bound"].tolist(), ordered["attribution_class"].tolist(),
                  [day_of.get(stamp) for stamp in stamps.tolist()],
                  ordered["article_id"].tolist(), ordered["outlet"].tolist(),
                  ordered["attribution_text"].tolist())
    members: dict[tuple, list[tuple[str, str, str]]] = {}
    for category, value, bound, source, day, article_id, outlet, text in columns:
        members.setdefault((category, value, bound, source, day), []).append(
            (article_id, outlet, text))
    by_category: dict[str, dict[dt.date | None, list[_Group]]] = {}
    for (category, value, bound, source, day), group_members in members.items():
        group = _Group(Report(category, value, bound, source, day, *group_members[0]),
                       tuple(group_members))
        by_category.setdefault(category, {}).setdefault(day, []).append(group)
    return {category: [groups for _, groups in sorted(days.items(), key=_by_date)]
            for category, days in by_category.items()}


def _most_reported_first(group: _Group) -> tuple:
    r = group.report
    return (-len(group.members), r.published_date or dt.date.max, r.value, r.bound,
            r.attribution_class)


def _candidate_pairs(category: str, buckets: list[list[_Group]]) -> Iterable[tuple[_Group, _Group]]:
    """Which groups are compared (see pair_table): each group of a date with the MOST_REPORTED
    groups of its window (its date and the NEIGHBOUR_DATES dates before; for undated groups the
    whole category), each pair once."""
    reach = 0 if category in SAME_DAY_CATEGORIES else NEIGHBOUR_DATES
    seen: set[tuple[int, int]] = set()
    for index, bucket in enumerate(buckets):
        if bucket[0].report.published_date is None:
            window = [g for b in buckets for g in b]
        else:
            window = [g for b in buckets[max(0, index - reach):index + 1] for g in b]
        leaders = heapq.nsmallest(MOST_REPORTED, window, key=_most_reported_first)
        for group, leader in product(bucket, leaders):
            key = tuple(sorted((id(group), id(leader))))
            if group is not leader and key not in seen:
                seen.add(key)
                yield leader, group


def _distinct_members(g: _Group, h: _Group) -> tuple[Report, Report] | None:
    """Representatives of two groups that are different articles, or None if there are none."""
    if g.report.article_id != h.report.article_id:
        return g.report, h.report
    for i, j in product(range(len(g.members)), range(len(h.members))):
        if g.members[i][0] != h.members[j][0]:
            return g.as_member(i), h.as_member(j)
    return None


def _pair_row(a: Report, b: Report, sizes: tuple[int, int] = (1, 1)) -> tuple:
    """One table row (PAIR_SCHEMA order); the earlier publication, then the smaller id, is a."""
    def order(r: Report) -> tuple:
        return r.published_date or dt.date.max, r.article_id

    if order(a) > order(b):
        a, b, sizes = b, a, sizes[::-1]
    classification, evidence = classify_pair(a, b)
    if sizes != (1, 1):
        evidence += (f" Each side stands for its identical reports (same figure, source and "
                     f"date): {sizes[0]} and {sizes[1]} articles.")
    return (a.category, a.article_id, a.value, a.bound, b.article_id, b.value, b.bound,
            classification, evidence)


def pair_table(figures: pd.DataFrame, articles: pd.DataFrame, exclude_ids=(),
               series: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every compared pair of figures from different articles, classified with its evidence.

    Columns `PAIR_SCHEMA`, sorted by category, article_a, article_b; article_a is the earlier
    publication. Articles in `exclude_ids` (derivatives: `copies.derived_ids`) take no part;
    other_casualty is not paired (it mixes measures).

    What is compared, so that cost grows with the corpus, not with its square:
    - figures with the same signature (category, value, bound, source class, publication date)
      form a group; each member after the first is paired once with the first ("the same
      figure"), so a figure a thousand outlets repeat gives a thousand rows, not half a million;
    - each group is compared with the MOST_REPORTED groups of its category that have the most
      articles on its publication date and the NEIGHBOUR_DATES publication dates before it
      (its date only for SAME_DAY_CATEGORIES): "does this figure agree with what most outlets
      were reporting then, and if not, why". Comparison is through one representative article
      per group; the evidence says how many articles each side stands for. In a small corpus
      (up to MOST_REPORTED distinct figures in a window) this is every pair of figures;
      at scale, two rarely reported figures of the same days are not compared with each other;
    - an undated group cannot be placed beside a date: it is compared with the MOST_REPORTED
      groups of its whole category (its difference from them can never be `time`).
    The cost is (groups) x MOST_REPORTED plus a sort per date: linear in the corpus.

    With the official daily `series`, the evidence of every dated Gaza toll pair also gives the
    official count on each publication date, so a reader sees how far the series itself moved.
    """
    reported = _reported(figures, articles, exclude_ids)
    reported = reported[~reported["category"].isin(list(UNPAIRED_CATEGORIES))]
    rows: list[tuple] = []
    for category, buckets in _groups(reported).items():
        for bucket in buckets:
            for group in bucket:
                rows.extend(_pair_row(group.report, group.as_member(i))
                            for i in range(1, len(group.members)))
        for g, h in _candidate_pairs(category, buckets):
            pair = _distinct_members(g, h)
            if pair is None:
                continue
            rows.append(_pair_row(*pair, (len(g.members), len(h.members))))
    table = _frame(rows, PAIR_SCHEMA)
    if series is not None:
        table = _with_official_counts(table, articles, series)
    order = ["category", "article_a", "article_b", "value_a", "value_b", "bound_a", "bound_b"]
    return table.sort_values(order, kind="stable", ignore_index=True)


def _with_official_counts(table: pd.DataFrame, articles: pd.DataFrame,
                          series: pd.DataFrame) -> pd.DataFrame:
    """Append "The official series counted N on DATE and M on DATE." to Gaza toll pairs."""
    published = articles.set_index("article_id")["published_date"]
    table = table.copy()
    for category, measure in OFFICIAL_MEASURES.items():
        rows = table.index[table["category"] == category]
        if len(rows) == 0:
            continue
        dates = {side: table.loc[rows, f"article_{side}"].map(published) for side in "ab"}
        counts = {side: reference.official_as_of(series, dates[side], measure) for side in "ab"}
        for k, row in enumerate(rows):
            a, b = counts["a"].iloc[k], counts["b"].iloc[k]
            if pd.isna(a["value"]) or pd.isna(b["value"]):
                continue
            table.at[row, "evidence"] += (
                f" The official series counted {int(a['value']):,} on {a['date']:%Y-%m-%d} and "
                f"{int(b['value']):,} on {b['date']:%Y-%m-%d}.")
    return table


def classification_counts(pairs: pd.DataFrame) -> pd.DataFrame:
    """Compared pairs per category (rows) and classification (columns, in precedence order)."""
    counts = pd.crosstab(pairs["category"], pairs["classification"])
    counts = counts.reindex(columns=list(CLASSIFICATIONS), fill_value=0).astype("int64")
    counts.columns.name = None
    return counts.rename_axis("category")


def independent_counts(figures: pd.DataFrame, articles: pd.DataFrame,
                       exclude_ids=()) -> pd.DataFrame:
    """How many articles report each figure, and how many of them are independent (not in
    `exclude_ids`: `copies.derived_ids(copies.find_copies(...))`), with their distinct outlets."""
    reported = _reported(figures, articles)
    keys = ["category", "value", "bound", "attribution_class"]
    reported["independent"] = ~reported["article_id"].isin(list(exclude_ids))
    independent = reported[reported["independent"]]
    counts = reported.groupby(keys).agg(articles=("article_id", "nunique"))
    own = independent.groupby(keys).agg(
        independent_articles=("article_id", "nunique"),
        independent_outlets=("outlet", lambda outlets: outlets[outlets != ""].nunique()))
    table = counts.join(own).fillna(0).reset_index()
    table = table.astype(SUPPORT_SCHEMA)[list(SUPPORT_SCHEMA)]
    return table.sort_values(["category", "independent_articles", "value"],
                             ascending=[True, False, True], kind="stable", ignore_index=True)


# --- the official series ----------------------------------------------------------------------

def _lag_days(counts: pd.Series, value: int, bound: str, published: np.ndarray) -> np.ndarray:
    """For each publication date (datetime64, no NaT), days since the latest official date on or
    before it whose count the figure allows (allowing for rounding); negative when only later
    official dates do (the report was ahead of the series); NaN when no official date does."""
    allowed = rounded_interval(value, bound)
    numbers = counts.to_numpy()
    above_low = numbers >= allowed.low if allowed.low_closed else numbers > allowed.low
    below_high = numbers <= allowed.high if allowed.high_closed else numbers < allowed.high
    matching = counts.index[above_low & below_high].to_numpy()
    if len(matching) == 0:
        return np.full(len(published), np.nan)
    before = np.searchsorted(matching, published, side="right") - 1
    nearest = np.where(before >= 0, matching[np.maximum(before, 0)], matching[0])
    return ((published - nearest) // np.timedelta64(1, "D")).astype(float)


def official_check(figures: pd.DataFrame, articles: pd.DataFrame,
                   series: pd.DataFrame | None) -> pd.DataFrame:
    """Every gaza_killed and gaza_injured figure against the official series on its date.

    Columns `OFFICIAL_SCHEMA`: the official count as of the publication date (the latest report
    on or before it, `official_field` says whether plain or gap-free), `difference` = value minus
    that count, `lag_days` (how old the quoted count was: days since the latest official date
    whose count the figure allows; negative when the report was ahead of the series), and
    `above_official` when every count the figure allows is above the official one. With no
    series (None) the official columns stay empty.
    """
    reported = _reported(figures, articles)
    reported = reported[reported["category"].isin(list(OFFICIAL_MEASURES))]
    table = reported.sort_values(["category", "published_date", "article_id", "value"],
                                 kind="stable", na_position="last", ignore_index=True)
    table = table.reindex(columns=list(OFFICIAL_SCHEMA)).astype(OFFICIAL_SCHEMA)
    if series is None:
        return table
    for category, measure in OFFICIAL_MEASURES.items():
        rows = table.index[table["category"] == category]
        if len(rows) == 0:
            continue
        found = reference.official_as_of(series, table.loc[rows, "published_date"],
                                         measure).set_axis(rows)
        table.loc[rows, "official_date"] = found["date"]
        table.loc[rows, "official_value"] = found["value"]
        table.loc[rows, "official_field"] = found["field"]
        counts = reference.official_counts(series, measure)
        dated = table.loc[rows].dropna(subset=["published_date"])
        lags = np.full(len(dated), np.nan)
        published = dated["published_date"].to_numpy()
        for (value, bound), at in dated.groupby(["value", "bound"]).indices.items():
            lags[at] = _lag_days(counts, value, bound, published[at])
        table.loc[dated.index, "lag_days"] = pd.array(lags, dtype="Float64").astype("Int64")
    table["difference"] = table["value"] - table["official_value"]
    table["above_official"] = [
        pd.NA if pd.isna(official) else interval(value, bound).above(official)
        for value, bound, official in zip(table["value"], table["bound"], table["official_value"])
    ]
    return table.astype(OFFICIAL_SCHEMA)


def lag_by_outlet(check: pd.DataFrame, unknown_outlet: str = "") -> pd.DataFrame:
    """The reports of an `official_check` table whose quoted count's age is known, by outlet
    (`unknown_outlet` names a missing one) and date: the input of `charts.lag_by_outlet`."""
    rows = check.dropna(subset=["lag_days"])
    rows = rows.assign(outlet=rows["outlet"].fillna("").replace("", unknown_outlet))
    rows = rows.sort_values(["outlet", "published_date", "category", "article_id"], kind="stable")
    return rows[list(LAG_SCHEMA)].astype(LAG_SCHEMA).reset_index(drop=True)
