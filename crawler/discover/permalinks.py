"""Each source's permalink shapes, learnt from the articles it already has. PURE.

A link whose path looks like nothing in particular (`/amman-accelerators/`, `/news/4521`,
`/fintech/`) is still an article on a site whose stored articles have that shape. A shape
keeps literal words (`news`, `node`, `article`) and abstracts the rest: four-digit years,
one- or two-digit months and days after them, numeric ids, and slugs (any segment with a
hyphen, a digit or a non-Latin letter). A shape counts once `MIN_SUPPORT` stored articles share it.
The page classifier still decides what is kept: a wrong guess costs one request.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import parse_qsl, unquote, urlsplit

MIN_SUPPORT: Final = 3
_YEAR = re.compile(r"(19|20)\d\d")
_SMALL_NUMBER = re.compile(r"\d{1,2}")
_NUMBER = re.compile(r"\d+")
_WORD = re.compile(r"[a-z]{1,15}")  # a section name: `news`, `blog`, `node`, `article`
_EXTENSION = re.compile(r"\.(html?|php|aspx?)$")
_ID_PARAMS: Final = frozenset({"p", "id", "story", "article", "aid", "newsid"})


@functools.lru_cache(maxsize=16_384)  # a site's menu and sidebar links recur on every page
def shape_of(url: str) -> str:
    """The shape of `url`'s path and id parameter, e.g. ``/{yyyy}/{mm}/{slug}/``,
    ``/news/{id}``, ``/?p={id}``."""
    parts = urlsplit(url)
    path = unquote(parts.path) or "/"
    extension = _EXTENSION.search(path)
    stem = path[: extension.start()] if extension else path
    segments: list[str] = []
    for segment in stem.split("/"):
        segments.append(_segment_shape(segment, segments[-1] if segments else ""))
    shape = "/".join(segments) + (extension.group(0) if extension else "")
    ids = sorted(
        name for name, value in parse_qsl(parts.query) if name in _ID_PARAMS and value.isdigit()
    )
    return shape + ("?" + "&".join(f"{name}={{id}}" for name in ids) if ids else "")


def _segment_shape(segment: str, previous: str) -> str:
    if not segment:
        return ""
    if _YEAR.fullmatch(segment):
        return "{yyyy}"
    if _SMALL_NUMBER.fullmatch(segment) and previous in ("{yyyy}", "{nn}"):
        return "{nn}"  # a month or a day after a year
    if _NUMBER.fullmatch(segment):
        return "{id}"
    return segment if _WORD.fullmatch(segment) else "{slug}"


@dataclass
class PermalinkShapes:
    """The shapes shared by at least MIN_SUPPORT of a source's stored articles."""

    shapes: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def learn(cls, urls: Iterable[str], min_support: int = MIN_SUPPORT) -> PermalinkShapes:
        counts = Counter(shape_of(url) for url in urls)
        return cls(frozenset(s for s, n in counts.items() if n >= min_support and s != "/"))

    def matches(self, url: str) -> bool:
        return shape_of(url) in self.shapes
