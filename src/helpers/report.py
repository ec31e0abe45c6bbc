"""Run the notebook collection with papermill into static HTML reports, published atomically.

A run, step by step (each step is a function here):

1. `check_parameters`: every given parameter must be declared by a notebook's `parameters` cell,
   with a value of the declared type (papermill itself only warns).
   `run_lock`: from here on the run holds the output folder's lock, `.<out>.lock` beside it, so
   two runs never write the same output (a second one waits up to `wait` seconds, then gives up
   with RunLocked naming the holder's process id). The kernel frees it when a run dies.
2. `recover`: repair an output folder left half-swapped by a run that was killed.
3. `execute`: run every notebook in a staging folder next to the output folder. The notebooks do
   not depend on each other (each reads the corpus itself), so they run side by side in worker
   processes (papermill and nbclient keep per-process state: cwd, event loop), each worker with
   one warm kernel reset between notebooks. Each executed notebook is exported at once to an
   HTML report without code that reads offline.
4. `write_index`, `write_run_record`: index.html and run.json.
5. `publish`: swap the staging folder in as the output folder; the previous one goes to `retire`
   (deleted by default; an `Archive` keeps the newest few, in folders named by their start
   time). On any failure nothing is swapped: the staging folder becomes `<out>.failed/` for
   inspection and `<out>/` keeps the last good run.

This module runs notebooks and knows nothing of what they compute.
"""

from __future__ import annotations

import ast
import concurrent.futures
import contextlib
import copy
import datetime
import functools
import hashlib
import html
import importlib.metadata
import json
import multiprocessing
import os
import platform
import re
import select
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from helpers import __version__, paths
from helpers.notebook_params import ParameterError

KERNEL = "tallies"
# The parameter through which the runner tells each notebook where to write its files.
OUTPUT_PARAMETER = "output_dir"
# Cells that only make sense in JupyterLab (widgets) carry this tag and are left out of reports.
LAB_ONLY_TAG = "lab-only"
EXECUTED_DIR = "notebooks"
# The kernels' own log lines (ipykernel writes to its inherited stderr, e.g. when jupyter_client
# interrupts it at shutdown) go to this file in the output folder, not to the terminal or cron mail.
KERNEL_LOG = "kernels.log"
TEMPLATES = paths.PACKAGE_DATA.parent / "templates"
REQUIREMENTS = paths.ROOT / "requirements.txt"


def one_line(text: str) -> str:
    """`text` on one line (its lines joined by " | "): what cron mail and CI logs show best."""
    return " | ".join(line.strip() for line in str(text).splitlines() if line.strip())


class CollectionFailed(RuntimeError):
    """One or more notebooks failed; the one-line message names each notebook, cell and error."""

    def __init__(self, failures: Sequence[NotebookFailure], kept: Path):
        self.failures = tuple(failures)
        self.kept = kept
        kept_note = f"executed notebooks kept in {kept}/{EXECUTED_DIR}/, the previous output is untouched"
        super().__init__("; ".join([*map(str, failures), kept_note]))


@dataclass(frozen=True)
class NotebookFailure:
    notebook: str  # file name, e.g. "03-death-toll.ipynb"
    cell: str  # "In [5]: first line of the cell", or "" when no cell ran (kernel failed to start)
    error: str  # "KeyError: 'date'"

    def __str__(self) -> str:
        where = f" at cell {self.cell}" if self.cell else ""
        return one_line(f"{self.notebook} failed{where}: {self.error}")


class RunLocked(RuntimeError):
    """Another run holds the output folder's lock."""

    def __init__(self, lock: Path, holder: int | None, waited: float):
        self.lock, self.holder = lock, holder
        who = f"process {holder}" if holder is not None else "a process whose id is unknown"
        super().__init__(f"another run holds the lock {lock} ({who}); gave up after waiting {waited:g} s")


@dataclass(frozen=True)
class NotebookResult:
    notebook: str  # stem, e.g. "03-death-toll"
    title: str
    question: str
    seconds: float


