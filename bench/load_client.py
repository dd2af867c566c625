"""A closed-loop HTTP client: a fixed number of threads, each with one keep-alive connection.

Each client thread sends a request, waits for the whole answer, records it, and sends the
next (no think time), so the offered load adapts to the server: throughput is what the
server sustains at that concurrency and latency includes queueing inside it. The client
stays cheap because it shares the cores with the server: ``http.client``, bodies are
only parsed when an id is needed, and a run id is read from the start of a ranking.

The classes follow ``MIX`` exactly rather than on average: a shared dealer hands them
out from seeded shuffles of a deck of 20 (16 rankings, 3 reads, 1 write), so any 39
consecutive requests hold every class, even in a short run. Within a class, the
operation and its ids are drawn from each thread's own seeded RNG. When there is a
warm-up, each client opens it with one write and one ranking (see ``Workload.priming``).
"""

from __future__ import annotations

import http.client
import itertools
import json
import random
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from bench.load_server import HOST
from bench.load_setup import LOAD_PREFIX

__all__ = ["DECK", "MIX", "Client", "Dealer", "Plan", "Sample", "Workload", "run_clients"]

MIX = (("ranking", 0.80), ("read", 0.15), ("write", 0.05))
DECK = tuple(kind for kind, share in MIX for _ in range(round(share * 20)))
READS = (("get candidate", 0.35), ("list candidates", 0.25), ("get ranking run", 0.25),
         ("get job", 0.15))
WRITES = (("update candidate", 0.80), ("create candidate", 0.20))
RANKING_BODY = json.dumps({"limit": 50, "offset": 0}).encode()  # top 50, explained
_RUN_ID = re.compile(rb'"id":\s*(\d+)')
_RUN_ID_WINDOW = 4096  # the run's own "id" comes before its results in the JSON


@dataclass(frozen=True)
class Sample:
    """One request as the client saw it."""

    kind: str  # ranking, read, write
    operation: str
    started: float  # perf_counter seconds
    seconds: float
    status: int  # 0: no HTTP answer (connection error)
    error: str | None = None
    measured: bool = True  # False: dealt during the warm-up


@dataclass(frozen=True)
class Plan:
    kind: str
    operation: str
    method: str
    path: str
    body: bytes | None = None


@dataclass
class Workload:
    """What the requests are drawn from; shared by the client threads."""

    job_ids: tuple[int, ...]
    candidate_ids: tuple[int, ...]
    update_bodies: tuple[dict, ...]  # generated bodies of stored candidates
    new_bodies: tuple[dict, ...]  # generated bodies for new external ids
    locations: tuple[str, ...]
    token: str  # makes this run's new external ids unique
    run_ids: deque = field(default_factory=lambda: deque(maxlen=200))
    created: list = field(default_factory=list)  # ids of candidates this run created
    _numbers: itertools.count = field(default_factory=itertools.count)

    def plan(self, rng: random.Random, kind: str) -> Plan:
        if kind == "ranking":
            return Plan(kind, "rank job", "POST",
                        f"/api/v1/jobs/{rng.choice(self.job_ids)}/rankings", RANKING_BODY)
        if kind == "read":
            return self._read(rng, _pick(rng, READS))
        return self._write(rng, _pick(rng, WRITES))

    def _read(self, rng: random.Random, operation: str) -> Plan:
        if operation == "get ranking run" and self.run_ids:
            return Plan("read", operation, "GET", f"/api/v1/rankings/{rng.choice(self.run_ids)}")
        if operation == "list candidates":
            offset = rng.randrange(max(1, len(self.candidate_ids) - 20))
            return Plan("read", operation, "GET", f"/api/v1/candidates?limit=20&offset={offset}")
        if operation == "get job":
            return Plan("read", operation, "GET", f"/api/v1/jobs/{rng.choice(self.job_ids)}")
        # "get ranking run" before the first ranking has stored one reads a candidate.
        return Plan("read", "get candidate", "GET",
                    f"/api/v1/candidates/{rng.choice(self.candidate_ids)}")

    def _write(self, rng: random.Random, operation: str) -> Plan:
        if operation == "update candidate":
            # A resync from the HR system: the stored profile, the person moved.
            body = {**rng.choice(self.update_bodies), "location": rng.choice(self.locations)}
        else:
            number = next(self._numbers)
            body = {**self.new_bodies[number % len(self.new_bodies)],
                    "external_id": f"{LOAD_PREFIX}{self.token}-{number:06d}"}
        return Plan("write", operation, "PUT",
                    f"/api/v1/candidates/by-external-id/{body['external_id']}",
                    json.dumps(body).encode())

    def priming(self, rng: random.Random) -> tuple[Plan, ...]:
        """A write and a ranking: the first of each builds a worker's skill resolver and
        proximity matrix (seconds), which belongs in the warm-up, not in the figures."""
        return self._write(rng, "update candidate"), self.plan(rng, "ranking")

    def observe(self, plan: Plan, status: int, body: bytes) -> None:
        """Keep the ids later requests refer to (stored runs, created candidates)."""
        if plan.operation == "rank job" and status == 201:
            found = _RUN_ID.search(body, 0, _RUN_ID_WINDOW)
            run_id = int(found.group(1)) if found else json.loads(body)["id"]
            self.run_ids.append(run_id)
        elif plan.operation == "create candidate" and status == 201:
            self.created.append(json.loads(body)["id"])


