"""The OpenAPI walk of the survey routes (docs/surveys.md): an upload and its refusal, the form
list and a change, a survey pushed (raising a concern) and pulled with its form, the
submissions and both exports."""

from __future__ import annotations

import io

from openapi_client import Cast, CheckedClient, pull_all, push
from sync_helpers import survey_mutation

from fieldapp.surveys.forms import FORMS_DIR
from tests.surveys.xlsforms import workbook


def _upload(api: CheckedClient, who: dict[str, str], content: bytes):
    return api.post(
        "/api/admin/forms",
        data={"file": (io.BytesIO(content), "form.xlsx")},
        headers=who,
        content_type="multipart/form-data",
    )


def walk_surveys(api: CheckedClient, cast: Cast) -> None:
    admin, supervisor, official = cast.admin, cast.supervisor, cast.official
    created = _upload(api, admin, (FORMS_DIR / "haze_survey.xlsx").read_bytes())
    assert created.status_code == 201
    form_id = created.get_json()["id"]
    repeat = workbook([["begin_repeat", "r", "ซ้ำ", "R"], ["end_repeat", "r"]])
    assert _upload(api, admin, repeat).status_code == 422
    assert _upload(api, official, repeat).status_code == 403
    assert api.get("/api/admin/forms", headers=admin).status_code == 200
    assert api.get("/api/admin/forms", headers=supervisor).status_code == 403
    given = {"roles": ["official", "supervisor"], "public": True}
    assert api.patch("/api/admin/forms/haze_survey", json=given, headers=admin).status_code == 200
    bad = {"roles": ["mayor"]}
    assert api.patch("/api/admin/forms/haze_survey", json=bad, headers=admin).status_code == 422
    burn = survey_mutation(cast.village, form_id)
    burn["fields"]["answers"]["kind"] = "burn_spot"
    [applied, rejected] = push(
        api, official, burn, survey_mutation(cast.village, form_id, answers={"kind": "lava"})
    )
    assert (applied["status"], rejected["status"]) == ("applied", "rejected")
    entities = {change["entity"] for change in pull_all(api, supervisor)}
    assert {"survey", "form", "concern"} <= entities
    submissions = "/api/forms/haze_survey/submissions"
    assert api.get(f"{submissions}?district=6501", headers=supervisor).status_code == 200
    assert api.get(f"{submissions}?per_page=0", headers=supervisor).status_code == 422
    for fmt in ("csv", "xlsx"):
        path = f"/api/exports/surveys/haze_survey.{fmt}"
        assert api.get(path, headers=supervisor).status_code == 200
        assert api.get(path, headers=official).status_code == 403
