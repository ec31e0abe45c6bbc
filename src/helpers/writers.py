"""Stream records to csv or jsonl without pandas, so the command line stays fast and flat in memory."""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any


def _as_dict(record: Any, columns: tuple[str, ...]) -> dict:
    if dataclasses.is_dataclass(record):
        return {name: getattr(record, name) for name in columns}
    return {name: record[name] for name in columns}


@contextmanager
def record_writer(stream: IO[str], fmt: str, columns: tuple[str, ...]) -> Iterator[Callable[[Any], None]]:
    """Yield a `write(record)` function; records are dataclasses or mappings holding `columns`."""
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
        writer.writeheader()

        def write(record: Any) -> None:
            writer.writerow(_as_dict(record, columns))
    elif fmt == "jsonl":
        def write(record: Any) -> None:
            stream.write(json.dumps(_as_dict(record, columns), ensure_ascii=False) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r}: use csv or jsonl")
    yield write
    stream.flush()
