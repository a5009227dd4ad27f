"""Surveys in the open-data file: the forms an admin marked public and their answers, without
personal data (docs/open-data.md, "Surveys").

Only closed answers leave: choices, numbers and dates. Free text (it may name people), photos,
exact positions in answers, times and calculated values stay in; the survey's own position is
rounded like a concern's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
from sqlalchemy import Select, select

from fieldapp.auth.visibility import public_filter
from fieldapp.models import Form, FormVersion, Survey
from fieldapp.surveys.xlsform import questions

CLOSED = ("select_one", "select_multiple", "integer", "decimal", "date")
S, FORMS, VERSIONS = Survey.__table__, Form.__table__, FormVersion.__table__

TABLES: dict[str, dict[str, Any]] = {
    "survey_forms": {
        "columns": {"form_key": str, "title_th": str, "title_en": str},
        "pk": "form_key",
        "foreign_keys": [],
    },
    "survey_answers": {
        "columns": {
            "id": str,
            "form_key": str,
            "form_version": str,
            "district_code": str,
            "village_id": str,
            "filled_at": str,
            "lat": float,
            "lon": float,
            "answers": str,
        },
        "pk": "id",
        "foreign_keys": [
            ("form_key", "survey_forms", "form_key"),
            ("district_code", "districts", "code"),
            ("village_id", "villages", "id"),
        ],
    },
}


def public_forms_query() -> Select:
    return select(FORMS.c.form_key, FORMS.c.title_th, FORMS.c.title_en).where(
        FORMS.c.public.is_(True)
    )


def closed_questions(stream: Any) -> dict[int, set[str]]:
    """Per version of a public form, the names of its closed questions."""
    query = (
        select(VERSIONS.c.id, VERSIONS.c.definition)
        .join(FORMS, FORMS.c.form_key == VERSIONS.c.form_key)
        .where(FORMS.c.public.is_(True))
    )
    return {
        row["id"]: {n for n, q in questions(row["definition"]).items() if q["type"] in CLOSED}
        for row in stream(query)
    }


def survey_answers(stream: Any, local: Any, rounded: Any) -> Iterator[dict[str, Any]]:
    """Rows of `survey_answers`; `stream`, `local` and `rounded` are the export's helpers."""
    closed = closed_questions(stream)
    c = S.c
    query = (
        select(c.id, c.form_id, c.form_key, c.form_version, c.district_code, c.village_id)
        .add_columns(c.filled_at, c.lat, c.lon, c.answers)
        .where(public_filter("survey", S))
        .order_by(c.filled_at, c.id)
    )
    for row in stream(query):
        keep = closed.get(row.pop("form_id"), set())
        answers = {k: v for k, v in (row["answers"] or {}).items() if k in keep}
        row["answers"] = orjson.dumps(answers).decode()
        row["filled_at"] = local(row["filled_at"])
        row["lat"], row["lon"] = rounded(row["lat"]), rounded(row["lon"])
        yield row
