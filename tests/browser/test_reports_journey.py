"""The annual report in a real browser: a complaints manager opens it, edits a section's
narrative in a new edition, publishes it and downloads the XLSX, with axe-core checking each
page against WCAG 2.2 AA."""

import datetime

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from heard.accounts.roles import Role
from heard.cases.choices import Kind
from heard.reports.periods import ReportingYear
from tests.browser.test_tell_us_journey import check_accessibility
from tests.factories import PASSWORD, CaseFactory, UserFactory
from tests.second_factor import code_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_manager_edits_publishes_and_downloads_the_annual_report(page):
    manager = UserFactory(username="manager", first_name="Mo", role=Role.MANAGER)
    device = TOTPDevice.objects.create(user=manager, confirmed=True)
    year = ReportingYear.containing(datetime.date.today()).previous()
    # More than 5, so that the publication version states the count.
    for n in range(8):
        CaseFactory(kind=Kind.COMPLAINT, received_on=year.start + datetime.timedelta(days=9 * n))

    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # A complaints manager's second step: the code from their authenticator app.
    page.get_by_role("heading", name="Enter the code from your authenticator app").wait_for()
    check_accessibility(page)
    page.get_by_label("Code from your authenticator app").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Hello, Mo").wait_for()

    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("heading", name="Reports", exact=True).wait_for()
    check_accessibility(page)
    page.get_by_role("link", name=year.label, exact=True).click()
    page.get_by_role("heading", name=f"Annual report {year.label}").wait_for()
    page.get_by_role("table", name="Cases received each year").wait_for()
    check_accessibility(page)

    page.get_by_role("link", name="Back to reports").click()
    page.get_by_role("link", name="Start a new edition").click()
    page.get_by_label("Annual report", exact=True).check()
    page.get_by_label("Reporting year").select_option(str(year.year))
    page.get_by_role("button", name="Start the edition").click()
    page.get_by_text("Edition 1 started as a draft.").wait_for()
    check_accessibility(page)
    narrative = page.get_by_label("Volumes over four years", exact=True)
    assert "Complaints" in narrative.input_value(), "prefilled with the drafted paragraph"
    narrative.fill("Complaints stayed low this year; every one was answered.")
    page.get_by_role("button", name="Save the narrative").click()
    page.get_by_text("Narrative saved.").wait_for()

    page.get_by_role("link", name="Publish this edition").first.click()
    page.get_by_role("heading", name="Publish Annual report").wait_for()
    check_accessibility(page)
    page.get_by_role("button", name="Publish and freeze").click()
    page.get_by_text("Edition 1 published. It is now frozen.").wait_for()
    assert "Complaints stayed low this year" in page.content()
    check_accessibility(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as Excel (XLSX)").click()
    path = download.value.path()
    assert download.value.suggested_filename == f"annual-{year.label}-edition-1.xlsx"
    with open(path, "rb") as handle:
        assert handle.read(2) == b"PK"
