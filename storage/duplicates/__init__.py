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

from storage.duplicates.clusters import (
    CLUSTER_SIZE,
    Cluster,
    ClusterMember,
    cluster_of,
    list_clusters,
)
from storage.duplicates.index import index_article, lock_articles
from storage.duplicates.links import (
    DEFAULT_THRESHOLD,
    Member,
    as_signatures,
    band_keys,
    body_hash,
    duplicate_threshold,
    set_duplicate_threshold,
)
from storage.duplicates.rebuild import ReclusterResult, recluster

__all__ = [
    "CLUSTER_SIZE",
    "DEFAULT_THRESHOLD",
    "Cluster",
    "ClusterMember",
    "Member",
    "ReclusterResult",
    "as_signatures",
    "band_keys",
    "body_hash",
    "cluster_of",
    "duplicate_threshold",
    "index_article",
    "list_clusters",
    "lock_articles",
    "recluster",
    "set_duplicate_threshold",
]
