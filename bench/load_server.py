"""The server under load: ``talentmatch serve`` (gunicorn) as a subprocess on 127.0.0.1.

Started on a free port with the rate limiter off (the load test measures capacity, not
the limiter), awaited through ``GET /api/v1/ready`` (the workers warm their indexes at
boot), stopped with SIGTERM; exit code 0 means gunicorn shut down gracefully.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["HOST", "ServerProcess", "fetch", "free_port", "scrape_metrics", "start_server"]

HOST = "127.0.0.1"
TALENTMATCH = Path(sys.executable).parent / "talentmatch"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def fetch(port: int, method: str, path: str, timeout: float = 10,
          headers: dict | None = None) -> tuple[int, bytes]:
    """One request on a fresh connection (probes and scrapes, not the measured load)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, headers=headers or {})
        reply = conn.getresponse()
        return reply.status, reply.read()
    finally:
        conn.close()


@dataclass
class ServerProcess:
    port: int
    process: subprocess.Popen
    log_path: Path

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def stop(self, timeout: float = 60) -> int:
        """SIGTERM, then wait; the exit code (0: graceful)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
            return -9


def start_server(database_url: str, workers: int, threads: int | None, log_dir: Path,
                 ready_timeout: float = 300) -> ServerProcess:
    """``talentmatch serve`` on a free port, returned once ``/ready`` answers 200."""
    if not TALENTMATCH.exists():
        raise SystemExit(f"{TALENTMATCH} not found: run `make install` first")
    port = free_port()
    command = [str(TALENTMATCH), "serve", "--host", HOST, "--port", str(port),
               "--workers", str(workers)]
    if threads:
        command += ["--threads", str(threads)]
    env = {**os.environ, "DATABASE_URL": database_url, "TALENTMATCH_RATELIMIT_ENABLED": "false"}
    log_path = log_dir / f"talentmatch-serve-{port}.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, env=env)
    server = ServerProcess(port, process, log_path)
    try:
        _wait_ready(server, ready_timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_ready(server: ServerProcess, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited with {server.process.returncode}:\n"
                               f"{server.log_tail()}")
        try:
            if fetch(server.port, "GET", "/api/v1/ready", timeout=5)[0] == 200:
                return
        except OSError:
            pass  # not listening yet
        time.sleep(0.2)
    raise RuntimeError(f"server not ready after {timeout:.0f} s:\n{server.log_tail()}")


def scrape_metrics(port: int) -> dict[str, float] | None:
    """``GET /metrics`` as {sample name with labels: value}; None when there is none."""
    try:
        status, body = fetch(port, "GET", "/metrics")
    except OSError:
        return None
    if status != 200:
        return None
    samples = {}
    for line in body.decode(errors="replace").splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, value = line.rpartition(" ")
        try:
            samples[name.strip()] = float(value)
        except ValueError:
            continue  # a timestamped or malformed line: not needed here
    return samples
