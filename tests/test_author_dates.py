"""trafilatura's byline search (Sankofa's last resort for the author) reads whole byline
blocks and hands back a date printed beside the name, cut at the day: "Dec" for
"Dec. 19, 2025". The month is cut off, in the page's language, when the page prints it as
the start of a date; a month alone is no author. A name that is also a month stays."""

from __future__ import annotations

import pytest

from crawler.extract.local_dates import month_names
from tests.byline_pages import authors


def details(name: str, date: str) -> str:
    return f'<div class="author-details"><p>{name}</p><small>{date}</small></div>'


@pytest.mark.parametrize(
    ("lang", "name", "date"),
    [
        ("en", "Luke Kim", "December 17, 2025"),
        ("en", "Luke Kim", "Nov 26th, 2024"),
        ("fr", "Marie Diallo", "décembre 17, 2025"),
        ("es", "Ana Pérez", "diciembre 17, 2025"),
        ("id", "Budi Santoso", "Desember 2025"),
    ],
)
def test_the_month_of_a_date_beside_the_name_is_cut_off(lang: str, name: str, date: str) -> None:
    assert authors(details(name, date), lang) == [name]


def test_a_month_alone_is_no_author() -> None:
    assert authors('<div class="post-meta author">Dec. 19, 2025 · Niko Matsakis</div>') == []


@pytest.mark.parametrize("after", ["", "5 min read", "May 2025 was a busy month"])
def test_a_name_that_is_also_a_month_stays(after: str) -> None:
    # "May 2025" further on does not follow the whole name: only "Theresa May" + a date
    # right after it would make "May" a date's month.
    assert authors(details("Theresa May", "5 min read") + f"<p>{after}</p>") == ["Theresa May"]


def test_month_names_come_from_dateparser_in_the_page_languages_and_english() -> None:
    names = month_names(["fr-FR"])
    assert {"décembre", "déc", "december", "dec"} <= names
    assert "desember" not in names  # Indonesian: not asked for
    assert month_names(["xx"]) == month_names([])  # an unknown language: English alone
