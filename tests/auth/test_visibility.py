"""The visibility rule as a table: role × district × own/assigned/other × entity, and the SQL
form agreeing with the predicate on every row."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select

from fieldapp.auth.access import ROLE_PERMISSIONS
from fieldapp.auth.visibility import (
    OWNER_COLUMNS,
    Scope,
    acting_for,
    change_refusal,
    feed_filter,
    form_given,
    hears_villagers,
    may_be_assigned,
    may_publish_photo,
    may_review,
    may_see,
    may_see_evidence,
    may_see_history,
    may_see_photo,
    may_see_photo_original,
    personal_data_filter,
    public_filter,
    record_filter,
    record_filter_parts,
    sees_personal_data,
)
from sync import Actor

ME = 7
OTHER = 8
ENTITIES = (
    "village",
    "visit",
    "inspection",
    "survey",
    "concern",
    "followup",
    "category",
    "template",
    "form",
    "quarantine",
    "conflict",
)
RELATIONS = ("own", "assigned", "other")
DISTRICTS = ("6501", "6502")  # the actor holds 6501


def actor(role: str, *, active: bool = True) -> Actor:
    permissions = ROLE_PERMISSIONS[role] if active else frozenset()
    return Actor(
        user_id=ME,
        role=role,
        device_id="phone",
        district_codes=frozenset() if role == "admin" else frozenset({"6501"}),
        province_wide=role == "admin",
        permissions=frozenset(str(p) for p in permissions),
    )


def scope(entity: str, district: str, relation: str) -> Scope:
    if entity in ("category", "template", "form"):
        return Scope(entity, None)
    owner = ME if relation == "own" else OTHER
    assignee = ME if relation == "assigned" else None
    if entity not in ("concern", "followup"):
        assignee = None
    return Scope(entity, district, owner if entity != "village" else None, assignee)


# (role, entity, district, relation) -> seen; everything not listed is not seen.
SEEN = {
    # reference data: everyone
    **{(r, e, d, rel): True for r in ROLE_PERMISSIONS for e in ("category", "template", "form")
       for d in DISTRICTS for rel in RELATIONS},
    # villages: the user's districts
    **{(r, "village", "6501", rel): True for r in ("official", "supervisor") for rel in RELATIONS},
    **{("admin", "village", d, rel): True for d in DISTRICTS for rel in RELATIONS},
    # visits, inspections and surveys: the author everywhere; supervisors in their districts;
    # admins all
    **{(r, e, d, "own"): True for r in ROLE_PERMISSIONS for e in ("visit", "inspection", "survey")
       for d in DISTRICTS},
    **{("supervisor", e, "6501", rel): True for e in ("visit", "inspection", "survey")
       for rel in RELATIONS},
    **{("admin", e, d, rel): True for e in ("visit", "inspection", "survey") for d in DISTRICTS
       for rel in RELATIONS},
    # quarantined mutations: like visits (author: whose mutation it is)
    **{(r, "quarantine", d, "own"): True for r in ROLE_PERMISSIONS for d in DISTRICTS},
    **{("supervisor", "quarantine", "6501", rel): True for rel in RELATIONS},
    **{("admin", "quarantine", d, rel): True for d in DISTRICTS for rel in RELATIONS},
    # conflicts: supervisors of the district; admins all
    **{("supervisor", "conflict", "6501", rel): True for rel in RELATIONS},
    **{("admin", "conflict", d, rel): True for d in DISTRICTS for rel in RELATIONS},
    # concerns and their timelines: the district, the author, the assignee; admins all
    **{(r, e, "6501", rel): True for r in ROLE_PERMISSIONS for e in ("concern", "followup")
       for rel in RELATIONS},
    **{(r, e, "6502", rel): True for r in ROLE_PERMISSIONS for e in ("concern", "followup")
       for rel in ("own", "assigned")},
    **{("admin", e, "6502", "other"): True for e in ("concern", "followup")},
}  # fmt: skip

CASES = list(itertools.product(ROLE_PERMISSIONS, ENTITIES, DISTRICTS, RELATIONS))


@pytest.mark.parametrize(("role", "entity", "district", "relation"), CASES)
def test_who_sees_what(role, entity, district, relation):
    expected = SEEN.get((role, entity, district, relation), False)
    assert may_see(actor(role), scope(entity, district, relation)) is expected


@pytest.mark.parametrize("role", list(ROLE_PERMISSIONS))
def test_an_inactive_user_sees_nothing(role):
    inactive = actor(role, active=False)
    assert not any(may_see(inactive, scope(*case[1:])) for case in CASES)


@pytest.fixture(scope="module")
def feed():
    """The change feed's scope columns, one row per (entity, district, relation)."""
    engine = create_engine("sqlite://")
    metadata = MetaData()
    table = Table(
        "changes",
        metadata,
        Column("seq", Integer, primary_key=True),
        Column("entity", String),
        Column("district_code", String),
        Column("owner_id", Integer),
        Column("assignee_id", Integer),
    )
    metadata.create_all(engine)
    rows = {}
    with engine.begin() as conn:
        for seq, (entity, district, relation) in enumerate(
            itertools.product(ENTITIES, DISTRICTS, RELATIONS), start=1
        ):
            s = scope(entity, district, relation)
            conn.execute(
                insert(table).values(
                    seq=seq,
                    entity=s.entity,
                    district_code=s.district_code,
                    owner_id=s.owner_id,
                    assignee_id=s.assignee_id,
                )
            )
            rows[seq] = s
    return engine, table, rows


