"""Crawl throughput: a full `sankofa crawl` against bare trafilatura on the same pages.

    python -m benchmarks.throughput --articles 500,1000,2000 [--repeat 1] [--profile DIR]

For each N, serves a generated blog (benchmarks.sitegen, varied: text of its own per article
and a theme's menu, sidebar and footer) of N articles on 127.0.0.1 and
crawls it in a fresh process into a fresh SQLite database (one machine, no Redis, politeness
lifted for localhost, extraction pool at its default size). Then, in this process, runs
bare ``trafilatura.extract`` over the same article pages read from disk, one process. The
machine is shared and noisy, so what counts is their ratio, measured in the same run.

Per N: crawl articles/s (stored / wall), bare pages/s, their ratio, CPU ms per article and
cores busy (user+sys of the crawl process and its descendants, sampled every 0.1 s, with
getrusage(RUSAGE_CHILDREN) as a cross-check), the process tree's peak RSS, and the marginal
wall ms per article against the previous N. Then issue 14's targets at the largest N.

--real COPIES [--workers 1,2]: instead, crawl a site of real pages (Zyte's 181 article pages,
each served COPIES times under its own address) once per extraction pool size, beside bare
trafilatura over the same pages (benchmarks.real_pages): where extraction, not the crawl
process, takes the time.

--profile DIR: one more crawl at the largest N, under cProfile in the crawl process's reactor
thread (DIR/crawl.prof), its writer thread (DIR/writer-<pid>.prof) and each extraction worker
(DIR/worker-<pid>.prof), through $SANKOFA_PROFILE_DIR (crawler.crawl.profiling); prints each
file's top 10 functions by cumulative and by own time.

CPU and memory are sampled with psutil when it is installed, else from /proc (Linux). Beside
the peak RSS (the issue's measure, which counts the libraries every process maps once per
process) the details give the peak PSS, each shared page split among its processes: the
memory the tree really takes.
"""

from __future__ import annotations

import argparse
import importlib
import itertools
import os
import pstats
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import trafilatura

from benchmarks.sitegen import generate_site
from crawler.devsite.server import serve
from crawler.extract.discard import trafilatura_as_shipped
from crawler.lang.models import load_model
from tests.crawling import REPO, write_sources

LOCAL = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
         "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]  # fmt: skip
SAMPLE_EVERY = 0.1  # seconds
WARM_UP = 5  # pages extracted before bare trafilatura is timed
TIMEOUT = 3600.0  # seconds one crawl may take


@dataclass(frozen=True)
class Crawl:
    articles: int  # rows in the articles table afterwards
    wall: float  # start of the crawl process to its exit
    cpu: float  # user+sys seconds of the process tree (last sample of each pid)
    rusage_cpu: float  # the same from getrusage(RUSAGE_CHILDREN): reaped descendants only
    peak_rss: int  # bytes: the largest sum of RSS over the tree at one sample
    stages: str  # the crawl summary's "time in stages: ..." line
    cpu_main: float = 0.0  # of which the crawl process itself (reactor and writer threads)
    # bytes: the largest sum of PSS at one sample. RSS counts the pages the processes share
    # (the libraries every worker maps) once per process; PSS splits each shared page among
    # the processes that map it, so the sum is the memory the tree really takes.
    peak_pss: int = 0

    @property
    def rate(self) -> float:
        return self.articles / self.wall if self.wall else 0.0


@dataclass(frozen=True)
class Bare:
    pages: int
    wall: float
    cpu: float  # time.process_time seconds

    @property
    def rate(self) -> float:
        return self.pages / self.wall if self.wall else 0.0


_Run = TypeVar("_Run", Crawl, Bare)


@dataclass(frozen=True)
class Row:
    n: int
    crawl: Crawl
    bare: Bare

    @property
    def ratio(self) -> float:
        return self.crawl.rate / self.bare.rate if self.bare.rate else 0.0

    @property
    def cpu_ms(self) -> float:
        return self.crawl.cpu / max(self.crawl.articles, 1) * 1000

    @property
    def cores(self) -> float:
        return self.crawl.cpu / self.crawl.wall if self.crawl.wall else 0.0


# --- the crawl process tree ------------------------------------------------------------------


