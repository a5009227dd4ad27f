"""From a survey to a concern: a marked answer raises a concern of its category, once
(docs/sync-protocol.md, "Surveys"). Written through the server write path in the push's own
transaction, so it arrives by pull like any concern and enters the supervisors' queue."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.followup.tracking import new_tracking_code
from fieldapp.models import Concern, PhotoLink
from fieldapp.surveys.answers import raised
from fieldapp.syncstore.policy import FormRef, References
from fieldapp.syncstore.serverwrite import ServerWrite, write_server_changes
from sync import Actor, BatchResult, PhotoRef, Record


def raise_survey_concerns(
    result: BatchResult, refs: References, actor: Actor, now: datetime
) -> list[str]:
    """Create the concerns the batch's surveys list and the store lacks; returns their ids."""
    wanted: dict[str, tuple[Record, dict[str, Any], FormRef]] = {}
    for (entity, _), survey in result.written.items():
        if entity != "survey" or survey.deleted or not survey.values.get("concern_ids"):
            continue
        form = refs.forms.get(survey.values["form_id"])
        if form is None:
            continue
        answers = survey.values.get("answers") or {}
        for concern_id, question in raised(
            survey.id, answers, form.questions, refs.categories
        ).items():
            if concern_id in survey.values["concern_ids"]:
                wanted[concern_id] = (survey, question, form)
    if not wanted:
        return []
    have = set(db.session.scalars(select(Concern.id).where(Concern.id.in_(sorted(wanted)))))
    work = ServerWrite()
    for concern_id, (survey, question, form) in sorted(wanted.items()):
        if concern_id in have:
            continue
        work.creates.append(("concern", concern_id, _concern(survey, question, form)))
        work.photos += [("concern", concern_id, ref) for ref in _photos(survey.id)]
    write_server_changes(work, actor.user_id, now)
    return [record_id for _, record_id, _ in work.creates]


def _concern(survey: Record, question: dict[str, Any], form: FormRef) -> dict[str, Any]:
    v = survey.values
    answer = v["answers"].get(question["name"])
    shown = _shown(question, answer)
    parts = [form.title_th, f"{question['label']['th']}: {shown}" if shown else None, v["notes"]]
    return {
        "village_id": v["village_id"],
        "district_code": v["district_code"],
        "visit_id": v.get("visit_id"),
        "lat": v.get("lat"),
        "lon": v.get("lon"),
        "gps_accuracy_m": v.get("gps_accuracy_m"),
        "category_code": question["concern"]["category"],
        "description": "\n".join(p for p in parts if p)[:5000],
        "reported_at": v["filled_at"],
        "tracking_code": new_tracking_code(),
        "survey_id": survey.id,
    }


def _shown(question: dict[str, Any], answer: Any) -> str:
    labels = {c["name"]: c["label"]["th"] for c in question.get("choices", [])}
    if isinstance(answer, list):
        return ", ".join(labels.get(a, str(a)) for a in answer)
    return labels.get(answer, str(answer)) if answer is not None else ""


def _photos(survey_id: str) -> list[PhotoRef]:
    """The survey's photos, as the concern's before-photos."""
    link = PhotoLink.__table__
    rows = db.session.execute(
        select(link.c.sha256, link.c.item_key, link.c.position)
        .where(link.c.entity == "survey", link.c.record_id == survey_id)
        .order_by(link.c.position, link.c.id)
    )
    return [
        PhotoRef(sha256, caption=item_key, position=position, role="before")
        for sha256, item_key, position in rows
    ]
