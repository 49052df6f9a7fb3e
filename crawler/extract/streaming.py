"""Pages a server streamed in parts: each part put back where the browser shows it. PURE.

A page rendered with React's streaming (Next.js's app router, Remix and others) comes as
a shell first, with a placeholder where each slow part belongs (``<template id="B:0">``
before a fallback such as "Loading…", or ``<template id="P:1">``), then each part at the
end of the body, in a hidden ``<div id="S:0">``, with a script call that moves it into
place: ``$RC("B:0", "S:0")`` for a boundary, ``$RS("S:1", "P:1")`` for a segment. Without
a browser the parts stay at the end, out of order: an article streamed in a dozen parts
reaches trafilatura as a dozen sibling fragments, of which it keeps one.

Here each part moves into its placeholder as the script would move it. The scripts name
the pairs; a part they do not name goes to the placeholder with its number (React numbers
a part and its placeholder alike), a segment's placeholder first.
"""

from __future__ import annotations

import re
from typing import Any, Final

from lxml import etree

_PARTS: Final = etree.XPath("//div[@hidden][starts-with(@id, 'S:')]")
_PLACEHOLDERS: Final = etree.XPath("//template[starts-with(@id, 'B:') or starts-with(@id, 'P:')]")
_MOVES: Final = etree.XPath("//script[contains(., '$R')]/text()", smart_strings=False)
_CALL: Final = re.compile(r'\$R[CSR]\(\s*"([BPS]:[^"]+)"\s*,\s*"([BPS]:[^"]+)"')


def has_streamed_parts(tree: Any) -> bool:
    return bool(_PARTS(tree))


def place_streamed_parts(tree: Any) -> int:
    """Move each streamed part of ``tree`` into its placeholder; how many were moved."""
    parts = {part.get("id"): part for part in _PARTS(tree)}
    placeholders = {slot.get("id"): slot for slot in _PLACEHOLDERS(tree)}
    named = _named_moves(tree)
    moved = 0
    for name, part in parts.items():
        slot = placeholders.get(named.get(name) or _numbered(name, placeholders))
        if slot is not None and not any(above is part for above in slot.iterancestors()):
            _put(part, slot)
            moved += 1
    return moved


def _named_moves(tree: Any) -> dict[str, str]:
    """Part -> placeholder, as the page's scripts pair them."""
    moves: dict[str, str] = {}
    for script in _MOVES(tree):
        for first, second in _CALL.findall(script):
            part, slot = (first, second) if first.startswith("S:") else (second, first)
            moves.setdefault(part, slot)
    return moves


def _numbered(part: str, placeholders: dict[str, Any]) -> str:
    number = part.removeprefix("S:")
    return next((f"{kind}:{number}" for kind in "PB" if f"{kind}:{number}" in placeholders), "")


def _put(part: Any, slot: Any) -> None:
    """The part's content where ``slot`` stands; the emptied part and the slot go."""
    parent = slot.getparent()
    if parent is None:
        return
    index = parent.index(slot)
    if part.text and part.text.strip():
        _append_text(parent, slot.getprevious(), part.text)
    for offset, child in enumerate(list(part)):
        parent.insert(index + offset, child)  # moves it, its tail with it
    slot.drop_tree()  # keeps the slot's tail
    part.drop_tree()


def _append_text(parent: Any, before: Any, text: str) -> None:
    """``text`` after ``before`` (its tail), or at the start of ``parent`` when None."""
    if before is not None:
        before.tail = (before.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
