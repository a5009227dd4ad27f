"""A concern worked through the real HTTP API, for the evidence checks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from photos import tus
from photos.evidence_images import CONCERN_LAT, CONCERN_LON, REPORTED_AT, sha256


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class Desk:
    """An official's phone and a supervisor's browser, on one district's concerns."""

    client: Any
    official: dict[str, str]
    supervisor: dict[str, str]
    official_id: int
    village_id: str

    def push(self, headers: dict[str, str], *mutations: dict[str, Any]) -> list[dict[str, Any]]:
        body = {"device_id": headers["X-Device-Id"], "mutations": list(mutations)}
        response = self.client.post("/api/sync/push", json=body, headers=headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["results"]

    def report(self, *, before: list[bytes] = (), **fields: Any) -> str:
        """A concern reported (with its before-photos) and assigned to the official."""
        values = {
            "village_id": self.village_id,
            "category_code": "roads",
            "description": "ถนนเป็นหลุม",
            "reported_at": REPORTED_AT,
            "lat": CONCERN_LAT,
            "lon": CONCERN_LON,
            **fields,
        }
        cid = new_id()
        photos = [{"sha256": sha256(data), "role": "before"} for data in before]
        create = {
            "mutation_id": new_id(),
            "entity": "concern",
            "record_id": cid,
            "op": "create",
            "fields": values,
            "photos": photos,
        }
        [created] = self.push(self.official, create)
        assert created["status"] == "applied", created
        for data in before:
            self.upload(data)
        self.step(cid, "assign", assignee_id=self.official_id)
        return cid

    def step(self, cid: str, action: str, **values: Any):
        url = f"/api/concerns/{cid}/transitions"
        return self.client.post(url, json={"action": action, **values}, headers=self.supervisor)

    def resolve(
        self, cid: str, photos: list[bytes | dict[str, Any]], *, upload: bool = True, **extra
    ) -> dict[str, Any]:
        """The official resolves from the phone with these after-photos (bytes, or a photo
        reference dict with its own provenance), then uploads their bytes."""
        refs = [
            p if isinstance(p, dict) else {"sha256": sha256(p), "role": "after"} for p in photos
        ]
        version = self.detail(cid)["version"]
        mutation = {
            "mutation_id": new_id(),
            "entity": "concern",
            "record_id": cid,
            "op": "transition",
            "base_version": version,
            "transition": {"action": "resolve", "note": "ซ่อมแล้ว", **extra},
            "photos": refs,
        }
        [answer] = self.push(self.official, mutation)
        if upload:
            for data in photos:
                if isinstance(data, bytes):
                    self.upload(data)
        return answer

    def upload(self, data: bytes) -> None:
        response = tus.upload(self.client, self.official, data)
        assert response.status_code in (201, 204), response.get_json()

    def detail(self, cid: str) -> dict[str, Any]:
        response = self.client.get(f"/api/concerns/{cid}", headers=self.supervisor)
        assert response.status_code == 200
        return response.get_json()

    def evidence(self, cid: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        response = self.client.get(
            f"/api/concerns/{cid}/evidence", headers=headers or self.supervisor
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def checks(self, cid: str) -> dict[str, Any]:
        """The one after-photo's checks."""
        [photo] = self.evidence(cid)["photos"]
        return photo["checks"]


@pytest.fixture
def desk(client, login, make_user, make_village, db_backend) -> Desk:
    official = make_user()
    supervisor = make_user(role="supervisor")
    return Desk(client, login(official), login(supervisor), official.id, make_village("650101").id)
