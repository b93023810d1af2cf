"""The main casework journeys, in a real browser: a complaint from logging to Stage 2 and
closure, and a compliment."""

import datetime

import pytest

from heard.accounts.roles import Role
from heard.cases.models import Case
from tests.factories import PASSWORD, UserFactory

# serialized_rollback keeps the vocabularies loaded by migrations between browser tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def signed_in(page):
    UserFactory(username="officer", first_name="Tom", role=Role.OFFICER)
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Hello, Tom").wait_for()
    return page


def _fill_date(page, legend, day):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _respond(page, day, findings):
    """Record the response with a finding for each part, by the part's fieldset legend."""
    page.get_by_role("button", name="Record the response").click()
    _fill_date(page, "Date of the response", day)
    for part, finding in findings.items():
        page.get_by_role("group", name=part).get_by_label(finding, exact=True).check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Response and findings recorded.").wait_for()


def _action(page, name):
    page.get_by_role("button", name=name, exact=True).click()


def test_a_complaint_from_logging_to_stage_2_and_closure(signed_in):
    page = signed_in
    today = datetime.date.today()
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("button", name="Log a case").click()
    page.get_by_label("Complaint", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    _fill_date(page, "Date received", today)
    page.get_by_label("How it arrived").select_option(label="Telephone")
    page.get_by_label("Name of the person").fill("Alex Parent")
    page.get_by_label("What happened").fill("My calls were not returned.")
    page.get_by_label("Points complained about").fill("Calls not returned\nWrong advice given")
    page.get_by_label("Procedure", exact=True).select_option(label="Children's statutory procedure")
    page.get_by_role("button", name="Log the case").click()
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    reference = heading.inner_text().split()[0]
    assert reference.startswith("CMP-")
    assert "working days left" in page.locator(".govuk-inset-text").inner_text()

    _action(page, "Acknowledge")
    _fill_date(page, "Date acknowledged", today)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Acknowledgement recorded.").wait_for()

    _respond(page, today, {"Part 1: Calls not returned": "Upheld",
                           "Part 2: Wrong advice given": "Not upheld"})  # fmt: skip
    assert "Partially upheld" in page.content()

    _action(page, "Escalate to the next stage")
    _fill_date(page, "Date the next stage was asked for", today)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Stage 2", exact=True).wait_for()

    _action(page, "Stage 2 details")
    page.get_by_label("Investigating Officer", exact=True).fill("A. Investigator")
    page.get_by_label("The Investigating Officer is external").check()
    page.get_by_label("Investigating Officer's fee (£)").fill("1450")
    page.get_by_label("Independent Person", exact=True).fill("B. Person")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Stage 2 details saved.").wait_for()

    _respond(page, today, {"Part 1: Calls not returned": "Upheld",
                           "Part 2: Wrong advice given": "Upheld"})  # fmt: skip

    case = Case.objects.get(reference=reference)
    assert case.status == "closed"
    assert [s.outcome for s in case.stages.order_by("number")] == ["partially-upheld", "upheld"]
    assert str(case.stages.get(number=2).investigating_officer_fee) == "1450.00"


def test_a_compliment_is_logged_and_closed(signed_in):
    page = signed_in
    today = datetime.date.today()
    page.goto("/cases/new/")
    page.get_by_label("Compliment", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    _fill_date(page, "Date received", today)
    page.get_by_label("How it arrived").select_option(label="E-mail")
    page.get_by_label("What it says").fill("Thank you to the leaving care team.")
    page.get_by_role("button", name="Log the case").click()
    page.get_by_role("heading", level=1).wait_for()
    _action(page, "Close")
    page.get_by_label("Responded", exact=True).check()
    _fill_date(page, "Date closed", today)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Case closed.").wait_for()
    assert Case.objects.get(kind="compliment").status == "closed"
