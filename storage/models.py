"""Typed declarative models of the corpus.

Every datetime column is a `UTCDateTime`: aware UTC datetimes go in and come out on every
backend. Lists and dicts are `sqlalchemy.JSON`, so one schema serves SQLite and PostgreSQL.
Any change here needs an Alembic revision (tests/test_migrations.py fails on drift).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any, ClassVar, Final

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeEngine

RUN_STATUSES: Final = ("running", "finished", "failed", "interrupted")

# Deterministic constraint names keep Alembic's batch mode (SQLite) and autogenerate stable.
NAMING_CONVENTION: Final = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always aware UTC in Python.

    SQLite has no time zones: values are stored as naive UTC and re-labelled UTC on the way
    out. PostgreSQL stores TIMESTAMPTZ and hands back the session's zone, which we convert.
    Naive input is refused, since guessing its zone would silently shift dates.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} given; pass an aware UTC one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {value!r}")
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_offset_minutes(moment: datetime | None) -> int | None:
    """The UTC offset ``moment`` was given in, in minutes east of UTC (None: no moment, or a
    naive one)."""
    offset = moment.utcoffset() if moment is not None else None
    return None if offset is None else round(offset.total_seconds() / 60)


def publisher_time(moment: datetime | None, utc_offset_minutes: int | None) -> datetime | None:
    """``moment`` (aware) as the publisher wrote it: in the UTC offset its page declared
    (``articles.published_utc_offset``), so that its day is the day the page printed; in UTC
    when the page declared no offset."""
    if moment is None or utc_offset_minutes is None or abs(utc_offset_minutes) >= 24 * 60:
        return moment  # no offset, or none a clock has (a row edited by hand): UTC
    return moment.astimezone(timezone(timedelta(minutes=utc_offset_minutes)))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, TypeEngine[Any]]] = {
        datetime: UTCDateTime(),
        list[str]: JSON(),
        dict[str, int]: JSON(),
        dict[str, float]: JSON(),
        dict[str, object]: JSON(),
    }


class Source(Base):
    """A site we crawl, as declared in sources.toml (synced by name)."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(8))
    region: Mapped[str | None] = mapped_column(String(100))
    languages: Mapped[list[str]] = mapped_column(default=list)
    terms: Mapped[str | None] = mapped_column(Text)  # terms-of-use note, quoted in dataset cards
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Scheduling state: when a crawl of this source last finished, and who crawls it now.
    last_success_at: Mapped[datetime | None]
    lock_holder: Mapped[str | None] = mapped_column(String(300))  # "host:pid" of the crawl
    lock_run_id: Mapped[int | None]
    lock_expires_at: Mapped[datetime | None]


