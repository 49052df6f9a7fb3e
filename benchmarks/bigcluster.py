"""The cost of storing into one growing cluster: a site whose pages are near-copies of
each other (a template with 30+ words and a number that changes).

    python -m benchmarks.bigcluster [--articles 300] [--db URL]

Stores ``--articles`` articles whose bodies differ only in one number, so that every one
joins the same cluster, and prints the median wall time per store for each third of the
run: flat if a join writes only the new member's row (cluster sizes are counted when read,
migration 0012), growing with the cluster if every member's row is rewritten (on PostgreSQL
each rewritten row also re-indexes the row's full-text vector). What still grows: each copy
shares LSH buckets with every member, whose signatures are read and compared. SQLite in a
temporary folder unless ``--db`` names another database (wiped first: give a scratch one).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from crawler.dedupe.signature import signature
from storage.db import open_database, session_factory
from storage.repository import store_article, sync_sources
from tests.storage_fixtures import SOURCES, make_record, wipe


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--db", help="scratch database URL, wiped first (default: SQLite)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'bigcluster.db'}"
        if args.db:
            wipe(url)
        sessions = session_factory(open_database(url))
        with sessions() as session:
            sync_sources(session, SOURCES)
        rng = random.Random(1)
        template = " ".join("".join(rng.choice("abcdefghij") for _ in range(6)) for _ in range(400))
        seconds = []
        for i in range(args.articles):
            text = f"{template} story {i}"
            record = make_record(
                f"https://alpha.example/c{i}",
                text=text,
                minhash=signature(text),
                content_hash=f"h{i}",
            )
            started = time.perf_counter()
            with sessions() as session:
                store_article(session, record)
            seconds.append(time.perf_counter() - started)
    third = max(1, args.articles // 3)
    for start in range(0, args.articles, third):
        part = seconds[start : start + third]
        median = statistics.median(part) * 1000
        print(f"stores {start + 1}-{start + len(part)}: median {median:.1f} ms")


if __name__ == "__main__":
    main()
