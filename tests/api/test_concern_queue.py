"""The concern queue: who sees it, its filters, order, pages and counts, checked against
counts made here from the rows themselves."""

from __future__ import annotations

import itertools
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import Concern, District, Village

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]

TODAY = "2026-03-20T09:00:00+07:00"
OPEN = {"new", "accepted", "in_progress"}
STATUSES = ("new", "accepted", "in_progress", "resolved", "closed", "rejected", "duplicate")


@pytest.fixture
def queue(app, province):
    """28 concerns in two districts in every state, some overdue on the frozen day."""
    app.config["FIELDAPP_FAKE_NOW"] = TODAY
    categories = ("roads", "water", "waste", "health")
    urgencies = ("low", "normal", "high", "critical")
    villages = ("mueang", "mueang2", "nakhon_thai")
    specs = []
    for n, (category, urgency) in enumerate(itertools.product(categories, urgencies)):
        specs.append(
            {
                "village": villages[n % 3],
                "category_code": category,
                "urgency": urgency,
                "description": f"เรื่องที่ {n} " + ("ไฟดับทั้งซอย" if n % 4 == 0 else "ถนนเป็นหลุม"),
                "reported_at": f"2026-03-{1 + n % 17:02d}T{8 + n % 9:02d}:00:00+07:00",
            }
        )
    mueang = province.report_many("official", [s for s in specs if s["village"] != "nakhon_thai"])
    nakhon = province.report_many("official2", [s for s in specs if s["village"] == "nakhon_thai"])
    official = province.id_of("official")
    for index, cid in enumerate(mueang + nakhon):
        boss = "supervisor" if cid in mueang else "other_supervisor"
        kind = index % 6
        if kind == 1:
            province.step(boss, cid, "accept")
        elif kind == 2:  # assigned, due in the past: overdue
            who = official if cid in mueang else province.id_of("official2")
            province.step(boss, cid, "assign", assignee_id=who, due_date="2026-03-10", priority=2)
        elif kind == 3:
            province.step(boss, cid, "assign", due_date="2026-04-30", priority=1)
            province.step(boss, cid, "start")
        elif kind == 4:
            province.step(boss, cid, "accept")
            province.step(boss, cid, "resolve", note="ซ่อมแล้ว")
        elif kind == 5:
            province.step(boss, cid, "reject", note="ซ้ำกับงานเดิม")
    return province


def rows_seen_by(who: str, province) -> list[Concern]:
    concerns = db.session.scalars(select(Concern).where(Concern.deleted.is_(False))).all()
    if who == "admin":
        return list(concerns)
    if who == "supervisor":
        return [c for c in concerns if c.district_code == "6501"]
    return [c for c in concerns if c.district_code == "6502"]


def expected_counts(rows: list[Concern]) -> dict[str, int]:
    today = date(2026, 3, 20)
    counts = {s: sum(1 for c in rows if c.status == s) for s in STATUSES}
    counts["overdue"] = sum(
        1 for c in rows if c.status in OPEN and c.due_date is not None and c.due_date < today
    )
    return counts


def subdistrict_of(concern: Concern) -> str:
    return db.session.get(Village, concern.village_id).subdistrict_code


def overdue_on_the_day(c: Concern) -> bool:
    return c.status in OPEN and c.due_date is not None and c.due_date < date(2026, 3, 20)


# (query, the rows its filters other than status keep, the statuses it asks for)
FILTERS = [
    ("", lambda c: True, None),
    ("status=new,accepted", lambda c: True, {"new", "accepted"}),
    ("category=water", lambda c: c.category_code == "water", None),
    ("urgency=critical,high", lambda c: c.urgency in ("critical", "high"), None),
    ("priority=1", lambda c: c.priority == 1, None),
    ("district=6501", lambda c: c.district_code == "6501", None),
    ("subdistrict=650102", lambda c: subdistrict_of(c) == "650102", None),
    ("assignee=none", lambda c: c.assignee_id is None, None),
    ("overdue=true", overdue_on_the_day, None),
    ("overdue=false&status=new", lambda c: not overdue_on_the_day(c), {"new"}),
    ("q=ไฟดับ", lambda c: "ไฟดับ" in c.description, None),
    ("status=resolved&category=roads", lambda c: c.category_code == "roads", {"resolved"}),
]


def test_filters_totals_and_counts_match_the_rows(queue):
    # One data set for every case (building it is the slow part): role × filter.
    for who, (query, keep, statuses) in itertools.product(
        ("supervisor", "other_supervisor", "admin"), FILTERS
    ):
        response = queue.get(who, f"/api/concerns?{query}&per_page=100")
        assert response.status_code == 200, (who, query, response.get_json())
        body = response.get_json()
        kept = [c for c in rows_seen_by(who, queue) if keep(c)]
        matching = [c for c in kept if statuses is None or c.status in statuses]
        assert {item["id"] for item in body["items"]} == {c.id for c in matching}, (who, query)
        assert body["total"] == len(matching), (who, query)
        # counts: under the same filters except status
        assert body["counts"] == expected_counts(kept), (who, query)


def test_items_say_what_a_supervisor_needs(queue):
    body = queue.get("supervisor", "/api/concerns?overdue=true").get_json()
    assert body["items"], body
    item = body["items"][0]
    assert item["overdue"] is True
    assert item["assignee"] == {"id": queue.id_of("official"), "display_name": "สมชาย เมือง"}
    assert item["village"]["name_th"] in ("บ้านในเมือง", "บ้านริมน้ำ")
    assert item["category_name_en"] and item["category_name_th"]
    assert item["due_date"] == "2026-03-10"
    assert item["reported_at"].endswith("+00:00")
    assert item["district_code"] == "6501" and item["subdistrict_code"].startswith("6501")


