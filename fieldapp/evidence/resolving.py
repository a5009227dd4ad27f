"""What a push that resolves or closes concerns leaves behind: the after-photos' checks, and
an audit entry for each close that overrode a failed check (docs/evidence.md)."""

from __future__ import annotations

from fieldapp.evidence.store import check_concerns
from fieldapp.models import record_audit
from sync import Actor, BatchResult

WATCHED = frozenset({"resolved", "closed"})


def check_evidence(result: BatchResult, actor: Actor) -> None:
    """Check the concerns this batch resolved, or whose after-photos changed once resolved."""
    resolved = {note.concern_id for note in result.timeline if note.action == "resolve"}
    for entity, record_id, ref in result.photos:
        record = result.written.get((entity, record_id))
        status = record.values.get("status") if record is not None else None
        if entity == "concern" and ref.role == "after" and status in WATCHED:
            resolved.add(record_id)
    if resolved:
        check_concerns(resolved)
    for note in result.timeline:
        if note.action != "close":
            continue
        entry = result.written.get(("followup", note.entry_id))
        data = (entry.values.get("data") if entry else None) or {}
        if data.get("overridden"):
            record_audit(
                "concern.evidence_override",
                note.actor_id,
                "concern",
                note.concern_id,
                checks=data["overridden"],
                reason=data.get("override_reason"),
                mutation_id=note.mutation_id,
                followup_id=note.entry_id,
                device_id=actor.device_id,
            )
