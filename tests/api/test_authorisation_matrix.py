"""Every route × every kind of caller × records inside and outside the caller's districts.

Routes are read from app.url_map, so a new route is in the matrix the day it is added. Callers:
an official, a supervisor and an admin (district 6501, admin province-wide), nobody, a user
deactivated after signing in, and a revoked device. Each route is asked with path values naming
records of district 6501 (inside) and of 6502 (outside). What must hold:

- no answer is a 5xx;
- every /api route but the few public ones answers 401 to nobody, to a deactivated user's token
  and to a revoked device's token;
- an official or supervisor of 6501 never gets a 2xx on a route naming a 6502 record, and no
  answer they get shows a 6502 record's id.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from photos import tus
from photos.images import jpeg, sha256

pytestmark = [pytest.mark.both_databases, pytest.mark.usefixtures("db_backend")]

# Routes anyone may call without a token. A new public route must be added here on purpose.
# The gazetteer (districts, subdistricts) is public reference data from the geothai package.
PUBLIC = {
    "auth.login",
    "api-docs.openapi_json",
    "health.healthz",
    "geo.list_districts",
    "geo.list_subdistricts",
    "meta.meta",  # field lists and enumerations a client needs before signing in; no records
}
# Bodies that get past input validation, so the authorisation check is what answers.
BODIES: dict[str, Any] = {
    "concerns.transition": {"action": "accept", "note": "matrix"},
    "sync.dismiss": {"note": "matrix"},
    "sync.resolve_conflict": {"note": "matrix"},
    "sync.reapply": {},
    "auth.login": {"username": "nobody", "password": "not-the-password"},
}
# Path arguments that name one record (or account) of a district; `entity`, `rendition`…
# name a kind of thing, so a 200 for them outside the district serves nothing of it.
RECORD_ARGUMENTS = {
    *("concern_id", "device_id", "sha256", "entry_id", "conflict_id", "upload_id"),
    *("visit_id", "inspection_id", "village_id", "user_id", "request_id", "record_id"),
}
CALLERS = ["official", "supervisor", "admin", "anonymous", "deactivated", "revoked"]


def mutation(entity: str, op: str, record_id: str, **parts: Any) -> dict[str, Any]:
    return {
        "mutation_id": str(uuid.uuid4()),
        "entity": entity,
        "record_id": record_id,
        "op": op,
        **parts,
    }


class District:
    """Records one official made in one district: a visit with a photo, a concern, a conflict,
    a quarantined mutation, an unfinished upload and a survey (the seeded haze form)."""

    def __init__(
        self, client, auth, second_device, village_id: str, size: int, form_id: int
    ) -> None:
        self.client, self.auth, self.village_id = client, auth, village_id
        self.user_id = size  # an account id that no test user has: admins get 404
        photo = jpeg((size, size))
        assert tus.upload(client, auth, photo).status_code == 204
        self.sha256 = sha256(photo)
        self.visit, self.concern = str(uuid.uuid4()), str(uuid.uuid4())
        place = {"village_id": village_id, "visited_at": "2026-03-01T09:30:00+07:00"}
        concern = {
            "village_id": village_id,
            "category_code": "roads",
            "description": "ถนนชำรุด",
            "reported_at": "2026-03-01T10:00:00+07:00",
        }
        broken = {"village_id": village_id, "visited_at": "not a time"}  # quarantined
        self.survey = str(uuid.uuid4())
        survey = {"village_id": village_id, "form_id": form_id, "filled_at": place["visited_at"]}
        self.push(
            auth,
            mutation("survey", "create", self.survey, fields={**survey, "answers": {}}),
        )
        self.push(
            auth,
            mutation("visit", "create", self.visit, fields=place, photos=[{"sha256": self.sha256}]),
            mutation("concern", "create", self.concern, fields=concern),
            mutation("visit", "update", self.visit, base_version=1, fields={"notes": "ก"}),
            mutation("visit", "create", str(uuid.uuid4()), fields=broken),
        )
        # The same field from a second device, from the same version: a conflict.
        edit = mutation("visit", "update", self.visit, base_version=1, fields={"notes": "ข"})
        self.push(second_device, edit)
        self.device_id = auth["X-Device-Id"]
        created = tus.create(client, auth, jpeg((32, 32)))
        self.upload_id = created.headers["Location"].rsplit("/", 1)[-1]
        self.ids = {self.visit, self.concern, self.sha256, self.device_id, self.upload_id}
        self.ids.add(self.survey)

    def push(self, auth, *mutations) -> None:
        body = {"device_id": auth["X-Device-Id"], "mutations": list(mutations)}
        response = self.client.post("/api/sync/push", json=body, headers=auth)
        assert response.status_code == 200, response.get_json()


def path_values(rule, district: District, quarantine_id: int, conflict_id: int) -> dict:
    values = {
        "concern_id": uuid.UUID(district.concern),
        "device_id": district.device_id,
        "sha256": district.sha256,
        "rendition": "thumb",
        "entry_id": quarantine_id,
        "conflict_id": conflict_id,
        "upload_id": district.upload_id,
        "filename": "index.html",
        "folder": "assets",
        "_route": "visits",
        "visit_id": uuid.UUID(district.visit),
        "inspection_id": uuid.uuid4(),  # none exists: every caller gets a refusal
        "village_id": uuid.UUID(district.village_id),
        "user_id": district.user_id,
        # an export names entities in the plural; a record's history, one record's entity
        "entity": "concern" if rule.rule.endswith("/history") else "concerns",
        "record_id": uuid.UUID(district.concern),
        "fmt": "json",
        "request_id": district.concern,
        "form_key": "haze_survey",
        "extension": "csv",  # a form is given to roles and districts, not in one
    }
    missing = set(rule.arguments) - set(values)
    assert not missing, f"{rule.rule}: give the matrix a value for {missing}"
    return {name: values[name] for name in rule.arguments}


@pytest.fixture
def world(app, client, make_user, make_village, login):
    """Both districts populated, and a token for every kind of caller."""
    from fieldapp.extensions import db
    from fieldapp.models import Conflict, Device, QuarantinedMutation
    from fieldapp.surveys.forms import seed_forms

    haze = seed_forms()[0].id
    db.session.commit()
    inside_village, outside_village = make_village("650101"), make_village("650201")
    official, colleague = make_user(), make_user(districts=("6502",))
    inside = District(client, login(official), login(official), inside_village.id, 64, haze)
    outside = District(client, login(colleague), login(colleague), outside_village.id, 72, haze)
    ids = {}
    for name, district in (("inside", "6501"), ("outside", "6502")):
        ids[name] = (
            db.session.query(QuarantinedMutation.id).filter_by(district_code=district).scalar(),
            db.session.query(Conflict.id).filter_by(district_code=district).scalar(),
        )
    tokens = {
        "official": login(official),
        "supervisor": login(make_user(role="supervisor")),
        "admin": login(make_user(role="admin", districts=())),
        "anonymous": {},
    }
    gone = make_user()
    tokens["deactivated"] = login(gone)
    gone.active = False
    tokens["revoked"] = login(make_user())
    db.session.get(Device, tokens["revoked"]["X-Device-Id"]).revoked_at = db.func.now()
    db.session.commit()
    return {"inside": (inside, *ids["inside"]), "outside": (outside, *ids["outside"])}, tokens


def routes(app) -> list[tuple[Any, str]]:
    """Every (rule, method) of the app; signing out last, since it ends the caller's token."""
    pairs = [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"OPTIONS"})
    ]
    return sorted(pairs, key=lambda pair: (pair[0].endpoint == "auth.logout", pair[0].rule))


