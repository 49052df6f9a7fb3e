"""Who wrote the page, as its bylines say: the names an author's markup, a byline printed
under the headline, a link to the author's page or a "Written by" line give, in the order
``crawler.extract.authors`` trusts them, and the names an "About <name>" bio heading may
carry. PURE.

Names are cut to what the page prints as a name ("Rachel MacDonald", not "Rachel MacDonald
Writer"), job titles and the site's own name are dropped when a person remains, and logins
("jane.doe") count only when nothing else names anybody.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import unquote

from lxml import etree

from crawler import phrases, url_words
from crawler.extract.boilerplate import HEADINGS, META_SEPARATOR, fold, in_comments, squashed

_BY = "(?:" + "|".join(phrases.BYLINE_WORDS) + ")"  # "by", "par", "oleh"... as a regex
_LABELS = "(?:" + "|".join(phrases.BYLINE_LABELS) + ")"
_AUTHOR_LABELS = "(?:" + "|".join(phrases.AUTHOR_LABELS) + ")"
# In a name read from an author's element, whose colon the reader may have dropped, a label
# word opens the byline as a byline word does; "Author" and its kin only with their colon.
# "Written By" alone is a label: stripped whole, it leaves no name.
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:analysis|opinion|posted|written|story|text|report)\s+)?"
    rf"(?:(?:{_BY}|{_LABELS})\b(?:\s*:\s*|\s+|$)|{_AUTHOR_LABELS}\s*:\s*)",
    re.IGNORECASE,
)
# "TOM KRISHER, AP Auto Writer": the second part is a job, not a co-author.
_ROLE = re.compile(
    r"\b(?:writer|editor|correspondent|reporter|columnist|contributor|editor-at-large)\b",
    re.IGNORECASE,
)
# Tried in order after the metadata: the first that names somebody wins.
_BYLINE_XPATHS = tuple(
    etree.XPath(path)
    for path in (
        "//*[@itemprop='author']//*[@itemprop='name'] | //*[@itemprop='author'][not(*)]",
        "//*[contains(@class, 'byline')]//*[contains(@class, 'author')]",
        "//*[contains(concat(' ', @class, ' '), ' author ')]//*[contains(@class, 'fn')]",
        "//*[contains(@class, 'p-author')] | //a[@rel='author']",
        # Drupal's node template: "Submitted by <span class="field--name-uid">" (Olivero,
        # Bartik and the themes built on them), the name often without a link.
        "//*[contains(@class, 'node__submitted')]//*[contains(@class, 'field--name-uid')]",
    )
)


def author_candidates(
    tree: Any, declared: Sequence[Sequence[str]], site: str
) -> Iterator[list[str]]:
    """The names each source gives, lazily, in order of trust: ``declared`` lists, then the
    page's bylines (for ``prefer_named`` to choose from).

    Job titles ("AP Auto Writer") and the site's own name are dropped when a person remains.
    """
    for names in declared:
        yield named_people(names, site)
    # Only now: the byline XPaths scan the whole page, and usually the metadata answered.
    for path in _BYLINE_XPATHS:
        bylines = [e.text_content() for e in path(tree) if not in_comments(e)]
        people = named_people(bylines, site)
        yield [as_printed(person, tree) for person in people]


def as_printed(name: str, tree: Any) -> str:
    """``name`` cut to the words the page prints as a text of their own. A byline reader
    that takes a whole block joins the name with its neighbours where the page has them
    apart: "Rachel MacDonald" + "Writer", "Authors" + "Aniruddha Roy". The name's first
    words are preferred to its last (the role follows the name); a role or a label ending in
    a byline word ("Recipe by") is no name."""
    words = name.split()
    if len(words) < 3:
        return name
    texts = {" ".join(text.split()) for text in _SHORT_TEXTS(tree, limit=len(name))}
    heads = [" ".join(words[:end]) for end in range(len(words) - 1, 1, -1)]
    tails = [" ".join(words[start:]) for start in range(1, len(words) - 1)]
    printed = [part for part in heads + tails if part in texts and _may_name(part)]
    return printed[0] if printed else name


def _may_name(part: str) -> bool:
    # "Recipe by", "Government Websites by" stand apart too: labels, not names.
    return not _ROLE.search(part) and part.split()[-1].casefold() not in phrases.BYLINE_WORDS


# Text nodes shorter than a name found in a block: where its parts may stand. Text nodes,
# not elements, so that the walk is linear in the page however deep its markup.
_SHORT_TEXTS = etree.XPath(
    "//body//text()[string-length(normalize-space(.)) > 3][string-length(.) < 4 * $limit]",
    smart_strings=False,
)


def named_people(names: Sequence[str], site: str) -> list[str]:
    """The people ``names`` (bylines as printed) name, once each; job titles and the site's
    own name are dropped when a person remains."""
    cleaned = list({fold(n): n for name in names for n in _split_names(name)}.values())
    people = [n for n in cleaned if not _ROLE.search(n) and fold(n) != fold(site)]
    return people or cleaned


def linked_bylines(tree: Any) -> list[str]:
    """The names a byline or author box shows as links to the site's author pages, when the
    link's address spells the name ("/u/zackery-cuevas" for "Zackery Cuevas"): the CMS's own
    record of who wrote the page, for pages that mark the author up nowhere. A link whose
    address does not spell its text ("Learn More", "View profile") names nobody."""
    return [link.text_content() for link in _BYLINE_LINKS(tree) if _address_spells(link)]


# The links first, their boxes after: "//*[box]//a" walks a box's links once per box around it.
def _links_to(paths: Iterable[str]) -> Any:
    """The links whose address holds one of ``paths``, inside a box marked author or byline."""
    return etree.XPath(
        f"//a[{_address_holds(paths)}]"
        "[ancestor::*[contains(@class, 'author') or contains(@class, 'byline')]]"
    )


def _address_holds(paths: Iterable[str]) -> str:
    """An XPath test of a link: its address holds one of ``paths``."""
    return " or ".join(f"contains(@href, '{path}')" for path in paths)


# Author pages' addresses: profiles, staff pages, and the CMS's word for author in English.
_ENGLISH_AUTHOR_PATHS = ("/author/", "/authors/", "/u/", "profile", "/people/", "/staff/")
# A byline's link counts under that word in every language crawled ("/auteur/", "/yazar/").
_BYLINE_LINKS = _links_to(
    dict.fromkeys([*_ENGLISH_AUTHOR_PATHS, *(f"/{word}/" for word in url_words.AUTHOR)])
)
# The names an "About <name>" heading is matched against: English author paths only. The
# other languages' paths would add every columnist a sidebar's "author-list" links to, and
# that list would then read as the bio of one of them.
_NAMED_LINKS = _links_to(_ENGLISH_AUTHOR_PATHS)
_NAME_WORD = re.compile(r"\w{3,}")
# A link to an author's page (or a CMS's user or reporter page) in an element.
_AUTHOR_PAGE_LINKS = etree.XPath(
    ".//descendant-or-self::a["
    + _address_holds(dict.fromkeys([
        *_ENGLISH_AUTHOR_PATHS, "/user/", "/users/", "/reporter/", "/reporters/", "/writer/",
        "/writers/", *(f"/{word}/" for word in url_words.AUTHOR),
    ]))
    + "]"
)  # fmt: skip
_META_LINE_MAX_CHARS = 200  # a byline with a date, a reading time, a view count
# A CMS's account pages under its user path ("/user/login", "/user/register"): no author's.
_ACCOUNT = re.compile(r"log-?in|log-?out|sign-?in|sign-?up|register|password|account", re.I)


def _address_spells(link: Any) -> bool:
    address = squashed(unquote(link.get("href") or ""))
    words = _NAME_WORD.findall(fold(link.text_content()))
    return bool(words) and any(word in address for word in words)


def headline_author_links(tree: Any) -> list[str]:
    """The names a byline under the headline links to their author pages, whatever words
    stand around them ("نوشتهٔ <a href="/fa/user/217">…</a> و <a href="/fa/user/305">…</a>",
    "ရေးသားသူ - <a href="/reporters/…">…</a>"): the CMS's own record of who wrote the page,
    in a language whose byline words are known here or not.

    Read from the first short element after the <h1>, before the body's prose, that links
    to author pages with a person's name as the text ("View all posts" is none)."""
    headline = tree.find(".//h1")
    if headline is None:
        return []
    for element in _AFTER_HEADLINE(headline):
        text = _short_pieces(element, _META_LINE_MAX_CHARS)
        if element.tag == "p" and (text is None or len(text) >= _PROSE_CHARS):
            return []  # the body has begun: its links are no byline's
        if text is None or _in_furniture(element):
            continue
        links = [
            link for link in _AUTHOR_PAGE_LINKS(element) if not _ACCOUNT.search(link.get("href"))
        ]
        names = [" ".join(" ".join(link.itertext()).split()) for link in links]
        names = [name for name in names if _reads_as_a_name(name)]
        if names:
            return list(dict.fromkeys(names))
    return []


