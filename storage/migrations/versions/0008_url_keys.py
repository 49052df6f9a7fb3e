"""Re-key stored articles under the canonical URL form of w3lib: one key per article.

Revision ID: 0008_url_keys
Revises: 0007_page_kind
Create Date: 2026-12-05

Until this revision the canonical URL kept percent-escapes in the case a link happened to
use and hosts as written, so `/%D9%85…/` and `/%d9%85…/` (or a raw Arabic slug and its
escaped form) were two articles. The crawler now keys articles by w3lib's canonical form
(crawler.discover.canonical); this rewrites the keys already stored the same way, so that
the next crawl recognises them. Stored keys had tracking parameters removed already, so only
the URL grammar is redone here, by a frozen copy of that step (a migration must not change
when the crawler does). When two stored rows turn out to be one article, the older keeps
the key and the other is left as it was: nothing stored is deleted by a migration.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from alembic import op
from w3lib.url import canonicalize_url

revision: str = "0008_url_keys"
down_revision: str | Sequence[str] | None = "0007_page_kind"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DEFAULT_PORTS = {"http": "80", "https": "443"}


def _rekeyed(key: str) -> str:
    try:
        parts = urlsplit(canonicalize_url(key, encoding="utf-8"))
    except ValueError:
        return key
    netloc = parts.netloc.lower()
    host, colon, port = netloc.rpartition(":")
    if colon and "]" not in port and port == _DEFAULT_PORTS.get(parts.scheme):
        netloc = host
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


def upgrade() -> None:
    if op.get_context().as_sql:
        return  # an offline SQL script has no rows to read; run it online to re-key them
    connection = op.get_bind()
    articles = sa.table("articles", sa.column("id", sa.Integer), sa.column("canonical_url"))
    rows = connection.execute(sa.select(articles.c.id, articles.c.canonical_url).order_by("id"))
    changes = _changed_keys([(int(row[0]), str(row[1])) for row in rows])
    if changes:
        connection.execute(
            articles.update()
            .where(articles.c.id == sa.bindparam("row_id"))
            .values(canonical_url=sa.bindparam("new_key")),
            changes,
        )


def _changed_keys(rows: Sequence[tuple[int, str]]) -> list[dict[str, object]]:
    """The new key of every row whose key changes and is free; oldest rows first."""
    taken = {key for _, key in rows}
    changes: list[dict[str, object]] = []
    for article_id, key in rows:
        new_key = _rekeyed(key)
        if new_key != key and new_key not in taken:
            taken.discard(key)
            taken.add(new_key)
            changes.append({"row_id": article_id, "new_key": new_key})
    return changes


def downgrade() -> None:
    """The old keys are not kept: both spellings name one article, so downgrade keeps these."""
