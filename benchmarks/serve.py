"""Latency and memory of `sankofa serve` over HTTP on a synthetic multilingual corpus.

    python -m benchmarks.serve [--articles 200000] [--db PATH] [--clients 20] [--duration 25]

1. Builds (or reuses) a SQLite corpus of --articles generated articles: benchmarks.corpus's
   generator (ten languages, six scripts, FTS triggers of the real migrations), then filled in
   as a crawl would have stored them: one `authors` row per byline and each article's
   author_id, cluster_id = its own id, and 2% of the articles in planted two-article story
   clusters (so the article page reads the author's other articles and a cluster). The file
   is cached (default: $TMPDIR/sankofa-serve-<N>.db) and reused when it holds N articles.
2. Starts `sankofa serve --db ... --port <free port>` as a subprocess and waits for it.
3. Latency, one client at a time over HTTP on 127.0.0.1 (keep-alive), warm-up excluded:
   the search page `/` over a set of queries and filters, the article page for random ids,
   the Atom and JSON feeds of the 50 newest of a language, and /api/search for reference.
4. Memory: the server's peak RSS (VmHWM, or psutil's RSS sampled) while --clients threads
   request a mix of those pages (LOAD_MIX) for --duration seconds; throughput and errors.
5. A table: measure | p50 | p95 | target | met.
Targets: search page p95 < 150 ms, article page p95 < 50 ms, feed p95 < 100 ms, server
memory under 20 concurrent clients < 300 MB. The machine's load average is printed: other
processes slow every figure.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final
from urllib.parse import urlencode

from sqlalchemy import Engine, bindparam, insert, select, text, update
from sqlalchemy.engine import Connection

from benchmarks.corpus import _insert, _sync_sources
from benchmarks.corpus_text import ArticleFactory
from storage.db import open_database
from storage.duplicates.links import root_key
from storage.models import Article, Author
from tests.crawling import ServeDidNotStart, sankofa_serve

DEFAULT_ARTICLES: Final = 200_000
BUILD_STEP: Final = 20_000  # articles per progress line while building
CLUSTER_EVERY: Final = 50  # article ids 1, 51, 101... get a near-duplicate (id + 10)
CLUSTER_OFFSET: Final = 10  # same language and source (the generator cycles ten languages)
BENCHMARK_EXTRACTOR: Final = "benchmark"  # what the generator writes in articles.extractor
SERVER_START_SECONDS: Final = 300.0
FEED_LANGUAGES: Final = ("en", "sw", "fr", "ar", "hi", "zh")
# What the concurrent clients ask for, by kind of page.
LOAD_MIX: Final = {"search page": 0.4, "article page": 0.3, "feed": 0.2, "api": 0.1}
# The search page's variety: (query, filters) as a user would type and click them.
SEARCH_VARIANTS: Final[tuple[tuple[tuple[str, str], ...], ...]] = (
    (),  # the front page: newest articles, facets of the whole corpus
    (("q", "fintech"),),
    (("q", '"mobile money"'),),
    (("q", "invest*"),),
    (("q", "payments NOT bank"),),
    (("q", "crypto OR insurance"),),
    (("q", "paiement sénégal"),),
    (("q", "benki"),),
    (("q", "الدفع الرقمي"),),
    (("q", "भुगतान"),),
    (("q", "支付"),),
    (("q", "ชำระเงิน"),),
    (("lang", "sw"),),
    (("q", "fintech"), ("lang", "en")),
    (("q", "banque"), ("source", "socialnetlink")),
    (("country", "KE"), ("country", "NG")),
    (("q", "crédito"), ("country", "BR")),
    (("since", "2023-01-01"), ("until", "2023-07-01")),
    (("q", "digital"), ("since", "2022-01-01")),
    (("q", "payments"), ("sort", "date")),
    (("q", "mobile"), ("collapse", "1")),
    (("collapse", "1"),),
    (("has_bio", "1"), ("lang", "fr")),
    (("q", "fintech"), ("page", "3")),
)


@dataclass
class Samples:
    """Latencies (ms) of one measure, with the URL of each and the statuses seen."""

    milliseconds: list[float] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def add(self, url: str, ms: float, status: int) -> None:
        self.milliseconds.append(ms)
        self.urls.append(url)
        if status != 200:
            key = f"{status} {url}"
            self.errors[key] = self.errors.get(key, 0) + 1

    def extend(self, other: Samples) -> None:
        self.milliseconds += other.milliseconds
        self.urls += other.urls
        for key, count in other.errors.items():
            self.errors[key] = self.errors.get(key, 0) + count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES, help="corpus size")
    parser.add_argument(
        "--db", type=Path, help="the corpus file, built when missing (default: in $TMPDIR)"
    )
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (memory)")
    parser.add_argument("--duration", type=float, default=25.0, help="seconds of concurrent load")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per measure")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random article ids")
    args = parser.parse_args()
    db_path = args.db or Path(tempfile.gettempdir()) / f"sankofa-serve-{args.articles}.db"
    print(f"sqlite {sqlite3.sqlite_version}, python {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs, load average {_load()} (other processes slow every "
          "figure below)")  # fmt: skip
    max_id = ensure_corpus(db_path, args.articles)
    with running_server(db_path) as (server, port):
        rows = measure(server, port, max_id, args)
    print_table(rows)
    print(f"\nload average at the end {_load()}")
    print(f"reproduce: {sys.executable} -m benchmarks.serve --articles {args.articles} "
          f"--db {db_path} --clients {args.clients} --duration {args.duration:g}")  # fmt: skip
    return 0


# --- the corpus ----------------------------------------------------------------------------


def ensure_corpus(path: Path, articles: int) -> int:
    """The corpus at `path` with `articles` articles, built unless cached; its largest id."""
    existing = _benchmark_corpus_count(path)
    if existing == articles:
        print(f"reusing {path} ({articles:,} articles, {path.stat().st_size / 1e6:,.0f} MB)")
    else:
        if existing is not None:
            held = f"{existing:,} articles" if existing >= 0 else "an unfinished build"
            print(f"{path} holds {held}, not {articles:,} articles: rebuilding it")
        _build(path, articles)
    started = time.perf_counter()
    engine = open_database(f"sqlite:///{path}")  # the schema at head (new indexes included)
    with engine.connect() as connection:
        max_id = int(connection.scalar(text("SELECT max(id) FROM articles")) or 0)
    engine.dispose()
    if (seconds := time.perf_counter() - started) > 1:
        print(f"schema brought to head in {seconds:.1f} s")
    return max_id


def _benchmark_corpus_count(path: Path) -> int | None:
    """How many articles the benchmark corpus at `path` holds; None when there is no file.
    Refuses a file that is not a benchmark corpus rather than overwrite it."""
    if not path.exists():
        return None
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            total, foreign = connection.execute(
                "SELECT count(*), count(*) FILTER (WHERE extractor != ?) FROM articles",
                (BENCHMARK_EXTRACTOR,),
            ).fetchone()
            authors = connection.execute("SELECT count(*) FROM authors").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise SystemExit(f"{path}: not a benchmark corpus ({error}); pass another --db") from None
    if foreign:
        raise SystemExit(f"{path} holds articles the benchmark did not generate; pass another --db")
    return int(total) if authors else -1  # no authors: an unfinished build


def _build(path: Path, articles: int) -> None:
    building = path.with_name(path.name + ".building")
    for leftover in (path, building):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{leftover}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    engine = open_database(f"sqlite:///{building}")
    factory = ArticleFactory(_sync_sources(engine))
    for first in range(0, articles, BUILD_STEP):
        _insert(engine, factory, first, min(articles, first + BUILD_STEP))
        print(f"  generated {min(articles, first + BUILD_STEP):,} articles "
              f"({time.perf_counter() - started:.0f} s)", flush=True)  # fmt: skip
    _as_crawled(engine)
    engine.dispose()
    building.rename(path)
    print(f"built {path} in {time.perf_counter() - started:.0f} s incl. FTS indexing; "
          f"{path.stat().st_size / 1e6:,.0f} MB")  # fmt: skip


def _as_crawled(engine: Engine) -> None:
    """What a crawl stores beside the generated rows: authors, author ids, story clusters."""
    with engine.begin() as connection:
        bylines = connection.execute(
            text("SELECT DISTINCT source_id, json_extract(authors, '$[0]') FROM articles")
        ).all()
        connection.execute(insert(Author), [{"source_id": s, "name": n} for s, n in bylines])
        connection.execute(
            text(
                "UPDATE articles SET cluster_id = id, author_id = (SELECT authors.id FROM authors"
                " WHERE authors.source_id = articles.source_id"
                " AND authors.name = json_extract(articles.authors, '$[0]'))"
            )
        )
        _plant_clusters(connection)


def _plant_clusters(connection: Connection) -> None:
    """Article a (id 1, 51, 101...) and a + 10 form a story cluster, rooted at the earlier."""
    rows = connection.execute(
        select(Article.id, Article.published, Article.canonical_url).where(
            Article.id % CLUSTER_EVERY == 1
        )
    ).all()
    partners = {
        row.id: row
        for row in connection.execute(
            select(Article.id, Article.published, Article.canonical_url).where(
                Article.id % CLUSTER_EVERY == 1 + CLUSTER_OFFSET
            )
        )
    }
    changes = []
    for first in rows:
        second = partners.get(first.id + CLUSTER_OFFSET)
        if second is None:
            continue
        pair = sorted((first, second), key=lambda r: root_key(r.published, r.canonical_url))
        root = pair[0].id
        changes += [{"row_id": pair[0].id, "root": root, "of": None},
                    {"row_id": pair[1].id, "root": root, "of": root}]  # fmt: skip
    if changes:
        connection.execute(
            update(Article)
            .where(Article.id == bindparam("row_id"))
            .values(cluster_id=bindparam("root"), in_story=True, near_duplicate_of=bindparam("of")),
            changes,
        )


# --- the server ----------------------------------------------------------------------------


@contextmanager
def running_server(db_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        try:
            with sankofa_serve(f"sqlite:///{db_path}", Path(folder) / "serve.log",
                               start_seconds=SERVER_START_SECONDS) as (server, port):  # fmt: skip
                seconds = time.perf_counter() - started
                print(f"server pid {server.pid} up on port {port} in {seconds:.1f} s")
                yield server, port
        except ServeDidNotStart as error:
            raise SystemExit(str(error)) from None


class Client:
    """One keep-alive HTTP connection; get() returns (status, milliseconds)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, url: str) -> tuple[int, float]:
        started = time.perf_counter()
        try:
            self.connection.request("GET", url)
            response = self.connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            status = 0
        return status, (time.perf_counter() - started) * 1000

    def close(self) -> None:
        self.connection.close()


