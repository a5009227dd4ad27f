"""fieldapp: the offline-first field system of Phitsanulok Province."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    from fieldapp import api, cli, database, errors, security, web
    from fieldapp.config import engine_options, load_config
    from fieldapp.extensions import api as smorest_api
    from fieldapp.extensions import compress, db, limiter, migrate

    app = Flask(
        __name__, static_folder=None, instance_path=os.environ.get("FIELDAPP_INSTANCE") or None
    )
    app.config.update(load_config(app.instance_path))
    if test_config:
        app.config.update(test_config)
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    )
    os.makedirs(app.instance_path, exist_ok=True)

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    limiter.init_app(app)
    compress.init_app(app)
    smorest_api.init_app(app)
    api.init_app(app)
    web.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    database.init_app(app)
    cli.init_app(app)
    return app
