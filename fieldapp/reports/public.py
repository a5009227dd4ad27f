"""What the public sees, anonymised: concerns with no reporter, author or assignee, their
status timeline by role, and the photos a supervisor marked publishable.

Decisions (docs/open311.md): coordinates are rounded to 3 decimals (about 100 m), because a
concern's point is often a villager's house; free text written by staff (resolution notes,
comments, timeline notes, the assigned agency) is never shown, since it may name people;
the description is shown, as FixMyStreet does, since it is what the concern is about.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, select

from fieldapp.auth.visibility import public_filter, public_photo_filter
from fieldapp.extensions import db
from fieldapp.followup.states import Status
from fieldapp.models import (
    Category,
    Concern,
    District,
    FollowupEntry,
    PhotoLink,
    Subdistrict,
    User,
    Village,
)
from fieldapp.utc import aware

COORDINATE_DECIMALS = 3
CONCERNS, LINKS = Concern.__table__, PhotoLink.__table__
V, S, D, CAT = Village.__table__, Subdistrict.__table__, District.__table__, Category.__table__
DONE = (Status.RESOLVED.value, Status.CLOSED.value)


def public_scope(entity: str, table: Any) -> ColumnElement[bool]:
    """The dashboard's scope for the public: visibility's public rule."""
    return public_filter(entity, table)


@dataclass
class PublicConcern:
    """One concern as the public sees it."""

    tracking_code: str | None
    category_code: str
    category_th: str
    category_en: str
    district_code: str
    district_th: str
    district_en: str
    subdistrict_th: str
    village_th: str
    moo: int
    description: str
    status: str
    reported_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    due_date: date | None
    lat: float | None
    lon: float | None
    villager_confirmed: bool | None
    id: str = ""
    photos: list[dict[str, str]] = field(default_factory=list)


def public_concerns() -> Select:
    """Concerns with the public columns only, newest report first."""
    c = CONCERNS.c
    return (
        select(
            c.id,
            c.tracking_code,
            c.category_code,
            CAT.c.name_th.label("category_th"),
            CAT.c.name_en.label("category_en"),
            c.district_code,
            D.c.name_th.label("district_th"),
            D.c.name_en.label("district_en"),
            S.c.name_th.label("subdistrict_th"),
            V.c.name_th.label("village_th"),
            V.c.moo,
            c.description,
            c.status,
            c.reported_at,
            c.updated_at,
            c.resolved_at,
            c.due_date,
            c.lat,
            c.lon,
            c.villager_confirmed,
        )
        .select_from(
            CONCERNS.join(V, V.c.id == c.village_id)
            .join(S, S.c.code == V.c.subdistrict_code)
            .join(D, D.c.code == c.district_code)
            .join(CAT, CAT.c.code == c.category_code)
        )
        .where(public_filter("concern", CONCERNS))
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, COORDINATE_DECIMALS)


def as_public(row: Any) -> PublicConcern:
    values = dict(row._mapping)
    for name in ("reported_at", "updated_at", "resolved_at"):
        values[name] = aware(values[name])
    values["lat"], values["lon"] = _rounded(values["lat"]), _rounded(values["lon"])
    return PublicConcern(**values)


def with_photos(concerns: list[PublicConcern]) -> list[PublicConcern]:
    """Attach the publishable photos (before and after) of these concerns, in one query."""
    ids = [c.id for c in concerns]
    if not ids:
        return concerns
    rows = db.session.execute(
        select(LINKS.c.record_id, LINKS.c.sha256, LINKS.c.role)
        .where(public_photo_filter(LINKS), LINKS.c.record_id.in_(ids))
        .order_by(LINKS.c.record_id, LINKS.c.position, LINKS.c.id)
    )
    found: dict[str, list[dict[str, str]]] = defaultdict(list)
    for record_id, sha256, role in rows:
        if all(p["sha256"] != sha256 for p in found[record_id]):
            found[record_id].append({"sha256": sha256, "role": role})
    for concern in concerns:
        concern.photos = found.get(concern.id, [])
    return concerns


def recently_resolved(limit: int = 10) -> list[PublicConcern]:
    c = CONCERNS.c
    query = (
        public_concerns()
        .where(c.status.in_(DONE), c.resolved_at.is_not(None))
        .order_by(c.resolved_at.desc(), c.id)
        .limit(limit)
    )
    return with_photos([as_public(row) for row in db.session.execute(query)])


def find_case(tracking_code: str) -> PublicConcern | None:
    row = db.session.execute(
        public_concerns().where(CONCERNS.c.tracking_code == tracking_code)
    ).first()
    return with_photos([as_public(row)])[0] if row else None


@dataclass(frozen=True)
class TimelineStep:
    """A step of a case as the public sees it: when, what, and the role (never the name)."""

    at: datetime
    action: str
    from_status: str | None
    to_status: str | None
    role: str | None


def case_timeline(concern_id: str) -> list[TimelineStep]:
    """Status changes and assignments, oldest first; comments and notes stay inside."""
    f = FollowupEntry.__table__
    users = User.__table__
    rows = db.session.execute(
        select(f.c.created_at, f.c.kind, f.c.data, f.c.from_status, f.c.to_status, users.c.role)
        .select_from(f.outerjoin(users, users.c.id == f.c.created_by_id))
        .where(
            and_(f.c.concern_id == concern_id, f.c.kind.in_(("status", "assignment"))),
            f.c.deleted.is_(False),
        )
        .order_by(f.c.created_at, f.c.id)
    )
    return [
        TimelineStep(
            aware(row.created_at),
            _step_action(row.data or {}, row.kind),
            row.from_status,
            row.to_status,
            row.role,
        )
        for row in rows
    ]


def _step_action(data: dict[str, Any], kind: str) -> str:
    """The step's name on the public page; the villager's word is named by its answer."""
    action = data.get("action") or kind
    return f"{action}.{data.get('answer')}" if action == "confirm_fix" else action
