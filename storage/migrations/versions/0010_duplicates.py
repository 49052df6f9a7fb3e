"""Near-duplicates and story clusters: body hashes, MinHash signatures, LSH buckets.

Revision ID: 0010_duplicates
Revises: 0009_text_quality
Create Date: 2026-12-05

Every article gets `cluster_id` (its own id until a near-duplicate joins it),
`cluster_size`, `near_duplicate_of` and `exact_duplicate_of`; `body_hash` is filled here
for stored rows, so exact copies among them are found at once. Their MinHash signatures
need the crawler's shingling: `sankofa duplicates --recluster` computes the missing ones and
rebuilds the clusters. The near-duplicate threshold is kept in `corpus_settings` (absent:
0.8), so that every process storing into one corpus links articles alike. Plain ADD
COLUMNs: a batch rebuild of `articles` on SQLite would drop the search triggers of 0004_search.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_duplicates"
down_revision: str | Sequence[str] | None = "0009_text_quality"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SPACES = re.compile(r"\s+")
_BATCH = 2000


def upgrade() -> None:
    op.add_column("articles", sa.Column("body_hash", sa.String(32), nullable=True))
    op.add_column("articles", sa.Column("minhash", sa.LargeBinary(), nullable=True))
    op.add_column("articles", sa.Column("cluster_id", sa.Integer(), nullable=True))
    op.add_column(
        "articles", sa.Column("cluster_size", sa.Integer(), nullable=False, server_default="1")
    )
    op.add_column("articles", sa.Column("near_duplicate_of", sa.Integer(), nullable=True))
    op.add_column("articles", sa.Column("exact_duplicate_of", sa.Integer(), nullable=True))
    op.execute("UPDATE articles SET cluster_id = id")
    _fill_body_hashes()
    op.create_index("ix_articles_body_hash", "articles", ["body_hash"])
    op.create_index("ix_articles_cluster_id", "articles", ["cluster_id"])
    op.create_table(
        "lsh_buckets",
        sa.Column("bucket", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("article_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("bucket", "article_id", name="pk_lsh_buckets"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name="fk_lsh_buckets_article_id_articles",
            ondelete="CASCADE",
        ),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "corpus_settings",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_corpus_settings"),
    )


def _fill_body_hashes() -> None:
    # The same hash as storage.duplicates.body_hash, frozen here as of this revision.
    if op.get_context().as_sql:
        return  # an offline SQL script has no rows to read; `duplicates --recluster` fills them
    bind = op.get_bind()
    articles = sa.table("articles", sa.column("id", sa.Integer), sa.column("text", sa.Text),
                        sa.column("body_hash", sa.String))  # fmt: skip
    last = 0
    while True:
        rows = bind.execute(
            sa.select(articles.c.id, articles.c.text)
            .where(articles.c.id > last)
            .order_by(articles.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        bind.execute(
            articles.update()
            .where(articles.c.id == sa.bindparam("row_id"))
            .values(body_hash=sa.bindparam("hash")),
            [{"row_id": row.id, "hash": _body_hash(row.text)} for row in rows],
        )
        last = rows[-1].id


def _body_hash(text: str) -> str:
    unified = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(unified.encode("utf-8")).hexdigest()[:32]


def downgrade() -> None:
    op.drop_table("corpus_settings")
    op.drop_table("lsh_buckets")
    op.drop_index("ix_articles_cluster_id", table_name="articles")
    op.drop_index("ix_articles_body_hash", table_name="articles")
    for column in ("exact_duplicate_of", "near_duplicate_of", "cluster_size", "cluster_id",
                   "minhash", "body_hash"):  # fmt: skip
        op.drop_column("articles", column)  # SQLite >= 3.35 drops columns in place
