"""Notebook parameters: "" means the default, paths start at the project root, bad values are named."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from helpers import notebook_params, paths
from helpers.notebook_params import ParameterError

SERIES = paths.ROOT.parent / "shared" / "data" / "reference" / "casualties_daily.json"


@pytest.fixture(autouse=True)
def no_pinned_series(monkeypatch):
    monkeypatch.delenv(notebook_params.REFERENCE_VARIABLE, raising=False)


def test_empty_strings_mean_the_defaults(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "REFERENCE_FILE", tmp_path / "not-fetched.json")
    params = notebook_params.resolve()
    assert params == notebook_params.Parameters(
        corpus_dir=paths.SEEDS, manifest=None, reference_path=None, as_of=None, output_dir=None)


def test_relative_paths_start_at_the_project_root_whatever_the_working_directory(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    params = notebook_params.resolve(corpus_dir="tests/fixtures/collection", output_dir="build.x")
    assert params.corpus_dir == paths.ROOT / "tests" / "fixtures" / "collection"
    assert params.output_dir == paths.ROOT / "build.x"


def test_as_of_is_a_date():
    assert notebook_params.resolve(as_of="2024-04-10").as_of == datetime.date(2024, 4, 10)


@pytest.mark.parametrize(("name", "value", "message"), [
    ("corpus_dir", "no/such/corpus", "corpus_dir: no such file or folder: no/such/corpus"),
    ("manifest", "nowhere.csv", "manifest: no such file or folder: nowhere.csv"),
    ("reference_path", "nowhere.json", "reference_path: no such file: nowhere.json"),
    ("as_of", "10/04/2024", "as_of: not an ISO date (yyyy-mm-dd): '10/04/2024'"),
    ("as_of", 20240410, "as_of: expected a string, got int 20240410"),
])
def test_a_bad_value_is_an_error_naming_the_parameter(name, value, message):
    with pytest.raises(ParameterError) as error:
        notebook_params.resolve(**{name: value})
    assert str(error.value) == message


def test_the_series_can_be_pinned_by_the_environment_when_the_parameter_is_empty(monkeypatch):
    monkeypatch.setenv(notebook_params.REFERENCE_VARIABLE, str(SERIES))
    assert notebook_params.resolve().reference_path == SERIES
    assert notebook_params.resolve(reference_path=str(SERIES)).reference_path == SERIES


def test_a_pinned_series_that_is_not_there_is_named(monkeypatch):
    monkeypatch.setenv(notebook_params.REFERENCE_VARIABLE, "gone.json")
    with pytest.raises(ParameterError, match="^TALLIES_REFERENCE: no such file: gone.json"):
        notebook_params.resolve()


def test_shown_values_are_relative_to_the_project_and_say_what_empty_means(monkeypatch, tmp_path):
    monkeypatch.setattr(paths, "REFERENCE_FILE", tmp_path / "not-fetched.json")
    shown = notebook_params.resolve(corpus_dir=str(paths.SEEDS)).shown()
    assert shown["corpus_dir"] == "seeds"
    assert shown["reference_path"] == "(none: official series missing)"
    assert shown["as_of"] == "(no cut-off)"


def test_a_path_beside_the_project_is_relative_and_one_elsewhere_whole(tmp_path):
    assert notebook_params.display_path(tmp_path) == str(tmp_path)
    assert notebook_params.display_path(Path(paths.ROOT, "seeds", "x.txt")) == "seeds/x.txt"
    assert notebook_params.display_path(SERIES) == "../shared/data/reference/casualties_daily.json"
