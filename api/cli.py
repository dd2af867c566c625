"""The ``talentmatch`` command (also available as ``flask --app api ...``)."""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select

from api import models
from api.audit import DEFAULT_RETENTION_DAYS, MIN_RETENTION_DAYS, purge, retention_days
from api.db import get_session
from api.demo import load_demo
from api.maintenance import reresolve_skills
from api.migrate import upgrade
from api.repositories.candidates import CandidateRepository
from api.repositories.organizations import SCOPES, OrganizationRepository, authenticate
from api.web.users import ROLES, create_user
from matcher.errors import Conflict, InvalidInput

__all__ = ["main", "register_commands"]

DEMO_ORG = "Demo Recruiting"
# Sign-in accounts of the demo organization; the password is public, like the data.
DEMO_PASSWORD = "talentmatch-demo"
DEMO_USERS = (("recruiter@demo.example", "Demo Recruiter", "recruiter"),
              ("admin@demo.example", "Demo Admin", "admin"))
PASSWORD_ENV = "TALENTMATCH_NEW_USER_PASSWORD"


def _scopes(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    scopes = tuple(s.strip() for s in value.split(",") if s.strip())
    unknown = set(scopes) - set(SCOPES)
    if unknown or not scopes:
        raise click.BadParameter(f"use some of {','.join(SCOPES)}")
    return scopes


@click.group("db")
def db_group() -> None:
    """Database schema commands."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Create or upgrade the schema (alembic migrations)."""
    upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


@db_group.command("status")
@with_appcontext
def db_status() -> None:
    """Print the schema revision; exit 1 when migrations are pending (deploy checks)."""
    from api.backup import schema_status

    current, head = schema_status(current_app.config["DATABASE_URL"])
    click.echo(f"database at {current or 'an empty schema'}; this release needs {head}")
    if current != head:
        click.echo("run `talentmatch db upgrade`", err=True)
        raise SystemExit(1)


@db_group.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def db_backup(destination: Path) -> None:
    """Write a consistent online backup (SQLite backup API, or pg_dump -Fc)."""
    from api.backup import BackupError, backup

    try:
        written = backup(current_app.config["DATABASE_URL"], destination)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backup written to {written} ({written.stat().st_size:,} bytes)")


@click.group("skills")
def skills_group() -> None:
    """Skill taxonomy commands."""


@skills_group.command("reresolve")
@with_appcontext
def skills_reresolve() -> None:
    """Resolve every stored skill name again (after a taxonomy or vocabulary change)."""
    session = get_session()
    total = 0
    for org_id in session.scalars(select(models.Organization.id).order_by(models.Organization.id)):
        changed = reresolve_skills(session, org_id)
        click.echo(f"organization {org_id}: {changed} skill references changed")
        total += changed
    session.commit()
    click.echo(f"{total} skill references changed")


@click.group("audit")
def audit_group() -> None:
    """Audit log commands."""


@audit_group.command("purge")
@click.option("--days", type=click.IntRange(min=MIN_RETENTION_DAYS), default=None,
              help="Keep this many days (default TALENTMATCH_AUDIT_RETENTION_DAYS, else "
                   f"{DEFAULT_RETENTION_DAYS}).")
@with_appcontext
def audit_purge(days: int | None) -> None:
    """Delete audit events older than the retention period (run it daily, e.g. from cron)."""
    try:
        days = days or retention_days()
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    session = get_session()
    removed = purge(session, days)
    session.commit()
    click.echo(f"{removed} audit events older than {days} days deleted")


@click.group("candidates")
def candidates_group() -> None:
    """Candidate commands."""


@candidates_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_name", required=True, help="The organization's name")
@click.option("--batch", default=1000, show_default=True, type=click.IntRange(1, 1000),
              help="Candidates per transaction (the bulk endpoint's limit is 1,000)")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes that validate, resolve and write batches in parallel "
                   "(PostgreSQL: cores + 1 keeps every core busy)")
