"""Open311 GeoReport v2 at /open311/v2/, read-only, over the public data (docs/open311.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
from flask import Blueprint, Response, request, url_for
from marshmallow import ValidationError

from fieldapp.extensions import limiter
from fieldapp.reports import open311
from fieldapp.reports.sqltime import BANGKOK
from fieldapp.schemas.open311 import RequestsQuery

blp = Blueprint("open311", __name__, url_prefix="/open311/v2")
_query = RequestsQuery()
FORMATS = ("json", "xml")


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status, self.description = status, description


def _answer(fmt: str, value: Any, root: str, item: str | None, status: int = 200) -> Response:
    if fmt == "xml":
        body = open311.to_xml(root, item, value)
        response = Response(body, status=status, mimetype="text/xml")
        response.charset = "utf-8"
    else:
        response = Response(orjson.dumps(value), status=status, mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Open311Error(404, "Use .json or .xml.")
    return fmt


@blp.errorhandler(Open311Error)
def _error(exc: Open311Error) -> Response:
    fmt = "xml" if request.path.endswith(".xml") else "json"
    errors = [{"code": exc.status, "description": exc.description}]
    return _answer(fmt, errors, "errors", "error", exc.status)


def _photo_url(sha256: str) -> str:
    return url_for("public.photo", sha256=sha256, rendition="display", _external=True)


@blp.route("/")
@blp.route("/discovery.<fmt>")
def discovery(fmt: str = "json") -> Response:
    """Where the endpoint is and what it speaks."""
    base = url_for("open311.discovery", _external=True).removesuffix("discovery.json")
    value = open311.discovery(base.rstrip("/"), url_for("public.home", _external=True))
    return _answer(_format(fmt), value, "discovery", None)


@blp.route("/services.<fmt>")
def services(fmt: str) -> Response:
    """Our concern categories as services."""
    return _answer(_format(fmt), open311.services(), "services", "service")


@blp.route("/requests.<fmt>")
@limiter.limit("120 per minute")
def requests(fmt: str) -> Response:
    """Service requests (concerns), filtered and paged; the default is the last 90 days."""
    fmt = _format(fmt)
    try:
        args = _query.load(request.args.to_dict())
    except ValidationError as exc:
        detail = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in exc.messages.items())
        raise Open311Error(400, detail) from None
    query = open311.RequestQuery(
        ids=args["service_request_id"],
        service_codes=args["service_code"],
        start=args["start_date"],
        end=args["end_date"],
        statuses=args["status"],
        page=args["page"],
        page_size=args["page_size"],
    )
    now = datetime.now(UTC).astimezone(BANGKOK)
    found = [open311.service_request(c, _photo_url) for c in open311.find_requests(query, now)]
    return _answer(fmt, found, "service_requests", "request")


@blp.route("/requests/<request_id>.<fmt>")
@limiter.limit("120 per minute")
def one_request(request_id: str, fmt: str) -> Response:
    """One service request by its id (the tracking code)."""
    fmt = _format(fmt)
    found = open311.find_requests(open311.RequestQuery(ids=(request_id,)), datetime.now(UTC))
    if not found:
        raise Open311Error(404, f"No service request {request_id}.")
    value = [open311.service_request(found[0], _photo_url)]
    return _answer(fmt, value, "service_requests", "request")
