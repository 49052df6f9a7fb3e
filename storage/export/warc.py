"""WARC export of the raw HTTP responses kept at crawl time (table raw_pages).

One warcinfo record (software, export time, filters), then one `response` record per
article that has a kept response, in article id order, with the article's id and canonical
URL as extra WARC headers. The body is stored decoded (Scrapy undoes Content-Encoding and
chunking), so the original Content-Encoding / Transfer-Encoding headers are renamed
X-Sankofa-Orig-* and Content-Length is set to the body's length: WARC readers then read
the payload as it is. Compression is per record, so the file stays seekable: gzip members
(.warc.gz) or zstd frames (.warc.zst, without a dictionary).
"""

from __future__ import annotations

import gzip
import io
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from http import HTTPStatus
from importlib.metadata import PackageNotFoundError, version
from typing import IO, Any, Final

from sqlalchemy import Row, select
from sqlalchemy.orm import Session
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from storage.export.outputs import Compression
from storage.export.rows import Where
from storage.models import Article, RawPage, Source
from storage.queries import ALL_ARTICLES, ArticleFilter, filter_conditions

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd

WARC_BATCH_SIZE: Final = 50  # raw pages are large: fewer per round trip
_RENAMED: Final = frozenset({"content-encoding", "transfer-encoding", "content-length"})


def export_warc(
    session: Session,
    out: IO[bytes],
    flt: ArticleFilter = ALL_ARTICLES,
    where: Where = (),
    *,
    compression: Compression = "none",
    info: dict[str, str] | None = None,
) -> int:
    """Write the matching articles' raw responses to `out` as WARC; returns the count."""
    sink = _RecordSink(out, compression)
    fields = _info(info)
    sink.write(sink.writer.create_warcinfo_record("sankofa-export.warc", fields))
    count = 0
    for row in _pages(session, flt, where):
        sink.write(_response(sink.writer, row))
        count += 1
    return count


class _RecordSink:
    """Writes each record as its own gzip member or zstd frame (or plainly)."""

    def __init__(self, out: IO[bytes], compression: Compression) -> None:
        self.out = out
        self.compression = compression
        self.buffer = io.BytesIO()
        # warcio writes gzip members itself; zstd frames are made here from plain records.
        target = out if compression != "zstd" else self.buffer
        self.writer = WARCWriter(target, gzip=compression == "gzip")

    def write(self, record: Any) -> None:
        self.writer.write_record(record)
        if self.compression == "zstd":
            self.out.write(zstd.compress(self.buffer.getvalue()))
            self.buffer.seek(0)
            self.buffer.truncate()


def _pages(session: Session, flt: ArticleFilter, where: Where) -> Iterator[Row[*tuple[Any, ...]]]:
    stmt = (
        select(
            RawPage.url,
            RawPage.status,
            RawPage.headers,
            RawPage.body_gzip,
            RawPage.fetched_at,
            Article.id,
            Article.canonical_url,
        )
        .join(Article, RawPage.article_id == Article.id)
        .join(Source, Article.source_id == Source.id)
        .where(*filter_conditions(flt, where))
        .order_by(Article.id)
    )
    yield from session.connection().execute(stmt.execution_options(yield_per=WARC_BATCH_SIZE))


def _response(writer: Any, row: Row[*tuple[Any, ...]]) -> Any:
    body = gzip.decompress(row.body_gzip)
    http_headers = StatusAndHeaders(
        _status_line(row.status), _http_headers(row.headers, len(body)), protocol="HTTP/1.1"
    )
    warc_headers = {
        "WARC-Date": _warc_date(row.fetched_at),
        "WARC-Sankofa-Article-ID": str(row.id),
        "WARC-Sankofa-Canonical-URI": row.canonical_url,
    }
    return writer.create_warc_record(
        row.url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=http_headers,
        warc_headers_dict=warc_headers,
    )


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def _http_headers(stored: list[list[str]], length: int) -> list[tuple[str, str]]:
    headers = []
    for name, value in stored:
        if name.lower() in _RENAMED:
            headers.append((f"X-Sankofa-Orig-{name}", value))
        else:
            headers.append((name, value))
    return [*headers, ("Content-Length", str(length))]


def _warc_date(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _info(extra: dict[str, str] | None) -> dict[str, str]:
    return {
        "software": f"sankofa/{_version('sankofa')} warcio/{_version('warcio')}",
        "format": "WARC File Format 1.1",
        "description": "Raw HTTP responses of the exported articles, bodies decoded",
        "isPartOf": "sankofa-export",
        "datetime": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **(extra or {}),
    }


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"
