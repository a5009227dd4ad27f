"""The gazetteer: districts, subdistricts and villages within the user's scope."""

from flask_smorest import Blueprint
from sqlalchemy import or_, select

from fieldapp.auth import authenticated, current_device, current_user
from fieldapp.auth.visibility import actor_for, record_filter
from fieldapp.extensions import db
from fieldapp.models import District, Subdistrict, Village
from fieldapp.schemas.geo import (
    DistrictSchema,
    SubdistrictSchema,
    VillageQuerySchema,
    VillageSchema,
)

blp = Blueprint("geo", __name__, url_prefix="/api", description="Districts and villages")


@blp.route("/districts")
@blp.response(200, DistrictSchema(many=True))
def list_districts():
    """All 9 districts of Phitsanulok (public reference data)."""
    return db.session.scalars(select(District).order_by(District.code)).all()


@blp.route("/subdistricts")
@blp.response(200, SubdistrictSchema(many=True))
def list_subdistricts():
    """All subdistricts of Phitsanulok (public reference data)."""
    return db.session.scalars(select(Subdistrict).order_by(Subdistrict.code)).all()


@blp.route("/villages")
@authenticated
@blp.arguments(VillageQuerySchema, location="query")
@blp.response(200, VillageSchema(many=True))
def list_villages(args):
    """Villages in your districts, searchable by Thai name or หมู่ที่."""
    actor = actor_for(current_user(), current_device().id)
    query = select(Village).where(
        Village.deleted.is_(False), record_filter(actor, "village", Village.__table__)
    )
    if args["district"]:
        query = query.where(Village.district_code == args["district"])
    if args["q"]:
        term = args["q"].strip()
        clauses = [Village.name_th.contains(term), Village.name_en.ilike(f"%{term}%")]
        if term.isdigit():
            clauses.append(Village.moo == int(term))
        query = query.where(or_(*clauses))
    return db.session.scalars(query.order_by(Village.subdistrict_code, Village.moo)).all()
