"""An article's <header> that holds paragraphs of prose (some themes open the article, or each
section, with one around the lede) is read as part of the body: trafilatura's precise pass
deletes every <header>. The site's header, outside the article, and the article's
title-and-byline header, which holds no prose, are still left to it."""

from __future__ import annotations

import dataclasses

from crawler.extract.article import extract
from crawler.extract.rules import RULES

URL = "https://kabar.example/2026/03/12/dompet-digital-di-pasar-tradisional/"
LEDE = (
    "Pedagang pasar tradisional di Yogyakarta kini menerima pembayaran dengan kode QR, dan "
    "sebagian besar dari mereka mengaku omzetnya naik sejak awal tahun ini."
)
SECOND = (
    "Survei kecil kami di tiga pasar menunjukkan bahwa pembeli muda lebih sering membawa "
    "ponsel daripada uang tunai, terutama pada akhir pekan yang ramai."
)
PARAGRAPH = (
    "<p>Bagian {i}: para pedagang menjelaskan bagaimana mereka belajar memakai aplikasi, "
    "siapa yang membantu mereka, dan berapa biaya yang mereka bayar setiap bulan.</p>"
)


def page() -> str:
    body = "".join(PARAGRAPH.format(i=i) for i in range(5))
    return f"""<html lang="id"><head><title>Dompet digital di pasar</title></head><body>
<header class="site-header"><p class="tagline">Kabar teknologi dari seluruh Nusantara setiap
hari, ditulis oleh jurnalis lokal yang mengenal kota mereka dengan baik.</p>
<p class="promo">Berlangganan buletin kami dan dapatkan ringkasan berita teknologi terbaik
setiap Senin pagi langsung di kotak masuk Anda.</p></header>
<main><article><header class="entry-header"><h1>Dompet digital di pasar tradisional</h1>
<p class="byline">Oleh Rina Wulandari</p></header>
<header class="section-intro"><p>{LEDE}</p><p>{SECOND}</p></header>
<div class="entry-content">{body}</div></article></main></body></html>"""


def test_an_articles_header_holding_prose_is_part_of_its_body() -> None:
    article = extract(page(), URL)
    assert article is not None
    assert LEDE in article.text and SECOND in article.text
    assert article.text.index(LEDE) < article.text.index("Bagian 0")
    assert "Kabar teknologi dari seluruh Nusantara" not in article.text  # the site's header
    assert "Berlangganan buletin" not in article.text


def test_without_the_rule_the_precise_pass_deletes_it() -> None:
    article = extract(page(), URL, dataclasses.replace(RULES, keep_prose_headers=False))
    assert article is not None
    assert LEDE not in article.text
    assert "Bagian 0" in article.text
