"""Survey forms (admins: upload an XLSForm, give, publish, retire) and a form's results
(supervisors: their districts; admins: the province). docs/surveys.md."""

from __future__ import annotations

from typing import Any

from flask import Response, stream_with_context
from flask_smorest import Blueprint

from fieldapp.auth import Permission, current_device, current_user, require
from fieldapp.auth.visibility import actor_for
from fieldapp.errors import ApiProblem
from fieldapp.extensions import db
from fieldapp.models import Form
from fieldapp.reports.exports import FORMATS, csv_chunks
from fieldapp.reports.filters import ReportFilter
from fieldapp.reports.xlsx import xlsx_stream
from fieldapp.schemas.surveys import (
    ExportSubmissionQuerySchema,
    FormRefusalSchema,
    FormSettingsSchema,
    FormSummarySchema,
    FormUploadSchema,
    ImportedFormSchema,
    SubmissionQuerySchema,
    SubmissionsPageSchema,
)
from fieldapp.surveys import forms
from fieldapp.surveys.problems import FormRefused
from fieldapp.surveys.results import SubmissionFilter, export_table, submissions_page

blp = Blueprint("surveys", __name__, url_prefix="/api", description="Survey forms and results")
MAX_FORM_BYTES = 5 * 1024 * 1024


def _refused(problems: list[Any]) -> ApiProblem:
    shown = [p.as_dict() for p in problems]
    return ApiProblem(
        422,
        "Invalid form",
        f"The form was not imported: {len(shown)} problem(s), each named by sheet, row, column.",
        code="form.invalid",
        errors=shown,
        error_codes=[
            {
                "field": "file",
                "code": p.code,
                "params": {"sheet": p.sheet, "row": p.row, "column": p.column, **p.params},
            }
            for p in problems
        ],
    )


def _form(form_key: str) -> Form:
    form = db.session.get(Form, form_key)
    if form is None:
        raise ApiProblem(404, "Not Found", "No such form.", code="form.not_found")
    return form


@blp.route("/admin/forms", methods=["POST"])
@require(Permission.ADMINISTER)
@blp.arguments(FormUploadSchema, location="files")
@blp.response(201, ImportedFormSchema)
@blp.alt_response(
    422,
    schema=FormRefusalSchema,
    content_type="application/problem+json",
    description="The form is refused, every problem named",
)
def upload_form(args: dict[str, Any]):
    """Import an XLSForm (.xlsx) as a new version of its form."""
    content = args["file"].read(MAX_FORM_BYTES + 1)
    if len(content) > MAX_FORM_BYTES:
        raise ApiProblem(413, "Content Too Large", "At most 5 MB.", code="form.too_large")
    try:
        row = forms.import_form(content, current_user().id)
    except FormRefused as exc:
        raise _refused(exc.problems) from None
    return {**forms.version_summary(row), "definition": row.definition}


@blp.route("/admin/forms")
@require(Permission.ADMINISTER)
@blp.response(200, FormSummarySchema(many=True))
def list_forms():
    """Every form, who it is given to, and its versions with their submissions."""
    return forms.form_summaries()


@blp.route("/admin/forms/<form_key>", methods=["PATCH"])
@require(Permission.ADMINISTER)
@blp.arguments(FormSettingsSchema)
@blp.response(200, FormSummarySchema)
def change_form(data: dict[str, Any], form_key: str):
    """Give the form to roles and districts (an empty list: to all), publish or retire it."""
    _form(form_key)
    try:
        forms.change_form(form_key, data, current_user().id)
    except forms.FormChangeRefused as exc:
        raise ApiProblem(
            422,
            "Invalid input",
            exc.detail,
            code=f"form.{exc.code}",
            errors={exc.field: [exc.detail]},
            error_codes=[{"field": exc.field, "code": exc.code, "params": {}}],
        ) from None
    return next(f for f in forms.form_summaries() if f["form_key"] == form_key)


def _filter(args: dict[str, Any]) -> SubmissionFilter:
    village = args.get("village")
    return SubmissionFilter(ReportFilter.from_args(args), str(village) if village else None)


@blp.route("/forms/<form_key>/submissions")
@require(Permission.SUPERVISE)
@blp.arguments(SubmissionQuerySchema, location="query")
@blp.response(200, SubmissionsPageSchema)
def submissions(args: dict[str, Any], form_key: str):
    """A form's submissions you see, newest first, answers shown in Thai."""
    _form(form_key)
    actor = actor_for(current_user(), current_device().id)
    return submissions_page(actor, form_key, _filter(args), args["page"], args["per_page"])


@blp.route("/exports/surveys/<form_key>.<any(csv, xlsx):extension>")
@require(Permission.SUPERVISE)
@blp.arguments(ExportSubmissionQuerySchema, location="query")
@blp.response(200, content_type="text/csv")
def export_submissions(args: dict[str, Any], form_key: str, extension: str) -> Response:
    """A form's submissions you see as CSV (UTF-8 with BOM) or XLSX: one column per
    question of every version, choice labels in Thai."""
    _form(form_key)
    actor = actor_for(current_user(), current_device().id)
    header, rows = export_table(actor, form_key, _filter(args))
    chunks = (
        csv_chunks(header, rows) if extension == "csv" else xlsx_stream(header, rows, "surveys")
    )
    response = Response(stream_with_context(chunks), mimetype=FORMATS[extension])
    response.headers["Content-Disposition"] = f'attachment; filename="{form_key}.{extension}"'
    response.headers["Cache-Control"] = "no-store"
    return response