@with_appcontext
def candidates_import(file: Path, org_name: str, batch: int, jobs: int) -> None:
    """Load a JSON Lines file of candidate bodies (upsert by external_id; re-runs resume).

    Each batch goes through the same validation, intake and write as
    POST /candidates/bulk, all or nothing; bad lines are reported by number.
    """
    from concurrent.futures.process import BrokenProcessPool

    from sqlalchemy.exc import OperationalError

    from api.bulk_jobs import format_errors, format_summary, import_file, worker_engine_options
    from api.bulk_load import BatchOutcome, ImportReport

    session = get_session()
    org_id = OrganizationRepository(session).find(org_name)
    if org_id is None:
        raise click.ClickException(f"No organization {org_name!r}; create it with create-org.")

    def progress(report: ImportReport, outcome: BatchOutcome) -> None:
        if outcome.errors or report.candidates % (50 * batch) < outcome.count:
            click.echo(f"line {outcome.last_line}: {report.written} written, "
                       f"{report.rate():.0f} candidates/s", err=True)

    try:
        report = import_file(file, org_id, session=session,
                             database_url=current_app.config["DATABASE_URL"],
                             engine_options=worker_engine_options(current_app.config),
                             batch=batch, jobs=jobs, progress=progress)
    except (OperationalError, BrokenProcessPool) as error:
        # Each batch is one transaction: everything before it is in, nothing of it is.
        raise click.ClickException(
            f"the import stopped ({error}); run the same command again to resume.") from None
    for line in format_errors(report):
        click.echo(line, err=True)
    click.echo(format_summary(report))
    if report.written:
        from api.postgres import analyze_candidates

        analyze_candidates(session)
        session.commit()
    if report.failed:
        lines = sum(outcome.count for outcome in report.failed)
        raise click.ClickException(
            f"{len(report.failed)} batches ({lines} lines) not written; fix the lines above "
            "and run the same command again: written candidates are updated, not duplicated.")


@click.command("create-org")
@click.argument("name")
@click.option("--scopes", default="read,write,admin", show_default=True, callback=_scopes,
              help="Comma-separated: read, write, admin")
@with_appcontext
def create_org(name: str, scopes: tuple[str, ...]) -> None:
    """Create an organization and print a new API key on the last line."""
    session = get_session()
    orgs = OrganizationRepository(session)
    org_id = orgs.create(name)
    key = orgs.issue_key(org_id, scopes)
    session.commit()
    click.echo(f"organization {org_id} {name!r}; API key scopes {','.join(key.scopes)}:")
    click.echo(key.plaintext)


@click.command("create-user")
@click.argument("email")
@click.option("--org", "org_name", required=True, help="The organization's name")
@click.option("--role", type=click.Choice(ROLES), default="recruiter", show_default=True)
@click.option("--name", default="", help="Display name (default: the email)")
@with_appcontext
def create_user_command(email: str, org_name: str, role: str, name: str) -> None:
    """Add a person who signs in to the interface (password from a prompt or the env)."""
    session = get_session()
    org_id = OrganizationRepository(session).find(org_name)
    if org_id is None:
        raise click.ClickException(f"No organization {org_name!r}; create it with create-org.")
    # Never an option: a password on the command line ends up in shell history.
    password = os.environ.get(PASSWORD_ENV) or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(session, org_id, email, name, password, role)
    except (InvalidInput, Conflict) as error:
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in getattr(error, "errors", {}).items())
        raise click.ClickException(f"{error} {details}".strip()) from None
    session.commit()
    click.echo(f"user {user.id} {user.email} ({user.role}) in organization {org_id} "
               f"{org_name!r}")


def _demo_users(org_id: int) -> None:
    """The demo sign-ins, added once (an address already taken anywhere is left alone)."""
    session = get_session()
    for email, name, role in DEMO_USERS:
        if session.scalar(select(models.User.id).where(models.User.email_key == email)) is None:
            create_user(session, org_id, email, name, DEMO_PASSWORD, role)


def _demo_key_file(app: Flask) -> Path:
    return Path(app.instance_path) / "demo-api-key.txt"


@click.command("load-demo")
@click.option("--ui", "ui_url", default="http://127.0.0.1:5000/ui/", show_default=True,
              help="The interface's address, to print with the demo sign-ins")
