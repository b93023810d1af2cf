"""The acknowledgement sent automatically when a complaint is logged with an e-mail address:
a council setting, off by default, changed in the administration pages and audited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from heard.audit.models import AuditEvent
from heard.cases import services as cases
from heard.correspondence.models import Correspondence, CorrespondenceSettings
from heard.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _log(officer, **fields):
    fields = {
        "kind": "complaint",
        "received_on": timezone.localdate() - datetime.timedelta(days=1),
        "complainant_name": "Jordan Example",
        "complainant_email": "jordan@example.org",
        "procedure": "childrens_statutory",
        **fields,
    }
    return cases.log_case(user=officer, **fields)


def test_it_is_off_by_default(officer):
    assert CorrespondenceSettings.current().acknowledge_automatically is False
    case = _log(officer)
    assert not OutboxMessage.objects.exists() and not Correspondence.objects.exists()
    assert case.stages.get().acknowledged_on is None


def test_when_on_a_complaint_with_an_e_mail_is_acknowledged_at_once(client_for, officer):
    client = client_for("administrator")
    url = reverse("admin:correspondence_correspondencesettings_change", args=[1])
    CorrespondenceSettings.current()
    response = client.post(url, {"acknowledge_automatically": "on", "acknowledgement_template": ""})
    assert response.status_code == 302
    assert CorrespondenceSettings.current().acknowledge_automatically
    changed = AuditEvent.objects.get(action="admin.changed")
    assert changed.user.username == "administrator" and "settings" in changed.note.lower()

    case = _log(officer)
    sent = OutboxMessage.objects.get()
    assert sent.to == "jordan@example.org" and case.reference in sent.subject
    assert "Dear Jordan Example" in sent.body
    item = Correspondence.objects.get(case=case)
    assert item.template.code == "acknowledgement-email" and item.outbox_message == sent
    stage = case.stages.get()
    assert stage.acknowledged_on == timezone.localdate()
    actions = set(AuditEvent.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert {"correspondence.emailed", "stage.acknowledged"} <= actions


def test_when_on_nothing_is_sent_without_an_address_or_for_other_kinds(officer):
    settings = CorrespondenceSettings.current()
    settings.acknowledge_automatically = True
    settings.save()
    _log(officer, complainant_email="")
    _log(officer, kind="compliment", procedure="")
    assert not OutboxMessage.objects.exists()
    waiting = _log(officer, procedure="")  # waits for triage: sent, the date comes at triage
    assert OutboxMessage.objects.get().to == "jordan@example.org"
    assert not waiting.stages.exists()
