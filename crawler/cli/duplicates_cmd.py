"""`sankofa duplicates`: story clusters, one article's copies, and the full rebuild."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sqlalchemy.orm import Session

from crawler.cli.common import (
    UserError,
    add_command,
    add_db_option,
    open_corpus,
    positive_int,
    terminal_safe,
)
from crawler.cli.corpus_cmd import add_filters, article_filter
from crawler.dedupe.signature import signature
from storage.duplicates import (
    Cluster,
    ClusterMember,
    cluster_of,
    duplicate_threshold,
    list_clusters,
    recluster,
)
from storage.queries import filter_conditions


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "duplicates",
        "list story clusters: articles whose bodies are copies or near-copies",
        "sankofa duplicates --country KE --since 2024-01-01\n"
        "  sankofa duplicates --article https://techcabal.com/2024/05/01/story/\n"
        "  sankofa duplicates --recluster --threshold 0.7",
        description="List the clusters of two or more articles that have a member matching "
        "the filters: size, exact copies, sources, first and last publication, the earliest "
        "article's title. Two articles are linked when their bodies are the same text or "
        "share at least the threshold (default 0.8) of their words, as estimated by MinHash; "
        "a cluster is a connected group of linked articles.",
    )
    add_db_option(parser)
    add_filters(parser)
    parser.add_argument("--limit", type=positive_int, default=50, metavar="N",
                        help="at most N clusters, largest first (default 50)")  # fmt: skip
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument("--article", metavar="ID|URL",
                        help="list the cluster of this article instead")  # fmt: skip
    parser.add_argument(
        "--recluster",
        action="store_true",
        help="rebuild every cluster from the stored signatures (computing the missing ones), "
        "with a progress line on stderr",
    )
    parser.add_argument(
        "--threshold",
        type=_threshold,
        metavar="T",
        help="with --recluster: the estimated Jaccard similarity (0 to 1] at which two bodies "
        "are near-duplicates; kept for every later crawl of this database",
    )
    parser.set_defaults(handler=duplicates_command)


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number above 0 and at most 1")
    return value


def duplicates_command(args: argparse.Namespace) -> int:
    if args.threshold is not None and not args.recluster:
        raise UserError("--threshold changes the clusters: give it with --recluster")
    with open_corpus(args)() as session:
        if args.recluster:
            return _recluster(session, args.threshold)
        if args.article:
            return _show_cluster(session, args.article, args.format)
        total, clusters = list_clusters(session, filter_conditions(article_filter(args, session)),
                                        args.limit)  # fmt: skip
        threshold = duplicate_threshold(session)
    if args.format == "json":
        document = {"threshold": threshold, "total": total,
                    "clusters": [_cluster_dict(c) for c in clusters]}  # fmt: skip
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        _print_clusters(clusters)
    sys.stderr.write(f"{len(clusters)} of {total} clusters (threshold {threshold})\n")
    return 0


def _recluster(session: Session, threshold: float | None) -> int:
    def say(line: str) -> None:
        sys.stderr.write(f"\r\033[K{line}" if sys.stderr.isatty() else f"{line}\n")

    result = recluster(session, threshold=threshold, sign=signature, progress=say)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    sys.stderr.write(
        f"reclustered {result.articles:,} articles at threshold {duplicate_threshold(session)}: "
        f"{result.clusters:,} clusters hold {result.clustered:,} articles; "
        f"{result.changed:,} articles changed cluster; "
        f"{result.signatures_added:,} signatures computed\n"
    )
    return 0


def _show_cluster(session: Session, article: str, output_format: str) -> int:
    key: int | str = int(article) if article.isdigit() else article
    members = cluster_of(session, key)
    if not members:
        raise UserError(f"no stored article has the id or URL '{article}'; see `sankofa search`")
    if output_format == "json":
        print(json.dumps([_member_dict(m) for m in members], ensure_ascii=False, indent=2))
        return 0
    for member in members:
        day = member.published.date().isoformat() if member.published else "----------"
        mark = (
            "exact"
            if member.exact_duplicate_of
            else ("near" if member.near_duplicate_of else "first")
        )
        print(f"{member.id:>8}  {day}  {mark:<5}  {terminal_safe(member.source[:20]):<20}  "
              f"{terminal_safe(member.title[:70])}")  # fmt: skip
        print(f"{'':>10}{terminal_safe(member.canonical_url)}")
    return 0


def _print_clusters(clusters: list[Cluster]) -> None:
    print(
        f"{'cluster':>8}  {'size':>4}  {'exact':>5}  {'first':<10}  {'last':<10}  title / sources"
    )
    for cluster in clusters:
        first = cluster.first_published.date().isoformat() if cluster.first_published else "-"
        last = cluster.last_published.date().isoformat() if cluster.last_published else "-"
        print(f"{cluster.cluster_id:>8}  {cluster.size:>4}  {cluster.exact:>5}  {first:<10}  "
              f"{last:<10}  {terminal_safe(cluster.title[:70])}")  # fmt: skip
        print(f"{'':>56}{terminal_safe(', '.join(cluster.sources))}")


def _cluster_dict(cluster: Cluster) -> dict[str, object]:
    return {
        "cluster_id": cluster.cluster_id,
        "size": cluster.size,
        "exact_copies": cluster.exact,
        "sources": cluster.sources,
        "first_published": _iso(cluster.first_published),
        "last_published": _iso(cluster.last_published),
        "title": cluster.title,
        "url": cluster.root_url,
    }


def _member_dict(member: ClusterMember) -> dict[str, object]:
    return {
        "id": member.id,
        "source": member.source,
        "published": _iso(member.published),
        "title": member.title,
        "canonical_url": member.canonical_url,
        "near_duplicate_of": member.near_duplicate_of,
        "exact_duplicate_of": member.exact_duplicate_of,
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
