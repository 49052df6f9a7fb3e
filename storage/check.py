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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from types import ModuleType
from typing import Any, Final, Literal

from alembic.autogenerate import compare_metadata
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from sqlalchemy import (
    Connection,
    Engine,
    ForeignKey,
    and_,
    create_engine,
    exists,
    func,
    inspect,
    make_url,
    select,
    text,
)
from sqlalchemy.exc import ArgumentError, DBAPIError

from storage.db import (
    SQLITE_WRITE_LOCK,
    StorageError,
    _cannot_open_message,
    _sqlite_path,
    alembic_config,
    current_revision,
    make_engine,
)
from storage.models import Article, Base
from storage.search.api import PG_INDEX, include_in_autogenerate
from storage.search.sqlite import CJK_INDEX, WORD_INDEX

Status = Literal["ok", "PROBLEM", "repaired"]
OK: Final = "ok"
PROBLEM: Final = "PROBLEM"
REPAIRED: Final = "repaired"
SEARCH_CHECK: Final = "search index"
# The revision whose code creates the search objects: a revision that redefines them must
# take its place here, or repair would rebuild the old definition.
SEARCH_REVISION: Final = "0004_search"
PG_FOLDING_REVISION: Final = "0013_search_folding"  # redefines the PostgreSQL expression
PG_VECTOR_REVISION: Final = "0014_search_vector"  # a column of it, for ranking
_SAMPLE: Final = 3  # ids quoted per problem, enough to look one up

# (problems found, what was verified when there are none)
Outcome = tuple[list[str], str]


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: Status
    detail: str

    @property
    def ok(self) -> bool:
        return self.status != PROBLEM


# --- opening --------------------------------------------------------------------------------


def open_for_check(url: str) -> Engine:
    """An engine on an existing database, connected once; it never creates nor migrates one.

    Raises StorageError for a missing SQLite file, a bad URL or a database that cannot be opened.
    """
    _require_sqlite_file(url)
    engine = make_engine(url)
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        engine.dispose()
        raise StorageError(_cannot_open_message(engine.url, exc)) from exc
    return engine


def _require_sqlite_file(url: str) -> None:
    # Checked before make_engine, which creates the file's directory for new databases.
    try:
        parsed = make_url(url)
    except ArgumentError:
        return  # make_engine reports a malformed URL in its own words
    path = _sqlite_path(parsed) if parsed.get_backend_name() == "sqlite" else None
    if path is not None and not path.is_file():
        raise StorageError(
            f"no database at '{path}': check --db or $SANKOFA_DB (checking creates nothing)"
        )


# --- checking -------------------------------------------------------------------------------


