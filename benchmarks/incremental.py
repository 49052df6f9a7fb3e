"""Incremental crawling, measured: a full crawl of a local site, then one with nothing new.

    python -m benchmarks.incremental [--articles 500]

Prints each crawl's requests (as the site saw them), 304 answers, stored articles and
duration, and the second crawl's requests as a share of the first's (target: at most 10%).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.sitegen import generate_site
from crawler.devsite.server import Site, serve

REPO = Path(__file__).resolve().parent.parent
LOCAL = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
         "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]  # fmt: skip


def crawl(site: Site, folder: Path) -> tuple[int, int, float, str]:
    """One crawl in a fresh process: (requests, 304s, seconds, summary line)."""
    sources = folder / "sources.toml"
    sources.write_text(f'[[sources]]\nname = "bench"\nurl = "{site.base_url}/"\n')
    before, not_modified = len(site.requests), site.not_modified
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "crawl", "--sources", str(sources),
         "--db", f"sqlite:///{folder / 'bench.db'}", *LOCAL],
        cwd=REPO, capture_output=True, text=True, check=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    summary = next(line for line in result.stderr.splitlines() if line.startswith("Crawl run"))
    return len(site.requests) - before, site.not_modified - not_modified, seconds, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        generate_site(root, args.articles)
        with serve(root) as site:
            first = crawl(site, Path(folder))
            second = crawl(site, Path(folder))
    print(f"site: {args.articles} articles")
    print(f"{'crawl':<8} {'requests':>9} {'304s':>5} {'seconds':>8}  summary")
    for name, (requests, not_modified, seconds, summary) in (("first", first), ("second", second)):
        print(f"{name:<8} {requests:>9} {not_modified:>5} {seconds:>8.1f}  {summary}")
    print(f"second/first requests: {second[0] / first[0]:.1%} (target <= 10%)")


if __name__ == "__main__":
    main()
