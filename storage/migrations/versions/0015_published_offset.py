"""Each article keeps the UTC offset its publication time was given in.

Revision ID: 0015_published_offset
Revises: 0014_search_vector
Create Date: 2026-12-06

`published` is stored in UTC, which moves an evening article of a publisher west of
Greenwich (or a morning one east of it) to another day: "2020-04-12T18:00-07:00" is the 13th
in UTC. `published_utc_offset` (minutes east of UTC) keeps the zone the page declared, so
that exports can give the day the publisher dated the article. Articles stored before this
revision have none (null) until a crawl or `sankofa reextract` reads their page again: a
changed page is stored again, an unchanged one that still gives the stored instant gets its
offset filled in.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_published_offset"
down_revision: str | Sequence[str] | None = "0014_search_vector"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("published_utc_offset", sa.SmallInteger(), nullable=True))


def downgrade() -> None:
    op.drop_column("articles", "published_utc_offset")  # SQLite >= 3.35 drops columns in place
