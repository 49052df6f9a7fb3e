"""PostgreSQL search folds diacritics by Unicode decomposition, not by a translate() table.

Revision ID: 0013_search_folding
Revises: 0012_story_flag
Create Date: 2026-12-06

0004 folded each column with translate() over a table of 212 characters: PostgreSQL compares
every character of the text with every one of the table, 5.6 ms for a 5 KB body, paid on
every insert and update of an article (more than half of a store's 18 ms of wall time,
benchmarks.store --db) and again for every matched row that ts_rank scores. Decomposing
(NFD) and deleting the combining marks costs 0.6 ms, and folds what the table missed, such
as Vietnamese letters with two marks (ệ, ố), as SQLite's unicode61 tokenizer
(remove_diacritics 2) already does. Arabic harakat, superscript alef and tatweel are
deleted as before. Needs PostgreSQL 13 or later (normalize) and a UTF8 database.
SQLite is untouched.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0013_search_folding"
down_revision: str | Sequence[str] | None = "0012_story_flag"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PG_INDEX = "ix_articles_search_vector"
# Combining diacritical marks; Arabic harakat U+064B..U+065F, superscript alef, tatweel.
MARKS = "[\u0300-\u036f\u064b-\u065f\u0670\u0640]"


def pg_fold(value: str) -> str:
    """SQL folding `value` as storage.search.postgres.fold_term folds a query's terms."""
    return f"regexp_replace(normalize({value}, NFD), '{MARKS}', '', 'g')"


def pg_vector(table: str = "") -> str:
    """The weighted 'simple' tsvector, each column folded (no unaccent extension needed)."""
    parts = []
    for column, weight in (("title", "A"), ("authors", "B"), ("text", "C"), ("author_bio", "D")):
        value = f"{table}{column}"
        if column == "authors":  # via JSONB so that the names come out unescaped
            value = f"CAST(CAST({value} AS JSONB) AS TEXT)"
        parts.append(f"setweight(to_tsvector('simple'::regconfig, {pg_fold(value)}), '{weight}')")
    return " || ".join(parts)


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        _index_vector(pg_vector())


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        _index_vector(_migration_0004().pg_vector())


def _index_vector(vector: str) -> None:
    op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    op.execute(f"CREATE INDEX {PG_INDEX} ON articles USING gin (({vector}))")


def _migration_0004() -> ModuleType:
    """0004's module: its expression is the one to restore, exactly."""
    path = Path(__file__).with_name("0004_search.py")
    spec = importlib.util.spec_from_file_location("migration_0004_search", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
