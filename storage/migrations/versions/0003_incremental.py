"""Incremental crawling: scheduling state and locks per source, conditional-GET validators,
revisit times and revision history of articles, per-source counts of each run.

Revision ID: 0003_incremental
Revises: 0002_raw_pages
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_incremental"
down_revision: str | Sequence[str] | None = "0002_raw_pages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("last_success_at", TIMESTAMP, nullable=True))
        batch.add_column(sa.Column("lock_holder", sa.String(300), nullable=True))
        batch.add_column(sa.Column("lock_run_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("lock_expires_at", TIMESTAMP, nullable=True))
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(sa.Column("holder", sa.String(300), nullable=True))
        batch.add_column(sa.Column("source_stats", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("checked_at", TIMESTAMP, nullable=True))
    _create_revisions()
    _create_validators()


def _create_revisions() -> None:
    op.create_table(
        "article_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_bio", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(128), nullable=False),
        sa.Column("modified", TIMESTAMP, nullable=True),
        sa.Column("fetched_at", TIMESTAMP, nullable=False),
        sa.Column("replaced_at", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_revisions_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_revisions")),
    )
    op.create_index(op.f("ix_article_revisions_article_id"), "article_revisions", ["article_id"])


def _create_validators() -> None:
    op.create_table(
        "url_validators",
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_url_validators")),
    )


def downgrade() -> None:
    op.drop_table("url_validators")
    op.drop_index(op.f("ix_article_revisions_article_id"), table_name="article_revisions")
    op.drop_table("article_revisions")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("checked_at")
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_column("source_stats")
        batch.drop_column("holder")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("lock_expires_at")
        batch.drop_column("lock_run_id")
        batch.drop_column("lock_holder")
        batch.drop_column("last_success_at")
