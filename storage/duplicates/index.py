"""Keeping the clusters as articles arrive: index_article runs in each store's transaction.

Store time is a target (benchmarks.duplicates), and on SQLite building an ORM statement and
its cache key costs more than running it: every statement here is a Core statement built
once (IN lists are expanding parameters, so one compiled form serves every call), run on the
session's connection. A lone article, the common case, costs three statements (two on
PostgreSQL, where storage.repository inserts the row as its own cluster); an article
joining a story writes its own row and, only when the story changes root or begins, the
rows of the members that change (cluster sizes are counted when read, migration 0012).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final, cast

import numpy as np
from sqlalchemy import (
    BigInteger,
    Connection,
    Executable,
    Integer,
    Row,
    Table,
    bindparam,
    case,
    literal,
    null,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.dialects import postgresql
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
_A: Final = _ARTICLES.c
_IN_LIMIT: Final = 5000  # ids per IN (...) list, well under SQLite's variable limit

_ALONE: Final = (
    _ARTICLES.update().where(_A.id == bindparam("article")).values(cluster_id=bindparam("article"))
)
_ADD_BUCKETS: Final = _BUCKETS.insert()
_ADD_BUCKETS_PG: Final = text(
    "INSERT INTO lsh_buckets (bucket, article_id) SELECT unnest(CAST(:keys AS BIGINT[])), :article"
)
_DROP_BUCKETS: Final = _BUCKETS.delete().where(
    _BUCKETS.c.article_id == bindparam("article"),
    _BUCKETS.c.bucket.in_(bindparam("keys", expanding=True)),
)
# Candidates as (kind, id, cluster_id, minhash) rows: kind 0, an article sharing a bucket
# (with its signature, to compare); kind 1, an article with the same body.
_SHARING: Final = select(literal(0), _A.id, _A.cluster_id, _A.minhash).where(
    _A.id.in_(
        select(_BUCKETS.c.article_id).where(
            _BUCKETS.c.bucket.in_(bindparam("keys", expanding=True))
        )
    )
)
_SAME_BODY: Final = select(literal(1), _A.id, _A.cluster_id, null()).where(
    _A.body_hash == bindparam("digest")
)
_CANDIDATES: Final[dict[tuple[bool, bool], Executable]] = {
    (True, True): union_all(_SHARING, _SAME_BODY),
    (True, False): _SHARING,
    (False, True): _SAME_BODY,
}
_CLUSTER_OF: Final = select(_A.cluster_id).where(_A.id == bindparam("article"))
_ROOTS: Final = select(_A.id, _A.published, _A.canonical_url, _A.in_story).where(
    _A.id.in_(bindparam("clusters", expanding=True))
)
_STORED_COLUMNS: Final = (_A.cluster_id, _A.near_duplicate_of, _A.in_story)
_MEMBER_COLUMNS: Final = (_A.id, _A.published, _A.canonical_url, _A.body_hash, _A.minhash)
_CLUSTER_MEMBERS: Final = select(*_MEMBER_COLUMNS, *_STORED_COLUMNS).where(
    or_(_A.cluster_id.in_(bindparam("clusters", expanding=True)), _A.id == bindparam("article"))
)
_BODY_MEMBERS: Final = select(*_MEMBER_COLUMNS).where(_A.body_hash == bindparam("digest"))
_ROOT: Final = bindparam("root", type_=Integer())  # typed: PostgreSQL types the CASE by it
_POINTING: Final = {
    "cluster_id": _ROOT,
    "near_duplicate_of": case((_A.id == _ROOT, None), else_=_ROOT),
    "in_story": bindparam("story"),
}
_ASSIGN: Final = (
    _ARTICLES.update().where(_A.id.in_(bindparam("ids", expanding=True))).values(_POINTING)
)
_MOVE: Final = _ARTICLES.update().where(_A.cluster_id == bindparam("cluster")).values(_POINTING)
_EXACT: Final = (
    _ARTICLES.update()
    .where(_A.body_hash == bindparam("digest"))
    .values(exact_duplicate_of=case((_A.id == _ROOT, None), else_=_ROOT))
)
# unnest yields the keys in array order, and they are passed sorted: one round trip takes
# them all in a deadlock-free order (one statement per key was a third of a store's time).
_LOCKS: Final = text("SELECT pg_advisory_xact_lock(k) FROM unnest(:keys) AS k").bindparams(
    bindparam("keys", type_=postgresql.ARRAY(BigInteger()))
)


# An article's stored (cluster_id, near_duplicate_of, in_story).
_Stored = tuple[int | None, int | None, bool]


@dataclass(slots=True)
class _Candidates:
    sharing: dict[int, bytes | None]  # articles sharing a bucket: their comparable signature
    same_body: set[int]
    cluster_of: dict[int, int | None]  # both kinds: their stored cluster_id


def index_article(
    session: Session,
    me: Member,
    *,
    threshold: float | None = None,
    previous: Member | None = None,
    alone: bool = False,
) -> None:
    """Index a stored (new or changed) article and update the clusters it touches.

    `me` is the article as just stored; `previous`, as it was before an update (its old
    buckets are dropped and its old cluster may split). `threshold` defaults to the
    corpus's. `alone`: the new row was inserted as its own cluster (cluster_id = id), which
    then needs no writing when it links to nothing. Runs inside the caller's write
    transaction, which must already hold the article's locks (lock_articles: on
    PostgreSQL, writers that could link to each other are serialised by them).
    """
    keys = _keys_of(me.minhash)
    connection = session.connection()
    if previous is not None and previous.minhash is not None:
        old = _keys_of(previous.minhash)
        connection.execute(_DROP_BUCKETS, {"article": me.id, "keys": old})
    found = _candidates(connection, me, keys)
    if keys:
        _add_buckets(connection, me.id, keys)
    if previous is None and not found.sharing and not found.same_body:  # the common case
        if not alone:
            connection.execute(_ALONE, {"article": me.id})
        return
    if threshold is None:
        threshold = duplicate_threshold(session)
    others = {i: m for i, m in found.sharing.items() if i not in found.same_body}
    linked_ids = found.same_body | _agreeing(me.minhash, others, threshold)
    touched = {cluster for i in linked_ids if (cluster := found.cluster_of[i])}
    if previous is None and not touched:  # it shares buckets or a body only with others
        if not alone:
            connection.execute(_ALONE, {"article": me.id})
    else:
        _recluster_around(connection, me, touched, previous, threshold)
    # A new article without an exact twin keeps the exact_duplicate_of it was inserted
    # with (none), as in the common case above.
    if previous is not None or found.same_body:
        hashes = {me.body_hash, previous.body_hash if previous else None}
        _refresh_exact(connection, hashes)


def _recluster_around(
    connection: Connection,
    me: Member,
    touched: set[int],
    previous: Member | None,
    threshold: float,
) -> None:
    """Join `me` and the clusters it links to (or, after an update, regroup them)."""
    if previous is None:
        _join(connection, me, touched)
        return
    old_cluster = connection.execute(_CLUSTER_OF, {"article": me.id}).scalar()
    if old_cluster is not None:
        touched.add(old_cluster)
    members, stored = _cluster_members(connection, touched, me.id)
    # A changed body may have broken the links that held its old cluster together.
    _assign(connection, _components(members, threshold), stored)


def _join(connection: Connection, me: Member, touched: set[int]) -> None:
    """A new article joins the clusters it links to (each named by its root, the earliest
    member), writing only the rows that change: its own, a lone article's it is the first
    copy of, and the members' of clusters whose root is no longer the earliest."""
    roots = [
        (Member(row[0], row[1], row[2], None, None), bool(row[3]))
        for row in connection.execute(_ROOTS, {"clusters": sorted(touched)})
    ]
    root = min([me, *(member for member, _in_story in roots)], key=member_order)
    for member, in_story in roots:
        if member.id != root.id:  # its whole cluster now points at the earlier root
            connection.execute(_MOVE, {"cluster": member.id, "root": root.id, "story": True})
        elif not in_story:  # a lone article gains its first copy
            connection.execute(_ASSIGN, {"ids": [member.id], "root": root.id, "story": True})
    connection.execute(_ASSIGN, {"ids": [me.id], "root": root.id, "story": True})


