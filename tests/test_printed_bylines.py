"""Bylines printed as text near the headline, on pages that mark the author up nowhere
(no JSON-LD, meta author, rel=author or author class): "By Sofia Gonzalez", "Written by:"
then the name in the next element, "Par", "Por", "Oleh"... The name stops at a date, a
separator or the next element; furniture, headings and sentences are no bylines."""

from __future__ import annotations

import pytest

from crawler.extract.bylines import linked_bylines, printed_bylines
from crawler.extract.parse import parse_html
from tests.byline_pages import BODY, authors, page


@pytest.mark.parametrize(
    ("lang", "byline", "name"),
    [
        ("en", "<p>By Sofia Gonzalez December 2, 2025</p>", "Sofia Gonzalez"),
        ("en", "<div><span>Written by</span><span>Edzel Tabing</span></div>", "Edzel Tabing"),
        ("en", "<p>Written By:<b>Cazzy Magennis</b>Last Updated:August 1, 2025</p>",
         "Cazzy Magennis"),
        ("en", "<p>Posted <span>By</span> <a>Loona Construction</a></p>", "Loona Construction"),
        ("en", "<p>By Chris McNamara ⋅ Founder</p>", "Chris McNamara"),
        ("en", "<p>Written by Eliz - Product marketer</p>", "Eliz"),
        ("fr", "<p>Par Awa Ndiaye | 3 mars 2025</p>", "Awa Ndiaye"),
        ("es", "<p>Por Diego Quispe · 12 de mayo de 2025</p>", "Diego Quispe"),
        ("id", "<p>Oleh Sari Wulandari, 5 Mei 2025</p>", "Sari Wulandari"),
        ("en", "<p>By: Jane Mwangi | May 5, 2025</p>", "Jane Mwangi"),
        ("ar", "<p>بقلم سارة أحمد</p>", "سارة أحمد"),
        ("ar", "<p>كتبت: منى عبد الحميد</p>", "منى عبد الحميد"),
        # "Author:" / "Writer:" labels, participles before "by", and postpositions.
        ("en", "<p>Author: Jane Mwangi</p>", "Jane Mwangi"),
        ("tr", "<p>Yazar: Ahmet Yılmaz | 12 Mart 2024</p>", "Ahmet Yılmaz"),
        ("tr", "<p>Ahmet Yılmaz tarafından · 12 Mart 2024</p>", "Ahmet Yılmaz"),
        ("hi", "<p>लेखक: राहुल शर्मा</p>", "राहुल शर्मा"),
        ("hi", "<p>राहुल शर्मा द्वारा</p>", "राहुल शर्मा"),
        ("sw", "<p>Na Juma Hamisi, 4 Machi 2025</p>", "Juma Hamisi"),
        ("sw", "<p>Mwandishi: Neema Mushi</p>", "Neema Mushi"),
        ("id", "<p>Penulis: Budi Santoso</p>", "Budi Santoso"),
        ("id", "<p>Ditulis oleh Sari Wulandari</p>", "Sari Wulandari"),
        ("vi", "<p>Tác giả: Nguyễn Văn An</p>", "Nguyễn Văn An"),
        ("pt", "<p>Escrito por João Silva</p>", "João Silva"),
        ("fr", "<p>Auteur : Samir Abdelkrim</p>", "Samir Abdelkrim"),
        ("am", "<p>ደራሲ: አበበ ቢቂላ</p>", "አበበ ቢቂላ"),
        ("ha", "<p>Marubuci: Aminu Bello</p>", "Aminu Bello"),
    ],
)  # fmt: skip
def test_a_printed_byline_names_the_author(lang: str, byline: str, name: str) -> None:
    assert authors(byline, lang) == [name]


def test_two_printed_authors() -> None:
    assert authors("<p>By Moses Kim and Kate Shokurova</p>") == ["Moses Kim", "Kate Shokurova"]


