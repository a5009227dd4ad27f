"""Helpers for the sync tests: devices that push and pull through the real HTTP API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class Device:
    """A signed-in phone: its headers, and a pull cursor it keeps like the PWA does."""

    client: Any
    headers: dict[str, str]
    cursor: str = "0"
    seen: dict[tuple[str, str], dict[str, Any] | None] = field(default_factory=dict)

    @property
    def device_id(self) -> str:
        return self.headers["X-Device-Id"]

    def push_raw(self, mutations: list[dict[str, Any]]):
        return self.client.post(
            "/api/sync/push",
            json={"device_id": self.device_id, "mutations": mutations},
            headers=self.headers,
        )

    def push(self, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.push_raw(list(mutations))
        assert response.status_code == 200, response.get_json()
        return response.get_json()["results"]

    def pull_page(self, cursor: str | None = None, limit: int = 500) -> dict[str, Any]:
        response = self.client.get(
            f"/api/sync/pull?cursor={cursor if cursor is not None else self.cursor}&limit={limit}",
            headers=self.headers,
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def pull(self, limit: int = 500) -> list[dict[str, Any]]:
        """Pull to the end; returns every change received, and keeps the latest of each."""
        received = []
        for _ in range(1000):
            page = self.pull_page(limit=limit)
            assert not page.get("reset"), page
            received += page["changes"]
            for change in page["changes"]:
                self.seen[(change["entity"], change["id"])] = change["record"]
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return received
        raise AssertionError("pull never ended")


def visit_mutation(village_id: str, record_id: str | None = None, **fields: Any) -> dict[str, Any]:
    values = {
        "village_id": village_id,
        "visited_at": "2026-03-01T09:30:00+07:00",
        "topics": ["clean_tidy"],
        "notes": "ประชุมประจำเดือน",
    }
    values.update(fields)
    return {
        "mutation_id": new_id(),
        "entity": "visit",
        "record_id": record_id or new_id(),
        "op": "create",
        "fields": values,
    }


def concern_mutation(village_id: str, record_id: str | None = None, **fields: Any):
    values = {
        "village_id": village_id,
        "category_code": "roads",
        "description": "ถนนชำรุด",
        "reported_at": "2026-03-01T10:00:00+07:00",
    }
    values.update(fields)
    return {
        "mutation_id": new_id(),
        "entity": "concern",
        "record_id": record_id or new_id(),
        "op": "create",
        "fields": values,
    }


def inspection_mutation(village_id: str, **fields: Any) -> dict[str, Any]:
    values = {
        "village_id": village_id,
        "place_type": "school",
        "place_name": "โรงเรียนบ้านหนองแขม",
        "inspected_at": "2026-03-02T08:00:00+07:00",
        "template_id": 1,
        "scores": {"toilets": {"score": 4}},
    }
    values.update(fields)
    return {
        "mutation_id": new_id(),
        "entity": "inspection",
        "record_id": new_id(),
        "op": "create",
        "fields": values,
    }


def update_mutation(entity: str, record_id: str, base: int, **fields: Any) -> dict[str, Any]:
    return {
        "mutation_id": new_id(),
        "entity": entity,
        "record_id": record_id,
        "op": "update",
        "base_version": base,
        "fields": fields,
    }


def after_photos(count: int = 1) -> list[dict[str, Any]]:
    """Photo references of a fix (role after), whose bytes have not arrived."""
    return [{"sha256": uuid.uuid4().hex * 2, "role": "after"} for _ in range(count)]


def transition_mutation(record_id: str, base: int, action: str, **extra: Any) -> dict[str, Any]:
    mutation = {
        "mutation_id": new_id(),
        "entity": "concern",
        "record_id": record_id,
        "op": "transition",
        "base_version": base,
        "transition": {"action": action, **extra},
    }
    if action == "resolve":  # resolving needs an after-photo (docs/evidence.md)
        mutation["photos"] = after_photos()
    return mutation


def survey_mutation(
    village_id: str, form_id: int, record_id: str | None = None, **fields: Any
) -> dict[str, Any]:
    """A haze survey (fieldapp/forms/haze_survey.xlsx) answered with smoke, no concern."""
    values = {
        "village_id": village_id,
        "form_id": form_id,
        "filled_at": "2026-03-01T11:00:00+07:00",
        "answers": {
            "kind": "smoke",
            "land_type": "forest",
            "distance_km": 2.5,
            "action_taken": ["warned"],
            "position": {"lat": 16.82, "lon": 100.26, "accuracy_m": 8},
        },
        "lat": 16.82,
        "lon": 100.26,
        "gps_accuracy_m": 8,
    }
    values.update(fields)
    return {
        "mutation_id": new_id(),
        "entity": "survey",
        "record_id": record_id or new_id(),
        "op": "create",
        "fields": values,
    }
