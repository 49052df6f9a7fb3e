"""A process pool shared by the CPU-heavy pipelines, so extraction never blocks the reactor.

Twisted's reactor runs on asyncio (Scrapy's default), so a pool future can be awaited
from a pipeline's ``async def process_item``. Workers are spawned, not forked: forking
a process that runs a reactor, threads and open database connections is unsafe.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

_T = TypeVar("_T")
_ATTRIBUTE = "_sankofa_workers"


class WorkerPool:
    """Runs stage functions in worker processes (or inline when ``workers`` is 0)."""

    def __init__(self, workers: int) -> None:
        self._executor = (
            ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
            if workers > 0
            else None
        )

    async def run(self, function: Callable[..., _T], *args: Any) -> _T:
        if self._executor is None:
            return function(*args)
        return await asyncio.wrap_future(self._executor.submit(function, *args))

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)


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
