"""`sankofa sources list` and `sankofa sources check`."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from typing import Any

from crawler.cli.common import add_command
from crawler.cli.crawl_cmd import add_sources_option
from crawler.sources import BUNDLED_SOURCES, Source, load_sources


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "sources", "the sources registry", "sankofa sources list")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = add_command(actions, "list", "list the sources", "sankofa sources list --format json")
    add_sources_option(listing)
    listing.add_argument("--format", choices=["table", "json"], default="table")
    listing.set_defaults(handler=list_command)
    check = add_command(
        actions,
        "check",
        "validate a sources file and summarise it",
        "sankofa sources check --sources my-sources.toml",
    )
    add_sources_option(check)
    check.set_defaults(handler=check_command)


def list_command(args: argparse.Namespace) -> int:
    sources = load_sources(args.sources)
    if args.format == "json":
        print(json.dumps([_as_json(source) for source in sources], ensure_ascii=False, indent=2))
        return 0
    for source in sources:
        languages = ",".join(source.languages) or "?"
        state = "" if source.enabled else "  (disabled)"
        print(f"{source.name:<22} {source.country or '--':<3} {languages:<9} {source.url}{state}")
    return 0


def _as_json(source: Source) -> dict[str, Any]:
    return {
        "name": source.name,
        "url": source.url,
        "feeds": list(source.feeds),
        "sitemaps": list(source.sitemaps),
        "languages": list(source.languages),
        "country": source.country,
        "region": source.region,
        "enabled": source.enabled,
    }


def check_command(args: argparse.Namespace) -> int:
    sources = load_sources(args.sources)
    languages = Counter(code for source in sources for code in source.languages)
    countries = {source.country for source in sources if source.country}
    print(
        f"{args.sources or BUNDLED_SOURCES}: {len(sources)} sources valid "
        f"({sum(s.enabled for s in sources)} enabled), {len(languages)} languages "
        f"({', '.join(sorted(languages))}), {len(countries)} countries"
    )
    return 0
