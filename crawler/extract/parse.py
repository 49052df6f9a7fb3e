"""HTML text to an lxml tree that holds the whole page, however deep its markup. PURE.

libxml2 stops building a tree 256 levels down (2,048 as a "huge tree"), so a template that
never closes its ``<div>``s (50,000 deep is seen in the wild) loses its article below that
depth. When the parser reports that limit, the markup is flattened before a second parse:
layout tags that would open deeper than `MAX_DEPTH` are dropped from the text (their words
stay). Then every tree is flattened the same way, so trafilatura and our own passes, some of
them recursive, always walk a tree of ordinary depth.
"""

from __future__ import annotations

import functools
import re
from typing import Any, Final

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, repair_faulty_html

MAX_DEPTH: Final = 120  # far deeper than any real layout; shallow enough for recursive walkers
# Only layout wrappers are unwrapped: a deep <p> or <a> keeps its meaning.
_WRAPPERS: Final = frozenset(
    {"div", "span", "section", "main", "article", "font", "center", "b", "i", "em", "strong",
     "small", "big", "u", "table", "tbody", "tr", "td", "ul", "ol", "li", "blockquote", "form"}
)  # fmt: skip
_PARSER: Final = lxml.html.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    huge_tree=True,  # no depth or text-node size limit; the crawl bounds the page size
)
# Every element as an HtmlElement, chosen in C: lxml.html's default lookup calls back into
# Python for each element object made (to give <form>, <input>... their own classes, which
# nothing here uses), and extraction makes ~5,000 per page: 6% of its time on Zyte's pages.
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)


def parse_html(html: str) -> Any:
    """The page's lxml.html tree (as ``trafilatura.load_html`` builds it), never deeper than
    MAX_DEPTH; None when the text holds no HTML."""
    if not html or not html.strip():
        return None
    repaired = repaired_html(html)
    tree = _parse(repaired)
    if _too_deep(_PARSER.error_log):
        tree = _parse(flatten_markup(repaired))
    if tree is None or tree.tag != "html":
        tree = trafilatura.load_html(html)  # trafilatura's own fallbacks for odd documents
    if tree is not None:
        flatten_deep_nesting(tree)
    return tree


# The characters libxml2 refuses, as trafilatura.utils.INVALID_XML_CHARS matches them.
_REFUSED: Final = tuple(
    map(chr, (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF))
)


def repaired_html(html: str) -> str:
    """``trafilatura.utils.repair_faulty_html(html)``, the same text, faster. Its regular
    expression reads the whole page for characters that are almost never there (0.85 ms a
    Zyte page); looking for each one with ``in`` takes 0.25 ms, and the rest of the repair
    only reads the page's first lines."""
    beginning = html[:50].lower()
    if any(char in html for char in _REFUSED):
        return repair_faulty_html(html, beginning)
    if "doctype" in beginning:
        first_line, _, rest = html.partition("\n")
        html = DOCTYPE_TAG.sub("", first_line, count=1) + "\n" + rest
    for line in html[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            return FAULTY_HTML.sub(r"\1>", html, count=1)
    return html


def _parse(html: str) -> Any:
    try:
        return lxml.html.fromstring(html, parser=_PARSER)
    except (ValueError, etree.ParserError):  # e.g. an XML declaration naming an encoding
        return None


def _too_deep(errors: Any) -> bool:
    return any("Excessive depth" in error.message for error in errors)


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*>")
_VOID: Final = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
     "track", "wbr", "param"}
)  # fmt: skip


def flatten_markup(html: str, max_depth: int = MAX_DEPTH) -> str:
    """`html` without the layout tags that would open deeper than `max_depth` (and their
    closing tags); the text and the tags that structure it (<p>, <h1>, <a>...) are kept.
    Depth follows HTML's rule that a closing tag closes whatever it matches on the stack
    of open elements."""
    open_tags: list[str] = []
    dropped: list[tuple[int, int]] = []
    for match in _TAG.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        if closing and name in open_tags:
            del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name) :]
        elif closing:
            dropped.append(match.span())  # it closes a tag dropped below
        elif name in _VOID or match.group(0).endswith("/>"):
            continue
        elif len(open_tags) >= max_depth and name in _WRAPPERS:
            dropped.append(match.span())
        elif len(open_tags) < 4 * max_depth:  # past that, a tag is kept but not followed
            open_tags.append(name)
    return _without_spans(html, dropped)


def _without_spans(text: str, spans: list[tuple[int, int]]) -> str:
    parts, position = [], 0
    for start, end in spans:
        parts.append(text[position:start])
        position = end
    parts.append(text[position:])
    return "".join(parts)


def flatten_deep_nesting(tree: Any, max_depth: int = MAX_DEPTH) -> int:
    """Unwrap layout elements deeper than `max_depth`; returns how many were unwrapped."""
    if not _deeper_than(max_depth)(tree):
        return 0  # the common case, told in C without walking the tree in Python
    too_deep = []
    depth = 0
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        if event == "end":
            depth -= 1
            continue
        depth += 1
        if depth > max_depth and element.tag in _WRAPPERS:
            too_deep.append(element)
    for element in too_deep:
        element.drop_tag()
    return len(too_deep)


@functools.cache
def _deeper_than(depth: int) -> Any:
    # Whether an element lies below `depth` levels (the root element is level 1).
    return etree.XPath("boolean(/*" + "/*" * depth + ")")


MAX_LINKS: Final = 5_000  # the most in 1,678 real benchmark pages is 1,777
_FARM: Final = 20  # links side by side under one element: a tag cloud, an index, a link farm


def thin_link_farms(tree: Any, max_links: int = MAX_LINKS) -> int:
    """On a page with more than `max_links` links, remove the runs of links (20 or more
    under one parent or one grandparent, as in a tag cloud or a list of links); returns how
    many elements went. Extraction time grows faster than linearly with links, and such runs
    are never article text: this bounds the time a hostile page can take."""
    links = list(tree.iter("a"))
    if len(links) <= max_links:
        return 0
    removed = _drop_runs(links, lambda link: link)
    links = list(tree.iter("a"))
    if len(links) > max_links:  # one link per item: <li><a>...</a></li> x 100,000
        removed += _drop_runs(links, lambda link: link.getparent())
    return removed


def _drop_runs(links: list[Any], unit: Any) -> int:
    runs: dict[Any, list[Any]] = {}
    for link in links:
        element = unit(link)
        holder = element.getparent() if element is not None else None
        if holder is not None:
            runs.setdefault(holder, []).append(element)
    removed = 0
    for holder, members in runs.items():
        if len(members) >= _FARM:
            # One slice assignment: removing 100,000 children one by one is quadratic. The
            # text between the links of a run is separators ("|", ","), dropped with them.
            gone = set(members)
            holder[:] = [child for child in holder if child not in gone]
            removed += len(members)
    return removed
