"""`flask import-form`: an admin's XLSForm upload, from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from fieldapp.extensions import db
from fieldapp.models import Role
from fieldapp.surveys.forms import FormChangeRefused, import_form
from fieldapp.surveys.problems import FormRefused


@click.command("import-form")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--role", "roles", multiple=True, type=click.Choice([r.value for r in Role]))
@click.option("--district", "districts", multiple=True, help="District code, e.g. 6501.")
@click.option("--public/--not-public", default=None, help="Its answers in the open data.")
def import_form_command(
    path: Path, roles: tuple[str, ...], districts: tuple[str, ...], public: bool | None
) -> None:
    """Import an XLSForm (.xlsx) as a new version of its form (docs/surveys.md)."""
    try:
        row = import_form(
            path.read_bytes(),
            None,
            roles=list(roles) or None,
            district_codes=list(districts) or None,
            public=public,
        )
    except FormRefused as exc:
        for problem in exc.problems:
            shown = problem.as_dict()
            click.echo(shown["message_th"], err=True)
            click.echo(f"  {shown['message_en']}", err=True)
        raise click.ClickException(f"{len(exc.problems)} problem(s): nothing imported") from exc
    except FormChangeRefused as exc:
        raise click.ClickException(exc.detail) from exc
    db.session.commit()
    click.echo(f"imported {row.form_key} version {row.version} (form id {row.id})")
