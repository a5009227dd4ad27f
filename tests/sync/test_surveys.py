"""Surveys in the sync protocol: pushed and pulled like any record, answers merged one by one,
checked against the form version, and a marked answer raising one concern."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sync_helpers import new_id, survey_mutation, update_mutation

from fieldapp.extensions import db
from fieldapp.models import Concern, PhotoLink, QuarantinedMutation, Survey
from fieldapp.surveys.forms import change_form, import_form, seed_forms
from tests.surveys.xlsforms import workbook

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]
SHA = "ab" * 32


@pytest.fixture
def haze(app) -> int:
    """The seeded haze survey's form version id."""
    versions = seed_forms()
    db.session.commit()
    return versions[0].id


def test_a_survey_is_pushed_once_and_pulled_with_what_the_server_added(
    make_user, make_village, device, haze
):
    phone = device(make_user())
    village = make_village()
    mutation = survey_mutation(village.id, haze, notes="ควันจากทิศเหนือ")
    assert phone.push(mutation)[0]["status"] == "applied"
    assert phone.push(mutation)[0]["status"] == "duplicate"
    assert db.session.scalar(select(func.count()).select_from(Survey)) == 1
    phone.pull()
    record = phone.seen[("survey", mutation["record_id"])]
    assert record["form_key"] == "haze_survey"
    assert record["form_version"] == "2026120301"
    assert record["district_code"] == "6501"
    assert record["answers"]["action_taken"] == ["warned"]
    assert record["concern_ids"] == []
    form = phone.seen[("form", str(haze))]
    assert form["definition"]["questions"][0]["children"][0]["name"] == "kind"
    assert form["retired"] is False


def test_two_phones_editing_different_answers_merge_and_the_same_answer_conflicts(
    make_user, make_village, device, haze
):
    official = make_user()
    first, second = device(official), device(make_user(role="supervisor"))
    village = make_village()
    mutation = survey_mutation(village.id, haze)
    first.push(mutation)
    survey_id = mutation["record_id"]
    a = first.push(update_mutation("survey", survey_id, 1, answers={"distance_km": 3}))
    b = second.push(update_mutation("survey", survey_id, 1, answers={"land_type": "farmland"}))
    assert (a[0]["status"], b[0]["status"]) == ("applied", "merged")
    stored = db.session.get(Survey, survey_id)
    db.session.refresh(stored)
    assert stored.answers["distance_km"] == 3
    assert stored.answers["land_type"] == "farmland"
    [result] = first.push(
        update_mutation("survey", survey_id, 2, answers={"land_type": "roadside"})
    )
    assert result["status"] == "conflict"
    [conflict] = result["conflicts"]
    assert conflict["field"] == "answers.land_type"
    assert (conflict["kept_value"], conflict["lost_value"]) == ("roadside", "farmland")


def test_an_answer_sent_as_null_is_removed(make_user, make_village, device, haze):
    phone = device(make_user())
    mutation = survey_mutation(make_village().id, haze)
    phone.push(mutation)
    phone.push(update_mutation("survey", mutation["record_id"], 1, answers={"distance_km": None}))
    stored = db.session.get(Survey, mutation["record_id"])
    db.session.refresh(stored)
    assert "distance_km" not in stored.answers


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        ({"no_such_question": "x"}, "unknown_question"),
        ({"kind": "volcano"}, "not_a_choice"),
        ({"action_taken": ["warned", "danced"]}, "not_a_choice"),
        ({"action_taken": "warned"}, "not_a_choice"),
        ({"area_rai": "ten"}, "not_a_number"),
        ({"distance_km": True}, "not_a_number"),
        ({"remarks": 12}, "not_text"),
        ({"position": {"lat": 91, "lon": 100}}, "bad_geopoint"),
        ({"position": [16.8, 100.2]}, "bad_geopoint"),
        ({"photo": "not-a-hash"}, "not_a_photo"),
    ],
)
def test_every_answer_is_checked_against_its_form_version(
    make_user, make_village, device, haze, answers, code
):
    phone = device(make_user())
    [result] = phone.push(survey_mutation(make_village().id, haze, answers=answers))
    assert result["status"] == "rejected"
    [name] = answers
    assert {"field": f"answers.{name}", "code": code} in [
        {"field": c["field"], "code": c["code"]} for c in result["error_codes"]
    ]
    assert db.session.scalar(select(func.count()).select_from(QuarantinedMutation)) == 1


def test_dates_times_and_integers_are_parsed(make_user, make_village, device, app):
    content = workbook(
        [
            ["integer", "count", "จำนวน", "Count"],
            ["date", "day", "วันที่", "Day"],
            ["datetime", "moment", "เวลา", "Moment"],
        ]
    )
    form = import_form(content, None)
    db.session.commit()
    phone = device(make_user())
    village = make_village()
    good = {"count": 3, "day": "2026-03-01", "moment": "2026-03-01T09:00:00+07:00"}
    assert phone.push(survey_mutation(village.id, form.id, answers=good))[0]["status"] == "applied"
    bad = {"count": 2.5, "day": "2026-02-30", "moment": "2026-03-01T09:00:00"}
    [result] = phone.push(survey_mutation(village.id, form.id, answers=bad))
    codes = {c["field"]: c["code"] for c in result["error_codes"]}
    assert codes == {
        "answers.count": "not_an_integer",
        "answers.day": "not_a_date",
        "answers.moment": "not_a_datetime",
    }


