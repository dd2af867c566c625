"""A recruiter's day in a real browser: sign in, post a job, rank, look, compare, decide, audit.

Selectors are what a person reads: labels, button and link text, headings,
so the tests break when the interface stops making sense, not when markup moves.
Each step leaves a screenshot under ``tests/output/screenshots/<test>/``.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    ADMIN,
    RECRUITER,
    SLOW_STEP_TIMEOUT_MS,
    LiveServer,
    Shots,
    needs,
    sign_in,
)

JOB_ID = "BROWSER-DA-1"
JOB_TITLE = "Browser Test Data Analyst"
# The README's picture of the ranking page; copied to docs/img/ranking.png by hand.
README_SHOT = Path(__file__).resolve().parent.parent / "output" / "ranking.png"


def test_sign_in_see_the_jobs_and_sign_out(page: Page, shots: Shots) -> None:
    page.goto("/ui/")
    expect(page).to_have_url(re.compile(r"/ui/login"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    shots("sign-in form")

    sign_in(page, RECRUITER)
    expect(page.get_by_role("heading", name="Jobs")).to_be_visible()
    expect(page.get_by_role("table").get_by_role("link", name="Data Analyst", exact=True)
           ).to_be_visible()
    expect(page.get_by_text("Rita Recruiter (recruiter)")).to_be_visible()
    shots("jobs list")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    page.goto("/ui/")
    expect(page).to_have_url(re.compile(r"/ui/login"))
    shots("signed out")


def test_a_wrong_password_shows_an_error(page: Page, shots: Shots) -> None:
    sign_in(page, RECRUITER, "not the password")
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    # The address is kept so the person only retypes the password.
    expect(page.get_by_label("Email")).to_have_value(RECRUITER)
    shots("wrong password")
    page.goto("/ui/")
    expect(page).to_have_url(re.compile(r"/ui/login"))


def test_keyboard_alone_signs_in(page: Page) -> None:
    page.goto("/ui/login")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    email = page.get_by_label("Email")
    for _ in range(5):  # past the header's links, however many there are
        if email.evaluate("e => e === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(email).to_be_focused()
    page.keyboard.type(ADMIN)
    page.keyboard.press("Tab")
    page.keyboard.type("talentmatch-demo")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Jobs")).to_be_visible()


def test_a_demo_jobs_ranking_explains_itself_at_desk_and_phone_width(
        page: Page, shots: Shots, live_server: LiveServer) -> None:
    needs(live_server, "web.ranking")
    sign_in(page, RECRUITER)
    page.get_by_role("table").get_by_role("link", name="Data Analyst", exact=True).click(
        timeout=SLOW_STEP_TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Ranking: Data Analyst")).to_be_visible()
    ranked = page.locator("ol.ranked > li")
    expect(ranked).to_have_count(20)  # one page
    top = ranked.first
    expect(top).to_contain_text("Qualified")
    top.get_by_text("Why: evidence per requirement").click()
    expect(top.get_by_text("SQL").first).to_be_visible()
    # Credentials show their verification: the demo's signed badges verify offline.
    expect(page.locator("ol.ranked")).to_contain_text("verified badge")
    shots("demo ranking at 1280 px", full_page=False)
    README_SHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(README_SHOT))

    page.set_viewport_size({"width": 390, "height": 844})
    expect(top).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at phone width"
    shots("demo ranking at phone width", full_page=False)


def _post_a_job(page: Page, shots: Shots) -> None:
    page.get_by_role("link", name="New job").click()
    expect(page.get_by_role("heading", name="New job")).to_be_visible()
    page.get_by_label("External id").fill(JOB_ID)
    page.get_by_label("Title").fill(JOB_TITLE)
    rows = [("SQL", "required", "2"), ("Microsoft Excel", "required", ""),
            ("Python", "preferred", "")]
    for n, (skill, importance, years) in enumerate(rows):
        row = page.locator(f'[data-row="{n}"]')
        row.get_by_label(f"Skill {n + 1}", exact=True).fill(skill)
        row.get_by_label("Importance").select_option(importance)
        row.get_by_label("Min. years").fill(years)
    shots("job editor filled in")
    page.get_by_role("button", name="Save job").click()
    expect(page.get_by_role("status")).to_contain_text(f"Job \u201c{JOB_TITLE}\u201d saved.")
    expect(page.get_by_role("heading", name="Edit job")).to_be_visible()
    shots("job saved")


def _open_the_ranking(page: Page, shots: Shots) -> None:
    page.get_by_role("link", name="See the ranked candidates").click(
        timeout=SLOW_STEP_TIMEOUT_MS)
    expect(page.get_by_role("heading", name=f"Ranking: {JOB_TITLE}")).to_be_visible(
        timeout=SLOW_STEP_TIMEOUT_MS)
    expect(page.get_by_text(re.compile(r"\d+ candidates shown of \d+ ranked"))).to_be_visible()
    top = page.locator("ol.ranked > li").first
    expect(top).to_contain_text("#1")
    # Why the top candidate ranks first: the evidence of each requirement.
    top.get_by_text("Why: evidence per requirement").click()
    expect(top.get_by_text("SQL").first).to_be_visible()
    shots("ranking with evidence", full_page=False)


def _compare_the_top_two(page: Page, shots: Shots) -> list[str]:
    boxes = page.get_by_role("checkbox", name=re.compile(r"^Compare "))
    names = [page.locator("ol.ranked > li").nth(i).get_by_role("link").first.inner_text()
             for i in range(2)]
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name=f"Compare candidates: {JOB_TITLE}")).to_be_visible(
        timeout=SLOW_STEP_TIMEOUT_MS)
    table = page.get_by_role("table")
    for name in names:
        expect(table.get_by_role("columnheader", name=name)).to_be_visible()
    expect(table.get_by_role("rowheader", name="Score")).to_be_visible()
    shots("comparison")
    page.get_by_role("link", name="Back to the ranking").click(timeout=SLOW_STEP_TIMEOUT_MS)
    return names


def _open_a_candidate(page: Page, shots: Shots, name: str) -> None:
    page.locator("ol.ranked > li").first.get_by_role("link", name=name).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Credentials")).to_be_visible()
    expect(page.get_by_role("heading", name="Experience")).to_be_visible()
    # The evidence graph for the job the recruiter came from, drawn server-side.
    expect(page.get_by_label("Job", exact=True)).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_role("region", name="Evidence graph, scrollable")
           .locator("svg")).to_be_visible()
    shots("candidate with evidence graph")
    page.go_back()


def _record_a_decision(page: Page, shots: Shots, name: str) -> None:
    expect(page.get_by_role("heading", name=f"Ranking: {JOB_TITLE}")).to_be_visible(
        timeout=SLOW_STEP_TIMEOUT_MS)
    top = page.locator("ol.ranked > li").first
    top.get_by_text(f"Decide on {name}").click()
    top.get_by_role("radio", name="Advance").check()
    top.get_by_label("Reason").fill("Strong SQL evidence from a verified badge.")
    shots("decision filled in", full_page=False)
    top.get_by_role("button", name="Record decision").click(timeout=SLOW_STEP_TIMEOUT_MS)
    expect(page.get_by_role("status").first).to_contain_text(f"Recorded: advance {name}.",
                                                             timeout=SLOW_STEP_TIMEOUT_MS)
    decided = page.locator("ol.ranked > li").filter(has_text=name).first
    expect(decided).to_contain_text("Decision: advance")
    expect(decided).to_contain_text("Strong SQL evidence from a verified badge.")
    shots("decision recorded", full_page=False)


def _audit_as_admin(page: Page, shots: Shots) -> None:
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, ADMIN)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Bias audit").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Bias audit"))).to_be_visible()
    page.get_by_label("Job", exact=True).select_option(label=f"{JOB_TITLE} ({JOB_ID})")
    page.get_by_role("button", name="Run the audit").click(timeout=SLOW_STEP_TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Result")).to_be_visible(
        timeout=SLOW_STEP_TIMEOUT_MS)
    expect(page.get_by_text(re.compile(r"[1-9]\d* people assessed"))).to_be_visible()
    expect(page.get_by_role("heading", name="Sex", exact=True)).to_be_visible()
    expect(page.get_by_role("columnheader", name="Selection impact ratio").first).to_be_visible()
    shots("bias audit")


def test_a_recruiter_posts_ranks_compares_decides_and_an_admin_audits(
        page: Page, shots: Shots, live_server: LiveServer) -> None:
    needs(live_server, "web.job_new", "web.ranking", "web.compare", "web.candidate",
           "web.decide", "web.audit")
    sign_in(page, RECRUITER)
    shots("signed in")
    _post_a_job(page, shots)
    _open_the_ranking(page, shots)
    first, _second = _compare_the_top_two(page, shots)
    _open_a_candidate(page, shots, first)
    _record_a_decision(page, shots, first)
    _audit_as_admin(page, shots)


def test_the_ranking_works_from_the_keyboard_with_visible_focus(
        page: Page, live_server: LiveServer) -> None:
    needs(live_server, "web.ranking")
    sign_in(page, RECRUITER)
    page.get_by_role("table").get_by_role("link", name="Data Analyst", exact=True).click(
        timeout=SLOW_STEP_TIMEOUT_MS)
    top = page.locator("ol.ranked > li").first
    compare = top.get_by_role("checkbox", name=re.compile(r"^Compare "))
    compare.focus()
    page.keyboard.press("Space")
    expect(compare).to_be_checked()
    page.keyboard.press("Tab")  # on to the "Why" disclosure
    why = top.locator("details").first
    expect(why.locator("summary")).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "keyboard focus must be visible"
    page.keyboard.press("Enter")
    expect(why).to_have_attribute("open", "")
