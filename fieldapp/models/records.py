"""What officials record in the field: visits, Clean & Tidy inspections and concerns."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from fieldapp.extensions import db
from fieldapp.followup.states import Status
from fieldapp.models.base import UUID_LEN, SyncedRecord


class InVillage:
    """Recorded in a village, scoped by its district, with an optional GPS fix and accuracy."""

    @declared_attr
    def village_id(cls) -> Mapped[str]:
        return mapped_column(ForeignKey("villages.id"), nullable=False, index=True)

    # Denormalised from the village so district scoping is one indexed filter.
    @declared_attr
    def district_code(cls) -> Mapped[str]:
        return mapped_column(ForeignKey("districts.code"), nullable=False, index=True)

    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    gps_accuracy_m: Mapped[float | None] = mapped_column(Float)


class Visit(SyncedRecord, InVillage, db.Model):
    """ลงพื้นที่พบปะประชาชน: an official meets villagers."""

    __tablename__ = "visits"
    # The review list: a district's visits, newest first.
    __table_args__ = (Index("ix_visits_district_visited", "district_code", "visited_at"),)

    visited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    companions: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    villagers_met: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="", nullable=False)


class ReviewStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REINSPECTION_REQUESTED = "reinspection_requested"


class Inspection(SyncedRecord, InVillage, db.Model):
    """A scored PHITSANULOK CLEAN & TIDY checklist of one place."""

    __tablename__ = "inspections"
    # The review list (a district's inspections, newest first, by review status) and a
    # village's Clean & Tidy history.
    __table_args__ = (
        Index("ix_inspections_district_inspected", "district_code", "inspected_at"),
        Index("ix_inspections_district_review", "district_code", "review_status"),
    )

    place_type: Mapped[str] = mapped_column(String(20), nullable=False)
    place_name: Mapped[str] = mapped_column(String(200), nullable=False)
    inspected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_templates.id"), nullable=False)
    # item key -> {"score": int, "note": str}
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    total: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    max_total: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    grade: Mapped[str | None] = mapped_column(String(20))
    followup_needed: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    reinspection_of_id: Mapped[str | None] = mapped_column(ForeignKey("inspections.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A supervisor's review: pending, approved or reinspection_requested (with why).
    review_status: Mapped[str] = mapped_column(
        String(30), default=ReviewStatus.PENDING, server_default="pending", nullable=False
    )
    review_note: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, default="", nullable=False)


# What the queue's counts filter on (the counts indexes hold it after their leading column).
COUNTED = ("status", "deleted", "due_date", "category_code", "urgency", "priority", "assignee_id")


class Concern(SyncedRecord, InVillage, db.Model):
    """ปัญหาความเดือดร้อนของประชาชน: a problem a villager raised, followed up to its end."""

    __tablename__ = "concerns"
    # The supervisors' queue (fieldapp/followup/queue.py, bench/queue_bench.py): counts per
    # status from one narrow index led by the district; pages walked in their order from an
    # index per order (each also led by the district, for a supervisor); free text from a
    # trigram index (PostgreSQL: below; SQLite: the FTS5 table `concerns_text`, kept by the
    # triggers of migration 82480a9a3890).
    __table_args__ = (
        *(
            Index(f"ix_concerns{name}_counts", *leading, *(c for c in COUNTED if c not in leading))
            for name, leading in (
                ("", ()),
                ("_district", ("district_code",)),
                ("_author", ("created_by_id",)),
                ("_assignee", ("assignee_id",)),
            )
        ),
        *(
            Index(f"ix_concerns{name}_{order}", *leading, *columns, "deleted", "status", *extra)
            for name, leading in (("", ()), ("_district", ("district_code",)))
            for order, columns, extra in (
                ("order", ("reported_at", "id"), ("due_date",)),
                ("due", (text("(due_date IS NULL)"), "due_date", "reported_at", "id"), ()),
            )
        ),
        Index(
            "ix_concerns_description_trgm",
            "description",
            postgresql_using="gin",
            postgresql_ops={"description": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visits.id"))
    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    urgency: Mapped[str] = mapped_column(String(20), default="normal", nullable=False)
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # Personal data: only stored with consent, never public, exported only to allowed roles.
    reporter_consent: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    reporter_name: Mapped[str | None] = mapped_column(String(200))
    reporter_phone: Mapped[str | None] = mapped_column(String(40))
    # Workflow fields: supervisors own them; devices change them only through transitions.
    status: Mapped[str] = mapped_column(String(20), default=Status.NEW, nullable=False)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    assignee_agency: Mapped[str | None] = mapped_column(String(200))
    due_date: Mapped[date | None] = mapped_column(Date)
    priority: Mapped[int | None] = mapped_column(Integer)
    resolution_note: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    duplicate_of_id: Mapped[str | None] = mapped_column(String(UUID_LEN))
    villager_confirmed: Mapped[bool | None] = mapped_column(Boolean)
    # Raised by `flask escalate-overdue` while the concern stays open past its due date.
    escalation_level: Mapped[int] = mapped_column(
        Integer, default=0, server_default="0", nullable=False
    )
    # The code the villager follows the case by (fieldapp/followup/tracking.py); set by the
    # server when the concern first arrives, never sent by a device.
    tracking_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    # The survey whose marked answer raised it (fieldapp/syncstore/surveyconcerns.py).
    survey_id: Mapped[str | None] = mapped_column(String(UUID_LEN))
