"""Helpers for crawls by several `sankofa crawl --frontier` processes: the frontier and
database the tests were given, workers started and killed as process groups, what was stored.

$SANKOFA_TEST_REDIS_URL names a Redis database the tests may wipe (e.g. redis://127.0.0.1:6379/15);
without it the frontier tests skip. Crawls store into $SANKOFA_TEST_PG_URL when it is set
(several machines writing one PostgreSQL database is the set-up the frontier is for), else
into a SQLite file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from storage.db import make_engine, open_database
from tests.crawling import FAST_LOCAL, REPO
from tests.storage_fixtures import PG_URL_ENV, wipe

REDIS_URL_ENV = "SANKOFA_TEST_REDIS_URL"
REDIS_SKIP_REASON = (
    f"${REDIS_URL_ENV} is not set: frontier tests skipped (set it to e.g. "
    "redis://127.0.0.1:6379/15, a Redis database the tests may wipe; .ci/run does)"
)


def redis_url_or_skip() -> str:
    url = os.environ.get(REDIS_URL_ENV)
    if not url:
        pytest.skip(REDIS_SKIP_REASON)
    return url


def redis_client(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url)


@contextmanager
def wiped_redis(url: str) -> Iterator[Any]:
    """A client of the test Redis database, emptied before and after the block."""
    client = redis_client(url)
    client.flushdb()
    try:
        yield client
    finally:
        client.flushdb()
        client.close()


@contextmanager
def crawl_database(folder: Path) -> Iterator[str]:
    """The URL of an empty database for a crawl: PostgreSQL when given, else SQLite."""
    pg_url = os.environ.get(PG_URL_ENV)
    if not pg_url:
        yield f"sqlite:///{folder / 'corpus.db'}"
        return
    wipe(pg_url)
    try:
        yield pg_url
    finally:
        wipe(pg_url)


@dataclass
class Worker:
    """One `sankofa crawl` process, leader of its own process group (its extraction pool
    included), so that killing the group is what a machine dying looks like."""

    process: subprocess.Popen[str]

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.communicate(timeout=60)

    def finish(self, timeout: float = 240) -> tuple[int, str]:
        """Wait for the crawl to end; its exit status and stderr."""
        try:
            _, stderr = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        return self.process.returncode, stderr


def start_worker(sources: Path, db_url: str, frontier: str | None, *extra: str) -> Worker:
    command = [sys.executable, "-m", "crawler.cli", "crawl", "--sources", str(sources)]
    command += ["--db", db_url, *FAST_LOCAL, *extra]
    if frontier:
        command += ["--frontier", frontier]
    process = subprocess.Popen(
        command, cwd=REPO, text=True, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    return Worker(process)


def run_workers(count: int, sources: Path, db_url: str, frontier: str, *extra: str) -> list[str]:
    """Start `count` workers at once and wait for all; their stderr (each must succeed)."""
    workers = [start_worker(sources, db_url, frontier, *extra) for _ in range(count)]
    outputs = []
    for worker in workers:
        status, stderr = worker.finish()
        assert status == 0, stderr
        outputs.append(stderr)
    return outputs


def stored_urls(db_url: str) -> list[str]:
    """Canonical URLs of the stored articles, one per row (so duplicates would show)."""
    return [str(row[0]) for row in _rows(db_url, "SELECT canonical_url FROM articles")]


def run_counts(db_url: str) -> list[dict[str, int]]:
    """Per crawl run (one per worker): articles new, updated, unchanged and pages fetched."""
    rows = _rows(
        db_url,
        "SELECT articles_new, articles_updated, articles_unchanged, pages_fetched "
        "FROM crawl_runs ORDER BY id",
    )
    names = ("new", "updated", "unchanged", "pages")
    return [dict(zip(names, map(int, row), strict=True)) for row in rows]


def open_when_released(url: str, barrier: Any) -> None:
    """Process target: open (create and migrate) the database at the same moment as others."""
    barrier.wait(timeout=60)
    open_database(url).dispose()


def _rows(db_url: str, query: str) -> Sequence[Any]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(query)).all()
    finally:
        engine.dispose()
