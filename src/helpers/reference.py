"""The official daily Gaza casualty series: fetch it, load it, read the count on a date.

The series is Tech for Palestine's `casualties_daily.json` (see ../shared/data/reference/README.md):
one JSON object per report date with cumulative `killed_cum` and `injured_cum` as the Gaza
Ministry of Health (or the Government Media Office) reported them, and `ext_killed_cum` /
`ext_injured_cum`, the publisher's gap-free series that fills the days without a report.

The data file is never committed: `fetch` downloads it into data/reference/ (git-ignored), or the
user points at a copy. When no copy is at hand, callers show the reported figures and say the
official line is missing; that is not an error (`find_reference` returns None).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import urllib.request
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from helpers import atomic, paths

SERIES_URL = "https://data.techforpalestine.org/api/v2/casualties_daily.json"
PUBLISHER = 'Tech for Palestine, "Palestine Datasets" (casualties_daily.json)'
FETCH_TIMEOUT_SECONDS = 60

# The declared table: column -> dtype. Counts are nullable because the plain series has gaps.
SERIES_SCHEMA: dict[str, str] = {
    "date": "datetime64[ns]",
    "killed_cum": "Int64",
    "injured_cum": "Int64",
    "ext_killed_cum": "Int64",
    "ext_injured_cum": "Int64",
    "report_source": "string",
}
REQUIRED_FIELDS = ("report_date", "ext_killed_cum", "ext_injured_cum")
COUNT_FIELDS = ("killed_cum", "injured_cum", "ext_killed_cum", "ext_injured_cum")
MEASURES = ("killed", "injured")


class SeriesError(ValueError):
    """The series file is not what `casualties_daily.json` should be; the message says where."""


def provenance_path(dest: Path) -> Path:
    """The sidecar that records where and when `dest` was fetched."""
    return dest.with_suffix(".provenance.json")


def _validated_rows(raw: bytes | str, source: str) -> list[dict]:
    """Parse the JSON text and check every record has what the table needs, naming the culprit."""
    try:
        rows = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise SeriesError(f"{source}: not valid JSON ({error})") from None
    if not isinstance(rows, list) or not rows:
        raise SeriesError(f"{source}: expected a non-empty JSON list of daily reports")
    seen: set[str] = set()
    for number, row in enumerate(rows):
        where = f"{source}: record {number}"
        if not isinstance(row, dict):
            raise SeriesError(f"{where}: expected an object, found {type(row).__name__}")
        for name in REQUIRED_FIELDS:
            if name not in row:
                raise SeriesError(f"{where}: field {name!r} is missing")
        day = row["report_date"]
        try:
            dt.date.fromisoformat(day)
        except (TypeError, ValueError):
            raise SeriesError(f"{where}: field 'report_date' is not a yyyy-mm-dd date: {day!r}")
        where = f"{source}: record {number} ({day})"
        if day in seen:
            raise SeriesError(f"{where}: report_date appears twice")
        seen.add(day)
        for name in COUNT_FIELDS:
            value = row.get(name)
            if value is not None and (type(value) is not int or value < 0):
                raise SeriesError(f"{where}: field {name!r} is not a count: {value!r}")
    return rows


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime([row["report_date"] for row in rows], format="%Y-%m-%d"),
            **{name: [row.get(name) for row in rows] for name in COUNT_FIELDS},
            "report_source": [row.get("report_source") for row in rows],
        },
        columns=list(SERIES_SCHEMA),
    )
    frame = frame.astype(SERIES_SCHEMA)
    return frame.sort_values("date", kind="stable", ignore_index=True)


def load(path: str | Path) -> pd.DataFrame:
    """The series as a table with the declared columns (`SERIES_SCHEMA`), sorted by date."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SeriesError(f"{path}: cannot read the series ({error.strerror})") from None
    return _frame(_validated_rows(raw, str(path)))


def _write_atomically(path: Path, data: bytes) -> None:
    with atomic.replacing(path) as tmp:
        tmp.write_bytes(data)


