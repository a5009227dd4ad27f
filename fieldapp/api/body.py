"""Reading a JSON request body within limits: size, encoding, nesting — never a 500
(docs/architecture.md, invariant 6)."""

from __future__ import annotations

import json
import zlib
from typing import Any

import orjson
from flask import Request, Response, current_app, request
from webargs.core import missing
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import RequestEntityTooLarge

from fieldapp.errors import ApiProblem

MAX_DEPTH = 32


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


def _too_deep() -> ApiProblem:
    return _invalid(f"JSON nested deeper than {MAX_DEPTH} levels.", "request.too_deep")


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        for child in node.values() if type(node) is dict else node:
            kind = type(child)
            if kind is dict or kind is list:
                stack.append((child, depth + 1))
    return False


def _unsupported_encoding(encoding: str) -> ApiProblem:
    return ApiProblem(
        415,
        "Unsupported Media Type",
        f"Content-Encoding {encoding!r} is not accepted: send gzip or no encoding.",
        code="request.unsupported_encoding",
    )


def _gunzip(raw: bytes, limit: int) -> bytes:
    """Decode gzip in bounded steps: past `limit` decoded bytes a 413, never more memory;
    a truncated or corrupt stream is a 400 (a gzip bomb is bad input, not a crash)."""
    out = bytearray()
    data = raw
    while data:  # one pass per gzip member (a stream may hold several)
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            while not inflater.eof:
                if not data:
                    raise _invalid("The gzip body ends too early.", "request.bad_encoding")
                out += inflater.decompress(data, limit + 1 - len(out))
                if len(out) > limit:
                    raise _too_large(limit)
                data = inflater.unconsumed_tail
        except zlib.error as exc:
            raise _invalid(f"The gzip body is corrupt: {exc}", "request.bad_encoding") from exc
        data = inflater.unused_data
    return bytes(out)


def body_bytes(req: Request) -> bytes:
    """The request body as the client meant it: gzip decoded, within MAX_BODY_BYTES both as
    sent and decoded; 413 past it, 415 for an encoding other than gzip."""
    encoding = req.headers.get("Content-Encoding", "").strip().lower()
    if encoding not in ("", "identity", "gzip"):
        raise _unsupported_encoding(encoding)
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if req.content_length is not None and req.content_length > limit:
        raise _too_large(limit)
    try:
        raw = req.get_data(cache=True)
    except RequestEntityTooLarge as exc:
        raise _too_large(limit) from exc
    return _gunzip(raw, limit) if encoding == "gzip" else raw


def json_body() -> Any:
    """The parsed body, or a problem+json: 415 not JSON, 413 too large, 400 undecodable."""
    if not request.is_json:
        raise ApiProblem(
            415,
            "Unsupported Media Type",
            "Send the body as application/json.",
            code="request.not_json",
        )
    raw = body_bytes(request)
    if b"\\" in raw and b"\\u0000" in raw:  # one byte is found by memchr: fast on most bodies
        # Valid JSON, but no database column can hold a NUL character.
        raise _invalid("Text may not contain NUL (\\u0000) characters.")
    try:
        # orjson checks UTF-8 (and refuses unpaired surrogates) while it parses.
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if "depth" in str(exc) or "recursion" in str(exc):
            raise _too_deep() from exc
        raise _invalid(f"The body is not valid UTF-8 JSON: {exc}") from exc
    if isinstance(data, dict | list) and _depth_exceeds(data, MAX_DEPTH):
        raise _too_deep()
    return data


def json_response(body: Any, status: int = 200) -> Response:
    """Compact UTF-8 JSON (Thai stays 3 bytes a letter instead of a 6-byte escape)."""
    return Response(orjson.dumps(body), status=status, mimetype="application/json")


class OrjsonParser(FlaskParser):
    """webargs' JSON loading through orjson: nesting past its depth limit, invalid UTF-8 and
    unpaired surrogates are a 400 like any malformed body, where the standard library's
    parser would raise RecursionError (a 500) on deep nesting."""

    def _raw_load_json(self, req: Request) -> Any:
        if not is_json_request(req):
            return missing
        data = body_bytes(req)
        if not data.strip():
            return missing  # as webargs treats an empty body: the schema names what is missing
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            # webargs answers 400 for a decode error whose `doc` is the body.
            raise json.JSONDecodeError(str(exc), "<body>", 0) from exc
