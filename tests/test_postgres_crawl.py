"""Crawls into PostgreSQL, and several processes creating one new database at once.

The crawl tests need $SANKOFA_TEST_PG_URL (a database the tests may wipe; .ci/run sets it)
and skip without it; the concurrent-open test runs on SQLite too.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.devsite.server import Site, serve
from storage.db import current_revision, make_engine
from tests.crawling import FAST_LOCAL, export, sankofa, write_sources
from tests.multiworker import open_when_released, run_counts, stored_urls
from tests.storage_fixtures import (  # noqa: F401 (the *_fixture imports register fixtures)
    PG_SKIP_REASON,
    PG_URL_ENV,
    backend_fixture,
    fresh_url_fixture,
    wipe,
)
from tests.test_crawl_e2e import EXPECTED, SITE_ROOT


@pytest.fixture(name="pg_url")
def pg_url_fixture() -> Iterator[str]:
    url = os.environ.get(PG_URL_ENV)
    if not url:
        pytest.skip(PG_SKIP_REASON)
    wipe(url)
    yield url
    wipe(url)


@pytest.fixture(scope="module", name="site")
def site_fixture() -> Iterator[Site]:
    with serve(SITE_ROOT) as running:
        yield running


def _crawl(site: Site, folder: Path, db_url: str) -> str:
    sources = write_sources(folder, site.base_url)
    result = sankofa("crawl", "--sources", sources, "--db", db_url, *FAST_LOCAL)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_the_test_site_crawled_into_postgresql(pg_url: str, site: Site, tmp_path: Path) -> None:
    stderr = _crawl(site, tmp_path, pg_url)
    assert "8 articles stored (8 new, 0 updated, 0 unchanged)" in stderr
    rows = {row["canonical_url"].removeprefix(site.base_url): row for row in export(pg_url)}
    assert sorted(rows) == sorted(expected.path for expected in EXPECTED)
    for expected in EXPECTED:
        row = rows[expected.path]
        assert (row["title"], row["author"], row["language"], row["published"]) == (
            expected.title, expected.author, expected.language, expected.published,
        )  # fmt: skip
        assert expected.must_contain in " ".join(row["text"].split())
        assert expected.bio in row["author_bio"]


def test_a_second_crawl_into_postgresql_stores_nothing_new(
    pg_url: str, site: Site, tmp_path: Path
) -> None:
    _crawl(site, tmp_path, pg_url)
    stderr = _crawl(site, tmp_path, pg_url)
    assert "0 articles stored (0 new" in stderr
    assert len(stored_urls(pg_url)) == len(EXPECTED)
    assert [run["new"] for run in run_counts(pg_url)] == [len(EXPECTED), 0]


def test_processes_creating_one_new_database_at_once_all_succeed(fresh_url: str) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(3)
    openers = [
        context.Process(target=open_when_released, args=(fresh_url, barrier)) for _ in range(3)
    ]
    for opener in openers:
        opener.start()
    for opener in openers:
        opener.join(timeout=120)
    assert [opener.exitcode for opener in openers] == [0, 0, 0]
    engine = make_engine(fresh_url)
    assert current_revision(engine) is not None
    engine.dispose()
