"""`sankofa sources list` and `sankofa sources check`."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from typing import Any

from crawler.cli.common import add_command, add_db_option, open_corpus
from crawler.cli.crawl_cmd import add_sources_option
from crawler.sources.registry import BUNDLED_SOURCES, Source, load_sources
from storage.health import SourceHealth, source_health


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
    health = add_command(
        actions,
        "health",
        "per source: last success, yield, errors, short bodies, and warning flags",
        "sankofa sources health --format json",
        "Flags: no_yield (a source that used to yield articles yields none over its recent\n"
        "runs), unreachable (no page fetched), extraction_degraded (most recent pages come\n"
        "out as non-articles: a layout change).",
    )
    add_db_option(health)
    health.add_argument("--format", choices=["table", "json"], default="table")
    health.set_defaults(handler=health_command)


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


def health_command(args: argparse.Namespace) -> int:
    with open_corpus(args)() as session:
        report = source_health(session)
    if args.format == "json":
        print(json.dumps([entry.as_dict() for entry in report], ensure_ascii=False, indent=2))
        return 0
    print(f"{'source':<22} {'last success':<17} {'runs':>4} {'new/day':>8} {'errors':>7} "
          f"{'short':>6}  flags")  # fmt: skip
    for entry in report:
        print(_health_row(entry))
    return 0


def _health_row(entry: SourceHealth) -> str:
    last = (entry.last_success or "never")[:16].replace("T", " ")
    return (
        f"{entry.source:<22} {last:<17} {entry.recent_runs:>4} {entry.articles_per_day:>8.2f} "
        f"{entry.error_rate:>7.1%} {entry.short_body_share:>6.0%}  {','.join(entry.flags)}"
    )
