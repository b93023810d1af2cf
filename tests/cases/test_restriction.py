"""Restricted cases: only the people named reach them, by every path Heard has, and reports
still count them without printing anything from them.

The people: the complaints manager restricts the case to themselves and ``officer2``; the
officer, the administrator and a second complaints manager are not named. ``plain`` is an
ordinary case beside it, so every list is shown to have something in it.
"""

import csv
import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from heard.accounts.roles import Role
from heard.api.models import ApiToken
from heard.audit.models import AuditEvent
from heard.cases import restriction, services, workflow
from heard.cases.choices import Kind
from heard.cases.models import Case
from heard.notifications import reminders
from heard.notifications.models import OutboxMessage
from heard.timescales import WorkingCalendar
from tests.factories import UserFactory, term

pytestmark = pytest.mark.django_db
D = datetime.date
CAL = WorkingCalendar()
NAME = "Robin Complainant"
CASE_STUDY = "A parent told us a member of the team was rude and we changed how we train staff"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 5, 20, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def people(personas):
    officer2 = UserFactory(username="officer2", role=Role.OFFICER, email="o2@council.example")
    manager2 = UserFactory(username="manager2", role=Role.MANAGER, email="m2@council.example")
    for persona in personas.values():
        persona.email = f"{persona.username}@council.example"
        persona.save()
    return {**personas, "officer2": officer2, "manager2": manager2}


def _complaint(people, **fields):
    case = services.log_case(
        user=people["officer"], kind=Kind.COMPLAINT, received_on=D(2024, 5, 1),
        procedure="childrens_statutory", complainant_name=NAME,
        parts=[{"summary": "Rude on the telephone"}], **fields,
    )  # fmt: skip
    case.refresh_from_db()
    return case


@pytest.fixture
def plain(people):
    return _complaint(people, allocated_to=people["officer"])


@pytest.fixture
def secret(people):
    """Overdue (due 16 May 2024), allocated to officer2, restricted by the manager."""
    case = _complaint(people, allocated_to=people["officer2"])
    workflow.update_details(
        case, changes={"case_study": CASE_STUDY, "case_study_publishable": True}
    )
    restriction.restrict(
        case,
        people=[people["officer2"]],
        reason="About a member of the complaints team",
        user=people["manager"],
    )
    case.refresh_from_db()
    return case


OUTSIDERS = ["officer", "administrator", "manager2"]
INSIDERS = ["manager", "officer2"]


def _signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", OUTSIDERS + INSIDERS)
def test_pages_trackers_and_downloads_leave_it_out_for_everyone_not_named(
    client, people, plain, secret, who
):
    client = _signed_in(client, people[who])
    named = who in INSIDERS
    page = client.get(reverse("cases:detail", args=[secret.reference]))
    assert page.status_code == (200 if named else 404)
    for view in ("open", "overdue", "all"):
        listing = client.get(reverse("cases:list"), {"view": view}).content.decode()
        assert plain.reference in listing
        assert (secret.reference in listing) == named
    rows = list(csv.reader(io.StringIO(client.get(reverse("cases:list"), {"format": "csv"}).text)))
    references = [row[0] for row in rows[1:]]
    assert plain.reference in references and (secret.reference in references) == named
    book = load_workbook(
        io.BytesIO(client.get(reverse("cases:list"), {"format": "xlsx"}).content),
        read_only=True,
    )
    references = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert plain.reference in references and (secret.reference in references) == named


@pytest.mark.parametrize("who", OUTSIDERS + INSIDERS)
def test_dashboard_counts_leave_it_out_for_everyone_not_named(client, people, plain, secret, who):
    home = _signed_in(client, people[who]).get(reverse("core:home"))
    named = who in INSIDERS
    if "team" in home.context:
        tiles = {tile["label"]: tile["count"] for tile in home.context["team"]["tiles"]}
        assert tiles["Open cases"] == (2 if named else 1)
        assert tiles["Overdue"] == (2 if named else 1)
    work = {tile["label"]: tile["count"] for tile in home.context["work"]["tiles"]}
    mine = {"officer": 1, "officer2": 1}.get(who, 0)
    assert work["Open cases allocated to you"] == mine
    assert (secret.reference in home.content.decode()) == (who == "officer2")