def fetch(dest: str | Path = paths.REFERENCE_FILE, url: str = SERIES_URL) -> Path:
    """Download the series to `dest`, replacing an older copy only once the new one checks out.

    Writes a provenance sidecar (`provenance_path(dest)`) with the source url, the time of the
    fetch and the file's sha256. On any failure the previous copy stays as it was.
    """
    dest = Path(dest)
    request = urllib.request.Request(url, headers={"User-Agent": "tallies (python urllib)"})
    with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
        data = response.read()
    rows = _validated_rows(data, url)
    dest.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(dest, data)
    provenance = {
        "source_url": url,
        "publisher": PUBLISHER,
        "fetched_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "reports": len(rows),
        "first_date": min(row["report_date"] for row in rows),
        "last_date": max(row["report_date"] for row in rows),
    }
    _write_atomically(provenance_path(dest), (json.dumps(provenance, indent=2) + "\n").encode())
    return dest


def find_reference(path: str | Path | None = None) -> Path | None:
    """The series file to use: `path` if given, else data/reference/casualties_daily.json if it
    exists, else None (the caller then says the official line is missing).

    A path the user gave that does not exist is an error, not a silent fallback.
    """
    explicit = paths.resolve(path)
    if explicit is not None:
        if not explicit.is_file():
            raise FileNotFoundError(f"{explicit}: no such series file")
        return explicit
    return paths.REFERENCE_FILE if paths.REFERENCE_FILE.is_file() else None


class OfficialValue(NamedTuple):
    """A count read from the series: which report it comes from and which field held it."""

    date: pd.Timestamp
    value: int
    field: str  # "killed_cum", or "ext_killed_cum" when the plain series has no value that day

    @property
    def extrapolated(self) -> bool:
        return self.field.startswith("ext_")


def _check_measure(measure: str) -> None:
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}, not {measure!r}")


def official_as_of(series: pd.DataFrame, dates, measure: str = "killed") -> pd.DataFrame:
    """For each of `dates`, the official cumulative count as of that day: the latest report on
    or before it. Columns `date` (of that report), `value` and `field`: the plain
    `{measure}_cum` where that report has it, else the gap-free `ext_{measure}_cum`. Empty
    (NA) for a missing date or one before the first report. Rows follow `dates`."""
    _check_measure(measure)
    wanted = pd.to_datetime(pd.Series(list(dates), dtype="object"))
    report_dates = series["date"].to_numpy()
    position = np.searchsorted(report_dates, wanted.to_numpy(), side="right") - 1
    valid = wanted.notna().to_numpy() & (position >= 0)
    at = np.where(valid, position, 0)
    plain = series[f"{measure}_cum"]
    field = np.where(plain.notna().to_numpy(), f"{measure}_cum", f"ext_{measure}_cum")
    value = plain.fillna(series[f"ext_{measure}_cum"]).to_numpy("int64")
    return pd.DataFrame({
        "date": pd.Series(report_dates[at]).where(valid),
        "value": pd.Series(value[at], dtype="Int64").where(valid),
        "field": pd.Series(field[at], dtype="string").where(valid),
    })


def official_on(series: pd.DataFrame, date, measure: str = "killed") -> OfficialValue | None:
    """The official cumulative count as of `date`: the latest report on or before it.

    Uses the plain `{measure}_cum` where that report has it and the publisher's gap-free
    `ext_{measure}_cum` where it does not; `.field` says which. None before the first report or
    when `date` is missing.
    """
    found = official_as_of(series, [date], measure).iloc[0]
    if pd.isna(found["value"]):
        return None
    return OfficialValue(found["date"], int(found["value"]), found["field"])


def official_counts(series: pd.DataFrame, measure: str = "killed") -> pd.Series:
    """The count of every report date, plain where reported and gap-free extrapolation elsewhere."""
    _check_measure(measure)
    counts = series[f"{measure}_cum"].fillna(series[f"ext_{measure}_cum"])
    return pd.Series(counts.to_numpy(dtype="int64"), index=pd.DatetimeIndex(series["date"]),
                     name=measure)


def describe(series: pd.DataFrame) -> dict:
    """A few facts that tell a user which series they have: its range, size and latest counts."""
    last = series["date"].iloc[-1]
    return {
        "first_date": series["date"].iloc[0].date(),
        "last_date": last.date(),
        "reports": len(series),
        "last_killed": official_on(series, last, "killed"),
        "last_injured": official_on(series, last, "injured"),
    }