def test_a_retired_form_takes_no_new_survey_and_one_not_given_is_refused(
    make_user, make_village, device, haze
):
    village = make_village()
    phone = device(make_user())
    existing = survey_mutation(village.id, haze)
    phone.push(existing)
    change_form("haze_survey", {"retired": True}, None)
    db.session.commit()
    [result] = phone.push(survey_mutation(village.id, haze))
    assert result["error_codes"][0] == {"field": "form_id", "code": "form_retired", "params": {}}
    # a survey begun before keeps being edited
    update = update_mutation("survey", existing["record_id"], 1, answers={"distance_km": 1})
    assert phone.push(update)[0]["status"] == "applied"
    change_form("haze_survey", {"retired": False, "district_codes": ["6502"]}, None)
    db.session.commit()
    [result] = phone.push(survey_mutation(village.id, haze))
    assert result["error_codes"][0]["code"] == "form_not_given"
    assert phone.push(survey_mutation(village.id, 99_999))[0]["error_codes"][0]["code"] == (
        "unknown_form"
    )


def test_forms_not_given_arrive_as_out_of_scope(make_user, device, haze):
    official = device(make_user(districts=("6501",)))
    change_form("haze_survey", {"district_codes": ["6502"]}, None)
    db.session.commit()
    official.pull()
    assert official.seen[("form", str(haze))] is None
    change_form("haze_survey", {"district_codes": ["6501", "6502"]}, None)
    db.session.commit()
    official.pull()
    assert official.seen[("form", str(haze))]["form_key"] == "haze_survey"


def test_a_burn_spot_raises_one_haze_concern_with_the_surveys_photos(
    make_user, make_village, device, haze
):
    author = make_user()
    phone = device(author)
    supervisor = device(make_user(role="supervisor"))
    village = make_village()
    answers = {
        "kind": "burn_spot",
        "land_type": "forest",
        "area_rai": 4,
        "action_taken": ["reported"],
        "photo": SHA,
        "position": {"lat": 16.9, "lon": 100.3, "accuracy_m": 5},
    }
    mutation = survey_mutation(village.id, haze, answers=answers, notes="ไฟลามใกล้บ้าน")
    mutation["photos"] = [{"sha256": SHA, "item_key": "photo"}]
    assert phone.push(mutation)[0]["status"] == "applied"
    survey_id = mutation["record_id"]
    [concern] = db.session.scalars(select(Concern)).all()
    assert concern.category_code == "haze"
    assert concern.survey_id == survey_id
    assert concern.status == "new"
    assert (concern.lat, concern.lon) == (16.82, 100.26)
    assert concern.tracking_code
    assert "การสำรวจไฟป่าหมอกควัน" in concern.description
    assert "จุดเผา / ไฟไหม้" in concern.description and "ไฟลามใกล้บ้าน" in concern.description
    links = db.session.scalars(select(PhotoLink).where(PhotoLink.record_id == concern.id)).all()
    assert [(link.sha256, link.role) for link in links] == [(SHA, "before")]
    # replays, further edits and re-sending the marked answer raise nothing more
    phone.push(mutation)
    phone.push(update_mutation("survey", survey_id, 1, answers={"area_rai": 6}))
    phone.push(update_mutation("survey", survey_id, 2, answers={"kind": "smoke"}))
    phone.push(update_mutation("survey", survey_id, 3, answers={"kind": "burn_spot"}))
    assert db.session.scalar(select(func.count()).select_from(Concern)) == 1
    stored = db.session.get(Survey, survey_id)
    db.session.refresh(stored)
    assert stored.concern_ids == [concern.id]
    # the supervisor of the district finds it by pull, like any concern
    supervisor.pull()
    pulled = supervisor.seen[("concern", concern.id)]
    assert pulled["survey_id"] == survey_id and pulled["category_code"] == "haze"


def test_a_survey_is_seen_by_its_author_and_the_districts_supervisors(
    make_user, make_village, device, haze
):
    author, colleague = device(make_user()), device(make_user())
    supervisor = device(make_user(role="supervisor"))
    elsewhere = device(make_user(role="supervisor", districts=("6502",)))
    mutation = survey_mutation(make_village().id, haze)
    author.push(mutation)
    key = ("survey", mutation["record_id"])
    for phone in (author, colleague, supervisor, elsewhere):
        phone.pull()
    assert author.seen.get(key) and supervisor.seen.get(key)
    assert key not in colleague.seen and key not in elsewhere.seen
    update = update_mutation("survey", mutation["record_id"], 1, answers={"distance_km": 9})
    assert colleague.push(update)[0]["reason"] == "forbidden"


def test_the_form_of_a_survey_is_fixed(make_user, make_village, device, haze):
    phone = device(make_user())
    mutation = survey_mutation(make_village().id, haze)
    phone.push(mutation)
    seed = seed_forms()
    [result] = phone.push(update_mutation("survey", mutation["record_id"], 1, form_id=seed[1].id))
    assert result["error_codes"][0]["code"] == "form_fixed"
    assert new_id() != mutation["record_id"]
