"""The write side: idempotent upserts keyed by name (sources) and canonical URL (articles).

Every write function commits. It first commits whatever the session had pending (it would
commit that anyway) so that it can open its own transaction, which on SQLite takes the write
lock up front (see storage.db._on_sqlite_begin). Upserts are INSERT ... ON CONFLICT, so two
processes storing the same article at once neither duplicate it nor fail.
"""

from __future__ import annotations

import functools
import gzip
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import fields
from datetime import datetime
from typing import Any, Final, Literal

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.db import SQLITE_WRITE_LOCK, StorageError
from storage.duplicates import Member, body_hash, index_article, lock_articles
from storage.duplicates.links import comparable
from storage.models import (
    RUN_STATUSES,
    Article,
    ArticleRevision,
    Author,
    Base,
    Comment,
    CrawlRun,
    RawPage,
    Source,
    UTCDateTime,
    utc_offset_minutes,
    utcnow,
)
from storage.records import ArticleRecord, CommentRecord, RawPageRecord, SourceRecord

StoreOutcome = Literal["new", "updated", "unchanged"]

# Columns an update leaves alone: the row's identity and its first sighting.
# cluster_id belongs to the duplicate index (storage.duplicates), which updates it itself.
_KEPT_ON_UPDATE = frozenset({"id", "canonical_url", "source_id", "first_seen_at", "cluster_id"})
# What storage.duplicates needs of the stored version before an update replaces it.
_CLUSTERED_AS = (Article.published, Article.canonical_url, Article.body_hash, Article.minhash)
_SOURCE_UPDATED = ("url", "country", "region", "languages", "terms")
_RUN_COUNTERS = {
    "new": CrawlRun.articles_new,
    "updated": CrawlRun.articles_updated,
    "unchanged": CrawlRun.articles_unchanged,
}

# ArticleRecord fields stored under the same name in `articles`; the rest of the row is
# computed in _article_row (ids, first_seen_at, checked_at). tests/test_fields.py checks it.
ARTICLE_COLUMNS: Final = frozenset(column.key for column in Article.__table__.columns)
# Stored in other tables: the source row, raw_pages, comments, the author's profile URL.
RECORD_ONLY: Final = frozenset({"source", "raw_page", "comments", "author_url"})
_RECORD_COLUMNS: Final = tuple(f.name for f in fields(ArticleRecord) if f.name in ARTICLE_COLUMNS)
# Raw pages (170 KB of HTML on average, Zyte set): level 3 compresses to 0.221 of the size in
# 1.5 ms, level 6 to 0.198 in 3.5 ms of the writer thread, the crawl's busiest.
RAW_PAGE_GZIP_LEVEL: Final = 3


def sync_sources(session: Session, sources: Iterable[SourceRecord]) -> None:
    """Insert new sources and update changed ones, by name; commits."""
    # Keyed by name so a name listed twice is one row (PostgreSQL refuses to upsert a row twice).
    rows = {s.name: _source_row(s) for s in sources}
    if not rows:
        return
    with write_transaction(session):
        stmt = upsert_statement(session, Source)
        stmt = stmt.on_conflict_do_update(
            index_elements=["name"],
            set_={key: stmt.excluded[key] for key in _SOURCE_UPDATED},
        )
        session.execute(stmt, list(rows.values()))


def start_run(
    session: Session,
    source_names: Sequence[str],
    options: Mapping[str, object],
    holder: str | None = None,
) -> int:
    """Record a crawl run as running and return its id; commits."""
    with write_transaction(session):
        run = CrawlRun(
            status="running",
            sources=list(source_names),
            options=_json_safe(options),
            holder=holder,
        )
        session.add(run)
        session.flush()
        run_id = run.id
    return run_id


