"""PostgreSQL keeps each article's search vector in a column, which ranking reads.

Revision ID: 0014_search_vector
Revises: 0013_search_folding
Create Date: 2026-12-06

0013's GIN index is built on an expression: it finds the matching articles, but ts_rank
cannot read a vector from an expression index, so it computed 0013's expression again
(NFD, regexp, to_tsvector over the whole body, about 0.2 ms for 5 KB) for every article
that matched: 0.36 s for a word in 2,000 of 20,000 articles, 1.8 s for 9,000 matches
(benchmarks.search), growing with the corpus. Now `articles.search_vector` holds the same
vector, written by a trigger when a title, byline, body or bio is written (a plain column
rather than a generated one: PostgreSQL before 16 recomputes generated columns on every
update, a cluster or author link included), and ranking reads it. Matching still goes
through 0013's index on the expression: with the index on the column instead, the planner
scans the table for common words, reading every article's TOASTed vector (120 ms at
20,000 articles where the index takes 2 ms), as it does not price the detoasting. The
expression is 0013's, exactly. SQLite is untouched. The upgrade rewrites every article row
once: 23 s for 20,000 articles here, so a few minutes for a corpus of 200,000.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0014_search_vector"
down_revision: str | Sequence[str] | None = "0013_search_folding"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMN = "search_vector"
FUNCTION = "articles_search_vector"
TRIGGER = "articles_search_vector"
SEARCHED = ("title", "authors", "text", "author_bio")  # the columns the vector is made of


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        create_postgres_search()


def create_postgres_search() -> None:
    """The column, the trigger that writes it, and every article's vector; also what
    `sankofa db check --repair` runs, which rewrites only the vectors missing or stale."""
    columns = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("articles")}
    if COLUMN not in columns:  # ALTER TABLE locks out readers even when it has nothing to do
        op.execute(f"ALTER TABLE articles ADD COLUMN {COLUMN} tsvector")
    op.execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN NEW.{COLUMN} := {_migration_0013().pg_vector('NEW.')}; RETURN NEW; END $$"
    )
    op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON articles")
    op.execute(trigger_definition())
    op.execute(f"UPDATE articles SET {COLUMN} = {expression()} WHERE {stale()}")


def trigger_definition() -> str:
    """The trigger, as pg_get_triggerdef() prints it back once schema names are left out."""
    return (
        f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OF {', '.join(SEARCHED)} "
        f"ON articles FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
    )


def expression() -> str:
    """What each article's vector must be: 0013's expression."""
    expression: str = _migration_0013().pg_vector()
    return expression


def stale() -> str:
    """SQL condition on an article whose stored vector is missing or not what it must be."""
    return f"{COLUMN} IS DISTINCT FROM {expression()}"


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON articles")
        op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
        op.execute(f"ALTER TABLE articles DROP COLUMN IF EXISTS {COLUMN}")


@functools.cache
def _migration_0013() -> ModuleType:
    """0013's module: its expression is the one the vector is made of, exactly."""
    path = Path(__file__).with_name("0013_search_folding.py")
    spec = importlib.util.spec_from_file_location("migration_0013_search_folding", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
