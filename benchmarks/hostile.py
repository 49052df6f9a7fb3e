"""Hostile-site benchmark: time and peak memory of crawls over the hostile test site.

    python -m benchmarks.hostile [--per-case]

Serves tests/hostile_site.py on 127.0.0.1 and crawls it with `sankofa crawl` (the same
settings as tests/test_hostile.py), sampling the resident memory of the whole process tree
(the crawl and its extraction workers) every 50 ms. Prints one row for the crawl over every
case together, and with --per-case one row per case crawled alone (beside one normal
article): the reason the summary gave, seconds, and peak RSS. The target: under 1 GB for
the whole tree, with no traceback.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from tests.crawling import REPO
from tests.hostile_site import CASES, Case, HostileSite, serve_hostile, sources_entry
from tests.test_hostile import HOSTILE_SETTINGS

MEMORY_TARGET_MB = 1024


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mb: float
    summary: str
    traceback: bool
    exit_status: int


def tree_rss_kb(root: int) -> int:
    """Resident memory of `root` and all its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            _read_status(entry, children, rss)
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, ()))
    return total


def _read_status(entry: Path, children: dict[int, list[int]], rss: dict[int, int]) -> None:
    try:
        fields = dict(
            line.split(":", 1)
            for line in (entry / "status").read_text().splitlines()
            if ":" in line
        )
    except OSError:
        return  # the process ended while we looked
    pid = int(entry.name)
    children.setdefault(int(fields["PPid"]), []).append(pid)
    rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])


def crawl_measured(site: HostileSite, folder: Path) -> Measured:
    sources = folder / "sources.toml"
    sources.write_text(sources_entry(site), encoding="utf-8")
    command = [sys.executable, "-m", "crawler.cli", "crawl", "--sources", str(sources),
               "--db", f"sqlite:///{folder / 'hostile.db'}", *HOSTILE_SETTINGS]  # fmt: skip
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=REPO, stderr=subprocess.PIPE, text=True)
    peak = 0
    stderr: list[str] = []
    reader = threading.Thread(target=lambda: stderr.append(process.stderr.read()))  # type: ignore[union-attr]
    reader.start()
    while process.poll() is None:
        peak = max(peak, tree_rss_kb(process.pid))
        time.sleep(0.05)
    reader.join()
    seconds = time.monotonic() - started
    text = "".join(stderr)
    summary = text[text.find("Crawl run") :] if "Crawl run" in text else text[-500:]
    return Measured(seconds, peak / 1024, summary, "Traceback" in text, process.returncode)


def reported_reason(case: Case, summary: str) -> str:
    if case.kind == "stored":  # the normal article and this one
        return "stored" if "2 articles stored" in summary else "NOT STORED"
    for line in summary.splitlines():
        if line.strip().startswith(case.kind) and f" {case.reason} " in line + " ":
            return case.reason
    return "MISSING"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-case", action="store_true", help="also crawl each case alone")
    args = parser.parse_args()
    rows: list[tuple[str, str, Measured]] = []
    with serve_hostile() as site, tempfile.TemporaryDirectory() as scratch:
        for number, case in enumerate([None, *(CASES if args.per_case else ())]):
            site.only = case
            folder = Path(scratch, f"crawl{number}")
            folder.mkdir()
            measured = crawl_measured(site, folder)
            if case is None:
                rows.append((f"all {len(CASES)} cases together", "-", measured))
                continue
            rows.append((case.what, reported_reason(case, measured.summary), measured))
    print(f"{'case':<46} {'reason reported':<17} {'seconds':>7} {'peak RSS MB':>11}  traceback")
    for what, reason, measured in rows:
        print(f"{what:<46} {reason:<17} {measured.seconds:>7.1f} {measured.peak_mb:>11.0f}  "
              f"{'YES' if measured.traceback else 'no'}")  # fmt: skip
    worst = max(measured.peak_mb for _, _, measured in rows)
    print(f"\npeak memory of the process tree, worst crawl: {worst:.0f} MB "
          f"(target < {MEMORY_TARGET_MB} MB) on {os.cpu_count()} CPUs")  # fmt: skip
    print("\nsummary of the crawl over every case:\n" + rows[0][2].summary)
    return 0 if worst < MEMORY_TARGET_MB and not any(m.traceback for _, _, m in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
