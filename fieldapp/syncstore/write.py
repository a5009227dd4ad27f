"""Writing a push's result: records, their history, conflicts, photo links, quarantine, the
mutation log and the change feed, all in the request's transaction."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from fieldapp.changefeed import ChangeRef, record_changes
from fieldapp.evidence.resolving import check_evidence
from fieldapp.extensions import db
from fieldapp.followup.operations import audit_corrections, audit_deletions, audit_transitions
from fieldapp.models import (
    AppliedMutation,
    Conflict,
    FollowupEntry,
    PhotoLink,
    QuarantinedMutation,
)
from fieldapp.models.base import utcnow
from fieldapp.photos.provenance import CAPTURE_COLUMNS, capture_values
from fieldapp.syncstore.feed import concern_scopes, refs_for
from fieldapp.syncstore.history import write_history
from fieldapp.syncstore.tables import PUSHABLE, jsonable, row_from_record, table
from sync import REJECTED, Actor, BatchResult, Record


def write_result(
    result: BatchResult, actor: Actor, now: Any, reapplying: QuarantinedMutation | None
) -> None:
    """Store what the engine decided: records, history, conflicts, links, quarantine, log,
    feed."""
    _write_records(result)
    write_history(result.changes, actor, now)
    _write_conflicts(result)
    _write_photo_links(result)
    if reapplying is not None:
        _write_reapplied(result, reapplying, now)
    else:
        _write_quarantine(result, actor)
    if result.answered and reapplying is None:
        _core().execute(
            insert(AppliedMutation.__table__),
            [
                {
                    "mutation_id": m.mutation_id,
                    "device_id": actor.device_id,
                    "user_id": actor.user_id,
                    "outcome": outcome.stored(),
                    "created_at": now,
                }
                for m, outcome in result.answered
            ],
        )
    record_changes(_change_refs(result))
    audit_transitions(result.timeline, actor.device_id)
    audit_deletions(result.answered, actor)
    audit_corrections(result.changes, actor)
    check_evidence(result, actor)


def _core() -> Any:
    """The session's connection: Core statements run on it directly, without the ORM's
    per-statement work (the session's pending objects are flushed at commit)."""
    return db.session.connection()


def _write_records(result: BatchResult) -> None:
    inserts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    updates: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for key, record in result.written.items():
        row = row_from_record(record)
        (inserts if key in result.created else updates)[record.entity].append(row)
    # Parents first: a batch may create a concern and comment on it (a follow-up's foreign
    # key), or raise a concern during a visit it creates (visit_id).
    for entity in sorted(inserts, key=PUSHABLE.index):
        _core().execute(insert(table(entity)), inserts[entity])
    for entity, rows in updates.items():
        t = table(entity)
        names = [name for name in rows[0] if name != "id"]
        statement = (
            update(t)
            .where(t.c.id == bindparam("_id"))
            .values({name: bindparam(f"_{name}") for name in names})
        )
        _core().execute(statement, [{f"_{k}": v for k, v in row.items()} for row in rows])


def _write_conflicts(result: BatchResult) -> None:
    if not result.conflicts:
        return
    rows = []
    for note in result.conflicts:
        row = Conflict(
            entity=note.entity,
            record_id=note.record_id,
            district_code=note.district_code,
            field=note.field,
            kept_value=jsonable(note.kept_value),
            lost_value=jsonable(note.lost_value),
            kept_mutation_id=note.kept_mutation_id,
            lost_mutation_id=note.lost_mutation_id,
            kept_by_id=note.kept_by_id,
            lost_by_id=note.lost_by_id,
        )
        db.session.add(row)
        rows.append((note, row))
    db.session.flush()
    for note, row in rows:
        note.id = row.id
        note.kept_value, note.lost_value = row.kept_value, row.lost_value


def _write_quarantine(result: BatchResult, actor: Actor) -> None:
    if not result.rejected:
        return
    rows = []
    for m, outcome, district in result.rejected:
        row = QuarantinedMutation(
            mutation_id=m.mutation_id,
            device_id=actor.device_id,
            user_id=actor.user_id,
            district_code=district,
            payload=m.payload,
            reason=outcome.reason,
            detail=outcome.detail,
            errors=outcome.errors,
            error_codes=outcome.error_codes,
        )
        db.session.add(row)
        rows.append((outcome, row))
    db.session.flush()
    for outcome, row in rows:
        outcome.quarantine_id = row.id


def _write_reapplied(result: BatchResult, entry: QuarantinedMutation, now: Any) -> None:
    """The quarantined mutation's stored outcome becomes the re-applied one."""
    m, outcome = result.answered[0]
    if outcome.status == REJECTED:
        entry.reason, entry.detail, entry.errors = outcome.reason, outcome.detail, outcome.errors
        entry.error_codes = outcome.error_codes
        entry.payload = m.payload
        outcome.quarantine_id = entry.id
    else:
        entry.state, entry.resolved_at, entry.payload = "reapplied", now, m.payload
    stored = {**outcome.stored(), "reapplied": outcome.status != REJECTED}
    db.session.execute(
        update(AppliedMutation)
        .where(AppliedMutation.mutation_id == m.mutation_id)
        .values(outcome=stored)
    )


def _write_photo_links(result: BatchResult) -> None:
    if not result.photos:
        return
    link = PhotoLink.__table__
    adds, removes = [], []
    for entity, record_id, ref in result.photos:
        if ref.remove:
            removes.append((entity, record_id, ref.sha256, ref.item_key))
        else:
            adds.append(
                {
                    "entity": entity,
                    "record_id": record_id,
                    "sha256": ref.sha256,
                    "item_key": ref.item_key,
                    "caption": ref.caption,
                    "position": ref.position,
                    "role": ref.role,
                    "created_at": utcnow(),
                    **capture_values(ref.capture),
                }
            )
    for entity, record_id, sha256, item_key in removes:
        db.session.execute(
            delete(link).where(
                link.c.entity == entity,
                link.c.record_id == record_id,
                link.c.sha256 == sha256,
                link.c.item_key == item_key,
            )
        )
    if adds:
        dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
        statement = dialect.insert(link)
        statement = statement.on_conflict_do_update(
            index_elements=["entity", "record_id", "sha256", "item_key"],
            set_={
                "caption": statement.excluded.caption,
                "position": statement.excluded.position,
                "role": statement.excluded.role,
                # a later reference without provenance (a caption edit) keeps what was sent
                **{
                    name: func.coalesce(statement.excluded[name], link.c[name])
                    for name in CAPTURE_COLUMNS
                },
            },
        )
        for row in adds:  # one by one: a batch may name the same link twice
            db.session.execute(statement, row)


def _change_refs(result: BatchResult) -> list[ChangeRef]:
    """One feed entry per written record, in write order, plus the scopes records left.

    A follow-up's entry carries its concern's scope (district, author, assignee), so whoever
    sees the concern receives its timeline (fieldapp/auth/visibility.py)."""
    concerns = {r.id: r for (e, _), r in result.written.items() if e == "concern"}
    scopes = {i: (r.district_code, r.created_by_id, r.assignee_id) for i, r in concerns.items()}
    parents = {
        r.values["concern_id"] for (e, _), r in result.written.items() if e == "followup"
    } - set(concerns)
    if parents:
        scopes.update(concern_scopes(parents))

    def ref(record: Record) -> ChangeRef:
        if record.entity == "followup":
            scope = scopes.get(record.values["concern_id"], (record.district_code, None, None))
            return ChangeRef(record.entity, record.id, *scope)
        assignee = record.assignee_id if record.entity == "concern" else None
        return ChangeRef(
            record.entity, record.id, record.district_code, record.created_by_id, assignee
        )

    refs: list[ChangeRef] = []
    for entity, record_id, district, assignee in result.scope_exits:
        record = result.written[(entity, record_id)]
        refs.append(ChangeRef(entity, record_id, district, record.created_by_id, assignee))
    left, timelines = _timelines_of_moved(result, concerns)
    refs.extend(left)
    ordered = sorted(result.written.items(), key=lambda item: result.write_order[item[0]])
    refs.extend(ref(record) for _, record in ordered)
    photo_only = {(e, i) for e, i, _ in result.photos} - set(result.written)
    refs.extend(refs_for(photo_only))
    refs.extend(ref(entry) for entry in timelines)
    return refs


def _timelines_of_moved(
    result: BatchResult, concerns: dict[str, Record]
) -> tuple[list[ChangeRef], list[Record]]:
    """A concern that changed district or assignee takes its whole timeline along: entries
    with the scope it left (devices that no longer see it drop them) and the entries, to be
    fed with the scope it has now (devices that see it now receive them)."""
    moved = {
        record_id: (district, assignee)
        for entity, record_id, district, assignee in result.scope_exits
        if entity == "concern"
    }
    if not moved:
        return [], []
    f = FollowupEntry.__table__
    rows = db.session.execute(
        select(f.c.id, f.c.concern_id, f.c.district_code)
        .where(f.c.concern_id.in_(sorted(moved)))
        .order_by(f.c.created_at, f.c.id)
    )
    written = {i for (e, i) in result.written if e == "followup"}
    left, entries = [], []
    for entry_id, concern_id, district_code in rows:
        if entry_id in written:
            continue
        old_district, old_assignee = moved[concern_id]
        owner = concerns[concern_id].created_by_id
        left.append(ChangeRef("followup", entry_id, old_district, owner, old_assignee))
        values = {"concern_id": concern_id, "district_code": district_code}
        entries.append(Record("followup", entry_id, values))
    return left, entries


# -- answering -------------------------------------------------------------------------------
