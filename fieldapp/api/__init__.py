"""Thin HTTP blueprints: parse with a schema, call domain code, dump with a schema."""

from flask import Flask

from fieldapp.extensions import api


def init_app(app: Flask) -> None:
    from flask_smorest import Blueprint

    from fieldapp.api.body import OrjsonParser

    # Every route that declares its input parses JSON bodies the same safe way.
    Blueprint.ARGUMENTS_PARSER = OrjsonParser()
    from fieldapp.api import (
        admin,
        audit,
        auth,
        concerns,
        fieldwork,
        geo,
        health,
        history,
        meta,
        open311,
        photos,
        public,
        reports,
        surveys,
        sync,
        uploads,
        workspace,
    )
    from fieldapp.photos import settings as photo_settings

    photo_settings.init_app(app)
    blueprints = (
        health,
        auth,
        geo,
        uploads,
        photos,
        sync,
        concerns,
        meta,
        workspace,
        fieldwork,
        admin,
        reports,
        audit,
        surveys,
        history,
    )
    for module in blueprints:
        api.register_blueprint(module.blp)
    # Plain blueprints: HTML for the public, and Open311's own formats (not problem+json).
    app.register_blueprint(open311.blp)
    app.register_blueprint(public.blp)
