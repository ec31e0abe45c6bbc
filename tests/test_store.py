"""The figure store: keys, reuse of unchanged articles, the run manifest, and its file."""

from __future__ import annotations

import json
import sqlite3

import pytest

from helpers import figures, records, tables
from helpers.store import (
    LOOKUP_BATCH,
    STORE_FORMAT,
    FigureStore,
    StoreError,
    StoreRun,
    extractor_fingerprint,
    extractor_sources,
    file_signature,
    reader_fingerprint,
    text_key,
)

FIRST = records.Article(
    article_id="wire-0412",
    path="wire-0412.txt",
    text="Gaza's health ministry said on Sunday that at least 34,049 people have been killed "
         "since the war began, and 76,901 wounded.",
)
SECOND = records.Article(
    article_id="blog-0413",
    path="blog-0413.txt",
    text="Roughly 1.4 million people are sheltering in Rafah, according to the United Nations.",
)


def a_figure(article_id: str = "wire-0412", value: int = 34049) -> records.Figure:
    return records.Figure(
        article_id=article_id, category="gaza_killed", value=value, bound=">=",
        attribution_class="gaza_moh", attribution_text="Gaza's health ministry said",
        sentence="Gaza's health ministry said 34,049 people have been killed — “since October”.",
        char_start=55, char_end=61, surface="at least 34,049",
    )


def changed(article: records.Article, **fields) -> records.Article:
    values = {name: getattr(article, name) for name in records.Article.__dataclass_fields__}
    return records.Article(**{**values, **fields})


# --- keys -------------------------------------------------------------------------------------

def test_text_key_is_stable_for_the_same_article():
    assert text_key(FIRST) == text_key(changed(FIRST))


def test_text_key_changes_with_one_character_of_text():
    assert text_key(FIRST) != text_key(changed(FIRST, text=FIRST.text + " "))


def test_text_key_changes_with_the_article_id():
    assert text_key(FIRST) != text_key(changed(FIRST, article_id="wire-0413"))


def test_text_key_changes_when_a_line_becomes_debris():
    banner = changed(FIRST, debris=(records.Debris(0, 20, "banner", FIRST.text[:20]),))
    assert text_key(banner) != text_key(FIRST)


def test_text_key_ignores_metadata_the_extractor_does_not_read():
    moved = changed(FIRST, path="elsewhere/wire-0412.txt", outlet="Wire", url="https://x.test/1")
    assert text_key(moved) == text_key(FIRST)


def test_text_key_does_not_confuse_where_id_ends_and_text_begins():
    a = changed(FIRST, article_id="ab", text="c")
    b = changed(FIRST, article_id="a", text="bc")
    assert text_key(a) != text_key(b)


def test_extractor_fingerprint_changes_with_the_extractor_version(monkeypatch):
    before = extractor_fingerprint()
    monkeypatch.setattr(figures, "EXTRACTOR_VERSION", "a later extractor")
    assert extractor_fingerprint() != before


def test_extractor_sources_hold_the_modules_the_engine_uses_and_its_data():
    # The version follows the taxonomy only; numbers and sentences decide figures too.
    names = {path.name for path in extractor_sources()}
    assert {"figures.py", "numbers.py", "sentences.py", "taxonomy.py", "records.py",
            "taxonomy.toml"} <= names


# --- figures by text key and extractor ----------------------------------------------------------

def test_unknown_text_key_is_none(tmp_path):
    with FigureStore(tmp_path) as store:
        assert store.get_figures("0" * 64, "v1") is None


def test_figures_come_back_equal_including_unicode(tmp_path):
    stored = [a_figure(value=34049), a_figure(value=76901)]
    with FigureStore(tmp_path) as store:
        store.put_figures("k", "wire-0412", "v1", stored)
        assert store.get_figures("k", "v1") == stored


def test_figures_of_another_extractor_are_not_found(tmp_path):
    with FigureStore(tmp_path) as store:
        store.put_figures("k", "wire-0412", "v1", [a_figure()])
        assert store.get_figures("k", "v2") is None


def test_an_article_without_figures_is_stored_as_an_empty_list(tmp_path):
    with FigureStore(tmp_path) as store:
        store.put_figures("k", "wire-0412", "v1", [])
        assert store.get_figures("k", "v1") == []


