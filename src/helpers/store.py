"""Incremental extraction: figures of unchanged articles are reused from a local store.

Two tables, two keys:
- `articles` maps a file's signature to the Article read from it and that Article's text key.
  The signature is the path as given, the file's device, inode, size, modification and change
  times in nanoseconds, the manifest fields for its id, and a fingerprint of the corpus reader
  (its source, the package's data files and the versions of the libraries it decodes with).
  Any write to a file changes its change time, so an edited file is always read again.
- `figures` maps a text key and an extractor to the figures found. The text key is the sha256
  of what the extractor reads of an article: its id, its decoded text and the spans of its page
  debris (figures inside debris are not emitted, and debris rules live in the corpus reader,
  outside the extractor's version). The extractor is named by a fingerprint of its
  EXTRACTOR_VERSION and its source (see extractor_fingerprint).
An unchanged file therefore costs a stat and a share of one batched query: it is neither read,
decoded nor hashed, and a new extractor re-extracts it from the stored Article without reading
the file. Keys only ever name content, so a stale entry is never read back and nothing has to
be invalidated by hand.

Stored values are what a rerun hands on with the least work: the text as UTF-8, the other
Article fields and the figure rows as JSON lists. None is compressed: decompressing took a tenth
of a rerun's time, and a store is about 1.6 times the size of its corpus instead of 0.9 times.
Strings are encoded allowing lone surrogates, which a file name that is not UTF-8 gives to a
path and an id. JSON rather than pickle: loading a store file can never run code, and the
format does not depend on the Python version.

The store is one SQLite file (stdlib `sqlite3`) in write-ahead-log mode:
- a transaction is all or nothing, so a run killed mid-write (SIGKILL, power cut) leaves the
  store as of its last commit, never a half-written entry; the next run simply redoes the rest;
- readers never block the writer, and a second process waits on SQLite's own lock;
- one file, no server, inspectable with any SQLite tool.

No pandas here: this runs per article, on any engine.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import itertools
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import NamedTuple, Self

from helpers import paths, records

STORE_FILE = "figures.sqlite3"
# The layout of the tables below. A store of another layout is emptied on opening, with a
# warning: it is a cache, and the run that finds it extracts everything once.
STORE_FORMAT = 3
# Puts are committed in batches: one transaction per article would make a first run fsync-bound,
# while a kill loses at most one batch of work, never the store.
COMMIT_EVERY = 500
# Signatures looked up per query: one query per file would cost a rerun more than its rows.
LOOKUP_BATCH = 500

_SCHEMA = (
    """CREATE TABLE articles (
        signature TEXT PRIMARY KEY,
        text_key TEXT NOT NULL,
        fields BLOB NOT NULL,
        text BLOB NOT NULL
    )""",
    """CREATE TABLE figures (
        text_key TEXT NOT NULL,
        extractor TEXT NOT NULL,
        article_id BLOB NOT NULL,
        figures BLOB NOT NULL,
        PRIMARY KEY (text_key, extractor)
    )""",
)
# The Article fields kept in `articles.fields`, in this order (the debris as lists). Their
# order and names are the records module's, whose source is in the reader fingerprint: a
# changed Article never meets a row stored before.
_FIELDS = tuple(name for name in records.Article.__dataclass_fields__
                if name not in ("text", "debris"))
assert tuple(records.Article.__dataclass_fields__) == (*_FIELDS[:2], "text", *_FIELDS[2:],
                                                       "debris"), "see _decode_article"
# What the corpus reader's output depends on besides the file: see reader_fingerprint.
_READER_LIBRARIES = ("charset-normalizer", "inscriptis", "lxml", "dateparser")

_log = logging.getLogger(__name__)


def _digest(parts: Iterable[str]) -> str:
    # Length-prefixed, so ("ab", "c") and ("a", "bc") never hash alike. One string, one update:
    # this runs for every file of every run.
    joined = "".join(f"{len(part)}:{part}" for part in parts)
    return hashlib.sha256(_utf8(joined)).hexdigest()


def text_key(article: records.Article) -> str:
    """The key of what the extractor reads of an article: id, text and debris spans."""
    debris = ";".join(f"{d.start},{d.end},{d.kind}" for d in article.debris)
    return _digest((article.article_id, article.text, debris))


def _used_sources(root: ModuleType) -> list[Path]:
    """The source files of `root` and of every helpers module it uses, found through the
    modules, classes and functions each one imports at module level."""
    sources: dict[str, Path] = {}
    pending = [root]
    while pending:
        module = pending.pop()
        sources[module.__name__] = Path(module.__file__)
        for value in vars(module).values():
            name = (value.__name__ if isinstance(value, ModuleType)
                    else getattr(value, "__module__", None))
            if isinstance(name, str) and name.startswith("helpers.") and name not in sources:
                pending.append(sys.modules[name])
    return sorted(sources.values())


def _package_data() -> list[Path]:
    return sorted(p for p in paths.PACKAGE_DATA.rglob("*") if p.is_file())


def _contents(files: Iterable[Path]) -> list[str]:
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in files]


def extractor_sources() -> list[Path]:
    """The files the extractor's figures depend on: the engine's source, that of every helpers
    module it uses, and the package's data files."""
    from helpers import figures

    return [*_used_sources(figures), *_package_data()]


@cache
def _extractor_sources_digest() -> str:
    return _digest([*_contents(extractor_sources()), *records.FIGURE_FIELDS])


