"""Keeping the clusters as articles arrive: index_article runs in each store's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from sqlalchemy import case, delete, insert, select, text, update
from sqlalchemy.orm import Session

from storage.duplicates.links import (
    Member,
    as_signatures,
    band_keys,
    comparable,
    duplicate_threshold,
    linked,
    member_order,
)
from storage.models import Article, LshBucket

_IN_LIMIT: Final = 5000  # ids per IN (...) list, well under SQLite's variable limit


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
        other for other in _members(session, sorted(candidates)) if linked(me, other, threshold)
    ]


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
