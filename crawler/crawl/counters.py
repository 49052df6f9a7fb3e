"""Names for what happened to a URL, counted in the crawl stats and the run's record.

Failures are things that went wrong (a 500, a refused connection); skips are decisions
(robots.txt said no, the page is not an article, the article is already stored).
"""

from __future__ import annotations

import re
from typing import Any

from scrapy import exceptions as scrapy_errors
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net
from twisted.python.failure import Failure

MAX_PAGES_REACHED = "max_pages_reached"
FAILURE_PREFIX = "sankofa/failures/"
SKIPPED_PREFIX = "sankofa/skipped/"
SOURCE_PREFIX = "sankofa/source/"

# Scrapy >= 2.14 wraps Twisted's errors in its own; older releases raise Twisted's directly.
_SCRAPY_NETWORK_ERRORS = {
    "DownloadConnectionRefusedError": "connection_refused",
    "CannotResolveHostError": "dns_error",
    "DownloadTimeoutError": "timeout",
    "ResponseDataLossError": "truncated_body",  # fewer bytes than Content-Length promised
    "DownloadCancelledError": "too_large",  # over DOWNLOAD_MAXSIZE: cut off while downloading
    "DownloadFailedError": "download_failed",
    "UnsupportedURLSchemeError": "unsupported_scheme",
}
_NETWORK_REASONS: tuple[tuple[type[BaseException], str], ...] = (
    *(
        (getattr(scrapy_errors, name), reason)
        for name, reason in _SCRAPY_NETWORK_ERRORS.items()
        if hasattr(scrapy_errors, name)
    ),
    (net.DNSLookupError, "dns_error"),
    (net.ConnectionRefusedError, "connection_refused"),
    (net.TimeoutError, "timeout"),
    (net.TCPTimedOutError, "timeout"),
    (net.ConnectionLost, "connection_lost"),
    (net.ConnectError, "connection_error"),
)


# Close reasons after which a crawl did what it was asked to (a bound is not a failure).
FINISHED_REASONS = frozenset(
    {"finished", "closespider_pagecount", "closespider_itemcount", "closespider_timeout"}
)


def saw_everything(reason: str, stats: dict[str, Any]) -> bool:
    """Whether the crawl followed every link it found: not stopped, not cut by --max-pages.
    Only then may its conditional-GET validators stand in for the pages behind them."""
    return reason == "finished" and not stats.get(SKIPPED_PREFIX + MAX_PAGES_REACHED)


def failure_reason(failure: Failure) -> tuple[str, str]:
    """Map a request's failure to ("failures" | "skipped", reason)."""
    value = failure.value
    if isinstance(value, HttpError):
        return "failures", f"http_{value.response.status}"
    if isinstance(value, IgnoreRequest):
        reason = _ignored_reason(str(value))
        return ("failures" if reason in _LOSSES else "skipped"), reason
    for error_type, reason in _NETWORK_REASONS:
        if isinstance(value, error_type):
            return "failures", reason
    if type(value).__name__ == "ResponseNeverReceived":
        return "failures", "connection_lost"
    return "failures", _snake(type(value).__name__)


# Scrapy says why it ignored a request only in the exception's message.
_IGNORED_MESSAGES = (
    ("robots.txt", "robots_disallowed"),
    ("max redirections reached", "redirect_loop"),
    ("redirect loop", "redirect_loop"),  # crawl.middlewares.LoopAwareRedirect
    ("during decompression", "too_large"),  # a gzip bomb, stopped at DOWNLOAD_MAXSIZE
    (MAX_PAGES_REACHED, MAX_PAGES_REACHED),
)


# Ignored requests that lose a page the site meant to serve: failures, not decisions.
_LOSSES = frozenset({"redirect_loop", "too_large"})


def _ignored_reason(message: str) -> str:
    return next((reason for text, reason in _IGNORED_MESSAGES if text in message), "ignored")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def count(stats: Any, kind: str, reason: str, source: str | None = None) -> None:
    """Add one to ``sankofa/<kind>/<reason>`` in the crawl stats, and to the source's own
    ``sankofa/source/<name>/<kind>/<reason>`` when the source is known."""
    prefix = FAILURE_PREFIX if kind == "failures" else SKIPPED_PREFIX
    stats.inc_value(prefix + reason)
    if source:
        stats.inc_value(f"{SOURCE_PREFIX}{source}/{kind}/{reason}")


def count_for_source(stats: Any, source: str, name: str) -> None:
    """Add one to a per-source counter such as ``pages`` or ``new``."""
    stats.inc_value(f"{SOURCE_PREFIX}{source}/{name}")


def per_source_stats(stats: dict[str, Any]) -> dict[str, object]:
    """{source: {"pages": n, "new": n, ..., "failures": {reason: n}, "skipped": {...}}}."""
    result: dict[str, dict[str, Any]] = {}
    for key, value in stats.items():
        if not key.startswith(SOURCE_PREFIX):
            continue
        source, _, rest = key[len(SOURCE_PREFIX) :].partition("/")
        entry = result.setdefault(source, {"failures": {}, "skipped": {}})
        kind, _, reason = rest.partition("/")
        if reason:
            entry[kind][reason] = int(value)
        else:
            entry[kind] = int(value)
    return dict(result)


def counts_by_reason(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {
        key[len(prefix) :]: int(value) for key, value in stats.items() if key.startswith(prefix)
    }
