"""Reconciliation at scale: pair comparison and copy detection on 10,000 and 100,000 articles.

    python benchmarks/reconcile_scale.py [--sizes 10000 100000] [--seed 0]

Figure tables are synthetic but drawn like real reports: a few hundred outlets of very unequal
output, publication dates over 20 months (2% unknown), and per article a handful of figures: the
Gaza toll quoted from a running count one to a few days old, mostly as "more than" the last
thousand, sometimes exact or "about"; the 7 October toll and hostage counts in their common
variants (1,200 / 1,139 / 1,143 / about 1,200; 253 / 250 / 240 / 247) with varied sources;
Rafah population, daily tolls and other casualty counts. Copy detection (`helpers.copies`, when
present) runs on synthetic article texts (benchmarks/synthetic.py).

Prints seconds and peak traced memory (tracemalloc, which numpy and pandas report to) per step and
size, and the growth ratio between the largest and the smallest size. Asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import time
import tracemalloc
from collections.abc import Callable

import numpy as np
import pandas as pd

from helpers import records, reconcile, reference, tables

START = dt.date(2023, 10, 7)
DAYS = 600
OUTLETS = 400


def running_count(day: np.ndarray, per_day_early: float, per_day_late: float) -> np.ndarray:
    """A cumulative toll: fast for the first 70 days, slower after (the shape of the real one)."""
    return (np.minimum(day, 70) * per_day_early + np.maximum(day - 70, 0) * per_day_late + 232
            ).astype("int64")


def _toll_figures(rng, article_ids, day, category, early, late):
    n = len(article_ids)
    lag = rng.geometric(0.5, n) - 1  # the count quoted is 0, 1, 2 ... days old
    count = running_count(np.maximum(day - lag, 0), early, late)
    form = rng.choice(["floor", "exact", "about", "at_least", "floor100"], n,
                      p=[0.6, 0.15, 0.1, 0.1, 0.05])
    value = np.select([form == "floor", form == "about", form == "floor100"],
                      [count // 1000 * 1000, (count + 500) // 1000 * 1000, count // 100 * 100],
                      count)
    bound = np.select([form == "exact", form == "about", form == "at_least"], ["=", "~", ">="], ">")
    source = rng.choice(["gaza_moh", "none", "un", "other"], n, p=[0.8, 0.12, 0.05, 0.03])
    return pd.DataFrame({"article_id": article_ids, "category": category, "value": value,
                         "bound": bound, "attribution_class": source})


def _variant_figures(rng, article_ids, category, variants):
    """Figures drawn from (value, bound, source, weight) variants."""
    weights = np.array([v[3] for v in variants], dtype=float)
    picks = rng.choice(len(variants), len(article_ids), p=weights / weights.sum())
    chosen = [variants[i] for i in picks]
    return pd.DataFrame({"article_id": article_ids, "category": category,
                         "value": [v[0] for v in chosen], "bound": [v[1] for v in chosen],
                         "attribution_class": [v[2] for v in chosen]})


def synthetic_tables(n: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(figures, articles) tables for n synthetic articles, in the schemas of helpers.tables."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"syn{i:07d}" for i in range(n)])
    outlet_weights = 1 / np.arange(1, OUTLETS + 1)  # a few outlets publish most
    outlets = rng.choice([f"Outlet {k:03d}" for k in range(OUTLETS)], n,
                         p=outlet_weights / outlet_weights.sum())
    day = rng.integers(0, DAYS, n)
    dated = rng.random(n) >= 0.02
    published = pd.to_datetime(START) + pd.to_timedelta(day, unit="D")
    articles = pd.DataFrame({
        "article_id": ids, "outlet": outlets,
        "published_date": published.where(dated, pd.NaT),
    })

    def some(share):
        return rng.random(n) < share

    parts = []
    for share, category, early, late in ((0.8, "gaza_killed", 300, 90), (0.4, "gaza_injured", 700, 200)):
        chosen = some(share)
        parts.append(_toll_figures(rng, ids[chosen], day[chosen], category, early, late))
    parts.append(_variant_figures(rng, ids[some(0.5)], "oct7_killed", [
        (1200, "=", "israeli_official", 5), (1200, "~", "none", 3), (1139, "=", "afp_tally", 2),
        (1143, "=", "none", 1), (1400, "=", "israeli_official", 1)]))
    parts.append(_variant_figures(rng, ids[some(0.4)], "hostages_taken", [
        (253, "=", "israeli_official", 4), (250, "~", "none", 3), (240, "~", "israeli_official", 2),
        (247, "=", "none", 1)]))
    parts.append(_variant_figures(rng, ids[some(0.2)], "rafah_population", [
        (1_400_000, "~", "un", 4), (1_000_000, ">", "none", 3), (1_500_000, "=", "un", 1)]))
    daily = some(0.2)
    parts.append(pd.DataFrame({"article_id": ids[daily], "category": "daily_killed",
                               "value": rng.integers(20, 150, daily.sum()), "bound": ">=",
                               "attribution_class": "gaza_moh"}))
    other = some(0.2)
    parts.append(pd.DataFrame({"article_id": ids[other], "category": "other_casualty",
                               "value": rng.integers(1, 300, other.sum()), "bound": "=",
                               "attribution_class": "other"}))
    figures = pd.concat(parts, ignore_index=True)
    figures = figures.assign(attribution_text="", sentence="", char_start=0, char_end=1, surface="")
    figures = figures[list(records.FIGURE_FIELDS)].astype(tables.FIGURES_SCHEMA)
    return figures, articles


def synthetic_series() -> pd.DataFrame:
    """An official series in `reference.SERIES_SCHEMA` following the same running counts."""
    day = np.arange(DAYS + 30)
    killed, injured = running_count(day, 300, 90), running_count(day, 700, 200)
    return pd.DataFrame({
        "date": pd.to_datetime(START) + pd.to_timedelta(day, unit="D"),
        "killed_cum": killed, "injured_cum": injured,
        "ext_killed_cum": killed, "ext_injured_cum": injured, "report_source": "mohtel",
    }).astype(reference.SERIES_SCHEMA)


def measured(step: Callable[[], object]) -> tuple[float, float, object]:
    """(seconds, peak MB traced, result): timed on its own, then once more under tracemalloc."""
    started = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - started
    del result
    tracemalloc.start()
    result = step()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak, result


def copy_detection(n: int, seed: int) -> Callable[[], object] | None:
    if importlib.util.find_spec("helpers.copies") is None:
        return None
    from synthetic import article_text, seed_texts

    from helpers import copies

    templates = seed_texts()
    articles = [records.Article(article_id=f"syn{i:07d}", path=f"syn{i:07d}.txt",
                                text=article_text(i, seed, templates)) for i in range(n)]
    return lambda: copies.find_copies(articles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-copies", action="store_true", help="skip copy detection")
    args = parser.parse_args()

    series = synthetic_series()
    seconds: dict[str, dict[int, float]] = {}
    for n in args.sizes:
        figures, articles = synthetic_tables(n, args.seed)
        print(f"{n:,} articles: {len(figures):,} figures")
        steps = {
            "pair_table": lambda: reconcile.pair_table(figures, articles),
            "official_check": lambda: reconcile.official_check(figures, articles, series),
        }
        copies_step = None if args.no_copies else copy_detection(n, args.seed)
        if copies_step is not None:
            steps["copies.find_copies"] = copies_step
        for name, step in steps.items():
            took, peak, result = measured(step)
            seconds.setdefault(name, {})[n] = took
            size = f"{len(result):,} rows" if hasattr(result, "__len__") else ""
            print(f"  {name:<20} {took:8.2f} s   peak {peak:8.1f} MB   {size}")
            if name == "pair_table":
                counts = result["classification"].value_counts().to_dict()
                print("  " + ", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())))
        if copies_step is None and not args.no_copies:
            print("  copies.find_copies   not available (helpers.copies is not importable)")
    smallest, largest = min(args.sizes), max(args.sizes)
    if smallest != largest:
        for name, by_size in seconds.items():
            print(f"growth {largest // smallest}x articles: {name} took "
                  f"{by_size[largest] / by_size[smallest]:.1f}x the time")


if __name__ == "__main__":
    main()
