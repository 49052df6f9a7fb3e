"""Section headings of a body in a container trafilatura does not know (utility or hashed
class names) are put back before the paragraph each heads; headings that head nothing in the
body (sidebar, footer, a "read more" list inside it, the headline again) are not."""

from __future__ import annotations

import dataclasses

from crawler.extract.article import extract
from crawler.extract.rules import RULES

URL = "https://habari.example/2026/05/kenya-data-centres-power/"
HEADLINE = "Kenya's data centres race to secure green power"


def para(topic: str, i: int) -> str:
    return (
        f"<p>{topic} {i}: operators in Nairobi and Mombasa told us how the grid, the new "
        "tariffs and the geothermal projects of the Rift Valley shape where they build next.</p>"
    )


def page(body_class: str = "mx-auto max-w-2xl text-lg leading-8 css-1q2w3e") -> str:
    body = (
        f"<h2>{HEADLINE}</h2>"  # some themes repeat the headline in the body
        + para("Opening", 0) + para("Opening", 1)
        + "<h2>Why geothermal matters</h2>" + para("Geothermal", 0) + para("Geothermal", 1)
        + '<div class="css-9x8y7z"><h3>The Olkaria question</h3></div>'  # a wrapped heading
        + para("Olkaria", 0)
        + '<ul class="css-4r5t6y"><li><h4><a href="/2026/04/solar-farms/">Read more: solar farms'
        " in Garissa</a></h4></li></ul>"
        + para("Olkaria", 1)
        + "<h2>What operators ask for</h2>" + para("Asks", 0) + para("Closing", 0)
    )  # fmt: skip
    return f"""<html lang="en"><head><title>{HEADLINE} | Habari Tech</title></head>
<body><header class="css-head"><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<div class="grid grid-cols-3"><div class="col-span-2"><h1>{HEADLINE}</h1>
<div class="{body_class}">{body}</div></div>
<div class="col-span-1 css-side"><h3>Most read</h3><ul><li><a href="/a">M-Pesa turns 20</a></li>
<li><a href="/b">Safaricom results</a></li></ul>
<h3>Our newsletter</h3><p>Operators in Nairobi and Mombasa read Habari Tech every
morning: subscribe to get the news of the region in your inbox.</p></div></div>
<footer><h4>About us</h4><p>Habari Tech covers the technology business of East Africa from
Nairobi, with correspondents in Kampala, Kigali and Dar es Salaam.</p></footer></body></html>"""


def test_headings_come_back_before_the_paragraphs_they_head() -> None:
    article = extract(page(), URL)
    assert article is not None
    lines = article.text.split("\n\n")
    for heading, first in (
        ("Why geothermal matters", "Geothermal 0"),
        ("The Olkaria question", "Olkaria 0"),
        ("What operators ask for", "Asks 0"),
    ):
        assert heading in lines
        assert lines[lines.index(heading) + 1].startswith(first)


def test_without_the_rule_the_precise_pass_loses_them() -> None:
    # What the rule is for: trafilatura finds no known container and keeps no heading.
    article = extract(page(), URL, dataclasses.replace(RULES, section_headings=False))
    assert article is not None
    assert "Geothermal 0" in article.text
    assert "Why geothermal matters" not in article.text
    assert "The Olkaria question" not in article.text


def test_headings_that_head_nothing_in_the_body_stay_out() -> None:
    text = extract(page(), URL).text  # type: ignore[union-attr]
    for outside in ("Most read", "Our newsletter", "About us", "Read more: solar farms"):
        assert outside not in text
    assert text.count(HEADLINE) == 0  # the headline is the title, not a section


def test_a_known_container_keeps_its_headings_once() -> None:
    article = extract(page(body_class="entry-content"), URL)
    assert article is not None
    assert article.text.count("Why geothermal matters") == 1
    assert article.text.count("The Olkaria question") == 1
