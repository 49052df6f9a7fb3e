"""State that makes crawls incremental and safe to schedule: source locks, due sources,
conditional-GET validators and revisits.

Locks are leases on `sources` rows: a crawl takes the sources it will crawl, renews the
lease while it runs and releases it at the end. A crawl killed with SIGKILL cannot release
its lease; the next crawl on the same host sees that the holder's process is gone (or, on
another host, that the lease expired) and takes the source over.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from storage.models import Article, CrawlRun, Source, UrlValidator, utcnow
from storage.repository import upsert_statement, write_transaction

LEASE = timedelta(minutes=10)
Validators = dict[str, tuple[str | None, str | None]]  # url -> (ETag, Last-Modified)


def this_holder() -> str:
    """Who holds a lock: this host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def holder_is_dead(holder: str | None) -> bool:
    """True when ``holder`` is a process of this host that no longer runs."""
    if not holder:
        return True
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's process: only its lease expiry tells
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def acquire_sources(
    session: Session, names: Sequence[str], run_id: int, holder: str
) -> dict[str, str]:
    """Lock the free sources among ``names`` for ``run_id``; return {name: holder} of the
    sources another live crawl holds (those are not locked)."""
    now = utcnow()
    current = dict(
        session.execute(select(Source.name, Source.lock_holder).where(Source.name.in_(names))).all()
    )
    dead = [h for h in set(current.values()) if h and holder_is_dead(h)]
    free = or_(
        Source.lock_holder.is_(None), Source.lock_expires_at < now, Source.lock_holder.in_(dead)
    )
    with write_transaction(session):
        session.execute(
            update(Source)
            .where(Source.name.in_(names), free)
            .values(lock_holder=holder, lock_run_id=run_id, lock_expires_at=now + LEASE)
        )
    taken = session.execute(
        select(Source.name, Source.lock_run_id, Source.lock_holder).where(Source.name.in_(names))
    )
    return {name: str(owner) for name, owner_run, owner in taken if owner_run != run_id}


def renew_locks(session: Session, run_id: int) -> None:
    with write_transaction(session):
        session.execute(
            update(Source)
            .where(Source.lock_run_id == run_id)
            .values(lock_expires_at=utcnow() + LEASE)
        )


def release_sources(session: Session, run_id: int, *, succeeded: bool) -> None:
    """Unlock the run's sources; a run that finished marks them crawled now."""
    values: dict[str, object] = {"lock_holder": None, "lock_run_id": None, "lock_expires_at": None}
    if succeeded:
        values["last_success_at"] = utcnow()
    with write_transaction(session):
        session.execute(update(Source).where(Source.lock_run_id == run_id).values(values))


def interrupt_dead_runs(session: Session) -> list[int]:
    """Mark "running" runs whose process is gone as interrupted; return their ids."""
    running = session.execute(
        select(CrawlRun.id, CrawlRun.holder).where(CrawlRun.status == "running")
    )
    dead = [run_id for run_id, holder in running if holder and holder_is_dead(holder)]
    if dead:
        with write_transaction(session):
            session.execute(
                update(CrawlRun)
                .where(CrawlRun.id.in_(dead))
                .values(status="interrupted", finished_at=utcnow())
            )
    return dead


def due_sources(
    session: Session, intervals: Mapping[str, timedelta], now: datetime | None = None
) -> list[str]:
    """Sources never crawled successfully, or whose interval has passed since the last success."""
    moment = now or utcnow()
    last: dict[str, datetime | None] = dict(
        session.execute(select(Source.name, Source.last_success_at)).tuples().all()
    )
    due = []
    for name, interval in intervals.items():
        succeeded = last.get(name)
        if succeeded is None or moment - succeeded >= interval:
            due.append(name)
    return due


def load_validators(session: Session) -> Validators:
    rows = session.execute(select(UrlValidator.url, UrlValidator.etag, UrlValidator.last_modified))
    return {url: (etag, modified) for url, etag, modified in rows}


def save_validators(
    session: Session, validators: Mapping[str, tuple[str | None, str | None]]
) -> None:
    rows = [
        {"url": url, "etag": etag, "last_modified": modified, "updated_at": utcnow()}
        for url, (etag, modified) in validators.items()
    ]
    if not rows:
        return
    with write_transaction(session):
        stmt = upsert_statement(session, UrlValidator)
        stmt = stmt.on_conflict_do_update(
            index_elements=["url"],
            set_={key: stmt.excluded[key] for key in ("etag", "last_modified", "updated_at")},
        )
        session.execute(stmt, rows)


def due_revisits(
    session: Session,
    source_names: Iterable[str],
    after: Sequence[timedelta],
    now: datetime | None = None,
) -> list[tuple[str, str]]:
    """(source, canonical URL) of articles due for a revisit: for some delay d in ``after``,
    first seen at least d ago and not checked since first_seen + d."""
    if not after:
        return []
    moment = now or utcnow()
    horizon = moment - 2 * max(after)  # older articles are not revisited any more
    rows = session.execute(
        select(Source.name, Article.canonical_url, Article.first_seen_at, Article.checked_at)
        .join(Source, Article.source_id == Source.id)
        .where(Source.name.in_(list(source_names)), Article.first_seen_at >= horizon)
    )
    return [
        (name, url)
        for name, url, first_seen, checked in rows
        if any(first_seen + d <= moment and (checked or first_seen) < first_seen + d for d in after)
    ]
