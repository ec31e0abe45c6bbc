"""Synthetic corpora for the benchmarks: seed-sized articles with their digits re-drawn.

Article i copies seed article i mod 5 and replaces every run of digits with random digits of the
same length (separators, words and layout stay), so the text has the seeds' shape and density of
numbers but no two articles are alike. Article i depends only on (seed, i): a corpus of n + 1
articles is the corpus of n plus one file, which is what the rerun benchmark needs.

    python benchmarks/synthetic.py N DIR     # write N articles into DIR
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from helpers import paths

DIGIT_RUN = re.compile(r"\d+")


def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(paths.SEEDS.glob("*.txt"))]


def redraw_digits(text: str, rng: random.Random) -> str:
    """`text` with each run of digits replaced by random digits of the same length."""

    def redraw(match: re.Match) -> str:
        width = len(match.group())
        # No leading zero in a multi-digit run: "032,000" is not how anyone writes a number.
        first = str(rng.randint(1, 9)) if width > 1 else str(rng.randint(0, 9))
        return first + "".join(str(rng.randint(0, 9)) for _ in range(width - 1))

    return DIGIT_RUN.sub(redraw, text)


def article_text(i: int, seed: int = 0, templates: list[str] | None = None) -> str:
    templates = templates or seed_texts()
    return redraw_digits(templates[i % len(templates)], random.Random(f"{seed}:{i}"))


def article_path(directory: Path, i: int) -> Path:
    return directory / f"syn{i:07d}.txt"


def write_article(directory: Path, i: int, seed: int = 0, templates: list[str] | None = None) -> Path:
    path = article_path(directory, i)
    path.write_text(article_text(i, seed, templates), encoding="utf-8")
    return path


def write_corpus(directory: str | Path, n: int, seed: int = 0) -> Path:
    """Write articles 0..n-1 into `directory` (created if needed) and return it."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    templates = seed_texts()
    for i in range(n):
        write_article(directory, i, seed, templates)
    return directory


@contextmanager
def temporary_corpus(n: int, seed: int = 0) -> Iterator[Path]:
    """A folder of n synthetic articles, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="tallies-synthetic-") as tmp:
        yield write_corpus(Path(tmp) / "corpus", n, seed)


def corpus_bytes(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.iterdir())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many articles")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write_corpus(args.directory, args.n, args.seed)
    print(f"{args.n} articles in {args.directory}")


if __name__ == "__main__":
    main()