def test_pages_follow_the_order_and_cover_every_row_once(queue):
    for sort in ("oldest", "newest", "due"):
        seen: list[dict] = []
        for page in range(1, 10):
            url = f"/api/concerns?sort={sort}&per_page=5&page={page}"
            body = queue.get("admin", url).get_json()
            assert body["page"] == page and body["per_page"] == 5
            seen += body["items"]
            if not body["items"]:
                break
        assert len(seen) == body["total"] == len({i["id"] for i in seen}) == 16, sort
        times = [i["reported_at"] for i in seen]
        if sort == "oldest":
            assert times == sorted(times)
        elif sort == "newest":
            assert times == sorted(times, reverse=True)
        else:
            dated = [i["due_date"] for i in seen if i["due_date"]]
            assert [i["due_date"] for i in seen[: len(dated)]] == sorted(dated)
            assert all(i["due_date"] is None for i in seen[len(dated) :])


def test_an_official_sees_only_what_is_assigned_to_them(queue):
    refused = queue.get("official", "/api/concerns")
    assert refused.status_code == 403
    assert refused.get_json()["code"] == "concern.queue_forbidden"
    mine = queue.get("official", "/api/concerns?assignee=me").get_json()
    assigned = db.session.scalars(
        select(Concern.id).where(Concern.assignee_id == queue.id_of("official"))
    ).all()
    assert {i["id"] for i in mine["items"]} == set(assigned) and assigned


BAD_FILTERS = (
    "status=lost",
    "per_page=101",
    "page=0",
    "sort=sideways",
    "assignee=someone",
    "priority=9",
    "district=65",
    "village=not-a-uuid",
    "overdue=perhaps",
)


def test_bad_filters_are_refused_per_field(province):
    for query in BAD_FILTERS:
        response = province.get("supervisor", f"/api/concerns?{query}")
        assert response.status_code == 422, query
        body = response.get_json()
        assert body["code"] == "request.invalid"
        # Field paths are dotted (`status.0`: the first value of the comma list).
        assert {path.split(".")[0] for path in body["errors"]} == {query.split("=")[0]}, body


def test_anonymous_and_deactivated_get_nothing(province):
    for who in ("anonymous", "deactivated"):
        response = province.get(who, "/api/concerns?assignee=me")
        assert response.status_code == 401


def _ids(province, who: str, query: str) -> set[str]:
    response = province.get(who, f"/api/concerns?{query}&per_page=100")
    assert response.status_code == 200, (query, response.get_json())
    return {item["id"] for item in response.get_json()["items"]}


def test_free_text_finds_thai_inside_words_and_village_names(province):
    """Thai has no spaces: a word is found in the middle of a run of letters, through the
    trigram index, and a village's name finds its concerns."""
    lamp = province.report(description="ไฟฟ้าส่องสว่างดับทั้งซอยมาสามคืน", village="mueang")
    road = province.report(description="ถนนชำรุดเป็นหลุม", village="mueang2")
    assert _ids(province, "supervisor", "q=ดับทั้ง") == {lamp}
    assert _ids(province, "supervisor", "q=%E0%B8%AA%E0%B9%88%E0%B8%AD%E0%B8%87") == {lamp}
    assert _ids(province, "supervisor", "q=ริมน้ำ") == {road}  # บ้านริมน้ำ
    assert _ids(province, "supervisor", "q=100%25") == set()  # LIKE's wildcards are letters
    # Edited on a phone: found by its new words, not its old ones.
    edit = {
        "mutation_id": str(uuid.uuid4()),
        "entity": "concern",
        "record_id": road,
        "op": "update",
        "base_version": 1,
        "fields": {"description": "ท่อระบายน้ำอุดตัน"},
    }
    assert province.push("official", [edit])[0]["status"] == "applied"
    assert _ids(province, "supervisor", "q=ระบายน้ำ") == {road}
    assert _ids(province, "supervisor", "q=หลุม") == set()
    # Blank is no text filter; fewer than three letters cannot be matched by trigrams.
    assert _ids(province, "supervisor", "q=%20%20") == {lamp, road}
    short = province.get("supervisor", "/api/concerns?q=ไฟ")
    assert short.status_code == 422
    assert short.get_json()["error_codes"] == [
        {"field": "q", "code": "length_between", "params": {"min": 3, "max": 200}}
    ], short.get_json()


def test_a_supervisor_keeps_their_own_concerns_after_moving_district(province):
    """What a supervisor sees is their districts, plus what they reported or were assigned
    elsewhere: counted once, and paged in order across both."""
    mine = province.report_many(
        "supervisor",
        [{"reported_at": f"2026-03-0{day}T10:00:00+07:00"} for day in (2, 4)],
    )
    theirs = province.report_many(
        "official2",
        [
            {"village": "nakhon_thai", "reported_at": f"2026-03-0{day}T10:00:00+07:00"}
            for day in (1, 3, 5)
        ],
    )
    supervisor = province.users["supervisor"]
    nakhon = db.session.get(District, "6502")
    supervisor.districts = [nakhon]
    db.session.commit()
    body = province.get("supervisor", "/api/concerns?per_page=100").get_json()
    assert {i["id"] for i in body["items"]} == set(mine + theirs)
    assert body["total"] == 5 and body["counts"]["new"] == 5
    order = []
    for page in (1, 2, 3):
        order += [i["id"] for i in province.get(
            "supervisor", f"/api/concerns?per_page=2&page={page}"
        ).get_json()["items"]]  # fmt: skip
    assert order == [theirs[0], mine[0], theirs[1], mine[1], theirs[2]]
