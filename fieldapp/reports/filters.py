"""What a report is asked for: a period of Bangkok days, a district, a category, a status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, true

from fieldapp.reports.sqltime import period_bounds


@dataclass(frozen=True)
class ReportFilter:
    start: date | None = None
    end: date | None = None
    district: str | None = None
    category: str | None = None
    status: str | None = None

    @classmethod
    def from_args(cls, args: dict[str, Any]) -> ReportFilter:
        return cls(
            start=args.get("start"),
            end=args.get("end"),
            district=args.get("district"),
            category=args.get("category"),
            status=args.get("status"),
        )

    def where(self, table: Any, moment: Any) -> ColumnElement[bool]:
        """Rows of `table` matching the filter; `moment` is the column the period reads."""
        since, until = period_bounds(self.start, self.end)
        clauses: list[ColumnElement[bool]] = [table.c.deleted.is_(False)]
        if since is not None:
            clauses.append(moment >= since)
        if until is not None:
            clauses.append(moment < until)
        if self.district:
            clauses.append(table.c.district_code == self.district)
        if self.category and "category_code" in table.c:
            clauses.append(table.c.category_code == self.category)
        if self.status and "status" in table.c:
            clauses.append(table.c.status == self.status)
        return and_(true(), *clauses)
