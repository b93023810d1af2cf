"""Every statutory clock on a case, through the services and the screens: the request window,
the Investigating Officer's report and the adjudication, the panel, its report and the
council's response, the Ombudsman's reply date and each remedy; in the trackers and reminders.
The dates were worked out by hand, bank holidays named where they fall."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from heard.audit.models import AuditEvent
from heard.cases import schedule, services, workflow
from heard.cases.choices import Finding, Kind, RemedyKind, Resolution
from heard.cases.models import Case
from heard.cases.workflow import TransitionRefused
from heard.deadlines.calendar import council_calendar
from heard.deadlines.models import CalendarSettings
from heard.notifications import reminders
from heard.notifications.models import OutboxMessage
from heard.timescales import WorkingCalendar
from tests.factories import term

pytestmark = pytest.mark.django_db
D = datetime.date
CAL = WorkingCalendar()


def _at(day: datetime.date):
    return time_machine.travel(datetime.datetime(*day.timetuple()[:3], 12, tzinfo=datetime.UTC))


MONDAY = D(2024, 3, 4)


def _complaint(officer, received=MONDAY, procedure="childrens_statutory"):
    return services.log_case(
        user=officer, kind=Kind.COMPLAINT, received_on=received, procedure=procedure,
        channel=term("channel", "email"), complainant_name="Sam Example",
        parts=[{"summary": "Nobody called back", "category": None}],
    )  # fmt: skip


def _answer(case, on, officer):
    case.refresh_from_db()
    return workflow.respond(
        case, responded_on=on, findings={p.pk: Finding.UPHELD for p in case.parts.all()},
        user=officer,
    )  # fmt: skip


def _dues(case):
    case.refresh_from_db()
    return {c.key: c.due for c in schedule.clocks_for(case)}


@pytest.fixture
def at_stage_2(officer):
    """Received Monday 4 March 2024; Stage 1 answered Friday 15 March; Stage 2 asked for on
    Wednesday 20 March 2024."""
    with _at(D(2024, 3, 20)):
        case = _complaint(officer)
        _answer(case, D(2024, 3, 15), officer)
        workflow.escalate(case, requested_on=D(2024, 3, 20), user=officer)
    case.refresh_from_db()
    return case


def test_the_stage_2_request_window_is_20_working_days_after_the_stage_1_response(officer):
    with _at(D(2024, 3, 20)):
        case = _complaint(officer)
        _answer(case, D(2024, 3, 15), officer)
        # Good Friday (29 March) and Easter Monday (1 April 2024) do not count.
        assert _dues(case)["s2-request"] == D(2024, 4, 16)


def test_a_late_request_is_refused_without_a_reason_and_accepted_with_one(officer):
    with _at(D(2024, 4, 17)):
        case = _complaint(officer)
        _answer(case, D(2024, 3, 15), officer)
        with pytest.raises(TransitionRefused) as refused:
            workflow.escalate(case, requested_on=D(2024, 4, 17), user=officer)
        assert str(refused.value) == (
            "Stage 2 was asked for after the window closed: it had to be asked for within 20 "
            "working days of the stage 1 response, by 16 April 2024. To accept it anyway, give "
            "the reason."
        )
        assert case.stages.count() == 1
        stage = workflow.escalate(
            case, requested_on=D(2024, 4, 17), late_request_reason="In hospital", user=officer
        )
    assert stage.late_request_reason == "In hospital"
    event = AuditEvent.objects.get(action="stage.accepted_late")
    assert "In hospital" in event.note
    window = next(c for c in schedule.clocks_for(case) if c.key == "s2-request")
    assert window.late and "In hospital" in window.note


def test_a_request_inside_the_window_needs_no_reason_and_stores_none(at_stage_2):
    stage = at_stage_2.stages.get(number=2)
    assert stage.late_request_reason == ""
    assert not AuditEvent.objects.filter(action="stage.accepted_late").exists()


def test_the_escalate_screen_says_plainly_why_a_late_request_is_refused(officer, client_for):
    with _at(D(2024, 4, 17)):
        case = _complaint(officer)
        _answer(case, D(2024, 3, 15), officer)
        case.refresh_from_db()
        url = reverse("cases:action", args=[case.reference, "escalate"])
        page = client_for("officer").post(
            url,
            {
                "version": case.version,
                "requested_on_0": "17", "requested_on_1": "4", "requested_on_2": "2024",
            },
        )  # fmt: skip
        assert "it had to be asked for within 20 working days" in page.content.decode()
        assert Case.objects.get(pk=case.pk).stages.count() == 1


def test_stage_2_report_and_adjudication_dates(at_stage_2, officer):
    # 25 working days from Wednesday 20 March 2024, across Easter: Friday 26 April 2024.
    dues = _dues(at_stage_2)
    assert dues["s2-response"] == D(2024, 4, 26)
    assert dues["s2-io-report"] == D(2024, 4, 26)
    assert dues["s2-adjudication"] is None
    with _at(D(2024, 4, 15)):
        workflow.update_stage(
            at_stage_2, changes={"report_received_on": D(2024, 4, 15)}, user=officer
        )
    # 20 working days after Monday 15 April is Tuesday 14 May 2024 (6 May is a bank holiday),
    # but the adjudication falls inside the stage's 25 working days: 26 April.
    assert _dues(at_stage_2)["s2-adjudication"] == D(2024, 4, 26)
    with _at(D(2024, 4, 15)):
        workflow.extend(
            at_stage_2, extended_to=65, reason="Complex", agreed_on=D(2024, 4, 15), user=officer
        )
    assert _dues(at_stage_2)["s2-adjudication"] == D(2024, 5, 14)


def test_stage_3_panel_report_and_response_dates(at_stage_2, officer):
    with _at(D(2024, 5, 28)):
        _answer(at_stage_2, D(2024, 4, 25), officer)
        # 20 working days after Thursday 25 April 2024 (6 May a bank holiday): 24 May.
        assert _dues(at_stage_2)["s3-request"] == D(2024, 5, 24)
        with pytest.raises(TransitionRefused, match="by 24 May 2024"):
            workflow.escalate(at_stage_2, requested_on=D(2024, 5, 28), user=officer)
        workflow.escalate(
            at_stage_2, requested_on=D(2024, 5, 28), late_request_reason="Letter lost",
            user=officer,
        )  # fmt: skip
    # 30 working days from Tuesday 28 May 2024: Tuesday 9 July 2024.
    assert _dues(at_stage_2)["s3-panel"] == D(2024, 7, 9)
    # The Stage 3 response is the council's response to the panel (decision 0028): before the
    # panel it is due 5 + 15 working days after the panel is due, Tuesday 6 August 2024.
    stage = at_stage_2.stages.get(number=3)
    assert _dues(at_stage_2)["s3-panel-response"] == stage.response_due == D(2024, 8, 6)
    with _at(D(2024, 7, 12)):
        workflow.update_stage(
            at_stage_2,
            changes={"panel_on": D(2024, 7, 8), "report_received_on": D(2024, 7, 12)},
            user=officer,
        )
    dues = _dues(at_stage_2)
    assert dues["s3-panel-report"] == D(2024, 7, 15)  # 5 working days after Monday 8 July
    assert dues["s3-panel-response"] == D(2024, 8, 2)  # 15 working days after Friday 12 July
    assert "s3-response" not in dues, "the council's response to the panel is the response"
    case = Case.objects.get(pk=at_stage_2.pk)
    # The stage's own response date moved with the report, for the trackers and reports too.
    assert case.stages.get(number=3).response_due == case.stage_response_due == D(2024, 8, 2)
    assert (case.next_due_on, case.next_due_label) == (
        D(2024, 8, 2),
        "Stage 3: council's response to the panel (the stage's response)",
    )


def _ombudsman(officer, **fields):
    return services.log_case(
        user=officer, kind=Kind.OMBUDSMAN, received_on=D(2024, 6, 3), lgsco_reference="24 00001",
        **fields,
    )  # fmt: skip


def test_the_ombudsmans_reply_date_is_a_clock(officer):
    with _at(D(2024, 6, 10)):
        case = _ombudsman(officer, lgsco_reply_due=D(2024, 6, 24))
        assert Case.objects.get(pk=case.pk).next_due_on == D(2024, 6, 24)
        workflow.update_details(case, changes={"lgsco_replied_on": D(2024, 6, 10)}, user=officer)
    assert Case.objects.get(pk=case.pk).next_due_on is None


def test_each_remedy_has_its_own_due_date_compliance_and_evidence(officer):
    with _at(D(2024, 7, 1)):
        case = _ombudsman(officer)
        apology = workflow.add_remedy(
            case, kind=RemedyKind.APOLOGY, due_on=D(2024, 7, 15), user=officer
        )
        payment = workflow.add_remedy(
            case, kind=RemedyKind.PAYMENT, amount=Decimal("300"), due_on=D(2024, 7, 29),
            user=officer,
        )  # fmt: skip
        with pytest.raises(TransitionRefused, match="amount of the payment"):
            workflow.add_remedy(case, kind=RemedyKind.PAYMENT, due_on=D(2024, 7, 29))
        with pytest.raises(TransitionRefused, match="Describe what the council agreed"):
            workflow.add_remedy(case, kind=RemedyKind.SERVICE_IMPROVEMENT, due_on=D(2024, 8, 1))
        workflow.close(case, resolution=Resolution.RESPONDED, on=D(2024, 7, 1), user=officer)
    case = Case.objects.get(pk=case.pk)
    assert (case.next_due_on, case.next_due_label) == (D(2024, 7, 15), "Remedy: Apology")
    with _at(D(2024, 7, 10)):
        workflow.comply_remedy(
            case, remedy_id=apology.pk, complied_on=D(2024, 7, 10), evidence="Letter sent",
            user=officer,
        )  # fmt: skip
        case = Case.objects.get(pk=case.pk)
        assert case.next_due_label == "Remedy: Payment of £300.00"
        assert case.lgsco_remedy_complied_on is None, "one remedy is still outstanding"
        with pytest.raises(TransitionRefused, match="already recorded"):
            workflow.comply_remedy(
                case, remedy_id=apology.pk, complied_on=D(2024, 7, 10), evidence="Again"
            )
        workflow.comply_remedy(
            case, remedy_id=payment.pk, complied_on=D(2024, 7, 9), evidence="BACS 123",
            user=officer,
        )  # fmt: skip
    case = Case.objects.get(pk=case.pk)
    assert case.next_due_on is None
    assert case.lgsco_remedy_complied_on == D(2024, 7, 10), "the day the last one was done"


def test_trackers_find_overdue_and_due_soon_work_on_every_clock(officer, client_for):
    with _at(D(2024, 7, 1)):
        remedy_case = _ombudsman(officer)
        workflow.add_remedy(
            remedy_case, kind=RemedyKind.APOLOGY, due_on=D(2024, 7, 3), user=officer
        )
        workflow.close(remedy_case, resolution=Resolution.RESPONDED, on=D(2024, 7, 1), user=officer)
        reply_case = _ombudsman(officer, lgsco_reply_due=D(2024, 7, 12))
        quiet = _ombudsman(officer, lgsco_reply_due=D(2024, 9, 2))
    client = client_for("officer")
    with _at(D(2024, 7, 8)):
        overdue = client.get(reverse("cases:list"), {"view": "overdue"}).content.decode()
        soon = client.get(reverse("cases:list"), {"view": "due-soon"}).content.decode()
    assert remedy_case.reference in overdue, "a closed case's unpaid remedy is still overdue"
    assert reply_case.reference not in overdue and quiet.reference not in overdue
    assert reply_case.reference in soon and "Reply to the Ombudsman" in soon
    assert quiet.reference not in soon and remedy_case.reference not in soon


def test_reminders_go_for_each_clock_once_and_name_no_one(officer):
    officer.email = "tom@council.example"
    officer.save()
    with _at(D(2024, 7, 1)):
        case = _ombudsman(officer, lgsco_reply_due=D(2024, 7, 3), complainant_name="Sam Example")
        workflow.allocate(case, to=officer, user=officer)
        workflow.add_remedy(
            case, kind=RemedyKind.PAYMENT, amount=Decimal("250"), due_on=D(2024, 7, 2),
            user=officer,
        )  # fmt: skip
    assert reminders.queue_reminders(D(2024, 7, 1), CAL) == 2
    assert reminders.queue_reminders(D(2024, 7, 1), CAL) == 0
    subjects = sorted(OutboxMessage.objects.values_list("subject", flat=True))
    assert subjects == [
        f"Remedy: Payment of £250.00 due 2 July 2024: {case.reference}",
        f"Reply to the Ombudsman's enquiry due 3 July 2024: {case.reference}",
    ]
    assert reminders.queue_reminders(D(2024, 7, 4), CAL) == 2, "both missed, each noticed once"
    for message in OutboxMessage.objects.all():
        assert "Sam" not in message.subject + message.body


def test_a_council_can_refuse_or_limit_corporate_extensions(officer):
    with _at(D(2026, 5, 6)):
        case = _complaint(officer, received=D(2026, 5, 1), procedure="corporate")
        settings = CalendarSettings.current()
        settings.corporate_extensions = "none"
        settings.save()
        with pytest.raises(TransitionRefused, match="cannot be extended"):
            workflow.extend(case, extended_to=15, reason="Busy", agreed_on=D(2026, 5, 6))
        settings.corporate_extensions, settings.corporate_stage1_max = "own", 30
        settings.save()
        stage = workflow.extend(case, extended_to=30, reason="Complex", agreed_on=D(2026, 5, 6))
        assert stage.extended_to == 30
        # The agreed extension stands when clocks are recalculated under the Code's rule.
        settings.corporate_extensions = "code"
        settings.save()
        services.recalculate_open_clocks(because="test")
    assert Case.objects.get(pk=case.pk).stages.get().extended_to == 30


def test_the_case_page_shows_every_clock_with_its_due_date(at_stage_2, officer, client_for):
    with _at(D(2024, 4, 16)):
        workflow.update_stage(
            at_stage_2, changes={"report_received_on": D(2024, 4, 15)}, user=officer
        )
        page = client_for("officer").get(reverse("cases:detail", args=[at_stage_2.reference]))
    html = page.content.decode()
    for key, due in (
        ("s1-response", "2024-03-18"),
        ("s2-request", "2024-04-16"),
        ("s2-io-report", "2024-04-26"),
        ("s2-adjudication", "2024-04-26"),
        ("s2-response", "2024-04-26"),
    ):
        row = html[html.index(f'data-clock="{key}"') :]
        assert f'data-due="{due}"' in row[: row.index("</tr>")], key


def test_recalculating_after_a_closure_day_moves_later_steps_too(at_stage_2, officer):
    with _at(D(2024, 4, 15)):
        workflow.update_stage(
            at_stage_2, changes={"report_received_on": D(2024, 4, 15)}, user=officer
        )
        workflow.extend(
            at_stage_2, extended_to=65, reason="Complex", agreed_on=D(2024, 4, 15), user=officer
        )
        from heard.deadlines import services as calendar_services

        calendar_services.add_closure_day(D(2024, 4, 30), "Staff training", user=officer)
    case = Case.objects.get(pk=at_stage_2.pk)
    assert council_calendar().add_working_days(D(2024, 4, 15), 20) == D(2024, 5, 15)
    assert case.next_due_on == D(2024, 5, 15)
    assert case.next_due_label == "Stage 2: Adjudication (the council's response)"


def test_the_corporate_extension_setting_is_chosen_on_the_calendar_settings_page(client_for):
    client = client_for("administrator")
    url = reverse("deadlines:settings")
    base = {"region": "england-and-wales", "stage2_clock_start": "requested"}
    refused = client.post(url, {**base, "corporate_extensions": "own", "corporate_stage1_max": "8"})
    assert (
        "An extension must allow more than the normal 10 working days" in refused.content.decode()
    )
    empty = client.post(url, {**base, "corporate_extensions": "own"})
    assert "Enter the most working days allowed" in empty.content.decode()
    client.post(url, {**base, "corporate_extensions": "own", "corporate_stage1_max": "30"})
    settings = CalendarSettings.current()
    assert (settings.corporate_extensions, settings.corporate_stage1_max) == ("own", 30)
    event = AuditEvent.objects.get(action="calendar.settings_changed")
    assert {c["field"] for c in event.changes} >= {"corporate_extensions", "corporate_stage1_max"}
    client.post(url, base)  # a form without the question leaves the setting as it is
    assert CalendarSettings.current().corporate_extensions == "own"
    client.post(url, {**base, "corporate_extensions": "code", "corporate_stage1_max": "30"})
    settings = CalendarSettings.current()
    assert (settings.corporate_extensions, settings.corporate_stage1_max) == ("code", None)


def test_the_api_refuses_a_late_request_plainly_and_carries_every_clock(officer, personas, client):
    from heard.api.models import ApiToken

    _, key = ApiToken.issue(personas["officer"], "tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    with _at(D(2024, 4, 17)):
        case = _complaint(officer)
        _answer(case, D(2024, 3, 15), officer)
        case.refresh_from_db()
        url = f"/api/v1/cases/{case.reference}/escalate"
        body = {"version": case.version, "requested_on": "2024-04-17"}
        refused = client.post(url, body, content_type="application/json")
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "refused"
        assert (
            "by 16 April 2024. To accept it anyway, give the reason."
            in (refused.json()["error"]["message"])
        )
        accepted = client.post(
            url, {**body, "late_request_reason": "In hospital"}, content_type="application/json"
        )
    assert accepted.status_code == 200
    record = accepted.json()
    assert record["stages"][1]["late_request_reason"] == "In hospital"
    clocks = {c["key"]: c for c in record["clocks"]}
    assert clocks["s2-request"] == {
        "key": "s2-request", "label": "Stage 2 request window", "due": "2024-04-16",
        "done_on": "2024-04-17", "owed_by": "complainant", "outstanding": False,
    }  # fmt: skip
    assert clocks["s2-io-report"]["outstanding"] and clocks["s2-io-report"]["due"]


def test_the_exchange_format_carries_the_new_dates_and_remedies_losslessly(officer):
    import io
    import json

    from heard.exchange import export, schema
    from heard.exchange.importer import import_records

    with _at(D(2024, 7, 1)):
        case = _ombudsman(officer, lgsco_reply_due=D(2024, 7, 12), lgsco_replied_on=D(2024, 7, 1))
        remedy = workflow.add_remedy(
            case, kind=RemedyKind.PAYMENT, amount=Decimal("250.50"), due_on=D(2024, 7, 3),
            user=officer,
        )  # fmt: skip
        workflow.comply_remedy(
            case, remedy_id=remedy.pk, complied_on=D(2024, 7, 1), evidence="BACS", user=officer
        )
        workflow.add_remedy(
            case, kind=RemedyKind.SERVICE_IMPROVEMENT, description="Train the team",
            due_on=D(2024, 9, 30), user=officer,
        )  # fmt: skip
        complaint = _complaint(officer)
        _answer(complaint, D(2024, 3, 15), officer)
        workflow.escalate(
            complaint, requested_on=D(2024, 4, 17), late_request_reason="Ill", user=officer
        )
        workflow.update_stage(
            complaint, changes={"report_received_on": D(2024, 5, 1)}, user=officer
        )

    def exported():
        out = io.StringIO()
        export.write(out, export.selected_cases())
        return json.loads(out.getvalue())

    before = exported()
    schema.ExchangeDocument.model_validate(before)
    ombudsman = next(c for c in before["cases"] if c["kind"] == "ombudsman")["ombudsman"]
    assert ombudsman["reply_due"] == "2024-07-12"
    assert ombudsman["remedies"][0] == {
        "kind": "payment", "description": "", "amount": "250.50", "due_on": "2024-07-03",
        "complied_on": "2024-07-01", "evidence": "BACS",
    }  # fmt: skip
    Case.objects.all().delete()
    rows = [(f"case {i}", raw) for i, raw in enumerate(before["cases"], 1)]
    assert import_records(rows).created == 2
    after = exported()
    for record in before["cases"]:
        record["version"] = 1  # an imported case starts its own edit history
    assert after["cases"] == before["cases"]
    assert Case.objects.get(kind=Kind.OMBUDSMAN).next_due_on == D(2024, 9, 30)


def _answer_stage_3(case, officer, panel_on=None):
    """Stage 2 answered 25 April 2024, Stage 3 asked for 28 May and answered 19 July (after
    the panel and its report, when ``panel_on`` is given)."""
    with _at(D(2024, 7, 20)):
        _answer(case, D(2024, 4, 25), officer)
        workflow.escalate(
            case, requested_on=D(2024, 5, 28), late_request_reason="Letter lost", user=officer
        )
        if panel_on:
            changes = {"panel_on": panel_on, "report_received_on": D(2024, 7, 12)}
            workflow.update_stage(case, changes=changes, user=officer)
        _answer(case, D(2024, 7, 19), officer)
    return case.stages.get(number=3)


def test_recalculate_answered_stage_3_moves_old_panel_dates_audits_them_and_keeps_editions(
    at_stage_2, officer, personas
):
    """A Stage 3 answered before decision 0028 kept the panel's due date as its response due;
    ``heard recalculate --answered-stage-3`` moves it to the council's response date, audits
    each move on its case, says how many moved, and leaves published editions as they were."""
    from io import StringIO

    from django.core.management import call_command

    from heard.reports import editions

    stage = _answer_stage_3(at_stage_2, officer, panel_on=D(2024, 7, 8))
    rule_due = stage.response_due
    # As stored before decision 0028: the panel's due date (30 working days from the request).
    panel_due = _dues(at_stage_2)["s3-panel"]
    assert panel_due != rule_due
    type(stage).objects.filter(pk=stage.pk).update(response_due=panel_due)
    type(at_stage_2).objects.filter(pk=at_stage_2.pk).update(stage_response_due=panel_due)
    # A Stage 1 answered long ago is not touched (it is not Stage 3).
    stage_1_due = at_stage_2.stages.get(number=1).response_due
    edition = editions.create_edition("annual", 2024, personas["manager"], publication=False)
    edition = editions.publish(edition, personas["manager"])
    frozen = edition.frozen

    out = StringIO()
    with _at(D(2024, 8, 1)):
        call_command("recalculate", "--answered-stage-3", stdout=out)
    assert "1 answered Stage 3 case(s) had their response due date moved." in out.getvalue()
    case = Case.objects.get(pk=at_stage_2.pk)
    assert case.stages.get(number=3).response_due == rule_due
    assert case.stages.get(number=3).responded_on == D(2024, 7, 19)
    assert case.stages.get(number=1).response_due == stage_1_due
    assert case.stage_response_due == rule_due
    event = AuditEvent.objects.filter(action="stage.recalculated", case_id=case.pk).get()
    assert [(c["field"], c["old"], c["new"]) for c in event.changes] == [
        ("stage 3 response due", panel_due.isoformat(), rule_due.isoformat())
    ]
    from heard.reports.models import Edition

    assert Edition.objects.get(pk=edition.pk).frozen == frozen

    out = StringIO()
    call_command("recalculate", "--answered-stage-3", stdout=out)
    assert "0 answered Stage 3 case(s) had their response due date moved." in out.getvalue()
    assert AuditEvent.objects.filter(action="stage.recalculated", case_id=case.pk).count() == 1


def test_recalculate_without_the_option_leaves_answered_stage_3_alone(at_stage_2, officer):
    from io import StringIO

    from django.core.management import call_command

    stage = _answer_stage_3(at_stage_2, officer)
    type(stage).objects.filter(pk=stage.pk).update(response_due=D(2024, 7, 9))
    out = StringIO()
    call_command("recalculate", stdout=out)
    assert "answered Stage 3" not in out.getvalue()
    assert type(stage).objects.get(pk=stage.pk).response_due == D(2024, 7, 9)