def ask(client, rule, method: str, values: dict, headers: dict):
    from flask import url_for

    with client.application.test_request_context():
        url = url_for(rule.endpoint, **values)
    kwargs: dict[str, Any] = {"headers": {**headers, "Tus-Resumable": "1.0.0"}}
    if method in {"POST", "PATCH", "PUT", "DELETE"}:
        kwargs["json"] = BODIES.get(rule.endpoint, {})
    if method == "POST" and rule.endpoint == "uploads.UploadResource":
        kwargs["headers"]["X-HTTP-Method-Override"] = "PATCH"  # what that POST is for
    response = client.open(url, method=method, **kwargs)
    try:
        text = response.get_data().decode("utf-8", "replace")
    finally:
        response.close()
    return response.status_code, text


def test_every_route_for_every_caller_inside_and_outside_the_district(app, client, world):
    places, tokens = world
    outside_ids = places["outside"][0].ids
    failures = []
    for caller in CALLERS:
        for rule, method in routes(app):
            for where, (district, quarantine_id, conflict_id) in places.items():
                values = path_values(rule, district, quarantine_id, conflict_id)
                status, text = ask(client, rule, method, values, tokens[caller])
                case = f"{caller} {method} {rule.rule} ({where}): {status}"
                if status >= 500:
                    failures.append(f"{case} {text[:200]}")
                protected = rule.rule.startswith("/api") and rule.endpoint not in PUBLIC
                refused = {"anonymous", "deactivated", "revoked"}
                if protected and caller in refused and status != 401:
                    failures.append(f"{case}, expected 401")
                if caller in {"official", "supervisor"} and rule.rule.startswith("/api"):
                    if where == "outside" and rule.arguments & RECORD_ARGUMENTS and status < 300:
                        failures.append(f"{case}: another district's record was served")
                    shown = [i for i in outside_ids if i in text]
                    if shown:
                        failures.append(f"{case}: shows another district's {shown}")
    assert failures == [], "\n".join(failures)
