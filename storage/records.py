"""Plain data the crawler hands to storage, so that storage never imports the crawler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """A source as declared in sources.toml; synced into `sources` by name."""

    name: str
    url: str
    country: str | None = None
    region: str | None = None
    languages: tuple[str, ...] = ()
    terms: str | None = None  # the site's terms-of-use / licence note, for dataset cards


@dataclass(frozen=True, slots=True)
class RawPageRecord:
    """The HTTP response an article came from; storage compresses the body."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class CommentRecord:
    """A reader comment, in page order."""

    position: int
    author: str
    published: datetime | None
    text: str


@dataclass(slots=True)
class ArticleRecord:
    """One extracted, language-tagged article. Datetimes must be timezone-aware."""

    source: str  # SourceRecord.name
    url: str
    canonical_url: str
    title: str
    text: str
    authors: list[str]
    author_bio: str
    author_url: str | None
    published: datetime | None
    modified: datetime | None
    site_name: str | None
    tags: list[str]
    categories: list[str]
    description: str | None
    image_url: str | None
    language: str
    language_confidence: float
    language_shares: dict[str, float]
    extractor: str
    content_hash: str
    fetched_at: datetime
    crawl_run_id: int | None = None
    raw_page: RawPageRecord | None = None  # kept for re-extraction and WARC export
    # None: comments were not collected (stored ones stay); a list replaces the stored ones.
    comments: list[CommentRecord] | None = None
    code_switched: bool = False  # a second language holds a substantial share of the text
    page_kind: str = "article"  # or the kind of a kept but doubtful page (listing, product...)
    article_score: float | None = None  # the classifier's article score, 0 to 1
    text_quality: str = "ok"  # or "replacement_chars": the text holds U+FFFD
    minhash: bytes | None = None  # the body's MinHash signature; None: too short to compare
