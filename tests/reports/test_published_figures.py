"""Figures councils publish that Heard has the data for: late reasons, each Stage 2 and 3
complaint, Stage 2/3 costs by year, Ombudsman types not recorded, complainants by team and
enquiries by source with timeliness.

A small council built by hand; each expected figure is counted from the fixture's comments
(or by a direct query), never copied from the report."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import F

from heard.cases.choices import Finding, Kind, Procedure, Resolution, Status
from heard.cases.models import Stage
from heard.reports import annual
from heard.reports.document import SUPPRESSED
from heard.reports.sections import complainants, enquiries, flow, focus, ombudsman, timeliness
from heard.taxonomy.models import ServiceArea
from tests.factories import CaseFactory, PartFactory, ServiceAreaFactory, StageFactory, term

D = datetime.date
YEAR = 2023  # April 2023 to March 2024


def report(*modules, publication=False):
    return annual.build(YEAR, sections=list(modules), publication=publication)


@pytest.fixture
def teams(db):
    level = ServiceArea.Level
    social_care = ServiceAreaFactory(name="Social Care", code="sc", level=level.DIRECTORATE)
    return {
        "fostering": ServiceAreaFactory(name="Fostering", code="fostering", parent=social_care),
        "mash": ServiceAreaFactory(name="MASH", code="mash", parent=social_care, order=1),
    }


def late(received, reason=None, number=1, case=None, **fields):
    """A complaint (or a further stage of ``case``) answered a week after its due date."""
    case = case or CaseFactory(kind=Kind.COMPLAINT, received_on=received, **fields)
    StageFactory(case=case, number=number, requested_on=received,
                 response_due=received + datetime.timedelta(days=20),
                 responded_on=received + datetime.timedelta(days=27),
                 late_reason=term("late_reason", reason) if reason else None)  # fmt: skip
    return case


# Reasons for late responses -----------------------------------------------------------------


def test_late_responses_are_counted_by_reason_at_each_stage(db):
    # Stage 1: workload twice, no reason once; one on time (not counted).
    late(D(2023, 5, 1), "workload")
    first = late(D(2023, 6, 1), "workload")
    late(D(2023, 7, 3))
    on_time = CaseFactory(kind=Kind.COMPLAINT, received_on=D(2023, 8, 1))
    StageFactory(case=on_time, response_due=D(2023, 8, 30), responded_on=D(2023, 8, 29))
    # Stage 2 of the first: late for complexity.
    late(D(2023, 7, 10), "complexity", number=2, case=first)

    table = report(timeliness).table("timeliness.late_reasons")
    assert table.cell("workload", "1") == 2 and table.cell("workload", "1-percent") == 67
    assert table.cell("not-recorded", "1") == 1 and table.cell("not-recorded", "1-percent") == 33
    assert table.cell("complexity", "2") == 1 and table.cell("complexity", "2-percent") == 100
    assert table.cell("total", "1") == 3 and table.cell("total", "2") == 1
    late_in_db = Stage.objects.filter(
        responded_on__range=(D(2023, 4, 1), D(2024, 3, 31)), number=1
    ).exclude(responded_on__lte=F("response_due"))
    assert late_in_db.count() == table.cell("total", "1")
    assert table.row("workload").label == "Workload"  # the council's own words


def test_no_late_responses_make_an_empty_table_without_a_chart(db):
    from heard.reports.render import charts

    table = report(timeliness).table("timeliness.late_reasons")
    assert table.rows == [] and not charts.has_chart(table)


# Each Stage 2 and Stage 3 complaint ---------------------------------------------------------


@pytest.fixture
def investigations(teams):
    """One statutory complaint with three parts, investigated at Stage 2 in time: upheld,
    partially upheld, not upheld; £1,200 and £300 fees. A second, at Stage 3, late, one part
    not upheld, a £250 fee paid in 2022-23 on an earlier Stage 2."""
    case = CaseFactory(kind=Kind.COMPLAINT, received_on=D(2023, 4, 3),
                       service_area=teams["fostering"])  # fmt: skip
    parts = [PartFactory(case=case, number=n) for n in (1, 2, 3)]
    StageFactory(case=case, responded_on=D(2023, 4, 28), response_due=D(2023, 5, 2))
    second = StageFactory(case=case, number=2, requested_on=D(2023, 5, 10),
                          response_due=D(2023, 8, 1), responded_on=D(2023, 7, 20),
                          investigating_officer_fee=Decimal("1200"),
                          independent_person_fee=Decimal("300"))  # fmt: skip
    for part, finding in zip(parts, (Finding.UPHELD, Finding.PARTIALLY_UPHELD,
                                     Finding.NOT_UPHELD), strict=True):  # fmt: skip
        second.findings.create(part=part, finding=finding)
    older = CaseFactory(kind=Kind.COMPLAINT, received_on=D(2022, 6, 1),
                        service_area=teams["mash"])  # fmt: skip
    part = PartFactory(case=older, number=1)
    StageFactory(case=older, number=2, requested_on=D(2022, 8, 1), response_due=D(2022, 11, 1),
                 responded_on=D(2022, 10, 20), independent_person_fee=Decimal("250"))  # fmt: skip
    third = StageFactory(case=older, number=3, requested_on=D(2023, 11, 1),
                         response_due=D(2023, 12, 1), responded_on=D(2024, 1, 10))  # fmt: skip
    third.findings.create(part=part, finding=Finding.NOT_UPHELD)
    return case, older


def test_each_stage_2_and_3_complaint_is_a_row(investigations):
    case, older = investigations
    table = report(flow).table("flow.stage2_3_cases")
    rows = {row.label: row.cells for row in table.rows}
    assert rows[f"Stage 2: {case.reference}"] == {
        "parts": 3, "upheld": 1, "partly": 1, "not_upheld": 1, "within": "Yes", "cost": 1500.0
    }  # fmt: skip
    assert rows[f"Stage 3: {older.reference}"] == {
        "parts": 1, "upheld": 0, "partly": 0, "not_upheld": 1, "within": "No", "cost": 0.0
    }  # fmt: skip
    assert len(rows) == 2


def test_each_complaint_row_is_left_out_when_published(investigations):
    table = report(flow, publication=True).table("flow.stage2_3_cases")
    assert table.rows == []
    assert any("Not shown in the published version" in note for note in table.notes)


def test_stage_2_and_3_costs_fall_in_the_year_they_were_paid(investigations):
    table = report(flow).table("flow.stage2_3_costs")
    assert table.cell("2-investigator", "2023") == 1200.0
    assert table.cell("2-person", "2023") == 300.0
    assert table.cell("2-person", "2022") == 250.0
    assert table.cell("total", "2023") == 1500.0 and table.cell("total", "2022") == 250.0
    assert table.cell("total", "2021") == 0.0


# The Ombudsman ------------------------------------------------------------------------------


def test_ombudsman_investigations_are_not_recorded_rather_than_zero(db):
    for _ in range(2):
        CaseFactory(kind=Kind.OMBUDSMAN, procedure="", received_on=D(2023, 6, 1))
    section = report(ombudsman).section("ombudsman")
    summary = section.tables[0]
    assert summary.cell("investigated", "2023") == "Not recorded"
    assert summary.cell("dealt-with", "2023") == 2
    assert "investigated 0" not in section.narrative
    assert "was not recorded" in section.narrative
    detailed = term("lgsco_enquiry_type", "detailed-investigation")
    CaseFactory(kind=Kind.OMBUDSMAN, procedure="", received_on=D(2023, 7, 1),
                lgsco_enquiry_type=detailed)  # fmt: skip
    assert report(ombudsman).table("ombudsman.summary").cell("investigated", "2023") == 1


# Complainants by team, enquiries by source ---------------------------------------------------


def test_complainant_roles_are_counted_by_team(teams):
    child, parent = term("complainant_role", "child"), term("complainant_role", "parent")
    for area, role, n in ((teams["fostering"], child, 3), (teams["fostering"], parent, 1),
                          (teams["mash"], parent, 2), (teams["mash"], None, 1)):  # fmt: skip
        for _ in range(n):
            CaseFactory(kind=Kind.COMPLAINT, received_on=D(2023, 9, 1), service_area=area,
                        complainant_role=role)  # fmt: skip
    table = report(complainants).table("complainants.roles_by_team")
    assert table.row("fostering").cells == {"child": 3, "parent": 1, "not-recorded": 0,
                                            "total": 4}  # fmt: skip
    assert table.row("mash").cells == {"child": 0, "parent": 2, "not-recorded": 1, "total": 3}
    published = report(complainants, publication=True).table("complainants.roles_by_team")
    assert published.row("fostering").cells["child"] == SUPPRESSED


def test_enquiries_are_counted_by_source_with_timeliness(db):
    mp, councillor = term("enquiry_source", "mp"), term("enquiry_source", "councillor")
    for source, due, answered in ((mp, D(2023, 5, 20), D(2023, 5, 19)),
                                  (mp, D(2023, 5, 20), D(2023, 5, 25)),
                                  (councillor, D(2023, 6, 20), D(2023, 6, 1)),
                                  (None, None, D(2023, 6, 1))):  # fmt: skip
        case = CaseFactory(kind=Kind.REPRESENTATION, procedure=Procedure.REPRESENTATION,
                           received_on=D(2023, 5, 2), enquiry_source=source,
                           status=Status.CLOSED, closed_on=answered,
                           resolution=Resolution.RESPONDED)  # fmt: skip
        StageFactory(case=case, response_due=due, responded_on=answered)
    table = report(enquiries).table("enquiries.timeliness_by_source")
    assert table.row("mp").cells == {"received": 2, "responded": 2, "within": 1,
                                     "within-percent": 50}  # fmt: skip
    assert table.row("councillor").cells["within-percent"] == 100
    assert table.row("not-recorded").cells == {"received": 1, "responded": 1, "within": 0,
                                               "within-percent": None}  # fmt: skip
    assert table.row("total").cells == {"received": 4, "responded": 4, "within": 2,
                                        "within-percent": 67}  # fmt: skip


# Groups of categories -----------------------------------------------------------------------


def test_a_group_of_categories_counts_each_complaint_once_with_its_upheld(db):
    from heard.reports import custom
    from heard.reports.models import CategoryGroup

    group = CategoryGroup.objects.create(name="Staff behaviour or communication", code="staff")
    group.categories.set([term("category", "staff-conduct"), term("category", "communication")])
    # Both categories: counted once. Upheld; not upheld; open; and one outside the group.
    for categories, outcome in ((["staff-conduct", "communication"], Finding.UPHELD),
                                (["communication"], Finding.NOT_UPHELD),
                                (["staff-conduct"], None),
                                (["delay"], Finding.UPHELD)):  # fmt: skip
        case = CaseFactory(kind=Kind.COMPLAINT, received_on=D(2023, 6, 1))
        case.categories.set([term("category", code) for code in categories])
        if outcome:
            StageFactory(case=case, responded_on=D(2023, 6, 20), outcome=outcome)
    table = report(focus).table("focus.category_groups")
    assert table.row("staff").label == "Staff behaviour or communication"
    assert table.row("staff").cells["2023"] == 3
    assert table.row("staff").cells["2023-upheld"] == 1
    assert table.row("staff").cells["2023-upheld-percent"] == 33
    spec = custom.TableSpec(measure="cases", rows="category_group", year=YEAR,
                            filters={"kind": ["complaint"]})  # fmt: skip
    by_group = custom.build(spec)
    assert by_group.cell("staff", "2023") == 3
    assert by_group.cell("not-recorded", "2023") == 1  # the delay complaint
    assert by_group.cell("total", "2023") == 4


# The executive summary ----------------------------------------------------------------------


def test_the_summary_agrees_with_the_sections(investigations):
    late(D(2023, 9, 1), "workload")
    built = annual.build(YEAR)
    assert built.sections[0].id == "summary"
    headlines = built.table("summary.headlines")
    assert headlines.cell("complaints", "2023") == built.table("volumes.received").cell(
        "complaint", "2023"
    )
    on_time = built.table("summary.performance").row("stage-1-on-time").cells
    response = built.table("timeliness.response").row("complaint").cells
    assert on_time["2023_count"] == response["2023-statutory"]
    assert on_time["2023_percent"] == response["2023-statutory-percent"]
    upheld = built.table("summary.performance").row("upheld").cells
    overall = built.table("outcomes.overall")
    assert upheld["2023_count"] == overall.cell("upheld", "2023") + overall.cell(
        "partially-upheld", "2023"
    )
    # Stage 1 answered in 2023-24: the investigated complaint (went to Stage 2) and the late one.
    escalated = built.table("summary.performance").row("escalated").cells
    assert (escalated["2023_count"], escalated["2023_of"]) == (1, 2)


# Previous years beside this year ------------------------------------------------------------


def _closed(received, resolution, stages=1, procedure=Procedure.CHILDRENS_STATUTORY):
    case = CaseFactory(kind=Kind.COMPLAINT, procedure=procedure, received_on=received,
                       status=Status.CLOSED, resolution=resolution,
                       closed_on=received + datetime.timedelta(days=40))  # fmt: skip
    for number in range(1, stages + 1):
        StageFactory(case=case, number=number, outcome=Finding.UPHELD,
                     requested_on=received + datetime.timedelta(days=number),
                     responded_on=received + datetime.timedelta(days=10 * number))  # fmt: skip
    return case


def test_how_complaints_were_handled_is_counted_each_year(db):
    _closed(D(2023, 5, 1), Resolution.RESPONDED)
    _closed(D(2023, 5, 2), Resolution.RESPONDED, stages=2)
    _closed(D(2023, 5, 3), Resolution.RESOLVED_ADR, stages=0)
    _closed(D(2023, 5, 4), Resolution.WITHDRAWN, stages=0)
    _closed(D(2022, 5, 1), Resolution.RESPONDED)  # the year before
    table = report(flow).table("flow.handling")
    assert table.cell("formal-1", "2023") == 1 and table.cell("formal-2", "2023") == 1
    assert table.cell("adr", "2023") == 1 and table.cell("withdrawn", "2023") == 1
    assert table.cell("total", "2023") == 4
    assert table.cell("formal-1", "2022") == 1 and table.cell("total", "2022") == 1


def test_outcomes_by_procedure_and_time_taken_show_last_year_beside_this(db):
    _closed(D(2023, 5, 1), Resolution.RESPONDED)
    _closed(D(2022, 5, 1), Resolution.RESPONDED)
    _closed(D(2022, 6, 1), Resolution.RESPONDED, procedure=Procedure.CORPORATE)
    built = annual.build(YEAR, sections=[outcomes_module(), timeliness])
    by_procedure = built.table("outcomes.by_procedure")
    statutory, corporate = Procedure.CHILDRENS_STATUTORY, Procedure.CORPORATE
    assert by_procedure.cell("upheld", statutory) == 1
    assert by_procedure.cell("upheld", f"{statutory}-2022") == 1
    assert by_procedure.cell("upheld", f"{corporate}-2022") == 1
    assert by_procedure.cell("total", f"{corporate}-2022-percent") == 100
    bands = built.table("timeliness.bands")
    group = f"{statutory}-1"
    assert bands.cell(group, "count") == 1 and bands.cell(group, "previous") == 1


def outcomes_module():
    from heard.reports.sections import outcomes

    return outcomes
