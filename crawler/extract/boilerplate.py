"""Comment threads, comment forms and page furniture: removed before and after body extraction.

Also here: the small tree-to-text helpers the body fallback needs. (Telling articles from
other pages is the page classifier's job: crawler.extract.classify.) PURE.

Furniture is removed in two layers, because neither is enough alone:

* structural: known containers (WordPress, Jetpack, Disqus, Ghost, Blogger, Drupal, AMP,
  share/newsletter/cookie/related-posts plugins) are cut out of the lxml tree *before*
  trafilatura sees it, so their text cannot reach any field;
* textual: a multilingual phrase list checked against each paragraph that survives, for
  themes with unknown markup. Only the matching paragraph is dropped, never the whole body.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any, Final

from lxml import etree

from crawler import phrases

BLOCK_TAGS = frozenset(
    ["address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
     "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
     "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"]
)  # fmt: skip
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# What a post's meta line strings its parts with: "By A & B · 14 March 2025 · 6 min read".
META_SEPARATOR = re.compile(r"\s[·•|]\s")

# Exact class tokens: substring matching would hit <body class="comments-open"> and friends.
_COMMENT_CLASSES = (
    "comments-area", "comment-respond", "comment-list", "commentlist", "comments-list",
    "comment-form", "comments-wrapper", "comment-wrapper", "comments-section", "post-comments",
    "entry-comments", "article-comments", "comments-container", "wp-block-comments",
    "wp-block-post-comments-form", "fb-comments", "fb_comments", "disqus-comments",
    "gh-comments", "comments-content", "comment-thread", "comment-holder", "jetpack-comments",
    "comments-link", "td-comments-title-wrap", "ghost-comments", "comments-block", "comments",
)  # fmt: skip
_COMMENT_IDS = (
    "comments", "respond", "disqus_thread", "comment-form", "commentform", "comments-list",
    "jp-post-flair", "comment-section", "comments-section", "comment-holder", "fb-comments",
    "jetpack-comments", "comment_form", "comments_container", "isso-thread", "remark42",
    "hyvor-talk-view", "graphcomment", "cackle_widget", "vk_comments",
)  # fmt: skip
_FURNITURE_CLASSES = (
    # share buttons
    "sharedaddy", "sd-sharing-enabled", "sd-like", "jp-relatedposts", "share-buttons",
    "social-share", "addtoany_share_save_container", "a2a_kit", "heateor_sss_sharing_container",
    "shared-counts-wrap", "essb_links", "sharethis-inline-share-buttons", "post-share",
    "entry-share", "share-this", "sharing", "social-sharing", "share-links",
    "ss-inline-share-wrapper",
    # newsletter sign-ups
    "mc4wp-form", "newsletter-signup", "newsletter-form", "newsletter-box", "newsletter-widget",
    "jetpack_subscription_widget", "wp-block-jetpack-subscriptions", "mailpoet_form",
    "tnp-subscription", "subscribe-form", "subscription-form", "gh-subscribe", "subscribe-box",
    "footer-cta", "optin-form", "ml-embedded",
    # cookie and consent banners
    "cookie-notice", "cookie-banner", "cookie-consent", "cookie-law-info-bar", "cc-window",
    "cky-consent-container", "cmplz-cookiebanner", "gdpr-banner",
    "moove-gdpr-info-bar-container",
    # related / popular posts
    "related-posts", "yarpp-related", "crp_related", "related-articles", "rp4wp-related-posts",
    "jp-relatedposts-items", "read-next", "read-next-feed", "related-post", "popular-posts",
    "wp-block-jetpack-related-posts", "post-navigation", "nav-links", "blogger-related",
    "read-more-wrap", "read-next-card", "td_block_related_posts",
    # Blogger sidebar widgets that malformed templates let slip into the post body
    "FollowByEmail", "PopularPosts", "BlogArchive", "Followers", "Subscribe", "ContactForm",
    "cookie-choices-info",
)  # fmt: skip
_FURNITURE_IDS = (
    "jp-relatedposts", "mc_embed_signup", "cookie-notice", "cookie-law-info-bar",
    "onetrust-consent-sdk", "CybotCookiebotDialog", "cmplz-cookiebanner-container",
    "moove_gdpr_cookie_info_bar", "related-posts", "newsletter", "subscribe", "cookieChoiceInfo",
)  # fmt: skip
_FURNITURE_TAGS = ("amp-comments", "amp-facebook-comments", "amp-consent", "amp-sidebar")


_COMMENT_FORM_FIELDS = ".//textarea | .//input[@type='email']"
_BOX_CHARS = 300  # a heading and a line or two of pitch, not a paragraph of the body
_BOX_LIMITS = frozenset({"body", "html", "article", "main"})
_FOLLOW_LINKS = etree.XPath(
    "//a[contains(@href, 'whatsapp.com/channel/')"
    " or contains(@href, 'news.google.com/publications')]"
)
_PROMPT_BLOCKS = frozenset({"p", "div", "li", "section", "aside"})
_PITCH_CHARS = 150  # a sign-up pitch is a line; a paragraph longer than this is prose
_CLASS_TOKENS = frozenset(_COMMENT_CLASSES + _FURNITURE_CLASSES)
_COMMENT_TOKENS = frozenset(_COMMENT_CLASSES)
_IDS = frozenset(_COMMENT_IDS + _FURNITURE_IDS)


# An element with its class and id attributes ("" when absent), read once per page.
Marked = tuple[Any, str, str]
# A reader's comment, as the threads mark each one (WordPress's li.comment and its
# .comment-body and .comment-author, Blogger's .comment-block).
_ONE_COMMENT_TOKENS = frozenset({"comment", "comment-body", "comment-author", "comment-block"})


def in_comments(element: Any) -> bool:
    """Whether ``element`` is part of a reader's comment or of the comment thread: themes
    mark commenters as schema.org authors too (``itemprop="author"``)."""
    for node in (element, *element.iterancestors()):
        classes, ident = node.get("class") or "", node.get("id") or ""
        if _marks_comments(classes, ident) or "schema.org/Comment" in (node.get("itemtype") or ""):
            return True
        if not _ONE_COMMENT_TOKENS.isdisjoint(classes.split()):
            return True
    return False


def _marks_comments(classes: str, ident: str) -> bool:
    """Whether a class or id names a comment thread or widget (``_COMMENT_CLASSES``, ``_IDS``)."""
    return ident in _COMMENT_IDS or not _COMMENT_TOKENS.isdisjoint(classes.split())


def _is_furniture(element: Any, classes: str, ident: str) -> bool:
    if element.tag in _FURNITURE_TAGS or ident in _IDS:
        return True
    if classes and not _CLASS_TOKENS.isdisjoint(classes.split()):
        return True
    # Comment forms use <textarea>; newsletter boxes an e-mail field: neither belongs in a body.
    return element.tag == "form" and bool(element.xpath(_COMMENT_FORM_FIELDS))


def strip_structural(tree: Any) -> list[Marked]:
    """Remove comment threads, comment forms and page furniture from ``tree`` in place.

    Returns the other elements that carry a class or id, in document order, so that the
    author-box pass need not walk the page again (a few may sit inside removed furniture).
    """
    # One pass in Python beats a union XPath of class tests by an order of magnitude.
    doomed: list[tuple[Any, bool]] = []  # (element, whether it comes in a box of its own)
    marked = []
    for element in tree.iter(etree.Element):
        classes, ident = element.get("class") or "", element.get("id") or ""
        if element.tag != "body" and _is_furniture(element, classes, ident):
            doomed.append((element, _has_a_box(element, classes, ident)))
        elif classes or ident:
            marked.append((element, classes, ident))
    doomed += [(prompt, False) for prompt in _follow_prompts(tree)]
    for element, boxed in doomed:
        element = _box_around(element) if boxed else element
        parent = element.getparent()
        if parent is not None:
            _drop_keeping_tail(element, parent)
    return marked


def _follow_prompts(tree: Any) -> list[Any]:
    """Lines asking the reader to follow the publication ("Simak breaking news ... WhatsApp
    Channel: <link>", "Follow us on Google News"): the nearest paragraph or block around a
    link to a WhatsApp channel or a Google News publication page, when it is short. Those
    addresses follow a publication; an author's own links (a bio's Telegram) are not them."""
    prompts = []
    for link in _FOLLOW_LINKS(tree):
        block = next((a for a in link.iterancestors() if a.tag in _PROMPT_BLOCKS), None)
        if block is not None and len(block.text_content()) <= _NOTICE_MAX_CHARS:
            prompts.append(block)
    return prompts


def _has_a_box(element: Any, classes: str, ident: str) -> bool:
    """Forms and comment widgets come in a box of their own: a heading ("Leave a Reply",
    "মন্তব্য করুন"), a line of help, a disclaimer about readers' comments."""
    return element.tag == "form" or _marks_comments(classes, ident)


