"""nbval replays the notebooks with their default parameters. Their stored outputs were made
(`make notebooks`) with the official series the tests read, ../shared/data/reference/; pin it here
so the comparison does not depend on whether this machine fetched its own copy, nor on its
figure store."""

import os

import pytest

from helpers import notebook_params, paths

SERIES = paths.ROOT.parent / "shared" / "data" / "reference" / "casualties_daily.json"

if SERIES.is_file():
    os.environ[notebook_params.REFERENCE_VARIABLE] = str(SERIES)
# Extract afresh, as `make notebooks` does: the replay then never depends on, or writes to, this
# checkout's figure store (whose own messages would be outputs nbval does not expect).
os.environ[paths.STORE_VARIABLE] = ""


def pytest_collection_modifyitems(config, items):
    """Without the series the stored outputs were made with, every comparison would fail on the
    official columns alone: say why instead."""
    if SERIES.is_file():
        return
    absent = pytest.mark.skip(reason=f"stored outputs need the official series at {SERIES}")
    for item in items:
        item.add_marker(absent)
