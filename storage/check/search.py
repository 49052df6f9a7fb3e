"""The search index: checked against what the migrations create, and repaired with their
own code (see storage.check)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Final

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from storage.check.common import (
    SAMPLE,
    Outcome,
    applied,
    first_line,
    ids,
    listed,
    migration,
    per_dialect,
    postgres_indexes,
)
from storage.db import SQLITE_WRITE_LOCK, StorageError, current_revision
from storage.search.api import PG_INDEX
from storage.search.sqlite import CJK_INDEX, WORD_INDEX

# The revision whose code creates the search objects: a revision that redefines them must
# take its place here, or repair would rebuild the old definition.
SEARCH_REVISION: Final = "0004_search"
PG_FOLDING_REVISION: Final = "0013_search_folding"  # redefines the PostgreSQL expression
PG_VECTOR_REVISION: Final = "0014_search_vector"  # a column of it, for ranking


def check_search(engine: Engine) -> Outcome:
    return per_dialect(engine, _sqlite_search, _postgres_search)


def _postgres_search(connection: Connection) -> Outcome:
    usable = postgres_indexes(connection).get(PG_INDEX)
    if usable is None:
        return [f"{PG_INDEX} is missing"], ""
    if not usable:
        return [f"{PG_INDEX} is invalid (a build failed or was interrupted)"], ""
    current = MigrationContext.configure(connection).get_current_revision()
    if not applied(current, PG_VECTOR_REVISION):
        return [], f"{PG_INDEX} exists and is valid"
    problems = _postgres_vector_problems(connection)
    return problems, f"{PG_INDEX} exists and is valid, every article has its ranking vector"


def _postgres_vector_problems(connection: Connection) -> list[str]:
    """What keeps migration 0014's stored vectors from being complete and up to date."""
    vectors = migration(PG_VECTOR_REVISION)
    found = connection.exec_driver_sql(
        "SELECT pg_get_triggerdef(oid), tgenabled FROM pg_trigger "
        "WHERE tgrelid = 'articles'::regclass AND tgname = %(name)s",
        {"name": vectors.TRIGGER},
    ).first()
    problems = []
    printed = re.sub(r"\b\w+\.(?=\w+\b)", "", found[0]) if found else ""  # schema names out
    if found is None or found[1] == "D" or printed != vectors.trigger_definition():
        problems.append(f"trigger {vectors.TRIGGER} is missing, disabled or altered")
    stale = connection.exec_driver_sql(
        f"SELECT count(*) FROM articles WHERE {vectors.stale()}"
    ).scalar_one()
    if stale:
        problems.append(f"{stale} article(s) have a missing or stale ranking vector")
    return problems


def _sqlite_search(connection: Connection) -> Outcome:
    expected = _expected_sqlite_search()
    rows = connection.exec_driver_sql("SELECT name, sql FROM sqlite_master").all()
    actual: dict[str, str | None] = {row.name: row.sql for row in rows}
    missing = [name for name in expected.main_objects if name not in actual]
    altered = [name for name, sql in expected.sql.items() if actual.get(name, sql) != sql]
    problems = [f"missing: {listed(missing)}"] if missing else []
    if altered:
        problems.append(f"not as migration {SEARCH_REVISION} creates them: {listed(altered)}")
    counts = []
    for table, articles in _indexed_articles().items():
        if table in actual:
            found, count = _fts_problems(connection, table, articles)
            problems += found
            counts.append(f"{table} {count}")
    held = ", ".join(counts)
    return problems, f"triggers in place, integrity-check passed, articles held: {held}"


def _fts_problems(connection: Connection, table: str, articles: str) -> tuple[list[str], int]:
    """What is wrong with one FTS5 table that should index `articles`, and how many it holds."""
    try:
        with connection.begin_nested():  # a failed check leaves the transaction usable
            connection.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES('integrity-check')")
        indexed = f"SELECT rowid FROM {table}"
        unindexed = _difference(connection, articles, indexed)
        strays = _difference(connection, indexed, articles)
        count = int(connection.exec_driver_sql(f"SELECT count(*) FROM ({indexed})").scalar_one())
    except DBAPIError as exc:
        # Only corruption is the index's fault; "database is locked" and the like are not.
        if not getattr(exc.orig, "sqlite_errorname", "").startswith("SQLITE_CORRUPT"):
            raise
        return [f"{table}: integrity-check failed ({first_line(exc)})"], 0
    problems = []
    if unindexed[0]:
        problems.append(
            f"{table}: {unindexed[0]} article(s) not indexed ({ids(unindexed[1], unindexed[0])})"
        )
    if strays[0]:
        problems.append(
            f"{table}: {strays[0]} indexed row(s) with no article ({ids(strays[1], strays[0])})"
        )
    return problems, count


def _difference(connection: Connection, left: str, right: str) -> tuple[int, list[int]]:
    """How many ids `left` selects that `right` does not, and the first few of them."""
    query = f"{left} EXCEPT {right}"
    count = int(connection.exec_driver_sql(f"SELECT count(*) FROM ({query})").scalar_one())
    sample = connection.exec_driver_sql(f"SELECT * FROM ({query}) ORDER BY 1 LIMIT {SAMPLE}")
    return count, [int(row_id) for row_id in sample.scalars()]


