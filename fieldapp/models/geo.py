"""The Phitsanulok gazetteer: districts, subdistricts and the villages the province manages."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.extensions import db
from fieldapp.models.base import SyncedRecord


class District(db.Model):
    __tablename__ = "districts"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    province_code: Mapped[str] = mapped_column(String(2), nullable=False)
    name_th: Mapped[str] = mapped_column(String(120), nullable=False)
    name_en: Mapped[str] = mapped_column(String(120), nullable=False)

    subdistricts: Mapped[list[Subdistrict]] = relationship(back_populates="district")


class Subdistrict(db.Model):
    __tablename__ = "subdistricts"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    district_code: Mapped[str] = mapped_column(
        ForeignKey("districts.code"), nullable=False, index=True
    )
    name_th: Mapped[str] = mapped_column(String(120), nullable=False)
    name_en: Mapped[str] = mapped_column(String(120), nullable=False)

    district: Mapped[District] = relationship(back_populates="subdistricts")


class Village(SyncedRecord, db.Model):
    """A หมู่บ้าน: numbered (หมู่ที่) within its subdistrict."""

    __tablename__ = "villages"
    __table_args__ = (UniqueConstraint("subdistrict_code", "moo"),)

    subdistrict_code: Mapped[str] = mapped_column(
        ForeignKey("subdistricts.code"), nullable=False, index=True
    )
    # Denormalised from the subdistrict so district scoping is one indexed filter.
    district_code: Mapped[str] = mapped_column(
        ForeignKey("districts.code"), nullable=False, index=True
    )
    moo: Mapped[int] = mapped_column(Integer, nullable=False)
    name_th: Mapped[str] = mapped_column(String(200), nullable=False)
    name_en: Mapped[str | None] = mapped_column(String(200))

    subdistrict: Mapped[Subdistrict] = relationship()
