"""The crawl's writer thread: what queued up is stored in one transaction, nothing is
reported stored before its commit, and one bad article costs only itself."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from crawler.crawl import writer as writer_module
from crawler.crawl.writer import GroupWriter, Stored
from storage.db import open_database, session_factory
from storage.models import Article
from storage.repository import store_article, store_articles, sync_sources
from tests.storage_fixtures import (  # noqa: F401 (the *_fixture imports register fixtures)
    SOURCES,
    backend_fixture,
    fresh_url_fixture,
    make_record,
)


class HeldSessions:
    """The sessions of `engine`, the first of which waits until released: the writer is
    then busy while the test queues more articles behind it."""

    def __init__(self, engine: Engine) -> None:
        self.factory: sessionmaker[Session] = session_factory(engine)
        self.inside, self.release = threading.Event(), threading.Event()
        self.opened = 0

    def __call__(self) -> Session:
        self.opened += 1
        if self.opened == 1:
            self.inside.set()
            self.release.wait(timeout=30)
        return self.factory()


COMMITS: dict[Engine, int] = {}  # transactions committed per engine, counted by an event


@pytest.fixture(name="engine")
def engine_fixture(fresh_url: str) -> Iterator[Engine]:
    engine = open_database(fresh_url)
    with session_factory(engine)() as session:
        sync_sources(session, SOURCES)
    COMMITS[engine] = 0

    def count(_connection: object) -> None:
        COMMITS[engine] += 1

    event.listen(engine, "commit", count)
    yield engine
    del COMMITS[engine]
    engine.dispose()


def stored_count(engine: Engine) -> int:
    with session_factory(engine)() as session:
        return session.scalar(select(func.count()).select_from(Article)) or 0


def test_articles_queued_while_the_writer_works_share_one_commit(engine: Engine) -> None:
    sessions = HeldSessions(engine)
    writer = GroupWriter(sessions)
    first = writer.submit(make_record("https://alpha.example/first"))
    assert sessions.inside.wait(timeout=30)
    before = COMMITS[engine]
    queued = [writer.submit(make_record(f"https://alpha.example/q{i}")) for i in range(30)]
    sessions.release.set()
    outcomes = [done.result(timeout=60)[0] for done in (first, *queued)]
    writer.close()
    assert outcomes == ["new"] * 31
    assert COMMITS[engine] - before == 2  # the first alone, then the 30 at once
    assert stored_count(engine) == 31


def test_an_article_is_reported_only_once_committed(engine: Engine) -> None:
    writer = GroupWriter(session_factory(engine))
    seen_when_done: list[int] = []

    def look(_done: Future[Stored]) -> None:  # runs in the writer thread, at completion
        seen_when_done.append(stored_count(engine))  # another connection: committed rows only

    jobs = [writer.submit(make_record(f"https://alpha.example/c{i}")) for i in range(5)]
    for job in jobs:
        job.add_done_callback(look)
    for job in jobs:
        job.result(timeout=60)
    writer.close()
    assert len(seen_when_done) == 5
    assert all(count >= position + 1 for position, count in enumerate(sorted(seen_when_done)))


def test_a_bad_article_in_a_batch_costs_only_itself(engine: Engine) -> None:
    sessions = HeldSessions(engine)
    writer = GroupWriter(sessions)
    first = writer.submit(make_record("https://alpha.example/first"))
    assert sessions.inside.wait(timeout=30)
    naive = make_record("https://alpha.example/naive", published=datetime(2024, 1, 1))
    good = [writer.submit(make_record(f"https://alpha.example/g{i}")) for i in range(3)]
    bad = writer.submit(naive)
    good.append(writer.submit(make_record("https://alpha.example/g3")))
    sessions.release.set()
    assert first.result(timeout=60)[0] == "new"
    assert [done.result(timeout=60)[0] for done in good] == ["new"] * 4
    with pytest.raises(ValueError, match="naive datetime"):
        bad.result(timeout=60)
    writer.close()
    assert stored_count(engine) == 5


def test_close_stores_what_is_queued(engine: Engine) -> None:
    writer = GroupWriter(session_factory(engine))
    jobs = [writer.submit(make_record(f"https://alpha.example/z{i}")) for i in range(20)]
    writer.close()
    assert all(job.done() for job in jobs)
    assert stored_count(engine) == 20


class Deadlocked(Exception):
    sqlstate = "40P01"  # what psycopg's DeadlockDetected carries


def failing(times: int, error: Exception, store: Callable[..., Any]) -> Callable[..., Any]:
    """`store`, raising `error` on its first `times` calls; counts every call."""
    calls = [0]

    def wrapped(*args: Any) -> Any:
        calls[0] += 1
        if calls[0] <= times:
            raise error
        return store(*args)

    wrapped.calls = calls  # type: ignore[attr-defined]
    return wrapped


def test_an_article_that_lost_a_deadlock_is_tried_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    deadlock = OperationalError("INSERT ...", {}, Deadlocked("deadlock detected"))
    monkeypatch.setattr(writer_module, "store_articles", failing(1, deadlock, store_articles))
    alone = failing(writer_module.ATTEMPTS - 1, deadlock, store_article)
    monkeypatch.setattr(writer_module, "store_article", alone)
    writer = GroupWriter(session_factory(engine))
    done = writer.submit(make_record("https://alpha.example/retried"))
    assert done.result(timeout=60)[0] == "new"
    writer.close()
    assert alone.calls == [writer_module.ATTEMPTS]  # type: ignore[attr-defined]
    assert stored_count(engine) == 1


def test_other_errors_are_not_tried_again(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = OperationalError("INSERT ...", {}, Exception("disk I/O error"))
    monkeypatch.setattr(writer_module, "store_articles", failing(1, broken, store_articles))
    alone = failing(1, broken, store_article)
    monkeypatch.setattr(writer_module, "store_article", alone)
    writer = GroupWriter(session_factory(engine))
    done = writer.submit(make_record("https://alpha.example/broken"))
    with pytest.raises(OperationalError, match="disk I/O error"):
        done.result(timeout=60)
    writer.close()
    assert alone.calls == [1]  # type: ignore[attr-defined]
    assert stored_count(engine) == 0
