"""storage.browse reads a selection its own way on SQLite (covering indexes, range counts per
month, one grouped pass over a search's matches): the results must be exactly those of the
plain queries, awkward rows included (undated, doubtful, orphaned, at a month's edge)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import ColumnElement, insert, select
from sqlalchemy.orm import Session

from storage.browse import _facets_by_query, facets, newest
from storage.db import open_database, session_factory
from storage.models import Article, Source
from storage.queries import ArticleFilter, filter_conditions
from storage.search.api import match_condition

SOURCES = (  # name, country, languages
    ("alpha", "NG", ("en", "yo")),
    ("beta", "ng", ("en",)),  # lower case: counts under NG
    ("gamma", None, ("fr",)),  # no country
    ("delta", "CN", ("zh",)),
    ("epsilon", "KE", ("sw",)),
)
WORDS = {"en": "fintech payments lagos", "yo": "owó fintech", "fr": "paiement fintech dakar",
         "zh": "移动支付 金融", "sw": "pesa simu fintech"}  # fmt: skip


def _published(index: int) -> datetime | None:
    if index % 13 == 0:
        return None
    if index % 50 == 1:  # the last instant of a month, and the first of the next
        return datetime(2021, 3, 31, 23, 59, 59, 999999, tzinfo=UTC)
    if index % 50 == 2:
        return datetime(2021, 4, 1, tzinfo=UTC)
    return datetime(2019, 1, 1, tzinfo=UTC) + timedelta(hours=137 * index)


def _build(path: Path, *, orphans: bool, stray_date: bool) -> str:
    url = f"sqlite:///{path}"
    engine = open_database(url)
    with engine.begin() as connection:
        sources = [{"name": n, "url": f"https://{n}.example/", "country": c, "languages": list(ls)}
                   for n, c, ls in SOURCES]  # fmt: skip
        connection.execute(insert(Source), sources)
        ids = {row.name: row.id for row in connection.execute(select(Source.name, Source.id))}
        rows = []
        for index in range(1, 401):
            name, _country, languages = SOURCES[index % len(SOURCES)]
            language = languages[index % len(languages)]
            published = _published(index)
            if stray_date and index == 7:
                published = datetime(1850, 6, 1, tzinfo=UTC)
            rows.append({
                "source_id": ids[name], "url": f"https://{name}.example/{index}",
                "canonical_url": f"https://{name}.example/{index}", "title": f"t{index}",
                "text": f"{WORDS[language]} {index}", "authors": [f"a{index % 7}"],
                "author_bio": "bio" if index % 3 == 0 else "", "language": language,
                "language_confidence": 0.9, "published": published, "extractor": "test",
                "content_hash": f"{index}", "fetched_at": datetime(2025, 1, 1, tzinfo=UTC),
                "first_seen_at": datetime(2025, 1, 1, tzinfo=UTC),
                "page_kind": "listing" if index % 11 == 0 else "article",
                # stories of two: index and index + 5, for every index % 20 == 1
                "cluster_id": index - 5 if index % 20 == 6 else index,
                "in_story": index % 20 in (1, 6),
            })  # fmt: skip
        connection.execute(insert(Article), rows)
    engine.dispose()
    if orphans:  # rows whose source is gone (a foreign key forbids it; an old file may not)
        with sqlite3.connect(path) as connection:
            connection.execute("UPDATE articles SET source_id = 999 WHERE id % 37 = 0")
    return url


@pytest.fixture(name="session", scope="module", params=["plain", "orphans", "stray date"])
def session_fixture(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Session]:
    path = tmp_path_factory.mktemp("browse") / "corpus.db"
    url = _build(path, orphans=request.param == "orphans",
                 stray_date=request.param == "stray date")  # fmt: skip
    engine = open_database(url)
    with session_factory(engine)() as session:
        yield session
    engine.dispose()


def _day(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


FILTERS = (
    ArticleFilter(),
    ArticleFilter(include_doubtful=True),
    ArticleFilter(languages=("en",)),
    ArticleFilter(languages=("en", "zh")),
    ArticleFilter(sources=("beta", "gamma")),
    ArticleFilter(countries=("NG",)),
    ArticleFilter(since=_day(2021, 1, 1)),
    ArticleFilter(since=_day(2020, 2, 15), until=_day(2021, 4, 1)),
    ArticleFilter(until=_day(2020, 1, 1)),
    ArticleFilter(has_bio=True),
    ArticleFilter(has_bio=True, languages=("fr",)),
    ArticleFilter(authors=("A3",)),
    ArticleFilter(dedupe="near"),
    ArticleFilter(since=_day(2030, 1, 1)),
)
QUERIES = (None, "fintech", "移动支付", "payments OR paiement", "nothingmatches")


def _where(session: Session, query: str | None) -> list[ColumnElement[bool]]:
    return [] if query is None else [match_condition(session, query)]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: str(f.describe()) or "all")
def test_facets_are_those_of_one_group_by_per_facet(
    session: Session, flt: ArticleFilter, query: str | None
) -> None:
    where = _where(session, query)
    expected = _facets_by_query(session, filter_conditions(flt, where))
    assert facets(session, flt, where) == expected


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: str(f.describe()) or "all")
def test_newest_orders_by_date_then_id_undated_last(session: Session, flt: ArticleFilter) -> None:
    stmt = (
        select(Article.id)
        .join(Source, Article.source_id == Source.id)
        .where(*filter_conditions(flt))
        .order_by(Article.published.is_(None), Article.published.desc(), Article.id.desc())
    )
    expected = list(session.scalars(stmt))
    assert [hit.id for hit in newest(session, flt, limit=500)] == expected
    assert [hit.id for hit in newest(session, flt, limit=7, offset=5)] == expected[5:12]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: str(f.describe()) or "all")
def test_one_per_story_is_the_earliest_selected_member(
    session: Session, flt: ArticleFilter, query: str | None
) -> None:
    """dedupe="near" ranks only the members of stories (in_story); what it keeps must
    be what ranking every selected article would keep: per cluster, the earliest selected
    (undated last, then by canonical URL), even when the story's first article is not selected."""
    where = _where(session, query)
    plain = replace(flt, dedupe=None)
    columns = (Article.id, Article.cluster_id, Article.published, Article.canonical_url)
    rows = session.execute(select(*columns).where(*filter_conditions(plain, where))).all()
    earliest: dict[int, tuple[tuple[bool, datetime, str], int]] = {}
    for article_id, cluster_id, published, url in rows:
        group = cluster_id if cluster_id is not None else -article_id
        key = (published is None, published or datetime.min.replace(tzinfo=UTC), url)
        if group not in earliest or key < earliest[group][0]:
            earliest[group] = (key, article_id)
    expected = sorted(article_id for _key, article_id in earliest.values())
    collapsed = replace(flt, dedupe="near")
    kept = session.scalars(select(Article.id).where(*filter_conditions(collapsed, where)))
    assert sorted(kept) == expected


