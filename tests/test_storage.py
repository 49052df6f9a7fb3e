"""The storage library on real databases: writes, reads, exports, errors, concurrency."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import event, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage import repository
from storage.db import StorageError, default_url, make_engine, open_database, session_factory
from storage.export.rows import EXPORT_BATCH_SIZE, EXPORT_FIELDS, article_to_dict, export_jsonl
from storage.models import Article, Author, CrawlRun, Source
from storage.queries import (
    ArticleFilter,
    get_run,
    list_runs,
    select_articles,
    source_names,
    stats,
)
from storage.records import ArticleRecord
from storage.repository import (
    finish_run,
    known_urls,
    start_run,
    store_article,
    store_articles,
    sync_sources,
)
from tests.storage_fixtures import (  # noqa: F401 (the *_fixture imports register fixtures)
    FETCHED_AT,
    SOURCES,
    LoadedObjectsProbe,
    backend_fixture,
    bulk_row,
    fresh_url_fixture,
    make_record,
    migrated_engine_fixture,
    seed_corpus,
    seeded_fixture,
    session_fixture,
    store_concurrently,
)


def article_count(session: Session) -> int:
    return session.scalar(select(func.count(Article.id))) or 0


def stored(session: Session, canonical_url: str) -> Article:
    article = session.scalars(select(Article).where(Article.canonical_url == canonical_url)).one()
    session.refresh(article)
    return article


# --- store_article ----------------------------------------------------------------------


def test_store_new_then_unchanged(seeded: Session) -> None:
    assert store_article(seeded, make_record()) == "new"
    assert store_article(seeded, make_record()) == "unchanged"
    assert article_count(seeded) == 1


def test_unchanged_article_is_not_rewritten(seeded: Session) -> None:
    store_article(seeded, make_record())
    later = FETCHED_AT + timedelta(days=1)
    assert store_article(seeded, make_record(fetched_at=later, text="other")) == "unchanged"
    article = stored(seeded, "https://alpha.example/a1")
    assert article.fetched_at == FETCHED_AT
    assert article.text.startswith("Ọjà")


def test_changed_content_updates_in_place_and_keeps_id(seeded: Session) -> None:
    store_article(seeded, make_record())
    first = stored(seeded, "https://alpha.example/a1")
    first_id, first_seen = first.id, first.first_seen_at
    later = FETCHED_AT + timedelta(hours=6)
    changed = make_record(content_hash="v2", text="Updated body.", fetched_at=later)
    assert store_article(seeded, changed) == "updated"
    article = stored(seeded, "https://alpha.example/a1")
    assert (article.id, article.text, article.fetched_at) == (first_id, "Updated body.", later)
    assert article.first_seen_at == first_seen
    assert article_count(seeded) == 1


def test_changed_title_alone_is_an_update(seeded: Session) -> None:
    store_article(seeded, make_record())
    assert store_article(seeded, make_record(title="Fintech in Lagos, revised")) == "updated"


def test_article_fields_round_trip(seeded: Session) -> None:
    record = make_record(tags=["fintech", "ọjà"], language_shares={"yo": 0.7, "en": 0.3})
    store_article(seeded, record)
    article = stored(seeded, record.canonical_url)
    assert article.url == record.url
    assert article.tags == ["fintech", "ọjà"]
    assert article.language_shares == {"yo": 0.7, "en": 0.3}
    assert article.authors == ["Adaeze Okafor"]
    assert article.source.name == "alpha"


def test_unknown_source_is_a_storage_error(seeded: Session) -> None:
    with pytest.raises(StorageError, match="unknown source 'nowhere'") as caught:
        store_article(seeded, make_record(source="nowhere"))
    assert "\n" not in str(caught.value)


def test_naive_datetime_is_refused_before_writing(seeded: Session) -> None:
    with pytest.raises(ValueError, match="naive"):
        store_article(seeded, make_record(published=datetime(2024, 1, 1)))
    assert article_count(seeded) == 0


# --- authors ------------------------------------------------------------------------------


def test_author_upsert_keeps_latest_non_empty_bio(seeded: Session) -> None:
    store_article(seeded, make_record("https://alpha.example/a1", author_bio="First bio."))
    store_article(seeded, make_record("https://alpha.example/a2", author_bio="Latest bio."))
    store_article(seeded, make_record("https://alpha.example/a3", author_bio="", author_url=None))
    author = seeded.scalars(select(Author)).one()
    seeded.refresh(author)
    assert (author.name, author.bio) == ("Adaeze Okafor", "Latest bio.")
    assert author.profile_url == "https://alpha.example/author/adaeze"
    linked = {stored(seeded, f"https://alpha.example/a{i}").author_id for i in (1, 2, 3)}
    assert linked == {author.id}


def test_same_author_name_on_two_sources_is_two_authors(seeded: Session) -> None:
    store_article(seeded, make_record("https://alpha.example/a1"))
    store_article(seeded, make_record("https://beta.example/b1", source="beta"))
    assert len(seeded.scalars(select(Author)).all()) == 2


def test_article_without_author_links_none(seeded: Session) -> None:
    store_article(seeded, make_record(authors=[]))
    assert stored(seeded, "https://alpha.example/a1").author_id is None
    assert seeded.scalars(select(Author)).all() == []


# --- runs ---------------------------------------------------------------------------------


def test_run_counters_follow_outcomes(seeded: Session) -> None:
    run_id = start_run(seeded, ["alpha"], {"max_pages": 10, "out": Path("/tmp/x")})
    for record in (
        make_record("https://alpha.example/a1", crawl_run_id=run_id),
        make_record("https://alpha.example/a2", crawl_run_id=run_id),
        make_record("https://alpha.example/a1", crawl_run_id=run_id),
        make_record("https://alpha.example/a2", crawl_run_id=run_id, content_hash="v2"),
    ):
        store_article(seeded, record)
    run = get_run(seeded, run_id)
    assert run is not None
    counters = (run.articles_new, run.articles_updated, run.articles_unchanged)
    assert counters == (2, 1, 1)
    assert (run.status, run.sources, run.options) == (
        "running",
        ["alpha"],
        {"max_pages": 10, "out": "/tmp/x"},
    )


def test_a_batch_stores_counts_and_clusters_as_single_stores_do(seeded: Session) -> None:
    """store_articles reads sources once, counts once per run and (PostgreSQL) inserts new
    rows as their own cluster: the outcome must be that of one store_article each."""

    def record(url: str, run: int | None, **fields: str) -> ArticleRecord:
        return make_record(url, crawl_run_id=run, text=f"The story at {url}.", **fields)

    runs = [start_run(seeded, ["alpha", "beta"], {}) for _ in range(2)]
    store_article(seeded, record("https://alpha.example/old", runs[0]))
    batch = [
        record("https://alpha.example/old", runs[0]),  # unchanged
        record("https://beta.example/b1", runs[0], source="beta"),
        record("https://alpha.example/a1", runs[1]),
        record("https://alpha.example/a1", runs[1], content_hash="v2"),
        record("https://alpha.example/a2", None),
    ]
    assert store_articles(seeded, batch) == ["unchanged", "new", "new", "updated", "new"]
    counters = [get_run(seeded, run_id) for run_id in runs]
    assert [(r.articles_new, r.articles_updated, r.articles_unchanged) for r in counters if r] == [
        (2, 0, 1),  # the first store of "old" counted 1 new before the batch
        (1, 1, 0),
    ]
    rows = seeded.execute(select(Article.id, Article.cluster_id, Article.source_id)).all()
    assert len(rows) == 4 and all(cluster == article for article, cluster, _ in rows)
    beta = seeded.scalar(select(Source.id).where(Source.name == "beta"))
    assert stored(seeded, "https://beta.example/b1").source_id == beta


def test_a_long_batch_of_new_articles_gets_distinct_ids_each_its_own_cluster(
    seeded: Session,
) -> None:
    """Past the first few, PostgreSQL's ids are drawn again, more at a time."""
    records = [make_record(f"https://alpha.example/n{i}", text=f"Story {i}.") for i in range(30)]
    assert store_articles(seeded, records) == ["new"] * 30
    rows = seeded.execute(select(Article.id, Article.cluster_id)).all()
    assert len({article for article, _ in rows}) == 30
    assert all(cluster == article for article, cluster in rows)


