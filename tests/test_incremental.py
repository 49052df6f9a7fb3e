"""Scheduled, incremental crawls: nothing fetched twice, nothing lost when killed, one crawl
per source at a time, revisits with revision history, source health."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.sitegen import generate_site
from crawler.devsite.server import Site, serve
from tests.crawling import FAST_LOCAL, REPO, export, sankofa, write_sources

SLOW = ["-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]


@pytest.fixture(scope="module")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    generate_site(root, 120)
    return root


@pytest.fixture
def site(site_root: Path) -> Iterator[Site]:
    with serve(site_root) as running:
        yield running


def _db(folder: Path) -> tuple[str, Path]:
    return f"sqlite:///{folder / 'corpus.db'}", folder / "corpus.db"


def _sql(db_file: Path, query: str, *args: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_file) as connection:
        return connection.execute(query, args).fetchall()


def _crawl(
    site: Site, folder: Path, *args: str, extra: str = ""
) -> subprocess.CompletedProcess[str]:
    sources = write_sources(folder, site.base_url, extra=extra)
    result = sankofa("crawl", "--sources", sources, "--db", _db(folder)[0], *FAST_LOCAL, *args)
    assert result.returncode == 0, result.stderr
    return result


def _stored(db_file: Path) -> set[str]:
    return {str(row[0]) for row in _sql(db_file, "SELECT canonical_url FROM articles")}


def test_second_crawl_sends_few_requests_and_stores_nothing(site: Site, tmp_path: Path) -> None:
    _crawl(site, tmp_path)
    first = len(site.requests)
    again = _crawl(site, tmp_path)
    second = len(site.requests) - first
    assert len(_stored(_db(tmp_path)[1])) == 120
    assert second <= 0.1 * first, site.requests[first:]
    assert site.not_modified >= 2  # home page and sitemap index answered 304
    assert "0 articles stored (0 new" in again.stderr and "not_modified" in again.stderr


def test_refresh_fetches_everything_again(site: Site, tmp_path: Path) -> None:
    _crawl(site, tmp_path)
    first = len(site.requests)
    refreshed = _crawl(site, tmp_path, "--refresh")
    assert len(site.requests) - first >= first - 5
    assert "120 unchanged" in refreshed.stderr


def _start_crawl(site: Site, folder: Path, *args: str) -> subprocess.Popen[str]:
    sources = write_sources(folder, site.base_url)
    command = [sys.executable, "-m", "crawler.cli", "crawl", "--sources", str(sources),
               "--db", _db(folder)[0], *FAST_LOCAL, *SLOW, *args]  # fmt: skip
    return subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for_articles(db_file: Path, at_least: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if db_file.exists():
            try:
                if _sql(db_file, "SELECT count(*) FROM articles")[0][0] >= at_least:  # type: ignore[operator]
                    return
            except sqlite3.OperationalError:
                pass  # schema not created yet
        time.sleep(0.1)
    raise AssertionError(f"fewer than {at_least} articles after {timeout} s")


def test_killed_crawl_resumes_without_loss_or_duplicates(site: Site, tmp_path: Path) -> None:
    killed = _start_crawl(site, tmp_path)
    _wait_for_articles(_db(tmp_path)[1], 15)
    killed.send_signal(signal.SIGKILL)
    killed.communicate(timeout=30)
    partial = _stored(_db(tmp_path)[1])
    assert 15 <= len(partial) < 120
    _crawl(site, tmp_path)  # the rerun takes over the dead crawl's lock
    uninterrupted = tmp_path / "reference"
    uninterrupted.mkdir()
    _crawl(site, uninterrupted)
    resumed = _stored(_db(tmp_path)[1])
    assert resumed == _stored(_db(uninterrupted)[1])
    assert len(export(_db(tmp_path)[0])) == len(resumed) == 120
    statuses = [
        row[0] for row in _sql(_db(tmp_path)[1], "SELECT status FROM crawl_runs ORDER BY id")
    ]
    assert statuses == ["interrupted", "finished"]


def test_two_crawls_never_crawl_one_source_at_once(site: Site, tmp_path: Path) -> None:
    # Slow enough (0.3 s a page, ~40 s in all) to be still running however loaded the machine.
    running = _start_crawl(site, tmp_path, "-s", "DOWNLOAD_DELAY=0.3")
    try:
        _wait_for_articles(_db(tmp_path)[1], 3)
        second = _crawl(site, tmp_path)
        assert "source_locked 1" in second.stderr
        assert "0 pages fetched" in second.stderr
    finally:
        running.send_signal(signal.SIGTERM)
        running.communicate(timeout=60)
    assert (
        _sql(_db(tmp_path)[1], "SELECT status FROM crawl_runs ORDER BY id")[0][0] == "interrupted"
    )


def test_due_crawls_only_sources_whose_interval_passed(site: Site, tmp_path: Path) -> None:
    _crawl(site, tmp_path, extra='interval = "1d"')
    not_due = _crawl(site, tmp_path, "--due", extra='interval = "1d"')
    assert "no source is due" in not_due.stderr
    _sql(_db(tmp_path)[1], "UPDATE sources SET last_success_at = datetime('now', '-2 days')")
    due = _crawl(site, tmp_path, "--due", extra='interval = "1d"')
    assert "Crawl run 2 finished" in due.stderr


def test_revisit_keeps_the_earlier_version(site_root: Path, tmp_path: Path) -> None:
    root = tmp_path / "site"
    generate_site(root, 12)
    with serve(root) as site:
        _crawl(site, tmp_path)
        db_file = _db(tmp_path)[1]
        _sql(db_file, "UPDATE articles SET first_seen_at = datetime('now', '-2 days'), "
                      "checked_at = datetime('now', '-2 days')")  # fmt: skip
        page = next(root.glob("2024/*/story-00003-*/index.html"))
        page.write_text(page.read_text().replace("(3-0)", "(3-0) Update: the round closed."))
        revisit = _crawl(site, tmp_path)
    assert "1 updated" in revisit.stderr and "11 unchanged" in revisit.stderr
    revisions = _sql(db_file, "SELECT text FROM article_revisions")
    assert len(revisions) == 1 and "Update" not in str(revisions[0][0])
    changed = _sql(db_file, "SELECT modified FROM articles WHERE text LIKE '%Update%'")
    assert len(changed) == 1 and changed[0][0] is not None


def test_schedule_runs_due_crawls_and_stops_on_sigterm(site: Site, tmp_path: Path) -> None:
    sources = write_sources(tmp_path, site.base_url)
    command = [sys.executable, "-m", "crawler.cli", "schedule", "--every", "1", "--sources",
               str(sources), "--db", _db(tmp_path)[0], *FAST_LOCAL]  # fmt: skip
    scheduler = subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, text=True)
    _wait_for_articles(_db(tmp_path)[1], 120)
    time.sleep(5)  # the next check (a fresh process, ~2 s to start) finds nothing due
    scheduler.send_signal(signal.SIGTERM)
    _, stderr = scheduler.communicate(timeout=60)
    assert scheduler.returncode == 0, stderr
    assert "no source is due" in stderr and "stopped" in stderr


def test_sources_health_reports_and_flags(site: Site, tmp_path: Path) -> None:
    _crawl(site, tmp_path)
    db_file = _db(tmp_path)[1]
    for _ in range(2):  # two later runs that yield nothing although pages were fetched
        _sql(db_file, "INSERT INTO crawl_runs (started_at, status, sources, options, pages_fetched,"
             " articles_new, articles_updated, articles_unchanged, failures, skipped, source_stats)"
             " VALUES (datetime('now'), 'finished', '[]', '{}', 5, 0, 0, 0, '{}', '{}', ?)",
             json.dumps({"testblog": {"pages": 5, "skipped": {"not_article": 5}}}))  # fmt: skip
    result = sankofa("sources", "health", "--db", _db(tmp_path)[0], "--format", "json")
    report = {entry["source"]: entry for entry in json.loads(result.stdout)}
    health = report["testblog"]
    assert health["last_success"] is not None
    assert health["recent_runs"] == 3
    assert health["articles_new"] == 120
    assert "extraction_degraded" not in health["flags"]  # the first run is still recent
    table = sankofa("sources", "health", "--db", _db(tmp_path)[0])
    assert "testblog" in table.stdout


def test_a_bounded_crawl_does_not_hide_the_rest_from_the_next(site: Site, tmp_path: Path) -> None:
    _crawl(site, tmp_path, "--max-pages", "20")
    assert len(_stored(_db(tmp_path)[1])) < 120
    _crawl(site, tmp_path)  # no 304 may stand for pages the bounded crawl never followed
    assert len(_stored(_db(tmp_path)[1])) == 120


def test_ctrl_c_stops_schedule_and_its_crawl_cleanly(site: Site, tmp_path: Path) -> None:
    sources = write_sources(tmp_path, site.base_url)
    command = [sys.executable, "-m", "crawler.cli", "schedule", "--every", "60", "--sources",
               str(sources), "--db", _db(tmp_path)[0], *FAST_LOCAL, *SLOW]  # fmt: skip
    scheduler = subprocess.Popen(
        command, cwd=REPO, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    _wait_for_articles(_db(tmp_path)[1], 5)
    os.killpg(scheduler.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    _, stderr = scheduler.communicate(timeout=120)
    assert scheduler.returncode == 0, stderr
    assert "Traceback" not in stderr and "stopped" in stderr
    statuses = _sql(_db(tmp_path)[1], "SELECT status FROM crawl_runs")
    assert statuses == [("interrupted",)]
