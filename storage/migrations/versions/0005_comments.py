"""Reader comments in their own table (collected only with --keep-comments).

Revision ID: 0005_comments
Revises: 0004_search
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_comments"
down_revision: str | Sequence[str] | None = "0004_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_comments_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
        sa.UniqueConstraint("article_id", "position", name=op.f("uq_comments_article_id_position")),
    )
    op.create_index(op.f("ix_comments_article_id"), "comments", ["article_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_comments_article_id"), table_name="comments")
    op.drop_table("comments")
