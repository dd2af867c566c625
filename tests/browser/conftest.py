"""A live talentmatch server with the demo data, and a headless Chromium to drive it.

The server is the real application (not the test client) served by werkzeug in
a thread on a free 127.0.0.1 port, against its own SQLite file migrated with
alembic and loaded with the demo data set, so the browser sees exactly what
``make run`` shows. Chromium is Debian's (``/usr/bin/chromium``): Playwright's
own browser download is never used, so the tests need no network.

Every test gets a fresh browser context (no cookies carried over), a few
seconds' timeout per step, and a :class:`Shots` helper saving numbered
screenshots under ``tests/output/screenshots/<test>/``. A test fails when any
page answers 5xx or anything is fetched from outside the server (no CDN).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from playwright import sync_api
from sqlalchemy.orm import Session
from werkzeug.serving import BaseWSGIServer, make_server

from api import create_app
from api.db import make_engine
from api.demo import load_demo
from api.migrate import upgrade
from api.repositories.organizations import OrganizationRepository
from api.web.users import create_user

CHROMIUM = os.environ.get("TALENTMATCH_CHROMIUM", "/usr/bin/chromium")
OUTPUT = Path(__file__).resolve().parent.parent / "output" / "screenshots"
PASSWORD = "talentmatch-demo"
RECRUITER = "recruiter@demo.example"
ADMIN = "admin@demo.example"
STEP_TIMEOUT_MS = 5_000
# Ranking the demo pool takes longer than a click; still bounded.
SLOW_STEP_TIMEOUT_MS = 20_000

@dataclass
class LiveServer:
    url: str
    app: Flask
    organization_id: int

    def has_page(self, endpoint: str) -> bool:
        return endpoint in self.app.view_functions


def _seed(url: str) -> int:
    """Migrate, load the demo into a new organization, add a recruiter and an admin."""
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        org_id = OrganizationRepository(session).create("Demo Recruiting")
        load_demo(session, org_id)
        create_user(session, org_id, RECRUITER, "Rita Recruiter", PASSWORD, "recruiter")
        create_user(session, org_id, ADMIN, "Ada Admin", PASSWORD, "admin")
        session.commit()
    engine.dispose()
    return org_id


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    url = f"sqlite:///{tmp_path_factory.mktemp('browser')}/browser.sqlite3"
    org_id = _seed(url)
    # Rate limits count per address, and every browser request comes from 127.0.0.1.
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-tests",
                      "RATELIMIT_ENABLED": False})
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(f"http://127.0.0.1:{server.server_port}", app, org_id)
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[sync_api.Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (see .ci/run)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


@dataclass
class Shots:
    """Numbered screenshots of a test's steps: ``NN-step.png`` in the test's folder."""

    page: sync_api.Page
    folder: Path
    taken: list[Path] = field(default_factory=list)

    def __call__(self, step: str, *, full_page: bool = True) -> Path:
        name = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        path = self.folder / f"{len(self.taken) + 1:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        self.taken.append(path)
        return path


@dataclass
class Watch:
    """What went wrong on the wire while a test ran: server errors, outside fetches."""

    site: str
    server_errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def response(self, response: sync_api.Response) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.request.method} "
                                      f"{response.url}")

    def request(self, request: sync_api.Request) -> None:
        if not request.url.startswith((self.site, "data:", "about:")):
            self.outside.append(request.url)


@pytest.fixture
def page(browser: sync_api.Browser, live_server: LiveServer,
         request: pytest.FixtureRequest) -> Iterator[sync_api.Page]:
    context = browser.new_context(base_url=live_server.url,
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(STEP_TIMEOUT_MS)
    watch = Watch(live_server.url)
    context.on("response", watch.response)
    context.on("request", watch.request)
    page = context.new_page()
    (OUTPUT / request.node.name / "failure.png").unlink(missing_ok=True)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        folder = OUTPUT / request.node.name
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / "failure.png"), full_page=True)
    context.close()
    assert not watch.server_errors, f"server errors: {watch.server_errors}"
    assert not watch.outside, f"fetched from outside the server: {watch.outside}"


@pytest.fixture
def shots(page: sync_api.Page, request: pytest.FixtureRequest) -> Shots:
    folder = OUTPUT / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return Shots(page, folder)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item,
                              call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Keep the call phase's report, so the page fixture can screenshot a failure.
    report: pytest.TestReport = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report


def sign_in(page: sync_api.Page, email: str, password: str = PASSWORD) -> None:
    """Fill in and submit the sign-in form, by its labels and button text."""
    page.goto("/ui/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def needs(live_server: LiveServer, *endpoints: str) -> None:
    """Fail loudly (never skip) when a page the flow walks through is missing."""
    missing = [e for e in endpoints if not live_server.has_page(e)]
    assert not missing, f"pages not built yet: {', '.join(missing)}"
