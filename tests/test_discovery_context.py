"""Links read in context: archive stories reached through other articles, and permalink
shapes learnt from a source's stored articles (so short slugs are found on the next crawl)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from crawler.devsite.server import serve
from crawler.discover.permalinks import PermalinkShapes, shape_of
from tests.crawling import FAST_LOCAL, sankofa, write_sources
from tests.hostile_site import article_html

FEED_POSTS = ("/amman-fintech/", "/lagos-payments/", "/dakar-startups/")
HOME_ONLY_POSTS = ("/cairo-logistics/", "/lima-agritech/", "/hanoi-mobile/")
SITEMAP_ONLY = "/kigali-health/"  # listed by the sitemap alone
# Listed by the sitemap alone, filed below a listing's path: a post all the same.
FILED_BELOW_LISTING = "/category/news/kigali-fintech-raises-a-new-fund/"
FRENCH = "/fr/paiements-lagos/"  # named only by the English post's hreflang alternate
ARCHIVE = ("/2019/03/the-archive-story-one-hop/", "/2018/01/the-archive-story-two-hops/",
           "/2017/01/the-archive-story-three-hops/")  # fmt: skip
# Linked from the first archive story, never served: past URLLENGTH_LIMIT (2,083 characters).
TOO_LONG = "/2019/02/an-archive-story-" + "with-a-very-long-slug-" * 100 + "/"


def _write(root: Path, path: str, text: str) -> None:
    target = root / path.strip("/")
    target = target / "index.html" if path.endswith("/") else target
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def build_site(root: Path) -> None:
    """Short-slug posts (three in the feed, three linked only as plain links from the home
    page) and a chain of archive stories, each linked only from the story before it."""
    links = "".join(f'<p><a href="{{{{BASE}}}}{path}">Read</a></p>' for path in HOME_ONLY_POSTS)
    _write(root, "/", f"<html><head><title>Blog</title></head><body>{links}</body></html>")
    items = "".join(
        f"<item><title>{path}</title><link>{{{{BASE}}}}{path}</link></item>" for path in FEED_POSTS
    )
    _write(root, "/feed.xml", f'<?xml version="1.0"?><rss version="2.0"><channel>{items}'
                              "</channel></rss>")  # fmt: skip
    chain = [FEED_POSTS[0], *ARCHIVE]
    for path, following in zip(chain, [*chain[1:], None], strict=True):
        related = f'<p>See also <a href="{{{{BASE}}}}{following}">this story</a>.</p>'
        if path == ARCHIVE[0]:
            related += f'<p>And <a href="{{{{BASE}}}}{TOO_LONG}">that one</a>.</p>'
        _write(
            root, path, article_html(f"Story at {path}", body=_body(related if following else ""))
        )
    sitemap = "".join(
        f"<url><loc>{{{{BASE}}}}{path}</loc></url>"
        for path in (SITEMAP_ONLY, FILED_BELOW_LISTING, "/about/")
    )
    _write(root, "/post-sitemap.xml", f'<?xml version="1.0"?><urlset>{sitemap}</urlset>')
    for path in (*FEED_POSTS[2:], *HOME_ONLY_POSTS, FRENCH, SITEMAP_ONLY, FILED_BELOW_LISTING):
        _write(root, path, article_html(f"Story at {path}", body=_body("")))
    french = f'<link rel="alternate" hreflang="fr" href="{{{{BASE}}}}{FRENCH}">'
    _write(root, FEED_POSTS[1], article_html("Lagos", body=_body(""), head=french))


def _body(extra: str) -> str:
    text = (
        "Mobile money has changed how small traders keep their accounts, and the startups "
        "that serve them are raising larger rounds than ever before in the region. "
    )
    return f"<p>{text * 3}</p><p>{text * 2}</p>{extra}"


def stored_paths(db: Path, base: str) -> set[str]:
    with sqlite3.connect(db) as connection:
        return {url.removeprefix(base) for (url,) in connection.execute("SELECT url FROM articles")}


def test_archive_stories_two_links_away_and_short_slugs_on_the_next_crawl(tmp_path: Path) -> None:
    build_site(tmp_path / "site")
    db = tmp_path / "c.db"
    with serve(tmp_path / "site") as site:
        lists = (
            f'feeds = ["{site.base_url}/feed.xml"]\nsitemaps = ["{site.base_url}/post-sitemap.xml"]'
        )
        sources = write_sources(tmp_path, site.base_url, extra=lists)
        first = sankofa("crawl", "--sources", sources, "--db", f"sqlite:///{db}", *FAST_LOCAL)
        assert first.returncode == 0, first.stderr[-2000:]
        after_first = stored_paths(db, site.base_url)
        home = tmp_path / "site" / "index.html"  # the home page changes, as it does daily
        home.write_text(home.read_text(encoding="utf-8") + "<!-- new -->", encoding="utf-8")
        second = sankofa("crawl", "--sources", sources, "--db", f"sqlite:///{db}", *FAST_LOCAL)
        assert second.returncode == 0, second.stderr[-2000:]
        after_second = stored_paths(db, site.base_url)
    # feed and sitemap entries pass whatever their slug; articles lead to archive stories,
    # two links deep, and to their other-language versions; a link too long to request is
    # counted, not followed
    listed = {*FEED_POSTS, SITEMAP_ONLY, FILED_BELOW_LISTING}
    assert after_first == {*listed, *ARCHIVE[:2], FRENCH}
    assert "url_too_long" in first.stderr
    # the stored posts taught the shape /{slug}/: the plain links of the home page now pass
    assert after_second == {*listed, *HOME_ONLY_POSTS, *ARCHIVE[:2], FRENCH}


def test_shapes_need_support_and_keep_section_words() -> None:
    shapes = PermalinkShapes.learn(
        ["https://a.example/news/12", "https://a.example/news/345", "https://a.example/news/6789",
         "https://a.example/about-us/"]
    )  # fmt: skip
    assert shapes.matches("https://a.example/news/4521")
    assert not shapes.matches("https://a.example/blog/4521")
    assert not shapes.matches("https://a.example/some-page/")  # one stored page: no shape
    assert shape_of("https://a.example/2024/05/03/a-title.html") == "/{yyyy}/{nn}/{nn}/{slug}.html"
    assert shape_of("https://a.example/?p=42") == "/?p={id}"
