"""Details, stage records, learning and action plans, and documents on a case."""

import datetime
import html
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from heard.audit.models import AuditEvent
from heard.cases import services, workflow
from heard.cases.choices import Finding, Kind
from heard.cases.models import Case, Document
from tests.factories import term

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 5, 14, 12, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def case(officer):
    return services.log_case(
        user=officer, kind=Kind.COMPLAINT, received_on=D(2024, 3, 4),
        channel=term("channel", "email"), complainant_name="Sam Example",
        procedure="childrens_statutory", parts=[{"summary": "Calls not returned"}],
    )  # fmt: skip


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_changing_details_audits_each_field_old_to_new(client_for, case):
    client = client_for("officer")
    url = reverse("cases:edit", args=[case.reference])
    form = client.get(url).content.decode()
    assert 'value="Sam Example"' in form
    data = {
        "version": case.version, **_date("received_on", D(2024, 3, 4)),
        "channel": term("channel", "email").pk, "complainant_name": "Sam Example-Jones",
        "summary": "", "child_consent": "unknown", "complainant_under_18": "true",
    }  # fmt: skip
    response = client.post(url, data, follow=True)
    assert "Details saved." in response.content.decode()
    event = AuditEvent.objects.get(case_id=case.pk, action="case.changed")
    assert {"field": "complainant_name", "old": "Sam Example", "new": "Sam Example-Jones"} in (
        event.changes
    )
    assert Case.objects.get(pk=case.pk).complainant_under_18 is True


def test_changing_the_received_date_moves_the_open_clock(officer, case):
    workflow.update_details(case, changes={"received_on": D(2024, 3, 11)}, user=officer)
    assert case.stages.get().response_due == D(2024, 3, 25)


def test_state_cannot_be_changed_as_a_detail(officer, case):
    with pytest.raises(workflow.TransitionRefused, match="status cannot be changed here"):
        workflow.update_details(case, changes={"status": "closed"}, user=officer)


def test_the_stage_2_investigation_is_recorded_with_fees(client_for, officer, case):
    workflow.respond(
        case, responded_on=D(2024, 3, 15),
        findings={case.parts.get().pk: Finding.NOT_UPHELD}, user=officer,
    )  # fmt: skip
    workflow.escalate(case, requested_on=D(2024, 3, 20), user=officer)
    case.refresh_from_db()
    client = client_for("officer")
    url = reverse("cases:stage", args=[case.reference])
    page = client.get(url).content.decode()
    assert "Investigating Officer" in page and "Panel date" not in page
    client.post(
        url,
        {"version": case.version, "investigating_officer": "A. Investigator",
         "investigating_officer_external": "on", "investigating_officer_fee": "1450.00",
         "independent_person": "B. Person", "independent_person_fee": "600"},
    )  # fmt: skip
    stage = case.stages.get(number=2)
    assert (
        stage.investigating_officer_external and str(stage.investigating_officer_fee) == "1450.00"
    )
    detail = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", detail)))
    assert "Investigating Officer A. Investigator" in text
    assert "Investigating Officer is external Yes" in text
    assert "Investigating Officer's fee £1,450.00" in text
    assert "Stage 2: Independent Person's fee: – → £600.00" in text


def test_learning_with_an_action_plan_is_recorded_and_signed_off(client_for, officer, case):
    client = client_for("officer")
    client.post(
        reverse("cases:learning", args=[case.reference]),
        {"version": case.version, "category": term("learning_category", "process-not-followed").pk,
         "lesson": "Call-backs were not logged", "action": "Log every call-back",
         "owner": "Team manager", **_date("due_on", D(2024, 6, 30)),
         "shared_with_complainant": "on"},
    )  # fmt: skip
    action = case.learning.get().actions.get()
    assert action.shared_with_complainant
    url = reverse("cases:complete-action", args=[case.reference, action.pk])
    refused = client.post(url, {**_date("completed_on", D(2024, 5, 10)), "evidence": ""})
    assert "Enter the evidence that the action was done" in refused.content.decode()
    client.post(url, {**_date("completed_on", D(2024, 5, 10)), "evidence": "New call log"})
    action.refresh_from_db()
    assert action.signed_off_on == D(2024, 5, 14) and action.signed_off_by == officer


def test_upheld_complaints_without_learning_are_listed(client_for, officer, case):
    workflow.respond(
        case, responded_on=D(2024, 3, 15), findings={case.parts.get().pk: Finding.UPHELD},
        user=officer,
    )  # fmt: skip
    client = client_for("manager")
    listed = client.get(reverse("cases:list"), {"view": "no-learning"}).content.decode()
    assert case.reference in listed
    workflow.add_learning(case, category=None, lesson="Return calls", user=officer)
    listed = client.get(reverse("cases:list"), {"view": "no-learning"}).content.decode()
    assert case.reference not in listed


def test_documents_are_checked_stored_privately_and_sent_only_to_who_may_see_the_case(
    client_for, case, personas, settings
):
    client = client_for("officer")
    url = reverse("cases:documents", args=[case.reference])
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf")
    assert "is not really a .pdf file" in client.post(url, {"file": fake}).content.decode()
    exe = SimpleUploadedFile("run.exe", b"MZ")
    assert "must be a PDF, Word document" in client.post(url, {"file": exe}).content.decode()
    big = SimpleUploadedFile("big.txt", b"a" * (10 * 1024 * 1024 + 1))
    assert "smaller than 10 MB" in client.post(url, {"file": big}).content.decode()
    pdf = SimpleUploadedFile("Sam's letter.pdf", b"%PDF-1.7\n...")
    client.post(url, {"file": pdf, "description": "Complaint letter"})
    document = Document.objects.get()
    assert "Sam" not in document.file.name, "stored names carry nothing personal"
    assert str(settings.MEDIA_ROOT) in document.file.path
    download = client.get(reverse("cases:document", args=[case.reference, document.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"%PDF-1.7\n..."
    assert AuditEvent.objects.filter(action="document.viewed", case_id=case.pk).exists()
    outsider = client_for("investigator")  # not allocated to this case
    url = reverse("cases:document", args=[case.reference, document.pk])
    assert outsider.get(url).status_code == 404