@pytest.mark.parametrize(
    ("lang", "byline", "names"),
    [
        ("fr", "<p>Par Awa Koné et Samir Abdelkrim | 3 mars 2025</p>",
         ["Awa Koné", "Samir Abdelkrim"]),
        ("es", "<p>Por Diego Quispe y Lucía Mamani</p>", ["Diego Quispe", "Lucía Mamani"]),
        ("pt", "<p>Escrito por Ana Souza e Carlos Lima</p>", ["Ana Souza", "Carlos Lima"]),
        ("id", "<p>Oleh Budi Santoso dan Sari Dewi</p>", ["Budi Santoso", "Sari Dewi"]),
        ("tr", "<p>Yazar: Ahmet Yılmaz ve Elif Demir</p>", ["Ahmet Yılmaz", "Elif Demir"]),
        # One person whose name holds the conjunction: a part of one word is no name.
        ("es", "<p>Por José Ortega y Gasset</p>", ["José Ortega y Gasset"]),
        ("pt", "<p>Por Ana Ribeiro e Castro</p>", ["Ana Ribeiro e Castro"]),
    ],
)  # fmt: skip
def test_co_authors_are_split_at_the_languages_and(
    lang: str, byline: str, names: list[str]
) -> None:
    assert authors(byline, lang) == names


@pytest.mark.parametrize(
    ("lang", "byline", "names"),
    [
        # Byline words this extractor does not know, around links to the CMS's author pages.
        ("fa", '<p>نوشتهٔ <a href="/fa/user/217">مریم احمدی</a> و <a href="/fa/user/305">'
         "علی رضایی</a>، ۲۳ اردیبهشت ۱۴۰۳</p>", ["مریم احمدی", "علی رضایی"]),
        ("my", '<div class="meta">ရေးသားသူ - <a href="/reporters/zaw-min-htun/">ဇော်မင်းထွန်း'
         "</a> | ၂၀၂၆ ခုနှစ်၊ အောက်တိုဘာလ ၁၅ ရက် | ကြည့်ရှုသူ ၂,၃၁၀</div>", ["ဇော်မင်းထွန်း"]),
        # The role inside the link is cut off where the page prints the name alone.
        ("en", '<p><a href="/author/harry-r/"><span>Harry Rabinowitz</span><span>Tech Reporter'
         "</span></a> | May 2, 2025</p>", ["Harry Rabinowitz"]),
        # Account pages and link labels are no authors.
        ("en", '<div><a href="/user/login">Log In</a> | <a href="/user/register">Register</a>'
         "</div>", []),
        ("en", '<p><a href="/author/jdoe/">View all posts</a></p>', []),
    ],
)  # fmt: skip
def test_a_byline_linking_to_author_pages_names_them_in_any_language(
    lang: str, byline: str, names: list[str]
) -> None:
    assert authors(byline, lang) == names


def test_the_month_of_a_date_run_into_the_name_is_cut_off() -> None:
    assert authors("<p>By Daniel Renfrow April 3, 2025</p>") == ["Daniel Renfrow"]


@pytest.mark.parametrize(
    "after_headline",
    [
        "<h2>By the Numbers</h2>",  # a heading, not a byline
        "<p>By clicking subscribe you agree to our terms.</p>",  # a sentence
        "<p>By 2030, most payments in Kenya will be made by phone.</p>",
        "<p>Por</p><p>¡Estamos aquí!</p>",  # what follows a lone "Por" is no name
        "<p>كتب الوزير مقالا عن الدفع</p>",  # "wrote", without a colon, opens a sentence
        "<p>Na hivyo wakala wa M-Pesa wanalipwa mara moja.</p>",  # Swahili "and so", a sentence
        "<p>Na Rais Samia amesema leo</p>",  # "and President Samia said today"
        "<p>Na Li wins the French Open</p>",
        "<p>NA Mobile Money</p>",  # "Na" opens a byline only as Swahili writes it
        "<p>Meclis tarafından kabul edildi</p>",  # "passed by the assembly": a sentence
        "<p>सरकार द्वारा जारी नई नीति</p>",  # "the new policy issued by the government"
        "<p>Photo by Jane Mwangi</p>",  # a credit, not a byline
        "",
    ],
)
def test_what_is_no_byline_gives_no_author(after_headline: str) -> None:
    assert authors(after_headline) == []


