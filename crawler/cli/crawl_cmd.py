"""`sankofa crawl` and `sankofa demo`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from crawler.cli.common import (
    UserError,
    add_command,
    add_db_option,
    db_url,
    iso_date,
    positive_int,
)
from crawler.cli.report import print_run_summary
from crawler.crawl import CrawlRequest, run_crawl
from crawler.sources import load_sources, select_sources
from storage.db import open_database


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "crawl",
        "crawl sources into the database",
        "sankofa crawl --source techcabal --source wamda --max-pages 200 --since 2024-01-01",
        "Discover articles through feeds, sitemaps and listing pages, extract them and store\n"
        "them. robots.txt is obeyed; each site is fetched politely (AutoThrottle).",
    )
    parser.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="NAME",
        help="crawl only this source (repeatable; default: every enabled source)",
    )
    add_sources_option(parser)
    add_db_option(parser)
    parser.add_argument(
        "--max-pages",
        type=positive_int,
        default=0,
        metavar="N",
        help="stop after N fetched pages (default: no limit)",
    )
    parser.add_argument(
        "--since",
        type=iso_date,
        metavar="DATE",
        help="skip articles published before DATE (YYYY-MM-DD)",
    )
    add_crawl_tuning(parser)
    parser.set_defaults(handler=crawl_command)


def add_sources_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sources",
        type=Path,
        metavar="FILE",
        help="sources registry to use instead of the bundled sources.toml",
    )


def add_crawl_tuning(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy or SANKOFA_ setting, e.g. -s DOWNLOAD_DELAY=2",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log Scrapy's progress")


def parse_overrides(pairs: list[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name.isidentifier():
            raise UserError(f"-s '{pair}' is not NAME=VALUE (e.g. -s DOWNLOAD_DELAY=2)")
        overrides[name] = value
    return overrides


def crawl_command(args: argparse.Namespace) -> int:
    sources = load_sources(args.sources)
    select_sources(sources, args.source)  # unknown names fail here, before any download
    open_database(db_url(args))  # a bad --db fails here, before any download
    request = CrawlRequest(
        db_url=db_url(args),
        sources_file=args.sources,
        source_names=args.source,
        max_pages=args.max_pages,
        since=args.since,
        progress=True,
        log_level="INFO" if args.verbose else "WARNING",
        overrides=parse_overrides(args.set),
    )
    return finish(request, run_crawl(request))


def finish(request: CrawlRequest, stats: dict[str, Any]) -> int:
    status = print_run_summary(request.db_url, stats, sys.stderr)
    return 0 if status == "finished" else 130
