"""A name read from a whole byline block is cut to the words the page prints apart: the
block joins the name with a role or a label ("Rachel MacDonald" + "Writer")."""

from __future__ import annotations

import pytest

from tests.byline_pages import authors


@pytest.mark.parametrize(
    ("byline", "name"),
    [
        ('<div class="byline"><span class="author">By <a href="/a/kb">Keith Barry</a> '
         "<span>Senior Autos Reporter</span></span></div>", "Keith Barry"),
        ('<div class="author"><span>Authors</span> <a href="/a/ar">Aniruddha Roy</a></div>',
         "Aniruddha Roy"),
        ('<div class="author-card"><a href="/a/rm">Rachel MacDonald</a> <span>Writer</span>'
         "</div>", "Rachel MacDonald"),
        ('<div class="post-author"><span>Mateusz Haberny</span> <span>Founder</span></div>',
         "Mateusz Haberny"),
        # The label stands apart too, and comes first: it is no name.
        ('<div class="author">Recipe by <a href="/a/pj">PJ Hamel</a></div>', "PJ Hamel"),
    ],
    ids=["role after the name", "label before the name", "one-word role", "founder",
         "label ending in by"],
)  # fmt: skip
def test_the_name_as_printed_apart(byline: str, name: str) -> None:
    assert authors(byline) == [name]


def test_a_name_printed_whole_stays_whole() -> None:
    byline = '<div class="byline"><span class="author">By Mary Jane Watson</span></div>'
    assert authors(byline) == ["Mary Jane Watson"]


def test_a_role_printed_apart_is_not_taken_for_the_name() -> None:
    # Only the role stands alone: the name keeps its words rather than become "Staff Writer".
    byline = '<div class="author-card">HomeAdvisor <span>Staff Writer</span></div>'
    assert authors(byline) != ["Staff Writer"]
