"""Create people from the cases already recorded, and link them (the same rules as new cases:
heard/people/matching.py). Cases are read oldest first, so each person keeps the details of
the first case that named them."""

from django.db import migrations

from heard.people import linking


def create_people(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Person = apps.get_model("people", "Person")
    CaseLink = apps.get_model("people", "CaseLink")
    matcher = linking.Matcher()
    linking.learn_known(matcher, Person, CaseLink)
    ids = list(
        Case.objects.exclude(pk__in=CaseLink.objects.values("case_id"))
        .order_by("received_on", "pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        rows = Case.objects.filter(pk__in=chunk).order_by("received_on", "pk")
        linking.link_cases(list(rows.values(*linking.CASE_FIELDS)), Person, CaseLink, matcher)


def remove_people(apps, schema_editor):
    apps.get_model("people", "CaseLink").objects.all().delete()
    apps.get_model("people", "Person").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_people_and_links")]

    operations = [migrations.RunPython(create_people, remove_people)]
