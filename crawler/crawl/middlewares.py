"""Middlewares of our own: the page budget, and losses that Scrapy drops without a reason."""

from __future__ import annotations

from typing import Any

from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.urllength import UrlLengthMiddleware

from crawler.crawl.counters import MAX_PAGES_REACHED, count

REDIRECT_LOOP = "redirect loop"


class PageBudget:
    """--max-pages N: at most N requests reach the network.

    Scrapy's CLOSESPIDER_PAGECOUNT counts responses, so the requests already in flight when
    it fires (up to CONCURRENT_REQUESTS) overshoot the bound; counting requests does not.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.issued = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> PageBudget:
        return cls(crawler.settings.getint("SANKOFA_MAX_PAGES"))

    def process_request(self, request: Any) -> None:
        if not self.budget:
            return
        if self.issued >= self.budget:
            raise IgnoreRequest(MAX_PAGES_REACHED)
        self.issued += 1


class LoopAwareRedirect(RedirectMiddleware):
    """Scrapy's redirects, but a redirect back to a URL of the same chain is a loop, reported
    as one. (Scrapy would hand it to the duplicate filter, which drops it without a word.)"""

    def _redirect(self, redirected: Any, request: Any, reason: Any) -> Any:
        chain = {*request.meta.get("redirect_urls", ()), request.url}
        if redirected.url in chain:
            raise IgnoreRequest(REDIRECT_LOOP)
        return super()._redirect(redirected, request, reason)


class CountedUrlLength(UrlLengthMiddleware):
    """Scrapy's URL length limit (URLLENGTH_LIMIT), with each dropped link counted against its
    source as `url_too_long`, so the loss shows in the summary and in `sankofa runs`."""

    def get_processed_request(self, request: Any, response: Any) -> Any:
        kept = super().get_processed_request(request, response)
        if kept is None:
            count(self.crawler.stats, "skipped", "url_too_long", request.meta.get("source"))
        return kept
