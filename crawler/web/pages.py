"""The HTML pages: search with facets, one article, sources, runs and charts.

Server-rendered and complete without JavaScript; static/enhance.js only saves clicks.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from crawler.web import charts
from crawler.web.params import DEFAULT_LIMIT, Query, read_query
from crawler.web.reads import read_search
from storage.browse import article_view, monthly, raw_download
from storage.health import source_health
from storage.models import Source
from storage.queries import UNKNOWN_MONTH, list_runs

if TYPE_CHECKING:
    from crawler.web.app import Site

FACET_VALUES: Final = 12  # values shown per facet (the most articles first)
RUNS_SHOWN: Final = 100


@dataclass(frozen=True)
class FacetValue:
    label: str
    count: int
    link: str
    active: bool


def routes(site: Site) -> list[Route]:
    def search_page(request: Request) -> Response:
        query = request_query(request)
        found, counts = read_search(site.at_once, query, with_facets=True)
        context = {"query": query, "results": found, "facets": _facet_groups(query, counts),
                   "page": query.offset // query.limit + 1}  # fmt: skip
        return site.render(request, "search.html", context)

    def article_page(request: Request) -> Response:
        with site.sessions() as session:
            view = article_view(session, article_id_of(request))
            if view is None:
                raise HTTPException(404, "no article with this id in the corpus")
            return site.render(request, "article.html", {"view": view, "a": view.article})

    def raw_page(request: Request) -> Response:
        article_id = article_id_of(request)
        with site.sessions() as session:
            raw = raw_download(session, article_id)
        if raw is None:
            raise HTTPException(404, "no raw page was kept for this article")
        # Never rendered on our origin: downloaded, and sandboxed should a browser try.
        headers = {
            "content-disposition": f'attachment; filename="sankofa-article-{article_id}.html"',
            "content-security-policy": "sandbox",
            "x-sankofa-original-content-type": raw.content_type.encode("latin-1", "replace").decode(
                "latin-1"
            ),
        }
        return Response(raw.body, media_type="application/octet-stream", headers=headers)

    def sources_page(request: Request) -> Response:
        with site.sessions() as session:
            health = {h.source: h for h in source_health(session)}
            rows = list(session.query(Source).order_by(Source.name))
            return site.render(request, "sources.html", {"sources": rows, "health": health})

    def runs_page(request: Request) -> Response:
        with site.sessions() as session:
            runs = list_runs(session, RUNS_SHOWN)
            return site.render(request, "runs.html", {"runs": runs})

    def charts_page(request: Request) -> Response:
        query = request_query(request)
        by_language, by_source = site.at_once(
            partial(monthly, key="language", flt=query.flt),
            partial(monthly, key="source", flt=query.flt),
        )
        context = {"query": query, "charts": [
            charts.stacked_bars("Articles per month, by language", by_language),
            charts.stacked_bars("Articles per month, by source", by_source),
        ]}  # fmt: skip
        return site.render(request, "charts.html", context)

    return [
        Route("/", search_page, name="search"),
        Route("/articles/{article_id}", article_page, name="article"),
        Route("/articles/{article_id}/raw", raw_page, name="raw"),
        Route("/sources", sources_page, name="sources"),
        Route("/runs", runs_page, name="runs"),
        Route("/charts", charts_page, name="charts"),
    ]


def request_query(request: Request, *, default_limit: int = DEFAULT_LIMIT) -> Query:
    """The Query of a request's query string (raises BadRequest)."""
    return read_query(*_params(request), default_limit=default_limit)


def _params(request: Request) -> tuple[dict[str, str], dict[str, list[str]]]:
    items = request.query_params.multi_items()
    lists: dict[str, list[str]] = {}
    for key, value in items:
        lists.setdefault(key, []).append(value)
    return {key: values[0] for key, values in lists.items()}, lists


def article_id_of(request: Request) -> int:
    text = str(request.path_params["article_id"])
    if not text.isdigit() or len(text) > 18:
        raise HTTPException(404, "no article with this id in the corpus")
    return int(text)


def _facet_groups(query: Query, counts: Any) -> list[tuple[str, list[FacetValue]]]:
    def values(name: str, pairs: list[tuple[str, int]]) -> list[FacetValue]:
        shown = pairs[:FACET_VALUES]
        return [FacetValue(v, n, query.toggled(name, v), query.has(name, v)) for v, n in shown]

    bio = [FacetValue("with a bio", counts.with_bio, query.toggled("has_bio", "1"),
                      query.has("has_bio", "1"))]  # fmt: skip
    return [
        ("Language", values("lang", counts.by_language)),
        ("Source", values("source", counts.by_source)),
        ("Country", values("country", counts.by_country)),
        ("Month", _months(query, counts.by_month)),
        ("Author", bio),
    ]


def _months(query: Query, pairs: list[tuple[str, int]]) -> list[FacetValue]:
    """Newest months first; a month's link narrows since/until to it."""
    dated = [(m, n) for m, n in pairs if m != UNKNOWN_MONTH][::-1][:FACET_VALUES]
    shown = []
    for month, count in dated:
        since, until = charts.month_bounds(month)
        active = query.has("since", since) and query.has("until", until)
        link = (
            query.link(since=None, until=None, page=None)
            if active
            else query.link(since=since, until=until, page=None)
        )
        shown.append(FacetValue(month, count, link, active))
    return shown
