"""The letters and e-mails Heard ships with (councils edit them afterwards)."""

from django.db import migrations


def load_defaults(apps, schema_editor):
    from heard.correspondence.defaults import default_templates

    Template = apps.get_model("correspondence", "Template")
    for fields in default_templates():
        Template.objects.get_or_create(code=fields.pop("code"), defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("correspondence", "0001_letters_emails_and_templates")]
    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
