"""Discovery benchmark: how many requests a crawl spends to find every article.

    python -m benchmarks.discovery [--posts 2000]

Serves, on 127.0.0.1, the WordPress-like site of tests/wordpress_site.py (posts with
two-word slugs over ten years; REST API on or off) and the Blogger-like site of
tests/blogger_site.py, crawls each with `sankofa crawl` (politeness lifted for localhost),
and prints per crawl: articles found of those that exist (recall), requests by kind, and
requests per stored article. With `--since 2024-01-01`, recall counts only newer posts and
`old` the requests spent on older ones.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from tests.blogger_site import serve_blogger
from tests.crawling import FAST_LOCAL, REPO, write_sources
from tests.wordpress_site import make_posts, serve_wordpress

SINCE = datetime(2024, 1, 1, tzinfo=UTC)


def crawl(base_url: str, folder: Path, *args: str) -> set[str]:
    sources = write_sources(folder, base_url, name="site")
    db = folder / "d.db"
    command = [sys.executable, "-m", "crawler.cli", "crawl", "--sources", str(sources),
               "--db", f"sqlite:///{db}", *FAST_LOCAL, *args]  # fmt: skip
    subprocess.run(command, cwd=REPO, capture_output=True, check=True)
    with sqlite3.connect(db) as connection:
        return {url for (url,) in connection.execute("SELECT url FROM articles")}


def report(name: str, expected: set[str], stored: set[str], kinds: dict[str, int],
           old: int) -> None:  # fmt: skip
    total = sum(kinds.values())
    found = len(expected & stored)
    by_kind = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
    print(f"{name:<34} {found:>5}/{len(expected):<5} recall {found / len(expected):.3f}  "
          f"extra {len(stored - expected):>3}  requests {total:>5} ({by_kind})  "
          f"per article {total / max(len(stored), 1):.3f}  old {old}")  # fmt: skip


def wordpress(posts: int, folder: Path, api: bool, since: bool) -> None:
    made = make_posts(posts)
    with serve_wordpress(made) as site:
        site.api_status = 200 if api else 404
        stored = crawl(site.base_url, folder, *(["--since", "2024-01-01"] if since else []))
        wanted = [post for post in made if not since or post.published >= SINCE]
        old = {post.path for post in made if since and post.published < SINCE}
        name = f"wordpress, API {'on' if api else 'off'}{', --since 2024' if since else ''}"
        old_requests = sum(1 for path in site.requests if path in old)
        expected = {site.base_url + post.path for post in wanted}
        report(name, expected, stored, site.requests_by_kind(), old_requests)


def blogger(posts: int, folder: Path, api: bool, since: bool) -> None:
    del api, since
    with serve_blogger(posts) as site:
        stored = crawl(site.base_url, folder)
        kinds: dict[str, int] = {}
        for path in site.requests:
            kind = (
                "feed"
                if path.startswith("/feeds/")
                else "listing"
                if path == "/"
                else ("robots" if path == "/robots.txt" else "article")
            )
            kinds[kind] = kinds.get(kind, 0) + 1
        expected = {site.base_url + site.path_of(post) for post in site.posts}
        report("blogger (paged feed)", expected, stored, kinds, 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=2000)
    args = parser.parse_args()
    runs: list[tuple[Callable[[int, Path, bool, bool], None], bool, bool]] = [
        (wordpress, True, False), (wordpress, False, False), (wordpress, True, True),
        (wordpress, False, True), (blogger, False, False),
    ]  # fmt: skip
    print(f"# {args.posts} posts over ten years, two-word slugs; requests counted at the server")
    with tempfile.TemporaryDirectory() as scratch:
        for number, (run, api, since) in enumerate(runs):
            folder = Path(scratch, str(number))
            folder.mkdir()
            run(args.posts, folder, api, since)
    return 0


if __name__ == "__main__":
    sys.exit(main())
