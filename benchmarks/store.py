"""The cost of storing one article, alone: what the crawl's writer thread spends per page.

    python -m benchmarks.store [--articles 1000] [--batch 1] [--db URL] [--profile]

Generates articles (with signatures, authors among 40 names, no near-duplicates), stores a
warm-up of 300, then times the next ``--articles``: one transaction per article
(``store_article``, a quiet crawl) or, with ``--batch N``, N per transaction
(``store_articles``, what the crawl's writer does when articles queue up). Prints CPU and
wall ms and SQL statements (database round trips) per article; with ``--profile``, the 25
functions with the most cumulative time. SQLite in a temporary folder unless ``--db`` names
another database (which must be empty and migrated).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine, event

from crawler.dedupe.signature import signature
from storage.db import open_database, session_factory
from storage.records import ArticleRecord
from storage.repository import store_article, store_articles, sync_sources
from tests.storage_fixtures import SOURCES, make_record

WARM_UP = 300


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--db", help="database URL (default: SQLite in a temporary folder)")
    parser.add_argument("--batch", type=int, default=1, help="articles per transaction")
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'store.db'}"
        engine = open_database(url)
        sessions = session_factory(engine)
        statements = _StatementCounter(engine)
        with sessions() as session:
            sync_sources(session, SOURCES)
        records = list(generated(WARM_UP + args.articles))

        def store(records: Sequence[ArticleRecord]) -> None:
            for start in range(0, len(records), args.batch):
                with sessions() as session:
                    if args.batch == 1:
                        store_article(session, records[start])
                    else:
                        store_articles(session, records[start : start + args.batch])

        store(records[:WARM_UP])
        profiler = cProfile.Profile() if args.profile else None
        statements.count = 0
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        store(records[WARM_UP:])
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    per = 1000 / args.articles
    note = " (under cProfile)" if profiler else ""
    print(f"{args.articles:,} articles stored: {cpu * per:.2f} ms CPU,", end=" ")
    print(f"{wall * per:.2f} ms wall, {statements.count * per / 1000:.1f} statements each", end="")
    print(f" (batches of {args.batch}){note}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


class _StatementCounter:
    """Counts the SQL statements the engine sends (an executemany counts once)."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: object) -> None:
        self.count += 1


def generated(count: int) -> list[ArticleRecord]:
    rng = random.Random(1)
    words = ["".join(rng.choice("abcdefghijklmnop") for _ in range(rng.randint(3, 9)))
             for _ in range(5000)]  # fmt: skip
    records = []
    for i in range(count):
        paragraphs = (" ".join(rng.choice(words) for _ in range(60)) + "." for _ in range(8))
        text = "\n\n".join(paragraphs)
        records.append(
            make_record(
                f"https://alpha.example/a{i}",
                text=text,
                minhash=signature(text),
                content_hash=f"h{i}",
                authors=[f"Author {i % 40}"],
            )
        )
    return records


if __name__ == "__main__":
    main()