def finish_run(
    session: Session,
    run_id: int,
    *,
    status: str,
    pages_fetched: int,
    failures: Mapping[str, int],
    skipped: Mapping[str, int] | None = None,
    source_stats: Mapping[str, object] | None = None,
) -> None:
    """Close a run with its final status, page count, failures and skips by reason; commits."""
    if status not in RUN_STATUSES:
        raise ValueError(f"run status must be one of {', '.join(RUN_STATUSES)}, not {status!r}")
    values = {
        "status": status,
        "finished_at": utcnow(),
        "pages_fetched": pages_fetched,
        "failures": dict(failures),
        "skipped": dict(skipped or {}),
        "source_stats": dict(source_stats or {}),
    }
    with write_transaction(session):
        found = session.execute(
            update(CrawlRun).where(CrawlRun.id == run_id).values(values).returning(CrawlRun.id)
        ).scalar_one_or_none()
        if found is None:
            raise StorageError(f"crawl run {run_id} not found; check the run id")


def store_article(session: Session, record: ArticleRecord) -> StoreOutcome:
    """Upsert one article by canonical URL and count it in its run; commits.

    "unchanged" (same content hash and title) writes nothing but the run counter; "updated"
    rewrites the row in place, keeping its id, source and first_seen_at. A new or changed
    article joins its near-duplicates' cluster in the same transaction, at the corpus's
    threshold (storage.duplicates).
    """
    try:
        return store_articles(session, [record])[0]
    except IntegrityError as exc:
        raise _store_error(record, exc) from exc


def store_articles(session: Session, records: Sequence[ArticleRecord]) -> list[StoreOutcome]:
    """Store several articles as store_article does, in ONE transaction: one commit for
    all (a crawl's writer groups what has queued up). All or nothing: on any error the
    whole batch is rolled back and the error raised, so the caller can store the records
    one by one to learn which one failed."""
    for record in records:
        _require_aware(record)
    with write_transaction(session):
        # Before any store, every duplicate-index lock the stores need, at once and in
        # order: taken article by article, two writers' batches could deadlock. Lazy: on
        # SQLite (one writer at a time) lock_articles reads none of it.
        lock_articles(session, ((record.minhash, body_hash(record.text)) for record in records))
        batch = _Batch.start(session.connection(), records)
        outcomes = []
        for left, record in zip(range(len(records), 0, -1), records, strict=True):
            batch.left = left
            outcomes.append(_store(session, record, batch))
        runs = (record.crawl_run_id for record in records)
        _count(batch.connection, Counter(zip(runs, outcomes, strict=True)))
        return outcomes


class _Batch:
    """What the stores of one transaction share, to spare statements: each is a round trip,
    and on PostgreSQL the writer's time goes to waiting on them (benchmarks.store).

    The sources are read once. On PostgreSQL, a new article's id is drawn from its sequence
    beforehand (several at a time), so that the row is inserted already its own cluster
    (cluster_id = id): setting it afterwards updated the row, and as cluster_id is indexed
    the update is not HOT: PostgreSQL wrote a new entry into every index of articles,
    recomputing the full-text expression of migration 0013 over the whole body (0.9 of 4.4
    ms per article). Ids a batch leaves unused are skipped, as after any rollback. SQLite
    assigns rowids itself and updates the row in place.
    """

    def __init__(self, connection: Connection, sources: dict[str, int]) -> None:
        self.connection = connection
        self.sources = sources
        self.left = 0  # articles of the batch not yet stored, this one included
        self._drawn: list[int] = []
        self._used = 0

    @classmethod
    def start(cls, connection: Connection, records: Sequence[ArticleRecord]) -> _Batch:
        names = sorted({record.source for record in records})
        rows = connection.execute(_SOURCE_IDS, {"names": names})
        return cls(connection, {row.name: row.id for row in rows})

    def source_id(self, record: ArticleRecord) -> int:
        source_id = self.sources.get(record.source)
        if source_id is None:
            raise StorageError(
                f"unknown source '{record.source}' for article {record.canonical_url}; "
                "sync the sources (sync_sources) before storing their articles"
            )
        return source_id

    def new_id(self) -> int | None:
        """An id for a new article (PostgreSQL), None where the database assigns it."""
        if self.connection.dialect.name != "postgresql":
            return None
        if not self._drawn:
            # A few at first, then twice as many as were used: a batch of new articles takes
            # three draws, and a batch of revisits with one new article wastes at most 7 ids.
            count = min(self.left, max(_FIRST_DRAW, 2 * self._used))
            self._drawn = list(self.connection.scalars(_DRAW_IDS, {"count": count}))
            self._drawn.reverse()
        self._used += 1
        return self._drawn.pop()


