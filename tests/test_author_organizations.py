"""An organization declared as a page's author (a newsroom's desk) is no person: a byline
the page prints comes first, and the publisher itself is never an author."""

from __future__ import annotations

import json

from crawler.extract.article import extract
from tests.byline_pages import BODY, URL


def authors(declared_author: dict[str, str], byline: str = "") -> list[str]:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Agents and tariffs",
        "author": declared_author,
        "publisher": {"@type": "NewsMediaOrganization", "name": "Tech Weekly"},
    }
    html = f"""<html lang="en"><head><title>Agents and tariffs</title>
<script type="application/ld+json">{json.dumps(data)}</script></head><body><div class="wrap">
<h1>Agents and tariffs</h1>{byline}<div class="content">{BODY}</div></div></body></html>"""
    article = extract(html, URL)
    assert article is not None
    return article.authors


def test_a_printed_byline_comes_before_a_declared_organization() -> None:
    desk = {"@type": "NewsMediaOrganization", "name": "Tech Weekly Business Desk"}
    assert authors(desk, "<p>By Amina Odhiambo</p>") == ["Amina Odhiambo"]


def test_a_declared_organization_serves_when_no_person_is_named() -> None:
    desk = {"@type": "NewsMediaOrganization", "name": "Tech Weekly Business Desk"}
    assert authors(desk) == ["Tech Weekly Business Desk"]


def test_the_publisher_declared_as_author_is_no_author() -> None:
    assert authors({"@type": "NewsMediaOrganization", "name": "Tech Weekly"}) == []


def test_a_declared_person_comes_first() -> None:
    person = {"@type": "Person", "name": "Amina Odhiambo"}
    assert authors(person, "<p>By Someone Else</p>") == ["Amina Odhiambo"]


def _site_as_author(site: str, after_headline: str) -> list[str]:
    """A page whose metadata names the site itself as the author (Squarespace, newsroom
    CMSs), with ``after_headline`` printed under the headline."""
    html = f"""<html lang="en"><head><title>Agents and tariffs</title>
<meta property="og:site_name" content="{site}"><meta name="author" content="{site}">
</head><body><div class="wrap"><h1>Agents and tariffs</h1>{after_headline}
<div class="content">{BODY}</div></div></body></html>"""
    article = extract(html, URL)
    assert article is not None
    return article.authors


def test_a_printed_byline_comes_before_the_site_declared_as_author() -> None:
    assert _site_as_author("Bazaar Weekly", "<p>By Anuradha Mishra</p>") == ["Anuradha Mishra"]
    linked = '<div class="author"><a href="/author/anuradha-mishra">Anuradha Mishra</a></div>'
    assert _site_as_author("Bazaar Weekly", linked) == ["Anuradha Mishra"]


def test_the_site_declared_as_author_stays_when_no_person_is_printed() -> None:
    assert _site_as_author("Bazaar Weekly", "") == ["Bazaar Weekly"]
    # A link label and the site's own name with a day are no person.
    label = '<a rel="author" href="/about">View more posts</a>'
    assert _site_as_author("Bazaar Weekly", label) == ["Bazaar Weekly"]
    assert _site_as_author("Bazaar Weekly", "<p>By Bazaar Weekly on Tuesday</p>") == [
        "Bazaar Weekly"
    ]


def test_a_personal_blog_named_for_its_author_keeps_the_name() -> None:
    assert _site_as_author("Damien Walter", "<p>By Damien Walter</p>") == ["Damien Walter"]
