"""/api/v1/jobs: jobs with skill requirements (DESIGN.md §3, §4, §5)."""

from __future__ import annotations

from tests.api.helpers import (
    UNKNOWN_SKILL,
    assert_invalid,
    assert_problem,
    job_body,
    requirement,
    skill_id,
)


def test_create_applies_default_weights_and_resolves_skills(api):
    body = job_body("req-1", "Data Analyst", industry="Retail", description="Analyse sales.",
                    requirements=[
                        requirement("sql", min_years=2),
                        requirement("Python", importance="preferred"),
                        requirement("Kubernetes", importance="preferred", weight=3.5),
                        requirement(UNKNOWN_SKILL, importance="required", weight=0.5),
                    ],
                    min_total_years=3, policy_overrides={"mode": "soft"})
    response = api.post("/jobs", body)
    assert response.status_code == 201
    job = response.get_json()
    assert isinstance(job["id"], int) and job["id"] > 0
    assert (job["external_id"], job["title"], job["status"]) == ("req-1", "Data Analyst", "open")
    assert (job["industry"], job["description"]) == ("Retail", "Analyse sales.")
    assert [(r["skill"], r["skill_id"], r["importance"], r["weight"], r["min_years"])
            for r in job["requirements"]] == [
        ("sql", skill_id("SQL"), "required", 2, 2),
        ("Python", skill_id("Python"), "preferred", 1, None),
        ("Kubernetes", skill_id("Kubernetes"), "preferred", 3.5, None),
        (UNKNOWN_SKILL, None, "required", 0.5, None),
    ]
    assert (job["min_total_years"], job["education"]) == (3, None)
    assert job["policy_overrides"] == {"mode": "soft"}
    assert api.get(f"/jobs/{job['id']}").get_json() == job


def test_create_with_an_education_requirement(api):
    education = {"level": "bachelor", "experience_in_place_months": 48}
    response = api.post("/jobs", job_body("req-1", education=education))
    assert response.status_code == 201, response.get_data(as_text=True)
    job = response.get_json()
    assert job["education"] == education
    assert api.get(f"/jobs/{job['id']}").get_json()["education"] == education
    replaced = api.put(f"/jobs/{job['id']}", job_body("req-1", education={"level": "master"}))
    assert replaced.status_code == 200, replaced.get_data(as_text=True)
    assert replaced.get_json()["education"] == {"level": "master",
                                                "experience_in_place_months": None}


def test_list_filters_by_status(api):
    open_job = api.create("/jobs", job_body("req-1"))
    closed_job = api.create("/jobs", job_body("req-2", status="closed"))
    api.create("/jobs", job_body("req-3"))

    everything = api.get("/jobs").get_json()
    assert (everything["total"], everything["limit"], everything["offset"]) == (3, 50, 0)
    opened = api.get("/jobs?status=open").get_json()
    assert opened["total"] == 2
    assert {j["status"] for j in opened["items"]} == {"open"}
    assert open_job in opened["items"]
    closed = api.get("/jobs?status=closed").get_json()
    assert [j["id"] for j in closed["items"]] == [closed_job["id"]] and closed["total"] == 1
    paged = api.get("/jobs?status=open&limit=1&offset=1").get_json()
    assert (paged["total"], len(paged["items"])) == (2, 1)
    assert_problem(api.get("/jobs?status=draft"), 422)


def test_get_unknown_job_is_404(api):
    assert_problem(api.get("/jobs/424242"), 404)


def test_put_replaces_wholesale(api):
    job = api.create("/jobs", job_body("req-1", industry="Retail", min_total_years=2,
                                       requirements=[requirement("SQL"), requirement("Python")]))
    response = api.put(f"/jobs/{job['id']}", job_body(
        "req-1", "Senior Data Analyst", status="closed",
        requirements=[requirement("Kubernetes", importance="preferred")]))
    assert response.status_code == 200
    replaced = response.get_json()
    assert replaced["id"] == job["id"]
    assert (replaced["title"], replaced["status"]) == ("Senior Data Analyst", "closed")
    assert (replaced["industry"], replaced["min_total_years"]) == (None, None)
    assert [(r["skill_id"], r["weight"]) for r in replaced["requirements"]] == [
        (skill_id("Kubernetes"), 1)]
    assert api.get(f"/jobs/{job['id']}").get_json() == replaced
    assert api.total("/jobs") == 1


def test_put_unknown_job_is_404(api):
    assert_problem(api.put("/jobs/424242", job_body()), 404)
    assert api.total("/jobs") == 0


def test_put_by_external_id_upserts(api):
    path = "/jobs/by-external-id/req-9"
    response = api.put(path, job_body("req-9", "Analyst"))
    assert response.status_code == 201
    created = response.get_json()
    response = api.put(path, job_body("req-9", "Lead Analyst"))
    assert response.status_code == 200
    assert response.get_json()["id"] == created["id"]
    assert response.get_json()["title"] == "Lead Analyst"
    assert api.get(path).get_json() == response.get_json()
    assert api.total("/jobs") == 1
    assert_invalid(api.put(path, job_body("req-10")), "external_id")
    assert_problem(api.get("/jobs/by-external-id/req-10"), 404)


def test_duplicate_external_id_is_409(api):
    first = api.create("/jobs", job_body("req-1", "First"))
    second = api.create("/jobs", job_body("req-2", "Second"))
    assert_problem(api.post("/jobs", job_body("req-1", "Again")), 409)
    assert_problem(api.put(f"/jobs/{second['id']}", job_body("req-1", "Second")), 409)
    assert api.get(f"/jobs/{first['id']}").get_json() == first
    assert api.get(f"/jobs/{second['id']}").get_json() == second
    assert api.total("/jobs") == 2


def test_delete(api):
    job = api.create("/jobs", job_body())
    response = api.delete(f"/jobs/{job['id']}")
    assert response.status_code == 204 and response.get_data() == b""
    assert_problem(api.get(f"/jobs/{job['id']}"), 404)
    assert_problem(api.delete(f"/jobs/{job['id']}"), 404)
    assert api.total("/jobs") == 0


def test_validation(api):
    assert_invalid(api.post("/jobs", job_body(requirements=[])), "requirements")
    missing = job_body()
    del missing["requirements"]
    assert_invalid(api.post("/jobs", missing), "requirements")
    assert_invalid(api.post("/jobs", job_body(requirements=[requirement(weight=0)])),
                   "requirements.0.weight")
    assert_invalid(api.post("/jobs", job_body(requirements=[requirement(weight=-1)])),
                   "requirements.0.weight")
    assert_invalid(api.post("/jobs", job_body(requirements=[
        requirement("SQL"), requirement("Python", importance="nice-to-have")])),
        "requirements.1.importance")
    assert_invalid(api.post("/jobs", job_body(requirements=[requirement("")])),
                   "requirements.0.skill")
    assert_invalid(api.post("/jobs", job_body(status="draft", education={"level": "phd"},
                                              policy_overrides={"mode": "lenient"})),
                   "status", "education.level", "policy_overrides.mode")
    assert_invalid(api.post("/jobs", {"requirements": [requirement()]}), "external_id", "title")
    assert api.total("/jobs") == 0