@pytest.mark.parametrize("label", ["Written By", "Posted by", "Par"])
def test_a_byline_label_alone_is_no_author(label: str) -> None:
    # A theme that prints the label in the author block and the name nowhere.
    assert authors(f'<div class="author-meta"><span class="author">{label}</span></div>') == []


def test_a_byline_in_the_footer_is_not_the_author() -> None:
    assert authors("", footer="<p>Made with love by Krystyna</p>") == []


def test_markup_wins_over_a_printed_byline() -> None:
    marked = '<p>By <a rel="author" href="/author/awa">Awa Ndiaye</a></p><p>By Someone Else</p>'
    assert authors(marked) == ["Awa Ndiaye"]


def test_a_printed_byline_wins_over_a_label_in_an_author_box() -> None:
    # trafilatura's search of author-like classes reads the box's first words, a label.
    box = (
        '<div class="author"><div class="date-create">Updated <span>January 08, 2026</span>'
        '</div><div class="name">Written by <span>Meghan Neville</span></div></div>'
    )
    assert authors(box) == ["Meghan Neville"]


def test_a_byline_links_to_the_authors_page() -> None:
    # No markup names the author; the box links to the author's page, whose address spells
    # the name, and prints the role beside it (trafilatura's search took "Hardware").
    box = (
        '<div class="authors-data"><a href="https://techweekly.example/u/zackery-cuevas">'
        "Zackery Cuevas</a><span>Writer, Hardware</span></div>"
    )
    assert authors(box) == ["Zackery Cuevas"]
    slug = "%D9%85%D9%86%D9%89-%D8%B9%D9%84%D9%8A"  # "منى-علي", percent-encoded
    encoded = f'<div class="author"><a href="/author/{slug}">منى علي</a></div>'
    assert authors(encoded, "ar") == ["منى علي"]


@pytest.mark.parametrize(
    ("label", "path", "lang"),
    [("Yanditswe na", "auteur", "rw"), ("Por", "autor", "pt"), ("Oleh", "penulis", "id"),
     ("Yazan", "yazar", "tr"), ("Bởi", "tac-gia", "vi"), ("Imeandikwa na", "mwandishi", "sw")],
)  # fmt: skip
def test_a_byline_links_to_the_authors_page_in_the_sites_language(
    label: str, path: str, lang: str
) -> None:
    # The label is in a language no byline list need know ("Yanditswe na": Kinyarwanda);
    # the author's page, under the CMS's word for author, spells the name.
    box = (
        f'<span class="byline">{label} <a href="https://news.example/{path}/'
        'jean-claude-habimana">Jean Claude Habimana</a></span>'
    )
    assert authors(box, lang) == ["Jean Claude Habimana"]


def test_a_link_to_the_authors_page_that_does_not_spell_a_name_names_nobody() -> None:
    box = '<div class="author-box"><a href="/author/paramita-ghosh">Learn More</a></div>'
    assert linked_bylines(parse_html(page(box))) == []
    named = '<div class="author-box"><a href="/author/paramita-ghosh">Paramita Ghosh</a></div>'
    assert linked_bylines(parse_html(page(named))) == ["Paramita Ghosh"]


def test_no_headline_no_printed_byline() -> None:
    tree = parse_html(f"<html><body><p>By Sofia Gonzalez</p>{BODY}</body></html>")
    assert printed_bylines(tree) == []


