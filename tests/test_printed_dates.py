"""Publication dates printed as a short line after the headline, in markup no class names:
"<p>December 15, 2025</p>", "Updated May 6, 2025 • 8 min read". Nothing machine-readable
dates these pages, so the line is all there is."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.extract.article import extract
from tests.byline_pages import URL, published


@pytest.mark.parametrize(
    ("after_headline", "lang", "day"),
    [
        ("<p>December 15, 2025</p>", "en", date(2025, 12, 15)),
        ("<div><span>Updated October 23, 2025</span><span>•</span><span>8 min read</span>"
         "</div>", "en", date(2025, 10, 23)),
        ("<div><div>Jane Doe</div><div>Published on Oct 21, 2025</div></div>", "en",
         date(2025, 10, 21)),
        ("<p>17.05.2021</p>", "de", date(2021, 5, 17)),
        ("<p>27 de fevereiro de 2024</p>", "pt", date(2024, 2, 27)),
        ("<p>5 Machi 2024</p>", "sw", date(2024, 3, 5)),
    ],
    ids=["english", "updated, read time", "published on", "german digits", "portuguese",
         "swahili"],
)  # fmt: skip
def test_a_short_dated_line_after_the_headline(after_headline: str, lang: str, day: date) -> None:
    assert published(after_headline, lang) == day


def test_a_read_time_run_into_the_date_is_not_read_as_minutes_ago() -> None:
    # dateparser finds "2025•8 min" first, and as a relative time it would be the crawl's
    # own moment.
    assert published("<p>Updated October 23, 2025•8 min read</p>") == date(2025, 10, 23)


def test_a_date_inside_a_sentence_is_no_publication_date() -> None:
    sentence = "<p>On March 3, 2024, the regulator capped agent fees at two percent.</p>"
    assert published(sentence) is None


def test_a_date_far_below_the_headline_is_no_publication_date() -> None:
    items = "".join(f"<li>Step {i}</li>" for i in range(40))
    assert published(f"<ul>{items}</ul><p>May 5, 2025</p>") is None


def _page_with_dateline_above(above: str, header: str = "") -> str:
    body = "".join(
        f"<p>Paragraph {i}: mobile money agents in Kisumu told our reporter how they adapted to "
        "the new tariff, and what it changed for the traders they serve.</p>"
        for i in range(6)
    )
    return f"""<html lang="vi"><head><title>Agents and tariffs</title></head><body>
<header>{header}</header><div class="wrap">{above}<h1>Agents and tariffs</h1>
<div class="content">{body}</div></div></body></html>"""


def _published_above(above: str, header: str = "") -> date | None:
    article = extract(_page_with_dateline_above(above, header), URL)
    assert article is not None
    return article.published.date() if article.published else None


def test_a_dateline_right_above_the_headline() -> None:
    above = "<div><span>Kinh doanh</span><span>Thứ hai, 5/2/2024 10:30</span></div>"
    assert _published_above(above) == date(2024, 2, 5)


def test_the_sites_header_above_the_headline_is_furniture() -> None:
    # Today's date printed in the site's header is no publication date.
    assert _published_above("<div>Kinh doanh</div>", header="<p>Thứ ba, 6/12/2026</p>") is None


def test_a_date_after_the_headline_comes_before_one_above_it() -> None:
    page = _page_with_dateline_above("<p>Cập nhật 1/1/2024</p>").replace(
        "<h1>Agents and tariffs</h1>", "<h1>Agents and tariffs</h1><p>5/2/2024</p>"
    )
    article = extract(page, URL)
    assert article is not None and article.published is not None
    assert article.published.date() == date(2024, 2, 5)


def test_the_nearest_dateline_above_the_headline_wins() -> None:
    above = "<div>1/1/2020</div><p>Kinh doanh</p><span>Thứ hai, 5/2/2024</span>"
    assert _published_above(above) == date(2024, 2, 5)


def test_the_head_and_scripts_before_a_headline_are_not_read() -> None:
    html = """<html lang="en"><head><title>Archive 2019</title>
<script>var published = "3 May 2019";</script></head><body><h1>Agents and tariffs</h1>
<div class="content"><p>Mobile money agents in Kisumu told our reporter how they adapted to the
new tariff, and what it changed for the traders they serve, week after week.</p></div>
</body></html>"""
    article = extract(html, URL)
    assert article is not None and article.published is None


def _page_in(box_open: str, box_close: str, after_headline: str) -> str:
    body = "".join(
        f"<p>Paragraph {i}: mobile money agents in Kisumu told our reporter how they adapted to "
        "the new tariff, and what it changed for the traders they serve.</p>"
        for i in range(6)
    )
    return f"""<html lang="en"><head><title>Agents and tariffs</title></head><body>
{box_open}<h1>Agents and tariffs</h1>{after_headline}{box_close}
<div class="content">{body}</div></body></html>"""


@pytest.mark.parametrize(
    ("box_open", "box_close"),
    [
        ('<section class="m-article m-article--sidebar-right">', "</section>"),
        ('<div class="w-full lg:mr-[--sidebar-container-width]">', "</div>"),
        ('<header class="header bg-gradient"><div class="container">', "</div></header>"),
    ],
    ids=["layout modifier", "utility class", "header around the headline"],
)  # fmt: skip
def test_a_box_holding_the_headline_is_the_articles_not_furniture(
    box_open: str, box_close: str
) -> None:
    # Words such as "sidebar" or a <header> mark furniture, but not on a box that holds the
    # headline too: there they name a layout, or the article's own header.
    article = extract(_page_in(box_open, box_close, "<p>Jan 22, 2025</p>"), URL)
    assert article is not None and article.published is not None
    assert article.published.date() == date(2025, 1, 22)


def test_furniture_beside_the_headline_is_still_furniture() -> None:
    # The same words on a box beside the headline (a sidebar's widget) keep their meaning.
    widget = '<div class="sidebar-widget"><p>Dec 6, 2026</p></div>'
    article = extract(_page_in('<div class="wrap">', "</div>", widget), URL)
    assert article is not None and article.published is None


def test_a_dated_line_with_author_and_section_is_cut_at_its_separators() -> None:
    line = "<p>Dec 26, 2025 • Mahua Das in Project Management Software Guides</p>"
    assert published(line) == date(2025, 12, 26)


def test_a_year_the_line_does_not_print_is_not_read() -> None:
    # dateparser reads "ONE on Jan 22" as 2022-01-01 before it offers "Jan 22, 2025".
    # Misread, the byline line would date the page; read right, its date element does.
    line = '<div class="post-meta">by ALLIN ONE on <span>Jan 22, 2025</span></div>'
    assert published(line) == date(2025, 1, 22)
