"""The Alembic revisions build exactly the schema the models describe."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, Integer, MetaData, inspect, text

from storage.db import (
    StorageError,
    alembic_config,
    current_revision,
    downgrade,
    make_engine,
    open_database,
    packaged_head,
    session_factory,
    upgrade,
)
from storage.models import Base
from storage.repository import start_run, store_article, sync_sources
from storage.search.api import include_in_autogenerate, is_search_object
from tests.crawling import python_output
from tests.storage_fixtures import (  # noqa: F401 (the *_fixture imports register fixtures)
    SOURCES,
    backend_fixture,
    fresh_url_fixture,
    make_record,
)

SANKOFA_TABLES = {
    "sources",
    "crawl_runs",
    "authors",
    "articles",
    "raw_pages",
    "article_revisions",
    "lsh_buckets",
    "corpus_settings",
    "url_validators",
    "comments",
}


def schema_diff(engine: Engine, metadata: MetaData = Base.metadata) -> list[object]:
    with engine.connect() as connection:
        # The FTS5 tables and the GIN index of full-text search have no model: left out.
        opts = {"compare_type": True, "include_object": include_in_autogenerate}
        context = MigrationContext.configure(connection, opts=opts)
        diff: list[object] = compare_metadata(context, metadata)
    return diff


def table_names(engine: Engine) -> set[str]:
    return {name for name in inspect(engine).get_table_names() if not is_search_object(name)}


@pytest.fixture(name="engine")
def engine_fixture(fresh_url: str) -> Iterator[Engine]:
    engine = make_engine(fresh_url)
    yield engine
    engine.dispose()


def test_upgrade_creates_every_table(engine: Engine) -> None:
    assert table_names(engine) == set()
    upgrade(engine)
    assert table_names(engine) == SANKOFA_TABLES | {"alembic_version"}
    assert set(Base.metadata.tables) == SANKOFA_TABLES
    assert current_revision(engine) == head_revision()


def test_migrations_match_the_models(engine: Engine) -> None:
    upgrade(engine)
    assert schema_diff(engine) == []


def test_drift_check_notices_a_model_change(engine: Engine) -> None:
    """Guards the test above: a column missing from the migrations must show up."""
    upgrade(engine)
    drifted = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(drifted)
    drifted.tables["articles"].append_column(Column("word_count", Integer))
    diff = schema_diff(engine, drifted)
    assert [entry[0] for entry in diff if isinstance(entry, tuple)] == ["add_column"]


def test_downgrade_to_base_and_back(engine: Engine) -> None:
    upgrade(engine)
    downgrade(engine, "base")
    assert table_names(engine) == {"alembic_version"}
    assert current_revision(engine) is None
    upgrade(engine)
    assert schema_diff(engine) == []


def test_open_database_is_idempotent(fresh_url: str) -> None:
    open_database(fresh_url).dispose()
    engine = open_database(fresh_url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_revisions_form_one_line() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1  # no branches: every revision revises the previous one
    assert [rev.revision for rev in script.walk_revisions()][-1] == "0001_initial"


def test_upgrade_does_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    engine = open_database("sqlite:///relative/sankofa.db")
    assert current_revision(engine) == head_revision()
    engine.dispose()
    assert (tmp_path / "relative" / "sankofa.db").is_file()


def test_alembic_command_line_path_uses_the_configured_url(tmp_path: Path) -> None:
    """Without a connection handed in, env.py builds its own engine from sqlalchemy.url."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    config = alembic_config()
    config.set_main_option("sqlalchemy.url", url)
    command.upgrade(config, "head")
    engine = make_engine(url)
    assert schema_diff(engine) == []
    engine.dispose()


def test_offline_sql_script() -> None:
    out = io.StringIO()
    config = alembic_config()
    config.output_buffer = out
    config.set_main_option("sqlalchemy.url", "sqlite:///unused.db")
    command.upgrade(config, "head", sql=True)
    assert "CREATE TABLE articles" in out.getvalue()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_the_head_read_without_alembic_is_alembics() -> None:
    assert packaged_head() == head_revision() is not None


def test_opening_a_corpus_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    open_database(url).dispose()  # creates and migrates it
    code = (
        "import sys\n"
        "from storage.db import open_database\n"
        f"open_database({url!r}).dispose()\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'alembic'))\n"
    )
    assert python_output(code).strip() == "[]"


def test_a_corpus_from_a_newer_sankofa_is_refused_in_one_line(fresh_url: str) -> None:
    open_database(fresh_url).dispose()
    engine = make_engine(fresh_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(StorageError, match=r"cannot migrate database .*newer Sankofa"):
        open_database(fresh_url)


def test_url_keys_revision_rekeys_escape_case_and_keeps_colliding_rows(fresh_url: str) -> None:
    """0008 rewrites keys stored in the old form; a row that would collide keeps its key."""
    engine = open_database(fresh_url)
    session = session_factory(engine)()
    sync_sources(session, SOURCES)
    run_id = start_run(session, ["alpha"], {})
    old_keys = {
        "https://alpha.example/%d9%85/": "https://alpha.example/%D9%85/",
        "https://alpha.example/%d8%a7/": "https://alpha.example/%d8%a7/",  # collides: kept
        "https://alpha.example/%D8%A7/": "https://alpha.example/%D8%A7/",
        "https://alpha.example/مقال/": "https://alpha.example/%D9%85%D9%82%D8%A7%D9%84/",
    }
    # the key already in the new form is the older row: the one that keeps it on collision
    in_order = sorted(old_keys, key=lambda key: key != "https://alpha.example/%D8%A7/")
    for position, key in enumerate(in_order):
        placeholder = f"https://alpha.example/{position}"
        record = make_record(placeholder, content_hash=str(position), crawl_run_id=run_id)
        store_article(session, record)
        session.execute(
            text("UPDATE articles SET canonical_url = :key WHERE canonical_url = :placeholder"),
            {"key": key, "placeholder": placeholder},
        )
    session.commit()
    session.close()
    downgrade(engine, "0007_page_kind")
    upgrade(engine)
    with engine.connect() as connection:
        stored = set(connection.scalars(text("SELECT canonical_url FROM articles")))
    engine.dispose()
    assert stored == set(old_keys.values())


def test_story_flag_revision_keeps_who_is_in_a_story(fresh_url: str) -> None:
    """0012 turns each article's cluster_size into in_story, and its downgrade counts the
    sizes back from the clusters."""
    engine = open_database(fresh_url)
    with session_factory(engine)() as session:
        sync_sources(session, SOURCES)
        for url, body in (("a", "the same body"), ("b", "the same body"), ("c", "another")):
            store_article(session, make_record(f"https://alpha.example/{url}", text=body))
    column_by_url = "SELECT {} FROM articles ORDER BY canonical_url"
    downgrade(engine, "0011_browse_indexes")
    with engine.connect() as connection:
        sizes = connection.scalars(text(column_by_url.format("cluster_size"))).all()
    upgrade(engine)
    with engine.connect() as connection:
        flags = connection.scalars(text(column_by_url.format("in_story"))).all()
    engine.dispose()
    assert list(sizes) == [2, 2, 1]
    assert [bool(flag) for flag in flags] == [True, True, False]
