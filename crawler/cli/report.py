"""What the CLI prints after a crawl: the run's summary, read back from the database."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TextIO

from sqlalchemy.orm import Session, sessionmaker

from crawler.crawl.counters import per_source_stats
from storage.queries import get_run

EXIT_NOTHING_FETCHED = 3  # `sankofa crawl`: every source failed; cron and systemd see it


def reasons(counts: dict[str, int]) -> str:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{reason} {number}" for reason, number in ordered) or "none"


def _stage_times(stats: dict[str, Any], elapsed: float) -> str:
    """Seconds spent in each stage (worker and writer time, so they may overlap)."""
    parts = []
    for stage in ("extract", "language", "store"):
        seconds = float(stats.get(f"sankofa/{stage}_seconds", 0.0))
        parts.append(f"{stage} {seconds:.1f} s ({100 * seconds / max(elapsed, 0.001):.0f}%)")
    return "time in stages: " + ", ".join(parts) + " of the crawl's wall time"


def print_run_summary(
    sessions: sessionmaker[Session], db_url: str, stats: dict[str, Any], out: TextIO
) -> str:
    """Print the run's record and return its status ("failed" when the crawl never got
    as far as recording a run, e.g. stopped by force while starting)."""
    if "sankofa/run_id" not in stats or "finish_time" not in stats:
        out.write("The crawl stopped before it could record a run; see `sankofa runs`.\n")
        return "failed"
    with sessions() as session:
        run = get_run(session, int(stats["sankofa/run_id"]))
        assert run is not None, "the run recorder always creates the run"
        elapsed = (stats["finish_time"] - stats["start_time"]).total_seconds()
        stored = run.articles_new + run.articles_updated
        out.write(
            f"Crawl run {run.id} {run.status} in {elapsed:.1f} s: {run.pages_fetched} pages "
            f"fetched ({run.pages_fetched / max(elapsed, 0.001):.1f}/s), {stored} articles stored "
            f"({run.articles_new} new, {run.articles_updated} updated, "
            f"{run.articles_unchanged} unchanged)\n"
            f"  skipped:  {reasons(run.skipped)}\n"
            f"  failures: {reasons(run.failures)}\n"
        )
        out.write(f"  {_stage_times(stats, elapsed)}\n")
        out.write(f"  database: {db_url}\n")
        return str(run.status)


def print_unreachable(stats: dict[str, Any], names: Sequence[str], out: TextIO) -> bool:
    """Name the sources from which nothing could be fetched; True when that is all of them.
    A source skipped on purpose (locked by another crawl) fetched nothing but did not fail."""
    per_source = per_source_stats(stats)
    silent = [name for name in names if _failed(per_source.get(name))]
    if names and len(silent) == len(names):
        out.write(
            "  no page could be fetched from any source: check the network and the sources' "
            f"URLs (exit status {EXIT_NOTHING_FETCHED})\n"
        )
        return True
    if silent:
        shown = ", ".join(silent[:10]) + (
            f" and {len(silent) - 10} more" if len(silent) > 10 else ""
        )
        out.write(
            f"  nothing fetched from {len(silent)} of {len(names)} sources: {shown} "
            "(see `sankofa sources health`)\n"
        )
    return False


def _failed(entry: object) -> bool:
    """No page fetched, and a failure to show for it."""
    if not isinstance(entry, dict):
        return False
    return not entry.get("pages") and bool(entry.get("failures"))
