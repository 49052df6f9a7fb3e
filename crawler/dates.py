"""Date parsing shared by discovery and the CLI. PURE."""

from __future__ import annotations

from datetime import UTC, date, datetime


def parse_date(text: str | None) -> datetime | None:
    """Parse an ISO 8601 date or datetime into an aware UTC datetime; None when unparseable.

    A date without a time means midnight UTC; a naive datetime is taken as UTC.
    """
    if not text:
        return None
    cleaned = text.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(cleaned)
    except ValueError:
        return None
    return as_utc(parsed)


def as_utc(value: datetime) -> datetime:
    """Make ``value`` timezone-aware UTC (naive values are taken as UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def start_of_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
