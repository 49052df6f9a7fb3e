"""Shortcuts past trafilatura's regular-expression XPaths, on pages where they cannot match.

Each is pinned to the text of the expressions it was read from (crawler.extract.pinned); a
trafilatura release that changes them fails here, so that the patterns are read again."""

from __future__ import annotations

import pytest

from crawler.extract import author_search
from crawler.extract.fast_pass import PRUNES, _Names
from crawler.extract.parse import parse_html
from tests.byline_pages import BODY, authors


def test_every_shortcut_knows_this_trafilaturas_expressions() -> None:
    assert all(prune.pinned for prune in PRUNES)
    assert author_search._SELECTORS_READ


@pytest.mark.parametrize(
    "byline",
    [
        '<div data-component="Byline"><span>Jane Mwangi</span></div>',
        '<span class="screenname">Jane Mwangi</span>',
        '<p class="journalist-name">Jane Mwangi</p>',
        '<span class="username">Jane Mwangi</span>',
        '<p class="BBL">Jane Mwangi</p>',
        '<div class="zuozhe">Jane Mwangi</div>',
    ],
)
def test_bylines_only_trafilaturas_search_finds_are_still_found(byline: str) -> None:
    assert authors(byline) == ["Jane Mwangi"]


def test_a_page_without_author_marks_skips_the_search() -> None:
    unmarked = parse_html(f"<html><body><h1>Lagos</h1><div class='post'>{BODY}</div></body></html>")
    marked = parse_html(f"<html><body><h1>Lagos</h1><div class='byline'>{BODY}</div></body></html>")
    assert not author_search._may_mark_an_author(unmarked)
    assert author_search._may_mark_an_author(marked)


@pytest.mark.parametrize(
    ("ids", "classes", "runs"),
    [
        # What each of trafilatura's expressions tests for, one name at a time.
        (["comments"], [], [False, True, True]),
        (["comol"], [], [False, True, True]),
        (["disqus_thread"], [], [False, True, True]),
        (["dsq-comments"], [], [False, True, True]),
        ([], ["comment-list"], [False, True, True]),
        ([], ["entry post-comments"], [False, True, True]),
        (["mvp-post-add-box"], [], [True, False, False]),
        (["infinite-scroll-2"], [], [True, False, False]),
        ([], ["infinitescroll"], [True, False, False]),
        ([], ["elementor-share-buttons"], [True, False, False]),
        (["commentary"], ["entry-content"], [False, False, False]),  # nothing to prune
    ],
)
def test_a_prune_runs_where_a_name_could_match_it(
    ids: list[str], classes: list[str], runs: list[bool]
) -> None:
    assert [prune._could_select(_Names(ids, classes)) for prune in PRUNES] == runs
