"""Shared pieces of the `sankofa` command line: parsers, options, user errors."""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime
from typing import Any, NoReturn

from crawler.dates import parse_date
from storage.db import (
    StorageError,
    default_url,
    open_database,
    require_database,
    session_factory,
)


class UserError(Exception):
    """A mistake in what the user asked for: printed as one line, exit status 2."""


class OneLineParser(argparse.ArgumentParser):
    """Reports a usage mistake as one line (what, and where to look), not a usage dump."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")
        raise SystemExit(2)


def add_command(
    subparsers: Any, name: str, summary: str, example: str, description: str = ""
) -> argparse.ArgumentParser:
    """A sub-command whose help ends with an example, as every command's does."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=summary,
        description=description or summary,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="SQLAlchemy database URL (default: $SANKOFA_DB, else the SQLite file "
        f"{default_url()})",
    )


def db_url(args: argparse.Namespace) -> str:
    return str(args.db or default_url())


def open_sessions(args: argparse.Namespace) -> Any:
    """A session factory for --db, migrating a new database first (for crawls, which make one)."""
    return session_factory(open_database(db_url(args)))


def open_corpus(args: argparse.Namespace) -> Any:
    """A session factory for --db, which must hold a corpus already (commands that read it):
    a SQLite path with no file is one line of error, not a new empty corpus."""
    url = db_url(args)
    require_database(url)
    return session_factory(open_database(url))


def iso_date(text: str) -> datetime:
    """argparse type for --since/--until: YYYY-MM-DD (UTC midnight) or an ISO datetime, UTC
    unless it names its offset. The same parser reads `-s SANKOFA_SINCE=`, so the two agree."""
    parsed = parse_date(text)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; use YYYY-MM-DD")
    return parsed


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive whole number")
    return int(text)


__all__ = ["StorageError", "UserError"]


# What a terminal obeys rather than shows: C0/C1 controls (ANSI escapes start with ESC) and
# the bidi overrides, embeddings and isolates that can make text read backwards.
_TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """`text` for a table cell: each control character shown as its escape (\\u202e)."""
    return _TERMINAL_CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
