"""Flag stored text that holds U+FFFD: bytes that no encoding explained.

Revision ID: 0009_text_quality
Revises: 0008_url_keys
Create Date: 2026-12-05

The crawl now re-detects the real encoding of a page whose declared charset lies (UTF-8
declared, windows-1252 sent; UTF-16 without a byte-order mark). What is still damaged after
that is flagged `replacement_chars`, so that a researcher can filter it or re-fetch it.
Rows stored before this revision are flagged from their text here. A plain ADD COLUMN (no
batch rebuild, which would drop the search triggers of 0004_search on SQLite).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_text_quality"
down_revision: str | Sequence[str] | None = "0008_url_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REPLACEMENT = "\ufffd"
_TEXTS = ("title", "text", "author_bio")


def upgrade() -> None:
    op.add_column(
        "articles",
        sa.Column("text_quality", sa.String(24), nullable=False, server_default="ok"),
    )
    damaged = " OR ".join(f"{name} LIKE '%{_REPLACEMENT}%'" for name in _TEXTS)
    op.execute(f"UPDATE articles SET text_quality = 'replacement_chars' WHERE {damaged}")


def downgrade() -> None:
    op.drop_column("articles", "text_quality")  # SQLite >= 3.35 drops columns in place
