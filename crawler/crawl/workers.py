"""A process pool shared by the CPU-heavy pipelines, so extraction never blocks the reactor.

Twisted's reactor runs on asyncio (Scrapy's default), so a pool future can be awaited
from a pipeline's ``async def process_item``. Workers are spawned, not forked: forking
a process that runs a reactor, threads and open database connections is unsafe.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, TypeVar

from crawler.crawl.profiling import profile_thread

if TYPE_CHECKING:
    from crawler.items import FetchedPage, LanguageHints, Processed

_T = TypeVar("_T")
_ATTRIBUTE = "_sankofa_workers"


class WorkerCrashed(RuntimeError):
    """A worker process died running this task, and died again running it alone."""


class WorkerPool:
    """Runs stage functions in worker processes (or inline when ``workers`` is 0).

    A worker that dies (a crash in a C library, the kernel's out-of-memory killer) breaks
    its whole pool: every task in flight fails. The pool is then replaced, and each of those
    tasks runs again alone, one after the other, in a one-process pool: the task that kills
    that one too is the culprit and fails with WorkerCrashed, the others complete. One bad
    page costs itself, not the rest of the crawl.
    """

    def __init__(self, workers: int) -> None:
        self._workers = workers
        self._executor = _executor(workers) if workers > 0 else None
        self._alone: ProcessPoolExecutor | None = None  # for the tasks a crash interrupted
        self._suspects = 0
        self._one_at_a_time = asyncio.Lock()

    async def run(self, function: Callable[..., _T], *args: Any) -> _T:
        executor = self._executor
        if executor is None:
            return function(*args)
        try:
            return await asyncio.wrap_future(executor.submit(function, *args))
        except BrokenProcessPool:
            self._replace(executor)
            return await self._run_alone(function, *args)

    async def _run_alone(self, function: Callable[..., _T], *args: Any) -> _T:
        self._suspects += 1
        try:
            async with self._one_at_a_time:
                self._alone = self._alone or _executor(1)
                alone = self._alone
                try:
                    return await asyncio.wrap_future(alone.submit(function, *args))
                except BrokenProcessPool as error:
                    self._alone = None
                    alone.shutdown(wait=False, cancel_futures=True)
                    name = getattr(function, "__name__", repr(function))
                    raise WorkerCrashed(f"the worker process died running {name}") from error
        finally:
            self._suspects -= 1
            if not self._suspects and self._alone is not None:  # the last suspect is done
                self._alone.shutdown(wait=False)
                self._alone = None

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        if self._executor is broken:  # the first of its failed tasks to get here replaces it
            broken.shutdown(wait=False, cancel_futures=True)
            self._executor = _executor(self._workers)

    def close(self) -> None:
        for executor in (self._executor, self._alone):
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)


def _executor(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(os.getpid(),),
    )


def process_in_worker(
    page: FetchedPage, source_hints: LanguageHints, keep_comments: bool
) -> Processed:
    """``crawler.process.process_page``, imported where it runs. The crawl's own process
    only hands pages over: importing the extraction and language stack there (trafilatura,
    dateparser, justext, both language detectors) would cost it ~50 MB for nothing."""
    from crawler.process import process_page

    return process_page(page, source_hints, keep_comments)


def _init_worker(parent_pid: int) -> None:
    """Runs first in each worker process."""
    # Ctrl-C reaches the whole process group; the crawl stops its workers itself, and a
    # worker interrupted mid-task would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Spawned workers have no logging set up: Python would print every trafilatura warning
    # ("discarding data") to stderr; the crawl's fallbacks already handle those pages.
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).setLevel(logging.ERROR)
    _exit_with_parent(parent_pid)
    profile_thread("worker")  # spawned workers leave through sys.exit: atexit runs


def _exit_with_parent(parent_pid: int) -> None:
    """A crawl killed with SIGKILL cannot shut its pool down, so the workers watch for
    their parent's death themselves rather than linger as orphans."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def worker_pool(crawler: Any) -> WorkerPool:
    """The crawl's pool, created on first use; SANKOFA_EXTRACT_WORKERS=0 means one per CPU."""
    pool = getattr(crawler, _ATTRIBUTE, None)
    if pool is None:
        workers = crawler.settings.getint("SANKOFA_EXTRACT_WORKERS") or os.cpu_count() or 1
        if crawler.settings.getbool("SANKOFA_INLINE_STAGES"):
            workers = 0
        pool = WorkerPool(workers)
        setattr(crawler, _ATTRIBUTE, pool)
    return pool
