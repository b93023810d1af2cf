"""The annual report's service area, focus, outcome and timeliness sections, on small
hand-made data: which cases each table counts, and how."""

from __future__ import annotations

import datetime

import pytest

from heard.cases.choices import Kind, Procedure, Resolution, Status
from heard.reports import annual
from heard.reports.definitions import YEAR_END
from heard.reports.sections import focus, outcomes, service_areas, timeliness
from heard.taxonomy.models import ServiceArea
from tests.factories import (
    CaseFactory,
    LocalityFactory,
    PartFactory,
    ServiceAreaFactory,
    StageFactory,
    term,
)

pytestmark = pytest.mark.django_db

STAT, CORP = Procedure.CHILDRENS_STATUTORY, Procedure.CORPORATE
D = datetime.date


@pytest.fixture
def areas():
    """Two directorates: Safeguarding (Social Work, Fostering) and Learning (SEND)."""
    level = ServiceArea.Level
    safeguarding = ServiceAreaFactory(name="Safeguarding", code="sg", level=level.DIRECTORATE)
    learning = ServiceAreaFactory(name="Learning", code="ln", level=level.DIRECTORATE)
    return {
        "sg": safeguarding,
        "ln": learning,
        "social-work": ServiceAreaFactory(name="Social Work", code="social-work",
                                          parent=safeguarding),
        "fostering": ServiceAreaFactory(name="Fostering", code="fostering", parent=safeguarding),
        "send": ServiceAreaFactory(name="SEND", code="send", parent=learning),
    }  # fmt: skip


def complaint(area, received, *, procedure=STAT, kind=Kind.COMPLAINT, categories=(),
              locality=None, **fields):  # fmt: skip
    case = CaseFactory(kind=kind, procedure=procedure, received_on=received, service_area=area,
                       locality=locality, **fields)  # fmt: skip
    for code in categories:
        case.categories.add(term("category", code))
    return case


def stage(case, number=1, requested=None, **fields):
    return StageFactory(case=case, number=number, requested_on=requested or case.received_on,
                        **fields)  # fmt: skip


def responded(area, received, outcome, answered, *, procedure=STAT, **fields):
    case = complaint(area, received, procedure=procedure, status=Status.CLOSED,
                     resolution=Resolution.RESPONDED, closed_on=answered, **fields)  # fmt: skip
    stage(case, responded_on=answered, outcome=outcome, acknowledged_on=received)
    return case


def build(module, outcome_basis=YEAR_END):
    return module.build(annual.make_context(2017, outcome_basis=outcome_basis))


def rows(section, table_id):
    table = next(t for t in section.tables if t.id == table_id)
    return {row.key: row for row in table.rows}


# Service areas -----------------------------------------------------------------------------


def test_it_counts_complaints_by_team_with_directorate_subtotals(areas):
    for _ in range(3):
        complaint(areas["social-work"], D(2017, 5, 2))
    complaint(areas["fostering"], D(2018, 3, 30))
    complaint(areas["send"], D(2017, 4, 1), procedure=CORP)
    complaint(areas["send"], D(2018, 4, 1), procedure=CORP)  # next year: not counted
    complaint(areas["send"], D(2016, 6, 1), procedure=CORP)  # last year
    complaint(areas["social-work"], D(2017, 6, 1), kind=Kind.REPRESENTATION, procedure="")

    section = build(service_areas)
    table = rows(section, "service_areas.complaints")
    assert table["social-work"].cells == {"count": 3, "percent": 60}
    assert table["social-work"].group == "sg" and table["social-work"].level == 1
    assert table["fostering"].cells == {"count": 1, "percent": 20}
    assert table["sg"].total and table["sg"].cells == {"count": 4, "percent": 80}
    assert table["send"].cells == {"count": 1, "percent": 20}
    assert table["total"].cells == {"count": 5, "percent": 100}
    assert rows(section, "service_areas.representations")["sg"].cells["count"] == 1

    change = rows(section, "service_areas.change_by_directorate")
    assert change["ln"].cells == {"2016": 1, "2017": 1, "change": 0, "difference": 0}
    assert change["sg"].cells["2016"] == 0 and change["sg"].cells["change"] is None
    assert change["total"].cells["2017"] == 5

    split = rows(section, "service_areas.by_procedure")
    assert split["send"].cells["corporate"] == 1
    assert split["sg"].cells["childrens_statutory"] == 4
    assert split["total"].cells["total"] == 5
    assert "Of the 5 complaints received in 2017-18: 4 (80%) Safeguarding" in section.narrative
    assert "Social Work (3, 60%)" in section.narrative


# Focus -------------------------------------------------------------------------------------