def test_a_batch_naming_an_unknown_run_or_source_stores_nothing(seeded: Session) -> None:
    good = make_record("https://alpha.example/a1")
    with pytest.raises(IntegrityError):  # the run's foreign key; store_article explains it
        store_articles(seeded, [good, make_record("https://alpha.example/b", crawl_run_id=999_999)])
    with pytest.raises(StorageError, match="unknown source 'gamma'"):
        store_articles(seeded, [good, make_record("https://gamma.example/g", source="gamma")])
    assert article_count(seeded) == 0


def test_an_article_another_writer_stored_meanwhile_keeps_its_row(
    seeded: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two PostgreSQL writers can both read "not stored yet" and then insert: the second
    insert becomes an update of the first row, which keeps its id and its cluster."""
    assert store_article(seeded, make_record()) == "new"
    first = stored(seeded, "https://alpha.example/a1")
    article_id, cluster_id = first.id, first.cluster_id
    never = select(Article.id, Article.content_hash, Article.title, *repository._CLUSTERED_AS)
    monkeypatch.setattr(repository, "_STORED_VERSION", never.where(Article.id < 0))
    outcome = store_article(seeded, make_record(content_hash="changed meanwhile"))
    # SQLite holds its write lock from BEGIN: its read cannot miss a row, and the insert
    # that thinks the row new is an update all the same (ON CONFLICT).
    assert outcome in {"updated", "new"}
    seeded.expunge_all()
    again = stored(seeded, "https://alpha.example/a1")
    assert (again.id, again.cluster_id, again.content_hash) == (
        article_id,
        cluster_id,
        "changed meanwhile",
    )
    assert article_count(seeded) == 1


def test_finish_run_round_trips_failures(seeded: Session) -> None:
    run_id = start_run(seeded, ["alpha", "beta"], {})
    failures = {"http_404": 3, "extraction_empty": 1}
    finish_run(seeded, run_id, status="finished", pages_fetched=42, failures=failures)
    seeded.expunge_all()
    run = get_run(seeded, run_id)
    assert run is not None
    assert (run.status, run.pages_fetched, run.failures) == ("finished", 42, failures)
    assert run.finished_at is not None and run.finished_at.tzinfo == UTC
    assert run.started_at <= run.finished_at


def test_finish_run_refuses_unknown_status_and_run(seeded: Session) -> None:
    run_id = start_run(seeded, ["alpha"], {})
    with pytest.raises(ValueError, match="status"):
        finish_run(seeded, run_id, status="done", pages_fetched=0, failures={})
    with pytest.raises(StorageError, match="crawl run 999999 not found"):
        finish_run(seeded, 999_999, status="failed", pages_fetched=0, failures={})


def test_list_runs_newest_first(seeded: Session) -> None:
    ids = [start_run(seeded, ["alpha"], {"n": n}) for n in range(3)]
    assert [run.id for run in list_runs(seeded, limit=2)] == ids[::-1][:2]


# --- sources and known URLs ---------------------------------------------------------------


def test_sync_sources_upserts_by_name(session: Session) -> None:
    sync_sources(session, SOURCES)
    moved = SOURCES[0].__class__("alpha", "https://alpha.example/new/", "GH", None, ("en",))
    sync_sources(session, [moved, moved])
    alpha = session.scalars(select(Source).where(Source.name == "alpha")).one()
    session.refresh(alpha)
    assert (alpha.url, alpha.country, alpha.languages) == (
        "https://alpha.example/new/",
        "GH",
        ["en"],
    )
    assert source_names(session) == ["alpha", "beta"]


def test_known_urls_lists_url_and_canonical_url_of_one_source(seeded: Session) -> None:
    store_article(seeded, make_record("https://alpha.example/a1"))
    store_article(seeded, make_record("https://beta.example/b1", source="beta"))
    assert known_urls(seeded, "alpha") == {
        "https://alpha.example/a1",
        "https://alpha.example/a1?utm_source=feed",
    }
    assert known_urls(seeded, "nowhere") == set()


# --- datetimes ----------------------------------------------------------------------------


def test_aware_datetimes_round_trip_as_utc(seeded: Session) -> None:
    lagos_evening = datetime(2024, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=1)))
    store_article(seeded, make_record(published=lagos_evening, modified=None))
    seeded.expunge_all()
    article = stored(seeded, "https://alpha.example/a1")
    assert article.published == lagos_evening
    assert article.published is not None and article.published.tzinfo == UTC
    assert article.published.hour == 22
    assert article.published_utc_offset == 60  # the zone the page gave, kept beside the instant
    assert article.fetched_at.tzinfo == UTC and article.modified is None


def test_an_article_stored_before_offsets_gets_one_when_seen_again(seeded: Session) -> None:
    nairobi_morning = datetime(2024, 2, 26, 6, 45, tzinfo=timezone(timedelta(hours=3)))
    store_article(seeded, make_record(published=nairobi_morning))
    unknown = update(Article).values(published_utc_offset=None)
    seeded.execute(unknown)
    seeded.commit()
    moved = make_record("https://alpha.example/a2", published=nairobi_morning)
    store_article(seeded, moved)
    seeded.execute(unknown.where(Article.canonical_url == moved.canonical_url))
    seeded.commit()
    store_article(seeded, make_record(published=nairobi_morning))  # unchanged: same page
    # Unchanged text, but the page now gives another time: the stored instant is not its.
    store_article(seeded, replace(moved, published=nairobi_morning + timedelta(hours=1)))
    seeded.expunge_all()
    assert stored(seeded, "https://alpha.example/a1").published_utc_offset == 180
    assert stored(seeded, moved.canonical_url).published_utc_offset is None


def test_no_publication_time_no_offset(seeded: Session) -> None:
    store_article(seeded, make_record(published=None))
    seeded.expunge_all()
    assert stored(seeded, "https://alpha.example/a1").published_utc_offset is None


# --- queries and stats --------------------------------------------------------------------


def test_stats_group_in_sql(seeded: Session) -> None:
    seed_corpus(seeded)
    result = stats(seeded)
    assert result.total == 5
    assert result.by_source == [("alpha", 3), ("beta", 2)]
    assert result.by_language == [("en", 2), ("pt", 2), ("yo", 1)]
    assert result.by_month == [("2024-01", 1), ("2024-02", 1), ("2024-03", 2), ("unknown", 1)]


def test_stats_and_select_honour_the_filter(seeded: Session) -> None:
    seed_corpus(seeded)
    flt = ArticleFilter(sources=("alpha",), since=datetime(2024, 2, 1, tzinfo=UTC))
    assert stats(seeded, flt).by_language == [("en", 1), ("yo", 1)]
    in_march = ArticleFilter(
        since=datetime(2024, 3, 1, tzinfo=UTC), until=datetime(2024, 4, 1, tzinfo=UTC)
    )
    urls = [a.canonical_url for a in seeded.scalars(select_articles(in_march))]
    assert urls == ["https://alpha.example/2", "https://alpha.example/3"]
    assert stats(seeded, ArticleFilter(languages=("pt",))).by_source == [("beta", 2)]


def test_stats_of_empty_database(session: Session) -> None:
    assert stats(session).total == 0
    assert stats(session).by_month == []


# --- export -------------------------------------------------------------------------------


def test_export_jsonl_fields_and_values(seeded: Session) -> None:
    store_article(seeded, make_record())
    out = io.StringIO()
    assert export_jsonl(seeded, out) == 1
    line = out.getvalue()
    assert line.endswith("\n") and "Ọjà" in line  # ensure_ascii=False
    row = json.loads(line)
    assert tuple(row) == EXPORT_FIELDS
    assert row["source"] == "alpha" and row["author"] == "Adaeze Okafor"
    assert row["published"] == "2024-04-30T08:00:00+00:00"
    assert row["modified"] is None and row["language_shares"] == {"en": 0.6, "yo": 0.4}


def test_article_to_dict_without_authors(seeded: Session) -> None:
    store_article(seeded, make_record(authors=[]))
    row = article_to_dict(stored(seeded, "https://alpha.example/a1"), "alpha")
    assert row["author"] is None and row["authors"] == []


def test_export_streams_in_batches(seeded: Session) -> None:
    beta_id = seeded.scalar(select(Source.id).where(Source.name == "beta"))
    seeded.execute(insert(Article), [{**bulk_row(i), "source_id": beta_id} for i in range(2000)])
    probe = LoadedObjectsProbe(seeded)
    assert export_jsonl(seeded, probe, ArticleFilter(sources=("beta",))) == 2000
    ids = [json.loads(line)["id"] for line in probe.getvalue().splitlines()]
    assert ids == sorted(ids) and len(set(ids)) == 2000
    assert EXPORT_BATCH_SIZE < 2000 and probe.most_loaded == 0  # plain rows, no ORM objects


# --- failures keep what is stored ---------------------------------------------------------


def test_failed_store_rolls_back_and_keeps_earlier_data(seeded: Session) -> None:
    store_article(seeded, make_record("https://alpha.example/a1", author_bio="Kept bio."))
    doomed = make_record("https://alpha.example/a2", author_bio="Doomed bio.", crawl_run_id=999_999)
    with pytest.raises(StorageError) as caught:
        store_article(seeded, doomed)
    assert "\n" not in str(caught.value)
    assert [a.canonical_url for a in seeded.scalars(select(Article))] == [
        "https://alpha.example/a1"
    ]
    assert seeded.scalars(select(Author.bio)).one() == "Kept bio."
    assert store_article(seeded, make_record("https://alpha.example/a3")) == "new"


def test_failed_open_leaves_existing_data_alone(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    engine = open_database(url)
    with session_factory(engine)() as db:
        sync_sources(db, SOURCES)
        store_article(db, make_record())
    engine.dispose()
    not_a_db = tmp_path / "notes.db"
    not_a_db.write_text("just some notes\n")
    with pytest.raises(StorageError, match="is not a SQLite database"):
        open_database(f"sqlite:///{not_a_db}")
    assert not_a_db.read_text() == "just some notes\n"
    engine = open_database(url)
    with session_factory(engine)() as db:
        assert article_count(db) == 1
    engine.dispose()


# --- opening databases --------------------------------------------------------------------


def assert_one_line_error(url: str, *fragments: str) -> str:
    with pytest.raises(StorageError) as caught:
        open_database(url)
    message = str(caught.value)
    assert "\n" not in message and message.strip() == message
    for fragment in fragments:
        assert fragment in message
    return message


def test_invalid_url_string() -> None:
    assert_one_line_error(
        "notaurl", "invalid database URL 'notaurl'", "expected e.g. sqlite:///path/to/sankofa.db"
    )


def test_unsupported_backend_masks_password() -> None:
    message = assert_one_line_error("mysql://reader:s3cret@db.example/corpus", "unsupported")
    assert "s3cret" not in message and "reader:***@" in message


def test_unreachable_postgresql_masks_password() -> None:
    # Driver missing or server refusing: either way one line, and no password in it.
    message = assert_one_line_error("postgresql+psycopg://reader:s3cret@127.0.0.1:9/corpus")
    assert "s3cret" not in message


def test_directory_that_cannot_be_created() -> None:
    assert_one_line_error("sqlite:////proc/forbidden/x.db", "'/proc/forbidden'", "writable")


def test_directory_that_refuses_new_files() -> None:
    # procfs refuses new files even to root, for whom permission bits mean nothing.
    assert_one_line_error("sqlite:////proc/sankofa.db", "cannot open database", "writable")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permission bits")
def test_read_only_directory(tmp_path: Path) -> None:
    read_only = tmp_path / "ro"
    read_only.mkdir()
    read_only.chmod(0o555)
    try:
        assert_one_line_error(f"sqlite:///{read_only / 'x.db'}", str(read_only), "writable")
    finally:
        read_only.chmod(0o755)


def test_open_database_creates_parent_directories(tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'a' / 'b' / 'sankofa.db'}")
    engine.dispose()
    assert (tmp_path / "a" / "b" / "sankofa.db").is_file()


def test_sqlite_connections_are_tuned(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    with engine.connect() as connection:
        pragmas = [
            connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "busy_timeout", "foreign_keys")
        ]
    engine.dispose()
    assert pragmas == ["wal", 30000, 1]


def test_default_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SANKOFA_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_url() == f"sqlite:///{tmp_path}/sankofa/sankofa.db"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_url() == f"sqlite:///{Path.home()}/.local/share/sankofa/sankofa.db"
    monkeypatch.setenv("SANKOFA_DB", "postgresql+psycopg://u@h/db")
    assert default_url() == "postgresql+psycopg://u@h/db"


# --- concurrency --------------------------------------------------------------------------


def test_two_processes_store_the_same_urls(fresh_url: str) -> None:
    open_database(fresh_url).dispose()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    workers = [
        context.Process(target=store_concurrently, args=(fresh_url, barrier, name, 200))
        for name in ("w1", "w2")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [worker.exitcode for worker in workers] == [0, 0]
    engine = make_engine(fresh_url)
    with session_factory(engine)() as db:
        assert article_count(db) == 200
        runs = db.scalars(select(CrawlRun)).all()
        assert sum(run.articles_new for run in runs) == 200
        assert sum(run.articles_new + run.articles_updated for run in runs) == 400
    engine.dispose()


def test_sqlite_writers_begin_immediate_and_readers_deferred(tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'lock.db'}")
    begins: list[str] = []

    def note_begin(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.startswith("BEGIN"):
            begins.append(statement)

    event.listen(engine, "before_cursor_execute", note_begin)
    with session_factory(engine)() as db:
        known_urls(db, "alpha")
        sync_sources(db, SOURCES)
        store_article(db, make_record())
        known_urls(db, "alpha")
    engine.dispose()
    assert begins == ["BEGIN", "BEGIN IMMEDIATE", "BEGIN IMMEDIATE", "BEGIN"]
