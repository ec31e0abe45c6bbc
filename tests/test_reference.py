"""The official series: loading, validation, the count on a date, fetching and the command line."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import subprocess
import sys
import threading

import pandas as pd
import pytest

from helpers import paths, reference

SHARED_SERIES = paths.ROOT.parent / "shared" / "data" / "reference" / "casualties_daily.json"
needs_shared_series = pytest.mark.skipif(
    not SHARED_SERIES.is_file(),
    reason=f"the shared copy of the official series is absent: {SHARED_SERIES}",
)

# Three reports in the series' own shape; the second has no plain killed_cum (a gap day).
SMALL_SERIES = [
    {"report_date": "2024-04-17", "report_source": "mohtel", "killed_cum": 33899,
     "ext_killed_cum": 33899, "injured_cum": 76664, "ext_injured_cum": 76664},
    {"report_date": "2024-04-18", "report_source": "gmotel",
     "ext_killed_cum": 33970, "injured_cum": 76770, "ext_injured_cum": 76770},
    {"report_date": "2024-04-16", "report_source": "mohtel", "killed_cum": 33843,
     "ext_killed_cum": 33843, "injured_cum": 76583, "ext_injured_cum": 76583},
]


def write_json(path, rows) -> str:
    path.write_text(json.dumps(rows), encoding="utf-8")
    return path


@pytest.fixture
def small_series(tmp_path):
    return reference.load(write_json(tmp_path / "series.json", SMALL_SERIES))


# --- load -------------------------------------------------------------------------------------

def test_load_declares_columns_and_dtypes(small_series):
    assert dict(small_series.dtypes.astype(str)) == {
        "date": "datetime64[ns]", "killed_cum": "Int64", "injured_cum": "Int64",
        "ext_killed_cum": "Int64", "ext_injured_cum": "Int64", "report_source": "string",
    }


def test_load_sorts_by_date(small_series):
    assert [d.date().isoformat() for d in small_series["date"]] == [
        "2024-04-16", "2024-04-17", "2024-04-18"]


def test_load_keeps_a_missing_plain_count_missing(small_series):
    gap_day = small_series.iloc[2]
    assert pd.isna(gap_day["killed_cum"]) and gap_day["ext_killed_cum"] == 33970


def test_load_names_file_record_and_field_when_a_field_is_missing(tmp_path):
    rows = [SMALL_SERIES[0], {"report_date": "2024-04-18", "ext_injured_cum": 1}]
    path = write_json(tmp_path / "broken.json", rows)
    expected = r"broken\.json: record 1: field 'ext_killed_cum' is missing"
    with pytest.raises(reference.SeriesError, match=expected):
        reference.load(path)


def test_load_rejects_a_count_that_is_not_a_whole_number(tmp_path):
    rows = [{**SMALL_SERIES[0], "killed_cum": "33,899"}]
    path = write_json(tmp_path / "text-count.json", rows)
    with pytest.raises(reference.SeriesError, match=r"record 0 \(2024-04-17\): field 'killed_cum'"):
        reference.load(path)


def test_load_rejects_a_bad_date(tmp_path):
    path = write_json(tmp_path / "dates.json", [{**SMALL_SERIES[0], "report_date": "17/04/2024"}])
    with pytest.raises(reference.SeriesError, match="'report_date' is not a yyyy-mm-dd date"):
        reference.load(path)


def test_load_rejects_a_repeated_date(tmp_path):
    path = write_json(tmp_path / "twice.json", [SMALL_SERIES[0], SMALL_SERIES[0]])
    with pytest.raises(reference.SeriesError, match="appears twice"):
        reference.load(path)


def test_load_rejects_text_that_is_not_json(tmp_path):
    path = tmp_path / "page.json"
    path.write_text("<html>rate limited</html>", encoding="utf-8")
    with pytest.raises(reference.SeriesError, match=r"page\.json: not valid JSON"):
        reference.load(path)


@needs_shared_series
def test_load_reads_the_shared_copy():
    series = reference.load(SHARED_SERIES)
    assert series["date"].iloc[0] == pd.Timestamp("2023-10-07")
    assert series["date"].is_monotonic_increasing and series["date"].is_unique
    assert series["ext_killed_cum"].notna().all()


# --- official_on ------------------------------------------------------------------------------

def test_official_on_a_report_date_is_that_report(small_series):
    assert reference.official_on(small_series, "2024-04-17") == (
        pd.Timestamp("2024-04-17"), 33899, "killed_cum")


def test_official_on_a_later_day_is_the_latest_report_before_it(small_series):
    found = reference.official_on(small_series, pd.Timestamp("2024-04-30"), "injured")
    assert found == (pd.Timestamp("2024-04-18"), 76770, "injured_cum")


def test_official_on_a_gap_day_uses_the_gap_free_series_and_says_so(small_series):
    found = reference.official_on(small_series, "2024-04-18", "killed")
    assert found.value == 33970 and found.field == "ext_killed_cum" and found.extrapolated


def test_official_on_before_the_first_report_or_without_a_date_is_none(small_series):
    assert reference.official_on(small_series, "2023-10-01") is None
    assert reference.official_on(small_series, None) is None
    assert reference.official_on(small_series, pd.NaT) is None


def test_official_on_rejects_an_unknown_measure(small_series):
    with pytest.raises(ValueError, match="'displaced'"):
        reference.official_on(small_series, "2024-04-17", "displaced")


@needs_shared_series
def test_official_on_the_first_of_april_2024_in_the_shared_copy():
    series = reference.load(SHARED_SERIES)
    assert reference.official_on(series, "2024-04-01").value == 32845
    assert reference.official_on(series, "2024-04-18").value == 33970


def test_official_as_of_answers_many_dates_in_their_order(small_series):
    found = reference.official_as_of(
        small_series, [pd.Timestamp("2024-04-18"), pd.NaT, pd.Timestamp("2024-04-16"),
                       pd.Timestamp("2024-01-01")], "killed")
    assert found["value"].tolist() == [33970, pd.NA, 33843, pd.NA]
    assert found["field"].tolist() == ["ext_killed_cum", pd.NA, "killed_cum", pd.NA]
    assert found["date"].iloc[2] == pd.Timestamp("2024-04-16") and pd.isna(found["date"].iloc[3])


def test_official_counts_fill_gaps_from_the_gap_free_series(small_series):
    counts = reference.official_counts(small_series, "killed")
    assert counts.tolist() == [33843, 33899, 33970]


# --- find_reference ---------------------------------------------------------------------------

def test_find_reference_prefers_the_path_given(tmp_path):
    path = write_json(tmp_path / "mine.json", SMALL_SERIES)
    assert reference.find_reference(path) == path


def test_find_reference_rejects_a_given_path_that_does_not_exist(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.json"):
        reference.find_reference(tmp_path / "nowhere.json")


def test_find_reference_without_a_path_is_the_fetched_copy_or_none():
    found = reference.find_reference()
    assert found == (paths.REFERENCE_FILE if paths.REFERENCE_FILE.is_file() else None)


# --- fetch ------------------------------------------------------------------------------------

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def served(tmp_path):
    """A local web server on 127.0.0.1 serving tmp_path/www; yields its base url."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetch_writes_the_series_and_its_provenance(served, tmp_path):
    root, base = served
    body = json.dumps(SMALL_SERIES).encode()
    (root / "casualties_daily.json").write_bytes(body)
    dest = tmp_path / "data" / "casualties_daily.json"

    assert reference.fetch(dest, url=f"{base}/casualties_daily.json") == dest

    assert dest.read_bytes() == body
    provenance = json.loads(reference.provenance_path(dest).read_text())
    assert provenance["source_url"] == f"{base}/casualties_daily.json"
    assert provenance["sha256"] == hashlib.sha256(body).hexdigest()
    assert (provenance["reports"], provenance["first_date"], provenance["last_date"]) == (
        3, "2024-04-16", "2024-04-18")
    assert provenance["fetched_at"].endswith("+00:00")


