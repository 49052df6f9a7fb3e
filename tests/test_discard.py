"""crawler.extract.discard: trafilatura's OVERALL_DISCARD prune with its tests in Python finds
the elements the expressions find, in their order, and prunes the tree as trafilatura does."""

from __future__ import annotations

from copy import deepcopy
from pathlib import Path

import pytest
import trafilatura
import trafilatura.external
import trafilatura.main_extractor
from lxml import etree
from trafilatura.htmlprocessing import prune_unwanted_nodes
from trafilatura.xpaths import OVERALL_DISCARD_XPATH

import crawler.extract.body  # noqa: F401  (installs the prune, as extraction does)
from crawler.extract import discard
from crawler.extract.pinned import digest

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "pages").glob("*.html"))

# Attribute order decides what a union such as @id|@class reads (its first attribute), and
# each test of either expression is exercised once.
EDGE_CASES = """<html><body><div>
<div class="x cookie" id="a1">class first, cookie</div>
<div id="cookiebar" class="zz">id first, cookie</div>
<div id="zz" class="cookie">id first, no cookie in it: kept</div>
<p role="Navigation">role, capital N</p>
<span data-component="MostPopularStories-list">component</span>
<section data-lp-replacement-content="">replacement</section>
<div id="main-menu">menu id</div>
<div class="site-footer">footer class</div>
<article class="site-footer">not one of the first expression's tags</article>
<div class="comments-title">comments title</div>
<div style="color: red" id="hidden-box">style first, no 'hidden' in it</div>
<div id="hidden-box" style="color: red">id first, hidden</div>
<div class="reply-to">reply class</div>
<div style="display: none">invisible</div>
<div id="akismet-x">akismet id</div>
<div class="post noprint">noprint</div>
<div aria-hidden="true">aria hidden</div>
<div class="ok" id="ok" style="margin: 0">nothing to discard</div>
</div></body></html>"""


def xpath_selection(tree: etree._Element) -> list[etree._Element]:
    return [element for expression in OVERALL_DISCARD_XPATH for element in expression(tree)]


def test_the_expressions_are_the_ones_the_tests_were_read_from() -> None:
    assert digest(OVERALL_DISCARD_XPATH) == discard.WRITTEN_FOR
    text = "\n".join(expression.path for expression in OVERALL_DISCARD_XPATH)
    for pattern in (
        discard._COOKIE,
        discard._NAV_ID,
        discard._NAV_CLASS,
        discard._HIDDEN,
        discard._HIDDEN_ID,
        discard._HIDDEN_CLASS,
    ):
        assert f"'{pattern.pattern}'" in text


def test_edge_cases_select_what_the_expressions_select() -> None:
    tree = trafilatura.load_html(EDGE_CASES)
    found = discard.discarded(tree)
    assert found == xpath_selection(tree)
    kept = {
        "id first, no cookie in it: kept",
        "not one of the first expression's tags",
        "style first, no 'hidden' in it",
        "nothing to discard",
    }
    texts = {element.text for element in tree.iter("div", "p", "span", "section", "article")}
    assert {element.text for element in found} == texts - kept - {"\n"}


@pytest.mark.parametrize("page", FIXTURES, ids=[page.stem for page in FIXTURES])
def test_every_fixture_page_selects_the_same(page: Path) -> None:
    tree = trafilatura.load_html(page.read_text("utf-8", errors="replace"))
    assert discard.discarded(tree) == xpath_selection(tree)


@pytest.mark.parametrize("with_backup", [False, True])
def test_the_prune_leaves_the_tree_trafilatura_leaves(with_backup: bool) -> None:
    for page in FIXTURES[::10]:
        tree = trafilatura.load_html(page.read_text("utf-8", errors="replace"))
        ours, theirs = deepcopy(tree), deepcopy(tree)
        discard._prune(ours, OVERALL_DISCARD_XPATH, with_backup)
        prune_unwanted_nodes(theirs, OVERALL_DISCARD_XPATH, with_backup)
        assert etree.tostring(ours) == etree.tostring(theirs), page.name


def test_trafilatura_prunes_with_it_and_other_lists_go_through() -> None:
    assert trafilatura.main_extractor.prune_unwanted_nodes is discard._prune
    tree = trafilatura.load_html("<html><body><div class='a'>x</div><p>y</p></body></html>")
    other = [etree.XPath(".//div")]
    assert discard._prune(tree, other).find(".//div") is None


def test_other_expressions_keep_trafilatura_s_own_prune(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discard, "WRITTEN_FOR", "0" * 16)
    monkeypatch.setattr(trafilatura.main_extractor, "prune_unwanted_nodes", prune_unwanted_nodes)
    discard.use_fast_discard()
    assert trafilatura.main_extractor.prune_unwanted_nodes is prune_unwanted_nodes


def test_benchmarks_can_time_trafilatura_as_released() -> None:
    with discard.trafilatura_as_shipped():
        assert trafilatura.main_extractor.prune_unwanted_nodes is prune_unwanted_nodes
        assert trafilatura.external.prune_unwanted_nodes is prune_unwanted_nodes
    assert trafilatura.main_extractor.prune_unwanted_nodes is discard._prune


def test_installing_twice_changes_nothing() -> None:
    discard.use_fast_discard()
    assert trafilatura.main_extractor.prune_unwanted_nodes is discard._prune
