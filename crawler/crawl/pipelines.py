"""Thin Scrapy adapters around the pure stages, in data-flow order (see settings.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy.exceptions import DropItem, NotConfigured

from crawler.crawl.article_records import article_record
from crawler.crawl.context import CrawlContext, crawl_context
from crawler.crawl.counters import count, count_for_source
from crawler.crawl.middlewares import CountedUrlLength
from crawler.crawl.profiling import profile_thread
from crawler.crawl.workers import WorkerPool, process_in_worker, worker_pool
from crawler.crawl.writer import GroupWriter
from crawler.discover.links import ArticleLinks
from crawler.items import Article, FetchedPage, LanguageHints, Processed
from storage.records import ArticleRecord


def _skip(crawler: Any, reason: str, source: str) -> DropItem:
    count(crawler.stats, "skipped", reason, source)
    return DropItem(reason, log_level="DEBUG")


class _Stage:
    """Holds what every stage needs: the crawler (stats), the context and the worker pool."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.context: CrawlContext = crawl_context(crawler)
        self.pool: WorkerPool = worker_pool(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> Any:
        return cls(crawler)


class ProcessPipeline(_Stage):
    """FetchedPage -> language-tagged Article, in a worker process (``process_page``); pages
    that are not articles stop here."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.keep_comments = crawler.settings.getbool("SANKOFA_KEEP_COMMENTS")
        self.url_length = _url_length_limit(crawler)

    async def process_item(self, page: FetchedPage) -> Article:
        try:
            done: Processed = await self.pool.run(
                process_in_worker, page, self._source_hints(page), self.keep_comments
            )
        except Exception as error:  # the worker itself failed: one bad page must not stop the crawl
            raise self._failed(page, repr(error)) from error
        self.crawler.stats.inc_value("sankofa/extract_seconds", done.extract_seconds)
        self.crawler.stats.inc_value("sankofa/language_seconds", done.language_seconds)
        if done.links is not None and page.link_hops is not None:
            self._follow(page.source, page.link_hops, done.links)
        if done.error is not None:
            raise self._failed(page, done.error)
        if done.article is None:
            raise _skip(self.crawler, "not_article", page.source)
        done.article.raw_page = page  # set here: the page need not travel back from the worker
        return done.article

    def _failed(self, page: FetchedPage, error: str) -> DropItem:
        count(self.crawler.stats, "failures", "extraction_error", page.source)
        return DropItem(f"extraction failed on {page.url}: {error}", log_level="WARNING")

    def _follow(self, source: str, hops: int, links: ArticleLinks) -> None:
        """Schedule the articles the page links to. Before this item is done: while an item
        is in the pipelines the engine is not idle, so the crawl cannot end before them."""
        for request in self.crawler.spider.article_link_requests(source, hops, links):
            # Requests made here skip the spider middlewares: apply the URL length limit.
            if self.url_length is None or self.url_length.get_processed_request(request, None):
                self.crawler.engine.crawl(request)

    def _source_hints(self, page: FetchedPage) -> LanguageHints:
        source = self.context.source(page.source)
        return LanguageHints(source_languages=source.languages, country=source.country)

    def close_spider(self) -> None:
        self.pool.close()


def _url_length_limit(crawler: Any) -> CountedUrlLength | None:
    try:
        return CountedUrlLength.from_crawler(crawler)
    except NotConfigured:  # URLLENGTH_LIMIT = 0: no limit
        return None


class SincePipeline(_Stage):
    """Drops articles published before --since (those a feed or sitemap could not date)."""

    def process_item(self, article: Article) -> Article:
        if self.context.too_old(article.published):
            raise _skip(self.crawler, "older_than_since", article.source)
        return article


class DedupePipeline(_Stage):
    """One article reached under several URLs in one crawl is passed on once."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.seen: set[str] = set()

    def process_item(self, article: Article) -> Article:
        if article.canonical_url in self.seen:
            raise _skip(self.crawler, "duplicate", article.source)
        self.seen.add(article.canonical_url)
        return article


class StorePipeline(_Stage):
    """Writes articles from one writer thread, as many per transaction as have queued up
    (crawler.crawl.writer); an item completes once its article is committed."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.keep_raw = crawler.settings.getbool("SANKOFA_KEEP_RAW_HTML")
        self.keep_comments = crawler.settings.getbool("SANKOFA_KEEP_COMMENTS")
        self.writer = GroupWriter(self.context.sessions, on_start=lambda: profile_thread("writer"))

    async def process_item(self, article: Article) -> Article:
        record = self._record(article)
        outcome, seconds = await asyncio.wrap_future(self.writer.submit(record))
        self.crawler.stats.inc_value("sankofa/store_seconds", seconds)
        self.crawler.stats.inc_value(f"sankofa/articles_{outcome}")
        count_for_source(self.crawler.stats, article.source, outcome)
        return article

    def close_spider(self) -> None:
        self.writer.close()

    def _record(self, article: Article) -> ArticleRecord:
        if article.fetched_at is None:
            article.fetched_at = self.crawler.stats.get_value("start_time")
        run_id = self.crawler.stats.get_value("sankofa/run_id")
        return article_record(article, run_id, self.keep_raw, self.keep_comments)
