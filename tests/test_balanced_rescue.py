"""When the precise pass keeps little of the page (here the episode notes of a podcast page,
whose transcript sits outside <article>), the balanced pass is asked and its larger body
wins. It is asked only when the rest of the page holds text it could find: not when that
text sits in what trafilatura's cleaning deletes first (navigation, asides, footers)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

import crawler.extract.body as body
from crawler.extract.article import extract
from crawler.extract.rules import RULES

URL = "https://techweekly.example/2026/03/episode-12-agents-and-tariffs/"
# Over 500 characters, so that the short-body fallbacks leave the precise pass's pick alone.
NOTES = "".join(
    f"<p>Note {i}: in this episode a mobile money agent in Kisumu tells us how the new tariff "
    "changed her week, and what her customers now ask first.</p>"
    for i in range(6)
)
LINE = (
    "<p>Line {i}: we asked the agents what changed for the traders they serve, and each of "
    "them answered with a story about a customer who now pays school fees by phone.</p>"
)


def page(rest: str) -> str:
    return f"""<html lang="en"><head><title>Episode 12 | Tech Weekly</title></head>
<body><div class="wrapper"><main><article><h1>Episode 12: agents and tariffs</h1>{NOTES}
</article>{rest}</main></div></body></html>"""


def lines(count: int = 40) -> str:
    return "".join(LINE.format(i=i) for i in range(count))


@pytest.fixture
def passes(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The trafilatura option sets body extraction ran with, in order."""
    asked: list[Any] = []
    original = body._trafilatura_body

    def spy(tree: Any, options: Any) -> Any:
        asked.append(options)
        return original(tree, options)

    monkeypatch.setattr(body, "_trafilatura_body", spy)
    return asked


def test_a_transcript_outside_the_article_is_rescued_by_the_balanced_pass(
    passes: list[Any],
) -> None:
    html = page(f'<div class="transcript"><h2>Transcript</h2>{lines()}</div>')
    article = extract(html, URL)
    assert body._BALANCED in passes
    assert article is not None and "Line 39: we asked the agents" in article.text
    without = extract(html, URL, dataclasses.replace(RULES, balanced_rescue=False))
    assert without is not None and "Line 0:" not in without.text  # the precise pass's pick


@pytest.mark.parametrize("container", ["aside", "nav", "footer"])
def test_text_trafilatura_cleans_away_does_not_ask_for_the_balanced_pass(
    passes: list[Any], container: str
) -> None:
    article = extract(page(f"<{container}>{lines()}</{container}>"), URL)
    assert passes and body._BALANCED not in passes
    assert article is not None and "Note 5: in this episode" in article.text
    assert "Line 0:" not in article.text


def test_nested_cleaned_elements_are_counted_once(passes: list[Any]) -> None:
    # An aside inside a footer: counting it twice would make the page's readable text look
    # smaller than it is, and keep the balanced pass from a page it could rescue.
    rest = f"<footer><aside>{lines(12)}</aside></footer><div>{lines(24)}</div>"
    extract(page(rest), URL)
    assert body._BALANCED in passes


def test_text_in_a_form_still_counts(passes: list[Any]) -> None:
    # ASP.NET pages wrap the whole body in one <form>, which trafilatura keeps when it holds
    # the content: leaving forms out of the page's text would never ask for a rescue there.
    article = extract(page(f'<form id="aspnetForm"><div>{lines()}</div></form>'), URL)
    assert body._BALANCED in passes
    assert article is not None and "Line 39: we asked the agents" in article.text
