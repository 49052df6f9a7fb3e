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


OPENING = (
    "<p>Opening, paragraph {i}: a Maputo startup lets market vendors take mobile payments with "
    "a printed code, and two hundred stalls signed up in the first month of the pilot.</p>"
)


def k2_page(intro: str) -> str:
    """Joomla K2's item: the opening in .itemIntroText, the rest in .itemFullText after it."""
    rest = "".join(PART_TWO.format(i=i) for i in range(6))
    return f"""<html lang="en"><head><title>Vendors go digital | Tech Weekly</title></head>
<body><div id="k2Container" class="itemView"><h2 class="itemTitle">Vendors go digital</h2>
<div class="itemBody"><div class="itemIntroText">{intro}</div>
<div class="itemFullText">{rest}</div></div>
<div class="itemLinks"><a href="/tags/fintech">fintech</a></div></div></body></html>"""


def test_an_opening_kept_in_its_own_container_before_the_body_leads_it() -> None:
    article = extract(k2_page("".join(OPENING.format(i=i) for i in range(2))), URL)
    assert article is not None
    assert article.text.startswith("Opening, paragraph 0")
    assert "Opening, paragraph 1" in article.text
    assert article.text.count("Part two") == 6


def test_a_one_paragraph_standfirst_before_the_body_is_not_taken_as_its_opening() -> None:
    standfirst = (
        "<p>Why two hundred vendors in Maputo's biggest markets switched from cash to a "
        "printed payment code this year.</p>"
    )
    article = extract(k2_page(standfirst), URL)
    assert article is not None and "printed payment code" not in article.text
