"""Accounts, their district scope and the devices they signed in on."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fieldapp.extensions import db
from fieldapp.models.base import utcnow
from fieldapp.models.geo import District


class Role(StrEnum):
    OFFICIAL = "official"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


user_districts = Table(
    "user_districts",
    db.Model.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("district_code", ForeignKey("districts.code"), primary_key=True),
)


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False, default=Role.OFFICIAL)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )

    districts: Mapped[list[District]] = relationship(secondary=user_districts)
    devices: Mapped[list[Device]] = relationship(back_populates="user")

    @property
    def district_codes(self) -> list[str]:
        # Signing a request in reads the codes alone (auth/tokens.py); loading District
        # objects costs several times more. Once `districts` is loaded, it is the truth.
        known = self.__dict__.get("_district_codes")
        if known is not None and "districts" not in self.__dict__:
            return list(known)
        return sorted(d.code for d in self.districts)

    def know_district_codes(self, codes: list[str]) -> None:
        self.__dict__["_district_codes"] = tuple(sorted(codes))

    @property
    def province_wide(self) -> bool:
        """Admins see the whole province; everyone else sees their districts."""
        return self.role == Role.ADMIN


class Device(db.Model):
    """A phone or browser signed in as a user; its bearer token is stored hashed."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(back_populates="devices")
