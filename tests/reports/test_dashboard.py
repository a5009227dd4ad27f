"""The dashboard's figures equal those computed here from the rows, scoped by visibility."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, timedelta

import pytest
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import Concern
from fieldapp.reports.sqltime import BANGKOK
from tests.reports.conftest import TODAY, at

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]
OPEN = ("new", "accepted", "in_progress")


def percentile(values: list[float], p: float) -> float | None:
    """Linear interpolation between the closest ranks (what percentile_cont does)."""
    if not values:
        return None
    ordered = sorted(values)
    place = p * (len(ordered) - 1)
    low = int(place)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (place - low)


def expected(concerns: list[Concern], keys: tuple[str, ...]) -> dict[tuple, dict]:
    groups: dict[tuple, list[Concern]] = defaultdict(list)
    for c in concerns:
        groups[tuple(getattr(c, k) for k in keys)].append(c)
    out = {}
    for key, rows in groups.items():
        resolved = [c for c in rows if c.status in ("resolved", "closed") and c.resolved_at]
        days = [(c.resolved_at - c.reported_at).total_seconds() / 86400 for c in resolved]
        with_due = [c for c in resolved if c.due_date]
        within = [c for c in with_due if _bangkok_day(c.resolved_at) <= c.due_date]
        out[key] = {
            "received": len(rows),
            "open": sum(c.status in OPEN for c in rows),
            "overdue": sum(
                c.status in OPEN and c.due_date is not None and c.due_date < TODAY for c in rows
            ),
            "resolved": len(resolved),
            "resolved_with_due_date": len(with_due),
            "within_service_level": len(within),
            "villager_confirmed": sum(c.villager_confirmed is True for c in rows),
            "median_days": percentile(days, 0.5),
            "p90_days": percentile(days, 0.9),
            "share_within_service_level": len(within) / len(with_due) if with_due else None,
        }
    return out


def _bangkok_day(moment):
    return moment.astimezone(BANGKOK).date()


def stored(district: str | None = None) -> list[Concern]:
    query = select(Concern).where(Concern.deleted.is_(False))
    if district:
        query = query.where(Concern.district_code == district)
    db.session.expire_all()
    rows = list(db.session.scalars(query))
    db.session.expunge_all()  # read-only copies: the changes below never reach the database
    for c in rows:  # SQLite hands times back naive, in UTC
        c.reported_at = c.reported_at.replace(tzinfo=c.reported_at.tzinfo or UTC)
        if c.resolved_at:
            c.resolved_at = c.resolved_at.replace(tzinfo=c.resolved_at.tzinfo or UTC)
    return rows


def assert_figures(answer: dict, concerns: list[Concern]) -> None:
    for name, keys in (
        ("by_district_category", ("district_code", "category_code")),
        ("by_district", ("district_code",)),
        ("by_category", ("category_code",)),
        ("total", ()),
    ):
        want = expected(concerns, keys)
        got = {tuple(row[k] for k in keys): row for row in answer["concerns"][name]}
        assert got.keys() == want.keys(), name
        for key, figures in want.items():
            for figure, value in figures.items():
                if isinstance(value, float):
                    assert got[key][figure] == pytest.approx(value, abs=0.01), (name, key, figure)
                else:
                    assert got[key][figure] == value, (name, key, figure)


def dashboard(client, headers, query: str = ""):
    return client.get(f"/api/reports/dashboard?{query}", headers=headers)


def test_an_admin_sees_the_province(client, login, make_user, province):
    admin = login(make_user(role="admin", districts=()))
    answer = dashboard(client, admin).get_json()
    assert_figures(answer, stored())
    assert answer["today"] == TODAY.isoformat()


def test_a_supervisor_sees_their_districts(client, login, make_user, province):
    supervisor = login(make_user(role="supervisor", districts=("6501",)))
    answer = dashboard(client, supervisor).get_json()
    assert_figures(answer, stored("6501"))
    assert {row["district_code"] for row in answer["concerns"]["by_district"]} == {"6501"}


def test_filters_by_district_and_period(client, login, make_user, province):
    admin = login(make_user(role="admin", districts=()))
    answer = dashboard(client, admin, "district=6502").get_json()
    assert_figures(answer, stored("6502"))
    start = (TODAY - timedelta(days=25)).isoformat()
    answer = dashboard(client, admin, f"start={start}&end={TODAY.isoformat()}").get_json()
    since = at(25, hour=0)
    assert_figures(answer, [c for c in stored() if c.reported_at >= since])
    bad = dashboard(client, admin, "start=2026-05-01&end=2026-04-01")
    assert bad.status_code == 422 and bad.get_json()["errors"]["end"]


def test_officials_have_no_dashboard(client, login, make_user, province):
    official = login(make_user(role="official", districts=("6501",)))
    assert dashboard(client, official).status_code == 403


def test_monthly_activity_and_clean_tidy(client, login, make_user, province):
    admin = login(make_user(role="admin", districts=()))
    answer = dashboard(client, admin).get_json()
    months = {row["month"]: row for row in answer["monthly"]}
    concerns = stored()
    for month in {_bangkok_day(c.reported_at).strftime("%Y-%m") for c in concerns}:
        assert months[month]["concerns"] == sum(
            _bangkok_day(c.reported_at).strftime("%Y-%m") == month for c in concerns
        )
    assert sum(row["visits"] for row in answer["monthly"]) == 3
    assert sum(row["resolved"] for row in answer["monthly"]) == sum(
        c.resolved_at is not None for c in concerns
    )
    clean = {row["district_code"]: row for row in answer["clean_tidy"]}
    assert clean["6501"]["average_percent"] == 70.0
    assert clean["6501"]["inspections"] == 2
    assert clean["6502"]["best_village"]["name_th"] == "บ้านนาบัว"
    assert clean["6502"]["worst_village"]["average_percent"] == 90.0


def test_clean_tidy_names_each_districts_best_and_worst_village(
    client, login, make_user, make_village, province
):
    from fieldapp.extensions import db
    from fieldapp.models import Inspection

    other = make_village("650102", name_th="บ้านดอนทอง", moo=4)
    for total in (95, 85):
        db.session.add(
            Inspection(
                village_id=other.id,
                district_code="6501",
                place_type="temple",
                place_name="วัดดอนทอง",
                inspected_at=province.concerns[0].reported_at,
                template_id=1,
                scores={},
                total=total,
                max_total=100,
                grade="A",
                created_by_id=province.author.id,
            )
        )
    db.session.commit()
    admin = login(make_user(role="admin", districts=()))
    clean = {r["district_code"]: r for r in dashboard(client, admin).get_json()["clean_tidy"]}
    # Computed here from the rows: บ้านหนองโพธิ์ 80 and 60 (70 %), บ้านดอนทอง 95 and 85 (90 %).
    row = clean["6501"]
    assert row["inspections"] == 4 and row["average_percent"] == 80.0
    assert row["best_village"] == {
        "village_id": other.id,
        "moo": 4,
        "name_th": "บ้านดอนทอง",
        "name_en": other.name_en,
        "average_percent": 90.0,
    }
    assert row["worst_village"]["name_th"] == "บ้านหนองโพธิ์"
    assert row["worst_village"]["average_percent"] == 70.0
