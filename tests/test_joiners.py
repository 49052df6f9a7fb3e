"""Zero-width joiners are spelling: Persian and Bengali words keep them through extraction."""

from __future__ import annotations

from crawler.extract.article import extract

ZWNJ, ZWJ = "\u200c", "\u200d"


def _page(lang: str, title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<html lang="{lang}"><head><title>{title}</title></head><body>
<article><h1>{title}</h1><div class="entry-content">{body}</div></article></body></html>"""


PERSIAN = [
    f"به گزارش خبرنگار فناوری، شرکت تاکسی{ZWNJ}یار اعلام کرد تا پایان تابستان تعداد خودروهای "
    f"برقی ناوگان خود را در تهران افزایش می{ZWNJ}دهد و ایستگاه{ZWNJ}های شارژ تازه می{ZWNJ}سازد.",
    f"مدیرعامل این شرکت گفت رانندگان هزینه سوخت خود را کاهش داده{ZWNJ}اند و مسافران از سکوت "
    f"خودروها رضایت دارند؛ این طرح در شهرهای دیگر هم اجرا می{ZWNJ}شود.",
    "کارشناسان حمل و نقل معتقدند استفاده از خودروهای برقی در سفرهای درون شهری سهم قابل توجهی "
    "در کاهش آلاینده های هوا دارد، اما زیرساخت شارژ هنوز کافی نیست.",
]
BENGALI = [
    f"ঢাকার তরুণ উদ্যোক্তারা কৃষকদের জন্য একটি নতুন অ্যাপ তৈরি করেছেন, যা র{ZWJ}্যাব ও "
    "পুলিশের হেল্পলাইনের মতোই সহজে ব্যবহার করা যায় এবং বাজারদর জানায়।",
    f"উদ্যোক্তারা জানান, আগামী মাসে তারা একটি র{ZWJ}্যালির আয়োজন করবেন যেখানে কৃষকেরা "
    "অ্যাপটি বিনামূল্যে ব্যবহার করা শিখতে পারবেন।",
    "বিশেষজ্ঞরা বলছেন, গ্রামাঞ্চলে ইন্টারনেট সংযোগ দুর্বল হওয়ায় অ্যাপটির অফলাইন সংস্করণ "
    "তৈরি করা জরুরি, নইলে অনেক কৃষক সুবিধা পাবেন না।",
]


def test_persian_keeps_its_non_joiners() -> None:
    title = f"تاکسی{ZWNJ}یار خودروهای برقی بیشتری به کار می{ZWNJ}گیرد"
    article = extract(_page("fa", title, PERSIAN), "https://news.example.ir/fa/284117/")
    assert article is not None
    assert article.title == title
    assert f"می{ZWNJ}دهد" in article.text and f"ایستگاه{ZWNJ}های" in article.text
    assert article.text.count(ZWNJ) == sum(p.count(ZWNJ) for p in PERSIAN)


def test_bengali_keeps_its_joiners() -> None:
    article = extract(_page("bn", "কৃষকদের জন্য নতুন অ্যাপ", BENGALI), "https://bn.example/krishi/")
    assert article is not None
    assert f"র{ZWJ}্যাব" in article.text and f"র{ZWJ}্যালির" in article.text


def test_control_characters_are_still_dropped() -> None:
    paragraphs = [p.replace("تهران", "ته\u0007ران") for p in PERSIAN]
    article = extract(_page("fa", "خودروهای برقی در تهران", paragraphs), "https://n.example/1/")
    assert article is not None and "\u0007" not in article.text and "تهران" in article.text
