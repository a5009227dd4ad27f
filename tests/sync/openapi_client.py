"""A test client that checks every /api answer against /api/openapi.json (openapi-core) and
notes which documented operations answered a success and which an error; the cast of signed-in
people the OpenAPI test drives it with."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from werkzeug.routing import Map, Rule


class AnsweredRequest(WerkzeugOpenAPIRequest):
    """The request an answer belongs to; its body was read by the app already."""

    @property
    def body(self) -> bytes | None:
        return None


class CheckedClient:
    """The test client, checking every /api answer against the document and noting which
    documented operations answered a success and which an error."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.spec = client.get("/api/openapi.json").get_json()
        # Problems are JSON too (RFC 9457): read them as such.
        config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
        self.openapi = OpenAPI.from_dict(self.spec, config=config)
        self.routes = Map(
            [
                Rule(re.sub(r"\{(\w+)\}", r"<\1>", path), endpoint=path)
                for path in self.spec["paths"]
            ]
        ).bind("localhost")
        self.answered: dict[tuple[str, str], set[str]] = {}

    def operations(self) -> Iterator[tuple[str, str]]:
        for path, item in self.spec["paths"].items():
            for method in item:
                if method != "parameters":
                    yield method.upper(), path

    def open(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.client.open(path, method=method, **kwargs)
        response.get_data()  # a file answer read whole, so closing it closes the file
        response.close()
        template, _ = self.routes.match(path.split("?")[0], method=method)
        if method == "HEAD":  # never a body (RFC 9110): the status must be documented
            documented = self.spec["paths"][template]["head"]["responses"]
            assert str(response.status_code) in documented or "default" in documented
        else:
            self.openapi.validate_response(
                AnsweredRequest(response.request), WerkzeugOpenAPIResponse(response)
            )
        kind = "success" if response.status_code < 400 else "error"
        self.answered.setdefault((method, template), set()).add(kind)
        return response

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.open("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.open("POST", path, **kwargs)

    def head(self, path: str, **kwargs: Any) -> Any:
        return self.open("HEAD", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        return self.open("PATCH", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Any:
        return self.open("PUT", path, **kwargs)


def sign_in(api: CheckedClient, user: Any) -> dict[str, str]:
    response = api.post(
        "/api/auth/login", json={"username": user.username, "password": "secret-pass"}
    )
    assert response.status_code == 201
    body = response.get_json()
    return {"Authorization": f"Bearer {body['token']}", "X-Device-Id": body["device_id"]}


def push(api: CheckedClient, who: dict[str, str], *mutations: dict[str, Any]) -> list[dict]:
    body = {"device_id": who["X-Device-Id"], "mutations": list(mutations)}
    response = api.post("/api/sync/push", json=body, headers=who)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"]


def pull_all(api: CheckedClient, who: dict[str, str]) -> list[dict]:
    cursor, changes = "0", []
    while True:
        page = api.get(f"/api/sync/pull?cursor={cursor}&limit=3", headers=who).get_json()
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes


@dataclass
class Cast:
    """Who takes part: an official (with a second phone), one of another district, a
    supervisor, an admin, and a village of the official's district."""

    official: dict[str, str]
    second_phone: dict[str, str]
    other_official: dict[str, str]
    supervisor: dict[str, str]
    admin: dict[str, str]
    village: str
