"""The audit log, for admins to browse."""

from flask_smorest import Blueprint

from fieldapp.audit.browse import audit_page
from fieldapp.auth import Permission, require
from fieldapp.schemas.audit import AuditPageSchema, AuditQuerySchema

blp = Blueprint("audit", __name__, url_prefix="/api", description="Audit log")


@blp.route("/audit")
@require(Permission.ADMINISTER)
@blp.arguments(AuditQuerySchema, location="query")
@blp.response(200, AuditPageSchema)
def list_audit(query):
    """Audit entries, newest first, filtered by action, actor, entity, record and time."""
    return audit_page(query)
