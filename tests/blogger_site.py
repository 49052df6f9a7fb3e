"""A Blogger-like blog on 127.0.0.1: its only complete list of posts is its paged feed.

As on Blogger, the home page shows the newest posts and pages older ones through
`/search?updated-max=…` (a search URL, which crawlers rightly leave alone); the post feed
`/feeds/posts/default` (Atom) gives `max-results` entries (25 by default, at most 150)
from `start-index`, newest first, with a `rel="next"` link while older entries remain.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from tests.hostile_site import article_html
from tests.local_server import SiteHandler, serve_handler
from tests.wordpress_site import Post, make_posts

MAX_RESULTS = 150


@dataclass
class BloggerSite:
    posts: list[Post]
    base_url: str = ""
    requests: list[str] = field(default_factory=list)

    def path_of(self, post: Post) -> str:
        return post.published.strftime("/%Y/%m/") + post.slug + ".html"


class _Handler(SiteHandler):
    site: BloggerSite

    def do_GET(self) -> None:
        self.site.requests.append(self.path)
        parts = urlsplit(self.path)
        if parts.path == "/":
            self._home()
        elif parts.path == "/feeds/posts/default":
            self._feed(parse_qs(parts.query))
        else:
            post = next((p for p in self.site.posts if self.site.path_of(p) == parts.path), None)
            page = article_html(f"{post.slug} on Blogger") if post else None
            self._send(200 if page else 404, (page or "not found").encode(), "text/html")

    def _home(self) -> None:
        base = self.site.base_url
        items = "".join(
            f'<h3 class="post-title"><a href="{base}{self.site.path_of(p)}">{p.slug}</a></h3>'
            for p in self.site.posts[:5]
        )
        page = (
            '<html><head><meta name="generator" content="blogger">'
            f'<link rel="alternate" type="application/atom+xml" href="{base}/feeds/posts/default">'
            f'</head><body>{items}<a class="blog-pager-older-link" '
            f'href="{base}/search?updated-max=2025-01-01T00:00:00Z">Older Posts</a></body></html>'
        )
        self._send(200, page.encode(), "text/html; charset=UTF-8")

    def _feed(self, query: dict[str, list[str]]) -> None:
        start = int(query.get("start-index", ["1"])[0])
        size = min(int(query.get("max-results", ["25"])[0]), MAX_RESULTS)
        chosen = self.site.posts[start - 1 : start - 1 + size]
        base = self.site.base_url
        entries = "".join(
            f"<entry><title>{p.slug}</title><published>{p.published.isoformat()}</published>"
            f'<link rel="alternate" type="text/html" href="{base}{self.site.path_of(p)}"/></entry>'
            for p in chosen
        )
        more = start - 1 + size < len(self.site.posts)
        following = (
            f'<link rel="next" type="application/atom+xml" href="{base}/feeds/posts/default'
            f'?start-index={start + size}&amp;max-results={size}"/>'
            if more
            else ""
        )
        feed = (
            '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Blog</title>{following}{entries}</feed>"
        )
        self._send(200, feed.encode(), "application/atom+xml; charset=UTF-8")


@contextmanager
def serve_blogger(count: int) -> Iterator[BloggerSite]:
    site = BloggerSite(make_posts(count))
    with serve_handler(type("Handler", (_Handler,), {"site": site})) as site.base_url:
        yield site
