"""The read side of browsing the corpus (sankofa serve): the newest articles without a query,
facet counts, monthly volumes, one article with everything around it, and its raw page.

Search, statistics, runs, health and exports are in their own modules; these are only the
reads that browsing adds. Every value reaches SQL as a bound parameter.
"""

from __future__ import annotations

import gzip
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any, Final, Literal

from sqlalchemy import ColumnElement, case, column, func, literal_column, select, values
from sqlalchemy.orm import Session

from storage.duplicates import CLUSTER_SIZE, ClusterMember, cluster_of
from storage.models import (
    Article,
    ArticleRevision,
    Author,
    RawPage,
    Source,
    UTCDateTime,
    publisher_time,
)
from storage.queries import (
    ALL_ARTICLES,
    UNKNOWN_MONTH,
    ArticleFilter,
    count_by,
    filter_conditions,
    month_of_published,
)
from storage.search.api import SearchHit, search_hit
from storage.search.snippets import make_snippet

MonthlyKey = Literal["language", "source"]
# Undated last, as "published IS NULL, published DESC" would say, but in a form an index on
# published (then the rowid) walks backwards instead of sorting every selected row: SQLite
# puts NULLs last in descending order anyway, PostgreSQL is told to.
NEWEST_FIRST: Final = (Article.published.desc().nulls_last(), Article.id.desc())
# The condition of the partial indexes of migration 0011, as SQL text: SQLite uses a partial
# index only for a query that states its condition with the same constant.
WITH_BIO: Final = Article.author_bio != literal_column("''")
OTHER_ARTICLES: Final = 10  # the author's other articles shown beside one article
MAX_MONTH_RANGES: Final = 1200  # a century of months; wider (stray dates): one grouped pass


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

    @property
    def published(self) -> datetime | None:
        """The publication time as the publisher wrote it (in its declared UTC offset)."""
        return publisher_time(self.article.published, self.article.published_utc_offset)


@dataclass(frozen=True)
class RawDownload:
    url: str
    status: int
    content_type: str
    body: bytes
    fetched_at: datetime


def _selected(
    flt: ArticleFilter, where: Sequence[ColumnElement[bool]] = ()
) -> list[ColumnElement[bool]]:
    """filter_conditions, with `has_bio` as WITH_BIO (the same condition, but one the
    partial indexes of articles with a bio serve)."""
    if not flt.has_bio:
        return filter_conditions(flt, where)
    return filter_conditions(replace(flt, has_bio=False), [*where, WITH_BIO])


def newest(
    session: Session,
    flt: ArticleFilter = ALL_ARTICLES,
    *,
    limit: int = 20,
    offset: int = 0,
    where: Sequence[ColumnElement[bool]] = (),
) -> list[SearchHit]:
    """The newest selected articles (published, then id, descending; undated last), as
    search hits whose snippet is the body's start: what a search with no query shows."""
    stmt = (
        select(Article.id, Article.title, Article.text, Source.name, Article.language,
               Article.published, Article.published_utc_offset, Article.url, Article.cluster_id,
               CLUSTER_SIZE)
        .join(Source, Article.source_id == Source.id)
        .where(*_selected(flt, where))
        .order_by(*NEWEST_FIRST)
        .limit(limit)
        .offset(offset)
    )  # fmt: skip
    return [search_hit(row, make_snippet((row.text,), ()), None) for row in session.execute(stmt)]


def count_selected(
    session: Session, flt: ArticleFilter = ALL_ARTICLES, where: Sequence[ColumnElement[bool]] = ()
) -> int:
    stmt = select(func.count(Article.id)).where(*_selected(flt, where))
    return int(session.scalar(stmt) or 0)


