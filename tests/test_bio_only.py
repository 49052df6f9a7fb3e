"""The author bio is the biography only: no heading, name line, "view all posts", social
links or follower counts, in the languages the sources publish in."""

from __future__ import annotations

from typing import Any

import pytest

from crawler.extract.article import extract

# (lang, heading, name, biography, view-all link, followers, articles count)
BOXES = [
    ("fr", "À propos de l'auteur", "Awa Koné",
     "Awa Koné est journaliste économique à Abidjan. Elle couvre la fintech et le mobile money "
     "en Afrique de l'Ouest depuis dix ans.", "Voir tous les articles de Awa Koné",
     "1 234 abonnés", "142 articles"),
    ("pt", "Sobre o autor", "Ana Souza",
     "Ana Souza é repórter de tecnologia em Recife e escreve sobre startups, crédito e "
     "inclusão financeira no Nordeste.", "Ver todos os posts de Ana Souza", "2.300 seguidores",
     "87 artigos"),
    ("es", "Sobre el autor", "Luis Pérez",
     "Luis Pérez es periodista en Bogotá y cubre comercio electrónico, pagos digitales y "
     "emprendimiento en América Latina.", "Ver todos los artículos de Luis Pérez",
     "980 seguidores", "56 artículos"),
    ("id", "Tentang Penulis", "Budi Santoso",
     "Budi Santoso adalah wartawan teknologi di Bandung yang meliput UMKM, pembayaran digital "
     "dan ekonomi kreatif.", "Lihat semua tulisan Budi Santoso", "2,5 rb pengikut",
     "310 tulisan"),
    ("tr", "Yazar Hakkında", "Elif Yılmaz",
     "Elif Yılmaz, İstanbul'da yaşayan bir teknoloji muhabiridir ve girişimler, yazılım ve "
     "e-ticaret üzerine yazıyor.", "Tüm yazılarını gör", "4.100 takipçi", "95 yazı"),
    ("sw", "Kuhusu Mwandishi", "Juma Mwita",
     "Juma Mwita ni mwandishi wa habari za teknolojia jijini Dar es Salaam anayeandika kuhusu "
     "malipo ya simu na kilimo cha kidijitali.", "Tazama makala zote za Juma Mwita",
     "1,200 wafuasi", "64 makala"),
    ("ar", "عن الكاتب", "ليلى حسن",
     "ليلى حسن صحفية متخصصة في التكنولوجيا في القاهرة، تكتب عن الشركات الناشئة والدفع الرقمي "
     "وريادة الأعمال في مصر.", "عرض كل المقالات", "٣٢٠٠ متابع", "١٢٠ مقالة"),
    ("hi", "लेखक के बारे में", "अनिल शर्मा",
     "अनिल शर्मा दिल्ली में रहने वाले तकनीकी पत्रकार हैं जो डिजिटल भुगतान, स्टार्टअप और ई-कॉमर्स पर "
     "लिखते हैं।", "सभी पोस्ट देखें", "5,000 फ़ॉलोअर्स", "210 लेख"),
]  # fmt: skip
PARAGRAPH = (
    "<p>Paragraph {i}: founders, investors and the central bank all had something to say "
    "about mobile payments, lending and the new rules for startups in the region.</p>"
)


def page(box: str, lang: str, name: str) -> str:
    body = "".join(PARAGRAPH.format(i=i) for i in range(6))
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>Mobile money | Tech Local</title><meta property="og:type" content="article">
<meta name="author" content="{name}"></head><body>
<main><article><h1>Mobile money grows again</h1><p class="byline">{name}</p>
<div class="entry-content">{body}</div>{box}</article></main></body></html>"""


def plugin_box(heading: str, name: str, bio: str, view_all: str, stats: str) -> str:
    """A theme's author box: every part in its own classed element."""
    return f"""<div class="author-box"><h3 class="author-box-title">{heading}</h3>
<div class="author-name"><a href="/author/x/">{name}</a></div>
<div class="author-description"><p>{bio}</p></div>
<ul class="author-social"><li><a href="https://x.com/x">Twitter</a></li>
<li><a href="https://linkedin.com/in/x">LinkedIn</a></li></ul>
<p class="author-stats">{stats}</p><p><a href="/author/x/">{view_all}</a></p></div>"""


def plain_box(heading: str, name: str, bio: str, view_all: str, stats: str) -> str:
    """A box of plain paragraphs: only its class says what it is."""
    return f"""<div class="about-author"><h4>{heading}</h4><p><strong>{name}</strong></p>
<p>{bio}</p><p>{stats}</p><p><a href="https://x.com/x">Twitter</a>
<a href="https://facebook.com/x">Facebook</a></p><p><a href="/author/x/">{view_all}</a></p></div>"""


def headed_box(heading: str, name: str, bio: str, view_all: str, stats: str) -> str:
    """No author markup at all: a heading, then the box's paragraphs."""
    return f"""<h3>{heading}</h3><p>{bio}</p><p>{stats}</p>
<p><a href="/author/x/">{view_all}</a></p>"""


