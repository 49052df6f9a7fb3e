"""Crawl-wide extensions: the run's record in the database, and the live progress line."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, TextIO

from scrapy import signals
from twisted.internet import task

from crawler.crawl.context import CrawlContext, crawl_context
from crawler.crawl.counters import (
    FAILURE_PREFIX,
    FINISHED_REASONS,
    SKIPPED_PREFIX,
    count,
    counts_by_reason,
    per_source_stats,
)
from storage.crawlstate import (
    acquire_sources,
    interrupt_dead_runs,
    release_sources,
    renew_locks,
    this_holder,
)
from storage.records import SourceRecord
from storage.repository import finish_run, start_run, sync_sources

logger = logging.getLogger(__name__)


class RunRecorder:
    """Records each crawl as a CrawlRun row, and holds its sources' locks while it runs.

    Sources another live crawl holds are dropped from this crawl (two crawls never fetch
    the same source at once); SANKOFA_SOURCE_LOCKS=False turns that off for cooperating
    workers that share one frontier.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.use_locks = crawler.settings.getbool("SANKOFA_SOURCE_LOCKS")
        self.heartbeat = task.LoopingCall(self.renew)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunRecorder:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        context = crawl_context(self.crawler)
        names = [source.name for source in context.sources]
        options = dict(self.crawler.settings.getdict("SANKOFA_RUN_OPTIONS"))
        with context.sessions() as session:
            interrupt_dead_runs(session)
            sync_sources(session, [_source_record(source) for source in context.sources])
            run_id = start_run(session, names, options, holder=this_holder())
            busy = acquire_sources(session, names, run_id, this_holder()) if self.use_locks else {}
        self.crawler.stats.set_value("sankofa/run_id", run_id)
        self._drop_busy_sources(context, busy)
        if self.use_locks:
            self.heartbeat.start(60.0, now=False)

    def _drop_busy_sources(self, context: CrawlContext, busy: dict[str, str]) -> None:
        for name, holder in busy.items():
            logger.warning("source %s is being crawled by %s; skipped in this run", name, holder)
            count(self.crawler.stats, "skipped", "source_locked")
        context.sources = [source for source in context.sources if source.name not in busy]

    def renew(self) -> None:
        with crawl_context(self.crawler).sessions() as session:
            renew_locks(session, self.crawler.stats.get_value("sankofa/run_id"))

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.heartbeat.running:
            self.heartbeat.stop()
        stats = self.crawler.stats.get_stats()
        status = "finished" if reason in FINISHED_REASONS else "interrupted"
        with crawl_context(self.crawler).sessions() as session:
            finish_run(
                session,
                stats["sankofa/run_id"],
                status=status,
                pages_fetched=int(stats.get("response_received_count", 0)),
                failures=counts_by_reason(stats, FAILURE_PREFIX),
                skipped=counts_by_reason(stats, SKIPPED_PREFIX),
                source_stats=per_source_stats(stats),
            )
            release_sources(session, stats["sankofa/run_id"], succeeded=status == "finished")


def _source_record(source: Any) -> SourceRecord:
    return SourceRecord(
        name=source.name,
        url=source.url,
        country=source.country,
        region=source.region,
        languages=tuple(source.languages),
        terms=source.terms,
    )


def progress_line(stats: dict[str, Any], elapsed: float) -> str:
    """One line of live progress: pages, articles, skips and errors so far."""
    failures = sum(counts_by_reason(stats, FAILURE_PREFIX).values())
    skipped = sum(counts_by_reason(stats, SKIPPED_PREFIX).values())
    minutes, seconds = divmod(int(elapsed), 60)
    return (
        f"[sankofa] {minutes:02d}:{seconds:02d}  pages {stats.get('response_received_count', 0)}"
        f"  articles {stats.get('sankofa/articles_new', 0)} new"
        f" {stats.get('sankofa/articles_updated', 0)} updated"
        f"  skipped {skipped}  errors {failures}"
    )


class ProgressReporter:
    """Rewrites one progress line on a terminal; prints a line every 10 s otherwise."""

    def __init__(self, crawler: Any, stream: TextIO = sys.stderr) -> None:
        self.crawler = crawler
        self.stream = stream
        self.interactive = stream.isatty()
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.report)
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressReporter:
        return cls(crawler)

    def enabled(self) -> bool:
        return bool(self.crawler.settings.getbool("SANKOFA_PROGRESS"))

    def spider_opened(self, spider: Any) -> None:
        if self.enabled():
            self.started = time.monotonic()
            self.loop.start(self.interval(), now=False)

    def interval(self) -> float:
        configured = self.crawler.settings.getfloat("SANKOFA_PROGRESS_INTERVAL")
        return configured or (1.0 if self.interactive else 10.0)

    def report(self) -> None:
        line = progress_line(self.crawler.stats.get_stats(), time.monotonic() - self.started)
        self.stream.write(f"\r\x1b[K{line}" if self.interactive else line + "\n")
        self.stream.flush()

    def spider_closed(self, spider: Any) -> None:
        if self.loop.running:
            self.loop.stop()
            if self.interactive:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