class Dealer:
    """Request classes from shuffled decks; knows when the warm-up and the run end.

    Parameters
    ----------
    seed : int
        Seeds the shuffles.
    window_start : float
        ``perf_counter`` time the measurement starts; earlier requests are warm-up.
    stop_at : float
        Time after which no request is dealt (when ``limit`` is None).
    limit : int, optional
        Deal exactly this many measured requests instead, however long they take.
    """

    def __init__(self, seed: int, window_start: float, stop_at: float,
                 limit: int | None = None) -> None:
        self.window_start, self.stop_at, self.limit = window_start, stop_at, limit
        self.measured = 0
        self._rng = random.Random(seed)
        self._deck: list[str] = []
        self._lock = threading.Lock()

    def deal(self) -> tuple[str, bool] | None:
        """(class, measured) of the next request, or None when the run is over."""
        with self._lock:
            now = time.perf_counter()
            measured = now >= self.window_start
            if measured and (self.measured >= self.limit if self.limit is not None
                             else now >= self.stop_at):
                return None
            if not self._deck:
                self._deck = list(DECK)
                self._rng.shuffle(self._deck)
            self.measured += measured
            return self._deck.pop(), measured


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    draw, total = rng.random(), 0.0
    for name, weight in weighted:
        total += weight
        if draw < total:
            return name
    return weighted[-1][0]


class Client:
    """One persistent connection to the server on 127.0.0.1, reopened after a failure."""

    def __init__(self, host: str, port: int, api_key: str, timeout: float = 120) -> None:
        if host != HOST:
            raise ValueError(f"refusing host {host!r}: the load test targets {HOST} only")
        self.host, self.port, self.timeout = host, port, timeout
        self.headers = {"Authorization": f"Bearer {api_key}", "Accept": "application/json"}
        self.conn: http.client.HTTPConnection | None = None

    def send(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            reply = self.conn.getresponse()
            data = reply.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if reply.will_close:
            self.close()
        return reply.status, data

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def run_clients(port: int, api_key: str, workload: Workload, clients: int, seed: int,
                dealer: Dealer) -> list[Sample]:
    """Run ``clients`` closed-loop threads until the dealer ends the run; every sample."""
    samples: list[Sample] = []  # list.append is atomic: no lock needed

    def loop(number: int) -> None:
        rng = random.Random(seed * 1009 + number)
        client = Client(HOST, port, api_key)
        try:
            if time.perf_counter() < dealer.window_start:
                for plan in workload.priming(rng):
                    samples.append(_one(client, workload, plan, measured=False))
            while (dealt := dealer.deal()) is not None:
                kind, measured = dealt
                samples.append(_one(client, workload, workload.plan(rng, kind), measured))
        finally:
            client.close()

    threads = [threading.Thread(target=loop, args=(n,), name=f"load-client-{n}")
               for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


def _one(client: Client, workload: Workload, plan: Plan, measured: bool) -> Sample:
    started = time.perf_counter()
    try:
        status, body = client.send(plan.method, plan.path, plan.body)
    except Exception as failure:  # any failure is an error sample, never a dead client
        status, body = 0, f"{type(failure).__name__}: {failure}".encode()
    seconds = time.perf_counter() - started
    error = None
    if not 200 <= status < 300:
        error = f"{status or 'no answer'} {body[:600].decode(errors='replace')}"
    else:
        try:
            workload.observe(plan, status, body)
        except (ValueError, KeyError) as failure:
            error = f"{status}, unreadable answer: {failure!r}"
    return Sample(plan.kind, plan.operation, started, seconds, status,
                  f"{plan.method} {plan.path}: {error}" if error else None, measured)
