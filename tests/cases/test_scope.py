import pytest
from django.urls import reverse

from tests.factories import CaseFactory, StageFactory

pytestmark = pytest.mark.django_db


def test_a_responding_manager_sees_only_cases_allocated_to_them(client, personas):
    mine = CaseFactory(allocated_to=personas["responding_manager"])
    other = CaseFactory()
    client.force_login(personas["responding_manager"])
    listing = client.get(reverse("cases:list")).content.decode()
    assert mine.reference in listing and other.reference not in listing
    assert client.get(reverse("cases:detail", args=[other.reference])).status_code == 404


def test_an_investigator_sees_the_case_of_a_stage_they_answer(client, personas):
    case = CaseFactory()
    StageFactory(case=case, number=2, responder=personas["investigator"])
    client.force_login(personas["investigator"])
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 200


def test_an_officer_sees_every_case(client, personas):
    cases = [CaseFactory(), CaseFactory()]
    client.force_login(personas["officer"])
    listing = client.get(reverse("cases:list")).content.decode()
    assert all(case.reference in listing for case in cases)


def test_a_viewer_sees_no_personal_data(client, personas):
    case = CaseFactory(complainant_name="Jordan Example")
    client.force_login(personas["viewer"])
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 403
    home = client.get(reverse("core:home")).content.decode()
    assert "Jordan Example" not in home and case.reference not in home
