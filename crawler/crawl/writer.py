"""The crawl's one writer thread, with group commit.

Every article is stored from one thread: the reactor keeps downloading meanwhile, and one
writer never contends with itself for SQLite's write lock. While it writes, more articles
queue up; it then takes all of them (up to MAX_BATCH) into ONE transaction, so a busy crawl
pays one commit per batch instead of one per article (benchmarks.store: on SQLite 2.75 ->
2.15 ms of CPU per article in batches of 10), and a quiet one still commits each article
at once: no timer holds an article back.

A caller's future resolves only after the transaction holding its article commits, so
whatever follows a store (the item's completion, a frontier lease released) never runs
for an article a kill could still lose. If a batch fails, it is rolled back and its
articles are stored one by one: the one that failed gets its own error, the rest are kept.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Final

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from storage.records import ArticleRecord
from storage.repository import StoreOutcome, store_article, store_articles

MAX_BATCH: Final = 50  # articles per transaction at most: a failed batch is redone one by one
ATTEMPTS: Final = 3  # tries of one article when PostgreSQL reports a transient failure
_TRANSIENT: Final = frozenset({"40P01", "40001"})  # deadlock detected, serialization failure
Stored = tuple[StoreOutcome, float]  # the outcome, and this article's share of the write time
_Job = tuple[ArticleRecord, "Future[Stored]"]


class GroupWriter:
    """Stores ArticleRecords from one thread, as many per transaction as have queued up."""

    def __init__(
        self,
        sessions: Callable[[], Session],
        *,
        on_start: Callable[[], None] = lambda: None,
        max_batch: int = MAX_BATCH,
    ) -> None:
        self._sessions = sessions
        self._max_batch = max_batch
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(
            target=self._run, args=(on_start,), name="sankofa-store", daemon=True
        )
        self._thread.start()

    def submit(self, record: ArticleRecord) -> Future[Stored]:
        done: Future[Stored] = Future()
        self._jobs.put((record, done))
        return done

    def close(self) -> None:
        """Store what is queued, then stop the thread."""
        self._jobs.put(None)
        self._thread.join()

    def _run(self, on_start: Callable[[], None]) -> None:
        on_start()
        while (batch := self._next_batch()) is not None:
            self._write(batch)

    def _next_batch(self) -> list[_Job] | None:
        """The next job (waiting for it), and every job queued behind it; None at close."""
        first = self._jobs.get()
        if first is None:
            return None
        batch = [first]
        while len(batch) < self._max_batch:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is None:
                self._jobs.put(None)  # stop after this batch
                break
            batch.append(job)
        return batch

    def _write(self, batch: list[_Job]) -> None:
        started = time.perf_counter()
        try:
            with self._sessions() as session:
                outcomes = store_articles(session, [record for record, _done in batch])
        except Exception:  # redone one by one: each article gets its own error
            for job in batch:
                self._write_alone(job)
            return
        share = (time.perf_counter() - started) / len(batch)
        for (_record, done), outcome in zip(batch, outcomes, strict=True):
            done.set_result((outcome, share))

    def _write_alone(self, job: _Job) -> None:
        record, done = job
        started = time.perf_counter()
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with self._sessions() as session:
                    outcome = store_article(session, record)
            except Exception as error:  # handed to the caller, who reports it
                if attempt < ATTEMPTS and _transient(error):
                    continue
                done.set_exception(error)
                return
            done.set_result((outcome, time.perf_counter() - started))
            return


def _transient(error: Exception) -> bool:
    """Whether PostgreSQL rolled the transaction back only because another one won."""
    return isinstance(error, DBAPIError) and getattr(error.orig, "sqlstate", None) in _TRANSIENT
