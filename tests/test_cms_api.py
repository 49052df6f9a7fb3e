"""WordPress's REST API as a list of every post: found, paged, trusted for short slugs."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.discover.cms import parse_wordpress_posts, wordpress_api_root, wordpress_posts_url
from crawler.discover.links import worth_fetching
from tests.blogger_site import serve_blogger
from tests.crawling import FAST_LOCAL, sankofa, write_sources
from tests.ghost_site import serve_ghost
from tests.wordpress_site import WordPressSite, make_posts, serve_wordpress

POSTS = 250


def crawl(site: WordPressSite, folder: Path, *args: str, extra: str = "") -> tuple[str, set[str]]:
    sources = write_sources(folder, site.base_url, name="wpblog", extra=extra)
    db = folder / "wp.db"
    result = sankofa("crawl", "--sources", sources, "--db", f"sqlite:///{db}", *FAST_LOCAL, *args)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    with sqlite3.connect(db) as connection:
        stored = {url for (url,) in connection.execute("SELECT url FROM articles")}
    return result.stderr, stored


def test_every_post_is_found_through_the_api_at_little_cost(tmp_path: Path) -> None:
    posts = make_posts(POSTS)
    with serve_wordpress(posts) as site:
        _, stored = crawl(site, tmp_path)
        kinds = site.requests_by_kind()
        site.requests.clear()
        crawl(site, tmp_path)  # a second crawl of an unchanged site fetches no article
        again = site.requests_by_kind()
    assert stored == {site.base_url + post.path for post in posts}
    assert kinds["api"] == 3  # 100 posts a page, newest first
    assert kinds["listing"] == 1  # pagination waits for the API, which lists every post
    assert sum(kinds.values()) / len(stored) <= 1.15, kinds
    assert "article" not in again, again


@pytest.mark.parametrize("status", [401, 403, 404])
def test_an_api_that_is_off_costs_one_request_and_listing_items_find_the_posts(
    tmp_path: Path, status: int
) -> None:
    """Without the API, the posts come from the listing items (rel=bookmark, <article>
    headlines), whatever their slugs look like."""
    posts = make_posts(30)
    with serve_wordpress(posts) as site:
        site.api_status = status
        stderr, stored = crawl(site, tmp_path)
    assert stored == {site.base_url + post.path for post in posts}
    assert site.requests_by_kind()["api"] == 1
    summary = stderr[stderr.index("Crawl run") :]
    assert "api_unavailable 1" in summary and "failures: none" in summary


def test_since_asks_the_api_only_for_newer_posts(tmp_path: Path) -> None:
    posts = make_posts(POSTS)
    since = datetime(2024, 1, 1, tzinfo=UTC)
    with serve_wordpress(posts) as site:
        _, stored = crawl(site, tmp_path, "--since", "2024-01-01")
    newer = {site.base_url + post.path for post in posts if post.published >= since}
    assert stored == newer
    old_paths = {post.path for post in posts if post.published < since}
    old_requests = [path for path in site.requests if path in old_paths]
    assert len(old_requests) <= 0.05 * len(site.requests)


def test_without_the_api_since_stops_the_pagination_at_older_items(tmp_path: Path) -> None:
    """Listing items show their dates (<time datetime>): older ones are not requested, and
    the first page with only older items ends the walk through the pagination."""
    posts = make_posts(POSTS)
    since = datetime(2024, 1, 1, tzinfo=UTC)
    with serve_wordpress(posts) as site:
        site.api_status = 404
        stderr, stored = crawl(site, tmp_path, "--since", "2024-01-01")
    assert stored == {site.base_url + post.path for post in posts if post.published >= since}
    old_paths = {post.path for post in posts if post.published < since}
    assert not [path for path in site.requests if path in old_paths]
    newer_pages = -(-len(stored) // 10)
    assert site.requests_by_kind()["listing"] <= newer_pages + 1
    assert "listing_older_than_since 1" in stderr


def test_api_none_in_the_sources_file_leaves_the_api_alone(tmp_path: Path) -> None:
    with serve_wordpress(make_posts(20)) as site:
        crawl(site, tmp_path, extra='api = "none"')
    assert "api" not in site.requests_by_kind()


def test_the_api_root_is_read_from_the_page_or_the_generator() -> None:
    announced = '<html><head><link rel="https://api.w.org/" href="/wp-json/"></head></html>'
    assert wordpress_api_root(announced, "https://a.example/") == "https://a.example/wp-json/"
    generator = '<html><head><meta name="generator" content="WordPress 6.5"></head></html>'
    assert wordpress_api_root(generator, "https://a.example/x/") == "https://a.example/wp-json/"
    assert wordpress_api_root("<html><head></head></html>", "https://a.example/") is None
    plain = wordpress_posts_url("https://a.example/?rest_route=/", 2)
    assert plain.startswith("https://a.example/?rest_route=/wp/v2/posts&per_page=100&page=2")


@pytest.mark.parametrize(
    "body",
    [b'{"code": "rest_forbidden"}', b"<html>blocked</html>", b"[1, 2", b'[{"id": 1}]'],
)
def test_answers_that_are_no_list_of_posts(body: bytes) -> None:
    parsed = parse_wordpress_posts(body)
    assert parsed is None or parsed == []


def test_listed_posts_pass_whatever_their_slug_but_pages_and_media_do_not() -> None:
    for url in ("https://a.example/amman-fintech/", "https://a.example/node/7",
                "https://a.example/news/two-words", "https://a.example/fintech/"):  # fmt: skip
        assert worth_fetching(url, listed=True), url
    for url in ("https://a.example/?id=101", "https://a.example/?p=42",
                "https://a.example/index.php?story=9"):  # fmt: skip
        assert worth_fetching(url), url  # an id in the query: an article by its URL alone
    assert not worth_fetching("https://a.example/amman-fintech/", listed=False)
    for url in ("https://a.example/category/fintech/", "https://a.example/about/",
                "https://a.example/logo.png", "https://a.example/",
                "https://a.example/category/fintech/page/3/",
                "https://a.example/2024/05/"):  # fmt: skip
        assert not worth_fetching(url, listed=True), url


def test_listed_posts_filed_below_a_listings_path_pass() -> None:
    for url in ("https://a.example/category/news/lagos-fintech-raises-new-fund/",
                "https://a.example/blog/why-tutoring-has-not-worked/2025/11",
                "https://a.example/news/news_view.html?idx=8576&page=1"):  # fmt: skip
        assert worth_fetching(url, listed=True), url
        assert not worth_fetching(url), url  # a link on a page needs an article's shape


def test_a_blogger_feed_is_paged_to_its_oldest_post(tmp_path: Path) -> None:
    with serve_blogger(240) as site:
        sources = write_sources(tmp_path, site.base_url, name="blog")
        db = tmp_path / "b.db"
        result = sankofa("crawl", "--sources", sources, "--db", f"sqlite:///{db}", *FAST_LOCAL)
        assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(db) as connection:
        stored = {url for (url,) in connection.execute("SELECT url FROM articles")}
    assert stored == {site.base_url + site.path_of(post) for post in site.posts}
    feeds = [path for path in site.requests if path.startswith("/feeds/")]
    assert feeds == [
        "/feeds/posts/default?max-results=150",
        "/feeds/posts/default?start-index=151&max-results=150",
    ]
    assert not any(path.startswith("/search") for path in site.requests)


def test_since_stops_a_paged_feed_at_the_first_page_older_than_the_date(tmp_path: Path) -> None:
    with serve_blogger(240) as site:
        sources = write_sources(tmp_path, site.base_url, name="blog")
        db = f"sqlite:///{tmp_path / 'b.db'}"
        result = sankofa("crawl", "--sources", sources, "--db", db, "--since", "2024-06-01",
                         *FAST_LOCAL)  # fmt: skip
        assert result.returncode == 0, result.stderr[-2000:]
    assert [path for path in site.requests if path.startswith("/feeds/")] == [
        "/feeds/posts/default?max-results=150"
    ]


def test_author_bios_come_from_the_users_api_when_pages_have_none(tmp_path: Path) -> None:
    posts = make_posts(12)
    with serve_wordpress(posts) as site:
        crawl(site, tmp_path)
    with sqlite3.connect(tmp_path / "wp.db") as connection:
        bios = dict(connection.execute("SELECT url, author_bio FROM articles").fetchall())
    by_author = {1 + n % 2: bios[site.base_url + post.path] for n, post in enumerate(posts)}
    assert by_author == {1: "Awa Ndiaye covers payments and fintech in West Africa.", 2: ""}


def test_a_private_users_endpoint_still_lists_the_posts(tmp_path: Path) -> None:
    posts = make_posts(12)
    with serve_wordpress(posts) as site:
        site.users_status = 401
        _, stored = crawl(site, tmp_path)
    assert stored == {site.base_url + post.path for post in posts}


def test_a_ghost_rss_feed_is_paged_by_its_path(tmp_path: Path) -> None:
    with serve_ghost(100) as site:
        sources = write_sources(tmp_path, site.base_url, name="ghost")
        db = tmp_path / "g.db"
        result = sankofa("crawl", "--sources", sources, "--db", f"sqlite:///{db}", *FAST_LOCAL)
        assert result.returncode == 0, result.stderr[-2000:]
        assert "failures: none" in result.stderr
    with sqlite3.connect(db) as connection:
        stored = {url for (url,) in connection.execute("SELECT url FROM articles")}
    assert stored == {site.base_url + post.path for post in site.posts}
    rss = [path for path in site.requests if path.startswith("/rss/")]
    assert rss == ["/rss/", *(f"/rss/{n}/" for n in range(2, 9))]  # 7 pages, then a 404


def test_robots_txt_applies_to_the_api_and_the_listings_take_over(tmp_path: Path) -> None:
    posts = make_posts(30)
    with serve_wordpress(posts) as site:
        site.robots = "User-agent: *\nDisallow: /wp-json/\n"
        stderr, stored = crawl(site, tmp_path)
    assert stored == {site.base_url + post.path for post in posts}
    assert not [path for path in site.requests if path.startswith("/wp-json/")]
    assert "robots_disallowed 2" in stderr  # the authors, then the posts
