"""Authors' bio boxes, cut out of the page before body extraction (their names, as the
bylines give them: crawler.extract.bylines).

PURE: imports neither scrapy nor sqlalchemy. Bio boxes are found three ways, because themes
disagree:

* markup: author-box plugins and theme classes (Simple Author Box, Molongui, PublishPress,
  Starbox, Jetpack, Ghost, Blogger, Drupal) and any class or id naming an author;
* wording: a heading such as "About the author", "À propos de l'auteur", "Kuhusu mwandishi",
  "About <author name>" in front of a paragraph, whatever the markup around it;
* signature: a class-less block around a rel="author" link that names the author again.

Every box found is removed from the tree, so its text can never reach the body; trafilatura
would drop most of them anyway (any class containing "author"), losing the bio with them.
Bylines, dates, "more stories by" lists and comment authors look like boxes too: a box only
counts when, once those lines are set aside, a few sentences of biography remain.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from lxml import etree

from crawler import phrases
from crawler.extract.boilerplate import HEADINGS, META_SEPARATOR, Marked, block_lines, fold
from crawler.extract.continuation import FULL_STOPS
from crawler.unspaced import UNSPACED_LETTER

# Plugin and theme classes that mean "author box" and nothing else.
_STRONG_CLASSES = (
    "saboxplugin-wrap", "m-a-box", "pp-multiple-authors-boxes-wrapper", "starbox", "abh_box",
    "author-bio", "author-box", "about-author", "author-info", "author-card", "post-full-author",
    "author-profile", "field--name-field-author-bio", "author-block", "wp-block-post-author",
    "wp-block-post-author-biography", "td-author-box", "author-description", "postauthor",
    "author-bio-box", "Profile",  # the last one is Blogger's sidebar widget
)  # fmt: skip
# Classes that often hold a bio but as often a byline or a card: the text must name the author.
_WEAK_CLASSES = ("vcard", "bio", "profile", "post-author", "entry-author")
_AUTHOR_MARK = re.compile("author|auteur|autor|writer|contributor|columnist", re.IGNORECASE)
_STRONG, _WEAK = frozenset(_STRONG_CLASSES), frozenset(_WEAK_CLASSES)
_DESCRIPTION_XPATH = etree.XPath(
    ".//*[@itemprop='description' or contains(@class, 'desc') or contains(@class, 'bio')"
    " or contains(@class, 'author-card-content') or contains(@class, 'abh_text')"
    " or contains(@class, 'profile-textblock')]"
)
_NAME_XPATH = etree.XPath(
    ".//*[@itemprop='name' or contains(@class, 'fn') or contains(@class, 'name') or @rel='author']"
)
_REL_AUTHOR = etree.XPath("//a[contains(concat(' ', @rel, ' '), ' author ')]")
_AUTHOR_HREFS = etree.XPath(".//a[@rel='author' or contains(@href, '/author')]/@href")

# "About the author" in the languages the sources publish in (compared folded).
_BIO_HEADINGS = frozenset(fold(phrase) for phrase in phrases.BIO_HEADINGS)
# "About <name>" / "<name> hakkında": the author's own name in a heading.
_NAME_PREFIXES = tuple(fold(p) + " " for p in phrases.ABOUT_NAME_PREFIXES)
_NAME_SUFFIXES = tuple(" " + fold(s) for s in phrases.ABOUT_NAME_SUFFIXES)
# Lines of a box that are links, counters or follow buttons, not biography.
_NOISE_PREFIXES = tuple(fold(p) for p in phrases.BIO_NOISE_PREFIXES)
_BYLINE = re.compile("^(?:" + "|".join(fold(w) for w in phrases.BYLINE_WORDS) + r")\s")  # folded
_DATELINE = re.compile(r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}:\d\d\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b")
_DATELINE_MAX_WORDS = 12
_COUNTER_MAX_WORDS = 8
_MIN_BIO_WORDS = 8
_MAX_BOX_CHARS = 3000
_MAX_BOX_PARAGRAPHS = 8
_SIGNATURE_LEVELS = 3
_HEADING_TAGS = ("h2", "h3", "h4", "h5", "h6", "strong", "b", "dt", "legend", "summary", "span")


@dataclass(slots=True)
class AuthorBox:
    """What the page says about its author, outside the body."""

    bio: str = ""
    name: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class _Reader:
    """How to read a box on this page: its bio headings, and the names it may mention."""

    headings: frozenset[str]
    names: tuple[str, ...]  # folded
    signatures: frozenset[str] = frozenset()  # "written by <name>": a heading only as <hN>

    def bio(self, lines: Sequence[str], links: frozenset[str] = frozenset()) -> str:
        kept = [line for line in lines if line not in links and not self.noise(line)]
        text = "\n\n".join(dict.fromkeys(kept))
        return text if _words(text) >= _MIN_BIO_WORDS else ""

    def noise(self, line: str) -> bool:
        folded = fold(line)
        if folded in self.headings or folded in self.signatures:
            return True
        if folded.startswith(_NOISE_PREFIXES) or _BYLINE.match(folded):
            return True
        words = _words(line)
        if words < 4 or (
            # on a meta line a date makes a dateline however many words (Vietnamese syllables)
            _is_dateline(line) and (words < _DATELINE_MAX_WORDS or META_SEPARATOR.search(line))
        ):
            return True
        # "1 234 abonnés · 142 articles", "2,5 rb pengikut": counters, not sentences.
        return words < _COUNTER_MAX_WORDS and _has_digit(line) and not _ends_sentence(line)

    def mentions_author(self, bio: str, box_name: str | None) -> bool:
        """Whether the bio names the page's author or the box's own name, or the box is
        named for the page's author (a columnist card: name, then a bio that does not
        repeat it, as Turkish and French bios seldom do)."""
        if box_name and fold(box_name) in self.names:
            return True
        folded = fold(bio)
        names = [*self.names, fold(box_name or "")]
        return any(part in folded for name in names for part in name.split() if len(part) > 2)


def _is_dateline(line: str) -> bool:
    # "12 May 2025 · 6 min read" is one; "Ayşe has covered energy since 2015." is a sentence.
    return bool(_DATELINE.search(line)) and not _ends_sentence(line)


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)  # any script's digits: "١٢٠", "२१०"


def _ends_sentence(text: str) -> bool:
    return text.rstrip()[-1:] in FULL_STOPS


def _words(text: str) -> int:
    # Scripts written without spaces (Chinese, Japanese, Thai...) count ~4 characters a word;
    # the others are counted by their spaces, accented or not ("Yazar Elif Yıldırım ve Burak
    # Şahin" is six words, not the eight its 34 characters would make).
    unspaced = len(UNSPACED_LETTER.findall(text))
    return max(len(text.split()), len(text) // 12 if text.isascii() else unspaced // 4)


def _reader(names: Sequence[str]) -> _Reader:
    folded = tuple(fold(name) for name in names if name.strip())
    headings = _BIO_HEADINGS.union(
        [p + n for p in _NAME_PREFIXES for n in folded],
        [n + s for s in _NAME_SUFFIXES for n in folded],
    )
    signatures = frozenset(f"{verb} {by} {name}" for verb, by in _SIGNED_BY for name in folded)
    return _Reader(headings, folded, signatures)


# "Written by", "Escrito por", "Écrit par": over an author card (Medium's), the heading.
_SIGNED_BY = [(fold(v), fold(b)) for v in phrases.BYLINE_VERBS for b in phrases.BYLINE_WORDS]


def _link_texts(box: Any) -> frozenset[str]:
    return frozenset(" ".join(a.text_content().split()) for a in box.iter("a"))


def _box_bio(box: Any, reader: _Reader) -> str:
    links = _link_texts(box)
    for description in _DESCRIPTION_XPATH(box):
        bio = reader.bio(block_lines(description), links)
        if bio:
            return bio
    return reader.bio(block_lines(box), links)


def _fits_box(box: Any) -> bool:
    """A bio box is small: no headline, a few paragraphs, not the article itself."""
    if box.tag in ("html", "body", "main") or box.find(".//h1") is not None:
        return False
    if len(box.findall(".//p")) > _MAX_BOX_PARAGRAPHS:
        return False
    return len(box.text_content()) <= _MAX_BOX_CHARS


def _box_name(box: Any) -> str | None:
    for element in _NAME_XPATH(box):
        name = " ".join(element.text_content().split())
        if 0 < len(name.split()) <= 5:
            return name
    return None


def _box_url(box: Any) -> str | None:
    links = _AUTHOR_HREFS(box)
    return str(links[0]) if links else None


def _remove(element: Any) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


# --- 1. boxes marked by their classes -------------------------------------------------------


@functools.lru_cache(maxsize=4096)  # a page repeats its few class strings hundreds of times
def _marking(classes: str, ident: str) -> int:
    """2: an author-box class; 1: a class or id that merely mentions an author; 0: neither."""
    tokens = classes.split()
    if "comment" in classes or not (tokens or ident):
        return 0  # comment-author, comment-author-vcard: a reader, not the author
    if not _STRONG.isdisjoint(tokens):
        return 2
    return int(not _WEAK.isdisjoint(tokens) or bool(_AUTHOR_MARK.search(f"{classes} {ident}")))


def _marked_boxes(tree: Any, reader: _Reader, marked: Sequence[Marked]) -> list[tuple[Any, str]]:
    """Boxes found by their markup, with their bio text, outermost first."""
    found: list[tuple[Any, str]] = []
    taken: set[Any] = set()
    for box, classes, ident in marked:
        marking = _marking(classes, ident)
        if not marking or not _fits_box(box) or not _attached(box, tree):
            continue
        if any(ancestor in taken for ancestor in box.iterancestors()):
            continue
        bio = _box_bio(box, reader)
        if bio and (marking == 2 or reader.mentions_author(bio, _box_name(box))):
            found.append((box, bio))
            taken.add(box)
    return found


# --- 2. boxes announced by a heading ----------------------------------------------------------


def _heading_block(heading: Any) -> Any:
    """The outermost element that holds nothing but the heading: <p><b>About</b></p> -> <p>."""
    block, text = heading, " ".join(heading.text_content().split())
    parent = block.getparent()
    while parent is not None and parent.tag != "body":
        if " ".join(parent.text_content().split()) != text:
            break
        block, parent = parent, parent.getparent()
    return block


def _opens_container(block: Any) -> bool:
    return not any(sib.text_content().strip() for sib in block.itersiblings(preceding=True))


def _headed_box(heading: Any, reader: _Reader) -> tuple[list[Any], str]:
    """Elements to cut and the bio for a matched heading: its container, or what follows it."""
    block = _heading_block(heading)
    container = block.getparent()
    if container is not None and _opens_container(block) and _fits_box(container):
        bio = reader.bio(block_lines(container), _link_texts(container))
        if bio:
            return [container], bio
    following: list[Any] = []
    for sibling in block.itersiblings():
        if sibling.tag in HEADINGS or len(following) == 3:
            break
        following.append(sibling)
    links = frozenset().union(*(_link_texts(sibling) for sibling in following))
    bio = reader.bio([line for sibling in following for line in block_lines(sibling)], links)
    return ([block, *following], bio) if bio else ([], "")


def _attached(element: Any, root: Any) -> bool:
    return any(ancestor is root for ancestor in element.iterancestors())


def _opens_with_text(element: Any) -> bool:
    text = element.text
    return bool(text) and len(element) <= 2 and len(text) <= 80 and not text.isspace()


def _announces_a_box(heading: Any, folded: str, reader: _Reader) -> bool:
    """ "About the author", "About Jane Doe"; "Written by Jane Doe" only as a heading (<hN>):
    in a paragraph or a span under the headline it is the byline, before the body."""
    if folded in reader.headings:
        return True
    return folded in reader.signatures and _is_headline(heading)


def _is_headline(element: Any) -> bool:
    return element.tag in HEADINGS or any(
        a.tag in HEADINGS for a in islice(element.iterancestors(), 2)
    )


def _heading_boxes(tree: Any, reader: _Reader) -> list[tuple[list[Any], str]]:
    """Boxes announced by a heading, in document order; cut as they are found."""
    boxes: list[tuple[list[Any], str]] = []
    # A heading starts with its own text: "<h4>About <a>Jane</a></h4>", "<p><b>About</b>" (the b).
    candidates = [e for e in tree.iter(*_HEADING_TAGS, "p", "div") if _opens_with_text(e)]
    for heading in candidates:
        text = heading.text_content()
        if len(text) > 80 or not _announces_a_box(heading, fold(text), reader):
            continue
        if not _attached(heading, tree):
            continue
        elements, bio = _headed_box(heading, reader)
        for element in elements:
            _remove(element)
        if bio:
            boxes.append((elements, bio))
    return boxes


# --- 3. signature blocks around rel="author" --------------------------------------------------


def _signed_blocks(tree: Any, reader: _Reader) -> list[tuple[Any, str, str]]:
    """Class-less blocks around a rel="author" link whose sentence names that author again.

    Repeating the name is what tells "Jane Doe reports on ports from Dakar" from the first
    paragraphs of a short article that merely follow a "By Jane Doe" byline.
    """
    found = []
    for link in _REL_AUTHOR(tree):
        name = " ".join(link.text_content().split())
        block = link.getparent()
        for _ in range(_SIGNATURE_LEVELS if 0 < len(name.split()) <= 5 else 0):
            if block is None or block.tag in ("body", "main", "article") or not _fits_box(block):
                break
            bio = reader.bio(block_lines(block), _link_texts(block))
            named = fold(name) in fold(bio) and _names_again(block, name)
            if bio and len(block.findall(".//p")) <= 3 and named:
                found.append((block, name, bio))
                break
            block = block.getparent()
    return found


def _names_again(block: Any, name: str) -> bool:
    """Whether ``block`` names the author besides the link that gave the name: a byline
    ("23 de abril de 2025 por <a>Rafael Monteiro</a>") names them only once."""
    return fold(block.text_content()).count(fold(name)) >= 2


def take_author_box(
    tree: Any, names: Sequence[str], marked: Sequence[Marked] | None = None
) -> AuthorBox:
    """Find the author box(es) in ``tree``, remove them, and return what they say.

    ``names`` are the page's author names, if known: they make "About <name>" a bio heading
    and let weakly marked boxes prove they are about the author. ``marked`` is what
    ``strip_structural`` returned for this tree, if it ran.
    """
    reader = _reader(names)
    result = AuthorBox()
    bios: list[str] = []
    if marked is None:
        marked = [(e, e.get("class") or "", e.get("id") or "") for e in tree.iter(etree.Element)]
    for box, bio in _marked_boxes(tree, reader, marked):
        result.name = result.name or _box_name(box)
        result.url = result.url or _box_url(box)
        bios.append(bio)
        _remove(box)
    for elements, bio in _heading_boxes(tree, reader):
        result.name = result.name or _box_name(elements[0])
        bios.append(bio)
    for block, name, bio in _signed_blocks(tree, reader):
        result.name = result.name or name
        result.url = result.url or _box_url(block)
        bios.append(bio)
        _remove(block)
    result.bio = "\n\n".join(dict.fromkeys(bios))
    return result


def jsonld_people(article: dict[str, Any], nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A JSON-LD article's authors; {"@id": ...} references are looked up among ``nodes``."""
    value = article.get("author")
    items = value if isinstance(value, list) else [value]
    people = [i if isinstance(i, dict) else {"name": i} for i in items if isinstance(i, dict | str)]
    return [_resolve(person, nodes) for person in people]


def _resolve(person: dict[str, Any], nodes: list[dict[str, Any]]) -> dict[str, Any]:
    ref = person.get("@id")
    if ref and len(person) <= 2:
        return next((n for n in nodes if n.get("@id") == ref and n is not person), person)
    return person


def jsonld_bio(people: list[dict[str, Any]]) -> str:
    """The Person ``description``s: Yoast and newsrooms put the author bio there."""
    bios = [" ".join(str(person.get("description") or "").split()) for person in people]
    return "\n\n".join(bio for bio in bios if len(bio.split()) >= 5)