@pytest.mark.parametrize("role", list(ROLE_PERMISSIONS))
@pytest.mark.parametrize("active", [True, False])
def test_the_sql_form_agrees_with_the_predicate(feed, role, active):
    engine, table, rows = feed
    who = actor(role, active=active)
    with engine.connect() as conn:
        seen = set(conn.scalars(select(table.c.seq).where(feed_filter(who, table.c))))
    assert seen == {seq for seq, s in rows.items() if may_see(who, s)}


@pytest.mark.parametrize(
    ("role", "op", "district", "relation", "refusal"),
    [
        ("official", "create", "6501", "own", None),
        ("official", "create", "6502", "own", "out_of_scope"),
        ("official", "update", "6501", "own", None),
        ("official", "update", "6501", "other", "forbidden"),
        ("official", "update", "6501", "assigned", None),  # a concern's assignee
        ("official", "update", "6502", "assigned", None),
        ("official", "delete", "6502", "own", "out_of_scope"),
        ("supervisor", "update", "6501", "other", None),
        ("supervisor", "update", "6502", "other", "out_of_scope"),
        ("admin", "delete", "6502", "other", None),
    ],
)
def test_who_changes_a_concern(role, op, district, relation, refusal):
    s = scope("concern", district, relation)
    answer = change_refusal(actor(role), op, s, s.owner_id)
    assert (answer[0] if answer else None) == refusal


def test_follow_up_entries_are_append_only_and_scoped_by_their_concern():
    official = actor("official")
    assert change_refusal(official, "update", scope("followup", "6501", "own"), ME)[0] == (
        "append_only"
    )
    assert change_refusal(official, "create", scope("followup", "6502", "assigned"), OTHER) is None
    assert change_refusal(official, "create", scope("followup", "6502", "other"), OTHER)[0] == (
        "out_of_scope"
    )


# -- personal data in exports, and the public ---------------------------------------------------


@pytest.fixture(scope="module")
def concern_rows():
    """A concern table's scope columns, one row per (district, relation)."""
    engine = create_engine("sqlite://")
    table = Table(
        "concerns",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("district_code", String),
        Column("created_by_id", Integer),
        Column("assignee_id", Integer),
        Column("deleted", Integer),
    )
    table.metadata.create_all(engine)
    rows = {}
    with engine.begin() as conn:
        for row_id, (district, relation) in enumerate(
            itertools.product(DISTRICTS, RELATIONS), start=1
        ):
            s = scope("concern", district, relation)
            conn.execute(
                insert(table).values(
                    id=row_id,
                    district_code=s.district_code,
                    created_by_id=s.owner_id,
                    assignee_id=s.assignee_id,
                    deleted=row_id == 1,
                )
            )
            rows[row_id] = s
    return engine, table, rows


@pytest.mark.parametrize("role", list(ROLE_PERMISSIONS))
@pytest.mark.parametrize("active", [True, False])
def test_personal_data_in_sql_agrees_with_the_predicate(concern_rows, role, active):
    engine, table, rows = concern_rows
    who = actor(role, active=active)
    with engine.connect() as conn:
        seen = set(conn.scalars(select(table.c.id).where(personal_data_filter(who, table))))
    assert seen == {i for i, s in rows.items() if sees_personal_data(who, s)}


