"""Synthetic multilingual articles for benchmarks.corpus: procedural, seeded, fast.

Each language has a few function words (the most frequent), thousands of pseudo-words built
from the script's syllables, and a few dozen real content words (what the benchmark searches
for) spread over ranks 30 to 3,000, drawn with Zipf weights (the n-th word 1/n): a content
word then occurs in about 60% to 1% of the articles of its language, as topical words do in
a news corpus. Chinese, Japanese and Thai are written without spaces between words.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any, Final

REAL_WORDS: Final = {
    "en": "the of and to in a is for that on with startup fintech mobile money payments bank "
    "investors funding growth market lending digital customers platform africa lagos nairobi "
    "regulation crypto wallet merchants agents insurance ecommerce logistics data cloud",
    "fr": "le la les des et en un une pour dans paiement mobile startups banque marché "
    "commerçants crédit financement numérique croissance sénégal dakar abidjan régulation "
    "assurance données plateforme épargne élève café",
    "sw": "na ya wa kwa katika ni la za pesa simu benki biashara wateja teknolojia mkopo "
    "malipo kampuni soko huduma serikali nairobi mpesa uwekezaji",
    "pt": "o a de que e do da em para com pagamentos banco startups mercado crédito "
    "investimento clientes digital plataforma fintech regulação dados",
    "ar": "في من على إلى أن عن مع الدفع الرقمي الشركات الناشئة البنك السوق التمويل العملاء "
    "التكنولوجيا القاهرة الرياض دبي الاستثمار المحفظة جدًا",
    "hi": "के में की है और से को का पर डिजिटल भुगतान बैंक बाजार स्टार्टअप निवेश ग्राहक तकनीक "
    "सरकार मोबाइल हिन्दी भारत कंपनी",
    "am": "እና ላይ ውስጥ ነው ክፍያ ዲጂታል ባንክ ገበያ ኢንቨስትመንት ደንበኞች ቴክኖሎጂ አዲስ አበባ ኢትዮጵያ ኩባንያ ሞባይል",
    "zh": "的 了 在 是 和 支付 移动支付 中国 银行 市场 创业 投资 用户 平台 科技 数字 钱包 "
    "金融 监管 电商 支付宝 微信",
    "ja": "の に は を が で 決済 キャッシュレス 日本 銀行 市場 スタートアップ 投資 顧客 "
    "技術 デジタル 東京 規制 電子マネー",
    "th": "ที่ และ ของ ใน การ ชำระเงิน ดิจิทัล ธนาคาร ตลาด สตาร์ทอัพ การลงทุน ลูกค้า "
    "เทคโนโลยี กรุงเทพ ประเทศไทย แพลตฟอร์ม",
}
# How many of the first REAL_WORDS are function words (the rest are content words).
FUNCTION_WORDS: Final = {"en": 11, "fr": 10, "sw": 8, "pt": 10, "ar": 7, "hi": 9, "am": 4,
                         "zh": 5, "ja": 6, "th": 5}  # fmt: skip
CONTENT_RANKS: Final = (30, 3000)
SOURCES: Final = {  # language -> (source name, country)
    "en": ("techcabal", "NG"),
    "fr": ("socialnetlink", "SN"),
    "sw": ("techmoran", "KE"),
    "pt": ("startupi", "BR"),
    "ar": ("wamda", "AE"),
    "hi": ("yourstory-hindi", "IN"),
    "am": ("addis-tech", "ET"),
    "zh": ("techinasia-zh", "SG"),
    "ja": ("bridge-jp", "JP"),
    "th": ("techsauce", "TH"),
}
LANGUAGES: Final = tuple(SOURCES)
PSEUDO_WORDS: Final = 4000
STREAM_WORDS: Final = 400_000
_EPOCH: Final = datetime(2019, 1, 1, tzinfo=UTC)


def _latin(rng: random.Random) -> str:
    return "".join(
        rng.choice("bcdfghjklmnprstvwz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4))
    )


def _ranges(*spans: tuple[int, int]) -> list[str]:
    return [chr(c) for first, last in spans for c in range(first, last + 1)]


_ARABIC = _ranges((0x0628, 0x063A), (0x0641, 0x064A))
_DEVANAGARI = _ranges((0x0915, 0x0939))
_MATRAS = ["", "", "\u093e", "\u093f", "\u0940", "\u0941", "\u0947", "\u094b"]
_ETHIOPIC = _ranges((0x1200, 0x1248), (0x1260, 0x1288), (0x12A0, 0x12AE), (0x12C8, 0x12D6))
_HAN = _ranges((0x4E00, 0x6FFF))
_KANA = _ranges((0x3042, 0x3093), (0x30A2, 0x30F3))
_THAI = _ranges((0x0E01, 0x0E2E))
_THAI_VOWELS = ["", "\u0e32", "\u0e34", "\u0e35", "\u0e38", "\u0e31", "\u0e48", "\u0e49"]


def _pseudo(language: str, rng: random.Random) -> str:
    if language in ("en", "fr", "sw", "pt"):
        return _latin(rng)
    if language == "ar":
        return "".join(rng.choices(_ARABIC, k=rng.randint(3, 6)))
    if language == "hi":
        return "".join(
            rng.choice(_DEVANAGARI) + rng.choice(_MATRAS) for _ in range(rng.randint(2, 4))
        )
    if language == "am":
        return "".join(rng.choices(_ETHIOPIC, k=rng.randint(2, 4)))
    if language == "zh":
        return "".join(rng.choices(_HAN, k=rng.choice((1, 2, 2, 2, 3))))
    if language == "ja":
        return "".join(rng.choices(_KANA if rng.random() < 0.6 else _HAN, k=rng.randint(2, 4)))
    return "".join(rng.choice(_THAI) + rng.choice(_THAI_VOWELS) for _ in range(rng.randint(2, 3)))


@dataclass(frozen=True)
class Vocabulary:
    """A long Zipf-distributed word stream (the n-th word has weight 1/n); texts are slices."""

    stream: list[str]

    def words(self, rng: random.Random, count: int) -> list[str]:
        start = rng.randrange(len(self.stream) - count)
        return self.stream[start : start + count]


def vocabulary(language: str, seed: int = 7) -> Vocabulary:
    rng = random.Random(f"{seed}-{language}")
    real = REAL_WORDS[language].split()
    function, content = real[: FUNCTION_WORDS[language]], real[FUNCTION_WORDS[language] :]
    words = function + [_pseudo(language, rng) for _ in range(PSEUDO_WORDS)]
    low, high = CONTENT_RANKS
    for index, word in enumerate(content):  # geometric ranks from `low` to `high`
        words.insert(round(low * (high / low) ** (index / (len(content) - 1))), word)
    weights = list(accumulate(1 / (rank + 1) for rank in range(len(words))))
    return Vocabulary(rng.choices(words, cum_weights=weights, k=STREAM_WORDS))


class ArticleFactory:
    """Rows for a Core INSERT into articles, deterministic for a given index."""

    def __init__(self, source_ids: dict[str, int], seed: int = 7) -> None:
        self.source_ids = source_ids
        self.seed = seed
        self.vocabularies = {language: vocabulary(language, seed) for language in LANGUAGES}

    def row(self, index: int) -> dict[str, Any]:
        rng = random.Random(self.seed * 1_000_003 + index)
        language = LANGUAGES[index % len(LANGUAGES)]
        source, _country = SOURCES[language]
        published = _EPOCH + timedelta(minutes=rng.randrange(6 * 365 * 24 * 60))
        author = f"Author {rng.randrange(300)} {source}"
        url = f"https://{source}.example/{published:%Y/%m}/article-{index}"
        return {
            "source_id": self.source_ids[source],
            "url": url,
            "canonical_url": url,
            "title": self._text(language, rng, rng.randint(6, 12)),
            "text": "\n\n".join(
                self._text(language, rng, rng.randint(40, 120)) for _ in range(rng.randint(2, 5))
            ),
            "authors": [author],
            "author_bio": self._text(language, rng, 12) if rng.random() < 0.3 else "",
            "language": language,
            "language_confidence": round(rng.uniform(0.7, 1.0), 3),
            "language_shares": {language: 1.0},
            "published": published,
            "modified": None,
            "site_name": source,
            "tags": rng.sample(("fintech", "funding", "policy", "mobile", "ai"), 2),
            "categories": ["news"],
            "description": None,
            "image_url": None,
            "extractor": "benchmark",
            "content_hash": f"{index:016x}",
            "fetched_at": published + timedelta(days=1),
            "first_seen_at": published + timedelta(days=1),
        }

    def _text(self, language: str, rng: random.Random, count: int) -> str:
        words = self.vocabularies[language].words(rng, count)
        if language in ("zh", "ja"):  # no spaces; a comma every dozen words
            return "，".join("".join(words[i : i + 12]) for i in range(0, count, 12)) + "。"
        if language == "th":  # no spaces between words, one between phrases
            return " ".join("".join(words[i : i + 8]) for i in range(0, count, 8))
        return " ".join(words) + "."
