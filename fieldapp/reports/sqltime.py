"""Dates and durations in SQL, the same on SQLite and PostgreSQL, in Phitsanulok's time.

SQLite keeps times as UTC text (`YYYY-MM-DD HH:MM:SS.ffffff`); PostgreSQL as timestamptz.
Both answer with Asia/Bangkok (UTC+7, no daylight saving) dates and months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, Float, cast, func

BANGKOK = ZoneInfo("Asia/Bangkok")
SQLITE_OFFSET = "+7 hours"  # Asia/Bangkok has kept UTC+7 without daylight saving since 1920


def bangkok_today() -> date:
    """Today in Phitsanulok: what decides whether a due date has passed."""
    return datetime.now(UTC).astimezone(BANGKOK).date()


def day_start(day: date) -> datetime:
    """The first instant of a Bangkok day, in UTC (how times are compared in SQL)."""
    return datetime.combine(day, time(0), BANGKOK).astimezone(UTC)


@dataclass(frozen=True)
class SqlTime:
    """Time expressions for one database dialect."""

    dialect: str

    def days_between(self, later: Any, earlier: Any) -> Any:
        """Fractional days from `earlier` to `later`."""
        if self.dialect == "sqlite":
            return func.julianday(later) - func.julianday(earlier)
        return cast(func.extract("epoch", later - earlier), Float) / 86400.0

    def local_date(self, moment: Any) -> Any:
        """The Bangkok date of a stored time (comparable with a Date column)."""
        if self.dialect == "sqlite":
            return func.date(moment, SQLITE_OFFSET)
        return cast(func.timezone("Asia/Bangkok", moment), Date)

    def local_month(self, moment: Any) -> Any:
        """`YYYY-MM` of a stored time in Bangkok."""
        if self.dialect == "sqlite":
            return func.strftime("%Y-%m", moment, SQLITE_OFFSET)
        return func.to_char(func.timezone("Asia/Bangkok", moment), "YYYY-MM")


def period_bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """[from, until) in UTC for the Bangkok days start..end (both included)."""
    return (
        day_start(start) if start else None,
        day_start(end + timedelta(days=1)) if end else None,
    )
