"""Date parsing shared by discovery and the CLI. PURE."""

from __future__ import annotations

from datetime import UTC, date, datetime


def parse_date(text: str | None) -> datetime | None:
    """Parse an ISO 8601 date or datetime into an aware UTC datetime; None when unparseable.

    A date without a time means midnight UTC; a naive datetime is taken as UTC.
    """
    moment = parse_moment(text)
    return as_utc(moment) if moment else None


def parse_moment(text: str | None) -> datetime | None:
    """Parse an ISO 8601 date or datetime into an aware datetime in the zone the text gives,
    so that its date is the one written ("2020-04-12T18:00-07:00" stays on the 12th, where UTC
    is on the 13th); without a zone, UTC. None when unparseable."""
    if not text:
        return None
    cleaned = text.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(cleaned)
    except ValueError:
        return None
    return aware(parsed)


def aware(value: datetime) -> datetime:
    """``value`` in the zone it has; a naive value is taken as UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def as_utc(value: datetime) -> datetime:
    """Make ``value`` timezone-aware UTC (naive values are taken as UTC)."""
    return aware(value).astimezone(UTC)


def start_of_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
