"""The current query as a download: JSON Lines, CSV or Parquet, streamed as it is written.

The storage exporters (the CLI's) write into a pipe from a worker thread; the response
sends what arrives. Memory stays at a few buffered chunks however large the selection, and
a client that goes away stops the export at its next write.
"""

from __future__ import annotations

import io
import logging
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any, Final

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from crawler.web.pages import request_query
from crawler.web.params import Query
from storage.export.parquet import write_parquet_stream
from storage.export.rows import export_csv, export_jsonl
from storage.search.api import match_condition

if TYPE_CHECKING:
    from crawler.web.app import Site

CHUNK_BYTES: Final = 64 * 1024
QUEUED_CHUNKS: Final = 16  # at most ~1 MB waiting for a slow client
_PUT_WAIT_S: Final = 0.5
LOG: Final = logging.getLogger("sankofa.serve")
Writer = Callable[[Session, IO[bytes], Query], object]


class _Cancelled(Exception):
    """The client went away: stop exporting."""


class _Pipe(io.RawIOBase):
    """A write-only stream whose chunks a reader takes from a bounded queue."""

    def __init__(self, chunks: queue.Queue[bytes | None], cancelled: threading.Event) -> None:
        self.chunks, self.cancelled, self.written = chunks, cancelled, 0

    def writable(self) -> bool:
        return True

    def tell(self) -> int:  # Parquet asks where it is; a pipe knows how much it took
        return self.written

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        if not chunk:
            return 0
        while True:
            if self.cancelled.is_set():
                raise _Cancelled
            try:
                self.chunks.put(chunk, timeout=_PUT_WAIT_S)
                break
            except queue.Full:
                continue
        self.written += len(chunk)
        return len(chunk)


def _jsonl(session: Session, out: IO[bytes], query: Query) -> object:
    with io.TextIOWrapper(out, encoding="utf-8", newline="") as text:
        return export_jsonl(session, text, _selection(query), _where(session, query))


def _csv(session: Session, out: IO[bytes], query: Query) -> object:
    with io.TextIOWrapper(out, encoding="utf-8", newline="") as text:
        return export_csv(session, text, _selection(query), _where(session, query))


def _parquet(session: Session, out: IO[bytes], query: Query) -> object:
    count = write_parquet_stream(session, out, _selection(query), _where(session, query))
    out.flush()
    return count


FORMATS: Final[dict[str, tuple[Writer, str]]] = {
    "jsonl": (_jsonl, "application/x-ndjson; charset=utf-8"),
    "csv": (_csv, "text/csv; charset=utf-8"),
    "parquet": (_parquet, "application/vnd.apache.parquet"),
}


def _selection(query: Query) -> Any:
    return replace(query.flt, dedupe="near") if query.collapse else query.flt


def _where(session: Session, query: Query) -> list[Any]:
    return [] if query.tree is None else [match_condition(session, query.tree)]


def routes(site: Site) -> list[Route]:
    def download(kind: str) -> Callable[[Request], Response]:
        writer, media_type = FORMATS[kind]

        def handler(request: Request) -> Response:
            query = request_query(request)  # a bad parameter is a 400 before anything streams
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
            headers = {"content-disposition": f'attachment; filename="sankofa-{stamp}.{kind}"'}
            return StreamingResponse(_stream(site, writer, query), media_type=media_type,
                                     headers=headers)  # fmt: skip

        return handler

    return [Route(f"/export.{kind}", download(kind), name=f"export_{kind}") for kind in FORMATS]


def _stream(site: Site, writer: Writer, query: Query) -> Iterator[bytes]:
    chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=QUEUED_CHUNKS)
    cancelled = threading.Event()
    producer = threading.Thread(
        target=_produce, args=(site, writer, query, chunks, cancelled), daemon=True
    )
    producer.start()
    try:
        while (chunk := chunks.get()) is not None:  # None: the export ended
            yield chunk
    finally:
        cancelled.set()  # the client left (or we are done): the producer stops writing


def _produce(
    site: Site,
    writer: Writer,
    query: Query,
    chunks: queue.Queue[bytes | None],
    cancelled: threading.Event,
) -> None:
    try:
        with site.sessions() as session:
            out = io.BufferedWriter(_Pipe(chunks, cancelled), buffer_size=CHUNK_BYTES)
            writer(session, out, query)
            if not out.closed:
                out.flush()
    except _Cancelled:
        pass
    except Exception as exc:  # the response has started: all we can do is end it and say so
        LOG.error("export failed after streaming began: %s: %s", type(exc).__name__, exc)
    finally:
        while not cancelled.is_set():
            try:
                chunks.put(None, timeout=_PUT_WAIT_S)
                break
            except queue.Full:
                continue
