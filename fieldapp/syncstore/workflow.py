"""A concern transition made in the browser: the same engine as a device's `transition` op.

Both bump the concern's version, append the follow-up entry to its timeline, write the change
feed (devices see it on their next pull) and the audit log. Here a refusal is answered at once
instead of being quarantined. Never commits: the request does.
"""

from __future__ import annotations

import uuid
from typing import Any

from fieldapp.auth.visibility import actor_for, may_see, scope_of
from fieldapp.errors import ApiProblem
from fieldapp.extensions import db
from fieldapp.models import Concern, User
from fieldapp.syncstore.push import Refused, push_mutations
from sync import Mutation

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


def transition_concern(concern_id: str, body: dict[str, Any], user: User, device_id: str):
    """Apply `body` (a push `transition` object, plus optional base_version and mutation_id)."""
    actor = actor_for(user, device_id)
    concern = db.session.get(Concern, concern_id)
    if concern is None or concern.deleted or not may_see(actor, scope_of("concern", concern)):
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
