"""The CPU-heavy stage calls, as top-level functions a worker process can run. PURE."""

from __future__ import annotations

from dataclasses import replace
from time import perf_counter

from crawler.extract.article import extract
from crawler.extract.comments import extract_comments
from crawler.extract.decoding import decode_html
from crawler.items import Article, FetchedPage, LanguageHints
from crawler.lang.detect import LanguageResult, detect


def extract_page(
    page: FetchedPage, hints: LanguageHints, keep_comments: bool = False
) -> tuple[Article | None, float]:
    """Decode and extract one page; return the article (None if not one) and seconds spent."""
    started = perf_counter()
    html = decode_html(page.body, page.content_type)
    article = extract(html, page.url)
    if article is not None and keep_comments:
        article.comments = extract_comments(html)
    if article is not None:
        article.hints = _merge_hints(article.hints, hints, page.content_language)
        article.source, article.fetched_at = page.source, page.fetched_at
    return article, perf_counter() - started


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


def detect_language(text: str, hints: LanguageHints) -> tuple[LanguageResult, float]:
    """Detect the text's language; return the result and seconds spent."""
    started = perf_counter()
    result = detect(text, hints)
    return result, perf_counter() - started
