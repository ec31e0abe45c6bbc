"""Incremental extraction: figures of unchanged articles are reused from a local store.

An article's key is the sha256 of the extractor's version, the figure record's fields, and what
the extractor reads of the article: its id, its decoded text and the spans of its page debris
(figures inside debris are not emitted, and debris rules live in the corpus reader, outside the
extractor's version). Change any of them and the key changes, so a stale entry is never read
back; nothing has to be invalidated by hand.

Reading a file (decode, HTML to text, debris, outlet and date) costs more than a rerun can
afford, so a second table maps a file's signature to the Article read from it last time: the
path (as given and absolute), its device, inode, size, modification and change times in
nanoseconds, the manifest fields for its id, and a fingerprint of the corpus reader (its source,
the package's data files and the versions of the libraries it decodes with). Any write to the
file changes its change time, so an edited file is always read again, and its text key then
decides about its figures.

The store is one SQLite file (stdlib `sqlite3`) in write-ahead-log mode:
- a transaction is all or nothing, so a run killed mid-write (SIGKILL, power cut) leaves the
  store as of its last commit, never a half-written entry; the next run simply redoes the rest;
- readers never block the writer, and a second process waits on SQLite's own lock;
- one file, no server, inspectable with any SQLite tool.
Records are stored as zlib-compressed JSON rather than pickle: loading a store file can never
run code, and the format does not depend on the Python version.

No pandas here: this runs per article, on any engine.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import sqlite3
import zlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Self

from helpers import paths, records

STORE_FILE = "figures.sqlite3"
# The layout of the tables below; a store of another layout is emptied on opening (it is a cache).
STORE_FORMAT = 2
# Puts are committed in batches: one transaction per article would make a first run fsync-bound,
# while a kill loses at most one batch of work, never the store.
COMMIT_EVERY = 500

_SCHEMA = """
DROP TABLE IF EXISTS figures;
DROP TABLE IF EXISTS articles;
CREATE TABLE figures (
    key TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    extractor_version TEXT NOT NULL,
    figures BLOB NOT NULL
);
CREATE TABLE articles (
    signature TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    article BLOB NOT NULL
);
"""
# What the corpus reader's output depends on besides the file: see reader_fingerprint.
_READER_LIBRARIES = ("charset-normalizer", "inscriptis", "lxml", "dateparser")


def _digest(parts: Iterable[str | bytes]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        # Length-prefixed, so ("ab", "c") and ("a", "bc") never hash alike.
        digest.update(f"{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


def article_key(article: records.Article, extractor_version: str) -> str:
    """The store key of an article's figures under one extractor version."""
    debris = ";".join(f"{d.start},{d.end},{d.kind}" for d in article.debris)
    return _digest((extractor_version, ",".join(records.FIGURE_FIELDS), article.article_id,
                    article.text, debris))


@cache
def reader_fingerprint() -> str:
    """Changes whenever reading a file could give another Article: the reader's and the
    records' source, every data file of the package, and the decoding libraries' versions."""
    from helpers import corpus

    sources = [Path(corpus.__file__), Path(records.__file__),
               *sorted(p for p in paths.PACKAGE_DATA.rglob("*") if p.is_file())]
    versions = [f"{name}=={importlib.metadata.version(name)}" for name in _READER_LIBRARIES]
    return _digest([*(p.read_bytes() for p in sources), *versions])


