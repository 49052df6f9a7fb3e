"""One source of truth for article fields: Article -> ArticleRecord -> row -> export.

Adding an article field means the dataclasses, a migration and a codebook entry; the copies
in between are derived by name. These tests fail when a field is missing from one of them
(the migration side is tests/test_migrations.py's drift check).
"""

from __future__ import annotations

import json
from dataclasses import fields, make_dataclass
from datetime import UTC, datetime
from pathlib import Path

from crawler.crawl.article_records import COMPUTED, NOT_STORED, article_record
from crawler.items import Article, FetchedPage, LanguageHints
from storage.db import open_database, session_factory
from storage.export.codebook import CODEBOOK, DERIVED_FIELDS, INTERNAL_COLUMNS
from storage.export.rows import export_jsonl
from storage.records import ArticleRecord, SourceRecord
from storage.repository import ARTICLE_COLUMNS, RECORD_ONLY, store_article, sync_sources


def field_gaps(
    article: set[str], record: set[str], columns: set[str], codebook: set[str]
) -> list[str]:
    """Every place where one of the four lists of article fields misses a field."""
    gaps = [f"Article.{n} is not in ArticleRecord" for n in article - NOT_STORED - record]
    gaps += [f"ArticleRecord.{n} is not on Article" for n in record - COMPUTED - article]
    gaps += [f"ArticleRecord.{n} has no column" for n in record - RECORD_ONLY - columns]
    gaps += [f"column {n} is not in the codebook" for n in columns - INTERNAL_COLUMNS - codebook]
    gaps += [f"codebook {n} has no column" for n in codebook - DERIVED_FIELDS - columns]
    return sorted(gaps)


def _names(cls: type) -> set[str]:
    return {f.name for f in fields(cls)}


REAL = (_names(Article), _names(ArticleRecord), set(ARTICLE_COLUMNS), set(CODEBOOK))


def test_the_four_lists_of_article_fields_agree() -> None:
    assert field_gaps(*REAL) == []


def test_a_field_added_to_the_dataclass_alone_is_reported() -> None:
    wider = make_dataclass("Wider", [("reading_minutes", int, 0)], bases=(Article,))
    article = _names(wider)
    assert field_gaps(article, *REAL[1:]) == ["Article.reading_minutes is not in ArticleRecord"]
    record = REAL[1] | {"reading_minutes"}
    assert field_gaps(article, record, *REAL[2:]) == ["ArticleRecord.reading_minutes has no column"]
    columns = REAL[2] | {"reading_minutes"}
    assert field_gaps(article, record, columns, REAL[3]) == [
        "column reading_minutes is not in the codebook"
    ]
    assert field_gaps(article, record, columns, REAL[3] | {"reading_minutes"}) == []


def test_a_codebook_entry_without_a_column_is_reported() -> None:
    assert field_gaps(*REAL[:3], REAL[3] | {"mood"}) == ["codebook mood has no column"]


def test_every_article_field_reaches_the_export(tmp_path: Path) -> None:
    """Distinct values in every field of an Article come out, unchanged, in JSON Lines."""
    when = datetime(2024, 3, 14, 9, 30, tzinfo=UTC)
    article = Article(
        url="https://dakar.example/a?utm_source=x", canonical_url="https://dakar.example/a",
        title="Titre", text="Corps du texte.", authors=["Awa Koné", "Ali"], author_bio="Bio.",
        author_url="https://dakar.example/author/awa", published=when, modified=when,
        site_name="Dakar Tech", tags=["fintech"], categories=["Paiement"], description="Desc",
        image_url="https://dakar.example/a.jpg", hints=LanguageHints(html_lang="fr"),
        extractor="sankofa-test", source="dakar-tech", fetched_at=when,
        raw_page=FetchedPage("https://dakar.example/a", "dakar-tech", 200, b"<p>x</p>",
                             "text/html", when),
        language="fr", language_confidence=0.97, language_shares={"fr": 0.9, "en": 0.1},
        code_switched=True,
    )  # fmt: skip
    engine = open_database(f"sqlite:///{tmp_path / 'fields.db'}")
    sessions = session_factory(engine)
    with sessions() as session:
        sync_sources(session, [SourceRecord("dakar-tech", "https://dakar.example/", "SN")])
        store_article(session, article_record(article, None, keep_raw=True))
        out = tmp_path / "out.jsonl"
        with out.open("w", encoding="utf-8") as stream:
            export_jsonl(session, stream)
    row = json.loads(out.read_text(encoding="utf-8"))
    assert set(row) == set(CODEBOOK)
    expected = {f.name: getattr(article, f.name) for f in fields(Article)}
    for name in set(row) & set(expected) - {"published", "modified", "fetched_at"}:
        assert row[name] == expected[name], name
    assert row["published"] == row["modified"] == row["fetched_at"] == when.isoformat()
    assert (row["source"], row["country"], row["author"]) == ("dakar-tech", "SN", "Awa Koné")
