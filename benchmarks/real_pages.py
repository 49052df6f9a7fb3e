"""Throughput over real pages: ``python -m benchmarks.throughput --real COPIES``.

The generated site of ``benchmarks.throughput`` has 5 KB pages that extract in ~4 ms, so
there the crawl process (downloads, the writer) weighs as much as extraction. Real article
pages are larger (Zyte's 181 average 170 KB and take trafilatura ~40 ms), and the balance
between the crawl process and its extraction workers differs: this crawls them, each page
served COPIES times under its own address, once per extraction pool size, and runs bare
trafilatura over the same pages in the same run. Copies share a canonical URL, so fewer
articles are stored than pages crawled: the rate is of pages.
"""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path

from benchmarks.extraction import DEFAULT_BENCH_DIR as ZYTE
from benchmarks.throughput import Bare, Crawl, run_bare, run_crawl
from crawler.devsite.server import serve
from tests.crawling import write_sources


def compare_workers(copies: int, workers: list[int]) -> None:
    with tempfile.TemporaryDirectory(prefix="sankofa-real-") as name:
        folder = Path(name)
        pages = _write_site(folder / "site", copies)
        with serve(folder / "site") as site:
            _write_sitemap(folder / "site", site.base_url, list(pages))
            sitemap = f'sitemaps = ["{site.base_url}/sitemap.xml"]'
            sources = write_sources(folder, site.base_url, extra=sitemap)
            crawls = {w: _crawl(sources, folder, w) for w in workers}
            bare = run_bare([(site.base_url + path, html) for path, html in pages.items()])
    _print(len(pages), crawls, bare)


def _write_site(root: Path, copies: int) -> dict[str, str]:
    """Each Zyte page under /<year>/01/story-<i>-<copy>/; path -> html."""
    truth = json.loads((ZYTE / "ground-truth.json").read_text("utf-8"))
    pages: dict[str, str] = {}
    for index, page_id in enumerate(sorted(truth)):
        html = gzip.decompress((ZYTE / "html" / f"{page_id}.html.gz").read_bytes()).decode()
        for copy in range(copies):
            path = f"/{2020 + copy}/01/story-{index:03d}-{copy}/"
            folder = root / path.strip("/")
            folder.mkdir(parents=True)
            (folder / "index.html").write_text(html, encoding="utf-8")
            pages[path] = html
    return pages


def _write_sitemap(root: Path, base_url: str, paths: list[str]) -> None:
    urls = "".join(f"<url><loc>{base_url}{path}</loc></url>" for path in paths)
    (root / "sitemap.xml").write_text(f'<?xml version="1.0"?><urlset>{urls}</urlset>')


def _crawl(sources: Path, folder: Path, workers: int) -> Crawl:
    return run_crawl(sources, folder, settings=("-s", f"SANKOFA_EXTRACT_WORKERS={workers}"))


def _print(pages: int, crawls: dict[int, Crawl], bare: Bare) -> None:
    print(f"{pages} real pages (Zyte); bare trafilatura {bare.rate:.1f} pages/s, "
          f"{bare.cpu / bare.pages * 1000:.1f} ms of CPU per page")  # fmt: skip
    print(f"{'workers':>7} | {'pages/s':>7} | {'ratio':>5} | {'CPU ms/page':>11} | "
          f"{'crawl process s':>15} | {'peak RSS MB':>11} | {'stored':>6}")  # fmt: skip
    for workers, crawl in crawls.items():
        rate = pages / crawl.wall
        print(f"{workers:>7} | {rate:>7.1f} | {rate / bare.rate:>5.2f} | "
              f"{crawl.cpu / pages * 1000:>11.1f} | {crawl.cpu_main:>15.1f} | "
              f"{crawl.peak_rss / 2**20:>11.0f} | {crawl.articles:>6}")  # fmt: skip
