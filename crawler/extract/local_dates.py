"""Publication dates printed only in the page's own language. PURE.

"27 de fevereiro de 2024", "٥ مارس ٢٠٢٤", "5 Machi 2024", "ngày 5 tháng 3 năm 2024": many
themes print the date and nothing machine-readable. Structure decides where to look, the
page's language how to read, and dateparser (200+ locales) does the reading:

* where: the byline region after the headline: <time> elements, and elements whose class or
  id speaks of a date, a time, a post's meta or its byline, in document order after the <h1>
  (inside <article> or <main> when the page has no <h1>);
* never site furniture: nothing in a header, nav, footer or aside outside the article, and
  nothing marked as today's date, a top bar, a ticker, a sidebar, a widget, recent or
  related posts or comments; and the first candidate after the headline wins, so the
  dates of teasers further down never come first. A box that holds the <h1> too is the
  article's, whatever its marks ("m-article--sidebar-right", a <header> around the title);
* failing those, a short line among the 30 elements after the <h1>, whatever its markup:
  many themes print "<p>December 15, 2025</p>" or "Updated May 6, 2025 • 8 min read" in
  elements no class names. The line is cut at separators such as "•" or "|", and a piece
  is read when it has 40 characters at most. Sentences are longer than that, so a date
  inside the body's prose is not read;
* failing those too, such a line among the 6 elements right before the <h1>: news themes
  print the dateline over the headline, beside the section's name;
* how: the languages the page declares (<html lang>, og:locale), then English, then the
  languages written in the date's own script when the page declares none of them: many
  themes keep WordPress's lang="en-US" whatever they print, and a page may declare nothing
  ("2024年3月21日" is read in Chinese and Japanese, "12 मार्च 2025" in Hindi, Marathi and
  Nepali); digits of any script are read as digits; a candidate needs a year, 1990 to
  next year, to be tried at all, and what dateparser reads must print the year it gives
  ("ONE on Jan 22, 2025" is not 2022-01-01);
  relative times ("8 min read" read as "8 minutes ago") are never read;
* a language's regional month names are read too: dateparser knows "آذار" (Levantine
  Arabic), "جانفي" (Maghreb) or "اگست" (Afghan Persian) only in regional locales, which its
  date search does not consult, so each is replaced by the language's own name for that
  month first; the names come from dateparser's locale data, not from a list of ours;
* what dateparser reads must also name the month the text names, when it names one, and a
  date it misses or misreads is read again from its parts, when the text holds exactly one
  year, one month name (its locale data again) and one day number beside it: its data lacks
  some connector words ("13 ga Mayu, 2025" in Hausa, "2025 жылғы 7 мамыр" in Kazakh) and
  its tokenizer splits some names ("ජූනි", June in Sinhala, came out as January); there a
  long month name may also be spelled with one letter more or less than in its data
  ("Afrilu" for "Afirilu" in Hausa), in a language of the page other than English.

``month_names`` gives the same languages' month names (dateparser's locale data), for the
metadata reader to tell a date's month from a name.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any, Final

from dateparser.data.languages_info import language_locale_dict
from dateparser.languages.loader import default_loader
from dateparser.search import search_dates
from lxml import etree

_DATE_CLASS = "date|time|posted|publish|byline|meta|dateline|entry-info|post-info"
_FURNITURE_CLASS: Final = re.compile(
    r"today|current|top-?bar|ticker|widget|sidebar|recent|related|footer|menu|comment|"
    r"breaking|weather|clock|copyright|newsletter",
    re.IGNORECASE,
)
_FURNITURE_TAGS: Final = frozenset({"header", "nav", "footer", "aside"})
_CONTENT_TAGS: Final = frozenset({"article", "main"})
_CANDIDATE_TEST = " or ".join(
    f"contains(translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), "
    f"'{word}') or contains(@id, '{word}')"
    for word in _DATE_CLASS.split("|")
)
_AFTER_HEADLINE: Final = etree.XPath(f"following::*[self::time or {_CANDIDATE_TEST}]")
_IN_CONTENT: Final = etree.XPath(f"(//article | //main)[1]//*[self::time or {_CANDIDATE_TEST}]")
# dateparser's locale keys for the months (its data, in every locale, is filed under them).
_MONTHS: Final = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_MAX_CANDIDATES: Final = 12
_PLAIN_WINDOW: Final = 30  # elements after the headline: the byline region, not the body
_PLAIN_AFTER_HEADLINE: Final = etree.XPath(f"following::*[position() <= {_PLAIN_WINDOW}]")
_ABOVE_WINDOW: Final = 6  # elements before the headline: its kicker and dateline, not the header
# In the body, and only elements that print text (a short page's <title> and scripts come
# right before its <h1>); lxml gives them in document order, so the nearest come last.
_ABOVE_HEADLINE: Final = etree.XPath(
    "preceding::*[ancestor::body][not(self::script or self::style or self::noscript"
    f" or self::template)][position() <= {_ABOVE_WINDOW}]"
)
_PLAIN_MAX_CHARS: Final = 40  # a date with a word or two ("Updated", "Published on")
_SEPARATOR: Final = re.compile(r"\s*[|•·⋅–—]\s*")
_MAX_CHARS: Final = 100
# The languages a date printed in each script (the first word of its letters' Unicode names)
# can be written in. Latin is left out: it says nothing about the language.
_SCRIPT_LANGUAGES: Final = {
    "ARABIC": ("ar", "fa", "ur"), "CJK": ("zh", "ja"), "HIRAGANA": ("ja",),
    "KATAKANA": ("ja",), "HANGUL": ("ko",), "DEVANAGARI": ("hi", "mr", "ne"),
    "BENGALI": ("bn",), "GURMUKHI": ("pa",), "GUJARATI": ("gu",), "TAMIL": ("ta",),
    "TELUGU": ("te",), "KANNADA": ("kn",), "MALAYALAM": ("ml",), "SINHALA": ("si",),
    "THAI": ("th",), "LAO": ("lo",), "KHMER": ("km",), "MYANMAR": ("my",),
    "ETHIOPIC": ("am", "ti"), "GEORGIAN": ("ka",), "ARMENIAN": ("hy",), "HEBREW": ("he",),
    "GREEK": ("el",), "CYRILLIC": ("ru", "uk", "bg", "sr", "kk"),
}  # fmt: skip
# Bounded by non-digits, not by \b: in "2024年3月21日" the year touches a letter.
_YEAR: Final = re.compile(r"(?<!\d)(?:199\d|20[0-4]\d)(?!\d)")
_DAY: Final = re.compile(r"0?[1-9]|[12]\d|3[01]")
_VARIANT_MIN_CHARS: Final = 5  # a month's name spelled another way: no short abbreviation
_CONNECTOR_CHARS: Final = 3  # "ga" (Hausa), "de", "of": a word a date's parts may have between
_PUNCTUATION: Final = ",.;:()[]-–—/"
_SETTINGS: Final = {
    "REQUIRE_PARTS": ["day", "month", "year"],
    "PREFER_DAY_OF_MONTH": "first",
    # Not "relative-time": a printed date is absolute, and "2025•8 min read" read as
    # "8 minutes ago" would date the page by the crawl.
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    "RETURN_AS_TIMEZONE_AWARE": False,
}
# Every decimal digit of every script, read as its ASCII digit ("٢٠٢٤", "२०२४" -> "2024").
_DIGITS: Final = {
    code: str(unicodedata.digit(chr(code)))
    for code in range(0x0660, 0x1C60)
    if unicodedata.category(chr(code)) == "Nd"
}


def visible_date(
    tree: Any, languages: Sequence[str], now: datetime | None = None
) -> datetime | None:
    """The publication date the page prints near its headline, read in ``languages``."""
    wanted = _languages(languages)
    latest = (now or datetime.now(UTC)) + timedelta(days=1)
    for texts in (_candidate_texts(tree), _plain_texts(tree), _above_texts(tree)):
        for text in texts:
            found = _parse(text, wanted)
            if found is not None and datetime(1990, 1, 1, tzinfo=UTC) <= found <= latest:
                return found
    return None


def _candidate_texts(tree: Any) -> list[str]:
    headline = tree.find(".//h1")
    elements = _AFTER_HEADLINE(headline) if headline is not None else _IN_CONTENT(tree)
    texts = islice(_dated_lines(elements, _Furniture(headline)), _MAX_CANDIDATES)
    return list(dict.fromkeys(texts))


def _plain_texts(tree: Any) -> list[str]:
    """Short lines right after the headline, whatever their markup: many themes print the
    date in an element no class names ("<p>December 15, 2025</p>", "Updated May 6, 2025")."""
    return _short_lines(tree, _PLAIN_AFTER_HEADLINE)


def _above_texts(tree: Any) -> list[str]:
    """Short lines right above the headline (nearest first): news themes print the date over
    the title, beside the section ("Kinh doanh | Thứ hai, 5/2/2024")."""
    return _short_lines(tree, lambda headline: reversed(_ABOVE_HEADLINE(headline)))


def _short_lines(tree: Any, near_headline: Callable[[Any], Iterable[Any]]) -> list[str]:
    """The dated short lines among the elements ``near_headline`` finds from the <h1>, cut
    at separators ("October 23, 2025•8 min read": dateparser reads the pieces, not the run)."""
    headline = tree.find(".//h1")
    if headline is None:
        return []
    texts: list[str] = []
    for text in _dated_lines(near_headline(headline), _Furniture(headline)):
        pieces = (piece.strip() for piece in _SEPARATOR.split(text))
        texts += [p for p in pieces if len(p) <= _PLAIN_MAX_CHARS and _YEAR.search(p)]
    return list(dict.fromkeys(texts))[:_MAX_CANDIDATES]


def _dated_lines(elements: Iterable[Any], furniture: _Furniture) -> Iterator[str]:
    """The text of each element (digits of any script as ASCII) that is short, holds a
    year and is no furniture, lazily: a reader stops once it has candidates enough."""
    for element in elements:
        text = " ".join(element.text_content().split())
        if not 6 <= len(text) <= _MAX_CHARS:
            continue  # measured first: _DIGITS maps a character to one, and reads slowly
        text = text.translate(_DIGITS)
        if _YEAR.search(text) and not furniture(element):
            yield text


class _Furniture:
    """Whether an element is marked as furniture anywhere up to <body>; a header or aside
    counts only outside the article (an article's own <header class="entry-header"> holds
    its byline). A box that holds the headline as well is the article's, whatever its
    marks: "m-article--sidebar-right" or "lg:mr-[--sidebar-width]" name a layout, and a
    <header> around the <h1> is the article's header, not the site's."""

    def __init__(self, headline: Any) -> None:
        self._holds_headline = set(headline.iterancestors()) if headline is not None else set()

    def __call__(self, element: Any) -> bool:
        chain = [element, *element.iterancestors()]
        for depth, node in enumerate(chain):
            if node.tag in ("body", "html") or node in self._holds_headline:
                return False
            marks = f"{node.get('class') or ''} {node.get('id') or ''}"
            if _FURNITURE_CLASS.search(marks):
                return True
            inside = any(outer.tag in _CONTENT_TAGS for outer in chain[depth + 1 :])
            if node.tag in _FURNITURE_TAGS and not inside:
                return True
        return False


def _languages(declared: Sequence[str]) -> list[str]:
    codes = [code.replace("_", "-").split("-")[0].lower() for code in declared if code]
    return list(dict.fromkeys([*codes, "en"]))


def _parse(text: str, languages: Sequence[str]) -> datetime | None:
    languages = [*languages, *_script_languages(text, languages)]
    text = _with_base_months(text, languages)
    return _searched(text, languages) or _from_its_parts(text, languages)


def _searched(text: str, languages: Sequence[str]) -> datetime | None:
    try:
        found = search_dates(text, languages=list(languages), settings=_SETTINGS)
    except (ValueError, OverflowError):  # a language dateparser lacks, a year out of range
        found = search_dates(text, languages=["en"], settings=_SETTINGS)
    # The year must be one the text prints: search_dates also reads "ONE on Jan 22" as
    # 2022-01-01 when "…, 2025" follows, and offers the whole date only after it. And the
    # month must be the one it names, if it names one: dateparser's tokenizer splits some
    # names ("ජූනි 3, 2025", June in Sinhala, comes out as January 3).
    day = next(
        (
            day
            for match, day in found or ()
            if str(day.year) in match and _names_month(match, day.month, languages)
        ),
        None,
    )
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None


def _names_month(text: str, month: int, languages: Sequence[str]) -> bool:
    named = {_month_of(word, languages) for word in _words(text)} - {None}
    return not named or month in named


def _from_its_parts(text: str, languages: Sequence[str]) -> datetime | None:
    """A date dateparser could not read, or misread, from its day, month name and year alone.

    Its locale data lacks some of the words a date is printed with ("13 ga Mayu, 2025" in
    Hausa, "2025 жылғы 7 мамыр" in Kazakh), and its tokenizer splits some month names. The
    month still comes from its data. Read only when the text holds one year, one month name
    and one day number beside it (at most a short word between: "ga", "de", "of"): "3
    comments, May 2025" has no day."""
    words = _words(text)
    years = [i for i, word in enumerate(words) if _YEAR.fullmatch(word)]
    months = [(i, m) for i, word in enumerate(words) if (m := _month_of(word, languages))]
    if not months:
        months = [(i, m) for i, word in enumerate(words) if (m := _spelled_like(word, languages))]
    days = [i for i, word in enumerate(words) if _DAY.fullmatch(word)]
    if len(years) != 1 or len({m for _, m in months}) != 1 or len(days) != 1:
        return None
    day, (at, month) = days[0], months[0]
    between = words[min(day, at) + 1 : max(day, at)]
    if len(between) > 1 or any(len(word) > _CONNECTOR_CHARS for word in between):
        return None
    try:
        return datetime(int(words[years[0]]), month, int(words[day]), tzinfo=UTC)
    except ValueError:  # a day the month does not have
        return None