def _box_around(widget: Any) -> Any:
    """The box a form or comment widget sits in with its heading and its pitch ("Receba
    dicas de gestão toda semana", "Leave a Reply"): the largest ancestor holding no more than
    a short text besides the widget's, and never the headline. Only the widget is marked by
    what it is; the box around it has whatever class a page builder gave it. A paragraph of
    prose stops it too: a two-sentence brief sharing its container with a sign-up form is
    an article, not a pitch."""
    own = len(widget.text_content())
    box = widget
    for ancestor in widget.iterancestors():
        outgrown = len(ancestor.text_content()) - own > _BOX_CHARS
        if ancestor.tag in _BOX_LIMITS or outgrown or ancestor.find(".//h1") is not None:
            break
        if _holds_prose(ancestor) or _holds_author_box(ancestor, widget):
            break
        box = ancestor
    return box


def _holds_prose(box: Any) -> bool:
    """Whether ``box`` holds a paragraph longer than a pitch: a <p>, or a <div> of bare text."""
    return any(len(p.text_content()) > _PITCH_CHARS for p in box.iter("p")) or any(
        len((div.text or "").strip()) > _PITCH_CHARS for div in box.iter("div")
    )


def _holds_author_box(box: Any, widget: Any) -> bool:
    """Whether ``box`` holds, besides ``widget``, an element classed for the author (Jannah
    wraps its author box and its comment form in one "post-components" box): the bio is
    taken from it later, and must not go with the form. The form's own fields
    ("comment-form-author") are inside the widget."""
    inside = set(widget.iter())
    return any(
        "author" in classes and "comment" not in classes
        for element in box.iter(etree.Element)
        if element not in inside and (classes := element.get("class") or "")
    )


