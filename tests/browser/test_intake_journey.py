"""Logging a telephone Stage 1 complaint by keyboard only, from "what kind?" to the case page,
counting the fields the officer had to fill in."""

import re

import pytest
from django.utils import timezone

from heard.accounts.roles import Role
from heard.cases.models import Case
from tests.browser.test_tell_us_journey import check_accessibility
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

#: The most fields an officer may have to fill in to log a telephone complaint at Stage 1.
MOST_FIELDS = 8

#: Every answer of the main form, by field (a radio or tick box by field and value).
FORM_STATE = """() => Object.fromEntries(
    Array.from(document.querySelectorAll('form[novalidate] [name]'))
        .filter(e => e.name !== 'csrfmiddlewaretoken' && e.type !== 'hidden')
        .map(e => (e.type === 'radio' || e.type === 'checkbox')
            ? [e.name + ':' + e.value, e.checked]
            : [e.name, e.value]))"""


@pytest.fixture
def signed_in(page):
    UserFactory(username="officer", first_name="Tom", role=Role.OFFICER)
    UserFactory(username="pworker", first_name="Pat", last_name="Worker", role=Role.OFFICER)
    page.goto("/accounts/sign-in/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Hello, Tom").wait_for()
    return page


def _focused(page) -> dict:
    return page.evaluate(
        "() => ({name: document.activeElement.name || '', value: document.activeElement.value"
        " || '', text: (document.activeElement.innerText || '').trim()})"
    )


def tab_to(page, *, name: str = "", value: str | None = None, text: str = "") -> None:
    """Press Tab until the field named ``name`` (with ``value``), or the button or link
    reading ``text``, has the focus; fail if it is never reached."""
    for _ in range(120):
        page.keyboard.press("Tab")
        now = _focused(page)
        if text and now["text"] == text:
            return
        if name and now["name"] == name and (value is None or now["value"] == value):
            return
    raise AssertionError(f"Tab never reached {name or text!r}")


def _changed(before: dict, after: dict) -> set[str]:
    """The fields whose answer changed (a date's three boxes count as one field)."""
    names = {key for key in after if before.get(key) != after[key]}
    return {re.sub(r"_[012]$", "", key.split(":")[0]) for key in names}


def test_a_telephone_stage_1_complaint_is_logged_by_keyboard_in_few_fields(signed_in):
    page = signed_in
    page.goto("/cases/")
    tab_to(page, text="Log a case")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Log a case").wait_for()

    tab_to(page, name="kind", value="complaint")
    page.keyboard.press("Space")
    tab_to(page, text="Continue")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Complaint", exact=True).wait_for()
    check_accessibility(page)
    before = page.evaluate(FORM_STATE)
    today = timezone.localdate()
    assert [before[f"received_on_{i}"] for i in range(3)] == [
        str(today.day),
        str(today.month),
        str(today.year),
    ]  # the date is today unless the officer changes it

    tab_to(page, name="channel")
    page.keyboard.type("Telephone")
    tab_to(page, name="complainant_name")
    page.keyboard.type("Robin Caller")
    tab_to(page, name="complainant_phone")
    page.keyboard.type("01632 960123")
    tab_to(page, name="summary")
    page.keyboard.type("Nobody returned my calls about the plan for my son.")
    tab_to(page, name="desired_outcome")
    page.keyboard.type("A call back this week, and an apology.")
    tab_to(page, name="staff_complained_about")
    page.keyboard.type("Pat Worker")
    tab_to(page, name="procedure")
    page.keyboard.type("Children")
    after = page.evaluate(FORM_STATE)
    filled = _changed(before, after)
    assert len(filled) <= MOST_FIELDS, sorted(filled)
    assert filled == {
        "channel", "complainant_name", "complainant_phone", "summary", "desired_outcome",
        "staff_complained_about", "procedure",
    }  # fmt: skip

    tab_to(page, text="Log the case")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Deadlines").wait_for()
    reference = page.get_by_role("heading", level=1).inner_text().split()[0]

    case = Case.objects.get(reference=reference)
    assert case.kind == "complaint" and case.procedure == "childrens_statutory"
    assert case.received_on == today
    assert case.channel.label == "Telephone"
    assert (case.complainant_name, case.complainant_phone) == ("Robin Caller", "01632 960123")
    assert case.summary == "Nobody returned my calls about the plan for my son."
    assert case.desired_outcome == "A call back this week, and an apology."
    assert [u.username for u in case.staff_complained_about.all()] == ["pworker"]
    stage = case.stages.get()
    assert (stage.number, stage.requested_on) == (1, today)
    assert stage.response_due is not None
