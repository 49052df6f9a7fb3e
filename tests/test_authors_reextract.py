"""Authors as entities, and re-extraction from the raw pages kept at crawl time."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from crawler import process
from crawler.crawl.reextract import reextract, reextract_page
from crawler.devsite.server import serve
from crawler.items import FetchedPage, LanguageHints
from crawler.process import process_page
from storage.db import open_database, session_factory
from storage.queries import ArticleFilter
from storage.rawpages import StoredPage
from tests.crawling import FAST_LOCAL, REPO, export, sankofa, write_sources

STALE = "/2024/01/yoonpay-paiement-marchand-senegal/"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("corpus")
    db_file = folder / "corpus.db"
    with serve(REPO / "tests" / "site") as site:
        sources = write_sources(folder, site.base_url)
        crawled = sankofa(
            "crawl", "--sources", sources, "--db", f"sqlite:///{db_file}", *FAST_LOCAL
        )
        assert crawled.returncode == 0, crawled.stderr
    yield f"sqlite:///{db_file}", db_file


def test_authors_lists_one_entity_per_source_and_name(corpus: tuple[str, Path]) -> None:
    result = sankofa("authors", "--db", corpus[0], "--format", "json", "--source", "testblog")
    authors = {a["name"]: a for a in json.loads(result.stdout)}
    assert len(authors) == 8
    samir = authors["Samir Abdelkrim"]
    assert samir["articles"] == 1 and "fondateur de StartupBRICS.com" in samir["bio"]
    table = sankofa("authors", "--db", corpus[0])
    assert "Samir Abdelkrim" in table.stdout and "articles" in table.stdout.splitlines()[0]


def test_authors_refuses_an_unknown_source(corpus: tuple[str, Path]) -> None:
    result = sankofa("authors", "--db", corpus[0], "--source", "nope")
    assert result.returncode == 2 and "unknown source 'nope'" in result.stderr


def test_reextract_repairs_a_stale_article_and_keeps_its_id(corpus: tuple[str, Path]) -> None:
    db_url, db_file = corpus
    before = {row["canonical_url"]: row for row in export(db_url)}
    with sqlite3.connect(db_file) as connection:
        connection.execute(
            "UPDATE articles SET text = 'stale', author_bio = '', content_hash = 'old' "
            "WHERE canonical_url LIKE ?",
            (f"%{STALE}",),
        )
    result = sankofa("reextract", "--db", db_url, "--workers", "1")
    assert result.returncode == 0, result.stderr
    assert "re-extracted 8 stored pages: 1 updated, 7 unchanged" in result.stderr
    after = {row["canonical_url"]: row for row in export(db_url)}
    repaired = next(row for url, row in after.items() if url.endswith(STALE))
    assert repaired["id"] == next(r["id"] for u, r in before.items() if u.endswith(STALE))
    assert "Yoonpay revendique déjà 12 000 commerçants" in repaired["text"]
    assert "fondateur de StartupBRICS.com" in repaired["author_bio"]
    with sqlite3.connect(db_file) as connection:
        revisions = connection.execute("SELECT text FROM article_revisions").fetchall()
    assert revisions == [("stale",)]


def test_a_page_that_fails_to_extract_costs_a_reextraction_nothing_else(
    corpus: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    db_file = tmp_path / "copy.db"
    db_file.write_bytes(corpus[1].read_bytes())  # the module's corpus stays as it was
    db_url = f"sqlite:///{db_file}"
    before = {row["canonical_url"]: row for row in export(db_url)}
    real_extract = process.extract_tree

    def extract_or_fail(tree: Any, url: str) -> Any:
        if url.endswith(STALE):
            raise RecursionError("maximum recursion depth exceeded")
        return real_extract(tree, url)

    monkeypatch.setattr(process, "extract_tree", extract_or_fail)
    engine = open_database(db_url)
    outcomes = reextract(session_factory(engine), ArticleFilter(include_doubtful=True), workers=1)
    engine.dispose()
    assert outcomes["extraction_error"] == 1 and outcomes["unchanged"] == 7
    assert f"re-extraction failed on {next(u for u in before if u.endswith(STALE))}" in caplog.text
    assert {row["canonical_url"]: row for row in export(db_url)} == before
    with sqlite3.connect(db_file) as connection:
        failures = connection.execute(
            "SELECT failures FROM crawl_runs ORDER BY id DESC LIMIT 1"
        ).fetchone()[0]
    assert json.loads(failures) == {"extraction_error": 1}


def test_reextract_runs_the_crawls_own_process_page() -> None:
    """Re-extraction and a crawl give the same article for the same response."""
    page = Path(__file__).parent / "fixtures" / "pages" / "fr-wp-sab-mobile-money-senegal.html"
    when = datetime(2024, 1, 2, tzinfo=UTC)
    url = "https://www.techdakar.info/2023/05/12/wave-orange-money-guerre-des-frais-senegal/"
    headers = (("Content-Type", "text/html; charset=utf-8"),)
    stored = StoredPage("https://stored.example/key", "dakar", ("fr",), "SN", url, 200,
                        headers, page.read_bytes(), when)  # fmt: skip
    fetched = FetchedPage(url, "dakar", 200, page.read_bytes(), headers[0][1], when, None, headers)
    crawled = process_page(fetched, LanguageHints(source_languages=("fr",), country="SN")).article
    again = reextract_page(stored).article
    assert crawled is not None and again is not None and crawled.language == "fr"
    assert again.canonical_url == "https://stored.example/key"  # the stored key stays
    again.canonical_url = crawled.canonical_url
    assert again == crawled
