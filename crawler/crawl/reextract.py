"""Re-run extraction and language detection over the raw pages kept at crawl time.

A corpus crawled with an older extractor can be brought up to date without fetching a
single page again. Articles keep their id and canonical URL; a changed article keeps its
earlier version as a revision, like a revisit that found a change.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter, deque
from collections.abc import Callable, Iterator

from sqlalchemy.orm import Session, sessionmaker

from crawler.crawl.article_records import article_record
from crawler.crawl.workers import WorkerCrashed, WorkerPool
from crawler.items import FetchedPage, LanguageHints, Processed
from crawler.process import process_page
from storage.crawlstate import this_holder
from storage.queries import ArticleFilter
from storage.rawpages import StoredPage, iter_raw_pages
from storage.repository import finish_run, start_run, store_article

_IN_FLIGHT_PER_WORKER = 8
logger = logging.getLogger(__name__)


def reextract_page(stored: StoredPage) -> Processed:
    """The crawl's own ``process_page`` on one stored page (its article None when the page
    is no article now, its error set when extraction failed)."""
    hints = LanguageHints(source_languages=stored.source_languages, country=stored.country)
    done = process_page(_as_fetched(stored), hints)
    if done.article is not None:
        done.article.canonical_url = stored.canonical_url  # the key stays, whatever the page says
    return done


def _as_fetched(stored: StoredPage) -> FetchedPage:
    headers = {name.lower(): value for name, value in stored.headers}
    content_type = headers.get("content-type", "")
    return FetchedPage(
        url=stored.url,
        source=stored.source,
        status=stored.status,
        body=stored.body,
        content_type=content_type,
        fetched_at=stored.fetched_at,
        content_language=headers.get("content-language"),
        headers=stored.headers,
    )


def reextract(sessions: sessionmaker[Session], flt: ArticleFilter, workers: int) -> Counter[str]:
    """Re-extract every stored page matching ``flt``; return counts by outcome."""
    outcomes: Counter[str] = Counter()
    with sessions() as reader, sessions() as writer:
        options = {"reextract": True, **flt.describe()}
        run_id = start_run(writer, list(flt.sources), options, holder=this_holder())
        status = "interrupted"  # unless the loop below runs to its end
        try:
            for url, done in _processed(iter_raw_pages(reader, flt), workers):
                if done.article is None:
                    outcomes[_not_stored(url, done.error)] += 1
                    continue
                record = article_record(done.article, run_id, keep_raw=False)
                outcomes[store_article(writer, record)] += 1
            status = "finished"
        finally:
            failed = outcomes["extraction_error"]
            finish_run(writer, run_id, status=status, pages_fetched=0,
                       failures={"extraction_error": failed} if failed else {},
                       skipped={"not_article": outcomes["not_article"]})  # fmt: skip
    return outcomes


def _not_stored(url: str, error: str | None) -> str:
    """Why a page's stored article stays as it was."""
    if error is None:
        return "not_article"
    logger.warning("re-extraction failed on %s: %s", url, error)
    return "extraction_error"


def _processed(
    pages: Iterator[StoredPage],
    workers: int,
    process: Callable[[StoredPage], Processed] = reextract_page,
) -> Iterator[tuple[str, Processed]]:
    """(url, what ``process`` made of it) per stored page, in order. A page its worker died
    on counts as failed; the others go on (crawler.crawl.workers.WorkerPool)."""
    if workers <= 1:
        yield from ((page.url, process(page)) for page in pages)
        return
    pool, loop = WorkerPool(workers), asyncio.new_event_loop()
    # A bounded window of pages in flight, in order: submitting every stored page at once
    # would read them all into memory, defeating the reader's yield_per.
    window: deque[tuple[str, asyncio.Task[Processed]]] = deque()
    try:
        for page in pages:
            window.append((page.url, loop.create_task(_in_worker(pool, process, page))))
            if len(window) >= workers * _IN_FLIGHT_PER_WORKER:
                url, task = window.popleft()
                yield url, loop.run_until_complete(task)
        while window:
            url, task = window.popleft()
            yield url, loop.run_until_complete(task)
    finally:
        _settle(loop, [task for _, task in window])  # when the caller stopped early
        pool.close()
        loop.close()


async def _in_worker(
    pool: WorkerPool, process: Callable[[StoredPage], Processed], page: StoredPage
) -> Processed:
    try:
        return await pool.run(process, page)
    except WorkerCrashed as error:
        return Processed(None, 0.0, 0.0, error=f"{type(error).__name__}: {error}")


def _settle(loop: asyncio.AbstractEventLoop, tasks: list[asyncio.Task[Processed]]) -> None:
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
