"""`sankofa demo`: the whole pipeline on a bundled site, without the internet."""

from __future__ import annotations

import argparse
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from crawler.cli.common import add_command, add_db_option
from crawler.cli.report import print_run_summary
from crawler.crawl.run import LOCAL_SITE_SETTINGS, CrawlRequest, run_crawl
from crawler.devsite.demo import (
    DEMO_SITE,
    DEMO_SOURCE,
    demo_db_path,
    demo_db_url,
    write_demo_sources,
)
from crawler.devsite.server import serve
from storage.db import open_database, session_factory
from storage.models import Article, publisher_time
from storage.queries import ArticleFilter, select_articles


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "demo",
        "crawl a bundled sample blog on 127.0.0.1 (no internet needed)",
        "sankofa demo && sankofa stats --db sqlite:///$HOME/.local/share/sankofa/demo.db",
        "Serve a small multilingual tech blog (feed, sitemap, author boxes, comment forms)\n"
        "on 127.0.0.1, crawl it end to end and print what was stored.",
    )
    add_db_option(parser)
    parser.set_defaults(handler=demo_command)


def demo_command(args: argparse.Namespace) -> int:
    if args.db is None:
        # The demo site is served on a new port each time, so its pages have new addresses:
        # the demo's own database starts afresh, or each run would store them all again.
        demo_db_path().unlink(missing_ok=True)
    db_url = args.db or demo_db_url()
    sessions = session_factory(open_database(db_url))
    with tempfile.TemporaryDirectory() as folder, serve(DEMO_SITE) as site:
        request = CrawlRequest(
            db_url=db_url,
            sources_file=write_demo_sources(Path(folder), site.base_url),
            progress=True,
            overrides=LOCAL_SITE_SETTINGS,
        )
        stats = run_crawl(request)
    status = print_run_summary(sessions, db_url, stats, sys.stderr)
    print_stored(sessions)
    return 0 if status == "finished" else 130


def print_stored(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        query = select_articles(ArticleFilter(sources=(DEMO_SOURCE,)))
        articles = list(session.scalars(query.order_by(None).order_by(Article.published)))
    print(f"{'lang':4}  {'conf':>4}  {'published':10}  {'words':>5}  {'bio':3}  title / author")
    for article in articles:
        print(_row(article))
    if articles:
        print(_anatomy(articles[0]))


def _row(article: Article) -> str:
    moment = publisher_time(article.published, article.published_utc_offset)
    published = moment.date().isoformat() if moment else "?"
    author = ", ".join(article.authors) or "?"
    return (
        f"{article.language:4}  {article.language_confidence:4.2f}  {published:10}  "
        f"{len(article.text.split()):5d}  {'yes' if article.author_bio else 'no':3}  "
        f"{article.title[:60]} / {author}"
    )


def _anatomy(article: Article) -> str:
    """How one page was split: body, bio, and (never) comments."""
    body = textwrap.shorten(article.text, 300, placeholder=" …")
    bio = textwrap.shorten(article.author_bio or "(none)", 200, placeholder=" …")
    return f"\nHow '{article.title}' was split:\n  body: {body}\n  author bio: {bio}\n"
