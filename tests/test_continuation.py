"""Bodies split over sibling containers come out whole; teaser cards are not joined."""

from __future__ import annotations

from crawler.extract.article import extract
from crawler.extract.continuation import is_prose

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


def elementor_page(between: str) -> str:
    """A body in Elementor text widgets, ``between`` its two halves, in one container."""
    halves = [
        '<div class="elementor-widget-text-editor"><div class="elementor-widget-container">'
        + "".join(part.format(i=i) for i in range(4))
        + "</div></div>"
        for part in (PART_ONE, PART_TWO)
    ]
    return f"""<html lang="en"><head><title>Fintech money in Nairobi | Tech Weekly</title>
<meta property="og:type" content="article"></head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><div class="elementor"><div class="e-con"><div class="e-con-inner">
<div class="elementor-widget-heading"><h1>Fintech money in Nairobi</h1></div>
<p class="byline">By Jane Wanjiru</p>{halves[0]}{between}{halves[1]}</div></div></div></main>
<footer><p>© 2024 Tech Weekly</p></footer></body></html>"""


def test_a_sign_up_box_a_page_builder_named_goes_with_its_form() -> None:
    """Only the form says what the box is (an e-mail field); its heading and pitch sit in
    containers a page builder named (Elementor's e-con, widget-heading): they go with it."""
    pitch = "Cadastre seu e-mail e receba gratuitamente nosso guia de precificação."
    box = (
        '<div class="e-con e-parent"><div class="e-con-inner">'
        '<div class="elementor-widget-heading"><h3>Receba dicas toda semana</h3></div>'
        f'<div class="elementor-widget-text-editor"><p>{pitch}</p></div>'
        '<div class="elementor-widget-form"><form><input type="email" name="email">'
        "<button>Quero receber</button></form></div></div></div>"
    )
    article = extract(elementor_page(box), URL)
    assert article is not None
    assert article.text.count("Part one") == 4 and article.text.count("Part two") == 4
    assert pitch not in article.text and "Receba dicas" not in article.text


def test_a_form_inside_the_body_takes_no_paragraph_of_it_along() -> None:
    """The box stops below any container holding more than a short pitch: a form placed
    among the body's paragraphs goes alone."""
    form = '<form><input type="email" name="email"><button>Subscribe</button></form>'
    body = "".join(PART_TWO.format(i=i) for i in range(4))
    article = extract(page(f'<div class="entry-content">{form}{body}</div>', ""), URL)
    assert article is not None
    assert article.text.count("Part one") == 4 and article.text.count("Part two") == 4


def test_teaser_cards_of_the_same_class_are_not_joined() -> None:
    card = (
        '<div class="entry-content"><h3><a href="/2024/05/other-{i}/">Other story {i}</a></h3>'
        + "".join(PART_TWO.format(i=i) for i in range(2))
        + "</div>"
    )
    article = extract(page("", "".join(card.format(i=i) for i in range(2))), URL)
    assert article is not None
    assert "Part two" not in article.text and article.text.count("Part one") == 4


def test_a_continuation_that_opens_with_its_sections_title_is_joined() -> None:
    # Drupal's body field, then a Paragraphs field of the same "field" class whose first
    # text is a section's <h2>; inside it, a quote (its <p> read once, with it) and a "read
    # also" box whose label heads links, not text.
    second = (
        '<div class="field field--name-field-paragraphs"><h2>What regulators plan</h2>'
        + PART_TWO.format(i=0)
        + '<div class="related"><h3>Read also</h3><div><a href="/x">Other story</a></div></div>'
        + "<blockquote><p>Part two, a quote: we will license digital lenders this year, and"
        " we expect the market to consolidate.</p></blockquote>"
        + PART_TWO.format(i=1) + "</div>"
    )  # fmt: skip
    html = page("", second).replace(
        'class="entry-content"', 'class="text-content field field--name-body"'
    )
    article = extract(html, URL)
    assert article is not None
    text = article.text
    assert text.count("Part one") == 4 and "Part two, paragraph 1" in text
    assert text.index("What regulators plan") < text.index("Part two, paragraph 0")
    assert text.count("we will license digital lenders") == 1
    assert "Read also" not in text


def test_a_labelled_box_of_teasers_after_the_body_is_not_joined() -> None:
    teaser = '<article class="post"><p>{p}</p></article>'
    box = (
        '<div class="entry-content"><h3>You may also like</h3>'
        + "".join(teaser.format(p=PART_TWO.format(i=i)[3:-4]) for i in range(3))
        + "</div>"
    )
    article = extract(page("", box), URL)
    assert article is not None
    assert "Part two" not in article.text and "You may also like" not in article.text


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


def test_a_brief_sharing_its_container_with_a_sign_up_form_stays() -> None:
    brief = (
        "<p>Safaricom cut M-Pesa fees for transfers under 100 shillings on Monday, the "
        "second cut this year, after the central bank asked operators to lower what small "
        "traders pay to move money.</p>"
    )
    form = '<form><input type="email" name="email"><button>Subscribe</button></form>'
    html = f"""<html lang="en"><head><title>M-Pesa fees cut | Tech Weekly</title>
<meta property="og:type" content="article"></head><body><main><article>
<h1>Safaricom cuts M-Pesa fees again</h1><div class="entry-content"><div class="post-body">
{brief}<div class="signup">{form}</div></div></div></article></main></body></html>"""
    article = extract(html, URL)
    assert article is not None
    assert "second cut this year" in article.text


def test_a_prompt_to_follow_the_publication_leaves_the_body() -> None:
    """A line inside the body that links to the site's WhatsApp channel or Google News page
    (Indonesian and Indian newsrooms print one in every story)."""
    prompt = (
        "Simak breaking news dan berita pilihan kami langsung di ponselmu. Pilih saluran "
        'andalanmu: <a href="https://www.whatsapp.com/channel/0029VaTechWeekly">WhatsApp '
        "Channel Tech Weekly</a>. Pastikan kamu sudah install aplikasi WhatsApp ya."
    )
    body = "".join(PART_TWO.format(i=i) for i in range(2))
    first = "".join(PART_TWO.format(i=i) for i in range(2, 4))
    html = f"""<html lang="id"><head><title>Fintech | Tech Weekly</title></head><body><main>
<article><h1>Fintech money in Nairobi</h1><div class="read__content">{body}<p>{prompt}</p>
{first}</div></article></main></body></html>"""
    article = extract(html, URL)
    assert article is not None
    assert article.text.count("Part two") == 4
    assert "Simak breaking news" not in article.text


def test_prose_ends_with_its_scripts_own_full_stop() -> None:
    """Urdu's "۔", Burmese "။" and Khmer "។" end sentences as "." does."""
    for stop in ("۔", "။", "។"):
        assert is_prose("ن" * 90 + stop)
    assert not is_prose("ن" * 90)
