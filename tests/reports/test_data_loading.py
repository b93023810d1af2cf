"""Loading a report's facts: what the fast paths in ``heard.reports.data`` must keep."""

import datetime
import gc
from decimal import Decimal

import pytest

from heard.cases.choices import Finding, Kind, Status
from heard.cases.models import Action, Case, Learning
from heard.reports import annual, selection
from heard.reports.data import (
    CASE_FIELDS,
    STAGE_FIELDS,
    ActionFacts,
    CaseFacts,
    LearningFacts,
    PartFacts,
    StageFacts,
    load,
)
from heard.reports.periods import ReportingYear
from heard.taxonomy.models import Term, Vocabulary
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


@pytest.mark.django_db
def test_building_a_report_leaves_the_garbage_collector_running_and_nothing_behind():
    """The annual report pauses the collector and skips the full collection afterwards: its
    facts must all be freed by reference counting."""
    CaseFactory(received_on=D(2017, 5, 1))
    gc.collect()
    annual.build(2017, today=D(2018, 6, 1))
    assert gc.isenabled()
    assert not [o for o in gc.get_objects() if isinstance(o, CaseFacts | StageFacts)]


@pytest.mark.django_db
def test_the_loaded_facts_are_the_models_of_the_cases_open_in_the_years_and_no_others():
    """The loader reads stages, parts, findings, categories and learning from the oldest case
    in the years onwards and keeps those of the cases in them: cases outside, made after it,
    must leave nothing behind, and every fact must be what the models say."""
    terms = list(Term.objects.filter(vocabulary=Vocabulary.CATEGORY).order_by("-order")[:3])
    inside_first = _case_with_everything(D(2016, 6, 1), None, terms)
    before = _case_with_everything(D(2015, 5, 1), D(2016, 3, 31), terms)  # closed before
    after = _case_with_everything(D(2018, 4, 1), None, terms)  # received after the years
    inside = [
        inside_first,
        _case_with_everything(D(2015, 5, 1), D(2016, 4, 1), terms),  # closed on the first day
        _case_with_everything(D(2018, 3, 31), None, terms),  # received on the last day
        CaseFactory(kind=Kind.COMPLIMENT, received_on=D(2017, 9, 9), quote="Thank you"),
    ]

    loaded = load(ReportingYear(2016), Y2017, WorkingCalendar()).cases

    assert {c.id for c in loaded} == {c.id for c in inside}
    assert before.id > inside_first.id and after.id > inside_first.id
    assert loaded == [_facts_from_models(case) for case in sorted(
        inside, key=lambda c: (c.received_on, c.id)
    )]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("oldest_first", [True, False])
def test_the_facts_are_the_models_whatever_order_the_cases_facts_were_recorded_in(oldest_first):
    """Stages, parts, categories and learning are read over the range of case ids in the
    years, skipping ids below the cases received in them but for the older cases still open;
    findings and actions likewise over the stages and learning kept. Cases and facts recorded
    in either order, with cases outside the years in between, change nothing."""
    terms = list(Term.objects.filter(vocabulary=Vocabulary.CATEGORY).order_by("order")[:3])
    older = CaseFactory(received_on=D(2015, 12, 1), closed_on=D(2016, 5, 1))  # still open
    before = CaseFactory(received_on=D(2015, 5, 1), closed_on=D(2016, 3, 1))  # closed before
    inside = [
        older,
        CaseFactory(received_on=D(2016, 4, 10)),
        CaseFactory(received_on=D(2017, 6, 1)),
    ]
    after = CaseFactory(received_on=D(2018, 4, 2))  # received after the years
    if oldest_first:
        inside.append(CaseFactory(received_on=D(2015, 1, 1), closed_on=None))
        order = [older, before, inside[1], after, inside[2], inside[3]]
    else:
        order = [inside[2], after, inside[1], before, older]
    for case in order:
        _add_everything(case, case.received_on, terms)

    loaded = load(ReportingYear(2016), Y2017, WorkingCalendar()).cases

    assert loaded == [_facts_from_models(case) for case in sorted(
        inside, key=lambda c: (c.received_on, c.id)
    )]  # fmt: skip
    assert all(c.stages and c.parts and c.learning and c.learning[0].actions for c in loaded)


