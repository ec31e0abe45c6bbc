"""`python -m helpers SUBCOMMAND`: the interface every notebook, test and user script uses.

Exit codes: 0 every input read; 1 some input unreadable (one `PATH: reason` line each on stderr),
or a run failed (one line on stderr); 2 usage error (argparse), or a wrong flag or parameter of
`run`; 3 `run` found another run holding the lock of its output folder.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from helpers import paths, records


def _existing_path(value: str) -> Path:
    path = Path(value)
    if not path.exists() and not path.is_symlink():
        raise argparse.ArgumentTypeError(f"no such file or folder: {value}")
    return path


def _not_negative(kind: type):
    def convert(value: str):
        try:
            number = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value}") from None
        if not number >= 0:  # also refuses nan
            raise argparse.ArgumentTypeError(f"must be 0 or more: {value}")
        return number
    return convert


def _add_corpus_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=_existing_path, metavar="PATH",
                        help="article files (.txt, .md, .html) or folders of them")
    parser.add_argument("--manifest", type=_existing_path, metavar="CSV",
                        help="manifest.csv with id,url,outlet,published_date "
                             "(default: a manifest.csv inside a given folder)")


def _report_unreadable(problems: list[records.Unreadable]) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def _cmd_extract(args: argparse.Namespace) -> int:
    from helpers import engines, store, writers

    if args.scheduler is not None and args.engine != "dask":
        print("extract: --scheduler needs --engine dask", file=sys.stderr)
        return 2
    problems: list[records.Unreadable] = []
    try:
        figure_store = store.FigureStore(args.store) if args.store is not None else None
    except store.StoreError as error:
        print(f"extract: --store: {error}", file=sys.stderr)
        return 1
    run = store.StoreRun.of(figure_store) if figure_store is not None else None
    try:
        with writers.record_writer(sys.stdout, args.format, records.FIGURE_FIELDS) as write:
            for item, found in engines.extract_corpus(
                    args.paths, manifest=args.manifest, engine=args.engine,
                    scheduler=args.scheduler, store=figure_store, run=run):
                if isinstance(item, records.Unreadable):
                    problems.append(item)
                    continue
                for figure in found:
                    write(figure)
    except engines.EngineError as error:
        print(f"extract: {error}", file=sys.stderr)
        return 1
    finally:
        if figure_store is not None:
            figure_store.close()
    if run is not None:
        run.write(figure_store.directory / "last-run.json")
    return _report_unreadable(problems)


def _cmd_articles(args: argparse.Namespace) -> int:
    from helpers import corpus, writers

    problems: list[records.Unreadable] = []
    with writers.record_writer(sys.stdout, args.format, corpus.ARTICLE_COLUMNS) as write:
        for item in corpus.iter_articles(args.paths, manifest=args.manifest):
            if isinstance(item, records.Unreadable):
                problems.append(item)
                continue
            write(corpus.article_row(item))
    return _report_unreadable(problems)


def _cmd_reference(args: argparse.Namespace) -> int:
    from helpers import paths, reference

    try:
        if args.action == "fetch":
            dest = paths.resolve(args.dest, paths.REFERENCE_FILE)
            reference.fetch(dest, url=args.url or reference.SERIES_URL)
            print(f"wrote {dest} (provenance: {reference.provenance_path(dest)})")
            return 0
        path = reference.find_reference(args.reference)
        if path is None:
            print("no official series: run `python -m helpers reference fetch` "
                  "or pass --reference PATH", file=sys.stderr)
            return 1
        facts = reference.describe(reference.load(path))
    except (OSError, reference.SeriesError) as error:
        print(f"reference {args.action}: {error}", file=sys.stderr)
        return 1
    killed, injured = facts["last_killed"], facts["last_injured"]
    print(f"{path}\n{facts['first_date']} to {facts['last_date']}, {facts['reports']:,} reports\n"
          f"latest: killed {killed.value:,} ({killed.field}), "
          f"injured {injured.value:,} ({injured.field})")
    return 0


# Parameters the run command sets from its own flags; `-p` may not set them.
_RUN_FLAGS = {"corpus_dir": "--corpus", "manifest": "--manifest", "reference_path": "--reference",
              "output_dir": "--out"}


def _cmd_run(args: argparse.Namespace) -> int:
    """Every way a run can end, as one line on stderr (cron mails it, CI shows it) and an exit code."""
    from helpers import report

    try:
        return _run(args)
    except report.RunLocked as error:
        print(f"run: {error}", file=sys.stderr)
        return 3
    except Exception as error:  # noqa: BLE001 - disk full, permissions, a broken install: say it in one line
        print(report.one_line(f"run failed: {type(error).__name__}: {error}"), file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    from helpers import notebook_params, paths, report

    given = dict(args.parameter or [])
    for name in given:
        if name in _RUN_FLAGS:
            print(f"run: -p {name}: use {_RUN_FLAGS[name]} instead", file=sys.stderr)
            return 2
    # Checked here rather than by argparse, whose usage lines would bury the reason in cron mail.
    for flag, value in (("--corpus", args.corpus), ("--manifest", args.manifest),
                        ("--reference", args.reference)):
        if value is not None and not value.exists():
            print(f"run: {flag}: no such file or folder: {value}", file=sys.stderr)
            return 2
    if args.archive is not None and args.keep == 0:
        print("run: --archive with --keep 0 would archive nothing", file=sys.stderr)
        return 2
    out = (args.out if args.out is not None else paths.BUILD).absolute()
    archive = (report.Archive(args.archive or out.parent / f"{out.name}.archive", args.keep)
               if args.keep else None)
    # Flags are paths as the user typed them, from where they stand; notebooks get them from
    # the project root (relative when inside it, so reports and run.json stay readable).
    for name, value in (("corpus_dir", args.corpus), ("manifest", args.manifest),
                        ("reference_path", args.reference)):
        if value is not None:
            given[name] = notebook_params.display_path(value.absolute())
    try:
        checked = report.check_parameters(report.collection(), given)
        params = notebook_params.resolve(**{name: checked.get(name, "")
                                            for name in notebook_params.NAMES if name != "output_dir"})
    except notebook_params.ParameterError as error:
        print(f"run: parameter {error}", file=sys.stderr)
        return 2
    if archive is not None:
        archive.check(out)
    try:
        run = report.run_collection(
            checked, out, corpus=[p for p in (params.corpus_dir, params.manifest) if p],
            corpus_label=notebook_params.display_path(params.corpus_dir),
            retire=archive or shutil.rmtree, wait=args.wait)
    except report.CollectionFailed as error:
        print(f"run failed: {error}", file=sys.stderr)
        return 1
    print(f"{run.out / 'index.html'}: {len(run.notebooks)} reports in {run.seconds:.1f} s")
    return 0


def _write_frame(frame, fmt: str) -> None:
    """A table to stdout through the same writers as the record commands; dates as yyyy-mm-dd."""
    from helpers import writers

    frame = frame.copy()
    for column in frame.columns[frame.dtypes.astype(str).str.startswith("datetime")]:
        frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    with writers.record_writer(sys.stdout, fmt, tuple(frame.columns)) as write:
        for row in rows:
            write(row)


def _cmd_reconcile(args: argparse.Namespace) -> int:
    from helpers import copies, corpus, figures, reconcile, reference, tables

    series = None
    if args.official or args.reference:
        try:
            found = reference.find_reference(args.reference)
            series = reference.load(found) if found else None
        except (OSError, reference.SeriesError) as error:
            print(f"reconcile: {error}", file=sys.stderr)
            return 1
        if series is None and args.official:
            print("reconcile: no official series (run `python -m helpers reference fetch` or pass "
                  "--reference PATH); the official columns are left empty", file=sys.stderr)

    problems: list[records.Unreadable] = []
    article_rows: list[dict] = []
    figure_records: list[records.Figure] = []

    def readable_articles():
        # One pass over the corpus: copy detection consumes the articles as they stream by,
        # while their rows and figures are kept, so no article text is held longer than needed.
        for item in corpus.iter_articles(args.paths, manifest=args.manifest):
            if isinstance(item, records.Unreadable):
                problems.append(item)
                continue
            article_rows.append(corpus.article_row(item))
            figure_records.extend(figures.extract_figures(item))
            yield item

    if args.official:
        for _ in readable_articles():
            pass
        table = reconcile.official_check(tables.figures_frame(figure_records),
                                         tables.articles_frame(article_rows), series)
    else:
        derived = copies.derived_ids(copies.find_copies(readable_articles()))
        table = reconcile.pair_table(tables.figures_frame(figure_records),
                                     tables.articles_frame(article_rows), exclude_ids=derived,
                                     series=series)
    _write_frame(table, args.format)
    return _report_unreadable(problems)


def _readable_articles(args: argparse.Namespace, problems: list[records.Unreadable]):
    """The corpus's articles as a stream; unreadable inputs go to `problems`."""
    from helpers import corpus

    for item in corpus.iter_articles(args.paths, manifest=args.manifest):
        if isinstance(item, records.Unreadable):
            problems.append(item)
        else:
            yield item


