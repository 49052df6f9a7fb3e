"""What counts as a bio's words: scripts written with spaces are counted by their spaces,
accented or not; only scripts written without them (Thai, Chinese...) by their characters.
A byline of names with an avatar is no bio, and a short bio sentence that gives a year is
no dateline."""

from __future__ import annotations

from crawler.extract.article import extract
from tests.byline_pages import BODY, URL, page

COAUTHORS = (
    '<div class="jeg_meta_author coauthor"><img alt="Elif Yıldırım" class="avatar" '
    'src="/a.jpg"><span class="meta_text">Yazar</span> <a href="/author/elif-yildirim/">'
    'Elif Yıldırım</a> <span class="meta_text">ve</span> <a href="/author/burak-sahin/">'
    "Burak Şahin</a></div>"
)
BIO = "Ayşe Karaca, 2015'ten bu yana teknoloji ve enerji haberleri yazıyor."
AUTHOR_BOX = (
    '<div class="author-box"><img class="avatar" src="/b.jpg" alt="Ayşe Karaca">'
    f'<h4 class="author-name">Ayşe Karaca</h4><p class="author-description">{BIO}</p></div>'
)


def test_a_byline_of_accented_names_is_no_bio() -> None:
    article = extract(page(COAUTHORS, lang="tr"), URL)
    assert article is not None
    assert article.author_bio == ""
    assert "Elif Yıldırım" in article.authors


def test_a_short_bio_sentence_with_a_year_is_kept() -> None:
    article = extract(page("", lang="tr", body=BODY, after_body=AUTHOR_BOX), URL)
    assert article is not None
    assert article.author_bio == BIO
    assert BIO not in article.text