@dataclass(frozen=True)
class Run:
    """What a successful run did: the record written to run.json."""

    out: Path
    started: str
    seconds: float
    parameters: dict[str, object]
    corpus: dict[str, object]
    notebooks: list[NotebookResult] = field(default_factory=list)


# --- 1. parameters ----------------------------------------------------------------------------

def collection(folder: Path = paths.NOTEBOOKS) -> list[Path]:
    """The notebooks of the collection in run order: `NN-name.ipynb`, sorted by name."""
    return sorted(p for p in folder.glob("*.ipynb") if re.match(r"\d+-", p.name))


def declared_parameters(notebook: Path) -> dict[str, type | None]:
    """Names in a notebook's `parameters` cell and their types (None when the default is None).

    A type annotation wins; otherwise the type of the literal default. papermill infers types
    from annotations only.
    """
    import papermill

    declared: dict[str, type | None] = {}
    for name, spec in papermill.inspect_notebook(str(notebook)).items():
        annotated = {"str": str, "int": int, "float": float, "bool": bool}.get(spec["inferred_type_name"])
        if annotated is None:
            try:
                default = ast.literal_eval(spec["default"])
            except (ValueError, SyntaxError):
                raise ParameterError(f"{name}: the parameters cell of {notebook.name} must hold "
                                     f"literals, not {spec['default']}") from None
            annotated = None if default is None else type(default)
        declared[name] = annotated
    return declared


_BOOLEANS = {"true": True, "false": False}


def _convert(name: str, value: object, expected: type | None) -> object:
    """`value` as the declared type: a string from the command line is parsed, a typed value checked."""
    if expected is None or (expected is str and isinstance(value, str)):
        return value
    if isinstance(value, str):
        try:
            return _BOOLEANS[value.lower()] if expected is bool else expected(value)
        except (KeyError, ValueError):
            raise ParameterError(f"{name}: expected {expected.__name__}, got {value!r}") from None
    if type(value) is expected or (expected is float and type(value) is int):
        return value
    raise ParameterError(f"{name}: expected {expected.__name__}, got {type(value).__name__} {value!r}")


def check_parameters(notebooks: Iterable[Path], given: Mapping[str, object]) -> dict[str, object]:
    """`given` converted to the declared types; ParameterError on an unknown name or a bad value.

    Values may be strings from the command line ("3", "true") or already typed from Python.
    """
    declared: dict[str, type | None] = {}
    for notebook in notebooks:
        for name, expected in declared_parameters(notebook).items():
            if declared.setdefault(name, expected) is not expected:
                raise ParameterError(f"{name}: declared with different types in different notebooks")
    checked = {}
    for name, value in given.items():
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise ParameterError(f"{name}: no notebook declares this parameter (known: {known})")
        checked[name] = _convert(name, value, declared[name])
    return checked


# --- one run at a time -------------------------------------------------------------------------

def lock_path(out: Path) -> Path:
    """The lock of an output folder: a hidden file beside it, as it must outlive every swap."""
    out = Path(out).absolute()
    return out.parent / f".{out.name}.lock"


def _write_pid(fd: int) -> None:
    """Called by filelock with the lock file's descriptor once the lock is ours."""
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)


def _holder(lock: Path) -> int | None:
    """The process id the lock's holder wrote, if that process is running."""
    try:
        text = lock.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() and _running(int(text)) else None


@contextlib.contextmanager
def run_lock(out: Path, wait: float = 0) -> Iterator[Path]:
    """Hold the lock of `out` for the block; raises RunLocked if another process still holds it
    after `wait` seconds (0: one attempt). An flock (filelock): the kernel frees it when the
    holder dies, even by SIGKILL, so a killed run never blocks the next."""
    from filelock import FileLock, Timeout

    path = lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    # fallback_to_soft=False: on a file system without flock, fail rather than take a lock that
    # a killed run would leave behind.
    lock = FileLock(path, on_acquired=_write_pid, fallback_to_soft=False)
    try:
        lock.acquire(timeout=wait, poll_interval=0.2)
    except Timeout:
        raise RunLocked(path, _holder(path), wait) from None
    try:
        yield path
    finally:
        lock.release()


