"""Scale-out benchmark: one vs two `sankofa crawl` workers sharing a Redis frontier.

    python -m benchmarks.scaleout [--articles 2000] [--repeat 1] [--pin]

Serves a generated blog (benchmarks.sitegen, varied: text of its own per article, as in
benchmarks.throughput) of --articles articles on 127.0.0.1 and crawls
it into PostgreSQL with a Redis frontier, first with one worker, then with two started at
once, and prints articles per second for each and their ratio. Each worker gets one
extraction process (SANKOFA_EXTRACT_WORKERS=1), as a one-core machine would; a last row
gives one worker with two extraction processes, what a single worker makes of both cores.

On one machine the workers share its CPUs: where one worker already keeps them busy, a
second has nothing to add, and the ratio says so. --pin gives each worker (and the
extraction process it spawns) a CPU of its own, worker i on CPU i: what each worker would
have on its own one-core machine. The site, PostgreSQL and Redis still run on any CPU.

Needs $SANKOFA_BENCH_PG_URL and $SANKOFA_BENCH_REDIS_URL (else the test variables
$SANKOFA_TEST_PG_URL and $SANKOFA_TEST_REDIS_URL): databases the benchmark may wipe.
`SANKOFA_CI_SERVICES_ONLY=1 bash .ci/run` starts both servers and prints such URLs.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import text

from benchmarks.sitegen import generate_site
from crawler.devsite.server import serve
from storage.db import make_engine
from tests.crawling import write_sources
from tests.multiworker import redis_client, start_worker
from tests.storage_fixtures import wipe


@dataclass(frozen=True)
class Config:
    label: str
    workers: int
    extractors: int  # extraction processes per worker


CONFIGS = (
    Config("1 worker  x 1 extractor", 1, 1),
    Config("2 workers x 1 extractor", 2, 1),
    Config("1 worker  x 2 extractors (reference)", 1, 2),
)


@dataclass(frozen=True)
class Result:
    articles: int
    wall: float  # first start to last exit: start-up and the idle wait included
    crawl: float  # first article fetched to last: the steady crawl
    cpu: float  # CPU seconds of the crawl processes and their extraction pools
    machine: float  # share of the machine's CPUs busy meanwhile (anyone's processes)
    pool: float  # seconds the extraction pools spent extracting and detecting languages
    store: float  # seconds the workers' writer threads spent storing

    @property
    def rate(self) -> float:
        return self.articles / self.crawl if self.crawl else 0.0


def environment_url(name: str) -> str:
    url = os.environ.get(f"SANKOFA_BENCH_{name}_URL") or os.environ.get(f"SANKOFA_TEST_{name}_URL")
    if not url:
        sys.exit(f"set $SANKOFA_BENCH_{name}_URL (or $SANKOFA_TEST_{name}_URL); see --help")
    return url


def run_config(
    config: Config, sources: Path, db_url: str, frontier: str, *, pin: bool = False
) -> Result:
    wipe(db_url)
    redis_client(frontier).flushdb()
    tuning = (
        "-s", f"SANKOFA_EXTRACT_WORKERS={config.extractors}",
        "-s", "SANKOFA_MAX_LISTING_PAGES=100000",  # every run follows the whole pagination
        "-s", "SANKOFA_KEEP_RAW_HTML=True",
    )  # fmt: skip
    cpu_before, machine_before = resource.getrusage(resource.RUSAGE_CHILDREN), _machine_ticks()
    started = time.monotonic()
    workers = [start_worker(sources, db_url, frontier, *tuning) for _ in range(config.workers)]
    if pin:  # before the crawls spawn their extraction processes, which inherit it
        for cpu, worker in enumerate(workers):
            os.sched_setaffinity(worker.pid, {cpu % (os.cpu_count() or 1)})
    outputs = [worker.finish(timeout=1800) for worker in workers]
    wall = time.monotonic() - started
    cpu_after, machine_after = resource.getrusage(resource.RUSAGE_CHILDREN), _machine_ticks()
    for status, stderr in outputs:
        if status != 0:
            sys.exit(f"a worker failed ({status}):\n{stderr}")
    articles, first, last = _stored(db_url)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    stages = [_stage_seconds(stderr) for _, stderr in outputs]
    pool = sum(s.get("extract", 0) + s.get("language", 0) for s in stages)
    busy = (machine_after[0] - machine_before[0]) / max(machine_after[1] - machine_before[1], 1)
    store = sum(s.get("store", 0) for s in stages)
    return Result(articles, wall, (last - first).total_seconds(), cpu, busy, pool, store)


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine so far, from /proc/stat; (0, 0) elsewhere."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0, 0
    ticks = [int(value) for value in first]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return sum(ticks) - idle, sum(ticks)


def _stored(db_url: str) -> tuple[int, datetime, datetime]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            count, first, last = connection.execute(
                text("SELECT count(*), min(fetched_at), max(fetched_at) FROM articles")
            ).one()
    finally:
        engine.dispose()
    return int(count), first, last


def _stage_seconds(stderr: str) -> dict[str, float]:
    """From the crawl summary's "time in stages: extract 1.9 s (15%), ..." line."""
    line = next((ln for ln in stderr.splitlines() if "time in stages:" in ln), "")
    return {name: float(seconds) for name, seconds in re.findall(r"(\w+) ([\d.]+) s \(", line)}


def report(config: Config, results: list[Result], expected: int) -> float:
    rate = statistics.median(result.rate for result in results)
    best = max(results, key=lambda result: result.rate)
    stored = "" if best.articles == expected else f"  (stored {best.articles} of {expected}!)"
    print(
        f"{config.label:38} {rate:7.1f} {best.crawl:7.1f} {best.wall:7.1f} {best.cpu:7.1f}"
        f" {best.machine:8.0%} {best.pool:7.1f} {best.store:7.1f}{stored}"
    )
    return rate


_HEADER = (
    f"{'':38} {'art/s':>7} {'crawl s':>7} {'wall s':>7} {'CPU s':>7} {'machine':>8}"
    f" {'pool s':>7} {'store s':>7}"
)
_LEGEND = """
art/s    articles per second between the first and the last article fetched (median of runs)
crawl s  that span; wall s: from starting the workers to the last one's exit
CPU s    CPU time of the crawl processes and their extraction pools
machine  share of all CPUs busy meanwhile, any process (the site server, PostgreSQL, Redis,
         and whatever else runs on the machine)
pool s   time the extraction pools spent extracting and detecting languages
store s  time the workers' writer threads spent storing into PostgreSQL"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=1, help="runs per row; the median is shown")
    parser.add_argument("--pin", action="store_true", help="worker i runs on CPU i only")
    args = parser.parse_args()
    db_url, frontier = environment_url("PG"), environment_url("REDIS")
    with tempfile.TemporaryDirectory(prefix="sankofa-scaleout-") as folder:
        root = Path(folder) / "site"
        generate_site(root, args.articles, varied=True)
        with serve(root) as site:
            sources = write_sources(Path(folder), site.base_url)
            print(f"site: {args.articles} articles on {site.base_url}; {os.cpu_count()} CPUs")
            print(_HEADER)
            rates = [
                report(c, [run_config(c, sources, db_url, frontier, pin=args.pin)
                           for _ in range(args.repeat)], args.articles)
                for c in CONFIGS
            ]  # fmt: skip
        wipe(db_url)
        redis_client(frontier).flushdb()
    print(f"ratio, 2 workers / 1 worker: {rates[1] / rates[0]:.2f}")
    print(_LEGEND)


if __name__ == "__main__":
    main()