# What no reader sees, and every body pass (trafilatura's included) deletes: dropped once
# before them, so that none copies or walks it. JSON-LD stays: trafilatura reads it to tell a
# forum thread from an article, and to rescue a body it could not find.
_UNREAD = etree.XPath(
    "//script[not(contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json'))]"
    " | //style | //link | //svg"
)


def drop_unread(tree: Any) -> None:
    """Remove scripts (but JSON-LD), styles, links and SVG drawings from ``tree``."""
    for element in _UNREAD(tree):
        element.drop_tree()  # keeps the element's tail


def _drop_keeping_tail(element: Any, parent: Any) -> None:
    # lxml's tail belongs to the removed element; keep it so neighbouring text survives.
    tail = element.tail
    previous = element.getprevious()
    if tail and tail.strip():
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


# Letters that carry no combining mark to strip but are still "accented" to a typist. Each
# becomes one character that is none of them, so they can be replaced one after another.
_BASE_LETTERS: Final = (
    ("đ", "d"), ("ı", "i"), ("ł", "l"), ("ø", "o"), ("’", "'"), ("ʼ", "'"), ("`", "'")
)  # fmt: skip


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used for every phrase comparison."""
    decomposed = unicodedata.normalize("NFKD", _base_letters(text.casefold()))
    bare = decomposed if decomposed.isascii() else _without_marks(decomposed)
    return " ".join(bare.replace("*", " ").split()).strip(" :：.…-–—|»>#")


def _base_letters(text: str) -> str:
    # str.replace scans in C; str.translate looks up every character of a non-ASCII text.
    for letter, base in _BASE_LETTERS:
        if letter in text:
            text = text.replace(letter, base)
    return text


def _without_marks(text: str) -> str:
    """``text`` without its combining marks (``unicodedata.combining``). A regular expression
    of the marks of the Basic Multilingual Plane drops them ten times faster than a test of
    each character; a text with characters beyond that plane is read character by character.
    """
    if max(text) > "\uffff":
        return "".join(ch for ch in text if not unicodedata.combining(ch))
    return _plane_marks().sub("", text)


@functools.cache
def _plane_marks() -> re.Pattern[str]:
    """The combining marks of the Basic Multilingual Plane, as a character class of runs
    (7 ms to build, once a process, on the first text with one)."""
    marks = [code for code in range(0x10000) if unicodedata.combining(chr(code))]
    runs: list[list[int]] = []
    for code in marks:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    ranges = (re.escape(chr(first)) + "-" + re.escape(chr(last)) for first, last in runs)
    return re.compile(f"[{''.join(ranges)}]")


def squashed(text: str) -> str:
    """``fold``ed, letters and digits only: "Tech-Cabal!" and "techcabal" read alike, and an
    address's slug ("/u/zackery-cuevas") can be searched for a name's words."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