# --- 2. and 5. the output folder --------------------------------------------------------------

def _sibling(out: Path, suffix: str) -> Path:
    return out.parent / f"{out.name}.{suffix}"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def recover(out: Path, retire: Callable[[Path], None] = shutil.rmtree) -> None:
    """Clean up after a killed run: finish a swap left half done, so `out` again holds the last
    good run, and remove staging folders whose run (named by process id) is gone."""
    previous = _sibling(out, "previous")
    if previous.exists():
        if out.exists():
            retire(previous)  # killed after the new run was in place
        else:
            os.replace(previous, out)  # killed between the two renames
    for staging in out.parent.glob(f"{out.name}.staging-*"):
        pid = staging.name.rpartition("-")[2]
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            shutil.rmtree(staging, ignore_errors=True)


def publish(staging: Path, out: Path, retire: Callable[[Path], None] = shutil.rmtree) -> None:
    """Put `staging` in place of `out`. Two renames on one file system: `out` is missing only
    between them, and `recover` repairs a kill there. The old `out` goes to `retire`."""
    previous = _sibling(out, "previous")
    recover(out, retire)
    if out.exists():
        os.replace(out, previous)
    os.replace(staging, out)
    if previous.exists():
        retire(previous)


class Archive:
    """Past runs: `retire` for `publish` that moves the previous run into `folder`, in a folder
    named by the time (UTC) that run started, `2024-04-10T023000Z`, and keeps the newest `keep`.

    Moves are renames, so `folder` must be on the output folder's file system (`check`); only
    folders named like that are ever removed from it.
    """

    NAME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{6}Z(-\d+)?")

    def __init__(self, folder: Path, keep: int):
        if keep < 1:
            raise ValueError(f"an archive keeps at least one run, not {keep}")
        self.folder = Path(folder).absolute()
        self.keep = keep

    def check(self, out: Path) -> None:
        """OSError unless runs can be renamed from beside `out` into the archive, outside it."""
        out = Path(out).absolute()
        if self.folder.is_relative_to(out):
            raise OSError(f"archive {self.folder} is inside the output folder {out}, which each "
                          "run replaces: choose a folder beside it")
        if _device(self.folder) != _device(out.parent):
            raise OSError(f"archive {self.folder} is not on the file system of {out}: "
                          "choose a folder beside it")

    def runs(self) -> list[Path]:
        """The archived runs, oldest first."""
        if not self.folder.is_dir():
            return []
        return sorted((p for p in self.folder.iterdir() if p.is_dir() and self.NAME.fullmatch(p.name)),
                      key=lambda p: (p.name[:18], int(p.name[19:] or 1)))

    def __call__(self, previous: Path) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = _started(previous).strftime("%Y-%m-%dT%H%M%SZ")
        target, number = self.folder / name, 1
        while target.exists():
            number += 1
            target = self.folder / f"{name}-{number}"
        os.replace(previous, target)
        for old in self.runs()[:-self.keep]:
            shutil.rmtree(old)


def _device(path: Path) -> int:
    """The file system of `path`, or of its nearest existing parent folder."""
    while not path.exists():
        path = path.parent
    return path.stat().st_dev


def _started(run: Path) -> datetime.datetime:
    """When a published run started: from its run.json, else its folder's modification time."""
    try:
        started = json.loads((run / "run.json").read_text(encoding="utf-8"))["started"]
        return datetime.datetime.fromisoformat(started).astimezone(datetime.UTC)
    except (OSError, ValueError, KeyError, TypeError):
        return datetime.datetime.fromtimestamp(run.stat().st_mtime, datetime.UTC)


def _keep_failed(staging: Path, out: Path) -> Path:
    failed = _sibling(out, "failed")
    if failed.exists():
        shutil.rmtree(failed)
    os.replace(staging, failed)
    return failed


