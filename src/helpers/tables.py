"""Records -> DataFrames with declared columns and dtypes, and their csv/parquet files.

Column names and dtypes here are the stable schema every notebook, chart and export reads.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import atomic, records
from helpers.store import FigureStore

FIGURES_SCHEMA: dict[str, str] = {
    "article_id": "string",
    "category": "string",
    "value": "int64",
    "bound": "string",
    "attribution_class": "string",
    "attribution_text": "string",
    "sentence": "string",
    "char_start": "int64",
    "char_end": "int64",
    "surface": "string",
}
assert tuple(FIGURES_SCHEMA) == records.FIGURE_FIELDS, "figures schema must follow the record"

ARTICLES_SCHEMA: dict[str, str] = {
    "article_id": "string",
    "outlet": "string",
    "outlet_source": "string",
    "published_date": "datetime64[ns]",
    "date_source": "string",
    "title": "string",
    "characters": "int64",
    "encoding": "string",
    "debris_lines": "int64",
    "path": "string",
    "url": "string",
}


def _frame(rows: Iterable[dict], schema: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=list(schema))
    for column, dtype in schema.items():
        if dtype.startswith("datetime"):
            frame[column] = pd.to_datetime(frame[column].replace("", None), format="%Y-%m-%d")
        else:
            frame[column] = frame[column].astype(dtype)
    return frame


def figures_frame(figures: Iterable[records.Figure]) -> pd.DataFrame:
    """Figure records as a table in the declared schema, sorted as the contract says."""
    rows = ({name: getattr(f, name) for name in records.FIGURE_FIELDS} for f in figures)
    frame = _frame(rows, FIGURES_SCHEMA)
    return frame.sort_values(["article_id", "char_start"], kind="stable", ignore_index=True)


def articles_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """Rows from `corpus.article_row` as a table in the declared schema, sorted by id."""
    frame = _frame(rows, ARTICLES_SCHEMA)
    return frame.sort_values("article_id", kind="stable", ignore_index=True)


def write_table(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write csv or parquet (by suffix) atomically: a reader never sees a half-written file."""
    path = Path(path)
    if path.suffix not in (".parquet", ".csv"):
        raise ValueError(f"{path}: write csv or parquet")
    with atomic.replacing(path) as tmp:
        if path.suffix == ".parquet":
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_csv(tmp, index=False)
    return path


PROBLEMS_SCHEMA: dict[str, str] = {"path": "string", "reason": "string"}


@dataclass(frozen=True)
class CorpusTables:
    """The three tables every notebook starts from."""

    articles: pd.DataFrame
    figures: pd.DataFrame
    problems: pd.DataFrame


def corpus_tables(paths: Iterable[str | Path], manifest: str | Path | None = None,
                  store: FigureStore | str | Path | None = None) -> CorpusTables:
    """Read a corpus and extract its figures: articles, figures and unreadable inputs as tables.

    `store` (a FigureStore, or the folder of one) reuses figures of unchanged articles."""
    from helpers import corpus, engines

    article_rows: list[dict] = []
    figure_records: list[records.Figure] = []
    problems: list[dict] = []
    with contextlib.ExitStack() as stack:
        if store is not None and not isinstance(store, FigureStore):
            store = stack.enter_context(FigureStore(store))
        for item, found in engines.extract_corpus(paths, manifest=manifest, store=store):
            if isinstance(item, records.Unreadable):
                problems.append({"path": item.path, "reason": item.reason})
                continue
            article_rows.append(corpus.article_row(item))
            figure_records.extend(found)
    return CorpusTables(
        articles=articles_frame(article_rows),
        figures=figures_frame(figure_records),
        problems=_frame(problems, PROBLEMS_SCHEMA),
    )
