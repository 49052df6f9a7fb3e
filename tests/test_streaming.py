"""A page streamed in parts (React's streaming, as Next.js sends it) is read as the browser
assembles it: each hidden part at the end of the body moved into its placeholder."""

from __future__ import annotations

import dataclasses

from crawler.extract.article import extract
from crawler.extract.parse import parse_html
from crawler.extract.rules import RULES
from crawler.extract.streaming import has_streamed_parts, place_streamed_parts

URL = "https://habari.example/2026/05/fintech-kenya/"
SENTENCE = (
    "Paragraph {i}: fintech lenders in Nairobi and Mombasa told our reporter how the new rules "
    "on digital credit changed the loans they offer to traders, farmers and boda boda riders."
)


def _paragraphs(first: int, count: int) -> str:
    return "".join(f"<p>{SENTENCE.format(i=i)}</p>" for i in range(first, first + count))


def streamed_page(scripts: bool = True, around_slots: str = "div") -> str:
    """An article whose body comes in 6 parts of 2 paragraphs, streamed after the shell;
    part 2 streams a placeholder of its own, which part 7 fills."""
    slots = "".join(
        f'<template id="B:{n}"></template><div>Loading paragraph...</div>' for n in range(6)
    )
    # Parts arrive as the server finishes them, not in reading order.
    parts = "".join(
        f'<div hidden id="S:{n}">{_paragraphs(2 * n, 2)}'
        + ('<template id="P:7"></template>' if n == 2 else "")
        + "</div>"
        + (f'<script>$RC("B:{n}","S:{n}")</script>' if scripts else "")
        for n in (3, 0, 5, 1, 4, 2)
    )
    nested = f'<div hidden id="S:7">{_paragraphs(12, 1)}</div>'
    nested += '<script>$RS("S:7","P:7")</script>' if scripts else ""
    return f"""<html lang="en"><head><title>Digital credit in Kenya | Habari</title></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><h1>Digital credit in Kenya</h1><{around_slots} class="article-body">{slots}
</{around_slots}></main><footer><p>© 2026 Habari</p></footer>{parts}{nested}</body></html>"""


# Reading order: part 2 (paragraphs 4 and 5) ends with the placeholder part 7 fills.
READING_ORDER = [0, 1, 2, 3, 4, 5, 12, 6, 7, 8, 9, 10, 11]


def test_the_parts_are_read_in_place_and_in_order() -> None:
    article = extract(streamed_page(), URL)
    assert article is not None
    positions = [article.text.find(f"Paragraph {i}:") for i in READING_ORDER]
    assert -1 not in positions and positions == sorted(positions)
    assert "Loading" not in article.text


def test_without_the_rule_the_parts_are_read_as_they_arrived() -> None:
    # What the rule is for: the ablation's baseline on the same page.
    rules = dataclasses.replace(RULES, place_streamed_parts=False)
    article = extract(streamed_page(), URL, rules)
    assert article is not None
    positions = [article.text.find(f"Paragraph {i}:") for i in READING_ORDER]
    assert -1 in positions or positions != sorted(positions)


def test_parts_the_scripts_do_not_name_go_to_the_placeholder_of_their_number() -> None:
    tree = parse_html(streamed_page(scripts=False))
    assert has_streamed_parts(tree)
    assert place_streamed_parts(tree) == 7
    assert not has_streamed_parts(tree)
    body = tree.find(".//main")
    text = " ".join(body.text_content().split())
    assert all(f"Paragraph {i}:" in text for i in range(13))
    assert tree.find(".//template") is None


def test_the_scripts_pairing_wins_over_the_numbers() -> None:
    html = """<html><body><main><template id="B:0"></template><p>x</p>
<section><template id="B:1"></template></section></main>
<div hidden id="S:0"><p>first part</p></div><script>$RC("B:1","S:0")</script></body></html>"""
    tree = parse_html(html)
    place_streamed_parts(tree)
    assert tree.find(".//section/p").text == "first part"
    assert tree.find(".//template[@id='B:0']") is not None


def test_a_part_placed_where_trafilatura_sees_comments_is_read_as_sent() -> None:
    # In place, the body lands in a box trafilatura prunes as comments ("comment..." class):
    # the reading that finds the longer body wins, so the article is not lost.
    page = streamed_page().replace(
        '<main><h1>Digital credit in Kenya</h1><div class="article-body">',
        '<main><h1>Digital credit in Kenya</h1><div class="commentOnSelection">',
    )
    article = extract(page, URL)
    assert article is not None
    assert all(f"Paragraph {i}:" in article.text for i in range(13))


def test_a_page_that_was_not_streamed_is_left_alone() -> None:
    tree = parse_html(f"<html><body><main>{_paragraphs(0, 3)}</main></body></html>")
    assert not has_streamed_parts(tree)
    assert place_streamed_parts(tree) == 0
