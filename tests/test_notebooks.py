"""The collection, end to end, as a user runs it: `python -m helpers run` on a corpus of our own
(tests/fixtures/collection: four outlets, dates from November 2023 to May 2024, one unreadable
file, a manifest), then what the reports show; a run that fails; and the notebooks' form.
"""

from __future__ import annotations

import ast
import html
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers import notebook_params, paths, report

CORPUS = paths.ROOT / "tests" / "fixtures" / "collection"
SERIES = paths.ROOT.parent / "shared" / "data" / "reference" / "casualties_daily.json"
REPORTS = [notebook.stem for notebook in report.collection()]
CHARTED = ["01-articles", "02-figures", "03-death-toll", "04-hostages-and-oct7"]


def helpers_cli(*args: str) -> subprocess.CompletedProcess:
    """The command as a user runs it, with no series pinned by the environment."""
    environment = {k: v for k, v in os.environ.items() if k != notebook_params.REFERENCE_VARIABLE}
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True,
                          env=environment, cwd=paths.ROOT, check=False)


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("collection") / "build"
    done = helpers_cli("run", "--corpus", str(CORPUS), "--reference", str(SERIES), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{out / 'index.html'}: {len(REPORTS)} reports in ")
    assert done.stderr == ""
    return out


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    """What the extractor finds in the fixture corpus, through its own command."""
    done = helpers_cli("extract", str(CORPUS), "--format", "csv")
    assert done.returncode == 1 and "scanned-page.txt: " in done.stderr  # the unreadable file
    return pd.read_csv(io.StringIO(done.stdout), keep_default_na=False)


def page(build: Path, name: str) -> str:
    return (build / f"{name}.html").read_text(encoding="utf-8")


def test_a_run_writes_index_reports_notebooks_figures_and_record(build):
    assert sorted(p.name for p in build.iterdir()) == sorted(
        [f"{name}.html" for name in REPORTS]
        + ["index.html", "kernels.log", "notebooks", "figures.csv", "figures.parquet", "run.json"])
    assert sorted(p.stem for p in (build / "notebooks").iterdir()) == REPORTS
    assert not list(build.parent.glob("build.*"))


def test_figures_csv_is_exactly_what_the_extractor_finds(build, figures):
    written = pd.read_csv(build / "figures.csv", keep_default_na=False)
    assert len(figures) > 0
    pd.testing.assert_frame_equal(written, figures)


def test_the_figures_report_counts_every_figure(build, figures):
    assert f"{len(figures)} figure mentions in " in page(build, "02-figures")


def test_the_explore_report_shows_each_figure_highlighted_in_its_sentence(build, figures):
    text = page(build, "05-explore")
    rows = re.findall(r"<tr><td[ >]", text)
    assert len(rows) == len(figures)
    for row in figures.itertuples():
        assert f"<mark>{html.escape(row.surface)}</mark>" in text, row.surface


def test_the_death_toll_report_shows_each_reported_toll_against_the_official_count(build, figures):
    text = page(build, "03-death-toll")
    tolls = figures[figures["category"] == "gaza_killed"]
    assert len(tolls) > 0
    for surface in tolls["surface"]:
        assert html.escape(surface) in text
    assert "official daily count" in text and "Official series missing" not in text
    compared = len(tolls.drop_duplicates(["article_id", "value", "bound"]))  # one row per distinct report
    assert f"{compared} of {compared} reports could be set against the official count" in text


def test_the_hostages_report_shows_its_figures_and_why_they_differ(build, figures):
    text = page(build, "04-hostages-and-oct7")
    chosen = figures[figures["category"].isin(["hostages_taken", "hostages_remaining", "oct7_killed"])]
    for surface in chosen["surface"]:
        assert html.escape(surface) in text
    assert "Why the numbers differ" in text and "compared pairs" in text


def test_reports_show_this_corpus_and_nothing_of_the_seeds(build):
    pages = " ".join(page(build, name) for name in REPORTS)
    for outlet in ("Northern Wire Service", "The Harbour Ledger", "Gulf Report", "Public Radio Desk"):
        assert outlet in pages
    for seed_outlet in ("Reuters", "The Epoch Times", "CNN"):
        assert seed_outlet not in pages


def test_the_articles_report_names_the_unreadable_file_and_why(build):
    text = page(build, "01-articles")
    assert "tests/fixtures/collection/scanned-page.txt" in text
    assert "binary file" in text


def test_article_text_is_shown_as_text_never_as_markup(build):
    text = page(build, "01-articles")
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<img src=x" not in text
    assert "do not read me" not in text  # the page's own script never reached the article text


def test_reports_read_offline_with_charts_embedded(build):
    for name in REPORTS:
        text = page(build, name)
        assert not re.search(r"<script[^>]*\ssrc=", text), name
        assert not re.search(r"(src|href)=[\"']?https?://", text), name
        assert "print(" not in text and "views." not in text, name  # no code shown
    for name in CHARTED:
        assert re.search(r'<img [^>]*src="data:image/png;base64,', page(build, name)), name


def test_the_index_gives_date_corpus_parameters_and_a_line_per_report(build):
    index = (build / "index.html").read_text()
    assert "corpus tests/fixtures/collection (6 files" in index
    assert "<th>reference_path</th><td><code>../shared/data/reference/casualties_daily.json</code>" in index
    for name in REPORTS:
        assert f'<a href="{name}.html">' in index


def test_the_run_record_fingerprints_the_corpus_and_times_each_notebook(build):
    record = json.loads((build / "run.json").read_text())
    assert record["corpus"] == {"label": "tests/fixtures/collection",
                                **report.corpus_fingerprint([CORPUS])}
    assert record["parameters"]["corpus_dir"] == "tests/fixtures/collection"
    assert [n["notebook"] for n in record["notebooks"]] == REPORTS


def test_a_failing_notebook_exits_non_zero_naming_it_and_keeps_the_last_good_run(build, tmp_path):
    good = (build / "run.json").read_text()
    broken = tmp_path / "casualties_daily.json"
    broken.write_text("[{not json")
    done = helpers_cli("run", "--corpus", str(CORPUS), "--reference", str(broken), "--out", str(build))
    assert done.returncode == 1
    first = done.stderr.splitlines()[0]
    assert first.startswith("run failed: 03-death-toll.ipynb failed at cell In [")
    assert f"SeriesError: {broken}: not valid JSON" in first
    assert (build / "run.json").read_text() == good
    assert (build.parent / "build.failed" / "notebooks" / "03-death-toll.ipynb").is_file()


def test_without_an_official_series_the_death_toll_report_says_it_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "REFERENCE_FILE", tmp_path / "not-fetched.json")
    monkeypatch.delenv(notebook_params.REFERENCE_VARIABLE, raising=False)
    notebook = paths.NOTEBOOKS / "03-death-toll.ipynb"
    out = tmp_path / "build"
    report.run_collection({"corpus_dir": str(CORPUS)}, out, corpus=[CORPUS], notebooks=[notebook],
                          progress=False)
    assert "Official series missing" in page(out, "03-death-toll")


