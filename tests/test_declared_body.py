"""A single-page app's body: the whole text its JSON-LD declares, when the page shows only
the start of it; never a declaration that is shorter or another article's."""

from __future__ import annotations

import json

from crawler.extract.article import extract

URL = "https://noticias.example/tecnologia/2025/03/cafe-app/"
PARAGRAPHS = [
    f"Párrafo {i}: una startup de Manizales desarrolló una aplicación que detecta plagas del "
    "café con fotos del celular, y cientos de caficultores ya la usan en sus fincas."
    for i in range(8)
]


def page(shown: int, declared: str | None) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Café y IA"}
    if declared is not None:
        data["articleBody"] = declared
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:shown])
    return f"""<html lang="es"><head><title>Café y IA</title>
<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script></head>
<body><article><h1>Café y IA</h1><div class="body">{body}</div></article>
<div id="fusion-app"></div></body></html>"""


def text(html: str) -> str:
    article = extract(html, URL)
    assert article is not None
    return article.text


def test_the_declared_body_completes_a_page_that_shows_its_start() -> None:
    body = text(page(2, "\n".join(PARAGRAPHS)))
    assert body.split("\n\n") == PARAGRAPHS


def test_a_declared_body_in_html_is_read_as_paragraphs() -> None:
    declared = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in PARAGRAPHS)
    assert text(page(2, declared)).split("\n\n") == PARAGRAPHS


def test_a_page_that_shows_the_whole_text_keeps_it() -> None:
    summary = PARAGRAPHS[0]  # a declaration shorter than what the page shows
    assert text(page(8, summary)).split("\n\n") == PARAGRAPHS


def test_another_articles_text_is_not_taken() -> None:
    other = "\n".join(p.replace("café", "cacao").replace("Párrafo", "Otro") for p in PARAGRAPHS)
    assert text(page(2, other)).split("\n\n") == PARAGRAPHS[:2]
