"""Reading the clusters: the largest ones matching some filters, and one article's cluster."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session, aliased

from storage.duplicates.links import (
    root_key,
)
from storage.models import Article, Source, publisher_time

_MEMBER: Final = aliased(Article, name="member")
# How many articles an article's cluster holds, counted when read from the cluster_id index
# (stored on each article, a story of n rewrote n rows whenever one more joined). Only the
# articles in a story are counted: every other cluster holds one.
CLUSTER_SIZE: Final = case(
    (
        Article.in_story,
        select(func.count())
        .select_from(_MEMBER)
        .where(_MEMBER.cluster_id == Article.cluster_id)
        .scalar_subquery(),
    ),
    else_=1,
).label("cluster_size")


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
    matching = select(Article.cluster_id).where(*where, Article.in_story).distinct().subquery()
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
    offsets = _offsets_of(session, ids, [moment for row in rows for moment in row[3:5]])
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
            first_published=publisher_time(first, offsets.get((cid, first))),
            last_published=publisher_time(last, offsets.get((cid, last))),
            title=roots[cid].title if cid in roots else "",
            root_url=roots[cid].canonical_url if cid in roots else "",
        )
        for cid, size, exact, first, last in rows
    ]
    return total, clusters


def _offsets_of(
    session: Session, cluster_ids: list[int], moments: list[datetime | None]
) -> dict[tuple[int, datetime | None], int | None]:
    """The UTC offset the page declared, for the members published at one of ``moments``
    (each cluster's first and last): a cluster's days are its pages' own, as elsewhere."""
    wanted = {moment for moment in moments if moment is not None}
    if not wanted:
        return {}
    stmt = (
        select(Article.cluster_id, Article.published, Article.published_utc_offset)
        .where(Article.cluster_id.in_(cluster_ids), Article.published.in_(wanted))
        .order_by(Article.id)
    )
    offsets: dict[tuple[int, datetime | None], int | None] = {}
    for cluster_id, published, offset in session.execute(stmt):
        if cluster_id is not None:  # the earliest stored, when two were published alike
            offsets.setdefault((cluster_id, published), offset)
    return offsets


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
    published: datetime | None  # in the publisher's UTC offset when the page gave one
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
            Article.published_utc_offset,
            Article.title,
            Article.canonical_url,
            Article.near_duplicate_of,
            Article.exact_duplicate_of,
        )
        .join(Source, Article.source_id == Source.id)
        .where(Article.cluster_id == cluster_id)
    )
    members = [
        ClusterMember(row.id, row.name, publisher_time(row.published, row.published_utc_offset),
                      row.title, row.canonical_url, row.near_duplicate_of, row.exact_duplicate_of)
        for row in session.execute(stmt)
    ]  # fmt: skip
    return sorted(members, key=lambda m: root_key(m.published, m.canonical_url))