# A paragraph that *starts with* one of these and is short is UI text, whatever follows.
# A paragraph that *is* one of these (once folded) is a UI label: share prompts, "Like this:",
# related/popular-post headings. Exact match, because "Delen" or "Baca juga" can open real prose.
_FOLDED_PREFIXES = tuple(sorted({fold(phrase) for phrase in phrases.NOTICE_PREFIXES}, key=len))
_FOLDED_LABELS = frozenset(fold(phrase) for phrase in phrases.UI_LABELS)
# Long enough to hold "Leave a Reply Cancel reply" or a cookie sentence, short enough
# that a real paragraph that merely starts with "Read more:" survives.
_NOTICE_MAX_CHARS = 260
# "3 thoughts on “…”", "12 commentaires", "٣ تعليقات": the heading of a comment thread.
_COUNT_HEADING = re.compile(
    r"^[\d٠-٩]+\s+(?:" + "|".join(re.escape(fold(w)) for w in phrases.COMMENT_COUNT_WORDS) + r")\b"
)


_URL_ONLY = re.compile(r"^\s*https?://\S+\s*$")
# "© 2024 Site", "Copyright 2019 Site", "Copyright Site 2019": not "Copyright law in Kenya ...".
_COPYRIGHT = re.compile(r"^(?:copyright\s*)?(?:©|\(c\))|^copyright\s+(?:\S+\s+)?(?:\d{4}|by)\b")


# "Baca juga: <link to another story>" inside the body, as Indonesian, Arabic... newsrooms do.
# Khmer writes its colon "៖"; fold() has made the full-width one ASCII. The label alone stays:
# WCXB-dev and Zyte keep "See also:" and "Leggi anche" when the links follow it.
_READ_ALSO = re.compile(
    "^(?:"
    + "|".join(
        re.escape(fold(p))
        for p in phrases.READ_ALSO_PREFIXES
    )
    + r")\s*[:៖]"
)  # fmt: skip


def is_notice(paragraph: str, folded: str | None = None) -> bool:
    """True when ``paragraph`` is comment-form, newsletter, cookie, share or related-posts text.

    ``folded`` is ``fold(paragraph)``, when the caller has it already.
    """
    if len(paragraph) > _NOTICE_MAX_CHARS:
        return False
    folded = fold(paragraph) if folded is None else folded
    if not folded or _URL_ONLY.match(paragraph):
        return True  # nothing to read, or a bare link
    return (
        folded in _FOLDED_LABELS
        or folded.startswith(_FOLDED_PREFIXES)
        or bool(_COUNT_HEADING.match(folded) or _COPYRIGHT.match(folded))
        or bool(_READ_ALSO.match(folded))
    )


# --- schema.org types of articles ------------------------------------------------------------

ARTICLE_TYPES = frozenset(
    ["Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle",
     "OpinionNewsArticle", "TechArticle", "ScholarlyArticle", "LiveBlogPosting", "Report",
     "SatiricalArticle", "BackgroundNewsArticle", "ReviewNewsArticle"]
)  # fmt: skip


def block_lines(element: Any) -> list[str]:
    """Text of ``element`` as lines, one per block element (p, li, div, heading...)."""
    chunks: list[str] = []
    _walk(element, chunks)
    lines = (" ".join(part.split()) for part in "".join(chunks).split("\n"))
    return [line for line in lines if line]


def _walk(element: Any, chunks: list[str]) -> None:
    if not isinstance(element.tag, str) or element.tag in ("script", "style", "noscript"):
        return
    block = element.tag in BLOCK_TAGS
    chunks.append("\n" if block else "")
    chunks.append(element.text or "")
    for child in element:
        _walk(child, chunks)
        chunks.append(child.tail or "")
    chunks.append("\n" if block else "")


def main_container_lines(tree: Any) -> list[str]:
    """Last resort when trafilatura finds nothing: the main container's text, by block."""
    for path in ("//article", "//main", "//*[@role='main']", "//body"):
        containers = tree.xpath(path)
        if containers:
            largest = max(containers, key=lambda c: len(c.text_content()))
            return [line for line in block_lines(largest) if len(line.split()) >= 4]
    return []
