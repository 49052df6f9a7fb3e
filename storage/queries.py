"""The read side: article filters, corpus statistics and crawl runs.

Statistics are GROUP BY queries, so they cost the same on a hundred articles or a million.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import QueryableAttribute, Session

from storage.models import Article, CrawlRun, Source

UNKNOWN_MONTH = "unknown"


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles to read; empty tuples mean "all". since <= published < until."""

    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None


ALL_ARTICLES: Final = ArticleFilter()


@dataclass(frozen=True)
class Stats:
    total: int
    by_source: list[tuple[str, int]]  # most articles first
    by_language: list[tuple[str, int]]  # most articles first
    by_month: list[tuple[str, int]]  # "YYYY-MM" of published, chronological; "unknown" last


def select_articles(flt: ArticleFilter) -> Select[Article]:
    """The articles matching `flt`, ordered by id."""
    return select(Article).where(*filter_conditions(flt)).order_by(Article.id)


def filter_conditions(flt: ArticleFilter) -> list[ColumnElement[bool]]:
    """WHERE conditions on Article for `flt`, to combine with other selects."""
    conditions: list[ColumnElement[bool]] = []
    if flt.sources:
        source_ids = select(Source.id).where(Source.name.in_(flt.sources))
        conditions.append(Article.source_id.in_(source_ids))
    if flt.languages:
        conditions.append(Article.language.in_(flt.languages))
    if flt.since is not None:
        conditions.append(Article.published >= flt.since)
    if flt.until is not None:
        conditions.append(Article.published < flt.until)
    return conditions


def stats(session: Session, flt: ArticleFilter = ALL_ARTICLES) -> Stats:
    """Article counts in total and per source, language and month of publication."""
    conditions = filter_conditions(flt)
    total = session.scalar(select(func.count(Article.id)).where(*conditions)) or 0
    month = _month_of_published(session)
    return Stats(
        total=total,
        by_source=_count_by(session, Source.name, conditions),
        by_language=_count_by(session, Article.language, conditions),
        # "YYYY-MM" sorts chronologically, and "unknown" after every digit.
        by_month=_count_by(session, month, conditions, chronological=True),
    )


def get_run(session: Session, run_id: int) -> CrawlRun | None:
    # populate_existing: the counters move under other processes' feet while a crawl runs.
    return session.get(CrawlRun, run_id, populate_existing=True)


def list_runs(session: Session, limit: int = 20) -> list[CrawlRun]:
    """The latest runs, newest first."""
    stmt = select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit)
    return list(session.scalars(stmt.execution_options(populate_existing=True)))


def source_names(session: Session) -> list[str]:
    return list(session.scalars(select(Source.name).order_by(Source.name)))


def _count_by(
    session: Session,
    key: ColumnElement[Any] | QueryableAttribute[Any],
    conditions: list[ColumnElement[bool]],
    *,
    chronological: bool = False,
) -> list[tuple[str, int]]:
    count = func.count(Article.id)
    order = (key,) if chronological else (count.desc(), key)
    stmt = (
        select(key, count)
        .select_from(Article)
        .join(Source, Article.source_id == Source.id)
        .where(*conditions)
        .group_by(key)
        .order_by(*order)
    )
    return [(str(value), int(n)) for value, n in session.execute(stmt)]


def _month_of_published(session: Session) -> ColumnElement[str]:
    if session.get_bind().dialect.name == "postgresql":
        # timezone('UTC', ...) so the month is UTC's, not the session time zone's.
        month = func.to_char(func.timezone("UTC", Article.published), "YYYY-MM")
    else:
        # SQLite stores UTCDateTime as naive UTC text, which strftime reads as UTC.
        month = func.strftime("%Y-%m", Article.published)
    return func.coalesce(month, UNKNOWN_MONTH)
