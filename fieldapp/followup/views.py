"""What the supervisors' workspace shows of a concern: a queue line, the whole record with its
timeline and the steps the user may take now, and the concerns near it."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select

from fieldapp.auth.visibility import (
    change_refusal,
    hears_villagers,
    may_see,
    record_filter,
    scope_of,
    supervises,
)
from fieldapp.extensions import db
from fieldapp.followup.locks import delete_lock, read_only, reported_locked
from fieldapp.followup.queue import CONCERNS, OPEN, is_overdue
from fieldapp.followup.transitions import ConcernState, WorkflowActor, allowed_actions
from fieldapp.models import Category, Concern, FollowupEntry, ServiceLevel, User, Village
from fieldapp.syncstore.history import first_value
from fieldapp.syncstore.push import viewer_for
from fieldapp.syncstore.render import load_attachments, record_json
from fieldapp.syncstore.tables import record_from_row
from sync import Actor

SUMMARY_LENGTH = 80
EARTH_RADIUS_M = 6_371_000
NEARBY_LIMIT = 50


def people(user_ids: Iterable[int | None]) -> dict[int, dict[str, Any]]:
    """{id: {id, display_name}} for the users named."""
    ids = sorted({i for i in user_ids if i is not None})
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {user_id: {"id": user_id, "display_name": name} for user_id, name in rows}


def _villages(ids: Iterable[str]) -> dict[str, Village]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {v.id: v for v in db.session.scalars(select(Village).where(Village.id.in_(wanted)))}


def village_json(village: Village | None) -> dict[str, Any] | None:
    if village is None:
        return None
    return {
        "id": village.id,
        "moo": village.moo,
        "name_th": village.name_th,
        "name_en": village.name_en,
        "subdistrict_code": village.subdistrict_code,
    }


def _categories() -> dict[str, Category]:
    return {c.code: c for c in db.session.scalars(select(Category))}


def summaries(concerns: list[Concern], today: date) -> list[dict[str, Any]]:
    """Queue lines: three lookups for the whole page, never one per concern."""
    villages = _villages(c.village_id for c in concerns)
    categories = _categories()
    assignees = people(c.assignee_id for c in concerns)
    return [_summary(c, villages, categories, assignees, today) for c in concerns]


def _summary(
    concern: Concern,
    villages: dict[str, Village],
    categories: dict[str, Category],
    assignees: dict[int, dict[str, Any]],
    today: date,
) -> dict[str, Any]:
    category = categories.get(concern.category_code)
    village = villages.get(concern.village_id)
    text = concern.description
    return {
        "id": concern.id,
        "version": concern.version,
        "status": concern.status,
        "category_code": concern.category_code,
        "category_name_th": category.name_th if category else None,
        "category_name_en": category.name_en if category else None,
        "summary": text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…",
        "urgency": concern.urgency,
        "priority": concern.priority,
        "due_date": concern.due_date,
        "overdue": is_overdue(concern.status, concern.due_date, today),
        "escalation_level": concern.escalation_level,
        "assignee": assignees.get(concern.assignee_id),
        "assignee_agency": concern.assignee_agency,
        "district_code": concern.district_code,
        "subdistrict_code": village.subdistrict_code if village else None,
        "village": village_json(village),
        "reported_at": concern.reported_at,
        "created_at": concern.created_at,
        "updated_at": concern.updated_at,
        "lat": concern.lat,
        "lon": concern.lon,
    }


def workflow_state(concern: Concern) -> ConcernState:
    return ConcernState(
        concern.id,
        concern.status,
        concern.assignee_id,
        concern.district_code,
        {},
        concern.due_date,
        concern.villager_confirmed,
    )


def concern_detail(concern: Concern, actor: Actor, today: date) -> dict[str, Any]:
    """The record as pull renders it, with names, timeline and what the user may do now."""
    scope = scope_of("concern", concern)
    row = db.session.execute(select(CONCERNS).where(CONCERNS.c.id == concern.id)).one()
    record = record_from_row("concern", row)  # its values, as the locks read them
    # Personal data as pull shows it (visibility.sees_personal_data decides).
    attachments = load_attachments(db.session, [concern.id])
    out = record_json("concern", row._mapping, viewer_for(actor), attachments)
    [line] = summaries([concern], today)
    out.update({k: line[k] for k in ("village", "assignee", "overdue", "subdistrict_code")})
    out.update(category_name_th=line["category_name_th"], category_name_en=line["category_name_en"])
    out["created_by"] = people([concern.created_by_id]).get(concern.created_by_id)
    out["service_level_days"] = db.session.scalar(
        select(ServiceLevel.days).where(
            ServiceLevel.category_code == concern.category_code,
            ServiceLevel.urgency == concern.urgency,
        )
    )
    out["timeline"] = timeline(concern.id)
    hears = hears_villagers(actor, scope)
    who = WorkflowActor(actor.user_id, supervises(actor, concern.district_code), hears)
    out["allowed_actions"] = allowed_actions(workflow_state(concern), who)
    created_by = concern.created_by_id
    # What the server would refuse is not offered (fieldapp/followup/locks.py).
    edit_lock, gone_lock = (
        read_only("concern", record.values),
        delete_lock("concern", record.values),
    )
    out["may_edit"] = change_refusal(actor, "update", scope, created_by) is None and not edit_lock
    out["may_delete"] = change_refusal(actor, "delete", scope, created_by) is None and not gone_lock
    out["edit_lock"] = edit_lock.code if edit_lock else None
    out["delete_lock"] = gone_lock.code if gone_lock else None
    out["locked_fields"] = sorted(reported_locked("concern", record.values))
    first = first_value("concern", concern.id, "description")
    out["original_description"] = first if first not in (None, concern.description) else None
    return out


def timeline(concern_id: str) -> list[dict[str, Any]]:
    """The concern's follow-up entries, oldest first, with who wrote them (and, for an
    assignment, who it went to)."""
    entries = db.session.scalars(
        select(FollowupEntry)
        .where(FollowupEntry.concern_id == concern_id, FollowupEntry.deleted.is_(False))
        .order_by(FollowupEntry.created_at, FollowupEntry.id)
    ).all()
    names = people(
        [e.created_by_id for e in entries] + [(e.data or {}).get("assignee_id") for e in entries]
    )
    out = []
    for entry in entries:
        data = dict(entry.data or {})
        if isinstance(data.get("assignee_id"), int):
            data["assignee"] = names.get(data["assignee_id"])
        out.append(
            {
                "id": entry.id,
                "kind": entry.kind,
                "body": entry.body,
                "from_status": entry.from_status,
                "to_status": entry.to_status,
                "data": data,
                "created_at": entry.created_at,
                "actor": names.get(entry.created_by_id),
            }
        )
    return out


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def nearby(
    concern: Concern,
    actor: Actor,
    radius_m: float,
    same_category: bool,
    only_open: bool,
    today: date,
) -> list[dict[str, Any]]:
    """Concerns the actor sees within `radius_m` of this one, nearest first. The database
    narrows them to a box around it; the exact distance is measured here."""
    if concern.lat is None or concern.lon is None:
        return []
    c = CONCERNS.c
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(concern.lat)), 1e-6)
    query = select(Concern).where(
        record_filter(actor, "concern", CONCERNS),
        c.deleted.is_(False),
        c.id != concern.id,
        c.lat.between(concern.lat - dlat, concern.lat + dlat),
        c.lon.between(concern.lon - dlon, concern.lon + dlon),
    )
    if same_category:
        query = query.where(c.category_code == concern.category_code)
    if only_open:
        query = query.where(c.status.in_(OPEN))
    found = []
    for other in db.session.scalars(query):
        distance = distance_m(concern.lat, concern.lon, other.lat, other.lon)
        if distance <= radius_m:
            found.append((distance, other))
    found.sort(key=lambda pair: (pair[0], pair[1].id))
    found = found[:NEARBY_LIMIT]
    lines = summaries([other for _, other in found], today)
    return [{**line, "distance_m": round(d, 1)} for (d, _), line in zip(found, lines, strict=True)]


def visible_concern(concern_id: str, actor: Actor) -> Concern | None:
    """The concern, if it exists, is live and the actor may see it."""
    concern = db.session.get(Concern, concern_id)
    if concern is None or concern.deleted or not may_see(actor, scope_of("concern", concern)):
        return None
    return concern
