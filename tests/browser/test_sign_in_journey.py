import datetime
import io

import pytest
from django.core.management import call_command

# serialized_rollback keeps the vocabularies loaded by migrations between browser tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_demo_officer_signs_in_and_sees_their_work(page):
    call_command("demo", cases=300, seed=3, today=datetime.date.today(), stdout=io.StringIO())
    page.goto("/")
    assert page.url.endswith("/accounts/sign-in/?next=/")
    assert page.locator(".govuk-header").inner_text().startswith("Heard demo council")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill("heard-demo-password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Hello, Tom").wait_for()
    next_deadlines = page.locator("caption", has_text="Cases allocated to you with something due")
    assert next_deadlines.is_visible()
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_label("Show").select_option(label="Every case")
    page.get_by_role("button", name="Apply").click()
    first = page.locator("table tbody tr a").first
    reference = first.inner_text()
    first.click()
    page.get_by_role("heading", name=reference).wait_for()
    assert page.get_by_text("Case viewed").first.is_visible()


def test_the_skip_link_is_the_first_thing_a_keyboard_user_reaches(page):
    page.goto("/accounts/sign-in/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"


def test_a_wrong_password_is_explained_and_focus_goes_to_the_summary(page, django_user_model):
    page.goto("/accounts/sign-in/")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Enter your username" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
