"""What the pages, the API and the feeds read for a Query: one place, so the three agree.

Every read goes through the storage library the CLI uses (search, browse, queries, health):
the server adds no SQL of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from crawler.web.params import Query
from storage.browse import Facets, count_selected, facets, newest
from storage.queries import ArticleFilter
from storage.search.api import SearchHit, count_matches, match_condition, search


@dataclass(frozen=True)
class Results:
    hits: list[SearchHit]
    total: int  # articles matching (story clusters, when collapsed)
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts; None on the last. A full page always has a next one:
        the total may come from an older snapshot than the hits (a crawl writing meanwhile),
        and a client paging through the API must not stop short of what was stored."""
        after = self.offset + len(self.hits)
        more = after < self.total or len(self.hits) == self.limit
        return after if self.hits and more else None


def results(session: Session, query: Query, *, newest_first: bool = False) -> Results:
    """The page of matches `query` asks for (newest first for feeds)."""
    hits = page_of_hits(session, query, newest_first=newest_first)
    return Results(hits, count_of_matches(session, query), query.offset, query.limit)


def page_of_hits(session: Session, query: Query, *, newest_first: bool = False) -> list[SearchHit]:
    """The hits of the page `query` asks for, without their total (see results)."""
    if query.tree is None:
        return newest(session, _selection(query), limit=query.limit, offset=query.offset)
    sort = "date" if newest_first else query.sort
    return search(session, query.tree, query.flt, sort=sort, limit=query.limit,
                  offset=query.offset, collapse=query.collapse)  # fmt: skip


def count_of_matches(session: Session, query: Query) -> int:
    """How many articles (story clusters, when collapsed) `query` matches in all."""
    if query.tree is None:
        return count_selected(session, _selection(query))
    return count_matches(session, query.tree, query.flt, collapse=query.collapse)


def _selection(query: Query) -> ArticleFilter:
    return replace(query.flt, dedupe="near") if query.collapse else query.flt


def read_search(
    at_once: Callable[..., list[Any]], query: Query, *, with_facets: bool
) -> tuple[Results, Facets | None]:
    """The page of matches, their total and (`with_facets`) their facets, read together by
    `at_once` (Site.at_once: each read on its own connection)."""
    reads: list[Callable[[Session], Any]] = [
        partial(page_of_hits, query=query),
        partial(count_of_matches, query=query),
    ]
    if with_facets:
        reads.append(partial(query_facets, query=query))
    hits, total, *counts = at_once(*reads)
    return Results(hits, total, query.offset, query.limit), (counts[0] if counts else None)


def query_facets(session: Session, query: Query) -> Facets:
    """Counts of the matches by language, source, country, month and bio."""
    where = [] if query.tree is None else [match_condition(session, query.tree)]
    return facets(session, query.flt, where)
