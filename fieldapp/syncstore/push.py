"""Push: apply a device's batch with the engine and write the result in this transaction."""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from fieldapp.extensions import db
from fieldapp.models import QuarantinedMutation
from fieldapp.models.base import utcnow
from fieldapp.syncstore.load import load_outcomes, load_records, load_references, wanted_ids
from fieldapp.syncstore.policy import StorePolicy
from fieldapp.syncstore.render import Attachments, Viewer, load_attachments, record_json
from fieldapp.syncstore.surveyconcerns import raise_survey_concerns
from fieldapp.syncstore.tables import row_from_record
from fieldapp.syncstore.write import write_result
from sync import (
    APPLIED,
    DUPLICATE,
    REJECTED,
    Actor,
    BatchResult,
    Mutation,
    Outcome,
    apply_batch,
)

log = logging.getLogger(__name__)
ATTEMPTS = 5


def viewer_for(actor: Actor) -> Viewer:
    return Viewer(actor)


class Refused(Exception):
    """An interactive transition the rules refused: answered at once, nothing written."""

    def __init__(self, answer: dict[str, Any]) -> None:
        super().__init__(answer.get("detail") or answer.get("reason"))
        self.answer = answer


def push_mutations(
    mutations: list[Mutation],
    actor: Actor,
    *,
    interactive: bool = False,
    reapplying: QuarantinedMutation | None = None,
) -> list[dict[str, Any]]:
    """Apply the batch; retried whole when a concurrent push of the same ids won a race.

    `interactive`: a refusal raises Refused instead of going to quarantine (the web route).
    `reapplying`: an admin re-applies this quarantined mutation under its own mutation id.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            result = _push_once(mutations, actor, interactive, reapplying)
            return _answers(result, actor)
        except (IntegrityError, DBAPIError) as exc:
            if not _retryable(exc) or attempt == ATTEMPTS:
                raise
            log.info("push raced another writer (attempt %d): %s", attempt, exc.orig)
            db.session.rollback()
    raise AssertionError("unreachable")


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, IntegrityError):
        return True  # a unique key another transaction committed first: replay sees it now
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return code in {"40001", "40P01"}  # serialization failure, deadlock


# SQLite has one writer. The pushes of one process queue for it here, each woken the moment
# the one before it commits; SQLite's own busy handler, left alone, polls with sleeps of up to
# 100 ms and leaves the lock idle while its waiters sleep (docs/architecture.md, "One writer
# on SQLite"). The queue is held from BEGIN IMMEDIATE to the end of the session's
# transaction (commit or rollback, _leave_queue).
_WRITE_QUEUE = threading.Lock()
_queued = threading.local()


def begin_write() -> None:
    """SQLite: take the write lock before reading, so the whole push is serialised."""
    session = db.session()
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw.in_transaction:
        return
    if getattr(_queued, "session", None) is None:
        if not _WRITE_QUEUE.acquire(timeout=_busy_timeout(connection)):
            raise OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))
        _queued.session = session
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _busy_timeout(connection: Any) -> float:
    """The seconds a writer waits before answering 503: the connection's SQLite busy timeout
    (fieldapp/config.py: engine_options), read once per connection."""
    info = connection.info
    if "busy_timeout" not in info:
        milliseconds = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
        info["busy_timeout"] = (milliseconds or 0) / 1000
    return info["busy_timeout"]


@event.listens_for(Session, "after_transaction_end")
def _leave_queue(session: Session, transaction: Any) -> None:
    if transaction.parent is None and getattr(_queued, "session", None) is session:
        _queued.session = None
        _WRITE_QUEUE.release()


def _push_once(
    mutations: list[Mutation],
    actor: Actor,
    interactive: bool,
    reapplying: QuarantinedMutation | None,
) -> BatchResult:
    begin_write()
    postgres = db.session.get_bind().dialect.name == "postgresql"
    stored = (
        {}
        if reapplying
        else load_outcomes(sorted({m.mutation_id for m in mutations}), actor.user_id)
    )
    fresh = [m for m in mutations if m.mutation_id not in stored]
    targets = {(m.entity, m.record_id) for m in fresh} if postgres else None
    records = load_records(wanted_ids(fresh), lock=targets) if fresh else {}
    now = utcnow()
    refs = load_references(fresh, records)
    policy = StorePolicy(refs, now)
    result = apply_batch(mutations, records, stored, actor, policy, now)
    if interactive and result.rejected:
        _, outcome, _ = result.rejected[0]
        raise Refused(_answer(outcome, viewer_for(actor), Attachments.empty()))
    write_result(result, actor, now, reapplying)
    raise_survey_concerns(result, refs, actor, now)
    return result


def _answers(result: BatchResult, actor: Actor) -> list[dict[str, Any]]:
    viewer = viewer_for(actor)
    transitions = {m.mutation_id for m, _ in result.answered if m.op == "transition"}
    shown = [o for o in result.outcomes if o.status not in (REJECTED, DUPLICATE)]
    # Open conflicts are shown only inside a rendered record (see _answer).
    rendered = any(o.status != APPLIED or o.mutation_id in transitions for o in shown)
    # Photos only: a record this batch created has links only if the batch named photos.
    with_photos = {record_id for _, record_id, _ in result.photos}
    ids = {
        o.record_id
        for o in shown
        if rendered or (o.entity, o.record_id) not in result.created or o.record_id in with_photos
    }
    attachments = (
        load_attachments(db.session, ids, conflicts=rendered) if ids else Attachments.empty()
    )
    return [
        _answer(o, viewer, attachments, with_record=o.mutation_id in transitions)
        for o in result.outcomes
    ]


def _answer(
    outcome: Outcome,
    viewer: Viewer,
    attachments: Attachments,
    *,
    with_record: bool = True,
) -> dict[str, Any]:
    """One result. A plain `applied` carries no record: the device's copy is the server's
    (derived values arrive with the pull that follows every push)."""
    out: dict[str, Any] = {
        "mutation_id": outcome.mutation_id,
        "status": outcome.status,
        "entity": outcome.entity,
        "record_id": outcome.record_id,
    }
    if outcome.status == DUPLICATE:
        original = outcome.original
        out["original"] = original.stored() if isinstance(original, Outcome) else original
        return out
    if outcome.status == REJECTED:
        return {"mutation_id": outcome.mutation_id, **outcome.stored()}  # as a replay has it
    out["version"] = outcome.version
    if outcome.conflicts:
        out["conflicts"] = [c.as_dict() for c in outcome.conflicts]
    photos = attachments.photos.get(outcome.record_id, ())
    out["missing_photos"] = [p["sha256"] for p in photos if not p["present"]]
    if (with_record or outcome.status != APPLIED) and outcome.record is not None:
        record = outcome.record
        out["record"] = record_json(record.entity, row_from_record(record), viewer, attachments)
    return out
