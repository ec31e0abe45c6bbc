"""The runner: parameter checks, execution side by side, offline HTML, atomic publishing.

These run tiny notebooks of their own (no pandas in them) so each run takes a few seconds;
tests/test_notebooks.py runs the real collection.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from helpers import report
from helpers.notebook_params import ParameterError

PARAMETERS = 'corpus_dir: str = ""\nrepeat: int = 2\nscale = 1.5\nloud: bool = False\noutput_dir: str = ""'


def write_notebook(folder: Path, name: str, body: str, parameters: str = PARAMETERS,
                   tags: tuple[str, ...] = ()) -> Path:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "tallies", "display_name": "Python (tallies)", "language": "python"}
    params = new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    cell = new_code_cell(body)
    cell.metadata["tags"] = list(tags)
    nb.cells = [new_markdown_cell(f"# Report {name}\n\nWhat does {name} show?"), params, cell]
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def make_collection(folder: Path) -> list[Path]:
    folder.mkdir()
    write_notebook(folder, "01-hello", 'print("hello " * repeat)\n'
                                       'from IPython.display import HTML\n'
                                       'HTML("<b>made by " + corpus_dir + "</b>")')
    write_notebook(folder, "02-files", 'from pathlib import Path\n'
                                       'Path(output_dir, "numbers.csv").write_text("n\\n" + str(repeat))')
    write_notebook(folder, "03-widgets", 'print("only in the lab")', tags=(report.LAB_ONLY_TAG,))
    (folder / "scratch.ipynb").write_text("{}")  # not numbered: not part of the collection
    return report.collection(folder)


@pytest.fixture()
def collection(tmp_path: Path) -> list[Path]:
    return make_collection(tmp_path / "notebooks")


def run(collection, out: Path, **parameters) -> report.Run:
    return report.run_collection(parameters, out, corpus=[collection[0].parent], notebooks=collection,
                                 progress=False)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[report.Run, Path]:
    """One successful run, read by many tests."""
    root = tmp_path_factory.mktemp("published")
    notebooks = make_collection(root / "notebooks")
    return run(notebooks, root / "build", repeat="3", corpus_dir="tests"), root


@pytest.fixture(scope="module")
def failed(tmp_path_factory) -> tuple[report.CollectionFailed, Path, str]:
    """A good run, then a run in which one notebook fails: the error, the folder, the good run.json."""
    root = tmp_path_factory.mktemp("failed")
    files = make_collection(root / "notebooks")[1]
    run([files], root / "build", repeat="5")
    good = (root / "build" / "run.json").read_text()
    broken = write_notebook(root / "notebooks", "04-broken", 'counts = {"a": 1}\ncounts["b"]')
    with pytest.raises(report.CollectionFailed) as error:
        run([files, broken], root / "build", repeat="6")
    return error.value, root, good


def test_the_collection_is_the_numbered_notebooks_in_order(collection):
    assert [p.name for p in collection] == ["01-hello.ipynb", "02-files.ipynb", "03-widgets.ipynb"]


def test_declared_types_come_from_annotations_or_literal_defaults(collection):
    assert report.declared_parameters(collection[0]) == {
        "corpus_dir": str, "repeat": int, "scale": float, "loud": bool, "output_dir": str}


def test_a_parameters_cell_must_hold_literals(tmp_path):
    notebook = write_notebook(tmp_path, "01-computed", "pass", parameters="start = len('abc')")
    with pytest.raises(ParameterError, match=r"^start: the parameters cell of 01-computed.ipynb must hold literals"):
        report.declared_parameters(notebook)


@pytest.mark.parametrize(("given", "expected"), [
    ({"repeat": "3"}, {"repeat": 3}),
    ({"scale": "2"}, {"scale": 2.0}),
    ({"loud": "true"}, {"loud": True}),
    ({"corpus_dir": "42"}, {"corpus_dir": "42"}),
    ({"repeat": 3, "scale": 2}, {"repeat": 3, "scale": 2}),
])
def test_command_line_strings_become_the_declared_types(collection, given, expected):
    assert report.check_parameters(collection, given) == expected


def test_an_unknown_parameter_is_rejected_with_the_known_ones(collection):
    with pytest.raises(ParameterError, match=r"^colour: no notebook declares .*known: corpus_dir, loud"):
        report.check_parameters(collection, {"colour": "red"})


@pytest.mark.parametrize(("name", "value"), [
    ("repeat", "three"), ("repeat", "2.5"), ("scale", "wide"), ("loud", "yes"), ("repeat", True),
    ("corpus_dir", 5),
])
def test_a_mistyped_parameter_is_rejected_naming_it(collection, name, value):
    with pytest.raises(ParameterError, match=rf"^{name}: expected"):
        report.check_parameters(collection, {name: value})


def test_a_bad_parameter_fails_before_any_notebook_runs(collection, tmp_path):
    with pytest.raises(ParameterError):
        run(collection, tmp_path / "build", repeat="many")
    assert list(tmp_path.glob("build*")) == []


def test_the_output_folder_is_the_runners_to_set(collection, tmp_path):
    with pytest.raises(ParameterError, match="^output_dir: set by the runner"):
        run(collection, tmp_path / "build", output_dir="elsewhere")


def test_a_run_publishes_reports_executed_notebooks_index_and_record(published):
    result, root = published
    out = root / "build"
    assert sorted(p.name for p in out.iterdir()) == [
        "01-hello.html", "02-files.html", "03-widgets.html", "index.html", "kernels.log", "notebooks",
        "numbers.csv", "run.json"]
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == [
        "01-hello.ipynb", "02-files.ipynb", "03-widgets.ipynb"]
    assert (out / "numbers.csv").read_text() == "n\n3"
    assert [r.notebook for r in result.notebooks] == ["01-hello", "02-files", "03-widgets"]
    assert sorted(p.name for p in root.iterdir()) == [".build.lock", "build", "notebooks"]  # no staging left


def test_the_run_record_holds_parameters_versions_corpus_hash_and_timings(published):
    _, root = published
    record = json.loads((root / "build" / "run.json").read_text())
    assert record["parameters"] == {"repeat": 3, "corpus_dir": "tests", "output_dir": str(root / "build")}
    assert record["packages"]["papermill"] == "2.7.0"
    assert record["packages"]["tallies"] and record["packages"]["python"]
    assert record["corpus"]["sha256"] == report.corpus_fingerprint([root / "notebooks"])["sha256"]
    assert [n["notebook"] for n in record["notebooks"]] == ["01-hello", "02-files", "03-widgets"]
    assert all(n["seconds"] > 0 for n in record["notebooks"])


def test_the_index_links_every_report_with_its_title_and_question(published):
    index = (published[1] / "build" / "index.html").read_text()
    assert '<a href="01-hello.html">Report 01-hello</a>' in index
    assert "What does 02-files show?" in index
    assert '<a href="numbers.csv">' in index
    assert index.count('href="run.json"') == 1


def test_reports_show_outputs_without_code(published):
    page = (published[1] / "build" / "01-hello.html").read_text()
    assert "hello hello hello" in page and "<b>made by tests</b>" in page
    assert "print(" not in page and "import HTML" not in page


def test_reports_need_nothing_from_the_network(published):
    for page in (published[1] / "build").glob("*.html"):
        text = page.read_text()
        assert not re.search(r"<script[^>]+src=", text), page.name
        assert not re.search(r"<link[^>]+href=\"?https?:", text), page.name
        assert not re.search(r"(src|href)=\"?https?://", text), page.name
        assert "@import" not in text


def test_cells_tagged_lab_only_are_left_out_of_reports(published):
    build = published[1] / "build"
    assert "only in the lab" not in (build / "03-widgets.html").read_text()
    assert "only in the lab" in (build / "notebooks" / "03-widgets.ipynb").read_text()


def test_a_failed_notebook_is_named_in_one_line_with_its_cell_and_error(failed):
    error, root, _ = failed
    # In [3]: the executed notebook counts the parameters papermill injected.
    assert str(error) == ("04-broken.ipynb failed at cell In [3]: counts = {\"a\": 1}: KeyError: 'b'; "
                          f"executed notebooks kept in {root / 'build.failed'}/notebooks/, "
                          "the previous output is untouched")


def test_an_error_message_over_several_lines_is_told_in_one():
    failure = report.NotebookFailure("03-x.ipynb", "In [2]: load()", "SeriesError: bad file\n  line 3\n")
    assert str(failure) == "03-x.ipynb failed at cell In [2]: load(): SeriesError: bad file | line 3"


def test_after_a_failure_the_last_good_run_stays_and_the_failed_one_is_kept_beside_it(failed):
    _, root, good = failed
    assert (root / "build" / "run.json").read_text() == good
    assert (root / "build" / "numbers.csv").read_text() == "n\n5"
    kept = nbformat.read(root / "build.failed" / "notebooks" / "04-broken.ipynb", as_version=4)
    assert kept.cells[-1].outputs[0]["ename"] == "KeyError"
    assert sorted(p.name for p in root.iterdir()) == [".build.lock", "build", "build.failed", "notebooks"]


def test_a_second_run_replaces_the_first_and_retires_it(collection, tmp_path):
    out = tmp_path / "build"
    run(collection[:1], out, repeat="1")
    retired = []
    report.run_collection({"repeat": "4"}, out, corpus=[], notebooks=collection[1:2], progress=False,
                          retire=lambda old: retired.append(sorted(p.name for p in old.iterdir())))
    assert (out / "numbers.csv").read_text() == "n\n4"
    assert retired == [["01-hello.html", "index.html", "kernels.log", "notebooks", "run.json"]]


def test_notebooks_sharing_a_warm_kernel_start_clean(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    first = write_notebook(folder, "01-defines", "leftover = 41")
    second = write_notebook(folder, "02-looks", 'print("leftover" in dir())')
    report.run_collection({}, tmp_path / "build", corpus=[], notebooks=[first, second], workers=1,
                          progress=False)
    looked = nbformat.read(tmp_path / "build" / "notebooks" / "02-looks.ipynb", as_version=4)
    assert looked.cells[-1].outputs[0]["text"] == "False\n"
    assert [cell.execution_count for cell in looked.cells[1:]] == [1, 2, 3]  # parameters, injected, this


def test_recover_puts_back_a_run_left_aside_by_a_swap_killed_halfway(tmp_path):
    out, previous = tmp_path / "build", tmp_path / "build.previous"
    previous.mkdir()
    (previous / "index.html").write_text("last good run")
    report.recover(out)
    assert (out / "index.html").read_text() == "last good run"
    assert not previous.exists()


def test_recover_drops_the_old_run_when_the_new_one_was_already_in_place(tmp_path):
    out, previous = tmp_path / "build", tmp_path / "build.previous"
    out.mkdir()
    previous.mkdir()
    (out / "index.html").write_text("new run")
    report.recover(out)
    assert (out / "index.html").read_text() == "new run"
    assert not previous.exists()


def test_recover_removes_staging_left_by_a_run_that_is_gone_but_not_by_a_live_one(tmp_path):
    finished = subprocess.Popen(["true"])
    finished.wait()  # its process id now names no running process
    dead = tmp_path / f"build.staging-{finished.pid}"
    live = tmp_path / f"build.staging-{os.getppid()}"
    dead.mkdir()
    live.mkdir()
    report.recover(tmp_path / "build")
    assert not dead.exists() and live.exists()


def test_the_corpus_fingerprint_follows_names_and_bytes(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("one")
    first = report.corpus_fingerprint([corpus])
    assert first["files"] == 1
    (corpus / "a.txt").write_text("two")
    second = report.corpus_fingerprint([corpus])
    (corpus / "a.txt").rename(corpus / "b.txt")
    third = report.corpus_fingerprint([corpus])
    assert len({first["sha256"], second["sha256"], third["sha256"]}) == 3


def test_the_corpus_fingerprint_survives_a_link_loop_and_a_dangling_link(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "loop").symlink_to(corpus)
    (corpus / "gone.txt").symlink_to(tmp_path / "missing.txt")
    assert report.corpus_fingerprint([corpus])["files"] == 1  # the dangling link; the loop is not entered


def test_the_heading_gives_title_and_question(collection):
    assert report.notebook_heading(collection[0]) == ("Report 01-hello", "What does 01-hello show?")


# --- one run at a time ------------------------------------------------------------------------

HOLD_LOCK = """
import sys
from helpers import report
with report.run_lock(sys.argv[1]):
    print("held", flush=True)
    sys.stdin.read()
