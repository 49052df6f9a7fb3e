"""The fast precise pass gives exactly what trafilatura's bare_extraction gives.

crawler.extract.fast_pass runs trafilatura's cascade itself to skip two copies; these tests
hold it to bare_extraction's output, so that a trafilatura release that changes its cascade
fails here instead of changing bodies unnoticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import trafilatura
from lxml import etree

from crawler.extract.body import _BALANCED, _FAST, _FAST_RECALL
from crawler.extract.fast_pass import fast_precise_body, handles
from crawler.extract.parse import parse_html

PAGES = sorted((Path(__file__).parent / "fixtures" / "pages").glob("*.html"))

_COMMENTED = """<html><head><title>t</title></head><body><article><h1>Fintech in Lagos</h1>
<p>{prose}</p><p>{prose}</p></article>
<div id="comments" class="comments-area"><h3>3 thoughts on this</h3>
<ol class="comment-list"><li class="comment"><p>Great piece, thanks for writing it.</p></li>
</ol><div id="respond"><h3>Leave a Reply</h3><form><textarea></textarea></form></div></div>
</body></html>"""
_PROSE = "Mobile money agents in Lagos now settle payments in seconds, the operators say. " * 4
# A comment list written as <dl>: trafilatura prunes it after converting tags, and only
# where the page is no forum thread (on a forum the posts are the content); an <ol> comment
# list goes on every page.
_DL_COMMENTS = """<html><head>{ld}</head><body><article><h1>Fintech in Lagos</h1>
<p>{prose}</p><p>{prose}</p><dl class="comments"><dt>Reader said</dt><dd>The agents near my
office still wait a day for their float, it is not seconds at all.</dd></dl>
<ol class="comment-list"><li>Buy followers cheap, visit my profile today for a discount.</li>
</ol></article>
</body></html>"""
_FORUM_LD = """<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "DiscussionForumPosting", "headline": "Help"}
</script>"""
_ARTICLE = _DL_COMMENTS.format(ld="", prose=_PROSE)
# An appended follow-up article in an infinite-scroll container, and share buttons.
_SCROLL = f"""<html><body><article><h1>Fintech in Lagos</h1><p>{_PROSE}</p><p>{_PROSE}</p>
<div class="elementor-share-buttons"><p>Share this story with your friends and colleagues on
every network you use today</p></div>
<div id="infinite-scroll-2"><h2>Next story</h2><p>Solar kiosks in Kisumu sell power by the
hour to shops that never had the grid, and the owners want more of them.</p></div></article>
</body></html>"""
_FORUM = _DL_COMMENTS.format(ld=_FORUM_LD, prose=_PROSE)


def _serialised(body: object) -> bytes | None:
    return None if body is None else etree.tostring(body)


def _bare(tree: object) -> bytes | None:
    return _serialised(getattr(trafilatura.bare_extraction(tree, options=_FAST), "body", None))


@pytest.mark.parametrize("path", PAGES, ids=[p.stem for p in PAGES])
def test_same_body_as_bare_extraction_on_every_fixture_page(path: Path) -> None:
    tree = parse_html(path.read_text(encoding="utf-8"))
    assert _serialised(fast_precise_body(tree, _FAST)) == _bare(tree)


@pytest.mark.parametrize(
    "html",
    [
        _COMMENTED.format(prose=_PROSE),
        _ARTICLE,
        _FORUM,
        _SCROLL,
        "<html><body></body></html>",
    ],
    ids=[
        "comment thread",
        "comment list",
        "forum thread",
        "infinite scroll",
        "empty page",
    ],
)
def test_same_body_on_comments_forums_and_empty_pages(html: str) -> None:
    tree = parse_html(html)
    assert _serialised(fast_precise_body(tree, _FAST)) == _bare(tree)


def _text(html: str) -> str:
    return etree.tostring(
        fast_precise_body(parse_html(html), _FAST), method="text", encoding="unicode"
    )


def test_comments_left_out_but_a_forums_posts_kept() -> None:
    text = _text(_COMMENTED.format(prose=_PROSE))
    assert "Mobile money agents" in text
    assert "Leave a Reply" not in text and "Great piece" not in text
    assert "Reader said" not in _text(_ARTICLE)
    assert "Reader said" in _text(_FORUM)
    assert "Buy followers" not in _text(_FORUM)  # comment lists go, even on a forum


def test_empty_page_gives_none() -> None:
    assert fast_precise_body(parse_html("<html><body></body></html>"), _FAST) is None


def test_the_callers_tree_is_left_as_it_was() -> None:
    tree = parse_html(_COMMENTED.format(prose=_PROSE))
    before = etree.tostring(tree)
    fast_precise_body(tree, _FAST)
    assert etree.tostring(tree) == before


def test_only_fast_precise_options_are_handled() -> None:
    assert handles(_FAST)
    assert not handles(_BALANCED) and not handles(_FAST_RECALL)
    with pytest.raises(ValueError, match="fast and precise"):
        fast_precise_body(parse_html(_FORUM), _BALANCED)


def test_infinite_scroll_and_share_buttons_still_pruned() -> None:
    text = _text(_SCROLL)
    assert "Mobile money agents" in text
    assert "Solar kiosks" not in text and "Share this story" not in text