def file_signature(path: str, article_id: str, manifest_fields: tuple[str, ...],
                   fingerprint: str) -> str | None:
    """The signature of one file as it stands now, or None when it cannot be stat'ed."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    facts = f"{info.st_dev},{info.st_ino},{info.st_size},{info.st_mtime_ns},{info.st_ctime_ns}"
    # The path as given too: it is what the stored Article says, and a relative path names
    # another file from another folder.
    return _digest((fingerprint, path, os.path.abspath(path), facts, article_id,
                    *manifest_fields))


def _pack(value: object) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # Article text and figure sentences compress about threefold: the store should not cost
    # a second copy of the corpus. Level 1: nearly as small, several times faster.
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def _unpack(blob: bytes) -> object:
    return json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass"))


def _encode(figures: list[records.Figure]) -> bytes:
    return _pack([[getattr(f, name) for name in records.FIGURE_FIELDS] for f in figures])


def _decode(blob: bytes) -> list[records.Figure]:
    return [records.Figure(*row) for row in _unpack(blob)]


_ARTICLE_FIELDS = tuple(records.Article.__dataclass_fields__)


def _encode_article(article: records.Article) -> bytes:
    values = {name: getattr(article, name) for name in _ARTICLE_FIELDS}
    values["debris"] = [[d.start, d.end, d.kind, d.text] for d in article.debris]
    return _pack(values)


def _decode_article(blob: bytes) -> records.Article:
    values = _unpack(blob)
    values["debris"] = tuple(records.Debris(*d) for d in values["debris"])
    return records.Article(**values)


class StoreError(RuntimeError):
    """The store cannot be opened: not a store, unreadable, or its folder cannot be made."""


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
                if self._format() != STORE_FORMAT:
                    self._recreate()
            self._db.execute("SELECT 1 FROM figures LIMIT 1")
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"{self.path}: not a usable figure store ({error})") from error
        self._pending = 0

    def _format(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _recreate(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            # Checked again under the lock: another process may have just done it.
            if self._format() != STORE_FORMAT:
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {STORE_FORMAT}")
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def get(self, key: str) -> list[records.Figure] | None:
        """The stored figures for `key`, or None when this article was never extracted."""
        row = self._db.execute("SELECT figures FROM figures WHERE key = ?", (key,)).fetchone()
        return None if row is None else _decode(row[0])

    def put(self, key: str, article_id: str, extractor_version: str,
            figures: list[records.Figure]) -> None:
        """Store an article's figures; committed with the next batch or on `commit`/`close`."""
        self._write(
            "INSERT OR REPLACE INTO figures (key, article_id, extractor_version, figures) "
            "VALUES (?, ?, ?, ?)",
            (key, article_id, extractor_version, _encode(figures)),
        )

    def get_article(self, signature: str) -> records.Article | None:
        """The Article last read from a file with this signature, or None."""
        row = self._db.execute("SELECT article FROM articles WHERE signature = ?",
                               (signature,)).fetchone()
        return None if row is None else _decode_article(row[0])

    def put_article(self, signature: str, article: records.Article) -> None:
        """Remember the Article read from a file with this signature (batched like `put`)."""
        self._write("INSERT OR REPLACE INTO articles (signature, article_id, article) "
                    "VALUES (?, ?, ?)", (signature, article.article_id, _encode_article(article)))

    def _write(self, sql: str, values: tuple) -> None:
        if self._pending == 0:
            self._db.execute("BEGIN IMMEDIATE")
        self._db.execute(sql, values)
        self._pending += 1
        if self._pending >= COMMIT_EVERY:
            self.commit()

    def commit(self) -> None:
        if self._pending:
            self._db.execute("COMMIT")
            self._pending = 0

    def close(self) -> None:
        self.commit()
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@dataclass
class StoreRun:
    """What one run took from the store and what it did anew: the run manifest.

    `reused` and `extracted` are article ids by where their figures came from; the file counts
    say how many files were read and how many were unchanged since the store last saw them.
    """

    extractor_version: str
    store: str
    reused: list[str] = field(default_factory=list)
    extracted: list[str] = field(default_factory=list)
    files_read: int = 0
    files_unchanged: int = 0

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
        # A name of our own rather than mkstemp's, so the file gets the usual umask permissions.
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as out:
                json.dump(self.as_dict(), out, ensure_ascii=False, indent=1)
                out.write("\n")
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return path
