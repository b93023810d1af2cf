"""Fill the new postcode field of cases already recorded from the last UK postcode in their
address (the address itself is left as it is), so that old and new cases read the same."""

import re

from django.db import migrations

_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)


def fill_postcodes(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    cases = Case.objects.filter(complainant_postcode="").exclude(complainant_address="")
    batch = []
    for case in cases.only("id", "complainant_address").iterator(chunk_size=2000):
        found = _POSTCODE.findall(case.complainant_address)
        if not found:
            continue
        outward, inward = found[-1]
        case.complainant_postcode = f"{outward.upper()} {inward.upper()}"
        batch.append(case)
        if len(batch) >= 2000:
            Case.objects.bulk_update(batch, ["complainant_postcode"])
            batch = []
    Case.objects.bulk_update(batch, ["complainant_postcode"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_complainant_postcode_staff_complained_about_equality")]

    operations = [migrations.RunPython(fill_postcodes, migrations.RunPython.noop)]