def _case_with_everything(received_on, closed_on, terms):
    case = CaseFactory(
        received_on=received_on,
        closed_on=closed_on,
        status=Status.CLOSED if closed_on else Status.OPEN,
        complainant_under_18=True,
    )
    return _add_everything(case, received_on, terms)


def _add_everything(case, received_on, terms):
    case.categories.set(terms)
    parts = [PartFactory(case=case, number=n, category=terms[n - 1]) for n in (1, 2)]
    for number in (1, 2):
        requested = received_on + datetime.timedelta(days=30 * (number - 1))
        stage = StageFactory(
            case=case,
            number=number,
            requested_on=requested,
            acknowledged_on=requested + datetime.timedelta(days=2),
            responded_on=requested + datetime.timedelta(days=20),
            independent_person_fee="120.25" if number == 2 else None,
        )
        for part in reversed(parts):
            stage.findings.create(
                part=part, finding=Finding.UPHELD if number == 1 else Finding.NOT_UPHELD
            )
    for day in (D(2017, 8, 1), D(2017, 7, 1)):
        learning = Learning.objects.create(
            case=case, category=terms[0], lesson="Call back", publishable=True, recorded_on=day
        )
        for due in (D(2017, 10, 1), D(2017, 9, 1)):
            Action.objects.create(
                learning=learning, description="Train", owner="Team", due_on=due,
                completed_on=due if due.month == 9 else None,
            )  # fmt: skip
    return case


def _facts_from_models(case: Case) -> CaseFacts:
    """A case's facts built the slow and obvious way, from model instances."""
    stages = []
    for stage in case.stages.order_by("number"):
        stages.append(StageFacts(
            *(getattr(stage, name) for name in STAGE_FIELDS[2:]),
            findings={f.part.number: f.finding for f in stage.findings.order_by("part__number")},
        ))  # fmt: skip
    categories = case.categories.order_by("order", "id")
    return CaseFacts(
        *(getattr(case, name) for name in CASE_FIELDS.values()),
        category_ids=[term.id for term in categories],
        stages=stages,
        parts=[PartFacts(p.number, p.category_id) for p in case.parts.order_by("number")],
        learning=[
            LearningFacts(
                learning.category_id, learning.lesson, learning.publishable, learning.recorded_on,
                [ActionFacts(a.due_on, a.completed_on, a.signed_off_on)
                 for a in learning.actions.order_by("due_on", "id")],
            )
            for learning in case.learning.order_by("recorded_on", "id")
        ],
        became_complaint=Case.objects.filter(linked_case=case, kind=Kind.COMPLAINT).exists(),
    )  # fmt: skip


@pytest.mark.django_db
def test_the_selections_of_many_cases_are_made_as_each_case_is_judged():
    """``selection.pairs_*_in`` and ``among_*`` (the report's shortcuts) against the
    definitions per case, on cases and stages on both sides of the years' bounds."""
    terms = list(Term.objects.filter(vocabulary=Vocabulary.CATEGORY)[:2])
    for received in (D(2016, 3, 20), D(2017, 3, 10), D(2017, 12, 1), D(2018, 3, 1)):
        _case_with_everything(received, None, terms)
        for closed in (received, D(2017, 3, 31), D(2017, 4, 1), D(2018, 3, 31)):
            if closed >= received:
                _case_with_everything(received, closed, terms)
    cases = load(ReportingYear(2015), ReportingYear(2018), WorkingCalendar()).cases
    pairs = [(case, stage) for case in cases for stage in case.stages]

    for year in (ReportingYear(2015), ReportingYear(2016), Y2017, ReportingYear(2018)):
        responded = selection.pairs_responded_in(pairs, year)
        requested = selection.pairs_requested_in(pairs, year)
        assert responded == [(c, s) for c in cases for s in selection.stages_responded_in(c, year)]
        assert requested == [(c, s) for c in cases for s in selection.stages_requested_in(c, year)]
        assert responded or requested
        assert selection.among_dealt_with_in(cases, year) == [
            c for c in cases if selection.dealt_with_in(c, year)
        ]
        assert selection.among_closed_in(cases, year) == [
            c for c in cases if selection.closed_in(c, year)
        ]
