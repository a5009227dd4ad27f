"""Administrative commands: `flask --app fieldapp <command>`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import select

from fieldapp import clock
from fieldapp.audit.chain import Verdict, first_break
from fieldapp.auth import accounts
from fieldapp.backup import BackupError, backup, restore
from fieldapp.extensions import db
from fieldapp.followup.escalation import parse_schedule
from fieldapp.followup.overdue import escalate_overdue
from fieldapp.models import Device, Role, User
from fieldapp.models.audit import stored_chain, stored_hash_at, stored_head
from fieldapp.models.base import utcnow
from fieldapp.photos.cleanup import photos_gc_command
from fieldapp.reports.opendata import export_open_data
from fieldapp.seed import DEMO_PASSWORD, DEMO_USERS, seed_demo, seed_reference_data
from fieldapp.surveys.commands import import_form_command
from fieldapp.surveys.forms import seed_forms
from fieldapp.villages import import_villages_csv


@click.command("seed")
@click.option(
    "--demo/--no-demo",
    default=None,
    help="Also create demo villages and accounts (default: on unless in production).",
)
def seed_command(demo: bool | None) -> None:
    """Load the Phitsanulok gazetteer, categories, checklist and survey forms (idempotent)."""
    if demo is None:
        demo = current_app.config["DEMO_MODE"]
    created = seed_demo() if demo else (seed_reference_data() or [])
    seed_forms()
    db.session.commit()
    for username, role in created:
        click.echo(f"created {role} {username}")
    click.echo("seeded")


@click.command("demo-accounts")
def demo_accounts_command() -> None:
    """Print the demo accounts."""
    for username, _name, role, districts in DEMO_USERS:
        click.echo(f"  {username:<16} {role:<10} {','.join(districts) or 'province'}")
    click.echo(f"  password: {DEMO_PASSWORD}")


# The command's own words for an account refused (its options are named differently).
CLI_WORDS = {
    "user.username_taken": "user {username!r} already exists",
    "user.unknown_district": "unknown district in {district_codes}",
    "user.needs_district": "officials and supervisors need at least one --district",
}


@click.command("create-user")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="Display name (Thai is fine).")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.OFFICIAL.value)
@click.option("--district", "districts", multiple=True, help="District code, e.g. 6501.")
@click.password_option()
def create_user_command(
    username: str, display_name: str, role: str, districts: tuple[str, ...], password: str
) -> None:
    """Create an account."""
    data = {
        "username": username,
        "display_name": display_name,
        "role": role,
        "district_codes": list(districts),
        "password": password,
    }
    try:
        accounts.create_user(data, None)
    except accounts.AccountError as exc:
        raise click.ClickException(CLI_WORDS.get(exc.code, exc.detail).format(**data)) from exc
    db.session.commit()
    click.echo(f"created {role} {username}")


@click.command("reset-password")
@click.argument("username")
@click.password_option()
def reset_password_command(username: str, password: str) -> None:
    """Set a new password and revoke the user's devices."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    revoked = accounts.reset_password(user, password, None)
    db.session.commit()
    click.echo(f"password reset for {username}; {revoked} device(s) revoked")


@click.command("revoke-device")
@click.argument("device_id")
def revoke_device_command(device_id: str) -> None:
    """Revoke a lost phone's token."""
    device = db.session.get(Device, device_id)
    if device is None:
        raise click.ClickException(f"no device {device_id!r}")
    accounts.revoke(device, None)
    db.session.commit()
    click.echo(f"revoked {device_id} ({device.user.username})")


@click.command("import-villages")
@click.argument("csv_file", type=click.File("r", encoding="utf-8-sig"))
def import_villages_command(csv_file) -> None:
    """Import villages from CSV: subdistrict_code,moo,name_th[,name_en]."""
    report = import_villages_csv(csv_file.read())
    db.session.commit()
    for line, message in report.errors:
        click.echo(f"line {line}: {message}", err=True)
    click.echo(f"{report.created} created, {report.updated} updated, {len(report.errors)} rejected")


@click.command("sync-compact")
@click.option("--before", type=int, default=None, help="Compact below this sequence number.")
def sync_compact_command(before: int | None) -> None:
    """Drop change-feed entries a later change of the same record supersedes."""
    from fieldapp.syncstore.feed import compact_feed

    removed, horizon = compact_feed(before)
    db.session.commit()
    click.echo(f"removed {removed} superseded feed entries; devices below {horizon} will reset")


