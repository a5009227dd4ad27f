"""The concern workflow as a pure state machine: who may move a concern where, and when."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from fieldapp.followup.states import ACTIONS, Status
from fieldapp.followup.transitions import (
    ConcernState,
    TransitionError,
    TransitionRequest,
    WorkflowActor,
    allowed_actions,
    plan_transition,
)

NOW = datetime(2026, 3, 1, tzinfo=UTC)
SUPERVISOR = WorkflowActor(user_id=1, supervises=True)
OFFICIAL = WorkflowActor(user_id=2, supervises=False)


def concern(
    state: str = "new", assignee: int | None = None, after_photos: int = 1, **versions: int
) -> ConcernState:
    return ConcernState("c1", state, assignee, "6501", versions, after_photos=after_photos)


def test_a_supervisor_accepts_a_new_concern():
    plan = plan_transition(
        concern(), TransitionRequest("accept", note="รับเรื่อง"), SUPERVISOR, 1, NOW
    )
    assert plan.changes == {"status": "accepted"}
    [entry] = plan.entries
    assert (entry["kind"], entry["from_status"], entry["to_status"]) == (
        "status",
        "new",
        "accepted",
    )
    assert entry["body"] == "รับเรื่อง"


def test_assigning_a_new_concern_accepts_it_and_notes_the_assignment():
    request = TransitionRequest(
        "assign", values={"assignee_id": 7, "due_date": date(2026, 4, 1), "priority": 2}
    )
    plan = plan_transition(concern(), request, SUPERVISOR, 1, NOW)
    assert plan.changes["status"] == "accepted"
    assert plan.changes["assignee_id"] == 7
    [entry] = plan.entries
    assert entry["kind"] == "assignment"
    assert entry["data"]["due_date"] == "2026-04-01"


def test_an_official_cannot_close_or_accept():
    for action, status in (("close", "resolved"), ("accept", "new"), ("reject", "new")):
        with pytest.raises(TransitionError) as caught:
            plan_transition(concern(status), TransitionRequest(action, note="x"), OFFICIAL, 1, NOW)
        assert caught.value.reason == "forbidden"


def test_the_assignee_may_start_and_resolve():
    mine = concern("accepted", assignee=OFFICIAL.user_id)
    assert plan_transition(mine, TransitionRequest("start"), OFFICIAL, 1, NOW).changes == {
        "status": "in_progress"
    }
    plan = plan_transition(
        concern("in_progress", assignee=2),
        TransitionRequest("resolve", note="ซ่อมแล้ว"),
        OFFICIAL,
        1,
        NOW,
    )
    assert plan.changes == {"status": "resolved", "resolution_note": "ซ่อมแล้ว", "resolved_at": NOW}


def test_a_stale_transition_is_refused():
    moved = concern("accepted", status=3)
    with pytest.raises(TransitionError) as caught:
        plan_transition(moved, TransitionRequest("accept"), SUPERVISOR, 2, NOW)
    assert caught.value.reason == "stale_transition"
    with pytest.raises(TransitionError) as caught:
        plan_transition(concern("accepted"), TransitionRequest("start", "new"), SUPERVISOR, 1, NOW)
    assert caught.value.reason == "stale_transition"


def test_moves_outside_the_table_are_invalid():
    with pytest.raises(TransitionError) as caught:
        plan_transition(concern("closed"), TransitionRequest("start"), SUPERVISOR, 1, NOW)
    assert caught.value.reason == "invalid_transition"


def test_required_values_are_checked():
    for action, status in (
        ("resolve", "in_progress"),
        ("reject", "new"),
        ("mark_duplicate", "new"),
    ):
        with pytest.raises(TransitionError) as caught:
            plan_transition(concern(status), TransitionRequest(action), SUPERVISOR, 1, NOW)
        assert caught.value.reason == "validation"


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_lands_in_a_known_status(action):
    for source in ACTIONS[action].sources:
        request = TransitionRequest(
            action,
            note="n",
            values={"assignee_id": 1, "duplicate_of_id": "c2"}
            if action in ("assign", "mark_duplicate")
            else {},
        )
        if action == "mark_duplicate":
            request = TransitionRequest(action, values={"duplicate_of_id": "c2"})
        if action == "confirm_fix":
            request = TransitionRequest(action, note="n", values={"answer": "not_fixed"})
        elif action == "correct":
            request = TransitionRequest(action, note="n", values={"corrections": {"lat": 1.0}})
        plan = plan_transition(concern(source.value), request, SUPERVISOR, 1, NOW)
        assert Status(plan.changes["status"])


@pytest.mark.parametrize("action", ["accept", "start", "resolve", "close", "reopen", "reject"])
def test_a_refused_move_names_the_action_in_plain_words(action):
    with pytest.raises(TransitionError) as caught:
        plan_transition(
            concern("new" if action == "reopen" else "closed"),
            TransitionRequest(action, note="x"),
            SUPERVISOR,
            1,
            NOW,
        )
    assert caught.value.reason == "invalid_transition"
    message = str(caught.value)
    assert "eed " not in message and "ed ed" not in message
    assert f"cannot be {action}d " in message or f"cannot be {action}ed " in message


# --- villager (issue 13): the villager's word on a fix ---
NEIGHBOUR = WorkflowActor(user_id=3, supervises=False, hears_villagers=True)


def _confirm(answer: str, note: str | None = None) -> TransitionRequest:
    return TransitionRequest("confirm_fix", note=note, values={"answer": answer})


@pytest.mark.parametrize("status", ["resolved", "closed"])
def test_a_villager_who_says_fixed_confirms_the_fix_and_keeps_the_status(status):
    plan = plan_transition(concern(status), _confirm("fixed"), NEIGHBOUR, 1, NOW)
    assert plan.changes == {"status": status, "villager_confirmed": True}
    [entry] = plan.entries
    assert (entry["from_status"], entry["to_status"]) == (status, status)
    assert entry["data"] == {"action": "confirm_fix", "answer": "fixed"}


@pytest.mark.parametrize("status", ["resolved", "closed"])
def test_a_villager_who_says_not_fixed_reopens_the_concern(status):
    request = _confirm("not_fixed", "ท่อยังรั่ว")
    plan = plan_transition(concern(status), request, NEIGHBOUR, 1, NOW)
    assert plan.changes == {
        "status": "in_progress",
        "resolved_at": None,
        "villager_confirmed": None,
    }
    [entry] = plan.entries
    assert (entry["from_status"], entry["to_status"], entry["body"]) == (
        status,
        "in_progress",
        "ท่อยังรั่ว",
    )


def test_not_fixed_needs_a_note_and_every_confirmation_an_answer():
    with pytest.raises(TransitionError) as caught:
        plan_transition(concern("resolved"), _confirm("not_fixed"), NEIGHBOUR, 1, NOW)
    assert [(c["field"], c["code"]) for c in caught.value.error_codes] == [
        ("transition.note", "transition_requires")
    ]
    with pytest.raises(TransitionError) as caught:
        plan_transition(concern("resolved"), TransitionRequest("confirm_fix"), NEIGHBOUR, 1, NOW)
    assert [(c["field"], c["code"]) for c in caught.value.error_codes] == [
        ("transition.answer", "transition_requires")
    ]


@pytest.mark.parametrize("status", ["new", "accepted", "in_progress", "rejected", "duplicate"])
def test_only_a_reported_fix_awaits_the_villagers_word(status):
    with pytest.raises(TransitionError) as caught:
        plan_transition(concern(status), _confirm("fixed"), NEIGHBOUR, 1, NOW)
    assert caught.value.reason == "invalid_transition"
    assert caught.value.error_codes[0]["code"] == "confirm_not_resolved"


def test_a_confirmed_fix_is_not_confirmed_again_and_not_offered():
    confirmed = ConcernState("c1", "closed", None, "6501", {}, None, True)
    with pytest.raises(TransitionError) as caught:
        plan_transition(confirmed, _confirm("not_fixed", "x"), NEIGHBOUR, 1, NOW)
    assert caught.value.error_codes[0]["code"] == "already_confirmed"
    assert "confirm_fix" not in allowed_actions(confirmed, SUPERVISOR)
    assert "confirm_fix" in allowed_actions(concern("closed"), SUPERVISOR)


def test_who_may_record_the_villagers_word():
    assert "confirm_fix" in allowed_actions(concern("resolved", assignee=2), OFFICIAL)  # assignee
    assert "confirm_fix" not in allowed_actions(concern("resolved"), OFFICIAL)  # elsewhere
    assert allowed_actions(concern("resolved"), NEIGHBOUR) == ["confirm_fix"]


def test_reopening_drops_a_confirmation_that_no_longer_stands():
    plan = plan_transition(concern("closed"), TransitionRequest("reopen"), SUPERVISOR, 1, NOW)
    assert plan.changes["villager_confirmed"] is None


def test_resolving_needs_an_after_photo():
    with pytest.raises(TransitionError) as caught:
        plan_transition(
            concern("in_progress", after_photos=0),
            TransitionRequest("resolve", note="ซ่อมแล้ว"),
            SUPERVISOR,
            1,
            NOW,
        )
    [problem] = caught.value.error_codes
    assert (problem["field"], problem["code"]) == ("photos", "needs_after_photo")


def test_closing_over_a_failed_check_needs_a_reason_kept_on_the_timeline():
    doubtful = ConcernState("c1", "resolved", None, "6501", open_checks=("time", "phash"))
    with pytest.raises(TransitionError) as caught:
        plan_transition(doubtful, TransitionRequest("close"), SUPERVISOR, 1, NOW)
    [problem] = caught.value.error_codes
    assert problem["code"] == "evidence_override_required"
    assert problem["params"] == {"checks": ["time", "phash"]}
    reason = {"override_reason": "ช่างถ่ายรูปไว้ก่อนแจ้ง แต่ตรวจหน้างานแล้ว"}
    plan = plan_transition(doubtful, TransitionRequest("close", values=reason), SUPERVISOR, 1, NOW)
    assert plan.changes == {"status": "closed"}
    assert plan.entries[0]["data"]["overridden"] == ["time", "phash"]
    assert plan.entries[0]["data"]["override_reason"] == reason["override_reason"]
