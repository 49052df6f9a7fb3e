"""Streaming exporters: memory stays flat however large the corpus."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Final, TextIO

from sqlalchemy.orm import Session

from storage.models import Article, Source
from storage.queries import ALL_ARTICLES, ArticleFilter, select_articles

EXPORT_FIELDS: Final = (
    "id",
    "url",
    "canonical_url",
    "source",
    "title",
    "text",
    "author",
    "authors",
    "author_bio",
    "language",
    "language_confidence",
    "language_shares",
    "published",
    "modified",
    "site_name",
    "tags",
    "categories",
    "description",
    "image_url",
    "extractor",
    "fetched_at",
)
# Rows fetched per round trip; on PostgreSQL yield_per also opens a server-side cursor.
EXPORT_BATCH_SIZE: Final = 500


def article_to_dict(article: Article, source_name: str) -> dict[str, object]:
    """One article as EXPORT_FIELDS, JSON-ready: datetimes are ISO 8601 in UTC (+00:00)."""
    return {
        "id": article.id,
        "url": article.url,
        "canonical_url": article.canonical_url,
        "source": source_name,
        "title": article.title,
        "text": article.text,
        "author": article.authors[0] if article.authors else None,
        "authors": list(article.authors),
        "author_bio": article.author_bio,
        "language": article.language,
        "language_confidence": article.language_confidence,
        "language_shares": dict(article.language_shares),
        "published": _isoformat(article.published),
        "modified": _isoformat(article.modified),
        "site_name": article.site_name,
        "tags": list(article.tags),
        "categories": list(article.categories),
        "description": article.description,
        "image_url": article.image_url,
        "extractor": article.extractor,
        "fetched_at": _isoformat(article.fetched_at),
    }


def export_jsonl(
    session: Session,
    out: TextIO,
    flt: ArticleFilter = ALL_ARTICLES,
) -> int:
    """Write the matching articles to `out` as JSON Lines, in id order; returns the count."""
    stmt = (
        select_articles(flt)
        .join(Source, Article.source_id == Source.id)
        .add_columns(Source.name)
        .execution_options(yield_per=EXPORT_BATCH_SIZE)
    )
    count = 0
    for article, source_name in session.execute(stmt):
        out.write(json.dumps(article_to_dict(article, source_name), ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


def _isoformat(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
