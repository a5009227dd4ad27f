"""What the public page shows, gathered for its template (one call per page view)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fieldapp.models.audit import stored_head
from fieldapp.reports.dashboard import concern_figures, monthly, reference_names
from fieldapp.reports.filters import ReportFilter
from fieldapp.reports.public import (
    PublicConcern,
    TimelineStep,
    case_timeline,
    find_case,
    public_scope,
    recently_resolved,
)

TREND_MONTHS = 12
BAR_HEIGHT = 80  # px of the tallest bar in the trend chart


@dataclass
class Bar:
    month: str
    concerns: int
    resolved: int
    concerns_px: int
    resolved_px: int


def trend(today: date) -> list[Bar]:
    """The last 12 months of concerns received and resolved, scaled for the inline chart."""
    index = today.year * 12 + today.month - 1 - (TREND_MONTHS - 1)
    first = date(index // 12, index % 12 + 1, 1)
    rows = monthly(public_scope, ReportFilter(start=first, end=today))
    tallest = max([max(r["concerns"], r["resolved"]) for r in rows] or [0]) or 1
    return [
        Bar(
            r["month"],
            r["concerns"],
            r["resolved"],
            round(BAR_HEIGHT * r["concerns"] / tallest),
            round(BAR_HEIGHT * r["resolved"] / tallest),
        )
        for r in rows[-TREND_MONTHS:]
    ]


def home(today: date) -> dict[str, Any]:
    figures = concern_figures(public_scope, ReportFilter(), today)
    return {
        "by_district": figures["by_district"],
        "by_category": figures["by_category"],
        "total": (figures["total"] or [None])[0],
        "names": reference_names(),
        "trend": trend(today),
        "recent": recently_resolved(),
        "audit_head": published_head(),
    }


def published_head() -> str | None:
    """The audit chain's head as `flask audit-verify --from-head` takes it (POSITION:HASH):
    anyone who keeps a copy can later have history up to it checked (docs/operations.md)."""
    position, digest = stored_head()
    return f"{position}:{digest}" if position else None


def case(code: str) -> tuple[PublicConcern | None, list[TimelineStep]]:
    concern = find_case(code)
    return concern, case_timeline(concern.id) if concern else []
