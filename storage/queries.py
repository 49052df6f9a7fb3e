"""The read side: article filters, corpus statistics and crawl runs.

Statistics are GROUP BY queries, so they cost the same on a hundred articles or a million.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Final, Literal

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    cast,
    func,
    not_,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from storage.models import Article, CrawlRun, Source

UNKNOWN_MONTH = "unknown"
Dedupe = Literal["near", "exact"]
Keep = Literal["earliest", "longest"]
DEDUPE_CHOICES: Final = ("near", "exact", "none")
KEEP_CHOICES: Final = ("earliest", "longest")
ARTICLE_KIND: Final = "article"  # page_kind of pages the classifier took for articles
# Articles with a near-duplicate: rendered as the partial index on them states it (migration
# 0012), since SQLite uses a partial index only for a query stating its condition alike.
IN_A_STORY: Final = Article.in_story


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles to read; empty tuples mean "all". since <= published < until.

    Several values of one field are alternatives (OR); the fields combine with AND.
    countries are the sources' ISO 3166 codes; an author matches any name in an article's
    byline, ignoring case (ASCII case only on SQLite); has_bio keeps articles with a bio.
    Pages the classifier doubted (page_kind other than "article") count only with
    include_doubtful.
    """

    sources: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    countries: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    has_bio: bool = False
    include_doubtful: bool = False  # also pages kept but classified as another kind of page
    # One article per story cluster ("near") or per identical body ("exact"), among those
    # the other filters select: the earliest published, or the longest body.
    dedupe: Dedupe | None = None
    keep: Keep = "earliest"

    def describe(self) -> dict[str, object]:
        """The filters that are set, JSON-ready (for data cards and logs)."""
        described: dict[str, object] = {}
        for name, value in vars(self).items():
            if name == "keep" and self.dedupe is None:
                continue
            if isinstance(value, datetime):
                described[name] = value.isoformat()
            elif value:
                described[name] = list(value) if isinstance(value, tuple) else value
        return described


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


def filter_conditions(
    flt: ArticleFilter, where: Sequence[ColumnElement[bool]] = ()
) -> list[ColumnElement[bool]]:
    """WHERE conditions on Article for `flt` and the extra conditions `where` (e.g. a
    search match), to combine with other selects. A dedupe keeps one article per group
    among the articles all the other conditions select."""
    conditions = [*_plain_conditions(flt), *where]
    if flt.dedupe is not None:
        conditions.append(_one_per_group(flt.dedupe, flt.keep, conditions))
    return conditions


def _one_per_group(
    dedupe: Dedupe, keep: Keep, conditions: list[ColumnElement[bool]]
) -> ColumnElement[bool]:
    # Articles stored before the duplicate index have no cluster or hash yet: each is its
    # own group until `sankofa duplicates --recluster` (coalesce with a unique value).
    earliest = (Article.published.is_(None), Article.published, Article.canonical_url)
    order = (func.length(Article.text).desc(), *earliest) if keep == "longest" else earliest
    if dedupe == "near":
        # An article alone in its story (nearly all of them) is kept without ranking: only
        # the members of stories, found by a partial index, go through the window function.
        group: ColumnElement[Any] = func.coalesce(Article.cluster_id, -Article.id)
        rank = func.row_number().over(partition_by=group, order_by=order)
        members = select(Article.id, rank.label("rank")).where(*conditions, IN_A_STORY).subquery()
        kept = select(members.c.id).where(members.c.rank == 1)
        return or_(not_(IN_A_STORY), Article.id.in_(kept))
    group = func.coalesce(Article.body_hash, "id:" + cast(Article.id, String))
    rank = func.row_number().over(partition_by=group, order_by=order)
    ranked = select(Article.id, rank.label("rank")).where(*conditions).subquery()
    return Article.id.in_(select(ranked.c.id).where(ranked.c.rank == 1))


