"""What the public page shows, gathered for its template (one call per page view)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.models.audit import stored_head
from fieldapp.models.survey import Form, Survey
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
        "surveys": public_surveys(),
    }


@dataclass
class SurveyFigures:
    form_key: str
    title_th: str
    title_en: str
    # (district code, surveys filled, the last one's time), by district
    districts: list[tuple[str, int, Any]]

    @property
    def total(self) -> int:
        return sum(count for _, count, _ in self.districts)


def public_surveys() -> list[SurveyFigures]:
    """Forms an admin made public: surveys filled per district (a SQL count; answers, places
    and who filled them stay out, as in the open data)."""
    rows = db.session.execute(
        select(
            Form.form_key,
            Form.title_th,
            Form.title_en,
            Survey.district_code,
            func.count(),
            func.max(Survey.filled_at),
        )
        .join(Survey, Survey.form_key == Form.form_key)
        .where(Form.public.is_(True), Survey.deleted.is_(False))
        .group_by(Form.form_key, Form.title_th, Form.title_en, Survey.district_code)
        .order_by(Form.form_key, Survey.district_code)
    ).all()
    forms: dict[str, SurveyFigures] = {}
    for key, title_th, title_en, district, count, last in rows:
        figures = forms.setdefault(key, SurveyFigures(key, title_th, title_en, []))
        figures.districts.append((district, count, last))
    return list(forms.values())


def published_head() -> str | None:
    """The audit chain's head as `flask audit-verify --from-head` takes it (POSITION:HASH):
    anyone who keeps a copy can later have history up to it checked (docs/operations.md)."""
    position, digest = stored_head()
    return f"{position}:{digest}" if position else None


def case(code: str) -> tuple[PublicConcern | None, list[TimelineStep]]:
    concern = find_case(code)
    return concern, case_timeline(concern.id) if concern else []
