"""Thin HTTP blueprints: parse with a schema, call domain code, dump with a schema."""

from flask import Flask

from fieldapp.extensions import api


def init_app(app: Flask) -> None:
    from fieldapp.api import auth, geo, health

    for module in (health, auth, geo):
        api.register_blueprint(module.blp)
