"""Every view shows an article's publication time as its publisher wrote it: a page dated
"2020-04-12T01:00+03:00" was published on the 12th in Nairobi, though it was still the 11th
in UTC. The stored instant stays UTC; the view puts it back in the offset the page declared."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import html as lxml_html

from crawler.cli import main as cli
from crawler.web.textsafety import moment
from storage.browse import article_view, newest
from storage.db import open_database, session_factory
from storage.duplicates import cluster_of
from storage.models import publisher_time
from storage.repository import store_article, sync_sources
from storage.search.api import search
from tests.storage_fixtures import SOURCES, make_record
from tests.web_fixtures import serve_corpus

NAIROBI = timezone(timedelta(hours=3))
EARLY_IN_NAIROBI = datetime(2020, 4, 12, 1, 30, tzinfo=NAIROBI)  # 2020-04-11 22:30 UTC
LATE_IN_LIMA = datetime(2020, 4, 12, 21, 0, tzinfo=timezone(timedelta(hours=-5)))  # 13th UTC


@pytest.fixture(name="db_url")
def db_url_fixture(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    engine = open_database(url)
    with session_factory(engine)() as session:
        sync_sources(session, SOURCES)
        for key, title, published in (
            ("nairobi", "Mobile money in Nairobi", EARLY_IN_NAIROBI),
            ("lima", "Fintech in Lima", LATE_IN_LIMA),
            ("utc", "Fintech in UTC", datetime(2020, 4, 10, 12, tzinfo=UTC)),
        ):
            text = f"{title}: a report of its own, written for {key} readers alone."
            record = make_record(f"https://alpha.example/{key}", title=title, text=text,
                                 published=published, content_hash=f"hash-{key}")  # fmt: skip
            store_article(session, record)
        session.commit()
    engine.dispose()
    return url


def test_publisher_time_keeps_the_instant_and_gives_the_pages_day() -> None:
    utc = EARLY_IN_NAIROBI.astimezone(UTC)
    local = publisher_time(utc, 180)
    assert local == utc  # the same instant
    assert local is not None and local.date().isoformat() == "2020-04-12"
    assert utc.date().isoformat() == "2020-04-11"
    assert publisher_time(utc, None) is utc  # no declared offset: UTC, as stored
    assert publisher_time(None, 180) is None
    assert publisher_time(utc, 24 * 60) is utc  # no clock is a day off UTC: shown in UTC


def test_search_hits_and_listings_carry_the_publishers_offset(db_url: str) -> None:
    engine = open_database(db_url)
    with session_factory(engine)() as session:
        hits = {hit.title: hit for hit in search(session, "fintech OR mobile", limit=10)}
        listed = {hit.title: hit for hit in newest(session)}
        for found in (hits, listed):
            nairobi, lima = found["Mobile money in Nairobi"], found["Fintech in Lima"]
            assert nairobi.published == EARLY_IN_NAIROBI
            assert nairobi.published is not None and nairobi.published.day == 12
            assert lima.published is not None and lima.published.day == 12
            assert lima.published.utcoffset() == timedelta(hours=-5)
            assert found["Fintech in UTC"].published == datetime(2020, 4, 10, 12, tzinfo=UTC)
        view = article_view(session, nairobi.id)
        assert view is not None and view.published == EARLY_IN_NAIROBI
        assert view.article.published == EARLY_IN_NAIROBI  # the stored column stays UTC
        assert view.article.published is not None and view.article.published.tzinfo is UTC
        members = cluster_of(session, nairobi.id)
        assert [m.published for m in members] == [EARLY_IN_NAIROBI]
        assert members[0].published is not None and members[0].published.day == 12
    engine.dispose()


def test_the_search_command_prints_the_publishers_day(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["search", "nairobi", "--db", db_url]) == 0
    table = capsys.readouterr().out
    assert "2020-04-12" in table and "2020-04-11" not in table
    assert cli(["search", "nairobi", "--db", db_url, "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)["results"]
    assert row["published"] == "2020-04-12T01:30:00+03:00"


def test_the_web_pages_print_the_publishers_day_and_time(db_url: str) -> None:
    with serve_corpus(db_url) as client:
        page = lxml_html.fromstring(client.get("/", params={"q": "nairobi"}).text)
        days = [t.text_content() for t in page.xpath("//p[@class='meta']/time")]
        assert days == ["2020-04-12"]
        article_id = page.xpath("//a[contains(@href, '/articles/')]/@href")[0]
        article = lxml_html.fromstring(client.get(article_id).text)
        published = article.xpath("//dt[.='Published']/following-sibling::dd[1]/time")[0]
        assert published.text_content() == "2020-04-12 01:30 UTC+03:00"


def test_a_time_in_utc_is_labelled_utc() -> None:
    assert moment(datetime(2020, 4, 10, 12, tzinfo=UTC)) == "2020-04-10 12:00 UTC"
    assert moment(LATE_IN_LIMA) == "2020-04-12 21:00 UTC-05:00"
    assert moment(datetime(2020, 1, 1, 9, tzinfo=timezone(timedelta(hours=5, minutes=30)))) == (
        "2020-01-01 09:00 UTC+05:30"
    )
    assert moment(None) == ""