def test_figures_survive_closing_and_reopening(tmp_path):
    with FigureStore(tmp_path) as store:
        store.put_figures("k", "wire-0412", "v1", [a_figure()])
    with FigureStore(tmp_path) as store:
        assert store.get_figures("k", "v1") == [a_figure()]


def test_uncommitted_puts_are_lost_whole_never_half_written(tmp_path):
    store = FigureStore(tmp_path)
    store.put_figures("kept", "wire-0412", "v1", [a_figure()])
    store.commit()
    store.put_figures("lost", "wire-0412", "v1", [a_figure()])
    # A second connection sees only committed data, as a run after a kill would.
    with FigureStore(tmp_path) as other:
        assert (other.get_figures("kept", "v1"), other.get_figures("lost", "v1")) == (
            [a_figure()], None)


def test_store_lives_in_one_sqlite_file_in_wal_mode(tmp_path):
    FigureStore(tmp_path).close()
    mode = sqlite3.connect(tmp_path / "figures.sqlite3").execute("PRAGMA journal_mode").fetchone()
    assert mode == ("wal",)


def test_a_store_of_an_older_layout_is_emptied_with_a_warning_naming_it(tmp_path, caplog):
    old = sqlite3.connect(tmp_path / "figures.sqlite3")
    old.execute("CREATE TABLE figures (key TEXT PRIMARY KEY, figures BLOB)")
    old.execute("INSERT INTO figures VALUES ('k', x'789c')")
    old.execute("PRAGMA user_version = 2")
    old.commit()
    old.close()
    with FigureStore(tmp_path) as store:
        store.put_figures("k", "wire-0412", "v1", [a_figure()])
        assert store.get_figures("k", "v1") == [a_figure()]
    [warning] = caplog.records
    assert warning.levelname == "WARNING"
    assert warning.getMessage().startswith(
        f"{tmp_path / 'figures.sqlite3'}: a store of format 2, this version keeps format "
        f"{STORE_FORMAT}: emptied and rebuilt")


def test_a_new_store_is_made_without_a_warning(tmp_path, caplog):
    FigureStore(tmp_path).close()
    FigureStore(tmp_path).close()
    assert caplog.records == []


def test_a_file_that_is_not_a_store_is_named_in_the_error(tmp_path):
    (tmp_path / "figures.sqlite3").write_bytes(b"this is not a database, just some text" * 100)
    with pytest.raises(StoreError, match="figures.sqlite3"):
        FigureStore(tmp_path)