def test_it_counts_each_category_of_a_complaint_and_falls_back_on_its_parts(areas):
    complaint(areas["social-work"], D(2017, 5, 2), categories=["communication", "delay"])
    complaint(areas["send"], D(2017, 5, 3), procedure=CORP, categories=["delay"])
    no_category = complaint(areas["send"], D(2017, 5, 4), procedure=CORP)
    PartFactory(case=no_category, number=1, category=term("category", "communication"))
    complaint(areas["send"], D(2017, 5, 5), procedure=CORP)  # nothing recorded at all
    complaint(areas["send"], D(2016, 5, 5), procedure=CORP, categories=["delay"])

    section = build(focus)
    table = rows(section, "focus.complaints")
    delay, communication = table["delay"].cells, table["communication"].cells
    assert (delay["2017"], delay["2017-percent"], delay["2016"], delay["2016-percent"]) == (
        2, 50, 1, 100)  # fmt: skip
    assert (delay["statutory"], delay["corporate"], delay["corporate-percent"]) == (1, 1, 50)
    assert (communication["2017"], communication["statutory"]) == (2, 1)
    assert table["not-recorded"].cells["2017"] == 1
    assert table["total"].cells["2017"] == 4
    assert "quality-of-service" not in table  # categories nobody used are left out
    assert "related to delay: 2 of 4 (50%), of which 1 statutory and 1 corporate" in (
        section.narrative
    )


def test_it_gives_the_reasons_for_the_complaints_dealt_with_each_year(areas):
    sw = areas["social-work"]
    # brought forward into 2017-18: dealt with in both years
    complaint(sw, D(2017, 3, 1), categories=["communication", "delay"])
    complaint(sw, D(2017, 5, 2), categories=["delay"], status=Status.CLOSED,
              closed_on=D(2017, 6, 1))  # fmt: skip
    complaint(sw, D(2017, 6, 2), categories=["communication"])
    complaint(
        sw, D(2016, 5, 2), categories=["delay"], status=Status.CLOSED, closed_on=D(2017, 3, 1)
    )  # closed before 2017-18: not dealt with in it
    complaint(areas["send"], D(2017, 5, 3), procedure=CORP, categories=["delay"])

    section = build(focus)
    table = rows(section, "focus.dealt_with_childrens_statutory")
    delay, communication = table["delay"].cells, table["communication"].cells
    assert table["total"].cells["2017"] == 3  # complaints dealt with
    assert table["reasons"].cells["2017"] == 4  # reasons given
    assert (delay["2017"], delay["2017-percent"], delay["2017-share"]) == (2, 67, 50)
    assert (communication["2017"], communication["2017-share"]) == (2, 50)
    assert (table["total"].cells["2016"], delay["2016"], delay["2016-share"]) == (2, 2, 67)
    corporate = rows(section, "focus.dealt_with_corporate")
    assert corporate["delay"].cells["2017"] == 1 and "communication" not in corporate


# Outcomes ----------------------------------------------------------------------------------


def test_it_gives_each_complaint_its_outcome_at_the_end_of_the_year(areas):
    sw = areas["social-work"]
    responded(sw, D(2017, 5, 2), "upheld", D(2017, 5, 20))
    responded(sw, D(2017, 6, 2), "not-upheld", D(2017, 6, 20))
    responded(sw, D(2018, 3, 20), "upheld", D(2018, 4, 10))  # answered after the year end
    withdrawn = complaint(sw, D(2017, 7, 3), status=Status.CLOSED, closed_on=D(2017, 7, 20),
                          resolution=Resolution.WITHDRAWN)  # fmt: skip
    stage(withdrawn)
    complaint(sw, D(2017, 8, 1), status=Status.CLOSED, closed_on=D(2017, 8, 3),
              resolution=Resolution.REFUSED_OTHER_PROCESS)  # fmt: skip
    escalated = responded(areas["send"], D(2017, 4, 3), "not-upheld", D(2017, 5, 1),
                          procedure=CORP)  # fmt: skip
    stage(escalated, 2, D(2017, 5, 10), responded_on=D(2017, 7, 1), outcome="upheld")
    responded(sw, D(2017, 3, 1), "upheld", D(2017, 4, 5))  # last year's, open on 31 March 2017

    section = build(outcomes)
    overall = rows(section, "outcomes.overall")
    assert overall["upheld"].cells["2017"] == 2  # the escalated one: stage 2 upheld it
    assert overall["upheld"].cells["2017-percent"] == 33  # of the 6 received
    assert overall["not-upheld"].cells["2017"] == 1
    assert overall["withdrawn"].cells["2017"] == overall["refused"].cells["2017"] == 1
    assert overall["still-open"].cells["2017"] == 1
    assert overall["still-open"].cells["2016"] == 1
    assert overall["total"].cells["2017"] == 6

    by_team = rows(section, "outcomes.statutory_by_team")
    assert by_team["social-work"].cells["upheld"] == 1
    assert by_team["social-work"].cells["upheld-percent"] == 20  # of all 5 statutory
    assert by_team["social-work"].cells["total-percent"] == 100
    corporate = rows(section, "outcomes.corporate_by_team")
    assert corporate["send"].cells["upheld-percent"] == 100

    stages = rows(section, "outcomes.by_stage")
    assert stages["1"].cells["total"] == 4  # responded in the year (one from last year's)
    assert stages["2"].cells["upheld"] == 1 and stages["2"].cells["upheld-percent"] == 100
    assert stages["3"].cells["total"] == 0
    assert "still open at the end of the year" in section.narrative


