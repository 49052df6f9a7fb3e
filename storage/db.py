"""Engines, sessions and schema upgrades, from a database URL.

SQLite is the default (one file, WAL, generous busy timeout so that several crawler processes
can write to it); PostgreSQL is for scale. Anything else is refused up front, because the
upserts in repository.py are written for exactly these two dialects.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

from sqlalchemy import URL, Connection, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

if TYPE_CHECKING:
    from alembic.config import Config

PACKAGE_DIR: Final = Path(__file__).resolve().parent
SUPPORTED_BACKENDS: Final = ("sqlite", "postgresql")
EXAMPLE_URLS: Final = "sqlite:///path/to/sankofa.db or postgresql+psycopg://user@host/db"
SQLITE_BUSY_TIMEOUT_MS: Final = 30_000
# Execution option read by the SQLite "begin" hook: open the transaction with BEGIN IMMEDIATE.
SQLITE_WRITE_LOCK: Final = "sankofa_sqlite_write_lock"
_PG_LOCK: Final = 0x53414E4B  # "SANK": the advisory lock migrations take on PostgreSQL


class StorageError(Exception):
    """A problem the user can fix. str() is one line: what was wrong, where, what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


def default_url() -> str:
    """$SANKOFA_DB, else a SQLite file in the XDG data directory."""
    if url := os.environ.get("SANKOFA_DB"):
        return url
    data_home = os.environ.get("XDG_DATA_HOME", "")
    # The XDG spec says relative values are invalid and must be ignored.
    base = Path(data_home) if os.path.isabs(data_home) else Path.home() / ".local" / "share"
    return f"sqlite:///{base / 'sankofa' / 'sankofa.db'}"


def make_engine(url: str) -> Engine:
    """An engine for `url`, SQLite tuned for concurrent writers. Raises StorageError."""
    parsed = _parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        _ensure_sqlite_directory(parsed)
    try:
        engine = create_engine(parsed)
    except ArgumentError as exc:
        raise _invalid_url(url, str(exc)) from exc
    except ImportError as exc:
        raise StorageError(
            f"the database driver for {_masked(parsed)} is not installed ({exc}); "
            "install it, e.g. pip install 'psycopg[binary]'"
        ) from exc
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the schema to `revision` with the packaged Alembic scripts."""
    if revision == "head" and _stored_revisions(engine) == [packaged_head()]:
        # The usual case: no write lock, so readers never wait for a crawl's writes; and
        # Alembic is not even imported (12 MB in every process that opens the corpus).
        return
    from alembic import command

    config = alembic_config()
    with _migrating(engine) as connection:
        config.attributes["connection"] = connection
        _refused_as_storage_error(command.upgrade, config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the schema down to `revision` ("base" drops every table)."""
    from alembic import command

    config = alembic_config()
    with _migrating(engine) as connection:
        config.attributes["connection"] = connection
        _refused_as_storage_error(command.downgrade, config, revision)


class MigrationRefused(StorageError):
    """Alembic cannot take the schema where it was asked (e.g. to head from a revision it
    does not know: a database made by a newer Sankofa)."""


def _refused_as_storage_error(migrate: Callable[[Config, str], None], *args: Any) -> None:
    from alembic.util import CommandError

    try:
        migrate(*args)
    except CommandError as exc:
        raise MigrationRefused(str(exc)) from exc


