"""An extracted, language-tagged Article as the record storage keeps.

The fields are copied by name: every field of ``ArticleRecord`` that ``Article`` also has
is taken from it, so a new article field needs no code here. The fields below are the
only exceptions, and ``tests/test_fields.py`` fails when a field is in neither list.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any, Final

from crawler.discover.canonical import content_hash
from crawler.items import Article, FetchedPage
from storage.records import ArticleRecord, CommentRecord, RawPageRecord

# ArticleRecord fields this module computes rather than copies.
COMPUTED: Final = frozenset({"content_hash", "crawl_run_id", "raw_page", "comments"})
# Article fields that are working state of the crawl, not stored article columns.
NOT_STORED: Final = frozenset({"hints"})
_COPIED: Final = tuple(
    f.name for f in fields(ArticleRecord) if f.name not in COMPUTED and f.name in Article.__slots__
)


def article_record(
    article: Article, crawl_run_id: int | None, keep_raw: bool, keep_comments: bool = False
) -> ArticleRecord:
    assert article.fetched_at is not None, "the crawl sets fetched_at before storing"
    copied: dict[str, Any] = {name: getattr(article, name) for name in _COPIED}
    return ArticleRecord(
        **copied,
        # The bio counts: a revisit or re-extraction that finds a new bio is an update.
        content_hash=content_hash(f"{article.title}\n{article.text}\n{article.author_bio}"),
        crawl_run_id=crawl_run_id,
        raw_page=raw_page_record(article.raw_page) if keep_raw else None,
        comments=[
            CommentRecord(c.position, c.author, c.published, c.text) for c in article.comments
        ]
        if keep_comments
        else None,
    )


def raw_page_record(page: FetchedPage | None) -> RawPageRecord | None:
    if page is None:
        return None
    return RawPageRecord(page.url, page.status, list(page.headers), page.body, page.fetched_at)