def test_it_breaks_down_the_largest_teams_statutory_complaints_by_locality(areas):
    north, south = LocalityFactory(name="North"), LocalityFactory(name="South")
    for _ in range(3):
        responded(areas["social-work"], D(2017, 5, 2), "upheld", D(2017, 5, 9), locality=north)
    responded(areas["social-work"], D(2017, 5, 2), "not-upheld", D(2017, 5, 9), locality=south)
    responded(areas["fostering"], D(2017, 5, 2), "upheld", D(2017, 5, 9), locality=south)

    section = build(outcomes)
    table = rows(section, "outcomes.by_locality")
    assert table["north"].cells["upheld"] == 3 and table["north"].cells["upheld-percent"] == 75
    assert table["south"].cells["upheld"] == 0  # Fostering is not the largest team
    assert table["total"].cells["total"] == 4
    assert "Social Work" in next(t for t in section.tables if t.id == "outcomes.by_locality").title
    everyone = outcomes.by_locality(annual.make_context(2017), team="all")
    assert everyone.row("south").cells["upheld"] == 1


def test_it_crosses_outcomes_with_the_focus_of_statutory_and_corporate_complaints(areas):
    responded(areas["social-work"], D(2017, 5, 2), "upheld", D(2017, 5, 9),
              categories=["communication"])  # fmt: skip
    responded(areas["social-work"], D(2017, 5, 2), "not-upheld", D(2017, 5, 9),
              categories=["delay"])  # fmt: skip
    responded(areas["send"], D(2017, 5, 2), "upheld", D(2017, 5, 9), procedure=CORP,
              categories=["delay"])  # fmt: skip

    section = build(outcomes)
    statutory = rows(section, "outcomes.statutory_by_focus")
    assert statutory["communication"].cells["upheld-percent"] == 50
    assert statutory["delay"].cells["not-upheld"] == 1
    corporate = rows(section, "outcomes.corporate_by_focus")
    assert corporate["delay"].cells["upheld"] == 1 and "communication" not in corporate


# Timeliness --------------------------------------------------------------------------------


def test_it_measures_acknowledgements_against_the_local_and_statutory_targets(areas):
    monday = D(2017, 6, 5)  # a week with no bank holiday
    sw = areas["social-work"]
    on_time = complaint(sw, monday)
    stage(on_time, acknowledged_on=D(2017, 6, 7), acknowledgement_due=D(2017, 6, 12))
    third_day = complaint(sw, monday)
    stage(third_day, acknowledged_on=D(2017, 6, 8), acknowledgement_due=D(2017, 6, 12))
    late = complaint(sw, monday)
    stage(late, acknowledged_on=D(2017, 6, 13), acknowledgement_due=D(2017, 6, 12))
    never = complaint(areas["send"], monday, procedure=CORP)
    stage(never, acknowledgement_due=D(2017, 6, 8))
    last_year = complaint(sw, D(2016, 6, 6))
    stage(last_year, acknowledged_on=D(2016, 6, 7), acknowledgement_due=D(2016, 6, 13))

    section = build(timeliness)
    ack = rows(section, "timeliness.acknowledgement")
    assert ack["complaint"].cells["2017-count"] == 4
    assert ack["complaint"].cells["2017-local"] == 1
    assert ack["complaint"].cells["2017-local-percent"] == 25
    assert ack["childrens_statutory"].cells["2017-statutory"] == 2
    assert ack["childrens_statutory"].cells["2017-statutory-percent"] == 67
    assert ack["corporate"].cells["2017-statutory-percent"] == 0
    assert ack["childrens_statutory"].cells["2016-local-percent"] == 100
    assert "25% of complaints were acknowledged within the local target" in section.narrative


