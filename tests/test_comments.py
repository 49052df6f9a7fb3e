"""Reader comments: never in article text; in their own table when a crawl asks for them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from crawler.devsite.server import serve
from crawler.extract.comments import extract_comments
from tests.crawling import FAST_LOCAL, REPO, export, sankofa, write_sources

SITE = REPO / "tests" / "site"
THREAD = SITE / "2024/03/shamba-mkopo-wakulima-chai-kisii/index.html"


def test_wordpress_thread_in_page_order_with_authors_and_dates() -> None:
    comments = extract_comments(THREAD.read_text(encoding="utf-8"))
    assert [c.author for c in comments] == ["Otieno K.", "Juma Mwangi", "Grace Moraa"]
    assert "wakulima wa miwa wa Mumias" in comments[0].text
    assert "Reply" not in comments[0].text  # the reply link is not the comment
    assert comments[2].published is not None and comments[2].published.isoformat().startswith(
        "2024-03-15T05:47:51"
    )


def test_page_without_comments_has_none() -> None:
    page = SITE / "2024/02/mocambique-carteiras-moveis-mercado-informal.html"
    assert extract_comments(page.read_text(encoding="utf-8")) == []


def test_keep_comments_stores_them_apart_from_the_text(tmp_path: Path) -> None:
    db_file = tmp_path / "corpus.db"
    with serve(SITE) as site:
        sources = write_sources(tmp_path, site.base_url)
        result = sankofa("crawl", "--sources", sources, "--db", f"sqlite:///{db_file}",
                         "--keep-comments", *FAST_LOCAL)  # fmt: skip
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db_file) as connection:
        rows = connection.execute(
            "SELECT a.canonical_url, c.position, c.author, c.text FROM comments c "
            "JOIN articles a ON a.id = c.article_id ORDER BY c.position"
        ).fetchall()
    assert [
        (url.endswith("/shamba-mkopo-wakulima-chai-kisii/"), n, who) for url, n, who, _ in rows
    ] == [
        (True, 0, "Otieno K."),
        (True, 1, "Juma Mwangi"),
        (True, 2, "Grace Moraa"),
    ]
    for article in export(f"sqlite:///{db_file}"):
        assert "SACCO yetu" not in article["text"]
