"""Liveness with a real database round trip."""

from flask_smorest import Blueprint
from sqlalchemy import text

from fieldapp.extensions import db
from fieldapp.schemas.common import HealthSchema

blp = Blueprint("health", __name__, description="Service health")


@blp.route("/healthz")
@blp.response(200, HealthSchema)
def healthz():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
