"""A form's submissions: the table supervisors filter and page through, and its exports with
one column per question (the union of every version's questions), choice labels in Thai.

Who sees which survey is fieldapp/auth/visibility.py's decision (`record_filter`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select

from fieldapp.auth.visibility import record_filter
from fieldapp.extensions import db
from fieldapp.models import District, FormVersion, Survey, User, Village
from fieldapp.reports.filters import ReportFilter
from fieldapp.reports.sqltime import BANGKOK
from fieldapp.surveys.xlsform import questions
from fieldapp.utc import aware
from sync import Actor

T, V, D, U = Survey.__table__, Village.__table__, District.__table__, User.__table__
NO_ANSWER = ("group", "note")
BATCH = 1000


@dataclass(frozen=True)
class SubmissionFilter:
    period: ReportFilter  # Bangkok days of `filled_at`, and the district
    village: str | None = None


@dataclass(frozen=True)
class Column:
    name: str
    label_th: str
    label_en: str
    type: str
    choices: dict[str, str]  # choice name -> Thai label

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "label_th": self.label_th, "label_en": self.label_en}


def form_columns(form_key: str) -> list[Column]:
    """One column per question that takes an answer, over every version: the newest
    version's order first, then questions only older versions asked. A choice keeps the
    Thai label its newest version gives it."""
    rows = db.session.scalars(
        select(FormVersion.definition)
        .where(FormVersion.form_key == form_key)
        .order_by(FormVersion.id.desc())
    )
    columns: dict[str, Column] = {}
    for definition in rows:
        for name, question in questions(definition).items():
            if question["type"] in NO_ANSWER:
                continue
            labels = {c["name"]: c["label"]["th"] for c in question.get("choices", [])}
            known = columns.get(name)
            if known is None:
                label = question.get("label") or {"th": name, "en": name}
                columns[name] = Column(name, label["th"], label["en"], question["type"], labels)
            else:
                known.choices.update({k: v for k, v in labels.items() if k not in known.choices})
    return list(columns.values())


def shown(column: Column, value: Any) -> str:
    """An answer as a person reads it, in Thai."""
    if value is None:
        return ""
    # by the value's shape: a question may change from select_one to select_multiple
    if column.choices and isinstance(value, str):
        return column.choices.get(value, value)
    if column.choices and isinstance(value, list):
        return ", ".join(column.choices.get(item, str(item)) for item in value)
    if column.type == "geopoint" and isinstance(value, dict):
        where = f"{value.get('lat')}, {value.get('lon')}"
        accuracy = value.get("accuracy_m")
        return f"{where} (±{accuracy} ม.)" if accuracy is not None else where
    if isinstance(value, bool):
        return "ใช่" if value else "ไม่ใช่"
    return str(value)


def submissions_query(actor: Actor, form_key: str, where: SubmissionFilter) -> Select:
    c = T.c
    query = (
        select(
            c.id,
            c.form_version,
            c.filled_at,
            c.district_code,
            D.c.name_th.label("district_name"),
            c.village_id,
            V.c.moo.label("village_moo"),
            V.c.name_th.label("village_name"),
            c.created_by_id,
            U.c.display_name.label("created_by"),
            c.lat,
            c.lon,
            c.gps_accuracy_m,
            c.notes,
            c.answers,
        )
        .select_from(
            T.join(V, V.c.id == c.village_id)
            .join(D, D.c.code == c.district_code)
            .outerjoin(U, U.c.id == c.created_by_id)
        )
        .where(
            c.form_key == form_key,
            record_filter(actor, "survey", T),
            where.period.where(T, c.filled_at),
        )
    )
    if where.village:
        query = query.where(c.village_id == where.village)
    return query.order_by(c.filled_at.desc(), c.id)


def _village(row: Any) -> str:
    return f"หมู่ที่ {row.village_moo} {row.village_name}"


def _local(moment: datetime | None) -> str | None:
    return None if moment is None else aware(moment).astimezone(BANGKOK).isoformat()


def submissions_page(
    actor: Actor, form_key: str, where: SubmissionFilter, page: int, per_page: int
) -> dict[str, Any]:
    """One page of submissions, newest first, with every answer shown in Thai."""
    query = submissions_query(actor, form_key, where)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    columns = form_columns(form_key)
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page))
    items = [
        {
            "id": row.id,
            "form_version": row.form_version,
            "village": _village(row),
            "village_id": row.village_id,
            "district_code": row.district_code,
            "filled_at": aware(row.filled_at).astimezone(BANGKOK),
            "created_by": row.created_by,
            "lat": row.lat,
            "lon": row.lon,
            "answers_labelled": {
                column.name: shown(column, (row.answers or {}).get(column.name))
                for column in columns
                if (row.answers or {}).get(column.name) is not None
            },
        }
        for row in rows
    ]
    return {"total": total, "items": items, "columns": [c.as_dict() for c in columns]}


FIXED = (
    ("id", "รหัส"),
    ("form_version", "รุ่นแบบฟอร์ม"),
    ("filled_at", "วันเวลาที่สำรวจ"),
    ("district_name", "อำเภอ"),
    ("village", "หมู่บ้าน"),
    ("created_by", "ผู้สำรวจ"),
    ("lat", "ละติจูด"),
    ("lon", "ลองจิจูด"),
    ("gps_accuracy_m", "ความแม่นยำ (ม.)"),
    ("notes", "หมายเหตุ"),
)


def export_table(
    actor: Actor, form_key: str, where: SubmissionFilter
) -> tuple[list[str], Iterator[tuple]]:
    """The header (Thai label and question name) and the rows, streamed from a cursor."""
    columns = form_columns(form_key)
    header = [label for _, label in FIXED] + [f"{c.label_th} ({c.name})" for c in columns]
    query = submissions_query(actor, form_key, where)

    def rows() -> Iterator[tuple]:
        with db.engine.connect() as conn:
            options = {"stream_results": True, "max_row_buffer": BATCH}
            for row in conn.execution_options(**options).execute(query):
                fixed = {
                    **row._mapping,
                    "filled_at": _local(row.filled_at),
                    "village": _village(row),
                }
                answers = row.answers or {}
                yield (
                    *(fixed[name] for name, _ in FIXED),
                    *(shown(c, answers.get(c.name)) for c in columns),
                )

    return header, rows()
