"""`sankofa authors`: the people behind the corpus, with their bios and article counts."""

from __future__ import annotations

import argparse
import json
import textwrap
from typing import Any

from crawler.cli.common import (
    UserError,
    add_command,
    add_db_option,
    open_corpus,
    positive_int,
    terminal_safe,
)
from storage.authors import list_authors
from storage.queries import source_names


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "authors",
        "list authors (one per source and name) with article counts and bios",
        "sankofa authors --source techcabal --limit 20",
    )
    add_db_option(parser)
    parser.add_argument("--source", action="append", default=[], metavar="NAME",
                        help="only this source (repeatable)")  # fmt: skip
    parser.add_argument(
        "--limit", type=positive_int, default=None, metavar="N", help="at most N authors"
    )
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.set_defaults(handler=authors_command)


def authors_command(args: argparse.Namespace) -> int:
    with open_corpus(args)() as session:
        unknown = sorted(set(args.source) - set(source_names(session)))
        if unknown:
            raise UserError(f"unknown source '{unknown[0]}' in the database; see `sankofa stats`")
        authors = list_authors(session, tuple(args.source), args.limit)
    if args.format == "json":
        print(json.dumps([a.as_dict() for a in authors], ensure_ascii=False, indent=2))
        return 0
    print(f"{'articles':>8}  {'source':<20} {'author':<28} bio")
    for author in authors:
        bio = textwrap.shorten(author.bio, 60, placeholder=" …") if author.bio else "-"
        name = terminal_safe(author.name[:28])
        print(f"{author.articles:>8}  {author.source:<20} {name:<28} {terminal_safe(bio)}")
    return 0
