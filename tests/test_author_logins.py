"""Bylines that are no printed name: a script's empty value or a CMS's default account
("admin") is never an author; a login or a template's key path ("jane.doe",
"page.head.extra.author") gives way to a name another source reads, and is kept when it is
all the page says (a doubtful author beats a lost one)."""

from __future__ import annotations

from collections.abc import Iterator

from crawler.extract.article import extract
from crawler.extract.bylines import prefer_named
from tests.byline_pages import BODY, URL

BYLINE = '<div class="byline"><span class="author">By Amina Okafor</span></div>'


def _authors(meta_author: str, byline: str = "") -> list[str]:
    html = f"""<html lang="en"><head><title>Agents and tariffs</title>
<meta name="author" content="{meta_author}"></head><body><div class="wrap">
<h1>Agents and tariffs</h1>{byline}<div class="content">{BODY}</div></div></body></html>"""
    article = extract(html, URL)
    assert article is not None
    return article.authors


def test_a_scripts_empty_value_is_no_author() -> None:
    assert _authors("undefined") == []
    assert _authors("undefined undefined") == []  # a first and a last name, both unfilled
    assert _authors("Null") == []
    assert _authors("[object Object]", BYLINE) == ["Amina Okafor"]


def test_the_account_a_cms_creates_is_no_author() -> None:
    assert _authors("admin") == []
    assert _authors("Webmaster") == []
    assert _authors("Site Administrator", BYLINE) == ["Amina Okafor"]
    assert _authors("Admin Okafor") == ["Admin Okafor"]  # a name that merely starts so


def test_a_template_key_gives_way_to_the_printed_byline() -> None:
    assert _authors("page.head.extra.author", BYLINE) == ["Amina Okafor"]


def test_a_login_gives_way_to_a_name() -> None:
    assert _authors("amina.okafor", BYLINE) == ["Amina Okafor"]


def test_a_login_is_kept_when_nothing_else_names_the_author() -> None:
    assert _authors("amina.okafor") == ["amina.okafor"]


def test_a_name_is_kept_before_any_later_source_is_read() -> None:
    read: list[str] = []

    def sources() -> Iterator[list[str]]:
        for names in (["jane.doe"], ["Jane Doe"], ["never read"]):
            read.append(names[0])
            yield names

    assert prefer_named(sources()) == ["Jane Doe"]
    assert read == ["jane.doe", "Jane Doe"]


def test_names_beside_a_login_are_kept_whole() -> None:
    assert prefer_named(iter([["Jane Doe", "j.roe"], ["Other Name"]])) == ["Jane Doe", "j.roe"]
    assert prefer_named(iter([[], ["j.roe"], []])) == ["j.roe"]
