"""Database fixtures and record builders for the storage tests.

Test modules import the fixture functions they need (e.g. `session_fixture`); each is
registered under its short name (`session`), so test arguments don't shadow the import.
Every DB fixture runs on SQLite (a file under tmp_path) and, when $SANKOFA_TEST_PG_URL names
a PostgreSQL database that the tests may wipe, on PostgreSQL too. As in warehouse's conftest,
the schema is migrated once per session and each test runs inside a transaction that is rolled
back; tests that need commits of their own (migrations, concurrency) use `fresh_url`.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from storage.db import make_engine, session_factory, upgrade
from storage.models import Base
from storage.records import ArticleRecord, SourceRecord
from storage.repository import start_run, store_article, sync_sources

PG_URL_ENV = "SANKOFA_TEST_PG_URL"
PG_SKIP_REASON = (
    f"${PG_URL_ENV} is not set: PostgreSQL variant skipped "
    f"(set it to e.g. postgresql+psycopg://postgres@localhost/sankofa_test, a database "
    "the tests may wipe)"
)
FETCHED_AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
SOURCES = (
    SourceRecord("alpha", "https://alpha.example/", "NG", "africa", ("en", "yo")),
    SourceRecord("beta", "https://beta.example/", "BR", "latam", ("pt",)),
)


def make_record(canonical_url: str = "https://alpha.example/a1", **fields: Any) -> ArticleRecord:
    """An ArticleRecord of source "alpha" with plausible defaults; override any field."""
    values: dict[str, Any] = {
        "source": "alpha",
        "url": canonical_url + "?utm_source=feed",
        "canonical_url": canonical_url,
        "title": "Fintech in Lagos",
        "text": "Ọjà owó ní Èkó ń dàgbà.\n\nLagos fintech keeps growing.",
        "authors": ["Adaeze Okafor"],
        "author_bio": "Adaeze covers payments.",
        "author_url": "https://alpha.example/author/adaeze",
        "published": datetime(2024, 4, 30, 8, 0, tzinfo=UTC),
        "modified": None,
        "site_name": "Alpha",
        "tags": ["fintech"],
        "categories": ["business"],
        "description": "Payments are booming.",
        "image_url": None,
        "language": "en",
        "language_confidence": 0.91,
        "language_shares": {"en": 0.6, "yo": 0.4},
        "extractor": "sankofa-test",
        "content_hash": "hash-" + canonical_url,
        "fetched_at": FETCHED_AT,
    }
    values.update(fields)
    return ArticleRecord(**values)


def seed_corpus(session: Session) -> None:
    """Five articles: two sources, three languages, months 2024-01..03 and one unknown."""
    # 22:00 on 31 January in São Paulo is 1 February in UTC: months are UTC months.
    sao_paulo_evening = datetime(2024, 1, 31, 22, tzinfo=timezone(timedelta(hours=-3)))
    for url, source, language, published in (
        ("https://alpha.example/1", "alpha", "en", datetime(2024, 1, 15, tzinfo=UTC)),
        ("https://alpha.example/2", "alpha", "yo", datetime(2024, 3, 1, tzinfo=UTC)),
        ("https://alpha.example/3", "alpha", "en", datetime(2024, 3, 31, 23, tzinfo=UTC)),
        ("https://beta.example/1", "beta", "pt", None),
        ("https://beta.example/2", "beta", "pt", sao_paulo_evening),
    ):
        record = make_record(url, source=source, language=language, published=published)
        store_article(session, record)


def bulk_row(i: int) -> dict[str, object]:
    """A row for a Core bulk INSERT into articles (source_id to be added)."""
    record = make_record(f"https://beta.example/bulk/{i}", source="beta")
    skip = {"source", "author_url", "crawl_run_id"}
    row = {name: getattr(record, name) for name in record.__slots__ if name not in skip}
    return {**row, "first_seen_at": record.fetched_at}


class LoadedObjectsProbe(io.StringIO):
    """An output stream that notes how many ORM objects the session holds at each write."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.most_loaded = 0

    def write(self, s: str) -> int:
        self.most_loaded = max(self.most_loaded, len(self.session.identity_map))
        return super().write(s)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"], name="backend")
def backend_fixture(request: pytest.FixtureRequest) -> str:
    """Which database the test runs on."""
    name: str = request.param
    if name == "postgresql" and not os.environ.get(PG_URL_ENV):
        pytest.skip(PG_SKIP_REASON)
    return name


@pytest.fixture(scope="session", name="migrated_engine")
def migrated_engine_fixture(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('storage') / 'shared.db'}"
    else:
        url = os.environ[PG_URL_ENV]
        wipe(url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture(name="session")
def session_fixture(migrated_engine: Engine) -> Iterator[Session]:
    """A session whose commits are savepoints inside one transaction rolled back at the end."""
    upgrade(migrated_engine)  # a no-op at head; re-creates the schema after a PostgreSQL wipe
    with migrated_engine.connect() as connection:
        transaction = connection.begin()
        db = Session(bind=connection, join_transaction_mode="create_savepoint")
        try:
            yield db
        finally:
            db.close()
            transaction.rollback()


@pytest.fixture(name="seeded")
def seeded_fixture(session: Session) -> Session:
    """`session` with the two test sources synced."""
    sync_sources(session, SOURCES)
    return session


@pytest.fixture(name="fresh_url")
def fresh_url_fixture(backend: str, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database that the test may commit to."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh' / 'sankofa.db'}"
        return
    url = os.environ[PG_URL_ENV]
    wipe(url)
    yield url
    wipe(url)


def wipe(url: str) -> None:
    """Drop every Sankofa table and the Alembic version table."""
    engine = make_engine(url)
    try:
        Base.metadata.drop_all(engine)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    finally:
        engine.dispose()


def store_concurrently(url: str, barrier: Barrier, worker: str, count: int) -> None:
    """Process target: store `count` articles (same URLs in every worker), own content."""
    engine = make_engine(url)
    try:
        with session_factory(engine)() as db:
            sync_sources(db, SOURCES)
            run_id = start_run(db, ["alpha"], {"worker": worker})
            barrier.wait(timeout=60)
            for i in range(count):
                record = make_record(
                    f"https://alpha.example/c{i}", content_hash=f"{worker}-{i}", crawl_run_id=run_id
                )
                store_article(db, record)
    finally:
        engine.dispose()
