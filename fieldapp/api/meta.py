"""The server's field lists and enumerations for clients (docs/sync-protocol.md, Meta)."""

from __future__ import annotations

from flask_smorest import Blueprint

from fieldapp.meta import describe
from fieldapp.schemas.meta import MetaSchema

blp = Blueprint("meta", __name__, url_prefix="/api", description="What clients may send")


@blp.route("/meta")
@blp.etag
@blp.response(200, MetaSchema)
def meta():
    """Per entity the fields a device may send, those the server sets, the workflow fields
    and item maps; the enumerations. Public: it describes the API, not its data."""
    # Revalidated every time (If-None-Match): a new server version may change it.
    return describe(), 200, {"Cache-Control": "no-cache"}
