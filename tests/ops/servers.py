"""Real servers for the operations tests: ``talentmatch serve`` (gunicorn) in a subprocess.

These tests commit for real and kill processes, so they never share the rolled-back
per-test database of ``tests/conftest.py``: each gets its own SQLite file or its own
PostgreSQL database (the TEST_DATABASE_URL database name plus a suffix).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import make_url, text
from sqlalchemy.orm import Session

from api.db import make_engine
from api.migrate import upgrade
from api.repositories.organizations import SCOPES, OrganizationRepository

__all__ = ["Response", "Server", "call", "free_port", "ops_database", "running_server",
           "tenant_key"]

TALENTMATCH = str(Path(sys.executable).parent / "talentmatch")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ops_database(backend: str, tmp_dir: Path, suffix: str) -> str:
    """A fresh database at the latest migration, private to one test module."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_dir / f'{suffix}.sqlite3'}"
    else:
        base = make_url(os.environ["TEST_DATABASE_URL"])
        name = f"{base.database}_{suffix}"
        admin = make_engine(base.render_as_string(hide_password=False))
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                 {"n": name})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = base.set(database=name).render_as_string(hide_password=False)
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    upgrade(url)
    return url


def tenant_key(url: str, name: str = "Ops Hiring") -> str:
    """A new organization in ``url`` and a key with every scope."""
    engine = make_engine(url)
    with Session(engine) as session:
        orgs = OrganizationRepository(session)
        key = orgs.issue_key(orgs.create(name), SCOPES).plaintext
        session.commit()
    engine.dispose()
    return key


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: object

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def call(method: str, url: str, body: object = None, *, headers: dict | None = None,
         timeout: float = 30) -> Response:
    """One HTTP request; any HTTP status comes back as a Response, not an exception."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={**(headers or {}),
                                              **({"Content-Type": "application/json"}
                                                 if data is not None else {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            status, raw, reply_headers = reply.status, reply.read(), reply.headers
    except urllib.error.HTTPError as error:
        status, raw, reply_headers = error.code, error.read(), error.headers
    lowered = {k.lower(): v for k, v in reply_headers.items()}
    parsed: object = raw.decode(errors="replace")
    if "json" in lowered.get("content-type", ""):
        parsed = json.loads(raw)
    return Response(status, lowered, parsed)


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen
    log_path: Path

    def url(self, path: str) -> str:
        return f"{self.base_url}/api/v1{path}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the master's children."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in children.read_text().split()] if children.exists() else []

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(10)


@contextmanager
def running_server(database_url: str, log_dir: Path, *, workers: int = 1, threads: int = 2,
                   env: dict[str, str] | None = None, ready_timeout: float = 90,
                   extra_args: tuple[str, ...] = ()) -> Iterator[Server]:
    """``talentmatch serve`` on a free port, yielded once ``/ready`` answers 200."""
    port = free_port()
    log_path = log_dir / f"server-{port}.log"
    process_env = {**os.environ, "DATABASE_URL": database_url,
                   "TALENTMATCH_RATELIMIT_ENABLED": "false", **(env or {})}
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [TALENTMATCH, "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(workers), "--threads", str(threads), *extra_args],
            stdout=log_file, stderr=subprocess.STDOUT, env=process_env)
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    try:
        _wait_ready(server, ready_timeout)
        yield server
    finally:
        server.stop()


def _wait_ready(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited with {server.process.returncode}:\n"
                               f"{server.log()[-3000:]}")
        try:
            if call("GET", server.url("/ready"), timeout=2).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server not ready after {timeout} s:\n{server.log()[-3000:]}")
