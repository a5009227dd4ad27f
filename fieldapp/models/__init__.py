"""SQLAlchemy models, one module per aggregate."""

from fieldapp.models.audit import AuditEntry, AuditHead, record_audit
from fieldapp.models.catalogue import Category, ChecklistTemplate, ServiceLevel
from fieldapp.models.evidence import EvidenceCheck
from fieldapp.models.followup import FollowupEntry
from fieldapp.models.geo import District, Subdistrict, Village
from fieldapp.models.history import RecordHistory
from fieldapp.models.photo import Photo, PhotoHashBand, PhotoLink
from fieldapp.models.records import (
    Concern,
    Inspection,
    Visit,
)
from fieldapp.models.survey import Form, FormVersion, Survey
from fieldapp.models.sync import (
    AppliedMutation,
    Change,
    ChangeCounter,
    Conflict,
    FeedRestore,
    QuarantinedMutation,
)
from fieldapp.models.upload import Upload
from fieldapp.models.user import Device, Role, User

__all__ = [
    "AppliedMutation",
    "AuditEntry",
    "AuditHead",
    "Category",
    "Change",
    "ChangeCounter",
    "ChecklistTemplate",
    "Concern",
    "Conflict",
    "Device",
    "District",
    "EvidenceCheck",
    "FeedRestore",
    "FollowupEntry",
    "Form",
    "FormVersion",
    "Inspection",
    "Photo",
    "PhotoHashBand",
    "PhotoLink",
    "QuarantinedMutation",
    "RecordHistory",
    "Role",
    "ServiceLevel",
    "Subdistrict",
    "Survey",
    "Upload",
    "User",
    "Village",
    "Visit",
    "record_audit",
]
