"""The `sankofa` command line: a thin layer over the library (data on stdout, the rest on stderr).

User mistakes (a bad sources file, database URL, source name or date) end in one line on
stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from crawler import __version__
from crawler.cli import (
    authors_cmd,
    corpus_cmd,
    crawl_cmd,
    db_cmd,
    demo_cmd,
    duplicates_cmd,
    reextract_cmd,
    schedule_cmd,
    search_cmd,
    serve_cmd,
    sources_cmd,
)
from crawler.cli.common import OneLineParser, UserError
from crawler.sources.registry import SourcesError
from storage.db import StorageError

_USER_ERRORS = (UserError, SourcesError, StorageError)


def build_parser() -> OneLineParser:
    parser = OneLineParser(
        prog="sankofa",
        description="Crawl emerging-market tech blogs into a clean multilingual corpus.",
        epilog="example:\n  sankofa demo\n  sankofa crawl --source techcabal --max-pages 100",
        formatter_class=__import__("argparse").RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sankofa {__version__}")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=OneLineParser
    )
    modules = (crawl_cmd, schedule_cmd, demo_cmd, sources_cmd, corpus_cmd, search_cmd,
               duplicates_cmd, authors_cmd, reextract_cmd, serve_cmd, db_cmd)  # fmt: skip
    for module in modules:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except _USER_ERRORS as error:
        sys.stderr.write(f"sankofa: error: {error}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("sankofa: interrupted\n")
        return 130
    except BrokenPipeError:  # `sankofa export | head` closed the pipe: not an error
        return 0


if __name__ == "__main__":
    sys.exit(main())