def repair_search_index(engine: Engine) -> None:
    """Rebuild the full-text index from the articles (on SQLite its triggers too).

    Holds the write lock while it works: on a large SQLite corpus, run it when no crawl is
    writing. Raises StorageError if the schema predates the index or the rebuild fails.
    """
    blocker = search_repair_blocker(engine)
    if blocker:
        raise StorageError(blocker)
    try:
        with engine.execution_options(**{SQLITE_WRITE_LOCK: True}).begin() as connection:
            if connection.dialect.name == "sqlite":
                _rebuild_sqlite_search(connection)
            else:
                _rebuild_postgres_search(connection)
    except DBAPIError as exc:
        raise StorageError(f"cannot rebuild the search index: {first_line(exc)}") from exc


def search_repair_blocker(engine: Engine) -> str | None:
    """Why repair_search_index would refuse this database, None when it would not.

    Before SEARCH_REVISION the index is that migration's to create: building it here would
    make the migration fail later on objects that already exist.
    """
    try:
        current = current_revision(engine)
    except DBAPIError as exc:
        return f"cannot read the schema revision: {first_line(exc)}"
    if applied(current, SEARCH_REVISION):
        return None
    return (
        f"the schema is at {current or 'no revision'}, not past {SEARCH_REVISION}, which "
        "creates the index: run `sankofa db upgrade`"
    )


def _rebuild_sqlite_search(connection: Connection) -> None:
    """Drop the search tables and triggers, then let migration 0004 create and fill them again.

    The FTS5 tables are contentless: FTS5 refuses 'rebuild' for them, and deleting a row needs
    the very values it was indexed with, which a damaged index cannot be trusted for. Running
    the migration's own code also restores dropped or altered triggers.
    """
    expected = _expected_sqlite_search()
    for name in expected.triggers:
        connection.exec_driver_sql(f'DROP TRIGGER IF EXISTS "{name}"')
    # Virtual tables last made first (each takes its shadow tables along), then any shadow
    # table a half-finished drop left behind, which would block CREATE VIRTUAL TABLE.
    shadows = [name for name in expected.sql if name not in expected.main_objects]
    for name in (*reversed(expected.virtual_tables), *shadows):
        connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')
    with Operations.context(MigrationContext.configure(connection)):
        _search_migration()._create_sqlite_search()


def _rebuild_postgres_search(connection: Connection) -> None:
    current = MigrationContext.configure(connection).get_current_revision()
    if applied(current, PG_VECTOR_REVISION):
        # Trigger and the vectors that are missing or stale, by the migration's own code: an
        # article written while the trigger was gone has no vector to rank it by. One pass
        # over the articles, which rewrites only those; checking first would be a second.
        with Operations.context(MigrationContext.configure(connection)):
            migration(PG_VECTOR_REVISION).create_postgres_search()
    if PG_INDEX in postgres_indexes(connection):
        connection.exec_driver_sql(f"REINDEX INDEX {PG_INDEX}")
        return
    # Gone altogether: created again exactly as the last migration applied that defines it.
    defining = PG_FOLDING_REVISION if applied(current, PG_FOLDING_REVISION) else SEARCH_REVISION
    vector = migration(defining).pg_vector()
    connection.execute(text(f"CREATE INDEX {PG_INDEX} ON articles USING gin (({vector}))"))


@dataclass(frozen=True)
class _SearchObjects:
    sql: dict[str, str]  # every object -> its CREATE statement, as sqlite_master keeps it
    triggers: tuple[str, ...]
    virtual_tables: tuple[str, ...]

    @property
    def main_objects(self) -> tuple[str, ...]:
        """The objects the migration names (not the shadow tables FTS5 adds for each table)."""
        return self.virtual_tables + self.triggers


@cache
def _expected_sqlite_search() -> _SearchObjects:
    """The search objects exactly as migration 0004 creates them, read from a scratch database.

    Comparing with them catches a dropped or edited trigger, which no FTS5 check can see until
    articles have silently gone unindexed.
    """
    scratch = create_engine("sqlite://")
    try:
        with scratch.begin() as connection:
            columns = ", ".join(_search_migration().COLUMNS)
            connection.exec_driver_sql(f"CREATE TABLE articles (id INTEGER PRIMARY KEY, {columns})")
            with Operations.context(MigrationContext.configure(connection)):
                _search_migration()._create_sqlite_search()
            rows = connection.exec_driver_sql(
                "SELECT type, name, sql FROM sqlite_master WHERE name != 'articles' ORDER BY rowid"
            ).all()
    finally:
        scratch.dispose()
    return _SearchObjects(
        sql={name: sql for _type, name, sql in rows},
        triggers=tuple(name for kind, name, _sql in rows if kind == "trigger"),
        virtual_tables=tuple(
            name for _kind, name, sql in rows if sql.startswith("CREATE VIRTUAL TABLE")
        ),
    )


def _indexed_articles() -> dict[str, str]:
    """Each FTS5 table -> a SELECT of the ids it must hold: the triggers' very condition."""
    unspaced = _search_migration()._unspaced("articles")
    return {
        WORD_INDEX: "SELECT id FROM articles",
        CJK_INDEX: f"SELECT id FROM articles WHERE {unspaced}",
    }


def _search_migration() -> ModuleType:
    """Migration 0004's module: its code is the one definition of the SQLite search objects."""
    return migration(SEARCH_REVISION)
