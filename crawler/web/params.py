"""The query string of every search-like request (pages, API, feeds, exports) read into one
`Query`: the CLI's article filters plus the query text, sort order, collapsing and paging.

A value that cannot be read is a `BadRequest` naming the parameter, what was wrong and what
to send instead: the pages show it, the API answers it as JSON with status 400.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final
from urllib.parse import urlencode

from crawler.dates import parse_date
from storage.queries import ArticleFilter
from storage.search.plan import SortOrder
from storage.search.syntax import Node, SearchSyntaxError, parse_query

DEFAULT_LIMIT: Final = 20
MAX_LIMIT: Final = 200
MAX_OFFSET: Final = 100_000  # deeper than anyone reads; bounds the cost of OFFSET
MAX_QUERY_CHARS: Final = 1000
_LANGUAGE: Final = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")
_COUNTRY: Final = re.compile(r"[A-Z]{2}")
_TRUE: Final = ("1", "true", "yes", "on")
_FALSE: Final = ("", "0", "false", "no", "off")
# The parameters that select articles (and the page size), in the order links are written.
FILTER_PARAMS: Final = ("q", "lang", "source", "country", "author", "since", "until", "has_bio",
                        "include_doubtful", "sort", "collapse", "limit")  # fmt: skip


class BadRequest(ValueError):
    """A request parameter that cannot be read: one line, shown to the user."""


@dataclass(frozen=True)
class Query:
    text: str = ""
    tree: Node | None = None  # None: no query text, newest articles first
    flt: ArticleFilter = field(default_factory=ArticleFilter)
    sort: SortOrder = "relevance"
    collapse: bool = False
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    params: tuple[tuple[str, str], ...] = ()  # the selecting parameters as given, for links

    def link(self, **changes: str | None) -> str:
        """This query's parameters with `changes` (None removes one), as "?a=b&c=d"."""
        pairs = [(k, v) for k, v in self.params if k not in changes]
        pairs += [(k, v) for k, v in changes.items() if v is not None]
        return "?" + urlencode(pairs) if pairs else "?"

    def toggled(self, name: str, value: str) -> str:
        """The link that adds `name=value` to the filters, or removes it when present."""
        pairs = list(self.params)
        if (name, value) in pairs:
            pairs.remove((name, value))
        else:
            pairs.append((name, value))
        return "?" + urlencode(pairs) if pairs else "?"

    def has(self, name: str, value: str) -> bool:
        return (name, value) in self.params


def read_query(
    params: Mapping[str, str],
    lists: Mapping[str, Sequence[str]],
    *,
    default_limit: int = DEFAULT_LIMIT,
) -> Query:
    """The Query of a request; `params` gives the first value of each name, `lists` all."""
    text = params.get("q", "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise BadRequest(f"q: the query is over {MAX_QUERY_CHARS} characters; shorten it")
    tree = _tree(text) if text else None
    flt = ArticleFilter(
        sources=_values(lists, "source"),
        languages=_codes(lists, "lang", _LANGUAGE, str.lower, "an ISO 639-1 code, e.g. sw"),
        since=_date(params, "since"),
        until=_date(params, "until"),
        countries=_codes(lists, "country", _COUNTRY, str.upper, "ISO 3166-1 alpha-2, e.g. KE"),
        authors=_values(lists, "author"),
        has_bio=_flag(params, "has_bio"),
        include_doubtful=_flag(params, "include_doubtful"),
    )
    if flt.since and flt.until and flt.since >= flt.until:
        raise BadRequest("since is not before until: no article can match; swap or widen them")
    return Query(
        text=text,
        tree=tree,
        flt=flt,
        sort=_sort(params, tree),
        collapse=_flag(params, "collapse"),
        limit=_limit(params, default_limit),
        offset=_offset(params, default_limit),
        params=tuple((k, v) for k in FILTER_PARAMS for v in lists.get(k, ()) if v != ""),
    )


def _tree(text: str) -> Node:
    try:
        return parse_query(text)
    except SearchSyntaxError as error:
        raise BadRequest(f"q: {error}") from None


def _values(lists: Mapping[str, Sequence[str]], name: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in lists.get(name, ()) if v.strip())


def _codes(
    lists: Mapping[str, Sequence[str]],
    name: str,
    pattern: re.Pattern[str],
    normalise: Callable[[str], str],
    form: str,
) -> tuple[str, ...]:
    codes = tuple(normalise(v) for v in _values(lists, name))
    for code in codes:
        if not pattern.fullmatch(code):
            raise BadRequest(f"{name}: '{code}' is not {form}")
    return codes


def _date(params: Mapping[str, str], name: str) -> datetime | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise BadRequest(f"{name}: '{value}' is not a date; use YYYY-MM-DD")
    return parsed


def _flag(params: Mapping[str, str], name: str) -> bool:
    value = params.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise BadRequest(f"{name}: '{value}' is not a yes/no value; use 1 or 0")


def _sort(params: Mapping[str, str], tree: Node | None) -> SortOrder:
    value = params.get("sort", "").strip() or ("relevance" if tree is not None else "date")
    if value == "relevance":
        return "relevance"
    if value == "date":
        return "date"
    raise BadRequest(f"sort: '{value}' is not a sort order; use relevance or date")


def _limit(params: Mapping[str, str], default: int) -> int:
    value = params.get("limit", "").strip()
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise BadRequest(f"limit: '{value}' is not a whole number from 1 to {MAX_LIMIT}")
    return int(value)


def _offset(params: Mapping[str, str], default_limit: int) -> int:
    """Where a page starts: ?cursor= (the API's opaque cursor) or ?page= (the pages')."""
    if cursor := params.get("cursor", "").strip():
        return read_cursor(cursor)
    page = params.get("page", "").strip()
    if not page:
        return 0
    if not page.isdigit() or int(page) < 1:
        raise BadRequest(f"page: '{page}' is not a page number (1, 2, 3...)")
    return min((int(page) - 1) * _limit(params, default_limit), MAX_OFFSET)


def make_cursor(offset: int) -> str:
    """An opaque cursor for the page starting at `offset` (clients pass it back as is)."""
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def read_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        offset = json.loads(base64.urlsafe_b64decode(padded.encode()))["o"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise BadRequest("cursor: not a cursor this server gave; start again without it") from None
    if not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET:
        raise BadRequest("cursor: not a cursor this server gave; start again without it")
    return offset
