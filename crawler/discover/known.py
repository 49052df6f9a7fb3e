"""What a crawl already knows from earlier ones: stored articles, due revisits and the
validators of discovery pages. PURE: the spider loads it from storage and asks it questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Validators = dict[str, tuple[str | None, str | None]]  # url -> (ETag, Last-Modified)


@dataclass
class IncrementalState:
    stored: set[str] = field(default_factory=set)  # URLs of stored articles
    revisits: set[str] = field(default_factory=set)  # stored articles due for a re-check
    revisits_by_source: dict[str, list[str]] = field(default_factory=dict)  # the same, by source
    validators: Validators = field(default_factory=dict)  # from earlier crawls
    seen_validators: Validators = field(default_factory=dict)  # from this crawl
    refresh: bool = False  # --refresh: forget all of the above

    def article_skip_reason(self, url: str) -> str | None:
        """Why an article URL need not be fetched again, or None to fetch it."""
        if self.refresh or url in self.revisits or url not in self.stored:
            return None
        return "already_stored"

    def conditional_headers(self, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since for a discovery page fetched before."""
        etag, modified = (None, None) if self.refresh else self.validators.get(url, (None, None))
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        return headers

    def remember(self, url: str, etag: str | None, modified: str | None) -> None:
        """Validators of a discovery page fetched in full (saved if the crawl completes)."""
        if etag or modified:
            self.seen_validators[url] = (etag, modified)
