"""The report engine: which cases a figure counts, how percentages round, and how many
queries a report costs."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heard.cases.choices import Finding, Kind, Procedure, Resolution, Status
from heard.reports import annual, measures, selection
from heard.reports.data import load
from heard.reports.periods import ReportingYear
from heard.timescales.calendar import WorkingCalendar
from tests.factories import CaseFactory, PartFactory, StageFactory

Y2017 = ReportingYear(2017)
D = datetime.date


def test_a_reporting_year_runs_april_to_march():
    assert (Y2017.start, Y2017.end, Y2017.label) == (D(2017, 4, 1), D(2018, 3, 31), "2017-18")
    assert ReportingYear.containing(D(2018, 3, 31)) == Y2017
    assert ReportingYear.containing(D(2018, 4, 1)) == ReportingYear(2018)
    assert [Y2017.quarter_of(D(2017, 4, 1)), Y2017.quarter_of(D(2018, 3, 31))] == [1, 4]


def test_percentages_round_halves_up_and_say_nothing_without_a_whole():
    assert measures.percent(1, 40) == 3  # 2.5 rounds up, where round() would give 2
    assert measures.percent(1, 3) == 33
    assert measures.percent(0, 0) is None
    assert measures.change(189, 292) == 54
    assert measures.change(0, 5) is None
    assert measures.band(20, [("10 or fewer", 10), ("11 to 20", 20), ("more", None)]) == "11 to 20"


def _case(received, closed=None, **kwargs):
    status = Status.CLOSED if closed else Status.OPEN
    return CaseFactory(received_on=received, closed_on=closed, status=status, **kwargs)


@pytest.mark.django_db
def test_cases_are_counted_by_the_defined_selections():
    before = _case(D(2017, 2, 1), D(2017, 4, 20))  # brought forward, closed in the year
    still_open = _case(D(2017, 3, 1))  # brought forward and carried forward
    inside = _case(D(2017, 6, 1), D(2017, 7, 1))
    late_march = _case(D(2018, 3, 31), D(2018, 4, 3))  # carried forward
    closed_before = _case(D(2016, 6, 1), D(2017, 3, 31))  # not dealt with in 2017-18
    after = _case(D(2018, 4, 1))

    data = load(Y2017.previous(), Y2017, WorkingCalendar())
    facts = {c.reference: c for c in data.cases}
    assert after.reference not in facts

    def refs(test):
        return {c.reference for c in facts.values() if test(c, Y2017)}

    assert refs(selection.received_in) == {inside.reference, late_march.reference}
    assert refs(selection.brought_forward) == {before.reference, still_open.reference}
    assert refs(selection.dealt_with_in) == {
        before.reference, still_open.reference, inside.reference, late_march.reference
    }  # fmt: skip
    assert refs(selection.closed_in) == {before.reference, inside.reference}
    assert refs(selection.carried_forward) == {still_open.reference, late_march.reference}
    assert closed_before.reference in facts  # loaded for 2016-17, which the window covers


@pytest.mark.django_db
def test_a_case_is_carried_forward_at_the_stage_it_had_reached():
    case = _case(D(2017, 9, 1))
    StageFactory(case=case, number=1, requested_on=D(2017, 9, 1), responded_on=D(2017, 9, 20))
    StageFactory(case=case, number=2, requested_on=D(2018, 1, 10))
    StageFactory(case=case, number=3, requested_on=D(2018, 4, 20))  # after the year's end
    facts = load(Y2017, Y2017, WorkingCalendar()).cases[0]
    assert selection.stage_carried_forward(facts, Y2017) == 2
    assert selection.stage_carried_forward(facts, ReportingYear(2018)) == 3


@pytest.mark.django_db
def test_a_complaint_outcome_is_taken_as_at_the_end_of_the_year():
    case = _case(D(2018, 3, 1), D(2018, 4, 20), resolution=Resolution.RESPONDED)
    part = PartFactory(case=case, number=1)
    stage = StageFactory(
        case=case, requested_on=D(2018, 3, 1), responded_on=D(2018, 4, 20), outcome="upheld"
    )
    stage.findings.create(part=part, finding=Finding.UPHELD)
    withdrawn = _case(D(2017, 5, 1), D(2017, 5, 9), resolution=Resolution.WITHDRAWN)
    refused = _case(D(2017, 5, 1), D(2017, 5, 2), resolution=Resolution.REFUSED_OUT_OF_TIME)

    facts = {c.reference: c for c in load(Y2017, ReportingYear(2018), WorkingCalendar()).cases}
    assert selection.complaint_outcome(facts[case.reference], on=Y2017.end) == "still-open"
    assert selection.complaint_outcome(facts[case.reference]) == Finding.UPHELD
    assert facts[case.reference].stages[0].findings == {1: Finding.UPHELD}
    assert selection.complaint_outcome(facts[withdrawn.reference]) == "withdrawn"
    assert selection.complaint_outcome(facts[refused.reference]) == "refused"


@pytest.mark.django_db
def test_loading_a_report_costs_the_same_queries_for_ten_cases_or_fifty(
    django_assert_max_num_queries,
):
    def queries_for(n):
        for i in range(n):
            case = _case(D(2017, 5, 1) + datetime.timedelta(days=i), kind=Kind.COMPLAINT,
                         procedure=Procedure.CORPORATE)  # fmt: skip
            part = PartFactory(case=case, number=1)
            stage = StageFactory(case=case, responded_on=D(2017, 8, 1), outcome="not-upheld")
            stage.findings.create(part=part, finding=Finding.NOT_UPHELD)
        with CaptureQueriesContext(connection) as captured:
            annual.build(2017)
        return len(captured)

    annual.build(2017)  # the first report also creates the council's calendar settings
    ten = queries_for(10)
    # A fixed number, whatever the size (restrictions, category groups, Ombudsman remedies).
    assert queries_for(40) == ten <= 18


@pytest.mark.django_db
def test_the_annual_report_counts_each_kind_received_over_four_years():
    for year in (2014, 2016, 2017, 2017):
        _case(D(year, 6, 1))
    _case(D(2017, 6, 1), kind=Kind.COMPLIMENT, procedure="")
    table = annual.build(2017).table("volumes.received")
    assert [c.key for c in table.columns] == ["label", "2014", "2015", "2016", "2017", "change"]
    assert table.row("complaint").cells == {
        "2014": 1, "2015": 0, "2016": 1, "2017": 2, "change": 100
    }  # fmt: skip
    assert table.cell("compliment", "2017") == 1


@pytest.mark.django_db
def test_every_percentage_column_says_what_it_is_a_percentage_of():
    _case(D(2017, 6, 1))
    report = annual.build(2017)
    table = report.table("service_areas.complaints")
    assert table.notes[0] == (
        "% of total complaints received: a percentage of complaints received in 2017-18."
    )
    for table in report.tables():
        for column in table.columns:
            if column.kind == "percent":
                assert column.of, (table.id, column.key)
