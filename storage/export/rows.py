"""Streaming exporters: memory stays flat however large the corpus.

Rows are read as plain column tuples (no ORM objects), `EXPORT_BATCH_SIZE` per round trip
(on PostgreSQL through a server-side cursor), in id order. Article ids are the primary key,
which an update never changes: the same article has the same id in every export.
JSON Lines and CSV live here; Parquet and Hugging Face folders in export_parquet, WARC in
export_warc. Every exporter takes the same ArticleFilter plus optional extra conditions
(e.g. storage.search.api.match_condition) and returns the number of articles written.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import IO, Any, Final

from sqlalchemy import ColumnElement, Row, Select, Text, cast, select, type_coerce
from sqlalchemy.orm import Session

from storage.duplicates import CLUSTER_SIZE
from storage.export.codebook import CODEBOOK
from storage.models import Article, Source
from storage.queries import ALL_ARTICLES, ArticleFilter, filter_conditions

# The codebook is the one list of exported fields: its order is the column order everywhere,
# and its types say how each value is written.
EXPORT_FIELDS: Final = tuple(CODEBOOK)
# Rows fetched per round trip; on PostgreSQL yield_per also opens a server-side cursor.
EXPORT_BATCH_SIZE: Final = 500
# Fields that hold a list or a mapping (JSON text in CSV).
NESTED_FIELDS: Final = frozenset(n for n, (kind, _) in CODEBOOK.items() if kind.startswith("list<"))
DATETIME_FIELDS: Final = frozenset(n for n, (k, _) in CODEBOOK.items() if k.startswith("timestamp"))
_NUMBER_FIELDS: Final = frozenset(n for n, (k, _) in CODEBOOK.items() if k in ("int64", "float64"))
_BOOL_FIELDS: Final = frozenset(n for n, (kind, _) in CODEBOOK.items() if kind == "bool")
_encode_string = json.encoder.encode_basestring  # C-accelerated; keeps non-ASCII as it is

Where = Sequence[ColumnElement[bool]]
AnySelect = Select[*tuple[Any, ...]]


def export_select(
    flt: ArticleFilter = ALL_ARTICLES, where: Where = (), *, raw: bool = False
) -> AnySelect:
    """EXPORT_FIELDS of the matching articles, in id order.

    With `raw` the list and mapping fields come as their stored JSON text and, on SQLite,
    timestamps as their stored text: JSON Lines and CSV copy them with light string work
    instead of decoding and encoding them again (see _iso_text for the timestamps).
    JSON Lines and CSV copy as they are instead of decoding and encoding them again.
    """
    return (
        select(*(_column(name, raw) for name in EXPORT_FIELDS))
        .join(Source, Article.source_id == Source.id)
        .where(*filter_conditions(flt, where))
        .order_by(Article.id)
    )


def iter_rows(
    session: Session,
    flt: ArticleFilter = ALL_ARTICLES,
    where: Where = (),
    *,
    raw: bool = False,
) -> Iterator[Row[Any]]:
    """The matching articles' rows, EXPORT_BATCH_SIZE at a time (no ORM objects)."""
    stmt = export_select(flt, where, raw=raw)
    yield from session.connection().execute(stmt.execution_options(yield_per=EXPORT_BATCH_SIZE))


def row_to_dict(row: Row[Any]) -> dict[str, object]:
    """A row of export_select() as EXPORT_FIELDS, JSON-ready: datetimes as ISO 8601 UTC."""
    return {name: _isoformat(value) for name, value in zip(EXPORT_FIELDS, row, strict=True)}


def article_to_dict(
    article: Article, source_name: str, country: str | None = None, cluster_size: int = 1
) -> dict[str, object]:
    """An ORM Article as EXPORT_FIELDS, JSON-ready (the same shape as row_to_dict); the
    size of its cluster is counted by the caller (storage.duplicates.CLUSTER_SIZE)."""
    values: dict[str, object] = {name: getattr(article, name, None) for name in EXPORT_FIELDS}
    author = article.authors[0] if article.authors else None
    values.update(source=source_name, country=country, author=author, cluster_size=cluster_size)
    return {name: _isoformat(value) for name, value in values.items()}


