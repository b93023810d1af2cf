"""The sections first needed for East Riding's report: how complaints flowed through the
stages, who complained, complaints in context, contacts and requests for information.

Each test makes a handful of cases and checks the figures a reader would see."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from heard.cases.choices import InformationOutcome, Kind, Procedure, RequestType, Status
from heard.cases.models import PartFinding
from heard.reports import annual
from heard.reports.models import ContextFigure
from heard.reports.sections import complainants, contacts, context, flow, information
from heard.taxonomy.models import ServiceArea
from tests.factories import CaseFactory, PartFactory, ServiceAreaFactory, StageFactory, term

pytestmark = pytest.mark.django_db

STAT, CORP = Procedure.CHILDRENS_STATUTORY, Procedure.CORPORATE


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def complaint(received, *stages, closed=None, procedure=STAT, **fields):
    """A complaint with stages given as (number, asked for, responded to or None)."""
    case = CaseFactory(
        received_on=d(received),
        procedure=procedure,
        closed_on=d(closed) if closed else None,
        status=Status.CLOSED if closed else Status.OPEN,
        **fields,
    )
    for number, requested, responded in stages:
        StageFactory(
            case=case,
            number=number,
            requested_on=d(requested),
            responded_on=d(responded) if responded else None,
        )
    return case


def findings(case, stage_number, *found):
    """Parts 1, 2… of ``case`` with these findings at ``stage_number``."""
    stage = case.stages.get(number=stage_number)
    for number, finding in enumerate(found, start=1):
        part = case.parts.filter(number=number).first() or PartFactory(case=case, number=number)
        PartFinding.objects.create(stage=stage, part=part, finding=finding)


def report(*sections):
    return annual.build(2017, sections=list(sections))


def cells(rep, table_id, row):
    return rep.table(table_id).row(row).cells


# Flow ------------------------------------------------------------------------------------


def make_flow():
    # brought forward at Stage 2, resolved at Stage 2 in the year
    complaint(
        "2017-01-09",
        (1, "2017-01-09", "2017-01-20"),
        (2, "2017-02-06", "2017-05-10"),
        closed="2017-05-10",
    )
    # brought forward at Stage 1 (responded in March), closed in April
    complaint("2017-03-01", (1, "2017-03-01", "2017-03-15"), closed="2017-04-12")
    # new, resolved at Stage 1
    complaint("2017-06-01", (1, "2017-06-01", "2017-06-14"), closed="2017-06-14")
    # new, went to Stage 2 and is carried forward at it
    complaint("2017-07-03", (1, "2017-07-03", "2017-07-17"), (2, "2017-08-01", None))
    # new, straight to Stage 2, Stage 3 asked for and carried forward at Stage 3
    complaint("2017-09-04", (2, "2017-09-04", "2017-11-01"), (3, "2017-12-01", None))
    # new in March 2018, carried forward at Stage 1
    complaint("2018-03-20", (1, "2018-03-20", None))
    # last year's complaints, for the history: closed before this year
    complaint("2016-06-01", (1, "2016-06-01", "2016-06-10"), closed="2016-06-10")


def test_it_counts_complaints_brought_forward_new_resolved_and_carried_forward_by_stage():
    make_flow()
    rep = report(flow)
    stage1, stage2, stage3 = (cells(rep, "flow.childrens_statutory", n) for n in "123")
    assert (stage1["brought_forward"], stage2["brought_forward"]) == (1, 1)
    assert (stage1["new"], stage2["new"], stage3["new"]) == (3, 1, 0)
    assert (stage2["started"], stage3["started"]) == (2, 1)  # one progressed, one straight
    assert (stage1["resolved"], stage2["resolved"]) == (2, 1)
    assert (stage1["resolved_pct"], stage2["resolved_pct"]) == (67, 33)
    assert (stage1["carried_forward"], stage2["carried_forward"]) == (1, 1)
    assert stage3["carried_forward"] == 1
    total = cells(rep, "flow.childrens_statutory", "total")
    assert (total["brought_forward"], total["new"], total["carried_forward"]) == (2, 4, 3)


def test_its_history_counts_complaints_at_each_stage_during_the_year():
    make_flow()
    rep = report(flow)
    this_year = cells(rep, "flow.childrens_statutory_history", "2017")
    assert (this_year["dealt_with"], this_year["resolved"], this_year["resolved_1"]) == (6, 3, 2)
    # at Stage 2 during the year: brought forward at it, progressed to it, straight to it
    assert (this_year["progressed_2"], this_year["progressed_2_pct"]) == (3, 50)
    assert (this_year["progressed_3"], this_year["progressed_3_pct"]) == (1, 17)
    last_year = cells(rep, "flow.childrens_statutory_history", "2016")
    assert (last_year["new"], last_year["resolved_1"], last_year["carried_forward"]) == (3, 1, 2)
    assert last_year["progressed_2"] == 1


def test_statutory_findings_are_counted_on_complaints_resolved_at_that_stage():
    bf = complaint("2017-03-01", (1, "2017-03-01", "2017-03-15"), closed="2017-04-12")
    findings(bf, 1, "upheld", "not-upheld")
    escalated = complaint("2017-05-01", (1, "2017-05-01", "2017-05-12"), (2, "2017-06-01", None))
    findings(escalated, 1, "not-upheld", "not-upheld", "not-upheld")
    rep = report(flow)
    table = rep.table("flow.childrens_statutory_part_findings")
    assert table.cell("upheld", "s1") == 1
    assert table.cell("not-upheld", "s1") == 1  # not the three of the one still at Stage 2
    assert (table.cell("total", "s1"), table.cell("complaints", "s1")) == (2, 1)
    assert table.cell("upheld", "s1_pct") == 50


def test_corporate_findings_are_counted_on_stages_responded_to_in_the_year():
    went_on = complaint(
        "2017-05-01",
        (1, "2017-05-01", "2017-05-12"),
        (2, "2017-06-01", "2017-06-12"),
        closed="2017-06-12",
        procedure=CORP,
    )
    findings(went_on, 1, "upheld", "not-upheld")
    findings(went_on, 2, "not-upheld")
    rep = report(flow)
    table = rep.table("flow.corporate_part_findings")
    assert (table.cell("upheld", "s1"), table.cell("not-upheld", "s1")) == (1, 1)
    assert (table.cell("not-upheld", "s2"), table.cell("not-upheld", "s2_pct")) == (1, 100)
    assert "flow.corporate" in [t.id for t in rep.section("flow").tables]


def test_stage_2_and_3_are_counted_with_their_timeliness_and_costs():
    case = complaint("2017-04-03", (1, "2017-04-03", "2017-04-13"))
    StageFactory(
        case=case,
        number=2,
        requested_on=d("2017-05-02"),
        responded_on=d("2017-06-01"),
        response_due=d("2017-06-06"),
        independent_person_fee=Decimal("450.00"),
        investigating_officer_fee=Decimal("1200.00"),
    )
    late = complaint("2017-04-10", (1, "2017-04-10", "2017-04-20"))
    StageFactory(
        case=late,
        number=2,
        requested_on=d("2017-05-02"),
        responded_on=d("2017-09-01"),
        response_due=d("2017-08-01"),
    )
    StageFactory(case=late, number=3, requested_on=d("2017-09-20"), panel_on=d("2017-10-25"))
    rep = report(flow)
    stage2, stage3 = cells(rep, "flow.stage2_3", "2"), cells(rep, "flow.stage2_3", "3")
    assert (stage2["requested"], stage2["completed"], stage2["on_time"]) == (2, 2, 1)
    assert stage2["on_time_pct"] == 50
    assert (stage2["investigator_cost"], stage2["person_cost"]) == (1200.0, 450.0)
    assert (stage3["requested"], stage3["held"]) == (1, 1)


def test_the_drafted_paragraph_gives_the_flow_and_the_findings():
    make_flow()
    text = report(flow).section("flow").narrative
    assert "6 complaints dealt with in 2017-18 (4 new, 2 brought forward)" in text
    assert "2 (67%) at Stage 1" in text


# Complainants ----------------------------------------------------------------------------


def test_it_counts_complaints_from_under_18s_and_looked_after_children():
    child = term("complainant_role", "child")
    parent = term("complainant_role", "parent")
    complaint(
        "2017-05-01",
        complainant_role=child,
        complainant_under_18=True,
        complainant_looked_after=True,
        advocate_offered=True,
        advocate_accepted=True,
    )
    complaint(
        "2017-05-02",
        complainant_role=child,
        complainant_under_18=True,
        complainant_looked_after=False,
        advocate_offered=True,
        advocate_accepted=False,
    )
    complaint("2017-05-03", complainant_role=parent)
    complaint("2017-05-04", complainant_role=parent, procedure=CORP)
    rep = report(complainants)
    under_18 = cells(rep, "complainants.young_people", "under_18")
    assert (under_18[STAT], under_18[f"{STAT}_pct"]) == (2, 67)
    assert (under_18["all"], under_18["all_pct"]) == (2, 50)
    assert cells(rep, "complainants.young_people", "looked_after")[STAT] == 1
    assert cells(rep, "complainants.young_people", "advocate_accepted")["all"] == 1
    roles = rep.table("complainants.roles")
    assert roles.row("child").label == child.label
    assert (roles.cell("parent", STAT), roles.cell("parent", CORP)) == (1, 1)
    assert roles.cell("total", "all") == 4
    assert "Of the 3 children's social care complaints dealt with, 2 (67%) came from under 18" in (
        rep.section("complainants").narrative
    )


# Context ---------------------------------------------------------------------------------


def test_it_sets_complaints_against_the_figures_marked_as_a_base_for_rates():
    for n in range(3):
        complaint(f"2017-0{n + 5}-01")
    ContextFigure.objects.create(
        code="open-cases",
        label="Open social care cases",
        year=2017,
        value=200,
        as_at=d("2018-03-31"),
        rate_base=True,
    )
    ContextFigure.objects.create(
        code="open-cases", label="Open social care cases", year=2016, value=160, rate_base=True
    )
    ContextFigure.objects.create(
        code="population", label="Children in the area", year=2017, value=50000
    )
    rep = report(context)
    figures = rep.table("context.figures")
    assert figures.cell("open-cases", "2016") == 160
    assert figures.cell("open-cases", "2017") == 200
    assert figures.cell("open-cases", "change") == 25
    assert figures.cell("open-cases", "as_at") == "31 March 2018"
    rates = rep.table("context.rates")
    assert [row.key for row in rates.rows] == ["open-cases"]  # only the base for rates
    assert rates.cell("open-cases", f"{STAT}_dealt_with") == 3
    assert rates.cell("open-cases", f"{STAT}_pct") == 2  # 1.5% rounds up
    assert rates.cell("open-cases", f"{STAT}_per_1000") == 15.0


# Contacts --------------------------------------------------------------------------------


def test_it_counts_contacts_and_those_that_became_complaints():
    directorate = ServiceArea.objects.create(
        code="cs", name="Children's Services", level="directorate"
    )
    team = ServiceAreaFactory(name="Fostering", code="fostering", parent=directorate)
    became = CaseFactory(kind=Kind.COMMENT, received_on=d("2017-05-01"), service_area=team)
    CaseFactory(kind=Kind.COMMENT, received_on=d("2017-06-01"), service_area=team)
    CaseFactory(kind=Kind.COMMENT, received_on=d("2017-07-01"), service_area=team)
    CaseFactory(kind=Kind.COMMENT, received_on=d("2016-07-01"), service_area=team)
    complaint("2017-05-10", linked_case=became)
    rep = report(contacts)
    this_year = cells(rep, "contacts.received", "2017")
    assert (this_year["received"], this_year["became"], this_year["became_pct"]) == (3, 1, 33)
    assert (this_year["not_became"], this_year["not_became_change"]) == (2, 100)
    by_team = rep.table("contacts.by_team")
    assert by_team.row("fostering").label == "Fostering"
    assert (by_team.cell("fostering", "2016"), by_team.cell("fostering", "2017")) == (1, 3)
    assert by_team.cell("cs", "became") == 1
    assert "1 (33%) became formal complaints" in rep.section("contacts").narrative


# Information requests ----------------------------------------------------------------------


def request(
    received,
    request_type=RequestType.SAR,
    *,
    due=None,
    responded=None,
    closed=None,
    outcome="",
    further=False,
    **fields,
):
    case = CaseFactory(
        kind=Kind.INFORMATION_REQUEST,
        procedure=request_type,
        request_type=request_type,
        received_on=d(received),
        closed_on=d(closed or responded) if closed or responded else None,
        status=Status.CLOSED if closed or responded else Status.OPEN,
        information_outcome=outcome,
        further_records_request=further,
        **fields,
    )
    StageFactory(
        case=case,
        number=1,
        response_due=d(due) if due else None,
        responded_on=d(responded) if responded else None,
    )
    return case


def test_it_follows_what_became_of_the_subject_access_requests_received():
    request("2017-05-01", due="2017-06-10", responded="2017-06-01", outcome="released")
    request("2017-05-02", due="2017-06-11", responded="2017-06-20", outcome="partly")  # late
    request("2017-05-03", closed="2017-05-20", outcome=InformationOutcome.WITHDRAWN)
    request("2017-05-04", closed="2017-05-21", outcome=InformationOutcome.NO_RECORDS)
    request("2017-05-05", due="2017-06-14", responded="2017-06-01", further=True)
    request("2018-03-20", due="2018-04-29", responded="2018-04-20")  # open at the year end
    rep = report(information)
    sar = cells(rep, "information.sar", "2017")
    assert sar["received"] == 6
    assert (sar["not_progressed"], sar["completed"], sar["further"]) == (2, 2, 1)
    assert sar["carried_forward"] == 1
    assert (sar["in_time"], sar["in_time_pct"]) == (1, 50)
    assert cells(rep, "information.requests", "sar")["2017"] == 6
    assert "1 of 2 completed (50%) within the statutory timescale" in (
        rep.section("information").narrative
    )


def test_it_splits_subject_access_requests_by_the_service_whose_records_were_asked_for():
    level = ServiceArea.Level
    cfs = ServiceAreaFactory(name="Children", code="cfs", level=level.DIRECTORATE)
    csc = ServiceAreaFactory(name="Children's Social Care", code="csc", level=level.SERVICE,
                             parent=cfs)  # fmt: skip
    lac = ServiceAreaFactory(name="Looked After Children", code="lac", parent=csc)
    sen = ServiceAreaFactory(name="SEN", code="sen", level=level.SERVICE, parent=cfs)
    request("2017-05-01", due="2017-06-10", responded="2017-06-01", service_area=lac)
    request("2017-05-02", due="2017-06-11", responded="2017-06-05", service_area=csc)
    request("2017-05-03", closed="2017-05-20", outcome=InformationOutcome.WITHDRAWN,
            service_area=lac)  # fmt: skip
    request("2018-03-20", due="2018-04-29", responded="2018-04-20", service_area=lac)
    request("2017-05-05", due="2017-06-14", responded="2017-06-01", further=True,
            service_area=lac)  # fmt: skip
    request("2017-05-06", due="2017-06-15", responded="2017-06-02", service_area=sen)
    request("2017-05-07", RequestType.FOI, due="2017-06-05", responded="2017-06-01",
            service_area=lac)  # fmt: skip
    rep = report(information)
    by_service = rep.table("information.sar_by_service")
    assert [r.key for r in by_service.rows] == ["csc", "sen", "cfs", "total"]
    csc_row = by_service.row("csc").cells
    assert (csc_row["received"], csc_row["completed"], csc_row["carried_forward"]) == (5, 2, 1)
    assert (csc_row["not_progressed"], csc_row["further"]) == (1, 1)
    assert (csc_row["dealt_with"], csc_row["dealt_with_pct"]) == (3, 75)  # of 4 dealt with
    assert by_service.cell("total", "dealt_with") == 4
    assert by_service.cell("total", "received") == 6


def test_it_counts_disclosure_requests_by_who_asked():
    police = term("disclosure_requester", "police")
    court = term("disclosure_requester", "court")
    for requester in (police, police, court):
        request("2017-06-01", RequestType.DISCLOSURE, disclosure_requester=requester)
    request("2017-06-01", RequestType.FOI, due="2017-06-29", responded="2017-06-20")
    rep = report(information)
    disclosure = rep.table("information.disclosure")
    assert disclosure.row("police").label == police.label
    assert (disclosure.cell("police", "2017"), disclosure.cell("court", "2017")) == (2, 1)
    assert disclosure.cell("total", "2017") == 3
    assert cells(rep, "information.foi", "2017")["in_time_pct"] == 100
