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


META_LINE = (
    '<div class="authors"><span>Bài viết:</span> <a href="/tac-gia/nguyen-minh-anh">Nguyễn '
    'Minh Anh</a> <span>&amp;</span> <a href="/tac-gia/tran-quoc-bao">Trần Quốc Bảo</a> '
    '<span>·</span> <span class="date">Ngày 14 tháng 3 năm 2025</span> <span>·</span> '
    "<span>6 phút đọc</span></div>"
)


def test_a_meta_line_that_gives_a_date_is_no_bio_however_many_syllables() -> None:
    article = extract(page(META_LINE, lang="vi"), URL)
    assert article is not None
    assert article.author_bio == ""
