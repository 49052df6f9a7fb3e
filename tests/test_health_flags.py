"""`sources health` flags fire on the histories they describe, and stay quiet otherwise."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from storage.health import source_health
from storage.models import CrawlRun, utcnow
from storage.repository import sync_sources
from tests.storage_fixtures import (  # noqa: F401 (the *_fixture imports register fixtures)
    SOURCES,
    backend_fixture,
    migrated_engine_fixture,
    session_fixture,
)

HEALTHY = {"pages": 40, "new": 10, "updated": 0, "unchanged": 20, "failures": {}, "skipped": {}}
SILENT = {"pages": 40, "new": 0, "updated": 0, "unchanged": 30, "failures": {}, "skipped": {}}
DOWN = {"pages": 0, "new": 0, "failures": {"connection_refused": 3}, "skipped": {}}
BROKEN = {"pages": 40, "new": 1, "unchanged": 0, "failures": {}, "skipped": {"not_article": 30}}


def record_history(session: Session, oldest_first: list[dict[str, object]]) -> None:
    """Runs of source "alpha", one a day, the last one today."""
    sync_sources(session, SOURCES)
    now = utcnow()
    for days_ago, stats in zip(range(len(oldest_first) - 1, -1, -1), oldest_first, strict=True):
        started = now - timedelta(days=days_ago)
        session.add(
            CrawlRun(status="finished", sources=["alpha"], started_at=started,
                     finished_at=started, source_stats={"alpha": stats})
        )  # fmt: skip
    session.flush()


def flags_of(session: Session) -> list[str]:
    return next(h.flags for h in source_health(session) if h.source == "alpha")


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ([HEALTHY] * 7, []),
        ([HEALTHY] * 5 + [SILENT] * 5, ["no_yield"]),
        ([HEALTHY] * 5 + [DOWN] * 2, ["unreachable"]),
        ([HEALTHY] * 5 + [DOWN] * 5, ["no_yield", "unreachable"]),
        ([HEALTHY] * 5 + [DOWN, HEALTHY], []),  # one bad night is no outage
        ([DOWN] * 2, ["unreachable"]),
        ([HEALTHY] * 5 + [BROKEN] * 5, ["extraction_degraded"]),
        ([BROKEN] * 5, ["extraction_degraded"]),  # no good history to compare: flagged too
    ],
    ids=["healthy", "stopped-yielding", "went-down", "down-for-long", "one-bad-night",
         "never-reachable", "layout-changed", "always-odd"],
)  # fmt: skip
def test_health_flags(
    session: Session, history: list[dict[str, object]], expected: list[str]
) -> None:
    record_history(session, history)
    assert flags_of(session) == expected