@pytest.mark.parametrize("box", [plugin_box, plain_box, headed_box])
@pytest.mark.parametrize(
    ("lang", "heading", "name", "bio", "view_all", "followers", "count"), BOXES
)
def test_the_bio_is_the_biography_only(
    box: Any, lang: str, heading: str, name: str, bio: str, view_all: str, followers: str,
    count: str,
) -> None:  # fmt: skip
    html = page(box(heading, name, bio, view_all, f"{followers} · {count}"), lang, name)
    article = extract(html, "https://tech.example/2024/03/mobile-money-grows-again/")
    assert article is not None
    assert article.author_bio == bio
    assert heading not in article.text and bio not in article.text


_BODY = "".join(
    f"<p>Paragraph {n} of the report on mobile money agents in Recife, who now settle their "
    "float twice a day through the new interbank rails and say it changed their work.</p>"
    for n in range(6)
)


def _bio(block: str) -> str:
    html = f"""<html lang="pt"><head><title>Agentes de Recife</title></head><body><article>
<h1>Agentes de Recife mudam de rotina</h1>{block}{_BODY}</article></body></html>"""
    article = extract(html, "https://radar.example/agentes-recife/")
    assert article is not None
    return article.author_bio


def test_a_byline_naming_the_author_once_is_no_bio() -> None:
    # GeneratePress: two <time>s run together, then "por <a rel=author>": ten words of dateline.
    byline = (
        '<div class="entry-meta"><span class="posted-on"><time class="updated">23 de abril de '
        '2025</time><time class="entry-date published">22 de abril de 2025</time></span> '
        '<span class="byline">por <a rel="author" href="/author/rafael/">Rafael Monteiro</a>'
        "</span></div>"
    )
    assert _bio(byline) == ""


def test_a_block_naming_the_author_again_is_a_bio() -> None:
    signature = (
        '<div><a rel="author" href="/author/rafael/">Rafael Monteiro</a><p>Rafael Monteiro '
        "cobre clima, cidades e tecnologia no Recife para jornais e rádios do Nordeste.</p></div>"
    )
    assert "cobre clima" in _bio(signature)


_CARD_BIO = "Backend engineer in Nairobi who writes about payments, APIs and building software."


def _page_with(after_headline: str, after_body: str) -> Any:
    html = f"""<html lang="en"><head><title>Retries in M-Pesa</title></head><body><article>
<h1>Retries in M-Pesa callbacks</h1>{after_headline}<div class="post">{_BODY}</div>
</article>{after_body}</body></html>"""
    article = extract(html, "https://engineering.example/retries-mpesa/")
    assert article is not None
    return article


def test_an_author_card_headed_written_by_holds_the_bio() -> None:
    """Medium's card under the post: "Written by <name>" (an <h2>), followers, the bio."""
    card = (
        '<div class="card"><div><a href="/@wanjiru"><h2><span>Written by Wanjiru Kamau</span>'
        '</h2></a></div><div><a href="/@wanjiru/followers">2.3K followers</a></div>'
        f"<div><p><span>{_CARD_BIO}</span></p></div></div>"
    )
    article = _page_with('<p class="meta">By Wanjiru Kamau</p>', card)
    assert article.author_bio == _CARD_BIO
    assert "followers" not in article.text and _CARD_BIO not in article.text


def test_written_by_under_the_headline_is_the_byline_not_a_box() -> None:
    article = _page_with("<p>Written by Wanjiru Kamau</p>", "")
    assert article.author_bio == ""
    assert "Paragraph 0" in article.text and "Paragraph 5" in article.text


def test_a_card_named_for_the_author_holds_a_bio_that_does_not_repeat_the_name() -> None:
    """A columnist card (a class that merely mentions a writer): the name, then a bio that
    does not name them again, as Turkish and French bios seldom do."""
    bio = (
        "Ekonomist ve yazar. İstanbul Üniversitesi'nden mezun olduktan sonra 15 yıl boyunca "
        "bankacılık sektöründe çalıştı."
    )
    card = (
        '<div class="columnist-card"><a class="columnist-name" href="/yazarlar/selin-aktas">'
        f'Selin Aktaş</a><p class="columnist-bio">{bio}</p></div>'
    )
    article = _page_with(f'<p class="meta">By Selin Aktaş</p>{card}', "")
    assert article.authors == ["Selin Aktaş"]
    assert article.author_bio == bio and bio not in article.text
    # The same card for another writer (a sidebar's "our columnists") is no bio of this page.
    other = card.replace("Selin Aktaş", "Burak Demir")
    assert _page_with(f'<p class="meta">By Selin Aktaş</p>{other}', "").author_bio == ""


def test_a_comment_forms_box_stops_at_an_author_box_beside_it() -> None:
    """Jannah wraps the author box and the comment form in one "post-components" box: the
    form's box, cut with its heading, stops before a bio of bare text in a <div>."""
    bio = (
        "Sara Mohammadi covers startups and the digital economy in Tehran and has reported on "
        "online shops and payment apps for ten years."
    )
    components = f"""<div class="post-components"><div class="about-author">
<h3 class="author-box-title">About the author</h3><h3 class="author-name">
<a href="/author/sara-mohammadi/">Sara Mohammadi</a></h3><div class="author-bio">{bio}</div>
</div><div id="respond-box"><h3>Leave a Reply</h3><form><textarea name="comment"></textarea>
<input type="email" name="email"></form></div></div>"""
    article = _page_with('<p class="meta">By Sara Mohammadi</p>', components)
    assert article.author_bio == bio
    assert bio not in article.text and "Leave a Reply" not in article.text