# --- 3. executing and exporting ---------------------------------------------------------------

@functools.cache
def _kernel_manager_class() -> type:
    """A kernel manager with encrypted transport where pyzmq supports it: ipykernel otherwise
    prints a warning on every start, noise in cron mail."""
    import zmq
    from jupyter_client.manager import KernelManager
    from traitlets import default

    class EncryptedKernelManager(KernelManager):
        @default("transport_encryption")
        def _default_transport_encryption(self) -> str:
            return "auto" if zmq.has("curve") else "disabled"

    return EncryptedKernelManager


# A worker keeps one kernel warm and runs its notebooks in it one after another, with IPython's
# own reset in between (variables, history, execution count): pandas, matplotlib and helpers are
# imported once per worker, not once per notebook. A name one notebook defines is gone for the
# next, as in a fresh kernel; a kernel that died or would not reset is replaced.
_warm_kernels: dict[str, tuple[object, Callable[[], None]]] = {}  # name -> (manager, shutdown)
_RESET = "get_ipython().reset(new_session=True)"


def _reset(kernel) -> bool:
    client = kernel.client()
    client.start_channels()
    try:
        reply = client.execute_interactive(_RESET, silent=True, store_history=False, timeout=60)
        return reply["content"]["status"] == "ok"
    except (TimeoutError, RuntimeError):
        return False
    finally:
        client.stop_channels()


def _kernel(kernel_name: str):
    """This worker's kernel, reset and ready for the next notebook."""
    from multiprocessing.util import Finalize

    if kernel_name in _warm_kernels:
        kernel, shutdown = _warm_kernels.pop(kernel_name)
        if kernel.is_alive() and _reset(kernel):
            _warm_kernels[kernel_name] = (kernel, shutdown)
            return kernel
        shutdown()
    kernel = _kernel_manager_class()(kernel_name=kernel_name)
    kernel.start_kernel()
    # Worker processes skip atexit; multiprocessing runs this finalizer when a worker ends.
    shutdown = Finalize(kernel, kernel.shutdown_kernel, kwargs={"now": True}, exitpriority=10)
    _warm_kernels[kernel_name] = (kernel, shutdown)
    return kernel


@functools.cache
def _exporter():
    """JupyterLab's HTML through templates/offline (nothing fetched), without code or lab-only cells."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={LAB_ONLY_TAG}), enabled=True)
    return exporter


def export_html(notebook, title: str) -> str:
    """An executed notebook (nbformat node) as a standalone HTML page: no code, no network.

    Widget state is left out: without the widget renderer (a network script) it is dead weight
    holding a second copy of whatever the widgets showed."""
    notebook = copy.deepcopy(notebook)
    notebook.metadata.pop("widgets", None)
    body, _ = _exporter().from_notebook_node(notebook, resources={"metadata": {"name": title}})
    return body


@dataclass(frozen=True)
class _Job:
    notebook: Path
    executed: Path
    report: Path
    parameters: dict[str, object]
    kernel_name: str
    title: str


def _execute_one(job: _Job) -> float | NotebookFailure:
    """Runs in a worker process: execute one notebook and export its report; seconds taken."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    started = time.perf_counter()
    try:
        executed = papermill.execute_notebook(
            str(job.notebook), str(job.executed), parameters=job.parameters,
            kernel_name=job.kernel_name, progress_bar=False, request_save_on_cell_execute=False,
            km=_kernel(job.kernel_name),
        )
    except PapermillExecutionError as error:
        first_line = next((line for line in error.source.splitlines() if line.strip()), "")
        return NotebookFailure(job.notebook.name, f"In [{error.exec_count}]: {first_line.strip()}",
                               f"{error.ename}: {error.evalue}")
    except Exception as error:  # noqa: BLE001 - the kernel died or never started: name the notebook
        return NotebookFailure(job.notebook.name, "",
                               f"{type(error).__name__}: {error} (kernel messages in {KERNEL_LOG})")
    job.report.write_text(export_html(executed, job.title), encoding="utf-8")
    return time.perf_counter() - started