def facets(
    session: Session, flt: ArticleFilter = ALL_ARTICLES, where: Sequence[ColumnElement[bool]] = ()
) -> Facets:
    """Counts by language, source, country and month, and how many have a bio.

    PostgreSQL: one GROUP BY per facet over the selected articles. SQLite, where reading a
    row's columns past the body walks the body's overflow pages, reads the selection once:
    a search's matches (a small part of the corpus) in one grouped pass; a selection by
    filters alone (the front page: the whole corpus) from the covering indexes of migration
    0011 only. Every path gives the counts and the order of the per-facet GROUP BYs.
    """
    conditions = _selected(flt, where)
    if session.get_bind().dialect.name != "sqlite":
        return _facets_by_query(session, conditions)
    sources = _source_keys(session)
    counts = None
    if not where and flt.dedupe is None:
        counts = _counts_from_indexes(session, conditions, sources)
    if counts is None:
        counts = _counts_in_one_pass(session, conditions, sources)
    bios = session.scalar(select(func.count(Article.id)).where(*conditions, WITH_BIO)) or 0
    return counts.facets(sources, bios)


def _facets_by_query(session: Session, conditions: list[ColumnElement[bool]]) -> Facets:
    with_bio = func.sum(case((Article.author_bio != "", 1), else_=0))
    total, bios = session.execute(select(func.count(Article.id), with_bio).where(*conditions)).one()
    country = func.coalesce(func.upper(Source.country), "")
    return Facets(
        total=int(total or 0),
        by_language=count_by(session, Article.language, conditions),
        by_source=count_by(session, Source.name, conditions),
        by_country=[(c, n) for c, n in count_by(session, country, conditions) if c],
        by_month=count_by(session, month_of_published(session), conditions, chronological=True),
        with_bio=int(bios or 0),
    )


@dataclass(frozen=True)
class _SourceKeys:
    names: dict[int, str]  # source id -> name
    countries: dict[int, str]  # source id -> upper-case country, "" when none


def _source_keys(session: Session) -> _SourceKeys:
    rows = session.execute(
        select(Source.id, Source.name, func.coalesce(func.upper(Source.country), ""))
    ).all()
    return _SourceKeys({i: str(n) for i, n, _ in rows}, {i: str(c) for i, _, c in rows})


@dataclass(frozen=True)
class _Counts:
    """The selected articles counted by (language, source id), and by month among those
    whose source row exists (the facets join the sources: an article without one counts in
    the total and the bios only)."""

    total: int
    by_language_source: Counter[tuple[str, int]]
    by_month: Counter[str]

    def facets(self, sources: _SourceKeys, with_bio: int) -> Facets:
        languages: Counter[str] = Counter()
        names: Counter[str] = Counter()
        countries: Counter[str] = Counter()
        for (language, source_id), n in self.by_language_source.items():
            if source_id in sources.names:
                languages[language] += n
                names[sources.names[source_id]] += n
                countries[sources.countries[source_id]] += n
        return Facets(
            total=self.total,
            by_language=_most_first(languages),
            by_source=_most_first(names),
            by_country=[(c, n) for c, n in _most_first(countries) if c],
            by_month=sorted(self.by_month.items()),  # "unknown" sorts after every digit
            with_bio=with_bio,
        )


def _most_first(counts: Counter[str]) -> list[tuple[str, int]]:
    # ORDER BY count DESC, key: SQLite's BINARY collation orders text as Python orders str.
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def _counts_in_one_pass(
    session: Session, conditions: list[ColumnElement[bool]], sources: _SourceKeys
) -> _Counts:
    """One GROUP BY over the selected rows. For a search's matches
    SQLite looks them up by id in the (page_kind, id, ...) indexes of migration 0011 (the
    keys come in an order no index has, so none is scanned whole for its order)."""
    month = month_of_published(session)
    stmt = (
        select(month, Article.language, Article.source_id, func.count(Article.id))
        .where(*conditions)
        .group_by(month, Article.language, Article.source_id)
    )
    by_language_source: Counter[tuple[str, int]] = Counter()
    by_month: Counter[str] = Counter()
    for month_key, language, source_id, n in session.execute(stmt):
        by_language_source[str(language), source_id] += n
        if source_id in sources.names:
            by_month[str(month_key)] += n
    return _Counts(by_language_source.total(), by_language_source, by_month)


