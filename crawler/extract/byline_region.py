"""Bylines printed as a label and a name in elements of their own, inside an element the
page marks as its byline: "<span>Marubuci, </span><span>Mustapha Musa Kaita</span>". The
BBC World Service prints its bylines so in each of its forty languages, whose label words
("Author", "Marubuci", "Qoraa", "Autor") no phrase list can hold; the markup says which
element is the byline, and the comma after a short label says where the name starts. PURE.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from crawler.extract.boilerplate import block_lines, fold
from crawler.extract.bylines import proper_name

# Elements whose class, id, test id, component name or label names them a byline.
# Read as attributes, not elements: testing every element's attributes costs three times more.
_MARKS = etree.XPath(
    " | ".join(
        f"//body//@{name}[contains(., 'yline') or contains(., 'yLine') or contains(., 'YLINE')]"
        for name in ("class", "id", "data-testid", "data-component", "aria-labelledby")
    )
)
_LABEL_ENDS = (",", "،", ":")
_LABEL_WORDS = 3  # "Marubuci", "Written by", "Aiko rahoto daga"
_REGION_MAX_CHARS = 300  # a byline, its roles and a date; longer is an author box or prose
_LEADING = 3  # the body's first paragraphs, where a byline caught in it stands
_LINE_MAX_CHARS = 100  # a byline line; longer is a sentence that names the author


def byline_regions(tree: Any) -> list[Any]:
    """The outermost elements the page marks as bylines, short enough to be one."""
    marked = dict.fromkeys(mark.getparent() for mark in _MARKS(tree))
    regions = [r for r in marked if len(r.text_content()) <= _REGION_MAX_CHARS]
    inside = {id(d) for r in regions for d in r.iterdescendants()}
    return [r for r in regions if id(r) not in inside]


def labelled_names(tree: Any) -> list[str]:
    """The names the first marked byline gives after a label ending in a comma or colon.
    Only the first label's names are read: the next ("Reporting from, Kano", "Role, BBC
    News") say where and what, not who."""
    for region in byline_regions(tree):
        pairs = [
            pair for element in region.iter(etree.Element) if (pair := _label_and_name(element))
        ]
        if pairs:
            first_label = pairs[0][0]
            return [name for label, name in pairs if label == first_label]
    return []


def _label_and_name(element: Any) -> tuple[str, str] | None:
    """(label, name) when ``element`` holds exactly a short label ending in a comma or a
    colon, then a proper name, each in its own child element."""
    children = [c for c in element if isinstance(c.tag, str)]
    if len(children) != 2 or (element.text or "").strip():
        return None
    label, name = (" ".join(c.text_content().split()) for c in children)
    if not label.endswith(_LABEL_ENDS) or len(label.split()) > _LABEL_WORDS:
        return None
    return (label.rstrip(",،: "), name) if proper_name(name) else None


def without_bylines(tree: Any, body: str, authors: list[str]) -> str:
    """``body`` without the lines of a marked byline that names one of ``authors``:
    "Marubuci, Mustapha Musa Kaita" is the byline's text, not the article's. Looked for
    only when a short line of the body's first paragraphs names an author, as such a byline
    does: the search walks the page."""
    names = [fold(author) for author in authors if author.strip()]
    paragraphs = body.split("\n\n")
    leading = [line for p in paragraphs[:_LEADING] for line in p.split("\n")]
    if not any(len(line) <= _LINE_MAX_CHARS and _names_one(line, names) for line in leading):
        return body
    byline = {
        fold(line)
        for region in byline_regions(tree)
        if _names_one(region.text_content(), names)
        for line in block_lines(region)
    }
    kept = ("\n".join(li for li in p.split("\n") if fold(li) not in byline) for p in paragraphs)
    return "\n\n".join(p for p in kept if p)


def _names_one(text: str, names: list[str]) -> bool:
    folded = fold(text)
    return any(name in folded for name in names)