def _candidates(connection: Connection, me: Member, keys: list[int]) -> _Candidates:
    """Articles sharing a bucket with `me`, and articles with its body, in one query."""
    found = _Candidates({}, set(), {})
    stmt = _CANDIDATES.get((bool(keys), me.body_hash is not None))
    if stmt is None:
        return found
    for kind, other, cluster, minhash in connection.execute(
        stmt, {"keys": keys, "digest": me.body_hash}
    ):
        if other == me.id:
            continue
        found.cluster_of[other] = cluster
        if kind == 0:
            found.sharing[other] = comparable(minhash)
        else:
            found.same_body.add(other)
    return found


def _agreeing(mine: bytes | None, others: dict[int, bytes | None], threshold: float) -> set[int]:
    """The `others` whose (comparable) signature agrees with `mine` on enough values,
    compared in one array operation: a common band can bring thousands of candidates."""
    signed = [(i, minhash) for i, minhash in others.items() if minhash is not None]
    if mine is None or not signed:
        return set()
    values = np.frombuffer(b"".join(minhash for _i, minhash in signed), dtype="<u4")
    agree = np.count_nonzero(values.reshape(len(signed), -1) == np.frombuffer(mine, "<u4"), axis=1)
    needed = agreeing(threshold, SIGNATURE_VALUES)
    return {
        i for (i, _minhash), count in zip(signed, agree.tolist(), strict=True) if count >= needed
    }


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


