"""The collection's parameters: the literals of every notebook's `parameters` cell, resolved.

Each notebook declares the same five strings, "" meaning "the default":
`corpus_dir` (default seeds/), `manifest` (default: a manifest.csv inside the corpus folder),
`reference_path` (default: the file named by the environment variable TALLIES_REFERENCE, else
data/reference/casualties_daily.json if fetched, else none: the reports say the series is missing), `as_of` (an ISO date; default:
no cut-off) and `output_dir` (where a notebook writes its files; default: nowhere).

`resolve` turns them into paths and a date in exactly one way, so a notebook behaves the same from
JupyterLab (cwd notebooks/), papermill and nbval (cwd anything): relative paths start at the
project root, never at the working directory. The runner calls it too, before any notebook runs,
so a bad value fails in a second with the parameter's name rather than minutes later in a cell.
"""

from __future__ import annotations

import datetime
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

from helpers import paths

NAMES = ("corpus_dir", "manifest", "reference_path", "as_of", "output_dir")
REFERENCE_VARIABLE = "TALLIES_REFERENCE"


class ParameterError(ValueError):
    """A parameter value that cannot be used; the message starts with the parameter's name."""


@dataclass(frozen=True)
class Parameters:
    corpus_dir: Path
    manifest: Path | None
    reference_path: Path | None  # None: no official series at hand
    as_of: datetime.date | None  # None: no cut-off
    output_dir: Path | None  # None: the notebook writes no files

    def shown(self) -> dict[str, str]:
        """The values as a reader should see them: paths inside the project relative to it."""
        return {
            "corpus_dir": display_path(self.corpus_dir),
            "manifest": display_path(self.manifest) if self.manifest else "(manifest.csv in the corpus, if any)",
            "reference_path": (display_path(self.reference_path) if self.reference_path
                               else "(none: official series missing)"),
            "as_of": self.as_of.isoformat() if self.as_of else "(no cut-off)",
            "output_dir": display_path(self.output_dir) if self.output_dir else "(none: nothing written)",
        }


def display_path(path: str | Path) -> str:
    """A path as reports show it, the same on every checkout: relative to the project root when
    inside it or beside it ("seeds/a.txt", "../shared/data/x.json"), else absolute."""
    path = Path(os.path.abspath(path))  # "a/../b" -> "b", without following links
    for base, prefix in ((paths.ROOT, ""), (paths.ROOT.parent, "../")):
        try:
            return posixpath.normpath(prefix + path.relative_to(base).as_posix())
        except ValueError:
            continue
    return str(path)


def _existing(name: str, value: str) -> Path:
    path = paths.resolve(value)
    if not path.exists():
        raise ParameterError(f"{name}: no such file or folder: {value}")
    return path


def _date(name: str, value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ParameterError(f"{name}: not an ISO date (yyyy-mm-dd): {value!r}") from None


def _reference(value: str) -> Path | None:
    from helpers import reference

    # The environment variable lets a test run or a scheduled job pin the series for notebooks
    # whose parameter is left empty (nbval cannot pass parameters).
    name, value = ("reference_path", value) if value else (REFERENCE_VARIABLE, os.environ.get(REFERENCE_VARIABLE, ""))
    try:
        return reference.find_reference(value or None)
    except FileNotFoundError:
        # A path someone gave that is not there is a typo, not "no series".
        raise ParameterError(f"{name}: no such file: {value}") from None


def resolve(corpus_dir: str = "", manifest: str = "", reference_path: str = "", as_of: str = "",
            output_dir: str = "") -> Parameters:
    """The parameters a notebook runs with; raises ParameterError naming the bad one."""
    values = {"corpus_dir": corpus_dir, "manifest": manifest, "reference_path": reference_path,
              "as_of": as_of, "output_dir": output_dir}
    for name, value in values.items():
        if not isinstance(value, str):
            raise ParameterError(f"{name}: expected a string, got {type(value).__name__} {value!r}")
    return Parameters(
        corpus_dir=_existing("corpus_dir", corpus_dir) if corpus_dir else paths.SEEDS,
        manifest=_existing("manifest", manifest) if manifest else None,
        reference_path=_reference(reference_path),
        as_of=_date("as_of", as_of) if as_of else None,
        output_dir=paths.resolve(output_dir),
    )
