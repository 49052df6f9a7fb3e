"""The one generic spider: feeds, sitemaps, home and listing pages of every source."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.crawl.context import CrawlContext, crawl_context
from crawler.crawl.counters import count, count_for_source, failure_reason, saw_everything
from crawler.discover.canonical import canonicalize_url
from crawler.discover.cms import (
    POSTS_PER_PAGE,
    full_feed_pages,
    next_ghost_rss_page,
    parse_wordpress_posts,
    parse_wordpress_users,
    wordpress_api_root,
    wordpress_posts_url,
    wordpress_users_url,
)
from crawler.discover.known import IncrementalState
from crawler.discover.links import (
    ArticleLinks,
    Listed,
    PageLink,
    UrlKind,
    category_page,
    classify_url,
    feed_links,
    is_pagination,
    join_url,
    listing_is_older_than,
    page_links,
    same_site,
    worth_fetching,
)
from crawler.discover.listings import (
    SitemapTooLarge,
    parse_feed,
    parse_sitemap,
    sitemaps_in_robots,
)
from crawler.discover.permalinks import PermalinkShapes
from crawler.extract.decoding import is_html
from crawler.items import FetchedPage
from crawler.settings import user_agent_for
from crawler.sources.registry import Source, parse_interval
from storage.crawlstate import due_revisits, load_validators, save_validators
from storage.repository import known_urls


class BlogsSpider(scrapy.Spider):
    name = "blogs"
    context: CrawlContext
    max_listing_pages: int
    listing_pages: Counter[str]  # listing pages requested, per source
    requested: set[str]  # canonical article URLs already requested in this crawl
    article_hops: int  # links followed from article to article, away from discovery pages
    permalinks: dict[str, PermalinkShapes]  # per source, learnt from its stored articles
    feed_pages: Counter[str]  # older pages of paged feeds requested, per source
    max_feed_pages: int
    wp_bios: dict[str, dict[int, str]]  # per source: author id -> bio, from the users API
    api_state: dict[str, str]  # per source: "pending", "ok" or "off" once its API answered
    deferred_items: dict[str, list[Listed]]  # listing items waiting for the API's answer
    deferred_listings: dict[str, list[str]]  # listing pages waiting for it too
    sitemap_max_depth: int  # index -> index -> ... levels followed below a seed sitemap
    max_sitemaps: int  # sitemaps requested per source
    sitemaps_requested: set[str]
    sitemaps_per_source: Counter[str]
    known: IncrementalState  # what earlier crawls stored and learnt

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """Rebuild USER_AGENT around SANKOFA_CONTACT_URL when only the contact was changed."""
        super().update_settings(settings)
        contact_priority = settings.getpriority("SANKOFA_CONTACT_URL")
        if contact_priority > settings.getpriority("USER_AGENT"):
            agent = user_agent_for(settings.get("SANKOFA_CONTACT_URL"))
            settings.set("USER_AGENT", agent, priority=contact_priority)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BlogsSpider:
        spider: BlogsSpider = super().from_crawler(crawler, *args, **kwargs)
        spider.context = crawl_context(crawler)
        spider.max_listing_pages = crawler.settings.getint("SANKOFA_MAX_LISTING_PAGES")
        spider.listing_pages = Counter()
        spider.requested = set()
        spider.api_state = {}
        spider.wp_bios = {}
        spider.feed_pages = Counter()
        spider.max_feed_pages = crawler.settings.getint("SANKOFA_MAX_FEED_PAGES")
        spider.article_hops = crawler.settings.getint("SANKOFA_ARTICLE_HOPS")
        spider.deferred_items = {}
        spider.deferred_listings = {}
        spider.sitemap_max_depth = crawler.settings.getint("SANKOFA_SITEMAP_MAX_DEPTH")
        spider.max_sitemaps = crawler.settings.getint("SANKOFA_MAX_SITEMAPS")
        spider.sitemaps_requested = set()
        spider.sitemaps_per_source = Counter()
        spider.known = spider._load_state(crawler.settings)
        return spider

    def _load_state(self, settings: Any) -> IncrementalState:
        names = [source.name for source in self.context.sources]
        revisit_after = [parse_interval(text) for text in settings.getlist("SANKOFA_REVISIT_AFTER")]
        with self.context.sessions() as session:
            due = due_revisits(session, names, revisit_after)
            stored = {name: known_urls(session, name) for name in names}
            self.permalinks = {name: PermalinkShapes.learn(urls) for name, urls in stored.items()}
            return IncrementalState(
                stored=set().union(*stored.values()),
                revisits={url for _, url in due},
                revisits_by_source={name: sorted(u for s, u in due if s == name) for name in names},
                validators=load_validators(session),
                refresh=settings.getbool("SANKOFA_REFRESH"),
            )

    async def start(self) -> AsyncIterator[Any]:
        for source in self.context.sources:
            for request in self._seed_requests(source):
                yield request
            revisits = [Listed(url) for url in self.known.revisits_by_source.get(source.name, [])]
            for request in self._article_requests(source, revisits):
                yield request

    def closed(self, reason: str) -> None:
        """Keep this crawl's validators only when it saw everything: after an interrupted or
        bounded crawl, a 304 must not hide the links that crawl never got to follow."""
        stats = self.crawler.stats.get_stats()
        if saw_everything(reason, stats) and self.known.seen_validators:
            with self.context.sessions() as session:
                save_validators(session, self.known.seen_validators)

    def _seed_requests(self, source: Source) -> Iterator[scrapy.Request]:
        parts = urlsplit(source.url)
        yield self._request(f"{parts.scheme}://{parts.netloc}/robots.txt", source, "robots")
        for feed in source.feeds:
            yield self._request(feed, source, "feed")
        for sitemap in source.sitemaps:
            yield self._request(sitemap, source, "sitemap")
        yield self._request(source.url, source, "listing")

    def _request(
        self, url: str, source: Source, kind: str, listed: datetime | None = None
    ) -> scrapy.Request:
        callbacks = {
            "robots": self.parse_robots,
            "feed": self.parse_feed,
            "sitemap": self.parse_sitemap,
            "listing": self.parse_listing,
            "article": self.parse_article,
        }
        if kind == "feed":
            url = full_feed_pages(url)
        meta: dict[str, Any] = {"source": source.name, "kind": kind, "listed": listed}
        if kind == "sitemap":
            self.sitemaps_requested.add(url)
            self.sitemaps_per_source[source.name] += 1
        headers = {}
        if kind in ("feed", "sitemap", "listing"):
            headers = self.known.conditional_headers(url)
            meta["handle_httpstatus_list"] = [304]
        return scrapy.Request(
            url, callbacks[kind], errback=self.on_error, meta=meta, headers=headers
        )

    # --- discovery callbacks --------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        source = self._source_of(response)
        for sitemap in sitemaps_in_robots(response.body, response.url):
            if same_site(sitemap, source.domains):
                yield self._request(sitemap, source, "sitemap")

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        if response.meta.get("older_page") and response.status == 404:
            return  # past a Ghost feed's last page: its end, not an error
        if self._unchanged(response):
            return
        feed, source = parse_feed(response.body), self._source_of(response)
        if feed.malformed:  # what could be read is still followed
            count(self.crawler.stats, "failures", "malformed_feed", source.name)
        yield from self._article_requests(source, feed.entries, listed=True)
        older = feed.next_page or next_ghost_rss_page(response.url, feed.generator)
        if older and self._wants_older(source, feed.entries):
            older = join_url(response.url, older)
            if older is not None and same_site(older, source.domains):
                self.feed_pages[source.name] += 1
                request = self._request(older, source, "feed")
                request.meta["older_page"] = True
                request.meta["handle_httpstatus_list"] = [304, 404]
                yield request

    def _wants_older(self, source: Source, entries: list[Listed]) -> bool:
        """Whether to ask a paged feed for its older entries: it gave some, none of them is
        older than --since (feeds list newest first, so older pages hold only older posts),
        and the source's feed-page budget is not spent."""
        if not entries or self.feed_pages[source.name] >= self.max_feed_pages:
            return False
        return not any(self.context.too_old(entry.date) for entry in entries)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        if self._unchanged(response):
            return
        source = self._source_of(response)
        try:
            kind, entries = parse_sitemap(response.body)
        except SitemapTooLarge:
            count(self.crawler.stats, "failures", "too_large", source.name)
            return
        if kind == "urlset":  # a list of pages the site itself calls its own: any slug passes
            yield from self._article_requests(source, entries, listed=True)
            return
        depth = response.meta.get("sitemap_depth", 0) + 1
        if depth > self.sitemap_max_depth:
            count(self.crawler.stats, "skipped", "sitemap_depth", source.name)
            return
        for entry in entries:
            if same_site(entry.url, source.domains) and not self.context.too_old(entry.date):
                yield from self._sitemap_request(source, entry.url, depth)

    def _sitemap_request(self, source: Source, url: str, depth: int) -> Iterator[scrapy.Request]:
        """A sitemap an index lists, unless this crawl asked for it already (an index that
        lists itself, or a cycle of them) or the source's sitemap budget is spent."""
        if url in self.sitemaps_requested:
            count(self.crawler.stats, "skipped", "sitemap_loop", source.name)
        elif self.sitemaps_per_source[source.name] >= self.max_sitemaps:
            count(self.crawler.stats, "skipped", "sitemap_limit", source.name)
        else:
            request = self._request(url, source, "sitemap")
            request.meta["sitemap_depth"] = depth
            yield request

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        source = self._source_of(response)
        if self._unchanged(response) or not self._is_html(response):
            return
        for feed in feed_links(response.body, response.url):
            if same_site(feed, source.domains):
                yield self._request(feed, source, "feed")
        yield from self._wordpress_api(source, response)
        links = [link for link in page_links(response.body, response.url)
                 if same_site(link.url, source.domains)]  # fmt: skip
        if listing_is_older_than(links, self.context.since):
            count(self.crawler.stats, "skipped", "listing_older_than_since", source.name)
            return  # its items are older, and its pagination leads further back
        for link in links:
            yield from self._follow(source, link)

    # --- CMS APIs (crawler.discover.cms) -------------------------------------------------

    def _wordpress_api(self, source: Source, response: Response) -> Iterator[scrapy.Request]:
        """Page 1 of the posts API, once per source, when the page announces WordPress's
        REST API (or sources.toml says `api = "wordpress"`)."""
        if source.api == "none" or source.name in self.api_state:
            return
        root = wordpress_api_root(response.body, response.url)
        if root is None and source.api == "wordpress":
            root = urljoin(source.url, "/wp-json/")
        if root is not None and same_site(root, source.domains):
            self.api_state[source.name] = "pending"
            meta = {"source": source.name, "kind": "api", "api_root": root,
                    "handle_httpstatus_list": [400, 401, 403, 404]}  # fmt: skip
            # The authors first: their biographies go with the posts the API lists.
            yield scrapy.Request(wordpress_users_url(root), self.parse_wordpress_users,
                                 errback=self._users_failed, meta=meta)  # fmt: skip

    def parse_wordpress_users(self, response: Response) -> Iterator[scrapy.Request]:
        """Authors' biographies (many sites keep this endpoint private: then none)."""
        source = self._source_of(response)
        if response.status == 200:
            self.wp_bios[source.name] = parse_wordpress_users(response.body)
        yield self._api_request(source, response.meta["api_root"], 1)

    def _users_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        self.on_error(failure)
        request = failure.request  # type: ignore[attr-defined]
        source = self.context.source(request.meta["source"])
        yield self._api_request(source, request.meta["api_root"], 1)

    def _api_request(self, source: Source, root: str, page: int) -> scrapy.Request:
        url = wordpress_posts_url(root, page, self.context.since)
        meta = {"source": source.name, "kind": "api", "api_root": root, "api_page": page,
                "handle_httpstatus_list": [400, 401, 403, 404]}  # fmt: skip
        return scrapy.Request(url, self.parse_wordpress_posts, errback=self._api_failed, meta=meta)

    def _api_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        """The API request could not be made (robots.txt forbids it, the network failed):
        counted as any lost request, and the listing pages take over as if it were off."""
        self.on_error(failure)
        request = failure.request  # type: ignore[attr-defined]
        if request.meta["api_page"] == 1:
            yield from self._api_unavailable(self.context.source(request.meta["source"]))

    def parse_wordpress_posts(self, response: Response) -> Iterator[scrapy.Request]:
        source, page = self._source_of(response), response.meta["api_page"]
        count_for_source(self.crawler.stats, source.name, "pages")
        bios = self.wp_bios.get(source.name)
        entries = parse_wordpress_posts(response.body, bios) if response.status == 200 else None
        if entries is None:
            # An API that is off, private or replaced costs nothing but this request: the
            # feeds, sitemaps and listing pages still run. Past the last page is its end.
            if page == 1:
                count(self.crawler.stats, "skipped", "api_unavailable", source.name)
                yield from self._api_unavailable(source)
            return
        count(self.crawler.stats, "skipped", "api_pages", source.name)
        if page == 1:  # the API lists every post: listing items are not needed any more
            self.api_state[source.name] = "ok"
            self._deferred_items(source)
            self.deferred_listings.pop(source.name, None)
        yield from self._article_requests(source, entries, listed=True)
        total = int(self._header(response, b"X-WP-TotalPages") or 0)
        more = page < total if total else len(entries) >= POSTS_PER_PAGE
        if more and entries:
            yield self._api_request(source, response.meta["api_root"], page + 1)

    def _known_shape(self, source: Source, url: str) -> bool:
        """A permalink of the shape the source's stored articles have (`/news/{id}`)."""
        shapes = self.permalinks.get(source.name)
        return shapes is not None and shapes.matches(url) and worth_fetching(url, listed=True)

    def _api_unavailable(self, source: Source) -> Iterator[scrapy.Request]:
        """The listing items and pages that waited for the API, requested now."""
        self.api_state[source.name] = "off"
        yield from self._article_requests(source, self._deferred_items(source), True)
        for url in self.deferred_listings.pop(source.name, []):
            self.listing_pages[source.name] += 1
            yield self._request(url, source, "listing")

    def _listing_item(self, source: Source, item: Listed) -> Iterator[scrapy.Request]:
        """A post named by a listing item. While the source's CMS API is being asked, it
        waits: the API lists every post with its date (so --since can skip old ones), and
        only if the API turns out to be off is the item requested."""
        state = self.api_state.get(source.name)
        if state == "pending":
            self.deferred_items.setdefault(source.name, []).append(item)
        elif state != "ok":
            yield from self._article_requests(source, [item], listed=True)

    def _deferred_items(self, source: Source) -> list[Listed]:
        return self.deferred_items.pop(source.name, [])

    def _follow(self, source: Source, link: PageLink) -> Iterator[scrapy.Request]:
        kind = classify_url(link.url)
        if kind is not UrlKind.ARTICLE and link.in_item and worth_fetching(link.url, True):
            yield from self._listing_item(source, Listed(link.url, link.date))
        elif kind is UrlKind.ARTICLE or self._known_shape(source, link.url):
            yield from self._article_requests(source, [Listed(link.url, link.date)], listed=True)
        elif kind is UrlKind.LISTING and self._listing_budget_left(source, link.url, link.label):
            if self.api_state.get(source.name) == "pending":  # as listing items: see below
                self.deferred_listings.setdefault(source.name, []).append(link.url)
                return
            self.listing_pages[source.name] += 1
            yield self._request(link.url, source, "listing")

    def _listing_budget_left(self, source: Source, url: str, label: str) -> bool:
        if self.listing_pages[source.name] >= self.max_listing_pages:
            return False
        if self.api_state.get(source.name) == "ok":
            return False  # the source's API lists every post: listing pages add nothing
        return is_pagination(url, label) or category_page(url)

    def _article_requests(
        self, source: Source, entries: list[Listed], listed: bool = False, hops: int = 0
    ) -> Iterator[scrapy.Request]:
        """Requests for the articles among `entries`. `listed`: they come from a list of
        posts (a feed, a sitemap, a CMS API, a listing item), so any permalink shape is a
        candidate, a short slug too; the page classifier decides what is stored."""
        for entry in entries:
            url = canonicalize_url(entry.url)
            if not same_site(url, source.domains) or not worth_fetching(url, listed):
                continue
            if url in self.requested:
                continue
            self.requested.add(url)
            skip = self.known.article_skip_reason(url)
            if skip is None and self.context.too_old(entry.date):
                skip = "older_than_since"
            if skip:
                count(self.crawler.stats, "skipped", skip, source.name)
            else:
                request = self._request(url, source, "article", entry.date)
                request.meta["hops"] = hops
                request.meta["listed_bio"] = entry.bio
                yield request

    # --- articles ---------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[FetchedPage | scrapy.Request]:
        count_for_source(self.crawler.stats, response.meta["source"], "pages")
        if self._is_html(response):
            yield self._fetched_page(response)

    def _link_hops(self, response: Response) -> int | None:
        """Articles an article links to are followed up to `article_hops` links away from a
        listing, a feed or a sitemap: archive stories are often linked from nowhere else.
        Not with --since: a link carries no date, and most lead back in time. None: this
        page's links are not followed."""
        hops: int = response.meta.get("hops", 0) + 1
        if hops > self.article_hops or self.context.since is not None:
            return None
        return hops

    def article_link_requests(
        self, source_name: str, hops: int, found: ArticleLinks
    ) -> Iterator[scrapy.Request]:
        """Requests for the articles among the links an article page holds (read by the
        extraction worker, which parses the page anyway: ``FetchedPage.link_hops``)."""
        source = self.context.source(source_name)
        languages = [Listed(url) for url in found.alternates]
        yield from self._article_requests(source, languages, listed=True, hops=hops)
        for url in found.links:
            if same_site(url, source.domains) and (
                classify_url(url) is UrlKind.ARTICLE or self._known_shape(source, url)
            ):
                yield from self._article_requests(source, [Listed(url)], hops=hops)

    def _fetched_page(self, response: Response) -> FetchedPage:
        content_type = self._header(response, b"Content-Type")
        return FetchedPage(
            url=response.url,
            source=response.meta["source"],
            status=response.status,
            body=response.body,
            content_type=content_type,
            fetched_at=datetime.now(UTC),
            content_language=self._header(response, b"Content-Language") or None,
            headers=tuple(
                (name.decode("latin-1"), value.decode("latin-1"))
                for name, values in response.headers.items()
                for value in values
            ),
            listed_date=response.meta.get("listed"),
            listed_bio=response.meta.get("listed_bio"),
            link_hops=self._link_hops(response),
        )

    # --- helpers ----------------------------------------------------------------------------

    def _unchanged(self, response: Response) -> bool:
        """A 304 to a conditional GET: nothing new behind this page since the last crawl."""
        count_for_source(self.crawler.stats, response.meta["source"], "pages")
        if response.status == 304:
            count(self.crawler.stats, "skipped", "not_modified", response.meta["source"])
            return True
        etag = self._header(response, b"ETag") or None
        self.known.remember(response.url, etag, self._header(response, b"Last-Modified") or None)
        return False

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        if request is not None and request.meta.get("kind") == "robots":
            return  # a missing robots.txt is normal, not a failure of the source
        kind, reason = failure_reason(failure)
        count(self.crawler.stats, kind, reason, request.meta.get("source") if request else None)
        self.logger.debug("%s: %s", reason, request.url if request else failure)

    def _is_html(self, response: Response) -> bool:
        if is_html(self._header(response, b"Content-Type"), response.body):
            return True
        count(self.crawler.stats, "failures", "non_html", response.meta["source"])
        return False

    def _source_of(self, response: Response) -> Source:
        return self.context.source(response.meta["source"])

    @staticmethod
    def _header(response: Response, name: bytes) -> str:
        value = response.headers.get(name)
        return value.decode("latin-1") if value else ""
