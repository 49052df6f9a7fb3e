"""What the checks of `sankofa db check` share: their outcome, a read-only connection, the
migration scripts, and the wording of what they find."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from types import ModuleType
from typing import Any, Final

from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from storage.db import StorageError, alembic_config
from storage.models import Base

SAMPLE: Final = 3  # ids quoted per problem, enough to look one up

# (problems found, what was verified when there are none)
Outcome = tuple[list[str], str]


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A connection whose transaction is rolled back when it closes: nothing is ever kept."""
    with engine.connect() as connection:
        yield connection


def per_dialect(
    engine: Engine,
    sqlite: Callable[[Connection], Outcome],
    postgres: Callable[[Connection], Outcome],
) -> Outcome:
    """The check written for the database's dialect, on a reading connection."""
    with reading(engine) as connection:
        return (sqlite if connection.dialect.name == "sqlite" else postgres)(connection)


def postgres_indexes(connection: Connection) -> dict[str, bool]:
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


def applied(current: str | None, revision: str) -> bool:
    """Whether the schema at `current` includes `revision` (False for a revision of a newer
    Sankofa: what it built may not be ours to build)."""
    try:
        return current is not None and any(
            script.revision == revision for script in scripts().iterate_revisions(current, "base")
        )
    except RevisionError:
        return False


@cache
def migration(revision: str) -> ModuleType:
    script = scripts().get_revision(revision)
    if script is None:
        raise StorageError(f"migration {revision} is missing from this installation")
    return script.module


def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def first_line(exc: DBAPIError) -> str:
    return str(exc.orig if exc.orig is not None else exc).strip().split("\n")[0]


def listed(items: Sequence[str], most: int = 5) -> str:
    more = f" and {len(items) - most} more" if len(items) > most else ""
    return ", ".join(items[:most]) + more


def ids(sample: Any, count: int) -> str:
    """'id 4, 9, 12 ...': the first ids of `count` rows."""
    return "id " + ", ".join(str(row_id) for row_id in sample) + (" ..." if count > SAMPLE else "")
