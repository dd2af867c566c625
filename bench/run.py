"""Print the §8 figures this build can measure.

Run with ``make bench``. Figures so far:

* bulk import into SQLite through the real API path (validation, skill
  resolution, issuer matching, set-based inserts), 1,000 candidates a call;
* skill-name resolution throughput for exact and alias hits.

The ranking figures join with the ranking engine.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from itertools import islice
from pathlib import Path

from api import create_app
from api.db import get_session
from api.migrate import upgrade
from api.repositories.organizations import SCOPES, OrganizationRepository
from fixtures.generate import generate_candidates
from graph.taxonomy import load_vocabulary
from matcher.skills import SkillResolver


def bench_bulk_import(total: int, batch: int = 1000) -> float:
    """Candidates per second through ``POST /candidates/bulk`` on a fresh SQLite file."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        app = create_app({"DATABASE_URL": url})
        with app.app_context():
            orgs = OrganizationRepository(get_session())
            key = orgs.issue_key(orgs.create("bench"), SCOPES).plaintext
            get_session().commit()
        client = app.test_client()
        headers = {"Authorization": f"Bearer {key}"}
        stream = iter(generate_candidates(total, seed=7))
        batches = [list(islice(stream, batch)) for _ in range(total // batch)]
        started = time.perf_counter()
        for items in batches:
            response = client.post("/api/v1/candidates/bulk", json={"candidates": items},
                                   headers=headers)
            assert response.status_code == 200, response.get_data(as_text=True)[:500]
        return total / (time.perf_counter() - started)


def bench_resolution(rounds: int = 5) -> float:
    """Exact/alias resolutions per second over every label and alias of the vocabulary."""
    skills = load_vocabulary()
    resolver = SkillResolver(skills)
    names = [n.upper() for s in skills for n in (s.label, *s.aliases)] * 50
    rates = []
    for _ in range(rounds):
        started = time.perf_counter()
        resolver.resolve_many(names)
        rates.append(len(names) / (time.perf_counter() - started))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=20_000)
    args = parser.parse_args()
    print("talentmatch benchmark (DESIGN.md §8)")
    rate = bench_bulk_import(args.candidates)
    print(f"bulk import, SQLite, API path : {rate:10,.0f} candidates/s  (target >= 2,000)")
    rate = bench_resolution()
    print(f"skill resolution, exact/alias : {rate:10,.0f} names/s       (target >= 100,000)")


if __name__ == "__main__":
    main()