def _spelled_like(word: str, languages: Sequence[str]) -> int | None:
    """The month ``word`` names in a spelling one letter longer or shorter than the one
    dateparser knows, in a language of the page other than English: month names borrowed
    into a language are written more than one way ("Afrilu" and "Afirilu" in Hausa). Long
    names only, and only one month may be that close."""
    folded = word.casefold().rstrip(".")
    if len(folded) < _VARIANT_MIN_CHARS:
        return None
    found = {
        month
        for code in languages
        if code != "en"
        for name, month in _month_numbers(code).items()
        if len(name) >= _VARIANT_MIN_CHARS and _one_letter_apart(folded, name)
    }
    return found.pop() if len(found) == 1 else None


def _one_letter_apart(first: str, second: str) -> bool:
    """Whether one of the two is the other with one letter more."""
    if abs(len(first) - len(second)) != 1:
        return False
    short, long = sorted((first, second), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _words(text: str) -> list[str]:
    return [word.strip(_PUNCTUATION) for word in text.split() if word.strip(_PUNCTUATION)]


def _month_of(word: str, languages: Sequence[str]) -> int | None:
    """The month (1-12) ``word`` names in one of ``languages``, as dateparser knows them."""
    folded = word.casefold().rstrip(".")
    return next((m for code in languages if (m := _month_numbers(code).get(folded))), None)


@functools.cache
def _month_numbers(language: str) -> dict[str, int]:
    """Each name and abbreviation of a month in ``language`` (dateparser's locale data),
    casefolded, with its month; a name two months share is left out."""
    info = _locale_info(language)
    months: dict[str, set[int]] = {}
    for number, key in enumerate(_MONTHS, start=1):
        for name in info.get(key, []):
            months.setdefault(name.casefold().rstrip("."), set()).add(number)
    return {name: next(iter(found)) for name, found in months.items() if len(found) == 1}


def _script_languages(text: str, declared: Sequence[str]) -> list[str]:
    """The languages written in the scripts of ``text``'s letters, for each script none of
    whose languages is in ``declared``."""
    scripts = {unicodedata.name(ch, "").split(" ")[0] for ch in text if ch.isalpha()}
    found: list[str] = []
    for script in sorted(scripts):  # the same order in every process, whatever its hash seed
        languages = _readable(script)
        if languages and not set(languages) & set(declared):
            found += languages
    return found


@functools.cache
def _readable(script: str) -> tuple[str, ...]:
    """The languages of ``script`` that dateparser reads (one it lacks would make it refuse
    the whole list)."""
    return tuple(code for code in _SCRIPT_LANGUAGES.get(script, ()) if _locale_months(code))


def month_names(languages: Sequence[str]) -> frozenset[str]:
    """The names and abbreviations of the months in ``languages`` and English, case-folded,
    as dateparser knows them ("dec", "december", "déc", "décembre"...)."""
    return frozenset().union(*map(_locale_months, _languages(languages)))


def _locale_info(language: str) -> dict[str, Any]:
    """dateparser's locale data for ``language`` ({} for a language it lacks)."""
    try:
        info: dict[str, Any] = default_loader.get_locale(language).info
    except (KeyError, ValueError):  # a language dateparser lacks
        return {}
    return info


@functools.cache
def _locale_months(language: str) -> frozenset[str]:
    info = _locale_info(language)
    if not info:
        return frozenset()
    names = {name for month in _MONTHS for name in info.get(month, [])}
    names.update(_regional_months(language)[1])
    return frozenset(name.casefold().rstrip(".") for name in names)


def _with_base_months(text: str, languages: Sequence[str]) -> str:
    """``text`` with each regional month name of ``languages`` replaced by the language's
    own name for that month ("12 آذار 2024" -> "12 مارس 2024")."""
    for language in languages:
        pattern, names = _regional_months(language)
        if pattern is not None:
            text = pattern.sub(functools.partial(_base_name, names), text)
    return text


def _base_name(names: dict[str, str], match: re.Match[str]) -> str:
    # The pattern ignores case as re does, names are casefolded: the two can differ ("ß").
    return names.get(match.group(0).casefold(), match.group(0))


@functools.cache
def _regional_months(language: str) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """The month names dateparser knows in the regional locales of ``language`` but not in
    the language itself (casefolded), each with the language's first name for that month;
    and a pattern that finds them as whole words."""
    try:
        base = default_loader.get_locale(language).info
        regions = [
            default_loader.get_locale(name).info for name in language_locale_dict.get(language, [])
        ]
    except (KeyError, ValueError):  # a language or locale dateparser lacks
        return None, {}
    known = {name.casefold() for month in _MONTHS for name in base.get(month, [])}
    names: dict[str, str] = {}
    for month in _MONTHS:
        if not base.get(month):
            continue
        for region in regions:
            for name in region.get(month, []):
                if name.casefold() not in known:
                    names.setdefault(name.casefold(), base[month][0])
    if not names:
        return None, {}
    longest_first = sorted(names, key=len, reverse=True)  # "كانون الثاني" before "كانون"
    alternatives = "|".join(map(re.escape, longest_first))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE), names