def _assign(
    connection: Connection, groups: Iterable[list[Member]], stored: dict[int, _Stored]
) -> None:
    """Point each group's members at its root, writing only the rows whose fields change."""
    for group in groups:
        root = min(group, key=member_order)
        story = len(group) > 1
        changed = [
            m.id for m in group if stored[m.id] != (root.id, None if m is root else root.id, story)
        ]
        for chunk in _chunks(changed):
            connection.execute(_ASSIGN, {"ids": chunk, "root": root.id, "story": story})


def _refresh_exact(connection: Connection, hashes: Iterable[str | None]) -> None:
    """Point every article with one of `hashes` at the earliest article with that hash."""
    for digest in hashes:
        if digest is None:
            continue
        group = _as_members(connection.execute(_BODY_MEMBERS, {"digest": digest}))
        if not group:
            continue
        root = min(group, key=member_order)
        connection.execute(_EXACT, {"digest": digest, "root": root.id})


def _cluster_members(
    connection: Connection, clusters: set[int], article_id: int
) -> tuple[list[Member], dict[int, _Stored]]:
    """The members of `clusters`, and the article itself, by id; and their stored fields."""
    found: dict[int, Member] = {}
    stored: dict[int, _Stored] = {}
    for chunk in list(_chunks(sorted(clusters))) or [[]]:  # no cluster: the article alone
        params = {"clusters": chunk, "article": article_id}
        rows = connection.execute(_CLUSTER_MEMBERS, params).all()
        for row, member in zip(rows, _as_members(rows), strict=True):
            found[member.id] = member
            stored[member.id] = (row[5], row[6], bool(row[7]))
    return [found[i] for i in sorted(found)], stored


def _as_members(rows: Iterable[Row[*tuple[Any, ...]]]) -> list[Member]:
    return [Member(row[0], row[1], row[2], row[3], comparable(row[4])) for row in rows]


def _add_buckets(connection: Connection, article_id: int, keys: list[int]) -> None:
    """One row per band. On PostgreSQL, one statement whose array the server unnests: as an
    executemany, each of the ~20 rows is a statement of its own for the writer to send and
    the server to run (benchmarks.store --db, batches of 4: writer CPU 2.5 -> 2.1 ms per
    article, server time -5%). SQLite runs in the writer's process: executemany is as cheap."""
    if connection.dialect.name == "postgresql":
        connection.execute(_ADD_BUCKETS_PG, {"keys": keys, "article": article_id})
    else:
        connection.execute(_ADD_BUCKETS, [{"bucket": k, "article_id": article_id} for k in keys])


def _keys_of(minhash: bytes | None) -> list[int]:
    if minhash is None:
        return []
    return sorted({int(key) for key in band_keys(as_signatures([minhash]))[0]})


def lock_articles(session: Session, articles: Iterable[tuple[bytes | None, str | None]]) -> None:
    """On PostgreSQL, the locks that index_article needs for `articles` (signature, body
    hash): one transaction lock per bucket and body hash, all taken in one sorted
    statement, so writers that could link to each other are serialised and two writers'
    transactions never wait on each other in a cycle. SQLite has one writer: nothing."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    locks: set[int] = set()
    for minhash, digest in articles:
        locks.update(_keys_of(comparable(minhash)))
        if digest is not None:
            locks.add(int.from_bytes(bytes.fromhex(digest[:16]), "big", signed=True))
    if locks:
        connection.execute(_LOCKS, {"keys": sorted(locks)})


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _IN_LIMIT):
        yield list(ids[start : start + _IN_LIMIT])
