"""The near-duplicate index and story clusters.

Two articles are *linked* when their bodies are the same text (same `body_hash`: Unicode
form and spacing unified), or when their MinHash signatures share an LSH bucket and agree
on at least `threshold` of their values (the estimated Jaccard similarity of their shingle
sets, see crawler.dedupe.signature). A *cluster* is a connected group of linked articles;
its root is its earliest published article (ties and unknown dates: by canonical URL), and
every other member names the root in `near_duplicate_of`. Exact copies also name the
earliest article with their body hash in `exact_duplicate_of`.

Links depend only on the two articles, and a root only on its cluster's members, so the
clusters are the same whatever order the articles arrived in: storing an article updates
the clusters it joins (index_article), and `recluster` rebuilds them all at once from the
stored signatures; both produce the same result (tested).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, case, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from storage.models import Article, CorpusSetting, LshBucket, Source

DEFAULT_THRESHOLD: Final = 0.8
_THRESHOLD: Final = "duplicate_threshold"  # its name in corpus_settings
# An LSH band is BAND_ROWS consecutive signature values; two articles become candidates
# when any band is equal. With 128 values: 21 bands of 6, so a pair at similarity 0.8 is a
# candidate with probability 0.998, at 0.7 0.93, at 0.3 0.015 (1 - (1 - s^6)^21).
BAND_ROWS: Final = 6
_SPACES = re.compile(r"\s+")
_MIX: Final = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constants of splitmix64
_MIX2: Final = np.uint64(0xBF58476D1CE4E5B9)
_NEVER: Final = datetime.max.replace(tzinfo=UTC)
_IN_LIMIT: Final = 5000  # ids per IN (...) list, well under SQLite's variable limit

Signatures = npt.NDArray[np.uint32]
# crawler.dedupe.signature.NUM_PERM values of 4 bytes; a signature of another length (a
# future signature scheme) is not compared until `recluster` recomputes it.
SIGNATURE_VALUES: Final = 128
_SIGNATURE_BYTES: Final = 4 * SIGNATURE_VALUES


def body_hash(text: str) -> str:
    """What exact copies share: the body with its Unicode form and spacing unified."""
    unified = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(unified.encode("utf-8")).hexdigest()[:32]


def as_signatures(blobs: Sequence[bytes]) -> Signatures:
    """Stored signatures (little-endian uint32 values) as one row per signature."""
    if not blobs:
        return np.zeros((0, 0), dtype=np.uint32)
    return np.frombuffer(b"".join(blobs), dtype="<u4").reshape(len(blobs), -1).astype(np.uint32)


def band_keys(signatures: Signatures) -> npt.NDArray[np.int64]:
    """One 64-bit key per band of each signature (rows: signatures, columns: bands); the
    band's number is mixed in, so equal values in different bands are different keys."""
    bands = signatures.shape[1] // BAND_ROWS
    keys = np.empty((signatures.shape[0], bands), dtype=np.uint64)
    with np.errstate(over="ignore"):  # multiplication modulo 2^64 is the point
        for band in range(bands):
            mixed = np.full(signatures.shape[0], band + 1, dtype=np.uint64) * _MIX
            for column in range(band * BAND_ROWS, (band + 1) * BAND_ROWS):
                mixed = (mixed ^ signatures[:, column].astype(np.uint64)) * _MIX2
                mixed ^= mixed >> np.uint64(29)
            keys[:, band] = mixed
    return keys.view(np.int64)


def duplicate_threshold(session: Session) -> float:
    """The corpus's near-duplicate threshold (DEFAULT_THRESHOLD until one is set)."""
    value = session.scalar(select(CorpusSetting.value).where(CorpusSetting.name == _THRESHOLD))
    return DEFAULT_THRESHOLD if value is None else float(value)


def set_duplicate_threshold(session: Session, threshold: float) -> None:
    """Record the threshold every later store uses (call `recluster` with it); no commit."""
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"a near-duplicate threshold is between 0 and 1, not {threshold}")
    session.merge(CorpusSetting(name=_THRESHOLD, value=repr(threshold)))


def agreeing(threshold: float, length: int) -> int:
    """How many of `length` signature values two near-duplicates must share."""
    return math.ceil(threshold * length - 1e-9)


