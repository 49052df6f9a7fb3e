"""The ASGI application of `sankofa serve`: routes, templates and error handling.

Handlers are plain functions (Starlette runs them in its thread pool), each with its own
short read-only session, so a slow export never holds up a page and a crawl writing to the
same SQLite file never sees a lock it did not expect (WAL: readers never block the writer).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, asynccontextmanager
from pathlib import Path
from typing import Any, Final

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from crawler.web import api, downloads, feeds, pages
from crawler.web.guard import Guard
from crawler.web.params import BadRequest
from crawler.web.textsafety import register_filters
from storage.db import session_factory

PACKAGE: Final = Path(__file__).parent
READ_THREADS: Final = 8


class Site:
    """What every handler needs: sessions on the read-only engine and the templates."""

    def __init__(self, engine: Engine) -> None:
        self.sessions: Callable[[], AbstractContextManager[Session]] = session_factory(engine)
        # Below the engine's pool (5 + 10 overflow), and no task waits for another: a
        # handler waiting on these holds no connection itself, so none can starve.
        self._readers = ThreadPoolExecutor(READ_THREADS, thread_name_prefix="sankofa-read")
        environment = Environment(
            loader=FileSystemLoader(PACKAGE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        register_filters(environment)
        self.templates = Jinja2Templates(env=environment)

    def at_once(self, *reads: Callable[[Session], Any]) -> list[Any]:
        """Independent reads run together, each in its own session: a search page waits
        for its slowest query (matches, total, facets), not for their sum."""
        futures = [self._readers.submit(self._read, read) for read in reads]
        return [future.result() for future in futures]

    def close(self) -> None:
        self._readers.shutdown(wait=False, cancel_futures=True)

    def _read(self, read: Callable[[Session], Any]) -> Any:
        with self.sessions() as session:
            return read(session)

    def render(
        self, request: Request, name: str, context: dict[str, Any], status: int = 200
    ) -> Response:
        return self.templates.TemplateResponse(request, name, context, status_code=status)


def create_app(engine: Engine, *, token: str | None = None) -> Starlette:
    """The server over `engine` (open it with storage.db.open_read_only)."""
    site = Site(engine)
    routes = [
        *pages.routes(site),
        *feeds.routes(site),
        *downloads.routes(site),
        *api.routes(site),
        Mount("/static", StaticFiles(directory=PACKAGE / "static"), name="static"),
    ]

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        site.close()  # the reader threads end with the server

    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(Guard, token=token)],
        exception_handlers={
            BadRequest: _bad_request(site),
            HTTPException: _http_error(site),
            Exception: _server_error(site),
        },
    )
    app.state.site = site
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path.startswith("/feed.json")


def error_response(site: Site, request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": {"status": status, "message": message}}, status)
    return site.render(request, "error.html", {"status": status, "message": message}, status)


def _bad_request(site: Site) -> Callable[[Request, Exception], Response]:
    return lambda request, exc: error_response(site, request, 400, str(exc))


def _http_error(site: Site) -> Callable[[Request, Exception], Response]:
    def handle(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return error_response(site, request, exc.status_code, str(exc.detail))

    return handle


def _server_error(site: Site) -> Callable[[Request, Exception], Response]:
    def handle(request: Request, exc: Exception) -> Response:
        # One line in the server's log, none of the traceback to the client.
        import logging

        logging.getLogger("sankofa.serve").error(
            "%s %s failed: %s: %s", request.method, request.url.path, type(exc).__name__, exc
        )
        return error_response(site, request, 500, "the server failed on this request")

    return handle
