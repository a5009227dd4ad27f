"""The tracking-code migration gives the concerns already stored a code each."""

from __future__ import annotations

import re

from alembic import command
from sqlalchemy import create_engine, text

from fieldapp import create_app

CODE = re.compile(r"^PL-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")


def test_the_migration_gives_existing_concerns_codes(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
    with app.app_context():
        config = app.extensions["migrate"].migrate.get_config()
        command.upgrade(config, "b3c1d2e4f5a6")
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO districts (code, province_code, name_th, name_en) "
                    "VALUES ('6501', '65', 'เมือง', 'Mueang')"
                )
            )
            conn.execute(
                text("INSERT INTO subdistricts VALUES ('650101', '6501', 'ในเมือง', 'Nai Mueang')")
            )
            conn.execute(
                text(
                    "INSERT INTO categories (code, name_th, name_en, position, active) "
                    "VALUES ('roads', 'ถนน', 'Roads', 0, 1)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO villages (id, version, field_versions, deleted, created_at, "
                    "updated_at, subdistrict_code, district_code, moo, name_th) VALUES ('v', 1, "
                    "'{}', 0, '2026-01-01', '2026-01-01', '650101', '6501', 1, 'บ้าน')"
                )
            )
            for n in range(50):
                conn.execute(
                    text(
                        "INSERT INTO concerns (id, version, field_versions, deleted, created_at, "
                        "updated_at, village_id, district_code, category_code, description, "
                        "urgency, reported_at, reporter_consent, status) VALUES (:id, 1, '{}', 0, "
                        "'2026-01-01', '2026-01-01', 'v', '6501', 'roads', 'ถนน', 'normal', "
                        "'2026-01-01', 0, 'new')"
                    ),
                    {"id": f"c{n}"},
                )
        command.upgrade(config, "heads")
        with engine.connect() as conn:
            codes = [r[0] for r in conn.execute(text("SELECT tracking_code FROM concerns"))]
        engine.dispose()
    assert len(codes) == 50 == len(set(codes)) and all(CODE.match(c) for c in codes)
