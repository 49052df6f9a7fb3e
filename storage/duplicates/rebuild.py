"""Rebuilding every cluster at once from the stored signatures (`sankofa duplicates
--recluster`): LSH pairs band by band, verified in arrays, joined as connected components.

Peak memory is a target (200,000 articles: 500 MB), so per article only numbers are kept,
in arrays (the signatures, 512 bytes each, are most of it), band keys are computed one band
or 2,000 articles at a time, and rows are written in batches of Core statements.

The new cluster fields are written in ONE transaction: in_story and near_duplicate_of
are read per cluster (collapsed search, `export --dedupe near`), so a rebuild stopped half
way must leave the clusters as they were, never half of one story moved. (WAL readers keep
reading the old clusters meanwhile; a crawl storing at the same time waits for the commit.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, cast

import numpy as np
import numpy.typing as npt
from sqlalchemy import Row, Table, bindparam, func, select, update
from sqlalchemy.orm import Session

from storage.duplicates.links import (
    SIGNATURE_BYTES,
    SIGNATURE_VALUES,
    Signatures,
    agreeing,
    band_count,
    band_key,
    band_keys,
    body_hash,
    duplicate_threshold,
    root_key,
    set_duplicate_threshold,
)
from storage.models import Article, LshBucket

_ARTICLES: Final = cast(Table, Article.__table__)
_BUCKETS: Final = cast(Table, LshBucket.__table__)
_FIELD_NAMES: Final = ("cluster_id", "in_story", "near_duplicate_of", "exact_duplicate_of")
_AS_STORED: Final = (int, bool, int, int)  # each field from its int64 back to its column type
# Per article, the four cluster fields as int64 (_NULL for null: no article has that id).
_Fields = npt.NDArray[np.int64]
_Pairs = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]  # (first, second) positions
_NULL: Final = int(np.iinfo(np.int64).min)
_SET_FIELDS: Final = (
    _ARTICLES.update()
    .where(_ARTICLES.c.id == bindparam("row"))
    .values({name: bindparam(f"new_{name}") for name in _FIELD_NAMES})
)
_READ_BATCH: Final = 2000
_COMPARE_BATCH: Final = 20_000  # pairs compared at once (at most twice that): 20-40 MB
_WRITE_BATCH: Final = 5000


@dataclass(frozen=True, slots=True)
class ReclusterResult:
    articles: int
    signed: int  # articles with a signature (long enough to compare)
    signatures_added: int  # computed now for articles stored without one
    clusters: int  # clusters of two or more articles
    clustered: int  # articles in those clusters
    changed: int  # articles whose cluster fields this run changed


Progress = Callable[[str], None]
Signer = Callable[[str], bytes | None]


def recluster(
    session: Session,
    *,
    threshold: float | None = None,
    sign: Signer | None = None,
    progress: Progress | None = None,
) -> ReclusterResult:
    """Rebuild every cluster from the stored signatures and body hashes; commits.

    `threshold` (default: the corpus's) becomes the corpus's threshold. `sign` computes
    the signature of articles stored without one (before this index existed); the LSH
    buckets are rebuilt when they do not match the signatures.
    """
    say = progress or (lambda _line: None)
    linking_at = duplicate_threshold(session) if threshold is None else threshold
    added = _sign_missing(session, sign, say) if sign is not None else 0
    table = _read_corpus(session, say)
    say(f"linking {len(table.ids):,} articles")
    labels = _label_components(table, linking_at)
    if threshold is not None:  # committed with the clusters it made, or not at all
        set_duplicate_threshold(session, threshold)
    changed = _write_clusters(session, table, labels, say)
    _rebuild_buckets_if_stale(session, table, say)
    sizes = np.bincount(labels)
    return ReclusterResult(
        articles=len(table.ids),
        signed=int(table.signed.sum()),
        signatures_added=added,
        clusters=int((sizes > 1).sum()),
        clustered=int(sizes[sizes > 1].sum()),
        changed=changed,
    )


@dataclass(slots=True)
class _Corpus:
    ids: npt.NDArray[np.int64]
    signatures: Signatures  # one row per article; zeros where `signed` is False
    signed: npt.NDArray[np.bool_]
    body: npt.NDArray[np.int64]  # a number per distinct body hash (-1: no body hash)
    rank: npt.NDArray[np.int64]  # position in root order (earliest published first)
    current: _Fields  # the stored cluster fields


_CORPUS_COLUMNS: Final = (
    Article.id,
    Article.published,
    Article.canonical_url,
    Article.body_hash,
    Article.minhash,
    *(getattr(Article, name) for name in _FIELD_NAMES),
)


def _read_corpus(session: Session, say: Progress) -> _Corpus:
    """Every article's clustering fields, into arrays sized by a count first: per article
    only numbers are kept (200,000 articles: 100 MB of signatures, 10 MB besides)."""
    stmt = select(*_CORPUS_COLUMNS).order_by(Article.id).execution_options(yield_per=_READ_BATCH)
    reader = _Reader(session.scalar(select(func.count()).select_from(Article)) or 0)
    for rows in session.execute(stmt).partitions():
        reader.add(rows)
        if reader.size % 50_000 < len(rows):
            say(f"read {reader.size - reader.size % 50_000:,} articles")
    return reader.corpus()


class _Reader:
    """The corpus query's rows, batch by batch, into preallocated arrays (grown when more
    rows come than were counted: PostgreSQL's count and read need not see the same rows)."""

    def __init__(self, expected: int) -> None:
        self.size = 0
        self.ids = np.empty(expected, dtype=np.int64)
        self.signatures = np.zeros((expected, SIGNATURE_VALUES), dtype=np.uint32)
        self.signed = np.zeros(expected, dtype=bool)
        self.body = np.empty(expected, dtype=np.int64)
        self.current = np.empty((expected, len(_FIELD_NAMES)), dtype=np.int64)
        self.order_keys: list[tuple[datetime, str]] = []  # sorted once all are read
        self.bodies: dict[str, int] = {}  # body hash: its number

    def add(self, rows: Sequence[Row[*tuple[Any, ...]]]) -> None:
        start, end = self.size, self.size + len(rows)
        if end > len(self.ids):
            self._grow(max(end, 2 * len(self.ids)))
        self.ids[start:end] = [row[0] for row in rows]
        self.body[start:end] = [self._body_number(row[3]) for row in rows]
        self.current[start:end] = [[_NULL if v is None else v for v in row[5:]] for row in rows]
        self.order_keys.extend(root_key(row[1], row[2]) for row in rows)
        for i, row in enumerate(rows, start):
            if row[4] is not None and len(row[4]) == SIGNATURE_BYTES:
                self.signatures[i] = np.frombuffer(row[4], dtype="<u4")
                self.signed[i] = True
        self.size = end

    def _body_number(self, digest: str | None) -> int:
        return -1 if digest is None else self.bodies.setdefault(digest, len(self.bodies))

    def _grow(self, capacity: int) -> None:
        for name in ("ids", "signatures", "signed", "body", "current"):
            old = getattr(self, name)
            new = np.zeros((capacity, *old.shape[1:]), dtype=old.dtype)
            new[: self.size] = old[: self.size]
            setattr(self, name, new)

    def corpus(self) -> _Corpus:
        n = self.size
        order = sorted(range(n), key=self.order_keys.__getitem__)
        self.order_keys, self.bodies = [], {}
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        return _Corpus(
            ids=self.ids[:n],
            signatures=self.signatures[:n],
            signed=self.signed[:n],
            body=self.body[:n],
            rank=rank,
            current=self.current[:n],
        )


def _label_components(table: _Corpus, threshold: float) -> npt.NDArray[np.int64]:
    """Connected groups of linked articles: a label per article (row of `table`)."""
    from scipy.sparse import coo_matrix  # imported here: only a full rebuild needs it
    from scipy.sparse.csgraph import connected_components

    firsts, seconds = _hash_links(table.body)
    pairs_a, pairs_b = [firsts], [seconds]
    for a, b in _bucket_links(table, threshold):
        pairs_a.append(a)
        pairs_b.append(b)
    a = np.concatenate(pairs_a)
    b = np.concatenate(pairs_b)
    del pairs_a, pairs_b
    n = len(table.ids)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _count, labels = connected_components(graph, directed=False)
    return np.asarray(labels, dtype=np.int64)


def _hash_links(body: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each article with a body hash seen before is linked to the first with it."""
    hashed = np.flatnonzero(body >= 0)
    numbers = body[hashed]
    # Bodies are numbered in order of first appearance: 0, 1, 2... each present.
    _numbers, first_index = np.unique(numbers, return_index=True)
    first = hashed[first_index][numbers]
    later = first != hashed
    return first[later].astype(np.int64), hashed[later].astype(np.int64)


def _bucket_links(table: _Corpus, threshold: float) -> Iterator[_Pairs]:
    """Pairs that share a band and agree on enough values, one band at a time."""
    rows = np.flatnonzero(table.signed)
    if rows.size < 2:
        return
    everyone = rows.size == len(table.ids)
    signatures = table.signatures  # never copied (200,000 articles: 100 MB)
    needed = agreeing(threshold, signatures.shape[1])
    for band in range(band_count(signatures)):
        keys = band_key(signatures, band)
        for a, b in _same_key_pairs(keys if everyone else keys[rows]):
            if not everyone:
                a, b = rows[a], rows[b]
            agree = np.count_nonzero(signatures[a] == signatures[b], axis=1) >= needed
            yield a[agree], b[agree]


def _same_key_pairs(keys: npt.NDArray[np.int64]) -> Iterator[_Pairs]:
    """Every pair of positions holding the same key (each pair once), about _COMPARE_BATCH
    pairs at a time: one key can be shared by thousands of articles, millions of pairs
    (200,000 generated articles: 12 million in one band, 400 MB as two arrays)."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, len(ordered)])
    # Most shared keys are shared by two articles: those pairs in one step (a small array
    # per group cost more than the pairs themselves).
    twos = starts[sizes == 2]
    for start in range(0, len(twos), _COMPARE_BATCH):
        first = twos[start : start + _COMPARE_BATCH]
        yield order[first], order[first + 1]
    batch = _PairBatch()
    for start, size in zip(starts[sizes > 2].tolist(), sizes[sizes > 2].tolist(), strict=True):
        yield from batch.add(order[start : start + size])
    yield from batch.rest()


class _PairBatch:
    """Pairs of positions gathered group by group, handed on once there are enough."""

    def __init__(self) -> None:
        self.a: list[npt.NDArray[np.int64]] = []
        self.b: list[npt.NDArray[np.int64]] = []
        self.count = 0

    def add(self, group: npt.NDArray[np.int64]) -> Iterator[_Pairs]:
        """Every pair in `group`; a group of more pairs than a batch, member by member."""
        size = len(group)
        if size * (size - 1) // 2 <= _COMPARE_BATCH:
            firsts, seconds = np.triu_indices(size, k=1)
            yield from self._take(group[firsts], group[seconds])
            return
        for i in range(size - 1):
            yield from self._take(np.full(size - 1 - i, group[i]), group[i + 1 :])

    def _take(self, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> Iterator[_Pairs]:
        self.a.append(a)
        self.b.append(b)
        self.count += len(a)
        if self.count >= _COMPARE_BATCH:
            yield from self.rest()

    def rest(self) -> Iterator[_Pairs]:
        if self.count:
            yield np.concatenate(self.a), np.concatenate(self.b)
        self.a, self.b, self.count = [], [], 0


def _write_clusters(
    session: Session, table: _Corpus, labels: npt.NDArray[np.int64], say: Progress
) -> int:
    """Store each article's cluster fields where they changed, all in one transaction;
    returns how many changed."""
    wanted = _cluster_fields(table, labels)
    rows = np.flatnonzero((wanted != table.current).any(axis=1))
    for start in range(0, len(rows), _WRITE_BATCH):  # memory stays flat
        batch = rows[start : start + _WRITE_BATCH]
        ids = table.ids[batch].tolist()
        values = [
            [None if v == _NULL else to(v) for to, v in zip(_AS_STORED, fields, strict=True)]
            for fields in wanted[batch].tolist()
        ]
        params = [
            {"row": i, **{f"new_{name}": v for name, v in zip(_FIELD_NAMES, fields, strict=True)}}
            for i, fields in zip(ids, values, strict=True)
        ]
        session.connection().execute(_SET_FIELDS, params)
        say(f"wrote the clusters of {start + len(batch):,} changed articles")
    session.commit()
    return len(rows)


def _cluster_fields(table: _Corpus, labels: npt.NDArray[np.int64]) -> _Fields:
    """(cluster_id, in_story, near_duplicate_of, exact_duplicate_of) per article, as the
    stored fields are read (_NULL for null, 0 and 1 for false and true)."""
    rows = np.arange(len(labels))
    root = _earliest_per_group(labels, table.rank)[labels]
    twin = rows.copy()  # the earliest article with the same body hash
    hashed = np.flatnonzero(table.body >= 0)
    if hashed.size:
        numbers = table.body[hashed]
        twin[hashed] = hashed[_earliest_per_group(numbers, table.rank[hashed])[numbers]]
    fields = np.empty((len(labels), len(_FIELD_NAMES)), dtype=np.int64)
    fields[:, 0] = table.ids[root]
    fields[:, 1] = np.bincount(labels)[labels] > 1
    fields[:, 2] = np.where(root == rows, _NULL, table.ids[root])
    fields[:, 3] = np.where(twin == rows, _NULL, table.ids[twin])
    return fields


def _earliest_per_group(
    labels: npt.NDArray[np.int64], rank: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """For each label, the row with the lowest rank."""
    order = np.argsort(rank)
    group_labels, first = np.unique(labels[order], return_index=True)
    roots = np.zeros(int(labels.max()) + 1 if labels.size else 0, dtype=np.int64)
    roots[group_labels] = order[first]
    return roots


def _sign_missing(session: Session, sign: Signer, say: Progress) -> int:
    """Compute and store the signature of articles stored without one (older rows)."""
    # Bodies too short to sign stay unsigned and are looked at again: signing is cheap.
    missing = select(Article.id, Article.text).where(Article.minhash.is_(None))
    done = 0
    last = 0
    while True:
        rows = session.execute(
            missing.where(Article.id > last).order_by(Article.id).limit(1000)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        values = [
            {"id": r.id, "minhash": sign(r.text), "body_hash": body_hash(r.text)} for r in rows
        ]
        session.execute(update(Article), values)
        session.commit()
        done += sum(1 for v in values if v["minhash"] is not None)
        say(f"signed {done:,} articles stored without a signature")
    return done


def _rebuild_buckets_if_stale(session: Session, table: _Corpus, say: Progress) -> None:
    """Rebuild lsh_buckets when it does not hold exactly every signed article's keys."""
    signed_rows = np.flatnonzero(table.signed)
    expected = sum(len(buckets) for _ids, buckets in _bucket_rows(table, signed_rows))
    stored = session.scalar(select(func.count()).select_from(LshBucket)) or 0
    if stored == expected:
        return
    say(f"rebuilding the LSH index ({expected:,} buckets)")
    connection = session.connection()
    connection.execute(_BUCKETS.delete())
    for article_ids, buckets in _bucket_rows(table, signed_rows):
        rows = [
            {"bucket": bucket, "article_id": article}
            for bucket, article in zip(buckets.tolist(), article_ids.tolist(), strict=True)
        ]
        connection.execute(_BUCKETS.insert(), rows)
    session.commit()


def _bucket_rows(
    table: _Corpus, rows: npt.NDArray[np.int64]
) -> Iterable[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """(article id, bucket) of each distinct key of each article in `rows`, as two arrays
    per 2,000 articles (the keys of all at once would take 200 MB at 200,000)."""
    for start in range(0, len(rows), 2000):
        batch = rows[start : start + 2000]
        keys = np.sort(band_keys(table.signatures[batch]), axis=1)
        distinct = np.ones(keys.shape, dtype=bool)
        distinct[:, 1:] = keys[:, 1:] != keys[:, :-1]
        article_ids = np.broadcast_to(table.ids[batch][:, None], keys.shape)
        yield article_ids[distinct], keys[distinct]
