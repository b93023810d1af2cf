"""Each transition in a case's life, and each refusal, through the service layer."""

import datetime

import pytest
import time_machine

from heard.audit.models import AuditEvent
from heard.cases import services, workflow
from heard.cases.choices import Finding, Kind, Resolution, Status
from heard.cases.models import Case
from heard.cases.workflow import EditConflict, TransitionRefused
from tests.factories import term

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 6, 28, 12, tzinfo=datetime.UTC), tick=False):
        yield


MONDAY = D(2024, 3, 4)


def _complaint(officer, procedure="childrens_statutory", received=MONDAY, parts=2):
    return services.log_case(
        user=officer,
        kind=Kind.COMPLAINT,
        received_on=received,
        channel=term("channel", "email"),
        complainant_name="Sam Example",
        summary="Nobody returned my calls.",
        procedure=procedure,
        parts=[{"summary": f"Point {n}", "category": None} for n in range(1, parts + 1)],
    )


def _findings(case, *values):
    return dict(
        zip(case.parts.order_by("number").values_list("pk", flat=True), values, strict=True)
    )


def test_a_complaint_logged_with_a_procedure_opens_stage_1_with_its_clock(officer):
    case = _complaint(officer)
    stage = case.stages.get()
    assert case.status == Status.OPEN
    assert case.reference.startswith("CMP-2024-")
    assert (stage.acknowledgement_due, stage.response_due) == (D(2024, 3, 11), D(2024, 3, 18))
    actions = list(
        AuditEvent.objects.filter(case_id=case.pk).order_by("id").values_list("action", flat=True)
    )
    assert actions == [
        "case.created",
        "part.created",
        "part.created",
        "case.triaged",
        "stage.created",
    ]


def test_a_complaint_without_a_procedure_waits_for_triage(officer):
    case = _complaint(officer, procedure="")
    assert case.status == Status.NEW and not case.stages.exists()
    workflow.triage(case, procedure="corporate", reason="Not a social care function", user=officer)
    case.refresh_from_db()
    assert case.status == Status.OPEN and case.stages.get().number == 1
    with pytest.raises(TransitionRefused, match="already been triaged"):
        workflow.triage(case, procedure="corporate", reason="again", user=officer)


def test_a_complaint_may_go_straight_to_stage_2(officer):
    case = _complaint(officer, procedure="")
    stage = workflow.triage(
        case, procedure="childrens_statutory", reason="Serious", start_at_stage=2, user=officer
    )
    assert stage.number == 2
    assert stage.response_due == D(2024, 4, 10)  # 25 working days, past Easter


def test_an_enquiry_and_an_information_request_start_their_clocks_at_once(officer):
    enquiry = services.log_case(
        user=officer, kind=Kind.REPRESENTATION, received_on=D(2024, 3, 4), complainant_name="MP"
    )
    assert enquiry.procedure == "representation"
    assert enquiry.stages.get().response_due == D(2024, 3, 18)
    sar = services.log_case(
        user=officer, kind=Kind.INFORMATION_REQUEST, request_type="sar", received_on=D(2024, 1, 31)
    )
    assert sar.stages.get().response_due == D(2024, 2, 29)


def test_acknowledge_records_the_date_and_refuses_nonsense(officer):
    case = _complaint(officer)
    with pytest.raises(TransitionRefused, match="cannot be before the stage was asked for"):
        workflow.acknowledge(case, on=D(2024, 3, 1), user=officer)
    with pytest.raises(TransitionRefused, match="cannot be in the future"):
        workflow.acknowledge(case, on=D(2024, 7, 1), user=officer)
    stage = workflow.acknowledge(case, on=D(2024, 3, 5), user=officer)
    assert stage.acknowledged_on == D(2024, 3, 5)
    with pytest.raises(TransitionRefused, match="already acknowledged on 5 March 2024"):
        workflow.acknowledge(case, on=D(2024, 3, 6), user=officer)


def test_extend_moves_the_due_date_within_the_rules_maximum(officer):
    case = _complaint(officer)
    with pytest.raises(TransitionRefused, match="at most 20 working days in all; 25 is more"):
        workflow.extend(case, extended_to=25, reason="Complex", agreed_on=D(2024, 3, 8))
    with pytest.raises(TransitionRefused, match="Give the reason"):
        workflow.extend(case, extended_to=20, reason=" ", agreed_on=D(2024, 3, 8))
    stage = workflow.extend(
        case, extended_to=20, reason="Complex", agreed_on=D(2024, 3, 8), user=officer
    )
    assert stage.response_due == D(2024, 4, 3)
    assert stage.extensions.get().reason == "Complex"
    event = AuditEvent.objects.get(case_id=case.pk, action="stage.extended")
    assert event.changes == [
        {"field": "stage 1 response due", "old": "2024-03-18", "new": "2024-04-03"}
    ]


