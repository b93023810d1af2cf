"""The case history reads as people speak: field labels and values in words, never a code,
a field name or a Python value; runs of "Case viewed" collapse into one line with a count."""

from __future__ import annotations

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse

from tests.full_cases import full_case
from tests.html_forms import submitted

pytestmark = pytest.mark.django_db

SNAKE_CASE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
PYTHON_VALUES = re.compile(
    r"\b(True|False|None)\b|Decimal\(| object \(\d+\)|<|>|\[|\]|\{|\}|\b\d{4}-\d{2}-\d{2}\b"
)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 11, 20, 12, tzinfo=datetime.UTC), tick=False):
        yield


def _history(page: str) -> str:
    table = page.split('<h2 class="govuk-heading-m">History</h2>')[1]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", table)))


def _edit(client, url, **changes):
    data = submitted(client.get(url).content.decode())
    data.update({k: v if isinstance(v, list) else [v] for k, v in changes.items()})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_history_of_a_richly_edited_case_is_in_words(client_for):
    case = full_case("complaint", 2)
    client = client_for("manager")
    ref = case.reference
    _edit(
        client,
        reverse("cases:edit", args=[ref]),
        complainant_under_18="unknown",
        complainant_looked_after="false",
        advocate_accepted="true",
        child_consent="refused",
        anonymous=[],
        received_on_0="5",
    )
    _edit(client, reverse("cases:stage", args=[ref]), investigating_officer_fee="2450")
    learning = case.learning.get()
    _edit(client, reverse("cases:learning-edit", args=[ref, learning.pk]), publishable=[])
    action = learning.actions.order_by("pk").last()
    _edit(
        client,
        reverse("cases:action-edit", args=[ref, action.pk]),
        due_on_0="15",
        evidence="Training booked.",
    )
    for _ in range(3):
        client.get(reverse("cases:detail", args=[ref]))
    history = _history(client.get(reverse("cases:detail", args=[ref])).content.decode())

    assert not SNAKE_CASE.findall(history), SNAKE_CASE.findall(history)
    assert not PYTHON_VALUES.findall(history), PYTHON_VALUES.findall(history)
    assert "Under 18: No → Not known" in history
    assert "Looked-after child: Yes → No" in history
    assert "The child's agreement: Given → Refused" in history
    assert "Stage 2: Investigating Officer's fee: £2,450.50 → £2,450.00" in history
    assert "Date received: 4 March 2024 → 5 March 2024" in history
    assert "Case viewed 4 times" in history
    assert history.count("Case viewed") == 1


def test_views_apart_are_not_collapsed(client_for):
    case = full_case("compliment")
    client = client_for("manager")
    url = reverse("cases:detail", args=[case.reference])
    client.get(url)
    _edit(client, reverse("cases:edit", args=[case.reference]), quote="Thank you.")
    client.get(url)
    history = _history(client.get(url).content.decode())
    assert "Case viewed 2 times" in history
    assert history.count("Case viewed") == 2
    assert "Quote: Sam listened, and things changed. → Thank you." in history
