"""Full-text search: a parsed query (storage.search.syntax) turned into SQL, ranked, with snippets.

SQLite (migration 0004) keeps two FTS5 indexes: `articles_fts` (unicode61) for scripts that
put spaces between words, and `articles_fts_cjk` (trigram) for Chinese, Japanese, Thai, Lao,
Khmer and Myanmar; see storage.search.sqlite. PostgreSQL matches a weighted 'simple'
tsvector (GIN-indexed) and unspaced-script terms with ILIKE; see storage.search.postgres. How a
query tree is split between indexes and combined is storage.search.plan. The query text only
ever reaches SQL as bound parameters; table names and operators are constants.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Final

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from storage.duplicates import CLUSTER_SIZE
from storage.models import Article, Source, publisher_time
from storage.queries import ALL_ARTICLES, ArticleFilter, Stats, filter_conditions, stats
from storage.search.plan import SearchBackend, SortOrder
from storage.search.snippets import Snippet, make_snippet
from storage.search.syntax import Node, Term, parse_query, positive_terms

SEARCH_TABLE_PREFIX: Final = "articles_fts"
PG_INDEX: Final = "ix_articles_search_vector"
PG_COLUMN: Final = "search_vector"  # PostgreSQL only (migration 0014), so no model has it
SORT_ORDERS: Final = ("relevance", "date")


@dataclass(frozen=True)
class SearchHit:
    id: int
    title: str
    source: str
    language: str
    published: datetime | None  # in the publisher's UTC offset when the page gave one
    url: str
    score: float | None  # higher is better; None when sorted by date or unranked
    snippet: Snippet
    cluster_id: int | None = None  # the story cluster (storage.duplicates)
    cluster_size: int = 1  # articles in the cluster, this one included


def is_search_object(name: str | None) -> bool:
    """True for the FTS tables, their shadow tables, PostgreSQL's GIN index (on migration
    0013's expression) and its ranking-vector column (0014): no model describes them."""
    return name is not None and (
        name.startswith(SEARCH_TABLE_PREFIX) or name in (PG_INDEX, PG_COLUMN)
    )


def include_in_autogenerate(
    _object: object, name: str | None, _type: str, _reflected: bool, _compare_to: object
) -> bool:
    """Alembic's include_object: leave the search objects out of autogenerate and drift checks."""
    return not is_search_object(name)


def search(
    session: Session,
    query: str | Node,
    flt: ArticleFilter = ALL_ARTICLES,
    *,
    sort: SortOrder = "relevance",
    limit: int = 20,
    offset: int = 0,
    collapse: bool = False,
) -> list[SearchHit]:
    """The best `limit` matches of `query` among the articles `flt` selects; with
    `collapse`, one per story cluster (its earliest matching article).

    Raises storage.search.syntax.SearchSyntaxError for a query that cannot be parsed.
    """
    tree = parse_query(query) if isinstance(query, str) else query
    backend = _backend(session)
    conditions = _conditions(session, tree, flt, collapse)
    stmt = backend.ranked(tree, sort, conditions).limit(limit).offset(offset)
    ranked = [(int(row[0]), row[1]) for row in session.execute(stmt)]
    return _hits(session, ranked, positive_terms(tree), backend.score_sign)


def count_matches(
    session: Session,
    query: str | Node,
    flt: ArticleFilter = ALL_ARTICLES,
    *,
    collapse: bool = False,
) -> int:
    """How many articles match (with `collapse`: how many story clusters)."""
    tree = parse_query(query) if isinstance(query, str) else query
    conditions = _conditions(session, tree, flt, collapse)
    return int(session.scalar(_backend(session).count(tree, conditions)) or 0)


def _conditions(
    session: Session, tree: Node, flt: ArticleFilter, collapse: bool
) -> list[ColumnElement[bool]]:
    if not collapse:
        return filter_conditions(flt)
    # The cluster's kept article must be one that matches: the match joins the grouping, as
    # a filter on the members of stories (a partial index finds those), not their source.
    collapsed = replace(flt, dedupe="near", keep="earliest")
    return filter_conditions(collapsed, [match_condition(session, tree, driving=False)])


def search_facets(session: Session, query: str | Node, flt: ArticleFilter = ALL_ARTICLES) -> Stats:
    """Counts of the matches by source, language and month (as `stats` of the whole corpus)."""
    return stats(session, flt, where=[match_condition(session, query)])


def match_condition(
    session: Session, query: str | Node, *, driving: bool = True
) -> ColumnElement[bool]:
    """A WHERE condition on Article selecting the matches of `query`, for other selects.
    `driving=False` when another condition finds fewer rows: the full-text index then
    only checks them (SQLite would otherwise loop over every match)."""
    tree = parse_query(query) if isinstance(query, str) else query
    return _backend(session, driving=driving).condition(tree)


def _backend(session: Session, *, driving: bool = True) -> SearchBackend:
    if session.get_bind().dialect.name == "postgresql":
        from storage.search.postgres import PostgresSearch

        return PostgresSearch(session, driving=driving)
    from storage.search.sqlite import SqliteSearch

    return SqliteSearch(session, driving=driving)


def _hits(
    session: Session, ranked: Sequence[tuple[int, Any]], terms: list[Term], sign: float
) -> list[SearchHit]:
    if not ranked:
        return []
    columns = (Article.id, Article.title, Article.text, Article.author_bio, Source.name,
               Article.language, Article.published, Article.published_utc_offset, Article.url,
               Article.cluster_id, CLUSTER_SIZE)  # fmt: skip
    stmt = select(*columns).join(Source, Article.source_id == Source.id)
    found = session.execute(stmt.where(Article.id.in_([i for i, _ in ranked])))
    rows = {row.id: row for row in found}
    return [_hit(rows[i], score, terms, sign) for i, score in ranked if i in rows]


def _hit(row: Any, score: Any, terms: list[Term], sign: float) -> SearchHit:
    snippet = make_snippet((row.text, row.title, row.author_bio), terms)
    return search_hit(row, snippet, None if score is None else sign * float(score))


def search_hit(row: Any, snippet: Snippet, score: float | None) -> SearchHit:
    """A hit from a row of id, title, source name, language, published (and its UTC offset),
    url and cluster. The hit's published is in the publisher's offset: its day is the
    page's own."""
    return SearchHit(
        id=row.id,
        title=row.title,
        source=row.name,
        language=row.language,
        published=publisher_time(row.published, row.published_utc_offset),
        url=row.url,
        score=score,
        snippet=snippet,
        cluster_id=row.cluster_id,
        cluster_size=row.cluster_size,
    )
