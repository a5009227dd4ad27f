"""Forms from XLSForm: the two seeded forms, every kind of problem named by sheet, row and
column in Thai and English, versions, and the admin routes and command."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, Change, Form, FormVersion
from fieldapp.surveys.forms import FORMS_DIR, import_form, seed_forms
from fieldapp.surveys.problems import FormRefused
from fieldapp.surveys.xlsform import questions, read_form
from tests.surveys.xlsforms import workbook

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]
CATEGORIES = {"haze", "roads"}
LABELS = ["type", "name", "label::Thai (th)", "label::English (en)"]


def refused(content: bytes) -> list[dict]:
    with pytest.raises(FormRefused) as caught:
        read_form(content, CATEGORIES)
    return [p.as_dict() for p in caught.value.problems]


def where(problems: list[dict]) -> set[tuple]:
    return {(p["sheet"], p["row"], p["column"], p["code"]) for p in problems}


def test_the_seeded_haze_survey_reads_as_its_definition():
    definition = read_form((FORMS_DIR / "haze_survey.xlsx").read_bytes(), CATEGORIES)
    assert definition["form_key"] == "haze_survey"
    assert definition["title"] == {"th": "การสำรวจไฟป่าหมอกควัน", "en": "Forest fire and haze survey"}
    found = questions(definition)
    assert list(found) == [
        "kind",
        "land_type",
        "area_rai",
        "distance_km",
        "cause",
        "cause_other",
        "action_taken",
        "photo",
        "position",
        "remarks",
    ]
    kind = found["kind"]
    assert kind["concern"] == {"category": "haze", "when": ["burn_spot"]}
    assert kind["choices"][0] == {
        "name": "burn_spot",
        "label": {"th": "จุดเผา / ไฟไหม้", "en": "Burn spot / fire"},
    }
    assert found["area_rai"]["relevant"] == "${kind} = 'burn_spot'"
    assert found["area_rai"]["constraint"] == ". > 0 and . <= 100000"
    assert found["area_rai"]["constraint_message"]["th"].startswith("พื้นที่ต้องมากกว่า 0")
    assert found["photo"]["type"] == "image" and found["position"]["required"] is True
    assert definition["questions"][0]["type"] == "group"


def test_the_seeded_safe_vegetables_visit_reads():
    definition = read_form((FORMS_DIR / "safe_vegetables.xlsx").read_bytes(), CATEGORIES)
    found = questions(definition)
    assert {"crops", "chemicals_used", "certification", "advice", "photo", "position"} <= set(found)
    assert found["crops"]["type"] == "select_multiple"
    assert found["certified_until"]["type"] == "date"


def test_seeding_imports_both_forms_once(app):
    first = seed_forms()
    db.session.commit()
    again = seed_forms()
    db.session.commit()
    assert [v.id for v in first] == [v.id for v in again]
    assert db.session.scalar(select(func.count()).select_from(FormVersion)) == 2
    haze = db.session.get(Form, "haze_survey")
    assert haze.roles == ["official", "supervisor"] and haze.district_codes == []
    fed = db.session.scalars(select(Change.record_id).where(Change.entity == "form")).all()
    assert sorted(fed) == sorted(str(v.id) for v in first)


def test_every_problem_is_named_by_sheet_row_and_column_at_once():
    content = workbook(
        [
            ["text", "name_ok", "ชื่อ", "Name"],
            ["begin_repeat", "people", "คน", "People"],
            ["end_repeat", "people", None, None],
            ["rank", "ranked", "อันดับ", "Rank"],
            ["text", "no_thai", None, "No Thai"],
            ["select_one missing_list", "pick", "เลือก", "Pick"],
            ["text", "name_ok", "ซ้ำ", "Again"],
            ["text", None, "ไม่มีชื่อ", "No name"],
            ["select_one yesno", "fire", "ไฟ", "Fire", "volcano", "maybe"],
        ],
        [["yesno", "yes", "ใช่", "Yes"], ["yesno", "no", None, "No"]],
        survey_columns=[*LABELS, "fieldapp::concern", "fieldapp::concern_when"],
    )
    problems = refused(content)
    assert where(problems) == {
        ("survey", 3, "type", "repeat_unsupported"),
        ("survey", 4, "type", "repeat_unsupported"),
        ("survey", 5, "type", "unsupported_type"),
        ("survey", 6, "label::Thai (th)", "missing_thai_label"),
        ("survey", 7, "type", "unknown_choice_list"),
        ("survey", 8, "name", "duplicate_name"),
        ("survey", 9, "name", "missing_name"),
        ("survey", 10, "fieldapp::concern", "unknown_concern_category"),
        ("survey", 10, "fieldapp::concern_when", "unknown_concern_choice"),
        ("choices", 3, "label::Thai (th)", "missing_thai_label"),
    }
    by_code = {p["code"]: p for p in reversed(problems)}  # the first of each code
    repeat = by_code["repeat_unsupported"]
    assert repeat["message_th"].startswith("แผ่นงาน survey แถว 3 คอลัมน์ type: ยังไม่รองรับ")
    assert repeat["message_en"].startswith("Sheet survey, row 3, column type: Repeat groups")
    assert "'rank'" in by_code["unsupported_type"]["message_en"]
    assert "แถว 2" in by_code["duplicate_name"]["message_th"]
    assert "roads" in by_code["unknown_concern_category"]["message_en"]


def test_pyxforms_own_findings_are_named_by_sheet_row_and_column():
    columns = [*LABELS, "relevant"]
    problems = refused(
        workbook([["text", "a", "ก", "A", "${nowhere} = 'x'"]], survey_columns=columns)
    )
    assert where(problems) == {("survey", 2, "relevant", "pyxform_reference")}
    assert "nowhere" in problems[0]["message_th"] and "nowhere" in problems[0]["message_en"]
    problems = refused(workbook([["begin_group", "g", "กลุ่ม", "Group"], ["text", "a", "ก", "A"]]))
    assert where(problems) == {("survey", 2, "type", "pyxform_unmatched")}
    problems = refused(workbook([["text", "1 bad", "ก", "A"]]))
    assert where(problems) == {("survey", 2, "name", "pyxform_name")}


def test_settings_sheet_and_file_problems_are_named():
    problems = refused(workbook([["text", "a", "ก", "A"]], settings={"form_title": "ชื่อ"}))
    assert where(problems) == {
        ("settings", 2, "form_id", "missing_setting"),
        ("settings", 2, "version", "missing_setting"),
    }
    assert where(refused(b"not a spreadsheet")) == {(None, None, None, "not_xlsx")}
    no_survey = io.BytesIO()
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "settings"
    book.save(no_survey)
    assert where(refused(no_survey.getvalue())) == {("survey", None, None, "missing_sheet")}


def test_a_new_version_is_added_and_an_old_one_kept(app):
    first = import_form(workbook([["text", "a", "ก", "A"]], version="1"), None)
    second = import_form(
        workbook([["text", "a", "ก", "A"], ["integer", "b", "ข", "B"]], version="2"), None
    )
    db.session.commit()
    assert first.id != second.id
    assert db.session.get(FormVersion, first.id).definition["version"] == "1"
    with pytest.raises(FormRefused) as caught:
        import_form(workbook([["text", "other", "อื่น", "Other"]], version="2"), None)
    [problem] = caught.value.problems
    assert (problem.sheet, problem.column, problem.code) == (
        "settings",
        "version",
        "version_exists",
    )


def test_the_import_command_names_the_problems(runner, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([["begin_repeat", "r", "ซ้ำ", "Repeat"], ["end_repeat", "r"]]))
    result = runner.invoke(args=["import-form", str(bad)])
    assert result.exit_code != 0
    assert "แผ่นงาน survey แถว 2 คอลัมน์ type" in result.output
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook([["text", "a", "ก", "A"]]))
    result = runner.invoke(
        args=["import-form", str(good), "--role", "official", "--district", "6501", "--public"]
    )
    assert result.exit_code == 0, result.output
    form = db.session.get(Form, "test_form")
    assert (form.roles, form.district_codes, form.public) == (["official"], ["6501"], True)


def test_admins_upload_list_give_and_retire_forms(client, make_user, login):
    admin = login(make_user(role="admin", districts=()))
    official = login(make_user())
    content = (FORMS_DIR / "haze_survey.xlsx").read_bytes()

    def upload(data: bytes, headers: dict):
        return client.post(
            "/api/admin/forms",
            data={"file": (io.BytesIO(data), "form.xlsx")},
            headers=headers,
            content_type="multipart/form-data",
        )

    assert upload(content, official).status_code == 403
    response = upload(content, admin)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["form_key"], body["version"]) == ("haze_survey", "2026120301")
    bad = upload(workbook([["begin_repeat", "r", "ซ้ำ", "R"], ["end_repeat", "r"]]), admin)
    assert bad.status_code == 422
    problem = bad.get_json()
    assert problem["code"] == "form.invalid"
    assert problem["errors"][0]["sheet"] == "survey" and problem["errors"][0]["row"] == 2
    assert problem["error_codes"][0]["code"] == "repeat_unsupported"
    changed = client.patch(
        "/api/admin/forms/haze_survey",
        json={"roles": ["official"], "district_codes": ["6501"], "retired": True},
        headers=admin,
    )
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["retired"] is True
    refused_change = client.patch(
        "/api/admin/forms/haze_survey", json={"district_codes": ["9999"]}, headers=admin
    )
    assert refused_change.status_code == 422
    assert refused_change.get_json()["error_codes"][0]["code"] == "unknown_district"
    assert client.patch("/api/admin/forms/nope", json={}, headers=admin).status_code == 404
    [listed] = client.get("/api/admin/forms", headers=admin).get_json()
    assert listed["roles"] == ["official"] and listed["versions"][0]["submissions"] == 0
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "form"))
    assert list(actions) == ["form.import", "form.change"]


def test_flask_seed_imports_the_two_forms(runner):
    assert runner.invoke(args=["seed", "--no-demo"]).exit_code == 0
    assert runner.invoke(args=["seed", "--no-demo"]).exit_code == 0
    keys = db.session.scalars(select(FormVersion.form_key).order_by(FormVersion.id)).all()
    assert keys == ["haze_survey", "safe_vegetables"]