def _reads_as_a_name(text: str) -> bool:
    # A name in a script without spaces between words (Burmese, Thai, Khmer) is one "word".
    return proper_name(text) or (
        len(text.split()) == 1 and len(text) > 3 and text[0].lower() == text[0].upper()
        and not any(char.isdigit() for char in text)
    )  # fmt: skip


def printed_bylines(tree: Any) -> list[str]:
    """The names of a byline printed as text near the headline ("By Sofia Gonzalez",
    "Written by: Elise Nass", "Par Samir Abdelkrim", "Author: Jane Doe", "Ahmet Yılmaz
    tarafından", "Na Juma Hamisi"), for pages that mark it up nowhere.

    Read from the first short element after the <h1> that opens with a byline word or an
    author label, or that ends its names with a postposition; or from the element after one
    that is only that word ("Written by" | "Edzel Tabing"). The name ends where a date, a
    time or a separator starts."""
    headline = tree.find(".//h1")
    if headline is None:
        return []
    texts, in_body = [], False
    for element in _AFTER_HEADLINE(headline):
        text = _short_pieces(element, _PROSE_CHARS)  # None: longer, so prose or a container
        furniture = _in_furniture(element)
        # Past a paragraph of prose, "Author: …" is the body's (a book, a module, a quote);
        # "By …" still signs the article there, under a standfirst.
        prose = text is None or len(text) >= _PROSE_CHARS
        in_body = in_body or (element.tag == "p" and not furniture and prose)
        if not furniture and text and len(text) <= _PRINTED_MAX_CHARS:
            texts.append((element.tag, text, in_body))
        elif not furniture and (head := _signed_meta_line(element)):
            texts.append((element.tag, head, in_body))
    for index, (tag, text, below_prose) in enumerate(texts):
        if tag in HEADINGS:
            continue
        if match := _PRINTED_BY.match(text):  # "By", as before: the first such line decides
            rest = match.group(1) or next((t for _, t, _ in texts[index + 1 : index + 2]), "")
            return _printed_names(rest)
        names = [] if below_prose else _other_byline_names(text, texts[index + 1 : index + 2])
        if names:
            return names
    return []


