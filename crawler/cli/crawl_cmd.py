"""`sankofa crawl` and `sankofa demo`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from crawler.cli.common import (
    UserError,
    add_command,
    add_db_option,
    db_url,
    iso_date,
    open_sessions,
    positive_int,
)
from crawler.cli.report import EXIT_NOTHING_FETCHED, print_run_summary, print_unreachable
from crawler.crawl.frontier import FrontierError, check_frontier
from crawler.crawl.run import CrawlRequest, run_crawl
from crawler.sources.registry import Source, load_sources, select_sources
from storage.crawlstate import due_sources


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "crawl",
        "crawl sources into the database",
        "sankofa crawl --source techcabal --source wamda --max-pages 200 --since 2024-01-01",
        "Discover articles through feeds, sitemaps and listing pages, extract them and store\n"
        "them. robots.txt is obeyed; each site is fetched politely (AutoThrottle).\n\n"
        "exit status: 0 the crawl finished (sources that failed are named in the summary);\n"
        "2 bad input; 3 no page could be fetched from any source; 130 interrupted.",
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
    parser.add_argument(
        "--due",
        action="store_true",
        help="crawl only the sources whose interval (sources.toml) has passed since their "
        "last successful crawl: one cron line serves every source",
    )
    parser.add_argument(
        "--keep-comments",
        action="store_true",
        help="also store reader comments, in their own table (never in article text)",
    )
    parser.add_argument(
        "--refresh",
        action="store_true",
        help="fetch stored articles again and ignore conditional-GET validators",
    )
    parser.add_argument(
        "--frontier",
        metavar="URL",
        help="share the request queue and duplicate filter with every crawl given the same "
        "Redis URL (redis://HOST:PORT/DB), so that N processes or machines fetch each URL "
        "once in total; see 'Running on several machines' in the README",
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
    # Unknown source names and a bad --db fail here, before any download.
    selected = select_sources(load_sources(args.sources), args.source)
    sessions = open_sessions(args)
    names = [source.name for source in selected]
    if args.due:
        names = due_source_names(sessions, selected)
        if not names:
            sys.stderr.write("no source is due; nothing to crawl\n")
            return 0
    if args.frontier:
        check_frontier_url(args.frontier)  # before any download, like --db
    overrides = parse_overrides(args.set)
    if args.refresh:
        overrides["SANKOFA_REFRESH"] = "True"
    if args.keep_comments:
        overrides["SANKOFA_KEEP_COMMENTS"] = "True"
    request = CrawlRequest(
        db_url=db_url(args),
        sources_file=args.sources,
        source_names=names,
        max_pages=args.max_pages,
        since=args.since,
        progress=True,
        log_level="INFO" if args.verbose else "WARNING",
        overrides=overrides,
        frontier=args.frontier,
    )
    return finish(sessions, request, run_crawl(request))


def check_frontier_url(url: str) -> None:
    try:
        check_frontier(url)
    except FrontierError as error:
        raise UserError(str(error)) from error


def due_source_names(sessions: Any, sources: list[Source]) -> list[str]:
    with sessions() as session:
        return due_sources(session, {source.name: source.interval for source in sources})


def finish(sessions: sessionmaker[Session], request: CrawlRequest, stats: dict[str, Any]) -> int:
    status = print_run_summary(sessions, request.db_url, stats, sys.stderr)
    if status != "finished":
        return 130
    if print_unreachable(stats, request.source_names, sys.stderr):
        return EXIT_NOTHING_FETCHED
    return 0
