"""A small multilingual corpus for the search and export tests, stored with store_article.

Ten articles in eight languages and six scripts, from sources in eight countries, with
authors, bios, dates over three years and (for WARC) the raw HTTP responses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db import open_database, session_factory
from storage.models import Article
from storage.records import RawPageRecord, SourceRecord
from storage.repository import store_article, sync_sources
from tests.storage_fixtures import make_record

SOURCES = (
    SourceRecord("dakar-tech", "https://dakar.example/", "SN", "africa", ("fr",), "CC BY 4.0"),
    SourceRecord("nairobi-wire", "https://nairobi.example/", "KE", "africa", ("en", "sw")),
    SourceRecord("cairo-bytes", "https://cairo.example/", "EG", "mena", ("ar",), "All rights"),
    SourceRecord("delhi-digital", "https://delhi.example/", "IN", "asia", ("hi",)),
    SourceRecord("addis-post", "https://addis.example/", "ET", "africa", ("am",)),
    SourceRecord("shanghai-pay", "https://shanghai.example/", "CN", "asia", ("zh",)),
    SourceRecord("tokyo-fin", "https://tokyo.example/", "JP", "asia", ("ja",)),
    SourceRecord("bangkok-biz", "https://bangkok.example/", "TH", "asia", ("th",)),
)


@dataclass(frozen=True)
class Doc:
    key: str
    source: str
    language: str
    title: str
    text: str
    author: str
    bio: str
    published: datetime | None


def _day(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 30, tzinfo=UTC)


DOCS = (
    Doc("fr-pay", "dakar-tech", "fr", "Le paiement mobile au Sénégal",
        "Les commerçants de Dakar adoptent le paiement mobile.\n\nUn café, un crédit, une élève.",
        "Aïssatou Diallo", "Journaliste économique à Dakar.", _day(2024, 3, 14)),
    Doc("fr-bank", "dakar-tech", "fr", "La banque en ligne gagne Abidjan",
        "La banque numérique séduit les jeunes; la crypto aussi, et le paiement suit.",
        "Moussa Ndiaye", "", _day(2023, 6, 2)),
    Doc("en-mpesa", "nairobi-wire", "en", "Mobile money in Kenya",
        "M-Pesa turned mobile money into the default way to pay in Nairobi. Payments grew.",
        "Wanjiru Kamau", "Wanjiru covers payments and policy.", _day(2022, 11, 20)),
    Doc("en-crypto", "nairobi-wire", "en", "Crypto startups court regulators",
        "Startups selling crypto wallets met the central bank. Money was not mentioned.",
        "Wanjiru Kamau", "", None),
    Doc("ar-pay", "cairo-bytes", "ar", "الدفع الرقمي في مصر",
        "تنمو الشركات الناشئة في القاهرة جدًّا بفضل الدفع الرقمي.",
        "ليلى حسن", "صحفية تكنولوجيا.", _day(2024, 1, 8)),
    Doc("hi-pay", "delhi-digital", "hi", "भारत में डिजिटल भुगतान",
        "हिन्दी भाषा में लिखा गया लेख: डिजिटल भुगतान तेजी से बढ़ रहा है।",
        "अनिल शर्मा", "", _day(2023, 12, 31)),
    Doc("am-pay", "addis-post", "am", "የዲጂታል ክፍያ በኢትዮጵያ",
        "በአዲስ አበባ የዲጂታል ክፍያ እያደገ ነው። ባንኮች ተቀላቅለዋል።",
        "ሰላም ታደሰ", "", _day(2024, 2, 29)),
    Doc("zh-pay", "shanghai-pay", "zh", "中国移动支付的普及",
        "移动支付在中国非常普及，支付宝和微信支付是最大的平台。\n\n监管机构关注金融风险。",
        "王芳", "科技记者", _day(2024, 5, 1)),
    Doc("ja-pay", "tokyo-fin", "ja", "日本のキャッシュレス決済",
        "日本ではキャッシュレス決済が増えています。東京の銀行も参入した。",
        "佐藤健", "", _day(2023, 9, 9)),
    Doc("th-pay", "bangkok-biz", "th", "การชำระเงินดิจิทัลในประเทศไทย",
        "การชำระเงินดิจิทัลเติบโตอย่างรวดเร็วในกรุงเทพ ธนาคารหลายแห่งร่วมมือกัน",
        "สมชาย ใจดี", "", _day(2022, 4, 1)),
)  # fmt: skip
KEYS = frozenset(doc.key for doc in DOCS)


def url_of(key: str) -> str:
    return f"https://example.org/{key}"


def raw_page(doc: Doc) -> RawPageRecord:
    html = f"<html><head><title>{doc.title}</title></head><body><p>{doc.text}</p></body></html>"
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
               ("Server", "test")]  # fmt: skip
    fetched = datetime(2024, 6, 1, 12, tzinfo=UTC)
    return RawPageRecord(url_of(doc.key), 200, headers, html.encode(), fetched)


def store_docs(session: Session, docs: tuple[Doc, ...] = DOCS) -> dict[str, int]:
    """Store `docs` (sources synced first); returns their ids by key."""
    sync_sources(session, SOURCES)
    for doc in docs:
        record = make_record(
            url_of(doc.key),
            source=doc.source,
            title=doc.title,
            text=doc.text,
            authors=[doc.author],
            author_bio=doc.bio,
            language=doc.language,
            language_shares={doc.language: 1.0},
            published=doc.published,
            raw_page=raw_page(doc),
        )
        store_article(session, record)
    return ids_by_key(session)


def ids_by_key(session: Session) -> dict[str, int]:
    rows = session.execute(select(Article.canonical_url, Article.id))
    return {url.rsplit("/", 1)[1]: article_id for url, article_id in rows}


def build_corpus(path: Path) -> str:
    """A SQLite file holding DOCS; returns its URL."""
    url = f"sqlite:///{path}"
    engine = open_database(url)
    with session_factory(engine)() as session:
        store_docs(session)
    engine.dispose()
    return url