def notebook_heading(notebook: Path) -> tuple[str, str]:
    """The title (first `# ` line) and the question (the paragraph after it) of a notebook."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        paragraphs = [p.strip() for p in cell.source.split("\n\n") if p.strip()]
        if paragraphs and paragraphs[0].startswith("# "):
            question = " ".join(paragraphs[1].split()) if len(paragraphs) > 1 else ""
            return paragraphs[0][2:].strip(), question
    return notebook.stem, ""


def _start_worker(log: Path, run_pid: int) -> None:
    """Worker start-up: this process's stderr, which its kernels inherit, goes to `log`; and the
    worker ends with the run that started it (see `_end_with`)."""
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 2)
    os.close(fd)
    threading.Thread(target=_end_with, args=(run_pid,), name="end-with-run", daemon=True).start()


def _end_with(pid: int) -> None:
    """Worker thread: once process `pid` (the run) has ended, kill this worker's kernels and end
    the worker. A run killed part-way (SIGKILL) would otherwise leave its workers waiting on
    their queue for good, each with a warm kernel (in a session of its own) and the forkserver."""
    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):  # not Linux 5.3 or later: look every second
        while _running(pid):
            time.sleep(1)
    else:
        select.select([handle], [], [])  # readable once the process has ended
    for kernel, _ in list(_warm_kernels.values()):
        with contextlib.suppress(OSError, TypeError):
            os.killpg(kernel.provisioner.pgid, signal.SIGKILL)
            kernel.cleanup_connection_file()
    os._exit(1)


def _pool(workers: int, log: Path) -> concurrent.futures.ProcessPoolExecutor:
    # forkserver: workers fork from a clean server with papermill and nbconvert already imported,
    # instead of from this process (threads) or from scratch (two seconds of imports each).
    # A script that runs the collection therefore needs the usual `if __name__ == "__main__":`.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["helpers.report", "papermill", "nbconvert"])
    return concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                                  initializer=_start_worker, initargs=(log, os.getpid()))


def execute(notebooks: Sequence[Path], parameters: Mapping[str, object], staging: Path, *,
            kernel_name: str = KERNEL, workers: int = 2,
            progress: bool | None = None) -> list[NotebookResult]:
    """Execute `notebooks` into `staging` (executed copies under notebooks/, one HTML report each,
    the kernels' own messages in kernels.log).

    At most `workers` run at once; after a failure no new notebook starts. Raises
    CollectionFailed listing every failure. `progress`: a bar naming the running notebooks
    (None: only when stderr is a terminal, so cron mail stays clean).
    """
    from tqdm import tqdm

    (staging / EXECUTED_DIR).mkdir(parents=True, exist_ok=True)
    declared = {nb: declared_parameters(nb) for nb in notebooks}
    headings = {nb: notebook_heading(nb) for nb in notebooks}
    jobs = [
        _Job(notebook=nb, executed=staging / EXECUTED_DIR / nb.name, report=staging / f"{nb.stem}.html",
             parameters={k: v for k, v in parameters.items() if k in declared[nb]},
             kernel_name=kernel_name, title=headings[nb][0])
        for nb in notebooks
    ]
    seconds: dict[Path, float] = {}
    failures: list[NotebookFailure] = []
    waiting = list(jobs)
    running: dict[concurrent.futures.Future, _Job] = {}
    with _pool(max(1, min(workers, len(jobs))), staging / KERNEL_LOG) as pool, \
            tqdm(total=len(jobs), unit="notebook", disable=progress is False if progress is not None else None,
                 leave=False) as bar:
        while waiting or running:
            while waiting and not failures and len(running) < workers:
                job = waiting.pop(0)
                running[pool.submit(_execute_one, job)] = job
            bar.set_description("running " + ", ".join(j.notebook.stem for j in running.values()))
            done, _ = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
            for future in done:
                job = running.pop(future)
                outcome = future.result()
                if isinstance(outcome, NotebookFailure):
                    failures.append(outcome)
                else:
                    seconds[job.notebook] = outcome
                bar.update()
            if failures:
                waiting.clear()
    if failures:
        raise CollectionFailed(failures, staging)
    return [NotebookResult(nb.stem, *headings[nb], round(seconds[nb], 3)) for nb in notebooks]


# --- 4. index.html and run.json ---------------------------------------------------------------

def corpus_fingerprint(corpus: Iterable[Path]) -> dict[str, object]:
    """sha256 over every file's relative path and bytes (sorted), and the number of files.

    Symbolic links to folders are not followed (a link loop cannot hang a run); a file that
    cannot be read counts by its name and the reason.
    """
    digest = hashlib.sha256()
    count = 0
    for root in corpus:
        files = [root] if root.is_file() else sorted(
            Path(folder, name) for folder, _, names in os.walk(root) for name in names)
        for path in files:
            relative = path.name if path == root else path.relative_to(root).as_posix()
            digest.update(f"{len(relative)}:{relative}".encode("utf-8", "surrogateescape"))
            try:
                with path.open("rb") as handle:
                    file_digest = hashlib.file_digest(handle, "sha256").hexdigest()
            except OSError as error:
                file_digest = f"unreadable: {error.strerror}"
            digest.update(file_digest.encode())
            count += 1
    return {"sha256": digest.hexdigest(), "files": count}


def package_versions(requirements: Path = REQUIREMENTS) -> dict[str, str]:
    """The installed version of every package pinned in requirements.txt, plus tallies itself."""
    versions = {"tallies": __version__, "python": platform.python_version()}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        name = re.match(r"[A-Za-z0-9_.\-]+", line.strip())
        if name and not line.lstrip().startswith("#"):
            try:
                versions[name.group()] = importlib.metadata.version(name.group())
            except importlib.metadata.PackageNotFoundError:
                versions[name.group()] = "not installed"
    return versions


def write_run_record(run: Run, folder: Path) -> Path:
    record = {
        "tallies": __version__,
        "started": run.started,
        "seconds": round(run.seconds, 3),
        "parameters": run.parameters,
        "corpus": run.corpus,
        "kernel": KERNEL,
        "packages": package_versions(),
        "notebooks": [
            {"notebook": r.notebook, "report": f"{r.notebook}.html",
             "executed": f"{EXECUTED_DIR}/{r.notebook}.ipynb", "seconds": r.seconds}
            for r in run.notebooks
        ],
    }
    path = folder / "run.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return path


_INDEX_STYLE = """
body { font: 16px/1.5 system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { margin-bottom: 0.2rem; } .run { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 1rem 0; } td, th { padding: 0.25rem 0.75rem 0.25rem 0; text-align: left; vertical-align: top; }
th { font-weight: 600; } ol li { margin: 0.8rem 0; } .question { display: block; color: #444; } .secs { color: #777; font-size: 0.9em; }
"""


def write_index(run: Run, folder: Path) -> Path:
    """index.html: when, on what, with which parameters, and one line per report."""
    esc = html.escape
    parameters = "".join(f"<tr><th>{esc(str(k))}</th><td><code>{esc(str(v))}</code></td></tr>"
                         for k, v in run.parameters.items())
    reports = "".join(
        f'<li><a href="{esc(r.notebook)}.html">{esc(r.title)}</a> '
        f'<span class="question">{esc(r.question)}</span> '
        f'<span class="secs">({r.seconds:.1f} s; <a href="{EXECUTED_DIR}/{esc(r.notebook)}.ipynb">notebook</a>)</span></li>'
        for r in run.notebooks)
    data_files = "".join(f'<li><a href="{esc(p.name)}">{esc(p.name)}</a></li>'
                         for p in sorted(folder.iterdir())
                         if p.suffix in (".csv", ".parquet", ".json") and p.name != "run.json")
    page = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tallies reports</title><style>{_INDEX_STYLE}</style></head>
<body>
<h1>Tallies reports</h1>
<p class="run">Run {esc(run.started)} · corpus {esc(str(run.corpus.get("label", "")))} \
({run.corpus.get("files", 0)} files, sha256 {esc(str(run.corpus.get("sha256", ""))[:12])}) · \
{run.seconds:.1f} s</p>
<h2>Reports</h2>
<ol>{reports}</ol>
<h2>Parameters</h2>
<table>{parameters}</table>
<h2>Data</h2>
<ul>{data_files}<li><a href="run.json">run.json</a> (parameters, package versions, timings)</li></ul>
</body>
</html>
"""
    path = folder / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


# --- the stored outputs nbval compares against ---------------------------------------------

def store_outputs(notebooks: Sequence[Path] | None = None, kernel_name: str = KERNEL) -> None:
    """Re-execute notebooks in place with their default parameters, the run nbval replays.

    papermill's per-run metadata (times, input and output paths) is dropped, so a refresh only
    changes what the outputs changed. Raises on the first failing notebook, leaving it as it was.
    """
    import nbformat
    import papermill

    for notebook in notebooks if notebooks is not None else collection():
        executed = papermill.execute_notebook(
            str(notebook), None, kernel_name=kernel_name, progress_bar=False,
            kernel_manager_class=_kernel_manager_class())
        executed.metadata.pop("papermill", None)
        for cell in executed.cells:
            cell.metadata.pop("papermill", None)
            cell.metadata.pop("execution", None)
        nbformat.write(executed, notebook)


# --- the whole run ----------------------------------------------------------------------------

def run_collection(parameters: Mapping[str, object], out: Path, *, corpus: Sequence[Path],
                   corpus_label: str = "", notebooks: Sequence[Path] | None = None,
                   kernel_name: str = KERNEL, workers: int = 2, progress: bool | None = None,
                   retire: Callable[[Path], None] = shutil.rmtree, wait: float = 0) -> Run:
    """Run every notebook with `parameters` and publish the reports in `out`.

    `corpus`: the files and folders the notebooks read, fingerprinted into run.json.
    `retire`: what becomes of the previous run (deleted; or an Archive). `wait`: seconds to wait
    for another run holding the lock of `out`.
    Raises ParameterError before running anything; RunLocked when another run kept the lock;
    CollectionFailed after a notebook failed (then `out` is untouched and the failed run is
    kept in `<out>.failed/`).
    """
    notebooks = list(notebooks if notebooks is not None else collection())
    if OUTPUT_PARAMETER in parameters:
        raise ParameterError(f"{OUTPUT_PARAMETER}: set by the runner from the output folder")
    checked = check_parameters(notebooks, parameters)
    out = Path(out).absolute()
    with run_lock(out, wait):
        return _run_locked(checked, out, corpus, corpus_label, notebooks, kernel_name, workers,
                           progress, retire)


def _run_locked(checked: dict[str, object], out: Path, corpus: Sequence[Path], corpus_label: str,
                notebooks: list[Path], kernel_name: str, workers: int, progress: bool | None,
                retire: Callable[[Path], None]) -> Run:
    started = datetime.datetime.now(datetime.UTC)
    clock = time.perf_counter()
    recover(out, retire)
    staging = _sibling(out, f"staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)  # left by a killed run that had this process id
    staging.mkdir()
    try:
        results = execute(notebooks, {**checked, OUTPUT_PARAMETER: str(staging)}, staging,
                          kernel_name=kernel_name, workers=workers, progress=progress)
    except CollectionFailed as failed:
        raise CollectionFailed(failed.failures, _keep_failed(staging, out)) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    run = Run(out=out, started=started.isoformat(timespec="seconds"),
              seconds=time.perf_counter() - clock, parameters={**checked, OUTPUT_PARAMETER: str(out)},
              corpus={"label": corpus_label, **corpus_fingerprint(corpus)}, notebooks=results)
    write_run_record(run, staging)
    write_index(run, staging)
    publish(staging, out, retire)
    return run
