"""Reading a JSON request body within limits: size, encoding, nesting — never a 500."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Response, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from fieldapp.errors import ApiProblem

MAX_DEPTH = 32
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def _too_large(limit: int) -> ApiProblem:
    return ApiProblem(
        413,
        "Payload Too Large",
        f"The body may be at most {limit} bytes (MAX_BODY_BYTES).",
        code="request.too_large",
        limit=limit,
    )


def _invalid(detail: str, code: str = "request.invalid_json") -> ApiProblem:
    return ApiProblem(400, "Bad Request", detail, code=code)


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))
    return False


def json_body() -> Any:
    """The parsed body, or a problem+json: 415 not JSON, 413 too large, 400 undecodable."""
    if not request.is_json:
        raise ApiProblem(
            415,
            "Unsupported Media Type",
            "Send the body as application/json.",
            code="request.not_json",
        )
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        raise _too_large(limit)
    try:
        raw = request.get_data(cache=False)
    except RequestEntityTooLarge as exc:
        raise _too_large(limit) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _invalid(f"The body is not valid UTF-8 (byte {exc.start}).") from exc
    try:
        data = json.loads(text)
    except RecursionError as exc:
        raise _invalid(f"JSON nested deeper than {MAX_DEPTH} levels.", "request.too_deep") from exc
    except ValueError as exc:
        raise _invalid(f"The body is not valid JSON: {exc}") from exc
    if isinstance(data, dict | list) and _depth_exceeds(data, MAX_DEPTH):
        raise _invalid(f"JSON nested deeper than {MAX_DEPTH} levels.", "request.too_deep")
    if _ESCAPED_SURROGATE.search(text):
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            raise _invalid("The body holds an unpaired UTF-16 surrogate.") from exc
    return data


def json_response(body: Any, status: int = 200) -> Response:
    """Compact UTF-8 JSON (Thai stays 3 bytes a letter instead of a 6-byte escape)."""
    return Response(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status=status,
        mimetype="application/json",
    )
