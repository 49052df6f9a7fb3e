"""Who wrote the page, as it declares or prints it: JSON-LD and <meta> authors, then the
page's bylines (``crawler.extract.bylines``), the site declared as its own author, an
organization, trafilatura's byline search, and a "Written by" line anywhere. PURE.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import chain
from typing import Any

from lxml import etree

from crawler.extract.author_search import trafilatura_author
from crawler.extract.bio import jsonld_people
from crawler.extract.boilerplate import in_comments, squashed
from crawler.extract.byline_region import labelled_names
from crawler.extract.bylines import (
    as_printed,
    author_candidates,
    headline_author_links,
    linked_bylines,
    named_people,
    prefer_named,
    printed_bylines,
    proper_name,
    signed_anywhere,
)
from crawler.extract.continuation import ALL_TEXT, squeeze
from crawler.extract.declarations import (
    Page,
    declared_languages,
    declared_text,
    node_types,
    publisher_name,
)
from crawler.extract.local_dates import month_names


def page_authors(tree: Any, page: Page) -> list[str]:
    """The page's authors, as the first source in order of trust names them."""
    declared = (
        _jsonld_people(page, organizations=False),
        page.meta.get("author", []) + page.meta.get("article:author", []),
        page.meta.get("parsely-author", []) + page.meta.get("sailthru.author", []),
        page.meta.get("dc.creator", []),
    )
    site = page.first("og:site_name") or publisher_name(page) or ""
    return prefer_named(_author_sources(tree, page, declared, site))


def _author_sources(
    tree: Any, page: Page, declared: Sequence[Sequence[str]], site: str
) -> Iterator[list[str]]:
    """The names each source gives, in order of trust; a source is read only when those
    before it named nobody but a login. A byline printed under the headline ("By Meghan
    Neville") and a byline's link to the author's page come before trafilatura's search of
    author-like classes, which also takes their labels ("Updated", "Head", "HR Strategy"):
    on WCXB-dev, 2 and 7 authors right that were wrong, none the other way.

    The site declared as its own author (Squarespace, newsroom CMSs) is read after the
    page's bylines, which must then name a person: "By Brian Truitt" under a page whose
    metadata says "USA TODAY", but not "IndustrySelect on Tuesday" or "View more posts"."""
    own_name = squashed(site)
    own: list[list[str]] = []
    others: list[Sequence[str]] = []
    for names in declared:
        (own if _names_only(names, own_name) else others).append(list(names))
    for names in chain(author_candidates(tree, others, site), _page_bylines(tree, page, site)):
        yield names if not own or _names_a_person(names, own_name) else []
    yield from own
    # An organization declared as the author (a newsroom's desk) when no person is named.
    yield _jsonld_people(page, organizations=True)
    yield _trafilatura_authors(tree, page, site)
    yield named_people(signed_anywhere(tree), site)


def _page_bylines(tree: Any, page: Page, site: str) -> Iterator[list[str]]:
    yield _without_dates(tree, page, named_people(printed_bylines(tree), site))
    yield [as_printed(name, tree) for name in named_people(linked_bylines(tree), site)]
    yield named_people(labelled_names(tree), site)
    yield [as_printed(name, tree) for name in named_people(headline_author_links(tree), site)]


def _names_only(names: Sequence[str], own_name: str) -> bool:
    """Whether ``names`` name the site (``own_name``, squashed) and nobody else."""
    return bool(own_name and names) and all(squashed(name) == own_name for name in names)


def _names_a_person(names: Sequence[str], own_name: str) -> bool:
    return any(proper_name(name) and own_name not in squashed(name) for name in names)


def _trafilatura_authors(tree: Any, page: Page, site: str) -> list[str]:
    """trafilatura's own byline search (crawler.extract.author_search), when ours found
    nobody."""
    found = trafilatura_author(tree) or ""
    names = named_people(found.split(";"), site) if found else []
    names = [name for name in names if not _commenter(name, tree)]
    return _without_dates(tree, page, [as_printed(name, tree) for name in names])


# The page's texts that hold a name; its own, in an element, not a script's.
_TEXTS_WITH = etree.XPath("//body//text()[contains(., $name)]", smart_strings=True)


def _commenter(name: str, tree: Any) -> bool:
    """Whether the page prints ``name`` only in its comment thread: trafilatura's search
    takes a reader's name from a thread it does not recognise as one ("comment__author" in
    a Drupal "comment-wrapper")."""
    texts = _TEXTS_WITH(tree, name=name)
    return bool(texts) and all(in_comments(text.getparent()) for text in texts)


def _without_dates(tree: Any, page: Page, names: list[str]) -> list[str]:
    """``names`` read from a byline block, without the month of the date printed after them.

    Such a block holds the date beside the name, and a reader that stops at the day keeps
    its month: "Dec" from "Dec. 19, 2025", "Luke Kim December" from "Luke Kim" + "December
    17, 2025". A trailing month that the page prints as the start of a date (a day and a
    year, or a year, after it) is cut off, with what separated it from the name; a name
    that was only a month is dropped."""
    months = month_names(declared_languages(tree, page)) if names else frozenset()
    if not any(_ends_in_month(name, months) for name in names):
        return names  # the page's text is only read when a name may hold a month
    text = squeeze(ALL_TEXT(tree))
    cut = (_without_printed_month(name, months, text) for name in names)
    return [name for name in cut if name]


def _ends_in_month(name: str, months: frozenset[str]) -> bool:
    words = name.split()
    return bool(words) and words[-1].casefold().rstrip(".") in months


def _without_printed_month(name: str, months: frozenset[str], text: str) -> str:
    words = name.split()
    if not _ends_in_month(name, months):
        return name
    printed = r"\W*".join(map(re.escape, words)) + _DAY_AND_YEAR
    if re.search(printed, text) is None:
        return name  # "Theresa May", "Theresa May 5 min read"
    return _TRAILING_MARKS.sub("", " ".join(words[:-1]))


# After a month: "17, 2025", "26th, 2024", ". 19, 2025", " 2025".
_DAY_AND_YEAR = r"\W{0,3}(?:\d{1,2}\w{0,2}\W{1,3})?(?:19|20)\d\d"
_TRAILING_MARKS = re.compile(r"[\W_]+$")  # "Haley Hoekstra •" once "March" is cut


def _jsonld_people(page: Page, organizations: bool) -> list[str]:
    """The JSON-LD authors that are people, or (``organizations``) those that are not,
    but for the publisher itself."""
    publisher = publisher_name(page)
    people = jsonld_people(page.article, page.nodes)
    names = [(declared_text(p.get("name")), _is_organization(p)) for p in people]
    return [n for n, org in names if n and org == organizations and not (org and n == publisher)]


def _is_organization(node: dict[str, Any]) -> bool:
    """Organization or one of its schema.org subtypes (NewsMediaOrganization, Corporation...)."""
    return any(t.endswith("Organization") or t in _ORGANIZATION_TYPES for t in node_types(node))


_ORGANIZATION_TYPES = frozenset({"Corporation", "LocalBusiness", "Brand", "Project"})
