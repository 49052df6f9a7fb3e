"""`sankofa db check [--repair]` on real databases: healthy, damaged search index, orphaned rows,
schema behind head, and databases that cannot be opened.

Each test runs on a SQLite file and, with $SANKOFA_TEST_PG_URL, on PostgreSQL too (the
`backend` fixture); the damage done to the search index differs by backend.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import make_url, text

from crawler.cli import main as cli
from storage.db import (
    alembic_config,
    current_revision,
    make_engine,
    open_database,
    session_factory,
    upgrade,
)
from storage.repository import store_article, sync_sources
from storage.search.api import SearchHit, search
from tests.storage_fixtures import (  # noqa: F401 (the *_fixture imports register fixtures)
    SOURCES,
    backend_fixture,
    fresh_url_fixture,
    make_record,
)

CHECKS = ["migrations", "schema", "integrity", "orphans", "clusters", "search index"]
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()
A1 = "https://alpha.example/a1"  # "Fintech in Lagos"
ZH = "https://alpha.example/zh"  # "移动支付在中国"


@pytest.fixture(name="corpus")
def corpus_fixture(fresh_url: str) -> str:
    return build_corpus(fresh_url)


def build_corpus(url: str) -> str:
    """A migrated database holding two articles, one in Chinese (the trigram index)."""
    store(url, A1)
    store(
        url, ZH, title="移动支付在中国", text="移动支付发展迅速。", authors=["李明"], language="zh"
    )
    return url


def store(url: str, canonical_url: str, **fields: object) -> None:
    engine = open_database(url)
    try:
        with session_factory(engine)() as session:
            sync_sources(session, SOURCES)
            store_article(session, make_record(canonical_url, **fields))
            session.commit()
    finally:
        engine.dispose()


def execute(url: str, *statements: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        engine.dispose()


def hits(url: str, query: str) -> list[SearchHit]:
    """What `query` finds, best first (50 at most), through the search the CLI uses."""
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            return search(session, query, limit=50)
    finally:
        engine.dispose()


def found(url: str, query: str) -> set[str]:
    """The canonical URLs `query` finds, through the search the CLI uses."""
    return {hit.url.split("?")[0] for hit in hits(url, query)}


def db_check(
    capsys: pytest.CaptureFixture[str], url: str, *flags: str
) -> tuple[int, dict[str, tuple[str, str]], str]:
    """Exit status, {check: (status, detail)} read from the table, and stderr."""
    status = cli(["db", "check", "--db", url, *flags])
    out, err = capsys.readouterr()
    header, *lines = out.splitlines()
    assert header.split() == ["check", "status", "detail"]
    rows = {}
    for line in lines:
        name, state, detail = re.split(r"\s{2,}", line, maxsplit=2)
        rows[name] = (state, detail)
    assert list(rows) == CHECKS
    return status, rows, err


def problems(rows: dict[str, tuple[str, str]]) -> set[str]:
    return {name for name, (state, _) in rows.items() if state == "PROBLEM"}


# --- healthy --------------------------------------------------------------------------------


def test_a_healthy_database_passes_every_check(
    corpus: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, rows, err = db_check(capsys, corpus)
    assert status == 0
    assert {state for state, _ in rows.values()} == {"ok"}
    assert rows["migrations"][1] == f"at head ({HEAD})"
    assert err == ""


def test_repair_leaves_a_healthy_database_alone(
    corpus: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, rows, _ = db_check(capsys, corpus, "--repair")
    assert status == 0
    assert rows["search index"][0] == "ok"  # nothing to repair: not "repaired"


# --- the search index -----------------------------------------------------------------------


def test_an_unindexed_article_is_reported_until_repair_rebuilds_the_index(
    corpus: str, backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if backend == "sqlite":  # the article stored next escapes the index
        execute(corpus, "DROP TRIGGER articles_search_insert")
    else:
        execute(corpus, "DROP INDEX ix_articles_search_vector")
    store(corpus, "https://alpha.example/quagga", title="The quagga returns")

    status, rows, err = db_check(capsys, corpus)
    assert status == 1
    assert problems(rows) == {"search index"}
    if backend == "sqlite":
        assert "articles_search_insert" in rows["search index"][1]
        assert "articles_fts: 1 article(s) not indexed (id 3)" in rows["search index"][1]
    else:
        assert "ix_articles_search_vector is missing" in rows["search index"][1]
    assert "--repair" in err
    assert db_check(capsys, corpus)[0] == 1  # checking repaired nothing

    status, rows, _ = db_check(capsys, corpus, "--repair")
    assert status == 0
    assert rows["search index"][0] == "repaired"
    assert found(corpus, "quagga") == {"https://alpha.example/quagga"}
    store(corpus, "https://alpha.example/okapi", title="An okapi")  # the triggers are back
    assert found(corpus, "okapi") == {"https://alpha.example/okapi"}
    assert db_check(capsys, corpus)[0] == 0


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_articles_stored_without_the_vector_trigger_are_ranked_after_repair(
    corpus: str, capsys: pytest.CaptureFixture[str]
) -> None:
    execute(corpus, "DROP TRIGGER articles_search_vector ON articles")
    store(corpus, "https://alpha.example/quagga", title="The quagga returns")

    status, rows, _ = db_check(capsys, corpus)
    assert status == 1 and problems(rows) == {"search index"}
    assert rows["search index"][1] == (
        "trigger articles_search_vector is missing, disabled or altered; "
        "1 article(s) have a missing or stale ranking vector"
    )
    assert [hit.score for hit in hits(corpus, "quagga")] == [None]  # found, but not ranked

    status, rows, _ = db_check(capsys, corpus, "--repair")
    assert status == 0 and rows["search index"][0] == "repaired"
    assert [hit.score is not None for hit in hits(corpus, "quagga")] == [True]
    store(corpus, "https://alpha.example/okapi", title="An okapi")  # the trigger is whole again
    assert [hit.score is not None for hit in hits(corpus, "okapi")] == [True]
    assert db_check(capsys, corpus)[0] == 0


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_an_invalid_postgresql_search_index_is_reindexed(
    corpus: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = make_engine(corpus)
    with engine.connect() as connection:
        superuser = connection.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = user"))
    engine.dispose()
    if not superuser:
        pytest.skip("marking an index invalid, as a failed CREATE INDEX does, needs a superuser")
    execute(
        corpus,
        "UPDATE pg_index SET indisvalid = false "
        "WHERE indexrelid = 'ix_articles_search_vector'::regclass",
    )

    status, rows, _ = db_check(capsys, corpus)
    assert status == 1
    assert problems(rows) == {"integrity", "search index"}
    assert rows["search index"][1] == (
        "ix_articles_search_vector is invalid (a build failed or was interrupted)"
    )

    status, rows, _ = db_check(capsys, corpus, "--repair")
    assert status == 0
    assert rows["search index"][0] == "repaired"
    assert found(corpus, "fintech") == {A1}


SQLITE_DAMAGE = {
    "index emptied": (
        ["INSERT INTO articles_fts(articles_fts) VALUES('delete-all')"],
        "articles_fts: 2 article(s) not indexed (id 1, 2)",
    ),
    "index pages lost": (
        ["DELETE FROM articles_fts_data WHERE id > 10"],
        "articles_fts: integrity-check failed",
    ),
    "article deleted behind the index's back": (
        ["DROP TRIGGER articles_search_delete", "DELETE FROM articles WHERE id = 2"],
        "articles_fts_cjk: 1 indexed row(s) with no article (id 2)",
    ),
    "trigger altered": (
        [
            "DROP TRIGGER articles_search_update",
            "CREATE TRIGGER articles_search_update AFTER UPDATE ON articles BEGIN SELECT 1; END",
        ],
        "not as migration 0004_search creates them: articles_search_update",
    ),
}


@pytest.mark.parametrize("damage", SQLITE_DAMAGE)
def test_sqlite_index_damage_is_found_and_repaired(
    damage: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = build_corpus(f"sqlite:///{tmp_path / 'corpus.db'}")
    statements, expected = SQLITE_DAMAGE[damage]
    execute(url, *statements)

    status, rows, _ = db_check(capsys, url)
    assert status == 1
    assert problems(rows) == {"search index"}
    assert expected in rows["search index"][1]

    assert db_check(capsys, url, "--repair")[0] == 0
    assert db_check(capsys, url)[1]["search index"][0] == "ok"
    assert found(url, "fintech") == {A1}
    deleted = damage == "article deleted behind the index's back"
    assert found(url, "支付") == (set() if deleted else {ZH})


def test_repair_refuses_a_schema_that_predates_the_index(
    fresh_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = make_engine(fresh_url)
    upgrade(engine, "0003_incremental")

    status, rows, err = db_check(capsys, fresh_url, "--repair")
    assert status == 1
    assert "not repaired" in rows["search index"][1]
    assert "sankofa db upgrade" in rows["search index"][1]
    assert err == ""
    upgrade(engine)  # nothing was created in the way of migration 0004
    engine.dispose()
    assert db_check(capsys, fresh_url)[0] == 0


# --- orphans, migrations --------------------------------------------------------------------


def test_orphaned_rows_are_reported(
    corpus: str, backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    orphan = "INSERT INTO comments (article_id, position, author, text) VALUES (999, 0, '', 'x')"
    if backend == "sqlite":  # sqlite3, like any tool but Sankofa, leaves foreign keys unchecked
        with sqlite3.connect(str(make_url(corpus).database)) as connection:
            connection.execute(orphan)
        connection.close()
    else:  # PostgreSQL enforces the constraint, so it has to go first
        execute(
            corpus, "ALTER TABLE comments DROP CONSTRAINT fk_comments_article_id_articles", orphan
        )

    status, rows, _ = db_check(capsys, corpus, "--repair")  # --repair does not touch them
    assert status == 1
    assert rows["orphans"] == ("PROBLEM", "comments.article_id → articles: 1 row(s) (id 1)")
    if backend == "sqlite":
        assert problems(rows) == {"integrity", "orphans"}
        assert "foreign_key_check: 1 row(s) (comments → articles)" in rows["integrity"][1]
    else:
        assert problems(rows) == {"schema", "orphans"}
        assert "missing foreign key fk_comments_article_id_articles" in rows["schema"][1]


def test_story_flags_that_disagree_with_their_cluster_are_reported(
    corpus: str, capsys: pytest.CaptureFixture[str]
) -> None:
    store(corpus, "https://alpha.example/a1-copy")  # the same body as A1: one story of two
    status, rows, _ = db_check(capsys, corpus)
    assert status == 0
    assert rows["clusters"] == ("ok", "story flags agree with cluster sizes (1 of 2 or more)")
    execute(corpus, f"UPDATE articles SET in_story = (canonical_url = '{ZH}')")
    status, rows, _ = db_check(capsys, corpus, "--repair")  # --repair leaves them to recluster
    assert status == 1 and problems(rows) == {"clusters"}
    assert rows["clusters"] == (
        "PROBLEM",
        "3 article(s) whose in_story disagrees with their cluster's size (id 1, 2, 3): "
        "run `sankofa duplicates --recluster`",
    )


def test_a_database_behind_head_is_reported_and_left_as_it_is(
    fresh_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = make_engine(fresh_url)
    upgrade(engine, "0008_url_keys")
    scripts = ScriptDirectory.from_config(alembic_config())
    behind = len(list(scripts.iterate_revisions("head", "0008_url_keys")))

    status, rows, _ = db_check(capsys, fresh_url)
    assert status == 1
    assert rows["migrations"] == (
        "PROBLEM",
        f"at 0008_url_keys, {behind} migration(s) behind {HEAD}: run `sankofa db upgrade`",
    )
    assert "missing column articles.text_quality" in rows["schema"][1]
    assert rows["search index"][0] == "ok"
    assert current_revision(engine) == "0008_url_keys"  # checking migrated nothing
    engine.dispose()


# --- databases that cannot be opened --------------------------------------------------------


def assert_one_line_error(capsys: pytest.CaptureFixture[str], args: list[str], words: str) -> None:
    assert cli(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("sankofa: error: ")
    assert words in err


def test_a_missing_database_is_one_line_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nowhere" / "sankofa.db"
    assert_one_line_error(
        capsys, ["db", "check", "--db", f"sqlite:///{path}"], f"no database at '{path}'"
    )
    assert not path.parent.exists()


def test_a_file_that_is_not_a_database_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are not the pages of a database\n" * 200)
    assert_one_line_error(
        capsys, ["db", "check", "--db", f"sqlite:///{path}"], "is not a SQLite database"
    )


def test_an_unreachable_server_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql+psycopg://sankofa@127.0.0.1:1/sankofa"  # port 1: nothing listens
    assert_one_line_error(capsys, ["db", "check", "--db", url], "cannot open database")


def test_db_check_joins_the_db_group_of_db_upgrade(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli(["db", "--help"])
    assert exit_info.value.code == 0
    assert {"upgrade", "check"} <= set(re.findall(r"^    (\w+)", capsys.readouterr().out, re.M))
