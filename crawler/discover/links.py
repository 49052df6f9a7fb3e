"""Discovery rules: which URLs a page points to, and what kind of page a URL is (the feeds,
sitemaps and robots.txt a site publishes are read in crawler.discover.listings).

PURE: imports neither scrapy nor sqlalchemy. The spider wires these into requests.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from crawler import phrases, url_words
from crawler.dates import parse_date


class UrlKind(Enum):
    ARTICLE = "article"  # worth fetching as an article candidate
    LISTING = "listing"  # home, pagination, category and archive pages: followed for links
    SKIP = "skip"  # tag, author, about, legal, search, feeds, media, admin: never followed


@dataclass(frozen=True, slots=True)
class Listed:
    """A URL a feed or sitemap lists, with the date it gives (None when it gives none)."""

    url: str
    date: datetime | None = None
    bio: str | None = None  # the author's bio, when a CMS API gives it


_SKIP_PATH = re.compile(
    r"/(tag|tags|author|authors|auteur|autor|user|users|profile|about|about-us|a-propos|"
    r"sobre|sobre-nos|contact|contacts|contato|contacto|privacy|privacy-policy|terms|"
    r"legal|cookies?|advertise|login|register|wp-login\.php|wp-admin|wp-json|feed|rss|"
    r"comments|search|cart|checkout|account|subscribe|newsletter|cdn-cgi|xmlrpc\.php)(/|$)",
    re.IGNORECASE,
)
_LISTING_PATH = re.compile(
    r"/(page/\d+|category|categories|categorie|categoria|section|sections|topics?|archives?|"
    r"news|blog|\d{4}(/\d{2})?)/?$|/(category|categorie|categoria|section)/",
    re.IGNORECASE,
)
_MEDIA_SUFFIX = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|ico|css|js|mp3|mp4|webm|zip|gz|xml|json|rss|atom|woff2?)$",
    re.IGNORECASE,
)
_SLUG = r"[\w%]+-[\w%]+-[\w%]+"  # three words or more
_ARTICLE_HINT = re.compile(rf"/\d{{4}}/\d{{2}}/|{_SLUG}|\.html?$|/\d{{4,}}(/|-|$)", re.UNICODE)
# A segment of an article's address: a slug, or a page file.
_LISTED_SLUG = re.compile(rf"^{_SLUG}|\.s?html?$", re.UNICODE)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
# Posts addressed by a numeric id in the query: WordPress's ?p=, and ?id=, ?story=... of
# hand-made and older news CMSs.
_SHORTLINK = re.compile(r"(^|&)(p|id|story|article|aid|newsid|nid)=\d+($|&)")
_PAGINATION_TEXT = re.compile("|".join(map(re.escape, phrases.PAGINATION_WORDS)), re.IGNORECASE)


@functools.lru_cache(maxsize=16_384)  # a site's menu and sidebar links recur on every page
def classify_url(url: str) -> UrlKind:
    """Guess from the URL alone what kind of page it is."""
    parts = urlsplit(url)
    path = parts.path or "/"
    segments = url_words.path_segments(path)
    if _MEDIA_SUFFIX.search(path) or _SKIP_PATH.search(path) or "s=" in parts.query.split("&"):
        return UrlKind.SKIP
    if _filed_under(segments, _SKIPPED_ARCHIVES) or (segments and segments[-1] in url_words.SEARCH):
        return UrlKind.SKIP
    if _SHORTLINK.search(parts.query):
        return UrlKind.ARTICLE
    if path == "/" or _LISTING_PATH.search(path) or re.search(r"(^|&)page=\d+", parts.query):
        return UrlKind.LISTING
    if _filed_under(segments, url_words.CATEGORIES):
        return UrlKind.LISTING
    return UrlKind.ARTICLE if _ARTICLE_HINT.search(path) else UrlKind.SKIP


# Archives in the languages crawled (crawler.url_words), beside the English words of
# _SKIP_PATH and _LISTING_PATH: a tag's, an author's and a search's pages are skipped (the
# same posts again), a category's followed ("/kategori/fintech/", "/rubrique/startups/").
_SKIPPED_ARCHIVES = url_words.TAGS | url_words.AUTHOR_PAGES | url_words.SEARCHES


def _filed_under(segments: list[str], words: frozenset[str]) -> bool:
    return any(segment in words for segment in segments)


def category_page(url: str) -> bool:
    """Whether ``url`` is a category's or a section's archive, in the languages crawled: a
    listing page worth its budget, as later pages of a listing are."""
    path = urlsplit(url).path
    if "/categor" in path or "/section" in path:
        return True
    return _filed_under(url_words.path_segments(path), url_words.CATEGORIES)


def worth_fetching(url: str, listed: bool = False) -> bool:
    """Whether `url` deserves a request as an article. A link found on a page must look like
    a permalink; one from a list of posts (a feed, a CMS API) is a post whatever its slug
    (`/fintech/`, `/news/some-title`), unless its path says media or furniture, or says
    listing and holds no article's slug: a listed "/category/news/lagos-fintech-raises-fund/"
    or "/blog/why-tutoring-failed/2025/11" is a post filed below a listing's path (the page
    classifier turns away a category whose own name is that long)."""
    kind = classify_url(url)
    if kind is UrlKind.ARTICLE or not listed:
        return kind is UrlKind.ARTICLE
    path = urlsplit(url).path or "/"
    if kind is UrlKind.LISTING:
        return any(_LISTED_SLUG.search(segment) for segment in path.split("/"))
    return not (_MEDIA_SUFFIX.search(path) or _SKIP_PATH.search(path))


def same_site(url: str, domains: tuple[str, ...]) -> bool:
    """Whether ``url`` is http(s) on one of the source's domains (or a subdomain of one)."""
    scheme, host = _scheme_and_host(url)
    if scheme not in ("http", "https"):
        return False
    return any(host == domain or host.endswith("." + domain) for domain in domains)


