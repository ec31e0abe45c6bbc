"""Writing the figure tables: all or nothing, readable by others, csv or parquet only."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from helpers import tables


def test_a_table_gets_the_permissions_of_an_ordinary_file(tmp_path) -> None:
    previous = os.umask(0o022)
    try:
        written = tables.write_table(pd.DataFrame({"value": [34000]}), tmp_path / "figures.csv")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(written.stat().st_mode) == 0o644


def test_a_failed_write_leaves_the_previous_table_and_no_temporary_file(tmp_path) -> None:
    target = tmp_path / "figures.parquet"
    tables.write_table(pd.DataFrame({"value": [32000]}), target)
    unwritable = pd.DataFrame({"value": [object()]})  # parquet cannot store a bare object
    with pytest.raises(Exception):
        tables.write_table(unwritable, target)
    assert pd.read_parquet(target)["value"].tolist() == [32000]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figures.parquet"]


def test_only_csv_and_parquet_are_written(tmp_path) -> None:
    with pytest.raises(ValueError, match="figures.xlsx: write csv or parquet"):
        tables.write_table(pd.DataFrame(), tmp_path / "figures.xlsx")
