"""Parquet exports with a typed schema, written in row groups so memory stays flat.

Timestamps are timestamp[us, UTC], lists are list<string>, language shares a list of
(language, share) structs; each field carries its codebook description as metadata.
Rows are converted EXPORT_BATCH_SIZE at a time and flushed as a row group every
ROW_GROUP_ROWS rows or ROW_GROUP_BYTES of Arrow data, whichever comes first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import IO, Any, Final

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from sqlalchemy import Row
from sqlalchemy.orm import Session

from storage.export.codebook import CODEBOOK
from storage.export.rows import EXPORT_BATCH_SIZE, EXPORT_FIELDS, Where, iter_rows
from storage.queries import ALL_ARTICLES, ArticleFilter

ROW_GROUP_ROWS: Final = 10_000
ROW_GROUP_BYTES: Final = 32 * 1024 * 1024
PARQUET_CODECS: Final = {"none": "none", "gzip": "gzip", "zstd": "zstd"}
_TIMESTAMP: Final = pa.timestamp("us", tz="UTC")
_SHARE: Final = pa.struct([("language", pa.string()), ("share", pa.float64())])
_TYPES: Final = {
    "int64": pa.int64(),
    "string": pa.string(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "list<string>": pa.list_(pa.string()),
    "timestamp[us, UTC]": _TIMESTAMP,
    "list<struct<language: string, share: float64>>": pa.list_(_SHARE),
}
ARROW_SCHEMA: Final = pa.schema(
    [
        pa.field(
            name,
            _TYPES[CODEBOOK[name][0]],
            nullable=name != "id",
            metadata={"description": CODEBOOK[name][1]},
        )
        for name in EXPORT_FIELDS
    ]
)


@dataclass
class ExportSummary:
    """What an export wrote, counted while streaming (for the data card)."""

    articles: int = 0
    by_source: Counter[str] = field(default_factory=Counter)
    by_language: Counter[str] = field(default_factory=Counter)
    by_extractor: Counter[str] = field(default_factory=Counter)
    first_published: datetime | None = None
    last_published: datetime | None = None
    files: list[str] = field(default_factory=list)
    near_duplicates: int = 0  # articles with a near_duplicate_of (exact copies included)
    exact_duplicates: int = 0  # articles with an exact_duplicate_of

    def add(self, columns: dict[str, list[Any]]) -> None:
        self.articles += len(columns["id"])
        self.by_source.update(columns["source"])
        self.by_language.update(columns["language"])
        self.by_extractor.update(columns["extractor"])
        self.near_duplicates += sum(1 for v in columns["near_duplicate_of"] if v is not None)
        self.exact_duplicates += sum(1 for v in columns["exact_duplicate_of"] if v is not None)
        dates = [value for value in columns["published"] if value is not None]
        if dates:
            low, high = min(dates), max(dates)
            self.first_published = min(low, self.first_published or low)
            self.last_published = max(high, self.last_published or high)


def export_parquet(
    session: Session,
    path: Path,
    flt: ArticleFilter = ALL_ARTICLES,
    where: Where = (),
    *,
    codec: str = "zstd",
) -> int:
    """Write the matching articles to one Parquet file; returns the count."""
    return write_parquet_files(session, lambda _: path, flt, where, codec=codec).articles


def write_parquet_files(
    session: Session,
    path_of: Callable[[int], Path],
    flt: ArticleFilter = ALL_ARTICLES,
    where: Where = (),
    *,
    codec: str = "zstd",
    rows_per_file: int | None = None,
) -> ExportSummary:
    """Write the matching articles to Parquet files path_of(0), path_of(1)...

    A new file is started once a file holds `rows_per_file` articles (rounded up to a whole
    batch; never, when None). An empty export still writes one file: the schema, no rows.
    """
    summary = ExportSummary()
    writer: _Writer | None = None
    try:
        for columns in _column_batches(session, flt, where):
            if writer is None or (rows_per_file is not None and writer.rows >= rows_per_file):
                writer = _next_file(writer, path_of, summary, codec)
            writer.write(columns)
            summary.add(columns)
        if writer is None:
            writer = _next_file(writer, path_of, summary, codec)
    finally:
        if writer is not None:
            writer.close()
    return summary


def write_parquet_stream(
    session: Session,
    out: IO[bytes],
    flt: ArticleFilter = ALL_ARTICLES,
    where: Where = (),
    *,
    codec: str = "zstd",
) -> int:
    """Write the matching articles as one Parquet file to a stream that need not seek
    (a download); returns the count."""
    summary = ExportSummary()
    writer = _Writer(out, codec)
    try:
        for columns in _column_batches(session, flt, where):
            writer.write(columns)
            summary.add(columns)
    finally:
        writer.close()
    return summary.articles


def _next_file(
    previous: _Writer | None, path_of: Callable[[int], Path], summary: ExportSummary, codec: str
) -> _Writer:
    if previous is not None:
        previous.close()
    path = path_of(len(summary.files))
    summary.files.append(path.name)
    return _Writer(path, codec)


class _Writer:
    """A ParquetWriter that buffers record batches into row groups of bounded size."""

    def __init__(self, path: Path | IO[bytes], codec: str) -> None:
        self.writer = pq.ParquetWriter(path, ARROW_SCHEMA, compression=PARQUET_CODECS[codec])
        self.pending: list[Any] = []
        self.pending_rows = 0
        self.pending_bytes = 0
        self.rows = 0

    def close(self) -> None:
        self._flush()
        self.writer.close()

    def write(self, columns: dict[str, list[Any]]) -> None:
        batch = pa.RecordBatch.from_pydict(columns, schema=ARROW_SCHEMA)
        self.pending.append(batch)
        self.pending_rows += batch.num_rows
        self.pending_bytes += batch.nbytes
        self.rows += batch.num_rows
        if self.pending_rows >= ROW_GROUP_ROWS or self.pending_bytes >= ROW_GROUP_BYTES:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            self.writer.write_table(pa.Table.from_batches(self.pending), row_group_size=None)
        self.pending, self.pending_rows, self.pending_bytes = [], 0, 0


def _column_batches(
    session: Session, flt: ArticleFilter, where: Where
) -> Iterator[dict[str, list[Any]]]:
    rows = iter_rows(session, flt, where)
    while batch := list(islice(rows, EXPORT_BATCH_SIZE)):
        yield _columns(batch)


def _columns(batch: list[Row[Any]]) -> dict[str, list[Any]]:
    columns: dict[str, list[Any]] = {name: [] for name in EXPORT_FIELDS}
    for row in batch:
        for name, value in zip(EXPORT_FIELDS, row, strict=True):
            columns[name].append(value)
    columns["language_shares"] = [_shares(value) for value in columns["language_shares"]]
    return columns


def _shares(shares: dict[str, float] | None) -> list[dict[str, Any]]:
    ordered = sorted((shares or {}).items(), key=lambda item: -item[1])
    return [{"language": language, "share": share} for language, share in ordered]