# Every link of every article page is asked about (46 per page on the throughput benchmark's
# site), and menus, sidebars and footers repeat the same ones from page to page.
@functools.lru_cache(maxsize=4096)
def _scheme_and_host(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower()


def _html_tree(html: bytes | str, base_url: str) -> Any:
    try:
        return lxml.html.document_fromstring(html, base_url=base_url)
    except (lxml.etree.ParserError, ValueError):
        return None


def feed_links(html: bytes | str, base_url: str) -> list[str]:
    """RSS/Atom feeds a page announces with ``<link rel="alternate" type="...">``."""
    tree = _html_tree(html, base_url)
    if tree is None:
        return []
    hrefs = tree.xpath(
        "//link[contains(@rel,'alternate')][contains(@type,'rss') or contains(@type,'atom')]/@href"
    )
    joined = (join_url(base_url, str(h)) for h in hrefs if "comments" not in h)
    return [url for url in joined if url is not None]


@dataclass(frozen=True, slots=True)
class PageLink:
    url: str  # absolute, without fragment
    label: str  # its text, rel and class
    in_item: bool  # the link of a listing item: a post's headline or its rel=bookmark
    date: datetime | None = None  # the item's <time datetime>, when it shows one


# An article page is read for links by the extraction worker, from the tree extraction
# parses anyway: a bounded read, so that a 9 MB page of 200,000 links cannot hold a worker.
MAX_ARTICLE_BYTES_FOR_LINKS = 2 * 1024 * 1024
MAX_LINKS_PER_ARTICLE = 1000
MAX_LINKS_PER_LISTING = 5000  # the most on 1,678 real benchmark pages is 1,777


@dataclass(frozen=True, slots=True)
class ArticleLinks:
    alternates: list[str]  # <link rel="alternate" hreflang>: the article in other languages
    links: list[str]  # <a href>, absolute, without fragment, the first MAX_LINKS_PER_ARTICLE


def article_links(tree: Any, base_url: str, page_bytes: int) -> ArticleLinks:
    """The other-language versions an article names, and the pages it links to, read from
    the page's lxml.html tree (None: no links; the tree is only read). Pages over
    MAX_ARTICLE_BYTES_FOR_LINKS (``page_bytes``, as fetched) are not read for links at all."""
    if tree is None or page_bytes > MAX_ARTICLE_BYTES_FOR_LINKS:
        return ArticleLinks([], [])
    alternates = [
        url
        for link in tree.iter("link")
        if "alternate" in (link.get("rel") or "").lower().split()
        and link.get("hreflang")
        and (link.get("href") or "").strip()
        and (url := join_url(base_url, str(link.get("href")).strip())) is not None
    ]
    hrefs = (str(anchor.get("href") or "").strip() for anchor in tree.iter("a"))
    join = _joiner(base_url)
    links = [
        url.split("#", 1)[0]
        for href in hrefs
        if href
        and not href.startswith(("mailto:", "javascript:", "tel:", "#"))
        and (url := _or_none(join, href)) is not None
    ]
    return ArticleLinks(alternates, links[:MAX_LINKS_PER_ARTICLE])


def join_url(base_url: str, href: str) -> str | None:
    """urljoin, or None for an href no URL parser accepts (`//[`, `http://[::1`): pages,
    feeds and robots.txt files carry such links, and one must not cost the others."""
    return _or_none(functools.partial(urljoin, base_url), href)


def _or_none(join: Callable[[str], str], href: str) -> str | None:
    """`join(href)`, or None for an href no URL parser accepts (`//[`): one broken link
    must not cost the page's others."""
    try:
        return join(href)
    except ValueError:
        return None


# Hrefs urljoin resolves from the base's origin alone: absolute with a host, root-relative;
# never one holding a tab or line break, which urlsplit deletes (`https://\t?p=2` has no host).
_ORIGIN_ENOUGH = re.compile(r"(?:https?://[^/?#\t\r\n]|/(?!/))[^\t\r\n]*\Z")


def _joiner(base_url: str) -> Callable[[str], str]:
    """urljoin against `base_url`, cached for the hrefs whose result cannot depend on the
    base's path (a site's menu, sidebar and footer links, the same on every page)."""
    parts = urlsplit(base_url)
    origin = f"{parts.scheme}://{parts.netloc}/"

    def join(href: str) -> str:
        if _ORIGIN_ENOUGH.match(href):
            return _join_to_origin(origin, href)
        return urljoin(base_url, href)

    return join


@functools.lru_cache(maxsize=16_384)
def _join_to_origin(origin: str, href: str) -> str:
    return urljoin(origin, href)


def page_links(html: bytes | str, base_url: str) -> Iterator[PageLink]:
    """Every ``<a href>`` on a page (the first MAX_LINKS_PER_LISTING), absolute, with its
    text and rel, fragments removed."""
    tree = _html_tree(html, base_url)
    if tree is None:
        return
    for anchor in itertools.islice(tree.iter("a"), MAX_LINKS_PER_LISTING):
        href = (anchor.get("href") or "").strip()
        if href and not href.startswith(("mailto:", "javascript:", "tel:", "#")):
            joined = join_url(base_url, href)
            if joined is None:
                continue
            label = f"{anchor.text_content()} {anchor.get('rel') or ''} {anchor.get('class') or ''}"
            url = joined.split("#", 1)[0]
            in_item = _item_link(anchor)
            yield PageLink(url, label, in_item, _item_date(anchor) if in_item else None)


def _item_date(anchor: Any) -> datetime | None:
    """The date the listing item around `anchor` shows: the first <time datetime> of its
    <article> (as WordPress, Ghost and most themes print it)."""
    item = next((parent for parent in anchor.iterancestors() if parent.tag == "article"), None)
    for time in () if item is None else item.iter("time"):
        date = parse_date(time.get("datetime"))
        if date is not None:
            return date
    return None


def listing_is_older_than(links: list[PageLink], since: datetime | None) -> bool:
    """Every dated item of a listing page is older than `since` (and some are dated):
    nothing newer lies behind its pagination, which lists older posts still."""
    dates = [link.date for link in links if link.date is not None]
    return since is not None and bool(dates) and all(date < since for date in dates)


def _item_link(anchor: Any) -> bool:
    """A link that names a post in a list of posts: marked rel=bookmark (WordPress, Blogger
    and most themes do), or the headline link of an <article> item. Markup every theme has,
    rather than words: a listing's posts are candidates whatever their slug."""
    if "bookmark" in (anchor.get("rel") or "").lower().split():
        return True
    heading = next((parent for parent in anchor.iterancestors() if parent.tag in _HEADINGS), None)
    return heading is not None and any(
        parent.tag == "article" for parent in heading.iterancestors()
    )


def is_pagination(url: str, label: str) -> bool:
    """Links to the next page of a listing: /page/2/, ?page=2, rel=next, "Older posts"."""
    if re.search(r"/page/\d+/?$|[?&](page|paged)=\d+", url):
        return True
    return bool(_PAGINATION_TEXT.search(label)) and classify_url(url) is UrlKind.LISTING
