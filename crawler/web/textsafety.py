"""Untrusted text on its way into HTML: the filters the templates use.

Jinja escapes every value (autoescape); these add what escaping alone does not cover:
links only to http(s) addresses (a stored `javascript:` URL stays text), language codes
that are codes, and snippets whose marks are ours, not the page's.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Final
from urllib.parse import urlsplit

from jinja2 import Environment

from storage.models import utc_offset_minutes
from storage.search.snippets import Snippet

_LANGUAGE_TAG: Final = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_SAFE_SCHEMES: Final = ("http", "https")
_RIGHT_TO_LEFT: Final = frozenset({"ar", "arz", "ary", "fa", "ur", "he", "yi", "ps", "sd", "ug",
                                   "dv", "ckb"})  # fmt: skip


def safe_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) address, else None (shown as text, not a link)."""
    if not url:
        return None
    cleaned = url.strip()
    if any(ord(c) < 0x21 or c in "<>\"'`" for c in cleaned):
        return None
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    return cleaned if parts.scheme.lower() in _SAFE_SCHEMES and parts.netloc else None


def language_tag(code: str | None) -> str:
    """A BCP 47-shaped tag for lang="", or "" (an attribute must not carry anything else)."""
    return code if code and _LANGUAGE_TAG.fullmatch(code) else ""


def direction(code: str | None) -> str:
    """ "rtl" for languages written right to left, else "auto" (the text decides): the
    block's own direction, so an Arabic body sits on the right as its lines do."""
    primary = (code or "").split("-")[0].lower()
    return "rtl" if primary in _RIGHT_TO_LEFT else "auto"


def segments(snippet: Snippet) -> list[tuple[str, bool]]:
    """The snippet as (text, is_match) pieces: the template escapes each one and wraps the
    matches in <mark>, so a page's own markup never becomes ours."""
    pieces: list[tuple[str, bool]] = []
    done = 0
    for first, last in snippet.highlights:
        pieces += [(snippet.text[done:first], False), (snippet.text[first:last], True)]
        done = last
    pieces.append((snippet.text[done:], False))
    return [(text, match) for text, match in pieces if text]


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def moment(value: datetime | None) -> str:
    """The time as "2020-04-12 18:00 UTC-07:00", in the offset ``value`` carries (the
    publisher's, for a publication time); "2020-04-12 18:00 UTC" in UTC."""
    if value is None:
        return ""
    minutes = utc_offset_minutes(value) or 0
    sign = "+" if minutes > 0 else "-"
    zone = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}" if minutes else ""
    return value.strftime("%Y-%m-%d %H:%M UTC") + zone


def register_filters(environment: Environment) -> None:
    environment.filters.update(
        safe_url=safe_url,
        language_tag=language_tag,
        direction=direction,
        segments=segments,
        paragraphs=paragraphs,
        day=day,
        moment=moment,
    )
