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

import re
import unicodedata
from collections import Counter
from typing import Any
from urllib.parse import unquote

from lxml import etree

from crawler import phrases
from crawler.extract.continuation import ALL_TEXT, is_prose, squeeze

BLOCK_TAGS = frozenset(
    ["address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
     "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
     "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"]
)  # fmt: skip

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
        classes = (node.get("class") or "").split()
        if node.get("id") in _COMMENT_IDS or "schema.org/Comment" in (node.get("itemtype") or ""):
            return True
        if not (_COMMENT_TOKENS.isdisjoint(classes) and _ONE_COMMENT_TOKENS.isdisjoint(classes)):
            return True
    return False


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
    if element.tag == "form":
        return True
    return ident in _COMMENT_IDS or not _COMMENT_TOKENS.isdisjoint(classes.split())


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
        if any(len(p.text_content()) > _PITCH_CHARS for p in ancestor.iter("p")):
            break
        box = ancestor
    return box


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


# Letters that carry no combining mark to strip but are still "accented" to a typist.
_BASE_LETTERS = str.maketrans(
    {"đ": "d", "ı": "i", "ł": "l", "ø": "o", "’": "'", "ʼ": "'", "`": "'"}
)


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used for every phrase comparison."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_BASE_LETTERS))
    if decomposed.isascii():
        bare = decomposed  # the common case needs no per-character pass
    else:
        bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.replace("*", " ").split()).strip(" :：.…-–—|»>#")


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


def keep_pull_quotes(tree: Any) -> None:
    """Unwrap <figure> around quotes: trafilatura deletes every figure that holds no table."""
    for figure in tree.iter("figure"):
        if figure.find(".//blockquote") is not None:
            figure.tag = "div"


# trafilatura's precise pass deletes these when empty, and their tail text with them.
_EMPTIED_INLINE = ("span", "b", "em", "i", "strong", "q")


def keep_anchored_text(tree: Any) -> None:
    """Remove empty inline elements that carry an id, keeping the text after them.

    An empty ``<span id="...">`` is an anchor: a table of contents or a WordPress "more"
    break (``<span id="more-12"></span>``) points at it, and the text after it is what it
    marks, a heading or the rest of a paragraph. trafilatura's precise pass deletes empty
    inline elements with their tail, so that text would be lost. Icons and spacers are
    left to it: they carry a class, rarely an id, and the text after them is furniture
    as often as not (measured: with every empty inline element, 6 WCXB-dev pages lost)."""
    for element in list(tree.iter(_EMPTIED_INLINE)):
        if _is_anchor(element) and element.tail and element.tail.strip():
            element.drop_tree()  # keeps the tail


def _is_anchor(element: Any) -> bool:
    """Empty as trafilatura sees it (no text, no children), and named by an id."""
    return element.text is None and not len(element) and bool(element.get("id"))


_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_WORD = re.compile(r"\w")


def keep_self_linked_headings(tree: Any) -> None:
    """Unwrap the link of a heading that links to itself, keeping its text.

    Static-site generators and documentation themes wrap each heading in a link to its own
    anchor (``<h3 id="setup"><a href="#setup">Setup</a></h3>``), so that a reader can copy
    the section's address. trafilatura's precise pass reads such a heading as all link, as
    it would a menu's, and deletes it. Only a link to the heading's own id, or to an id
    inside it, is unwrapped: a table of contents set in a heading links elsewhere, and a
    pilcrow or "#" link (no letters) adds nothing worth keeping."""
    for heading, links in _linked_headings(tree):
        in_page = [link for link in links if (link.get("href") or "").startswith("#")]
        own_ids = {element.get("id") for element in heading.iter()} if in_page else set()
        for link in in_page:
            target = unquote(link.get("href")[1:])
            if target in own_ids and _WORD.search(link.text_content()):
                link.drop_tag()


def _linked_headings(tree: Any) -> list[tuple[Any, list[Any]]]:
    """The headings that hold links, with their links. A walk by tag (lxml's, in C): an
    XPath over every element of a long page cost as much as a rule's own work."""
    found = []
    for heading in tree.iter(_HEADING_TAGS):
        links = heading.findall(".//a")
        if links:
            found.append((heading, links))
    return found


# An article's <header> holding paragraphs of prose: more than its title and byline.
_HEADERS_WITH_PROSE = etree.XPath(
    "//header[ancestor::article or ancestor::main]"
    "[count(.//p[string-length(normalize-space(.)) > $chars]) >= 2]"
)
_PROSE_PARAGRAPH_CHARS = 80


def keep_prose_headers(tree: Any) -> None:
    """Read a <header> inside the article that holds paragraphs of prose as a box of its body.

    trafilatura's precise pass deletes every <header>, the site's banner as it should, but
    some themes open the article, or each of its sections, with a <header> around the lede
    or a section's first paragraphs. One inside <article> or <main> with two paragraphs of
    prose or more is renamed a <div>; the title-and-byline header of an article holds no
    such paragraphs, and the site's header is outside the article."""
    for header in _HEADERS_WITH_PROSE(tree, chars=_PROSE_PARAGRAPH_CHARS):
        header.tag = "div"


_ALL_LINK = 0.9  # share of a heading's text in its links from which trafilatura drops it
_ITEMS_AMONG_PROSE = 3  # paragraphs of prose beside the headings, in their container


def keep_item_headings(tree: Any) -> None:
    """Unwrap the links of a list article's item headings, keeping their text.

    "10 fintech apps to know" names each app in a heading that links to it; trafilatura's
    precise pass drops a heading that is all link, as it would a menu's. Such a heading is
    one of several all-link headings of its level in one container that also holds the
    article's prose (three paragraphs or more): a related-posts box or a grid of teasers
    holds no prose of its own beside its headings, and a lone linked heading (a "Click here
    to subscribe" call) is left to trafilatura."""
    headings = [heading for heading, links in _linked_headings(tree) if _all_link(heading, links)]
    siblings = Counter((heading.getparent(), heading.tag) for heading in headings)
    prose: dict[Any, bool] = {}
    for heading in headings:
        parent = heading.getparent()
        if parent is None or siblings[parent, heading.tag] < 2:
            continue
        if parent not in prose:
            prose[parent] = _holds_prose(parent)
        if prose[parent]:
            for link in list(heading.iter("a")):
                link.drop_tag()


def _all_link(heading: Any, links: list[Any]) -> bool:
    text = squeeze(ALL_TEXT(heading))
    linked = sum(len(squeeze(ALL_TEXT(link))) for link in links)
    return bool(text) and linked >= _ALL_LINK * len(text)


def _holds_prose(container: Any) -> bool:
    paragraphs = (child for child in container if child.tag == "p")
    return sum(is_prose(squeeze(ALL_TEXT(p))) for p in paragraphs) >= _ITEMS_AMONG_PROSE


def main_container_lines(tree: Any) -> list[str]:
    """Last resort when trafilatura finds nothing: the main container's text, by block."""
    for path in ("//article", "//main", "//*[@role='main']", "//body"):
        containers = tree.xpath(path)
        if containers:
            largest = max(containers, key=lambda c: len(c.text_content()))
            return [line for line in block_lines(largest) if len(line.split()) >= 4]
    return []
