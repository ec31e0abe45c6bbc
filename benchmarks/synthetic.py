"""Synthetic corpora for the benchmarks, and a measured run of the command line on them.

Article i copies seed article i mod 5 and replaces every run of digits with random digits of the
same length (separators, words and layout stay), so the text has the seeds' shape and density of
numbers but no two articles are alike. Article i depends only on (seed, i): a corpus of n + 1
articles is the corpus of n plus one file, which is what the rerun benchmark needs.

    python benchmarks/synthetic.py N DIR     # write N articles into DIR
    python benchmarks/synthetic.py           # time writing 1,000 articles (as `make bench` does)
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Measured:
    """One finished command: wall and CPU seconds, and peak resident memory in MB."""

    seconds: float
    cpu_seconds: float
    peak_mb: float  # the largest single process (ru_maxrss)
    tree_peak_mb: float | None = None  # all its processes together, sampled (see run_helpers)


def _tree_rss(process) -> int:
    import psutil

    total = 0
    for p in [process, *process.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:  # ended between listing and reading
            pass
    return total


def run_helpers(*arguments: str | Path, whole_tree: bool = False) -> Measured:
    """Run `python -m helpers ARGUMENTS` as a user would, output to /dev/null, and measure it.

    Peak memory is the child's own ru_maxrss from wait4, so runs measured one after another do
    not mask each other (RUSAGE_CHILDREN would report the largest so far). A command that
    starts worker processes (the Dask engine) is also measured with `whole_tree`: the summed
    memory of all its processes, sampled every 0.1 s with psutil (installed with Dask).
    """
    argv = [sys.executable, "-m", "helpers", *map(str, arguments)]
    started = time.perf_counter()
    # stderr to a file, not a pipe: a chatty child must never block on a full pipe.
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=errors)
        tree_peak = 0
        if whole_tree:
            import psutil

            process = psutil.Process(child.pid)
            # Sample until the child has exited (still unreaped, so wait4 gets its rusage).
            while psutil.pid_exists(child.pid) and process.status() != psutil.STATUS_ZOMBIE:
                tree_peak = max(tree_peak, _tree_rss(process))
                time.sleep(0.1)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")
            raise SystemExit(f"{' '.join(argv)} exited {child.returncode}:\n{message}")
    # Linux reports ru_maxrss in KiB.
    return Measured(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                    tree_peak / 2**20 if whole_tree else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=1000, help="how many articles")
    parser.add_argument("directory", type=Path, nargs="?",
                        help="where to write them (default: a temporary folder, then removed)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started = time.perf_counter()
    if args.directory is None:
        with temporary_corpus(args.n, args.seed) as directory:
            size = corpus_bytes(directory)
    else:
        size = corpus_bytes(write_corpus(args.directory, args.n, args.seed))
    seconds = time.perf_counter() - started
    where = args.directory or "a temporary folder"
    print(f"synthetic corpus: {args.n} articles, {size / 1e6:.1f} MB in {where}, "
          f"written in {seconds:.2f} s")


if __name__ == "__main__":
    main()