def _plain_conditions(flt: ArticleFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if not flt.include_doubtful:
        conditions.append(Article.page_kind == ARTICLE_KIND)
    if flt.sources:
        source_ids = select(Source.id).where(Source.name.in_(flt.sources))
        conditions.append(Article.source_id.in_(source_ids))
    if flt.languages:
        conditions.append(Article.language.in_(flt.languages))
    if flt.since is not None:
        conditions.append(Article.published >= flt.since)
    if flt.until is not None:
        conditions.append(Article.published < flt.until)
    if flt.countries:
        in_countries = select(Source.id).where(func.upper(Source.country).in_(flt.countries))
        conditions.append(Article.source_id.in_(in_countries))
    if flt.authors:
        conditions.append(_has_author(flt.authors))
    if flt.has_bio:
        conditions.append(Article.author_bio != "")
    return conditions


def _has_author(names: tuple[str, ...]) -> ColumnElement[bool]:
    """Any name of the article's `authors` list equals one of `names`, ignoring case."""
    wanted = [name.lower() for name in names]
    byline = json_array_items(Article.authors).table_valued("value")
    return (
        select(byline.c.value)
        .where(func.lower(byline.c.value).in_(wanted))
        .correlate(Article)
        .exists()
    )


class json_array_items(FunctionElement[Any]):
    """The elements of a JSON array as rows with one text column, "value"."""

    inherit_cache = True
    name = "json_array_items"


@compiles(json_array_items)
def _json_each(element: json_array_items, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_each({compiler.process(element.clauses, **kw)})"


@compiles(json_array_items, "postgresql")
def _json_array_elements(element: json_array_items, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_array_elements_text({compiler.process(element.clauses, **kw)})"


def doubtful_count(session: Session, flt: ArticleFilter) -> int:
    """How many stored pages ``flt`` leaves out because the classifier doubted them."""
    if flt.include_doubtful:
        return 0
    conditions = filter_conditions(replace(flt, include_doubtful=True))
    doubtful = Article.page_kind != ARTICLE_KIND
    return session.scalar(select(func.count(Article.id)).where(*conditions, doubtful)) or 0


def stats(
    session: Session,
    flt: ArticleFilter = ALL_ARTICLES,
    where: Sequence[ColumnElement[bool]] = (),
) -> Stats:
    """Article counts in total and per source, language and month of publication.

    `where` adds conditions on Article, e.g. storage.search.api.match_condition for facets.
    """
    conditions = filter_conditions(flt, where)
    total = session.scalar(select(func.count(Article.id)).where(*conditions)) or 0
    month = month_of_published(session)
    return Stats(
        total=total,
        by_source=count_by(session, Source.name, conditions),
        by_language=count_by(session, Article.language, conditions),
        # "YYYY-MM" sorts chronologically, and "unknown" after every digit.
        by_month=count_by(session, month, conditions, chronological=True),
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


def language_codes(session: Session) -> list[str]:
    """The languages of the stored articles (an index scan, not a table scan)."""
    stmt = select(Article.language).distinct().order_by(Article.language)
    return list(session.scalars(stmt))


def country_codes(session: Session) -> list[str]:
    """The countries of the declared sources, upper case."""
    stmt = select(func.upper(Source.country)).where(Source.country.is_not(None)).distinct()
    return sorted(session.scalars(stmt))


def count_by(
    session: Session,
    key: ColumnElement[Any] | QueryableAttribute[Any],
    conditions: list[ColumnElement[bool]],
    *,
    chronological: bool = False,
) -> list[tuple[str, int]]:
    """The selected articles (joined to their source) counted by `key`: most first, or in
    the key's order when `chronological`."""
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


def month_of_published(session: Session) -> ColumnElement[str]:
    """The month of an article's publication in UTC as "YYYY-MM", "unknown" when undated."""
    if session.get_bind().dialect.name == "postgresql":
        # timezone('UTC', ...) so the month is UTC's, not the session time zone's.
        month = func.to_char(func.timezone("UTC", Article.published), "YYYY-MM")
    else:
        # SQLite stores UTCDateTime as naive UTC text, which strftime reads as UTC.
        month = func.strftime("%Y-%m", Article.published)
    return func.coalesce(month, UNKNOWN_MONTH)