def known_urls(session: Session, source_name: str) -> set[str]:
    """The URLs and canonical URLs of the articles stored for one source."""
    rows = session.execute(
        select(Article.url, Article.canonical_url)
        .join(Source, Article.source_id == Source.id)
        .where(Source.name == source_name)
    )
    return {url for row in rows for url in row}


# The statements every store runs, built once (building one costs about what running it
# does) and executed on the session's connection, without the ORM's per-statement layer.
_SOURCE_IDS: Final = select(Source.name, Source.id).where(
    Source.name.in_(bindparam("names", expanding=True))
)
_FIRST_DRAW: Final = 8
_DRAW_IDS: Final = text(
    "SELECT nextval(pg_get_serial_sequence('articles', 'id')) FROM generate_series(1, :count)"
)
_STORED_VERSION: Final = select(
    Article.id, Article.content_hash, Article.title, *_CLUSTERED_AS
).where(Article.canonical_url == bindparam("url"))
_MARK_CHECKED: Final = (
    update(Article)
    .where(Article.id == bindparam("article"))
    .values(
        checked_at=bindparam("at"),
        # An article stored before migration 0015 gets its offset when seen again unchanged
        # (a crawl, `sankofa reextract`), if the page still gives the stored instant.
        published_utc_offset=case(
            (
                Article.published == bindparam("given_published", type_=UTCDateTime()),
                func.coalesce(Article.published_utc_offset, bindparam("offset")),
            ),
            else_=Article.published_utc_offset,
        ),
    )
)


@functools.cache
def _count_run(outcome: StoreOutcome) -> Any:
    counter = _RUN_COUNTERS[outcome]
    # Incremented in SQL, not read-modify-write, so concurrent writers don't lose counts.
    return (
        update(CrawlRun)
        .where(CrawlRun.id == bindparam("run"))
        .values({counter: counter + bindparam("stored")})
        .returning(CrawlRun.id)
    )


def _store(session: Session, record: ArticleRecord, batch: _Batch) -> StoreOutcome:
    connection = session.connection()  # the write transaction's; every statement runs on it
    source_id = batch.source_id(record)
    existing = connection.execute(_STORED_VERSION, {"url": record.canonical_url}).one_or_none()
    if existing is not None and (existing.content_hash, existing.title) == (
        record.content_hash,
        record.title,
    ):
        _mark_checked(connection, existing.id, record)
        outcome: StoreOutcome = "unchanged"
        article_id: int | None = existing.id
    else:
        if existing is not None:
            _keep_revision(connection, existing.id, replaced_at=record.fetched_at)
        author_id = _upsert_author(connection, source_id, record)
        row = _article_row(record, source_id, author_id, revised=existing is not None)
        if existing is None and (new_id := batch.new_id()) is not None:
            row.update(id=new_id, cluster_id=new_id)
        outcome, article_id = _upsert_article(connection, row, existed=existing is not None)
        if record.raw_page is not None and article_id is not None:
            _upsert_raw_page(connection, article_id, record.raw_page)
        if article_id is not None:
            previous = Member(existing.id, *existing[3:]) if existing is not None else None
            # Inserted as its own cluster (the row's cluster_id was set with it), unless the
            # insert found the URL stored after all, by another writer.
            alone = outcome == "new" and row.get("cluster_id") == article_id
            index_article(session, _member(article_id, row), previous=previous, alone=alone)
    if record.comments is not None:  # threads grow while articles stay the same
        _replace_comments(
            connection, article_id or _article_id(connection, record), record.comments
        )
    return outcome


def _member(article_id: int, row: dict[str, Any]) -> Member:
    """The stored article as the duplicate index sees it (no need to read it back)."""
    return Member(
        article_id, row["published"], row["canonical_url"], row["body_hash"],
        comparable(row["minhash"]),
    )  # fmt: skip


