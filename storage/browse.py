"""The read side of browsing the corpus (sankofa serve): the newest articles without a query,
facet counts, monthly volumes, one article with everything around it, and its raw page.

Search, statistics, runs, health and exports are in their own modules; these are only the
reads that browsing adds. Every value reaches SQL as a bound parameter.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from storage.duplicates import ClusterMember, cluster_of
from storage.models import Article, ArticleRevision, Author, RawPage, Source
from storage.queries import (
    ALL_ARTICLES,
    ArticleFilter,
    filter_conditions,
    month_of_published,
)
from storage.search.api import SearchHit
from storage.search.snippets import make_snippet

MonthlyKey = Literal["language", "source"]
OTHER_ARTICLES: Final = 10  # the author's other articles shown beside one article


@dataclass(frozen=True)
class Facets:
    """Counts of the selected articles by each browsing facet, most articles first
    (months chronologically)."""

    total: int
    by_language: list[tuple[str, int]]
    by_source: list[tuple[str, int]]
    by_country: list[tuple[str, int]]
    by_month: list[tuple[str, int]]
    with_bio: int


@dataclass(frozen=True)
class RevisionSummary:
    title: str
    fetched_at: datetime
    replaced_at: datetime
    modified: datetime | None
    characters: int


@dataclass(frozen=True)
class ArticleView:
    """One article with what its page shows around it."""

    article: Article
    source: Source
    author: Author | None
    other_articles: list[tuple[int, str, datetime | None]] = field(default_factory=list)
    revisions: list[RevisionSummary] = field(default_factory=list)
    cluster: list[ClusterMember] = field(default_factory=list)
    has_raw_page: bool = False


@dataclass(frozen=True)
class RawDownload:
    url: str
    status: int
    content_type: str
    body: bytes
    fetched_at: datetime


def newest(
    session: Session,
    flt: ArticleFilter = ALL_ARTICLES,
    *,
    limit: int = 20,
    offset: int = 0,
    where: Sequence[ColumnElement[bool]] = (),
) -> list[SearchHit]:
    """The newest selected articles (published, then id, descending), as search hits whose
    snippet is the body's start: what a search with no query shows."""
    stmt = (
        select(Article.id, Article.title, Article.text, Source.name, Article.language,
               Article.published, Article.url, Article.cluster_id, Article.cluster_size)
        .join(Source, Article.source_id == Source.id)
        .where(*filter_conditions(flt, where))
        .order_by(Article.published.is_(None), Article.published.desc(), Article.id.desc())
        .limit(limit)
        .offset(offset)
    )  # fmt: skip
    return [_newest_hit(row) for row in session.execute(stmt)]


def count_selected(
    session: Session, flt: ArticleFilter = ALL_ARTICLES, where: Sequence[ColumnElement[bool]] = ()
) -> int:
    stmt = select(func.count(Article.id)).where(*filter_conditions(flt, where))
    return int(session.scalar(stmt) or 0)


def _newest_hit(row: Any) -> SearchHit:
    return SearchHit(
        id=row.id,
        title=row.title,
        source=row.name,
        language=row.language,
        published=row.published,
        url=row.url,
        score=None,
        snippet=make_snippet((row.text,), ()),
        cluster_id=row.cluster_id,
        cluster_size=row.cluster_size,
    )


def facets(
    session: Session, flt: ArticleFilter = ALL_ARTICLES, where: Sequence[ColumnElement[bool]] = ()
) -> Facets:
    """Counts by language, source, country and month, and how many have a bio: one pass
    per facet over the selected articles (GROUP BY, so the cost follows the matches)."""
    conditions = filter_conditions(flt, where)
    with_bio = func.sum(case((Article.author_bio != "", 1), else_=0))
    total, bios = session.execute(select(func.count(Article.id), with_bio).where(*conditions)).one()
    country = func.coalesce(func.upper(Source.country), "")
    return Facets(
        total=int(total or 0),
        by_language=_count_by(session, Article.language, conditions),
        by_source=_count_by(session, Source.name, conditions),
        by_country=[(c, n) for c, n in _count_by(session, country, conditions) if c],
        by_month=_count_by(session, month_of_published(session), conditions, by_key=True),
        with_bio=int(bios or 0),
    )


