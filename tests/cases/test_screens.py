"""The casework screens: logging a case, each action through its form, trackers and exports."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from heard.cases import services, workflow
from heard.cases.choices import Finding, Kind, Status
from heard.cases.models import Case
from tests.factories import term

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 3, 14, 12, tzinfo=datetime.UTC), tick=False):
        yield


def _log(client, **extra):
    data = {
        "kind": "complaint",
        "received_on_0": "4",
        "received_on_1": "3",
        "received_on_2": "2024",
        "channel": term("channel", "telephone").pk,
        "complainant_name": "Alex Parent",
        "summary": "My calls were not returned.",
        "parts": "Calls not returned\nWrong information given",
        "procedure": "childrens_statutory",
        **extra,
    }
    return client.post(reverse("cases:new-kind", args=[data["kind"]]), data)


def _complaint(officer):
    return services.log_case(
        user=officer,
        kind=Kind.COMPLAINT,
        received_on=D(2024, 3, 4),
        complainant_name="Sam Example",
        procedure="childrens_statutory",
        parts=[{"summary": "Point one"}, {"summary": "Point two"}],
    )


def test_an_officer_logs_a_complaint_from_one_form(client_for):
    client = client_for("officer")
    response = _log(client)
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.reference])
    assert case.status == Status.OPEN
    assert [p.summary for p in case.parts.order_by("number")] == [
        "Calls not returned",
        "Wrong information given",
    ]
    page = client.get(response["Location"]).content.decode()
    assert "response due Monday 18 March 2024, 2 working days left" in page


def test_the_form_explains_what_is_missing(client_for):
    response = client_for("officer").post(
        reverse("cases:new-kind", args=["information_request"]), {}
    )
    html = response.content.decode()
    assert "Enter the date it was received" in html
    assert "Choose the kind of information request" in html
    assert not Case.objects.exists()


def test_a_likely_duplicate_is_warned_before_it_is_logged(client_for):
    client = client_for("officer")
    _log(client)
    warned = _log(client)
    assert warned.status_code == 200
    assert "This may be a case already logged" in warned.content.decode()
    assert Case.objects.count() == 1
    _log(client, log_anyway="on")
    assert Case.objects.count() == 2


def test_acknowledging_through_the_screen(client_for, officer):
    case = _complaint(officer)
    client = client_for("officer")
    url = reverse("cases:action", args=[case.reference, "acknowledge"])
    response = client.post(
        url, {"version": case.version, "on_0": "5", "on_1": "3", "on_2": "2024"}, follow=True
    )
    assert "Acknowledgement recorded." in response.content.decode()
    assert case.stages.get().acknowledged_on == D(2024, 3, 5)


def test_a_refused_transition_is_explained_on_the_form(client_for, officer):
    case = _complaint(officer)
    url = reverse("cases:action", args=[case.reference, "extend"])
    response = client_for("officer").post(
        url,
        {
            "version": case.version,
            "extended_to": "30",
            "agreed_on_0": "8",
            "agreed_on_1": "3",
            "agreed_on_2": "2024",
            "reason": "Complex",
        },
    )
    html = response.content.decode()
    assert "can be extended to at most 20 working days in all" in html
    assert 'class="govuk-error-summary"' in html
    assert not case.stages.get().extensions.exists()


def test_a_second_officer_saving_an_old_page_gets_a_conflict_and_nothing_is_overwritten(
    client_for, officer, personas
):
    case = _complaint(officer)
    seen = case.version
    workflow.allocate(case, to=personas["manager"], user=personas["manager"], expected_version=seen)
    response = client_for("officer").post(
        reverse("cases:action", args=[case.reference, "allocate"]),
        {"version": seen, "to": officer.pk},
    )
    assert "was changed by someone else after you opened it" in response.content.decode()
    assert Case.objects.get(pk=case.pk).allocated_to == personas["manager"]


def test_responding_with_findings_per_part_through_the_screen(client_for, officer):
    case = _complaint(officer)
    first, second = case.parts.order_by("number")
    client = client_for("officer")
    url = reverse("cases:respond", args=[case.reference])
    form = client.get(url).content.decode()
    assert "Part 1: Point one" in form and "Part 2: Point two" in form
    missing = client.post(
        url,
        {"version": case.version, "responded_on_0": "13", "responded_on_1": "3",
         "responded_on_2": "2024", f"part_{first.pk}": Finding.UPHELD},
    )  # fmt: skip
    assert "Choose a finding for part 2" in missing.content.decode()
    client.post(
        url,
        {"version": case.version, "responded_on_0": "13", "responded_on_1": "3",
         "responded_on_2": "2024", f"part_{first.pk}": Finding.UPHELD,
         f"part_{second.pk}": Finding.NOT_UPHELD},
    )  # fmt: skip
    stage = case.stages.get()
    assert stage.outcome == Finding.PARTIALLY_UPHELD
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Escalate to the next stage" in page


def test_a_responding_manager_may_respond_but_not_run_other_actions(client_for, officer, personas):
    case = _complaint(officer)
    workflow.allocate(case, to=personas["responding_manager"], user=officer)
    client = client_for("responding_manager")
    assert client.get(reverse("cases:respond", args=[case.reference])).status_code == 200
    url = reverse("cases:action", args=[case.reference, "close"])
    assert client.get(url).status_code == 403


def test_trackers_filter_by_view_and_export(client_for, officer):
    due_soon = _complaint(officer)  # due 18 March, within 5 working days of 14 March
    with time_machine.travel(datetime.datetime(2024, 2, 1, 12, tzinfo=datetime.UTC)):
        overdue = services.log_case(
            user=officer, kind=Kind.COMPLAINT, received_on=D(2024, 2, 1),
            procedure="childrens_statutory", parts=[{"summary": "x"}],
        )  # fmt: skip
    client = client_for("officer")
    listing = client.get(reverse("cases:list"), {"view": "due-soon"}).content.decode()
    assert due_soon.reference in listing and overdue.reference not in listing
    listing = client.get(reverse("cases:list"), {"view": "overdue"}).content.decode()
    assert overdue.reference in listing and due_soon.reference not in listing

    exported = client.get(reverse("cases:list"), {"view": "open", "format": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[0][:3] == ["Reference", "Kind", "Status"]
    assert {r[0] for r in rows[1:]} == {due_soon.reference, overdue.reference}
    assert "Sam Example" not in exported.content.decode(), "no personal details in exports"

    workbook = client.get(reverse("cases:list"), {"view": "overdue", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Reference" and values[1][0] == overdue.reference
    assert values[1][7].date() == D(2024, 2, 15)


def test_the_tracker_runs_a_fixed_number_of_queries(
    client_for, officer, django_assert_max_num_queries
):
    client = client_for("officer")
    for _ in range(3):
        _complaint(officer)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("cases:list"))
    for _ in range(30):
        _complaint(officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("cases:list"))


def test_the_case_page_runs_a_fixed_number_of_queries(
    client_for, officer, django_assert_max_num_queries
):
    client = client_for("officer")
    small = _complaint(officer)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("cases:detail", args=[small.reference]))
    big = services.log_case(
        user=officer, kind=Kind.COMPLAINT, received_on=D(2024, 3, 4),
        procedure="childrens_statutory", parts=[{"summary": f"Point {n}"} for n in range(12)],
    )  # fmt: skip
    workflow.respond(
        big, responded_on=D(2024, 3, 8),
        findings={p.pk: Finding.UPHELD for p in big.parts.all()}, user=officer,
    )  # fmt: skip
    workflow.escalate(big, requested_on=D(2024, 3, 11), user=officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("cases:detail", args=[big.reference]))


def test_the_manager_sees_the_teams_work_by_team_and_officer(
    client_for, officer, personas, django_assert_max_num_queries
):
    case = _complaint(officer)
    workflow.allocate(case, to=officer, user=officer)
    client = client_for("manager")
    # (one of them loads the device that verified the manager's second factor)
    with django_assert_max_num_queries(18):
        page = client.get(reverse("core:home")).content.decode()
    assert "Open cases by team" in page and "Open cases by officer" in page
    assert f"?view=open&amp;officer={officer.pk}" in page
    assert (
        "Open cases by team" not in client_for("officer").get(reverse("core:home")).content.decode()
    )


def test_the_managers_home_page_costs_the_same_queries_for_any_number_of_teams_and_officers(
    client_for, officer, personas, django_assert_max_num_queries
):
    from heard.accounts.roles import Role
    from heard.taxonomy.models import ServiceArea
    from tests.factories import UserFactory

    workflow.allocate(_complaint(officer), to=officer, user=officer)
    client = client_for("manager")
    client.get(reverse("core:home"))
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("core:home"))
    for n in range(6):
        team = ServiceArea.objects.create(name=f"Team {n}", code=f"team-{n}", level="team")
        someone = UserFactory(username=f"officer-{n}", role=Role.OFFICER)
        case = _complaint(officer)
        Case.objects.filter(pk=case.pk).update(service_area=team)
        workflow.allocate(case, to=someone, user=officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("core:home")).content.decode()
    assert all(f"Team {n}" in page for n in range(6))


def _post_action(client, case, action, data):
    url = reverse("cases:action", args=[case.reference, action])
    return client.post(url, {"version": Case.objects.get(pk=case.pk).version, **data}, follow=True)


def _day(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_every_action_works_through_its_form(client_for, officer):
    client = client_for("officer")
    new = services.log_case(
        user=officer, kind=Kind.COMPLAINT, received_on=D(2024, 3, 4), parts=[{"summary": "x"}]
    )
    page = _post_action(
        client, new, "triage",
        {"procedure": "corporate", "start_at_stage": "1", "reason": "Not social care"},
    )  # fmt: skip
    assert "Procedure decided and the first stage opened." in page.content.decode()
    police = term("suspension_reason", "police").pk
    page = _post_action(
        client, new, "suspend", {"reason": police, **_day("started_on", D(2024, 3, 6))}
    )
    assert "Clock stopped." in page.content.decode()
    assert "the clock is stopped" in page.content.decode()
    page = _post_action(client, new, "resume", _day("ended_on", D(2024, 3, 8)))
    assert "Clock restarted." in page.content.decode()
    page = _post_action(
        client, new, "withdraw", {**_day("on", D(2024, 3, 11)), "reason": "Resolved by phone"}
    )
    assert "Case withdrawn." in page.content.decode()
    page = _post_action(client, new, "reopen", {"reason": "Asked again"})
    assert "Case reopened." in page.content.decode()
    page = _post_action(
        client, new, "close",
        {"resolution": "resolved_adr", **_day("on", D(2024, 3, 12)), "reason": "Mediation"},
    )  # fmt: skip
    assert "Case closed." in page.content.decode()
    assert Case.objects.get(pk=new.pk).resolution == "resolved_adr"

    contact = services.log_case(user=officer, kind=Kind.COMMENT, received_on=D(2024, 3, 1))
    page = _post_action(client, contact, "become-complaint", _day("received_on", D(2024, 3, 5)))
    assert "A complaint was logged, linked to this contact." in page.content.decode()
    assert Case.objects.filter(kind=Kind.COMPLAINT, linked_case=contact).exists()


def test_an_action_that_makes_no_sense_is_refused_on_screen(client_for, officer):
    case = _complaint(officer)
    page = _post_action(
        client_for("officer"), case, "escalate", _day("requested_on", D(2024, 3, 12))
    )
    assert "Stage 1 has not been answered yet." in page.content.decode()
    assert case.stages.count() == 1


def test_the_tracker_says_when_a_clock_is_stopped(client_for, officer):
    case = _complaint(officer)
    workflow.suspend(
        case, reason=term("suspension_reason", "court"), started_on=D(2024, 3, 6), user=officer
    )
    listing = client_for("officer").get(reverse("cases:list")).content.decode()
    row = listing[listing.index(case.reference) :]
    assert "Clock stopped" in row[: row.index("</tr>")]
