"""Record what kind of page each stored page is, and how sure the classifier was.

Revision ID: 0007_page_kind
Revises: 0006_code_switched
Create Date: 2026-12-05

The crawl keeps every page whose article score passes a threshold set so that no article is
lost; `page_kind` says whether the classifier took it for an article or, doubting it, for a
listing, product, service, forum, collection or documentation page. Rows stored before this
revision were kept as articles by the older rules: they read `article`, with no score.
Plain ADD COLUMNs, not a batch rebuild: rebuilding `articles` on SQLite would drop the search
triggers of 0004_search.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_page_kind"
down_revision: str | Sequence[str] | None = "0006_code_switched"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "articles",
        sa.Column("page_kind", sa.String(16), nullable=False, server_default="article"),
    )
    op.add_column("articles", sa.Column("article_score", sa.Float(), nullable=True))
    op.create_index("ix_articles_page_kind", "articles", ["page_kind"])


def downgrade() -> None:
    op.drop_index("ix_articles_page_kind", table_name="articles")
    op.drop_column("articles", "article_score")  # SQLite >= 3.35 drops columns in place
    op.drop_column("articles", "page_kind")
