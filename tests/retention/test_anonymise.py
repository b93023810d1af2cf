"""Anonymising cases at the end of their retention period: nothing personal left anywhere,
past reports unchanged, the audit trail still whole."""

from __future__ import annotations

import datetime
import io
import json
import tempfile

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from heard.cases import workflow
from heard.cases.models import Case
from heard.retention import anonymise as anonymiser
from heard.retention import services as retention
from heard.retention.models import Review
from tests.factories import CaseFactory
from tests.full_cases import SHAPES, _all_details, _answer, full_case
from tests.retention.helpers import database_text, dress, stored_text, where

D = datetime.date
CLOSED = D(2024, 11, 10)
LATER = datetime.datetime(2031, 1, 6, 9, 0, tzinfo=datetime.UTC)

#: Personal text the fully filled cases hold (beside the tag each case is dressed with).
FULL_CASE_PERSONAL = [
    "Alex Parent", "alex.parent@example.org", "01234 567890", "1 High Street", "Casey Child",
    "Councillor Rep", "Sunny Homes Ltd", "Sam Worker and Pat Carer", "23 012 345",
    "The social worker did not return calls", "An apology,\nand a new plan.",
    "Apologise and pay £250.", "Ivy Investigator", "Ian Independent", "P. Panel",
    "Review the plan.\nTrain the team.", "The council accepts", "Complex: several teams",
    "Police enquiry.", "The manager was away.", "Put the plan right.",
    "Calls were not returned", "The plan was changed", "Set up a call-back rota.",
    "Write the call-back procedure", "Team manager, Family Support West",
    "Procedure v2 issued.", "Answered in full, Alex.",
]  # fmt: skip


def _report(year: int) -> dict:
    """The annual report as ``heard report annual --format json`` writes it."""
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/report.json"
        call_command(
            "report", "annual", "--year", str(year), "--format", "json", "-o", path,
            stdout=io.StringIO(),
        )  # fmt: skip
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)


def _close(case, user) -> Case:
    stage = case.stages.filter(responded_on__isnull=True).order_by("-number").first()
    if stage is not None:
        _answer(case, stage, user, D(2024, 11, 1))
        case.refresh_from_db()
    if not case.is_open:  # answering the last stage closed it
        return case
    return workflow.close(
        case, resolution="responded", on=CLOSED, reason="Answered in full, Alex.", user=user
    )


def _facts(case: Case) -> dict:
    """What reports count, which anonymisation keeps."""
    return {
        "kind": case.kind, "procedure": case.procedure, "status": case.status,
        "received_on": case.received_on, "closed_on": case.closed_on,
        "team": case.service_area_id, "locality": case.locality_id,
        "categories": sorted(case.categories.values_list("pk", flat=True)),
        "stages": list(case.stages.order_by("number").values_list(
            "number", "requested_on", "acknowledged_on", "response_due", "responded_on",
            "outcome")),
        "findings": sorted(case.stages.values_list("findings__part__number", "findings__finding")),
        "parts": list(case.parts.values_list("number", "category_id")),
        "learning": list(case.learning.values_list("category_id", "recorded_on")),
    }  # fmt: skip


@pytest.fixture
def cases(personas):
    """A fully filled case of every kind, closed, each dressed with its own tag; and a case
    closed recently that must keep everything."""
    manager = personas["manager"]
    built = {"_files_before": set(stored_text())}
    with time_machine.travel(datetime.datetime(2024, 11, 20, 10, tzinfo=datetime.UTC)):
        for number, (kind, stage) in enumerate(SHAPES):
            case = full_case(kind, stage)
            tag = f"Zorbling{number}x"
            dress(case, tag=tag, user=manager)
            built[tag] = _close(case, manager)
    with time_machine.travel(datetime.datetime(2030, 6, 1, 10, tzinfo=datetime.UTC)):
        # Its own reference: the factory's sequence (CMP-2024-n) would collide with the
        # references the full cases were given when earlier tests in the run used it.
        kept = CaseFactory(
            reference="CMP-2030-90001",
            kind="compliment", procedure="", complainant_name="Keepwell Person",
            summary="Keepwell said thank you",
            received_on=D(2030, 5, 1),
        )  # fmt: skip
        dress(kept, tag="Keepwellx", user=manager)
        workflow.close(kept, resolution="responded", on=D(2030, 5, 20), user=manager)
    return built


def _scan_files(cases) -> dict[str, str]:
    """Stored files, less those there before the test (other tests' leftovers)."""
    return {p: t for p, t in stored_text().items() if p not in cases["_files_before"]}


def _markers(cases) -> list[str]:
    return [*cases, *FULL_CASE_PERSONAL]


def test_every_model_about_a_case_is_anonymised_or_said_to_be_kept():
    """A model added later that hangs off a case must be handled by the anonymiser."""
    handled = set(anonymiser.CASE_LOOKUP) | set(anonymiser.HANDLED_ELSEWHERE)
    case_models = {Case}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField) and (
                field.related_model is Case
            ):
                case_models.add(model)
    assert case_models - handled == set()


