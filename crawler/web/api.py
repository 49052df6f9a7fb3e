"""The JSON API under /api/: search, article, authors, sources, runs and stats, with the
CLI's filters, cursor paging and an OpenAPI document. Errors are {"error": {status, message}}.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from crawler.web.openapi import openapi_document
from crawler.web.pages import article_id_of, request_query
from crawler.web.params import make_cursor
from crawler.web.reads import Results, query_facets, read_search
from crawler.web.textsafety import day
from storage.authors import list_authors
from storage.browse import ArticleView, Facets, article_view
from storage.export.rows import article_to_dict
from storage.health import source_health
from storage.models import CrawlRun, Source
from storage.queries import list_runs
from storage.search.api import SearchHit

if TYPE_CHECKING:
    from crawler.web.app import Site

MAX_LISTED: Final = 10_000  # authors and runs pages reach this deep


def routes(site: Site) -> list[Route]:
    def search_endpoint(request: Request) -> Response:
        query = request_query(request)
        want_facets = request.query_params.get("facets", "") in ("1", "true", "yes")
        found, counts = read_search(site.at_once, query, with_facets=want_facets)
        document: dict[str, Any] = {"query": query.text, "sort": query.sort,
                                    **_page(found, [hit_dict(h) for h in found.hits])}  # fmt: skip
        if counts is not None:
            document["facets"] = facets_dict(counts)
        return _json(document)

    def article_endpoint(request: Request) -> Response:
        with site.sessions() as session:
            view = article_view(session, article_id_of(request))
            if view is None:
                raise HTTPException(404, "no article with this id in the corpus")
            return _json(article_dict(view))

    def authors_endpoint(request: Request) -> Response:
        query = request_query(request)
        with site.sessions() as session:
            rows = list_authors(session, query.flt.sources, limit=_deep(query.offset, query.limit))
        found = rows[query.offset : query.offset + query.limit]
        more = len(rows) > query.offset + query.limit
        return _json(_listed([a.as_dict() for a in found], query.offset, more))

    def sources_endpoint(_request: Request) -> Response:
        with site.sessions() as session:
            health = {h.source: h.as_dict() for h in source_health(session)}
            rows = list(session.query(Source).order_by(Source.name))
            return _json({"results": [_source_dict(s, health.get(s.name)) for s in rows]})

    def runs_endpoint(request: Request) -> Response:
        query = request_query(request)
        with site.sessions() as session:
            rows = list_runs(session, _deep(query.offset, query.limit))
            found = [_run_dict(r) for r in rows[query.offset : query.offset + query.limit]]
        return _json(_listed(found, query.offset, len(rows) > query.offset + query.limit))

    def stats_endpoint(request: Request) -> Response:
        query = request_query(request)
        with site.sessions() as session:
            return _json(facets_dict(query_facets(session, query)))

    def openapi_endpoint(request: Request) -> Response:
        return _json(openapi_document(str(request.base_url).rstrip("/")))

    handlers: dict[str, Callable[[Request], Response]] = {
        "/api/search": search_endpoint,
        "/api/articles/{article_id}": article_endpoint,
        "/api/authors": authors_endpoint,
        "/api/sources": sources_endpoint,
        "/api/runs": runs_endpoint,
        "/api/stats": stats_endpoint,
        "/api/openapi.json": openapi_endpoint,
    }
    return [Route(path, handler) for path, handler in handlers.items()]


def _json(document: Any) -> Response:
    return JSONResponse(document)


def _deep(offset: int, limit: int) -> int:
    if offset + limit > MAX_LISTED:
        raise HTTPException(400, f"cursor: pages reach {MAX_LISTED} rows deep; filter instead")
    return offset + limit + 1


def _page(found: Results, rows: list[dict[str, Any]]) -> dict[str, Any]:
    following = found.next_offset
    return {"total": found.total, "results": rows,
            "next_cursor": None if following is None else make_cursor(following)}  # fmt: skip


def _listed(rows: list[dict[str, Any]], offset: int, more: bool) -> dict[str, Any]:
    return {"results": rows, "next_cursor": make_cursor(offset + len(rows)) if more else None}


def hit_dict(hit: SearchHit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "title": hit.title,
        "source": hit.source,
        "language": hit.language,
        "published": hit.published.isoformat() if hit.published else None,
        "url": hit.url,
        "score": None if hit.score is None else round(hit.score, 4),
        "snippet": hit.snippet.text,
        "highlights": [list(span) for span in hit.snippet.highlights],
        "cluster_id": hit.cluster_id,
        "cluster_size": hit.cluster_size,
    }


def facets_dict(counts: Facets) -> dict[str, Any]:
    return {
        "total": counts.total,
        "by_language": dict(counts.by_language),
        "by_source": dict(counts.by_source),
        "by_country": dict(counts.by_country),
        "by_month": dict(counts.by_month),
        "with_bio": counts.with_bio,
    }


def article_dict(view: ArticleView) -> dict[str, Any]:
    record = article_to_dict(
        view.article, view.source.name, view.source.country, cluster_size=len(view.cluster) or 1
    )
    author = view.author
    record["author_record"] = None if author is None else {
        "name": author.name, "bio": author.bio, "profile_url": author.profile_url,
        "other_articles": [{"id": i, "title": t, "published": day(p) or None}
                           for i, t, p in view.other_articles],
    }  # fmt: skip
    record["cluster"] = [
        {"id": m.id, "source": m.source, "title": m.title, "published": day(m.published) or None,
         "near_duplicate_of": m.near_duplicate_of, "exact_duplicate_of": m.exact_duplicate_of}
        for m in view.cluster
    ]  # fmt: skip
    record["revisions"] = [
        {**asdict(r), **{k: (v.isoformat() if v else None) for k, v in asdict(r).items()
                         if k in ("fetched_at", "replaced_at", "modified")}}
        for r in view.revisions
    ]  # fmt: skip
    record["raw_page"] = f"/articles/{view.article.id}/raw" if view.has_raw_page else None
    return record


def _source_dict(source: Source, health: dict[str, object] | None) -> dict[str, Any]:
    return {
        "name": source.name,
        "url": source.url,
        "country": source.country,
        "region": source.region,
        "languages": list(source.languages or []),
        "last_success": source.last_success_at.isoformat() if source.last_success_at else None,
        "health": health,
    }


def _run_dict(run: CrawlRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "status": run.status,
        "sources": list(run.sources or []),
        "pages_fetched": run.pages_fetched,
        "articles_new": run.articles_new,
        "articles_updated": run.articles_updated,
        "articles_unchanged": run.articles_unchanged,
        "failures": dict(run.failures or {}),
        "skipped": dict(run.skipped or {}),
    }
