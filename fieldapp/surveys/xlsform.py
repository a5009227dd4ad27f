"""Read an XLSForm with pyxform (the reference implementation) into the definition the phone
renders (docs/surveys.md, "Form definition"), or refuse it naming every problem."""

from __future__ import annotations

import io
import re
from typing import Any

from pyxform.builder import create_survey_element_from_dict
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from fieldapp.surveys.problems import FormProblem, FormRefused
from fieldapp.surveys.sheets import check_rows, read_workbook

TYPES = {
    "select one": "select_one",
    "select all that apply": "select_multiple",
    "dateTime": "datetime",
    "photo": "image",
}
TRUE = {"yes", "true", "true()", "1"}
STRUCTURAL = ("missing_sheet", "missing_column")


def read_form(content: bytes, categories: set[str]) -> dict[str, Any]:
    """The normalised definition of the XLSForm `content`; FormRefused names every problem.

    `categories`: the concern categories a `fieldapp::concern` column may name."""
    book = read_workbook(content)
    problems = check_rows(book, categories)
    if any(p.code in STRUCTURAL for p in problems):
        raise FormRefused(problems)  # pyxform would only say the same, less clearly
    try:
        parsed = _pyxform(content)
    except Exception as exc:  # PyXFormError, and plain errors pyxform lets out on odd input
        found = pyxform_problem(str(exc))
        if not any((p.sheet, p.row) == (found.sheet, found.row) for p in problems):
            problems.append(found)
        parsed = None
    if problems or parsed is None:
        raise FormRefused(problems)
    return normalise(parsed)


def _pyxform(content: bytes) -> dict[str, Any]:
    """pyxform's reading of the workbook, its XForm built too (that checks expressions)."""
    workbook = get_xlsform(xlsform=io.BytesIO(content), file_type=".xlsx")
    parsed = workbook_to_json(
        workbook_dict=workbook,
        form_name=None,
        fallback_form_name=workbook.fallback_form_name,
        warnings=[],
    )
    create_survey_element_from_dict(parsed).to_xml(validate=False, warnings=[])
    return parsed


_ROW = re.compile(r"\[row : (\d+)\]\s*")
_SHEET = re.compile(r"On the '(\w+)' sheet")
_COLUMN = re.compile(r"the '([^']+)' value")
# pyxform's English messages that have fieldapp words of their own: pattern -> code, column
_KNOWN = (
    (re.compile(r"Could not find the name '([^']+)'"), "pyxform_reference", None),
    (re.compile(r"Unmatched '([^']+)'"), "pyxform_unmatched", "type"),
    (re.compile(r"Names must begin with a letter()"), "pyxform_name", "name"),
    (re.compile(r"List name not in choices sheet: (\S+)"), "unknown_choice_list", "type"),
)


def pyxform_problem(message: str) -> FormProblem:
    """pyxform's English message as a problem named by sheet, row and column."""
    row_match = _ROW.search(message)
    row = int(row_match.group(1)) if row_match else None
    sheet_match = _SHEET.search(message)
    sheet = sheet_match.group(1) if sheet_match else ("survey" if row else None)
    column_match = _COLUMN.search(message)
    column = column_match.group(1) if column_match else None
    for pattern, code, known_column in _KNOWN:
        found = pattern.search(message)
        if found:
            params = {"value": found.group(1)} if found.group(1) else {}
            return FormProblem(code, sheet, row, column or known_column, params)
    detail = _ROW.sub("", message).strip()[:500]
    return FormProblem("pyxform", sheet, row, column, {"detail": detail})


def texts(value: Any) -> dict[str, str] | None:
    """A label, hint or message as {"th", "en"} from pyxform's per-language values."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return {"th": value, "en": value}
    by_code = {}
    for language, text in value.items():
        code = language[-3:-1] if language.endswith(")") else language
        by_code[code] = text
    th = by_code.get("th") or by_code.get("default") or next(iter(value.values()))
    return {"th": th, "en": by_code.get("en") or th}


def normalise(parsed: dict[str, Any]) -> dict[str, Any]:
    extra = parsed.get("fieldapp") or {}
    title = parsed.get("title") or parsed.get("id_string")
    return {
        "form_key": parsed["id_string"],
        "version": str(parsed.get("version")),
        "title": {"th": title, "en": extra.get("title_en") or title},
        "default_language": "th",
        "questions": [
            _question(child)
            for child in parsed.get("children", [])
            if not (child.get("name") == "meta" and child.get("type") == "group")
        ],
    }


def _question(element: dict[str, Any]) -> dict[str, Any]:
    kind = TYPES.get(element["type"], element["type"])
    bind = element.get("bind") or {}
    out: dict[str, Any] = {
        "name": element["name"],
        "type": kind,
        "label": texts(element.get("label")),
        "hint": texts(element.get("hint")),
        "required": str(bind.get("required", "")).lower() in TRUE,
        "required_message": texts(bind.get("jr:requiredMsg")),
        "constraint": bind.get("constraint") or None,
        "constraint_message": texts(bind.get("jr:constraintMsg")),
        "relevant": bind.get("relevant") or None,
        "default": element.get("default") or None,
        "calculation": bind.get("calculate") or None,
        "appearance": (element.get("control") or {}).get("appearance") or None,
        "concern": None,
    }
    if kind.startswith("select_"):
        out["choices"] = [
            {"name": str(choice["name"]), "label": texts(choice.get("label"))}
            for choice in element.get("choices", [])
        ]
    if kind == "group":
        out["children"] = [_question(child) for child in element.get("children", [])]
    marked = element.get("fieldapp") or {}
    if marked.get("concern"):
        when = (marked.get("concern_when") or "yes").split()
        out["concern"] = {
            "category": marked["concern"],
            "when": when if kind.startswith("select_") else [],
        }
    return out


def questions(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every question of a definition by name, groups' children included (names are unique
    in a form), groups themselves left out."""
    found: dict[str, dict[str, Any]] = {}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item["type"] == "group":
                walk(item.get("children", []))
            else:
                found[item["name"]] = item

    walk(definition.get("questions", []))
    return found
