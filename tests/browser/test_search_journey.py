"""A new user finds a case by surname and by postcode from any page, and opens the person; with
axe-core checking the results and the person page against WCAG 2.2 AA."""

import pytest

from heard.accounts.roles import Role
from tests.browser.test_tell_us_journey import check_accessibility
from tests.factories import PASSWORD, CaseFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_new_user_finds_a_case_by_surname_and_postcode_and_opens_the_person(page):
    page.goto("/accounts/sign-in/")
    UserFactory(username="newstarter", first_name="Nia", role=Role.OFFICER)
    first = CaseFactory(
        complainant_name="Aoife Brennan", complainant_email="aoife@example.org",
        complainant_address="4 Mill Lane\nDerby\nDE22 1AB", summary="Placement ended.",
    )  # fmt: skip
    second = CaseFactory(
        kind="comment", complainant_name="Aoife Brennan", complainant_email="aoife@example.org",
        summary="Asked about contact arrangements.",
    )  # fmt: skip
    CaseFactory(complainant_name="Chidi Okafor", complainant_address="1 High Street, DE4 3AG")

    page.get_by_label("Username").fill("newstarter")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Hello, Nia").wait_for()

    # By surname, from the home page.
    search = page.get_by_role("search", name="Search cases")
    search.get_by_role("searchbox").fill("brennan")
    search.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="2 cases found").wait_for()
    check_accessibility(page)
    results = page.locator(".heard-search-results")
    assert first.reference in results.inner_text() and second.reference in results.inner_text()

    # By postcode, from another page: the case list. Both cases are found: the second was
    # logged without an address, but it is the same person, whose address is known.
    page.get_by_role("link", name="Cases", exact=True).click()
    search = page.get_by_role("search", name="Search cases")
    search.get_by_role("searchbox").fill("de22 1ab")
    search.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="2 cases found").wait_for()
    assert "Complainant's address" in results.inner_text()
    assert "Okafor" not in results.inner_text()

    # Open the person: every case of theirs, in one timeline.
    results.get_by_role("link", name="Aoife Brennan").first.click()
    page.get_by_role("heading", name="Aoife Brennan", level=1).wait_for()
    page.get_by_role("heading", name="Cases (2)").wait_for()
    timeline = page.locator(".heard-timeline").inner_text()
    assert first.reference in timeline and second.reference in timeline
    check_accessibility(page)
