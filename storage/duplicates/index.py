"""Keeping the clusters as articles arrive: index_article runs in each store's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final, cast

from sqlalchemy import (
    Select,
    Table,
    bindparam,
    case,
    delete,
    literal,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from storage.duplicates.links import (
    SIGNATURE_VALUES,
    Member,
    agreeing,
    as_signatures,
    band_keys,
    comparable,
    duplicate_threshold,
    linked,
    member_order,
)
from storage.models import Article, LshBucket

_BUCKETS: Final = cast(Table, LshBucket.__table__)
_ARTICLES: Final = cast(Table, Article.__table__)
_ALONE: Final = (
    _ARTICLES.update()
    .where(_ARTICLES.c.id == bindparam("article"))
    .values(cluster_id=bindparam("article"), cluster_size=1)
)
_IN_LIMIT: Final = 5000  # ids per IN (...) list, well under SQLite's variable limit


def index_article(
    session: Session,
    me: Member,
    *,
    threshold: float | None = None,
    previous: Member | None = None,
) -> None:
    """Index a stored (new or changed) article and update the clusters it touches.

    `me` is the article as just stored; `previous`, as it was before an update (its old
    buckets are dropped and its old cluster may split). `threshold` defaults to the
    corpus's. Runs inside the caller's write transaction.
    """
    keys = _keys_of(me.minhash)
    _lock(session, keys, me.body_hash)
    if previous is not None and previous.minhash is not None:
        old = [int(k) for k in _keys_of(previous.minhash)]
        session.execute(
            delete(LshBucket).where(LshBucket.article_id == me.id, LshBucket.bucket.in_(old))
        )
    sharing_bucket, same_body = _candidates(session, me, keys)
    if keys:
        # Core statements on the session's connection: the ORM's bulk paths cost more than
        # these small statements themselves (measured: store time is a target).
        rows = [{"bucket": k, "article_id": me.id} for k in keys]
        session.connection().execute(_BUCKETS.insert(), rows)
    if previous is None and not sharing_bucket and not same_body:  # the common case: alone
        session.connection().execute(_ALONE, {"article": me.id})
        return
    if threshold is None:
        threshold = duplicate_threshold(session)
    needed = agreeing(threshold, SIGNATURE_VALUES)
    linked_ids = same_body | {
        other.id
        for other in _members(session, sorted(sharing_bucket - same_body))
        if _agree(me, other) >= needed
    }
    _recluster_around(session, me, linked_ids, previous, threshold)


def _recluster_around(
    session: Session, me: Member, linked_ids: set[int], previous: Member | None, threshold: float
) -> None:
    touched = {cluster for cluster in _cluster_ids(session, sorted(linked_ids)) if cluster}
    old_cluster = _cluster_ids(session, [me.id])[0] if previous is not None else None
    if old_cluster is not None:
        touched.add(old_cluster)
    members = _cluster_members(session, touched, me.id)
    if previous is None or len(members) == 1:
        _assign(session, [members])  # a new article can only merge clusters
    else:  # a changed body may have broken the links that held its old cluster together
        _assign(session, _components(members, threshold))
    hashes = {me.body_hash, previous.body_hash if previous else None} - {None}
    _refresh_exact(session, hashes)


def _candidates(session: Session, me: Member, keys: list[int]) -> tuple[set[int], set[int]]:
    """Articles sharing a bucket with `me`, and articles with its body, in one query."""
    parts: list[Select[int, int]] = []
    if keys:
        parts.append(select(LshBucket.article_id, literal(0)).where(LshBucket.bucket.in_(keys)))
    if me.body_hash is not None:
        parts.append(select(Article.id, literal(1)).where(Article.body_hash == me.body_hash))
    if not parts:
        return set(), set()
    found = session.execute(union_all(*parts)).all()
    sharing = {row[0] for row in found if row[1] == 0 and row[0] != me.id}
    same = {row[0] for row in found if row[1] == 1 and row[0] != me.id}
    return sharing, same


def _agree(a: Member, b: Member) -> int:
    if a.minhash is None or b.minhash is None:
        return 0
    pair = as_signatures([a.minhash, b.minhash])
    return int((pair[0] == pair[1]).sum())


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
            if find(i) != find(j) and linked(a, members[j], threshold):
                parent[find(i)] = find(j)
    groups: dict[int, list[Member]] = {}
    for i, member in enumerate(members):
        groups.setdefault(find(i), []).append(member)
    return list(groups.values())


def _assign(session: Session, groups: Iterable[list[Member]]) -> None:
    for group in groups:
        root = min(group, key=member_order)
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
        root = min(group, key=member_order)
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
        found.extend(Member(*row[:4], comparable(row[4])) for row in rows)
    found.sort(key=lambda member: member.id)
    return found


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
