"""Alembic environment: runs inside the Flask app context Flask-Migrate provides."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db
config.set_main_option(
    "sqlalchemy.url", target_db.engine.url.render_as_string(hide_password=False).replace("%", "%%")
)


def get_metadata():
    if hasattr(target_db, "metadatas"):
        return target_db.metadatas[None]
    return target_db.metadata


def run_migrations_offline():
    """Emit SQL for the migrations without a database connection."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=get_metadata(),
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run the migrations against the app's engine."""

    # An empty autogenerate produces no revision file.
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    # The queue's text index (migration 82480a9a3890) is PostgreSQL's trigram index, which
    # the model declares; on SQLite it is an FTS5 table kept by triggers, not a model:
    # autogenerate leaves that table, its shadow tables and the absent index alone there.
    sqlite = target_db.engine.dialect.name == "sqlite"

    def include_object(obj, name, type_, reflected, compare_to):
        if type_ == "table" and reflected and name.startswith("concerns_text"):
            return False
        return not (sqlite and type_ == "index" and name == "ix_concerns_description_trgm")

    conf_args = current_app.extensions["migrate"].configure_args
    conf_args.setdefault("include_object", include_object)
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    with target_db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