class CrawlRun(Base):
    """One `sankofa crawl` invocation; the article counters are kept by store_article."""

    __tablename__ = "crawl_runs"
    __table_args__ = (
        CheckConstraint(
            "status IN ('running', 'finished', 'failed', 'interrupted')", name="status"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="running")
    sources: Mapped[list[str]] = mapped_column(default=list)
    options: Mapped[dict[str, object]] = mapped_column(default=dict)
    pages_fetched: Mapped[int] = mapped_column(default=0)
    articles_new: Mapped[int] = mapped_column(default=0)
    articles_updated: Mapped[int] = mapped_column(default=0)
    articles_unchanged: Mapped[int] = mapped_column(default=0)
    failures: Mapped[dict[str, int]] = mapped_column(default=dict)  # reason -> count
    holder: Mapped[str | None] = mapped_column(String(300))  # "host:pid" running the crawl
    # Per source: {"pages": n, "new": n, "updated": n, "failures": {...}, "skipped": {...}}
    source_stats: Mapped[dict[str, object]] = mapped_column(default=dict)
    skipped: Mapped[dict[str, int]] = mapped_column(default=dict)  # decisions, e.g. not_article


class Author(Base):
    """A byline within one source: the same name on two sites is two authors."""

    __tablename__ = "authors"
    __table_args__ = (UniqueConstraint("source_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    name: Mapped[str] = mapped_column(Text)
    bio: Mapped[str] = mapped_column(Text, default="")
    profile_url: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    source: Mapped[Source] = relationship()


def _browse_indexes() -> list[Index]:
    """By id, by language and by date (each with a partial twin over the articles with a
    bio), by author, and the members of story clusters: see migrations 0011 and 0012."""
    by_id = ("page_kind", "id", "language", "source_id", "published", "in_story")
    by_language = ("page_kind", "language", "source_id", "published", "in_story")
    by_date = ("page_kind", "published", "language", "source_id", "in_story")

    members = ("page_kind", "cluster_id", "published", "canonical_url")
    # An article with a near-duplicate, as each dialect renders `Article.in_story` (SQLite
    # uses a partial index only for a query stating its condition the same way).
    sqlite_story, postgresql_story = text("in_story = 1"), text("in_story")

    def with_bio(name: str, columns: tuple[str, ...]) -> Index:
        where = text("author_bio != ''")
        return Index(name, *columns, sqlite_where=where, postgresql_where=where)

    return [
        Index("ix_articles_kind_id_language_source_published", *by_id),
        Index("ix_articles_kind_language_source_published", *by_language),
        Index("ix_articles_kind_published_language_source", *by_date),
        with_bio("ix_articles_bio_kind_id_language_source_published", by_id),
        with_bio("ix_articles_bio_kind_language_source_published", by_language),
        with_bio("ix_articles_bio_kind_published_language_source", by_date),
        Index("ix_articles_author_id_published", "author_id", "published"),
        Index(
            "ix_articles_story_members",
            *members,
            sqlite_where=sqlite_story,
            postgresql_where=postgresql_story,
        ),
    ]


class Article(Base):
    """One article, keyed by its canonical URL; `id` never changes once assigned."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_source_id_published", "source_id", "published"),
        # Browsing (storage.browse, migration 0011): counts and the newest articles read
        # from indexes alone, since reading a SQLite row past its body walks overflow pages.
        *_browse_indexes(),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("authors.id", ondelete="SET NULL"))
    authors: Mapped[list[str]] = mapped_column(default=list)
    author_bio: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), index=True)
    language_confidence: Mapped[float] = mapped_column(Float)
    language_shares: Mapped[dict[str, float]] = mapped_column(default=dict)
    code_switched: Mapped[bool] = mapped_column(default=False, server_default=false())
    # "article", or the kind of page the classifier took a kept but doubtful page for.
    page_kind: Mapped[str] = mapped_column(
        String(16), default="article", server_default="article", index=True
    )
    article_score: Mapped[float | None] = mapped_column(Float)  # None: stored before scoring
    # "ok", or "replacement_chars": bytes no encoding explains left U+FFFD in the text.
    text_quality: Mapped[str] = mapped_column(String(24), default="ok", server_default="ok")
    published: Mapped[datetime | None] = mapped_column(index=True)
    # Minutes east of UTC of the zone the page gave `published` in (None: no date, or stored
    # before 0015), so that the publisher's own day can be told from the UTC instant.
    published_utc_offset: Mapped[int | None] = mapped_column(SmallInteger)
    modified: Mapped[datetime | None]
    site_name: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(default=list)
    categories: Mapped[list[str]] = mapped_column(default=list)
    description: Mapped[str | None] = mapped_column(Text)
    image_url: Mapped[str | None] = mapped_column(Text)
    extractor: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(128))
    fetched_at: Mapped[datetime]  # when the stored version was fetched
    first_seen_at: Mapped[datetime]
    checked_at: Mapped[datetime | None]  # last fetch, changed or not (revisits)
    crawl_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="SET NULL")
    )
    # Duplicates (storage.duplicates). body_hash: the body with Unicode form and spacing
    # unified, shared by exact copies. minhash: the body's MinHash signature (crawler.dedupe),
    # null for bodies too short to compare. cluster_id: the id of the cluster's earliest
    # published article (its own id when it has no near-duplicate); near_duplicate_of and
    # exact_duplicate_of name that earliest article (null on the earliest itself). in_story:
    # the cluster holds two or more articles. Its size is counted when read (migration 0012:
    # kept on each article, a story of n rewrote n rows whenever one more joined).
    body_hash: Mapped[str | None] = mapped_column(String(32), index=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    cluster_id: Mapped[int | None] = mapped_column(Integer, index=True)
    in_story: Mapped[bool] = mapped_column(default=False, server_default=false())
    near_duplicate_of: Mapped[int | None]
    exact_duplicate_of: Mapped[int | None]

    source: Mapped[Source] = relationship()
    author: Mapped[Author | None] = relationship()


class CorpusSetting(Base):
    """A setting of the corpus itself, which every process writing to it must share (e.g.
    the near-duplicate threshold: clusters built with two thresholds would disagree)."""

    __tablename__ = "corpus_settings"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class LshBucket(Base):
    """One LSH band of one article's MinHash signature: articles sharing a bucket are
    candidate near-duplicates. The key alone is looked up, so the table is its primary key
    (no rowid on SQLite)."""

    __tablename__ = "lsh_buckets"
    __table_args__ = ({"sqlite_with_rowid": False},)

    bucket: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )


class RawPage(Base):
    """The HTTP response an article was last extracted from, its body gzip-compressed.

    Kept (unless the crawl turns it off) so that a corpus can be re-extracted without
    re-crawling and exported as WARC.
    """

    __tablename__ = "raw_pages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), unique=True
    )
    url: Mapped[str] = mapped_column(Text)
    status: Mapped[int]
    headers: Mapped[list[list[str]]] = mapped_column(JSON)  # [name, value] pairs, in order
    body_gzip: Mapped[bytes] = mapped_column(LargeBinary)
    fetched_at: Mapped[datetime]


class ArticleRevision(Base):
    """An earlier version of an article, kept when a revisit finds its content changed."""

    __tablename__ = "article_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    author_bio: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(128))
    modified: Mapped[datetime | None]
    fetched_at: Mapped[datetime]  # when this version was fetched
    replaced_at: Mapped[datetime]  # when a newer version replaced it


class UrlValidator(Base):
    """HTTP validators of a feed, sitemap or listing page, for conditional GET."""

    __tablename__ = "url_validators"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class Comment(Base):
    """A reader comment under an article; kept only when a crawl asks for comments."""

    __tablename__ = "comments"
    __table_args__ = (UniqueConstraint("article_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]  # order on the page, from 0
    author: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[datetime | None]
    text: Mapped[str] = mapped_column(Text)
