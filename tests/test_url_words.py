"""crawler.url_words: a page address's path words mean the same in every language
Sankofa crawls, so the classifier's path-word features fire on a French, Turkish or Arabic
site as they do on an English one."""

from __future__ import annotations

import pytest

from crawler import url_words
from crawler.extract.page_features import FEATURE_NAMES, page_features
from crawler.extract.parse import parse_html

PAGE = parse_html("<html><body><p>Un paragraphe.</p></body></html>")


def token_features(url: str) -> dict[str, float]:
    values = dict(zip(FEATURE_NAMES, page_features(PAGE, url), strict=True))
    return {name.removeprefix("url token "): v for name, v in values.items() if "url token" in name}


def fired(url: str) -> set[str]:
    return {family for family, value in token_features(url).items() if value}


@pytest.mark.parametrize(
    ("url", "family"),
    [
        ("https://blog.example.sn/categorie/fintech/", "listing"),
        ("https://blog.example.sn/Cat%C3%A9gorie/fintech/", "listing"),  # accent, encoded
        ("https://loja.example.com.br/produto/kit-solar-100w/", "commerce"),
        ("https://magaza.example.com.tr/%C3%BCr%C3%BCn/telefon-x", "commerce"),  # ürün
        ("https://example.co.id/tentang-kami/", "service"),
        ("https://example.com.tr/hakkımızda", "service"),  # Turkish dotless i
        ("https://forum.example.vn/dien-dan/chu-de/123", "forum"),
        ("https://example.es/ayuda/primeros-pasos", "docs"),
        ("https://example.ma/%D8%AA%D8%B5%D9%86%D9%8A%D9%81/tech/", "listing"),  # تصنيف
        ("https://example.ae/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/123", "article"),  # أخبار
        ("https://berita.example.id/berita/2025/05/startup-baru", "article"),
        ("https://example.com/category/fintech/", "listing"),  # the trained English words
    ],
)
def test_path_words_are_read_in_the_sites_language(url: str, family: str) -> None:
    assert fired(url) == {family}


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/2025/05/lagos-fintech-raises-new-fund/",
        "https://example.fr/la-categorie-des-startups-qui-levent/",  # a word inside a slug
        "https://example.com/",
    ],
)
def test_slugs_and_roots_name_no_family(url: str) -> None:
    assert fired(url) == set()


def test_segments_are_decoded_and_folded_alike() -> None:
    assert url_words.path_segments("/Cat%C3%A9gorie//%C4%B0leti%C5%9Fim/") == [
        "categorie",
        "iletisim",
    ]


def test_later_pages_of_a_listing_in_other_cms_languages() -> None:
    paged = "url page number"
    index = FEATURE_NAMES.index(paged)
    for url in (
        "https://e.com/page/2/",
        "https://e.id/kategori/x/halaman/3",
        "https://e.tr/x?sayfa=2",
    ):
        assert page_features(PAGE, url)[index] == 1.0
    assert page_features(PAGE, "https://e.com/2025/05/page-two-of-history/")[index] == 0.0


def test_every_family_is_a_feature_of_the_classifier() -> None:
    assert set(token_features("https://e.com/")) == set(url_words.FAMILIES)


@pytest.mark.parametrize(
    "url",
    [
        "https://blog.example.sn/category/economie/",
        "https://blog.example.sn/categorie/fintech/page/3/",  # a later page of it
        "https://example.mx/etiqueta/fintech/",
        "https://example.com.tr/yazarlar/selin-ozturk",
        "https://kilimo.blogspot.com/search/label/Kilimo",
        "https://example.vn/chuyen-muc/thu-thuat/",
        "https://example.co/buscar?q=tarifas",
        "https://example.fr/recherche?q=startups",  # "recherche" as the last segment only
        "https://example.co/?s=fintech",
        "https://example.com/?cat=12",
        "https://example.ma/%D8%AA%D8%B5%D9%86%D9%8A%D9%81/tech/",  # تصنيف
        "https://example.com/tags",
    ],
)
def test_archive_addresses(url: str) -> None:
    assert url_words.archive_address(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/2025/05/lagos-fintech-raises-new-fund/",
        "https://example.com/category/news/lagos-fintech-raises-new-fund/",  # term + slug
        "https://example.com/archive/2014/04/plato-to-plumbers/361373/",  # WCXB's articles
        "https://example.com/topics/camping/best-gps-watch",
        "https://example.fr/recherche/un-laboratoire-de-dakar-publie/",  # research, a section
        "https://example.com/?p=123",  # WordPress's short link to a post
        "https://example.com/",
        "https://example.com/tag-heuer-launches-a-smartwatch/",
    ],
)
def test_article_addresses_are_no_archives(url: str) -> None:
    assert not url_words.archive_address(url)
