"""Cluster sizes counted when read: each article keeps only whether it is in a story.

Revision ID: 0012_story_flag
Revises: 0011_browse_indexes
Create Date: 2026-12-06

0010 kept `cluster_size` on every article, so an article joining a cluster of n rewrote n
rows; on PostgreSQL each rewritten row also recomputes its full-text vector for the GIN
index (about 1 s per store at 300 near-copies, benchmarks.bigcluster). The size is now
counted from `cluster_id` when read (storage.duplicates.sizes), and each article keeps
`in_story` (its cluster holds two or more articles), which changes only when an article
gains its first copy or loses its last: joining a story writes the new article alone.
`in_story` takes cluster_size's place in the covering indexes of 0011 and in the predicate
of the partial index over story members, written as each dialect renders the condition
(SQLite uses a partial index only for a query stating it the same way).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_story_flag"
down_revision: str | Sequence[str] | None = "0011_browse_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WITH_BIO = "author_bio != ''"
BY_ID = ("page_kind", "id", "language", "source_id", "published")
BY_LANGUAGE = ("page_kind", "language", "source_id", "published")
BY_DATE = ("page_kind", "published", "language", "source_id")
COVERING: dict[str, tuple[tuple[str, ...], bool]] = {  # name: leading columns, with a bio only
    "ix_articles_kind_id_language_source_published": (BY_ID, False),
    "ix_articles_kind_language_source_published": (BY_LANGUAGE, False),
    "ix_articles_kind_published_language_source": (BY_DATE, False),
    "ix_articles_bio_kind_id_language_source_published": (BY_ID, True),
    "ix_articles_bio_kind_language_source_published": (BY_LANGUAGE, True),
    "ix_articles_bio_kind_published_language_source": (BY_DATE, True),
}
STORY_MEMBERS = "ix_articles_story_members"
STORY_COLUMNS = ["page_kind", "cluster_id", "published", "canonical_url"]


def upgrade() -> None:
    op.add_column(
        "articles", sa.Column("in_story", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.execute("UPDATE articles SET in_story = (cluster_size > 1)")
    _drop_indexes()
    op.drop_column("articles", "cluster_size")  # SQLite >= 3.35 drops columns in place
    _create_indexes("in_story", sqlite_story="in_story = 1", postgresql_story="in_story")


def downgrade() -> None:
    op.add_column(
        "articles", sa.Column("cluster_size", sa.Integer(), nullable=False, server_default="1")
    )
    op.execute(
        "UPDATE articles SET cluster_size = (SELECT count(*) FROM articles AS member"
        " WHERE member.cluster_id = articles.cluster_id) WHERE in_story"
    )
    _drop_indexes()
    op.drop_column("articles", "in_story")
    story = "cluster_size > 1"
    _create_indexes("cluster_size", sqlite_story=story, postgresql_story=story)


def _drop_indexes() -> None:
    op.drop_index(STORY_MEMBERS, table_name="articles")
    for name in reversed(COVERING):
        op.drop_index(name, table_name="articles")


def _create_indexes(story_column: str, *, sqlite_story: str, postgresql_story: str) -> None:
    for name, (leading, with_bio) in COVERING.items():
        where = sa.text(WITH_BIO) if with_bio else None
        op.create_index(name, "articles", [*leading, story_column], sqlite_where=where,
                        postgresql_where=where)  # fmt: skip
    op.create_index(STORY_MEMBERS, "articles", STORY_COLUMNS,
                    sqlite_where=sa.text(sqlite_story),
                    postgresql_where=sa.text(postgresql_story))  # fmt: skip
