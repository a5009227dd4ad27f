"""Read what a batch needs: one query per entity, never one per record."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from fieldapp import clock
from fieldapp.evidence.store import CHECKS, after_photo_counts, open_findings
from fieldapp.extensions import db
from fieldapp.followup.transitions import DUE_ON
from fieldapp.models import (
    AppliedMutation,
    Category,
    ChecklistTemplate,
    Form,
    FormVersion,
    ServiceLevel,
    User,
)
from fieldapp.models.user import user_districts
from fieldapp.surveys.xlsform import questions
from fieldapp.syncstore.policy import FormRef, References, Template
from fieldapp.syncstore.tables import record_from_row, table
from sync import Mutation, Record

# Fields of a mutation that name another record: field -> entity
EVIDENCED = frozenset({"resolve", "close"})
REFERENCE_FIELDS = {
    "village_id": "village",
    "concern_id": "concern",
    "visit_id": "visit",
    "reinspection_of_id": "inspection",
}


def _as_id(value: Any) -> str | None:
    return value.lower() if isinstance(value, str) and len(value) <= 64 else None


def wanted_ids(mutations: Iterable[Mutation]) -> dict[str, set[str]]:
    """Per entity, the ids of the records the batch changes or names."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for m in mutations:
        wanted[m.entity].add(m.record_id)
        for name, entity in REFERENCE_FIELDS.items():
            ref = _as_id(m.fields.get(name))
            if ref:
                wanted[entity].add(ref)
        if m.transition:
            ref = _as_id(m.transition.get("duplicate_of_id"))
            if ref:
                wanted["concern"].add(ref)
            ref = _as_id(_corrections(m).get("village_id"))  # a corrected village
            if ref:
                wanted["village"].add(ref)
    return wanted


def _corrections(m: Mutation) -> dict[str, Any]:
    corrections = (m.transition or {}).get("corrections")
    return corrections if isinstance(corrections, dict) else {}


def load_records(
    wanted: dict[str, set[str]], *, lock: set[tuple[str, str]] | None = None
) -> dict[tuple[str, str], Record]:
    """The current rows, as Records. The ones in `lock` (the records a batch changes) are
    locked FOR UPDATE in a fixed order, so concurrent pushes to one record take turns
    (PostgreSQL; SQLite holds its write lock from the start of the push)."""
    records: dict[tuple[str, str], Record] = {}
    for entity in sorted(wanted):
        ids = sorted(wanted[entity])
        if not ids:
            continue
        t = table(entity)
        locked = sorted(i for i in ids if (entity, i) in lock) if lock else []
        plain = sorted(set(ids) - set(locked))
        rows = []
        if locked:
            query = select(t).where(t.c.id.in_(locked)).order_by(t.c.id).with_for_update()
            rows += db.session.connection().execute(query).all()
        if plain:
            rows += db.session.connection().execute(select(t).where(t.c.id.in_(plain))).all()
        for row in rows:
            record = record_from_row(entity, row)
            records[(entity, record.id)] = record
    # A follow-up is scoped by its concern: have the concerns of the follow-ups at hand.
    concern_ids = {r.values["concern_id"] for (e, _), r in records.items() if e == "followup"} - {
        i for (e, i) in records if e == "concern"
    }
    if concern_ids:
        records.update(load_records({"concern": concern_ids}))
    return records


TAKEN = {
    "status": "rejected",
    "reason": "mutation_id_taken",
    "detail": "Another account already used this mutation_id; send the change with a new one.",
    "errors": {"mutation_id": ["Already used by another account."]},
    "quarantine_id": None,
}


_APPLIED = AppliedMutation.__table__
_OUTCOMES = select(_APPLIED.c.mutation_id, _APPLIED.c.user_id, _APPLIED.c.outcome)


def load_outcomes(mutation_ids: list[str], user_id: int) -> dict[str, dict[str, Any]]:
    """The first outcome of each mutation id already answered. An id another account used is
    answered as refused, without telling this account anything about the other's change."""
    if not mutation_ids:
        return {}
    rows = db.session.connection().execute(
        _OUTCOMES.where(_APPLIED.c.mutation_id.in_(mutation_ids))
    )
    return {
        mutation_id: outcome if owner == user_id else TAKEN for mutation_id, owner, outcome in rows
    }


