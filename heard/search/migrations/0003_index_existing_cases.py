"""Index the cases already recorded (after people are linked, whose dates of birth it holds)."""

from django.db import migrations


def index_existing(apps, schema_editor):
    # The index builder reads the current models; at this point they match the tables.
    from heard.search.documents import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_engine_indexes"),
        ("people", "0002_people_from_existing_cases"),
    ]

    operations = [migrations.RunPython(index_existing, migrations.RunPython.noop)]
