import json
from tests.api.helpers import *

def test_smoke(api):
    iss = api.create("/issuers", issuer_body("Northwind Academy", accreditations=[accreditation()]))
    api.create("/catalog", offering_body(iss["id"], duration_weeks=6, cost=100))
    job = api.create("/jobs", job_body(requirements=[requirement("SQL"), requirement("Python", importance="preferred"), requirement(UNKNOWN_SKILL)]))
    a = api.create("/candidates", candidate_body("a", credentials=[credential("SQL cert", "certification", issuer="Northwind Academy", issued_on="2025-01-01", skills=["SQL"], verification={"status": "verified"})], experience=[experience(skills=["SQL"])]))
    b = api.create("/candidates", candidate_body("b", experience=[experience(skills=["Python"])]))
    r = api.post(f"/jobs/{job['id']}/rankings", {})
    print(r.status_code)
    print(json.dumps(r.get_json(), indent=1)[:8000])
    assert 0
