"""A WordPress-like blog on 127.0.0.1 whose REST API answers as WordPress's does.

Posts have short slugs (two words, no date, no id: `/amman-fintech/`), so only a list of
posts, never their URL's shape, says they are articles. The home page and its pagination
(`/page/N/`, 10 posts each) list the posts in `<article>` items, and the home page announces
the API with `<link rel="https://api.w.org/">`, as WordPress prints it. The API follows the
REST API handbook: `/wp-json/wp/v2/posts?per_page=&page=&after=&orderby=date&order=desc`,
a JSON list of posts, `X-WP-Total` and `X-WP-TotalPages` headers, and
`400 rest_post_invalid_page_number` past the last page. `api_status` makes it answer
401/403/404 instead, as sites that turn it off do.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import product
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.hostile_site import article_html
from tests.local_server import SiteHandler, serve_handler

_FIRST = (
    "amman",
    "lagos",
    "nairobi",
    "dakar",
    "cairo",
    "lima",
    "bogota",
    "jakarta",
    "hanoi",
    "manila",
    "accra",
    "kigali",
    "tunis",
    "quito",
    "dhaka",
    "karachi",
    "izmir",
    "addis",
)
_SECOND = ("fintech", "payments", "startups", "funding", "mobile", "ecommerce", "logistics",
           "agritech", "health", "energy", "climate", "talent", "policy", "telecom")  # fmt: skip
PER_LISTING_PAGE = 10
# Author id -> `description`, as WordPress stores it (HTML allowed); author 2 wrote none.
BIOS = {1: "<p>Awa Ndiaye covers <b>payments</b> and fintech in West Africa.</p>", 2: ""}


@dataclass(frozen=True)
class Post:
    slug: str
    published: datetime

    @property
    def path(self) -> str:
        return f"/{self.slug}/"


def make_posts(count: int, newest: datetime = datetime(2025, 6, 1, tzinfo=UTC)) -> list[Post]:
    """`count` posts, newest first, spread evenly over ten years."""
    step = timedelta(days=3650) / max(count, 1)
    pairs = list(product(_FIRST, _SECOND))
    # Past the 252 pairs, the city takes a number: still two words (`amman2-fintech`).
    slugs = [
        f"{a}{n // len(pairs) or ''}-{b}"
        for n, (a, b) in enumerate(pairs * (count // len(pairs) + 1))
    ][:count]
    return [Post(slug, newest - step * n) for n, slug in enumerate(slugs)]


@dataclass
class WordPressSite:
    posts: list[Post]
    base_url: str = ""
    api_status: int = 200  # 401, 403 or 404: the API is off or private
    users_status: int = 200  # 401: the authors endpoint alone is private
    robots: str = "User-agent: *\nDisallow: /wp-admin/\n"
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def kind_of(self, path: str) -> str:
        if path.startswith("/wp-json/wp/v2/users"):
            return "authors"
        if path.startswith("/wp-json/"):
            return "api"
        if path == "/" or path.startswith("/page/"):
            return "listing"
        return "robots" if path == "/robots.txt" else "article"

    def requests_by_kind(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for path in self.requests:
            counts[self.kind_of(path)] = counts.get(self.kind_of(path), 0) + 1
        return counts


class _Handler(SiteHandler):
    site: WordPressSite

    def do_GET(self) -> None:
        with self.site.lock:
            self.site.requests.append(self.path)
        parts = urlsplit(self.path)
        if parts.path.startswith("/wp-json/"):
            self._api(parts.path, parse_qs(parts.query))
        elif parts.path == "/" or parts.path.startswith("/page/"):
            number = int(parts.path.strip("/").split("/")[-1]) if parts.path != "/" else 1
            self._listing(number)
        elif parts.path == "/robots.txt":
            self._send(200, self.site.robots.encode(), "text/plain")
        else:
            self._post(parts.path)

    def _api(self, path: str, query: dict[str, list[str]]) -> None:
        if self.site.api_status != 200:
            error = {"code": "rest_disabled", "message": "REST API disabled", "data": {}}
            self._json(self.site.api_status, error)
            return
        if path.rstrip("/") == "/wp-json/wp/v2/users":
            self._users()
            return
        if path.rstrip("/") != "/wp-json/wp/v2/posts":
            self._json(404, {"code": "rest_no_route", "message": "No route", "data": {}})
            return
        posts = self.site.posts
        if "after" in query:
            after = datetime.fromisoformat(query["after"][0]).replace(tzinfo=UTC)
            posts = [post for post in posts if post.published > after]
        per_page = min(int(query.get("per_page", ["10"])[0]), 100)
        page = int(query.get("page", ["1"])[0])
        pages = max((len(posts) + per_page - 1) // per_page, 1)
        if page > pages:
            self._json(400, {"code": "rest_post_invalid_page_number", "data": {"status": 400}})
            return
        chosen = posts[(page - 1) * per_page : page * per_page]
        body = [self._as_json(post) for post in chosen]
        self._json(200, body, {"X-WP-Total": str(len(posts)), "X-WP-TotalPages": str(pages)})

    def _users(self) -> None:
        if self.site.users_status != 200:  # security plugins often hide the authors
            self._json(self.site.users_status, {"code": "rest_user_cannot_view", "data": {}})
            return
        self._json(200, [{"id": author, "description": bio} for author, bio in BIOS.items()])

    def _as_json(self, post: Post) -> dict[str, Any]:
        date = post.published.strftime("%Y-%m-%dT%H:%M:%S")
        return {
            "author": 1 + self.site.posts.index(post) % len(BIOS),
            "link": self.site.base_url + post.path,
            "date_gmt": date,
            "modified_gmt": date,
            "_links": {"self": [{"href": f"{self.site.base_url}/wp-json/wp/v2/posts/1"}]},
        }

    def _listing(self, number: int) -> None:
        chosen = self.site.posts[(number - 1) * PER_LISTING_PAGE : number * PER_LISTING_PAGE]
        if not chosen:
            self._send(404, b"not found", "text/plain")
            return
        items = "".join(
            f'<article class="post"><h2 class="entry-title"><a href="{self.site.base_url}'
            f'{post.path}" rel="bookmark">{post.slug.replace("-", " ").title()}</a></h2>'
            f'<time datetime="{post.published.isoformat()}">{post.published:%d %B %Y}</time>'
            "</article>"
            for post in chosen
        )
        last = number * PER_LISTING_PAGE >= len(self.site.posts)
        older = (
            ""
            if last
            else (f'<a class="next" href="{self.site.base_url}/page/{number + 1}/">Older posts</a>')
        )
        head = f'<link rel="https://api.w.org/" href="{self.site.base_url}/wp-json/">'
        page = (f"<!DOCTYPE html><html><head><title>Blog</title>{head}</head><body>"
                f"<main>{items}</main><nav>{older}</nav></body></html>")  # fmt: skip
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def _post(self, path: str) -> None:
        post = next((post for post in self.site.posts if post.path == path), None)
        if post is None:
            self._send(404, b"not found", "text/plain")
            return
        title = f"{post.slug.replace('-', ' ').title()}: a story of the region's tech scene"
        stamp = post.published.isoformat()
        page = article_html(title).replace("2024-05-02T09:00:00+00:00", stamp)
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def _json(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(body).encode(), "application/json; charset=UTF-8", headers)


@contextmanager
def serve_wordpress(posts: list[Post]) -> Iterator[WordPressSite]:
    site = WordPressSite(posts)
    with serve_handler(type("Handler", (_Handler,), {"site": site})) as site.base_url:
        yield site
