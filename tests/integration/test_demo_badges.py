"""The demo data set's signed Open Badges: verified on load, kept, and shown in rankings."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from api.demo import load_demo
from api.repositories.candidates import CandidateRepository
from api.repositories.issuers import IssuerRepository
from api.repositories.organizations import authenticate
from fixtures import build_badges
from tests.api.helpers import Caller
from tests.conftest import Tenant

FORMATS = {"di-did-key": "ob3-data-integrity", "jwt-es256": "ob3-vc-jwt",
           "jwt-eddsa": "ob3-vc-jwt", "ob2-hosted": "ob2-hosted"}


@pytest.fixture(scope="module")
def specs() -> list[build_badges.BadgeSpec]:
    return build_badges.plan()


def expected_issuer(spec: build_badges.BadgeSpec) -> tuple[str, bool]:
    """The registry issuer a badge should end up with, and whether it is reviewed."""
    if spec.form.startswith("jwt"):
        return build_badges.REGISTRY_ISSUER, True
    if spec.form == "ob2-hosted":
        return build_badges.BADGEWORKS[0], True
    return build_badges.DID_ISSUERS[spec.number % len(build_badges.DID_ISSUERS)], False


def test_load_demo_verifies_every_badge_and_keeps_it_with_its_status(
        runner: FlaskCliRunner, app: Flask, session: Session, tmp_path: Path, specs) -> None:
    app.instance_path = str(tmp_path)
    result = runner.invoke(args=["load-demo"])
    assert result.exit_code == 0, result.output
    statuses = Counter(s.expect for s in specs)
    assert f"300 candidates, {len(specs)} badges, " in result.output
    assert "demo badges verified offline: " + ", ".join(
        f"{n} {status}" for status, n in sorted(statuses.items())) in result.output
    principal = authenticate(session, result.output.strip().splitlines()[-1])
    assert principal is not None
    candidates = CandidateRepository(session, principal.organization_id)
    issuers = IssuerRepository(session, principal.organization_id)
    ids = candidates.ids_by_external_id([s.external_id for s in specs])
    held = Counter()
    for external_id, candidate_id in ids.items():
        credentials = [k for k in candidates.get(candidate_id).credentials if k.badge]
        registry = issuers.by_ids([k.issuer_id for k in credentials])
        for k in credentials:
            assert k.verification.checked_at is not None and k.verification.detail
            issuer = registry[k.issuer_id]
            held[(external_id, k.badge["format"], k.verification.status.value, issuer.name,
                  issuer.reviewed)] += 1
    assert held == Counter((s.external_id, FORMATS[s.form], s.expect, *expected_issuer(s))
                           for s in specs)
    for name in build_badges.DID_ISSUERS:  # added from the badges, unreviewed, with their DID
        (issuer,) = issuers.by_names([name]).values()
        assert issuer.did and issuer.did.startswith("did:key:") and not issuer.reviewed


def test_rankings_show_verified_badges_and_never_credit_failed_or_revoked_ones(
        client: FlaskClient, session: Session, tenant: Tenant, specs) -> None:
    load_demo(session, tenant.organization_id)
    session.commit()
    api = Caller(client, tenant.headers)
    jobs = {s.job_id for s in specs if s.case in ("tampered", "revoked")} | {"JOB-DA-001"}
    shown = []
    for job_id in sorted(jobs):
        job = api.get(f"/jobs/by-external-id/{job_id}").get_json()
        run = api.post(f"/jobs/{job['id']}/rankings", {"limit": 500})
        assert run.status_code == 201, run.get_json()
        for ranked in run.get_json()["results"]:
            for requirement in ranked["requirements"]:
                evidence = requirement["credential"]
                if evidence and evidence["badge"]:
                    assert evidence["verification_status"] in ("verified", "unverified"), (
                        ranked["external_id"], evidence)
                    shown.append((job_id, ranked["external_id"], requirement["skill"],
                                  evidence["verification_status"],
                                  evidence["factors"]["verification"],
                                  evidence["verification_method"]))
    badged = {(s.job_id, s.external_id) for s in specs if s.expect == "verified"}
    verified = [row for row in shown if row[3] == "verified"]
    assert {row[:2] for row in verified} & badged, shown
    assert all(row[4] == 1.0 and row[5] in ("eddsa-rdfc-2022", "vc-jwt ES256", "vc-jwt EdDSA")
               for row in verified)


def test_the_demo_has_self_reported_demographics_for_its_audit_page(
        runner: FlaskCliRunner, app: Flask, session: Session, tmp_path: Path) -> None:
    from sqlalchemy import func, select

    from api import models
    from matcher.fairness import normalise_race_ethnicity, normalise_sex

    app.instance_path = str(tmp_path)
    assert runner.invoke(args=["load-demo"]).exit_code == 0
    rows = session.execute(select(models.Demographics.sex,
                                  models.Demographics.race_ethnicity)).all()
    candidates = session.scalar(select(func.count()).select_from(models.Candidate))
    assert 0.8 * candidates <= len(rows) < candidates  # some never answered
    sexes = {normalise_sex(sex) for sex, _ in rows}
    races = {normalise_race_ethnicity(race) for _, race in rows}
    assert {"Female", "Male", None} <= sexes and {"White", "Asian", None} <= races
