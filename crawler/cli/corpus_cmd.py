"""`sankofa stats`, `export`, `runs` and `db upgrade`: reading and keeping the corpus."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from crawler.cli.common import (
    UserError,
    add_command,
    add_db_option,
    db_url,
    iso_date,
    open_sessions,
)
from storage.db import make_engine, upgrade
from storage.export import export_jsonl
from storage.queries import ArticleFilter, Stats, list_runs, source_names, stats


def register(subparsers: Any) -> None:
    _register_stats(subparsers)
    _register_export(subparsers)
    _register_runs(subparsers)
    _register_db(subparsers)


def add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="NAME",
        help="only this source (repeatable)",
    )
    parser.add_argument(
        "--lang",
        action="append",
        default=[],
        metavar="CODE",
        help="only this language, ISO 639-1 (repeatable)",
    )
    parser.add_argument("--since", type=iso_date, metavar="DATE", help="published on or after DATE")
    parser.add_argument("--until", type=iso_date, metavar="DATE", help="published before DATE")


def article_filter(args: argparse.Namespace, session: Any) -> ArticleFilter:
    known = set(source_names(session))
    unknown = [name for name in args.source if name not in known]
    if unknown:
        raise UserError(f"unknown source '{unknown[0]}' in the database; see `sankofa stats`")
    if args.since and args.until and args.since >= args.until:
        raise UserError(f"--since {args.since.date()} is not before --until {args.until.date()}")
    return ArticleFilter(tuple(args.source), tuple(args.lang), args.since, args.until)


# --- stats ----------------------------------------------------------------------------------


def _register_stats(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "stats",
        "articles by source, language and month",
        "sankofa stats --lang fr --since 2024-01-01",
    )
    add_db_option(parser)
    add_filters(parser)
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.set_defaults(handler=stats_command)


def stats_command(args: argparse.Namespace) -> int:
    with open_sessions(args)() as session:
        result = stats(session, article_filter(args, session))
    if args.format == "json":
        json.dump(_stats_dict(result), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_stats(result, sys.stdout)
    return 0


def _stats_dict(result: Stats) -> dict[str, Any]:
    return {
        "total": result.total,
        "by_source": dict(result.by_source),
        "by_language": dict(result.by_language),
        "by_month": dict(result.by_month),
    }


def print_stats(result: Stats, out: TextIO) -> None:
    out.write(f"{result.total} articles\n")
    for title, rows in (
        ("source", result.by_source),
        ("language", result.by_language),
        ("month", result.by_month),
    ):
        out.write(f"\nby {title}:\n")
        for key, number in rows:
            out.write(f"  {key:<24} {number:>8}\n")


# --- export ---------------------------------------------------------------------------------


def _register_export(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "export",
        "write the corpus (or a slice) as a dataset",
        "sankofa export --format jsonl --lang sw -o swahili.jsonl",
    )
    add_db_option(parser)
    add_filters(parser)
    parser.add_argument("--format", choices=["jsonl"], default="jsonl")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write here (atomically: a temporary name, renamed when complete); "
        "default: standard output",
    )
    parser.set_defaults(handler=export_command)


def export_command(args: argparse.Namespace) -> int:
    with open_sessions(args)() as session:
        flt = article_filter(args, session)
        if args.output is None:
            written = export_jsonl(session, sys.stdout, flt)
        else:
            with atomic_text_file(args.output) as out:
                written = export_jsonl(session, out, flt)
    sys.stderr.write(f"exported {written} articles\n")
    return 0


@contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    """Write beside ``path`` under a temporary name; rename only once everything is written."""
    folder = path.resolve().parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise UserError(f"cannot write '{path}': folder '{folder}' is missing or not writable")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            yield out
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


# --- runs and db ----------------------------------------------------------------------------


def _register_runs(subparsers: Any) -> None:
    parser = add_command(
        subparsers, "runs", "list recent crawl runs with their counts", "sankofa runs --limit 5"
    )
    add_db_option(parser)
    parser.add_argument("--limit", type=int, default=20)
    parser.set_defaults(handler=runs_command)


def runs_command(args: argparse.Namespace) -> int:
    with open_sessions(args)() as session:
        for run in list_runs(session, args.limit):
            failures = sum(run.failures.values())
            print(
                f"{run.id:>5}  {run.started_at:%Y-%m-%d %H:%M}  {run.status:<11} "
                f"pages {run.pages_fetched:>6}  new {run.articles_new:>5}  "
                f"updated {run.articles_updated:>4}  failures {failures:>4}  "
                f"{','.join(run.sources)[:40]}"
            )
    return 0


def _register_db(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "db",
        "database maintenance",
        "sankofa db upgrade --db postgresql+psycopg://sankofa@localhost/sankofa",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    up = add_command(
        actions,
        "upgrade",
        "apply schema migrations (new databases are migrated automatically)",
        "sankofa db upgrade",
    )
    add_db_option(up)
    up.set_defaults(handler=db_upgrade_command)


def db_upgrade_command(args: argparse.Namespace) -> int:
    upgrade(make_engine(db_url(args)))
    sys.stderr.write(f"database at {db_url(args)} is up to date\n")
    return 0
