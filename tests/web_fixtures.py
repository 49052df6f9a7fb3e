"""A small corpus for the `sankofa serve` tests: five languages (Arabic among them), three
countries, authors with bios, a story cluster of three, an earlier revision, a raw page,
and hostile text planted in every field a page shows (XSS payloads, a javascript: URL).

`build_corpus(url)` stores it through the same repository functions a crawl uses.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Final

from starlette.testclient import TestClient

from crawler.dedupe.signature import signature
from crawler.web.app import create_app
from storage.db import open_database, open_read_only, session_factory
from storage.records import ArticleRecord, RawPageRecord, SourceRecord
from storage.repository import store_article, sync_sources

XSS_SCRIPT: Final = "<script>window.__pwned=1</script>"
XSS_IMG: Final = '<img src=x onerror="window.__pwned=1">'
XSS_ATTR: Final = '" onmouseover="window.__pwned=1" x="'
JAVASCRIPT_URL: Final = "javascript:window.__pwned=1//"
HOSTILE_SOURCE: Final = f"evil{XSS_IMG}"
ARABIC_TITLE: Final = "الشركات الناشئة في القاهرة تجمع تمويلا قياسيا"
ARABIC_BODY: Final = (
    "أعلنت شركات التكنولوجيا المالية في مصر عن جولات تمويل جديدة هذا العام، "
    "وقال المستثمرون إن السوق المصرية أصبحت من أهم الأسواق في أفريقيا والشرق الأوسط.\n"
    "ويتوقع الخبراء أن يستمر نمو المدفوعات الرقمية في القاهرة والإسكندرية خلال السنوات المقبلة."
)
STORY: Final = (
    "Flutterwave announced a new payments partnership with a pan-African telecom group on "
    "Monday, extending mobile money transfers to eleven markets across the continent. The "
    "company said merchants in Nigeria, Kenya and Ghana would be able to settle card and "
    "wallet payments in local currency within one business day, and that fees for small "
    "businesses would fall by a third over the next year. Analysts said the deal puts pressure "
    "on rival processors and on banks that still charge high fees for cross-border transfers."
)
SOURCES: Final = (
    SourceRecord("techcabal", "https://techcabal.example/", "NG", "africa", ("en",)),
    SourceRecord("wamda", "https://wamda.example/", "EG", "mena", ("ar", "en")),
    SourceRecord("startupbrics", "https://startupbrics.example/", "MA", "africa", ("fr",)),
    SourceRecord(HOSTILE_SOURCE, JAVASCRIPT_URL, "KE", "africa", ("sw",)),
)
BASE_DAY: Final = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def _record(source: str, slug: str, title: str, text: str, language: str, days: int,
            **fields: object) -> ArticleRecord:  # fmt: skip
    url = f"https://{source if source.isalnum() else 'evil'}.example/{slug}"
    values: dict[str, object] = {
        "source": source, "url": url, "canonical_url": url, "title": title, "text": text,
        "authors": ["Amina Diallo"], "author_bio": "Amina covers fintech across West Africa.",
        "author_url": None, "published": BASE_DAY + timedelta(days=days), "modified": None,
        "site_name": source, "tags": ["fintech"], "categories": [], "description": None,
        "image_url": None, "language": language, "language_confidence": 0.97,
        "language_shares": {language: 1.0}, "extractor": "test",
        "content_hash": hashlib.sha256(text.encode()).hexdigest(),
        "fetched_at": BASE_DAY + timedelta(days=days, hours=1),
        "minhash": signature(text),
    }  # fmt: skip
    values.update(fields)
    return ArticleRecord(**values)  # type: ignore[arg-type]


def corpus_records() -> list[ArticleRecord]:
    raw = RawPageRecord("https://techcabal.example/story", 200,
                        [("Content-Type", "text/html; charset=utf-8")],
                        f"<html><body><h1>Story</h1>{XSS_SCRIPT}</body></html>".encode(),
                        BASE_DAY)  # fmt: skip
    return [
        _record(
            "techcabal",
            "story",
            "Flutterwave signs a telecom deal",
            STORY,
            "en",
            0,
            raw_page=raw,
            description="A pan-African payments partnership.",
        ),
        _record(
            "wamda",
            "story-copy",
            "Flutterwave telecom partnership",
            STORY + " (Wamda)",
            "en",
            1,
            authors=["Omar Hassan"],
            author_bio="Omar edits Wamda's news desk.",
        ),
        _record(
            "startupbrics",
            "story-copy-2",
            "Flutterwave partnership, repost",
            "Reposted. " + STORY,
            "en",
            2,
            authors=[],
        ),
        _record(
            "wamda",
            "cairo",
            ARABIC_TITLE,
            ARABIC_BODY,
            "ar",
            20,
            authors=["سارة أحمد"],
            author_bio="صحفية تغطي التكنولوجيا في القاهرة.",
        ),
        _record(
            "startupbrics",
            "maroc",
            "Le Maroc, hub de l'offshoring francophone",
            "Le Maroc est devenu une destination majeure de l'offshoring francophone. "
            "Des milliers de conseillers y travaillent chaque jour.",
            "fr",
            40,
            authors=["Samir Abdelkrim"],
            author_bio="Samir fonde StartupBRICS.",
        ),
        _record(
            HOSTILE_SOURCE,
            "xss",
            f"Pwned {XSS_SCRIPT} {XSS_ATTR}",
            f"Body with {XSS_IMG} and {XSS_SCRIPT} inside.\nSecond {XSS_ATTR} line.",
            "sw",
            60,
            authors=[f"Mallory {XSS_SCRIPT}"],
            author_bio=f"Bio {XSS_IMG}",
            url=JAVASCRIPT_URL,
            tags=[XSS_IMG],
        ),
        _record(
            "techcabal",
            "nairobi",
            "Nairobi startups raise seed rounds",
            "Kampuni changa za Nairobi zimepata ufadhili mpya wa mbegu mwaka huu, na "
            "wawekezaji wanasema soko la Kenya linaendelea kukua kwa kasi.",
            "sw",
            70,
        ),
        _record(
            "techcabal",
            "shenzhen",
            "深圳支付公司进入非洲市场",
            "深圳的移动支付公司宣布进入尼日利亚和肯尼亚市场，与当地银行合作推出数字钱包。",
            "zh",
            80,
            authors=["Li Wei"],
            author_bio="",
        ),
    ]


def build_corpus(url: str) -> None:
    """Store the corpus into the database at `url` (migrated first), with one revision."""
    engine = open_database(url)
    sessions = session_factory(engine)
    records = corpus_records()
    with sessions() as session:
        sync_sources(session, SOURCES)
        for record in records:
            store_article(session, record)
        first = records[0]
        later = first.fetched_at + timedelta(days=3)
        changed = replace(first, text=first.text + " Updated.", content_hash="x", fetched_at=later)
        store_article(session, changed)
        session.commit()
    engine.dispose()


@contextmanager
def serve_corpus(url: str) -> Iterator[TestClient]:
    """The server over the corpus at `url`, opened read-only, through Starlette's client."""
    engine = open_read_only(url)
    try:
        with TestClient(create_app(engine)) as client:
            yield client
    finally:
        engine.dispose()
