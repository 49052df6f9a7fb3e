"""The OpenAPI 3.1 document of /api/ (served at /api/openapi.json), written from the same
parameter list the handlers read (crawler.web.params)."""

from __future__ import annotations

from typing import Any, Final

_FILTERS: Final = [
    ("q", "string", 'search query: words (AND), OR, NOT, "phrases", prefix*; empty: newest'),
    ("lang", "array", "ISO 639-1 language code (repeatable)"),
    ("source", "array", "source name (repeatable)"),
    ("country", "array", "ISO 3166-1 alpha-2 country of the source (repeatable)"),
    ("author", "array", "author name, any byline name, ignoring case (repeatable)"),
    ("since", "string", "published on or after (YYYY-MM-DD or ISO 8601, UTC)"),
    ("until", "string", "published before (YYYY-MM-DD or ISO 8601, UTC)"),
    ("has_bio", "boolean", "only articles with an author bio"),
    ("include_doubtful", "boolean", "also pages the classifier took for another kind of page"),
    ("sort", "string", "relevance (default with q) or date (newest first)"),
    ("collapse", "boolean", "one article per story cluster"),
]
_PAGING: Final = [
    ("limit", "integer", "results per page, 1-200 (default 20)"),
    ("cursor", "string", "next_cursor of the previous page"),
]
_OBJECT: Final = {"application/json": {"schema": {"type": "object"}}}
_ERROR: Final = {
    "description": "a parameter that cannot be read, or no such object",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _parameter(name: str, kind: str, description: str) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": kind}
    if kind == "array":
        schema = {"type": "array", "items": {"type": "string"}}
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema, "explode": True}  # fmt: skip


def _get(summary: str, params: list[tuple[str, str, str]], path_id: bool = False) -> dict[str, Any]:
    parameters = [_parameter(*p) for p in params]
    if path_id:
        parameters.insert(0, {"name": "article_id", "in": "path", "required": True,
                              "schema": {"type": "integer"}})  # fmt: skip
    return {"get": {
        "summary": summary,
        "parameters": parameters,
        "responses": {
            "200": {"description": "OK", "content": _OBJECT},
            "400": _ERROR,
            "404": _ERROR,
        },
    }}  # fmt: skip


def openapi_document(server: str) -> dict[str, Any]:
    facets = ("facets", "boolean", "also counts by language, source, country, month and bio")
    return {
        "openapi": "3.1.0",
        "info": {"title": "Sankofa corpus API", "version": "1",
                 "description": "Read-only access to the articles Sankofa collected."},
        "servers": [{"url": server}],
        "paths": {
            "/api/search": _get(
                "Articles matching a query and filters", [*_FILTERS, *_PAGING, facets]
            ),
            "/api/articles/{article_id}": _get(
                "One article with its author, cluster and revisions", [], path_id=True
            ),
            "/api/authors": _get("Authors with their article counts", [_FILTERS[2], *_PAGING]),
            "/api/sources": _get("Sources with their health", []),
            "/api/runs": _get("Crawl runs, newest first", _PAGING),
            "/api/stats": _get("Counts by language, source, country, month and bio", _FILTERS),
        },
        "components": {"schemas": {"Error": {
            "type": "object",
            "properties": {"error": {"type": "object", "properties": {
                "status": {"type": "integer"}, "message": {"type": "string"}}}},
        }}},
    }  # fmt: skip