def test_fetch_of_a_broken_file_keeps_the_previous_copy(served, tmp_path):
    root, base = served
    (root / "casualties_daily.json").write_text('[{"report_date": "2024-04-19"', encoding="utf-8")
    dest = write_json(tmp_path / "casualties_daily.json", SMALL_SERIES)
    before = dest.read_bytes()

    with pytest.raises(reference.SeriesError, match="not valid JSON"):
        reference.fetch(dest, url=f"{base}/casualties_daily.json")

    assert dest.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["casualties_daily.json", "www"]


def test_fetch_of_a_missing_page_raises_and_writes_nothing(served, tmp_path):
    _, base = served
    dest = tmp_path / "casualties_daily.json"
    with pytest.raises(OSError, match="404"):
        reference.fetch(dest, url=f"{base}/gone.json")
    assert not dest.exists()


# --- command line -----------------------------------------------------------------------------

def run_cli(*arguments) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", *map(str, arguments)],
                          check=False, capture_output=True, text=True, timeout=60)


def test_cli_reference_show_prints_range_size_and_latest_counts(tmp_path):
    path = write_json(tmp_path / "series.json", SMALL_SERIES)
    shown = run_cli("reference", "show", "--reference", path)
    assert shown.returncode == 0, shown.stderr
    assert "2024-04-16 to 2024-04-18" in shown.stdout
    assert "3 reports" in shown.stdout
    assert "killed 33,970 (ext_killed_cum)" in shown.stdout
    assert "injured 76,770 (injured_cum)" in shown.stdout


def test_cli_reference_fetch_downloads_to_dest(served, tmp_path):
    root, base = served
    write_json(root / "series.json", SMALL_SERIES)
    dest = tmp_path / "fetched.json"
    done = run_cli("reference", "fetch", "--url", f"{base}/series.json", "--dest", dest)
    assert done.returncode == 0, done.stderr
    assert json.loads(dest.read_text()) == SMALL_SERIES
    assert str(dest) in done.stdout


def test_cli_reference_show_of_a_broken_file_names_it_and_fails(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{}", encoding="utf-8")
    shown = run_cli("reference", "show", "--reference", path)
    assert shown.returncode == 1
    assert "bad.json" in shown.stderr and "Traceback" not in shown.stderr
