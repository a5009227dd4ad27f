"""Workflow operations on the server: apply a concern transition, audit it.

A transition made in the browser goes through the same engine as one pushed by a device (the
`transition` op), so both bump the concern's version, append the follow-up entry to its
timeline, write the change feed (devices see it on their next pull) and the audit log. Here a
refusal is answered at once instead of being quarantined. Never commits: the request does.
"""

from __future__ import annotations

import uuid
from typing import Any

from fieldapp.errors import ApiProblem
from fieldapp.extensions import db
from fieldapp.models import Concern, User, record_audit
from sync import Actor, Mutation, TimelineNote

REFUSAL_STATUS = {
    "forbidden": 403,
    "out_of_scope": 404,
    "not_found": 404,
    "deleted": 409,
    "stale_transition": 409,
    "invalid_transition": 409,
    "invalid_base_version": 409,
    "validation": 422,
}


def audit_transitions(notes: list[TimelineNote], device_id: str | None) -> None:
    """One audit entry per applied transition: who moved which concern from what to what."""
    for note in notes:
        record_audit(
            "concern.transition",
            note.actor_id,
            "concern",
            note.concern_id,
            transition=note.action,
            from_status=note.from_status,
            to_status=note.to_status,
            mutation_id=note.mutation_id,
            followup_id=note.entry_id,
            device_id=device_id,
        )


def _visible(actor: Actor, concern: Concern) -> bool:
    return (
        actor.in_scope(concern.district_code)
        or concern.assignee_id == actor.user_id
        or concern.created_by_id == actor.user_id
    )


def transition_concern(concern_id: str, body: dict[str, Any], user: User, device_id: str):
    """Apply `body` (a push `transition` object, plus optional base_version and mutation_id)."""
    from fieldapp.syncstore.push import Refused, actor_for, push_mutations

    actor = actor_for(user, device_id)
    concern = db.session.get(Concern, concern_id)
    if concern is None or concern.deleted or not _visible(actor, concern):
        raise ApiProblem(404, "Not Found", "No such concern.", code="concern.not_found")
    transition = {k: v for k, v in body.items() if k not in ("base_version", "mutation_id")}
    mutation_id = str(body.get("mutation_id") or uuid.uuid4())
    base_version = body.get("base_version", concern.version)
    payload = {
        "mutation_id": mutation_id,
        "entity": "concern",
        "record_id": concern_id,
        "op": "transition",
        "base_version": base_version,
        "transition": transition,
    }
    mutation = Mutation(
        mutation_id,
        "concern",
        concern_id,
        "transition",
        base_version,
        {},
        transition,
        (),
        None,
        payload,
    )
    try:
        [answer] = push_mutations([mutation], actor, interactive=True)
    except Refused as refused:
        answer = refused.answer
        raise ApiProblem(
            REFUSAL_STATUS.get(answer["reason"], 422),
            "Transition refused",
            answer.get("detail") or answer["reason"],
            code=f"concern.{answer['reason']}",
            errors=answer.get("errors") or None,
            error_codes=answer.get("error_codes"),
        ) from refused
    return answer
