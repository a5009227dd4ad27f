"""Reference data the province manages: concern categories and checklist templates."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fieldapp.extensions import db


class Category(db.Model):
    __tablename__ = "categories"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_th: Mapped[str] = mapped_column(String(200), nullable=False)
    name_en: Mapped[str] = mapped_column(String(200), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class ChecklistTemplate(db.Model):
    """One version of a Clean & Tidy checklist; a new version never rewrites an old one."""

    __tablename__ = "checklist_templates"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    name_th: Mapped[str] = mapped_column(String(200), nullable=False)
    name_en: Mapped[str] = mapped_column(String(200), nullable=False)
    # [{"key", "text_th", "text_en", "max_score"}]
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    # [{"grade", "min_percent", "label_th", "label_en"}], best grade first
    grades: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    @property
    def max_total(self) -> int:
        return sum(int(item["max_score"]) for item in self.items)


class ServiceLevel(db.Model):
    """Days a concern of this category and urgency has to be resolved in (its due date when
    a supervisor accepts or assigns it without one)."""

    __tablename__ = "service_levels"

    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"), primary_key=True)
    urgency: Mapped[str] = mapped_column(String(20), primary_key=True)
    days: Mapped[int] = mapped_column(Integer, nullable=False)
