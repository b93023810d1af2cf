"""Every statutory clock in a real browser: a complaint taken from Stage 1 to Stage 2, Stage 3
and the Ombudsman, checking at each step that the case page shows each clock's due date as the
timescale rules give it (the hand-checked dates are in tests/timescales and tests/cases)."""

import datetime

import pytest

from heard.accounts.roles import Role
from heard.cases.models import Case
from heard.timescales import WorkingCalendar
from tests.browser.test_tell_us_journey import check_accessibility
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CAL = WorkingCalendar("england-and-wales")  # the test council has no closure days


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


def _save(page, done):
    page.get_by_role("button", name="Save").click()
    page.get_by_text(done).wait_for()


def _respond(page, day, legend="Date of the response"):
    page.get_by_role("button", name="Record the response").click()
    _fill_date(page, legend, day)
    page.get_by_role("group", name="Part 1: Calls not returned").get_by_label(
        "Upheld", exact=True
    ).check()
    _save(page, "Response and findings recorded.")


def _action(page, name):
    page.get_by_role("button", name=name, exact=True).click()


def assert_clocks(page, expected: dict[str, datetime.date]):
    """Each clock's row on the case page shows its due date, as data and in words."""
    for key, due in expected.items():
        cell = page.locator(f'tr[data-clock="{key}"] td[data-due]')
        assert cell.get_attribute("data-due") == due.isoformat(), key
        assert f"{due:%A %-d %B %Y}" in cell.inner_text(), key


def test_a_complaint_through_every_stage_and_the_ombudsman_shows_every_clock(signed_in):
    page = signed_in
    today = datetime.date.today()

    def wd(n):
        return CAL.add_working_days(today, n)

    # Stage 1
    page.goto("/cases/new/")
    page.get_by_label("Complaint", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    _fill_date(page, "Date received", today)
    page.get_by_label("How it arrived").select_option(label="Telephone")
    page.get_by_label("Name of the person").fill("Alex Parent")
    page.get_by_label("Points complained about").fill("Calls not returned")
    page.get_by_label("Procedure", exact=True).select_option(label="Children's statutory procedure")
    page.get_by_role("button", name="Log the case").click()
    page.get_by_role("heading", name="Deadlines").wait_for()
    reference = page.get_by_role("heading", level=1).inner_text().split()[0]
    assert_clocks(page, {"s1-acknowledgement": wd(5), "s1-response": wd(10)})
    check_accessibility(page)
    _respond(page, today)
    assert_clocks(page, {"s2-request": wd(20)})
    assert (
        "The complainant may still ask" in page.locator('tr[data-clock="s2-request"]').inner_text()
    )

    # Stage 2: the Investigating Officer's report, then the adjudication within the limit
    _action(page, "Escalate to the next stage")
    _fill_date(page, "Date the next stage was asked for", today)
    _save(page, "Next stage opened.")
    assert_clocks(
        page, {"s2-acknowledgement": wd(5), "s2-io-report": wd(25), "s2-response": wd(25)}
    )
    assert "has not happened yet" in page.locator('tr[data-clock="s2-adjudication"]').inner_text()
    _action(page, "Stage 2 details")
    page.get_by_label("Investigating Officer", exact=True).fill("A. Investigator")
    _fill_date(page, "Investigating Officer's report received", today)
    _save(page, "Stage 2 details saved.")
    assert_clocks(page, {"s2-io-report": wd(25), "s2-adjudication": wd(20), "s2-response": wd(25)})
    check_accessibility(page)
    _respond(page, today)
    assert_clocks(page, {"s3-request": wd(20)})

    # Stage 3: the panel, its report and the council's response
    _action(page, "Escalate to the next stage")
    _fill_date(page, "Date the next stage was asked for", today)
    _save(page, "Next stage opened.")
    # Before the panel: the council's response (the stage's response, decision 0028) is due
    # 15 working days after the report, itself due 5 after the panel's 30.
    assert_clocks(
        page, {"s3-acknowledgement": wd(5), "s3-panel": wd(30), "s3-panel-response": wd(50)}
    )
    assert "s3-response" not in page.content()
    _action(page, "Stage 3 details")
    _fill_date(page, "Panel date", today)
    _fill_date(page, "Panel's report received", today)
    _save(page, "Stage 3 details saved.")
    assert_clocks(page, {"s3-panel": wd(30), "s3-panel-report": wd(5), "s3-panel-response": wd(15)})
    check_accessibility(page)
    _respond(page, today, "Date of the council's response to the panel")
    assert "On time" in page.locator('tr[data-clock="s3-panel-response"]').inner_text()
    assert Case.objects.get(reference=reference).status == "closed"

    # The Ombudsman: the reply date it set, and a remedy with its own due date
    reply_due = today + datetime.timedelta(days=21)
    remedy_due = wd(30)
    page.goto("/cases/new/")
    page.get_by_label("Ombudsman (LGSCO) case", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    _fill_date(page, "Date received", today)
    page.get_by_label("How it arrived").select_option(label="E-mail")
    page.get_by_label("Related case reference").fill(reference)
    page.get_by_role("button", name="Log the case").click()
    page.get_by_role("heading", name="Deadlines").wait_for()
    lgo = page.get_by_role("heading", level=1).inner_text().split()[0]
    _action(page, "Change details")
    _fill_date(page, "Reply due to the Ombudsman by", reply_due)
    _save(page, "Details saved.")
    assert_clocks(page, {"lgsco-reply": reply_due})
    page.get_by_role("button", name="Record an agreed remedy").click()
    page.get_by_label("Payment", exact=True).check()
    page.get_by_label("Amount (£)").fill("300")
    _fill_date(page, "Due by", remedy_due)
    _save(page, "Remedy recorded.")
    assert_clocks(page, {"lgsco-reply": reply_due, "remedy-1": remedy_due})
    assert "Remedy: Payment of £300.00" in page.locator('tr[data-clock="remedy-1"]').inner_text()
    check_accessibility(page)
    page.get_by_role("link", name="Record compliance").click()
    _fill_date(page, "Date complied with", today)
    page.get_by_label("Evidence sent to the Ombudsman").fill("BACS remittance")
    _save(page, "Compliance recorded.")
    assert "On time" in page.locator('tr[data-clock="remedy-1"]').inner_text()
    assert Case.objects.get(reference=lgo).lgsco_remedy_complied_on == today
