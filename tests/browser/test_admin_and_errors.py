"""What admins do in the browser, and how the pages answer bad input.

Bad input must be explained on the page, next to what caused it, with a 4xx
status, and must change nothing; admin pages must stay out of recruiters' reach.
"""

from __future__ import annotations

import re

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


def test_bad_input_is_explained_on_the_page_and_changes_nothing(
        page: Page, shots: Shots, live_server: LiveServer) -> None:
    needs(live_server, "web.job_new", "web.compare", "web.audit")
    sign_in(page, RECRUITER)

    # A job without a title and with impossible years is not saved; each field says why.
    page.get_by_role("link", name="New job").click()
    page.get_by_label("External id").fill("BROWSER-BAD-1")
    row = page.locator('[data-row="0"]')
    row.get_by_label("Skill 1", exact=True).fill("SQL")
    row.get_by_label("Min. years").fill("-3")
    with page.expect_response(re.compile(r"/ui/jobs/new$")) as answer:
        page.get_by_role("button", name="Save job").click()
    assert answer.value.status == 422
    expect(page.get_by_role("alert")).to_contain_text("The job was not saved")
    expect(page.get_by_label("Title")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("External id")).to_have_value("BROWSER-BAD-1")
    shots("job errors")
    page.get_by_role("link", name="All jobs").click()
    expect(page.get_by_role("table")).not_to_contain_text("BROWSER-BAD-1")

    # Comparing one candidate: a readable page, not a crash.
    page.get_by_role("table").get_by_role("link", name="Data Analyst", exact=True).click(
        timeout=SLOW_STEP_TIMEOUT_MS)
    page.get_by_role("checkbox", name=re.compile(r"^Compare ")).first.check()
    with page.expect_response(re.compile(r"/compare\?")) as answer:
        page.get_by_role("button", name="Compare").click()
    assert answer.value.status == 422
    expect(page.get_by_role("alert")).to_contain_text("Compare two or three candidates")
    shots("compare one candidate")

    # The bias audit is for admins: a recruiter is told so.
    response = page.goto("/ui/audit")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Forbidden")
    shots("audit forbidden to a recruiter")


def test_an_admin_issues_a_key_and_adds_a_user(
        page: Page, shots: Shots, live_server: LiveServer) -> None:
    needs(live_server, "web.admin_keys", "web.admin_users")
    sign_in(page, ADMIN)
    menu = page.get_by_role("navigation", name="Main")
    menu.get_by_role("link", name="API keys").click()
    expect(page.get_by_role("heading", name="API keys", level=1)).to_be_visible()
    page.get_by_label("What the key is for").fill("browser test HR sync")
    page.get_by_role("button", name="Issue key").click()
    # Shown once, to copy: the plaintext starts with the service's prefix.
    expect(page.get_by_label("Key", exact=True)).to_have_value(re.compile(r"^tm_"))
    expect(page.get_by_role("table")).to_contain_text("browser test HR sync")
    shots("key issued")

    menu.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", name="Users", level=1)).to_be_visible()
    page.get_by_label("Email").fill("new.recruiter@demo.example")
    page.get_by_label("Name").fill("Nora Newhire")
    page.get_by_label("Role").select_option("recruiter")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_role("table")).to_contain_text("new.recruiter@demo.example")
    shots("user added")

    # The new person can sign in at once, and sees no admin pages.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "new.recruiter@demo.example", "a long enough password")
    expect(page.get_by_text("Nora Newhire (recruiter)")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Users")
           ).to_have_count(0)
