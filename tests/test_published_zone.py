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
