"""The deadline calculator, and recalculation of open clocks when the calendar changes."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from heard.audit.models import AuditEvent
from heard.cases import services
from heard.cases.choices import Status
from heard.deadlines.calendar import council_calendar
from heard.deadlines.models import CalendarSettings, ClosureDay
from tests.factories import CaseFactory, StageFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def _run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_command_prints_an_iso_due_date():
    assert _run("deadline", "--from", "2022-09-16", "--working-days", "10") == "2022-10-03\n"
    assert _run("deadline", "--from", "2024-01-31", "--months", "1") == "2024-02-29\n"


def test_the_command_explains_the_days_it_skipped():
    out = _run("deadline", "--from", "2022-09-16", "--working-days", "10", "--explain")
    assert "not counted: 2022-09-19 State Funeral of Queen Elizabeth II" in out


def test_the_command_uses_the_councils_closure_days():
    ClosureDay.objects.create(date=D(2025, 12, 29), description="Christmas closure")
    assert _run("deadline", "--from", "2025-12-24", "--working-days", "1") == "2025-12-30\n"


def test_the_command_refuses_a_bad_date_plainly():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run("deadline", "--from", "16/09/2022", "--working-days", "10")


def test_the_calculator_page_shows_the_due_date_and_what_was_skipped(client_for):
    client = client_for("officer")
    response = client.get(
        reverse("deadlines:calculator"),
        {"start_0": "16", "start_1": "9", "start_2": "2022", "working_days": "10"},
    )
    html = response.content.decode()
    assert "Due Monday 3 October 2022" in html
    assert "Monday 19 September 2022: State Funeral of Queen Elizabeth II" in html


def test_the_calculator_page_asks_for_one_kind_of_count(client_for):
    client = client_for("officer")
    response = client.get(
        reverse("deadlines:calculator"), {"start_0": "16", "start_1": "9", "start_2": "2022"}
    )
    assert "Enter either a number of working days or a number of months" in (
        response.content.decode()
    )


def _open_stage(received):
    stage = StageFactory(case=CaseFactory(received_on=received))
    services.apply_clock(stage, council_calendar())
    stage.save()
    return stage


def test_adding_a_closure_day_moves_open_clocks_and_says_so_in_their_history(client_for):
    open_stage = _open_stage(D(2025, 12, 15))
    assert open_stage.response_due == D(2025, 12, 31)
    answered = _open_stage(D(2025, 12, 16))
    assert answered.response_due == D(2026, 1, 2)
    answered.responded_on = D(2025, 12, 19)
    answered.save()
    closed = _open_stage(D(2025, 12, 17))
    closed.case.status = Status.CLOSED
    closed.case.save()
    client = client_for("administrator")
    response = client.post(
        reverse("deadlines:closures"),
        {"date_0": "29", "date_1": "12", "date_2": "2025", "description": "Christmas closure"},
        follow=True,
    )
    assert "1 open case(s) had their due dates moved" in response.content.decode()
    open_stage.refresh_from_db()
    assert open_stage.response_due == D(2026, 1, 2)
    open_stage.case.refresh_from_db()
    assert open_stage.case.stage_response_due == D(2026, 1, 2), "trackers see the new date"
    event = AuditEvent.objects.get(case_id=open_stage.case_id, action="stage.recalculated")
    assert event.changes == [
        {"field": "stage 1 response due", "old": "2025-12-31", "new": "2026-01-02"}
    ]
    assert event.note == "Closure day 29 December 2025 added"
    history = client.get(reverse("cases:detail", args=[open_stage.case.reference]))
    assert "Due dates recalculated" in history.content.decode()
    answered.refresh_from_db()
    assert answered.response_due == D(2026, 1, 2), "an answered stage keeps its due date"

    closure = ClosureDay.objects.get()
    client.post(reverse("deadlines:remove-closure", args=[closure.pk]))
    open_stage.refresh_from_db()
    assert open_stage.response_due == D(2025, 12, 31)


def test_a_change_in_the_bank_holiday_data_is_noticed_and_applied():
    stage = _open_stage(D(2025, 12, 15))
    settings = CalendarSettings.current()
    out = _run("recalculate", "--if-holidays-changed")
    assert "moved" in out
    assert _run("recalculate", "--if-holidays-changed").startswith("Bank-holiday data unchanged")
    # An upgrade of the holidays package that adds a day looks like this to Heard: the
    # fingerprint differs, so every open clock is recalculated.
    CalendarSettings.objects.filter(pk=settings.pk).update(holidays_fingerprint="older data")
    ClosureDay.objects.create(date=D(2025, 12, 29), description="stands in for a new holiday")
    assert _run("recalculate", "--if-holidays-changed") == (
        "1 open case(s) had their due dates moved.\n"
    )
    stage.refresh_from_db()
    assert stage.response_due == D(2026, 1, 2)


def test_choosing_scotland_moves_open_clocks_past_st_andrews_day(client_for):
    stage = _open_stage(D(2026, 11, 20))  # 10 working days: 4 December in England
    assert stage.response_due == D(2026, 12, 4)
    client = client_for("administrator")
    page = client.post(
        reverse("deadlines:settings"),
        {"region": "scotland", "stage2_clock_start": "requested"},
        follow=True,
    )
    assert "1 open case(s) had their due dates moved" in page.content.decode()
    stage.refresh_from_db()
    assert stage.response_due == D(2026, 12, 7)  # Monday 30 November is St Andrew's Day
    assert CalendarSettings.current().region == "scotland"
    assert AuditEvent.objects.filter(action="calendar.settings_changed").exists()


def test_the_council_may_start_stage_2_on_the_agreed_statement(client_for, officer):
    client_for("administrator").post(
        reverse("deadlines:settings"),
        {"region": "england-and-wales", "stage2_clock_start": "statement_agreed"},
    )
    case = CaseFactory(received_on=D(2024, 1, 8))
    stage = StageFactory(case=case, number=2, requested_on=D(2024, 3, 4))
    services.apply_clock(stage, council_calendar())
    assert stage.response_due is None  # waits for the statement of complaint
    stage.statement_agreed_on = D(2024, 3, 15)
    services.apply_clock(stage, council_calendar())
    assert stage.response_due == D(2024, 4, 23)  # 25 working days after 15 March, past Easter
