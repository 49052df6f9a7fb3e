"""Prose the precise pass left out of the body, taken back from trafilatura's recall pass. PURE.

The precise pass (``favor_precision``) drops parts of some bodies whole: lists of long items
above all ("- Why it matters: ..."), and paragraphs set apart from the rest. The recall pass
keeps them, but also keeps captions, promo lines and link blurbs, and costs a second pass.

So the recall pass is only asked when the region of the page that holds the body has clearly
more prose (paragraphs and list items that end a sentence) than the body found. Of what it
adds, only prose is taken, in the recall pass's order, and only when it holds every paragraph
the precise pass found (itself, or a longer paragraph around it: the passes may cut a list
item differently). A recall body that drops one settled on another container, not on a
fuller version of the same one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

from lxml import etree

from crawler.extract.continuation import ALL_TEXT, PROSE_CHARS, is_prose, squeeze

# Prose missing from the body's region before the recall pass is asked (a few paragraphs:
# one missed sentence is not worth a second pass).
MISSED_CHARS: Final = 300
MISSED_SHARE: Final = 0.1  # ... and a tenth of the body's length

_BLOCKS = etree.XPath("//p | //li")


def prose_missing(tree: Any, paragraphs: Sequence[str]) -> bool:
    """Whether the region of the page that holds the body (the nearest element around all of
    its paragraphs) has MISSED_CHARS of prose, in paragraphs and list items, that the body
    lacks. The precise pass drops lists of long items whole, and paragraphs past an inline
    box; prose elsewhere on the page (teasers, footers) is no sign of that."""
    body = squeeze(" ".join(paragraphs))
    found: list[Any] = []
    missing: list[tuple[Any, int]] = []
    for element in _BLOCKS(tree):
        raw = ALL_TEXT(element)
        if len(raw) < PROSE_CHARS:
            continue  # most list items are menu entries: no need to squeeze them
        text = squeeze(raw)
        if text in body:
            if len(text) >= PROSE_CHARS:
                found.append(element)
        elif is_prose(text):
            missing.append((element, len(text)))
    enough = max(MISSED_CHARS, MISSED_SHARE * len(body))
    if sum(n for _, n in missing) < enough or not found:
        return False
    region = _common_ancestor(found)
    return sum(n for element, n in missing if _within(element, region)) >= enough


def _common_ancestor(elements: Sequence[Any]) -> Any:
    """The nearest element that holds all of ``elements`` (lxml hands back the same proxy
    object for a node while one is alive, so elements compare and hash by node)."""
    chain = [elements[0], *elements[0].iterancestors()]
    depth = {element: i for i, element in enumerate(chain)}
    deepest = 0
    for element in elements[1:]:
        node = element
        while node not in depth:
            node = node.getparent()
        deepest = max(deepest, depth[node])
    return chain[deepest]


def _within(element: Any, region: Any) -> bool:
    return element is region or any(a is region for a in element.iterancestors())


def with_missed_prose(precise: list[str], recall: Callable[[], list[str]]) -> list[str]:
    """``precise`` with the prose paragraphs the ``recall`` pass adds to it, in its order."""
    fuller = recall()
    known = _holding(precise, fuller)
    if known is None:
        return precise
    added = {p for p in fuller if p not in known and is_prose(p)}
    if sum(map(len, added)) < MISSED_CHARS:
        return precise
    return [p for p in fuller if p in known or p in added]


def _holding(precise: list[str], fuller: list[str]) -> set[str] | None:
    """The paragraphs of ``fuller`` that hold the ``precise`` ones: the same paragraph, or a
    longer one (the passes can cut a list item differently). None when one is nowhere."""
    holding = set(precise).intersection(fuller)
    for paragraph in precise:
        if paragraph in holding:
            continue
        core = paragraph.lstrip("- ").strip()
        if not core:
            continue
        longer = next((p for p in fuller if core in p), None)
        if longer is None:
            return None
        holding.add(longer)
    return holding
