"""Markup trafilatura's precise pass deletes together with article text, rewritten first so
that the text stays. PURE.

Each function is one rule of ``crawler.extract.rules.Rules`` (measured by turning it off:
``python -m benchmarks.extraction --ablation``) and changes the tree in place, before the
furniture and the author box are cut out of it: a figure around a pull quote, an empty
anchor with the text after it, a heading that links to itself or to the item it names, an
article's <header> that holds prose.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any
from urllib.parse import unquote

from lxml import etree

from crawler.extract.continuation import ALL_TEXT, is_prose, squeeze


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
    """Take out the link of a heading that links to itself, keeping the heading's text.

    Static-site generators and documentation themes give each heading a link to its own
    anchor, so that a reader can copy the section's address: around the heading's text
    (``<h3 id="setup"><a href="#setup">Setup</a></h3>``) or beside it, as an icon or a
    pilcrow (Gatsby's and Docusaurus's hash links, Sphinx's "¶"). trafilatura's precise
    pass deletes a heading that is all link, as it would a menu's, and one whose only link
    has no text. A link around the text is unwrapped, one without letters removed (its
    symbol is no part of the heading). Only a link to the heading's own id, or to an id
    inside it, is touched: a table of contents set in a heading links elsewhere."""
    for heading, links in _linked_headings(tree):
        in_page = [link for link in links if (link.get("href") or "").startswith("#")]
        own_ids = {element.get("id") for element in heading.iter()} if in_page else set()
        for link in in_page:
            if unquote(link.get("href")[1:]) not in own_ids:
                continue
            if _WORD.search(link.text_content()):
                link.drop_tag()
            else:
                link.drop_tree()  # lxml.html keeps the text after it


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
    article's prose (three paragraphs or more), each heading alone or in boxes of its own
    (a page builder's title box), the prose as paragraphs or in text boxes one level down:
    a related-posts box or a grid of teasers holds no prose of its own beside its headings,
    and a lone linked heading (a "Click here to subscribe" call) is left to trafilatura."""
    items = []  # (heading, its links, the box it sits alone in)
    for heading, links in _linked_headings(tree):
        text = squeeze(ALL_TEXT(heading))
        if _all_link(text, links):
            items.append((heading, links, _slot(heading, text)))
    siblings = Counter((slot.getparent(), heading.tag) for heading, _, slot in items)
    prose: dict[Any, bool] = {}
    for heading, links, slot in items:
        parent = slot.getparent()
        if parent is None or siblings[parent, heading.tag] < 2:
            continue
        if parent not in prose:
            prose[parent] = _holds_prose(parent)
        if prose[parent]:
            for link in links:
                link.drop_tag()


def _slot(heading: Any, text: str) -> Any:
    """The outermost <div> around ``heading`` (whose text is ``text``) that holds nothing
    else (page builders wrap each heading in a box or two of its own; a list's items are no
    such boxes)."""
    slot = heading
    while (parent := slot.getparent()) is not None and parent.tag == "div":
        if squeeze(ALL_TEXT(parent)) != text:
            break
        slot = parent
    return slot


def _all_link(text: str, links: list[Any]) -> bool:
    """Whether a heading's ``text`` is in its ``links`` almost entirely."""
    linked = sum(len(squeeze(ALL_TEXT(link))) for link in links)
    return bool(text) and linked >= _ALL_LINK * len(text)


def _holds_prose(container: Any) -> bool:
    """Whether ``container`` holds paragraphs of prose of its own: as children, or one box
    down (a page builder's text box)."""
    paragraphs = container.xpath("p | */p")
    return sum(is_prose(squeeze(ALL_TEXT(p))) for p in paragraphs) >= _ITEMS_AMONG_PROSE
