"""Markup trafilatura's precise pass deletes together with article text, rewritten first so
that the text stays. PURE.

Each function is one rule of ``crawler.extract.rules.Rules`` (measured by turning it off:
``python -m benchmarks.extraction --ablation``) and changes the tree in place, before the
furniture and the author box are cut out of it: an empty anchor with the text after it, a
heading that links to itself or to the item it names, an article's <header> that holds
prose. Two come after those cuts: a figure around a pull quote, and an accordion's hidden
answers (once shown, a comment thread or a bio behind a toggle would be text like any).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from lxml import etree

from crawler.extract.boilerplate import HEADINGS
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
    for heading in tree.iter(HEADINGS):
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


# Through the attribute axis: a third of the time of "//*[@aria-controls]" on a long page.
_TOGGLES = etree.XPath("//@aria-controls/..")
# The element of id $target a child or grandchild of the toggle's nearest boxes: an item's
# panel beside its toggle is found without a look at the rest of the page.
_NEAR_PANEL = etree.XPath(
    "ancestor::*[position() <= 4]/*[@id = $target]"
    " | ancestor::*[position() <= 4]/*/*[@id = $target]"
)
_ANSWER_CHARS = 40  # an answer is a sentence at least; a tab's or a menu's label is not
_ACCORDION_SLACK = 40  # characters of an accordion's own controls ("Expand all", "FAQ")


def keep_accordions(tree: Any) -> None:
    """Read an accordion's questions and the answers it hides as plain text.

    An FAQ or a "how we rank" box is a list of toggles (a button or a link, naming its
    panel by ``aria-controls`` as Bootstrap's and the page builders' accordions do, or the
    ``<summary>`` of a ``<details>``) each of which shows a panel of prose. trafilatura's
    precise pass deletes the panels (``hidden``, ``aria-hidden``, ``height:0``), the buttons
    and the all-link headings, and at times the whole box for a word of its class ("-icon",
    "toggle-button", "expandable"). A toggle whose panel, beside it, holds a sentence that
    is not links becomes plain text; so do the panel and the boxes around them that hold
    nothing else (their attributes go). A menu's or a search box's toggle controls a list
    of links, or a panel far from it."""
    pairs = [*_accordion_items(tree), *_disclosures(tree)]
    if not pairs:
        return
    chars = {}  # the text of each panel, and of each toggle outside its panel
    for toggle, panel in pairs:
        chars[panel] = len(squeeze(ALL_TEXT(panel)))
        if toggle.getparent() is not panel:
            chars[toggle] = len(squeeze(ALL_TEXT(toggle)))
    boxes = _accordion_boxes(pairs, chars)
    for toggle, panel in pairs:
        _drop_icons(toggle)
        if toggle.tag == "a":
            toggle.drop_tag()
        else:
            _plain(toggle)
        _plain(panel)
    for box in boxes:
        _plain(box)


def _accordion_items(tree: Any) -> Iterator[tuple[Any, Any]]:
    """The (toggle, panel) pairs of the page's accordions."""
    for toggle in _TOGGLES(tree):
        panels = _NEAR_PANEL(toggle, target=toggle.get("aria-controls"))
        if len(panels) == 1 and _apart(toggle, panels[0]) and _holds_answer(panels[0]):
            yield toggle, panels[0]


def _disclosures(tree: Any) -> Iterator[tuple[Any, Any]]:
    """The (summary, details) pairs of HTML's own disclosure widget, when the details hold
    an answer besides their summary."""
    for details in tree.iter("details"):
        summary = details.find("summary")
        if summary is not None and _holds_answer(details, len(squeeze(ALL_TEXT(summary)))):
            yield summary, details


def _apart(toggle: Any, panel: Any) -> bool:
    """Whether neither of ``toggle`` and ``panel`` holds the other."""
    return not (_holds(panel, toggle) or _holds(toggle, panel))


def _holds(box: Any, element: Any) -> bool:
    return box in element.iterancestors()


def _holds_answer(panel: Any, question: int = 0) -> bool:
    """Whether ``panel`` holds a sentence or more, most of it not links, besides the
    ``question`` characters of its own toggle."""
    chars = len(squeeze(ALL_TEXT(panel))) - question
    linked = sum(len(squeeze(ALL_TEXT(link))) for link in panel.iter("a"))
    return chars >= _ANSWER_CHARS and linked < chars / 2


def _accordion_boxes(pairs: list[tuple[Any, Any]], chars: dict[Any, int]) -> list[Any]:
    """The boxes of the accordions: each item's (the box around a toggle and its panel), and
    the list's around the items, as far up as each box holds more items than the one it is
    in, and nothing else but a few characters of its own (an "Expand all" button, an "FAQ"
    heading). A wrapper around the whole list is a page builder's, and is left alone: its
    class ties it to the boxes of the article's text beside it."""
    panels = [panel for _, panel in pairs]
    boxes: list[Any] = []
    for toggle, panel in pairs:
        item = panel.getparent()
        while item is not None and not _holds(item, toggle):
            boxes.append(item)
            item = item.getparent()
        box, held = item, _count_in(item, panels)
        while box is not None and box not in boxes and _only_accordion(box, chars):
            boxes.append(box)
            box = box.getparent()
            if box is None or _count_in(box, panels) <= held:
                break
            held = _count_in(box, panels)
    return boxes


def _count_in(box: Any, panels: list[Any]) -> int:
    return sum(_holds(box, panel) for panel in panels)


def _only_accordion(box: Any, chars: dict[Any, int]) -> bool:
    inside = sum(n for element, n in chars.items() if _holds(box, element))
    return len(squeeze(ALL_TEXT(box))) - inside <= _ACCORDION_SLACK


def _drop_icons(toggle: Any) -> None:
    """Remove the empty icons (a plus, a chevron) a toggle shows beside its text: the
    precise pass deletes an empty inline element with the text after it."""
    for icon in list(toggle.iter(_EMPTIED_INLINE)):
        if not squeeze(ALL_TEXT(icon)):
            icon.drop_tree()  # keeps the tail


def _plain(element: Any) -> None:
    """Take the attributes off ``element``, and make a <button> a <div>."""
    element.attrib.clear()
    if element.tag == "button":
        element.tag = "div"
