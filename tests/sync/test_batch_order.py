"""A batch may create records and refer to them later in the same batch, in any entity order:
the server writes parents before children (found by bench/load_test.py as a 500)."""

from __future__ import annotations

import pytest
from sync_helpers import concern_mutation, new_id, visit_mutation

from fieldapp.extensions import db
from fieldapp.models import Concern, FollowupEntry

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]


def comment(concern_id: str) -> dict:
    return {
        "mutation_id": new_id(),
        "entity": "followup",
        "record_id": new_id(),
        "op": "create",
        "fields": {"concern_id": concern_id, "body": "ติดตามกับผู้ใหญ่บ้าน"},
    }


def test_a_comment_on_a_concern_created_later_in_the_batch_order_is_stored(
    make_user, make_village, device
):
    phone = device(make_user())
    village = make_village()
    [earlier] = phone.push(concern_mutation(village.id))
    visit = visit_mutation(village.id)
    concern = concern_mutation(village.id, visit_id=visit["record_id"])
    # A follow-up comes first (on an older concern), so follow-ups are met before concerns.
    results = phone.push(
        comment(earlier["record_id"]), visit, concern, comment(concern["record_id"])
    )
    assert [r["status"] for r in results] == ["applied"] * 4
    assert db.session.get(Concern, concern["record_id"]).visit_id == visit["record_id"]
    assert db.session.query(FollowupEntry).filter_by(concern_id=concern["record_id"]).count() == 1
