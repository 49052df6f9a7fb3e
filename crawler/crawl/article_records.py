"""An extracted, language-tagged Article as the record storage keeps."""

from __future__ import annotations

from crawler.discover.canonical import content_hash
from crawler.items import Article, FetchedPage
from storage.records import ArticleRecord, CommentRecord, RawPageRecord


def article_record(
    article: Article, crawl_run_id: int | None, keep_raw: bool, keep_comments: bool = False
) -> ArticleRecord:
    assert article.fetched_at is not None, "the crawl sets fetched_at before storing"
    return ArticleRecord(
        source=article.source,
        url=article.url,
        canonical_url=article.canonical_url,
        title=article.title,
        text=article.text,
        authors=article.authors,
        author_bio=article.author_bio,
        author_url=article.author_url,
        published=article.published,
        modified=article.modified,
        site_name=article.site_name,
        tags=article.tags,
        categories=article.categories,
        description=article.description,
        image_url=article.image_url,
        language=article.language,
        language_confidence=article.language_confidence,
        language_shares=article.language_shares,
        code_switched=article.code_switched,
        extractor=article.extractor,
        # The bio counts: a revisit or re-extraction that finds a new bio is an update.
        content_hash=content_hash(f"{article.title}\n{article.text}\n{article.author_bio}"),
        fetched_at=article.fetched_at,
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
