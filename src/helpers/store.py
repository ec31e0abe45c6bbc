"""Incremental extraction: figures of unchanged articles are reused from a local store.

An article's key is the sha256 of the extractor's version, the figure record's fields, and what
the extractor reads of the article: its id, its decoded text and the spans of its page debris
(figures inside debris are not emitted, and debris rules live in the corpus reader, outside the
extractor's version). Change any of them and the key changes, so a stale entry is never read
back; nothing has to be invalidated by hand.

The store is one SQLite file (stdlib `sqlite3`) in write-ahead-log mode:
- a transaction is all or nothing, so a run killed mid-write (SIGKILL, power cut) leaves the
  store as of its last commit, never a half-written entry; the next run simply redoes the rest;
- readers never block the writer, and a second process waits on SQLite's own lock;
- one file, no server, inspectable with any SQLite tool.
Figures are stored as JSON rather than pickle: loading a store file can never run code, and the
format does not depend on the Python version.

No pandas here: this runs per article, on any engine.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from helpers import paths, records

STORE_FILE = "figures.sqlite3"
# Puts are committed in batches: one transaction per article would make a first run fsync-bound,
# while a kill loses at most one batch of work, never the store.
COMMIT_EVERY = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS figures (
    key TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    extractor_version TEXT NOT NULL,
    figures TEXT NOT NULL
)
"""


def article_key(article: records.Article, extractor_version: str) -> str:
    """The store key of an article's figures under one extractor version."""
    digest = hashlib.sha256()
    debris = ";".join(f"{d.start},{d.end},{d.kind}" for d in article.debris)
    parts = (extractor_version, ",".join(records.FIGURE_FIELDS), article.article_id,
             article.text, debris)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass")
        # Length-prefixed, so ("ab", "c") and ("a", "bc") never hash alike.
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


def _encode(figures: list[records.Figure]) -> str:
    rows = [[getattr(f, name) for name in records.FIGURE_FIELDS] for f in figures]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def _decode(text: str) -> list[records.Figure]:
    return [records.Figure(*row) for row in json.loads(text)]


class FigureStore:
    """Figures per article key, kept in `directory/figures.sqlite3` (default: paths.STORE_DIR)."""

    def __init__(self, directory: str | Path | None = None, readonly: bool = False):
        """Open (or create) the store; `readonly` opens an existing one for lookups only, as
        engine workers do while the run that started them writes."""
        self.directory = Path(directory) if directory is not None else paths.STORE_DIR
        self.path = self.directory / STORE_FILE
        try:
            if readonly:
                self._db = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True,
                                           isolation_level=None, timeout=60)
            else:
                self.directory.mkdir(parents=True, exist_ok=True)
                # isolation_level=None: transactions are opened and committed explicitly below.
                self._db = sqlite3.connect(self.path, isolation_level=None, timeout=60)
                self._db.execute("PRAGMA journal_mode=WAL")
                # NORMAL in WAL mode: never corrupt; a power cut may drop the last commits.
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.execute(_SCHEMA)
            self._db.execute("SELECT 1 FROM figures LIMIT 1")
        except sqlite3.DatabaseError as error:
            raise sqlite3.DatabaseError(f"{self.path}: not a usable figure store ({error})") from error
        self._pending = 0

    def get(self, key: str) -> list[records.Figure] | None:
        """The stored figures for `key`, or None when this article was never extracted."""
        row = self._db.execute("SELECT figures FROM figures WHERE key = ?", (key,)).fetchone()
        return None if row is None else _decode(row[0])

    def put(self, key: str, article_id: str, extractor_version: str,
            figures: list[records.Figure]) -> None:
        """Store an article's figures; committed with the next batch or on `commit`/`close`."""
        if self._pending == 0:
            self._db.execute("BEGIN IMMEDIATE")
        self._db.execute(
            "INSERT OR REPLACE INTO figures (key, article_id, extractor_version, figures) "
            "VALUES (?, ?, ?, ?)",
            (key, article_id, extractor_version, _encode(figures)),
        )
        self._pending += 1
        if self._pending >= COMMIT_EVERY:
            self.commit()

    def commit(self) -> None:
        if self._pending:
            self._db.execute("COMMIT")
            self._pending = 0

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM figures").fetchone()[0]

    def close(self) -> None:
        self.commit()
        self._db.close()

    def __enter__(self) -> FigureStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@dataclass
class StoreRun:
    """What one run took from the store and what it extracted anew: the run manifest."""

    extractor_version: str
    store: str
    reused: list[str] = field(default_factory=list)
    extracted: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, store: FigureStore) -> StoreRun:
        """An empty manifest for a run against `store` with the current extractor."""
        from helpers import figures

        return cls(extractor_version=figures.EXTRACTOR_VERSION, store=str(store.path))

    def as_dict(self) -> dict:
        counts = {"reused": len(self.reused), "extracted": len(self.extracted)}
        return {**asdict(self), "counts": counts}

    def write(self, path: str | Path) -> Path:
        """Write the manifest as JSON, atomically: a reader never sees half a file."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(self.as_dict(), out, ensure_ascii=False, indent=1)
                out.write("\n")
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return path


def stored_or_extracted(
    article: records.Article, store: FigureStore, run: StoreRun | None = None
) -> tuple[list[records.Figure], bool]:
    """The article's figures and whether they came from `store`; new ones are put there.

    `run`, when given, records the article's id as reused or extracted.
    """
    from helpers import figures

    key = article_key(article, figures.EXTRACTOR_VERSION)
    found = store.get(key)
    reused = found is not None
    if found is None:
        found = figures.extract_figures(article)
        store.put(key, article.article_id, figures.EXTRACTOR_VERSION, found)
    if run is not None:
        (run.reused if reused else run.extracted).append(article.article_id)
    return found, reused


def extract_with_store(
    articles: Iterable[records.Article], store: FigureStore, run: StoreRun | None = None
) -> Iterator[tuple[records.Article, list[records.Figure], bool]]:
    """Each article with its figures and whether they were reused from `store`, in input order."""
    try:
        for article in articles:
            yield article, *stored_or_extracted(article, store, run)
    finally:
        store.commit()
