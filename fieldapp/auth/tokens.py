"""Device bearer tokens: random, shown once, stored only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from sqlalchemy import bindparam, select

from fieldapp.extensions import db
from fieldapp.models import Device, User
from fieldapp.models.base import utcnow
from fieldapp.models.user import user_districts

# Writing last_seen on every request would make every read a write; once a minute is enough.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_device_token(user: User, device_name: str = "") -> tuple[Device, str]:
    """Register a new device for the user and return it with its plaintext token."""
    token = secrets.token_urlsafe(32)
    device = Device(
        id=str(uuid.uuid4()), user=user, name=device_name[:200], token_hash=digest(token)
    )
    db.session.add(device)
    return device, token


# Built once: every request runs them. The device with its user in one round trip, then the
# user's district codes alone (a loader option for District objects costs ~3x the query).
_DEVICE_BY_DIGEST = (
    select(Device, User).join(Device.user).where(Device.token_hash == bindparam("digest"))
)
_DISTRICT_CODES = select(user_districts.c.district_code).where(
    user_districts.c.user_id == bindparam("user_id")
)


def device_for_token(token: str) -> Device | None:
    """The active device behind a bearer token, or None when unknown, revoked or inactive."""
    row = db.session.execute(_DEVICE_BY_DIGEST, {"digest": digest(token)}).first()
    device = row[0] if row else None
    if device is None or device.revoked_at is not None or not device.user.active:
        return None
    user = device.user
    user.know_district_codes(list(db.session.scalars(_DISTRICT_CODES, {"user_id": user.id})))
    now = utcnow()
    last = device.last_seen_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=now.tzinfo)
    if last is None or now - last > LAST_SEEN_RESOLUTION:
        device.last_seen_at = now
    return device


def revoke_device(device: Device) -> None:
    if device.revoked_at is None:
        device.revoked_at = utcnow()
