"""Extraction throughput: `python -m helpers extract` on N synthetic articles, against quantulum3.

    python benchmarks/extract_throughput.py [--n 10000] [--sample 50]
    python benchmarks/extract_throughput.py --memory     # peak memory at 10,000 vs 100,000

Our extractor runs as a user runs it: a subprocess on the folder, output to /dev/null, so the
numbers include start-up, reading, decoding and writing. quantulum3 (requirements-dev.txt) is a
general quantity parser, timed in-process on a sample after one warm-up call (it loads its
unit tables on first use), so the ratio favours it if anything.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import synthetic


def report_extract(directory: Path, n: int) -> tuple[float, float]:
    """Run the extractor on `directory`, print its numbers, return its articles per wall and
    per CPU second."""
    size_mb = synthetic.corpus_bytes(directory) / 1e6
    run = synthetic.run_helpers("extract", directory)
    rate, cpu_rate = n / run.seconds, n / run.cpu_seconds
    print(f"helpers extract: {n:,} articles, {size_mb:.1f} MB in {run.seconds:.2f} s: "
          f"{rate:,.0f} articles/s, {size_mb / run.seconds:.2f} MB/s; "
          f"CPU {run.cpu_seconds:.2f} s: {cpu_rate:,.0f} articles/s; "
          f"peak memory {run.peak_mb:.0f} MB")
    return rate, cpu_rate


def quantulum3_rate(directory: Path, sample: int) -> tuple[float, float]:
    # Its classifier extra is not installed (nor needed for numbers); silence that notice.
    warnings.filterwarnings("ignore", category=UserWarning, module="quantulum3")
    from quantulum3 import parser

    files = sorted(directory.iterdir())[:sample]
    texts = [p.read_text(encoding="utf-8") for p in files]
    parser.parse(texts[0])
    started, cpu_started = time.perf_counter(), time.process_time()
    quantities = sum(len(parser.parse(text)) for text in texts)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    rate, cpu_rate = len(texts) / seconds, len(texts) / cpu_seconds
    print(f"quantulum3:      {len(texts):,} articles in {seconds:.2f} s: {rate:,.1f} articles/s; "
          f"CPU {cpu_seconds:.2f} s: {cpu_rate:,.1f} articles/s ({quantities:,} quantities)")
    return rate, cpu_rate


def throughput(n: int, sample: int, seed: int) -> None:
    with synthetic.temporary_corpus(n, seed) as directory:
        ours, ours_cpu = report_extract(directory, n)
        theirs, theirs_cpu = quantulum3_rate(directory, sample)
    # CPU time too: on a shared machine wall time also counts what others ran meanwhile.
    print(f"ratio: helpers extract is {ours / theirs:,.0f}x quantulum3's articles/s "
          f"({ours_cpu / theirs_cpu:,.0f}x per CPU second)")


def memory(sizes: list[int], seed: int) -> None:
    peaks = []
    for n in sizes:
        with synthetic.temporary_corpus(n, seed) as directory:
            size_mb = synthetic.corpus_bytes(directory) / 1e6
            run = synthetic.run_helpers("extract", directory)
        peaks.append(run.peak_mb)
        print(f"{n:>9,} articles ({size_mb:,.0f} MB): {run.seconds:7.1f} s, "
              f"peak memory {run.peak_mb:,.0f} MB")
    print(f"peak memory grows {peaks[-1] / peaks[0]:.2f}x for {sizes[-1] / sizes[0]:.0f}x the articles")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="synthetic articles (default 10,000)")
    parser.add_argument("--sample", type=int, default=50, help="articles given to quantulum3")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--memory", action="store_true",
                        help="compare peak memory at 10,000 and 100,000 articles instead")
    args = parser.parse_args()
    if args.memory:
        memory([10_000, 100_000], args.seed)
    else:
        throughput(args.n, args.sample, args.seed)


if __name__ == "__main__":
    main()
