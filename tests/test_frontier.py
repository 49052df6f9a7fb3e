"""The shared crawl frontier (`sankofa crawl --frontier redis://...`) against a real Redis.

Crawl tests serve a generated site of a few hundred articles on 127.0.0.1 and run real
`sankofa crawl` processes; see tests/multiworker.py for the servers they need.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.sitegen import generate_site
from crawler.crawl.frontier import Frontier, FrontierKeys
from crawler.crawl.run import CrawlRequest, crawl_settings
from crawler.devsite.server import serve
from tests.crawling import FAST_LOCAL, python_output, sankofa, write_sources
from tests.local_server import free_port
from tests.multiworker import (
    crawl_database,
    redis_url_or_skip,
    run_counts,
    run_workers,
    start_worker,
    stored_urls,
    wiped_redis,
)

ARTICLES = 300
QUEUE = "sankofa:blogs:requests"


@pytest.fixture(name="redis_url")
def redis_url_fixture() -> str:
    return redis_url_or_skip()


@pytest.fixture(scope="module", name="site_root")
def site_root_fixture(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A generated blog: paginated home page, sitemaps, feed and ARTICLES articles."""
    root = tmp_path_factory.mktemp("generated-site")
    return root, generate_site(root, ARTICLES)


@pytest.fixture(scope="module", name="single_worker_paths")
def single_worker_paths_fixture(
    site_root: tuple[Path, list[str]], tmp_path_factory: pytest.TempPathFactory
) -> set[str]:
    """What one plain `sankofa crawl` (no frontier) stores: the reference for the others."""
    folder = tmp_path_factory.mktemp("single-worker")
    db_url = f"sqlite:///{folder / 'single.db'}"
    with serve(site_root[0]) as site:
        sources = write_sources(folder, site.base_url)
        result = sankofa("crawl", "--sources", sources, "--db", db_url, *FAST_LOCAL)
        assert result.returncode == 0, result.stderr
        return {url.removeprefix(site.base_url) for url in stored_urls(db_url)}


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting until {what}")
        time.sleep(0.05)


# --- crawls by several workers ----------------------------------------------------------


def test_two_workers_fetch_each_url_once_and_store_each_article_once(
    redis_url: str,
    site_root: tuple[Path, list[str]],
    single_worker_paths: set[str],
    tmp_path: Path,
) -> None:
    root, paths = site_root
    with wiped_redis(redis_url) as client, serve(root) as site, crawl_database(tmp_path) as db:
        outputs = run_workers(2, write_sources(tmp_path, site.base_url), db, redis_url)
        stored, runs, left_in_redis = stored_urls(db), run_counts(db), client.keys("*")
        fetched = Counter(site.requests)
    # Scrapy's robots.txt middleware fetches /robots.txt once per process for its own
    # cache, outside the scheduler; every other URL went through the shared frontier.
    assert {path: n for path, n in fetched.items() if n > 1 and path != "/robots.txt"} == {}
    assert len(stored) == len(set(stored)) == ARTICLES
    assert {url.removeprefix(site.base_url) for url in stored} == single_worker_paths == set(paths)
    assert [run["updated"] + run["unchanged"] for run in runs] == [0, 0]
    assert sum(run["new"] for run in runs) == ARTICLES
    assert all(run["pages"] > 0 for run in runs), runs  # both workers took part
    assert left_in_redis == []  # the last worker out cleared the frontier
    assert all("Traceback" not in err and "Warning" not in err for err in outputs)


