"""Reading back the raw responses kept at crawl time (re-extraction, WARC export)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Article, RawPage, Source
from storage.queries import ArticleFilter, filter_conditions


@dataclass(frozen=True, slots=True)
class StoredPage:
    """An article's raw response, with what re-extraction needs to know about its source."""

    canonical_url: str
    source: str
    source_languages: tuple[str, ...]
    country: str | None
    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: datetime


def iter_raw_pages(session: Session, flt: ArticleFilter, batch: int = 200) -> Iterator[StoredPage]:
    """The raw pages of the articles matching ``flt``, by article id, in batches (flat memory)."""
    query = (
        select(Article.canonical_url, Source.name, Source.languages, Source.country, RawPage)
        .join(RawPage, RawPage.article_id == Article.id)
        .join(Source, Article.source_id == Source.id)
        .where(*filter_conditions(flt))
        .order_by(Article.id)
        .execution_options(yield_per=batch)
    )
    for canonical, source, languages, country, raw in session.execute(query):
        yield StoredPage(
            canonical_url=canonical,
            source=source,
            source_languages=tuple(languages),
            country=country,
            url=raw.url,
            status=raw.status,
            headers=tuple((name, value) for name, value in raw.headers),
            body=gzip.decompress(raw.body_gzip),
            fetched_at=raw.fetched_at,
        )