def check_database(engine: Engine) -> list[CheckResult]:
    """Every check, in a fixed order; a check that cannot run is a PROBLEM, not an exception."""
    checks: Sequence[tuple[str, Callable[[Engine], Outcome]]] = (
        ("migrations", _check_migrations),
        ("schema", _check_schema),
        ("integrity", _check_integrity),
        ("orphans", _check_orphans),
        ("clusters", _check_clusters),
        (SEARCH_CHECK, _check_search),
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
        return CheckResult(name, PROBLEM, f"cannot check: {_first_line(exc)}")
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


@contextmanager
def _reading(engine: Engine) -> Iterator[Connection]:
    """A connection whose transaction is rolled back when it closes: nothing is ever kept."""
    with engine.connect() as connection:
        yield connection


def _check_migrations(engine: Engine) -> Outcome:
    scripts = _scripts()
    head = scripts.get_current_head()
    current = current_revision(engine)
    if current == head:
        return [], f"at head ({head})"
    if current is None:
        return ["never migrated: `sankofa db upgrade` creates the schema"], ""
    try:
        behind = len(list(scripts.iterate_revisions(head, current)))
    except RevisionError:
        unknown = f"at {current}, unknown here: migrated by a newer Sankofa; upgrade Sankofa"
        return [unknown], ""
    return [f"at {current}, {behind} migration(s) behind {head}: run `sankofa db upgrade`"], ""


def _check_schema(engine: Engine) -> Outcome:
    with _reading(engine) as connection:
        # The FTS5 tables and the GIN index have no model; the search check covers them.
        opts = {"compare_type": True, "include_object": include_in_autogenerate}
        differences = compare_metadata(
            MigrationContext.configure(connection, opts=opts), Base.metadata
        )
    described = [_describe(difference) for difference in differences]
    extra = [words for words in described if words.startswith("unexpected")]
    lacking = [words for words in described if words not in extra]
    # Objects the models do not know (a user's own index, say) do no harm: noted, not a problem.
    noted = f" (also: {_listed(extra)})" if extra else ""
    problems = [f"differs from the models: {_listed(lacking)}"] if lacking else []
    return problems, f"every table, column, index and constraint of the models{noted}"


def _describe(difference: Any) -> str:
    """One of compare_metadata's differences in words, seen from the database."""
    if isinstance(difference, list):  # changes to one column come as a list of modify_* tuples
        _operation, _schema, table, column = difference[0][:4]
        return f"changed column {table}.{column}"
    operation, *rest = difference
    verb, _, kind = str(operation).partition("_")
    what = {"add": "missing", "remove": "unexpected"}.get(verb, verb)
    target = rest[-1]
    if kind == "column":
        return f"{what} column {rest[1]}.{target.name}"
    name = getattr(target, "name", None) or getattr(getattr(target, "table", None), "name", "?")
    return f"{what} {'foreign key' if kind == 'fk' else kind} {name}"


def _check_integrity(engine: Engine) -> Outcome:
    with _reading(engine) as connection:
        if connection.dialect.name == "sqlite":
            return _sqlite_integrity(connection)
        return _postgres_integrity(connection)


def _sqlite_integrity(connection: Connection) -> Outcome:
    problems = []
    messages = list(connection.exec_driver_sql("PRAGMA integrity_check").scalars())
    if messages != ["ok"]:
        problems.append(f"integrity_check: {_listed(messages)}")
    violations = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if violations:  # rows: (table, rowid, parent table, foreign key number)
        links = sorted({f"{row[0]} → {row[2]}" for row in violations})
        problems.append(f"foreign_key_check: {len(violations)} row(s) ({_listed(links)})")
    return problems, "integrity_check and foreign_key_check found nothing"


def _postgres_integrity(connection: Connection) -> Outcome:
    # Without amcheck, reading every heap page is the cheap test of the tables left: count(*)
    # would otherwise be answered from an index. SET LOCAL ends with this transaction.
    for plan in ("indexscan", "indexonlyscan", "bitmapscan"):
        connection.exec_driver_sql(f"SET LOCAL enable_{plan} = off")
    tables = _present_model_tables(connection)
    rows = {
        name: connection.scalar(select(func.count()).select_from(Base.metadata.tables[name]))
        for name in tables
    }
    indexes = _postgres_indexes(connection)
    invalid = sorted(name for name, usable in indexes.items() if not usable)
    if invalid:
        return [f"invalid indexes (a build failed or was interrupted): {_listed(invalid)}"], ""
    return (
        [],
        f"scanned {len(rows)} tables ({rows.get('articles', 0)} articles), "
        f"{len(indexes)} indexes valid",
    )


def _present_model_tables(connection: Connection) -> list[str]:
    """The model's tables that exist (the schema check reports the others)."""
    present = set(inspect(connection).get_table_names())
    return [table.name for table in Base.metadata.sorted_tables if table.name in present]


def _postgres_indexes(connection: Connection) -> dict[str, bool]:
    """Every index on the model's tables -> whether queries and writes may use it."""
    rows = connection.execute(
        text(
            "SELECT c.relname, i.indisvalid AND i.indisready FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname = ANY(:tables) AND pg_table_is_visible(t.oid)"
        ),
        {"tables": list(Base.metadata.tables)},
    )
    return {str(name): bool(usable) for name, usable in rows}


def _check_orphans(engine: Engine) -> Outcome:
    with _reading(engine) as connection:
        present = set(_present_model_tables(connection))
        references = [
            key
            for key in _model_foreign_keys()
            if {key.parent.table.name, key.column.table.name} <= present
        ]
        problems = [problem for key in references if (problem := _orphans(connection, key))]
    return problems, f"none across {len(references)} references"


def _model_foreign_keys() -> list[ForeignKey]:
    keys = (key for table in Base.metadata.sorted_tables for key in table.foreign_keys)
    return sorted(keys, key=lambda key: (key.parent.table.name, key.parent.name))


def _orphans(connection: Connection, key: ForeignKey) -> str:
    """'table.column → parent: n row(s) (id ...)', or '' when every row's parent exists."""
    reference, parent = key.parent, key.column
    child = reference.table
    row_id = next(iter(child.primary_key.columns))
    orphaned = and_(reference.is_not(None), ~exists().where(parent == reference))
    count = connection.scalar(select(func.count()).select_from(child).where(orphaned))
    if not count:
        return ""
    sample = connection.scalars(select(row_id).where(orphaned).order_by(row_id).limit(_SAMPLE))
    link = f"{child.name}.{reference.name} → {parent.table.name}"
    return f"{link}: {count} row(s) ({_ids(sample, count)})"


def _check_clusters(engine: Engine) -> Outcome:
    """Each article's in_story agrees with its cluster's member count: the sizes read by
    search, exports and `--dedupe near` are counted from it (migration 0012)."""
    sizes = (
        select(Article.cluster_id, func.count().label("members"))
        .where(Article.cluster_id.is_not(None))
        .group_by(Article.cluster_id)
        .subquery()
    )
    in_a_story = sizes.c.members > 1
    wrong = and_(Article.cluster_id == sizes.c.cluster_id, Article.in_story != in_a_story)
    with _reading(engine) as connection:
        count = connection.scalar(select(func.count()).select_from(Article).where(wrong))
        stories = connection.scalar(select(func.count()).select_from(sizes).where(in_a_story))
        if not count:
            return [], f"story flags agree with cluster sizes ({stories or 0} of 2 or more)"
        sample = connection.scalars(
            select(Article.id).where(wrong).order_by(Article.id).limit(_SAMPLE)
        )
        listed = _ids(sample, count)
    return [
        f"{count} article(s) whose in_story disagrees with their cluster's size ({listed}): "
        "run `sankofa duplicates --recluster`"
    ], ""


def _check_search(engine: Engine) -> Outcome:
    with _reading(engine) as connection:
        if connection.dialect.name == "sqlite":
            return _sqlite_search(connection)
        return _postgres_search(connection)


def _postgres_search(connection: Connection) -> Outcome:
    usable = _postgres_indexes(connection).get(PG_INDEX)
    if usable is None:
        return [f"{PG_INDEX} is missing"], ""
    if not usable:
        return [f"{PG_INDEX} is invalid (a build failed or was interrupted)"], ""
    current = MigrationContext.configure(connection).get_current_revision()
    if not _applied(current, PG_VECTOR_REVISION):
        return [], f"{PG_INDEX} exists and is valid"
    problems = _postgres_vector_problems(connection)
    return problems, f"{PG_INDEX} exists and is valid, every article has its ranking vector"


def _postgres_vector_problems(connection: Connection) -> list[str]:
    """What keeps migration 0014's stored vectors from being complete and up to date."""
    vectors = _migration(PG_VECTOR_REVISION)
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
    problems = [f"missing: {_listed(missing)}"] if missing else []
    if altered:
        problems.append(f"not as migration {SEARCH_REVISION} creates them: {_listed(altered)}")
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
        return [f"{table}: integrity-check failed ({_first_line(exc)})"], 0
    problems = []
    if unindexed[0]:
        problems.append(
            f"{table}: {unindexed[0]} article(s) not indexed ({_ids(unindexed[1], unindexed[0])})"
        )
    if strays[0]:
        problems.append(
            f"{table}: {strays[0]} indexed row(s) with no article ({_ids(strays[1], strays[0])})"
        )
    return problems, count


def _difference(connection: Connection, left: str, right: str) -> tuple[int, list[int]]:
    """How many ids `left` selects that `right` does not, and the first few of them."""
    query = f"{left} EXCEPT {right}"
    count = int(connection.exec_driver_sql(f"SELECT count(*) FROM ({query})").scalar_one())
    sample = connection.exec_driver_sql(f"SELECT * FROM ({query}) ORDER BY 1 LIMIT {_SAMPLE}")
    return count, [int(row_id) for row_id in sample.scalars()]


# --- repairing ------------------------------------------------------------------------------


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
        raise StorageError(f"cannot rebuild the search index: {_first_line(exc)}") from exc


def search_repair_blocker(engine: Engine) -> str | None:
    """Why repair_search_index would refuse this database, None when it would not.

    Before SEARCH_REVISION the index is that migration's to create: building it here would
    make the migration fail later on objects that already exist.
    """
    try:
        current = current_revision(engine)
    except DBAPIError as exc:
        return f"cannot read the schema revision: {_first_line(exc)}"
    if _applied(current, SEARCH_REVISION):
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
    if _applied(current, PG_VECTOR_REVISION):
        # Trigger and the vectors that are missing or stale, by the migration's own code: an
        # article written while the trigger was gone has no vector to rank it by. One pass
        # over the articles, which rewrites only those; checking first would be a second.
        with Operations.context(MigrationContext.configure(connection)):
            _migration(PG_VECTOR_REVISION).create_postgres_search()
    if PG_INDEX in _postgres_indexes(connection):
        connection.exec_driver_sql(f"REINDEX INDEX {PG_INDEX}")
        return
    # Gone altogether: created again exactly as the last migration applied that defines it.
    defining = PG_FOLDING_REVISION if _applied(current, PG_FOLDING_REVISION) else SEARCH_REVISION
    vector = _migration(defining).pg_vector()
    connection.execute(text(f"CREATE INDEX {PG_INDEX} ON articles USING gin (({vector}))"))


# --- what migration 0004 defines ------------------------------------------------------------


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


def _applied(current: str | None, revision: str) -> bool:
    """Whether the schema at `current` includes `revision` (False for a revision of a newer
    Sankofa: what it built may not be ours to build)."""
    try:
        return current is not None and any(
            script.revision == revision for script in _scripts().iterate_revisions(current, "base")
        )
    except RevisionError:
        return False


def _search_migration() -> ModuleType:
    """Migration 0004's module: its code is the one definition of the SQLite search objects."""
    return _migration(SEARCH_REVISION)


@cache
def _migration(revision: str) -> ModuleType:
    script = _scripts().get_revision(revision)
    if script is None:
        raise StorageError(f"migration {revision} is missing from this installation")
    return script.module


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


# --- wording --------------------------------------------------------------------------------


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig if exc.orig is not None else exc).strip().split("\n")[0]


def _listed(items: Sequence[str], most: int = 5) -> str:
    more = f" and {len(items) - most} more" if len(items) > most else ""
    return ", ".join(items[:most]) + more


def _ids(sample: Any, count: int) -> str:
    """'id 4, 9, 12 ...': the first ids of `count` rows."""
    return "id " + ", ".join(str(row_id) for row_id in sample) + (" ..." if count > _SAMPLE else "")
