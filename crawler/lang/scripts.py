"""Unicode scripts for language identification: letter counts per script, and the
scripts that name their language on their own (Ethiopic is Amharic, Hangul is Korean).

Pure and dependency-free; crawler.lang.detect decides with it before any detector runs.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

# (first code point, last code point, script), sorted and non-overlapping. Only the scripts
# the language stage needs to tell apart are listed; other letters count as "Other".
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "Latin"),
    (0x0250, 0x02AF, "Latin"),
    (0x0300, 0x036F, "Latin"),  # combining accents left after NFC (Yoruba ẹ́): Latin in practice
    (0x0370, 0x03FF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"),
    (0x0530, 0x058F, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x0750, 0x077F, "Arabic"),
    (0x0780, 0x07BF, "Thaana"),
    (0x0870, 0x08FF, "Arabic"),
    (0x0900, 0x097F, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"),
    (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"),
    (0x0B00, 0x0B7F, "Oriya"),
    (0x0B80, 0x0BFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"),
    (0x0C80, 0x0CFF, "Kannada"),
    (0x0D00, 0x0D7F, "Malayalam"),
    (0x0D80, 0x0DFF, "Sinhala"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Lao"),
    (0x0F00, 0x0FFF, "Tibetan"),
    (0x1000, 0x109F, "Myanmar"),
    (0x10A0, 0x10FF, "Georgian"),
    (0x1100, 0x11FF, "Hangul"),
    (0x1200, 0x139F, "Ethiopic"),
    (0x1400, 0x167F, "Canadian"),
    (0x1780, 0x17FF, "Khmer"),
    (0x1800, 0x18AF, "Mongolian"),
    (0x19E0, 0x19FF, "Khmer"),
    (0x1C80, 0x1C8F, "Cyrillic"),
    (0x1C90, 0x1CBF, "Georgian"),
    (0x1E00, 0x1EFF, "Latin"),
    (0x1F00, 0x1FFF, "Greek"),
    (0x2C60, 0x2C7F, "Latin"),
    (0x2D00, 0x2D2F, "Georgian"),
    (0x2D80, 0x2DDF, "Ethiopic"),
    (0x2DE0, 0x2DFF, "Cyrillic"),
    (0x3040, 0x30FF, "Kana"),
    (0x3100, 0x312F, "Han"),  # Bopomofo: only ever written alongside Chinese
    (0x3130, 0x318F, "Hangul"),
    (0x31F0, 0x31FF, "Kana"),
    (0x3400, 0x4DBF, "Han"),
    (0x4E00, 0x9FFF, "Han"),
    (0xA000, 0xA4CF, "Yi"),
    (0xA640, 0xA69F, "Cyrillic"),
    (0xA720, 0xA7FF, "Latin"),
    (0xA960, 0xA97F, "Hangul"),
    (0xA9E0, 0xA9FF, "Myanmar"),
    (0xAA60, 0xAA7F, "Myanmar"),
    (0xAB00, 0xAB2F, "Ethiopic"),
    (0xAB30, 0xAB6F, "Latin"),
    (0xAC00, 0xD7FF, "Hangul"),
    (0xF900, 0xFAFF, "Han"),
    (0xFB1D, 0xFB4F, "Hebrew"),
    (0xFB50, 0xFDFF, "Arabic"),
    (0xFE70, 0xFEFF, "Arabic"),
    (0xFF21, 0xFF5A, "Latin"),  # fullwidth forms, common in CJK text
    (0xFF66, 0xFF9F, "Kana"),
    (0x20000, 0x3134F, "Han"),
)
_STARTS = [first for first, _, _ in _RANGES]
# Vowel signs of Indic and South-East Asian scripts are marks, not letters, yet they are
# half of what is written: counting them keeps "letters" comparable across scripts.
_MARKS = frozenset({"Mn", "Mc"})
_ASCII_NON_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")

# Scripts written (in practice, in news) by one ISO 639-1 language. Han and Kana are
# decided together (see cjk_language); Latin, Cyrillic, Arabic and Devanagari are shared
# by many languages and left to the statistical detector.
SCRIPT_LANGUAGE: dict[str, str] = {
    "Greek": "el",
    "Armenian": "hy",
    "Hebrew": "he",
    "Thaana": "dv",
    "Bengali": "bn",
    "Gurmukhi": "pa",
    "Gujarati": "gu",
    "Oriya": "or",
    "Tamil": "ta",
    "Telugu": "te",
    "Kannada": "kn",
    "Malayalam": "ml",
    "Sinhala": "si",
    "Thai": "th",
    "Lao": "lo",
    "Tibetan": "bo",
    "Myanmar": "my",
    "Georgian": "ka",
    "Hangul": "ko",
    "Ethiopic": "am",
    "Canadian": "iu",
    "Khmer": "km",
    "Mongolian": "mn",
    "Yi": "ii",
}

# Other languages written in one of those scripts: chosen only when a hint names them,
# because the script alone cannot tell them from the majority language.
SCRIPT_ALTERNATIVES: dict[str, tuple[str, ...]] = {
    "Ethiopic": ("ti",),
    "Bengali": ("as",),
    "Hebrew": ("yi",),
    "Tibetan": ("dz",),
    "Canadian": ("cr",),
}

# One character of these scripts carries a syllable or a word, so fewer of them are
# needed before a text can be told apart.
SYLLABIC_SCRIPTS = frozenset({"Han", "Kana", "Hangul", "Ethiopic", "Yi", "Canadian"})


@dataclass(frozen=True, slots=True)
class ScriptProfile:
    """How many letters of each script a text holds."""

    counts: dict[str, int]

    @property
    def letters(self) -> int:
        return sum(self.counts.values())

    @property
    def weighted_letters(self) -> int:
        """Letters, with syllabic and logographic characters counted twice."""
        return self.letters + sum(self.counts.get(script, 0) for script in SYLLABIC_SCRIPTS)

    def share(self, script: str) -> float:
        return self.counts.get(script, 0) / self.letters if self.letters else 0.0

    def dominant(self) -> str:
        """The script with the most letters ("" for a text without letters)."""
        return max(sorted(self.counts), key=self.counts.__getitem__, default="")

    def __add__(self, other: ScriptProfile) -> ScriptProfile:
        return ScriptProfile(dict(Counter(self.counts) + Counter(other.counts)))


def profile(text: str) -> ScriptProfile:
    """Count the letters of `text` per script."""
    # ASCII letters are counted by deleting everything else in C; only the (usually few)
    # other characters go through the per-character loop, once per distinct character.
    ascii_letters = len(text.encode("ascii", "ignore").translate(None, _ASCII_NON_LETTERS))
    counts: Counter[str] = Counter({"Latin": ascii_letters} if ascii_letters else {})
    if not text.isascii():
        for char, count in Counter("".join(_NON_ASCII.findall(text))).items():
            if char.isalpha() or unicodedata.category(char) in _MARKS:
                counts[script_of(char)] += count
    return ScriptProfile(dict(counts))


@functools.lru_cache(maxsize=8192)
def script_of(char: str) -> str:
    """The script of one letter, "Other" when it is none of the listed ones."""
    code = ord(char)
    i = bisect.bisect_right(_STARTS, code) - 1
    if i >= 0 and code <= _RANGES[i][1]:
        return _RANGES[i][2]
    return "Other"


def cjk_language(scripts: ScriptProfile) -> tuple[str, float] | None:
    """ja, ko or zh (with the CJK share of letters) when CJK characters hold most letters."""
    han, kana, hangul = (scripts.counts.get(s, 0) for s in ("Han", "Kana", "Hangul"))
    share = (han + kana + hangul) / scripts.letters if scripts.letters else 0.0
    if share < 0.5:
        return None
    if hangul >= han + kana:
        return "ko", share
    # Kana is Japanese only; Japanese prose is mostly kana, so a fifth rules out a
    # Chinese text that merely quotes a Japanese name.
    return ("ja" if 5 * kana >= han + kana else "zh"), share


def script_language(scripts: ScriptProfile, hinted: frozenset[str]) -> tuple[str, float] | None:
    """The language the dominant script implies and that script's share of the letters,
    or None when the script is shared by several languages (Latin, Arabic ...)."""
    cjk = cjk_language(scripts)
    if cjk is not None:
        return cjk
    script = scripts.dominant()
    language = SCRIPT_LANGUAGE.get(script)
    share = scripts.share(script)
    if language is None or share < 0.5:
        return None
    for alternative in SCRIPT_ALTERNATIVES.get(script, ()):
        if alternative in hinted and language not in hinted:
            return alternative, share
    return language, share
