"""The audit trail's new shape, step 1: the table of held values, the digest and chain columns,
and the security log. The old UPDATE trigger is dropped here so that step 2 can move each
entry's values out; step 3 puts the triggers back (UPDATE, DELETE and TRUNCATE)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def drop_old_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
    elif vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS audit_auditevent_no_update ON audit_auditevent"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_auditevent_refuse_update()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.RunPython(drop_old_trigger, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="digests",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="note_digest",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="entry_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="AuditValue",
            fields=[
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="held",
                        serialize=False,
                        to="audit.auditevent",
                    ),
                ),
                ("case_id", models.BigIntegerField(blank=True, db_index=True, null=True)),
                ("salt", models.CharField(max_length=32)),
                ("changes", models.JSONField(blank=True, default=list)),
                ("note", models.TextField(blank=True)),
            ],
        ),
        migrations.CreateModel(
            name="SecurityEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=100)),
                ("address", models.CharField(max_length=64)),
                ("window", models.DateTimeField(db_index=True)),
                ("first_at", models.DateTimeField()),
                ("last_at", models.DateTimeField()),
                ("count", models.PositiveIntegerField(default=1)),
                ("sample", models.CharField(blank=True, max_length=200)),
            ],
            options={
                "ordering": ["-window", "kind", "address"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "address", "window"),
                        name="audit_securityevent_one_per_window",
                    )
                ],
            },
        ),
    ]
