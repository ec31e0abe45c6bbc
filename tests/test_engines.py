"""Engines: the local engine streams the corpus; the Dask engine gives the very same output."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from helpers import cli, corpus, engines, figures, records
from helpers.store import FigureStore, StoreRun

FIXTURES = Path(__file__).parent / "fixtures" / "engines"


@pytest.fixture
def corpus_dir(tmp_path) -> Path:
    """The fixture corpus plus a second file claiming an id already taken."""
    folder = tmp_path / "corpus"
    shutil.copytree(FIXTURES, folder)
    (folder / "later").mkdir()
    (folder / "later" / "a04-analysis.txt").write_text(
        "A later copy of the analysis said 34,000 people had been killed.", encoding="utf-8")
    return folder


def as_local_reader_sees_it(folder: Path) -> list[tuple[object, list[records.Figure]]]:
    return [(item, [] if isinstance(item, records.Unreadable) else figures.extract_figures(item))
            for item in corpus.iter_articles([folder])]


def test_local_engine_is_the_corpus_reader_plus_the_extractor(corpus_dir):
    assert list(engines.extract_corpus([corpus_dir])) == as_local_reader_sees_it(corpus_dir)


def test_local_engine_keeps_unreadable_inputs_in_their_place(corpus_dir):
    kinds = [(type(item).__name__, getattr(item, "article_id", Path(item.path).name))
             for item, _ in engines.extract_corpus([corpus_dir])]
    assert kinds[3:6] == [("Article", "a04-analysis"), ("Unreadable", "a04-analysis.txt"),
                          ("Unreadable", "a05-empty.txt")]


def test_local_engine_with_a_store_reuses_every_article_on_rerun(corpus_dir, tmp_path):
    with FigureStore(tmp_path / "store") as store:
        first = list(engines.extract_corpus([corpus_dir], store=store))
        run = StoreRun.of(store)
        again = list(engines.extract_corpus([corpus_dir], store=store, run=run))
    assert again == first
    assert (run.extracted, run.reused) == ([], ["a01-wire", "a02-live", "a03-translated",
                                                "a04-analysis", "a06-brief"])
    assert (run.files_read, run.files_unchanged) == (0, 5)


def test_local_engine_with_a_store_neither_reads_nor_hashes_an_unchanged_file(corpus_dir, tmp_path,
                                                                            monkeypatch):
    with FigureStore(tmp_path / "store") as store:
        first = list(engines.extract_corpus([corpus_dir], store=store))
        read, read_article = [], corpus.read_article

        def reading(path, *rest):
            read.append(Path(path).name)
            return read_article(path, *rest)

        def hashing(article):
            raise AssertionError(f"{article.path} was hashed again")

        monkeypatch.setattr(corpus, "read_article", reading)
        monkeypatch.setattr(engines, "text_key", hashing)
        again = list(engines.extract_corpus([corpus_dir], store=store))
    # Only the empty file is tried again: the store keeps articles, not reading failures.
    assert again == first and read == ["a05-empty.txt"]


def test_local_engine_with_a_store_reextracts_every_article_for_a_new_extractor_version(
        corpus_dir, tmp_path, monkeypatch):
    with FigureStore(tmp_path / "store") as store:
        list(engines.extract_corpus([corpus_dir], store=store))
        monkeypatch.setattr(figures, "EXTRACTOR_VERSION", "a later extractor")
        run = StoreRun.of(store)
        again = list(engines.extract_corpus([corpus_dir], store=store, run=run))
    assert again == as_local_reader_sees_it(corpus_dir)
    assert (run.reused, len(run.extracted), run.files_unchanged) == ([], 5, 5)


def test_local_engine_with_a_store_rereads_every_file_for_a_new_reader(corpus_dir, tmp_path,
                                                                      monkeypatch):
    with FigureStore(tmp_path / "store") as store:
        list(engines.extract_corpus([corpus_dir], store=store))
        monkeypatch.setattr(engines, "reader_fingerprint", lambda: "a later reader")
        run = StoreRun.of(store)
        again = list(engines.extract_corpus([corpus_dir], store=store, run=run))
    assert again == as_local_reader_sees_it(corpus_dir)
    # Read again, the same text has the same key: its figures are still reused.
    assert (run.files_read, run.files_unchanged, len(run.reused)) == (5, 0, 5)


def test_local_engine_with_a_store_rereads_and_reextracts_an_edited_file(corpus_dir, tmp_path):
    with FigureStore(tmp_path / "store") as store:
        list(engines.extract_corpus([corpus_dir], store=store))
        edited = corpus_dir / "a06-brief.txt"
        edited.write_text(edited.read_text(encoding="utf-8").replace("421", "438"),
                          encoding="utf-8")
        run = StoreRun.of(store)
        with_store = list(engines.extract_corpus([corpus_dir], store=store, run=run))
    assert with_store == as_local_reader_sees_it(corpus_dir)
    assert run.extracted == ["a06-brief"]


def test_local_engine_with_a_store_reuses_figures_of_a_copied_corpus(corpus_dir, tmp_path):
    with FigureStore(tmp_path / "store") as store:
        list(engines.extract_corpus([corpus_dir], store=store))
        copy = shutil.copytree(corpus_dir, tmp_path / "copy")  # new paths: every file read again
        run = StoreRun.of(store)
        with_store = list(engines.extract_corpus([copy], store=store, run=run))
    assert with_store == as_local_reader_sees_it(copy)
    assert (len(run.reused), run.extracted, run.files_read) == (5, [], 5)


def test_local_engine_with_a_store_follows_a_manifest_change(corpus_dir, tmp_path):
    with FigureStore(tmp_path / "store") as store:
        list(engines.extract_corpus([corpus_dir], store=store))
        manifest = corpus_dir / "manifest.csv"
        manifest.write_text(manifest.read_text(encoding="utf-8").replace(
            "Example Wire", "Example Newswire"), encoding="utf-8")
        with_store = list(engines.extract_corpus([corpus_dir], store=store))
    assert with_store == as_local_reader_sees_it(corpus_dir)
    assert with_store[0][0].outlet == "Example Newswire"


def test_an_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="spark"):
        engines.extract_corpus([FIXTURES], engine="spark")


def test_a_scheduler_address_needs_the_dask_engine():
    with pytest.raises(ValueError, match="dask"):
        engines.extract_corpus([FIXTURES], scheduler="tcp://127.0.0.1:8786")


def test_dask_engine_missing_names_the_install(monkeypatch, corpus_dir):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(engines.EngineError, match="requirements-scale.txt"):
        list(engines.extract_corpus([corpus_dir], engine="dask"))


def test_cli_scheduler_without_dask_engine_is_a_usage_error(capsys):
    code = cli.main(["extract", str(FIXTURES), "--scheduler", "tcp://127.0.0.1:8786"])
    assert code == 2 and "--engine dask" in capsys.readouterr().err


def test_cli_store_writes_a_run_manifest(corpus_dir, tmp_path, capsys):
    store_dir = tmp_path / "store"
    cli.main(["extract", str(corpus_dir), "--store", str(store_dir)])
    first = capsys.readouterr().out
    cli.main(["extract", str(corpus_dir), "--store", str(store_dir)])
    assert capsys.readouterr().out == first
    assert '"reused": 5' in (store_dir / "last-run.json").read_text(encoding="utf-8")


def test_cli_store_that_cannot_be_opened_is_one_line_and_exit_1(tmp_path, capsys):
    (tmp_path / "figures.sqlite3").write_bytes(b"\x00\x01 not sqlite " * 64)
    code = cli.main(["extract", str(FIXTURES), "--store", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("extract: --store: ") and err.count("\n") == 1


# --- Dask ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scheduler():
    """One small local cluster for the module, reached by address as an existing one would be."""
    distributed = pytest.importorskip("distributed", reason="dask engine not installed "
                                      "(pip install -r requirements-scale.txt)")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, silence_logs=40) as cluster:
        yield cluster.scheduler_address


@pytest.fixture
def small_partitions(monkeypatch):
    # Several partitions even on a small corpus, so the order across them is tested.
    monkeypatch.setattr(engines, "PARTITION_ARTICLES", 2)


def test_dask_engine_output_equals_the_local_engine(corpus_dir, scheduler, small_partitions):
    local = list(engines.extract_corpus([corpus_dir]))
    dask = list(engines.extract_corpus([corpus_dir], engine="dask", scheduler=scheduler))
    assert dask == local


def test_dask_engine_reuses_the_store_the_local_engine_filled(corpus_dir, tmp_path, scheduler,
                                                              small_partitions):
    with FigureStore(tmp_path / "store") as store:
        local = list(engines.extract_corpus([corpus_dir], store=store))
        run = StoreRun.of(store)
        dask = list(engines.extract_corpus([corpus_dir], engine="dask", scheduler=scheduler,
                                           store=store, run=run))
    assert dask == local and (len(run.reused), run.extracted) == (5, [])


def test_dask_engine_fills_the_store_for_the_next_run(corpus_dir, tmp_path, scheduler):
    with FigureStore(tmp_path / "store") as store:
        list(engines.extract_corpus([corpus_dir], engine="dask", scheduler=scheduler, store=store))
        run = StoreRun.of(store)
        list(engines.extract_corpus([corpus_dir], store=store, run=run))
    assert (len(run.reused), run.extracted) == (5, [])


def test_cli_dask_engine_prints_what_the_local_engine_prints(corpus_dir, scheduler, capsys):
    local_code = cli.main(["extract", str(corpus_dir), "--format", "csv"])
    local = capsys.readouterr()
    dask_code = cli.main(["extract", str(corpus_dir), "--format", "csv", "--engine", "dask",
                          "--scheduler", scheduler])
    dask = capsys.readouterr()
    assert (dask_code, dask.out, dask.err) == (local_code, local.out, local.err)