"""


@pytest.fixture()
def holder(tmp_path):
    """Another process holding the lock of tmp_path/build until its stdin is closed."""
    process = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(tmp_path / "build")],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "held\n"
    yield process
    process.kill()
    process.wait()


def test_a_run_that_finds_the_lock_held_gives_up_naming_the_lock_and_its_holder(collection, tmp_path, holder):
    with pytest.raises(report.RunLocked) as error:
        run(collection, tmp_path / "build")
    lock = tmp_path / ".build.lock"
    assert str(error.value) == (f"another run holds the lock {lock} (process {holder.pid}); "
                                "gave up after waiting 0 s")
    assert not (tmp_path / "build").exists()


def test_a_run_waits_for_the_lock_and_runs_once_it_is_free(collection, tmp_path, holder):
    threading.Timer(1, holder.stdin.close).start()  # the holder finishes a second from now
    report.run_collection({"repeat": "2"}, tmp_path / "build", corpus=[], notebooks=collection[1:2],
                          progress=False, wait=120)
    assert holder.wait() == 0
    assert (tmp_path / "build" / "numbers.csv").read_text() == "n\n2"


def test_a_killed_holder_leaves_the_lock_free(tmp_path, holder):
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with report.run_lock(tmp_path / "build") as lock:
        assert lock.read_text() == f"{os.getpid()}\n"


# --- the archive of past runs -----------------------------------------------------------------

def past_run(folder: Path, started: str, text: str = "") -> Path:
    """A published run as the archive sees it: its run.json and a report."""
    folder.mkdir()
    (folder / "run.json").write_text(json.dumps({"started": started}))
    (folder / "index.html").write_text(text or started)
    return folder


def test_the_archive_keeps_the_previous_run_under_the_time_it_started(tmp_path):
    archive = report.Archive(tmp_path / "archive", keep=3)
    archive(past_run(tmp_path / "build.previous", "2024-04-10T04:30:00+02:00", "the run of that night"))
    assert [p.name for p in archive.runs()] == ["2024-04-10T023000Z"]
    assert (tmp_path / "archive" / "2024-04-10T023000Z" / "index.html").read_text() == "the run of that night"
    assert not (tmp_path / "build.previous").exists()


def test_the_archive_keeps_the_newest_runs_and_removes_the_oldest(tmp_path):
    archive = report.Archive(tmp_path / "archive", keep=2)
    for day in ("09", "11", "10", "12"):
        archive(past_run(tmp_path / "build.previous", f"2024-04-{day}T02:30:00+00:00"))
    assert [p.name for p in archive.runs()] == ["2024-04-11T023000Z", "2024-04-12T023000Z"]
    assert sorted(p.name for p in (tmp_path / "archive").iterdir()) == ["2024-04-11T023000Z", "2024-04-12T023000Z"]


def test_runs_started_in_the_same_second_are_archived_side_by_side(tmp_path):
    archive = report.Archive(tmp_path / "archive", keep=20)
    for text in [f"run {i}" for i in range(1, 12)]:
        archive(past_run(tmp_path / "build.previous", "2024-04-10T02:30:00+00:00", text))
    runs = archive.runs()
    assert [p.name for p in runs[:3]] == ["2024-04-10T023000Z", "2024-04-10T023000Z-2", "2024-04-10T023000Z-3"]
    assert [(p / "index.html").read_text() for p in runs] == [f"run {i}" for i in range(1, 12)]


def test_a_run_without_a_record_is_archived_under_its_folders_time(tmp_path):
    previous = tmp_path / "build.previous"
    previous.mkdir()
    os.utime(previous, (1712716200, 1712716200))  # 2024-04-10 02:30:00 UTC
    archive = report.Archive(tmp_path / "archive", keep=1)
    archive(previous)
    assert [p.name for p in archive.runs()] == ["2024-04-10T023000Z"]


def test_the_archive_removes_only_folders_it_named(tmp_path):
    archive = report.Archive(tmp_path / "archive", keep=1)
    (tmp_path / "archive" / "notes").mkdir(parents=True)
    (tmp_path / "archive" / "2024-04-01.tar").write_text("a backup of someone's")
    archive(past_run(tmp_path / "build.previous", "2024-04-09T02:30:00+00:00"))
    archive(past_run(tmp_path / "build.previous", "2024-04-10T02:30:00+00:00"))
    assert sorted(p.name for p in (tmp_path / "archive").iterdir()) == [
        "2024-04-01.tar", "2024-04-10T023000Z", "notes"]


def test_an_archive_keeps_at_least_one_run(tmp_path):
    with pytest.raises(ValueError, match="at least one"):
        report.Archive(tmp_path / "archive", keep=0)


def test_an_archive_beside_an_output_not_made_yet_is_accepted(tmp_path):
    report.Archive(tmp_path / "www" / "archive", keep=1).check(tmp_path / "www" / "tallies" / "build")


def test_an_archive_inside_the_output_folder_is_refused(tmp_path):
    with pytest.raises(OSError, match=f"^archive {tmp_path}/build/old is inside the output folder"):
        report.Archive(tmp_path / "build" / "old", keep=1).check(tmp_path / "build")


def test_an_archive_on_another_file_system_is_refused(tmp_path):
    other = Path("/dev/shm")
    if not other.is_dir() or other.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("needs /dev/shm on a file system of its own")
    with pytest.raises(OSError, match=f"^archive {other}/tallies-archive is not on the file system of "):
        report.Archive(other / "tallies-archive", keep=1).check(tmp_path / "build")


def test_a_published_run_moves_the_previous_one_into_the_archive_unchanged(collection, tmp_path):
    out, archive = tmp_path / "build", report.Archive(tmp_path / "build.archive", keep=5)
    first = run(collection[1:2], out, repeat="1")
    files = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    report.run_collection({"repeat": "2"}, out, corpus=[], notebooks=collection[1:2], progress=False,
                          retire=archive)
    [archived] = archive.runs()
    assert archived.name == datetime.datetime.fromisoformat(first.started).strftime("%Y-%m-%dT%H%M%SZ")
    assert {p.relative_to(archived): p.read_bytes() for p in archived.rglob("*") if p.is_file()} == files
    assert (out / "numbers.csv").read_text() == "n\n2"
