"""Bodies split over several containers, put back together. PURE.

Themes and ad plugins often cut one article body into sibling containers of the same kind:
``<div class="entry-content">`` … an ad or newsletter box … ``<div class="entry-content">``
again. trafilatura keeps the first container it recognises and drops the rest. Once the body
is found, this module finds the container its first paragraphs came from and returns the
prose of the next sibling containers of the same tag and class, which the body lacks.

Teaser cards of a listing are siblings with one class too; they are told apart by what every
card has and a continuation lacks: a linked heading. And a continuation must read as prose.

Some CMSs keep the article's opening in a container of its own before the body's (Joomla
K2's ``.itemIntroText``); trafilatura takes the longer one. ``lead_paragraphs`` puts such an
opening back in front, when it is several paragraphs of prose: a single one is a standfirst.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from lxml import etree

_MAX_CONTINUATIONS: Final = 3  # more same-class siblings than this are cards, not a body
PROSE_CHARS: Final = 80  # a paragraph shorter than this is a caption, a label, a promo line
_MIN_PROSE: Final = 2  # paragraphs of prose a continuation holds at least
# The full stops of the scripts crawled: Latin, CJK, Devanagari "।" and "॥", Arabic "؟",
# Urdu "۔", Amharic "።", Burmese "။", Khmer "។" and "៕", Tibetan "།", Armenian "։". One set
# for every test of where a sentence ends (prose here, the classifier's, the bio's).
FULL_STOPS: Final = ".!?…。！？।؟۔።။។៕॥།։"
SENTENCE_ENDS: Final = frozenset(FULL_STOPS + "»”\"')")  # or a closing quote after one
_BLOCKS: Final = ("p", "h2", "h3", "h4", "li", "blockquote")
_HEADINGS: Final = frozenset(tag for tag in _BLOCKS if tag[0] == "h")
_HEADED: Final = frozenset((*_BLOCKS, "ul", "ol", "table"))  # what a section's title heads


def continuation_paragraphs(tree: Any, paragraphs: Sequence[str]) -> list[str]:
    """Paragraphs of the containers that continue the body's own, missing from ``paragraphs``."""
    container = _body_container(tree, paragraphs)
    if container is None:
        return []
    siblings = [s for s in container.itersiblings() if _same_kind(container, s)]
    if not siblings or len(siblings) > _MAX_CONTINUATIONS:
        return []
    known = {squeeze(p) for p in paragraphs}
    body = squeeze(" ".join(paragraphs))
    found: list[str] = []
    for sibling in siblings:
        if _has_linked_heading(sibling):
            return []  # a card of a listing, and so are its siblings
        blocks = [text for text in _blocks(sibling) if text not in known]
        if sum(len(b) for b in blocks if _words_in(b, body)) > len("".join(blocks)) / 2:
            continue  # the same text again (a mobile copy, a tab): nothing to add
        # A continuation opens with prose (or a section's title right above prose) and holds
        # several paragraphs of it; a labelled box ("You may also like", a promo line) does
        # not.
        if is_prose(_opening(sibling, known)) and sum(map(is_prose, blocks)) >= _MIN_PROSE:
            found += blocks
    return found


def lead_paragraphs(tree: Any, paragraphs: Sequence[str]) -> list[str]:
    """The paragraphs of the container right before the body's own, when it holds nothing
    but prose the body lacks: CMSs that keep an article's opening apart from the rest
    (Joomla K2's ``.itemIntroText`` before ``.itemFullText``). trafilatura takes the
    longer container and loses the opening, which is the article's first paragraphs."""
    container = _body_container(tree, paragraphs)
    if container is None:
        return []
    previous = next(container.itersiblings(etree.Element, preceding=True), None)
    if previous is None or previous.tag != container.tag:
        return []
    if _has_linked_heading(previous):
        return []  # a teaser
    known = {squeeze(p) for p in paragraphs}
    body = squeeze(" ".join(paragraphs))
    blocks = [text for text in _blocks(previous) if text not in known]
    # One paragraph there is a standfirst, which the body leaves out (on WCXB-dev and Zyte,
    # 3 of 3 such pages); an opening is several paragraphs.
    if len(blocks) < _MIN_PROSE or not all(map(is_prose, blocks)):
        return []
    return [] if any(_words_in(b, body) for b in blocks) else blocks


def _has_linked_heading(element: Any) -> bool:
    """What every teaser card has and a body's own container lacks: a heading that links."""
    return element.find(".//h2//a") is not None or element.find(".//h3//a") is not None


def _body_container(tree: Any, paragraphs: Sequence[str]) -> Any:
    """The nearest classed ancestor of the <p> that holds one of the first body paragraphs."""
    wanted = {squeeze(p) for p in paragraphs[:3] if len(p) >= PROSE_CHARS}
    if not wanted:
        return None
    for element in tree.iter("p"):
        if squeeze(element.text_content()) in wanted:
            return next((a for a in element.iterancestors() if a.get("class")), None)
    return None


def _words_in(block: str, body: str) -> bool:
    """Whether the block's text stands in the body already, cut differently into blocks."""
    head = block[: PROSE_CHARS // 2]
    return len(head) >= 20 and head in body


def _same_kind(container: Any, sibling: Any) -> bool:
    if sibling.tag != container.tag:
        return False
    return not set(container.get("class", "").split()).isdisjoint(sibling.get("class", "").split())


def _opening(container: Any, known: set[str]) -> str:
    """The first text of ``container`` the body lacks; past a heading, the paragraph right
    after it (a section's title and its text), else nothing: a box's label ("You may also
    like") heads teaser cards, not a paragraph."""
    for block in container.iter(*_BLOCKS):
        text = squeeze(block.text_content())
        if not text or text in known:
            continue
        if block.tag not in _HEADINGS:
            return text
        following = block.getnext()
        if following is None or following.tag not in _BLOCKS or following.tag in _HEADINGS:
            return ""
        return squeeze(following.text_content())
    return ""


def _blocks(element: Any) -> list[str]:
    """The texts of the element's blocks, in order: a block inside another (a quote's
    paragraphs) is read with it, once; a heading only when text follows it (a box's label
    above a list of links is no section's title)."""
    texts = []
    taken: set[Any] = set()
    for block in element.iter(*_BLOCKS):
        if any(ancestor in taken for ancestor in block.iterancestors()):
            continue
        taken.add(block)
        if block.tag in _HEADINGS and not _heads_text(block):
            continue
        text = squeeze(block.text_content())
        if text:
            texts.append(text)
    return texts


def _heads_text(heading: Any) -> bool:
    following = heading.getnext()
    return following is not None and following.tag in _HEADED


def is_prose(text: str) -> bool:
    """Whether ``text`` reads as prose: long enough, and it ends a sentence."""
    return len(text) >= PROSE_CHARS and text.rstrip()[-1:] in SENTENCE_ENDS


def squeeze(text: str) -> str:
    return " ".join(text.split())


ALL_TEXT: Final = etree.XPath("string()")  # an element's text, its descendants' included
