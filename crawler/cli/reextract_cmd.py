"""`sankofa reextract`: bring stored articles up to date with the current extractor."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from typing import Any

from crawler.cli.common import add_command, add_db_option, open_corpus, positive_int
from crawler.cli.corpus_cmd import add_filters, article_filter


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "reextract",
        "re-run extraction over the raw pages kept at crawl time (no re-crawl)",
        "sankofa reextract --source techcabal --since 2024-01-01",
        "Extraction and language detection run again on each stored page (kept unless the\n"
        "crawl ran with -s SANKOFA_KEEP_RAW_HTML=False). Changed articles keep their earlier\n"
        "version as a revision.",
    )
    add_db_option(parser)
    add_filters(parser)
    parser.add_argument("--workers", type=positive_int, default=os.cpu_count() or 1, metavar="N",
                        help="processes to extract with (default: one per CPU)")  # fmt: skip
    parser.set_defaults(handler=reextract_command)


def reextract_command(args: argparse.Namespace) -> int:
    # Imported here: every other command (a crawl's process among them, which hands pages
    # to its workers) would otherwise load the whole extraction stack, ~50 MB, for nothing.
    from crawler.crawl.reextract import reextract

    sessions = open_corpus(args)
    with sessions() as session:
        # Every stored page: the classifier may now read a doubtful page as an article.
        flt = replace(article_filter(args, session), include_doubtful=True)
    outcomes = reextract(sessions, flt, args.workers)
    total = sum(outcomes.values())
    sys.stderr.write(
        f"re-extracted {total} stored pages: {outcomes['updated']} updated, "
        f"{outcomes['unchanged']} unchanged, {outcomes['not_article']} no longer read as "
        f"articles and {outcomes['extraction_error']} failing to extract (kept as they were)\n"
    )
    return 0
