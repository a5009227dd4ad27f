"""An XLSForm workbook's rows as fieldapp reads them, and fieldapp's own checks of them.

pyxform stops at the first problem it meets; these checks go through every row first, so an
admin hears about every problem of the file at once (docs/surveys.md, "Import").
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

from fieldapp.surveys.problems import FormProblem, FormRefused

SUPPORTED = (
    "text",
    "integer",
    "decimal",
    "select_one",
    "select_multiple",
    "date",
    "datetime",
    "geopoint",
    "image",
    "note",
    "calculate",
    "begin_group",
    "end_group",
)
# XLSForm's other spellings of the supported types
ALIASES = {
    "int": "integer",
    "begin group": "begin_group",
    "end group": "end_group",
    "select one": "select_one",
    "select multiple": "select_multiple",
    "select all that apply": "select_multiple",
    "datetime": "datetime",
    "photo": "image",
}
REPEATS = ("begin_repeat", "begin repeat", "end_repeat", "end repeat")
CONCERN, CONCERN_WHEN = "fieldapp::concern", "fieldapp::concern_when"
ANSWERED = ("text", "integer", "decimal", "select_one", "select_multiple", "date", "datetime")


@dataclass
class Row:
    number: int  # the spreadsheet's own row number (the header is row 1)
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Workbook:
    sheets: dict[str, list[Row]] = field(default_factory=dict)
    headers: dict[str, list[str]] = field(default_factory=dict)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_workbook(content: bytes) -> Workbook:
    """The survey, choices and settings sheets; refused when the bytes are no workbook."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise FormRefused([FormProblem("not_xlsx")]) from exc
    out = Workbook()
    for ws in book.worksheets:
        name = ws.title.strip().lower()
        if name not in ("survey", "choices", "settings"):
            continue
        rows = ws.iter_rows(values_only=True)
        header = [_text(v) for v in next(rows, ())]
        out.headers[name] = header
        sheet: list[Row] = []
        for number, values in enumerate(rows, start=2):
            cells = {h: _text(v) for h, v in zip(header, values, strict=False) if h}
            if any(cells.values()):
                sheet.append(Row(number, cells))
        out.sheets[name] = sheet
    book.close()
    return out


def question_type(raw: str) -> tuple[str, str]:
    """(type, choice list) of a `type` cell: `select_one land` -> ("select_one", "land")."""
    spelled = " ".join(raw.split()).lower() if raw else ""
    for prefix in ("select_one ", "select one ", "select_multiple ", "select all that apply "):
        if spelled.startswith(prefix):
            kind = "select_one" if "one" in prefix else "select_multiple"
            return kind, raw.split()[-1]
    kind = ALIASES.get(spelled, spelled.replace(" ", "_"))
    return kind, ""


def thai_column(header: Iterable[str], base: str) -> str | None:
    """The column holding the Thai text of `base` (label, hint...): `label::Thai (th)`."""
    for name in header:
        if name.lower().startswith(f"{base}::") and name.lower().endswith("(th)"):
            return name
    return base if base in header else None


def check_rows(book: Workbook, categories: set[str]) -> list[FormProblem]:
    """Every problem fieldapp finds itself, row by row."""
    problems: list[FormProblem] = []
    if "survey" not in book.sheets:
        return [FormProblem("missing_sheet", "survey", params={"sheet": "survey"})]
    header = book.headers["survey"]
    for column in ("type", "name"):
        if column not in header:
            problems.append(FormProblem("missing_column", "survey", 1, column))
    problems += _check_settings(book)
    lists = _choice_lists(book, problems)
    label = thai_column(header, "label") or "label::Thai (th)"
    names: dict[str, int] = {}
    for row in book.sheets["survey"]:
        raw = row.get("type")
        kind, list_name = question_type(raw)
        if raw.lower() in REPEATS:
            problems.append(FormProblem("repeat_unsupported", "survey", row.number, "type"))
            continue
        if kind not in SUPPORTED:
            supported = ", ".join(SUPPORTED)
            params = {"value": raw, "supported": supported}
            problems.append(FormProblem("unsupported_type", "survey", row.number, "type", params))
            continue
        if kind == "end_group":
            continue
        name = row.get("name")
        if not name:
            problems.append(FormProblem("missing_name", "survey", row.number, "name"))
        elif name in names:
            params = {"value": name, "other_row": names[name]}
            problems.append(FormProblem("duplicate_name", "survey", row.number, "name", params))
        else:
            names[name] = row.number
        if kind != "calculate" and not row.get(label):
            problems.append(FormProblem("missing_thai_label", "survey", row.number, label))
        if list_name and list_name not in lists:
            params = {"value": list_name}
            problems.append(
                FormProblem("unknown_choice_list", "survey", row.number, "type", params)
            )
        problems += _check_concern(row, kind, lists.get(list_name, set()), categories)
    return problems


def _check_settings(book: Workbook) -> list[FormProblem]:
    settings = book.sheets.get("settings") or []
    values = settings[0].cells if settings else {}
    problems = []
    for column in ("form_id", "version", "form_title"):
        if not values.get(column):
            problems.append(FormProblem("missing_setting", "settings", 2, column))
    form_id = values.get("form_id", "")
    if form_id and not (form_id.replace("_", "").isalnum() and form_id.isascii()):
        params = {"value": form_id}
        problems.append(FormProblem("bad_setting", "settings", 2, "form_id", params))
    if len(form_id) > 64 or len(values.get("version", "")) > 64:
        params = {"value": "at most 64 characters / ไม่เกิน 64 ตัวอักษร"}
        problems.append(FormProblem("bad_setting", "settings", 2, "version", params))
    return problems


def _choice_lists(book: Workbook, problems: list[FormProblem]) -> dict[str, set[str]]:
    rows = book.sheets.get("choices") or []
    label = thai_column(book.headers.get("choices", []), "label") or "label::Thai (th)"
    lists: dict[str, set[str]] = {}
    for row in rows:
        lists.setdefault(row.get("list_name"), set()).add(row.get("name"))
        if not row.get(label):
            problems.append(FormProblem("missing_thai_label", "choices", row.number, label))
    return lists


def _check_concern(
    row: Row, kind: str, choices: set[str], categories: set[str]
) -> list[FormProblem]:
    category = row.get(CONCERN)
    if not category:
        return []
    problems = []
    if kind not in ANSWERED:
        problems.append(FormProblem("concern_not_question", "survey", row.number, CONCERN))
    if category not in categories:
        params = {"value": category, "categories": ", ".join(sorted(categories))}
        problems.append(
            FormProblem("unknown_concern_category", "survey", row.number, CONCERN, params)
        )
    if kind.startswith("select_"):
        for name in (row.get(CONCERN_WHEN) or "yes").split():
            if name not in choices:
                params = {"value": name}
                problems.append(
                    FormProblem(
                        "unknown_concern_choice", "survey", row.number, CONCERN_WHEN, params
                    )
                )
    return problems