def _published_head(value: str) -> tuple[int, str]:
    position, _, digest = value.partition(":")
    if not position.isdigit() or len(digest) != 64:
        raise click.BadParameter("expected POSITION:HASH", param_hint="--from-head")
    return int(position), digest.lower()


def _verify_from(head: tuple[int, str]) -> Verdict:
    """The whole chain must hold, and still pass through the published head unchanged."""
    verdict = first_break(stored_chain())
    position, digest = head
    if verdict.first_break is not None or position == 0:
        return verdict
    stored = stored_hash_at(position)
    if stored is None:
        raise click.ClickException(f"position {position}: deleted (the published head is gone)")
    if stored != digest:
        raise click.ClickException(
            f"position {position}: edited (history up to the published head was rewritten)"
        )
    return verdict


@click.command("audit-verify")
@click.option("--from-head", "from_head", default=None, help="A published head, POSITION:HASH.")
def audit_verify_command(from_head: str | None) -> None:
    """Walk the audit chain; report the first edited, inserted or deleted entry."""
    if from_head is None:
        verdict = first_break(stored_chain())
    else:
        verdict = _verify_from(_published_head(from_head))
    if verdict.first_break is not None:
        bad = verdict.first_break
        raise click.ClickException(f"position {bad.position}: {bad.kind} ({bad.reason})")
    head = f"head {verdict.head_hash} at {verdict.head_position}"
    click.echo(f"ok, {verdict.entries} entries, {head}")


@click.command("audit-head")
def audit_head_command() -> None:
    """Print the audit chain's head as `position hash`, for the province to publish."""
    position, digest = stored_head()
    click.echo(f"{position} {digest}")


@click.command("escalate-overdue")
def escalate_overdue_command() -> None:
    """Raise the escalation level of open concerns past their due date (idempotent: run it
    daily; a second run the same day changes nothing)."""
    try:
        schedule = parse_schedule(current_app.config["ESCALATION_DAYS"])
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    # The clock decides the day; record times are the real time, as every write's are.
    raised = escalate_overdue(clock.today(), utcnow(), schedule)
    db.session.commit()
    for step in raised:
        click.echo(f"{step.concern_id}: level {step.from_level} -> {step.to_level}")
    click.echo(f"{len(raised)} concern(s) escalated on {clock.today().isoformat()}")


@click.command("backup")
@click.argument("target", type=click.Path(file_okay=False, path_type=Path))
def backup_command(target: Path) -> None:
    """Back the database and its photos up into an empty folder, while the server runs."""
    try:
        manifest = backup(target)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"backed up the {manifest['database']} database at sequence {manifest['sequence']} "
        f"and {manifest['photos']} photos into {target}"
    )
    if manifest["photos_missing"]:
        click.echo(f"{manifest['photos_missing']} photos had no stored original", err=True)


@click.command("restore")
@click.argument("source", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore_command(source: Path, force: bool) -> None:
    """Restore a backup made by `flask backup` (stop the server first)."""
    try:
        done = restore(source, force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"restored {source}: the feed went back to {done['restored_seq']} and resumes after "
        f"{done['resumed_seq']}; devices holding a later cursor reset; {done['photos']} photos"
    )


@click.command("export-open-data")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def export_open_data_command(path: Path) -> None:
    """Write the anonymised open-data SQLite file (docs/open-data.md; `datasette PATH`)."""
    summary = export_open_data(path)
    for table, count in summary.rows.items():
        click.echo(f"  {table:<20} {count}")
    tokenizer = "trigram" if summary.trigram else "unicode61 (SQLite < 3.34: no trigram)"
    click.echo(f"wrote {summary.path} (full-text search: {tokenizer})")


def init_app(app: Flask) -> None:
    for command in (
        seed_command,
        demo_accounts_command,
        create_user_command,
        reset_password_command,
        revoke_device_command,
        import_villages_command,
        sync_compact_command,
        escalate_overdue_command,
        export_open_data_command,
        photos_gc_command,
        backup_command,
        restore_command,
        audit_verify_command,
        audit_head_command,
        import_form_command,
    ):
        app.cli.add_command(command)
