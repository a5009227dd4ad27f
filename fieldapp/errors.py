"""RFC 9457 problem details for every error under /api; no stack trace reaches a client."""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask, Response, json, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from fieldapp.schemas.messages import coded_errors

PROBLEM_TYPE = "application/problem+json"
log = logging.getLogger(__name__)


class ApiProblem(Exception):
    """An error a domain or route raises to answer with a problem+json body."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str = "",
        *,
        code: str | None = None,
        errors: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        error_codes: list[dict[str, Any]] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or title)
        self.headers = headers
        self.status = status
        self.title = title
        self.detail = detail
        self.code = code
        self.errors = errors
        self.error_codes = error_codes
        self.extra = extra

    @classmethod
    def invalid(
        cls, status: int, title: str, detail: str, *, code: str, messages: Any, **extra: Any
    ) -> ApiProblem:
        """A refusal of invalid input: marshmallow's `messages` (by dotted field path) as
        `errors`, with one coded entry per message as `error_codes`."""
        errors, error_codes = coded_errors(messages)
        return cls(
            status, title, detail, code=code, errors=errors, error_codes=error_codes, **extra
        )


def problem_response(
    status: int,
    title: str,
    detail: str = "",
    *,
    code: str | None = None,
    errors: dict[str, Any] | None = None,
    error_codes: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if code:
        body["code"] = code
    if errors:
        body["errors"] = errors
        body["error_codes"] = error_codes or []
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


# How long a client should wait before retrying when the database is busy or unreachable.
RETRY_AFTER_SECONDS = 5


def database_unavailable() -> Response:
    """503 for a database that is locked past the busy timeout or unreachable: retry later.

    Nothing of the request was committed, so a retry is safe (pushes are exactly-once)."""
    if not _wants_problem():
        return ServiceUnavailable(retry_after=RETRY_AFTER_SECONDS).get_response()
    return problem_response(
        503,
        "Service Unavailable",
        "The database is busy or unreachable; nothing was stored. Retry shortly.",
        code="db.unavailable",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _wants_problem() -> bool:
    return request.path.startswith("/api") or request.path == "/healthz"


def _validation_errors(exc: HTTPException) -> dict[str, Any] | None:
    """webargs/flask-smorest put marshmallow messages on the exception as data."""
    data = getattr(exc, "data", None) or {}
    messages = data.get("messages")
    if not messages:
        return None
    # webargs keys messages by location ("json", "query"); a client wants the fields.
    if len(messages) == 1:
        messages = next(iter(messages.values()))
    # A body that is not JSON at all has no fields: name the body itself.
    return messages if isinstance(messages, dict) else {"_body": messages}


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiProblem)
    def handle_problem(exc: ApiProblem) -> Response:
        return problem_response(
            exc.status,
            exc.title,
            exc.detail,
            code=exc.code,
            errors=exc.errors,
            headers=exc.headers,
            error_codes=exc.error_codes,
            **exc.extra,
        )

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException) -> Response | HTTPException:
        if not _wants_problem():
            return exc
        status = exc.code or 500
        errors, error_codes = coded_errors(_validation_errors(exc) or {})
        title = exc.name
        detail = exc.description or ""
        # A code a client can switch on, like every problem the app raises itself:
        # "http.not_found", "http.method_not_allowed", "http.too_many_requests"…
        code = "http." + re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")
        if errors:
            title, detail = "Invalid input", "One or more fields are invalid; see errors."
            code = "request.invalid"
        headers = {k: v for k, v in exc.get_headers() if k.lower() not in {"content-type"}}
        return problem_response(
            status,
            title,
            detail,
            code=code,
            errors=errors,
            error_codes=error_codes,
            headers=headers,
        )

    @app.errorhandler(OperationalError)
    def handle_database_unavailable(exc: OperationalError) -> Response:
        log.warning("database unavailable on %s %s: %s", request.method, request.path, exc.orig)
        return database_unavailable()

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception) -> Response | HTTPException:
        log.exception("unhandled error on %s %s", request.method, request.path)
        if not _wants_problem():
            return InternalServerError()
        return problem_response(500, "Internal Server Error", "The server could not finish.")
