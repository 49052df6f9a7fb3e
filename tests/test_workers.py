"""Extraction runs off the reactor: in other processes, so downloads never wait for it."""

from __future__ import annotations

import asyncio
import os
import time

from crawler.crawl.extensions import progress_line
from crawler.crawl.run import CrawlRequest, crawl_settings
from crawler.crawl.workers import WorkerCrashed, WorkerPool
from tests.crawling import python_output


def test_worker_pool_runs_stage_functions_in_another_process() -> None:
    pool = WorkerPool(1)
    try:
        worker_pid = asyncio.run(pool.run(os.getpid))
    finally:
        pool.close()
    assert worker_pid != os.getpid()


def test_inline_pool_runs_in_this_process() -> None:
    assert asyncio.run(WorkerPool(0).run(os.getpid)) == os.getpid()


def _dies_on_three(value: int) -> int:
    if value == 3:
        os._exit(1)  # what a crash in C, or the out-of-memory killer, does to a worker
    time.sleep(0.05)  # so that the others are in flight when it dies
    return value * 10


def test_a_task_that_kills_its_worker_fails_alone() -> None:
    pool = WorkerPool(2)

    async def all_at_once() -> list[object]:
        tasks = (pool.run(_dies_on_three, value) for value in range(8))
        return await asyncio.gather(*tasks, return_exceptions=True)

    try:
        results = asyncio.run(all_at_once())
        later = asyncio.run(pool.run(_dies_on_three, 5))
    finally:
        pool.close()
    assert isinstance(results.pop(3), WorkerCrashed)
    assert results == [0, 10, 20, 40, 50, 60, 70]
    assert later == 50  # the pool was replaced and works on


def test_the_crawls_own_process_does_not_load_the_extraction_stack() -> None:
    # Only the workers extract: the crawl's process would hold ~50 MB of it for nothing.
    code = (
        "import sys, crawler.cli, crawler.crawl.run, crawler.crawl.pipelines\n"
        "heavy = ('crawler.process', 'crawler.extract.article', 'crawler.lang.models',\n"
        "         'trafilatura', 'htmldate', 'dateparser', 'justext', 'py3langid', 'langdetect',\n"
        "         'datasketch', 'alembic')\n"  # Alembic: only `db check` and migrations
        "print([name for name in heavy if name in sys.modules])\n"
    )
    assert python_output(code).strip() == "[]"


def test_an_extraction_worker_does_not_load_the_crawls_machinery() -> None:
    # Workers extract pages and read their links: feeds, Scrapy and the database are the
    # crawl process's (feedparser alone would cost each worker 10 MB).
    code = (
        "import sys, crawler.crawl.workers, crawler.process\n"
        "heavy = ('feedparser', 'scrapy', 'twisted', 'sqlalchemy', 'alembic', 'storage')\n"
        "print([name for name in heavy if name in sys.modules])\n"
    )
    assert python_output(code).strip() == "[]"


def test_components_switched_off_are_not_even_loaded() -> None:
    """Cookies, the telnet console and the remote control are off: left out of Scrapy's
    component lists, their modules (tldextract, requests, aiohttp) are never imported."""
    cookies = "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"
    remote = "scrapy.extensions.remote_control.RemoteControl"

    def loaded(**overrides: object) -> list[str]:
        settings = crawl_settings(CrawlRequest(db_url="sqlite://", overrides=overrides))
        # What Scrapy builds its lists from (and imports every key of).
        return [
            *settings.get_component_priority_dict_with_base("DOWNLOADER_MIDDLEWARES"),
            *settings.get_component_priority_dict_with_base("EXTENSIONS"),
        ]

    default = loaded()
    assert cookies not in default and remote not in default
    assert "scrapy.extensions.telnet.TelnetConsole" not in default
    assert "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware" in default
    assert cookies in loaded(COOKIES_ENABLED=True)
    assert remote in loaded(REMOTE_CONTROL_ENABLED=True)


def test_progress_line_counts_articles_skips_and_errors() -> None:
    stats = {
        "response_received_count": 12,
        "sankofa/articles_new": 5,
        "sankofa/articles_updated": 1,
        "sankofa/skipped/not_article": 3,
        "sankofa/skipped/duplicate": 1,
        "sankofa/failures/http_404": 2,
    }
    line = progress_line(stats, 75.0)
    assert line == "[sankofa] 01:15  pages 12  articles 5 new 1 updated  skipped 4  errors 2"
