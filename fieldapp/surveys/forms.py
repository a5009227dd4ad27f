"""Forms as the province manages them: import a version, give a form to roles and districts,
make it public or retire it. Every change is audited and fed to devices (docs/surveys.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from fieldapp.changefeed import ChangeRef, record_changes
from fieldapp.extensions import db
from fieldapp.models import Category, District, Form, FormVersion, Role, Survey, record_audit
from fieldapp.surveys.problems import FormProblem, FormRefused
from fieldapp.surveys.xlsform import read_form

CHANGEABLE = ("roles", "district_codes", "public", "retired")


class FormChangeRefused(Exception):
    """A change of a form's settings that names an unknown role or district."""

    def __init__(self, field: str, code: str, detail: str) -> None:
        super().__init__(detail)
        self.field, self.code, self.detail = field, code, detail


def active_categories() -> set[str]:
    return set(db.session.scalars(select(Category.code).where(Category.active.is_(True))))


def import_form(
    content: bytes,
    user_id: int | None,
    *,
    roles: list[str] | None = None,
    district_codes: list[str] | None = None,
    public: bool | None = None,
) -> FormVersion:
    """Read an XLSForm and store it as a new version of its form (the same version already
    stored with the same content: that one; with other content: refused)."""
    definition = read_form(content, active_categories())
    key, version = definition["form_key"], definition["version"]
    existing = db.session.scalar(
        select(FormVersion).where(FormVersion.form_key == key, FormVersion.version == version)
    )
    given = {"roles": roles, "district_codes": district_codes, "public": public}
    given = {name: value for name, value in given.items() if value is not None}
    if existing is not None:
        if existing.definition != definition:
            params = {"value": version}
            raise FormRefused([FormProblem("version_exists", "settings", 2, "version", params)])
        if given:
            change_form(key, given, user_id)
        return existing
    form = db.session.get(Form, key)
    title = definition["title"]
    if form is None:
        form = Form(form_key=key, roles=[], district_codes=[], public=False, retired=False)
        db.session.add(form)
    form.title_th, form.title_en = title["th"], title["en"]
    _apply(form, given)
    row = FormVersion(
        form_key=key,
        version=version,
        title_th=title["th"],
        title_en=title["en"],
        definition=definition,
        created_by_id=user_id,
    )
    db.session.add(row)
    db.session.flush()
    record_audit("form.import", user_id, "form", key, version=version, form_id=row.id)
    feed_form(key)
    return row


def _apply(form: Form, changes: dict[str, Any]) -> dict[str, Any]:
    """Check and apply `changes`; returns what changed (name -> [old, new])."""
    if "roles" in changes:
        unknown = sorted(set(changes["roles"]) - {r.value for r in Role})
        if unknown:
            raise FormChangeRefused("roles", "unknown_role", f"Unknown role: {unknown[0]}.")
    if changes.get("district_codes"):
        known = set(
            db.session.scalars(
                select(District.code).where(District.code.in_(changes["district_codes"]))
            )
        )
        unknown = sorted(set(changes["district_codes"]) - known)
        if unknown:
            detail = f"Unknown district: {unknown[0]}."
            raise FormChangeRefused("district_codes", "unknown_district", detail)
    diff = {}
    for name in CHANGEABLE:
        if name in changes:
            value = changes[name]
            if isinstance(value, list):
                value = sorted(set(value))
            if getattr(form, name) != value:
                diff[name] = [getattr(form, name), value]
                setattr(form, name, value)
    return diff


def change_form(form_key: str, changes: dict[str, Any], user_id: int | None) -> Form | None:
    """Give a form to roles and districts, make it public, retire it; None: no such form."""
    form = db.session.get(Form, form_key)
    if form is None:
        return None
    diff = _apply(form, changes)
    if diff:
        db.session.flush()
        record_audit("form.change", user_id, "form", form_key, changes=diff)
        feed_form(form_key)
    return form


def feed_form(form_key: str) -> None:
    """Every version of the form to the change feed: devices learn who has it now."""
    ids = db.session.scalars(
        select(FormVersion.id).where(FormVersion.form_key == form_key).order_by(FormVersion.id)
    )
    record_changes([ChangeRef("form", str(i)) for i in ids])


def version_summary(row: FormVersion, submissions: int = 0) -> dict[str, Any]:
    return {
        "id": row.id,
        "form_key": row.form_key,
        "version": row.version,
        "title_th": row.title_th,
        "title_en": row.title_en,
        "created_at": row.created_at,
        "submissions": submissions,
    }


def form_summaries() -> list[dict[str, Any]]:
    """Every form with its versions, newest last, and the live submissions of each."""
    counts = dict(
        db.session.execute(
            select(Survey.form_id, func.count())
            .where(Survey.deleted.is_(False))
            .group_by(Survey.form_id)
        ).all()
    )
    versions: dict[str, list[dict[str, Any]]] = {}
    for row in db.session.scalars(select(FormVersion).order_by(FormVersion.id)):
        versions.setdefault(row.form_key, []).append(version_summary(row, counts.get(row.id, 0)))
    return [
        {
            "form_key": form.form_key,
            "title_th": form.title_th,
            "title_en": form.title_en,
            "public": form.public,
            "retired": form.retired,
            "roles": form.roles,
            "district_codes": form.district_codes,
            "versions": versions.get(form.form_key, []),
        }
        for form in db.session.scalars(select(Form).order_by(Form.form_key))
    ]


FORMS_DIR = Path(__file__).resolve().parents[1] / "forms"
# The province's two forms from its strategy (fieldapp/forms/make_forms.py writes them).
SEEDED = ("haze_survey", "safe_vegetables")
SEEDED_ROLES = [Role.OFFICIAL.value, Role.SUPERVISOR.value]


def seed_forms() -> list[FormVersion]:
    """Import the seeded forms, given to officials and supervisors of every district; a form
    already there keeps what an admin set (idempotent)."""
    imported = []
    for key in SEEDED:
        roles = None if db.session.get(Form, key) else SEEDED_ROLES
        content = (FORMS_DIR / f"{key}.xlsx").read_bytes()
        imported.append(import_form(content, None, roles=roles))
    return imported
