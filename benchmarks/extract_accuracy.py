"""Extraction accuracy on an annotated set of articles the engine was not tuned on.

    python benchmarks/extract_accuracy.py [--dir tests/fixtures/eval] [--quiet]

An annotated folder holds `articles/` (article files, read exactly as `python -m helpers extract`
reads them, through `helpers.engines.extract_corpus`) and `annotations.csv` with the columns
article_id,category,value,bound,attribution_class,surface: one row per figure mention, rows of an
article in the order the mentions appear in its text. An article with no rows has no figures, so
everything the engine emits for it is a false positive. `surface` is the number as printed
(bound words included or not); it only places the mention in the text, to show its sentence and
to pair it with the engine's record.

Prints:
- precision, recall and F1 on (article, category, value, bound), matched as multisets;
- attribution class among matched figures: accuracy (= micro F1), per-class and macro F1; and
  F1 on the full (article, category, value, bound, attribution_class) tuple;
- per-category counts;
- every error with its sentence, grouped: wrong category, wrong bound, wrong value (a gold mention
  and an engine record at the same place that differ in one of those), missed number, spurious
  number, wrong attribution.

Within one key a gold mention is paired with the nearest engine record of that key, so the pairs
(and the attribution compared) are the ones at the same place in the text whenever both exist.
The exit code is 0 whatever the scores: this is a measure, not a test.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from helpers import engines, paths, records, taxonomy
from helpers.sentences import SentenceIndex, collapse_whitespace

DEFAULT_DIR = paths.ROOT / "tests" / "fixtures" / "eval"
ANNOTATION_COLUMNS = ("article_id", "category", "value", "bound", "attribution_class", "surface")


@dataclass(frozen=True)
class Mention:
    """A figure mention, annotated or emitted: its key, its class and where it sits."""

    article_id: str
    category: str
    value: int
    bound: str
    attribution_class: str
    surface: str
    start: int  # -1 when an annotated surface could not be found in the text
    end: int
    sentence: str

    @property
    def key(self) -> tuple[str, str, int, str]:
        return self.article_id, self.category, self.value, self.bound

    def describe(self) -> str:
        return (f"{self.category} {self.value} {self.bound} [{self.attribution_class}] "
                f"{self.surface!r}")


def read_annotations(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = set(ANNOTATION_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise SystemExit(f"{path}: missing columns {', '.join(sorted(missing))}")
        return list(reader)


def check_row(row: dict[str, str], categories: tuple[str, ...]) -> list[str]:
    problems = []
    if row["category"] not in categories:
        problems.append(f"unknown category {row['category']!r}")
    if row["bound"] not in records.BOUNDS:
        problems.append(f"unknown bound {row['bound']!r}")
    if row["attribution_class"] not in records.ATTRIBUTION_CLASSES:
        problems.append(f"unknown attribution class {row['attribution_class']!r}")
    if not row["value"].isdigit():
        problems.append(f"value {row['value']!r} is not a whole number")
    return problems


def sentence_at(index: SentenceIndex, start: int) -> str:
    i = index.index_of(start) if start >= 0 else None
    if i is None:
        return ""
    s, e = index.spans[i]
    return collapse_whitespace(index.text[s:e])


def place_gold(rows: list[dict[str, str]], article_id: str,
               text: str) -> tuple[list[Mention], list[str]]:
    """Annotated rows of one article -> mentions placed in its text. Each surface is searched
    (as whole words) from the end of the previous row's, as rows follow the text's order."""
    index = SentenceIndex(text)
    placed, problems, cursor = [], [], 0
    for row in rows:
        pattern = re.compile(r"(?<!\w)" + re.escape(row["surface"]) + r"(?!\w)")
        found = pattern.search(text, cursor)
        if found is None:
            problems.append(f"{article_id}: surface {row['surface']!r} not found "
                            f"after offset {cursor}")
            start = end = -1
        else:
            start, end = found.span()
            cursor = end
        placed.append(Mention(article_id, row["category"], int(row["value"]), row["bound"],
                              row["attribution_class"], row["surface"], start, end,
                              sentence_at(index, start)))
    return placed, problems


def from_figure(figure: records.Figure) -> Mention:
    return Mention(figure.article_id, figure.category, figure.value, figure.bound,
                   figure.attribution_class, figure.surface, figure.char_start, figure.char_end,
                   figure.sentence)


def pair(gold: list[Mention], found: list[Mention]) -> tuple[list[tuple[Mention, Mention]],
                                                              list[Mention], list[Mention]]:
    """Multiset match on the key; within a key, nearest positions pair first."""
    by_key_gold: dict[tuple, list[Mention]] = defaultdict(list)
    by_key_found: dict[tuple, list[Mention]] = defaultdict(list)
    for m in gold:
        by_key_gold[m.key].append(m)
    for m in found:
        by_key_found[m.key].append(m)
    matched, missed, spurious = [], [], []
    for key in by_key_gold.keys() | by_key_found.keys():
        golds, founds = by_key_gold.get(key, []), by_key_found.get(key, [])
        candidates = sorted((abs(g.start - f.start), gi, fi)
                            for gi, g in enumerate(golds) for fi, f in enumerate(founds))
        used_g, used_f = set(), set()
        for _, gi, fi in candidates:
            if gi not in used_g and fi not in used_f:
                used_g.add(gi)
                used_f.add(fi)
                matched.append((golds[gi], founds[fi]))
        missed += [g for gi, g in enumerate(golds) if gi not in used_g]
        spurious += [f for fi, f in enumerate(founds) if fi not in used_f]
    return matched, missed, spurious


def overlaps(a: Mention, b: Mention) -> bool:
    return a.article_id == b.article_id and a.start >= 0 and a.start < b.end and b.start < a.end


def group_errors(missed: list[Mention], spurious: list[Mention]) -> dict[str, list[tuple]]:
    """A miss and a spurious record over the same text are one error of category, bound or
    value; the rest are missed or spurious numbers."""
    groups: dict[str, list[tuple]] = defaultdict(list)
    left = list(spurious)
    for g in missed:
        twin = next((f for f in left if overlaps(g, f)), None)
        if twin is None:
            groups["missed number"].append((g, None))
            continue
        left.remove(twin)
        if twin.category != g.category:
            groups["wrong category"].append((g, twin))
        elif twin.bound != g.bound:
            groups["wrong bound"].append((g, twin))
        else:
            groups["wrong value"].append((g, twin))
    groups["spurious number"] += [(None, f) for f in left]
    return groups


def prf(tp: int, n_found: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_found if n_found else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def run(directory: Path, quiet: bool) -> None:
    articles_dir, annotations_path = directory / "articles", directory / "annotations.csv"
    for needed in (articles_dir, annotations_path):
        if not needed.exists():
            print(f"{needed}: missing (an annotated folder holds articles/ and annotations.csv)",
                  file=sys.stderr)
            return
    categories = taxonomy.default().categories
    rows = read_annotations(annotations_path)
    problems = [f"annotations.csv line {n}: {p}" for n, row in enumerate(rows, start=2)
                for p in check_row(row, categories)]
    rows = [row for row in rows if not check_row(row, categories)]
    rows_by_article: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        rows_by_article[row["article_id"]].append(row)

    gold: list[Mention] = []
    found: list[Mention] = []
    article_ids: set[str] = set()
    started = time.process_time()
    for item, figures in engines.extract_corpus([articles_dir]):
        if isinstance(item, records.Unreadable):
            problems.append(f"unreadable: {item}")
            continue
        article_ids.add(item.article_id)
        placed, placing_problems = place_gold(rows_by_article.get(item.article_id, []),
                                              item.article_id, item.text)
        gold += placed
        problems += placing_problems
        found += [from_figure(f) for f in figures]
    cpu = time.process_time() - started
    problems += [f"annotations for {a!r}: no such article"
                 for a in sorted(rows_by_article.keys() - article_ids)]

    matched, missed, spurious = pair(gold, found)
    tp = len(matched)
    p, r, f1 = prf(tp, len(found), len(gold))
    zero = len(article_ids - {m.article_id for m in gold})
    print(f"{directory}: {len(article_ids)} articles ({zero} with no figures), "
          f"{len(gold)} annotated mentions, {len(found)} emitted; extraction CPU {cpu:.2f} s")
    print(f"\n(article, category, value, bound): precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}"
          f"   (tp {tp}, fp {len(spurious)}, fn {len(missed)})")

    same_class = [(g, e) for g, e in matched if g.attribution_class == e.attribution_class]
    accuracy = len(same_class) / tp if tp else 1.0
    print(f"attribution class among the {tp} matched: accuracy (micro F1) {accuracy:.3f}")
    class_f1: dict[str, tuple[float, int]] = {}  # class -> (F1, gold count among matched)
    for cls in records.ATTRIBUTION_CLASSES:
        c_tp = sum(1 for g, e in matched if g.attribution_class == e.attribution_class == cls)
        c_gold = sum(1 for g, _ in matched if g.attribution_class == cls)
        c_found = sum(1 for _, e in matched if e.attribution_class == cls)
        if c_gold or c_found:
            class_f1[cls] = (prf(c_tp, c_found, c_gold)[2], c_gold)
    macro = sum(f for f, _ in class_f1.values()) / max(len(class_f1), 1)
    print("  per class F1 (gold n): "
          + "  ".join(f"{cls} {f:.2f} ({n})" for cls, (f, n) in class_f1.items())
          + f"; macro F1 {macro:.3f}")
    _, _, f1_full = prf(len(same_class), len(found), len(gold))
    print(f"(article, category, value, bound, attribution_class): F1 {f1_full:.3f}")

    print(f"\n{'category':<24}{'gold':>6}{'found':>7}{'tp':>6}{'P':>8}{'R':>7}{'F1':>7}")
    gold_n = Counter(m.category for m in gold)
    found_n = Counter(m.category for m in found)
    tp_n = Counter(g.category for g, _ in matched)
    for category in sorted(gold_n.keys() | found_n.keys()):
        cp, cr, cf = prf(tp_n[category], found_n[category], gold_n[category])
        print(f"{category:<24}{gold_n[category]:>6}{found_n[category]:>7}{tp_n[category]:>6}"
              f"{cp:>8.2f}{cr:>7.2f}{cf:>7.2f}")

    groups = group_errors(missed, spurious)
    groups["wrong attribution"] = [(g, e) for g, e in matched
                                   if g.attribution_class != e.attribution_class]
    print("\nerrors: " + ", ".join(f"{name} {len(items)}" for name, items in groups.items()))
    if not quiet:
        for name, items in groups.items():
            if not items:
                continue
            print(f"\n== {name} ({len(items)})")
            for g, e in sorted(items, key=lambda ge: ((ge[0] or ge[1]).article_id,
                                                     (ge[0] or ge[1]).start)):
                where = g or e
                print(f"- {where.article_id}")
                if g is not None:
                    print(f"    gold:   {g.describe()}")
                if e is not None:
                    print(f"    engine: {e.describe()}")
                print(f"    | {where.sentence}")
    if problems:
        print(f"\nannotation problems ({len(problems)}):")
        for problem in problems:
            print(f"- {problem}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR,
                        help="annotated folder: articles/ and annotations.csv "
                             "(default: tests/fixtures/eval)")
    parser.add_argument("--quiet", action="store_true", help="scores only, no error listing")
    args = parser.parse_args(argv)
    run(args.dir, args.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