def test_a_store_folder_that_cannot_be_made_is_named_in_the_error(tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(StoreError, match="taken"):
        FigureStore(tmp_path / "taken" / "store")


# --- articles by file signature -----------------------------------------------------------------

def test_a_signature_gives_back_the_article_whole_with_its_debris_and_text_key(tmp_path):
    article = changed(FIRST, title="Toll “passes” 34,000", outlet="Wire", outlet_source="stated",
                      debris=(records.Debris(0, 12, "player", "0:00 / 2:31"),))
    with FigureStore(tmp_path) as store:
        store.put_article("sig", text_key(article), article)
        assert store.lookup(["sig"], "v1") == [(article, text_key(article), None)]


def test_an_article_from_a_file_name_that_is_not_utf8_comes_back_whole(tmp_path):
    # os.walk gives undecodable bytes of a name as lone surrogates.
    article = changed(FIRST, article_id="caf\udce9", path="corpus/caf\udce9.txt")
    with FigureStore(tmp_path) as store:
        store.put_article("sig", text_key(article), article)
        store.put_figures(text_key(article), article.article_id, "v1", [])
        assert store.lookup(["sig"], "v1") == [(article, text_key(article), [])]


def test_a_signature_gives_the_figures_of_the_asked_extractor(tmp_path):
    with FigureStore(tmp_path) as store:
        store.put_article("sig", text_key(FIRST), FIRST)
        store.put_figures(text_key(FIRST), FIRST.article_id, "v1", [a_figure()])
        [under_v1], [under_v2] = store.lookup(["sig"], "v1"), store.lookup(["sig"], "v2")
    assert (under_v1.figures, under_v2.figures) == ([a_figure()], None)


def test_an_unknown_signature_is_none(tmp_path):
    with FigureStore(tmp_path) as store:
        assert store.lookup(["sig"], "v1") == [None]


def test_lookups_past_one_batch_answer_each_signature_in_its_place(tmp_path):
    articles = [changed(FIRST, article_id=f"wire-{i:04d}") for i in range(LOOKUP_BATCH + 2)]
    with FigureStore(tmp_path) as store:
        for article in articles:
            store.put_article(f"sig-{article.article_id}", text_key(article), article)
        asked = [None, "sig-unknown", *(f"sig-{a.article_id}" for a in reversed(articles))]
        found = store.lookup(asked, "v1")
    assert found[:2] == [None, None]
    assert [stored.article for stored in found[2:]] == articles[::-1]


def signature_of(path, *, manifest=("", "", ""), fingerprint="reader-1"):
    return file_signature(str(path), "wire-0412", manifest, fingerprint)


def test_signature_is_stable_while_the_file_is_untouched(tmp_path):
    path = tmp_path / "wire-0412.txt"
    path.write_text(FIRST.text, encoding="utf-8")
    assert signature_of(path) == signature_of(path)


def test_signature_changes_when_the_file_is_rewritten_with_the_same_size(tmp_path):
    path = tmp_path / "wire-0412.txt"
    path.write_text(FIRST.text, encoding="utf-8")
    before = signature_of(path)
    path.write_text(FIRST.text.replace("34,049", "34,050"), encoding="utf-8")
    assert signature_of(path) != before


def test_signature_changes_with_the_manifest_row(tmp_path):
    path = tmp_path / "wire-0412.txt"
    path.write_text(FIRST.text, encoding="utf-8")
    assert signature_of(path) != signature_of(path, manifest=("", "Wire", "2024-04-21"))


def test_signature_changes_with_the_reader(tmp_path):
    path = tmp_path / "wire-0412.txt"
    path.write_text(FIRST.text, encoding="utf-8")
    assert signature_of(path) != signature_of(path, fingerprint="reader-2")


def test_a_missing_file_has_no_signature(tmp_path):
    assert signature_of(tmp_path / "gone.txt") is None


def test_reader_fingerprint_is_stable_within_a_version():
    assert reader_fingerprint() == reader_fingerprint() and len(reader_fingerprint()) == 64


# --- the run manifest and tables ----------------------------------------------------------------

def test_run_manifest_is_json_with_ids_and_counts(tmp_path):
    with FigureStore(tmp_path) as store:
        run = StoreRun.of(store)
    run.reused.append("wire-0412")
    run.extracted.append("blog-0413")
    written = json.loads(run.write(tmp_path / "run.json").read_text(encoding="utf-8"))
    assert written == {"extractor_version": figures.EXTRACTOR_VERSION,
                       "store": str(tmp_path / "figures.sqlite3"),
                       "reused": ["wire-0412"], "extracted": ["blog-0413"],
                       "files_read": 0, "files_unchanged": 0,
                       "counts": {"reused": 1, "extracted": 1}}


def test_corpus_tables_through_the_store_are_identical_on_rerun(tmp_path):
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    for article in (FIRST, SECOND):
        (corpus_dir / f"{article.article_id}.txt").write_text(article.text, encoding="utf-8")
    outputs = []
    for run in ("first", "rerun"):
        frames = tables.corpus_tables([corpus_dir], store=tmp_path / "store")
        tables.write_table(frames.figures, tmp_path / f"{run}.csv")
        tables.write_table(frames.figures, tmp_path / f"{run}.parquet")
        outputs.append((tmp_path / f"{run}.csv").read_bytes())
        outputs.append((tmp_path / f"{run}.parquet").read_bytes())
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]


def test_corpus_tables_are_the_same_with_or_without_the_store(tmp_path):
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    (corpus_dir / "wire-0412.txt").write_text(FIRST.text, encoding="utf-8")
    with FigureStore(tmp_path / "store") as store:
        via_store = tables.corpus_tables([corpus_dir], store=store)
    direct = tables.corpus_tables([corpus_dir])
    assert via_store.figures.equals(direct.figures)
