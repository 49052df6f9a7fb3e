"""Every response's safety: an access token when the server is reachable from other
machines, and headers that keep a browser from running or framing anything we did not ship.

A pure ASGI middleware (not BaseHTTPMiddleware), so streamed exports stay streamed.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any, Final
from urllib.parse import parse_qs

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

TOKEN_COOKIE: Final = "sankofa_token"
# No inline script or style, nothing from another origin: stored pages are untrusted text,
# and whatever slips through escaping still cannot run. The raw-page download adds sandbox.
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS: Final = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)


class Guard:
    """Adds the security headers; with a token, refuses requests that do not carry it
    (Authorization: Bearer, ?token= which also sets a cookie for the browser, or the cookie)."""

    def __init__(self, app: App, token: str | None = None) -> None:
        self.app = app
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given, from_query = self._presented(scope)
        if self.token is not None and not _same(given, self.token):
            await _unauthorised(scope, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                # A handler's own policy wins (the raw-page download is sandboxed).
                headers += [h for h in SECURITY_HEADERS if h[0] not in present]
                if from_query and self.token is not None:
                    cookie = f"{TOKEN_COOKIE}={self.token}; HttpOnly; SameSite=Strict; Path=/"
                    headers.append((b"set-cookie", cookie.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

    @staticmethod
    def _presented(scope: Scope) -> tuple[str | None, bool]:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip(), False
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if "token" in query:
            return query["token"][0], True
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header is no token, not a crash
            return None, False
        morsel = cookie.get(TOKEN_COOKIE)
        return (morsel.value if morsel else None), False


def _same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


async def _unauthorised(scope: Scope, send: Send) -> None:
    message = "this server needs its access token: send Authorization: Bearer TOKEN or ?token="
    body = json.dumps({"error": {"status": 401, "message": message}}).encode()
    headers = [(b"content-type", b"application/json"), *SECURITY_HEADERS]
    if not scope["path"].startswith("/api/"):
        body, headers[0] = message.encode(), (b"content-type", b"text/plain; charset=utf-8")
    await send({"type": "http.response.start", "status": 401, "headers": headers})
    await send({"type": "http.response.body", "body": body})
