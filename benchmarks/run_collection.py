"""The whole notebook collection on seeds/ against its floor, in wall-clock seconds.

collection: `report.run_collection` as `python -m helpers run` does it: every notebook executed
            side by side, HTML reports, index.html, run.json and the swap into the output folder.
floor:      one notebook that only imports pandas and matplotlib, run through papermill in this
            process with the same kernel: the least any notebook run can cost.
Target: collection <= 5 x floor. Each is measured --repeat times; the median is compared.

    .venv/bin/python benchmarks/run_collection.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from helpers import notebook_params, paths, report

TARGET_RATIO = 5.0


def floor_seconds(folder: Path) -> float:
    import papermill

    notebook = new_notebook(cells=[new_code_cell("import pandas\nimport matplotlib.pyplot")])
    notebook.metadata["kernelspec"] = {"name": report.KERNEL, "display_name": "Python (tallies)",
                                       "language": "python"}
    source = folder / "floor.ipynb"
    nbformat.write(notebook, source)
    started = time.perf_counter()
    papermill.execute_notebook(str(source), str(folder / "floor-out.ipynb"), kernel_name=report.KERNEL,
                               progress_bar=False, kernel_manager_class=report._kernel_manager_class())
    return time.perf_counter() - started


def collection_seconds(folder: Path) -> float:
    started = time.perf_counter()
    report.run_collection({"corpus_dir": "seeds"}, folder / "build", corpus=[paths.SEEDS],
                          corpus_label="seeds", progress=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (default 3)")
    args = parser.parse_args()
    notebooks = report.collection()
    params = notebook_params.resolve(corpus_dir="seeds")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        floors = [floor_seconds(folder) for _ in range(args.repeat)]
        runs = [collection_seconds(folder) for _ in range(args.repeat)]
    floor, run = statistics.median(floors), statistics.median(runs)
    series = notebook_params.display_path(params.reference_path) if params.reference_path else "none"
    print(f"corpus: seeds/ ({len(list(paths.SEEDS.iterdir()))} files), official series: {series}")
    print(f"collection: {len(notebooks)} notebooks with HTML, median {run:.2f} s "
          f"(runs: {', '.join(f'{s:.2f}' for s in runs)})")
    print(f"floor: one pandas+matplotlib notebook through papermill, median {floor:.2f} s "
          f"(runs: {', '.join(f'{s:.2f}' for s in floors)})")
    print(f"ratio: {run / floor:.2f} x floor (target <= {TARGET_RATIO:.0f} x)")


if __name__ == "__main__":  # the runner's worker processes import this module under another name
    main()