@dataclass(frozen=True, slots=True)
class Member:
    """What clustering needs of one article."""

    id: int
    published: datetime | None
    canonical_url: str
    body_hash: str | None
    minhash: bytes | None


def _root_key(member: Member) -> tuple[datetime, str]:
    """The root of a cluster sorts first: earliest published, unknown dates last, then by
    canonical URL (unique, so there is never a tie)."""
    return root_key(member.published, member.canonical_url)


def root_key(published: datetime | None, canonical_url: str) -> tuple[datetime, str]:
    return (published or _NEVER, canonical_url)


# ---------------------------------------------------------------- one article at a time


def index_article(
    session: Session,
    article_id: int,
    *,
    threshold: float | None = None,
    previous: Member | None = None,
) -> None:
    """Index a stored (new or changed) article and update the clusters it touches.

    `previous` is the article as it was before an update (its old buckets are dropped and
    its old cluster may split). `threshold` defaults to the corpus's. Runs inside the
    caller's write transaction.
    """
    if threshold is None:
        threshold = duplicate_threshold(session)
    me = _members(session, [article_id])[0]
    keys = _keys_of(me.minhash)
    _lock(session, keys, me.body_hash)
    if previous is not None and previous.minhash is not None:
        old = [int(k) for k in _keys_of(previous.minhash)]
        session.execute(
            delete(LshBucket).where(LshBucket.article_id == article_id, LshBucket.bucket.in_(old))
        )
    linked = _linked_to(session, me, keys, threshold)
    if keys:
        session.execute(insert(LshBucket), [{"bucket": k, "article_id": article_id} for k in keys])
    touched = {cluster for cluster in _cluster_ids(session, [m.id for m in linked]) if cluster}
    old_cluster = _cluster_ids(session, [article_id])[0] if previous is not None else None
    if old_cluster is not None:
        touched.add(old_cluster)
    members = _cluster_members(session, touched, article_id)
    if previous is None or len(members) == 1:
        _assign(session, [members])  # a new article can only merge clusters
    else:  # a changed body may have broken the links that held its old cluster together
        _assign(session, _components(members, threshold))
    hashes = {me.body_hash, previous.body_hash if previous else None} - {None}
    _refresh_exact(session, hashes)


def _linked_to(session: Session, me: Member, keys: list[int], threshold: float) -> list[Member]:
    candidates: set[int] = set()
    if keys:
        found = select(LshBucket.article_id).where(LshBucket.bucket.in_(keys)).distinct()
        candidates.update(session.scalars(found))
    if me.body_hash is not None:
        same = select(Article.id).where(Article.body_hash == me.body_hash)
        candidates.update(session.scalars(same))
    candidates.discard(me.id)
    return [
        other for other in _members(session, sorted(candidates)) if _linked(me, other, threshold)
    ]


def _linked(a: Member, b: Member, threshold: float) -> bool:
    """The one definition of a link, used by index_article and by split checks."""
    if a.body_hash is not None and a.body_hash == b.body_hash:
        return True
    if a.minhash is None or b.minhash is None or len(a.minhash) != len(b.minhash):
        return False
    pair = as_signatures([a.minhash, b.minhash])
    if not np.intersect1d(band_keys(pair[:1]), band_keys(pair[1:])).size:
        return False
    return int((pair[0] == pair[1]).sum()) >= agreeing(threshold, pair.shape[1])