def load_references(
    mutations: list[Mutation], records: dict[tuple[str, str], Record]
) -> References:
    refs = References()
    template_ids = {m.fields.get("template_id") for m in mutations if m.entity == "inspection"} | {
        r.values.get("template_id") for (e, _), r in records.items() if e == "inspection"
    }
    template_ids = {i for i in template_ids if isinstance(i, int) and not isinstance(i, bool)}
    if template_ids:
        for t in db.session.scalars(
            select(ChecklistTemplate).where(ChecklistTemplate.id.in_(template_ids))
        ):
            items = {item["key"]: int(item["max_score"]) for item in t.items}
            refs.templates[t.id] = Template(t.id, items, t.grades, t.active)
    if any(
        (m.entity == "concern" and "category_code" in (m.fields | _corrections(m)))
        or m.entity == "survey"
        for m in mutations
    ):
        refs.categories = set(
            db.session.scalars(select(Category.code).where(Category.active.is_(True)))
        )
    refs.forms = load_forms(mutations, records)
    assignees = {
        m.transition.get("assignee_id")
        for m in mutations
        if m.transition and isinstance(m.transition.get("assignee_id"), int)
    }
    if assignees:
        refs.assignees = _users_with_districts(sorted(assignees))
    if any(m.transition and m.transition.get("action") in DUE_ON for m in mutations):
        refs.service_levels = load_service_levels()
        refs.today = clock.today()
    _load_evidence(refs, mutations, records)
    return refs


def _load_evidence(
    refs: References, mutations: list[Mutation], records: dict[tuple[str, str], Record]
) -> None:
    """After-photos of the concerns resolved, open checks of those closed (docs/evidence.md).

    A concern not resolved before this batch has no checks yet: closing it in the same batch
    overrides all of them."""
    acting = {
        (m.transition.get("action"), m.record_id)
        for m in mutations
        if m.entity == "concern" and m.transition and m.transition.get("action") in EVIDENCED
    }
    resolving = {cid for action, cid in acting if action == "resolve"}
    closing = {cid for action, cid in acting if action == "close"}
    if resolving:
        refs.after_photos = after_photo_counts(resolving)
    if closing:
        refs.open_checks = open_findings(closing)
        for cid in closing:
            record = records.get(("concern", cid))
            if record is not None and record.values.get("status") != "resolved":
                refs.open_checks[cid] = list(CHECKS)


def load_forms(
    mutations: list[Mutation], records: dict[tuple[str, str], Record]
) -> dict[int, FormRef]:
    """The form versions the batch's surveys name, with who each form is given to."""
    form_ids = {m.fields.get("form_id") for m in mutations if m.entity == "survey"} | {
        r.values.get("form_id") for (e, _), r in records.items() if e == "survey"
    }
    form_ids = {i for i in form_ids if isinstance(i, int) and not isinstance(i, bool)}
    if not form_ids:
        return {}
    rows = db.session.execute(
        select(FormVersion, Form)
        .join(Form, Form.form_key == FormVersion.form_key)
        .where(FormVersion.id.in_(sorted(form_ids)))
    )
    return {
        version.id: FormRef(
            version.id,
            version.form_key,
            version.version,
            version.title_th,
            form.retired,
            list(form.roles or []),
            list(form.district_codes or []),
            questions(version.definition),
        )
        for version, form in rows
    }


def load_service_levels() -> dict[tuple[str, str], int]:
    """(category_code, urgency) -> days to resolve."""
    rows = db.session.execute(
        select(ServiceLevel.category_code, ServiceLevel.urgency, ServiceLevel.days)
    )
    return {(category, urgency): days for category, urgency, days in rows}


def _users_with_districts(user_ids: list[int]) -> dict[int, User]:
    """The users, each knowing its district codes (two queries, not one per user)."""
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids)))}
    codes: dict[int, list[str]] = defaultdict(list)
    rows = db.session.execute(
        select(user_districts.c.user_id, user_districts.c.district_code).where(
            user_districts.c.user_id.in_(user_ids)
        )
    )
    for user_id, code in rows:
        codes[user_id].append(code)
    for user_id, user in users.items():
        user.know_district_codes(codes[user_id])
    return users
