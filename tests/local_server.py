"""One way to serve a test site on 127.0.0.1, for the sites written as request handlers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any

from crawler.devsite.server import SiteServer


class QuietServer(SiteServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A crawler hanging up (on a bomb, a tar pit, a timeout) is no error of the site."""


@contextmanager
def serve_handler(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on a free port of 127.0.0.1 for the block; yields the base URL."""
    server = QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class SiteHandler(BaseHTTPRequestHandler):
    """A request handler for a test site: one way to answer, and no log lines."""

    def _send(
        self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a test reads the crawl's summary, not the server's log."""


def free_port() -> int:
    """A port of 127.0.0.1 that was free when asked (closed again, for a server to take)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