@with_appcontext
def load_demo_command(ui_url: str) -> None:
    """Create the demo organization (once), load the demo data when empty, print its key."""
    session = get_session()
    orgs = OrganizationRepository(session)
    org_id = orgs.find(DEMO_ORG) or orgs.create(DEMO_ORG)
    if CandidateRepository(session, org_id).count() == 0:
        counts = load_demo(session, org_id)
        statuses = counts.pop("badge_statuses", {})
        click.echo("loaded demo data: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        if statuses:
            click.echo("demo badges verified offline: "
                       + ", ".join(f"{n} {status}" for status, n in statuses.items()))
    else:
        click.echo("demo data already loaded")
    key_file = _demo_key_file(current_app)
    key = key_file.read_text().strip() if key_file.exists() else ""
    principal = authenticate(session, key) if key else None
    if principal is None or principal.organization_id != org_id:
        # Only a hash is stored, so the demo keeps its plaintext key beside the database.
        key = orgs.issue_key(org_id, SCOPES, name="demo").plaintext
        key_file.write_text(key + "\n")
        key_file.chmod(0o600)
    _demo_users(org_id)
    session.commit()
    click.echo(f"recruiter interface: {ui_url}")
    for email, _, role in DEMO_USERS:
        click.echo(f"  sign in as {role}: {email} / {DEMO_PASSWORD}")
    click.echo(f"demo organization {org_id}; API key:")
    click.echo(key)


@click.command("rank")
@click.option("--job", "job_file", required=True, type=click.Path(exists=True, dir_okay=False,
                                                                   path_type=Path),
              help="A job as JSON (the POST /jobs body)")
@click.option("--candidates", "candidates_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Candidates as JSON lines (POST /candidates bodies)")
@click.option("--top", default=20, show_default=True, type=click.IntRange(1, 10_000))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table")
@click.option("--issuers", "issuers_file", type=click.Path(exists=True, path_type=Path),
              help="Issuer registry as a JSON list (POST /issuers bodies)")
@click.option("--catalog", "catalog_file", type=click.Path(exists=True, path_type=Path),
              help="Catalogue offerings as a JSON list, for upskilling advice")
@click.option("--mode", type=click.Choice(["hard", "soft"]))
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Rank as on this date (default today)")
def rank_command(job_file: Path, candidates_file: Path, top: int, as_json: bool,
                 issuers_file: Path | None, catalog_file: Path | None, mode: str | None,
                 as_of: datetime | None) -> None:
    """Rank candidates for a job offline: no server, no database."""
    from api.offline import OfflineError, rank_files
    from api.report import ranking_json, ranking_table

    try:
        ranking = rank_files(job_file, candidates_file, top=top, issuers_file=issuers_file,
                             catalog_file=catalog_file, mode=mode,
                             as_of=as_of.date() if as_of else None)
    except OfflineError as error:
        raise click.ClickException(str(error)) from None
    click.echo(ranking_json(ranking) if as_json else ranking_table(ranking))


def _setting(flag: str, envvar: str, **kwargs):
    """A ``serve`` option that an environment variable can also set (shown in --help)."""
    return click.option(flag, envvar=envvar, show_envvar=True, show_default=True, **kwargs)


@click.command("serve")
@_setting("--host", "TALENTMATCH_HOST", default="127.0.0.1")
@_setting("--port", "TALENTMATCH_PORT", default=5000, type=click.IntRange(1, 65535))
@_setting("--workers", "TALENTMATCH_WORKERS", default=0, type=click.IntRange(min=0),
          help="Worker processes; 0 means one per core (rankings are CPU-bound).")
@_setting("--threads", "TALENTMATCH_THREADS", default=4, type=click.IntRange(min=1),
          help="Threads per worker, so database waits overlap with rankings.")
@_setting("--timeout", "TALENTMATCH_WORKER_TIMEOUT", default=120, type=click.IntRange(min=1),
          help="Seconds of silence before a wedged worker is replaced.")
@_setting("--graceful-timeout", "TALENTMATCH_GRACEFUL_TIMEOUT", default=30,
          type=click.IntRange(min=1), help="Seconds in-flight requests get after SIGTERM.")
@_setting("--max-requests", "TALENTMATCH_MAX_REQUESTS", default=0, type=click.IntRange(min=0),
          help="Recycle a worker after this many requests (0: never).")
def serve(host: str, port: int, workers: int, threads: int, timeout: int,
          graceful_timeout: int, max_requests: int) -> None:
    """Serve the API and the interface with gunicorn (SIGTERM shuts down gracefully)."""
    from api import create_app
    from api.server import ServeOptions, TalentmatchServer

    options = ServeOptions(host=host, port=port, workers=workers, threads=threads,
                           timeout=timeout, graceful_timeout=graceful_timeout,
                           max_requests=max_requests)
    settings = options.gunicorn_settings()
    # Logged, not echoed: the server's output stays one JSON object per line.
    logging.getLogger("api.server").info(
        "talentmatch on http://%s:%s/api/v1 (%s workers x %s threads; SIGTERM stops gracefully)",
        host, port, settings["workers"], threads)
    TalentmatchServer(create_app, settings).run()


def register_commands(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(skills_group)
    app.cli.add_command(audit_group)
    app.cli.add_command(candidates_group)
    app.cli.add_command(create_org)
    app.cli.add_command(create_user_command)
    app.cli.add_command(load_demo_command)
    app.cli.add_command(serve)
    app.cli.add_command(rank_command)


def _create_app() -> Flask:
    from api import create_app

    return create_app()


main = FlaskGroup(name="talentmatch", create_app=_create_app,
                  help="talentmatch: employer-side talent matching service.")
