"""A small province for the workspace tests: people of every kind, villages in two districts,
and concerns reported and worked through the real HTTP API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

ROLES = ("official", "supervisor", "other_supervisor", "admin", "anonymous", "deactivated")


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class Province:
    client: Any
    users: dict[str, Any]
    headers: dict[str, dict[str, str]]
    villages: dict[str, Any]
    reported: list[str] = field(default_factory=list)

    def id_of(self, who: str) -> int:
        return self.users[who].id

    def get(self, who: str, url: str, **kwargs: Any):
        return self.client.get(url, headers=self.headers.get(who, {}), **kwargs)

    def post(self, who: str, url: str, body: Any = None, **kwargs: Any):
        return self.client.post(url, json=body, headers=self.headers.get(who, {}), **kwargs)

    def send(self, method: str, who: str, url: str, body: Any = None):
        return self.client.open(url, method=method, json=body, headers=self.headers.get(who, {}))

    def push(self, who: str, mutations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        headers = self.headers[who]
        response = self.client.post(
            "/api/sync/push",
            json={"device_id": headers["X-Device-Id"], "mutations": mutations},
            headers=headers,
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()["results"]

    def report(self, who: str = "official", village: str = "mueang", **fields: Any) -> str:
        """One concern reported by `who`; returns its id."""
        return self.report_many(who, [{"village": village, **fields}])[0]

    def report_many(self, who: str, specs: list[dict[str, Any]]) -> list[str]:
        mutations = []
        for spec in specs:
            spec = dict(spec)
            village = self.villages[spec.pop("village", "mueang")]
            values = {
                "village_id": village.id,
                "category_code": "roads",
                "description": "ถนนชำรุด เป็นหลุมลึก",
                "reported_at": "2026-03-01T10:00:00+07:00",
                **spec,
            }
            mutations.append(
                {
                    "mutation_id": new_id(),
                    "entity": "concern",
                    "record_id": new_id(),
                    "op": "create",
                    "fields": values,
                }
            )
        results = self.push(who, mutations)
        assert all(r["status"] == "applied" for r in results), results
        ids = [m["record_id"] for m in mutations]
        self.reported += ids
        return ids

    def step(self, who: str, concern_id: str, action: str, **values: Any):
        if action == "resolve":
            self.after_photo(concern_id)  # resolving needs one (docs/evidence.md)
        response = self.post(
            who, f"/api/concerns/{concern_id}/transitions", {"action": action, **values}
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def after_photo(self, concern_id: str) -> str:
        """Name a photo of the fix on the concern, as the assignee's phone would."""
        from fieldapp.extensions import db
        from fieldapp.models import PhotoLink

        sha256 = uuid.uuid4().hex * 2
        db.session.add(
            PhotoLink(entity="concern", record_id=concern_id, sha256=sha256, role="after")
        )
        db.session.commit()
        return sha256

    def pull_cursor(self, who: str) -> str:
        """Where `who`'s phone is after pulling everything there is now."""
        cursor = "0"
        while True:
            page = self.get(who, f"/api/sync/pull?cursor={cursor}&limit=1000").get_json()
            cursor = page["cursor"]
            if not page["has_more"]:
                return cursor

    def pull(self, who: str, cursor: str = "0") -> list[dict[str, Any]]:
        changes = []
        while True:
            response = self.get(who, f"/api/sync/pull?cursor={cursor}&limit=500")
            assert response.status_code == 200, response.get_json()
            page = response.get_json()
            changes += page["changes"]
            cursor = page["cursor"]
            if not page["has_more"]:
                return changes
