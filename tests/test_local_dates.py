"""Publication dates printed only in the page's own language, never the site furniture's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.extract.article import extract

# (language, the top bar's date (furniture), the byline, a sidebar teaser's date, expected)
CASES = [
    ("pt-BR", "Segunda-feira, 3 de novembro de 2025", "Publicado em 27 de fevereiro de 2024",
     "10 de outubro de 2025", datetime(2024, 2, 27, tzinfo=UTC)),
    ("fr-FR", "Lundi 3 novembre 2025", "Publié le 12 mai 2023 par Awa Koné",
     "8 octobre 2025", datetime(2023, 5, 12, tzinfo=UTC)),
    ("es-MX", "Lunes, 3 de noviembre de 2025", "Publicado el 3 de marzo de 2024",
     "9 de octubre de 2025", datetime(2024, 3, 3, tzinfo=UTC)),
    ("hi-IN", "सोमवार, 3 नवंबर 2025", "प्रकाशित: ५ मार्च २०२४", "9 अक्टूबर 2025",
     datetime(2024, 3, 5, tzinfo=UTC)),
    ("ar", "الاثنين ٣ نوفمبر ٢٠٢٥", "نُشر في ١٢ مارس ٢٠٢٤", "٩ أكتوبر ٢٠٢٥",
     datetime(2024, 3, 12, tzinfo=UTC)),
    ("tr-TR", "3 Kasım 2025 Pazartesi", "Yayınlanma: 5 Mart 2024", "9 Ekim 2025",
     datetime(2024, 3, 5, tzinfo=UTC)),
    ("sw-TZ", "Jumatatu, Novemba 3, 2025", "Imechapishwa Machi 5, 2024", "Oktoba 9, 2025",
     datetime(2024, 3, 5, tzinfo=UTC)),
    ("id-ID", "Senin, 3 November 2025", "Diterbitkan 5 Maret 2024 oleh Budi", "9 Oktober 2025",
     datetime(2024, 3, 5, tzinfo=UTC)),
    ("vi-VN", "Thứ Hai, 3/11/2025", "Đăng ngày 5 tháng 3 năm 2024", "ngày 9 tháng 10 năm 2025",
     datetime(2024, 3, 5, tzinfo=UTC)),
]  # fmt: skip
PARAGRAPH = (
    "<p>Paragraph {i} of a report from the city: founders, investors and the central bank all "
    "had something to say about mobile payments, lending and the new rules for startups.</p>"
)


def page(lang: str, top_bar: str, byline: str, teaser: str) -> str:
    body = "".join(PARAGRAPH.format(i=i) for i in range(6))
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>Fintech na cidade | Tech Local</title></head><body>
<header class="site-header"><div class="top-bar"><span class="date-today">{top_bar}</span></div>
<nav><a href="/">Home</a> <a href="/fintech/">Fintech</a></nav></header>
<div class="container"><main><article class="post">
<h1 class="entry-title">Fintech na cidade: um relatório</h1>
<div class="entry-meta"><span class="posted-on">{byline}</span></div>
<div class="entry-content">{body}</div></article></main>
<aside class="sidebar"><div class="widget recent-posts"><ul>
<li><a href="/outra-historia/">Outra história</a> <span class="post-date">{teaser}</span></li>
</ul></div></aside></div>
<footer class="site-footer"><p>Atualizado em {top_bar}</p></footer></body></html>"""


@pytest.mark.parametrize(("lang", "top_bar", "byline", "teaser", "expected"), CASES)
def test_the_byline_date_in_the_pages_language_is_read_and_furniture_is_not(
    lang: str, top_bar: str, byline: str, teaser: str, expected: datetime
) -> None:
    url = "https://tech.example/fintech-na-cidade-um-relatorio/"
    article = extract(page(lang, top_bar, byline, teaser), url)
    assert article is not None
    assert article.published == expected


def test_only_furniture_dates_give_no_date() -> None:
    html = page("pt-BR", "Segunda-feira, 3 de novembro de 2025", "Por Ana Souza",
                "10 de outubro de 2025")  # fmt: skip
    article = extract(html, "https://tech.example/fintech-na-cidade-um-relatorio/")
    assert article is not None and article.published is None


