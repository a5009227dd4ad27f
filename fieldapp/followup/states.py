"""The states of a concern and the actions that move it between them. Pure: no Flask."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


# Supervisors own these; a device changes them only through a transition.
WORKFLOW_FIELDS = ("status", "assignee_id", "assignee_agency", "due_date", "priority")
# Set by transitions alongside the workflow fields, never by a plain create or update.
TRANSITION_ONLY_FIELDS = (
    *WORKFLOW_FIELDS,
    "resolution_note",
    "resolved_at",
    "duplicate_of_id",
    "villager_confirmed",
)
ASSIGNMENT_FIELDS = ("assignee_id", "assignee_agency", "due_date", "priority")
# What the citizen reported: once a concern is accepted, changed only by a supervisor's
# `correct` step with a reason (fieldapp/followup/locks.py).
REPORTED_FIELDS = (
    "description",
    "category_code",
    "village_id",
    "lat",
    "lon",
    "gps_accuracy_m",
    "reporter_name",
    "reporter_phone",
    "reporter_consent",
    "reported_at",
)

SUPERVISOR = "supervisor"
ASSIGNEE = "assignee"
# --- villager (issue 13): who may record a villager's word on a fix ---
# An official or supervisor whose districts hold the concern (fieldapp/auth/visibility.py:
# hears_villagers decides), besides its assignee and supervisors.
DISTRICT_OFFICIAL = "district_official"
VILLAGER_ANSWERS = ("fixed", "not_fixed")


@dataclass(frozen=True)
class Action:
    """One allowed move: from which statuses, to which, who may make it, what it needs."""

    name: str
    sources: frozenset[Status]
    target: Status | None  # None: the status does not change (except as `promote` says)
    who: frozenset[str]
    kind: str = "status"  # the timeline entry it appends: status or assignment
    requires: tuple[str, ...] = ()
    promote: dict[Status, Status] | None = None  # status changes an action implies


_S = Status
ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("accept", frozenset({_S.NEW}), _S.ACCEPTED, frozenset({SUPERVISOR})),
        Action(
            "assign",
            frozenset({_S.NEW, _S.ACCEPTED, _S.IN_PROGRESS}),
            None,
            frozenset({SUPERVISOR}),
            kind="assignment",
            promote={_S.NEW: _S.ACCEPTED},
        ),
        Action(
            "start", frozenset({_S.ACCEPTED}), _S.IN_PROGRESS, frozenset({SUPERVISOR, ASSIGNEE})
        ),
        Action(
            "resolve",
            frozenset({_S.ACCEPTED, _S.IN_PROGRESS}),
            _S.RESOLVED,
            frozenset({SUPERVISOR, ASSIGNEE}),
            requires=("note",),
        ),
        Action("close", frozenset({_S.RESOLVED}), _S.CLOSED, frozenset({SUPERVISOR})),
        Action(
            "reopen",
            frozenset({_S.RESOLVED, _S.CLOSED, _S.REJECTED, _S.DUPLICATE}),
            _S.IN_PROGRESS,
            frozenset({SUPERVISOR}),
        ),
        # --- villager (issue 13): the villager's word on a fix (transitions.py: _plan_confirm) ---
        Action(
            "confirm_fix",
            frozenset({_S.RESOLVED, _S.CLOSED}),
            None,  # "fixed" keeps the status; "not_fixed" reopens: in_progress
            frozenset({SUPERVISOR, ASSIGNEE, DISTRICT_OFFICIAL}),
            requires=("answer",),
        ),
        Action(
            "reject",
            frozenset({_S.NEW, _S.ACCEPTED}),
            _S.REJECTED,
            frozenset({SUPERVISOR}),
            requires=("note",),
        ),
        Action(
            "mark_duplicate",
            frozenset({_S.NEW, _S.ACCEPTED, _S.IN_PROGRESS}),
            _S.DUPLICATE,
            frozenset({SUPERVISOR}),
            requires=("duplicate_of_id",),
        ),
        # --- history (issue 13): a supervisor corrects what the citizen reported, with a
        # reason; not on a closed, rejected or duplicate concern (read-only until reopened).
        Action(
            "correct",
            frozenset({_S.NEW, _S.ACCEPTED, _S.IN_PROGRESS, _S.RESOLVED}),
            None,
            frozenset({SUPERVISOR}),
            kind="correction",
            requires=("note", "corrections"),
        ),
    )
}

OPEN_STATUSES = frozenset({_S.NEW, _S.ACCEPTED, _S.IN_PROGRESS})
# Read-only until reopened: any update is refused (fieldapp/followup/locks.py).
READ_ONLY_STATUSES = frozenset({_S.CLOSED, _S.REJECTED, _S.DUPLICATE})
