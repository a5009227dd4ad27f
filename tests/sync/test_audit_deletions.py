"""A record a device deletes leaves an entry in the audit chain."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sync_helpers import new_id, visit_mutation

from fieldapp.extensions import db
from fieldapp.models import AuditEntry

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def test_a_record_deleted_through_push_is_recorded(make_user, make_village, device):
    user = make_user()
    phone = device(user)
    [created] = phone.push(visit_mutation(make_village().id))
    mutation_id = new_id()
    delete = {
        "mutation_id": mutation_id,
        "entity": "visit",
        "record_id": created["record_id"],
        "op": "delete",
        "base_version": 1,
    }
    phone.push(delete)
    phone.push(delete)  # a retry is answered, not deleted again
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "record.delete"))
    assert (entry.actor_id, entry.entity, entry.record_id) == (
        user.id,
        "visit",
        created["record_id"],
    )
    assert entry.details["mutation_id"] == mutation_id