def signed_anywhere(tree: Any) -> list[str]:
    """The names of a "Written by <name>" line anywhere on the page but its furniture and
    reader comments, for pages that sign the article only at its foot or in an author card,
    far from the headline.
    A participle must open the line ("Written by", "Escrito por", "Ditulis oleh"): a bare
    "By <name>" also signs the teasers of related posts."""
    for element in tree.iter(etree.Element):
        if not element.text or not _SIGNED.match(element.text.lstrip()):
            continue
        line = _short_pieces(element, _PRINTED_MAX_CHARS)
        if line is None or _in_furniture(element) or _in_comments(element):
            continue
        match = _PRINTED_BY.match(line)
        names = _printed_names(match.group(1)) if match else []
        if names and all(map(proper_name, names)):  # far from the headline: persons only
            return names
    return []


def _in_comments(element: Any) -> bool:
    """Whether the element is (in) a reader comment: its class or id, or an ancestor's, says
    "comment", as comment markup does in every CMS ("Posted by: <reader>" signs each)."""
    return any(
        "comment" in (node.get("class") or "") + (node.get("id") or "")
        for node in (element, *element.iterancestors())
    )


def _printed_names(rest: str) -> list[str]:
    names = _split_names(_NAME_END.sub("", rest.lstrip("| ")))
    return [name for name in names if _looks_like_a_name(name)]


