"""Moments in UTC: the one place that attaches, converts and parses time zones.

Everything is stored in UTC; SQLite hands times back without a zone, devices and cameras send
them with an offset (or, for EXIF, a separate offset text)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo


def aware(value: datetime | None) -> datetime | None:
    """A stored time with its zone: a naive one was written in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def as_utc(value: datetime) -> datetime:
    """The same moment in UTC (a naive time is taken as UTC already)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value if value.tzinfo is UTC else value.astimezone(UTC)


def parse_offset(text: str) -> tzinfo:
    """'+07:00' (or '+0700', 'Z') as a fixed zone; ValueError for anything else."""
    return datetime.strptime(text.strip(), "%z").tzinfo  # type: ignore[return-value]
