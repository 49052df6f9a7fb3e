"""Themes mark a reader's comment up as schema.org does an article, its commenter as
``itemprop="author"`` (GeneratePress, Astra, Drupal): the commenters are not the article's
authors."""

from __future__ import annotations

from crawler.extract.article import extract
from crawler.extract.boilerplate import in_comments
from crawler.extract.parse import parse_html
from tests.byline_pages import BODY, URL

AUTHOR = (
    '<span class="byline">láti ọwọ́ <span class="author vcard" itemprop="author" itemscope '
    'itemtype="https://schema.org/Person"><a class="url fn n" href="/author/tope/">'
    '<span class="author-name" itemprop="name">Tọ́pẹ́ Adébáyọ̀</span></a></span></span>'
)


def _comment(number: int, name: str) -> str:
    return f"""<li id="comment-{number}" class="comment even thread-even depth-1">
<article id="div-comment-{number}" class="comment-body" itemscope
 itemtype="https://schema.org/Comment"><footer class="comment-meta">
<div class="comment-author vcard" itemprop="author" itemscope
 itemtype="https://schema.org/Person"><cite itemprop="name" class="fn">{name}</cite></div>
</footer><div class="comment-content" itemprop="text"><p>Ẹ ṣé fún ìròyìn yìí.</p></div>
</article></li>"""


def page(comments: str) -> str:
    return f"""<html lang="yo"><head><title>Ìmọ̀ ẹ̀rọ ní Èkó</title></head><body>
<article class="post" itemscope itemtype="https://schema.org/BlogPosting">
<h1 itemprop="headline">Ìmọ̀ ẹ̀rọ ní Èkó</h1><div class="entry-meta">{AUTHOR}</div>
<div class="entry-content" itemprop="text">{BODY}</div></article>
<div id="comments" class="comments-area"><ol class="comment-list">{comments}</ol></div>
</body></html>"""


def test_commenters_marked_as_authors_are_not_the_articles_authors() -> None:
    comments = _comment(318, "Bọ́lá Ògúnlànà") + _comment(319, "Kẹ́hìndé A.")
    article = extract(page(comments), URL)
    assert article is not None
    assert article.authors == ["Tọ́pẹ́ Adébáyọ̀"]


def test_a_comment_is_told_by_its_thread_its_item_or_its_schema_type() -> None:
    tree = parse_html(page(_comment(318, "Bọ́lá Ògúnlànà")))
    assert in_comments(tree.xpath("//cite")[0])
    assert in_comments(tree.xpath("//*[@id='comments']")[0])
    assert not in_comments(tree.xpath("//*[@itemprop='name']")[0])  # the article's author
    single = parse_html(
        '<html><body><div itemtype="http://schema.org/Comment"><b itemprop="author">A</b></div>'
        "</body></html>"
    )
    assert in_comments(single.xpath("//b")[0])


def _drupal_page(submitted: str) -> str:
    """Drupal's node and comment templates (Olivero): the author in the node's "submitted"
    line, the commenter in a "comment__author" line of the comment field."""
    return f"""<html lang="bn"><head><title>সৌর সেচ পাম্প</title></head><body>
<article role="article" class="node node--type-article node--view-mode-full">
<h1>সৌর সেচ পাম্প</h1><footer class="node__meta"><div class="node__submitted">{submitted}
<div class="node__date">২২ জানুয়ারি ২০২৬</div></div></footer>
<div class="node__content"><div class="field field--name-body">{BODY}</div>
<section class="field field--name-comment comment-wrapper"><h2>মন্তব্য</h2>
<article role="article" class="comment js-comment by-anonymous">
<footer class="comment__meta"><p class="comment__author"><span>শফিকুল ইসলাম</span></p></footer>
<div class="content"><p>খুব ভালো প্রতিবেদন, ধন্যবাদ।</p></div></article></section></div>
</article></body></html>"""


def test_drupals_submitted_line_names_the_author() -> None:
    uid = '<span class="field field--name-uid"><span>তানভীর আহমেদ</span></span>'
    article = extract(_drupal_page(f"{uid}, নিজস্ব প্রতিবেদক, ঠাকুরগাঁও"), URL)
    assert article is not None
    assert article.authors == ["তানভীর আহমেদ"]


def test_a_commenter_found_by_class_alone_is_no_author() -> None:
    """trafilatura's byline search reads "comment__author" as an author's class; the name
    it finds is printed nowhere but in the comment thread."""
    article = extract(_drupal_page("নিজস্ব প্রতিবেদক"), URL)
    assert article is not None
    assert article.authors == []
