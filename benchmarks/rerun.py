"""Incremental reruns and the engines at scale, run through `python -m helpers extract`.

    python benchmarks/rerun.py [--n 10000] [--large 100000] [--skip-large]

1. On N synthetic articles: a first run with an empty store, then a rerun after adding one
   article, as seconds and as a ratio (target: the rerun costs under 5% of the first run); a
   rerun on the unchanged corpus, and whether the csv it prints is byte for byte that of a run
   without the store (one more full extraction).
2. On LARGE articles: wall time and peak memory of the local and the Dask engine (local cluster,
   one worker per core). Dask needs requirements-scale.txt; without it that line says so.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import synthetic


def _run_manifest(store: Path) -> dict:
    return json.loads((store / "last-run.json").read_text(encoding="utf-8"))


def _csv(*arguments: str | Path) -> bytes:
    """What `python -m helpers extract ARGUMENTS --format csv` prints."""
    argv = [sys.executable, "-m", "helpers", "extract", *map(str, arguments), "--format", "csv"]
    return subprocess.run(argv, check=True, stdout=subprocess.PIPE).stdout


def rerun(n: int, seed: int) -> None:
    with tempfile.TemporaryDirectory(prefix="tallies-rerun-") as tmp:
        directory = synthetic.write_corpus(Path(tmp) / "corpus", n, seed)
        store = Path(tmp) / "store"
        first = synthetic.run_helpers("extract", directory, "--store", store)
        synthetic.write_article(directory, n, seed)
        again = synthetic.run_helpers("extract", directory, "--store", store)
        manifest = _run_manifest(store)
        unchanged = synthetic.run_helpers("extract", directory, "--store", store)
        unchanged_manifest = _run_manifest(store)
        # The tables a rerun prints from the store against those of a run that reads and
        # extracts every article.
        identical = _csv(directory, "--store", store) == _csv(directory)
    print(f"first run, {n:,} articles, empty store: {first.seconds:7.2f} s "
          f"(CPU {first.cpu_seconds:.2f} s)")
    print(f"rerun after adding one article:     {again.seconds:7.2f} s "
          f"(CPU {again.cpu_seconds:.2f} s; files read {manifest['files_read']:,}, "
          f"unchanged {manifest['files_unchanged']:,}; figures reused "
          f"{manifest['counts']['reused']:,}, extracted {manifest['counts']['extracted']:,})")
    if manifest["files_read"] > 1:
        print("note: the rerun read every file again: the corpus reader or its data files "
              "changed between the two runs (see helpers.store.reader_fingerprint)")
    # CPU time too: on a shared machine wall time also counts what others ran meanwhile.
    print(f"rerun / first run: {again.seconds / first.seconds:.1%} of the wall time, "
          f"{again.cpu_seconds / first.cpu_seconds:.1%} of the CPU time")
    print(f"rerun on the unchanged corpus:      {unchanged.seconds:7.2f} s "
          f"(CPU {unchanged.cpu_seconds:.2f} s; files read {unchanged_manifest['files_read']:,}, "
          f"figures extracted {unchanged_manifest['counts']['extracted']:,}); its csv is "
          f"{'byte-identical to' if identical else 'NOT the same as'} a run without the store")


def engines(n: int, seed: int) -> None:
    with tempfile.TemporaryDirectory(prefix="tallies-engines-") as tmp:
        directory = synthetic.write_corpus(Path(tmp) / "corpus", n, seed)
        size_mb = synthetic.corpus_bytes(directory) / 1e6
        print(f"{n:,} articles, {size_mb:,.0f} MB:")
        local = synthetic.run_helpers("extract", directory, whole_tree=True)
        print(f"  local engine: {local.seconds:7.1f} s, peak memory {local.tree_peak_mb:,.0f} MB")
        if importlib.util.find_spec("distributed") is None:
            print("  dask engine:  not installed (pip install -r requirements-scale.txt)")
            return
        dask = synthetic.run_helpers("extract", directory, "--engine", "dask", whole_tree=True)
        print(f"  dask engine:  {dask.seconds:7.1f} s, peak memory {dask.tree_peak_mb:,.0f} MB "
              f"for all its processes (largest one {dask.peak_mb:,.0f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="articles for the rerun (10,000)")
    parser.add_argument("--large", type=int, default=100_000,
                        help="articles for the engine comparison (100,000)")
    parser.add_argument("--skip-large", action="store_true", help="only the rerun")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rerun(args.n, args.seed)
    if not args.skip_large:
        engines(args.large, args.seed)


if __name__ == "__main__":
    main()