def test_suspend_stops_the_clock_and_resume_restarts_it(officer):
    case = _complaint(officer)
    police = term("suspension_reason", "police")
    workflow.suspend(case, reason=police, started_on=D(2024, 3, 8), user=officer)
    stage = case.stages.get()
    assert stage.suspended and stage.response_due is None
    with pytest.raises(TransitionRefused, match="already stopped"):
        workflow.suspend(case, reason=police, started_on=D(2024, 3, 9), user=officer)
    with pytest.raises(TransitionRefused, match="Restart the clock"):
        workflow.respond(case, responded_on=D(2024, 3, 12), findings={}, user=officer)
    with pytest.raises(TransitionRefused, match="cannot restart before it stopped"):
        workflow.resume(case, ended_on=D(2024, 3, 7), user=officer)
    stage = workflow.resume(case, ended_on=D(2024, 3, 13), user=officer)
    assert not stage.suspended and stage.response_due == D(2024, 3, 21)
    with pytest.raises(TransitionRefused, match="is not stopped"):
        workflow.resume(case, ended_on=D(2024, 3, 14), user=officer)


def test_respond_needs_a_finding_for_every_part_and_derives_the_outcome(officer):
    case = _complaint(officer)
    first, second = case.parts.order_by("number")
    with pytest.raises(TransitionRefused, match="Give a finding for part 2"):
        workflow.respond(
            case, responded_on=D(2024, 3, 15), findings={first.pk: Finding.UPHELD}, user=officer
        )
    stage = workflow.respond(
        case,
        responded_on=D(2024, 3, 15),
        findings=_findings(case, Finding.UPHELD, Finding.NOT_UPHELD),
        remedy_apology=True,
        user=officer,
    )
    case.refresh_from_db()
    assert stage.outcome == Finding.PARTIALLY_UPHELD and not stage.outcome_overridden
    assert case.status == Status.CLOSED and case.resolution == Resolution.RESPONDED
    with pytest.raises(TransitionRefused, match="no stage waiting for a response"):
        workflow.respond(case, responded_on=D(2024, 3, 15), findings={}, user=officer)


def test_a_late_response_needs_a_reason(officer):
    case = _complaint(officer)
    findings = _findings(case, Finding.NOT_UPHELD, Finding.NOT_UPHELD)
    with pytest.raises(TransitionRefused, match=r"late \(it was due 18 March 2024\): say why"):
        workflow.respond(case, responded_on=D(2024, 3, 20), findings=findings, user=officer)
    stage = workflow.respond(
        case,
        responded_on=D(2024, 3, 20),
        findings=findings,
        late_reason=term("late_reason", "workload"),
        user=officer,
    )
    assert stage.was_late and stage.late_reason.code == "workload"


def test_overriding_the_outcome_needs_a_reason(officer):
    case = _complaint(officer)
    findings = _findings(case, Finding.NOT_UPHELD, Finding.NOT_UPHELD)
    with pytest.raises(TransitionRefused, match="reason for changing the outcome"):
        workflow.respond(
            case, responded_on=D(2024, 3, 15), findings=findings,
            outcome_override=Finding.PARTIALLY_UPHELD, user=officer,
        )  # fmt: skip
    stage = workflow.respond(
        case, responded_on=D(2024, 3, 15), findings=findings,
        outcome_override=Finding.PARTIALLY_UPHELD, override_reason="Delay found", user=officer,
    )  # fmt: skip
    assert stage.outcome == Finding.PARTIALLY_UPHELD and stage.outcome_overridden


def test_escalation_opens_the_next_stage_and_stops_at_the_last(officer):
    case = _complaint(officer)
    with pytest.raises(TransitionRefused, match="Stage 1 has not been answered yet"):
        workflow.escalate(case, requested_on=D(2024, 3, 20), user=officer)
    workflow.respond(
        case, responded_on=D(2024, 3, 15),
        findings=_findings(case, Finding.NOT_UPHELD, Finding.NOT_UPHELD), user=officer,
    )  # fmt: skip
    case.refresh_from_db()
    assert (case.stage_number, case.stage_responded_on) == (1, D(2024, 3, 15))
    stage2 = workflow.escalate(case, requested_on=D(2024, 3, 20), user=officer)
    case.refresh_from_db()
    assert stage2.number == 2 and case.status == Status.OPEN and case.resolution == ""
    assert (case.stage_number, case.stage_response_due) == (2, D(2024, 4, 26))
    assert stage2.response_due == D(2024, 4, 26)
    workflow.respond(
        case, responded_on=D(2024, 4, 22),
        findings=_findings(case, Finding.NOT_UPHELD, Finding.UPHELD), user=officer,
    )  # fmt: skip
    stage3 = workflow.escalate(case, requested_on=D(2024, 4, 25), user=officer)
    assert stage3.number == 3
    workflow.respond(
        case, responded_on=D(2024, 6, 3),
        findings=_findings(case, Finding.NOT_UPHELD, Finding.UPHELD), user=officer,
    )  # fmt: skip
    with pytest.raises(TransitionRefused, match="Stage 3 is the last stage"):
        workflow.escalate(case, requested_on=D(2024, 6, 4), user=officer)