_REVISION: Final = re.compile(r"^revision\b[^=\n]*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN_REVISION: Final = re.compile(r"^down_revision\b[^=\n]*=\s*[\"']([^\"']+)[\"']", re.MULTILINE)


@functools.cache
def packaged_head() -> str | None:
    """The revision the packaged scripts end at, read from their `revision` and
    `down_revision` lines without Alembic; None when they do not form one line of history
    (then upgrade() asks Alembic). tests/test_migrations.py checks it against Alembic's."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (PACKAGE_DIR / "migrations" / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        revisions.update(_REVISION.findall(source))
        parents.update(_DOWN_REVISION.findall(source))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stored_revisions(engine: Engine) -> list[str]:
    """The revisions in the database's alembic_version table ([] when it has none)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return []
        return list(connection.scalars(text("SELECT version_num FROM alembic_version")))


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the database's migration lock until it ends.

    Several crawler processes or machines may open a new database at once: the first
    migrates, the others wait and then find the schema at head (unlocked, two would both
    create the tables and one would fail).
    """
    with engine.execution_options(**{SQLITE_WRITE_LOCK: True}).begin() as connection:
        if connection.dialect.name == "postgresql":
            # Released at commit or rollback, and by the server if this process dies.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
        yield connection


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, None when it was never migrated."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def open_database(url: str) -> Engine:
    """make_engine + upgrade to head; every failure becomes one StorageError line."""
    engine = make_engine(url)
    try:
        upgrade(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise StorageError(_cannot_open_message(engine.url, exc)) from exc
    except MigrationRefused as exc:
        engine.dispose()
        raise StorageError(
            f"cannot migrate database {_masked(engine.url)}: {exc}; it may have been created "
            "by a newer Sankofa: upgrade Sankofa or point $SANKOFA_DB at another database"
        ) from exc
    return engine


def require_database(url: str) -> None:
    """Raise StorageError when ``url`` names a SQLite file that does not exist: a command
    that reads a corpus would otherwise create an empty one there and answer from it, as
    if a mistyped path held no articles."""
    parsed = _parse_url(url)
    path = _sqlite_path(parsed) if parsed.get_backend_name() == "sqlite" else None
    if path is not None and not path.is_file():
        raise StorageError(
            f"no database at '{path}': crawl first (sankofa crawl) or point --db at a corpus"
        )


def open_read_only(url: str) -> Engine:
    """An engine that cannot write, for serving the corpus (sankofa serve).

    The schema is first brought to head (as every command does); then each connection is
    read-only: SQLite's query_only pragma (WAL still lets a crawl write beside it),
    PostgreSQL's default_transaction_read_only. A SQLite file that does not exist is an
    error, not a new empty corpus.
    """
    require_database(url)
    parsed = _parse_url(url)
    open_database(url).dispose()
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(
            parsed, connect_args={"options": "-c default_transaction_read_only=on"}
        )
    else:
        engine = make_engine(url)
        event.listen(engine, "connect", _sqlite_query_only)
    return engine


def _sqlite_query_only(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cast(sqlite3.Connection, dbapi_connection).execute("PRAGMA query_only = ON")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine)


def alembic_config() -> Config:
    """The packaged alembic.ini, with script_location pinned to this package (not the cwd)."""
    from alembic.config import Config

    config = Config(str(PACKAGE_DIR / "alembic.ini"))
    # ConfigParser interpolates '%', so a path containing one must be escaped.
    config.set_main_option("script_location", str(PACKAGE_DIR / "migrations").replace("%", "%%"))
    return config


def check_url(url: str) -> None:
    """Raise StorageError, worded for the user, when ``url`` is no database URL we open."""
    _parse_url(url)


def _parse_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise _invalid_url(url, str(exc)) from exc
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise _invalid_url(
            url, f"unsupported database '{backend}' (Sankofa stores into SQLite or PostgreSQL)"
        )
    return parsed


def _invalid_url(url: str, reason: str) -> StorageError:
    masked = re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", url)
    return StorageError(f"invalid database URL '{masked}': {reason}; expected e.g. {EXAMPLE_URLS}")


def _masked(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _sqlite_path(url: URL) -> Path | None:
    """The file a SQLite URL points at, None for in-memory and URI-style databases."""
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:") or "uri" in url.query:
        return None
    return Path(database)


def _ensure_sqlite_directory(url: URL) -> None:
    path = _sqlite_path(url)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"cannot create directory '{path.parent}' for database {_masked(url)}: "
            f"{exc.strerror or exc}; choose a writable location (set $SANKOFA_DB)"
        ) from exc


def _configure_sqlite(engine: Engine) -> None:
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)


def _on_sqlite_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    connection = cast(sqlite3.Connection, dbapi_connection)
    # sqlite3's legacy mode never BEGINs before a SELECT or SAVEPOINT; SQLAlchemy emits BEGIN
    # itself instead (see _on_sqlite_begin), which makes savepoints and reads transactional.
    connection.isolation_level = None
    connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA foreign_keys = ON")
    _use_wal(connection)
    # In WAL mode NORMAL cannot corrupt the file; a power cut may lose only the last commits,
    # which a crawler simply fetches again. FULL would fsync on every stored article.
    connection.execute("PRAGMA synchronous = NORMAL")


def _use_wal(connection: sqlite3.Connection) -> None:
    """WAL lets readers (query, export) run while a crawl writes.

    Switching a file to WAL needs it to itself for a moment, and SQLite reports "database is
    locked" at once, without waiting out busy_timeout, when another process is switching or
    creating the same new file (several crawls opening one new database: 4 runs in 20 of
    tests/test_postgres_crawl.py's three-process test failed so). So the switch is retried,
    within the same timeout."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(_WAL_RETRY_SECONDS)


_WAL_RETRY_SECONDS: Final = 0.05


def _on_sqlite_begin(connection: Connection) -> None:
    # A deferred transaction that reads and then writes fails at once with "database is
    # locked" if another process committed meanwhile (busy_timeout does not help there), so
    # writers ask for the write lock up front; readers stay deferred and never block writers.
    immediate = connection.get_execution_options().get(SQLITE_WRITE_LOCK, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _cannot_open_message(url: URL, exc: DBAPIError) -> str:
    reason = str(exc.orig).splitlines()[0] if exc.orig is not None else str(exc)
    return f"cannot open database {_masked(url)}: {reason}; {_open_advice(url, reason)}"


def _open_advice(url: URL, reason: str) -> str:
    if url.get_backend_name() != "sqlite":
        return "check that the server is running and the user, password and database exist"
    path = _sqlite_path(url)
    if path is None:
        return "check the SQLite URL, or set $SANKOFA_DB"
    if "not a database" in reason:
        return f"'{path}' is not a SQLite database: point $SANKOFA_DB at another file"
    return f"check that '{path}' and its directory are writable, or set $SANKOFA_DB"