def test_it_measures_responses_on_the_stages_answered_in_the_year(areas):
    sw = areas["social-work"]
    monday = D(2017, 6, 5)
    quick = complaint(sw, monday)
    stage(quick, responded_on=D(2017, 7, 3), response_due=D(2017, 7, 3))  # 20 working days
    slow = complaint(sw, monday)
    stage(slow, responded_on=D(2017, 7, 4), response_due=D(2017, 7, 14))  # 21, but extended
    escalated = complaint(sw, D(2017, 4, 3))
    stage(escalated, responded_on=D(2017, 4, 10))
    stage(escalated, 2, D(2017, 4, 20), responded_on=D(2017, 9, 1), response_due=D(2017, 7, 25))
    brought = complaint(sw, D(2017, 3, 20))  # received last year, answered this year
    stage(brought, responded_on=D(2017, 4, 3))

    section = build(timeliness)
    response = rows(section, "timeliness.response")
    first = response["childrens_statutory-1"].cells
    assert first["2017-count"] == 4
    assert first["2017-local"] == 3  # all but the 21-day one
    assert first["2017-statutory"] == 2 and first["2017-statutory-percent"] == 100
    second = response["childrens_statutory-2"].cells
    assert second["2017-count"] == 1 and second["2017-statutory"] == 0
    assert second["2017-local"] is None  # the local 20-day target is for first responses
    assert response["complaint"].cells["2017-local-percent"] == 75
    assert "statutory complaints, stage 2: 1 of 1" in section.narrative

    bands = rows(section, "timeliness.bands")
    assert bands["childrens_statutory-1-10 or fewer"].cells["count"] == 2
    assert bands["childrens_statutory-1-11–20"].cells["count"] == 1
    assert bands["childrens_statutory-1-21–30"].cells == {
        "previous": 0,
        "previous-percent": None,
        "count": 1,
        "percent": 25,
    }  # nothing answered in 2016-17
    assert bands["childrens_statutory-1"].cells["count"] == 4
    assert bands["childrens_statutory-2-Over 65"].cells["count"] == 1


def test_bands_can_be_set_per_procedure_and_stage(areas):
    case = complaint(areas["social-work"], D(2017, 4, 3))
    stage(case, responded_on=D(2017, 4, 10))
    stage(case, 2, D(2017, 4, 20), responded_on=D(2017, 6, 1))
    table = timeliness.bands(annual.make_context(2017), timeliness.EAST_RIDING_BANDS)
    assert table.row("childrens_statutory-2-26–65").cells["count"] == 1
    assert table.row("childrens_statutory-1-<10").cells["count"] == 1
    by_name = timeliness.bands(annual.make_context(2017), "east-riding")
    assert [r.key for r in by_name.rows] == [r.key for r in table.rows]
    default = timeliness.bands(annual.make_context(2017))
    assert default.row("childrens_statutory-1-10 or fewer").cells["count"] == 1


def test_bands_show_cases_closed_at_a_stage_without_a_response(areas):
    sw = areas["social-work"]
    answered = complaint(sw, D(2017, 4, 3))
    stage(answered, responded_on=D(2017, 4, 10))
    withdrawn = complaint(sw, D(2017, 5, 1), closed_on=D(2017, 5, 8), status=Status.CLOSED,
                          resolution=Resolution.WITHDRAWN)  # fmt: skip
    stage(withdrawn)
    adr = complaint(sw, D(2017, 6, 1), closed_on=D(2017, 6, 9), status=Status.CLOSED,
                    resolution=Resolution.RESOLVED_ADR)  # fmt: skip
    stage(adr)
    at_stage_2 = complaint(sw, D(2017, 4, 3), closed_on=D(2017, 7, 3), status=Status.CLOSED,
                           resolution=Resolution.WITHDRAWN)  # fmt: skip
    stage(at_stage_2, responded_on=D(2017, 4, 20))
    stage(at_stage_2, 2, D(2017, 5, 2))
    next_year = complaint(sw, D(2018, 3, 1), closed_on=D(2018, 4, 3), status=Status.CLOSED,
                          resolution=Resolution.WITHDRAWN)  # fmt: skip
    stage(next_year)

    table = timeliness.bands(annual.make_context(2017))
    cells = {row.key: row.cells["count"] for row in table.rows}
    assert cells["childrens_statutory-1"] == 2  # responses: answered, and at_stage_2's first
    assert cells["childrens_statutory-1-withdrawn"] == 1  # not next year's
    assert cells["childrens_statutory-1-resolved_adr"] == 1
    assert cells["childrens_statutory-1-all"] == 4
    assert cells["childrens_statutory-2-withdrawn"] == 1
    assert cells["childrens_statutory-2"] == 0 and cells["childrens_statutory-2-all"] == 1
    assert table.row("childrens_statutory-1-withdrawn").cells["percent"] is None