def _mark_checked(connection: Connection, article_id: int, record: ArticleRecord) -> None:
    params = {"article": article_id, "at": record.fetched_at, "given_published": record.published}
    connection.execute(_MARK_CHECKED, {**params, "offset": utc_offset_minutes(record.published)})


def _keep_revision(connection: Connection, article_id: int, *, replaced_at: datetime) -> None:
    """Copy the stored version into article_revisions before an update overwrites it."""
    columns = (Article.id, Article.title, Article.text, Article.author_bio,
               Article.content_hash, Article.modified, Article.fetched_at)  # fmt: skip
    names = ("article_id", "title", "text", "author_bio", "content_hash", "modified", "fetched_at")
    copy = select(*columns, literal(replaced_at, UTCDateTime()).label("replaced_at"))
    connection.execute(
        insert(ArticleRevision).from_select(
            [*names, "replaced_at"], copy.where(Article.id == article_id)
        )
    )


def _upsert_article(
    connection: Connection, row: dict[str, Any], *, existed: bool
) -> tuple[StoreOutcome, int | None]:
    """INSERT, or UPDATE when the content changed: which of the two happened (if any), and
    the row's id when this statement wrote it."""
    stmt = _article_upsert(connection.dialect.name, existed, tuple(row))
    result = connection.execute(stmt, row).one_or_none()
    if result is None:  # PostgreSQL: another process stored this very content since our SELECT
        return "unchanged", None
    return ("new" if result[0] else "updated"), result[1]


def _article_id(connection: Connection, record: ArticleRecord) -> int:
    article_id: int = connection.execute(
        select(Article.id).where(Article.canonical_url == record.canonical_url)
    ).scalar_one()
    return article_id


# The upsert statements are built once per dialect and shape and executed with parameters:
# building one (its `excluded` column collection) cost more than running it.
@functools.cache
def _article_upsert(dialect: str, existed: bool, keys: tuple[str, ...]) -> Any:
    stmt = _dialect_insert(dialect, Article)
    changed = (Article.content_hash != stmt.excluded.content_hash) | (
        Article.title != stmt.excluded.title
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["canonical_url"],
        set_={key: stmt.excluded[key] for key in keys if key not in _KEPT_ON_UPDATE},
        where=changed,
    )
    return stmt.returning(_inserted_flag(dialect, existed), Article.id)


def _replace_comments(
    connection: Connection, article_id: int, comments: list[CommentRecord]
) -> None:
    connection.execute(delete(Comment).where(Comment.article_id == article_id))
    rows = [
        {"article_id": article_id, "position": c.position, "author": c.author,
         "published": c.published, "text": c.text}
        for c in comments
    ]  # fmt: skip
    if rows:
        connection.execute(insert(Comment), rows)


def _upsert_raw_page(connection: Connection, article_id: int, page: RawPageRecord) -> None:
    row = {
        "article_id": article_id,
        "url": page.url,
        "status": page.status,
        "headers": [list(pair) for pair in page.headers],
        "body_gzip": gzip.compress(page.body, compresslevel=RAW_PAGE_GZIP_LEVEL),
        "fetched_at": page.fetched_at,
    }
    connection.execute(_raw_page_upsert(connection.dialect.name, tuple(row)), row)


@functools.cache
def _raw_page_upsert(dialect: str, keys: tuple[str, ...]) -> Any:
    stmt = _dialect_insert(dialect, RawPage)
    return stmt.on_conflict_do_update(
        index_elements=["article_id"], set_={key: stmt.excluded[key] for key in keys}
    )


def _inserted_flag(dialect: str, existed: bool) -> ColumnElement[bool]:
    """RETURNING expression telling an inserted row from an updated one.

    SQLite writers hold the write lock from BEGIN IMMEDIATE, so our SELECT is still true.
    PostgreSQL writers can race between SELECT and upsert; there a freshly inserted row
    version has xmax = 0, while an ON CONFLICT update sets xmax to the updating transaction.
    """
    if dialect == "postgresql":
        return literal_column("xmax = 0", Boolean)
    return literal(not existed, Boolean)


