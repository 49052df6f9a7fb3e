"""Re-run extraction and language detection over the raw pages kept at crawl time.

A corpus crawled with an older extractor can be brought up to date without fetching a
single page again. Articles keep their id and canonical URL; a changed article keeps its
earlier version as a revision, like a revisit that found a change.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from sqlalchemy.orm import Session, sessionmaker

from crawler.crawl.article_records import article_record
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


def _processed(pages: Iterator[StoredPage], workers: int) -> Iterator[tuple[str, Processed]]:
    """(url, what process_page made of it) per stored page, in order."""
    if workers <= 1:
        yield from ((page.url, reextract_page(page)) for page in pages)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        # A bounded window of pages in flight, in order: Executor.map would submit (and so
        # read into memory) every stored page at once, defeating the reader's yield_per.
        window: deque[tuple[str, Future[Processed]]] = deque()
        for page in pages:
            window.append((page.url, pool.submit(reextract_page, page)))
            if len(window) >= workers * _IN_FLIGHT_PER_WORKER:
                url, done = window.popleft()
                yield url, done.result()
        while window:
            url, done = window.popleft()
            yield url, done.result()
