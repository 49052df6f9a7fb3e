"""`sankofa serve`: the corpus in a browser, as a JSON API and as news feeds (read-only)."""

from __future__ import annotations

import argparse
import ipaddress
import socket
import sys
from typing import Any, Final

from crawler.cli.common import UserError, add_command, add_db_option, db_url
from storage.db import open_read_only

DEFAULT_PORT: Final = 8000


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "serve",
        "browse and search the corpus in a browser; JSON API; Atom/RSS/JSON feeds",
        "sankofa serve                       # http://127.0.0.1:8000/\n"
        '  sankofa serve --host 0.0.0.0 --token "$(openssl rand -hex 16)"',
        description="Serve the corpus read-only: search with facets, articles, sources, runs, "
        "charts, /api/ (OpenAPI at /api/openapi.json), /feed.atom, /feed.rss, /feed.json and "
        "downloads of any search, on 127.0.0.1 unless told otherwise.",
    )
    add_db_option(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help="port (default 8000)")
    parser.add_argument(
        "--token",
        metavar="TOKEN",
        help="require this access token (Authorization: Bearer TOKEN, or ?token=TOKEN once "
        "in a browser); needed to listen beyond this machine unless --public",
    )
    parser.add_argument(
        "--public",
        action="store_true",
        help="allow listening beyond this machine without a token (anyone who can reach the "
        "port can read the corpus)",
    )
    parser.set_defaults(handler=serve_command)


def serve_command(args: argparse.Namespace) -> int:
    _check_exposure(args.host, args.token, args.public)
    engine = open_read_only(db_url(args))
    import uvicorn

    from crawler.web.app import create_app

    app = create_app(engine, token=args.token)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    sys.stderr.write(f"sankofa: serving {engine.url.render_as_string(hide_password=True)} "
                     f"read-only on http://{shown}:{args.port}/ (Ctrl-C stops)\n")  # fmt: skip
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    except OSError as error:
        raise UserError(f"cannot listen on {args.host}:{args.port}: {error.strerror or error}; "
                        "pick another --port") from None  # fmt: skip
    finally:
        engine.dispose()
    return 0


def _check_exposure(host: str, token: str | None, public: bool) -> None:
    if token is not None and len(token) < 12:
        raise UserError("--token is shorter than 12 characters; use e.g. $(openssl rand -hex 16)")
    if not _is_loopback(host) and token is None and not public:
        raise UserError(
            f"--host {host} lets other machines read the corpus: add --token TOKEN, "
            "or --public if that is what you want"
        )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(a[4][0]).is_loopback
                       for a in socket.getaddrinfo(host, None))  # fmt: skip
        except (OSError, ValueError):
            return False


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (1-65535)")
    return int(text)
