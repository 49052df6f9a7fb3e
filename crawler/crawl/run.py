"""Run one crawl in this process: the library function behind `sankofa crawl` and `demo`.

Twisted's reactor cannot be restarted, so a process runs at most one crawl; callers that
need several (a scheduler) start a fresh process per crawl.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.crawl.frontier import frontier_settings
from crawler.crawl.spider import BlogsSpider

# Settings that make a crawl of a site on this machine fast; politeness is for other people's.
LOCAL_SITE_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "RETRY_TIMES": 0,
}


@dataclass(frozen=True)
class CrawlRequest:
    """What to crawl and where to store it, as the CLI parsed it."""

    db_url: str
    sources_file: Path | None = None
    source_names: Sequence[str] = ()
    max_pages: int = 0
    since: datetime | None = None
    progress: bool = False
    log_level: str = "WARNING"
    overrides: Mapping[str, Any] = field(default_factory=dict)
    frontier: str | None = None  # redis:// URL of a queue and filter shared by several workers


def crawl_settings(request: CrawlRequest) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.update(
        {
            "SANKOFA_DB_URL": request.db_url,
            "SANKOFA_SOURCES_FILE": str(request.sources_file or ""),
            "SANKOFA_SOURCE_NAMES": list(request.source_names),
            "SANKOFA_SINCE": request.since.isoformat() if request.since else "",
            "SANKOFA_PROGRESS": request.progress,
            "SANKOFA_RUN_OPTIONS": _run_options(request),
            "SANKOFA_MAX_PAGES": request.max_pages,
            "CLOSESPIDER_PAGECOUNT": request.max_pages,
            "LOG_LEVEL": request.log_level,
        },
        priority="cmdline",
    )
    if request.frontier:
        settings.update(frontier_settings(request.frontier), priority="cmdline")
    settings.update(dict(request.overrides), priority="cmdline")
    _leave_out_switched_off(settings)
    return settings


# Scrapy imports these components only for them to find their switch off, and importing them
# is what costs: the cookies middleware brings tldextract and requests, the remote control
# aiohttp; leaving them out took the crawl process from 151 to 138 MB (benchmarks.throughput,
# N = 2,000). Switched off, they are taken out of Scrapy's base component lists (setting one
# to None in the project's list still imports it, to normalise the key); a crawl that turns
# one on (-s COOKIES_ENABLED=True) keeps it.
_SWITCHED_COMPONENTS: Final = {
    "COOKIES_ENABLED": (
        "DOWNLOADER_MIDDLEWARES_BASE", "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"
    ),
    "REMOTE_CONTROL_ENABLED": (
        "EXTENSIONS_BASE", "scrapy.extensions.remote_control.RemoteControl"
    ),
    "TELNETCONSOLE_ENABLED": ("EXTENSIONS_BASE", "scrapy.extensions.telnet.TelnetConsole"),
}  # fmt: skip


def _leave_out_switched_off(settings: Settings) -> None:
    # Decided on the crawl's settings as built here; our spider sets no custom_settings and
    # the crawl adds no addons that could turn a switch on later.
    for switch, (setting, component) in _SWITCHED_COMPONENTS.items():
        if not settings.getbool(switch):
            components = settings.getdict(setting)
            components.pop(component, None)
            settings.set(setting, components, priority=settings.getpriority(setting) or 0)


def _run_options(request: CrawlRequest) -> dict[str, Any]:
    return {
        "sources_file": str(request.sources_file) if request.sources_file else None,
        "max_pages": request.max_pages or None,
        "since": request.since.isoformat() if request.since else None,
    }


def run_crawl(request: CrawlRequest) -> dict[str, Any]:
    """Crawl until done (or bounded, or interrupted); return the crawl's final stats."""
    process = CrawlerProcess(crawl_settings(request))
    if request.log_level != "DEBUG":
        _quiet_counted_failures()
    crawler = process.create_crawler(BlogsSpider)
    process.crawl(crawler)
    process.start()
    return dict(crawler.stats.get_stats())


def _quiet_counted_failures() -> None:
    """Unreachable sites and given-up retries are counted in the run's summary by reason;
    Scrapy's own ERROR lines (with tracebacks) for them would only bury the progress line."""
    for name in ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    # trafilatura warns for every page it finds too little in; our fallbacks handle those.
    for name in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.ERROR)
