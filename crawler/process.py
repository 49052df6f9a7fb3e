"""One fetched page -> one language-tagged Article: the pure work a crawl does per page.

The crawl's worker processes and ``sankofa reextract`` both call :func:`process_page`, so a
re-extraction can never drift from what a crawl would have stored. PURE: no Scrapy, no
SQLAlchemy, no storage; picklable in and out, so it runs in a worker process.
"""

from __future__ import annotations

import traceback
from dataclasses import replace
from pathlib import Path
from time import perf_counter
from typing import Any

from crawler.dedupe.signature import signature
from crawler.discover.links import ArticleLinks, article_links
from crawler.extract.article import extract_tree
from crawler.extract.comments import extract_comments
from crawler.extract.decoding import decode_html
from crawler.extract.parse import parse_html
from crawler.extract.sanitize import clean_body
from crawler.items import Article, FetchedPage, LanguageHints, Processed
from crawler.lang.detect import LanguageResult, detect


def process_page(
    page: FetchedPage, source_hints: LanguageHints, keep_comments: bool = False
) -> Processed:
    """Decode, extract and language-tag ``page``; ``source_hints`` are its source's languages."""
    started = perf_counter()
    links = None
    try:
        html = decode_html(page.body, page.content_type)
        tree = parse_html(html)
        links = _links(page, tree)  # first: extraction cuts the tree up
        article = _article(page, html, tree, source_hints, keep_comments)
        extracted = perf_counter()
        if article is not None:
            apply_language(article, detect(article.text, article.hints))
    except Exception as error:
        # One page's bug must cost neither its links (when they were read) nor a whole
        # re-extraction: the caller counts the page as failed and goes on.
        return Processed(None, perf_counter() - started, 0.0, links, error=_described(error))
    if article is None:
        return Processed(None, extracted - started, 0.0, links)
    return Processed(article, extracted - started, perf_counter() - extracted, links)


def _described(error: Exception) -> str:
    """The error in one line, with where it was raised: enough to file a bug from."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(error).__name__}: {error}{where}"


def _article(
    page: FetchedPage, html: str, tree: Any, source_hints: LanguageHints, keep_comments: bool
) -> Article | None:
    article = extract_tree(tree, page.url)
    if article is None:
        return None
    if not article.author_bio and page.listed_bio:  # the page has no author box: the CMS's
        article.author_bio = clean_body(page.listed_bio)
    if keep_comments:
        article.comments = extract_comments(html)
    article.hints = _merge_hints(article.hints, source_hints, page.content_language)
    article.source, article.fetched_at = page.source, page.fetched_at
    article.minhash = signature(article.text)
    return article


def _links(page: FetchedPage, tree: Any) -> ArticleLinks | None:
    """The page's links, read from the tree extraction parses (here rather than in the
    crawl's process, which would parse every page a second time)."""
    if page.link_hops is None:
        return None
    return article_links(tree, page.url, len(page.body))


def _merge_hints(page: LanguageHints, source: LanguageHints, header: str | None) -> LanguageHints:
    return replace(
        page,
        content_language=header or page.content_language,
        source_languages=source.source_languages,
        country=source.country,
    )


def apply_language(article: Article, result: LanguageResult) -> None:
    """Record a language result on the article it was computed for."""
    article.language = result.language
    article.language_confidence = result.confidence
    article.language_shares = dict(result.shares)
    article.code_switched = result.code_switched
