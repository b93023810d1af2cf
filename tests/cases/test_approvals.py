"""Responses that must be approved: the council's settings per procedure and stage, the
complaints team's check, a named senior manager's sign-off, and the refusal to record a
response date without them."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from heard.accounts.roles import Role
from heard.api.models import ApiToken
from heard.audit.models import AuditEvent
from heard.cases import approvals, restriction, services, workflow
from heard.cases.choices import Kind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date
STATUTORY = "childrens_statutory"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 3, 20, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def senior(db):
    """An assistant director: a responding manager named to sign off Stage 1 responses."""
    return UserFactory(username="senior", first_name="Alex", last_name="Director",
                       role=Role.RESPONDING_MANAGER)  # fmt: skip


@pytest.fixture
def rule(personas, senior):
    return approvals.set_rule(
        STATUTORY, 1, team_check=True, sign_off=True, signers=[senior], user=personas["manager"]
    )


@pytest.fixture
def case(personas):
    case = services.log_case(
        user=personas["officer"], kind=Kind.COMPLAINT, received_on=D(2024, 3, 4),
        procedure=STATUTORY, parts=[{"summary": "Calls not returned"}],
        allocated_to=personas["responding_manager"],
    )  # fmt: skip
    case.refresh_from_db()
    return case


def _respond(case, user):
    case.refresh_from_db()
    return workflow.respond(
        case, responded_on=D(2024, 3, 18), findings={p.pk: "upheld" for p in case.parts.all()},
        user=user,
    )  # fmt: skip


def _decide(client, case, step, decision, comment=""):
    return client.post(
        reverse("cases:approval", args=[case.reference, step]),
        {"decision": decision, "comment": comment},
    )


def test_administrators_keep_the_settings(client, personas, senior):
    client.force_login(personas["manager"])
    url = reverse("cases:approval-setting", args=[STATUTORY, 2])
    refused = client.post(url, {"team_check": "on", "sign_off": "on"})
    assert "Choose at least one senior manager who may sign off" in refused.content.decode()
    saved = client.post(url, {"team_check": "on", "sign_off": "on", "signers": [senior.pk]})
    assert saved.status_code == 302
    listing = client.get(reverse("cases:approval-settings")).content.decode()
    assert "a check by the complaints team and sign-off by a senior manager (Alex Director)" in (
        listing
    )
    event = AuditEvent.objects.get(action="approvals.rule_changed")
    assert event.user == personas["manager"]
    assert event.note == "Children's statutory procedure, stage 2"


def test_a_response_date_is_refused_until_checked_and_signed_off(
    client, personas, senior, rule, case
):
    officer = personas["officer"]
    with pytest.raises(approvals.ApprovalRequired) as refused:
        _respond(case, officer)
    assert str(refused.value) == (
        "The Stage 1 response needs a check by the complaints team and sign-off by a senior "
        "manager before its date can be recorded."
    )
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Record the team's check" in page
    assert _decide(client, case, "check", "approved", "Reads well").status_code == 302
    with pytest.raises(approvals.ApprovalRequired, match="needs sign-off by a senior manager"):
        _respond(case, officer)
    client.force_login(senior)  # not allocated: reaches the case because it waits for them
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Sign off the response" in page
    assert _decide(client, case, "sign-off", "approved").status_code == 302
    stage = _respond(case, officer)
    assert stage.responded_on == D(2024, 3, 18)
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    for shown in ("Complaints team check: approved", "Reads well", "Alex Director",
                  "Senior manager&#x27;s sign-off: approved"):  # fmt: skip
        assert shown in page
    actions = list(
        AuditEvent.objects.filter(case_id=case.pk, action__startswith="stage.approval")
        .order_by("at", "id")
        .values_list("action", "user__username")
    )
    assert actions == [
        ("stage.approval.checked", "officer"),
        ("stage.approval.signed_off", "senior"),
    ]


def test_sending_it_back_needs_a_comment_and_starts_again(client, personas, senior, rule, case):
    officer = personas["officer"]
    approvals.record_step(case, step="check", decision="approved", user=officer)
    client.force_login(senior)
    empty = _decide(client, case, "sign-off", "returned")
    assert "Say what needs to change before it can be approved" in empty.content.decode()
    assert _decide(client, case, "sign-off", "returned", "Apologise first").status_code == 302
    state = approvals.approval_of(case.stages.get(), STATUTORY)
    assert state.needed == ["a check by the complaints team", "sign-off by a senior manager"]
    with pytest.raises(approvals.ApprovalRefused, match="must check the response before"):
        approvals.record_step(case, step="sign_off", decision="approved", user=senior)


def test_only_the_right_people_take_each_step(client, personas, senior, rule, case):
    officer, manager = personas["officer"], personas["manager"]
    with pytest.raises(approvals.ApprovalRefused, match="Only the complaints team"):
        approvals.record_step(
            case, step="check", decision="approved", user=personas["responding_manager"]
        )
    approvals.record_step(case, step="check", decision="approved", user=officer)
    with pytest.raises(approvals.ApprovalRefused, match="already checked by"):
        approvals.record_step(case, step="check", decision="approved", user=manager)
    with pytest.raises(approvals.ApprovalRefused, match="Only a senior manager named"):
        approvals.record_step(case, step="sign_off", decision="approved", user=manager)
    approvals.set_rule(
        STATUTORY, 1, team_check=True, sign_off=True, signers=[senior, officer], user=manager
    )
    with pytest.raises(approvals.ApprovalRefused, match="You checked this response"):
        approvals.record_step(case, step="sign_off", decision="approved", user=officer)
    workflow.update_stage(case, changes={"responder": senior}, user=officer)
    with pytest.raises(approvals.ApprovalRefused, match="You are the responder"):
        approvals.record_step(case, step="sign_off", decision="approved", user=senior)
    client.force_login(personas["responding_manager"])
    page = client.get(reverse("cases:approval", args=[case.reference, "check"]))
    assert page.status_code == 403
    assert "Only the complaints team can check a response" in page.content.decode()


def test_the_api_is_refused_the_same_way(client, personas, rule, case):
    _, key = ApiToken.issue(personas["officer"], "tests")
    response = client.post(
        f"/api/v1/cases/{case.reference}/respond",
        {"version": case.version, "responded_on": "2024-03-18",
         "findings": [{"part": 1, "finding": "upheld"}]},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}",
    )  # fmt: skip
    assert response.status_code == 409
    assert "needs a check by the complaints team" in response.json()["error"]["message"]


def test_a_stage_without_a_rule_needs_nothing(personas, rule, case):
    with pytest.raises(approvals.ApprovalRequired):
        _respond(case, personas["officer"])
    approvals.set_rule(
        STATUTORY, 1, team_check=False, sign_off=False, signers=[], user=personas["manager"]
    )
    assert _respond(case, personas["officer"]).responded_on == D(2024, 3, 18)


def test_a_senior_manager_not_named_on_a_restricted_case_cannot_reach_it(
    client, personas, senior, rule, case
):
    restriction.restrict(
        case, people=[personas["responding_manager"]], reason="About the team",
        user=personas["manager"],
    )  # fmt: skip
    client.force_login(senior)
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404


def test_the_response_screen_says_plainly_what_is_missing(client, personas, senior, rule, case):
    client.force_login(personas["officer"])
    part = case.parts.get()
    response = client.post(
        reverse("cases:respond", args=[case.reference]),
        {"version": case.version, "responded_on_0": "18", "responded_on_1": "3",
         "responded_on_2": "2024", f"part_{part.pk}": "upheld"},
    )  # fmt: skip
    assert response.status_code == 200
    assert (
        "The Stage 1 response needs a check by the complaints team and sign-off by a senior "
        "manager before its date can be recorded." in response.content.decode()
    )
    assert case.stages.get().responded_on is None
