"""A list article names each item in a heading that links to it ("1. Wave", to the app's
site). trafilatura's precise pass drops a heading that is all link, as it would a menu's;
the item headings among the article's prose are kept as text, while a related-posts box (no
prose of its own) and a lone linked call to subscribe are still left to it."""

from __future__ import annotations

from crawler.extract.article import extract
from tests.rule_baselines import without

URL = "https://teknolojia.example/programu-5-za-fedha-kwa-wafanyabiashara/"


APPS = ("M-Pesa Business", "Wave Senegal", "Chipper Cash", "Kuda Bank", "Moniepoint")


def item(number: int, name: str) -> str:
    return (
        f'<h2><a href="https://{name.lower().replace(" ", "")}.example/">{number}. {name}</a></h2>'
        f"<p>{name} inawasaidia wafanyabiashara wadogo wa Dar es Salaam na Arusha kupokea "
        "malipo kwa simu, kutuma ankara na kufuatilia mauzo yao ya kila siku bila benki.</p>"
    )


def page(related: str = "") -> str:
    items = "".join(item(n, name) for n, name in enumerate(APPS, start=1))
    return f"""<html lang="sw"><head><title>Programu 5 za fedha</title></head><body>
<article><h1>Programu 5 za fedha kwa wafanyabiashara</h1><div class="entry-content">
<p>Tumejaribu programu nyingi za malipo mwaka huu, na hizi tano ndizo zilizowasaidia zaidi
wafanyabiashara tuliowahoji katika miji mitatu ya Tanzania.</p>{items}
<h3><a href="/jiandikishe/">Bofya hapa kujiandikisha kwa jarida letu la kila wiki</a></h3>
</div>{related}</article></body></html>"""


RELATED = (
    '<div class="more-stories"><h3><a href="/habari-nyingine-ya-kwanza/">Benki kuu yatoa '
    'kanuni mpya za mikopo ya kidijitali</a></h3><h3><a href="/habari-ya-pili/">Wakulima wa '
    "Mbeya waanza kulipwa kwa simu</a></h3></div>"
)


def test_a_list_articles_item_headings_are_kept_in_order() -> None:
    article = extract(page(), URL)
    assert article is not None
    for number, name in enumerate(APPS, start=1):
        assert f"{number}. {name}" in article.text
    assert article.text.index("2. Wave Senegal") < article.text.index("Wave Senegal inawasaidia")


def test_without_the_rule_the_precise_pass_drops_them() -> None:
    article = extract(page(), URL, without("keep_item_headings"))
    assert article is not None
    assert "1. M-Pesa Business" not in article.text
    assert "M-Pesa Business inawasaidia" in article.text


def test_related_posts_and_a_lone_call_to_subscribe_stay_out() -> None:
    article = extract(page(RELATED), URL)
    assert article is not None
    assert "Benki kuu yatoa kanuni" not in article.text
    assert "Wakulima wa Mbeya" not in article.text
    assert "Bofya hapa kujiandikisha" not in article.text


def builder_page() -> str:
    """The same list as a page builder lays it out (Avada, Elementor, WPBakery): each heading
    in a title box of its own, each paragraph in a text box."""
    items = "".join(
        item(number, name)
        .replace("<h2>", '<div class="fusion-title"><div class="title-wrap"><h2>')
        .replace("</h2>", '</h2></div></div><div class="fusion-text">')
        + "</div>"
        for number, name in enumerate(APPS, start=1)
    )
    return page().replace(page().split('<div class="entry-content">')[1].split("<h3>")[0], items)


def test_item_headings_in_a_page_builders_boxes_are_kept() -> None:
    html = builder_page()
    assert '<div class="title-wrap"><h2><a href="https://kudabank.example/">' in html
    article = extract(html, URL)
    off = extract(html, URL, without("keep_item_headings"))
    assert article is not None and off is not None
    for number, name in enumerate(APPS, start=1):
        assert f"{number}. {name}" in article.text
    assert "4. Kuda Bank" not in off.text
