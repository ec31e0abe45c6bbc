"""nbval replays the notebooks with their default parameters. Their stored outputs were made
(`make notebooks`) with the official series the tests read, ../shared/data/reference/; pin it here
so the comparison does not depend on whether this machine fetched its own copy."""

import os

from helpers import notebook_params, paths

SERIES = paths.ROOT.parent / "shared" / "data" / "reference" / "casualties_daily.json"

if SERIES.is_file():
    os.environ[notebook_params.REFERENCE_VARIABLE] = str(SERIES)