def monthly(
    session: Session, key: MonthlyKey, flt: ArticleFilter = ALL_ARTICLES
) -> list[tuple[str, str, int]]:
    """(month "YYYY-MM", language or source, articles) of the dated selected articles,
    chronological: the series the volume charts draw."""
    month = month_of_published(session)
    column: Any = Article.language if key == "language" else Source.name
    stmt = (
        select(month, column, func.count(Article.id))
        .join(Source, Article.source_id == Source.id)
        .where(*filter_conditions(flt), Article.published.is_not(None))
        .group_by(month, column)
        .order_by(month, column)
    )
    return [(str(m), str(k), int(n)) for m, k, n in session.execute(stmt)]


def _count_by(
    session: Session,
    key: Any,
    conditions: list[ColumnElement[bool]],
    *,
    by_key: bool = False,
) -> list[tuple[str, int]]:
    count = func.count(Article.id)
    stmt = (
        select(key, count)
        .select_from(Article)
        .join(Source, Article.source_id == Source.id)
        .where(*conditions)
        .group_by(key)
        .order_by(*((key,) if by_key else (count.desc(), key)))
    )
    return [(str(value), int(n)) for value, n in session.execute(stmt)]


def article_view(session: Session, article_id: int) -> ArticleView | None:
    """The article `article_id` with its source, author, the author's other articles, its
    earlier versions and its story cluster; None when there is no such article."""
    article = session.get(Article, article_id)
    if article is None:
        return None
    return ArticleView(
        article=article,
        source=article.source,
        author=article.author,
        other_articles=_other_articles(session, article),
        revisions=_revisions(session, article_id),
        cluster=cluster_of(session, article_id) if (article.cluster_size or 1) > 1 else [],
        has_raw_page=session.scalar(
            select(RawPage.id).where(RawPage.article_id == article_id).limit(1)
        )
        is not None,
    )


def _other_articles(session: Session, article: Article) -> list[tuple[int, str, datetime | None]]:
    if article.author_id is None:
        return []
    stmt = (
        select(Article.id, Article.title, Article.published)
        .where(Article.author_id == article.author_id, Article.id != article.id)
        .order_by(Article.published.is_(None), Article.published.desc(), Article.id.desc())
        .limit(OTHER_ARTICLES)
    )
    return [(int(i), str(t), p) for i, t, p in session.execute(stmt)]


def _revisions(session: Session, article_id: int) -> list[RevisionSummary]:
    stmt = (
        select(ArticleRevision.title, ArticleRevision.fetched_at, ArticleRevision.replaced_at,
               ArticleRevision.modified, func.length(ArticleRevision.text))
        .where(ArticleRevision.article_id == article_id)
        .order_by(ArticleRevision.replaced_at.desc())
    )  # fmt: skip
    return [RevisionSummary(*row) for row in session.execute(stmt)]


def raw_download(session: Session, article_id: int) -> RawDownload | None:
    """The response kept when the article was fetched (unzipped), or None."""
    raw = session.scalars(select(RawPage).where(RawPage.article_id == article_id).limit(1)).first()
    if raw is None:
        return None
    headers = {name.lower(): value for name, value in raw.headers}
    return RawDownload(
        url=raw.url,
        status=raw.status,
        content_type=headers.get("content-type", "text/html"),
        body=gzip.decompress(raw.body_gzip),
        fetched_at=raw.fetched_at,
    )


@dataclass(frozen=True)
class EntryDetails:
    """What a feed entry adds to a search hit."""

    authors: list[str]
    modified: datetime | None
    fetched_at: datetime
    description: str | None
    canonical_url: str
    source_url: str


def entry_details(session: Session, ids: Sequence[int]) -> dict[int, EntryDetails]:
    """Authors, dates, description and URLs of the articles `ids` (the few a feed shows)."""
    if not ids:
        return {}
    stmt = (
        select(Article.id, Article.authors, Article.modified, Article.fetched_at,
               Article.description, Article.canonical_url, Source.url)
        .join(Source, Article.source_id == Source.id)
        .where(Article.id.in_(list(ids)))
    )  # fmt: skip
    return {row[0]: EntryDetails(list(row[1] or []), *row[2:]) for row in session.execute(stmt)}
