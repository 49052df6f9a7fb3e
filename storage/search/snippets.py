"""Snippets: a short window of an article around the first match, with the matches marked.

Done in Python on the few hits shown, so both databases and both FTS5 indexes highlight alike.
Matching mirrors the index: case-insensitive, Latin diacritics ignored (cafe finds Café),
Arabic harakat ignored, whole words for spaced scripts (prefix terms may run on), substrings
for Chinese, Japanese, Thai... Offsets are those of the returned text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

from storage.search.syntax import Term

SNIPPET_WIDTH: Final = 200
_ARABIC_MARKS: Final = "[\u064b-\u065f\u0670\u0640]*"
_COMBINING: Final = "[\u0300-\u036f]*"


@dataclass(frozen=True)
class Snippet:
    text: str
    highlights: tuple[tuple[int, int], ...]  # [start, end) of each match in `text`

    def marked(self, start: str = "«", end: str = "»", show: Callable[[str], str] = str) -> str:
        """The text with each match between `start` and `end`; `show` rewrites the text
        between the marks (e.g. to escape what a terminal would obey)."""
        pieces: list[str] = []
        done = 0
        for first, last in self.highlights:
            pieces += [show(self.text[done:first]), start, show(self.text[first:last]), end]
            done = last
        return "".join([*pieces, show(self.text[done:])])


def make_snippet(
    fields: Sequence[str], terms: Sequence[Term], width: int = SNIPPET_WIDTH
) -> Snippet:
    """From the first of `fields` (body, title, bio...) that matches; else the body's start."""
    pattern = matcher(tuple(terms))
    for field in fields:
        flat = " ".join(field.split())
        if pattern is not None and (found := pattern.search(flat)) is not None:
            return _window(flat, found.start(), pattern, width)
    flat = " ".join(fields[0].split()) if fields else ""
    return Snippet(flat[:width] + ("…" if len(flat) > width else ""), ())


@cache
def matcher(terms: tuple[Term, ...]) -> re.Pattern[str] | None:
    """One regular expression finding any of `terms`, or None when there are none."""
    if not terms:
        return None
    return re.compile("|".join(_term_pattern(term) for term in terms), re.IGNORECASE)


def _window(text: str, first: int, pattern: re.Pattern[str], width: int) -> Snippet:
    start = max(0, first - width // 3)
    if start > 0 and (space := text.find(" ", start, first)) != -1:
        start = space + 1
    end = min(len(text), start + width)
    if end < len(text) and (space := text.rfind(" ", first, end)) > first:
        end = space
    lead = "…" if start > 0 else ""
    body = text[start:end]
    spans = tuple(
        (len(lead) + found.start(), len(lead) + found.end())
        for found in pattern.finditer(body)
        if found.end() > found.start()
    )
    return Snippet(lead + body + ("…" if end < len(text) else ""), spans)


def _term_pattern(term: Term) -> str:
    if term.unspaced:
        return re.escape(term.text)
    words = re.findall(f"{_word_class()}+", _without_diacritics(term.text))
    gap = f"{_not_word_class()}+"
    body = gap.join("".join(_char_pattern(char) for char in word) for word in words)
    tail = f"{_word_class()}*" if term.prefix else ""
    return f"(?<!{_word_class()}){body}{tail}(?!{_word_class()})"


def _char_pattern(char: str) -> str:
    variants = _latin_variants().get(char.lower())
    if variants:
        return f"[{re.escape(variants)}]{_COMBINING}"
    if "\u0600" <= char <= "\u06ff":
        return re.escape(char) + _ARABIC_MARKS
    return re.escape(char)


def _without_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", re.sub(_COMBINING, "", decomposed))


@cache
def _latin_variants() -> dict[str, str]:
    """'e' -> 'eèéêë...': every precomposed Latin letter that is e plus diacritics."""
    variants: dict[str, str] = {}
    for code in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0].lower()
        if base.isascii() and base.isalpha() and base != char.lower():
            variants[base] = variants.get(base, base) + char
    return variants


@cache
def _marks() -> str:
    """Every combining mark of the Basic Multilingual Plane, escaped for a character class."""
    marks = (chr(c) for c in range(0x300, 0x10000) if unicodedata.category(chr(c))[0] == "M")
    return "".join(marks).replace("\\", "\\\\").replace("]", "\\]").replace("^", "\\^")


@cache
def _word_class() -> str:
    """Letters, digits and combining marks (vowel signs are part of Devanagari words)."""
    return f"[\\w{_marks()}]"


@cache
def _not_word_class() -> str:
    return f"[^\\w{_marks()}]"
