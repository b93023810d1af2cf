"""Independent stages: whoever answered Stage 1 stays out of Stage 2 and Stage 3, and only the
complaints team chooses who responds. The rules live in the workflow, so they are tested here
as the screens, the API and the importer meet them."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from heard.cases import independence, services, workflow
from heard.cases.choices import Kind
from heard.cases.models import Stage
from heard.exchange.export import case_record, selected_cases
from heard.exchange.importer import ImportFailed, import_records

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 3, 20, 9, tzinfo=datetime.UTC), tick=False):
        yield


def _answered_by(personas, answerer, *, recorded_by=None):
    """A complaint whose Stage 1 ``answerer`` answered (recorded by ``recorded_by``, or by
    themselves), escalated to Stage 2."""
    officer = personas["officer"]
    case = services.log_case(
        user=officer, kind=Kind.COMPLAINT, received_on=D(2024, 3, 4),
        procedure="childrens_statutory", parts=[{"summary": "Calls not returned"}],
        allocated_to=answerer,
    )  # fmt: skip
    if recorded_by is None:
        workflow.update_stage(case, changes={"responder": answerer}, user=officer)
    workflow.respond(
        case, responded_on=D(2024, 3, 13), findings={p.pk: "upheld" for p in case.parts.all()},
        user=recorded_by or answerer,
    )  # fmt: skip
    workflow.escalate(case, requested_on=D(2024, 3, 14), user=officer)
    case.refresh_from_db()
    return case


def _findings(case):
    return {p.pk: "not-upheld" for p in case.parts.all()}


def test_whoever_answered_stage_one_cannot_record_or_change_stage_two(personas):
    manager = personas["responding_manager"]
    case = _answered_by(personas, manager)
    with pytest.raises(independence.NotIndependent, match="You answered Stage 1 of CMP-"):
        workflow.respond(case, responded_on=D(2024, 3, 19), findings=_findings(case), user=manager)
    with pytest.raises(independence.NotIndependent, match="change the details at Stage 2"):
        workflow.update_stage(case, changes={"adjudication": "Upheld"}, user=manager)
    stage = case.stages.get(number=2)
    assert stage.responded_on is None and stage.adjudication == ""
    workflow.respond(
        case, responded_on=D(2024, 3, 19), findings=_findings(case), user=personas["officer"]
    )


def test_only_the_complaints_team_chooses_who_responds(personas):
    manager = personas["responding_manager"]
    case = services.log_case(
        user=personas["officer"], kind=Kind.COMPLAINT, received_on=D(2024, 3, 4),
        procedure="childrens_statutory", parts=[{"summary": "Calls"}], allocated_to=manager,
    )  # fmt: skip
    with pytest.raises(independence.AllocationRefused, match="Only the complaints team"):
        workflow.allocate(case, to=personas["investigator"], user=manager)
    with pytest.raises(independence.AllocationRefused, match="Only the complaints team"):
        workflow.update_stage(case, changes={"responder": personas["investigator"]}, user=manager)
    case.refresh_from_db()
    assert case.allocated_to == manager and case.stages.get().responder is None
    workflow.update_stage(
        case, changes={"responder": personas["investigator"]}, user=personas["officer"]
    )


def test_a_complaints_manager_who_answered_stage_one_cannot_choose_who_answers_later(personas):
    manager = personas["manager"]
    case = _answered_by(personas, manager)
    with pytest.raises(independence.NotIndependent, match="cannot change who responds"):
        workflow.allocate(case, to=personas["officer"], user=manager)
    with pytest.raises(independence.NotIndependent):
        workflow.update_stage(case, changes={"responder": personas["investigator"]}, user=manager)
    officer = personas["officer"]
    with pytest.raises(independence.NotIndependent, match="cannot respond to Stage 2"):
        workflow.update_stage(case, changes={"responder": manager}, user=officer)
    workflow.update_stage(case, changes={"responder": personas["investigator"]}, user=officer)


def test_the_officer_who_keys_in_a_response_is_not_its_author(personas):
    """An officer recording the Stage 1 response on a manager's behalf stays free to run
    Stage 2; a responding manager recording their own response is its author, responder
    named or not."""
    officer = personas["officer"]
    keyed = _answered_by(personas, personas["responding_manager"], recorded_by=officer)
    assert independence.stage_one_answerers(keyed) == set()
    workflow.update_stage(keyed, changes={"adjudication": "Upheld"}, user=officer)
    own = services.log_case(
        user=officer, kind=Kind.COMPLAINT, received_on=D(2024, 3, 4),
        procedure="childrens_statutory", parts=[{"summary": "Calls"}],
        allocated_to=personas["responding_manager"],
    )  # fmt: skip
    workflow.respond(
        own, responded_on=D(2024, 3, 13), findings={p.pk: "upheld" for p in own.parts.all()},
        user=personas["responding_manager"],
    )  # fmt: skip
    assert independence.stage_one_answerers(own) == {personas["responding_manager"].pk}


def test_the_importer_refuses_a_later_stage_answered_by_the_stage_one_responder(personas):
    case = _answered_by(personas, personas["responding_manager"])
    workflow.update_stage(
        case, changes={"responder": personas["investigator"]}, user=personas["officer"]
    )
    record = case_record(selected_cases().get(pk=case.pk))
    record["reference"] = "CMP-2024-09999"
    record["stages"][1]["responder"] = "responding_manager"
    with pytest.raises(ImportFailed) as failed:
        import_records([("case 1", record)])
    assert "responding_manager answered Stage 1, so cannot respond to Stage 2" in str(
        failed.value.problems
    )
    record["stages"][1]["responder"] = "investigator"
    assert import_records([("case 1", record)]).created == 1


def test_the_case_page_offers_the_stage_one_responder_nothing_at_stage_two(client, personas):
    manager = personas["responding_manager"]
    case = _answered_by(personas, manager)
    client.force_login(manager)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Record the response" not in page and "Stage 2 details" not in page
    assert "You answered Stage 1, so the Stage 2 investigation" in page
    refused = client.post(
        reverse("cases:respond", args=[case.reference]),
        {"version": case.version, "responded_on_0": "19", "responded_on_1": "3",
         "responded_on_2": "2024"},
    )  # fmt: skip
    assert refused.status_code == 403
    assert "You answered Stage 1" in refused.content.decode()
    assert Stage.objects.get(case=case, number=2).responded_on is None
    client.force_login(personas["officer"])
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Record the response" in page and "Stage 2 details" in page


def test_what_stage_two_decided_is_shown_to_the_stage_one_responder_once_sent(client, personas):
    manager = personas["responding_manager"]
    case = _answered_by(personas, manager)
    officer = personas["officer"]
    workflow.update_stage(case, changes={"independent_person": "Pat Independent"}, user=officer)
    client.force_login(manager)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Pat Independent" not in page
    workflow.respond(case, responded_on=D(2024, 3, 19), findings=_findings(case), user=officer)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Pat Independent" in page