def test_a_withdrawn_complaint_cannot_be_escalated_until_reopened(officer):
    case = _complaint(officer)
    workflow.withdraw(case, on=D(2024, 3, 6), reason="Resolved informally", user=officer)
    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.resolution == Resolution.WITHDRAWN
    with pytest.raises(TransitionRefused, match="was withdrawn: reopen it first"):
        workflow.escalate(case, requested_on=D(2024, 3, 20), user=officer)
    with pytest.raises(TransitionRefused, match="Give the reason for reopening"):
        workflow.reopen(case, reason="", user=officer)
    workflow.reopen(case, reason="Complainant asked again", user=officer)
    case.refresh_from_db()
    assert case.status == Status.OPEN and case.resolution == ""


def test_other_kinds_cannot_be_escalated(officer):
    compliment = services.log_case(user=officer, kind=Kind.COMPLIMENT, received_on=D(2024, 3, 4))
    with pytest.raises(TransitionRefused, match="Only complaints can be escalated"):
        workflow.escalate(compliment, requested_on=D(2024, 3, 5), user=officer)
    workflow.close(compliment, resolution=Resolution.RESPONDED, on=D(2024, 3, 5), user=officer)
    with pytest.raises(TransitionRefused, match="already closed"):
        workflow.close(compliment, resolution=Resolution.RESPONDED, on=D(2024, 3, 5))


def test_closing_as_refused_needs_a_reason(officer):
    case = _complaint(officer)
    with pytest.raises(TransitionRefused, match="Give the reason"):
        workflow.close(case, resolution=Resolution.REFUSED_OTHER_PROCESS, on=D(2024, 3, 6))
    workflow.close(
        case, resolution=Resolution.REFUSED_OTHER_PROCESS, on=D(2024, 3, 6),
        reason="Court proceedings", user=officer,
    )  # fmt: skip
    assert Case.objects.get(pk=case.pk).resolution == Resolution.REFUSED_OTHER_PROCESS


def test_a_stale_version_is_refused_and_nothing_is_overwritten(officer, personas):
    case = _complaint(officer)
    seen = case.version
    workflow.allocate(case, to=personas["manager"], user=personas["manager"], expected_version=seen)
    with pytest.raises(EditConflict, match="changed by someone else after you opened it"):
        workflow.allocate(case, to=officer, user=officer, expected_version=seen)
    assert Case.objects.get(pk=case.pk).allocated_to == personas["manager"]


def test_possible_duplicates_are_found_by_name_or_email(officer):
    _complaint(officer)
    found = services.possible_duplicates(
        kind=Kind.COMPLAINT, received_on=D(2024, 3, 20), name="sam example"
    )
    assert len(found) == 1
    assert not services.possible_duplicates(
        kind=Kind.COMPLAINT, received_on=D(2024, 6, 20), name="Sam Example"
    )


def test_a_contact_becomes_a_linked_complaint_once(officer):
    contact = services.log_case(
        user=officer, kind=Kind.COMMENT, received_on=D(2024, 3, 1),
        complainant_name="Sam Example", summary="Unhappy with a visit",
    )  # fmt: skip
    complaint = workflow.become_complaint(contact, received_on=D(2024, 3, 11), user=officer)
    contact.refresh_from_db()
    assert complaint.kind == Kind.COMPLAINT and complaint.status == Status.NEW
    assert complaint.linked_case == contact and complaint.complainant_name == "Sam Example"
    assert contact.status == Status.CLOSED
    assert contact.resolution_reason == f"Became complaint {complaint.reference}."
    with pytest.raises(TransitionRefused, match="already become a complaint"):
        workflow.become_complaint(contact, received_on=D(2024, 3, 12), user=officer)


def test_an_ombudsman_case_is_logged_against_its_complaint(client_for, officer):
    from django.urls import reverse

    complaint = _complaint(officer)
    client = client_for("officer")
    data = {
        "kind": "ombudsman", "received_on_0": "20", "received_on_1": "6", "received_on_2": "2024",
        "channel": term("channel", "letter").pk,
    }  # fmt: skip
    missing = client.post(reverse("cases:new-kind", args=["ombudsman"]), data).content.decode()
    assert "Enter the reference of the complaint it is about" in missing
    client.post(
        reverse("cases:new-kind", args=["ombudsman"]),
        {**data, "linked_reference": complaint.reference.lower()},
    )
    lgo = Case.objects.get(kind=Kind.OMBUDSMAN)
    assert lgo.linked_case == complaint and lgo.reference.startswith("LGO-2024-")
    page = client.get(reverse("cases:detail", args=[complaint.reference])).content.decode()
    assert lgo.reference in page
