"""Everything recorded is shown: for a fully filled case of every kind, every recorded value
of the case, its stages, parts, findings, extensions, suspensions, learning and actions appears
on the case page, as people say it (1 March 2024, £2,450.50, Yes and No)."""

from __future__ import annotations

import datetime
import html
import re

import pytest
import time_machine
from django.urls import reverse

from heard.cases.labels import label, say
from heard.cases.models import Case, Stage
from heard.cases.presenters import CASE_SHOWN_ELSEWHERE, STAGE_SHOWN_ELSEWHERE
from tests.full_cases import SHAPES, full_case, shape_id

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2024, 11, 20, 12, tzinfo=datetime.UTC), tick=False):
        yield


def _text(page: str) -> str:
    """The page's text as a reader sees it, without the history (which repeats values as they
    were recorded, so would hide a value missing from the page itself): tags removed,
    entities decoded, spaces collapsed."""
    page = page.split('<h2 class="govuk-heading-m">History</h2>')[0]
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<br\s*/?>", "\n", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _expected(obj, skip=frozenset(), labelled=False) -> dict[str, str]:
    """Every recorded value of a row, as it should be displayed, by field name; ``labelled``
    for rows shown as "label value" (the case's and stages' details)."""
    found = {}
    for field in obj._meta.concrete_fields:
        if field.name in skip:
            continue
        value = getattr(obj, field.name)
        if value is None or value == "" or (value is False and not field.null):
            continue
        if value is True and not field.null:
            shown = "Yes"
        elif field.name == "extended_to":
            shown = f"{value} working days in all"
        elif field.name == "service_area":
            shown = " › ".join(str(area) for area in value.lineage())
        else:
            shown = _plain(say(str(value) if field.is_relation else value, field.name))
        found[field.name] = f"{label(field.name)} {shown}" if labelled else shown
    for m2m in obj._meta.many_to_many:
        for item in getattr(obj, m2m.name).all():
            found[f"{m2m.name}:{item.pk}"] = str(item)
    return found


@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_every_recorded_value_appears_on_the_case_page(client_for, shape):
    case = full_case(*shape)
    case = Case.objects.get(pk=case.pk)
    page = _text(
        client_for("manager").get(reverse("cases:detail", args=[case.reference])).content.decode()
    )
    expected = {f"case.{k}": v for k, v in _expected(case, CASE_SHOWN_ELSEWHERE, True).items()}
    for stage in Stage.objects.filter(case=case):
        values = _expected(stage, STAGE_SHOWN_ELSEWHERE, True)
        expected.update({f"stage {stage.number}.{k}": v for k, v in values.items()})
        for extension in stage.extensions.all():
            expected[f"stage {stage.number} extension"] = extension.reason
        for suspension in stage.suspensions.all():
            expected[f"stage {stage.number} suspension"] = suspension.note
            expected[f"stage {stage.number} suspension reason"] = str(suspension.reason)
        for finding in stage.findings.all():
            expected[f"stage {stage.number} part {finding.part.number}"] = (
                finding.get_finding_display()
            )
    for part in case.parts.all():
        expected[f"part {part.number}"] = part.summary
        if part.category:
            expected[f"part {part.number} category"] = str(part.category)
    for item in case.learning.all():
        expected.update({f"learning.{k}": v for k, v in _expected(item, {"id", "case"}).items()})
        for action in item.actions.all():
            values = _expected(action, {"id", "learning"})
            expected.update({f"action {action.pk}.{k}": v for k, v in values.items()})
    if case.kind == "ombudsman":
        expected["linked case"] = case.linked_case.reference
    missing = {name: value for name, value in expected.items() if value not in page}
    assert not missing, missing


def test_a_subject_access_request_says_how_identification_moved_the_due_date(client_for):
    case = full_case("information_request", 1)
    page = _text(
        client_for("manager").get(reverse("cases:detail", args=[case.reference])).content.decode()
    )
    stage = case.stages.get()
    assert f"the response is due {say(stage.response_due)} rather than" in page


def test_money_is_shown_in_pounds_with_pence_and_thousands(client_for):
    case = full_case("complaint", 2)
    page = _text(
        client_for("manager").get(reverse("cases:detail", args=[case.reference])).content.decode()
    )
    assert "£2,450.50" in page and "£975.25" in page and "£1,250.00" in page


@pytest.mark.parametrize("shape", SHAPES, ids=shape_id)
def test_the_edit_forms_label_fields_as_people_say_them(client_for, shape):
    case = full_case(*shape)
    client = client_for("manager")
    for name in ("cases:edit", "cases:stage"):
        page = client.get(reverse(name, args=[case.reference]))
        if page.status_code == 404:
            continue
        labels = re.findall(r"<(?:label|legend)[^>]*>([^<]+)<", page.content.decode())
        assert labels
        wrong = [t for t in labels if "_" in t or "Lgsco" in t or re.search(r"\bMp\b", t)]
        assert not wrong, wrong
