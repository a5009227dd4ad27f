"""Every concern gets a tracking code when it first reaches the server; old ones by migration."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from fieldapp.followup.tracking import (
    ALPHABET,
    new_tracking_code,
    normalise_tracking_code,
)
from tests.sync.sync_helpers import Device, concern_mutation, update_mutation

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]
CODE = re.compile(
    r"^PL-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{4}$"
)


def test_codes_are_readable_and_typed_back_in_any_shape():
    assert len(ALPHABET) == 32 and not set("01OI") & set(ALPHABET)
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000 and all(CODE.match(c) for c in codes)
    code = "PL-7K4Q-9M2T"
    for typed in ("pl-7k4q-9m2t", " PL 7K4Q 9M2T ", "7k4q9m2t", "PL7K4Q9M2T"):
        assert normalise_tracking_code(typed) == code
    for typed in ("PL-0K4Q-9M2T", "PL-7K4Q-9M2", "", "'; drop table concerns"):
        assert normalise_tracking_code(typed) is None


def test_the_push_gives_a_code_once_and_keeps_it(client, login, make_user, make_village):
    official = Device(client, login(make_user()))
    village = make_village()
    first, second = concern_mutation(village.id), concern_mutation(village.id)
    assert [r["status"] for r in official.push(first, second)] == ["applied", "applied"]
    official.pull()
    codes = {
        rid: official.seen[("concern", rid)]["tracking_code"]
        for rid in (first["record_id"], second["record_id"])
    }
    assert all(CODE.match(c) for c in codes.values()) and len(set(codes.values())) == 2
    official.push(update_mutation("concern", first["record_id"], 1, description="ถนนพัง"))
    official.pull()
    assert (
        official.seen[("concern", first["record_id"])]["tracking_code"] == codes[first["record_id"]]
    )
    # A device cannot choose one.
    forged = concern_mutation(village.id, tracking_code="PL-2222-2222")
    result = official.push(forged)[0]
    assert result["status"] == "rejected"
    assert "tracking_code" in result["errors"]


def test_a_code_is_unique_in_the_database(app, province):
    from fieldapp.extensions import db

    taken = province.concerns[0].tracking_code
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        db.session.execute(
            text("UPDATE concerns SET tracking_code = :code WHERE id = :id"),
            {"code": taken, "id": province.concerns[1].id},
        )
    db.session.rollback()