def _upsert_author(connection: Connection, source_id: int, record: ArticleRecord) -> int | None:
    """Upsert the first author, keeping the latest non-empty bio and profile URL."""
    name = record.authors[0].strip() if record.authors else ""
    if not name:
        return None
    row = {
        "source_id": source_id,
        "name": name,
        "bio": record.author_bio.strip(),
        "profile_url": record.author_url or None,
        "updated_at": utcnow(),
    }
    upsert = _author_upsert(connection.dialect.name)
    author_id: int = connection.execute(upsert, row).scalar_one()
    return author_id


@functools.cache
def _author_upsert(dialect: str) -> Any:
    stmt = _dialect_insert(dialect, Author)
    new = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=["source_id", "name"],
        set_={
            "bio": case((new.bio != "", new.bio), else_=Author.bio),
            "profile_url": func.coalesce(new.profile_url, Author.profile_url),
            "updated_at": new.updated_at,
        },
    )
    return stmt.returning(Author.id)


def _count(connection: Connection, stored: Counter[tuple[int | None, StoreOutcome]]) -> None:
    """Add the batch's outcomes to its runs' counters (one statement per run and outcome)."""
    for (run_id, outcome), count in sorted(stored.items(), key=lambda i: (i[0][0] or 0, i[0][1])):
        if run_id is None:
            continue
        params = {"run": run_id, "stored": count}
        if connection.execute(_count_run(outcome), params).scalar_one_or_none() is None:
            raise StorageError(f"crawl run {run_id} not found; start one with start_run() first")


def _store_error(record: ArticleRecord, exc: IntegrityError) -> StorageError:
    reason = str(exc.orig).splitlines()[0]
    run = record.crawl_run_id
    advice = f"check that crawl run {run} exists" if run is not None else "check the record"
    return StorageError(f"cannot store article {record.canonical_url}: {reason}; {advice}")


def _article_row(
    record: ArticleRecord, source_id: int, author_id: int | None, *, revised: bool = False
) -> dict[str, Any]:
    """The articles row of ``record``: every record field that is a column, by name."""
    row = {name: _copied(getattr(record, name)) for name in _RECORD_COLUMNS}
    # A changed article whose page gives no modified date was modified when we saw the change.
    modified = record.modified or (record.fetched_at if revised else None)
    row.update(source_id=source_id, author_id=author_id, modified=modified)
    row.update(first_seen_at=record.fetched_at, checked_at=record.fetched_at)
    row.update(body_hash=body_hash(record.text))
    row.update(published_utc_offset=utc_offset_minutes(record.published))
    return row


def _copied(value: Any) -> Any:
    # The row must not share lists or dicts with the record the caller still holds.
    return value.copy() if isinstance(value, list | dict) else value


def _source_row(source: SourceRecord) -> dict[str, Any]:
    return {
        "name": source.name,
        "url": source.url,
        "country": source.country,
        "region": source.region,
        "languages": list(source.languages),
        "terms": source.terms,
    }


def _require_aware(record: ArticleRecord) -> None:
    # Checked before any write: a naive datetime is a bug upstream, and guessing its zone
    # would silently shift dates.
    for name in ("published", "modified", "fetched_at"):
        value = getattr(record, name)
        if value is not None and value.utcoffset() is None:
            raise ValueError(f"{name} of {record.canonical_url} is a naive datetime; use UTC")


def _json_safe(options: Mapping[str, object]) -> dict[str, object]:
    # Run options may hold paths or dates; store their text rather than fail the crawl.
    safe: dict[str, object] = json.loads(json.dumps(dict(options), default=str))
    return safe


@contextmanager
def write_transaction(session: Session) -> Iterator[None]:
    """One write transaction: committed at the end, rolled back on any error."""
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={SQLITE_WRITE_LOCK: True})
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise


def upsert_statement(session: Session, model: type[Base]) -> postgresql.Insert | sqlite.Insert:
    """The dialect's INSERT, which has ON CONFLICT (core insert() has no upsert)."""
    return _dialect_insert(_dialect(session), model)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _dialect_insert(dialect: str, model: type[Base]) -> postgresql.Insert | sqlite.Insert:
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise StorageError(f"unsupported database '{dialect}'; use SQLite or PostgreSQL")
