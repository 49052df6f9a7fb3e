"""Full-text search on a large corpus: what one query costs as the matches grow.

    python -m benchmarks.search [--articles 20000] [--base 1000] [--db URL] [--repeat 5]

Stores ``--base`` generated articles (benchmarks.store's: 8 paragraphs of 60 words drawn from
5,000) the way a crawl does, copies them in SQL until the corpus holds ``--articles``, then
times ``storage.search.search`` (the best 20 by relevance, as ``sankofa search`` asks) and
``count_matches`` for the commonest word (in ~10% of the articles), two such words with AND
and with OR, a prefix, and the rarest word. Median of ``--repeat`` runs, each query warmed up
once. SQLite in a temporary folder unless ``--db`` names another database (which must be
empty; it is migrated).

On PostgreSQL it also times the ranking as it was before migration 0014: ts_rank over the
tsvector expression, recomputed for every matching article, where the stored column is now
read. Same database, same run: the ratio is what the stored column saves.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.store import generated
from storage.db import open_database, session_factory
from storage.models import Article
from storage.repository import store_article, sync_sources
from storage.search.api import count_matches, search
from storage.search.postgres import SEARCH_VECTOR_SQL, render_tsquery
from storage.search.syntax import parse_query
from tests.storage_fixtures import SOURCES


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--base", type=int, default=1_000, help="articles stored one by one")
    parser.add_argument("--db", help="database URL (default: SQLite in a temporary folder)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        engine = open_database(args.db or f"sqlite:///{Path(folder) / 'search.db'}")
        sessions = session_factory(engine)
        texts = _fill(sessions, args.base, args.articles)
        queries = _queries(texts)
        print(f"{engine.dialect.name}, {args.articles:,} articles; median of {args.repeat} runs")
        _print_table(engine, sessions, queries, args.articles, args.repeat)
        engine.dispose()


def _fill(sessions: sessionmaker[Session], base: int, total: int) -> list[str]:
    """Store ``base`` articles, then copy them until there are ``total``; the base texts."""
    records = generated(min(base, total))
    with sessions() as session:
        sync_sources(session, SOURCES)
    for record in records:
        with sessions() as session:
            store_article(session, record)
    columns = [c.name for c in Article.__table__.columns if c.name not in ("id", "canonical_url")]
    listed = ", ".join(columns)
    with sessions() as session:
        for copy in range(1, -(-total // len(records))):
            rows = min(len(records), total - copy * len(records))
            stored = f"SELECT id FROM articles ORDER BY id LIMIT {rows}"  # the first stored
            session.execute(
                text(
                    f"INSERT INTO articles (canonical_url, {listed}) "
                    f"SELECT canonical_url || '#{copy}', {listed} FROM articles "
                    f"WHERE id IN ({stored}) ORDER BY id"
                )
            )
        session.commit()
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("ANALYZE articles"))
            session.commit()
    return [record.text for record in records]


def _queries(texts: list[str]) -> list[tuple[str, str]]:
    """(label, query) pairs: the commonest word, two of them both ways, a prefix, a rare word."""
    frequency = Counter(word for body in texts for word in set(body.replace(".", "").split()))
    ranked = [word for word, _ in frequency.most_common()]
    first, second = ranked[:2]
    return [
        ("1 word", first),
        ("2 words, AND", f"{first} {second}"),
        ("2 words, OR", f"{first} OR {second}"),
        ("prefix", first[:3] + "*"),
        ("1 rare word", ranked[-1]),
    ]


def _print_table(
    engine: Engine, sessions: sessionmaker[Session], queries: list[tuple[str, str]],
    articles: int, repeat: int,
) -> None:  # fmt: skip
    postgres = engine.dialect.name == "postgresql"
    header = f"{'query':<26} | {'matches':>8} | {'search ms':>9} | {'count ms':>8}"
    print(header + (f" | {'recomputed rank ms':>18} | {'ratio':>5}" if postgres else ""))
    for label, query in queries:
        with sessions() as session:
            matches = count_matches(session, query)
            found = _median(repeat, partial(search, session, query, limit=20))
            counted = _median(repeat, partial(count_matches, session, query))
            line = f"{label:<26} | {matches:>8,} | {found:>9.1f} | {counted:>8.1f}"
            if postgres:
                old = _median(repeat, partial(_recomputed_rank, session, query))
                line += f" | {old:>18.1f} | {old / found:>5.1f}"
        print(line)
    print(f"(search: the best 20 of the matches by relevance; {articles:,} articles in all)")


def _median(repeat: int, run: Callable[[], object]) -> float:
    run()  # warm: the first run reads the pages from disk
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _recomputed_rank(session: Session, query: str) -> None:
    """The best 20 as ranked before migration 0014: matched through the index on the
    expression, and scored on the expression recomputed from each match's columns."""
    vector = SEARCH_VECTOR_SQL  # migration 0013's expression, which the GIN index is on
    tsquery = "to_tsquery('simple'::regconfig, :query)"
    session.execute(
        text(
            f"SELECT id, ts_rank({vector}, {tsquery}) AS score FROM articles "
            f"WHERE {vector} @@ {tsquery} ORDER BY score DESC, id LIMIT 20"
        ),
        {"query": render_tsquery(parse_query(query))},
    ).all()


if __name__ == "__main__":
    main()
