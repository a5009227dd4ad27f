"""Accounts as admins manage them: create, change role and districts, deactivate and
re-activate, reset a password (which signs every device out), revoke a device. Every change
is audited; nothing here commits (the request or the command does)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select

from fieldapp.auth.passwords import hash_password
from fieldapp.auth.tokens import revoke_device
from fieldapp.extensions import db
from fieldapp.models import Device, District, Role, User, record_audit


class AccountError(Exception):
    """A change an admin asked for that cannot be made; `code` names why."""

    def __init__(self, code: str, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.code, self.detail, self.field = code, detail, field


@dataclass(frozen=True)
class UserQuery:
    text: str | None = None
    role: str | None = None
    active: bool | None = None


def _districts(codes: list[str]) -> list[District]:
    found = {
        d.code: d for d in db.session.scalars(select(District).where(District.code.in_(codes)))
    }
    unknown = sorted(set(codes) - set(found))
    if unknown:
        raise AccountError(
            "user.unknown_district", f"Unknown districts: {', '.join(unknown)}.", "district_codes"
        )
    return [found[code] for code in sorted(set(codes))]


def _check_scope(role: str, districts: list[District]) -> None:
    if role != Role.ADMIN and not districts:
        raise AccountError(
            "user.needs_district",
            "Officials and supervisors need at least one district.",
            "district_codes",
        )


def create_user(data: dict[str, Any], admin_id: int | None) -> User:
    if db.session.scalar(select(User.id).where(User.username == data["username"])):
        raise AccountError("user.username_taken", "That username is taken.", "username")
    districts = _districts(data.get("district_codes", []))
    _check_scope(data["role"], districts)
    user = User(
        username=data["username"],
        display_name=data["display_name"],
        role=data["role"],
        password_hash=hash_password(data["password"]),
        districts=districts,
    )
    db.session.add(user)
    db.session.flush()
    record_audit(
        "user.create", admin_id, "user", str(user.id), role=user.role, districts=user.district_codes
    )
    return user


def update_user(user: User, changes: dict[str, Any], admin_id: int) -> User:
    """Change display name, role, districts or active; a deactivated user's tokens are refused
    from the next request on (auth/tokens.py), and work again once re-activated."""
    if user.id == admin_id and (
        changes.get("active") is False or changes.get("role", Role.ADMIN) != Role.ADMIN
    ):
        raise AccountError("user.self_lockout", "You cannot deactivate or demote yourself.")
    before = {"display_name": user.display_name, "role": user.role, "active": user.active}
    before["district_codes"] = user.district_codes
    role = changes.get("role", user.role)
    districts = (
        _districts(changes["district_codes"]) if "district_codes" in changes else user.districts
    )
    _check_scope(role, districts)
    for name in ("display_name", "role", "active"):
        if name in changes:
            setattr(user, name, changes[name])
    user.districts = districts
    after = {
        "display_name": user.display_name,
        "role": user.role,
        "active": user.active,
        "district_codes": sorted(d.code for d in districts),
    }
    diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if diff:
        record_audit("user.update", admin_id, "user", str(user.id), changes=diff)
    db.session.flush()
    return user


def reset_password(user: User, password: str, admin_id: int | None) -> int:
    """A new password; every device of the user is signed out. Returns how many."""
    user.password_hash = hash_password(password)
    revoked = 0
    for device in user.devices:
        if device.revoked_at is None:
            revoke_device(device)
            revoked += 1
    record_audit("user.reset_password", admin_id, "user", str(user.id), devices_revoked=revoked)
    return revoked


def revoke(device: Device, admin_id: int | None) -> Device:
    revoke_device(device)
    record_audit("device.revoke", admin_id, "device", device.id, user_id=device.user_id)
    return device


def users_query(wanted: UserQuery) -> Select:
    """Users with how many devices they may still sync from and when one was last seen."""
    devices = (
        select(
            Device.user_id,
            func.count(Device.id).filter(Device.revoked_at.is_(None)).label("device_count"),
            func.max(Device.last_seen_at).label("last_seen_at"),
        )
        .group_by(Device.user_id)
        .subquery()
    )
    query = (
        select(User, devices.c.device_count, devices.c.last_seen_at)
        .outerjoin(devices, devices.c.user_id == User.id)
        .order_by(User.display_name, User.id)
    )
    if wanted.text:
        pattern = "%" + wanted.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern += "%"
        query = query.where(
            or_(
                User.username.ilike(pattern, escape="\\"),
                User.display_name.ilike(pattern, escape="\\"),
            )
        )
    if wanted.role:
        query = query.where(User.role == wanted.role)
    if wanted.active is not None:
        query = query.where(User.active.is_(wanted.active))
    return query


def user_line(user: User, device_count: int | None, last_seen_at: Any) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "district_codes": user.district_codes,
        "active": user.active,
        "created_at": user.created_at,
        "device_count": device_count or 0,
        "last_seen_at": last_seen_at,
    }


def user_summary(user: User) -> dict[str, Any]:
    """One user's line, devices counted."""
    [row] = db.session.execute(users_query(UserQuery()).where(User.id == user.id)).all()
    return user_line(*row)


def devices_query(user_id: int | None) -> Select:
    query = select(Device, User).join(User, User.id == Device.user_id)
    if user_id is not None:
        query = query.where(Device.user_id == user_id)
    return query.order_by(Device.last_seen_at.desc().nulls_last(), Device.created_at.desc())


def device_line(device: Device, user: User) -> dict[str, Any]:
    return {
        "id": device.id,
        "user": {"id": user.id, "display_name": user.display_name},
        "name": device.name,
        "created_at": device.created_at,
        "last_seen_at": device.last_seen_at,
        "revoked_at": device.revoked_at,
    }