def _other_byline_names(text: str, following: list[tuple[str, str, bool]]) -> list[str]:
    """The names of a label byline ("Author: Jane Doe", "كتبت: منى"), or of a Swahili "Na" or
    a postposition byline ("Ahmet Yılmaz tarafından"), whose names must each read as a proper
    name: those words also start or end ordinary sentences."""
    if match := _PRINTED_LABEL.match(text):
        return _printed_names(match.group(1) or next((t for _, t, _ in following), ""))
    match = _PRINTED_NA.match(text) or _PRINTED_BYLINE_AFTER.match(text)
    names = _printed_names(match.group(1)) if match else []
    return [name for name in names if proper_name(name)]


def proper_name(name: str) -> bool:
    """Two to four words, each capitalised (or in a script without case): "Juma Hamisi"."""
    words = name.split()
    return 1 < len(words) <= 4 and all(_capitalised(word) for word in words)


def _capitalised(word: str) -> bool:
    return word[0].isupper() or word[0].lower() == word[0].upper()  # uncased scripts pass


def _signed_meta_line(element: Any) -> str:
    """The byline opening a meta line too long to be one alone, in one text with the rest:
    "By Kofi Mensah-Bonsu | Posted 12 February 2025 | Filed under: Business, Cars"."""
    first = next((piece for piece in element.itertext() if piece.strip()), "")
    head, *rest = META_SEPARATOR.split(" ".join(first.split()), maxsplit=1)
    match = _PRINTED_BY.match(head) if rest else None
    return head if match and match.group(1) else ""


def _short_pieces(element: Any, limit: int) -> str | None:
    """The element's text with " | " where one of its elements starts or ends ("Written by",
    a name and a date in three <span>s run together in text_content()), when it is at most
    ``limit`` characters long, else None, read no further than that: the elements after a
    headline include the body's whole containers."""
    parts: list[str] = []
    size = 0
    for piece in element.itertext():
        if piece.strip():
            parts.append(" ".join(piece.split()))
            size += len(parts[-1]) + (3 if len(parts) > 1 else 0)
            if size > limit:
                return None
    return " | ".join(parts)


def _in_furniture(element: Any) -> bool:
    return any(a.tag in _FURNITURE_TAGS for a in element.iterancestors())


def _looks_like_a_name(name: str) -> bool:
    return _capitalised(name) and not any(mark in name for mark in "!?:;")


