"""`sankofa schedule`: `crawl --due` in a loop, for machines without cron.

Each crawl runs in a fresh process (Twisted's reactor cannot be restarted). SIGTERM or
Ctrl-C is passed on to a running crawl, which stops gracefully and records itself as
interrupted; then the scheduler exits.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import threading
from types import FrameType
from typing import Any

from crawler.cli.common import add_command, add_db_option, db_url, positive_int
from crawler.cli.crawl_cmd import add_crawl_tuning, add_sources_option, parse_overrides
from crawler.sources.registry import load_sources
from storage.db import check_url


def register(subparsers: Any) -> None:
    parser = add_command(
        subparsers,
        "schedule",
        "crawl due sources every few minutes, in the foreground",
        "sankofa schedule --every 300 --db sqlite:///corpus.db",
        "Runs `sankofa crawl --due` now and then every --every seconds, until SIGTERM or\n"
        "Ctrl-C. Each source is crawled when its `interval` (sources.toml) has passed.",
    )
    parser.add_argument(
        "--every", type=positive_int, default=300, metavar="SECONDS",
        help="seconds between checks for due sources (default: 300)",
    )  # fmt: skip
    add_sources_option(parser)
    add_db_option(parser)
    add_crawl_tuning(parser)
    parser.set_defaults(handler=schedule_command)


def crawl_due_command(args: argparse.Namespace) -> list[str]:
    command = [sys.executable, "-m", "crawler.cli", "crawl", "--due"]
    if args.sources:
        command += ["--sources", str(args.sources)]
    if args.db:
        command += ["--db", args.db]
    for name, value in parse_overrides(args.set).items():
        command += ["-s", f"{name}={value}"]
    return command + (["--verbose"] if args.verbose else [])


class Scheduler:
    def __init__(self, command: list[str], every: int) -> None:
        self.command = command
        self.every = every
        self.stopping = threading.Event()
        self.child: subprocess.Popen[bytes] | None = None

    def stop(self, signum: int, _frame: FrameType | None) -> None:
        self.stopping.set()
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signal.SIGINT if signum == signal.SIGINT else signal.SIGTERM)

    def run(self) -> int:
        while not self.stopping.is_set():
            # Its own session: a terminal's Ctrl-C reaches the scheduler only, which passes
            # one signal on (two SIGINTs would make Scrapy stop the crawl by force).
            self.child = subprocess.Popen(self.command, start_new_session=True)
            self.child.wait()
            self.child = None
            self.stopping.wait(self.every)
        sys.stderr.write("sankofa schedule: stopped\n")
        return 0


def schedule_command(args: argparse.Namespace) -> int:
    # What every round's crawl would refuse is refused once, here: a round that fails later
    # (a database server restarting, say) is retried at the next, for months if need be.
    load_sources(args.sources)
    check_url(db_url(args))
    scheduler = Scheduler(crawl_due_command(args), args.every)
    signal.signal(signal.SIGTERM, scheduler.stop)
    signal.signal(signal.SIGINT, scheduler.stop)
    return scheduler.run()
