"""`sankofa db upgrade` and `sankofa db check [--repair]`: database maintenance.

`db check` asks whether the database is sound and whether its search index can be rebuilt.

Prints one table on stdout (check, status, detail). Exit status 0 when every check is ok (or
was repaired), 1 when a problem remains, 2 when the database cannot be opened (one line).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, TextIO

from crawler.cli.common import add_command, add_db_option, db_url, terminal_safe
from storage.db import make_engine, upgrade

if TYPE_CHECKING:
    from storage.check import CheckResult


def register(subparsers: Any) -> None:
    group = add_command(
        subparsers,
        "db",
        "database maintenance: upgrade the schema, check the database",
        "sankofa db check --db sqlite:///corpus.db --repair",
    )
    actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
    _register_upgrade(actions)
    _register_check(actions)


def _register_upgrade(actions: Any) -> None:
    parser = add_command(
        actions,
        "upgrade",
        "apply schema migrations (new databases are migrated automatically)",
        "sankofa db upgrade --db postgresql+psycopg://sankofa@localhost/sankofa",
    )
    add_db_option(parser)
    parser.set_defaults(handler=db_upgrade_command)


def _register_check(actions: Any) -> None:
    parser = add_command(
        actions,
        "check",
        "check the database: migrations, schema, integrity, orphaned rows, search index",
        "sankofa db check --db sqlite:///corpus.db --repair",
        description="Check that the schema is at the latest migration and matches the models, "
        "that the database passes its own integrity checks, that no row refers to an article, "
        "source, author or crawl run that is gone, and that the full-text search index agrees "
        "with the articles. Read-only unless --repair.",
    )
    add_db_option(parser)
    parser.add_argument(
        "--repair",
        action="store_true",
        help="rebuild the full-text search index if it disagrees with the articles, then "
        "check again (takes the write lock: best run while no crawl is writing)",
    )
    parser.set_defaults(handler=db_check_command)


def db_upgrade_command(args: argparse.Namespace) -> int:
    engine = make_engine(db_url(args))
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    sys.stderr.write(f"database at {db_url(args)} is up to date\n")
    return 0


def db_check_command(args: argparse.Namespace) -> int:
    # Imported here: the checks need Alembic (12 MB), which every other command, a crawl's
    # process included, does without (storage.db.upgrade).
    from storage.check import (
        check_and_repair,
        check_database,
        open_for_check,
        search_repair_blocker,
    )

    engine = open_for_check(db_url(args))
    try:
        results = check_and_repair(engine) if args.repair else check_database(engine)
        print_results(results, sys.stdout)
        if not args.repair and _search_faulty(results) and not search_repair_blocker(engine):
            sys.stderr.write("the search index can be rebuilt: sankofa db check --repair\n")
    finally:
        engine.dispose()
    return 0 if all(result.ok for result in results) else 1


def _search_faulty(results: list[CheckResult]) -> bool:
    from storage.check import SEARCH_CHECK

    return any(result.name == SEARCH_CHECK and not result.ok for result in results)


def print_results(results: list[CheckResult], out: TextIO) -> None:
    width = max(len("check"), *(len(result.name) for result in results))
    out.write(f"{'check':<{width}}  {'status':<8}  detail\n")
    for result in results:
        out.write(f"{result.name:<{width}}  {result.status:<8}  {terminal_safe(result.detail)}\n")
