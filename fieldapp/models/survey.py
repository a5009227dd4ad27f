"""Surveys the province defines itself: forms read from XLSForm, their versions, and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.extensions import db
from fieldapp.models.base import SyncedRecord, utcnow
from fieldapp.models.records import InVillage


class Form(db.Model):
    """A survey form (XLSForm `form_id`): who it is given to, public, retired."""

    __tablename__ = "forms"

    form_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    title_th: Mapped[str] = mapped_column(String(300), nullable=False)
    title_en: Mapped[str] = mapped_column(String(300), nullable=False)
    # Given to these roles and districts; an empty list gives it to all (docs/surveys.md).
    roles: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    district_codes: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    public: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    retired: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )


class FormVersion(db.Model):
    """One version of a form, as the phone renders it; never rewritten by a later one."""

    __tablename__ = "form_versions"
    __table_args__ = (UniqueConstraint("form_key", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_key: Mapped[str] = mapped_column(ForeignKey("forms.form_key"), nullable=False)
    version: Mapped[str] = mapped_column(String(64), nullable=False)
    title_th: Mapped[str] = mapped_column(String(300), nullable=False)
    title_en: Mapped[str] = mapped_column(String(300), nullable=False)
    # The normalised definition (docs/surveys.md, "Form definition").
    definition: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Survey(SyncedRecord, InVillage, db.Model):
    """One filled form: answers by question name, kept with the form version filled."""

    __tablename__ = "surveys"
    __table_args__ = (Index("ix_surveys_form_filled", "form_key", "filled_at"),)

    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visits.id"))
    form_id: Mapped[int] = mapped_column(ForeignKey("form_versions.id"), nullable=False)
    # Denormalised from the version so results per form are one indexed filter.
    form_key: Mapped[str] = mapped_column(String(64), nullable=False)
    form_version: Mapped[str] = mapped_column(String(64), nullable=False)
    # question name -> value; merged item by item (fieldapp/syncstore/policy.py ITEM_MAPS)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    filled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    notes: Mapped[str] = mapped_column(Text, default="", nullable=False)
    # the concerns its marked answers raised (fieldapp/syncstore/surveyconcerns.py)
    concern_ids: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
