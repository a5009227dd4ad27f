"""The supervisors' concern queue on 100,000 concerns: server time of a filtered page of 20.

Fills a fresh SQLite database (and a fresh PostgreSQL one when TEST_DATABASE_URL, or the local
default, is reachable) with 100,000 concerns over the nine districts of Phitsanulok in every
state, about a third of the open ones past due, then asks the queue for pages as a supervisor
of one district, as the province admin and as an official (`assignee=me`). Each request goes
through the whole app in process (auth, parsing, the queries, JSON), REPEATS times (default
7); the median is printed per case. The target is under 50 ms a page. Free text (`q=`) is a
LIKE over the description: no index helps, so it scans what the other filters leave.

    .venv/bin/python bench/queue_bench.py            # CONCERNS=100000 REPEATS=7
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, event, insert, make_url, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fieldapp import create_app  # noqa: E402
from fieldapp.auth.passwords import hash_password  # noqa: E402
from fieldapp.auth.tokens import issue_device_token  # noqa: E402
from fieldapp.extensions import db  # noqa: E402
from fieldapp.models import Concern, District, Subdistrict, User, Village  # noqa: E402
from fieldapp.seed import CATEGORIES, seed_reference_data  # noqa: E402
from fieldapp.syncstore.tables import DEFAULTS  # noqa: E402

CONCERNS = int(os.environ.get("CONCERNS", "100000"))
REPEATS = int(os.environ.get("REPEATS", "7"))
DATABASES = os.environ.get("DATABASES", "sqlite,postgresql").split(",")
PG_URL = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TODAY = "2026-06-15T09:00:00+07:00"
STATUSES = [("new", 30), ("accepted", 20), ("in_progress", 15), ("resolved", 20),
            ("closed", 10), ("rejected", 3), ("duplicate", 2)]  # fmt: skip
URGENCIES = [("low", 20), ("normal", 55), ("high", 20), ("critical", 5)]
TEXTS = ["ถนนชำรุดเป็นหลุมลึก รถจักรยานยนต์ล้มบ่อย", "น้ำประปาไม่ไหลมาสามวันแล้ว",
         "ไฟฟ้าส่องสว่างดับทั้งซอย กลางคืนมืดมาก", "ขยะล้นถังหน้าตลาด ส่งกลิ่นเหม็น",
         "น้ำท่วมขังหลังฝนตก ท่อระบายน้ำอุดตัน", "สุนัขจรจัดไล่กัดเด็กนักเรียน"]  # fmt: skip

# (who, label, query); {village}, {subdistrict} and {official} are filled in from the data.
CASES = [
    ("supervisor", "everything, oldest first", ""),
    ("supervisor", "all open, oldest first", "status=new,accepted,in_progress"),
    ("supervisor", "new, newest first", "status=new&sort=newest"),
    ("supervisor", "accepted tab", "status=accepted"),
    ("supervisor", "sort by due date", "sort=due"),
    ("supervisor", "overdue by due date", "overdue=true&sort=due"),
    ("supervisor", "not overdue", "overdue=false"),
    ("supervisor", "category", "category=water"),
    ("supervisor", "category + urgency", "category=water&urgency=high,critical"),
    ("supervisor", "priority 1", "priority=1"),
    ("supervisor", "subdistrict", "subdistrict={subdistrict}"),
    ("supervisor", "village", "village={village}"),
    ("supervisor", "unassigned", "assignee=none"),
    ("supervisor", "one assignee", "assignee={official}"),
    ("supervisor", "page 20", "page=20"),
    ("supervisor", "deep page (page 500)", "page=500"),
    ("supervisor", "free text q=ประปา", "q=ประปา&status=new,accepted,in_progress"),
    ("supervisor", "free text, 2 letters", "q=น้"),
    ("supervisor", "free text, one match", "q=เรื่องที่ 4239)"),
    ("admin", "everything, oldest first", ""),
    ("admin", "new, newest first", "status=new&sort=newest"),
    ("admin", "sort by due date", "sort=due"),
    ("admin", "overdue by due date", "overdue=true&sort=due"),
    ("admin", "district + status", "district=6505&status=accepted"),
    ("admin", "category", "category=water"),
    ("admin", "urgency", "urgency=critical"),
    ("admin", "unassigned", "assignee=none"),
    ("admin", "deep page (page 500)", "page=500"),
    ("admin", "last page (page 5000)", "page=5000"),
    ("admin", "free text q=ประปา", "q=ประปา"),
    ("admin", "free text, 2 letters", "q=น้"),
    ("admin", "free text, one match", "q=เรื่องที่ 4239)"),
    ("official", "assigned to me", "assignee=me"),
]
# The same run's floor: a signed-in request that reads one row by its primary key.
BASELINE = ("admin", "baseline: /api/auth/me", "/api/auth/me")


def _weighted(choices: list[tuple[str, int]], rng: random.Random) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _people_and_villages(rng: random.Random) -> tuple[dict[str, list[str]], dict[str, list[int]]]:
    villages: dict[str, list[str]] = {}
    officials: dict[str, list[int]] = {}
    password = hash_password("bench-pass-2026")
    for district in db.session.scalars(select(District).order_by(District.code)):
        subdistricts = db.session.scalars(
            select(Subdistrict.code).where(Subdistrict.district_code == district.code)
        ).all()
        for moo, sub in enumerate(subdistricts[:6] * 2, start=1):
            village = Village(subdistrict_code=sub, district_code=district.code, moo=moo,
                              name_th=f"บ้านทดสอบ {moo}")  # fmt: skip
            db.session.add(village)
            villages.setdefault(district.code, []).append(village)
        for n in range(15):
            user = User(username=f"off-{district.code}-{n}", display_name=f"เจ้าหน้าที่ {n}",
                        role="official", password_hash=password, districts=[district])  # fmt: skip
            db.session.add(user)
            officials.setdefault(district.code, []).append(user)
    db.session.flush()
    return (
        {d: [v.id for v in vs] for d, vs in villages.items()},
        {d: [u.id for u in us] for d, us in officials.items()},
    )


def fill(seed: int = 2026) -> None:
    rng = random.Random(seed)
    villages, officials = _people_and_villages(rng)
    districts = sorted(villages)
    categories = [code for code, *_ in CATEGORIES]
    today = date(2026, 6, 15)
    start = datetime(2025, 6, 1, tzinfo=UTC)
    rows = []
    for n in range(CONCERNS):
        district = districts[n % len(districts)]
        status = _weighted(STATUSES, rng)
        taken = status != "new"
        reported = start + timedelta(minutes=rng.randrange(380 * 24 * 60))
        due = today + timedelta(days=rng.randrange(-60, 60)) if taken else None
        assigned = taken and rng.random() < 0.7
        row = {
            **DEFAULTS["concern"],
            "id": str(uuid.UUID(int=rng.getrandbits(128))),
            "version": 1,
            "field_versions": {},
            "deleted": False,
            "village_id": rng.choice(villages[district]),
            "district_code": district,
            "category_code": rng.choice(categories),
            "description": f"{rng.choice(TEXTS)} (เรื่องที่ {n})",
            "urgency": _weighted(URGENCIES, rng),
            "reported_at": reported,
            "status": status,
            "assignee_id": rng.choice(officials[district]) if assigned else None,
            "due_date": due,
            "priority": rng.randint(1, 5) if taken else None,
            "lat": 16.8 + rng.random() * 0.8,
            "lon": 100.2 + rng.random() * 0.8,
            "created_at": reported,
            "updated_at": reported,
            "observed_at": reported,
            "device_id": None,
            "created_by_id": rng.choice(officials[district]),
        }
        rows.append(row)
    for chunk in range(0, len(rows), 10_000):
        db.session.execute(insert(Concern.__table__), rows[chunk : chunk + 10_000])
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def _headers() -> dict[str, dict[str, str]]:
    password = hash_password("bench-pass-2026")
    mueang = db.session.get(District, "6501")
    users = {
        "supervisor": User(username="sup", display_name="หัวหน้า", role="supervisor",
                           password_hash=password, districts=[mueang]),
        "admin": User(username="adm", display_name="ผู้ดูแล", role="admin", password_hash=password),
    }  # fmt: skip
    db.session.add_all(users.values())
    official = db.session.scalar(select(User).where(User.username == "off-6501-0"))
    users["official"] = official
    headers = {}
    for name, user in users.items():
        _, token = issue_device_token(user, "bench")
        headers[name] = {"Authorization": f"Bearer {token}"}
    db.session.commit()
    return headers


def _placeholders() -> dict[str, str]:
    village = db.session.scalar(
        select(Village).where(Village.district_code == "6501").order_by(Village.id)
    )
    official = db.session.scalar(select(User.id).where(User.username == "off-6501-1"))
    return {"village": village.id, "subdistrict": village.subdistrict_code, "official": official}


class SqlClock:
    """The time spent inside the database driver, summed over a request."""

    def __init__(self, engine) -> None:
        self.spent = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, *_args) -> None:
        conn.info["bench_began"] = time.perf_counter()

    def _after(self, conn, *_args) -> None:
        self.spent += time.perf_counter() - conn.info.pop("bench_began")


Figure = tuple[str, str, float, float, float, int]  # who, label, ms, sql ms, ratio, total


def measure(app) -> list[Figure]:
    """Each case REPEATS times, each time right after the baseline request: the medians, and
    the median of the per-round ratios to the baseline (noise on a shared machine moves both)."""
    client = app.test_client()
    headers = _headers()
    values = _placeholders()
    sql = SqlClock(db.engine)
    out = []
    for who, label, query in CASES:
        times, sql_times, ratios = [], [], []
        for _ in range(REPEATS):
            began = time.perf_counter()
            assert client.get(BASELINE[2], headers=headers[BASELINE[0]]).status_code == 200
            floor = time.perf_counter() - began
            sql.spent = 0.0
            began = time.perf_counter()
            response = client.get(f"/api/concerns?{query.format(**values)}", headers=headers[who])
            spent = time.perf_counter() - began
            assert response.status_code == 200, response.get_json()
            times.append(spent * 1000)
            sql_times.append(sql.spent * 1000)
            ratios.append(spent / floor)
        total = response.get_json()["total"]
        out.append((who, label, statistics.median(times), statistics.median(sql_times),
                    statistics.median(ratios), total))  # fmt: skip
    floors = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        client.get(BASELINE[2], headers=headers[BASELINE[0]])
        floors.append((time.perf_counter() - began) * 1000)
    out.append((BASELINE[0], BASELINE[1], statistics.median(floors), 0.0, 1.0, 0))
    return out


def run(database_url: str, name: str) -> list[Figure]:
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "FIELDAPP_FAKE_NOW": TODAY, "SECRET_KEY": "bench"})  # fmt: skip
    with app.app_context():
        upgrade()
        seed_reference_data()
        db.session.commit()
        began = time.perf_counter()
        fill()
        print(f"{name}: {CONCERNS:,} concerns filled in {time.perf_counter() - began:.1f} s")
        results = measure(app)
        db.session.remove()
        db.engine.dispose()
    print(f"  {'':<10} {'who':<10} {'case':<28} {'server':>8} {'sql':>8} {'÷floor':>7}   total")
    for who, label, ms, sql_ms, ratio, total in results:
        print(f"  {name:<10} {who:<10} {label:<28} {ms:5.1f} ms {sql_ms:5.1f} ms "
              f"{ratio:6.1f}x   {total:>6,}")  # fmt: skip
    return results


def main() -> None:
    figures = {}
    if "sqlite" in DATABASES:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["FIELDAPP_INSTANCE"] = tmp
            figures["sqlite"] = run(f"sqlite:///{Path(tmp) / 'queue.sqlite3'}", "SQLite")
    if "postgresql" in DATABASES:
        postgresql(figures)
    summary(figures)


def postgresql(figures: dict[str, list[Figure]]) -> None:
    admin_url = make_url(PG_URL)
    dbname = f"queue_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{dbname}"'))
    except Exception as exc:  # no PostgreSQL here: SQLite's figures stand alone
        print(f"PostgreSQL skipped ({exc.__class__.__name__})")
    else:
        try:
            url = admin_url.set(database=dbname).render_as_string(hide_password=False)
            figures["postgresql"] = run(url, "PostgreSQL")
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'))


def summary(figures: dict[str, list[Figure]]) -> None:
    parts = []
    for name, rows in figures.items():
        cases = [row for row in rows if not row[1].startswith("baseline")]
        floor = next(row[2] for row in rows if row[1].startswith("baseline"))
        worst = max(cases, key=lambda row: row[2])
        parts.append(f"{name}_worst_ms={worst[2]:.1f} ({worst[0]}: {worst[1]}) "
                     f"{name}_worst_ratio={max(row[4] for row in cases):.1f} "
                     f"{name}_median_ms={statistics.median(r[2] for r in cases):.1f} "
                     f"{name}_floor_ms={floor:.1f}")  # fmt: skip
    print(" ".join(parts))


if __name__ == "__main__":
    main()
