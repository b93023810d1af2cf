"""Add the "Waiting for an advocate" reason for stopping a clock to councils that have the
default vocabulary already (new databases get it from 0002)."""

from django.db import migrations


def add_reason(apps, schema_editor):
    Term = apps.get_model("taxonomy", "Term")
    last = Term.objects.filter(vocabulary="suspension_reason").order_by("-order").first()
    Term.objects.get_or_create(
        vocabulary="suspension_reason",
        code="advocate",
        defaults={"label": "Waiting for an advocate", "order": (last.order + 1) if last else 0},
    )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0003_service_area_public_names")]
    operations = [migrations.RunPython(add_reason, migrations.RunPython.noop)]