def test_a_byline_label_read_from_an_authors_element_is_no_part_of_the_name() -> None:
    # The colon is often gone by the time the name is read ("كتبت: منى" -> "كتبت منى").
    byline = '<div class="byline"><span class="author">كتبت منى عبد الحميد</span></div>'
    assert authors(byline, "ar") == ["منى عبد الحميد"]
    assert authors('<div class="byline"><span class="author">By: Jane Mwangi</span></div>') == [
        "Jane Mwangi"
    ]
    # No space after the colon, as many Arabic sites print it.
    byline = '<div class="byline"><span class="author">كتبت:منى عبد الحميد</span></div>'
    assert authors(byline, "ar") == ["منى عبد الحميد"]


def test_an_author_label_inside_the_body_names_someone_else() -> None:
    # Release notes, book reviews: "Author:" under the body's prose credits a module or a
    # book, not the article; "By" there still signs it (under a long standfirst).
    prose = "<p>" + "Mobile money agents in Lagos now settle payments in seconds. " * 5 + "</p>"
    assert authors(f"{prose}<h3>Module</h3><p>Author: Tarek Ben Ali</p>") == []
    assert authors(f"{prose}<p>By Sofia Gonzalez</p>") == ["Sofia Gonzalez"]


def test_a_sentence_with_a_postposition_does_not_hide_the_byline_after_it() -> None:
    assert authors("<p>सरकार द्वारा जारी नई नीति</p><p>लेखक: राहुल शर्मा</p>", "hi") == ["राहुल शर्मा"]


def test_an_author_word_without_its_colon_stays_in_a_declared_name() -> None:
    # "Mwandishi Wetu" ("our writer"), a staff byline: the label is stripped only before ":".
    assert authors('<div class="byline"><span class="author">Mwandishi Wetu</span></div>') == [
        "Mwandishi Wetu"
    ]
    assert authors('<div class="byline"><span class="author">Author: Jane Mwangi</span></div>') == [
        "Jane Mwangi"
    ]


def test_a_byline_opening_a_long_meta_line() -> None:
    """A hand-made page's single meta line: byline, date and categories in one text."""
    meta = (
        "<p><font size='2'>By Kofi Mensah-Bonsu &nbsp;|&nbsp; Posted 12 February 2025 &nbsp;|"
        "&nbsp; Filed under: <a href='/business'>Business</a>, <a href='/cars'>Cars</a>, "
        "<a href='/trade'>Markets and trade in Kumasi</a></font></p>"
    )
    assert authors(meta) == ["Kofi Mensah-Bonsu"]


def test_a_long_line_opening_with_by_but_no_separator_names_nobody() -> None:
    prose = (
        "<p>By March the Bank of Ghana had asked every mobile money operator to report agent "
        "float twice a day, and the agents in Kumasi say it changed their work.</p>"
    )
    assert authors(prose) == []


def far_authors(after_body: str) -> list[str]:
    """The authors of a page signed only below a body longer than the printed byline's
    reach from the headline (72 paragraphs), as an author card at an article's foot is."""
    return authors("", footer="<p>© 2026 Tech Weekly</p>", body=BODY * 12, after_body=after_body)


def test_a_signature_at_the_foot_of_the_article_names_the_author() -> None:
    card = "<div class='card'><p>Written by Cassidy Horton</p><p>She writes on money.</p></div>"
    assert far_authors(card) == ["Cassidy Horton"]
    assert far_authors("<p>Ditulis oleh Sari Wulandari</p>") == ["Sari Wulandari"]


@pytest.mark.parametrize(
    "after_body",
    [
        # A reader's comment signs the comment, not the article.
        "<div class='comments-body'><p>Great piece.</p>"
        "<span class='comments-post'>Posted by: Karl Reader</span></div>",
        # A bare "By" far from the headline signs related posts' teasers.
        "<div class='more'><h3>Tariffs in Kampala</h3><p>By Jane Teaser</p></div>",
        # Furniture, and a name of one word.
        "<aside><p>Written by Side Bar</p></aside>",
        "<p>Written by David</p>",
    ],
)
def test_signatures_far_from_the_headline_that_name_nobody(after_body: str) -> None:
    assert far_authors(after_body) == []
