"""Dataclasses handed between the crawl stages (see docs/architecture.md, data flow).

FetchedPage is what the spider yields; Article is what extraction returns and the
language and storage stages complete; Processed is what a worker hands back for one page.
All are plain, picklable data so that extraction can run in a worker process, and light:
the crawl's own process unpickles them without importing the extraction stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.discover.links import ArticleLinks


@dataclass(frozen=True, slots=True)
class Comment:
    position: int  # order on the page, from 0
    author: str
    published: datetime | None
    text: str


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """One article candidate as Scrapy fetched it, before extraction."""

    url: str  # final URL, after redirects
    source: str  # Source.name from sources.toml
    status: int
    body: bytes
    content_type: str  # the Content-Type header, "" when absent (charset and all)
    fetched_at: datetime  # UTC
    content_language: str | None = None  # the Content-Language header
    headers: tuple[tuple[str, str], ...] = ()  # every response header, in order (for WARC)
    listed_date: datetime | None = None  # date the feed or sitemap gave for this URL
    listed_bio: str | None = None  # the author's bio a CMS API gave, for pages without one
    # How many article-to-article links its links are from a listing, feed or sitemap, when
    # the crawl follows them; None: its links are not read.
    link_hops: int | None = None


@dataclass(slots=True)
class LanguageHints:
    """What the page and its source declare; the text still wins when it is clear."""

    html_lang: str | None = None  # <html lang>
    og_locale: str | None = None  # <meta property="og:locale">
    content_language: str | None = None  # HTTP Content-Language
    hreflang: str | None = None  # <link rel=alternate hreflang> pointing at this page
    source_languages: tuple[str, ...] = ()  # the source's declared `languages`
    country: str | None = None  # the source's ISO 3166-1 alpha-2 country


@dataclass(slots=True)
class Article:
    """Fields extracted from one article page. Dates are timezone-aware UTC."""

    url: str
    canonical_url: str
    title: str
    text: str  # body: paragraphs separated by blank lines
    authors: list[str] = field(default_factory=list)
    author_bio: str = ""
    author_url: str | None = None  # author profile page, when the page links one
    published: datetime | None = None
    modified: datetime | None = None
    site_name: str | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    description: str | None = None
    image_url: str | None = None
    hints: LanguageHints = field(default_factory=LanguageHints)
    extractor: str = ""  # e.g. "sankofa-0.1.0+trafilatura-2.3.1"
    # Filled by the page classifier: "article" or the kind of a kept but doubtful page.
    page_kind: str = "article"
    article_score: float | None = None  # 0 to 1; the crawl keeps pages above KEEP_THRESHOLD
    # "ok", or "replacement_chars" when the text holds U+FFFD (bytes no encoding explains).
    text_quality: str = "ok"
    # MinHash signature of the body (crawler.dedupe.signature); None when too short to compare.
    minhash: bytes | None = None
    # Filled by the crawl from the FetchedPage (extraction leaves them empty):
    source: str = ""
    fetched_at: datetime | None = None
    raw_page: FetchedPage | None = None  # the response itself, kept unless turned off
    comments: list[Comment] = field(default_factory=list)  # only with SANKOFA_KEEP_COMMENTS
    # Filled by the language stage:
    language: str = "und"
    language_confidence: float = 0.0
    language_shares: dict[str, float] = field(default_factory=dict)
    code_switched: bool = False


@dataclass(frozen=True, slots=True)
class Processed:
    """What became of one page, with the seconds each stage took (for the crawl's stats)."""

    article: Article | None  # None: the page is not an article, or extraction failed
    extract_seconds: float
    language_seconds: float
    links: ArticleLinks | None = None  # what the page links to, when the crawl follows it
    error: str | None = None  # why extraction failed; the links were read before it did