# (what <html lang> says, the byline, expected): themes keep WordPress's "en-US" whatever
# they print, or declare nothing; the date's own script says which languages to read it in.
UNDECLARED = [
    ("en-US", "发布于 2024年3月21日", datetime(2024, 3, 21, tzinfo=UTC)),
    ("", "2024年3月21日 18:30", datetime(2024, 3, 21, tzinfo=UTC)),
    ("en-US", "प्रकाशित: ५ मार्च २०२४", datetime(2024, 3, 5, tzinfo=UTC)),
    ("en-US", "نُشر في ١٢ مارس ٢٠٢٤", datetime(2024, 3, 12, tzinfo=UTC)),
    ("", "ថ្ងៃទី 5 មីនា 2025", datetime(2025, 3, 5, tzinfo=UTC)),
    ("en-US", "12 марта 2024", datetime(2024, 3, 12, tzinfo=UTC)),
]


@pytest.mark.parametrize(("lang", "byline", "expected"), UNDECLARED)
def test_a_date_is_read_in_its_scripts_languages_when_the_page_declares_none_of_them(
    lang: str, byline: str, expected: datetime
) -> None:
    html = page(lang, "", byline, "").replace(' lang=""', "")
    article = extract(html, "https://tech.example/fintech-na-cidade-um-relatorio/")
    assert article is not None
    assert article.published == expected


# (lang, the byline, expected): dates dateparser's own reading misses or misreads, read again
# from their day, month name (still its locale data) and year.
FROM_PARTS = [
    ("si", "අඟහරුවාදා, ජූනි 3, 2025 - 14:20", datetime(2025, 6, 3, tzinfo=UTC)),  # read as Jan
    ("gu", "પ્રકાશિત: 3 મે 2025", datetime(2025, 5, 3, tzinfo=UTC)),
    ("mr", "प्रकाशित: 17 मे 2025", datetime(2025, 5, 17, tzinfo=UTC)),
    ("ha", "Talata, 13 ga Mayu, 2025", datetime(2025, 5, 13, tzinfo=UTC)),  # "ga" unknown
    ("kk", "2025 жылғы 7 мамыр", datetime(2025, 5, 7, tzinfo=UTC)),  # "жылғы" unknown
    ("ha", "Litinin, 14 Afrilu 2025", datetime(2025, 4, 14, tzinfo=UTC)),  # its data: Afirilu
    ("sw", "Jumatatu, 3 Januari 2025", datetime(2025, 1, 3, tzinfo=UTC)),  # its data: Januari
]


@pytest.mark.parametrize(("lang", "byline", "expected"), FROM_PARTS)
def test_a_date_dateparser_misses_or_misreads_is_read_from_its_parts(
    lang: str, byline: str, expected: datetime
) -> None:
    article = extract(page(lang, "", byline, ""), "https://tech.example/fintech-relatorio/")
    assert article is not None
    assert article.published == expected


@pytest.mark.parametrize(
    "byline",
    ["3 comments, May 2025", "Mayu 2025", "13 ga 14 ga Mayu 2025", "13 ga Mayu 2024, 2025",
     "12 ga Mayu da Yuni 2025", "13 maoni kuhusu Mayu 2025", "31 ga Fabrairu 2025",
     "14 Yunii 2025"],
)  # fmt: skip
def test_parts_that_do_not_make_one_day_are_not_read(byline: str) -> None:
    article = extract(page("ha", "", byline, ""), "https://tech.example/fintech-relatorio/")
    assert article is not None
    assert article.published is None


def test_a_time_that_is_not_the_addresss_day_dates_another_item() -> None:
    """A related post's <time class="published"> comes before any date of the page's own;
    the permalink's day says it is another item's, and the byline's printed date is read."""
    related = (
        '<section class="related-posts"><article><h3><a href="/2025/04/20/5g/">5G</a></h3>'
        '<time class="published" datetime="2025-04-20T10:00:00+05:00">20 сәуір</time>'
        "</article></section>"
    )
    html = page("kk", "", "Жарияланды: 2025 жылғы 7 мамыр", "")
    html = html.replace('<div class="entry-content">', related + '<div class="entry-content">')
    dated = extract(html, "https://techkz.example/2025/05/07/astana-hub-investorlar/")
    undated = extract(html, "https://techkz.example/astana-hub-investorlar/")
    assert dated is not None and undated is not None
    assert dated.published == datetime(2025, 5, 7, tzinfo=UTC)
    assert undated.published == datetime(2025, 4, 20, 5, 0, tzinfo=UTC)  # nothing says not
