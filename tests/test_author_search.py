"""Sankofa's copy of trafilatura's byline search answers as trafilatura's own does: on every
fixture page, and on the cases its shortcut handles apart (a byline holding something
trafilatura deletes first, bylines inside deleted boxes, a selector's text too long)."""

from __future__ import annotations

from pathlib import Path

import pytest
from trafilatura.metadata import extract_author

from crawler.extract import author_search
from crawler.extract.author_search import trafilatura_author
from crawler.extract.parse import parse_html

PAGES = sorted((Path(__file__).parent / "fixtures" / "pages").glob("*.html"))


def test_the_shortcut_knows_this_trafilaturas_expressions() -> None:
    assert author_search._READ


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.stem)
def test_same_answer_on_every_fixture_page(path: Path) -> None:
    tree = parse_html(path.read_text("utf-8"))
    assert trafilatura_author(tree) == extract_author(tree)


LONG = "word " * 30


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        # A byline holding a <time>: trafilatura's copy loses it, its tail joins the name.
        ('<div class="author-meta">By <b>Jane</b><time>May 5</time>Mwangi</div>', "Jane Mwangi"),
        ('<p class="byline">Kofi<figure><img src="x"></figure> Mensah</p>', "Kofi Mensah"),
        # Inside what the copy deletes: the next candidate answers.
        ('<div id="comments"><span class="author">Troll</span></div>'
         '<span class="author">Amina Yusuf</span>', "Amina Yusuf"),
        ('<aside class="sidebar"><a rel="author">Ad</a></aside><a rel="author">Ama Owusu</a>',
         "Ama Owusu"),
        # Too long for a byline: the next one.
        (f'<div class="author">{LONG}</div><div class="writer">Ngozi Eze</div>', "Ngozi Eze"),
        # The three expressions in their order: specific before generic before last resort.
        ('<div class="post-writer">Last Resort</div><span class="username">Generic One</span>'
         '<span itemprop="author name">Specific One</span>', "Specific One"),
        ('<div data-component="Byline"><span>Lindiwe Dube</span></div>', "Lindiwe Dube"),
        ("<author>Thabo Nkosi</author>", "Thabo Nkosi"),
        # A <rel> child: trafilatura's own search runs.
        ('<span><rel>me</rel>Chidi Okafor</span>', "Me Chidi Okafor"),
        ('<div class="content">No byline here.</div>', None),
    ],
)  # fmt: skip
def test_same_answer_where_the_shortcut_works_apart(markup: str, expected: str | None) -> None:
    tree = parse_html(f"<html><body><h1>Title</h1>{markup}<p>Body.</p></body></html>")
    assert extract_author(tree) == expected
    assert trafilatura_author(tree) == expected
