"""Load the default vocabularies that ship with Heard (councils edit them afterwards)."""

from django.db import migrations


def load_defaults(apps, schema_editor):
    from heard.taxonomy.defaults import DEFAULT_TERMS

    Term = apps.get_model("taxonomy", "Term")
    for vocabulary, terms in DEFAULT_TERMS.items():
        for order, (code, label) in enumerate(terms):
            Term.objects.get_or_create(
                vocabulary=vocabulary, code=code, defaults={"label": label, "order": order}
            )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]
    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
