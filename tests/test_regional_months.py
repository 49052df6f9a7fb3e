"""Month names a language writes in some regions only: Levantine and Iraqi Arabic "آذار"
(March), "تشرين الأول" (October), Maghreb "جانفي" (January), Afghan Persian, Benin Yoruba.
dateparser knows them in its regional locales, which its date search never consults; the
printed date is read all the same, whatever region the page declares."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.extract.local_dates import _regional_months, _with_base_months, month_names
from tests.byline_pages import published


@pytest.mark.parametrize(
    ("line", "lang", "day"),
    [
        ("<p>12 آذار 2024</p>", "ar", date(2024, 3, 12)),
        ("<p>نُشر في 3 تشرين الأول 2023</p>", "ar", date(2023, 10, 3)),
        ("<p>١٧ كانون الثاني ٢٠٢٥</p>", "ar-LB", date(2025, 1, 17)),  # Arabic-Indic digits
        ("<p>12 جانفي 2024</p>", "ar", date(2024, 1, 12)),
        ("<p>5 شباط 2022 | 4 دقائق</p>", "ar", date(2022, 2, 5)),
    ],
    ids=["levantine march", "published in october", "lebanese page, indic digits",
         "maghreb january", "february before a read time"],
)  # fmt: skip
def test_a_regional_month_name_is_read(line: str, lang: str, day: date) -> None:
    assert published(line, lang) == day


def test_the_names_come_from_dateparser_and_stay_within_their_language() -> None:
    pattern, names = _regional_months("ar")
    assert pattern is not None
    assert names["آذار"] == "مارس" and names["تشرين الأول"] == "أكتوبر"
    # The longer name wins over its first word: "كانون الثاني" is January, "كانون الأول"
    # December.
    assert _with_base_months("كانون الأول 2024", ["ar"]) == "ديسمبر 2024"
    assert _regional_months("en") == (None, {})  # English has no regional month names
    assert _with_base_months("12 آذار 2024", ["en"]) == "12 آذار 2024"  # read as the page says
    assert "آذار" in month_names(["ar"])  # an author's trailing month is recognised too


def test_a_word_that_holds_a_regional_name_is_left_alone() -> None:
    # "آب" (August) inside a longer word is no month.
    assert _with_base_months("الآباء 2024", ["ar"]) == "الآباء 2024"


def test_every_regional_name_is_replaced_by_a_month_of_its_language() -> None:
    for language in ("ar", "fa", "yo", "fr", "de", "bn", "sr-Latn"):
        pattern, names = _regional_months(language)
        assert pattern is not None and names, language
        for name, base in names.items():
            assert _with_base_months(f"5 {name.upper()} 2024", [language]) == f"5 {base} 2024"