def extractor_fingerprint() -> str:
    """Names the extractor whose figures a `figures` row holds. Changes with EXTRACTOR_VERSION
    and with any of extractor_sources or the figure record's fields (stored rows are
    positional): an edit to the engine that leaves its version alone must not bring back
    figures it would no longer find."""
    from helpers import figures

    return _digest((figures.EXTRACTOR_VERSION, _extractor_sources_digest()))


@cache
def reader_fingerprint() -> str:
    """Changes whenever reading a file could give another Article: the source of the reader
    and of every helpers module it uses, the package's data files, and the versions of the
    libraries it decodes with."""
    from helpers import corpus

    versions = [f"{name}=={importlib.metadata.version(name)}" for name in _READER_LIBRARIES]
    return _digest([*_contents([*_used_sources(corpus), *_package_data()]), *versions])


def file_signature(path: str, article_id: str, manifest_fields: tuple[str, ...],
                   fingerprint: str) -> str | None:
    """The signature of one file as it stands now, or None when it cannot be stat'ed."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    # Device and inode name the file wherever it is reached from; the path as given is what
    # the Article says (and decides its id and format), so it is part of what was read.
    facts = f"{info.st_dev},{info.st_ino},{info.st_size},{info.st_mtime_ns},{info.st_ctime_ns}"
    return _digest((fingerprint, path, facts, article_id, *manifest_fields))


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _json(value: object) -> bytes:
    return _utf8(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


_JSON = json.JSONDecoder()


def _from_json(blob: bytes) -> list:
    # raw_decode is json.loads without its look for whitespace around the document, which
    # stored JSON never has; a rerun decodes two documents per article.
    return _JSON.raw_decode(blob.decode("utf-8", "surrogatepass"))[0]


def _encode_figures(figures: list[records.Figure]) -> bytes:
    return _json([[getattr(f, name) for name in records.FIGURE_FIELDS] for f in figures])


def _decode_figures(blob: bytes) -> list[records.Figure]:
    return list(itertools.starmap(records.Figure, _from_json(blob)))


def _encode_fields(article: records.Article) -> bytes:
    debris = [[d.start, d.end, d.kind, d.text] for d in article.debris]
    return _json([*(getattr(article, name) for name in _FIELDS), debris])


def _decode_article(text: bytes, fields: bytes) -> records.Article:
    # Positional, as _FIELDS holds them: the text goes third and the debris last.
    article_id, path, *values, debris = _from_json(fields)
    return records.Article(article_id, path, text.decode("utf-8", "surrogatepass"), *values,
                           tuple(itertools.starmap(records.Debris, debris)))


class Stored(NamedTuple):
    """What the store knows of a file by its signature: the Article read from it, its text
    key, and its figures under the asked extractor (None when that extractor never ran on it)."""

    article: records.Article
    text_key: str
    figures: list[records.Figure] | None


class StoreError(RuntimeError):
    """The store cannot be opened: not a store, unreadable, or its folder cannot be made."""


class FigureStore:
    """Articles by file signature and figures by text key and extractor, kept in
    `directory/figures.sqlite3` (default: paths.STORE_DIR)."""

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
            found = self._format()
            tables = [name for (name,) in self._db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
            if found != STORE_FORMAT:
                for name in tables:
                    self._db.execute(f'DROP TABLE "{name}"')
                for statement in _SCHEMA:
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {STORE_FORMAT}")
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        if found != STORE_FORMAT and tables:
            _log.warning("%s: a store of format %d, this version keeps format %d: emptied and "
                         "rebuilt, so this run reads and extracts every article again",
                         self.path, found, STORE_FORMAT)

    def lookup(self, signatures: Sequence[str | None], extractor: str) -> list[Stored | None]:
        """What was stored for each file signature (None for None or an unknown one), with
        the figures of `extractor` (an extractor_fingerprint): one query per LOOKUP_BATCH
        signatures."""
        wanted = [s for s in dict.fromkeys(signatures) if s is not None]
        found: dict[str, Stored] = {}
        for start in range(0, len(wanted), LOOKUP_BATCH):
            batch = wanted[start:start + LOOKUP_BATCH]
            rows = self._db.execute(
                "SELECT a.signature, a.text_key, a.fields, a.text, f.figures FROM articles AS a "
                "LEFT JOIN figures AS f ON f.text_key = a.text_key AND f.extractor = ? "
                f"WHERE a.signature IN ({', '.join('?' * len(batch))})",
                (extractor, *batch))
            for signature, key, fields, text, figures in rows:
                found[signature] = Stored(_decode_article(text, fields), key,
                                          None if figures is None else _decode_figures(figures))
        return [found.get(s) if s is not None else None for s in signatures]

    def put_article(self, signature: str, key: str, article: records.Article) -> None:
        """Remember the Article read from a file with this signature and its text key;
        committed with the next batch or on `commit`/`close`."""
        self._write("INSERT OR REPLACE INTO articles (signature, text_key, fields, text) "
                    "VALUES (?, ?, ?, ?)",
                    (signature, key, _encode_fields(article), _utf8(article.text)))

    def get_figures(self, key: str, extractor: str) -> list[records.Figure] | None:
        """The figures `extractor` found for a text key, or None when it never ran on it."""
        row = self._db.execute("SELECT figures FROM figures WHERE text_key = ? AND extractor = ?",
                               (key, extractor)).fetchone()
        return None if row is None else _decode_figures(row[0])

    def put_figures(self, key: str, article_id: str, extractor: str,
                    figures: list[records.Figure]) -> None:
        """Store an article's figures (batched like `put_article`)."""
        self._write(
            "INSERT OR REPLACE INTO figures (text_key, extractor, article_id, figures) "
            "VALUES (?, ?, ?, ?)",
            (key, extractor, _utf8(article_id), _encode_figures(figures)),
        )

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
