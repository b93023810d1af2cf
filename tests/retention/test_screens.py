"""The retention screens through HTTP: the schedule, legal holds on the case page, and the
review list's refusals."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from heard.audit.models import AuditEvent
from heard.cases import workflow
from heard.retention import schedule
from heard.retention.models import LegalHold, RetentionRule, Review
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_the_schedule_shows_the_defaults_and_saves_a_period(client_for):
    client = client_for("administrator")
    page = client.get(reverse("retention:schedule")).content.decode()
    assert page.count(f">{schedule.DEFAULT_YEARS}<") >= 6  # one row per kind
    response = client.post(
        reverse("retention:schedule"),
        {"kind": "complaint", "procedure": "corporate", "outcome": "upheld", "years": "10"},
    )
    assert response.status_code == 302
    rule = RetentionRule.objects.get(kind="complaint", procedure="corporate", outcome="upheld")
    assert rule.years == 10
    assert AuditEvent.objects.filter(action="retention.rule_set", object_id=str(rule.pk)).exists()
    client.post(reverse("retention:schedule"), {"childrens": "1"})
    assert RetentionRule.objects.get(procedure="childrens_statutory").years == 25


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"years": "6"}, "Choose the kind of case"),
        ({"kind": "complaint"}, "Enter the number of years after closure"),
        ({"kind": "complaint", "years": "six"}, "Enter the number of years as a whole number"),
        ({"kind": "complaint", "years": "0"}, "Enter a number of years from 1 to 150"),
        ({"kind": "complaint", "years": "151"}, "Enter a number of years from 1 to 150"),
    ],
)
def test_the_schedule_says_what_is_wrong(client_for, data, message):
    response = client_for("manager").post(reverse("retention:schedule"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RetentionRule.objects.exists()


def test_the_most_specific_rule_applies():
    RetentionRule.objects.create(kind="complaint", years=6)
    RetentionRule.objects.create(kind="complaint", procedure="childrens_statutory", years=25)
    RetentionRule.objects.create(
        kind="complaint", procedure="childrens_statutory", outcome="upheld", years=40
    )
    found = schedule.Schedule()
    assert found.rule_for("complaint", "corporate", "upheld").years == 6
    assert found.rule_for("complaint", "childrens_statutory", "not-upheld").years == 25
    assert found.rule_for("complaint", "childrens_statutory", "upheld").years == 40
    assert found.rule_for("compliment", "", "").years == schedule.DEFAULT_YEARS


def test_a_kinds_own_rule_cannot_be_removed(client_for):
    own = RetentionRule.objects.create(kind="comment", years=3)
    narrower = RetentionRule.objects.create(kind="comment", outcome="upheld", years=4)
    client = client_for("manager")
    client.post(reverse("retention:remove-rule", kwargs={"pk": own.pk}))
    client.post(reverse("retention:remove-rule", kwargs={"pk": narrower.pk}))
    assert list(RetentionRule.objects.values_list("pk", flat=True)) == [own.pk]


def test_a_legal_hold_is_placed_shown_and_lifted_with_reasons(client_for):
    case = CaseFactory()
    client = client_for("manager")
    url = reverse("retention:hold", kwargs={"reference": case.reference})
    assert "Enter the reason" in client.post(url, {"reason": " "}).content.decode()
    assert client.post(url, {"reason": "Claim expected from the family"}).status_code == 302
    page = client.get(reverse("cases:detail", kwargs={"reference": case.reference}))
    assert "Legal hold" in page.content.decode()
    assert "Claim expected from the family" in page.content.decode()
    assert client.post(url, {"reason": "Claim settled"}).status_code == 302
    hold = LegalHold.objects.get(case=case)
    assert hold.lifted_at is not None and hold.lift_reason == "Claim settled"
    actions = list(
        AuditEvent.objects.filter(case_id=case.pk, action__startswith="retention.hold")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["retention.hold_placed", "retention.hold_lifted"]
    page = client.get(reverse("cases:detail", kwargs={"reference": case.reference}))
    assert "Legal hold:" not in page.content.decode()


def test_approving_nothing_or_an_unlisted_case_is_refused(client_for):
    with time_machine.travel(datetime.datetime(2024, 1, 10, tzinfo=datetime.UTC)):
        case = workflow.close(
            CaseFactory(kind="compliment", procedure="", received_on=datetime.date(2024, 1, 2)),
            resolution="responded",
            on=datetime.date(2024, 1, 2),
        )
    with time_machine.travel(datetime.datetime(2031, 1, 10, tzinfo=datetime.UTC)):
        from heard.retention.services import list_due

        assert list_due() == 1
        review = Review.objects.get(case=case)
        client = client_for("manager")
        url = reverse("retention:reviews")
        assert "Choose at least one case" in client.post(url, {}).content.decode()
        refused = client.post(url, {"reviews": [review.pk + 1000]}).content.decode()
        assert "Choose only cases listed as due for review" in refused
        assert Review.objects.get(pk=review.pk).status == Review.Status.DUE
