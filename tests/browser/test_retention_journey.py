"""Retention in a real browser: a complaints manager opens the cases due for review, approves
one for anonymisation, ``heard worker`` anonymises it, and its case page says so; a case on
legal hold is never offered. axe-core checks each page against WCAG 2.2 AA."""

import datetime
import io

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from heard.accounts.roles import Role
from heard.cases import workflow
from heard.cases.models import Case
from heard.retention import services as retention
from heard.retention.models import Review
from tests.browser.test_tell_us_journey import check_accessibility
from tests.factories import PASSWORD, CaseFactory, UserFactory
from tests.second_factor import code_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _closed_long_ago(name: str) -> Case:
    """A compliment closed in 2016: past the six years every kind is kept by default."""
    case = CaseFactory(
        kind="compliment", procedure="", complainant_name=name,
        complainant_email=f"{name.split()[0].lower()}@example.org",
        summary=f"{name} thanked the team.", received_on=datetime.date(2016, 3, 1),
    )  # fmt: skip
    return workflow.close(case, resolution="responded", on=datetime.date(2016, 3, 20))


def _worker() -> str:
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    return out.getvalue()


def test_a_manager_approves_anonymisation_and_the_worker_carries_it_out(page):
    manager = UserFactory(username="manager", first_name="Mo", role=Role.MANAGER)
    device = TOTPDevice.objects.create(user=manager, confirmed=True)
    due = _closed_long_ago("Quentin Oldcase")
    held = _closed_long_ago("Harriet Heldcase")
    retention.place_hold(held, reason="Disclosure in a court case", user=manager)
    assert "1 cases due for retention review" in _worker()

    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code from your authenticator app").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Hello, Mo").wait_for()

    page.get_by_role("link", name="Retention", exact=True).click()
    page.get_by_role("link", name="Cases due for review").click()
    page.get_by_role("heading", name="Due for review (1)").wait_for()
    check_accessibility(page)
    offered = page.get_by_role("group", name="Cases to anonymise")
    assert due.reference in offered.inner_text()
    assert held.reference not in page.content()  # on legal hold: never offered

    # Approving nothing is refused with a message saying what to do.
    page.get_by_role("button", name="Approve the chosen cases for anonymisation").click()
    page.get_by_text("Choose at least one case to anonymise").first.wait_for()
    check_accessibility(page)
    page.get_by_label(due.reference, exact=False).check()
    page.get_by_role("button", name="Approve the chosen cases for anonymisation").click()
    page.get_by_text("1 case(s) approved").wait_for()
    page.get_by_role("heading", name="Approved, waiting for the worker (1)").wait_for()
    check_accessibility(page)

    assert "1 cases anonymised" in _worker()

    page.goto(f"/cases/{due.reference}/")
    page.get_by_text("at the end of its retention period: only what reports count").wait_for()
    text = page.content()
    assert "Quentin" not in text and "Oldcase" not in text and "thanked the team" not in text
    check_accessibility(page)
    # The case on hold keeps everything, and says why.
    page.goto(f"/cases/{held.reference}/")
    page.get_by_text("Legal hold: this case will not be anonymised while the hold lasts").wait_for()
    assert "Harriet Heldcase" in page.content()
    check_accessibility(page)

    page.goto("/retention/review/")
    page.get_by_role("heading", name="Recently anonymised").wait_for()
    assert Review.objects.get(case=due).status == Review.Status.ANONYMISED
    assert not Review.objects.filter(case=held).exists()