def _cmd_copies(args: argparse.Namespace) -> int:
    from helpers import copies, writers

    problems: list[records.Unreadable] = []
    pairs = copies.find_copies(_readable_articles(args, problems))
    with writers.record_writer(sys.stdout, args.format, copies.COPY_FIELDS) as write:
        for pair in pairs:
            write(pair)
    return _report_unreadable(problems)


def _cmd_people(args: argparse.Namespace) -> int:
    from helpers import people

    problems: list[records.Unreadable] = []
    _write_frame(people.people_table(_readable_articles(args, problems)), args.format)
    return _report_unreadable(problems)


def _cmd_timeline(args: argparse.Namespace) -> int:
    from helpers import timeline

    problems: list[records.Unreadable] = []
    try:
        table = timeline.timeline_table(_readable_articles(args, problems))
    except ValueError as error:
        print(f"timeline: {error}", file=sys.stderr)
        return 1
    _write_frame(table, args.format)
    return _report_unreadable(problems)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    extract = commands.add_parser("extract", help="figure records of every article, sorted")
    _add_corpus_arguments(extract)
    extract.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    extract.add_argument("--engine", choices=("local", "dask"), default="local",
                         help="dask: workers of a local cluster, or of --scheduler "
                              "(needs requirements-scale.txt)")
    extract.add_argument("--scheduler", metavar="ADDRESS",
                         help="an existing Dask scheduler, e.g. tcp://10.0.0.5:8786")
    extract.add_argument("--store", nargs="?", const=paths.STORE_DIR, type=Path, metavar="DIR",
                         help="reuse figures of unchanged articles from the store in DIR "
                              "(default data/store/), add new ones, write DIR/last-run.json")
    extract.set_defaults(handler=_cmd_extract)

    articles = commands.add_parser("articles", help="the article table: id, outlet, date, ...")
    _add_corpus_arguments(articles)
    articles.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    articles.set_defaults(handler=_cmd_articles)

    reference = commands.add_parser("reference", help="the official daily Gaza casualty series")
    actions = reference.add_subparsers(dest="action", required=True, metavar="ACTION")
    fetch = actions.add_parser("fetch", help="download the series into data/reference/")
    fetch.add_argument("--url", help="where from (default: the public endpoint, see "
                                     "../shared/data/reference/README.md)")
    fetch.add_argument("--dest", metavar="PATH",
                       help="where to (default: data/reference/casualties_daily.json)")
    show = actions.add_parser("show", help="date range, size and latest counts of the series")
    show.add_argument("--reference", metavar="PATH",
                      help="a series file (default: data/reference/casualties_daily.json)")
    reference.set_defaults(handler=_cmd_reference)

    run = commands.add_parser("run", help="run the notebook collection into HTML reports")
    run.add_argument("--corpus", type=Path, metavar="DIR",
                     help="folder (or file) of articles (default: seeds/)")
    run.add_argument("--manifest", type=Path, metavar="CSV",
                     help="manifest.csv (default: a manifest.csv inside the corpus folder)")
    run.add_argument("--reference", type=Path, metavar="PATH",
                     help="official series casualties_daily.json (default: data/reference/, "
                          "else the reports say it is missing)")
    run.add_argument("--out", type=Path, default=None, metavar="DIR",
                     help="where the reports go, replaced only when every notebook succeeded "
                          "(default: build/)")
    run.add_argument("-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"),
                     help="another notebook parameter, e.g. -p as_of 2024-04-10")
    run.add_argument("--wait", type=_not_negative(float), default=0.0, metavar="SECONDS",
                     help="when another run holds the lock of --out (.OUT.lock beside it), wait up "
                          "to SECONDS for it, then give up with exit code 3 (default 0: at once)")
    run.add_argument("--archive", type=Path, metavar="DIR",
                     help="where the previous run goes when a new one replaces it, in a folder "
                          "named by its start time (default: OUT.archive beside --out; must be "
                          "on the same file system)")
    run.add_argument("--keep", type=_not_negative(int), default=7, metavar="N",
                     help="past runs kept in the archive, the oldest removed first (default 7; "
                          "0: no archive, the previous run is deleted)")
    run.set_defaults(handler=_cmd_run)

    reconcile = commands.add_parser(
        "reconcile", help="pairs of figures from different articles, classified: consistent, "
                          "rounding, time, source or conflict (derivatives left out)")
    _add_corpus_arguments(reconcile)
    reconcile.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    reconcile.add_argument("--official", action="store_true",
                           help="instead: each gaza_killed/gaza_injured figure against the official "
                                "series on its date (difference, lag, above-official flag)")
    reconcile.add_argument("--reference", metavar="PATH",
                           help="the official series: with --official the table it is checked "
                                "against (default: data/reference/casualties_daily.json); without, "
                                "the pair table's evidence gives the official count on each date")
    reconcile.set_defaults(handler=_cmd_reconcile)

    copies = commands.add_parser(
        "copies", help="article pairs where one copies or re-translates the other: original, "
                       "derivative, similarity and both texts' quality")
    _add_corpus_arguments(copies)
    copies.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    copies.set_defaults(handler=_cmd_copies)

    people = commands.add_parser("people", help="the officials each article names, variants merged")
    _add_corpus_arguments(people)
    people.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    people.set_defaults(handler=_cmd_people)

    timeline = commands.add_parser(
        "timeline", help="the dates each article mentions, resolved against its publication date")
    _add_corpus_arguments(timeline)
    timeline.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    timeline.set_defaults(handler=_cmd_timeline)

    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except BrokenPipeError:  # `... | head` is normal use
        return 0
