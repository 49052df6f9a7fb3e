"""trafilatura's OVERALL_DISCARD prune, with its element tests in Python. PURE.

Every trafilatura pass prunes each candidate body with ``OVERALL_DISCARD_XPATH``: two
expressions whose EXSLT ``re:test`` calls back into Python for every ``div``, ``p``,
``span``... of the candidate, several times each. That took 1.8 ms of a Zyte page's
extraction (a tenth of it), for a handful of elements found.

``use_fast_discard()`` gives trafilatura a prune that, for that list alone, lets compiled
XPath (no callbacks) pick the elements carrying any attribute the expressions test, then
tests those in Python with the expressions' own patterns, the way lxml's EXSLT does (a
union such as ``@id|@class`` reads only the first of the two attributes the element
declares). The elements found, their order, and what the prune then deletes are the same
(``tests/test_discard.py`` holds them equal to the expressions on every fixture page). The
patterns were read from the expressions' text: ``pinned`` checks its digest, and another
trafilatura's expressions are evaluated as they are.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Callable, Iterator
from typing import Any, Final

import trafilatura.external
import trafilatura.main_extractor
from lxml import etree
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.xpaths import OVERALL_DISCARD_XPATH

from crawler.extract.pinned import pinned

WRITTEN_FOR: Final = "90fe7cbe71fb424a"  # the digest of OVERALL_DISCARD_XPATH's text

_COOKIE = re.compile("cookie")
_NAV_ID = re.compile(
    "^shar|social|viral|newsletter|syndication|tags|sidebar|banner|bread-?crumb|button|author"
    "|^(?:jp-|dpsp-content)|bmdh|footer|Footer|share|Share|nav|Nav|menu|related"
    "|message-container|premium|^ad-"
)
_NAV_CLASS = re.compile(
    "^shar|social|viral|newsletter|syndication|tags|sidebar|banner|bread-?crumb|button|author"
    "|^(?:nav|post-nav|ZendeskForm)|subnav|avigation|navbar|navbox|menu|bar| ad |-ad-"
    "|(?:^| )ad-|dfp[Aa]d|outbrain|taboola|criteo|paid-?content|widget|footer|Footer|byline"
    "|Byline|share-|sociable|embedded|embed|tag-list|consent|modal-content|permission|elated"
    "|next-|-stories|most-popular|more-on|meta|rating|attachment|timestamp|user-info"
    "|user-profile|-icon|article-infos|message-container|slide|viewport|overlay|options"
    "|expand|obfuscated|blurred|mol-factbox|yin|zlylin|nfoline"
)
_HIDDEN = re.compile("hidden")
_HIDDEN_ID = re.compile("reader-comments|akismet")
_HIDDEN_CLASS = re.compile(
    "^hide-|comments-title|nocomments|-reply-|message|akismet|suggest-links|-hide-|hide-print"
    "| hidden| hide|noprint|notloaded"
)


# The elements each expression could select, picked in C: its tags, with an attribute it
# tests. (Narrowing further in XPath, with ``contains`` for the patterns' literals, was
# measured: libxml2 then takes three times as long as these tests do in Python.)
_CANDIDATES: Final = (
    etree.XPath(
        ".//*[self::div or self::item or self::list or self::p or self::section or self::span]"
        "[@data-lp-replacement-content or @role or @data-component or @id or @class]"
    ),
    etree.XPath(".//*[@id or @class or @style or @aria-hidden]"),
)


def _matcher(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """``pattern``'s search as a test, remembered per value: a page repeats its class values
    (every menu item, every card) and the long alternations cost most of the time."""

    @functools.lru_cache(maxsize=8192)
    def matches(value: str) -> bool:
        return pattern.search(value) is not None

    return matches


_cookie, _nav_id, _nav_class = _matcher(_COOKIE), _matcher(_NAV_ID), _matcher(_NAV_CLASS)
_hidden_text, _hidden_id = _matcher(_HIDDEN), _matcher(_HIDDEN_ID)
_hidden_class = _matcher(_HIDDEN_CLASS)


def _first(attributes: Any, names: tuple[str, str]) -> str:
    """The string value of the union ``@a|@b``: the first of the two in the element's own
    attribute order, as libxml2 orders attribute nodes and lxml's EXSLT reads a node-set."""
    return next((value for key, value in attributes.items() if key in names), "")


def _navigation(element: Any) -> bool:
    """The first expression's test: navigation, sharing, widgets, ads, cookie banners."""
    attributes = element.attrib
    if "data-lp-replacement-content" in attributes:
        return True
    if "nav" in attributes.get("role", "").replace("N", "n"):
        return True
    if "MostPopularStories" in attributes.get("data-component", ""):
        return True
    return (
        _cookie(_first(attributes, ("id", "class")))
        or _nav_id(attributes.get("id", ""))
        or _nav_class(attributes.get("class", ""))
    )


def _hidden(element: Any) -> bool:
    """The second expression's test: hidden elements and comment-section leftovers."""
    attributes = element.attrib
    if attributes.get("class") == "comments-title":
        return True
    if _first(attributes, ("id", "class")).startswith("reply-"):
        return True
    style = attributes.get("style", "")
    return (
        _hidden_text(_first(attributes, ("id", "style")))
        or "display:none" in style
        or "display: none" in style
        or _hidden_id(attributes.get("id", ""))
        or _hidden_class(attributes.get("class", ""))
        or attributes.get("aria-hidden") == "true"
    )


_TESTS: Final = (_navigation, _hidden)


def discarded(tree: Any) -> list[Any]:
    """What ``OVERALL_DISCARD_XPATH`` selects under ``tree``: each expression's elements in
    document order, the first expression's first."""
    return [
        element
        for candidates, test in zip(_CANDIDATES, _TESTS, strict=True)
        for element in candidates(tree)
        if test(element)
    ]


def _prune(tree: Any, nodelist: list[Any], with_backup: bool = False) -> Any:
    """trafilatura's ``prune_unwanted_nodes``, handed ``discarded`` in place of the discard
    list's expressions (it calls each entry on the tree), so that its deletion and its guard
    against removing too much text stay its own."""
    if nodelist is OVERALL_DISCARD_XPATH:
        nodelist = [discarded]
    return prune_unwanted_nodes(tree, nodelist, with_backup)


_MODULES: Final = (trafilatura.main_extractor, trafilatura.external)


def use_fast_discard() -> None:
    """Give trafilatura's extractor and its fallbacks this prune, if the expressions are the
    ones its tests were read from."""
    if not pinned(OVERALL_DISCARD_XPATH, WRITTEN_FOR):
        return
    for module in _MODULES:
        found = getattr(module, "prune_unwanted_nodes", None)
        if found is _prune:
            continue  # installed already
        if found is not prune_unwanted_nodes:
            raise RuntimeError(f"{module.__name__} has no prune_unwanted_nodes to replace")
        module.prune_unwanted_nodes = _prune  # type: ignore[attr-defined]


@contextlib.contextmanager
def trafilatura_as_shipped() -> Iterator[None]:
    """trafilatura's own prune while the block runs: benchmarks time plain trafilatura under
    it, so that the speed they compare Sankofa's with is trafilatura's own."""
    installed = [(module, module.prune_unwanted_nodes) for module in _MODULES]
    for module, _ in installed:
        module.prune_unwanted_nodes = prune_unwanted_nodes  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module, prune in installed:
            module.prune_unwanted_nodes = prune  # type: ignore[attr-defined]
