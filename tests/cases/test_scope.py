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


def test_the_ids_of_the_scope_are_exactly_its_cases_for_every_role(personas):
    """``visible_case_ids`` (the search's check on PostgreSQL: a union of id lists read
    through indexes) and ``case_scope`` (the pages': conditions on the case) are two
    shapes of one rule: for every role they hold exactly the same cases, allocated, answered,
    waiting for sign-off, signed off, restricted or not."""
    from heard.accounts.roles import Role
    from heard.cases import approvals, restriction
    from heard.cases.access import visible_case_ids
    from heard.cases.access_models import ApprovalStep
    from heard.cases.models import Case
    from tests.factories import UserFactory

    manager, responder = personas["manager"], personas["responding_manager"]
    senior = UserFactory(username="senior", role=Role.RESPONDING_MANAGER)
    approvals.set_rule(
        "childrens_statutory", 1, team_check=False, sign_off=True, signers=[senior], user=manager
    )
    allocated = CaseFactory(allocated_to=responder)
    answered = StageFactory(case=CaseFactory(), responder=responder).case
    investigated = StageFactory(case=CaseFactory(), number=2, responder=personas["investigator"])
    waiting = StageFactory(case=CaseFactory(), responded_on=None).case
    signed = StageFactory(case=CaseFactory(), responder=senior)
    ApprovalStep.objects.create(stage=signed, step="sign_off", decision="approved", by=responder)
    named = CaseFactory(allocated_to=responder)
    restriction.restrict(named, people=[responder], reason="Staff", user=manager)
    # They signed a stage of it off, then it was restricted to others.
    withheld = StageFactory(case=CaseFactory(), responder=senior)
    ApprovalStep.objects.create(stage=withheld, step="sign_off", decision="approved", by=responder)
    restriction.restrict(withheld.case, people=[manager, senior], reason="Staff", user=manager)
    unrelated = CaseFactory()
    assert {c.pk for c in Case.objects.visible_to(responder)} == {
        allocated.pk, answered.pk, signed.case_id, named.pk
    }  # fmt: skip
    assert waiting in Case.objects.visible_to(senior)
    assert unrelated not in Case.objects.visible_to(senior)
    for user in [*personas.values(), senior]:
        scope = set(Case.objects.visible_to(user).values_list("pk", flat=True))
        assert set(visible_case_ids(user).values_list("pk", flat=True)) == scope, user
    assert investigated.case in Case.objects.visible_to(personas["investigator"])
