"""Near-duplicate detection, measured: pair precision and recall against planted copies, the
store time the index adds, and a full recluster at scale.

    python -m benchmarks.duplicates                       # quality + store time (~2 min)
    python -m benchmarks.duplicates --scale 200000        # + recluster of 200,000 articles
    python -m benchmarks.duplicates --shingles 1,2,3      # compare shingle sizes

Quality: benchmarks.dupcorpus plants copies (new intro, reordered or trimmed paragraphs,
5-20% of words changed, publisher boilerplate, typography, exact reposts) and hard
negatives (same template with other text, follow-ups that reuse one paragraph) of real news
text in 29 languages (../shared). Every document is stored through store_article into a
fresh SQLite database, in a shuffled order; the clusters are then rebuilt at thresholds 0.7,
0.8 and 0.9. A predicted pair is two articles in one cluster; a true pair, two documents of
one planted family.

Store time: the same documents stored with and without the index (index_article replaced by
a no-op), medians compared; at scale, 1,000 more articles stored into the 200,000.
Recluster: run in a child process, wall time and the child's peak RSS.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from benchmarks.dupcorpus import PlantedDoc, planted_corpus, scaled_corpus, truth_pairs
from crawler.dedupe.signature import signature
from storage import repository
from storage.db import open_database, session_factory
from storage.duplicates import body_hash, recluster
from storage.models import Article, Source
from storage.records import ArticleRecord, SourceRecord
from storage.repository import store_article, sync_sources

THRESHOLDS: Final = (0.7, 0.8, 0.9)
FETCHED: Final = datetime(2025, 1, 1, tzinfo=UTC)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shingles", default="1", help="shingle sizes to compare, e.g. 1,2,3")
    parser.add_argument("--scale", type=int, default=0, help="articles for the recluster run")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    docs = planted_corpus(seed=args.seed)
    truth = truth_pairs(docs)
    print(f"planted corpus: {len(docs):,} documents, {len(truth):,} true pairs, "
          f"{len({d.family for d in docs}):,} families")  # fmt: skip
    with tempfile.TemporaryDirectory() as work:
        for size in (int(s) for s in args.shingles.split(",")):
            _quality(Path(work) / f"k{size}.db", docs, truth, size, args.seed)
        _store_time(Path(work), docs, args.seed)
        if args.scale:
            _scale(Path(work) / "scale.db", args.scale, args.seed)
    return 0


# ---------------------------------------------------------------- quality


def _quality(db: Path, docs: list[PlantedDoc], truth: set[frozenset[str]], size: int,
             seed: int) -> None:  # fmt: skip
    print(f"\n=== shingles of {size} word(s) ===")
    sessions = session_factory(open_database(f"sqlite:///{db}"))
    with sessions() as session:
        _store_docs(session, _shuffled(docs, seed), size)
        print(f"{'threshold':>9}  {'pairs':>6}  {'precision':>9}  {'recall':>7}  {'F1':>6}")
        per_edit: dict[float, dict[str, float]] = {}
        for threshold in THRESHOLDS:
            recluster(session, threshold=threshold)
            predicted = _predicted_pairs(session)
            right = len(predicted & truth)
            precision = right / len(predicted) if predicted else 1.0
            recall = right / len(truth)
            f1 = 2 * precision * recall / (precision + recall) if right else 0.0
            print(f"{threshold:>9.1f}  {len(predicted):>6,}  {precision:>9.4f}  "
                  f"{recall:>7.4f}  {f1:>6.4f}")  # fmt: skip
            per_edit[threshold] = _recall_by_edit(session, docs)
        _print_by_edit(per_edit)


def _store_docs(session: Session, docs: Iterable[PlantedDoc], size: int) -> list[float]:
    """Store every document through store_article; seconds per store."""
    sources = sorted({doc.source for doc in docs})
    sync_sources(session, [SourceRecord(name, f"https://{name}.example/") for name in sources])
    seconds = []
    for doc in docs:
        record = _record(doc, signature(doc.text, size))
        started = time.perf_counter()
        store_article(session, record)
        seconds.append(time.perf_counter() - started)
    return seconds


def _record(doc: PlantedDoc, minhash: bytes | None) -> ArticleRecord:
    url = f"https://{doc.source}.example/{doc.key}"
    return ArticleRecord(
        source=doc.source, url=url, canonical_url=url, title=doc.title, text=doc.text,
        authors=[], author_bio="", author_url=None, published=doc.published, modified=None,
        site_name=None, tags=[], categories=[], description=None, image_url=None,
        language=doc.language, language_confidence=1.0, language_shares={},
        extractor="benchmark", content_hash=body_hash(doc.text), fetched_at=FETCHED,
        minhash=minhash,
    )  # fmt: skip


def _predicted_pairs(session: Session) -> set[frozenset[str]]:
    clusters: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(select(Article.cluster_id, Article.canonical_url))
    for cluster_id, url in rows:
        clusters[cluster_id].append(url.rsplit("/", 1)[1])
    return {
        frozenset(pair)
        for members in clusters.values()
        if len(members) > 1
        for pair in itertools.combinations(members, 2)
    }


def _recall_by_edit(session: Session, docs: list[PlantedDoc]) -> dict[str, float]:
    """Per edit: the share of copies in their original's cluster (negatives: the share
    kept apart from the article they were written after)."""
    cluster = {url.rsplit("/", 1)[1]: cid for cid, url in
               session.execute(select(Article.cluster_id, Article.canonical_url))}  # fmt: skip
    base_of = {doc.key: doc.key.split("~")[0] for doc in docs}
    hits: dict[str, list[bool]] = defaultdict(list)
    for doc in docs:
        if doc.edit == "original":
            continue
        together = cluster[doc.key] == cluster[base_of[doc.key]]
        edit = doc.edit if doc.edit != "words" else f"words {_bucket(doc.magnitude)}"
        hits[edit].append(not together if doc.edit.startswith("negative") else together)
    return {edit: sum(found) / len(found) for edit, found in sorted(hits.items())}


def _bucket(share: float) -> str:
    low = int(share * 20) * 5  # 5% wide buckets
    return f"{low:02d}-{low + 5:02d}%"


def _print_by_edit(per_edit: dict[float, dict[str, float]]) -> None:
    edits = sorted({edit for shares in per_edit.values() for edit in shares})
    print("\nper edit: share of copies found (negatives: share kept apart)")
    print(f"{'edit':<22}" + "".join(f"{t:>8.1f}" for t in per_edit))
    for edit in edits:
        print(f"{edit:<22}" + "".join(f"{per_edit[t].get(edit, float('nan')):>8.3f}"
                                      for t in per_edit))  # fmt: skip


def _shuffled(docs: Sequence[PlantedDoc], seed: int) -> list[PlantedDoc]:
    shuffled = list(docs)
    random.Random(seed).shuffle(shuffled)
    return shuffled


# ---------------------------------------------------------------- store time


def _store_time(work: Path, docs: list[PlantedDoc], seed: int) -> None:
    print("\n=== store time per article (SQLite, planted corpus, shuffled) ===")
    order = _shuffled(docs, seed)
    timings = {}
    for label, indexed in (("without the index", False), ("with the index", True)):
        sessions = session_factory(open_database(f"sqlite:///{work / f'store-{indexed}.db'}"))
        with _index_enabled(indexed), sessions() as session:
            timings[label] = _store_docs(session, order, 1)
    _print_added(timings)


def _print_added(timings: dict[str, list[float]]) -> None:
    medians = {label: statistics.median(s) * 1000 for label, s in timings.items()}
    for label, median in medians.items():
        print(f"  {label:<20} median {median:6.2f} ms")
    without, with_index = medians.values()
    print(f"  added by the index   median {with_index - without:6.2f} ms (target <= 2 ms)")


@contextmanager
def _index_enabled(enabled: bool) -> Iterator[None]:
    original = repository.index_article
    if not enabled:
        repository.index_article = lambda *_args, **_kwargs: None  # type: ignore[assignment]
    try:
        yield
    finally:
        repository.index_article = original  # type: ignore[assignment]


# ---------------------------------------------------------------- scale


def _scale(db: Path, count: int, seed: int) -> None:
    print(f"\n=== {count:,} articles (generated text, {count // 10:,} planted copies) ===")
    started = time.perf_counter()
    _bulk_load(db, count, seed)
    print(f"  loaded (signatures computed on 2 processes) in {time.perf_counter() - started:.0f} s")
    for run in ("first", "again"):
        seconds, peak = _child_recluster(db)
        print(f"  recluster ({run}): {seconds:6.1f} s wall, child peak RSS {peak:5.0f} MB"
              f"   (targets: <= 300 s, <= 500 MB)")  # fmt: skip
    timings = {}
    for label, indexed in (("without the index", False), ("with the index", True)):
        sessions = session_factory(open_database(f"sqlite:///{db}"))
        fresh = itertools.islice(scaled_corpus(2000, seed=seed + 1), 1000)
        extra = [replace(doc, key=f"{doc.key}-new-{indexed}") for doc in fresh]
        with _index_enabled(indexed), sessions() as session:
            timings[label] = _store_docs(session, extra, 1)
    print(f"  storing 1,000 more articles into the {count:,}:")
    _print_added(timings)


def _bulk_load(db: Path, count: int, seed: int) -> None:
    """Insert `count` generated articles with their signatures, unclustered (as rows
    stored before the index existed, minus the signing)."""
    engine = open_database(f"sqlite:///{db}")
    docs = scaled_corpus(count, seed=seed)
    with session_factory(engine)() as session, ProcessPoolExecutor(2) as pool:
        names = {f"outlet-{i:02d}" for i in range(100)}
        sync_sources(session, [SourceRecord(n, f"https://{n}.example/") for n in sorted(names)])
        source_ids: dict[str, int] = {}
        for name, source_id in session.execute(select(Source.name, Source.id)):
            source_ids[name] = source_id
        while batch := list(itertools.islice(docs, 5000)):
            signatures = list(pool.map(signature, [d.text for d in batch], chunksize=100))
            rows = [_bulk_row(d, m, source_ids) for d, m in zip(batch, signatures, strict=True)]
            session.execute(insert(Article), rows)
            session.commit()
    engine.dispose()


def _bulk_row(doc: PlantedDoc, minhash: bytes | None, source_ids: dict[str, int]) -> dict[str, Any]:
    url = f"https://{doc.source}.example/{doc.key}"
    return {
        "source_id": source_ids.setdefault(doc.source, min(source_ids.values())),
        "url": url, "canonical_url": url, "title": doc.title, "text": doc.text,
        "language": doc.language, "language_confidence": 1.0, "extractor": "benchmark",
        "content_hash": body_hash(doc.text), "body_hash": body_hash(doc.text),
        "minhash": minhash, "published": doc.published, "fetched_at": FETCHED,
        "first_seen_at": FETCHED,
    }  # fmt: skip


def _child_recluster(db: Path) -> tuple[float, float]:
    code = (
        "import sys, time, resource, json\n"
        "from storage.db import open_database, session_factory\n"
        "from storage.duplicates import recluster\n"
        "s = session_factory(open_database(sys.argv[1]))()\n"
        "t = time.perf_counter(); r = recluster(s, progress=lambda l: None)\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps([time.perf_counter() - t, peak, r.clusters, r.clustered]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, f"sqlite:///{db}"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    seconds, peak, clusters, clustered = json.loads(done.stdout)
    print(f"  {clusters:,} clusters hold {clustered:,} articles")
    return seconds, peak


if __name__ == "__main__":
    sys.exit(main())