def export_jsonl(
    session: Session, out: IO[str], flt: ArticleFilter = ALL_ARTICLES, where: Where = ()
) -> int:
    """Write the matching articles to `out` as JSON Lines, in id order; returns the count."""
    count = 0
    lines: list[str] = []
    for row in iter_rows(session, flt, where, raw=True):
        lines.append(_json_line(row))
        if len(lines) == EXPORT_BATCH_SIZE:
            out.write("".join(lines))
            count, lines = count + len(lines), []
    out.write("".join(lines))
    return count + len(lines)


def export_csv(
    session: Session, out: IO[str], flt: ArticleFilter = ALL_ARTICLES, where: Where = ()
) -> int:
    """Write the matching articles as CSV (RFC 4180, header row); lists and maps as JSON."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_FIELDS)
    count = 0
    for row in iter_rows(session, flt, where, raw=True):
        writer.writerow(_csv_values(row))
        count += 1
    return count


def _column(name: str, raw: bool) -> Any:
    if name == "source":
        return Source.name.label("source")
    if name == "country":
        return Source.country
    if name == "author":
        return Article.authors[0].as_string().label("author")
    if name == "cluster_size":
        return CLUSTER_SIZE
    column = getattr(Article, name)
    if raw and name in NESTED_FIELDS:
        return cast(column, Text).label(name)
    if raw and name in DATETIME_FIELDS:
        return type_coerce(column, Text).label(name)  # SQLite: stored text; PostgreSQL: datetime
    return column


def _json_line(row: Row[Any]) -> str:
    """One JSON object on one line, as json.dumps(..., ensure_ascii=False) would write it."""
    values = [encode(value) for encode, value in zip(_JSON_ENCODERS, row, strict=True)]
    return _JSON_TEMPLATE % tuple(values)


def _nullable(encode: Callable[[Any], str]) -> Callable[[Any], str]:
    return lambda value: "null" if value is None else encode(value)


def _json_timestamp(value: datetime | str | None) -> str:
    if value is None:
        return "null"
    if isinstance(value, str) and len(value) == 26 and value.endswith(".000000"):
        return f'"{value[:10]}T{value[11:19]}+00:00"'  # the common case, inlined (hot loop)
    return '"' + _iso_text(value) + '"'


def _iso_text(value: datetime | str) -> str:
    """ISO 8601 in UTC, as datetime.isoformat() writes it, from a datetime or SQLite's text.

    UTCDateTime stores naive UTC on SQLite as 'YYYY-MM-DD HH:MM:SS.ffffff'; anything else
    is parsed (and taken as UTC when naive, as UTCDateTime reads it).
    """
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if len(value) == 26 and value[10] == " " and value[19] == ".":
        fraction = "" if value.endswith(".000000") else value[19:]
        return f"{value[:10]}T{value[11:19]}{fraction}+00:00"
    return _iso_text(datetime.fromisoformat(value))


def _json_encoder(name: str) -> Callable[[Any], str]:
    """How to write the value of field `name` of a raw row as JSON."""
    if name in NESTED_FIELDS:
        return _readable_json
    if name in DATETIME_FIELDS:
        return _json_timestamp
    if name in _NUMBER_FIELDS:
        return _nullable(repr)
    if name in _BOOL_FIELDS:
        return _nullable(_json_bool)
    return _nullable(_encode_string)


def _json_bool(value: Any) -> str:
    return "true" if value else "false"  # SQLite hands raw rows 0 or 1


def _csv_values(row: Row[Any]) -> list[object]:
    values: list[object] = []
    for name, value in zip(EXPORT_FIELDS, row, strict=True):
        if name in NESTED_FIELDS:
            values.append(_readable_json(value))
        else:
            values.append("" if value is None else _csv_scalar(name, value))
    return values


def _readable_json(stored: str) -> str:
    """Stored JSON on one line with non-ASCII characters as themselves, not \\u escapes."""
    if "\\u" in stored or "\n" in stored:
        return json.dumps(json.loads(stored), ensure_ascii=False)
    return stored


def _csv_scalar(name: str, value: Any) -> Any:
    if name in _BOOL_FIELDS:
        return "true" if value else "false"
    return _iso_text(value) if name in DATETIME_FIELDS else value


def _isoformat(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


# One line per article: the keys are constant, only the values are encoded per row.
_JSON_TEMPLATE: Final = "{" + ", ".join(f'"{name}": %s' for name in EXPORT_FIELDS) + "}\n"
_JSON_ENCODERS: Final = tuple(_json_encoder(name) for name in EXPORT_FIELDS)
