"""A publication date keeps the zone the page declares, so that its day is the day the
publisher dated the article; storage turns it into the same instant in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crawler.dates import parse_date, parse_moment
from crawler.extract.article import extract
from tests.byline_pages import BODY, URL


def _published(head: str) -> datetime:
    html = f"""<html lang="en"><head><title>Agents and tariffs</title>{head}</head><body>
<article><h1>Agents and tariffs</h1>{BODY}</article></body></html>"""
    article = extract(html, URL)
    assert article is not None and article.published is not None
    return article.published


@pytest.mark.parametrize(
    ("head", "day", "utc"),
    [
        # Evening in California: already the next day in UTC.
        ('<script type="application/ld+json">{"@context": "https://schema.org", "@type": '
         '"NewsArticle", "datePublished": "2020-04-12T18:00:00-07:00"}</script>',
         date(2020, 4, 12), datetime(2020, 4, 13, 1, 0, tzinfo=UTC)),
        # Early morning in Manila (an offset without a colon): still the day before in UTC.
        ('<meta property="article:published_time" content="2025-07-05T06:03:42+0800">',
         date(2025, 7, 5), datetime(2025, 7, 4, 22, 3, 42, tzinfo=UTC)),
        ('<meta name="date" content="Sun, 12 Apr 2020 18:00:00 -0700">',
         date(2020, 4, 12), datetime(2020, 4, 13, 1, 0, tzinfo=UTC)),
    ],
    ids=["json-ld", "meta without colon", "rfc 2822"],
)  # fmt: skip
def test_the_day_is_the_one_the_page_declares(head: str, day: date, utc: datetime) -> None:
    published = _published(head)
    assert published.date() == day
    assert published == utc  # the same instant


def test_a_date_without_a_zone_is_taken_as_utc() -> None:
    published = _published('<meta property="article:published_time" content="2024-03-01T23:30">')
    assert published == datetime(2024, 3, 1, 23, 30, tzinfo=UTC)
    assert published.utcoffset() is not None


def test_parse_moment_keeps_the_zone_and_parse_date_converts() -> None:
    assert parse_moment("2020-04-12T18:00:00-07:00").date() == date(2020, 4, 12)  # type: ignore[union-attr]
    assert parse_date("2020-04-12T18:00:00-07:00") == datetime(2020, 4, 13, 1, tzinfo=UTC)
    assert parse_date("2020-04-12T18:00:00-07:00").tzinfo == UTC  # type: ignore[union-attr]
    assert parse_moment("2020-04-12") == datetime(2020, 4, 12, tzinfo=UTC)
    assert parse_moment("12 April") is None and parse_moment(None) is None


def _published_in_body(markup: str) -> datetime | None:
    html = f"""<html lang="pt"><head><title>Agentes e tarifas</title></head><body>
<div class="post"><h1>Agentes e tarifas</h1><p class="meta">22 de abril de 2025</p>{BODY}
<div class="post-footer">{markup}</div></div></body></html>"""
    article = extract(html, URL)
    assert article is not None
    return article.published


def test_the_time_an_hatom_abbr_keeps_in_its_title_is_read() -> None:
    # Blogger's themes print the time of day and keep the whole moment in the title.
    markup = (
        "<abbr class='published' itemprop='datePublished' title='2025-04-22T09:12:00+03:00'>"
        "9:12</abbr>"
    )
    assert _published_in_body(markup) == datetime(2025, 4, 22, 6, 12, tzinfo=UTC)


def test_microdata_dating_several_items_does_not_date_the_page() -> None:
    related = "".join(
        f'<li><a href="/n{day}">Notícia {day}</a><span itemprop="datePublished" '
        f'content="2026-03-{day}T12:00:00+00:00"></span></li>'
        for day in (10, 11, 12)
    )
    # The date printed under the headline, not the first related item's.
    assert _published_in_body(f"<ul>{related}</ul>") == datetime(2025, 4, 22, tzinfo=UTC)
