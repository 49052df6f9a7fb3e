"""Covering indexes for browsing (sankofa serve): facets, the newest articles, an author's.

Revision ID: 0011_browse_indexes
Revises: 0010_duplicates
Create Date: 2026-12-05

On SQLite an article's row holds its body before most other columns, so reading its
language, source, date, kind or bio walks the body's overflow pages: counting the whole
corpus by facet (the front page, 200,000 articles) took seconds, a search's thousands of
matches tens of milliseconds per count. These indexes answer the reads of storage.browse
without reading rows:
  * (page_kind, id, language, source_id, published): a search's matches looked up by id
    and counted by language, source and month (ix_articles_page_kind stays: the smallest,
    SQLite reads the whole selection through it in id order, e.g. to keep one per story);
  * (page_kind, language, source_id, published): counts by language and source, grouped in
    index order; selections by language, source or country;
  * (page_kind, published, language, source_id): the newest articles (of a language too:
    the feeds), counts per month as ranges; selections by date;
  * partial twins of the three (author_bio != ''), over the articles with a bio only: how
    many have one, and the selection `has_bio`;
  * (author_id, published): the author's other articles beside an article;
  * cluster_size last in the three covering indexes, and a partial index over the members
    of story clusters (cluster_size > 1): one article per story (`collapse`) ranks those
    members only, and keeps every other article from the covering indexes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_browse_indexes"
down_revision: str | Sequence[str] | None = "0010_duplicates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WITH_BIO = "author_bio != ''"
BY_ID = ("page_kind", "id", "language", "source_id", "published", "cluster_size")
BY_LANGUAGE = ("page_kind", "language", "source_id", "published", "cluster_size")
BY_DATE = ("page_kind", "published", "language", "source_id", "cluster_size")
IN_A_STORY = "cluster_size > 1"
INDEXES: dict[str, tuple[tuple[str, ...], bool]] = {  # name: columns, with a bio only
    "ix_articles_kind_id_language_source_published": (BY_ID, False),
    "ix_articles_kind_language_source_published": (BY_LANGUAGE, False),
    "ix_articles_kind_published_language_source": (BY_DATE, False),
    "ix_articles_bio_kind_id_language_source_published": (BY_ID, True),
    "ix_articles_bio_kind_language_source_published": (BY_LANGUAGE, True),
    "ix_articles_bio_kind_published_language_source": (BY_DATE, True),
    "ix_articles_author_id_published": (("author_id", "published"), False),
}
# The members of story clusters (2% of a corpus), for one article per story (search --collapse).
STORY_MEMBERS = "ix_articles_story_members"
STORY_COLUMNS = ("page_kind", "cluster_id", "published", "canonical_url")


def upgrade() -> None:
    for name, (columns, with_bio) in INDEXES.items():
        if with_bio:
            where = sa.text(WITH_BIO)
            op.create_index(name, "articles", list(columns), sqlite_where=where,
                            postgresql_where=where)  # fmt: skip
        else:
            op.create_index(name, "articles", list(columns))
    where = sa.text(IN_A_STORY)
    op.create_index(STORY_MEMBERS, "articles", list(STORY_COLUMNS), sqlite_where=where,
                    postgresql_where=where)  # fmt: skip


def downgrade() -> None:
    op.drop_index(STORY_MEMBERS, table_name="articles")
    for name in reversed(INDEXES):
        op.drop_index(name, table_name="articles")
