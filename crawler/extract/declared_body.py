"""The body a page declares in its JSON-LD (schema.org ``articleBody``), taken when the page
shows only the start of it. PURE.

Single-page apps (Arc XP, Next.js newsrooms) send the first paragraphs as HTML and the rest
as data their script renders; many of them also declare the whole text as the Article's
``articleBody``. It replaces the extracted body only when it is the same article (it holds
the body's opening) and much longer: a page that shows the whole text keeps what it shows,
and a declaration that is a summary, a teaser or another article is ignored.
"""

from __future__ import annotations

import html
import re
from typing import Any, Final

from lxml import html as lxml_html

from crawler.extract.continuation import squeeze

_MIN_GAIN: Final = 1.5  # the declared body is at least this many times the shown one
_MIN_EXTRA_CHARS: Final = 400  # and longer by this much: a paragraph or two more, not a line
_OPENING_CHARS: Final = 80  # how much of the shown opening the declaration must hold
_LINE_BREAK = re.compile(r"\s*\n\s*")


def declared_paragraphs(article: dict[str, Any], shown: str) -> list[str]:
    """The paragraphs of ``article``'s articleBody, when they are the whole of ``shown`` (the
    body extracted from the page, paragraphs separated by blank lines) and much more; else []."""
    raw = article.get("articleBody")
    if not isinstance(raw, str) or not shown:
        return []
    paragraphs = [squeeze(p) for p in _LINE_BREAK.split(_plain(raw)) if p.strip()]
    declared = " ".join(paragraphs)
    if len(declared) < max(_MIN_GAIN * len(shown), len(shown) + _MIN_EXTRA_CHARS):
        return []
    return paragraphs if _holds_the_opening(declared, shown) else []


def _holds_the_opening(declared: str, shown: str) -> bool:
    """Whether one of the shown body's first paragraphs (a standfirst may come first) opens
    a stretch of the declared text."""
    openings = (squeeze(p)[:_OPENING_CHARS] for p in shown.split("\n\n")[:3])
    return any(len(o) >= _OPENING_CHARS // 2 and o in declared for o in openings)


def _plain(raw: str) -> str:
    """articleBody as text: some CMSs declare it as HTML, escaped or not."""
    text = html.unescape(raw)
    if "<" not in text:
        return text
    fragment = lxml_html.fragment_fromstring(text, create_parent="div")
    for block in fragment.iter("p", "br", "h2", "h3", "li"):
        block.tail = "\n" + (block.tail or "")
    return str(fragment.text_content())
