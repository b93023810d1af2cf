import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.urls import reverse

from heard.audit import services as audit
from heard.audit.models import AuditEvent, AuditTrailIsAppendOnly
from heard.cases import services
from heard.cases.choices import Kind

pytestmark = pytest.mark.django_db


def _case(user):
    import datetime

    return services.create_case(
        user=user,
        kind=Kind.COMPLAINT,
        received_on=datetime.date(2024, 5, 1),
        complainant_name="Jordan Example",
        summary="Calls not returned",
    )


def test_creating_a_case_records_who_and_what(officer):
    case = _case(officer)
    event = AuditEvent.objects.get(case_id=case.pk, action="case.created")
    assert event.user == officer
    fields = {change["field"]: change["new"] for change in event.changes}
    assert fields["complainant_name"] == "Jordan Example"
    assert fields["reference"] == case.reference


def test_a_change_records_old_and_new_values(officer):
    case = _case(officer)
    before = audit.snapshot(case)
    case.summary = "Calls and e-mails not returned"
    after = audit.snapshot(case)
    audit.record("case.changed", user=officer, case=case, changes=audit.diff(before, after))
    event = AuditEvent.objects.get(case_id=case.pk, action="case.changed")
    assert event.changes == [
        {"field": "summary", "old": "Calls not returned", "new": "Calls and e-mails not returned"}
    ]


def test_the_trail_cannot_be_changed_or_deleted_through_the_orm(officer):
    case = _case(officer)
    event = AuditEvent.objects.get(case_id=case.pk)
    event.note = "tampered"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(note="tampered")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_an_update(officer):
    case = _case(officer)
    event = AuditEvent.objects.get(case_id=case.pk)
    with (
        pytest.raises((IntegrityError, InternalError), match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET note = 'x' WHERE id = %s", [event.pk])


def test_viewing_a_case_is_logged_and_shown_in_its_history(client, officer):
    case = _case(officer)
    client.force_login(officer)
    client.get(reverse("cases:detail", args=[case.reference]))
    response = client.get(reverse("cases:detail", args=[case.reference]))
    assert AuditEvent.objects.filter(case_id=case.pk, action="case.viewed").count() == 2
    page = response.content.decode()
    assert "Case viewed" in page and "Case logged" in page


def test_the_admin_shows_the_trail_read_only(client, personas):
    case = _case(personas["officer"])
    event = AuditEvent.objects.filter(case_id=case.pk).first()
    client.force_login(personas["administrator"])
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    page = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
