"""Bodies split over sibling containers come out whole; teaser cards are not joined."""

from __future__ import annotations

from crawler.extract.article import extract

URL = "https://techweekly.example/2024/05/fintech-money-nairobi/"
PART_ONE = (
    "<p>Part one, paragraph {i}: Nairobi's fintech startups raised more money this quarter "
    "than in any quarter before, investors say, as mobile lending grows in the region.</p>"
)
PART_TWO = (
    "<p>Part two, paragraph {i}: regulators in Kenya and Uganda are drafting rules for digital "
    "lenders, and founders expect the new licences to reshape the market next year.</p>"
)


def page(between: str, second: str) -> str:
    first = "".join(PART_ONE.format(i=i) for i in range(4))
    return f"""<html lang="en"><head><title>Fintech money in Nairobi | Tech Weekly</title>
<meta property="og:type" content="article"></head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><article><h1>Fintech money in Nairobi</h1><p class="byline">By Jane Wanjiru</p>
<div class="entry-content">{first}</div>{between}{second}</article></main>
<footer><p>© 2024 Tech Weekly</p></footer></body></html>"""


def test_a_body_cut_by_an_ad_and_a_newsletter_box_comes_out_whole() -> None:
    second = '<div class="entry-content">' + "".join(PART_TWO.format(i=i) for i in range(4))
    between = (
        '<div class="ad-slot"><a href="/ads">Advertisement</a></div>'
        '<aside class="newsletter"><p>Sign up for our newsletter</p>'
        '<form><input type="email"></form></aside>'
    )
    article = extract(page(between, second + "</div>"), URL)
    assert article is not None
    assert article.text.count("Part one") == 4 and article.text.count("Part two") == 4
    assert article.text.index("Part one, paragraph 3") < article.text.index("Part two, paragraph 0")
    assert "newsletter" not in article.text


def test_teaser_cards_of_the_same_class_are_not_joined() -> None:
    card = (
        '<div class="entry-content"><h3><a href="/2024/05/other-{i}/">Other story {i}</a></h3>'
        + "".join(PART_TWO.format(i=i) for i in range(2))
        + "</div>"
    )
    article = extract(page("", "".join(card.format(i=i) for i in range(2))), URL)
    assert article is not None
    assert "Part two" not in article.text and article.text.count("Part one") == 4
