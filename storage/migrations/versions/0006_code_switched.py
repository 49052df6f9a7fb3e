"""Flag code-switched articles (a second language holds a substantial share of the text).

Revision ID: 0006_code_switched
Revises: 0005_comments
Create Date: 2026-11-26

A plain ADD COLUMN, not a batch rebuild: rebuilding `articles` on SQLite would drop the
search triggers of 0004_search.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_code_switched"
down_revision: str | Sequence[str] | None = "0005_comments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "articles",
        sa.Column("code_switched", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("articles", "code_switched")  # SQLite >= 3.35 drops columns in place
