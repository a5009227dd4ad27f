"""What the survey routes read and answer: form uploads and settings, submissions.

docs/surveys.md describes forms and their definition."""

from __future__ import annotations

from typing import Any

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from fieldapp.models import Role
from fieldapp.schemas.common import AwareDateTime, ProblemSchema
from fieldapp.schemas.reports import DISTRICT


class FormUploadSchema(Schema):
    file = Upload(required=True, metadata={"description": "an XLSForm spreadsheet (.xlsx)"})


class FormSettingsSchema(Schema):
    """Give a form to roles and districts (an empty list: to all), publish it, retire it."""

    roles = fields.List(
        fields.String(validate=validate.OneOf([r.value for r in Role])),
        validate=validate.Length(max=len(Role)),
    )
    district_codes = fields.List(
        fields.String(validate=DISTRICT), validate=validate.Length(max=100)
    )
    public = fields.Boolean()
    retired = fields.Boolean()


class FormVersionSummarySchema(Schema):
    id = fields.Integer(required=True)
    version = fields.String(required=True)
    created_at = AwareDateTime(required=True)
    submissions = fields.Integer(required=True, metadata={"description": "live surveys"})


class ImportedFormSchema(FormVersionSummarySchema):
    form_key = fields.String(required=True)
    title_th = fields.String(required=True)
    title_en = fields.String(required=True)
    definition = fields.Dict(required=True, metadata={"description": "docs/surveys.md"})


class FormSummarySchema(Schema):
    form_key = fields.String(required=True)
    title_th = fields.String(required=True)
    title_en = fields.String(required=True)
    public = fields.Boolean(required=True)
    retired = fields.Boolean(required=True)
    roles = fields.List(fields.String(), required=True, metadata={"description": "[]: all"})
    district_codes = fields.List(
        fields.String(), required=True, metadata={"description": "[]: all"}
    )
    versions = fields.List(fields.Nested(FormVersionSummarySchema), required=True)


class FormProblemSchema(Schema):
    sheet = fields.String(required=True, allow_none=True)
    row = fields.Integer(required=True, allow_none=True)
    column = fields.String(required=True, allow_none=True)
    code = fields.String(required=True)
    message_th = fields.String(required=True)
    message_en = fields.String(required=True)


class FormRefusalSchema(ProblemSchema):
    """422 `form.invalid`: the form is refused, `errors` lists every problem named by sheet,
    row and column in Thai and English (FormProblem); `error_codes` has one entry per problem
    (field `file`, params sheet, row, column). Other 422s (`request.invalid`: no file) have
    `errors` by field as everywhere."""

    errors = fields.Raw(
        metadata={"description": "form.invalid: a list of FormProblem; else field -> messages"}
    )
    problem = fields.Nested(
        FormProblemSchema, metadata={"description": "never sent: the shape of an item of `errors`"}
    )


class SubmissionQuerySchema(Schema):
    district = fields.String(load_default=None, validate=DISTRICT)
    village = fields.UUID(load_default=None)
    start = fields.Date(data_key="from", load_default=None, metadata={"description": "Bangkok day"})
    end = fields.Date(data_key="to", load_default=None, metadata={"description": "Bangkok day"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))

    @validates_schema
    def _ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError("The period ends before it starts.", "to")


class ExportSubmissionQuerySchema(SubmissionQuerySchema):
    class Meta:
        exclude = ("page", "per_page")


class SubmissionSchema(Schema):
    id = fields.String(required=True)
    form_version = fields.String(required=True)
    village = fields.String(required=True, metadata={"description": "หมู่ที่ and name"})
    village_id = fields.String(required=True)
    district_code = fields.String(required=True)
    filled_at = AwareDateTime(required=True)
    created_by = fields.String(required=True, allow_none=True)
    lat = fields.Float(required=True, allow_none=True)
    lon = fields.Float(required=True, allow_none=True)
    answers_labelled = fields.Dict(
        keys=fields.String(), values=fields.String(), required=True,
        metadata={"description": "question name -> the answer as shown, in Thai"},
    )  # fmt: skip


class ColumnSchema(Schema):
    name = fields.String(required=True)
    label_th = fields.String(required=True)
    label_en = fields.String(required=True)


class SubmissionsPageSchema(Schema):
    total = fields.Integer(required=True)
    items = fields.List(fields.Nested(SubmissionSchema), required=True)
    columns = fields.List(fields.Nested(ColumnSchema), required=True)
