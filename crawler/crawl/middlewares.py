"""Downloader middlewares of our own."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import IgnoreRequest

MAX_PAGES_REACHED = "max_pages_reached"


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
