"""A subject access export: everything Heard holds about a person, in one zip archive, and
nothing about anyone else."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from heard.audit.models import AuditEvent
from heard.people.models import CaseLink
from tests.factories import CaseFactory
from tests.retention.helpers import dress

pytestmark = pytest.mark.django_db


@pytest.fixture
def subject(personas):
    manager = personas["manager"]
    mine = CaseFactory(complainant_name="Sabrina Subjectwell", summary="Sabrina's summary text")
    dress(mine, tag="Sartagq", user=manager)
    other = CaseFactory(complainant_name="Otto Otherwell", summary="Otto's own summary")
    dress(other, tag="Othtagq", user=manager)
    return CaseLink.objects.get(case=mine, role="complainant").person, mine


def _archive(client, person) -> dict[str, str]:
    url = reverse("retention:person-export", kwargs={"pk": person.pk})
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}


def test_the_archive_holds_something_from_every_source_and_nothing_of_anyone_else(
    client_for, subject
):
    person, case = subject
    files = _archive(client_for("manager"), person)
    everything = "\n".join(f"{name}\n{text}" for name, text in files.items())
    distinctive = {
        "the person record": "Sartagq Cottage",
        "the case record": "Sabrina's summary text",
        "a note in the contact log": "Sartagq Grandparent rang about the visits.",
        "an e-mail sent": "Dear Sartagq Parent, we are looking into it.",
        "an e-mail received": "Here is more about Sartagq, my child.",
        "an e-mail's attachment": "Attached notes of Sartagq household",
        "a document's file": "Statement by Sartagq Parent",
        "a document's description": "Signed statement Sartagq",
        "the contact arrangement": "Sartagq calls every hour",
        "what the online form recorded": "Sartagq Helper",
        "the audit trail": "Claim by Sartagq expected",
    }
    missing = {source: value for source, value in distinctive.items() if value not in everything}
    assert missing == {}
    assert "person.changed" in files["audit.json"]
    for unrelated in ("Othtagq", "Otto Otherwell", "Otto's own summary"):
        assert unrelated not in everything
    assert case.reference in files["README.txt"]


def test_the_export_is_audited(client_for, subject):
    person, case = subject
    _archive(client_for("manager"), person)
    assert AuditEvent.objects.filter(
        action="person.subject_access_exported", object_id=str(person.pk)
    ).exists()
    assert AuditEvent.objects.filter(
        action="case.subject_access_exported", case_id=case.pk
    ).exists()


def test_only_managers_and_administrators_may_export(client_for, subject):
    person, _ = subject
    url = reverse("retention:person-export", kwargs={"pk": person.pk})
    assert client_for("officer").post(url).status_code == 403
