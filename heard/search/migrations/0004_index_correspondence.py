"""Index the letters, e-mails and contact-log entries already on cases (correspondence became
a source of the index): the cases that have any are indexed again."""

from django.db import migrations


def index_cases_with_correspondence(apps, schema_editor):
    # The index builder reads the current models; at this point they match the tables.
    from heard.search.documents import index_cases

    Correspondence = apps.get_model("correspondence", "Correspondence")
    ids = Correspondence.objects.filter(case__isnull=False).values_list("case_id", flat=True)
    index_cases(set(ids), batch=5000)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_index_existing_cases"),
        ("correspondence", "0004_incoming_email_sender_person"),
    ]

    operations = [migrations.RunPython(index_cases_with_correspondence, migrations.RunPython.noop)]
