"""What may change when (docs/sync-protocol.md, Locks). Pure: a record's values in, the
refusal out.

- Once a concern is accepted (status past `new`), what the citizen reported
  (`REPORTED_FIELDS`) changes only by a supervisor's `correct` step with a reason.
- A closed, rejected or duplicate concern is read-only until reopened: any update is refused.
- A concern past `new` is never deleted (reject it or mark it a duplicate instead).
- An approved inspection is never deleted.

Each refusal is a sync rejection with reason `locked` and one coded problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fieldapp.followup.states import READ_ONLY_STATUSES, REPORTED_FIELDS, Status

LOCKED = "locked"
APPROVED = "approved"  # an inspection's review_status (models/records.py: ReviewStatus)


@dataclass(frozen=True)
class Lock:
    """One refusal: the problem's field, code and English message."""

    field: str
    code: str
    message: str


def read_only(entity: str, values: Mapping[str, Any]) -> Lock | None:
    """Any update of the record is refused."""
    status = values.get("status")
    if entity == "concern" and status in READ_ONLY_STATUSES:
        message = f"A {status} concern is read-only until a supervisor reopens it."
        return Lock("op", "record_read_only", message)
    return None


def reported_locked(entity: str, values: Mapping[str, Any]) -> frozenset[str]:
    """The fields a plain update may no longer change (a supervisor corrects them)."""
    if entity == "concern" and values.get("status", Status.NEW) != Status.NEW:
        return frozenset(REPORTED_FIELDS)
    return frozenset()


def reported_locks(entity: str, values: Mapping[str, Any], changed: Iterable[str]) -> list[Lock]:
    """One lock per reported field an update would change on an accepted concern."""
    locked = reported_locked(entity, values)
    message = "What the citizen reported changes only by a supervisor's correction."
    return [Lock(name, "reported_fields_locked", message) for name in changed if name in locked]


def delete_lock(entity: str, values: Mapping[str, Any]) -> Lock | None:
    """A delete is refused."""
    if entity == "concern" and values.get("status", Status.NEW) != Status.NEW:
        message = "An accepted concern is never deleted: reject it or mark it a duplicate."
        return Lock("op", "concern_not_deletable", message)
    if entity == "inspection" and values.get("review_status") == APPROVED:
        return Lock("op", "inspection_not_deletable", "An approved inspection is kept.")
    return None
