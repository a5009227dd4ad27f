"""Quarantine and conflicts made visible: list them, re-apply or dismiss, resolve."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError
from sqlalchemy import Select, select

from fieldapp.auth.visibility import acting_for, may_see, record_filter, scope_of
from fieldapp.errors import ApiProblem
from fieldapp.extensions import db
from fieldapp.models import Conflict, QuarantinedMutation, User, record_audit
from fieldapp.models.base import utcnow
from fieldapp.schemas.messages import field_paths
from fieldapp.schemas.sync import MutationSchema
from fieldapp.syncstore.envelope import mutation_from_envelope
from fieldapp.syncstore.feed import touch_records
from fieldapp.syncstore.push import push_mutations
from fieldapp.syncstore.tables import jsonable
from sync import Actor


def scoped_quarantine(actor: Actor, query: dict[str, Any]) -> Select:
    """Entries of the supervisor's districts and their own (admins: all)."""
    q = select(QuarantinedMutation).order_by(QuarantinedMutation.id.desc())
    q = q.where(record_filter(actor, "quarantine", QuarantinedMutation.__table__))
    return _listed(q, QuarantinedMutation, query, ("device_id", "reason"))


def device_rejections(device_id: str, state: str, limit: int) -> list[QuarantinedMutation]:
    q = select(QuarantinedMutation).where(QuarantinedMutation.device_id == device_id)
    if state != "all":
        q = q.where(QuarantinedMutation.state == state)
    return list(db.session.scalars(q.order_by(QuarantinedMutation.id.desc()).limit(limit)))


def open_entry(entry_id: int) -> QuarantinedMutation:
    entry = db.session.get(QuarantinedMutation, entry_id)
    if entry is None:
        raise ApiProblem(404, "Not Found", "No such quarantine entry.", code="quarantine.not_found")
    if entry.state != "open":
        raise ApiProblem(
            409, "Conflict", f"This entry is already {entry.state}.", code="quarantine.closed"
        )
    return entry


def reapply(entry_id: int, fixes: dict[str, Any], admin: User) -> dict[str, Any]:
    """Run the (fixed) mutation again, as its author but with the admin's authority."""
    entry = open_entry(entry_id)
    payload = dict(entry.payload)
    if "changes" in fixes:
        payload["fields"] = fixes["changes"]
    for key in ("transition", "base_version"):
        if key in fixes:
            payload[key] = fixes[key]
    try:
        loaded = MutationSchema().load(payload)
    except ValidationError as exc:
        raise ApiProblem.invalid(
            422,
            "Unprocessable Content",
            "The fixed mutation is still malformed.",
            code="quarantine.invalid",
            messages=field_paths(exc.messages),
        ) from exc
    mutation = mutation_from_envelope(loaded, payload)
    author = db.session.get(User, entry.user_id)
    actor = acting_for(author.id if author else admin.id, entry.device_id)
    [outcome] = push_mutations([mutation], actor, reapplying=entry)
    entry.resolved_by_id = admin.id if entry.state == "reapplied" else None
    record_audit(
        "quarantine.reapply",
        admin.id,
        mutation.entity,
        mutation.record_id,
        quarantine_id=entry.id,
        mutation_id=mutation.mutation_id,
        status=outcome["status"],
        fixed=sorted(k if k != "changes" else "fields" for k in fixes),
    )
    return {"quarantine": entry, "outcome": outcome}


def dismiss(entry_id: int, note: str, admin: User) -> QuarantinedMutation:
    entry = open_entry(entry_id)
    entry.state, entry.resolved_by_id, entry.resolved_at = "dismissed", admin.id, utcnow()
    payload = entry.payload if isinstance(entry.payload, dict) else {}
    record_audit(
        "quarantine.dismiss",
        admin.id,
        payload.get("entity"),
        payload.get("record_id"),
        quarantine_id=entry.id,
        mutation_id=entry.mutation_id,
        note=note,
    )
    return entry


def scoped_conflicts(actor: Actor, query: dict[str, Any]) -> Select:
    """Conflicts of the supervisor's districts (admins: all)."""
    q = select(Conflict).order_by(Conflict.id.desc())
    q = q.where(record_filter(actor, "conflict", Conflict.__table__))
    return _listed(q, Conflict, query, ("entity", "record_id"))


def _listed(q: Select, model: Any, query: dict[str, Any], exact: tuple[str, ...]) -> Select:
    """A list's filters: `state` (`open` unless given; `all` for every state), the columns
    in `exact` when given, and `limit`."""
    state = query.get("state", "open")
    if state != "all":
        q = q.where(model.state == state)
    for name in exact:
        if query.get(name):
            q = q.where(getattr(model, name) == query[name])
    return q.limit(query.get("limit", 200))


def resolve_conflict(conflict_id: int, note: str, actor: Actor) -> Conflict:
    conflict = db.session.get(Conflict, conflict_id)
    if conflict is None or not may_see(actor, scope_of("conflict", conflict)):
        raise ApiProblem(404, "Not Found", "No such conflict.", code="conflict.not_found")
    if conflict.state != "open":
        raise ApiProblem(409, "Conflict", "Already resolved.", code="conflict.closed")
    conflict.state = "resolved"
    record_audit(
        "conflict.resolve",
        actor.user_id,
        conflict.entity,
        conflict.record_id,
        conflict_id=conflict.id,
        field=conflict.field,
        kept_value=jsonable(conflict.kept_value),
        note=note,
    )
    # The record's `conflicts` list changed: devices learn it through the feed.
    touch_records([(conflict.entity, conflict.record_id)])
    return conflict