def _counts_from_indexes(
    session: Session, conditions: list[ColumnElement[bool]], sources: _SourceKeys
) -> _Counts | None:
    """The counts of a selection by filters alone, from the covering indexes of migration
    0011: (page_kind, language, source_id, published) streams the GROUP BY in index order,
    (page_kind, published, language, source_id) counts each month as a range (their partial
    twins count the articles with a bio, in facets). None (count in one pass instead) when a
    selected article has no source row (the month ranges do not join the sources) or when
    the dates span more months than ranges are worth."""
    grouped = (
        select(Article.language, Article.source_id, func.count(Article.id))
        .where(*conditions)
        .group_by(Article.language, Article.source_id)
    )
    by_language_source: Counter[tuple[str, int]] = Counter()
    for language, source_id, n in session.execute(grouped):
        if source_id not in sources.names:
            return None
        by_language_source[str(language), source_id] += n
    months = _months_by_range(session, conditions)
    if months is None:
        return None
    return _Counts(by_language_source.total(), by_language_source, months)


def _months_by_range(
    session: Session, conditions: list[ColumnElement[bool]]
) -> Counter[str] | None:
    """Articles per month "YYYY-MM" (and "unknown"): a range count for each month from the
    first date selected to the last, in one statement over a VALUES list of the months; None
    past MAX_MONTH_RANGES months. The month strftime('%Y-%m') gives a date is the range
    holding it: SQLite stores naive UTC text, which compares as the dates do."""
    published, count = Article.published, func.count(Article.id)
    first, last, undated = session.execute(
        select(
            select(func.min(published)).where(*conditions).scalar_subquery(),
            select(func.max(published)).where(*conditions).scalar_subquery(),
            select(count).where(*conditions, published.is_(None)).scalar_subquery(),
        )
    ).one()
    months: Counter[str] = Counter()
    if undated:
        months[UNKNOWN_MONTH] = undated
    if first is None or last is None:
        return months
    bounds = _month_bounds(first, last)
    if bounds is None or len(bounds) > MAX_MONTH_RANGES:
        return None
    spans = (
        values(column("start", UTCDateTime()), column("stop", UTCDateTime()), name="months")
        .data(list(pairwise(bounds)))
        .cte("months")
    )
    # The month's bounds first: of two bounds on one side (the month's, a since or until
    # filter's), SQLite seeks with the first one written.
    in_month = (
        select(count)
        .where(published >= spans.c.start, published < spans.c.stop, *conditions)
        .scalar_subquery()
    )
    for start, n in session.execute(select(spans.c.start, in_month)):
        if n:
            months[f"{start.year:04d}-{start.month:02d}"] = n  # as strftime('%Y-%m'): 0999-05
    return months


def _month_bounds(first: datetime, last: datetime) -> list[datetime] | None:
    """The first instants (UTC) of first's month to the month after last's; None past 9999."""
    first, last = first.astimezone(UTC), last.astimezone(UTC)
    if (last.year, last.month) == (9999, 12):
        return None
    year, month = first.year, first.month
    bounds = [datetime(year, month, 1, tzinfo=UTC)]
    while (year, month) <= (last.year, last.month):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        bounds.append(datetime(year, month, 1, tzinfo=UTC))
    return bounds


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
        cluster=cluster_of(session, article_id) if article.in_story else [],
        has_raw_page=session.scalar(
            select(RawPage.id).where(RawPage.article_id == article_id).limit(1)
        )
        is not None,
    )


def _other_articles(session: Session, article: Article) -> list[tuple[int, str, datetime | None]]:
    if article.author_id is None:
        return []
    stmt = (
        select(Article.id, Article.title, Article.published, Article.published_utc_offset)
        .where(Article.author_id == article.author_id, Article.id != article.id)
        .order_by(*NEWEST_FIRST)
        .limit(OTHER_ARTICLES)
    )
    return [(int(i), str(t), publisher_time(p, o)) for i, t, p, o in session.execute(stmt)]


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
