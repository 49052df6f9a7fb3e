"""Search latency, export throughput and export memory on a synthetic multilingual corpus.

    python -m benchmarks.corpus [--sizes 50000,200000] [--workdir DIR] [--keep]

Builds one SQLite corpus (schema by the real migrations, FTS triggers included) of ten
languages in six scripts (benchmarks.corpus_text), growing it to each size in turn with
Core bulk inserts. At each size it prints:
  * search latency p50/p95 (library call: top 20 with snippets) over a fixed set of queries,
    without and with filters, and the latency of counting matches and of facets;
  * export throughput and peak memory of `sankofa export` for JSONL and Parquet, each run
    in a fresh process whose own peak RSS (ru_maxrss) is reported.
Targets (issue 6): search p95 < 100 ms, JSONL >= 20,000 articles/s, peak memory < 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from benchmarks.corpus_text import LANGUAGES, SOURCES, ArticleFactory
from storage.db import open_database, session_factory
from storage.models import Article, Source
from storage.queries import ArticleFilter
from storage.records import SourceRecord
from storage.repository import sync_sources
from storage.search.api import count_matches, search, search_facets

PROJECT: Final = Path(__file__).resolve().parents[1]
INSERT_BATCH: Final = 2000
REPEATS: Final = 5
QUERIES: Final = (  # frequent and rare words, phrase, prefix, booleans; six scripts
    "fintech",
    '"mobile money"',
    "invest*",
    "crypto OR insurance",
    "payments NOT bank",
    "lagos fintech",
    "paiement sénégal",
    "financement",
    "pagamentos crédito",
    "الدفع الرقمي",
    "भुगतान",
    "ክፍያ",
    "支付",
    "移动支付",
    "キャッシュレス",
    "ชำระเงิน",
    "金融 监管",
)
FILTERS: Final = (  # --since; --country x5; --has-bio --until; --lang x3 --source
    ArticleFilter(since=datetime(2023, 1, 1, tzinfo=UTC)),
    ArticleFilter(countries=("NG", "SN", "SG", "TH", "ET")),
    ArticleFilter(has_bio=True, until=datetime(2022, 1, 1, tzinfo=UTC)),
    ArticleFilter(languages=("en", "zh", "ar"), sources=("techcabal", "techinasia-zh", "wamda")),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50000,200000", help="corpus sizes, ascending")
    parser.add_argument(
        "--workdir", type=Path, help="where the database goes (default: a temp dir)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--export-child", nargs=3, metavar=("FORMAT", "DB", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.export_child:
        return _export_child(*args.export_child)
    sizes = sorted(int(size) for size in args.sizes.split(","))
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="sankofa-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        run(workdir, sizes)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def run(workdir: Path, sizes: list[int]) -> None:
    db_path = workdir / "corpus.db"
    db_path.unlink(missing_ok=True)
    engine = open_database(f"sqlite:///{db_path}")
    factory = ArticleFactory(_sync_sources(engine))
    print(f"sqlite {sqlite3.sqlite_version}, python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (other processes "
          "slow every figure below)")  # fmt: skip
    built = 0
    for size in sizes:
        started = time.perf_counter()
        _insert(engine, factory, built, size)
        seconds = time.perf_counter() - started
        print(f"\n=== {size:,} articles ({len(LANGUAGES)} languages) ===")
        print(f"built {size - built:,} articles in {seconds:.1f} s incl. FTS indexing; "
              f"database {db_path.stat().st_size / 1e6:,.0f} MB")  # fmt: skip
        built = size
        print(f"load average now {os.getloadavg()[0]:.1f}")
        _bench_search(engine)
        for export_format in ("jsonl", "parquet"):
            _bench_export(export_format, db_path, workdir, size)
    engine.dispose()


def _sync_sources(engine: Engine) -> dict[str, int]:
    records = [
        SourceRecord(
            name, f"https://{name}.example/", country, None, (language,), "CC BY 4.0 (synthetic)"
        )
        for language, (name, country) in SOURCES.items()
    ]
    with session_factory(engine)() as session:
        sync_sources(session, records)
        rows = session.execute(select(Source.name, Source.id))
        return {name: source_id for name, source_id in rows}  # noqa: C416 (rows are Row objects)


def _insert(engine: Engine, factory: ArticleFactory, start: int, stop: int) -> None:
    for first in range(start, stop, INSERT_BATCH):
        rows = [factory.row(index) for index in range(first, min(stop, first + INSERT_BATCH))]
        with engine.begin() as connection:
            connection.execute(insert(Article), rows)


def _bench_search(engine: Engine) -> None:
    with session_factory(engine)() as session:
        plain = _latencies(session, lambda q: search(session, q, limit=20))
        filtered = _latencies(
            session,
            lambda q: [search(session, q, flt, limit=20) for flt in FILTERS],
            per_call=len(FILTERS),
        )
        by_date = _latencies(session, lambda q: search(session, q, sort="date", limit=20))
        counts = _latencies(session, lambda q: count_matches(session, q))
        facets = _latencies(session, lambda q: search_facets(session, q), repeats=1)
        matched = [count_matches(session, q) for q in QUERIES]
    print(f"search: {len(QUERIES)} queries, matches per query min {min(matched):,} "
          f"median {statistics.median(matched):,.0f} max {max(matched):,}")  # fmt: skip
    _report("search, no filter (relevance)", plain)
    _report(f"search, {len(FILTERS)} filter sets (relevance)", filtered)
    _report("search, no filter (by date)", by_date)
    _report("count matches", counts)
    _report("facets (source, language, month)", facets)


def _latencies(
    session: Session, call: Callable[[str], Any], *, repeats: int = REPEATS, per_call: int = 1
) -> list[float]:
    samples = []
    for query in QUERIES:
        call(query)  # warm the page cache and the statement cache
        for _ in range(repeats):
            started = time.perf_counter()
            call(query)
            samples.append((time.perf_counter() - started) * 1000 / per_call)
    return samples


def _report(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"  {label:<38} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
          f"max {ordered[-1]:6.1f} ms  (n={len(ordered)})")  # fmt: skip


def _bench_export(export_format: str, db_path: Path, workdir: Path, size: int) -> None:
    out = workdir / f"export.{export_format}"
    command = [sys.executable, "-m", "benchmarks.corpus", "--export-child",
               export_format, str(db_path), str(out)]  # fmt: skip
    result = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(f"  export {export_format} failed: {result.stderr.strip()}")
        return
    child = json.loads(result.stdout.strip().splitlines()[-1])
    count, megabytes = child["articles"], out.stat().st_size / 1e6
    print(f"  export {export_format:<7} {count:>9,} articles  "
          f"{child['seconds']:5.1f} s wall = {count / child['seconds']:>7,.0f}/s  "
          f"({count / child['cpu_seconds']:>7,.0f}/s of CPU)  "
          f"{megabytes:5.0f} MB  peak RSS {child['max_rss_mb']:4.0f} MB")  # fmt: skip
    if child["articles"] != size:
        print(f"  !! expected {size:,} articles")
    out.unlink()


def _export_child(export_format: str, db_path: str, out: str) -> int:
    """Run `sankofa export` in this fresh process and report its times and peak RSS."""
    from crawler.cli import main as sankofa

    command = ["export", "--db", f"sqlite:///{db_path}", "--format", export_format, "-o", out]
    started, cpu_started = time.perf_counter(), time.process_time()
    status = sankofa(command)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    with session_factory(open_database(f"sqlite:///{db_path}"))() as session:
        articles = session.scalar(select(func.count(Article.id)))
    report = {"articles": articles, "seconds": seconds, "cpu_seconds": cpu_seconds,
              "max_rss_mb": peak_kb / 1024, "status": status}  # fmt: skip
    print(json.dumps(report))
    return status


if __name__ == "__main__":
    sys.exit(main())
