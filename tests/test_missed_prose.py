"""Prose the precise pass drops (lists of long items) is taken back from the recall pass; its
short extras (captions, labels, promo lines) are not, nor is a page's prose elsewhere."""

from __future__ import annotations

import dataclasses

from crawler.extract.article import extract
from crawler.extract.missed_prose import prose_missing, with_missed_prose
from crawler.extract.parse import parse_html
from crawler.extract.rules import RULES

URL = "https://techweekly.example/2026/03/mobile-money-fees/"
PARAGRAPH = (
    "<p>Paragraph {i}: mobile money agents in Kisumu and Nakuru told our reporter how they "
    "adapted to the new tariff, and what it changed for the traders they serve.</p>"
)
ITEM = (
    "<li><strong>{label} {i}:</strong> the regulator's notice asks every operator to publish "
    "its fees, keep its records for seven years and answer complaints within a fortnight.</li>"
)


def page(middle: str = "", after: str = "") -> str:
    """An article whose body sits in a plain <div> (no <article>, no entry-content class),
    where trafilatura's precise pass keeps the paragraphs and drops the lists."""
    paragraphs = [PARAGRAPH.format(i=i) for i in range(6)]
    points = "".join(ITEM.format(label="Point", i=i) for i in range(3))
    steps = "".join(ITEM.format(label="Step", i=i) for i in range(3))
    body = (
        "".join(paragraphs[:3]) + f"<h2>What the notice says</h2><ul>{points}</ul>{middle}"
        + "".join(paragraphs[3:5]) + f"<h2>Next steps</h2><ul>{steps}</ul>" + paragraphs[5]
    )  # fmt: skip
    return f"""<html lang="en"><head><title>Mobile money fees | Tech Weekly</title></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<div class="wrapper"><h1>Mobile money fees</h1><div class="rich-text">{body}</div></div>
{after}<footer><p>© 2026 Tech Weekly</p></footer></body></html>"""


def test_lists_of_long_items_the_precise_pass_drops_come_back_in_place() -> None:
    article = extract(page(), URL)
    assert article is not None
    assert article.text.count("Point") == 3 and article.text.count("Step") == 3
    assert article.text.count("Paragraph") == 6
    text = article.text
    assert text.index("Paragraph 2") < text.index("Point 0") < text.index("Paragraph 3")
    assert text.index("Paragraph 4") < text.index("Step 0") < text.index("Paragraph 5")


def test_without_the_rule_the_lists_are_lost() -> None:
    # What the rule is for: the ablation's baseline on the same page.
    article = extract(page(), URL, dataclasses.replace(RULES, missed_prose=False))
    assert article is not None
    assert "Point" not in article.text and "Step" not in article.text


ABOUT = (
    "<aside>"
    + "<p>Tech Weekly covers the business of technology in East Africa, from mobile money to "
    "start-up funding, with reporters in Nairobi, Kampala and Kigali.</p>" * 3 + "</aside>"
)


def found(html: str, *tags: str) -> list[str]:
    """The texts of the page's ``tags`` elements, as a body found by a pass."""
    return [" ".join(e.text_content().split()) for e in parse_html(html).iter(*tags)]


def test_the_recall_pass_is_asked_when_prose_is_missing_around_the_body() -> None:
    html = page()
    assert prose_missing(parse_html(html), found(html, "p"))  # the lists were dropped


def test_prose_elsewhere_on_the_page_is_no_sign_of_a_miss() -> None:
    html = page(after=ABOUT)
    body = [p for p in found(html, "p", "li") if "Tech Weekly covers" not in p]
    assert not prose_missing(parse_html(html), body)  # the aside is outside the body's region
    assert not prose_missing(parse_html(html), found(html, "p", "li"))  # all found


def test_a_recall_body_that_drops_precise_paragraphs_is_not_used() -> None:
    precise = ["First paragraph of the story, long enough to read as prose, ends here.", "Two."]
    elsewhere = ["Another container's text, a long paragraph of prose " * 10 + "that ends."]
    assert with_missed_prose(precise, lambda: elsewhere) == precise


def test_only_prose_is_added_and_only_enough_of_it() -> None:
    precise = ["A first paragraph."]
    prose = "A missed paragraph of prose that the precise pass dropped, ending a sentence. "
    fuller = ["Label", precise[0], prose * 4, "Read more"]
    assert with_missed_prose(precise, lambda: fuller) == [precise[0], prose * 4]
    # One short missed sentence is not worth a second pass's output.
    assert with_missed_prose(precise, lambda: [precise[0], prose]) == precise


def test_a_precise_paragraph_the_recall_pass_cut_differently_is_held_by_the_longer_one() -> None:
    item = "- Akko switches? The smooth linear ones suit fast typists and gamers alike."
    whole = "- Unsure which you prefer? " + item.removeprefix("- ")
    prose = "A missed paragraph of prose that the precise pass dropped, ending a sentence. "
    fuller = ["Intro paragraph.", whole, prose * 4]
    assert with_missed_prose(["Intro paragraph.", item], lambda: fuller) == fuller
