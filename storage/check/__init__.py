"""Is a Sankofa database sound? One read-only pass of checks, and a repair for the search index.

`check_database` reports, in this order:
  migrations    the schema is at Alembic's head revision
  schema        every table, column, index and constraint of storage.models exists (Alembic's
                compare_metadata, the drift check of tests/test_migrations.py)
  integrity     SQLite: PRAGMA integrity_check and foreign_key_check. PostgreSQL, where amcheck
                is an extension we cannot assume: every table scanned, every index valid
  orphans       rows whose foreign key names an article, source, author or crawl run that is
                gone (SQLite enforces foreign keys only on connections that ask for it)
  search index  SQLite: the FTS5 tables and triggers exist exactly as migration 0004 creates
                them, pass FTS5's 'integrity-check' and hold exactly the articles they should.
                PostgreSQL: the GIN index exists and is valid; from migration 0014 on, the
                trigger that stores each article's ranking vector is as it made it, and no
                article's stored vector is missing or stale.

Every check reads inside its own transaction, which is rolled back, so checking never changes
the database (FTS5's 'integrity-check' is an INSERT that writes nothing). Only
`repair_search_index` writes, with the migrations' own code: on SQLite it rebuilds the FTS5
index as migration 0004 does, which then holds exactly what the triggers would have put
there; on PostgreSQL it restores 0014's trigger and rewrites the vectors that are missing
or stale, then reindexes or recreates the GIN index.

Here: the checks' order and their results. The checks of the tables are in
storage.check.tables, the search index's check and repair in storage.check.search, and what
they share (a read-only connection, the migration scripts, wording) in storage.check.common.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Final, Literal

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from storage.check.common import Outcome, first_line
from storage.check.search import check_search, repair_search_index, search_repair_blocker
from storage.check.tables import (
    check_clusters,
    check_integrity,
    check_migrations,
    check_orphans,
    check_schema,
)
from storage.db import StorageError, _cannot_open_message, make_engine, require_database

__all__ = [
    "SEARCH_CHECK",
    "CheckResult",
    "check_and_repair",
    "check_database",
    "open_for_check",
    "repair_search_index",
    "search_repair_blocker",
]

Status = Literal["ok", "PROBLEM", "repaired"]
OK: Final = "ok"
PROBLEM: Final = "PROBLEM"
REPAIRED: Final = "repaired"
SEARCH_CHECK: Final = "search index"


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    detail: str

    @property
    def ok(self) -> bool:
        return self.status != PROBLEM


def open_for_check(url: str) -> Engine:
    """An engine on an existing database, connected once; it never creates nor migrates one.

    Raises StorageError for a missing SQLite file, a bad URL or a database that cannot be opened.
    """
    require_database(url)  # before make_engine, which makes a new database's folder
    engine = make_engine(url)
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        engine.dispose()
        raise StorageError(_cannot_open_message(engine.url, exc)) from exc
    return engine


def check_database(engine: Engine) -> list[CheckResult]:
    """Every check, in a fixed order; a check that cannot run is a PROBLEM, not an exception."""
    checks: Sequence[tuple[str, Callable[[Engine], Outcome]]] = (
        ("migrations", check_migrations),
        ("schema", check_schema),
        ("integrity", check_integrity),
        ("orphans", check_orphans),
        ("clusters", check_clusters),
        (SEARCH_CHECK, check_search),
    )
    return [_run(name, check, engine) for name, check in checks]


def check_and_repair(engine: Engine) -> list[CheckResult]:
    """check_database; when the search index is faulty, rebuild it and check everything again."""
    before = check_database(engine)
    if all(result.ok for result in before if result.name == SEARCH_CHECK):
        return before
    try:
        repair_search_index(engine)
    except StorageError as error:
        return [_amended(result, f"; not repaired: {error}") for result in before]
    return [_repaired(result) for result in check_database(engine)]


def _run(name: str, check: Callable[[Engine], Outcome], engine: Engine) -> CheckResult:
    try:
        problems, summary = check(engine)
    except DBAPIError as exc:  # e.g. a table of the models is missing, or a page is damaged
        return CheckResult(name, PROBLEM, f"cannot check: {first_line(exc)}")
    if problems:
        return CheckResult(name, PROBLEM, "; ".join(problems))
    return CheckResult(name, OK, summary)


def _amended(result: CheckResult, note: str) -> CheckResult:
    if result.name != SEARCH_CHECK:
        return result
    return replace(result, detail=result.detail + note)


def _repaired(result: CheckResult) -> CheckResult:
    if result.name != SEARCH_CHECK or not result.ok:
        return result
    return replace(result, status=REPAIRED, detail=f"rebuilt; now {result.detail}")
