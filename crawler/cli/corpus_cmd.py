"""`sankofa stats`, `export` and `runs`: reading the corpus.

The article filters (--lang, --source, --country, --author, --since, --until, --has-bio)
are defined here once and shared by every command that selects articles (stats, export,
search). Unknown codes or names and impossible date ranges are user errors (exit 2).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, Final, TextIO

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from crawler.cli.common import (
    UserError,
    add_command,
    add_db_option,
    iso_date,
    open_corpus,
    positive_int,
)
from crawler.cli.report import reasons
from storage.export.outputs import (
    COMPRESSIONS,
    Compression,
    atomic_path,
    compression_for,
    open_binary,
    text_output,
)
from storage.export.rows import export_csv, export_jsonl
from storage.queries import (
    DEDUPE_CHOICES,
    KEEP_CHOICES,
    ArticleFilter,
    Stats,
    country_codes,
    doubtful_count,
    language_codes,
    list_runs,
    source_names,
    stats,
)
from storage.search.api import match_condition
from storage.search.syntax import SearchSyntaxError

EXPORT_FORMATS: Final = ("jsonl", "csv", "parquet", "hf", "warc")
_BINARY_FORMATS: Final = ("parquet", "hf", "warc")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")


def register(subparsers: Any) -> None:
    _register_stats(subparsers)
    _register_export(subparsers)
    _register_runs(subparsers)


def add_filters(parser: argparse.ArgumentParser) -> None:
    """The article filters; each repeatable one matches any of its values."""
    group = parser.add_argument_group("which articles")
    group.add_argument(
        "--source",
        action="append",
        default=[],
        metavar="NAME",
        help="only this source (repeatable)",
    )
    group.add_argument(
        "--lang",
        action="append",
        default=[],
        metavar="CODE",
        help="only this language, ISO 639-1, e.g. sw (repeatable)",
    )
    group.add_argument(
        "--country",
        action="append",
        default=[],
        metavar="CODE",
        help="only sources of this country, e.g. KE (repeatable)",
    )
    group.add_argument(
        "--author",
        action="append",
        default=[],
        metavar="NAME",
        help="only articles this person wrote or co-wrote (repeatable)",
    )
    group.add_argument("--since", type=iso_date, metavar="DATE", help="published on or after DATE")
    group.add_argument("--until", type=iso_date, metavar="DATE", help="published before DATE")
    group.add_argument("--has-bio", action="store_true", help="only articles with an author bio")
    group.add_argument(
        "--include-doubtful",
        action="store_true",
        help="also the pages kept because they might be articles, which the classifier took "
        "for listings, products, forums... (their page_kind says which)",
    )


def article_filter(args: argparse.Namespace, session: Session) -> ArticleFilter:
    """The ArticleFilter the flags ask for; unknown names and codes are UserErrors."""
    _check_known("source", args.source, source_names(session), "sankofa sources list")
    languages = tuple(code.strip().lower() for code in args.lang)
    _check_codes("language", languages, _LANGUAGE_CODE, "ISO 639-1, e.g. fr")
    _check_known("language", languages, language_codes(session), "sankofa stats")
    countries = tuple(code.strip().upper() for code in args.country)
    _check_codes("country", countries, _COUNTRY_CODE, "ISO 3166-1 alpha-2, e.g. KE")
    _check_known("country", countries, country_codes(session), "sankofa sources list")
    if args.since and args.until and args.since >= args.until:
        raise UserError(
            f"--since {args.since.date()} is not before --until {args.until.date()}: "
            "no article can match; swap or widen the dates"
        )
    authors = tuple(name.strip() for name in args.author if name.strip())
    return ArticleFilter(
        tuple(args.source),
        languages,
        args.since,
        args.until,
        countries,
        authors,
        bool(args.has_bio),
        bool(args.include_doubtful),
    )


def query_condition(session: Session, query: str | None) -> list[ColumnElement[bool]]:
    """The WHERE condition of a search query (empty without one); syntax errors -> UserError."""
    if query is None:
        return []
    try:
        return [match_condition(session, query)]
    except SearchSyntaxError as error:
        raise UserError(f"search query: {error}") from None


def _check_codes(kind: str, codes: tuple[str, ...], pattern: re.Pattern[str], form: str) -> None:
    for code in codes:
        if not pattern.fullmatch(code):
            raise UserError(f"'{code}' is not a {kind} code; use {form}")


def _check_known(kind: str, asked: Any, known: list[str], where: str) -> None:
    unknown = [value for value in asked if value not in known]
    if unknown:
        listed = ", ".join(known[:30]) + (" ..." if len(known) > 30 else "") or "none yet"
        raise UserError(
            f"unknown {kind} '{unknown[0]}' in the database (known: {listed}); see `{where}`"
        )


# --- stats ----------------------------------------------------------------------------------


def _register_stats(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "stats",
        "articles by source, language and month",
        "sankofa stats --lang fr --since 2024-01-01",
    )
    add_db_option(parser)
    add_filters(parser)
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.set_defaults(handler=stats_command)


def stats_command(args: argparse.Namespace) -> int:
    with open_corpus(args)() as session:
        flt = article_filter(args, session)
        result = stats(session, flt)
        doubtful = doubtful_count(session, flt)
    print_stats_as(result, args.format)
    if doubtful:
        sys.stderr.write(f"{doubtful} doubtful pages not counted (--include-doubtful)\n")
    return 0


def print_stats_as(result: Stats, output_format: str) -> None:
    if output_format == "json":
        json.dump(stats_dict(result), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_stats(result, sys.stdout)


def stats_dict(result: Stats) -> dict[str, Any]:
    return {
        "total": result.total,
        "by_source": dict(result.by_source),
        "by_language": dict(result.by_language),
        "by_month": dict(result.by_month),
    }


def print_stats(result: Stats, out: TextIO) -> None:
    out.write(f"{result.total} articles\n")
    for title, rows in (
        ("source", result.by_source),
        ("language", result.by_language),
        ("month", result.by_month),
    ):
        out.write(f"\nby {title}:\n")
        for key, number in rows:
            out.write(f"  {key:<24} {number:>8}\n")


# --- export ---------------------------------------------------------------------------------


def _register_export(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "export",
        "write the corpus (or a slice) as a dataset",
        "sankofa export --format parquet --lang sw --since 2024-01-01 -o swahili.parquet\n"
        "  sankofa export --format hf --country KE -o kenya-dataset/\n"
        "  sankofa export --format jsonl --query '\"mobile money\"' -o mm.jsonl.zst",
        description="Write the matching articles, in id order, as JSON Lines, CSV, Parquet, a "
        "Hugging Face dataset folder (Parquet shards + README data card) or WARC (the raw "
        "responses kept at crawl time). Files are written under a temporary name and renamed "
        "when complete. Field meanings: docs/datasets.md.",
    )
    add_db_option(parser)
    add_filters(parser)
    parser.add_argument("--format", choices=EXPORT_FORMATS, default="jsonl")
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="PATH",
        help="file (folder for hf); jsonl and csv default to standard output",
    )
    parser.add_argument(
        "--compress",
        choices=COMPRESSIONS,
        metavar="{none,gzip,zstd}",
        help="jsonl, csv, warc: default from the -o suffix (.gz, .zst), else "
        "none; parquet, hf: the Parquet codec, default zstd",
    )
    parser.add_argument(
        "--query",
        metavar="QUERY",
        help="only articles matching this search (see `sankofa search -h`)",
    )
    parser.add_argument(
        "--dedupe",
        choices=DEDUPE_CHOICES,
        default="none",
        help="one article per story cluster (near: copies and near-copies) or per identical "
        "body (exact), among the selected articles; default none",
    )
    parser.add_argument(
        "--keep",
        choices=KEEP_CHOICES,
        default="earliest",
        help="with --dedupe: the article kept, the earliest published (default) or the "
        "longest body",
    )
    parser.set_defaults(handler=export_command)


def export_command(args: argparse.Namespace) -> int:
    if args.output is None and args.format in _BINARY_FORMATS:
        raise UserError(f"--format {args.format} needs -o PATH")
    compression = _compression(args)
    if args.keep != "earliest" and args.dedupe == "none":
        raise UserError("--keep chooses among copies: give it with --dedupe near or exact")
    with open_corpus(args)() as session:
        flt = article_filter(args, session)
        if args.dedupe != "none":
            flt = replace(flt, dedupe=args.dedupe, keep=args.keep)
        where = query_condition(session, args.query)
        written = _export(args, session, flt, where, compression)
    target = f" to {args.output}" if args.output else ""
    sys.stderr.write(f"exported {written} articles{target}\n")
    return 0


def _compression(args: argparse.Namespace) -> Compression:
    if args.format in ("parquet", "hf"):
        return args.compress or "zstd"
    chosen: Compression = args.compress or compression_for(args.output)
    return chosen


def _export(
    args: argparse.Namespace,
    session: Session,
    flt: ArticleFilter,
    where: list[ColumnElement[bool]],
    compression: Compression,
) -> int:
    if args.format in ("jsonl", "csv"):
        writer = export_jsonl if args.format == "jsonl" else export_csv
        with text_output(args.output, compression) as out:
            return writer(session, out, flt, where)
    # pyarrow and warcio load only when needed: pyarrow alone adds ~100 MB and a second.
    from storage.export.hf import export_hf
    from storage.export.parquet import export_parquet
    from storage.export.warc import export_warc

    if args.format == "hf":
        with atomic_path(args.output, folder=True) as folder:
            return export_hf(
                session, folder, flt, where, query=args.query, codec=compression
            ).articles
    with atomic_path(args.output) as temporary:
        if args.format == "parquet":
            return export_parquet(session, temporary, flt, where, codec=compression)
        with open_binary(temporary) as out:
            info = {"filters": json.dumps(flt.describe(), ensure_ascii=False)}
            return export_warc(session, out, flt, where, compression=compression, info=info)


# --- runs ----------------------------------------------------------------------------


def _register_runs(subparsers: Any) -> None:
    parser = add_command(
        subparsers, "runs", "list recent crawl runs with their counts", "sankofa runs --limit 5"
    )
    add_db_option(parser)
    parser.add_argument("--limit", type=positive_int, default=20, metavar="N")
    parser.set_defaults(handler=runs_command)


def runs_command(args: argparse.Namespace) -> int:
    with open_corpus(args)() as session:
        for run in list_runs(session, args.limit):
            failures = sum(run.failures.values())
            print(
                f"{run.id:>5}  {run.started_at:%Y-%m-%d %H:%M}  {run.status:<11} "
                f"pages {run.pages_fetched:>6}  new {run.articles_new:>5}  "
                f"updated {run.articles_updated:>4}  failures {failures:>4}  "
                f"{','.join(run.sources)[:40]}"
            )
            if run.failures or run.skipped:  # every loss with its reason, as the summary gives it
                print(f"       failures: {reasons(run.failures)}; skipped: {reasons(run.skipped)}")
    return 0