def _components(members: list[Member], threshold: float) -> list[list[Member]]:
    """The connected groups of `members` (a few clusters' worth: pairwise is fine)."""
    parent = list(range(len(members)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(members):
        for j in range(i + 1, len(members)):
            if find(i) != find(j) and _linked(a, members[j], threshold):
                parent[find(i)] = find(j)
    groups: dict[int, list[Member]] = {}
    for i, member in enumerate(members):
        groups.setdefault(find(i), []).append(member)
    return list(groups.values())


def _assign(session: Session, groups: Iterable[list[Member]]) -> None:
    for group in groups:
        root = min(group, key=_root_key)
        ids = [member.id for member in group]
        for chunk in _chunks(ids):
            session.execute(
                update(Article)
                .where(Article.id.in_(chunk))
                .values(
                    cluster_id=root.id,
                    cluster_size=len(group),
                    near_duplicate_of=case((Article.id == root.id, None), else_=root.id),
                )
            )


def _refresh_exact(session: Session, hashes: Iterable[str | None]) -> None:
    """Point every article with one of `hashes` at the earliest article with that hash."""
    for digest in hashes:
        if digest is None:
            continue
        ids = list(session.scalars(select(Article.id).where(Article.body_hash == digest)))
        group = _members(session, ids)
        if not group:
            continue
        root = min(group, key=_root_key)
        session.execute(
            update(Article)
            .where(Article.body_hash == digest)
            .values(exact_duplicate_of=case((Article.id == root.id, None), else_=root.id))
        )


def _members(session: Session, ids: Sequence[int]) -> list[Member]:
    found: list[Member] = []
    for chunk in _chunks(list(ids)):
        rows = session.execute(
            select(
                Article.id,
                Article.published,
                Article.canonical_url,
                Article.body_hash,
                Article.minhash,
            ).where(Article.id.in_(chunk))
        )
        found.extend(Member(*row[:4], _comparable(row[4])) for row in rows)
    found.sort(key=lambda member: member.id)
    return found


def _comparable(minhash: bytes | None) -> bytes | None:
    return minhash if minhash is not None and len(minhash) == _SIGNATURE_BYTES else None


def _cluster_ids(session: Session, ids: Sequence[int]) -> list[int | None]:
    clusters: list[int | None] = []
    for chunk in _chunks(list(ids)):
        clusters.extend(session.scalars(select(Article.cluster_id).where(Article.id.in_(chunk))))
    return clusters


def _cluster_members(session: Session, clusters: set[int], article_id: int) -> list[Member]:
    ids = {article_id}
    for chunk in _chunks(sorted(clusters)):
        ids.update(session.scalars(select(Article.id).where(Article.cluster_id.in_(chunk))))
    return _members(session, sorted(ids))


def _keys_of(minhash: bytes | None) -> list[int]:
    if minhash is None:
        return []
    return sorted({int(key) for key in band_keys(as_signatures([minhash]))[0]})


def _lock(session: Session, keys: list[int], digest: str | None) -> None:
    """On PostgreSQL, serialise writers that could link to each other: one transaction
    lock per bucket and body hash, taken in order (no deadlock). SQLite has one writer."""
    if session.get_bind().dialect.name != "postgresql":
        return
    locks = set(keys)
    if digest is not None:
        locks.add(int.from_bytes(bytes.fromhex(digest[:16]), "big", signed=True))
    for key in sorted(locks):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _IN_LIMIT):
        yield ids[start : start + _IN_LIMIT]


# ---------------------------------------------------------------- the whole corpus at once


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
        signature = row[4] if row[4] is not None and len(row[4]) == _SIGNATURE_BYTES else None
        buffer += signature or bytes(_SIGNATURE_BYTES)
        signed.append(signature is not None)
        if len(ids) % 50_000 == 0:
            say(f"read {len(ids):,} articles")
    order = sorted(range(len(ids)), key=order_keys.__getitem__)
    del order_keys
    rank = np.empty(len(ids), dtype=np.int64)
    rank[order] = np.arange(len(ids))
    return _Corpus(
        ids=np.array(ids, dtype=np.int64),
        signatures=np.frombuffer(bytes(buffer), dtype="<u4").reshape(len(ids), SIGNATURE_VALUES),
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
    signatures = table.signatures[rows]
    needed = agreeing(threshold, signatures.shape[1])
    keys = band_keys(signatures)
    for band in range(keys.shape[1]):
        a, b = _same_key_pairs(keys[:, band])
        for start in range(0, len(a), 200_000):  # bounded memory per comparison
            sa, sb = a[start : start + 200_000], b[start : start + 200_000]
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
    a_parts: list[npt.NDArray[np.int64]] = []
    b_parts: list[npt.NDArray[np.int64]] = []
    for start, size in zip(starts[sizes > 1], sizes[sizes > 1], strict=True):
        group = order[start : start + size]
        i, j = np.triu_indices(size, k=1)
        a_parts.append(group[i])
        b_parts.append(group[j])
    if not a_parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(a_parts), np.concatenate(b_parts)


def _write_clusters(
    session: Session, table: _Corpus, labels: npt.NDArray[np.int64], say: Progress
) -> int:
    """Store each article's cluster fields where they changed; returns how many changed."""
    wanted = _cluster_fields(table, labels)
    names = ("cluster_id", "cluster_size", "near_duplicate_of", "exact_duplicate_of")
    changes = [
        {"id": int(table.ids[i]), **dict(zip(names, fields, strict=True))}
        for i, fields in enumerate(wanted)
        if fields != table.current[i]
    ]
    for start in range(0, len(changes), 5000):  # ORM bulk UPDATE by primary key
        session.execute(update(Article), changes[start : start + 5000])
        session.commit()
        say(f"stored clusters of {min(start + 5000, len(changes)):,}/{len(changes):,} articles")
    return len(changes)


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


# ---------------------------------------------------------------- reading clusters


@dataclass(frozen=True, slots=True)
class Cluster:
    cluster_id: int
    size: int
    exact: int  # members that are exact copies of another member
    sources: list[str]
    first_published: datetime | None
    last_published: datetime | None
    title: str  # the root article's title
    root_url: str


def list_clusters(
    session: Session, where: Sequence[ColumnElement[bool]] = (), limit: int = 50
) -> tuple[int, list[Cluster]]:
    """Clusters of two or more articles with a member matching `where`: how many there
    are, and the largest `limit` of them (then by cluster id)."""
    matching = (
        select(Article.cluster_id).where(*where, Article.cluster_size > 1).distinct().subquery()
    )
    total = session.scalar(select(func.count()).select_from(matching)) or 0
    stmt = (
        select(
            Article.cluster_id,
            func.count(),
            func.count(Article.exact_duplicate_of),
            func.min(Article.published),
            func.max(Article.published),
        )
        .where(Article.cluster_id.in_(select(matching.c.cluster_id)))
        .group_by(Article.cluster_id)
        .order_by(func.count().desc(), Article.cluster_id)
        .limit(limit)
    )
    rows = [(int(row[0]), *row[1:]) for row in session.execute(stmt) if row[0] is not None]
    ids = [row[0] for row in rows]
    sources = _sources_of(session, ids)
    roots = {
        r.id: r
        for r in session.execute(
            select(Article.id, Article.title, Article.canonical_url).where(Article.id.in_(ids))
        )
    }
    clusters = [
        Cluster(
            cluster_id=cid,
            size=size,
            exact=exact,
            sources=sources.get(cid, []),
            first_published=first,
            last_published=last,
            title=roots[cid].title if cid in roots else "",
            root_url=roots[cid].canonical_url if cid in roots else "",
        )
        for cid, size, exact, first, last in rows
    ]
    return total, clusters


def _sources_of(session: Session, cluster_ids: list[int]) -> dict[int, list[str]]:
    stmt = (
        select(Article.cluster_id, Source.name)
        .join(Source, Article.source_id == Source.id)
        .where(Article.cluster_id.in_(cluster_ids))
        .distinct()
        .order_by(Article.cluster_id, Source.name)
    )
    found: dict[int, list[str]] = {}
    for cluster_id, name in session.execute(stmt):
        if cluster_id is not None:
            found.setdefault(cluster_id, []).append(name)
    return found


@dataclass(frozen=True, slots=True)
class ClusterMember:
    id: int
    source: str
    published: datetime | None
    title: str
    canonical_url: str
    near_duplicate_of: int | None
    exact_duplicate_of: int | None


def cluster_of(session: Session, article: int | str) -> list[ClusterMember]:
    """The members of the cluster of one article (by id or URL), earliest first; empty
    when no stored article has that id or URL."""
    if isinstance(article, int):
        found = select(Article.cluster_id).where(Article.id == article)
    else:
        found = select(Article.cluster_id).where(
            (Article.canonical_url == article) | (Article.url == article)
        )
    cluster_id = session.scalars(found.limit(1)).first()
    if cluster_id is None:
        return []
    stmt = (
        select(
            Article.id,
            Source.name,
            Article.published,
            Article.title,
            Article.canonical_url,
            Article.near_duplicate_of,
            Article.exact_duplicate_of,
        )
        .join(Source, Article.source_id == Source.id)
        .where(Article.cluster_id == cluster_id)
    )
    members = [ClusterMember(*row) for row in session.execute(stmt)]
    return sorted(members, key=lambda m: root_key(m.published, m.canonical_url))