def test_a_killed_worker_loses_no_url(
    redis_url: str, site_root: tuple[Path, list[str]], tmp_path: Path
) -> None:
    root, paths = site_root
    quick = ("-s", "SANKOFA_FRONTIER_WORKER_TIMEOUT=2")  # presumed dead 2 s after its last beat
    with wiped_redis(redis_url) as client, serve(root) as site, crawl_database(tmp_path) as db:
        sources = write_sources(tmp_path, site.base_url)
        survivor = start_worker(sources, db, redis_url, *quick)
        victim = start_worker(sources, db, redis_url, *quick)
        wait_until(lambda: _leases_of(client, victim.pid) > 0, "the victim holds requests")
        victim.kill()
        restarted = start_worker(sources, db, redis_url, *quick)
        outcomes = [survivor.finish(), restarted.finish()]
        stored = stored_urls(db)
        leftover_leases = client.keys("sankofa:blogs:leased:*")
    assert [status for status, _ in outcomes] == [0, 0], outcomes
    assert len(stored) == len(set(stored))
    assert {url.removeprefix(site.base_url) for url in stored} == set(paths)
    # The victim's leases went back to the queue (which worker logged it depends on timing).
    assert leftover_leases == []
    assert all("Traceback" not in err and "Warning" not in err for _, err in outcomes)


def test_a_bounded_worker_leaves_the_rest_for_the_next_one(
    redis_url: str, site_root: tuple[Path, list[str]], tmp_path: Path
) -> None:
    root, paths = site_root
    with wiped_redis(redis_url) as client, serve(root) as site, crawl_database(tmp_path) as db:
        sources = write_sources(tmp_path, site.base_url)
        bounded = run_workers(1, sources, db, redis_url, "--max-pages", "40")[0]
        queued_between = client.zcard(QUEUE)
        run_workers(1, sources, db, redis_url)
        stored, runs, fetched = stored_urls(db), run_counts(db), Counter(site.requests)
    assert runs[0]["pages"] <= 40 and "max_pages_reached" not in bounded
    assert queued_between > 0  # kept in Redis for the next worker
    assert {url.removeprefix(site.base_url) for url in stored} == set(paths)
    assert {path: n for path, n in fetched.items() if n > 1 and path != "/robots.txt"} == {}


def _leases_of(client: Any, pid: int) -> int:
    return sum(client.zcard(key) for key in client.keys(f"sankofa:blogs:leased:*-{pid}-*"))


# --- the Redis side of the frontier, without Scrapy ------------------------------------


@pytest.fixture(name="redis_client")
def redis_client_fixture(redis_url: str) -> Iterator[Any]:
    with wiped_redis(redis_url) as client:
        yield client


def _frontier(client: Any, worker: str, timeout: float = 30) -> Frontier:
    return Frontier(client, FrontierKeys("sankofa:blogs"), worker, timeout)


def test_a_request_is_filtered_and_queued_in_one_step(redis_client: Any) -> None:
    """No state holds the fingerprint without the request: a worker killed while queuing
    (a sitemap queues hundreds) must not leave a URL filtered that nobody will fetch."""
    frontier = _frontier(redis_client, "w1")
    assert frontier.enqueue("fp-a", 0, b"a")
    assert not frontier.enqueue("fp-a", -5, b"a again")  # seen: neither queued nor rescored
    assert frontier.enqueue("fp-b", -10, b"b")  # priority 10: served first
    assert frontier.enqueue("", 0, b"unfiltered") and frontier.enqueue("", 0, b"unfiltered 2")
    assert redis_client.smembers("sankofa:blogs:dupefilter") == {b"fp-a", b"fp-b"}
    assert redis_client.zrange(QUEUE, 0, -1) == [b"b", b"a", b"unfiltered", b"unfiltered 2"]
    assert frontier.lease() == b"b"


def test_a_lease_takes_the_best_request_until_released(redis_client: Any) -> None:
    redis_client.zadd(QUEUE, {b"later": 0, b"first": -10})
    frontier = _frontier(redis_client, "w1")
    assert frontier.lease() == b"first"
    assert redis_client.zrange("sankofa:blogs:leased:w1", 0, -1) == [b"first"]
    assert redis_client.zrange(QUEUE, 0, -1) == [b"later"]
    frontier.release([b"first"])
    assert redis_client.exists("sankofa:blogs:leased:w1") == 0


