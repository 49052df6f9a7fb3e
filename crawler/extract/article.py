"""Article extraction: (html, url) -> Article, with the author bio apart and no comments anywhere.

PURE: no network, no scrapy, no sqlalchemy; the same input always gives the same Article.
The order of the steps is the point:

1. decide whether the page is an article at all (crawler.extract.classify), on the intact page;
2. read the metadata from the intact page: head, JSON-LD, bylines (crawler.extract.metadata);
3. drop what no reader sees (scripts, styles, icons), cut comment threads, comment forms and
   page furniture out of the tree (crawler.extract.boilerplate), then the author box
   (crawler.extract.bio), keeping its text as the bio: nothing cut can reach the body;
4. let trafilatura find the body in what is left, asking for second opinions only when it
   finds little, and falling back to the page's main container rather than to nothing;
5. drop any paragraph that is still UI text in one of the sources' languages (4 and 5 are
   crawler.extract.body).

A page a server streamed in parts (React, Next.js) goes through 3-5 twice: as sent, and with
its parts where the browser puts them (crawler.extract.streaming).
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import replace
from typing import Any

import trafilatura

from crawler import __version__
from crawler.extract.bio import AuthorBox, jsonld_bio, jsonld_people, take_author_box
from crawler.extract.body import Cleaner, body_text
from crawler.extract.boilerplate import drop_unread, strip_structural
from crawler.extract.byline_region import without_bylines
from crawler.extract.bylines import candidate_names
from crawler.extract.classify import classify_tree
from crawler.extract.declarations import Page, read_declarations
from crawler.extract.declared_body import declared_paragraphs
from crawler.extract.kept_markup import (
    keep_accordions,
    keep_anchored_text,
    keep_item_headings,
    keep_prose_headers,
    keep_pull_quotes,
    keep_self_linked_headings,
)
from crawler.extract.metadata import absolute_url, canonical_url, read_metadata, url_key
from crawler.extract.parse import parse_html, thin_link_farms
from crawler.extract.rules import RULES, Rules
from crawler.extract.sanitize import sanitize_article
from crawler.extract.streaming import has_streamed_parts, place_streamed_parts
from crawler.items import Article

EXTRACTOR = f"sankofa-{__version__}+trafilatura-{trafilatura.__version__}"


def extract(html: str, url: str, rules: Rules = RULES) -> Article | None:
    """Return the article on ``html`` (fetched from ``url``), or None when it is no article.

    "No article" is the page classifier's call, made so that no article is lost: a doubtful
    page is returned with its ``page_kind`` and ``article_score``.
    """
    return extract_tree(parse_html(html), url, rules)


def extract_tree(tree: Any, url: str, rules: Rules = RULES) -> Article | None:
    """``extract`` of a page already parsed with ``parse_html`` (None: no page). Extraction
    cuts the tree up: read anything else from it first."""
    return _read(tree, url, rules, rejected_too=False)


def read_page(html: str, url: str, rules: Rules = RULES) -> Article | None:
    """Everything extraction finds on the page, whatever kind of page it is, with the page
    kind and article score; None when there is no page or no text to speak of."""
    return _read(parse_html(html), url, rules, rejected_too=True)


def _read(tree: Any, url: str, rules: Rules, rejected_too: bool) -> Article | None:
    """The article on the page. A page the classifier rejects is only read further when
    ``rejected_too``: the crawl would throw its body away, so there is no need to find it."""
    if tree is None or url_key(url, "") is None:
        return None  # no page, or an address no spider could have fetched
    # The classifier reads the intact page: extraction cuts the tree up below.
    verdict = classify_tree(tree, url)
    if not (rejected_too or verdict.kept):
        return None
    thin_link_farms(tree)  # after classifying: the number of links is one of its signals
    page = read_declarations(tree, url)
    article = read_metadata(tree, page, canonical_url(page))
    article.extractor = EXTRACTOR
    if rules.place_streamed_parts and has_streamed_parts(tree):
        article = _read_streamed(tree, page, article, rules)
    else:
        _split_body_and_bio(tree, page, article, rules)
    if not article.text:
        return None
    article.page_kind, article.article_score = verdict.kind, verdict.article_score
    sanitize_article(article)
    return article


def _read_streamed(tree: Any, page: Page, article: Article, rules: Rules) -> Article:
    """The body and bio of a page streamed in parts, read twice: as sent, and as the browser
    assembles it (the parts in place: crawler.extract.streaming). In place wins unless the
    parts as sent give a longer body: in place, a part may land in a box whose class
    trafilatura takes for comments, and an article read out of order beats one lost."""
    in_place, placed = deepcopy(tree), replace(article)
    place_streamed_parts(in_place)
    _split_body_and_bio(tree, page, article, rules)
    _split_body_and_bio(in_place, page, placed, rules)
    return placed if len(placed.text) >= len(article.text) else article


def _split_body_and_bio(tree: Any, page: Page, article: Article, rules: Rules) -> None:
    """Fill the bio, then the body, from ``tree``; both passes cut what they take from it."""
    drop_unread(tree)
    if rules.keep_anchored_text:
        keep_anchored_text(tree)
    if rules.keep_linked_headings:
        keep_self_linked_headings(tree)
    if rules.keep_item_headings:
        keep_item_headings(tree)
    if rules.keep_prose_headers:
        keep_prose_headers(tree)
    # Before the author box: comment threads are full of "comment-author" boxes.
    marked = strip_structural(tree) if rules.strip_furniture else None
    box = AuthorBox()
    if rules.cut_author_box:
        box = take_author_box(tree, candidate_names(tree, article.authors), marked)
    if rules.keep_accordions:  # comment threads and the author box are out by now
        keep_accordions(tree)
    if rules.keep_pull_quotes:
        keep_pull_quotes(tree)
    article.author_bio = box.bio or jsonld_bio(jsonld_people(page.article, page.nodes))
    article.authors = article.authors or ([box.name] if box.name else [])
    article.author_url = article.author_url or absolute_url(page.url, box.url)
    cleaner = Cleaner.for_article(article.title, article.author_bio, rules)
    article.text = body_text(tree, cleaner, rules)
    if rules.cut_bylines:
        article.text = without_bylines(tree, article.text, article.authors)
    if rules.declared_body:
        declared = cleaner.clean(declared_paragraphs(page.article, article.text))
        article.text = "\n\n".join(declared) or article.text
