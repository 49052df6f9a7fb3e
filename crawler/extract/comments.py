"""Reader comments, for researchers who study discussions (kept only when asked for).

PURE. Comments are taken from server-rendered threads: WordPress (`li.comment`,
`.comment-body`), Blogger (`.comment-block`), Drupal (`article.comment`) and any element
marked up as schema.org Comment. Script-rendered widgets (Disqus, Facebook) have no
comments in the HTML a crawler receives.
"""

from __future__ import annotations

from typing import Any

import lxml.html

from crawler.dates import parse_date
from crawler.items import Comment

_COMMENT_NODES = (
    "//*[@itemtype='https://schema.org/Comment' or @itemtype='http://schema.org/Comment']"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' comment-body ')]"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' comment-block ')]"
    " | //article[contains(concat(' ', normalize-space(@class), ' '), ' comment ')]"
)
_TEXT = (
    ".//*[@itemprop='text' or contains(@class, 'comment-content')"
    " or contains(@class, 'field--name-comment-body') or contains(@class, 'comment-text')]"
)
_AUTHOR = (
    ".//*[contains(concat(' ', @class, ' '), ' fn ') or @itemprop='author'"
    " or contains(@class, 'comment__author') or contains(@class, 'username')"
    " or contains(@class, 'user')]"
)
_NOISE = ".//*[contains(@class, 'reply') or contains(@class, 'comment-meta')]"


def extract_comments(html: str) -> list[Comment]:
    """The comments on a page, in page order; [] when it has none (or none in its HTML)."""
    try:
        tree = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return []
    comments: list[Comment] = []
    for node in _outermost(tree.xpath(_COMMENT_NODES)):
        comment = _comment(node, len(comments))
        if comment is not None:
            comments.append(comment)
    return comments


def _outermost(nodes: list[Any]) -> list[Any]:
    """Drop nodes nested in another matched node (a comment's body inside its item)."""
    chosen = set(nodes)
    return [n for n in nodes if not any(a in chosen for a in n.iterancestors())]


def _comment(node: Any, position: int) -> Comment | None:
    text_nodes = node.xpath(_TEXT)
    body = text_nodes[0] if text_nodes else node
    for noise in body.xpath(_NOISE):
        noise.drop_tree()
    text = "\n\n".join(_paragraphs(body))
    if not text:
        return None
    authors = node.xpath(_AUTHOR)
    author = " ".join(authors[0].text_content().split()) if authors else ""
    times = node.xpath(".//time/@datetime")
    return Comment(position, author, parse_date(times[0]) if times else None, text)


def _paragraphs(element: Any) -> list[str]:
    paragraphs = element.xpath(".//p") or [element]
    texts = (" ".join(p.text_content().split()) for p in paragraphs)
    return [text for text in texts if text]
