"""Discovery reads archive addresses in the languages crawled: a category's pages are
followed for the posts they list ("/kategori/fintech/", "/rubrique/startups/"), a tag's, an
author's and a search's are not fetched ("/etiket/...", "/penulis/..."), as their English
spellings ("/category/", "/tag/", "/author/") are."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crawler.devsite.server import serve
from crawler.discover.links import UrlKind, classify_url
from tests.crawling import FAST_LOCAL, sankofa, write_sources
from tests.hostile_site import article_html

CATEGORY = "/kategori/fintech/"
TAG = "/etiket/dompet-digital-dan-umkm/"
AUTHOR = "/penulis/budi-santoso-wartawan-teknologi/"
POSTS = ("/dompet-digital-untuk-umkm/", "/bank-digital-makin-populer/")


def _write(root: Path, path: str, text: str) -> None:
    target = root / path.strip("/") / "index.html" if path != "/" else root / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _listing(title: str, paths: tuple[str, ...]) -> str:
    teasers = "".join(f'<h2><a href="{{{{BASE}}}}{path}">Berita {path}</a></h2>' for path in paths)
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{teasers}</body></html>"


def build_site(root: Path) -> None:
    """A home page that links to a category, a tag and an author page only; the posts are
    listed on the category page (and on the tag and author pages too)."""
    _write(root, "/", _listing("Kabar Tekno", (CATEGORY, TAG, AUTHOR)))
    for path in (CATEGORY, TAG, AUTHOR):
        _write(root, path, _listing(f"Arsip {path}", POSTS))
    for path in POSTS:
        _write(root, path, article_html(f"Berita {path}"))


def test_posts_are_found_through_a_category_in_the_sites_language(tmp_path: Path) -> None:
    build_site(tmp_path / "site")
    db = tmp_path / "c.db"
    with serve(tmp_path / "site") as site:
        sources = write_sources(tmp_path, site.base_url)
        result = sankofa("crawl", "--sources", sources, "--db", f"sqlite:///{db}", *FAST_LOCAL)
        assert result.returncode == 0, result.stderr[-2000:]
    with sqlite3.connect(db) as connection:
        stored = {url.removeprefix(site.base_url) for (url,) in connection.execute(
            "SELECT url FROM articles")}  # fmt: skip
    assert set(POSTS) <= stored
    assert not {TAG, AUTHOR} & stored  # never fetched, so never kept as doubtful listings


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/kategori/fintech/", UrlKind.LISTING),
        ("/rubrique/startups/", UrlKind.LISTING),
        ("/chuyen-muc/thanh-toan-so/", UrlKind.LISTING),
        ("/%D8%AA%D8%B5%D9%86%D9%8A%D9%81/tech/", UrlKind.LISTING),  # Arabic "تصنيف"
        ("/etiket/yapay-zeka-ve-gelecek/", UrlKind.SKIP),
        ("/etiqueta/ia/", UrlKind.SKIP),
        ("/penulis/budi-santoso/", UrlKind.SKIP),
        ("/yazarlar/selin-aktas/", UrlKind.SKIP),
        ("/tim-kiem/", UrlKind.SKIP),
        ("/recherche", UrlKind.SKIP),  # a search page's address ends with the word
        ("/recherche/sante-et-numerique-en-afrique/", UrlKind.ARTICLE),  # a research section
        ("/dompet-digital-untuk-umkm/", UrlKind.ARTICLE),
    ],
)
def test_archive_words_of_the_languages_crawled(path: str, kind: UrlKind) -> None:
    assert classify_url(f"https://kabar.example{path}") is kind
