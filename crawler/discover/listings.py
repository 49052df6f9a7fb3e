"""The listings a site publishes for machines: feeds (RSS, Atom), sitemaps, robots.txt.

PURE: imports neither scrapy nor sqlalchemy. Apart from crawler.discover.links because only
the crawl's own process reads these: the extraction workers, which read links from pages,
need not load feedparser (10 MB each).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser
import lxml.etree

from crawler.dates import parse_date
from crawler.discover.links import Listed, join_url

# The sitemap protocol's own limit on a sitemap file, uncompressed (sitemaps.org).
MAX_SITEMAP_BYTES = 50 * 1024 * 1024


class SitemapTooLarge(ValueError):
    """A sitemap that is, or unzips to, more than MAX_SITEMAP_BYTES."""


def _ungzip(body: bytes, limit: int = MAX_SITEMAP_BYTES) -> bytes:
    """`body` unzipped if it is gzip, never to more than `limit` bytes (a 1 MB gzip bomb
    would otherwise become gigabytes in the crawl's own process)."""
    if body[:2] != b"\x1f\x8b":
        if len(body) > limit:
            raise SitemapTooLarge(f"{len(body)} bytes")
        return body
    unzipper = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = unzipper.decompress(body, limit + 1)
    except zlib.error:
        return b""  # a broken archive lists nothing
    if len(data) > limit:
        raise SitemapTooLarge(f"unzips to more than {limit} bytes")
    return data


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(element: Any, name: str) -> str | None:
    for child in element.iter():
        if _local(child.tag) == name and child.text and child.text.strip():
            return str(child.text).strip()
    return None


def parse_sitemap(body: bytes) -> tuple[str, list[Listed]]:
    """Return ("index" | "urlset", entries). Google News dates win over <lastmod>.

    Raises SitemapTooLarge past MAX_SITEMAP_BYTES, compressed or not."""
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    root = lxml.etree.fromstring(_ungzip(body), parser=parser)
    if root is None:
        return "urlset", []
    kind = "index" if _local(root.tag) == "sitemapindex" else "urlset"
    entries = []
    for element in root:
        loc = _child_text(element, "loc")
        if loc:
            date = _child_text(element, "publication_date") or _child_text(element, "lastmod")
            entries.append(Listed(loc, parse_date(date)))
    return kind, entries


@dataclass(frozen=True, slots=True)
class Feed:
    entries: list[Listed]
    malformed: bool  # not well-formed XML (feedparser read what it could)
    next_page: str | None = None  # RFC 5005 rel="next": the feed's older entries
    generator: str = ""  # the software that wrote it (<generator>), e.g. "Ghost 5.80"


def parse_feed(body: bytes) -> Feed:
    """Entries of an RSS or Atom feed, with their published (or updated) dates; whether the
    feed is malformed XML; and its next page, if it is a paged feed (Blogger's are, as are
    many Atom feeds). feedparser reads what it can of a malformed feed; its XML parser
    (expat) refuses entity bombs such as billion laughs, so their cost is bounded."""
    parsed = feedparser.parse(body)
    entries = [
        Listed(entry["link"], _feed_date(entry)) for entry in parsed.entries if entry.get("link")
    ]
    following = (
        link.get("href")
        for link in parsed.feed.get("links", ())
        if link.get("rel") == "next" and link.get("href")
    )
    generator = str(parsed.feed.get("generator") or "")
    return Feed(entries, _malformed_xml(parsed), next(following, None), generator)


def _malformed_xml(parsed: Any) -> bool:
    error = parsed.get("bozo_exception")
    return bool(parsed.get("bozo")) and type(error).__name__ == "SAXParseException"


def _feed_date(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            year, month, day, hour, minute, second = value[:6]
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    return None


def sitemaps_in_robots(body: bytes, base_url: str) -> list[str]:
    """``Sitemap:`` lines of a robots.txt."""
    urls = []
    for line in body.decode("utf-8", "replace").splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == "sitemap" and value.strip():
            url = join_url(base_url, value.strip())
            if url is not None:
                urls.append(url)
    return urls