@pytest.mark.django_db(transaction=False)
def test_anonymising_every_kind_leaves_nothing_personal_and_reports_unchanged(
    cases, client_for, personas
):
    files_before = cases
    markers = _markers({t: c for t, c in cases.items() if not t.startswith("_")})
    with time_machine.travel(LATER, tick=False):
        before_files = _scan_files(cases)
        cases = {t: c for t, c in cases.items() if not t.startswith("_")}
        before_db = database_text()
        lowered = {t: [v.lower() for v in values] for t, values in before_db.items()}
        files_lowered = {p: text.lower() for p, text in before_files.items()}
        present = where([m.lower() for m in markers], lowered, files_lowered)
        # The search is able to find every one of them before (so it can fail after).
        assert sorted(present) == sorted(m.lower() for m in markers)
        assert any("documents" in place for place in present["zorbling0x"])
        facts = {tag: _facts(case) for tag, case in cases.items()}
        reports = {year: _report(year) for year in (2023, 2024)}
        # The cases are in them: the quote they publish is printed.
        assert "Sam listened" in json.dumps(reports, ensure_ascii=False)

        out = io.StringIO()
        call_command("worker", "--once", stdout=out)
        assert f"{len(cases)} cases due for retention review" in out.getvalue()
        due = Review.objects.filter(status=Review.Status.DUE)
        assert set(due.values_list("case_id", flat=True)) == {c.pk for c in cases.values()}

        manager = client_for("manager")
        page = manager.get(reverse("retention:reviews"))
        for case in cases.values():
            assert case.reference in page.content.decode()
        response = manager.post(
            reverse("retention:reviews"), {"reviews": list(due.values_list("pk", flat=True))}
        )
        assert response.status_code == 302
        out = io.StringIO()
        call_command("worker", "--once", stdout=out)
        assert f"{len(cases)} cases anonymised" in out.getvalue()

        after_db, after_files = database_text(), _scan_files(files_before)
        lowered = {t: [v.lower() for v in values] for t, values in after_db.items()}
        files_lowered = {p: text.lower() for p, text in after_files.items()}
        assert where([m.lower() for m in markers], lowered, files_lowered) == {}
        # The case that is not due keeps everything (the search would have found it).
        assert where(["keepwellx", "keepwell person"], lowered, files_lowered).keys() == {
            "keepwellx",
            "keepwell person",
        }
        for tag, case in cases.items():
            case.refresh_from_db()
            assert _facts(case) == facts[tag], tag
        assert {year: _report(year) for year in (2023, 2024)} == reports
        call_command("audit", "verify", stdout=io.StringIO())
        assert Review.objects.filter(status=Review.Status.ANONYMISED).count() == len(cases)


@pytest.fixture
def closed_cases(personas):
    with time_machine.travel(datetime.datetime(2024, 11, 20, 10, tzinfo=datetime.UTC)):
        made = []
        for name in ("Held Person", "Later Held Person", "Free Person"):
            case = CaseFactory(kind="compliment", procedure="", complainant_name=name)
            made.append(workflow.close(case, resolution="responded", on=CLOSED))
    return made


def test_a_case_on_legal_hold_is_never_listed_nor_anonymised(closed_cases, personas):
    manager = personas["manager"]
    held, later, free = closed_cases
    with time_machine.travel(LATER, tick=False):
        retention.place_hold(held, reason="Court order", user=manager)
        assert retention.list_due() == 2
        assert not Review.objects.filter(case=held).exists()
        with pytest.raises(anonymiser.AnonymiseRefused, match="legal hold"):
            anonymiser.anonymise(held, user=manager)
        # Put on hold after approval: the worker skips it and it goes back to review.
        retention.approve(Review.objects.filter(case__in=[later, free]), user=manager)
        retention.place_hold(later, reason="Claim", user=manager)
        assert retention.anonymise_approved() == (1, 0)
        retention.lift_hold(later, reason="Settled", user=manager)
        assert retention.list_due() == 1
        later.refresh_from_db()
        free.refresh_from_db()
        assert later.complainant_name == "Later Held Person"
        assert free.complainant_name == ""
        with pytest.raises(anonymiser.AnonymiseRefused, match="already"):
            anonymiser.anonymise(free, user=manager)


def test_an_open_case_is_refused(personas):
    case = CaseFactory(complainant_name="Open Person")
    with pytest.raises(anonymiser.AnonymiseRefused, match="open"):
        anonymiser.anonymise(case, user=personas["manager"])


def test_the_full_case_values_checked_are_the_full_cases_values(db):
    """The personal strings above are those tests/full_cases.py really writes."""
    details = _all_details()
    for name in ("complainant_name", "complainant_email", "child_name", "staff_named"):
        assert details[name] in FULL_CASE_PERSONAL