@pytest.mark.parametrize("who", OUTSIDERS + INSIDERS)
def test_the_api_leaves_it_out_for_everyone_not_named(client, people, plain, secret, who):
    _, key = ApiToken.issue(people[who], "tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    listed = [item["reference"] for item in client.get("/api/v1/cases").json()["items"]]
    named = who in INSIDERS
    assert plain.reference in listed and (secret.reference in listed) == named
    assert client.get(f"/api/v1/cases/{secret.reference}").status_code == (200 if named else 404)


def test_heard_export_leaves_it_out_unless_asked_or_for_someone_named(
    people, plain, secret, tmp_path, capsys
):
    def exported(*args):
        out = tmp_path / "cases.json"
        call_command("export", "-o", str(out), *args)
        return [case["reference"] for case in json.loads(out.read_text())["cases"]]

    everything = exported()
    assert plain.reference in everything and secret.reference not in everything
    assert "1 restricted case(s) left out" in capsys.readouterr().err
    assert secret.reference in exported("--include-restricted")
    assert secret.reference not in exported("--as", "officer")
    assert plain.reference in exported("--as", "officer")
    assert secret.reference in exported("--as", "officer2")


def test_reminders_go_only_to_someone_named(people, plain, secret):
    reminders.queue_reminders(D(2024, 5, 20), CAL)
    sent = {(m.to, m.subject) for m in OutboxMessage.objects.all()}
    assert ("o2@council.example", f"Deadline missed: {secret.reference}") in sent
    # Were officer2 ever left off the restriction while allocated, no reminder would name it.
    OutboxMessage.objects.all().delete()
    secret.restriction.people.remove(people["officer2"])
    reminders.queue_reminders(D(2024, 5, 20), CAL)
    assert not OutboxMessage.objects.filter(subject__contains=secret.reference).exists()
    assert OutboxMessage.objects.filter(subject__contains=plain.reference).exists()


def test_the_digest_counts_and_lists_it_only_for_managers_named(people, plain, secret):
    reminders.queue_weekly_digest(D(2024, 5, 20), CAL)
    named = OutboxMessage.objects.get(to="manager@council.example").body
    other = OutboxMessage.objects.get(to="m2@council.example").body
    assert secret.reference in named and "Overdue: 2" in named
    assert secret.reference not in other and "Overdue: 1" in other
    assert plain.reference in other


def test_reports_count_it_but_never_print_it(client, people, plain, secret):
    from heard.reports import editions
    from heard.reports.presenters import case_study_choices
    from heard.reports.render import json as report_json

    def annual():
        return report_json.data(editions.annual_report(2024, publication=False))

    restricted = annual()
    assert CASE_STUDY not in json.dumps(restricted)
    assert secret.reference not in json.dumps(restricted)
    draft = editions.create_edition("annual", 2024, people["manager"])
    assert [case_id for case_id, _ in case_study_choices(draft)] == []
    restriction.lift(secret, reason="Investigation finished", user=people["manager"])
    lifted = annual()
    assert CASE_STUDY in json.dumps(lifted)
    assert [case_id for case_id, _ in case_study_choices(draft)] == [secret.pk]

    def figures(report):
        """Every figure, less the words of the case studies."""
        return [s for s in report["sections"] if s["id"] != "case_studies"]

    assert figures(restricted) == figures(lifted)


@pytest.mark.parametrize("who", OUTSIDERS + INSIDERS)
def test_nothing_points_to_it_for_someone_not_named(client, people, secret, who):
    """The duplicate warning when logging a case, and a link from another case (on its page
    and in the API), name the restricted case only to the people named."""
    ombudsman = services.log_case(
        user=people["manager"], kind=Kind.OMBUDSMAN, received_on=D(2024, 5, 2),
        linked_case=secret,
    )  # fmt: skip
    named = who in INSIDERS
    warned = services.possible_duplicates(
        kind=Kind.COMPLAINT, received_on=D(2024, 5, 20), name=NAME, user=people[who]
    )
    assert (secret in warned) == named
    client = _signed_in(client, people[who])
    page = client.get(reverse("cases:detail", args=[ombudsman.reference])).content.decode()
    assert (secret.reference in page) == named
    _, key = ApiToken.issue(people[who], "tests")
    record = client.get(
        f"/api/v1/cases/{ombudsman.reference}", HTTP_AUTHORIZATION=f"Bearer {key}"
    ).json()
    assert record["linked_reference"] == (secret.reference if named else None)


def test_restricting_is_for_complaints_managers_with_a_reason_and_is_audited(people, plain):
    with pytest.raises(restriction.RestrictionRefused, match="Only a complaints manager"):
        restriction.restrict(plain, people=[], reason="x", user=people["officer"])
    with pytest.raises(restriction.RestrictionRefused, match="Give the reason"):
        restriction.restrict(plain, people=[], reason=" ", user=people["manager"])
    with pytest.raises(restriction.RestrictionRefused, match="is allocated this case"):
        restriction.restrict(plain, people=[], reason="About Tom", user=people["manager"])
    with pytest.raises(restriction.RestrictionRefused, match="cannot read cases"):
        restriction.restrict(
            plain, people=[people["officer"], people["viewer"]], reason="x", user=people["manager"]
        )
    restriction.restrict(
        plain, people=[people["officer"]], reason="About Sam", user=people["manager"]
    )
    event = AuditEvent.objects.get(action="case.restricted", case_id=plain.pk)
    assert event.user == people["manager"] and event.note == "About Sam"
    assert sorted(event.changes[0]["new"]) == sorted(
        [str(people["manager"]), str(people["officer"])]
    )
    with pytest.raises(restriction.RestrictionRefused, match="not one of the people"):
        workflow.allocate(plain, to=people["officer2"], user=people["manager"])
    restriction.lift(plain, reason="Done", user=people["manager"])
    assert AuditEvent.objects.filter(action="case.unrestricted", case_id=plain.pk).exists()
    workflow.allocate(plain, to=people["officer2"], user=people["manager"])


def test_a_manager_restricts_and_lifts_a_case_on_its_page(client, people, plain):
    client = _signed_in(client, people["manager"])
    page = client.get(reverse("cases:detail", args=[plain.reference])).content.decode()
    assert "Restrict this case to named people" in page
    url = reverse("cases:restrict", args=[plain.reference])
    refused = client.post(url, {"people": [people["officer"].pk]})
    assert "Enter the reason" in refused.content.decode()
    done = client.post(url, {"people": [people["officer"].pk], "reason": "About the team"})
    assert done.status_code == 302
    page = client.get(reverse("cases:detail", args=[plain.reference])).content.decode()
    assert "Restricted: only" in page and "About the team" in page
    _signed_in(client, people["officer2"])
    assert client.get(reverse("cases:detail", args=[plain.reference])).status_code == 404
    _signed_in(client, people["manager"])
    lifted = client.post(url, {"lift": "on", "reason": "Finished"})
    assert lifted.status_code == 302
    _signed_in(client, people["officer2"])
    assert client.get(reverse("cases:detail", args=[plain.reference])).status_code == 200


def test_the_admin_site_shows_no_trace_of_it_to_an_administrator_not_named(
    client, people, plain, secret
):
    reminders.queue_reminders(D(2024, 5, 20), CAL)
    client = _signed_in(client, people["administrator"])
    trail = client.get("/admin/audit/auditevent/").content.decode()
    outbox = client.get("/admin/notifications/outboxmessage/").content.decode()
    assert plain.reference in trail and secret.reference not in trail
    assert plain.reference in outbox and secret.reference not in outbox


@pytest.mark.parametrize("who", ["officer", "officer2"])
def test_a_new_case_links_to_it_only_for_someone_named(client, people, secret, who):
    client = _signed_in(client, people[who])
    response = client.post(
        reverse("cases:new-kind", args=["ombudsman"]),
        {"kind": "ombudsman", "received_on_0": "2", "received_on_1": "5",
         "received_on_2": "2024", "channel": term("channel", "email").pk,
         "linked_reference": secret.reference},
    )  # fmt: skip
    if who == "officer":
        assert f"There is no case {secret.reference}" in response.content.decode()
    else:
        assert response.status_code == 302  # logged, linked to the restricted complaint


def _export_restricted(tmp_path) -> tuple:
    out = tmp_path / "cases.json"
    call_command("export", "-o", str(out), "--include-restricted", stderr=io.StringIO())
    return out, json.loads(out.read_text())


def _delete_cases():
    Case.objects.update(linked_case=None)
    Case.objects.all().delete()


def test_export_then_import_keeps_a_restricted_case_restricted(
    client, people, plain, secret, tmp_path
):
    out, document = _export_restricted(tmp_path)
    carried = {case["reference"]: case["restriction"] for case in document["cases"]}
    assert carried[plain.reference] is None
    assert carried[secret.reference]["people"] == ["manager", "officer2"]
    assert carried[secret.reference]["reason"] == "About a member of the complaints team"
    assert carried[secret.reference]["restricted_by"] == "manager"
    _delete_cases()
    call_command("import", str(out), stdout=io.StringIO())
    # Reached as before: by the people named, by nobody else, whatever their role.
    for who in OUTSIDERS + INSIDERS:
        page = _signed_in(client, people[who]).get(reverse("cases:detail", args=[secret.reference]))
        assert page.status_code == (200 if who in INSIDERS else 404), who
    imported = restriction.restriction_of(Case.objects.get(reference=secret.reference))
    assert imported.reason == "About a member of the complaints team"
    assert imported.restricted_by == people["manager"]
    assert imported.restricted_at.isoformat() == carried[secret.reference]["restricted_at"]
    event = AuditEvent.objects.filter(action="case.restricted").latest("pk")
    assert event.case_reference == secret.reference
    # Exported again, the restriction reads exactly as it did.
    again = {c["reference"]: c["restriction"] for c in _export_restricted(tmp_path)[1]["cases"]}
    assert again == carried


@pytest.mark.parametrize("create_missing", [False, True])
def test_an_import_naming_an_unknown_person_in_a_restriction_is_refused_plainly(
    people, secret, tmp_path, create_missing
):
    from django.core.management.base import CommandError

    from heard.accounts.models import User

    out, document = _export_restricted(tmp_path)
    (record,) = [c for c in document["cases"] if c["reference"] == secret.reference]
    record["restriction"]["people"].append("nobody-here")
    out.write_text(json.dumps(document))
    _delete_cases()
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(out), create_missing=create_missing, stderr=err)
    messages = err.getvalue().splitlines()
    assert any(
        "restriction.people: no Heard user 'nobody-here'" in m
        and "restricted only to people who already have an account" in m
        for m in messages
    ), messages
    assert not User.objects.filter(username="nobody-here").exists()
    assert not Case.objects.exists()