def _tree_usage(root: int) -> dict[int, tuple[float, int]]:
    """pid -> (user+sys CPU seconds, RSS bytes) of ``root`` and every descendant alive now."""
    try:
        psutil: Any = importlib.import_module("psutil")
    except ImportError:
        return _proc_tree_usage(root)
    usage: dict[int, tuple[float, int]] = {}
    try:
        parent = psutil.Process(root)
        processes = [parent, *parent.children(recursive=True)]
    except psutil.Error:
        return usage
    for process in processes:
        try:
            times, rss = process.cpu_times(), process.memory_info().rss
        except psutil.Error:
            continue  # exited between listing and reading
        usage[process.pid] = (times.user + times.system, rss)
    return usage


def _proc_tree_usage(root: int) -> dict[int, tuple[float, int]]:
    """What _tree_usage reads, from /proc/<pid>/stat, without psutil."""
    tick, page = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")
    parents: dict[int, int] = {}
    usage: dict[int, tuple[float, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:  # fields after "(comm)": state ppid ... utime(12) stime(13) ... rss(22)
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        usage[pid] = ((int(fields[11]) + int(fields[12])) / tick, int(fields[21]) * page)
    tree, frontier = {root}, [root]
    while frontier:
        current = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == current and pid not in tree]
        tree.update(children)
        frontier += children
    return {pid: usage[pid] for pid in tree if pid in usage}


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _pss(pid: int) -> int:
    """Proportional set size of ``pid`` in bytes (Linux's smaps_rollup; 0 where missing)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _watch(process: subprocess.Popen[bytes]) -> tuple[float, float, int, int]:
    """Sample the tree until the process exits: (CPU seconds, of which the root's, peak RSS
    bytes, peak PSS bytes)."""
    last: dict[int, float] = {}
    peak = peak_pss = 0
    deadline = time.monotonic() + TIMEOUT
    while process.poll() is None:
        usage = _tree_usage(process.pid)
        last.update({pid: cpu for pid, (cpu, _) in usage.items()})
        peak = max(peak, sum(rss for _, rss in usage.values()))
        peak_pss = max(peak_pss, sum(map(_pss, usage)))
        if time.monotonic() > deadline:
            process.kill()
        time.sleep(SAMPLE_EVERY)
    return sum(last.values()), last.get(process.pid, 0.0), peak, peak_pss


# --- one crawl -------------------------------------------------------------------------------


def crawl_command(
    sources: Path, db: Path, profile: Path | None = None, settings: tuple[str, ...] = ()
) -> list[str]:
    """`sankofa crawl` of the local site; under cProfile into ``profile``/crawl.prof if given."""
    python = [sys.executable]
    if profile is not None:
        python += ["-m", "cProfile", "-o", str(profile / "crawl.prof")]
    return [*python, "-m", "crawler.cli", "crawl", "--sources", str(sources),
            "--db", f"sqlite:///{db}", *LOCAL, *settings]  # fmt: skip


def run_crawl(
    sources: Path, folder: Path, profile: Path | None = None, settings: tuple[str, ...] = ()
) -> Crawl:
    db, log = folder / "crawl.db", folder / "crawl.log"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    env = dict(os.environ)
    if profile is not None:
        env["SANKOFA_PROFILE_DIR"] = str(profile)
    rusage_before = _children_cpu()
    started = time.monotonic()
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            crawl_command(sources, db, profile, settings), cwd=REPO, env=env,
            stdout=subprocess.DEVNULL, stderr=stderr,
        )  # fmt: skip
        cpu, cpu_main, peak, peak_pss = _watch(process)
    wall = time.monotonic() - started
    if process.returncode != 0:
        sys.exit(f"the crawl failed ({process.returncode}):\n{log.read_text()[-4000:]}")
    rusage_cpu, stages = _children_cpu() - rusage_before, _stages_line(log.read_text())
    return Crawl(_stored(db), wall, cpu, rusage_cpu, peak, stages, cpu_main, peak_pss)


def _stages_line(stderr: str) -> str:
    lines = (line.strip() for line in stderr.splitlines() if "time in stages:" in line)
    return next(lines, "(no stage times)")


def _stored(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        (count,) = connection.execute("SELECT count(*) FROM articles").fetchone()
    return int(count)


# --- bare trafilatura ------------------------------------------------------------------------


def load_pages(root: Path, paths: list[str], base_url: str) -> list[tuple[str, str]]:
    """(url, html) of each article as the server sends it ({{BASE}} filled in)."""
    return [(base_url + path, _page(root, path, base_url)) for path in paths]


def _page(root: Path, path: str, base_url: str) -> str:
    text = (root / path.strip("/") / "index.html").read_text(encoding="utf-8")
    return text.replace("{{BASE}}", base_url)


def _extract(url: str, html: str) -> None:
    with trafilatura_as_shipped():  # its own speed, whatever this process has imported
        trafilatura.extract(html, url=url, include_comments=False, with_metadata=True)


def run_bare(pages: list[tuple[str, str]]) -> Bare:
    for url, html in pages[:WARM_UP]:
        _extract(url, html)
    cpu, started = time.process_time(), time.perf_counter()
    for url, html in pages:
        _extract(url, html)
    return Bare(len(pages), time.perf_counter() - started, time.process_time() - cpu)


# --- one N -----------------------------------------------------------------------------------


def measure(n: int, repeat: int, profile: Path | None) -> Row:
    """Crawl and bare trafilatura ``repeat`` times each on an N-article site; the median
    crawl and bare runs (by rate)."""
    with tempfile.TemporaryDirectory(prefix="sankofa-throughput-") as name:
        folder = Path(name)
        paths = generate_site(folder / "site", n, varied=True)
        with serve(folder / "site") as site:
            sources = write_sources(folder, site.base_url)
            crawls = [run_crawl(sources, folder) for _ in range(repeat)]
            pages = load_pages(folder / "site", paths, site.base_url)
            bares = [run_bare(pages) for _ in range(repeat)]
            if profile is not None:
                _profile_run(sources, folder, profile)
    crawl, bare = _median(crawls), _median(bares)
    if crawl.articles != n:
        print(f"WARNING: N={n}: the crawl stored {crawl.articles} articles, not {n}")
    return Row(n, crawl, bare)


def _median(runs: list[_Run]) -> _Run:
    rates = sorted(runs, key=lambda run: run.rate)
    return rates[(len(rates) - 1) // 2]


# --- report ----------------------------------------------------------------------------------

_HEADER = (
    f"{'N':>5} | {'crawl art/s':>11} | {'bare pages/s':>12} | {'ratio':>5} | {'CPU ms/art':>10}"
    f" | {'cores busy':>10} | {'peak RSS MB':>11} | {'marginal ms/art':>15}"
)


def _wall(row: Row) -> float:
    return row.crawl.wall


def print_table(rows: list[Row]) -> None:
    print(_HEADER)
    marginals = ["-", *(f"{slope:.2f}" for slope in _marginals(rows))]
    for row, marginal in zip(rows, marginals, strict=True):
        print(
            f"{row.n:>5} | {row.crawl.rate:>11.1f} | {row.bare.rate:>12.1f} | {row.ratio:>5.2f}"
            f" | {row.cpu_ms:>10.1f} | {row.cores:>10.2f} | {row.crawl.peak_rss / 2**20:>11.0f}"
            f" | {marginal:>15}"
        )


def print_details(rows: list[Row]) -> None:
    print("\nper N: crawl wall s, stored, CPU s (sampled / getrusage), marginal CPU ms/article;")
    print("       bare trafilatura s and CPU ms/page; the crawl's own stage times")
    cpu_marginals = ["-", *(f"{ms:.1f}" for ms in _marginals(rows, lambda row: row.crawl.cpu))]
    for row, cpu_marginal in zip(rows, cpu_marginals, strict=True):
        c, b = row.crawl, row.bare
        print(
            f"{row.n:>5}: {c.wall:6.1f} s {c.articles:>5} stored  CPU {c.cpu:6.1f} / "
            f"{c.rusage_cpu:6.1f} s (crawl process {c.cpu_main:5.1f} s)  marginal {cpu_marginal:>5}"
            f"  |  bare {b.wall:5.1f} s"
            f" {b.cpu / b.pages * 1000:5.2f} ms/page\n       {c.stages}"
            f"\n       peak memory of the tree: RSS {c.peak_rss / 2**20:.0f} MB,"
            f" PSS {c.peak_pss / 2**20:.0f} MB (shared pages counted once)"
        )


def _marginals(rows: list[Row], value: Callable[[Row], float] = _wall) -> list[float]:
    """ms per extra article between successive N, of ``value`` (seconds; wall by default)."""
    return [(value(b) - value(a)) / (b.n - a.n) * 1000 for a, b in itertools.pairwise(rows)]


def print_targets(rows: list[Row]) -> None:
    last, marginals = rows[-1], _marginals(rows)
    rss_mb = last.crawl.peak_rss / 2**20
    stretch = " (stretch met)" if last.ratio >= 1.6 else ""
    targets = (
        ("ratio >= 1.0 (stretch 1.6)", f"{last.ratio:.2f}", _met(last.ratio >= 1.0) + stretch),
        ("CPU per article <= 13 ms", f"{last.cpu_ms:.1f} ms", _met(last.cpu_ms <= 13)),
        ("peak RSS (tree) <= 400 MB", f"{rss_mb:.0f} MB", _met(rss_mb <= 400)),
        ("marginal ms/article flat (max <= 1.25 x min)", _flat_text(marginals), _flat(marginals)),
    )
    print(f"\nissue 14 targets at N={last.n}:")
    for name, value, verdict in targets:
        print(f"  {name:<46} {value:>24}  {verdict}")


def _met(met: bool) -> str:
    return "met" if met else "NOT met"


def _flat(marginals: list[float]) -> str:
    if len(marginals) < 2 or min(marginals) <= 0:
        return "n/a (needs 3 N)" if len(marginals) < 2 else "n/a (noise)"
    return _met(max(marginals) <= 1.25 * min(marginals))


def _flat_text(marginals: list[float]) -> str:
    return " -> ".join(f"{m:.2f}" for m in marginals) + " ms" if marginals else "-"


def print_machine() -> None:
    print(f"machine: {os.cpu_count()} CPUs, 1-minute load average {os.getloadavg()[0]:.2f}")


# --- profile ---------------------------------------------------------------------------------


def _profile_run(sources: Path, folder: Path, profile: Path) -> None:
    profile.mkdir(parents=True, exist_ok=True)
    for old in profile.glob("*.prof"):
        old.unlink()
    crawl = run_crawl(sources, folder, profile)
    print(f"profiled crawl: {crawl.articles} articles in {crawl.wall:.1f} s (under cProfile)")


def print_profiles(profile: Path) -> None:
    files = sorted(profile.glob("*.prof"))
    if not files:
        print(f"no .prof file in {profile}")
    for path in files:
        print(f"\n=== {path} ===")
        stats = pstats.Stats(str(path))
        stats.sort_stats("cumulative").print_stats(10)
        stats.sort_stats("tottime").print_stats(10)


# --- main ------------------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("a comma-separated list of positive article counts")
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=_sizes, default=[500, 1000, 2000], metavar="N,N,...")
    parser.add_argument("--repeat", type=int, default=1, help="runs per N; the median is shown")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="profile the largest N")
    parser.add_argument("--real", type=int, metavar="COPIES",
                        help="crawl Zyte's real pages, served COPIES times, instead")  # fmt: skip
    parser.add_argument("--workers", type=_sizes, default=[1, 2], metavar="W,W,...",
                        help="with --real: extraction workers to compare")  # fmt: skip
    args = parser.parse_args()
    print_machine()
    load_model()  # the language model's cache is written once per machine, not per N
    if args.real:
        from benchmarks.real_pages import compare_workers  # it builds on this module

        compare_workers(args.real, args.workers)
        return
    rows = []
    for n in args.articles:
        profile = args.profile if n == args.articles[-1] else None
        rows.append(measure(n, max(args.repeat, 1), profile))
        print(f"N={n} done", file=sys.stderr)
    print_table(rows)
    print_details(rows)
    print_targets(rows)
    print_machine()
    if args.profile is not None:
        print_profiles(args.profile)


if __name__ == "__main__":
    main()
