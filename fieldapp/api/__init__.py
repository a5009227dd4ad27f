"""Thin HTTP blueprints: parse with a schema, call domain code, dump with a schema."""

from flask import Flask

from fieldapp.extensions import api


def init_app(app: Flask) -> None:
    from fieldapp.api import auth, concerns, geo, health, photos, sync, uploads
    from fieldapp.photos import settings as photo_settings

    photo_settings.init_app(app)
    for module in (health, auth, geo, uploads, photos, sync, concerns):
        api.register_blueprint(module.blp)
