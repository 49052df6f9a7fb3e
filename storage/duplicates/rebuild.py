"""Rebuilding every cluster at once from the stored signatures (`sankofa duplicates
--recluster`): LSH pairs band by band, verified in arrays, joined as connected components."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from storage.duplicates.links import (
    SIGNATURE_BYTES,
    SIGNATURE_VALUES,
    Signatures,
    agreeing,
    band_keys,
    body_hash,
    duplicate_threshold,
    root_key,
    set_duplicate_threshold,
)
from storage.models import Article, LshBucket


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
    if threshold is None:
        threshold = duplicate_threshold(session)
    else:
        set_duplicate_threshold(session, threshold)
        session.commit()
    added = _sign_missing(session, sign, say) if sign is not None else 0
    table = _read_corpus(session, say)
    say(f"linking {len(table.ids):,} articles")
    labels = _label_components(table, threshold)
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
    hashes: list[str | None]
    rank: npt.NDArray[np.int64]  # position in root order (earliest published first)
    current: list[tuple[int | None, int, int | None, int | None]]  # stored cluster fields


def _read_corpus(session: Session, say: Progress) -> _Corpus:
    """Every article's clustering fields; signatures go straight into one byte buffer
    (200,000 articles: 100 MB), nothing else is kept per article but small values."""
    columns = (
        Article.id,
        Article.published,
        Article.canonical_url,
        Article.body_hash,
        Article.minhash,
        Article.cluster_id,
        Article.cluster_size,
        Article.near_duplicate_of,
        Article.exact_duplicate_of,
    )
    ids: list[int] = []
    order_keys: list[tuple[datetime, str]] = []
    hashes: list[str | None] = []
    current: list[tuple[int | None, int, int | None, int | None]] = []
    buffer = bytearray()
    signed: list[bool] = []
    stmt = select(*columns).order_by(Article.id).execution_options(yield_per=2000)
    for row in session.execute(stmt):
        ids.append(row[0])
        order_keys.append(root_key(row[1], row[2]))
        hashes.append(row[3])
        current.append((row[5], row[6], row[7], row[8]))
        signature = row[4] if row[4] is not None and len(row[4]) == SIGNATURE_BYTES else None
        buffer += signature or bytes(SIGNATURE_BYTES)
        signed.append(signature is not None)
        if len(ids) % 50_000 == 0:
            say(f"read {len(ids):,} articles")
    order = sorted(range(len(ids)), key=order_keys.__getitem__)
    del order_keys
    rank = np.empty(len(ids), dtype=np.int64)
    rank[order] = np.arange(len(ids))
    return _Corpus(
        ids=np.array(ids, dtype=np.int64),
        signatures=np.frombuffer(buffer, dtype="<u4").reshape(len(ids), SIGNATURE_VALUES),
        signed=np.array(signed, dtype=bool),
        hashes=hashes,
        rank=rank,
        current=current,
    )


def _label_components(table: _Corpus, threshold: float) -> npt.NDArray[np.int64]:
    """Connected groups of linked articles: a label per article (row of `table`)."""
    from scipy.sparse import coo_matrix  # imported here: only a full rebuild needs it
    from scipy.sparse.csgraph import connected_components

    firsts, seconds = _hash_links(table.hashes)
    pairs_a, pairs_b = [firsts], [seconds]
    for a, b in _bucket_links(table, threshold):
        pairs_a.append(a)
        pairs_b.append(b)
    a = np.concatenate(pairs_a)
    b = np.concatenate(pairs_b)
    n = len(table.ids)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _count, labels = connected_components(graph, directed=False)
    return np.asarray(labels, dtype=np.int64)


def _hash_links(hashes: list[str | None]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each article with a body hash seen before is linked to the first with it."""
    first: dict[str, int] = {}
    a: list[int] = []
    b: list[int] = []
    for i, digest in enumerate(hashes):
        if digest is None:
            continue
        j = first.setdefault(digest, i)
        if j != i:
            a.append(j)
            b.append(i)
    return np.array(a, dtype=np.int64), np.array(b, dtype=np.int64)


