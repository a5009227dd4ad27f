"""The server's check of a survey's answers against the form version they were filled with.

What the server checks: the question exists, the value has its type's shape, a choice is one of
the question's choices, numbers, dates and times parse, a geopoint is on the globe. What only
the phone evaluates: `required`, `relevant`, `constraint` and `calculate` (XPath, run by
openrosa-xpath-evaluator on the phone; docs/sync-protocol.md, "Surveys").
"""

from __future__ import annotations

import math
import re
import uuid
from datetime import date, datetime
from typing import Any

from sync import FieldProblems

MAX_TEXT = 10_000
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _is_date(value: Any) -> bool:
    if not isinstance(value, str) or not _DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_datetime(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return False
    return parsed.tzinfo is not None


def _is_geopoint(value: Any) -> bool:
    if not isinstance(value, dict) or not value.keys() <= {"lat", "lon", "accuracy_m", "alt"}:
        return False
    lat, lon, accuracy = value.get("lat"), value.get("lon"), value.get("accuracy_m")
    return (
        _number(lat)
        and _number(lon)
        and -90 <= lat <= 90
        and -180 <= lon <= 180
        and (accuracy is None or (_number(accuracy) and 0 <= accuracy <= 100_000))
        and (value.get("alt") is None or _number(value.get("alt")))
    )


def _choices(question: dict[str, Any]) -> list[str]:
    return [choice["name"] for choice in question.get("choices", [])]


def check_answer(question: dict[str, Any], value: Any) -> tuple[str, str, dict[str, Any]] | None:
    """(code, English message, params) when `value` cannot be an answer to `question`."""
    kind = question["type"]
    if kind in ("text", "note"):
        if not isinstance(value, str):
            return "not_text", "Not a text.", {}
        if len(value) > MAX_TEXT:
            return "too_long", f"At most {MAX_TEXT} characters.", {"max": MAX_TEXT}
    elif kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool) or abs(value) > 2**53:
            return "not_an_integer", "Not a whole number.", {}
    elif kind == "decimal":
        if not _number(value):
            return "not_a_number", "Not a number.", {}
    elif kind == "select_one":
        if not isinstance(value, str) or value not in _choices(question):
            choices = _choices(question)
            return "not_a_choice", "Not one of the choices.", {"choices": choices}
    elif kind == "select_multiple":
        choices = _choices(question)
        allowed = set(choices)
        if (
            not isinstance(value, list)
            or len(value) > len(allowed)
            or any(not isinstance(item, str) or item not in allowed for item in value)
            or len(set(value)) != len(value)
        ):
            return "not_a_choice", "Not among the choices.", {"choices": choices}
    elif kind == "date":
        if not _is_date(value):
            return "not_a_date", "Not a date (YYYY-MM-DD).", {}
    elif kind == "datetime":
        if not _is_datetime(value):
            return "not_a_datetime", "Not a time with its offset (ISO 8601).", {}
    elif kind == "geopoint":
        if not _is_geopoint(value):
            message = "A position: lat -90..90, lon -180..180, accuracy_m at least 0."
            return "bad_geopoint", message, {}
    elif kind == "image":
        if not isinstance(value, str) or not _SHA256.match(value):
            return "not_a_photo", "The SHA-256 of a photo (64 hex digits).", {}
    elif kind == "calculate":
        if not (value is None or isinstance(value, str | bool) or _number(value)):
            return "not_text", "A calculated value is a text or a number.", {}
        if isinstance(value, str) and len(value) > MAX_TEXT:
            return "too_long", f"At most {MAX_TEXT} characters.", {"max": MAX_TEXT}
    return None


def check_answers(
    sent: dict[str, Any], questions: dict[str, dict[str, Any]], errors: FieldProblems
) -> None:
    """Add a problem at `answers.<name>` for every answer the form version cannot hold."""
    for name, value in sent.items():
        question = questions.get(name)
        if question is None:
            errors.add(f"answers.{name}", "unknown_question", "Not a question of this form.")
            continue
        if value is None:
            continue  # unanswered: the answer is removed
        problem = check_answer(question, value)
        if problem is not None:
            code, message, params = problem
            errors.add(f"answers.{name}", code, message, **params)


def raises_concern(question: dict[str, Any], value: Any) -> bool:
    """Does this answer raise the concern the question is marked with?"""
    concern = question.get("concern")
    if not concern or value is None or value == "" or value == []:
        return False
    if question["type"] == "select_one":
        return value in concern["when"]
    if question["type"] == "select_multiple":
        return isinstance(value, list) and any(item in concern["when"] for item in value)
    return True


# A raised concern's id: the same survey and question always name the same concern, so it is
# raised once however often the survey is pushed, re-applied or edited.
CONCERN_NAMESPACE = uuid.UUID("5d1f0c9e-2b7a-4c43-9f0e-16a5e2b7c0de")


def concern_id(survey_id: str, question_name: str) -> str:
    return str(uuid.uuid5(CONCERN_NAMESPACE, f"{survey_id}/{question_name}"))


def raised(
    survey_id: str,
    answers: dict[str, Any],
    questions: dict[str, dict[str, Any]],
    categories: set[str],
) -> dict[str, dict[str, Any]]:
    """concern id -> the marked question whose answer raises it (its category in use)."""
    return {
        concern_id(survey_id, name): question
        for name, question in questions.items()
        if raises_concern(question, answers.get(name))
        and question["concern"]["category"] in categories
    }
