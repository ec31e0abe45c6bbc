"""`python -m helpers run` under cron: one run at a time, one line per failure, and a run killed
part-way (SIGKILL) loses nothing: the output folder keeps the last good run, the figure store
stays sound, and the next run completes.

The runs here use the collection's fixture corpus (tests/fixtures/collection).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from helpers import notebook_params, paths, report, store

CORPUS = paths.ROOT / "tests" / "fixtures" / "collection"


def helpers_command(*args: object) -> list[str]:
    return [sys.executable, "-m", "helpers", *map(str, args)]


def environment() -> dict[str, str]:
    """As a user's shell: no official series pinned for the notebooks."""
    return {k: v for k, v in os.environ.items() if k != notebook_params.REFERENCE_VARIABLE}


def helpers_cli(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run(helpers_command(*args), capture_output=True, text=True, env=environment(),
                          cwd=paths.ROOT, check=False)


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def descendants(pid: int) -> set[int]:
    """Every running process started by `pid`, directly or not (read from /proc)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # "pid (command) state ppid ...": the command may hold spaces, so split after it.
            parents[int(stat.parent.name)] = int(stat.read_text().rpartition(")")[2].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def gone(pids: set[int]) -> bool:
    """Whether none of `pids` runs any more (zombies count as gone), waiting up to 30 s."""
    for _ in range(300):
        running = set()
        for pid in pids:
            try:
                if Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z":
                    running.add(pid)
            except OSError:
                pass
        if not running:
            return True
        time.sleep(0.1)
    return False


def kill_when(process: subprocess.Popen, ready) -> set[int]:
    """SIGKILL `process` as soon as `ready()` holds (fail if it ended first); the processes it
    had started, which the signal did not reach."""
    while not ready():
        if process.poll() is not None:
            pytest.fail(f"the process ended (exit {process.returncode}) before it could be killed part-way")
        time.sleep(0.02)
    started = descendants(process.pid)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    return started


# --- one run at a time, one line per failure --------------------------------------------------

def test_a_run_that_finds_another_holding_the_lock_exits_3_naming_the_lock_and_holder(tmp_path):
    out = tmp_path / "build"
    with report.run_lock(out):
        done = helpers_cli("run", "--corpus", CORPUS, "--out", out)
    assert done.returncode == 3
    assert done.stderr == (f"run: another run holds the lock {tmp_path / '.build.lock'} "
                           f"(process {os.getpid()}); gave up after waiting 0 s\n")
    assert not out.exists()


def failing_runs(tmp_path: Path) -> dict[str, tuple[list[object], int, str]]:
    """Ways a nightly run fails: its arguments, exit code and the start of its one line."""
    broken_series = tmp_path / "casualties_daily.json"
    broken_series.write_text("[{not json")
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    return {
        "a notebook fails": (["--reference", broken_series, "--out", tmp_path / "build"], 1,
                             "run failed: 03-death-toll.ipynb failed at cell In ["),
        "the corpus is gone": (["--corpus", tmp_path / "unmounted", "--out", tmp_path / "build"], 2,
                               f"run: --corpus: no such file or folder: {tmp_path / 'unmounted'}"),
        "the output cannot be written": (["--out", a_file / "build"], 1,
                                         f"run failed: FileExistsError: [Errno 17] File exists: '{a_file}'"),
        "a parameter is mistyped": (["-p", "as_of", "yesterday", "--out", tmp_path / "build"], 2,
                                    "run: parameter as_of: not an ISO date"),
        "an archive without runs to keep": (["--archive", tmp_path / "old", "--keep", "0"], 2,
                                            "run: --archive with --keep 0"),
    }


@pytest.mark.parametrize("case", ["a notebook fails", "the corpus is gone", "the output cannot be written",
                                  "a parameter is mistyped", "an archive without runs to keep"])
def test_every_failure_is_one_line_on_stderr_and_a_non_zero_exit(case, tmp_path):
    arguments, code, start = failing_runs(tmp_path)[case]
    done = helpers_cli("run", "--corpus", CORPUS, *arguments)
    assert (done.returncode, done.stdout) == (code, "")
    assert done.stderr.startswith(start) and done.stderr.count("\n") == 1, done.stderr


# --- a run killed part-way --------------------------------------------------------------------

@pytest.fixture(scope="module")
def killed(tmp_path_factory) -> SimpleNamespace:
    """A good run; a second run SIGKILLed once its first report is written; then a third run.
    What the output folder held before and after the kill, and how the third run went."""
    root = tmp_path_factory.mktemp("killed")
    out = root / "build"
    arguments = ("run", "--corpus", CORPUS, "--out", out, "--keep", "3")
    assert helpers_cli(*arguments).returncode == 0
    good = files_of(out)
    second = subprocess.Popen(helpers_command(*arguments), env=environment(), cwd=paths.ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = root / f"build.staging-{second.pid}"
    left = kill_when(second, lambda: any(staging.glob("*.html")))
    after_kill = files_of(out)
    left_running = not gone(left)
    third = helpers_cli(*arguments)
    return SimpleNamespace(root=root, out=out, good=good, after_kill=after_kill, staging=staging,
                           left=left, left_running=left_running, third=third)


def test_a_killed_run_leaves_the_last_good_run_byte_identical(killed):
    assert killed.after_kill == killed.good


def test_a_killed_run_takes_its_workers_and_kernels_with_it(killed):
    assert len(killed.left) >= 4  # forkserver, resource tracker, a worker and its kernel at least
    assert not killed.left_running


def test_the_run_after_a_killed_one_completes(killed):
    assert killed.third.returncode == 0, killed.third.stderr
    assert killed.third.stdout.startswith(f"{killed.out / 'index.html'}: ")


def test_the_run_after_a_killed_one_removes_its_staging_folder(killed):
    assert not killed.staging.exists()
    assert sorted(p.name for p in killed.root.iterdir()) == [".build.lock", "build", "build.archive"]


def test_the_run_after_a_killed_one_archives_the_last_good_run(killed):
    [archived] = report.Archive(killed.root / "build.archive", keep=3).runs()
    assert files_of(archived) == killed.good


def committed(store_dir: Path) -> int:
    """How many articles' figures the store holds for a reader now (0 before it exists)."""
    try:
        with sqlite3.connect(f"{(store_dir / store.STORE_FILE).as_uri()}?mode=ro", uri=True) as db:
            return db.execute("SELECT count(*) FROM figures").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_an_extraction_killed_while_filling_the_store_leaves_it_sound_and_the_next_completes(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")) if p.name != "scanned-page.txt"]
    articles = 3 * store.COMMIT_EVERY
    for i in range(articles):
        (corpus / f"article-{i:05d}.txt").write_text(texts[i % len(texts)], encoding="utf-8")
    store_dir = tmp_path / "store"
    extraction = subprocess.Popen(helpers_command("extract", corpus, "--store", store_dir),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kill_when(extraction, lambda: committed(store_dir) > 0)

    with sqlite3.connect(store_dir / store.STORE_FILE) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    again = helpers_cli("extract", corpus, "--store", store_dir, "--format", "csv")
    without_store = helpers_cli("extract", corpus, "--format", "csv")
    assert again.returncode == 0, again.stderr
    assert again.stdout == without_store.stdout
    counts = json.loads((store_dir / "last-run.json").read_text(encoding="utf-8"))["counts"]
    assert counts["reused"] > 0  # what was committed before the kill is kept
    assert counts["reused"] + counts["extracted"] == articles
