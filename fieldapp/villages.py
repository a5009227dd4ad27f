"""Village management: the CSV import the province uses to load its หมู่บ้าน."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select

from fieldapp.changefeed import ChangeRef, record_changes
from fieldapp.extensions import db
from fieldapp.models import Subdistrict, Village

REQUIRED_COLUMNS = ("subdistrict_code", "moo", "name_th")


class VillageRowSchema(Schema):
    subdistrict_code = fields.String(required=True, validate=validate.Regexp(r"^\d{6}$"))
    moo = fields.Integer(required=True, strict=False, validate=validate.Range(min=1, max=99))
    name_th = fields.String(required=True, validate=validate.Length(min=1, max=200))
    name_en = fields.String(load_default=None, validate=validate.Length(max=200))


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _row_error(exc: ValidationError) -> str:
    return "; ".join(
        f"{name}: {' '.join(map(str, msgs if isinstance(msgs, list) else [msgs]))}"
        for name, msgs in exc.normalized_messages().items()
    )


def import_villages_csv(text: str) -> ImportReport:
    """Create or rename villages from CSV; each bad row is reported with its line number."""
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append((1, f"missing columns: {', '.join(missing)}"))
        return report
    schema = VillageRowSchema()
    subdistricts = {s.code: s for s in db.session.scalars(select(Subdistrict))}
    seen: dict[tuple[str, int], int] = {}
    changes: list[ChangeRef] = []
    for row in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in row.items() if k in schema.fields}
        if not values.get("name_en"):
            values.pop("name_en", None)
        try:
            data = schema.load(values)
        except ValidationError as exc:
            report.errors.append((line, _row_error(exc)))
            continue
        subdistrict = subdistricts.get(data["subdistrict_code"])
        if subdistrict is None:
            report.errors.append((line, f"subdistrict_code: unknown {data['subdistrict_code']}"))
            continue
        key = (subdistrict.code, data["moo"])
        if key in seen:
            report.errors.append((line, f"duplicate of line {seen[key]} (same หมู่ที่)"))
            continue
        seen[key] = line
        village = db.session.scalar(
            select(Village).where(Village.subdistrict_code == key[0], Village.moo == key[1])
        )
        if village is None:
            village = Village(
                subdistrict_code=subdistrict.code,
                district_code=subdistrict.district_code,
                moo=data["moo"],
                name_th=data["name_th"],
                name_en=data.get("name_en"),
            )
            db.session.add(village)
            report.created += 1
        elif (village.name_th, village.name_en) != (data["name_th"], data.get("name_en")):
            village.name_th, village.name_en = data["name_th"], data.get("name_en")
            village.version += 1
            report.updated += 1
        else:
            continue
        db.session.flush()
        changes.append(ChangeRef("village", village.id, village.district_code))
    record_changes(changes)
    return report
