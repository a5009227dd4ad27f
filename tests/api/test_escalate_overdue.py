"""`flask escalate-overdue`: overdue concerns get a level and a timeline entry naming the
province admins, devices pull both, and running it twice the same day changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, Change, Concern, FollowupEntry

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def escalate(app, runner, now: str) -> str:
    app.config["FIELDAPP_FAKE_NOW"] = now
    result = runner.invoke(args=["escalate-overdue"])
    assert result.exit_code == 0, result.output
    return result.output


def snapshot():
    counts = [
        db.session.scalar(select(func.count()).select_from(model))
        for model in (FollowupEntry, Change, AuditEntry)
    ]
    versions = dict(db.session.execute(select(Concern.id, Concern.version)).all())
    return counts, versions


def test_overdue_concerns_are_escalated_once_a_day(app, runner, province):
    official = province.id_of("official")
    late = province.report()
    in_time = province.report()
    done = province.report()
    province.step("supervisor", late, "assign", assignee_id=official, due_date="2026-03-10")
    province.step("supervisor", in_time, "assign", assignee_id=official, due_date="2026-03-11")
    province.step("supervisor", done, "assign", due_date="2026-03-01")
    province.step("supervisor", done, "resolve", note="เสร็จ")
    cursor = province.pull_cursor("official")
    output = escalate(app, runner, "2026-03-11T08:00:00+07:00")
    assert "1 concern(s) escalated on 2026-03-11" in output
    concern = db.session.get(Concern, late)
    assert concern.escalation_level == 1 and concern.version == 3
    before = snapshot()
    assert "0 concern(s) escalated" in escalate(app, runner, "2026-03-11T21:00:00+07:00")
    assert snapshot() == before  # twice the same day = once
    pulled = {(c["entity"], c["id"]): c for c in province.pull("official", cursor)}
    assert pulled[("concern", late)]["record"]["escalation_level"] == 1
    [entry] = [c["record"] for (e, _), c in pulled.items() if e == "followup"]
    assert entry["kind"] == "escalation" and entry["concern_id"] == late
    assert entry["data"]["level"] == 1 and entry["data"]["days_overdue"] == 1
    assert entry["data"]["notify"] == [
        {"id": province.id_of("admin"), "display_name": "ผู้ดูแล จังหวัด"}
    ]
    detail = province.get("supervisor", f"/api/concerns/{late}").get_json()
    assert detail["escalation_level"] == 1 and detail["overdue"] is True
    assert (
        detail["timeline"][-1]["kind"] == "escalation" and detail["timeline"][-1]["actor"] is None
    )
    [audit] = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "concern.escalate")
    ).all()
    assert audit.record_id == late and audit.details["level"] == 1


def test_levels_rise_with_the_schedule(app, runner, province):
    late = province.report()
    province.step("supervisor", late, "assign", due_date="2026-03-10")
    escalate(app, runner, "2026-03-12T08:00:00+07:00")
    escalate(app, runner, "2026-03-18T08:00:00+07:00")  # due + 8 days: level 2
    assert db.session.get(Concern, late).escalation_level == 2
    app.config["ESCALATION_DAYS"] = "0,3"
    escalate(app, runner, "2026-03-19T08:00:00+07:00")
    assert db.session.get(Concern, late).escalation_level == 2  # never lowered
    kinds = db.session.scalars(
        select(FollowupEntry.data).where(FollowupEntry.kind == "escalation")
    ).all()
    assert sorted(d["level"] for d in kinds) == [1, 2]


def test_a_bad_schedule_stops_the_command(app, runner):
    app.config["ESCALATION_DAYS"] = "soon"
    result = runner.invoke(args=["escalate-overdue"])
    assert result.exit_code != 0 and "ESCALATION_DAYS" in result.output
