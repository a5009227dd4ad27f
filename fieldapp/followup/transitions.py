"""Check a requested transition against a concern's state and plan what it changes. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from fieldapp.followup.states import (
    ACTIONS,
    ASSIGNEE,
    ASSIGNMENT_FIELDS,
    DISTRICT_OFFICIAL,
    SUPERVISOR,
    Action,
    Status,
)
from sync import FieldProblems, Rejection

# Taking a concern on starts its service-level clock.
DUE_ON = frozenset({"accept", "assign"})


class TransitionError(Rejection):
    """A transition that may not happen: a sync Rejection (reason, detail, coded per-field
    problems), so the engine quarantines it as it is."""


def _refusal(reason: str, detail: str, name: str, code: str, message: str, **params: Any):
    """A TransitionError with one coded problem: the device words it from `code` and
    `params`, a reader without those gets `message`."""
    problems = FieldProblems()
    problems.add(name, code, message, **params)
    return TransitionError(reason, detail, problems)


@dataclass(frozen=True)
class ConcernState:
    """The workflow-relevant part of a concern."""

    id: str
    status: str
    assignee_id: int | None = None
    district_code: str | None = None
    # field name -> the concern version at which it last changed (absent: at creation, 1)
    field_versions: dict[str, int] = field(default_factory=dict)
    due_date: date | None = None
    villager_confirmed: bool | None = None
    # evidence (docs/evidence.md): after-photos named once the transition's own are counted,
    # and the checks failed or pending on them, which closing must override with a reason
    after_photos: int = 0
    open_checks: tuple[str, ...] = ()


@dataclass(frozen=True)
class DueDateRule:
    """Accepting or assigning a concern without a due date sets today + its service level."""

    today: date
    days: int | None  # the service level of the concern's category and urgency (None: none)

    def due(self) -> date | None:
        return None if self.days is None else self.today + timedelta(days=self.days)


@dataclass(frozen=True)
class TransitionRequest:
    """What the device or supervisor asked for; `values` holds only the keys they sent."""

    action: str
    from_status: str | None = None
    note: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class WorkflowActor:
    user_id: int
    supervises: bool  # may supervise this concern's district (admins: everywhere)
    # may record the villager's word on its fix (visibility.hears_villagers)
    hears_villagers: bool = False


@dataclass
class Plan:
    action: str
    changes: dict[str, Any]
    entries: list[dict[str, Any]]


def plan_transition(
    concern: ConcernState,
    request: TransitionRequest,
    actor: WorkflowActor,
    base_version: int | None,
    now: datetime,
    due: DueDateRule | None = None,
) -> Plan:
    """The changes an allowed transition makes, or TransitionError saying why not."""
    action = ACTIONS.get(request.action)
    if action is None:
        raise _refusal(
            "validation",
            f"Unknown action {request.action!r}.",
            "transition.action",
            "one_of",
            f"Must be one of: {', '.join(ACTIONS)}.",
            choices=list(ACTIONS),
        )
    _check_who(action, concern, actor)
    _check_fresh(action, concern, request, base_version)
    _check_source(action, concern)
    _check_required(action, request)
    overridden = _check_evidence(action, concern, request)
    plan = _plan(action, Status(concern.status), concern, request, now, due)
    if overridden:
        plan.entries[0]["data"].update(
            overridden=overridden, override_reason=request.values["override_reason"]
        )
    return plan


def allowed_actions(concern: ConcernState, actor: WorkflowActor) -> list[str]:
    """The actions `actor` may take on the concern now: the checks plan_transition makes
    before it looks at what the request carries (who, and from which status)."""
    allowed = []
    for action in ACTIONS.values():
        try:
            _check_who(action, concern, actor)
            _check_source(action, concern)
        except TransitionError:
            continue
        allowed.append(action.name)
    return allowed


def _check_source(action: Action, concern: ConcernState) -> None:
    if action.name == "confirm_fix":
        _check_confirmable(action, concern)
        return
    current = Status(concern.status)
    if current not in action.sources:
        allowed = sorted(s.value for s in action.sources)
        message = f"A concern that is {current.value} cannot be {_DONE[action.name]} "
        message += f"(allowed from: {', '.join(allowed)})."
        raise _refusal(
            "invalid_transition",
            message,
            "transition.action",
            "invalid_transition",
            message,
            action=action.name,
            status=current.value,
            allowed=allowed,
        )


# "cannot be <done>": the action's past participle
_DONE = {
    "accept": "accepted",
    "assign": "assigned",
    "start": "started",
    "resolve": "resolved",
    "close": "closed",
    "reopen": "reopened",
    "reject": "rejected",
    "mark_duplicate": "marked as a duplicate",
    "correct": "corrected",
}


def _check_who(action: Action, concern: ConcernState, actor: WorkflowActor) -> None:
    if SUPERVISOR in action.who and actor.supervises:
        return
    if DISTRICT_OFFICIAL in action.who and actor.hears_villagers:
        return
    if ASSIGNEE in action.who and concern.assignee_id == actor.user_id:
        return
    who = sorted(action.who)
    message = f"Only the concern's {' or '.join(who)} may {action.name} it."
    raise _refusal(
        "forbidden",
        message,
        "transition.action",
        "transition_forbidden",
        message,
        action=action.name,
        who=who,
    )


def _check_fresh(
    action: Action, concern: ConcernState, request: TransitionRequest, base: int | None
) -> None:
    if request.from_status is not None and request.from_status != concern.status:
        raise _refusal(
            "stale_transition",
            f"The concern is {concern.status} now, not {request.from_status}.",
            "transition.from_status",
            "stale",
            f"The current status is {concern.status}.",
            status=concern.status,
        )
    if base is None:
        return
    watched = ["status"]
    if action.kind == "assignment":
        watched += [name for name in ASSIGNMENT_FIELDS if name in request.values]
    if action.kind == "correction":  # a correction of a field someone changed meanwhile
        watched += sorted(request.values.get("corrections") or {})
    moved = [name for name in watched if concern.field_versions.get(name, 1) > base]
    if moved:
        message = f"{', '.join(moved)} changed on the server after version {base}."
        raise _refusal(
            "stale_transition", message, "transition", "changed_since", message, fields=moved
        )


def _check_required(action: Action, request: TransitionRequest) -> None:
    errors = FieldProblems()
    for name in action.requires:
        value = request.note if name == "note" else request.values.get(name)
        if value is None or value == "" or value == {}:
            message = f"Required to {action.name} a concern."
            errors.add(f"transition.{name}", "transition_requires", message, action=action.name)
    if action.kind == "assignment" and not any(k in request.values for k in ASSIGNMENT_FIELDS):
        message = f"Name at least one of: {', '.join(ASSIGNMENT_FIELDS)}."
        errors.add("transition", "needs_one_of", message, fields=list(ASSIGNMENT_FIELDS))
    if (
        action.name == "confirm_fix"
        and request.values.get("answer") == "not_fixed"
        and not request.note
    ):
        message = "Say what the villager found still wrong."
        errors.add("transition.note", "transition_requires", message, action=action.name)
    if errors:
        raise TransitionError("validation", "The transition is missing values.", errors)


def _check_evidence(action: Action, concern: ConcernState, request: TransitionRequest) -> list[str]:
    """Resolving needs an after-photo; closing over a failed or pending evidence check needs
    an override reason. Returns the checks a close overrides."""
    if action.name == "resolve" and concern.after_photos < 1:
        raise _refusal(
            "validation",
            "Resolving a concern needs at least one after-photo.",
            "photos",
            "needs_after_photo",
            "Add at least one photo of the fixed problem (role after).",
        )
    if action.name != "close" or not concern.open_checks:
        return []
    if not (request.values.get("override_reason") or "").strip():
        message = f"Evidence checks not passed: {', '.join(concern.open_checks)}."
        raise _refusal(
            "validation",
            message,
            "transition.override_reason",
            "evidence_override_required",
            message + " Give a reason to close anyway.",
            checks=list(concern.open_checks),
        )
    return list(concern.open_checks)


def _plan(
    action: Action,
    current: Status,
    concern: ConcernState,
    request: TransitionRequest,
    now: datetime,
    due: DueDateRule | None = None,
) -> Plan:
    if action.name == "confirm_fix":
        return _plan_confirm(current, request)
    target = action.target or (action.promote or {}).get(current) or current
    changes: dict[str, Any] = {"status": target.value}
    data: dict[str, Any] = {"action": action.name}
    if action.kind == "assignment":
        for name in ASSIGNMENT_FIELDS:
            if name in request.values:
                changes[name] = request.values[name]
                value = request.values[name]
                data[name] = value.isoformat() if isinstance(value, date) else value
    default_due = due.due() if due is not None else None
    if (
        action.name in DUE_ON
        and "due_date" not in request.values
        and concern.due_date is None
        and default_due is not None
    ):
        changes["due_date"] = default_due
        data.update(due_date=default_due.isoformat(), due_date_from="service_level")
    if action.name == "resolve":
        changes["resolution_note"] = request.note
        changes["resolved_at"] = now
    elif action.name == "reopen":
        # A fix the villager confirmed no longer stands once the concern is reopened.
        changes.update(resolved_at=None, villager_confirmed=None)
    elif action.name == "mark_duplicate":
        changes["duplicate_of_id"] = request.values["duplicate_of_id"]
        data["duplicate_of_id"] = request.values["duplicate_of_id"]
    elif action.name == "correct":
        # The corrected values (the caller checks them and adds what they imply: a village
        # names its district); the entry names the fields, the record history keeps before
        # and after.
        changes.update(request.values["corrections"])
        data["fields"] = sorted(request.values["corrections"])
    moved = target != current
    entry = {
        "kind": action.kind,
        "body": request.note or "",
        "from_status": current.value if moved or action.kind == "status" else None,
        "to_status": target.value if moved or action.kind == "status" else None,
        "data": data,
    }
    return Plan(action.name, changes, [entry])


# --- villager (issue 13): the villager's word on a fix -----------------------------------------


def _check_confirmable(action: Action, concern: ConcernState) -> None:
    """Only a fix that was reported (resolved or closed) and not yet confirmed awaits it."""
    if Status(concern.status) not in action.sources:
        message = (
            f"Only a resolved or closed concern awaits the villager's word; "
            f"this one is {concern.status}."
        )
        raise _refusal(
            "invalid_transition",
            message,
            "transition.action",
            "confirm_not_resolved",
            message,
            status=concern.status,
        )
    if concern.villager_confirmed:
        message = "The villager already confirmed this fix."
        raise _refusal(
            "invalid_transition", message, "transition.action", "already_confirmed", message
        )


def _plan_confirm(current: Status, request: TransitionRequest) -> Plan:
    """ "fixed" marks the fix confirmed, the status unchanged; "not_fixed" reopens the concern
    to in_progress (its assignee, if any, takes it up again; docs/sync-protocol.md)."""
    answer = request.values["answer"]
    if answer == "fixed":
        target, changes = current, {"status": current.value, "villager_confirmed": True}
    else:
        target = Status.IN_PROGRESS
        changes = {"status": target.value, "resolved_at": None, "villager_confirmed": None}
    entry = {
        "kind": "status",
        "body": request.note or "",
        "from_status": current.value,
        "to_status": target.value,
        "data": {"action": "confirm_fix", "answer": answer},
    }
    return Plan("confirm_fix", changes, [entry])