def test_an_import_of_a_restricted_case_allocated_to_someone_not_named_is_refused(
    people, secret, tmp_path
):
    from heard.exchange.importer import ImportFailed, import_records

    _, document = _export_restricted(tmp_path)
    (record,) = [c for c in document["cases"] if c["reference"] == secret.reference]
    record["allocated_to"] = "officer"
    _delete_cases()
    with pytest.raises(ImportFailed) as refused:
        import_records([("case 1", record)])
    assert any(
        "allocated to officer, who is not one of the people it is restricted to" in str(p)
        for p in refused.value.problems
    )


def test_the_api_shows_the_restriction_to_someone_named_and_a_put_cannot_lift_it(
    client, people, secret
):
    _, key = ApiToken.issue(people["manager"], "tests")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    url = f"/api/v1/cases/{secret.reference}"
    record = client.get(url).json()
    assert record["restriction"]["people"] == ["manager", "officer2"]
    unchanged = client.put(url, record, content_type="application/json")
    assert unchanged.status_code == 200, unchanged.json()
    record["restriction"] = None
    refused = client.put(url, record, content_type="application/json")
    assert refused.status_code == 409
    assert "restriction cannot be changed here" in refused.json()["error"]["message"]
    assert restriction.restriction_of(Case.objects.get(pk=secret.pk)) is not None
