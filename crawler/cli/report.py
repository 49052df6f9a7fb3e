"""What the CLI prints after a crawl: the run's summary, read back from the database."""

from __future__ import annotations

from typing import Any, TextIO

from sqlalchemy.orm import Session, sessionmaker

from storage.queries import get_run


def _reasons(counts: dict[str, int]) -> str:
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
            f"  skipped:  {_reasons(run.skipped)}\n"
            f"  failures: {_reasons(run.failures)}\n"
        )
        out.write(f"  {_stage_times(stats, elapsed)}\n")
        out.write(f"  database: {db_url}\n")
        if run.pages_fetched == 0 and run.failures:
            out.write("  no page could be fetched: check the network and the sources' URLs\n")
        return str(run.status)