def test_the_public_sees_live_concerns_and_inspections_only(concern_rows):
    engine, table, rows = concern_rows
    with engine.connect() as conn:
        public = set(conn.scalars(select(table.c.id).where(public_filter("concern", table))))
        assert public == set(rows) - {1}  # row 1 is deleted
        for entity in ("visit", "followup", "village"):
            assert not conn.scalars(select(table.c.id).where(public_filter(entity, table))).all()


@pytest.mark.parametrize(
    ("role", "uploader", "sees_a_holder", "thumb", "original"),
    [
        ("official", ME, False, True, True),  # the uploader, before any record names it
        ("official", OTHER, True, True, False),  # sees a record naming it: no GPS original
        ("official", OTHER, False, False, False),
        ("supervisor", OTHER, True, True, True),
        ("supervisor", OTHER, False, False, False),
        ("admin", OTHER, True, True, True),
        ("admin", None, False, False, False),
    ],
)
def test_who_sees_a_photo(role, uploader, sees_a_holder, thumb, original):
    who, asked = actor(role), lambda: sees_a_holder
    assert may_see_photo(who, uploader, asked) is thumb
    assert may_see_photo_original(who, uploader, asked) is original
    inactive = actor(role, active=False)
    assert not may_see_photo(inactive, uploader, asked)
    assert not may_see_photo_original(inactive, uploader, asked)


@dataclass
class Candidate:
    role: str
    district_codes: list[str]
    active: bool = True


@pytest.mark.parametrize(
    ("candidate", "district", "allowed"),
    [
        (Candidate("official", ["6501"]), "6501", True),
        (Candidate("supervisor", ["6501", "6502"]), "6502", True),
        (Candidate("official", ["6502"]), "6501", False),  # another district
        (Candidate("official", ["6501"], active=False), "6501", False),
        (Candidate("admin", []), "6501", False),  # admins hold no district
        (Candidate("official", ["6501"]), None, False),
    ],
)
def test_who_may_be_assigned(candidate, district, allowed):
    assert may_be_assigned(candidate, district) is allowed


def test_an_admin_reapplying_acts_as_the_author_with_an_admins_authority():
    reapplier = acting_for(OTHER, "phone")
    assert reapplier.user_id == OTHER and reapplier.province_wide
    assert change_refusal(reapplier, "update", scope("visit", "6502", "other"), ME) is None
    assert may_see(reapplier, scope("concern", "6502", "other"))


@pytest.mark.parametrize(
    ("role", "entity", "district", "relation", "allowed"),
    [
        ("supervisor", "inspection", "6501", "other", True),
        ("supervisor", "visit", "6501", "other", True),
        ("supervisor", "inspection", "6501", "own", False),  # never one's own work
        ("supervisor", "inspection", "6502", "other", False),
        ("admin", "inspection", "6502", "other", True),
        ("official", "inspection", "6501", "other", False),
        ("official", "inspection", "6501", "own", False),
        ("supervisor", "concern", "6501", "other", False),  # concerns have a workflow instead
    ],
)
def test_who_reviews_field_work(role, entity, district, relation, allowed):
    assert may_review(actor(role), scope(entity, district, relation)) is allowed
    assert may_review(actor(role, active=False), scope(entity, district, relation)) is False


# --- villager (issue 13): who records the villager's word on a concern's fix ---
@pytest.mark.parametrize(
    ("role", "entity", "district", "relation", "allowed"),
    [
        ("official", "concern", "6501", "other", True),  # an official of its district
        ("official", "concern", "6502", "other", False),
        ("official", "concern", "6502", "assigned", True),  # its assignee, anywhere
        ("official", "concern", "6502", "own", False),  # reporting it is not enough
        ("supervisor", "concern", "6501", "other", True),
        ("supervisor", "concern", "6502", "other", False),
        ("admin", "concern", "6502", "other", True),
        ("official", "visit", "6501", "own", False),  # concerns only
        ("official", "followup", "6501", "other", False),
    ],
)
def test_who_records_the_villagers_word(role, entity, district, relation, allowed):
    assert hears_villagers(actor(role), scope(entity, district, relation)) is allowed
    assert hears_villagers(actor(role, active=False), scope(entity, district, relation)) is False


