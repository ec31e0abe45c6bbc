"""Every path in the project starts here, never from the current working directory."""

from __future__ import annotations

import os
from pathlib import Path

# src/helpers/paths.py -> project root is two levels above the package folder.
ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
NOTEBOOKS = ROOT / "notebooks"
DATA = ROOT / "data"
REFERENCE_DIR = DATA / "reference"
REFERENCE_FILE = REFERENCE_DIR / "casualties_daily.json"
STORE_DIR = DATA / "store"
# The store the notebooks reuse figures from; set it empty to extract afresh every time.
STORE_VARIABLE = "TALLIES_STORE"
BUILD = ROOT / "build"
PACKAGE_DATA = Path(__file__).resolve().parent / "data"


def resolve(path: str | Path | None, default: Path | None = None) -> Path | None:
    """A user-given path: absolute stays as is, relative is taken from the project root."""
    if path is None or str(path) == "":
        return default
    p = Path(path).expanduser()
    return p if p.is_absolute() else (ROOT / p)


def notebook_store() -> Path | None:
    """The figure store the notebooks use: $TALLIES_STORE, else data/store/; None when the
    variable is set but empty."""
    chosen = os.environ.get(STORE_VARIABLE)
    if chosen is None:
        return STORE_DIR
    return resolve(chosen) if chosen else None
