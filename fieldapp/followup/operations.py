"""Workflow bookkeeping on the server: the audit trail of concern transitions and deletions.

Transitions themselves go through the sync engine (fieldapp/syncstore/workflow.py for the
browser, the `transition` op for devices); this writes who moved which concern where.
"""

from __future__ import annotations

from fieldapp.models import record_audit
from sync import DUPLICATE, REJECTED, Actor, Mutation, Outcome, RecordChange, TimelineNote


def audit_transitions(notes: list[TimelineNote], device_id: str | None) -> None:
    """One audit entry per applied transition: who moved which concern from what to what."""
    for note in notes:
        if note.action == "correct":
            continue  # audited with what it corrected (audit_corrections)
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


def audit_deletions(answered: list[tuple[Mutation, Outcome]], actor: Actor) -> None:
    """One audit entry per record a device deleted: which record, by whom, from which phone."""
    for mutation, outcome in answered:
        if mutation.op == "delete" and outcome.status not in (REJECTED, DUPLICATE):
            record_audit(
                "record.delete",
                actor.user_id,
                mutation.entity,
                mutation.record_id,
                mutation_id=mutation.mutation_id,
                device_id=actor.device_id,
            )


def audit_corrections(changes: list[RecordChange], actor: Actor) -> None:
    """One audit entry per supervisor's correction: which fields, why. The values stay in the
    record history (they may be personal data: the audit log is browsed more widely)."""
    for change in changes:
        if change.action == "correct" and change.after.entity == "concern":
            before = change.before.values if change.before else {}
            fields = sorted(k for k, v in change.after.values.items() if before.get(k) != v)
            record_audit(
                "concern.correct",
                actor.user_id,
                "concern",
                change.after.id,
                fields=fields,
                reason=change.note,
                mutation_id=change.mutation_id,
                device_id=actor.device_id,
            )
