"""Pages kept but doubted by the classifier: stored with their kind, hidden unless asked for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.cli import main as cli
from storage.db import open_database, session_factory
from storage.repository import store_article, sync_sources
from tests.storage_fixtures import SOURCES, make_record

ARTICLE = "https://alpha.example/2024/lagos-fintech"
LISTING = "https://alpha.example/category/fintech"


@pytest.fixture(name="db_url")
def db_url_fixture(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'kinds.db'}"
    with session_factory(open_database(url))() as session:
        sync_sources(session, SOURCES)
        store_article(session, make_record(ARTICLE, article_score=0.97))
        doubtful = make_record(LISTING, title="Fintech archive", text="Lagos fintech news list.",
                               page_kind="listing", article_score=0.12)  # fmt: skip
        store_article(session, doubtful)
    return url


def run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert cli(list(args)) == 0
    return capsys.readouterr().out


def test_export_holds_articles_unless_doubtful_pages_are_asked_for(
    db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "a.jsonl"
    run(capsys, "export", "--db", db_url, "--format", "jsonl", "-o", str(out))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["canonical_url"], r["page_kind"], r["article_score"]) for r in rows] == [
        (ARTICLE, "article", 0.97)
    ]
    run(capsys, "export", "--db", db_url, "--format", "jsonl", "-o", str(out), "--include-doubtful")
    kinds = {json.loads(line)["page_kind"] for line in out.read_text().splitlines()}
    assert kinds == {"article", "listing"}


def test_search_and_stats_show_articles_by_default(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    hits = json.loads(run(capsys, "search", "fintech", "--db", db_url, "--format", "json"))
    assert [hit["title"] for hit in hits["results"]] == ["Fintech in Lagos"]
    both = run(
        capsys, "search", "fintech", "--db", db_url, "--format", "json", "--include-doubtful"
    )
    assert len(json.loads(both)["results"]) == 2
    assert cli(["stats", "--db", db_url]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("1 articles")
    assert "1 doubtful pages not counted (--include-doubtful)" in captured.err
    assert run(capsys, "stats", "--db", db_url, "--include-doubtful").startswith("2 articles")