def test_a_mistyped_or_unknown_parameter_stops_the_run_before_it_starts(tmp_path):
    out = tmp_path / "build"
    wrong = helpers_cli("run", "--out", str(out), "-p", "as_of", "last tuesday")
    unknown = helpers_cli("run", "--out", str(out), "-p", "colour", "red")
    flag = helpers_cli("run", "--out", str(out), "-p", "corpus_dir", "seeds")
    assert (wrong.returncode, unknown.returncode, flag.returncode) == (2, 2, 2)
    assert wrong.stderr == "run: parameter as_of: not an ISO date (yyyy-mm-dd): 'last tuesday'\n"
    assert unknown.stderr.startswith("run: parameter colour: no notebook declares this parameter")
    assert flag.stderr == "run: -p corpus_dir: use --corpus instead\n"
    assert not list(tmp_path.iterdir())


# --- the notebooks' form ----------------------------------------------------------------------

@pytest.mark.parametrize("name", REPORTS)
def test_each_notebook_opens_with_a_title_a_question_and_a_parameters_cell(name):
    nb = nbformat.read(paths.NOTEBOOKS / f"{name}.ipynb", as_version=4)
    title, question = report.notebook_heading(paths.NOTEBOOKS / f"{name}.ipynb")
    assert title and question.endswith("?")
    first_code = next(cell for cell in nb.cells if cell.cell_type == "code")
    assert first_code.metadata.get("tags") == ["parameters"]
    assert nb.metadata.kernelspec.name == report.KERNEL


@pytest.mark.parametrize("name", REPORTS)
def test_parameters_are_the_five_strings_as_literals(name):
    notebook = paths.NOTEBOOKS / f"{name}.ipynb"
    assert report.declared_parameters(notebook) == {n: str for n in notebook_params.NAMES}
    first_code = next(c for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code")
    for statement in ast.parse(first_code.source).body:
        assert isinstance(statement, ast.AnnAssign) and isinstance(statement.value, ast.Constant)
        assert statement.value.value == ""
