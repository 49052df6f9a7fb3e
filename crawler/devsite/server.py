"""Serve a folder of static pages on 127.0.0.1: the offline demo site and test sites.

Conventions of a site folder:

* Answers carry ETag and Last-Modified; a matching If-None-Match gets 304 Not Modified.
* ``/a/b/`` serves ``a/b/index.html``; ``/feed.xml`` serves ``feed.xml``; ``/`` serves
  ``index.html``. Anything else is a 404.
* ``{{BASE}}`` in a text file is replaced by the server's base URL (``http://127.0.0.1:PORT``),
  so feeds, sitemaps and canonical links can be absolute.
* ``_routes.toml`` (optional) overrides single paths::

      [[route]]
      path = "/broken/"          # the request path, query string included if any
      status = 500               # answer with this status (body: file or empty)
      file = "page.html"         # serve this file instead of the path mapping
      content_type = "text/html; charset=iso-8859-1"
      raw = true                 # send the file's bytes as they are (no {{BASE}}, no re-encoding)
      redirect = "/other/"       # 301 to this path
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import sys
import threading
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}


@dataclass
class Site:
    """A running local site: its base URL and the paths it was asked for."""

    base_url: str
    requests: list[str] = field(default_factory=list)
    not_modified: int = 0  # conditional GETs answered 304
    user_agents: set[str] = field(default_factory=set)


def _load_routes(root: Path) -> dict[str, dict[str, Any]]:
    routes_file = root / "_routes.toml"
    if not routes_file.exists():
        return {}
    routes = tomllib.loads(routes_file.read_text(encoding="utf-8")).get("route", [])
    return {route["path"]: route for route in routes}


def _file_for(root: Path, path: str) -> Path:
    relative = path.split("?", 1)[0].lstrip("/")
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    candidate = (root / relative).resolve()
    if root.resolve() not in candidate.parents:
        return root / "__missing__"
    return candidate


def _validators(target: Path, body: bytes) -> dict[str, str]:
    """ETag and Last-Modified, so crawlers can make conditional GETs as on a real server."""
    modified = formatdate(target.stat().st_mtime, usegmt=True)
    return {"ETag": f'"{hashlib.sha1(body).hexdigest()[:16]}"', "Last-Modified": modified}


def _make_handler(root: Path, site: Site) -> type[BaseHTTPRequestHandler]:
    routes = _load_routes(root)

    class Handler(BaseHTTPRequestHandler):
        # Keep-alive, as the sites a crawl visits speak it: over HTTP/1.0 every page cost a
        # TCP connection and a server thread, CPU that a crawl on this machine then lacked.
        protocol_version = "HTTP/1.1"
        timeout = 30  # an idle connection is closed, as real servers do, and its thread ends

        def do_GET(self) -> None:
            site.requests.append(self.path)
            site.user_agents.add(self.headers.get("User-Agent", ""))
            route = routes.get(self.path, {})
            if "redirect" in route:
                self._send(301, b"", "text/plain", {"Location": site.base_url + route["redirect"]})
                return
            target = root / route["file"] if "file" in route else _file_for(root, self.path)
            if not target.is_file():
                self._send(route.get("status", 404), b"not found", "text/plain")
                return
            body = target.read_bytes()
            if not route.get("raw"):
                body = body.replace(b"{{BASE}}", site.base_url.encode())
            content_type = route.get("content_type") or _TYPES.get(target.suffix, "text/plain")
            validators = _validators(target, body)
            if self.headers.get("If-None-Match") == validators["ETag"]:
                site.not_modified += 1
                self._send(304, b"", content_type, validators)
                return
            self._send(route.get("status", 200), body, content_type, validators)

        def _send(
            self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Stay quiet: the crawl's own progress is what the user watches."""

    return Handler


class SiteServer(ThreadingHTTPServer):
    # The standard library listens with a backlog of 5: a crawl opening 16 connections at
    # once overflows it, the kernel drops the extra SYNs and the client resends them a
    # second later, so the site, not the crawl, set the pace.
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up on a kept-alive connection, or a connection the stopped site
        # cut, is how connections end: not worth a traceback. Anything else still gets one.
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)

    def close_connections(self) -> None:
        """End the kept-alive connections: a stopped site answers nobody, pooled or not."""
        with self._open_lock:
            still_open = list(self._open)
        for connection in still_open:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


@contextmanager
def serve(root: Path, port: int = 0) -> Iterator[Site]:
    """Serve ``root`` on 127.0.0.1 (a free port by default) for the duration of the block."""
    site = Site(base_url="")
    server = SiteServer(("127.0.0.1", port), _make_handler(root, site))
    site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        server.close_connections()
