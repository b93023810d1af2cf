"""Loading a report's facts: what the fast paths in ``heard.reports.data`` must keep."""

import datetime
import gc
from decimal import Decimal

import pytest

from heard.cases.choices import Finding, Kind
from heard.reports.data import load
from heard.reports.periods import ReportingYear
from heard.timescales.calendar import WorkingCalendar
from tests.factories import CaseFactory, PartFactory, StageFactory

Y2017 = ReportingYear(2017)
D = datetime.date


@pytest.mark.django_db
def test_findings_come_in_part_order_whatever_order_they_were_recorded_in():
    case = CaseFactory(received_on=D(2017, 5, 1))
    parts = {n: PartFactory(case=case, number=n) for n in (1, 2, 3)}
    stage = StageFactory(case=case, responded_on=D(2017, 6, 1), investigating_officer_fee="350.50")
    for number, finding in ((3, Finding.UPHELD), (1, Finding.NOT_UPHELD), (2, Finding.UPHELD)):
        stage.findings.create(part=parts[number], finding=finding)

    facts = load(Y2017, Y2017, WorkingCalendar()).cases[0].stages[0]

    assert list(facts.findings.items()) == [
        (1, Finding.NOT_UPHELD), (2, Finding.UPHELD), (3, Finding.UPHELD)
    ]  # fmt: skip
    assert facts.investigating_officer_fee == Decimal("350.50")
    assert facts.independent_person_fee is None


@pytest.mark.django_db
def test_a_contact_is_marked_when_a_complaint_was_logged_from_it():
    contact = CaseFactory(kind=Kind.COMMENT, received_on=D(2017, 5, 1))
    quiet = CaseFactory(kind=Kind.COMMENT, received_on=D(2017, 5, 2))
    CaseFactory(kind=Kind.COMPLAINT, received_on=D(2018, 6, 1), linked_case=contact)  # after

    facts = {c.id: c for c in load(Y2017, Y2017, WorkingCalendar()).cases}

    assert facts[contact.id].became_complaint is True
    assert facts[quiet.id].became_complaint is False


@pytest.mark.django_db
def test_loading_leaves_the_garbage_collector_running():
    CaseFactory(received_on=D(2017, 5, 1))
    load(Y2017, Y2017, WorkingCalendar())
    assert gc.isenabled()
