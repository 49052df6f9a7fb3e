"""Section headings the body lost, put back before the paragraph each one heads. PURE.

trafilatura keeps an article's <h2>-<h6> when it finds the body in a container it knows
(``entry-content``, ``post-body``, <article> ...). Where it finds none (the hashed or utility
class names of React and Tailwind sites, page builders, hand-made themes), it falls back to
collecting the page's paragraphs, lists, quotes and tables one by one, and that search asks
for no heading: the body comes out whole but for its section titles. On WCXB-dev, 105 of
the 791 articles lost 933 headings that way.

A heading is put back when the block that follows it (past other headings: a subsection
heads the same block) opens one of the body's paragraphs, so it heads a part of the body;
headings of a sidebar, a footer or a related-posts box head nothing the body holds. A
heading already in the body, or one the cleaner would drop (the headline repeated, a UI
notice), is not added.

Measured against the pages before the rule: WCXB-dev 95 articles up, 59 down (most by under
0.005: its truth leaves out the headings of some pages), mean F1 +0.0013; 26 articles still
lack 214 headings (bodies read as one block, headings of lists the pass dropped). Zyte: 5
pages, +0.004 in all. A teaser set in the body as a linked heading alone in a list item is
left out, though one Zyte page's truth keeps such titles (0.930 -> 0.827 there, two Al
Jazeera "read more" boxes the better for it): they are other articles' titles. Cost: 0.55 ms
per Zyte page (2% of extraction), most of it finding the block after each of the page's 17
headings; skipping pages where the pass kept some heading would save 0.16 ms but lose a
fifth of the gain (trafilatura keeps some headings of a body and drops others).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Final

from crawler.extract.boilerplate import HEADINGS
from crawler.extract.continuation import ALL_TEXT, squeeze

_SECTION_HEADINGS: Final = tuple(tag for tag in HEADINGS if tag != "h1")  # h1: the headline
MAX_HEADING_CHARS: Final = 200  # longer is a paragraph set as a heading, not a title
_OPENING_CHARS: Final = 60  # of the next block, matched against the start of a paragraph
_MIN_OPENING_CHARS: Final = 20  # a shorter block (a label, a date) is no sure anchor
# What the text of a list or table gains in the body: item marks and cell rules.
_MARKUP: Final = re.compile(r"(?m)^[-•*] |\|")


def with_section_headings(
    tree: Any, paragraphs: Sequence[str], clean: Callable[[list[str]], list[str]]
) -> list[str]:
    """``paragraphs`` with the section headings of ``tree`` they lack, each before the
    paragraph its following block opens. ``clean`` filters the headings as the body's
    paragraphs were filtered."""
    # Only a paragraph's start is ever matched: no need to squeeze all of it.
    openings = [squeeze(_MARKUP.sub(" ", p[: 4 * _OPENING_CHARS])) for p in paragraphs]
    present: set[str] | None = None  # the body's lines, read once a heading heads one
    before: dict[int, list[str]] = {}
    for heading in tree.iter(_SECTION_HEADINGS):
        text = squeeze(ALL_TEXT(heading))
        if not text or len(text) > MAX_HEADING_CHARS:
            continue
        index = _headed_paragraph(heading, text, openings)
        if index is None:
            continue  # most headings on a page head a sidebar, a footer, a teaser
        if present is None:
            present = {squeeze(line) for p in paragraphs for line in p.splitlines()}
        if text not in present and text not in openings and clean([text]):
            before.setdefault(index, []).append(text)
            present.add(text)
    if not before:
        return list(paragraphs)
    return [line for i, p in enumerate(paragraphs) for line in (*before.get(i, ()), p)]


def _headed_paragraph(heading: Any, text: str, openings: Sequence[str]) -> int | None:
    """The index of the body paragraph the block after ``heading`` opens, if any."""
    block = _next_block(heading, text)
    if block is None or len(block) < _MIN_OPENING_CHARS:
        return None
    key = block[:_OPENING_CHARS]
    for index, opening in enumerate(openings):
        # The block may wrap several of the body's paragraphs, or be cut into several.
        if opening.startswith(key):
            return index
        if len(opening) >= _MIN_OPENING_CHARS and block.startswith(opening[:_OPENING_CHARS]):
            return index
    return None


def _next_block(heading: Any, text: str) -> str | None:
    """The squeezed text of the first element after ``heading`` that has text and is no
    heading. A heading alone in a wrapper (``<div class="title"><h2>``) is followed by the
    wrapper's next sibling; but a heading that links to another page alone in a list item
    (``<li><h4><a href>``) is an entry of a list of links ("read more" inside the body), and
    heads nothing."""
    element = heading
    while True:
        for sibling in element.itersiblings():
            if not isinstance(sibling.tag, str) or sibling.tag in HEADINGS:
                continue  # a comment, or a subheading: the block heads both
            following = _opening(sibling)
            if following:
                return following
        element = element.getparent()
        if element is None or squeeze(ALL_TEXT(element)) != text:
            return None
        if element.tag == "li" and _links_away(heading, text):
            return None


def _opening(element: Any) -> str:
    """The start of the element's text, squeezed: enough to match, without reading all of a
    wrapper that may hold the rest of the page."""
    text = ""
    for piece in element.itertext():
        text += piece
        if len(text) > _OPENING_CHARS and len(squeeze(text)) > _OPENING_CHARS:
            break
    return squeeze(text)


def _links_away(heading: Any, text: str) -> bool:
    """Whether most of the heading's text links to another page (not to an anchor of its
    own, ``<a href="#part-2">``)."""
    linked = sum(
        len(squeeze(ALL_TEXT(link)))
        for link in heading.iter("a")
        if not (link.get("href") or "#").startswith("#")
    )
    return linked * 2 > len(text)
