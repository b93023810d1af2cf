"""The other reports: management summaries, the scrutiny cover report and the Complaint
Handling Code's annual report, from small hand-made data."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db.models import F, Q

from heard.cases import workflow
from heard.cases.choices import Kind, Procedure, RemedyKind, Resolution, Status
from heard.cases.models import Extension, Learning, Remedy
from heard.deadlines.calendar import council_calendar
from heard.reports import lgsco_code, scrutiny, summaries
from heard.reports.document import Report
from heard.reports.periods import ReportingYear
from heard.taxonomy.models import ServiceArea
from heard.timescales.rules import rule_for
from tests.factories import CaseFactory, ServiceAreaFactory, StageFactory, term

D = datetime.date


def _case(received, closed=None, **kwargs):
    status = Status.CLOSED if closed else Status.OPEN
    return CaseFactory(received_on=received, closed_on=closed, status=status, **kwargs)


@pytest.fixture
def teams(db):
    directorate = ServiceAreaFactory(
        name="Children's Services", code="cs", level=ServiceArea.Level.DIRECTORATE
    )
    service = ServiceAreaFactory(
        name="Social Care", code="sc", level=ServiceArea.Level.SERVICE, parent=directorate
    )
    return (
        ServiceAreaFactory(name="Assessment", code="assess", parent=service, order=1),
        ServiceAreaFactory(name="Fostering", code="foster", parent=service, order=2),
    )


# Periods ----------------------------------------------------------------------------------


def test_a_week_runs_monday_to_sunday():
    for day in (D(2025, 6, 2), D(2025, 6, 4), D(2025, 6, 8)):
        week = summaries.period_of("week", day)
        assert (week.start, week.end) == (D(2025, 6, 2), D(2025, 6, 8))
    assert summaries.period_of("week", D(2025, 6, 9)).start == D(2025, 6, 9)
    across_years = summaries.period_of("week", D(2026, 1, 1))
    assert (across_years.start, across_years.end) == (D(2025, 12, 29), D(2026, 1, 4))


def test_a_month_is_the_calendar_month():
    assert summaries.period_of("month", D(2024, 2, 10)).end == D(2024, 2, 29)
    december = summaries.period_of("month", D(2025, 12, 31))
    assert (december.start, december.end, december.label) == (
        D(2025, 12, 1), D(2025, 12, 31), "December 2025"
    )  # fmt: skip


def test_a_quarter_is_a_quarter_of_the_reporting_year():
    first = summaries.period_of("quarter", D(2025, 4, 1))
    assert (first.start, first.end) == (D(2025, 4, 1), D(2025, 6, 30))
    last = summaries.period_of("quarter", D(2026, 3, 31))
    assert (last.start, last.end) == (D(2026, 1, 1), D(2026, 3, 31))
    assert last.label.startswith("Quarter 4 of 2025-26")
    with pytest.raises(ValueError):
        summaries.period_of("fortnight", D(2025, 4, 1))


# Management summaries ---------------------------------------------------------------------


@pytest.fixture
def week_cases(teams):
    """Cases around the week of Monday 2 to Sunday 8 June 2025."""
    assess, foster = teams
    cal = council_calendar()
    end = D(2025, 6, 8)
    due_soon = cal.add_working_days(end, summaries.DUE_SOON_WORKING_DAYS)
    cases = {}
    # Received on the Monday; its response is due on the last day "due soon" counts.
    cases["new"] = _case(D(2025, 6, 2), service_area=assess)
    StageFactory(case=cases["new"], response_due=due_soon)
    # Received the day before the week; due in the week and never answered: overdue.
    cases["overdue"] = _case(D(2025, 6, 1), service_area=assess)
    StageFactory(case=cases["overdue"], response_due=D(2025, 6, 5))
    # Due on the Friday, answered the Monday after: overdue at the end of the week.
    cases["late"] = _case(D(2025, 5, 20), service_area=assess)
    StageFactory(case=cases["late"], response_due=D(2025, 6, 6), responded_on=D(2025, 6, 9))
    # Due one working day after the horizon: neither due soon nor overdue.
    cases["later"] = _case(D(2025, 5, 28), service_area=assess)
    StageFactory(case=cases["later"], response_due=cal.add_working_days(due_soon, 1))
    # An MP enquiry due soon: counted under all kinds only.
    cases["enquiry"] = _case(D(2025, 6, 3), service_area=assess, kind=Kind.REPRESENTATION,
                             procedure=Procedure.REPRESENTATION)  # fmt: skip
    StageFactory(case=cases["enquiry"], response_due=D(2025, 6, 10))
    # A compliment received and closed on the Sunday.
    cases["compliment"] = _case(D(2025, 6, 8), D(2025, 6, 8), service_area=foster,
                                kind=Kind.COMPLIMENT, procedure="")  # fmt: skip
    # Closed on the Monday; received on the Monday after the week.
    cases["closed"] = _case(D(2025, 5, 1), D(2025, 6, 2), service_area=foster)
    cases["next-week"] = _case(D(2025, 6, 9), service_area=foster)
    # Closed before the week: not counted at all.
    cases["gone"] = _case(D(2025, 5, 1), D(2025, 5, 30), service_area=foster)
    # No team recorded.
    cases["nowhere"] = _case(D(2025, 6, 4))
    return cases


def test_the_weekly_summary_counts_received_closed_open_due_and_overdue_by_team(week_cases):
    report = summaries.build("week", D(2025, 6, 4))
    assert report.period == {
        "period": "week", "label": "Week beginning 2 June 2025",
        "start": "2025-06-02", "end": "2025-06-08",
    }  # fmt: skip
    table = report.table("summary.by_team")
    assert table.row("assess").cells == {
        "received_complaints": 1, "received_all": 2,  # new, enquiry
        "closed_complaints": 0, "closed_all": 0,
        "open_complaints": 4, "open_all": 5,  # new, overdue, late, later (+ enquiry)
        "due_complaints": 1, "due_all": 2,  # new (+ enquiry)
        "overdue_complaints": 2, "overdue_all": 2,  # overdue, late
    }  # fmt: skip
    assert table.row("foster").cells == {
        "received_complaints": 0, "received_all": 1,  # compliment
        "closed_complaints": 1, "closed_all": 2,  # closed (+ compliment)
        "open_complaints": 0, "open_all": 0,
        "due_complaints": 0, "due_all": 0,
        "overdue_complaints": 0, "overdue_all": 0,
    }  # fmt: skip
    subtotal = table.row("cs")
    assert subtotal.total and subtotal.cells["received_all"] == 3
    assert subtotal.cells["open_all"] == 5
    assert table.cell("not-recorded", "received_complaints") == 1
    assert table.cell("total", "received_all") == 4

    by_kind = report.table("summary.by_kind")
    assert by_kind.row("complaint").cells == {
        "received": 2, "closed": 1, "open": 5, "due": 1, "overdue": 2
    }  # fmt: skip
    assert by_kind.cell("representation", "due") == 1
    assert by_kind.cell("compliment", "closed") == 1
    assert by_kind.row("total").cells["received"] == 4
    narrative = report.section("summary").narrative
    assert "2 closed (1 complaint)" in narrative and "Assessment (2)" in narrative


def test_the_monthly_summary_takes_in_the_whole_month(week_cases):
    report = summaries.build("month", D(2025, 6, 30))
    by_kind = report.table("summary.by_kind")
    # June: new, overdue (received 1 June), next-week, nowhere; and the enquiry and compliment.
    assert by_kind.cell("complaint", "received") == 4
    assert by_kind.cell("total", "received") == 6
    # At the end of June nothing had been answered but "late": every other stage is overdue.
    assert by_kind.cell("complaint", "overdue") == 3  # new, overdue, later
    assert by_kind.cell("representation", "overdue") == 1


def test_the_quarterly_summary_counts_the_quarter_of_the_reporting_year(week_cases):
    report = summaries.build("quarter", D(2025, 5, 15))
    assert (report.period["start"], report.period["end"]) == ("2025-04-01", "2025-06-30")
    assert report.table("summary.by_kind").cell("complaint", "closed") == 2  # closed, gone
    assert report.table("summary.by_kind").cell("complaint", "received") == 8
    after = summaries.build("quarter", D(2025, 7, 1))
    assert after.table("summary.by_kind").cell("complaint", "received") == 0
    assert after.table("summary.by_kind").cell("complaint", "open") == 6


def test_a_summary_names_no_people(week_cases):
    text = str(summaries.build("week", D(2025, 6, 4)).to_dict())
    assert "Jordan Example" not in text and "social worker" not in text


# Scrutiny ---------------------------------------------------------------------------------


@pytest.fixture
def scrutiny_cases(teams):
    assess, _ = teams
    delay, communication = term("category", "delay"), term("category", "communication")
    for day in (D(2023, 5, 1), D(2024, 2, 1)):
        _case(day, service_area=assess).categories.add(communication)
    upheld = _case(D(2024, 5, 1), D(2024, 6, 1), service_area=assess,
                   resolution=Resolution.RESPONDED)  # fmt: skip
    upheld.categories.add(delay, communication)
    StageFactory(case=upheld, response_due=D(2024, 5, 20), responded_on=D(2024, 5, 20),
                 outcome="upheld")  # fmt: skip
    late = _case(D(2024, 6, 3), service_area=assess)
    late.categories.add(delay)
    StageFactory(case=late, response_due=D(2024, 6, 17), responded_on=D(2024, 6, 20),
                 outcome="not-upheld")  # fmt: skip
    StageFactory(case=late, number=2, requested_on=D(2024, 7, 1))
    _case(D(2025, 3, 31), service_area=assess)  # the last day of 2024-25
    _case(D(2025, 4, 1), service_area=assess)  # the first day of 2025-26: not counted
    _case(D(2024, 9, 1), kind=Kind.COMPLIMENT, procedure="")
    _case(D(2024, 9, 1), kind=Kind.OMBUDSMAN, procedure="", lgsco_decision_on=D(2024, 12, 1))


def test_the_scrutiny_report_gives_headline_figures_against_last_year(scrutiny_cases):
    report = scrutiny.build(2024)
    headlines = report.table("scrutiny.headlines")
    assert headlines.row("complaints").cells == {"2023": 2, "2024": 3, "change": 50}
    assert headlines.cell("stage-2", "2024") == 1 and headlines.cell("stage-2", "2023") == 0
    assert headlines.cell("compliments", "2024") == 1
    assert headlines.cell("ombudsman", "2024") == 1
    assert headlines.cell("ombudsman-decided", "2024") == 1

    performance = report.table("scrutiny.performance")
    assert performance.row("stage-1-on-time").cells["2024_count"] == 1
    assert performance.row("stage-1-on-time").cells["2024_of"] == 2
    assert performance.row("stage-1-on-time").cells["2024_percent"] == 50
    assert performance.row("stage-1-on-time").cells["2023_percent"] is None
    assert performance.row("upheld").cells["2024_percent"] == 33  # 1 of 3 received

    themes = report.table("scrutiny.themes")
    assert [r.key for r in themes.rows] == ["delay", "communication"]
    assert themes.row("delay").cells == {"2023": 0, "2024": 2, "percent": 67}
    assert themes.row("communication").cells["2023"] == 2

    summary = report.section("summary").narrative
    assert "3 complaints were received in 2024-25, up from 2 in 2023-24 (50% more)." in summary
    assert "The committee is asked to note" in report.section("recommendations").narrative
    assert Report.from_dict(report.to_dict()).to_dict() == report.to_dict()


# The Complaint Handling Code --------------------------------------------------------------


@pytest.fixture
def code_cases(teams):
    """Corporate complaints in June 2026, after the Code took effect, timed from its rules."""
    assess, _ = teams
    cal = council_calendar()
    received = D(2026, 6, 1)
    rule = rule_for(Procedure.CORPORATE, 1, received)
    on_time_ack = cal.add_working_days(received, rule.acknowledge_days)
    late_ack = cal.add_working_days(received, rule.acknowledge_days + 1)

    def complaint(**kwargs):
        return _case(received, service_area=assess, procedure=Procedure.CORPORATE, **kwargs)

    # Acknowledged and answered on time, upheld, with a lesson learned.
    good = complaint(closed=D(2026, 7, 1), resolution=Resolution.RESPONDED)
    answered = cal.add_working_days(on_time_ack, rule.respond)
    StageFactory(case=good, acknowledged_on=on_time_ack, outcome="upheld", responded_on=answered,
                 response_due=answered)  # fmt: skip
    Learning.objects.create(case=good, lesson="Call back within a day.", publishable=True,
                            recorded_on=D(2026, 7, 1))  # fmt: skip
    # Acknowledged late; answered late but within an extension agreed with the complainant.
    extended = complaint()
    due = cal.add_working_days(late_ack, rule.max_extended_to)
    stage = StageFactory(case=extended, acknowledged_on=late_ack, extended_to=rule.max_extended_to,
                         responded_on=cal.add_working_days(late_ack, rule.respond + 1),
                         response_due=due)  # fmt: skip
    Extension.objects.create(stage=stage, agreed_on=late_ack, extended_to=rule.max_extended_to,
                             reason="Complex")  # fmt: skip
    # Extended beyond the Code's limit without agreement, and answered beyond the limit.
    beyond = complaint()
    too_long = rule.max_extended_to + 5
    stage = StageFactory(case=beyond, acknowledged_on=on_time_ack, extended_to=too_long,
                         responded_on=cal.add_working_days(on_time_ack, too_long - 4),
                         response_due=cal.add_working_days(on_time_ack, too_long))  # fmt: skip
    Extension.objects.create(stage=stage, agreed_on=on_time_ack, reason="Busy",
                             extended_to=too_long, agreed_with_complainant=False)  # fmt: skip
    # A statutory complaint, answered late: not part of the self-assessment.
    statutory = _case(received, service_area=assess)
    StageFactory(case=statutory, acknowledged_on=late_ack, response_due=D(2026, 6, 5),
                 responded_on=D(2026, 8, 1))  # fmt: skip
    # Refused, and Ombudsman decisions with remedies recorded, one complied with on time.
    complaint(closed=D(2026, 6, 2), resolution=Resolution.REFUSED_OUT_OF_TIME)
    for complied in (D(2026, 8, 15), None):
        _ombudsman_remedy(D(2026, 8, 1), due=D(2026, 8, 20), complied=complied)
    return rule


def _ombudsman_remedy(decided, *, due, complied=None, kind=RemedyKind.APOLOGY, words=""):
    """An Ombudsman decision with one remedy, agreed and complied with through the services;
    ``words``: the remedy also given in words, as cases used to record it."""
    case = _case(decided - datetime.timedelta(days=60), kind=Kind.OMBUDSMAN, procedure="",
                 lgsco_decision_on=decided, lgsco_remedy=words,
                 lgsco_decision=term("lgsco_decision", "upheld-fault-injustice"))  # fmt: skip
    remedy = workflow.add_remedy(
        case, kind=kind, due_on=due, description="Review the policy.",
        amount=Decimal("150.00") if kind == RemedyKind.PAYMENT else None,
    )  # fmt: skip
    if complied is not None:
        workflow.comply_remedy(
            case, remedy_id=remedy.pk, complied_on=complied, evidence="Letter sent."
        )
    return remedy


def test_the_code_counts_ombudsman_remedies_from_their_records(db):
    """Remedies agreed and complied with through the services, on time, late, overdue and not
    yet due, some with words in the old free-text field and some without: the Code report's
    figures are those of a count made straight from the database, never of the text."""
    chance = random.Random(45)
    today = datetime.date.today()
    year = ReportingYear.containing(today).previous()
    for n in range(30):
        decided = year.start + datetime.timedelta(days=chance.randrange(-200, 365))
        due = decided + datetime.timedelta(days=chance.randrange(10, 60))
        complied = chance.choice([None, due, due - datetime.timedelta(days=2),
                                  due + datetime.timedelta(days=9)])  # fmt: skip
        _ombudsman_remedy(
            decided, due=due, complied=complied if complied and complied <= today else None,
            kind=chance.choice(RemedyKind.values), words="Apologise." if n % 3 else "",
        )  # fmt: skip
    # Words only, no remedy recorded: nothing to count.
    _case(year.start, kind=Kind.OMBUDSMAN, procedure="", lgsco_decision_on=year.start,
          lgsco_remedy="Pay £100.", lgsco_remedy_complied_on=year.start)  # fmt: skip

    in_year = Remedy.objects.filter(
        case__kind=Kind.OMBUDSMAN, case__lgsco_decision_on__range=(year.start, year.end)
    )
    on_time = in_year.filter(complied_on__lte=F("due_on")).count()
    due = in_year.filter(Q(complied_on__isnull=False) | Q(due_on__lt=today)).count()
    assert 0 < on_time < due < in_year.count() + 1

    report = lgsco_code.build(year.year)
    row = report.table("lgsco.self_assessment").row("ombudsman-remedies")
    assert (row.cells["met"], row.cells["of"]) == (on_time, due)
    text = report.section("ombudsman").narrative
    assert f"{on_time:,} of the {due:,} due by the day this report was made" in text
    assert f"agreed {in_year.count()} remedies" in text


def test_the_code_self_assessment_is_filled_from_the_data(code_cases):
    rule = code_cases
    report = lgsco_code.build(2026)
    table = report.table("lgsco.self_assessment")

    acknowledged = table.row("stage-1-acknowledged")
    assert str(rule.acknowledge_days) in acknowledged.label
    assert acknowledged.cells == {"met": 2, "of": 3, "percent": 67, "assessment": "Partly met"}
    responded = table.row("stage-1-responded")
    assert f"{rule.respond} working days of acknowledgement" in responded.label
    assert responded.cells == {"met": 1, "of": 3, "percent": 33, "assessment": "Partly met"}
    assert table.row("stage-1-extended").cells["met"] == 2
    assert table.row("extensions").cells == {
        "met": 1, "of": 2, "percent": 50, "assessment": "Partly met"
    }  # fmt: skip
    assert table.row("learning").cells["assessment"] == "Met"
    assert table.row("ombudsman-remedies").cells == {
        "met": 1, "of": 2, "percent": 50, "assessment": "Partly met"
    }  # fmt: skip
    assert table.row("stage-2-responded").cells["assessment"] == "No cases in the year"
    assert table.row("policy").cells["assessment"] == "To be assessed by the council"
    assert table.row("policy").cells["met"] is None


def test_the_code_report_covers_performance_ombudsman_and_learning(code_cases):
    report = lgsco_code.build(2026)
    stages = report.table("lgsco.stages")
    corporate = stages.row("corporate-1").cells
    # Every stage answered by its due date (after its extension): within timescale, as in the
    # other reports; only one within the Code's standard time without an extension.
    assert (corporate["requested"], corporate["responded"], corporate["within"]) == (3, 3, 3)
    assert corporate["within_standard"] == 1
    assert stages.row("childrens_statutory-1").cells["within"] == 0
    assert report.table("lgsco.refused").cell("refused_out_of_time", "count") == 1
    assert report.table("lgsco.outcomes").cell("upheld", "1") == 1
    assert report.table("lgsco.outcomes").cell("not-recorded", "1") == 3
    assert report.table("lgsco.outcomes").cell("total", "1") == 4
    assert report.table("lgsco.ombudsman").cell("upheld-fault-injustice", "count") == 2
    improvements = report.section("improvements")
    assert [(i.text, i.attribution) for i in improvements.items] == [
        ("Call back within a day.", "Assessment")
    ]
    assert "Apologise" not in str(report.to_dict())
    assert not any("applies the Code from" in note for note in report.notes)
    assert any("applies the Code from" in n for n in lgsco_code.build(2025).notes)