def test_leases_of_a_dead_worker_go_back_to_the_queue_with_their_priority(
    redis_client: Any,
) -> None:
    redis_client.zadd(QUEUE, {b"urgent": -5, b"plain": 0})
    dying, alive = _frontier(redis_client, "dying", timeout=0.2), _frontier(redis_client, "alive")
    dying.beat()
    alive.beat()
    assert dying.lease() == b"urgent"
    assert alive.reclaim_dead() == 0  # still beating
    time.sleep(0.3)
    assert alive.reclaim_dead() == 1
    assert redis_client.zrange(QUEUE, 0, 0) == [b"urgent"]
    assert redis_client.smembers("sankofa:blogs:workers") == {b"alive"}


def test_an_idle_worker_waits_while_another_holds_leases(redis_client: Any) -> None:
    busy, idle = _frontier(redis_client, "busy"), _frontier(redis_client, "idle")
    busy.join()
    idle.join()
    redis_client.zadd(QUEUE, {b"page": 0})
    assert idle.busy()  # queued
    busy.lease()
    assert idle.busy()  # leased elsewhere: its page may yield more links
    busy.release([b"page"])
    assert not idle.busy()


def test_a_new_crawl_starts_with_an_empty_filter_but_a_resumed_one_keeps_it(
    redis_client: Any,
) -> None:
    redis_client.sadd("sankofa:blogs:dupefilter", "seen-yesterday")
    assert _frontier(redis_client, "first").join() is True
    assert redis_client.exists("sankofa:blogs:dupefilter") == 0
    redis_client.sadd("sankofa:blogs:dupefilter", "seen-today")
    assert _frontier(redis_client, "second").join() is False  # "first" is alive: join it
    assert redis_client.sismember("sankofa:blogs:dupefilter", "seen-today")


def test_leaving_gives_back_leases_and_the_last_one_out_clears_the_filter(
    redis_client: Any,
) -> None:
    one, two = _frontier(redis_client, "one"), _frontier(redis_client, "two")
    one.join()
    two.join()
    redis_client.sadd("sankofa:blogs:dupefilter", "fingerprint")
    redis_client.zadd(QUEUE, {b"unfinished": 0})
    one.lease()
    one.leave(finished=False)  # interrupted: its request goes back, the filter stays
    assert redis_client.zrange(QUEUE, 0, -1) == [b"unfinished"]
    two.release([two.lease() or b""])
    two.leave(finished=True)
    assert redis_client.keys("*") == []


# --- the command line -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (f"redis://127.0.0.1:{free_port()}/0", "cannot reach the crawl frontier at redis://"),
        ("redis://:secret@127.0.0.1:1/0", "redis://:***@127.0.0.1:1/0"),
        ("redis://127.0.0.1:6379/zero", "invalid frontier URL"),
        ("http://127.0.0.1:6379/0", "expected redis://HOST:PORT/DB"),
    ],
)
def test_a_bad_frontier_is_one_line_and_exit_2(url: str, message: str, tmp_path: Path) -> None:
    sources = write_sources(tmp_path, "http://127.0.0.1:9")
    db_url = f"sqlite:///{tmp_path / 'corpus.db'}"
    result = sankofa("crawl", "--sources", sources, "--db", db_url, "--frontier", url)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert "secret" not in result.stderr


def test_without_a_frontier_nothing_imports_redis() -> None:
    check = (
        "import sys, crawler.cli, crawler.crawl.run, crawler.crawl.frontier; "
        "from crawler.crawl.run import CrawlRequest, crawl_settings; "
        "crawl_settings(CrawlRequest(db_url='sqlite://')); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('redis', 'scrapy_redis')))"
    )
    assert python_output(check).strip() == "[]"


def test_frontier_settings_replace_the_scheduler_and_the_source_locks() -> None:
    settings = crawl_settings(CrawlRequest(db_url="sqlite://", frontier="redis://h:6379/2"))
    assert settings["SCHEDULER"] == "crawler.crawl.frontier.FrontierScheduler"
    assert settings["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert settings["REDIS_URL"] == "redis://h:6379/2"
    assert settings.getbool("SCHEDULER_PERSIST") is True
    assert settings.getbool("SANKOFA_SOURCE_LOCKS") is False
    plain = crawl_settings(CrawlRequest(db_url="sqlite://"))
    assert "scrapy_redis" not in str(plain["SCHEDULER"])
