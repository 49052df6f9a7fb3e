"""One crawl over a hostile site: it ends, keeps the normal articles, names every attack.

The site (tests/hostile_site.py) serves on 127.0.0.1 a gzip bomb, a 60 MB page, a tar pit,
random bytes, 200,000 links, a billion-laughs feed, NUL bytes and lone surrogates, a 100 MB
sitemap, a gzip-bomb sitemap, a self-listing sitemap index, a chain of 1,000 indexes, flaky
and redirecting pages, a redirect loop, a truncated body, a link too long to request, lying
charsets, 50,000 nested <div>s and a right-to-left override, between six normal articles.
`python -m benchmarks.hostile` runs the same crawl and prints its time and peak memory.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.crawling import FAST_LOCAL, sankofa
from tests.hostile_site import (
    CASES,
    CP1252_TITLE,
    ESCAPED_PATH,
    NORMAL_PATHS,
    UTF16_TITLE,
    HostileSite,
    serve_hostile,
    sources_entry,
)

# Tight timeouts and one retry keep the crawl short; the bounds themselves are under test.
HOSTILE_SETTINGS = [*FAST_LOCAL, "-s", "DOWNLOAD_TIMEOUT=5", "-s", "RETRY_TIMES=2"]
TIME_BOUND = 240  # seconds: the whole crawl, tar pit and bombs included


@dataclass
class HostileCrawl:
    site: HostileSite
    db: Path
    stderr: str
    seconds: float
    exit_status: int

    def rows(self, sql: str) -> list[tuple[object, ...]]:
        with sqlite3.connect(self.db) as connection:
            return connection.execute(sql).fetchall()

    def article(self, path: str) -> dict[str, object]:
        with sqlite3.connect(self.db) as connection:
            connection.row_factory = sqlite3.Row
            row = connection.execute(
                "SELECT * FROM articles WHERE url = ?", (self.site.base_url + path,)
            ).fetchone()
        assert row is not None, f"{path} was not stored"
        return dict(row)


def crawl_hostile(site: HostileSite, folder: Path) -> HostileCrawl:
    sources = folder / "sources.toml"
    sources.write_text(sources_entry(site), encoding="utf-8")
    db = folder / "hostile.db"
    started = time.monotonic()
    result = sankofa("crawl", "--sources", sources, "--db", f"sqlite:///{db}", *HOSTILE_SETTINGS)
    return HostileCrawl(site, db, result.stderr, time.monotonic() - started, result.returncode)


@pytest.fixture(scope="module", name="crawled")
def crawled_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileCrawl]:
    with serve_hostile() as site:
        yield crawl_hostile(site, tmp_path_factory.mktemp("hostile"))


def test_the_crawl_ends_in_bounded_time_without_a_traceback(crawled: HostileCrawl) -> None:
    assert crawled.exit_status == 0, crawled.stderr[-3000:]
    assert crawled.seconds < TIME_BOUND
    assert "Traceback" not in crawled.stderr


def test_the_normal_articles_in_between_are_stored(crawled: HostileCrawl) -> None:
    for path in NORMAL_PATHS:
        assert crawled.article(path)["text_quality"] == "ok"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.reason + ":" + case.path)
def test_every_hostile_case_is_reported_with_its_reason(crawled: HostileCrawl, case) -> None:  # type: ignore[no-untyped-def]
    summary = crawled.stderr[crawled.stderr.index("Crawl run") :]
    if case.kind == "stored":
        crawled.article(case.stored_at or case.path)
    else:
        line = next(line for line in summary.splitlines() if line.strip().startswith(case.kind))
        assert f" {case.reason} " in line + " ", f"{case.what}: {line}"


def test_runs_lists_every_reason(crawled: HostileCrawl) -> None:
    runs = sankofa("runs", "--db", f"sqlite:///{crawled.db}").stdout
    for case in CASES:
        if case.kind != "stored":
            assert case.reason in runs


def test_lying_charsets_are_decoded_by_the_bytes(crawled: HostileCrawl) -> None:
    cp1252 = crawled.article("/2024/05/declared-utf8-sent-cp1252/")
    assert cp1252["title"] == CP1252_TITLE and "\ufffd" not in str(cp1252["text"])
    assert json.loads(str(cp1252["authors"])) == ["Aïssatou Diallo"]
    utf16 = crawled.article("/2024/05/utf16-without-a-bom/")
    assert utf16["title"] == UTF16_TITLE and "\ufffd" not in str(utf16["text"])


def test_damaged_text_is_kept_and_flagged(crawled: HostileCrawl) -> None:
    damaged = crawled.article("/2024/05/nul-bytes-and-surrogates/")
    assert "\x00" not in str(damaged["text"]) and "fintech regulation" not in str(damaged["text"])
    assert "Null bytes inside a sentence" in str(damaged["text"])
    assert damaged["text_quality"] == "replacement_chars"


def test_deep_nesting_and_link_floods_keep_their_article(crawled: HostileCrawl) -> None:
    for path in ("/2024/05/fifty-thousand-nested-divs/", "/2024/05/two-hundred-thousand-links/"):
        article = crawled.article(path)
        assert str(article["text"]).startswith("Mobile money has changed"), path
        assert article["page_kind"] == "article"


def test_bidi_overrides_leave_titles_and_names_but_not_arabic_text(crawled: HostileCrawl) -> None:
    article = crawled.article("/2024/05/bidi-override-in-title/")
    assert article["title"] == "Startups gnirps ni raise funds in Amman"
    assert json.loads(str(article["authors"])) == ["Layla Haddad"]
    assert "أعلنت شركة ناشئة أردنية" in str(article["text"])


def test_a_recrawl_with_other_escape_case_stores_no_duplicate(
    tmp_path: Path, crawled: HostileCrawl
) -> None:
    """The same Arabic slug linked as /%D9%85.../ then /%d9%85.../: one article."""
    crawled.site.lower_escapes = True
    try:
        again = sankofa(
            "crawl", "--sources", crawled.db.parent / "sources.toml", "--db",
            f"sqlite:///{crawled.db}", *HOSTILE_SETTINGS,
        )  # fmt: skip
    finally:
        crawled.site.lower_escapes = False
    assert "Traceback" not in again.stderr
    keys = [key for (key,) in crawled.rows("SELECT canonical_url FROM articles")]
    assert [key for key in keys if key.endswith(ESCAPED_PATH)] == [
        crawled.site.base_url + ESCAPED_PATH
    ]
    duplicates = crawled.rows(
        "SELECT canonical_url FROM articles GROUP BY canonical_url HAVING count(*) > 1"
    )
    assert duplicates == []