def _bucket_links(
    table: _Corpus, threshold: float
) -> Iterable[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """Pairs that share a band and agree on enough values, band by band."""
    rows = np.flatnonzero(table.signed)
    if rows.size < 2:
        return
    # A copy only when some articles have no signature (a full-corpus copy is 100 MB).
    signatures = table.signatures if rows.size == len(table.ids) else table.signatures[rows]
    needed = agreeing(threshold, signatures.shape[1])
    keys = band_keys(signatures)
    for band in range(keys.shape[1]):
        a, b = _same_key_pairs(keys[:, band])
        for start in range(0, len(a), 20_000):  # bounded memory per comparison
            sa, sb = a[start : start + 20_000], b[start : start + 20_000]
            agree = (signatures[sa] == signatures[sb]).sum(axis=1) >= needed
            yield rows[sa[agree]], rows[sb[agree]]


def _same_key_pairs(
    keys: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Every pair of positions holding the same key (each pair once)."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, len(ordered)])
    # Most shared keys are shared by two articles: those pairs in one step (a small array
    # per group cost more memory than the pairs themselves).
    twos = starts[sizes == 2]
    a_parts: list[npt.NDArray[np.int64]] = [order[twos]]
    b_parts: list[npt.NDArray[np.int64]] = [order[twos + 1]]
    for start, size in zip(starts[sizes > 2], sizes[sizes > 2], strict=True):
        group = order[start : start + size]
        i, j = np.triu_indices(size, k=1)
        a_parts.append(group[i])
        b_parts.append(group[j])
    return np.concatenate(a_parts), np.concatenate(b_parts)


def _write_clusters(
    session: Session, table: _Corpus, labels: npt.NDArray[np.int64], say: Progress
) -> int:
    """Store each article's cluster fields where they changed; returns how many changed."""
    wanted = _cluster_fields(table, labels)
    names = ("cluster_id", "cluster_size", "near_duplicate_of", "exact_duplicate_of")
    changes: list[dict[str, object]] = []  # written 5,000 at a time: memory stays flat
    changed = 0
    for i, fields in enumerate(wanted):
        if fields != table.current[i]:
            changes.append({"id": int(table.ids[i]), **dict(zip(names, fields, strict=True))})
        if len(changes) == 5000 or (changes and i == len(wanted) - 1):
            session.execute(update(Article), changes)  # ORM bulk UPDATE by primary key
            session.commit()
            changed += len(changes)
            changes = []
            say(f"stored the clusters of {changed:,} changed articles")
    return changed


def _cluster_fields(
    table: _Corpus, labels: npt.NDArray[np.int64]
) -> list[tuple[int, int, int | None, int | None]]:
    """(cluster_id, cluster_size, near_duplicate_of, exact_duplicate_of) per article."""
    roots = _earliest_per_group(labels, table.rank)
    sizes = np.bincount(labels)
    exact_root: dict[str, int] = {}
    for i in np.argsort(table.rank):
        digest = table.hashes[int(i)]
        if digest is not None:
            exact_root.setdefault(digest, int(i))
    fields: list[tuple[int, int, int | None, int | None]] = []
    for i, label in enumerate(labels):
        root = roots[label]
        digest = table.hashes[i]
        twin = exact_root[digest] if digest is not None else i
        fields.append(
            (
                int(table.ids[root]),
                int(sizes[label]),
                None if root == i else int(table.ids[root]),
                None if twin == i else int(table.ids[twin]),
            )
        )
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
    keys = band_keys(table.signatures[signed_rows]) if signed_rows.size else None
    expected = 0 if keys is None else sum(len(set(row.tolist())) for row in keys)
    stored = session.scalar(select(func.count()).select_from(LshBucket)) or 0
    if stored == expected:
        return
    say(f"rebuilding the LSH index ({expected:,} buckets)")
    session.execute(delete(LshBucket))
    if keys is not None:
        for start in range(0, len(signed_rows), 2000):
            rows = [
                {"bucket": int(key), "article_id": int(table.ids[signed_rows[i]])}
                for i in range(start, min(start + 2000, len(signed_rows)))
                for key in set(keys[i].tolist())
            ]
            session.execute(insert(LshBucket), rows)
    session.commit()
