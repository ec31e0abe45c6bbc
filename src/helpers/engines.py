"""Engines that run extraction over a corpus: `local` (one process, streaming) and `dask`.

Both yield every input once, as (Article, its figures) or (Unreadable, []), in the order
`corpus.iter_articles` gives: manifest problems first, then article_id order. The Dask engine is
an optional install (requirements-scale.txt), imported only when asked for.

Dask: the sorted plan of files is cut into partitions (never between two files with the same id,
so duplicate ids are still caught), a Dask bag of them is read and extracted by workers, and the
partitions are gathered back in order with a bounded number in flight, so the client's memory
stays flat. Workers must see the same paths and run the same helpers version (checked); they
look the figure store up read-only when its file is visible to them, and the client writes it.

With a store (helpers.store), both engines neither read nor hash files whose signature is
unchanged, and do not extract articles whose text key is unchanged; the local engine without one
is exactly `corpus.iter_articles` followed by `figures.extract_figures`.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from helpers import corpus, figures, records
from helpers.store import (
    LOOKUP_BATCH,
    STORE_FILE,
    FigureStore,
    StoreRun,
    extractor_fingerprint,
    file_signature,
    reader_fingerprint,
    text_key,
)

ENGINES = ("local", "dask")
Item = records.Article | records.Unreadable
# Articles per Dask partition: large enough that scheduling costs little per article.
PARTITION_ARTICLES = 250


class EngineError(RuntimeError):
    """An engine could not run: missing install, unreachable scheduler, mismatched workers."""


def extract_corpus(
    paths: Iterable[str | Path] | str | Path,
    manifest: str | Path | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    store: FigureStore | None = None,
    run: StoreRun | None = None,
) -> Iterator[tuple[Item, list[records.Figure]]]:
    """Every input with its figures, sorted as `corpus.iter_articles` sorts.

    `scheduler` is a Dask scheduler address (dask engine only; default: a local cluster).
    With `store`, unchanged files and articles are taken from it and new ones stored; `run`,
    when given, records which articles' figures were reused and which extracted.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine {engine!r}: use one of {', '.join(ENGINES)}")
    if scheduler is not None and engine != "dask":
        raise ValueError("a scheduler address needs engine='dask'")
    if engine == "dask":
        return _extract_dask(paths, manifest, scheduler, store, run)
    if store is not None:
        return _extract_local_stored(paths, manifest, store, run)
    return _extract_local(paths, manifest)


def _extract_local(paths, manifest) -> Iterator[tuple[Item, list[records.Figure]]]:
    for item in corpus.iter_articles(paths, manifest=manifest):
        if isinstance(item, records.Unreadable):
            yield item, []
        else:
            yield item, figures.extract_figures(item)


@dataclass(frozen=True, slots=True)
class _Extracted:
    """One input's outcome, and what the store should learn from it."""

    item: Item
    figures: list[records.Figure]
    signature: str | None = None  # of the file, when a store is in use and it could be stat'ed
    article_reused: bool = False
    key: str = ""  # the text key, when a store is in use
    figures_reused: bool = False


def _manifest_fields(row: corpus.ManifestRow | None) -> tuple[str, ...]:
    return ("", "", "") if row is None else (row.url, row.outlet, row.published_date)


def _extract_planned(plan: Iterable[corpus.PlannedArticle], lookup: FigureStore | None,
                     signed: bool) -> Iterator[_Extracted]:
    """Read and extract planned inputs in order, as `corpus.read_planned` reads them (the same
    duplicate-id rule), except that what `lookup` knows is not done again.

    A file whose signature `lookup` knows is neither read nor hashed: its Article, text key and
    (under this extractor) figures come from the store, looked up LOOKUP_BATCH files at a time.
    `signed` computes signatures and text keys so that a store can learn this run's files.
    """
    extractor = extractor_fingerprint()
    fingerprint = reader_fingerprint() if signed else ""
    previous_id = previous_path = None
    planned_inputs = iter(plan)
    while batch := list(itertools.islice(planned_inputs, LOOKUP_BATCH)):
        # Signed before reading: a file changed after its stat is read again next time.
        signatures = [file_signature(p.path, p.article_id, _manifest_fields(p.manifest_row),
                                     fingerprint) if signed and not p.reason else None
                      for p in batch]
        known = (lookup.lookup(signatures, extractor) if lookup is not None
                 else [None] * len(batch))
        for planned, signature, stored in zip(batch, signatures, known):
            if planned.reason:
                yield _Extracted(records.Unreadable(planned.path, planned.reason), [])
                continue
            if planned.article_id == previous_id:
                reason = (f"duplicate article id {planned.article_id!r} (already read from "
                          f"{previous_path})")
                yield _Extracted(records.Unreadable(planned.path, reason), [])
                continue
            if stored is not None:
                item, key, found = stored
            else:
                item = corpus.read_article(planned.path, planned.article_id,
                                           planned.manifest_row)
                if isinstance(item, records.Unreadable):
                    yield _Extracted(item, [])
                    continue
                key = text_key(item) if signed else ""
                found = lookup.get_figures(key, extractor) if lookup is not None else None
            previous_id, previous_path = planned.article_id, planned.path
            figures_reused = found is not None
            if found is None:
                found = figures.extract_figures(item)
            yield _Extracted(item, found, signature, stored is not None, key, figures_reused)