# --- the measures --------------------------------------------------------------------------


def _url(path: str, params: Sequence[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def search_urls(path: str = "/") -> list[str]:
    return [_url(path, variant) for variant in SEARCH_VARIANTS]


def feed_urls() -> list[str]:
    return [f"/feed.{kind}?lang={lang}" for lang in FEED_LANGUAGES for kind in ("atom", "json")]


def article_urls(max_id: int, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [f"/articles/{rng.randint(1, max_id)}" for _ in range(count)]


def timed(
    name: str, client: Client, urls: Sequence[str], requests: int, warm: Sequence[str]
) -> Samples:
    """`requests` timed GETs cycling through `urls`, after one untimed GET of each `warm`."""
    started = time.perf_counter()
    for url in warm:
        client.get(url)
    samples = Samples()
    for index in range(requests):
        url = urls[index % len(urls)]
        status, ms = client.get(url)
        samples.add(url, ms, status)
    p50, p95 = _percentiles(samples.milliseconds)
    print(f"  {name:<14} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  (n={requests}, "
          f"{time.perf_counter() - started:.0f} s with warm-up)", flush=True)  # fmt: skip
    return samples


@dataclass(frozen=True)
class Row:
    label: str
    p50: str
    p95: str
    target: str
    met: str


def measure(
    server: subprocess.Popen[bytes], port: int, max_id: int, args: argparse.Namespace
) -> list[Row]:
    client = Client(port)
    searches = search_urls("/")
    articles = article_urls(max_id, args.requests + 20, args.seed)
    feeds = feed_urls()
    api = search_urls("/api/search")
    print(f"\nlatency, one client, {args.requests} timed requests per measure after warm-up")
    search_page = timed("search page", client, searches, args.requests, searches)
    article_page = timed("article page", client, articles[20:], args.requests, articles[:20])
    half = args.requests // 2
    atom = timed("Atom feed", client, [u for u in feeds if "atom" in u], half, feeds)
    json_feed = timed("JSON feed", client, [u for u in feeds if "json" in u], half, ())
    api_search = timed("/api/search", client, api, args.requests, api)
    client.close()
    feed = Samples()
    feed.extend(atom)
    feed.extend(json_feed)
    _by_url("search page", search_page)
    _by_url("feeds", feed)
    _by_url("/api/search", api_search)
    for name, samples in (("search page", search_page), ("article page", article_page),
                          ("feeds", feed), ("api", api_search)):  # fmt: skip
        for key, count in samples.errors.items():
            print(f"  !! {name}: {count} x {key}")
    mix = {"search page": searches, "article page": articles, "feed": feeds, "api": api}
    load = hammer(server.pid, port, mix, args.clients, args.duration)
    uncollapsed = Samples()
    for url, ms in zip(search_page.urls, search_page.milliseconds, strict=True):
        if "collapse=1" not in url:
            uncollapsed.add(url, ms, 200)
    return [
        _latency_row("search page /", search_page, 150),
        _latency_row("  without the 2 collapse=1 variants", uncollapsed, None),
        _latency_row("article page /articles/{id}", article_page, 50),
        _latency_row("feed, 50 newest of a language", feed, 100),
        _latency_row("  of which Atom", atom, 100),
        _latency_row("  of which JSON Feed", json_feed, 100),
        _latency_row("/api/search (reference)", api_search, None),
        _latency_row(f"mixed pages under {args.clients} clients", load.samples, None),
        Row(
            f"server RSS under {args.clients} clients",
            f"{load.median_rss_mb:.0f} MB",
            f"{load.peak_rss_mb:.0f} MB",
            "< 300 MB",
            "yes" if load.peak_rss_mb < 300 else "NO",
        ),
        Row("throughput under load", f"{load.throughput:.1f} req/s", "", "", ""),
    ]


def _percentiles(values: Sequence[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def _latency_row(label: str, samples: Samples, target_ms: float | None) -> Row:
    if not samples.milliseconds:
        return Row(label, "-", "-", "", "")
    p50, p95 = _percentiles(samples.milliseconds)
    if target_ms is None:
        return Row(label, f"{p50:.1f} ms", f"{p95:.1f} ms", "-", "-")
    met = "yes" if p95 < target_ms and not samples.errors else "NO"
    return Row(label, f"{p50:.1f} ms", f"{p95:.1f} ms", f"p95 < {target_ms:g} ms", met)


def _by_url(name: str, samples: Samples) -> None:
    """Each URL's median and maximum, slowest first: where the time goes."""
    times: dict[str, list[float]] = {}
    for url, ms in zip(samples.urls, samples.milliseconds, strict=True):
        times.setdefault(url, []).append(ms)
    print(f"{name}, per URL (median / max ms, n):")
    for url, values in sorted(times.items(), key=lambda item: -statistics.median(item[1])):
        print(f"  {statistics.median(values):7.1f} {max(values):7.1f}  {len(values):3d}  {url}")


@dataclass
class Load:
    samples: Samples
    throughput: float
    peak_rss_mb: float
    median_rss_mb: float


def hammer(pid: int, port: int, urls: dict[str, list[str]], clients: int, duration: float) -> Load:
    """`clients` threads GET random `urls` for `duration` s, the kinds of page in the
    proportions of LOAD_MIX; the server's RSS is sampled."""
    mix = ", ".join(f"{LOAD_MIX[kind]:.0%} {kind}" for kind in urls)
    print(f"\n{clients} concurrent clients for {duration:g} s: {mix} "
          f"(server RSS before: {_rss_mb(pid):.0f} MB)", flush=True)  # fmt: skip
    kinds, weights = list(urls), [LOAD_MIX[kind] for kind in urls]
    deadline = time.monotonic() + duration
    results = [Samples() for _ in range(clients)]
    rss: list[float] = []
    stop = threading.Event()

    def client_loop(index: int) -> None:
        rng = random.Random(index)
        client = Client(port)
        while time.monotonic() < deadline:
            url = rng.choice(urls[rng.choices(kinds, weights)[0]])
            status, ms = client.get(url)
            results[index].add(url, ms, status)
        client.close()

    def sampler() -> None:
        while not stop.is_set():
            rss.append(_rss_mb(pid))
            stop.wait(0.1)

    watcher = threading.Thread(target=sampler)
    watcher.start()
    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    stop.set()
    watcher.join()
    merged = Samples()
    for result in results:
        merged.extend(result)
    for key, count in sorted(merged.errors.items()):
        print(f"  !! {count} x {key}")
    peak = max([*rss, _peak_rss_mb(pid)])
    print(f"  {len(merged.milliseconds):,} requests in {elapsed:.1f} s, "
          f"{sum(merged.errors.values())} errors")  # fmt: skip
    return Load(merged, len(merged.milliseconds) / elapsed, peak, statistics.median(rss or [0.0]))


def _proc_status(pid: int, key: str) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        return None
    return None


def _rss_mb(pid: int) -> float:
    value = _proc_status(pid, "VmRSS")
    if value is not None:
        return value
    psutil = _psutil()
    return psutil(pid) if psutil is not None else 0.0


def _peak_rss_mb(pid: int) -> float:
    """The process's lifetime peak RSS (VmHWM); 0 where /proc is missing (sampling then)."""
    return _proc_status(pid, "VmHWM") or 0.0


def _psutil() -> Callable[[int], float] | None:
    try:
        import psutil  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        return None

    def rss(pid: int) -> float:
        return float(psutil.Process(pid).memory_info().rss) / 2**20

    return rss


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def print_table(rows: list[Row]) -> None:
    headers = Row("measure", "p50", "p95", "target", "met")
    widths = [max(len(getattr(r, f)) for r in [headers, *rows]) for f in headers.__dict__]
    print()
    for index, row in enumerate([headers, *rows]):
        cells = [
            str(getattr(row, f)).ljust(w) for f, w in zip(headers.__dict__, widths, strict=True)
        ]
        print("| " + " | ".join(cells) + " |")
        if index == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print("(RSS row: median of the samples taken every 0.1 s under load | lifetime peak, VmHWM)")


if __name__ == "__main__":
    sys.exit(main())