# A byline sits right under the headline: the elements after it are read, not the page.
_PRINTED_LOOKAHEAD = 60
_AFTER_HEADLINE = etree.XPath(f"following::*[position() <= {_PRINTED_LOOKAHEAD}]")
_FURNITURE_TAGS = frozenset({"footer", "nav", "aside"})
_PRINTED_MAX_CHARS = 80  # a byline, a date and a reading time; longer is prose
_PROSE_CHARS = 200  # a paragraph this long is the body's (a standfirst is shorter)
_VERBS = "(?:" + "|".join(phrases.BYLINE_VERBS) + ")"
_PRINTED_OPENING = rf"^(?:(?:{_VERBS})[\s|]+)?"  # "Written", "Escrito", "Ditulis"...
_SIGNED = re.compile(rf"(?:{_VERBS})\s+{_BY}\b", re.IGNORECASE)  # "Written by", "Ditulis oleh"
# "By Jane Doe", "Written by: Jane Doe", "Par Awa Koné", "Ditulis oleh Budi".
_PRINTED_BY = re.compile(rf"{_PRINTED_OPENING}{_BY}\b\s*:?\s*(.*)$", re.IGNORECASE)
# A label before its colon: "Author: Jane Doe", "كتبت: منى", "Yazar: Ahmet Yılmaz".
_PRINTED_LABEL = re.compile(
    rf"{_PRINTED_OPENING}(?:{_LABELS}|{_AUTHOR_LABELS})\s*:\s*(.*)$", re.IGNORECASE
)
# Swahili "Na Juma Hamisi": "Na" capitalised, before a capital.
_PRINTED_NA = re.compile(
    rf"{_PRINTED_OPENING}(?-i:"
    + "|".join(phrases.BYLINE_WORDS_CAPITALISED)
    + r")\s+(?=(?-i:[A-Z]))(.*)$",
    re.IGNORECASE,
)
# "Ahmet Yılmaz tarafından | 12 Mart 2024": the names before a postposition.
_PRINTED_BYLINE_AFTER = re.compile(
    r"^(.+?)\s+(?:" + "|".join(phrases.BYLINE_POSTPOSITIONS) + r")\s*(?:$|[|·•,–—-]|\d)",
    re.IGNORECASE,
)
# Where a printed name stops: a separator, a dash between spaces, a digit (a date, a time).
_NAME_END = re.compile(r"\s*(?:[|·•⋅–—/]|\s-\s|\d).*$")


def _split_names(raw: str) -> list[str]:
    """ "By Jane Doe and John Roe" -> ["Jane Doe", "John Roe"]; URLs and handles are no names."""
    text = " ".join(raw.split())
    if not text or "://" in text or "@" in text:
        return []
    text = _BYLINE_PREFIX.sub("", text)
    chunks = [p.strip() for chunk in text.split(",") for p in chunk.split(" and ")]
    parts = [name for chunk in chunks for name in _co_authors(chunk)]
    return [
        p
        for p in parts
        if 0 < len(p.split()) <= 5
        and not any(c.isdigit() for c in p)
        and not _UNFILLED.fullmatch(p)
    ]


def _co_authors(text: str) -> list[str]:
    """ "Awa Koné et Samir Abdelkrim" -> the two names; "José Ortega y Gasset" stays whole."""
    parts = [part.strip() for part in _CONJUNCTION.split(text)]
    return parts if len(parts) > 1 and all(len(p.split()) > 1 for p in parts) else [text]


_CONJUNCTION = re.compile(
    r"\s(?:" + "|".join(map(re.escape, phrases.NAME_CONJUNCTIONS)) + r")\s"
)  # lower case only: "Juan E. Pérez" holds an initial


# What a script prints where it failed to fill in a name: a JavaScript empty value, once
# or for each part of the name ("undefined undefined"); and the account a CMS creates
# with the site ("admin", "Webmaster"), which names nobody.
_UNFILLED = re.compile(
    r"(?:(?:undefined|null)\s*)+|\[object \w+\]|(?:site\s*)?(?:admin|administrator|webmaster)",
    re.IGNORECASE,
)
# A lower-case dotted key: a login ("jane.doe"), a domain ("site.com"), or a template's
# unfilled key path ("page.head.extra.author"). Sometimes it is all a page says of its
# author, so it is kept when no source names anybody else (see prefer_named).
_LOGIN = re.compile(r"[a-z_][a-z0-9_-]*(?:\.[a-z0-9_-]+)+")


def prefer_named(candidates: Iterable[list[str]]) -> list[str]:
    """The first of ``candidates`` (lists of names, read lazily in order of trust) that names
    somebody by more than a login; failing that, the first that gives any name at all."""
    fallback: list[str] = []
    for names in candidates:
        if not all(_LOGIN.fullmatch(name) for name in names):
            return names
        fallback = fallback or names
    return fallback


def candidate_names(tree: Any, authors: Sequence[str]) -> list[str]:
    """Names an "About <name>" heading may carry: the bylines, plus links to author pages."""
    linked = [" ".join(a.text_content().split()) for a in _NAMED_LINKS(tree)]
    return list(dict.fromkeys(name for name in [*authors, *linked] if name))
