import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from heard.audit import services as audit
from heard.audit.models import ERASED, AuditEvent, AuditTrailIsAppendOnly, AuditValue
from heard.audit.verify import verify
from heard.cases import services
from heard.cases.choices import Kind

pytestmark = pytest.mark.django_db


def _case(user):
    return services.create_case(
        user=user,
        kind=Kind.COMPLAINT,
        received_on=datetime.date(2024, 5, 1),
        complainant_name="Jordan Example",
        summary="Calls not returned",
    )


def _sql(statement, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


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


def test_the_entry_itself_holds_no_personal_value(officer):
    case = _case(officer)
    event = AuditEvent.objects.get(case_id=case.pk, action="case.created")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent WHERE id = %s", [event.pk])
        row = " ".join(str(value) for value in cursor.fetchone())
    assert "Jordan Example" not in row and "Calls not returned" not in row
    assert "complainant_name" in row  # that it changed, and a digest
    assert AuditValue.objects.get(event=event).case_id == case.pk


def test_the_trail_cannot_be_changed_or_deleted_through_the_orm(officer):
    case = _case(officer)
    event = AuditEvent.objects.get(case_id=case.pk)
    event.actor = "tampered"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(actor="tampered")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    held = AuditValue.objects.get(event=event)
    held.note = "tampered"
    with pytest.raises(AuditTrailIsAppendOnly):
        held.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditValue.objects.filter(pk=held.pk).update(note="tampered")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET actor = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
        "UPDATE audit_auditvalue SET note = 'x' WHERE event_id = %s",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_entry(officer, statement):
    case = _case(officer)
    event = AuditEvent.objects.get(case_id=case.pk)
    with pytest.raises(DatabaseError, match="append-only|only erased"):
        _sql(statement, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, actor="").exists()


def test_postgresql_refuses_to_truncate_the_trail(officer):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite's DELETE is refused above")
    _case(officer)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the test's pending rows first
        cursor.execute("TRUNCATE audit_auditevent CASCADE")


def test_the_chain_verifies_and_links_every_entry(officer):
    for _ in range(3):
        _case(officer)
    events = list(AuditEvent.objects.order_by("id"))
    assert len(events) >= 3
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.entry_hash
    result = verify()
    assert result.intact and result.entries == len(events)
    assert result.head == events[-1].entry_hash


def _tamper(statement, params):
    """What someone with the database's owner rights could do: lift the guard, change a row."""
    from heard.audit import guards

    with transaction.atomic():
        guards.drop(connection)
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
        guards.create(connection)


def test_verify_finds_a_changed_entry(officer):
    case = _case(officer)
    audit.record("case.viewed", user=officer, case=case)
    changed = AuditEvent.objects.filter(case_id=case.pk).order_by("id").first()
    _tamper("UPDATE audit_auditevent SET actor = 'someone else' WHERE id = %s", [changed.pk])
    result = verify()
    assert [p.entry_id for p in result.problems] == [changed.pk]
    assert "does not match its hash" in result.problems[0].message
    with pytest.raises(CommandError, match=f"first at entry {changed.pk}"):
        call_command("audit", "verify")


def test_verify_finds_a_removed_entry(officer):
    case = _case(officer)
    for _ in range(3):
        audit.record("case.viewed", user=officer, case=case)
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [ids[-2]])
    problems = verify().problems
    assert [p.entry_id for p in problems] == [ids[-1]]
    assert f"does not follow entry {ids[-3]}" in problems[0].message


def test_verify_finds_a_changed_held_value(officer):
    case = _case(officer)
    event = AuditEvent.objects.get(case_id=case.pk, action="case.created")
    _tamper(
        "UPDATE audit_auditvalue SET note = 'rewritten' WHERE event_id = %s",
        [event.pk],
    )
    assert [p.entry_id for p in verify().problems] == [event.pk]


def test_erasing_a_cases_values_keeps_the_chain_whole(client, officer):
    case = _case(officer)
    other = _case(officer)
    audit.record("case.viewed", user=officer, case=case)
    erased = audit.erase_case_values(case.pk, case_reference=case.reference, actor="retention")
    assert erased >= 1
    assert not AuditValue.objects.filter(case_id=case.pk).exists()
    assert AuditValue.objects.filter(case_id=other.pk).exists()
    result = verify()
    assert result.intact, result.problems
    created = AuditEvent.objects.get(case_id=case.pk, action="case.created")
    assert created.values_erased
    assert {c["new"] for c in created.changes} == {ERASED}
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Jordan Example" not in page.split("History")[-1]
    assert ERASED in page.split("History")[-1]  # the page says what was there, not its value
    assert "Personal values in the audit trail erased" in page


def test_the_command_reports_an_intact_trail(officer, capsys):
    _case(officer)
    call_command("audit", "verify")
    assert "The audit trail is intact" in capsys.readouterr().out


def test_bulk_writers_chain_their_entries(officer):
    audit.record("case.viewed", user=officer)
    audit.record_many(
        audit.Entry(action="case.created", actor="import", case_id=n, note="Imported.")
        for n in range(1, 2500)
    )
    audit.record("case.viewed", user=officer)
    result = verify()
    assert result.intact and result.entries == 2501


def test_viewing_a_case_is_logged_and_shown_in_its_history(client, officer):
    case = _case(officer)
    client.force_login(officer)
    client.get(reverse("cases:detail", args=[case.reference]))
    response = client.get(reverse("cases:detail", args=[case.reference]))
    assert AuditEvent.objects.filter(case_id=case.pk, action="case.viewed").count() == 2
    page = response.content.decode()
    assert "Case viewed" in page and "Case logged" in page
    assert "Jordan Example" in page.split("History")[-1]  # values shown while they exist


def test_the_history_reads_values_in_one_query(officer, django_assert_max_num_queries):
    from heard.cases.presenters import history

    case = _case(officer)
    for _ in range(5):
        audit.record("case.changed", user=officer, case=case, changes=[{"field": "x", "new": 1}])
    with django_assert_max_num_queries(1):
        shown = history(case)
    assert len(shown) == 6 and shown[0]["changes"]


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
