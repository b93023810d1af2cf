"""The audit trail's new shape, step 2: move each existing entry's values into a held row
(with its own salt), keep their digests in the entry, and chain every entry, oldest first.

The hashing is heard.audit.chain's format 1, which never changes (see that module)."""

from django.db import migrations

from heard.audit import chain

BATCH = 2000


def _content(event):
    return {
        "at": chain.timestamp(event.at),
        "user": event.user_id,
        "actor": event.actor,
        "action": event.action,
        "case_id": event.case_id,
        "case_reference": event.case_reference,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "digests": event.digests,
        "note": event.note_digest,
    }


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditValue = apps.get_model("audit", "AuditValue")
    previous = chain.GENESIS
    events = AuditEvent.objects.order_by("id")
    batch, held = [], []
    for event in events.iterator(chunk_size=BATCH):
        changes = event.changes or []
        event.digests, event.note_digest = [], ""
        if changes or event.note:
            salt = chain.new_salt()
            event.digests, event.note_digest = chain.digests_of(salt, changes, event.note)
            held.append(
                AuditValue(
                    event_id=event.id,
                    case_id=event.case_id,
                    salt=salt,
                    changes=changes,
                    note=event.note,
                )
            )
        event.prev_hash = previous
        event.entry_hash = chain.entry_hash(previous, _content(event))
        previous = event.entry_hash
        batch.append(event)
        if len(batch) >= BATCH:
            AuditEvent.objects.bulk_update(
                batch, ["digests", "note_digest", "prev_hash", "entry_hash"]
            )
            AuditValue.objects.bulk_create(held)
            batch, held = [], []
    AuditEvent.objects.bulk_update(batch, ["digests", "note_digest", "prev_hash", "entry_hash"])
    AuditValue.objects.bulk_create(held)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_audit_values_and_chain_fields")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