def test_months_before_the_year_1000_are_labelled_as_sqlite_labels_them(tmp_path: Path) -> None:
    """Misread dates can land in year 999: the range-count path must name its months
    "0999-05", as strftime('%Y-%m') does, not "999-05" (which also sorts after 2020)."""
    engine = open_database(f"sqlite:///{tmp_path / 'old.db'}")
    day = datetime(2025, 1, 1, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(insert(Source), [{"name": "old", "url": "https://old.example/"}])
        source_id = connection.execute(select(Source.id)).scalar_one()
        connection.execute(insert(Article), [
            {"source_id": source_id, "url": f"https://old.example/{i}",
             "canonical_url": f"https://old.example/{i}", "title": "t", "text": "x",
             "authors": [], "author_bio": "", "language": "en", "language_confidence": 1.0,
             "published": published, "extractor": "test", "content_hash": str(i),
             "fetched_at": day, "first_seen_at": day, "page_kind": "article"}
            for i, published in enumerate([datetime(999, 5, 3, tzinfo=UTC),
                                           datetime(999, 7, 1, tzinfo=UTC),
                                           datetime(1000, 1, 2, tzinfo=UTC)])
        ])  # fmt: skip
    with session_factory(engine)() as session:
        found = facets(session).by_month
        assert found == _facets_by_query(session, filter_conditions(ArticleFilter())).by_month
        assert found == [("0999-05", 1), ("0999-07", 1), ("1000-01", 1)]
    engine.dispose()