def _record(extracted: _Extracted, store: FigureStore, run: StoreRun | None) -> None:
    """Teach the store what this input's reading and extraction found."""
    article = extracted.item
    if not isinstance(article, records.Article):
        return
    if extracted.signature is not None and not extracted.article_reused:
        store.put_article(extracted.signature, extracted.key, article)
    if not extracted.figures_reused:
        store.put_figures(extracted.key, article.article_id, extractor_fingerprint(),
                          extracted.figures)
    if run is not None:
        (run.reused if extracted.figures_reused else run.extracted).append(article.article_id)
        if extracted.article_reused:
            run.files_unchanged += 1
        else:
            run.files_read += 1


def _extract_local_stored(paths, manifest, store, run) -> Iterator[tuple[Item, list[records.Figure]]]:
    manifest_problems, plan = corpus.plan_articles(paths, manifest)
    yield from ((problem, []) for problem in manifest_problems)
    try:
        for extracted in _extract_planned(plan, store, signed=True):
            _record(extracted, store, run)
            yield extracted.item, extracted.figures
    finally:
        store.commit()


# --- the Dask engine ----------------------------------------------------------------------------


def _partitions(plan: list[corpus.PlannedArticle], size: int) -> list[list[corpus.PlannedArticle]]:
    """Consecutive runs of about `size` inputs; inputs sharing an id stay in one run."""
    groups = [list(g) for _, g in itertools.groupby(plan, key=lambda p: p.article_id)]
    parts: list[list[corpus.PlannedArticle]] = [[]]
    for group in groups:
        if len(parts[-1]) >= size:
            parts.append([])
        parts[-1].extend(group)
    return [part for part in parts if part]


def _extract_partition(part: list[corpus.PlannedArticle], store_directory: str | None,
                       extractor: str, reader: str) -> list[_Extracted]:
    """Read and extract one partition on a worker, exactly as the local engine would."""
    if (extractor, reader) != (extractor_fingerprint(), reader_fingerprint()):
        raise EngineError("a worker runs another version of helpers than the client: "
                          "install the same helpers on every worker")
    lookup = None
    if store_directory is not None and (Path(store_directory) / STORE_FILE).exists():
        lookup = FigureStore(store_directory, readonly=True)
    try:
        return list(_extract_planned(part, lookup, signed=store_directory is not None))
    finally:
        if lookup is not None:
            lookup.close()


def _import_dask():
    """The modules the dask engine needs, or EngineError naming the optional install."""
    try:
        import dask.bag
        import distributed
    except ImportError as error:
        raise EngineError(f"the dask engine needs dask[distributed] ({error.name} is missing): "
                          "pip install -r requirements-scale.txt") from error
    return dask.bag, distributed


def _dask_client(distributed, scheduler: str | None):
    if scheduler is not None:
        try:
            return distributed.Client(scheduler, timeout="20s")
        except OSError as error:
            raise EngineError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from error
    # Extraction is pure Python: one single-threaded worker process per core.
    cluster = distributed.LocalCluster(n_workers=len(os.sched_getaffinity(0)), threads_per_worker=1,
                                       processes=True, dashboard_address=None, silence_logs=40)
    return distributed.Client(cluster)


def _extract_dask(paths, manifest, scheduler, store, run) -> Iterator[tuple[Item, list[records.Figure]]]:
    bag, distributed = _import_dask()  # first, so a missing install fails before any work
    manifest_problems, plan = corpus.plan_articles(paths, manifest)
    yield from ((problem, []) for problem in manifest_problems)
    if not plan:
        return
    client = _dask_client(distributed, scheduler)
    try:
        store_directory = str(store.directory.absolute()) if store is not None else None
        partitioned = bag.from_sequence(_partitions(plan, PARTITION_ARTICLES), partition_size=1)
        pending = partitioned.map(_extract_partition, store_directory, extractor_fingerprint(),
                                  reader_fingerprint())
        partitions = iter(pending.to_delayed())
        in_flight = max(2, 2 * sum(client.nthreads().values()))
        futures = [client.compute(p) for p in itertools.islice(partitions, in_flight)]
        while futures:
            [done] = futures.pop(0).result()
            next_partition = next(partitions, None)
            if next_partition is not None:
                futures.append(client.compute(next_partition))
            for extracted in done:
                if store is not None:
                    _record(extracted, store, run)
                yield extracted.item, extracted.figures
    finally:
        if store is not None:
            store.commit()
        cluster = client.cluster
        client.close()
        if cluster is not None:
            cluster.close()
