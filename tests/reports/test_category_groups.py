"""The screen where administrators keep the council's groups of categories: list, add, change
and remove, each audited, with specific errors; and a group kept there counts in the focus
section and in custom tables as one made any other way."""

import datetime
import html

import pytest
from django.urls import reverse

from heard.audit.models import AuditEvent
from heard.cases.choices import Finding, Kind
from heard.reports import annual, custom
from heard.reports.models import CategoryGroup
from heard.reports.sections import focus
from tests.factories import CaseFactory, StageFactory, term

pytestmark = pytest.mark.django_db
D = datetime.date


def _pks(*codes):
    return [str(term("category", code).pk) for code in codes]


@pytest.fixture
def admin(client_for):
    return client_for("administrator")


def _add(client, **data):
    values = {
        "name": "Staff behaviour or communication",
        "code": "staff",
        "categories": _pks("staff-conduct", "communication"),
        "order": "1",
    }
    values |= data
    return client.post(reverse("reports:category-group-add"), values)


def test_an_administrator_adds_a_group_and_sees_it_listed(admin):
    response = _add(admin)
    assert response.status_code == 302
    group = CategoryGroup.objects.get()
    assert (group.name, group.code, group.order) == ("Staff behaviour or communication", "staff", 1)
    assert sorted(group.categories.values_list("code", flat=True)) == [
        "communication",
        "staff-conduct",
    ]
    page = html.unescape(admin.get(reverse("reports:category-groups")).content.decode())
    assert "Staff behaviour or communication" in page
    labels = sorted(
        [term("category", "communication").label, term("category", "staff-conduct").label]
    )
    assert ", ".join(labels) in page
    entry = AuditEvent.objects.get(action="report.category_group.added")
    assert entry.note == "Staff behaviour or communication"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the name of the group"),
        ({"categories": []}, "categories", "Choose at least one category for the group"),
        ({"categories": ["999999"]}, "categories", "Choose categories from the list"),
        ({"code": "Not A Slug"}, "code", "The code must be lower-case letters"),
        ({"order": "-1"}, "order", "The position must be 0 or more"),
    ],
)
def test_a_bad_group_is_refused_with_a_specific_message(admin, data, field, message):
    response = _add(admin, **data)
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert field in response.context["form"].errors
    assert not CategoryGroup.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="report.category_group").exists()


def test_two_groups_cannot_share_a_code_or_a_name(admin):
    _add(admin)
    again = _add(admin, name="Something else")
    assert "There is already a group with the code staff" in html.unescape(again.content.decode())
    same_name = _add(admin, code="other", name="staff behaviour or communication")
    assert "There is already a group called" in html.unescape(same_name.content.decode())
    assert CategoryGroup.objects.count() == 1


def test_changing_a_group_keeps_its_code_and_audits_what_changed(admin):
    _add(admin)
    group = CategoryGroup.objects.get()
    url = reverse("reports:category-group-edit", args=[group.pk])
    assert "staff" in admin.get(url).content.decode()
    response = admin.post(
        url, {"name": "Staff conduct", "categories": _pks("staff-conduct"), "code": "changed"}
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.name, group.code) == ("Staff conduct", "staff")
    assert list(group.categories.values_list("code", flat=True)) == ["staff-conduct"]
    entry = AuditEvent.objects.get(action="report.category_group.changed")
    fields = {change["field"] for change in entry.changes}
    assert fields == {"name", "order", "categories"}


def test_saving_a_group_unchanged_writes_no_audit_entry(admin):
    _add(admin)
    group = CategoryGroup.objects.get()
    admin.post(
        reverse("reports:category-group-edit", args=[group.pk]),
        {"name": group.name, "categories": _pks("staff-conduct", "communication"), "order": "1"},
    )
    assert not AuditEvent.objects.filter(action="report.category_group.changed").exists()


def test_removing_a_group_asks_first_and_is_audited(admin):
    _add(admin)
    group = CategoryGroup.objects.get()
    url = reverse("reports:category-group-delete", args=[group.pk])
    assert "Remove Staff behaviour or communication?" in admin.get(url).content.decode()
    assert CategoryGroup.objects.exists(), "asking changes nothing"
    assert admin.post(url).status_code == 302
    assert not CategoryGroup.objects.exists()
    assert term("category", "communication").pk  # the categories stay
    entry = AuditEvent.objects.get(action="report.category_group.removed")
    assert entry.note == "Staff behaviour or communication"


def test_the_reports_home_links_to_the_groups_for_administrators_only(client_for):
    link = reverse("reports:category-groups")
    assert link in client_for("administrator").get(reverse("reports:home")).content.decode()
    assert link not in client_for("officer").get(reverse("reports:home")).content.decode()


def test_a_group_kept_on_the_screen_counts_in_the_focus_section_and_custom_tables(admin):
    _add(admin)
    for codes, outcome in ((["staff-conduct", "communication"], Finding.UPHELD),
                           (["communication"], Finding.NOT_UPHELD),
                           (["delay"], Finding.UPHELD)):  # fmt: skip
        case = CaseFactory(kind=Kind.COMPLAINT, received_on=D(2023, 6, 1))
        case.categories.set([term("category", code) for code in codes])
        StageFactory(case=case, responded_on=D(2023, 6, 20), outcome=outcome)
    in_group = sum(
        1
        for case in CaseFactory._meta.model.objects.filter(kind=Kind.COMPLAINT)
        if {"staff-conduct", "communication"} & set(case.categories.values_list("code", flat=True))
    )
    table = annual.build(2023, sections=[focus]).table("focus.category_groups")
    assert table.row("staff").cells["2023"] == in_group
    assert table.row("staff").cells["2023-upheld"] == 1
    spec = custom.TableSpec(measure="cases", rows="category_group", year=2023,
                            filters={"kind": ["complaint"]})  # fmt: skip
    assert custom.build(spec).cell("staff", "2023") == in_group
