"""The audit trail's new shape, step 3: entries no longer hold values; each link is unique (no
two entries can follow the same one); and the database refuses UPDATE and DELETE of an entry
(and TRUNCATE on PostgreSQL) and UPDATE of held values (heard/audit/guards.py)."""

from django.db import migrations, models

from heard.audit import guards


def refuse_changes(apps, schema_editor):
    guards.create(schema_editor.connection)


def allow_changes(apps, schema_editor):
    guards.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_move_values_apart_and_chain_entries")]

    operations = [
        migrations.RemoveField(model_name="auditevent", name="changes"),
        migrations.RemoveField(model_name="auditevent", name="note"),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="entry_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
        migrations.RunPython(refuse_changes, allow_changes),
    ]
