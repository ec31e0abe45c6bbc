"""Reconciliation at scale: pair comparison and copy detection on 10,000 and 100,000 articles.

    python benchmarks/reconcile_scale.py [--sizes 10000 100000] [--copies-sizes 10000 100000]

Figure tables are synthetic but drawn like real reports: a few hundred outlets of very unequal
output, publication dates over 20 months (2% unknown), and per article a handful of figures: the
Gaza toll quoted from a running count one to a few days old, mostly as "more than" the last
thousand, sometimes exact or "about"; the 7 October toll and hostage counts in their common
variants (1,200 / 1,139 / 1,143 / about 1,200; 253 / 250 / 240 / 247) with varied sources;
Rafah population, daily tolls and other casualty counts.

Copy detection (`helpers.copies.find_copies`, when importable) runs on synthetic texts: 12 to 25
sentences of words drawn Zipf-like from a 20,000-word vocabulary, so unrelated articles share
common words as real ones do, and 2% planted derivatives of a recent article (sentences
reordered, one in ten dropped, a fifth of the words replaced, as a machine rewording would).
(benchmarks/synthetic.py's corpus is no test for it: every article there copies one of five.)

Each step runs once, in a forked child: seconds are its wall time; memory is the child's peak
resident size (Linux VmHWM) and how far it rose above what the child started with (interpreter,
libraries and the step's inputs).
Asserts nothing about time. Copy detection at 100,000 articles takes several minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from helpers import reconcile, records, reference, tables

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
    tolls = ((0.8, "gaza_killed", 300, 90), (0.4, "gaza_injured", 700, 200))
    for share, category, early, late in tolls:
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


SYLLABLES = ("ka", "lo", "mi", "ren", "tas", "vo", "pel", "dri", "sun", "gar", "ni", "bo", "tez",
             "ul", "fam", "cor", "es", "tri", "ham", "ob")


def synthetic_articles(n: int, seed: int = 0, copy_share: float = 0.02) -> list[records.Article]:
    """n article texts for copy detection (see the module docstring), 2% planted derivatives."""
    rng = np.random.default_rng(seed)
    vocabulary = np.array(sorted({"".join(rng.choice(SYLLABLES, rng.integers(2, 5)))
                                  for _ in range(30_000)})[:20_000])
    weights = 1 / np.arange(1, len(vocabulary) + 1)
    sentences_per_article = rng.integers(12, 26, n)
    words = vocabulary[rng.choice(len(vocabulary), (sentences_per_article.sum(), 14),
                                  p=weights / weights.sum())]
    sentences = [" ".join(row).capitalize() for row in words]
    ends = np.cumsum(sentences_per_article)
    texts: list[str] = []
    for i in range(n):
        if i > 10 and rng.random() < copy_share:
            source = texts[rng.integers(max(0, i - 1000), i)].split(". ")
            rng.shuffle(source)
            kept = source[: max(3, len(source) * 9 // 10)]
            reworded = []
            for sentence in kept:
                tokens = sentence.split()
                for k in rng.choice(len(tokens), len(tokens) // 5, replace=False):
                    tokens[k] = vocabulary[rng.integers(len(vocabulary))]
                reworded.append(" ".join(tokens))
            texts.append(". ".join(reworded) + ".")
        else:
            texts.append(". ".join(sentences[ends[i] - sentences_per_article[i]:ends[i]]) + ".")
    return [records.Article(article_id=f"syn{i:07d}", path=f"syn{i:07d}.txt", text=text)
            for i, text in enumerate(texts)]


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(f"{field}:"))
    return int(line.split()[1]) / 1024


def measured(step: Callable[..., object], *arguments) -> dict:
    """Run `step` once in a forked child (so steps do not inherit each other's freed memory):
    its seconds, its resident memory at the start and at its peak (VmHWM, reset at the start
    through /proc/self/clear_refs), and a summary of its result."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, report, leave without cleanup handlers
        os.close(read)
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # resets the peak resident size to the current one
        base = _status_mb("VmRSS")
        started = time.perf_counter()
        result = step(*arguments)
        seconds = time.perf_counter() - started
        summary = {"seconds": seconds, "rows": len(result), "base_mb": base,
                   "peak_mb": _status_mb("VmHWM")}
        if isinstance(result, pd.DataFrame) and "classification" in result:
            summary["classes"] = result["classification"].value_counts().to_dict()
        with os.fdopen(write, "w") as out:
            json.dump(summary, out)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as answer:
        text = answer.read()
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not text:
        raise SystemExit(f"the measured step failed (exit status {status})")
    return json.loads(text)


def report(name: str, n: int, measure: dict, seconds: dict[str, dict[int, float]]) -> None:
    seconds.setdefault(name, {})[n] = measure["seconds"]
    grown = measure["peak_mb"] - measure["base_mb"]
    print(f"  {name:<20} {measure['seconds']:8.2f} s   peak {measure['peak_mb']:6.0f} MB "
          f"(+{grown:.0f} MB over the {measure['base_mb']:.0f} MB it started with)   "
          f"{measure['rows']:,} rows")
    if "classes" in measure:
        classes = sorted(measure["classes"].items())
        print(" " * 22 + ", ".join(f"{name} {count:,}" for name, count in classes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000],
                        help="articles for pair_table and official_check")
    parser.add_argument("--copies-sizes", type=int, nargs="*", default=[10_000, 100_000],
                        help="articles for copies.find_copies (none: skip it)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    series = synthetic_series()
    seconds: dict[str, dict[int, float]] = {}
    for n in args.sizes:
        figures, articles = synthetic_tables(n, args.seed)
        print(f"{n:,} articles: {len(figures):,} figures")
        report("pair_table", n, measured(reconcile.pair_table, figures, articles), seconds)
        report("official_check", n,
               measured(reconcile.official_check, figures, articles, series), seconds)
    if args.copies_sizes and importlib.util.find_spec("helpers.copies") is None:
        print("copies.find_copies: not available (helpers.copies is not importable)")
    elif args.copies_sizes:
        from helpers import copies

        for n in args.copies_sizes:
            texts = synthetic_articles(n, args.seed)
            print(f"{n:,} article texts for copy detection")
            report("copies.find_copies", n, measured(copies.find_copies, texts), seconds)
    for name, by_size in seconds.items():
        if len(by_size) > 1:
            small, large = min(by_size), max(by_size)
            print(f"growth {large / small:g}x articles: {name} took "
                  f"{by_size[large] / by_size[small]:.1f}x the time")


if __name__ == "__main__":
    main()