@pytest.mark.parametrize(
    ("role", "district", "relation"),
    CONCERN_CASES := [
        (r, d, rel) for r in ROLE_PERMISSIONS for d in DISTRICTS for rel in RELATIONS
    ],
)
def test_evidence_checks_are_seen_with_their_concern(role, district, relation):
    who, concern = actor(role), scope("concern", district, relation)
    assert may_see_evidence(who, concern) is may_see(who, concern)
    assert not may_see_evidence(actor(role, active=False), concern)
    # the concern a matching photo belongs to is named only to one who sees it as well
    elsewhere = scope("concern", "6502", "other")
    assert may_see_evidence(who, concern, elsewhere) is (
        may_see(who, concern) and may_see(who, elsewhere)
    )
    assert not may_see_evidence(who, scope("visit", district, relation))


@pytest.mark.parametrize(
    ("role", "roles", "districts", "given"),
    [
        ("official", [], [], True),  # given to no one in particular: to all
        ("official", ["official"], [], True),
        ("official", ["supervisor"], [], False),
        ("official", [], ["6501"], True),
        ("official", [], ["6502"], False),
        ("official", ["official"], ["6502", "6501"], True),
        ("supervisor", ["official"], ["6501"], False),
        ("supervisor", ["official", "supervisor"], ["6501"], True),
        ("admin", ["official"], ["6502"], True),  # admins: every form
    ],
)
def test_who_is_given_a_survey_form(role, roles, districts, given):
    assert form_given(actor(role), roles, districts) is given
    assert form_given(actor(role, active=False), roles, districts) is False


HISTORIES = ("visit", "inspection", "concern", "followup")


@pytest.mark.parametrize(
    ("role", "entity", "district", "relation"),
    list(itertools.product(ROLE_PERMISSIONS, HISTORIES, DISTRICTS, RELATIONS)),
)
def test_who_sees_a_records_history(role, entity, district, relation):
    """Supervisors of the district and admins; never an official, not even of their own
    record or one assigned to them (they see its timeline)."""
    expected = role == "admin" or (role == "supervisor" and district == "6501")
    seen = scope(entity, district, relation)
    assert may_see_history(actor(role), seen) is expected
    assert may_see_history(actor(role, active=False), seen) is False


@pytest.mark.parametrize(
    ("role", "entity", "district", "relation", "allowed"),
    [
        ("supervisor", "concern", "6501", "other", True),
        ("supervisor", "concern", "6501", "own", True),
        ("supervisor", "concern", "6502", "other", False),  # another district
        ("supervisor", "concern", "6502", "assigned", False),  # sees it, may not publish
        ("admin", "concern", "6502", "other", True),
        ("official", "concern", "6501", "own", False),  # the author alone may not
        ("official", "concern", "6501", "assigned", False),
        ("supervisor", "visit", "6501", "other", False),  # only concerns reach the public page
    ],
)
def test_who_publishes_a_photo(role, entity, district, relation, allowed):
    assert may_publish_photo(actor(role), scope(entity, district, relation)) is allowed
    assert may_publish_photo(actor(role, active=False), scope(entity, district, relation)) is False


@pytest.mark.parametrize("entity", ["concern", "visit", "inspection", "quarantine"])
@pytest.mark.parametrize("role", list(ROLE_PERMISSIONS))
@pytest.mark.parametrize("active", [True, False])
def test_the_parts_of_the_sql_form_split_it_without_overlap(entity, role, active):
    """`record_filter_parts` (the queue counts each part apart): every row the whole filter
    gives is in exactly one part, and no other row is."""
    engine = create_engine("sqlite://")
    owner = OWNER_COLUMNS.get(entity, "created_by_id")
    table = Table(
        f"{entity}s",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("district_code", String),
        Column(owner, Integer),
        Column("assignee_id", Integer),
    )
    table.metadata.create_all(engine)
    people = (ME, OTHER, None)
    rows = list(itertools.product(DISTRICTS, people, people))
    with engine.begin() as conn:
        for row_id, (district, author, assignee) in enumerate(rows, start=1):
            conn.execute(
                insert(table).values(
                    id=row_id, district_code=district, **{owner: author}, assignee_id=assignee
                )
            )
    who = actor(role, active=active)
    with engine.connect() as conn:
        whole = set(conn.scalars(select(table.c.id).where(record_filter(who, entity, table))))
        parts = [
            list(conn.scalars(select(table.c.id).where(part)))
            for part in record_filter_parts(who, entity, table)
        ]
    found = [row_id for part in parts for row_id in part]
    assert sorted(found) == sorted(whole)  # the same rows, none twice
    expected = {
        row_id
        for row_id, (district, author, assignee) in enumerate(rows, start=1)
        if may_see(who, Scope(entity, district, author, assignee if entity == "concern" else None))
    }
    assert whole == expected
