"""`sankofa search`: full-text search with the article filters, snippets and facets."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any, Final

from sqlalchemy.orm import Session

from crawler.cli.common import (
    UserError,
    add_command,
    add_db_option,
    open_corpus,
    positive_int,
    terminal_safe,
)
from crawler.cli.corpus_cmd import add_filters, article_filter, print_stats, stats_dict
from storage.queries import ArticleFilter
from storage.search.api import SORT_ORDERS, SearchHit, count_matches, search, search_facets
from storage.search.syntax import Node, SearchSyntaxError, parse_query

SYNTAX_HELP: Final = """query syntax:
  fintech kenya          both words (AND is implied)
  fintech OR banking     either word
  fintech NOT crypto     the first without the second (also: fintech -crypto)
  "mobile money"         a phrase
  pay*                   a prefix: pay, payment, payments...
  (a OR b) c             grouping
  Operators are upper case. Chinese, Japanese, Thai... terms match as substrings (支付).
  Matching ignores case and Latin diacritics (senegal finds Sénégal)."""
BOLD: Final = ("\x1b[1m", "\x1b[0m")
QUOTES: Final = ("«", "»")
CSV_COLUMNS: Final = ("id", "score", "published", "language", "source", "title", "url", "snippet",
                      "cluster_id", "cluster_size")  # fmt: skip


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "search",
        "full-text search of the corpus, with snippets",
        "sankofa search '\"mobile money\" OR m-pesa' --country KE --since 2024-01-01\n"
        "  sankofa search 支付 --facets",
        description="Search titles, bodies, authors and bios; print the best matches with "
        "a highlighted snippet, or with --facets their counts by language, source and month.",
    )
    parser.epilog = f"{parser.epilog}\n\n{SYNTAX_HELP}"
    parser.add_argument("query", metavar="QUERY", help="what to look for (syntax below)")
    add_db_option(parser)
    add_filters(parser)
    parser.add_argument("--sort", choices=SORT_ORDERS, default="relevance")
    parser.add_argument("--limit", type=positive_int, default=20, metavar="N")
    parser.add_argument("--format", choices=["table", "json", "csv"], default="table")
    parser.add_argument(
        "--facets", action="store_true", help="print counts by language, source and month"
    )
    parser.add_argument(
        "--collapse",
        action="store_true",
        help="one result per story cluster (its earliest matching article), with the "
        "cluster's size",
    )
    parser.set_defaults(handler=search_command)


def search_command(args: argparse.Namespace) -> int:
    tree = _parse(args.query)
    with open_corpus(args)() as session:
        flt = article_filter(args, session)
        if args.facets:
            _print_facets(session, tree, flt, args.format)
            return 0
        hits = search(session, tree, flt, sort=args.sort, limit=args.limit, collapse=args.collapse)
        total = count_matches(session, tree, flt, collapse=args.collapse)
    _PRINTERS[args.format](hits, total, args)
    unit = "story clusters" if args.collapse else "matches"
    sys.stderr.write(f"{len(hits)} of {total} {unit}, by {args.sort}\n")
    return 0


def _parse(query: str) -> Node:
    try:
        return parse_query(query)
    except SearchSyntaxError as error:
        raise UserError(f"search query: {error}") from None


def _print_facets(session: Session, tree: Node, flt: ArticleFilter, output_format: str) -> None:
    facets = search_facets(session, tree, flt)
    if output_format == "json":
        json.dump(stats_dict(facets), sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif output_format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["facet", "value", "articles"])
        writer.writerow(["total", "", facets.total])
        groups = {"language": facets.by_language, "source": facets.by_source}
        for facet, rows in {**groups, "month": facets.by_month}.items():
            writer.writerows([facet, key, count] for key, count in rows)
    else:
        print_stats(facets, sys.stdout)


def _print_table(hits: list[SearchHit], _total: int, _args: argparse.Namespace) -> None:
    marks = BOLD if sys.stdout.isatty() else QUOTES
    for hit in hits:
        day = hit.published.date().isoformat() if hit.published else "----------"
        title, source = terminal_safe(hit.title), terminal_safe(hit.source[:20])
        copies = f"  [+{hit.cluster_size - 1} in cluster]" if hit.cluster_size > 1 else ""
        print(f"{hit.id:>8}  {day}  {hit.language:<3} {source:<20}  {title}{copies}")
        print(f"{'':>10}{hit.snippet.marked(*marks, show=terminal_safe)}")
        print(f"{'':>10}{terminal_safe(hit.url)}")


def _print_json(hits: list[SearchHit], total: int, args: argparse.Namespace) -> None:
    document = {
        "query": args.query,
        "sort": args.sort,
        "total": total,
        "results": [_hit_dict(hit) for hit in hits],
    }
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    print()


def _print_csv(hits: list[SearchHit], _total: int, _args: argparse.Namespace) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for hit in hits:
        row = {**_hit_dict(hit), "snippet": hit.snippet.marked(*QUOTES)}
        writer.writerow(["" if row[key] is None else row[key] for key in CSV_COLUMNS])


def _hit_dict(hit: SearchHit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "score": None if hit.score is None else round(hit.score, 4),
        "published": hit.published.isoformat() if hit.published else None,
        "language": hit.language,
        "source": hit.source,
        "title": hit.title,
        "url": hit.url,
        "cluster_id": hit.cluster_id,
        "cluster_size": hit.cluster_size,
        "snippet": hit.snippet.text,
        "highlights": [list(span) for span in hit.snippet.highlights],
    }


_PRINTERS: Final = {"table": _print_table, "json": _print_json, "csv": _print_csv}
