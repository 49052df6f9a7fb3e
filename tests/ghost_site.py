"""A Ghost-like blog on 127.0.0.1: RSS pages `/rss/`, `/rss/2/`... of 15 posts, no rel=next.

As Ghost does, the feed names its software in `<generator>` and says nothing of its older
pages; past the last page `/rss/N/` is a 404. The home page shows the five newest posts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from tests.hostile_site import article_html
from tests.local_server import SiteHandler, serve_handler
from tests.wordpress_site import Post, make_posts

PER_RSS_PAGE = 15


@dataclass
class GhostSite:
    posts: list[Post]
    base_url: str = ""
    requests: list[str] = field(default_factory=list)


class _Handler(SiteHandler):
    site: GhostSite

    def do_GET(self) -> None:
        self.site.requests.append(self.path)
        if self.path == "/":
            self._home()
        elif self.path == "/rss/" or (self.path.startswith("/rss/") and self.path[5:-1].isdigit()):
            self._rss(int(self.path[5:-1] or 1))
        else:
            post = next((p for p in self.site.posts if p.path == self.path), None)
            page = article_html(f"{post.slug} on Ghost") if post else None
            self._send(200 if page else 404, (page or "not found").encode(), "text/html")

    def _home(self) -> None:
        base = self.site.base_url
        items = "".join(f'<a href="{base}{p.path}">{p.slug}</a>' for p in self.site.posts[:5])
        page = (
            '<html><head><meta name="generator" content="Ghost 5.80">'
            f'<link rel="alternate" type="application/rss+xml" href="{base}/rss/">'
            f"</head><body>{items}</body></html>"
        )
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def _rss(self, page: int) -> None:
        chosen = self.site.posts[(page - 1) * PER_RSS_PAGE : page * PER_RSS_PAGE]
        if not chosen:
            self._send(404, b"not found", "text/html")
            return
        items = "".join(
            f"<item><title>{p.slug}</title><link>{self.site.base_url}{p.path}</link>"
            f"<pubDate>{p.published:%a, %d %b %Y %H:%M:%S} GMT</pubDate></item>"
            for p in chosen
        )
        feed = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Blog</title><generator>Ghost 5.80</generator>{items}</channel></rss>"
        )
        self._send(200, feed.encode(), "application/rss+xml; charset=utf-8")


@contextmanager
def serve_ghost(count: int) -> Iterator[GhostSite]:
    site = GhostSite(make_posts(count))
    with serve_handler(type("Handler", (_Handler,), {"site": site})) as site.base_url:
        yield site
