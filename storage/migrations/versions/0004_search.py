"""Full-text search over title, body, authors and bio; a terms-of-use note per source.

Revision ID: 0004_search
Revises: 0003_incremental
Create Date: 2026-11-27

SQLite: two contentless FTS5 tables kept in sync by triggers on `articles`.
  * articles_fts, unicode61 with diacritics removed and combining marks (categories M*) kept
    inside tokens, so Devanagari, Bengali, Thai... words are not cut at every vowel sign.
    Arabic harakat and tatweel are stripped before indexing (the query side does the same),
    so that "جدا" finds "جدًا".
  * articles_fts_cjk, trigram, holding only the articles that contain Han, kana, Thai, Lao,
    Khmer or Myanmar characters (scripts written without spaces between words). Each value
    is padded with two spaces so every character, even the last, starts a trigram: a query
    of one or two characters is answered from the trigram vocabulary, articles_fts_cjk_vocab
    (see storage.search.sqlite).
  Contentless tables keep no second copy of the text; the triggers pass the old values back
  on delete, computed by the same expressions as on insert. A later revision that rebuilds
  `articles` (batch mode recreating the table) drops these triggers and must recreate them
  (tests/test_search.py checks that they exist at head).
PostgreSQL: a GIN index on the weighted 'simple' tsvector that storage.search.api queries.

The expressions are spelled out here, not imported, so this revision keeps describing the
same schema whatever later happens to storage.search.api.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_search"
down_revision: str | Sequence[str] | None = "0003_incremental"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("title", "text", "authors", "author_bio")
# Arabic harakat U+064B..U+065F, superscript alef U+0670, tatweel U+0640.
ARABIC_MARKS = [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670", "\u0640"]
# Thai, Lao, Myanmar, Khmer, kana, CJK ideographs (+ extension A, compatibility, B and later).
UNSPACED_CLASS = (
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
)
UNICODE61 = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
PG_INDEX = "ix_articles_search_vector"


def pg_folding() -> tuple[str, str]:
    """translate() arguments: Latin letters with diacritics to their base, Arabic marks out."""
    accented, plain = [], []
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base != char and base.isascii() and base.isalpha():
            accented.append(char)
            plain.append(base)
    return "".join(accented + ARABIC_MARKS), "".join(plain)


def pg_vector(table: str = "") -> str:
    """The weighted 'simple' tsvector, each column folded (no unaccent extension needed)."""
    accented, plain = pg_folding()
    parts = []
    for column, weight in (("title", "A"), ("authors", "B"), ("text", "C"), ("author_bio", "D")):
        value = f"{table}{column}"
        if column == "authors":  # via JSONB so that the names come out unescaped
            value = f"CAST(CAST({value} AS JSONB) AS TEXT)"
        folded = f"translate({value}, '{accented}', '{plain}')"
        parts.append(f"setweight(to_tsvector('simple'::regconfig, {folded}), '{weight}')")
    return " || ".join(parts)


def upgrade() -> None:
    op.add_column("sources", sa.Column("terms", sa.Text(), nullable=True))
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        _create_sqlite_search()
    elif dialect == "postgresql":
        op.execute(f"CREATE INDEX {PG_INDEX} ON articles USING gin (({pg_vector()}))")


def downgrade() -> None:
    dialect = op.get_context().dialect.name
    if dialect == "sqlite":
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS articles_search_{event}")
        op.execute("DROP TABLE IF EXISTS articles_fts_cjk_vocab")
        op.execute("DROP TABLE IF EXISTS articles_fts")
        op.execute("DROP TABLE IF EXISTS articles_fts_cjk")
    elif dialect == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("terms")


def _create_sqlite_search() -> None:
    columns = ", ".join(COLUMNS)
    op.execute(
        f"CREATE VIRTUAL TABLE articles_fts USING fts5({columns}, "
        f"content='', tokenize=\"{UNICODE61}\")"
    )
    op.execute(
        f"CREATE VIRTUAL TABLE articles_fts_cjk USING fts5({columns}, "
        "content='', tokenize='trigram')"
    )
    # Every trigram occurrence: answers queries of one or two characters (see search_sqlite).
    op.execute(
        "CREATE VIRTUAL TABLE articles_fts_cjk_vocab USING fts5vocab(articles_fts_cjk, instance)"
    )
    op.execute(
        f"CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN {_add('new')} END"
    )
    op.execute(
        f"CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN {_remove('old')} END"
    )
    op.execute(
        f"CREATE TRIGGER articles_search_update AFTER UPDATE OF {columns} ON articles BEGIN "
        f"{_remove('old')} {_add('new')} END"
    )
    # Index the articles stored before this revision.
    op.execute(
        f"INSERT INTO articles_fts(rowid, {columns}) SELECT {_words('articles')} FROM articles"
    )
    op.execute(
        f"INSERT INTO articles_fts_cjk(rowid, {columns}) SELECT {_chars('articles')} "
        f"FROM articles WHERE {_unspaced('articles')}"
    )


def _add(row: str) -> str:
    columns = ", ".join(COLUMNS)
    return (
        f"INSERT INTO articles_fts(rowid, {columns}) VALUES ({_words(row)}); "
        f"INSERT INTO articles_fts_cjk(rowid, {columns}) "
        f"SELECT {_chars(row)} WHERE {_unspaced(row)};"
    )


def _remove(row: str) -> str:
    columns = ", ".join(COLUMNS)
    return (
        f"INSERT INTO articles_fts(articles_fts, rowid, {columns}) "
        f"VALUES ('delete', {_words(row)}); "
        f"INSERT INTO articles_fts_cjk(articles_fts_cjk, rowid, {columns}) "
        f"SELECT 'delete', {_chars(row)} WHERE {_unspaced(row)};"
    )


def _value(row: str, name: str) -> str:
    """A column as indexed: `authors` (a JSON list, stored with \\u escapes) as its names."""
    if name != "authors":
        return f"{row}.{name}"
    names = f"(SELECT group_concat(value, ' ') FROM json_each({row}.authors))"
    return f"CASE WHEN json_valid({row}.authors) THEN coalesce({names}, '') ELSE {row}.authors END"


def _words(row: str) -> str:
    """rowid and the four values for articles_fts: Arabic marks removed."""
    # Names keep their marks: the replaces nested around authors' CASE overflow SQLite's parser.
    values = [_value(row, name) if name == "authors" else _without_marks(_value(row, name))
              for name in COLUMNS]  # fmt: skip
    return ", ".join([f"{row}.id", *values])


def _without_marks(value: str) -> str:
    for mark in ARABIC_MARKS:
        value = f"replace({value}, '{mark}', '')"
    return value


def _chars(row: str) -> str:
    """rowid and the values for articles_fts_cjk, padded so each character starts a trigram."""
    return ", ".join([f"{row}.id", *(f"{_value(row, name)} || '  '" for name in COLUMNS)])


def _unspaced(row: str) -> str:
    joined = " || ".join(_value(row, name) for name in COLUMNS)
    return f"({joined}) GLOB '*{UNSPACED_CLASS}*'"
