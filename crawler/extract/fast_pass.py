"""trafilatura's fast precise pass, the one every page goes through, without two whole-tree
copies it makes for stages that mode never runs. PURE.

``bare_extraction`` copies the tree it is handed (so that the caller's tree survives), then
its ``_prepare_tree`` copies it again before cleaning (the raw tree is kept for the baseline
and the recall escalation) and copies the cleaned tree (kept for readability and justext as
second opinions). In fast precision mode none of those stages run, so the last two copies
are thrown away unread: 1.1 ms of Zyte's 18 ms per page. This module runs the same steps in
the same order on one copy, and skips the comment and infinite-scroll prunes on pages where
no id or class could match them (``_Prune``: 1.4 ms less per Zyte page, measured A/B). It
leans on trafilatura's own functions, never on a re-implementation of them, and
``tests/test_fast_pass.py`` checks, page by page, that it gives what ``bare_extraction``
gives: a trafilatura release that changes its cascade fails that test rather than changing
our bodies unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any, Final

from lxml import etree
from trafilatura.core import _forum_thread_page
from trafilatura.htmlprocessing import convert_tags, prune_unwanted_nodes, tree_cleaning
from trafilatura.main_extractor import extract_content
from trafilatura.settings import Extractor
from trafilatura.xpaths import (
    RAW_TREE_PRUNE_XPATH,
    REMOVE_COMMENTS_AND_LISTS_XPATH,
    REMOVE_COMMENTS_XPATH,
)

from crawler.extract.pinned import pinned


def handles(options: Extractor) -> bool:
    """Whether ``fast_precise_body`` gives what ``bare_extraction`` gives with ``options``:
    fast, precise, no comments, and none of the filters (language, duplicates, size) that
    only ``bare_extraction`` applies."""
    return (
        options.fast
        and options.focus == "precision"
        and not options.comments
        and not options.lang
        and not options.dedup
        and not options.max_tree_size
        and options.format == "python"
    )


def fast_precise_body(tree: Any, options: Extractor) -> Any | None:
    """The body element ``bare_extraction(tree, options=options)`` would return (its
    ``.body``), or None where it would return None. ``tree`` is left as it was."""
    if not handles(options):
        raise ValueError("fast_precise_body: options other than fast and precise")
    try:
        return _cascade(copy(tree), options)
    except (TypeError, ValueError):  # what bare_extraction turns into "no document"
        return None


def _cascade(tree: Any, options: Extractor) -> Any | None:
    # trafilatura_sequence's steps for fast precision mode without comments, in its order.
    is_forum = _forum_thread_page(tree)
    named = _Names(_IDS(tree), _CLASSES(tree))
    tree = _INFINITE_SCROLL.prune(tree, named)
    tree = _COMMENTS_AND_LISTS.prune(tree, named)
    cleaned = convert_tags(tree_cleaning(tree, options), options, options.url)
    if not is_forum:
        # Cleaning only removes elements, so the raw tree's names still bound what is left.
        cleaned = _COMMENTS.prune(cleaned, named)
    body, text = extract_content(cleaned, options)
    # bare_extraction's size check (no comments here, so only the text counts).
    if len(text) < options.min_output_size and options.min_output_comm_size > 0:
        return None
    return body


# --- prunes skipped when no element is named for them -----------------------------------------

_IDS: Final = etree.XPath("//@id", smart_strings=False)
_CLASSES: Final = etree.XPath("//@class", smart_strings=False)


@dataclass(frozen=True, slots=True)
class _Names:
    """Every id and class value in the page."""

    ids: Sequence[str]
    classes: Sequence[str]


@dataclass(frozen=True, slots=True)
class _Prune:
    """One of trafilatura's prune lists, and what an element's id or class must match for
    any of its expressions to select the element.

    Each expression tests EXSLT regular expressions on every <div>, <section>, <aside> or
    list, a Python call per element: 2.9 ms of a Zyte page for these three lists on the
    parsed page, when most pages have no element they could select. When no id and no class
    in the page matches, the prune is skipped: the expressions could select nothing. The
    patterns were read from the expressions' text, whose digest ``written_for`` pins; another
    trafilatura's expressions are always run (tests/test_pinned_shortcuts.py fails so that
    the patterns are read again)."""

    xpaths: Sequence[Any]
    ids: re.Pattern[str]
    classes: re.Pattern[str]
    pinned: bool  # the expressions are the ones the patterns were read from

    @classmethod
    def read_from(cls, xpaths: Sequence[Any], ids: str, classes: str, written_for: str) -> _Prune:
        return cls(xpaths, re.compile(ids), re.compile(classes), pinned(xpaths, written_for))

    def prune(self, tree: Any, named: _Names) -> Any:
        if self.pinned and not self._could_select(named):
            return tree
        return prune_unwanted_nodes(tree, list(self.xpaths))

    def _could_select(self, named: _Names) -> bool:
        return any(map(self.ids.search, named.ids)) or any(map(self.classes.search, named.classes))


_COMMENT_IDS = r"^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)"
_COMMENT_CLASSES = r"^[Cc]omment(?!ary)|(?:article|post)-comments"
_INFINITE_SCROLL: Final = _Prune.read_from(
    RAW_TREE_PRUNE_XPATH,
    r"mvp-post-add-(?:box|wrap)|infinite-?scroll",
    r"mvp-post-add-(?:box|wrap)|infinite-?scroll|elementor-share-buttons",
    written_for="0a775839824a964b",
)
_COMMENTS_AND_LISTS: Final = _Prune.read_from(
    REMOVE_COMMENTS_AND_LISTS_XPATH, _COMMENT_IDS, _COMMENT_CLASSES, "9cc18d34e6e2d258"
)
_COMMENTS: Final = _Prune.read_from(
    REMOVE_COMMENTS_XPATH, _COMMENT_IDS, _COMMENT_CLASSES, "5d97216ca15d0558"
)
PRUNES: Final = (_INFINITE_SCROLL, _COMMENTS_AND_LISTS, _COMMENTS)
