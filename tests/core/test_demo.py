import datetime
import io

import pytest
from django.core.management import call_command

from heard.accounts.models import User
from heard.accounts.roles import Role
from heard.cases.choices import Kind, Resolution, Status
from heard.cases.models import Case, Stage

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 20)


def _load(cases=600, seed=7):
    call_command("demo", cases=cases, seed=seed, today=TODAY, stdout=io.StringIO())


def _fingerprint():
    from heard.reports.models import ContextFigure

    cases = list(
        Case.objects.order_by("reference").values_list(
            "reference", "kind", "received_on", "status", "procedure", "complainant_name",
            "case_study", "case_study_publishable",
        )
    )  # fmt: skip
    figures = list(ContextFigure.objects.order_by("code", "year").values_list("code", "value"))
    return cases, figures


def test_it_gives_context_figures_for_each_year_and_some_case_studies():
    from heard.reports.models import ContextFigure

    _load()
    years = set(ContextFigure.objects.values_list("year", flat=True))
    assert len(years) >= 4
    assert ContextFigure.objects.filter(code="children-in-need", rate_base=True).count() == len(
        years
    )
    assert Case.objects.exclude(case_study="").filter(case_study_publishable=True).exists()


def test_it_builds_a_council_with_staff_for_every_role():
    _load()
    assert {user.role for user in User.objects.all()} == set(Role.values)
    assert User.objects.get(username="officer").check_password("heard-demo-password")


def test_it_makes_cases_of_every_kind_with_plausible_shapes():
    _load(cases=1500)
    kinds = set(Case.objects.values_list("kind", flat=True))
    assert kinds == set(Kind.values)
    complaints = Case.objects.filter(kind=Kind.COMPLAINT)
    stage1_only = complaints.filter(stages__number=1).exclude(stages__number=2).count()
    escalated = complaints.filter(stages__number=2).count()
    assert stage1_only > 5 * escalated > 0, "most complaints close at Stage 1, a few escalate"
    assert Stage.objects.filter(case__kind=Kind.COMPLAINT, number=3).exists()
    late = [s for s in Stage.objects.filter(responded_on__isnull=False) if s.was_late]
    assert late, "some responses are late"
    assert all(s.late_reason_id for s in late), "every late response says why"
    assert Stage.objects.filter(suspensions__isnull=False).exists(), "some clocks were stopped"
    assert Case.objects.filter(resolution=Resolution.WITHDRAWN).exists()
    assert Case.objects.filter(status=Status.OPEN).exists()
    years = {d.year for d in Case.objects.values_list("received_on", flat=True)}
    assert len(years) >= 4
    assert Case.objects.filter(kind=Kind.OMBUDSMAN, linked_case__kind=Kind.COMPLAINT).exists()
    assert set(
        Case.objects.filter(kind=Kind.INFORMATION_REQUEST).values_list("request_type", flat=True)
    ) >= {"sar", "foi"}


def test_it_is_deterministic():
    _load(seed=11)
    first = _fingerprint()
    Case.objects.update(linked_case=None)
    Case.objects.all().delete()
    User.objects.all().delete()
    from heard.reports.models import ContextFigure
    from heard.taxonomy.models import Locality, ServiceArea

    ContextFigure.objects.all().delete()
    Locality.objects.all().delete()
    while ServiceArea.objects.exists():
        ServiceArea.objects.filter(children__isnull=True).delete()
    _load(seed=11)
    assert _fingerprint() == first


def test_it_refuses_to_load_twice_unless_asked_to_skip():
    _load(cases=50)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="already has data"):
        _load(cases=50)
    call_command("demo", if_empty=True, stdout=io.StringIO())
