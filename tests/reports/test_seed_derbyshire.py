"""Derbyshire County Council's Children's Services annual report 2017-18, reproduced from
case-level data.

The fixture (tests/fixtures/seeds/derbyshire/derbyshire.json, written by build.py beside it)
holds invented but plausible cases for 2014-15 to 2017-18. It is imported through
``heard import`` and the annual report for 2017 is built from it; every figure the published
report gives that case-level data determines is compared with the report's JSON. The published
figures are written here as published (the one place hard-coded figures are right).

Published figures that are NOT reproduced, and why
--------------------------------------------------
``NOT_REPRODUCED`` below lists the table cells where the published figure cannot come out of
any set of cases, with the figure Heard gives (asserted too, so the test still fails if it
changes). They fall into three groups:

- Rounding in the source: small percentages rounded up or truncated where the counts say
  otherwise ("* NB: Small percentages subject to rounding"): 218 of 292 complaints is 74.66%,
  published 74%; 4 of 292 is 1.4%, published 2%; Early Help & Safeguarding's 78 more complaints
  on 140 is +55.7%, published 55%; in the corporate outcomes table 22 upheld of 91 is 24.2%,
  published 25%, 2 of 91 is 2.2%, published 3%, 10 of 91 is 11.0%, published 12%, and so on.
- Inconsistent tables in the source: the statutory outcomes table gives Social Work & Family
  Support 82% of statutory complaints where the text says 80% (161 of 201, from the
  directorate table less the 2 corporate ones); its Fostering & Adoption column (2%+2%+4%+1% =
  9%) needs at least 18 complaints where the directorate table gives 17; the corporate
  outcomes table's Total row gives 44 not upheld where its rows add up to 46 (and 51% is 46 of
  91), and "19% (18%)" partially upheld where 18 of 91 is 20%; SEND's row adds up to 48 of its
  49 complaints (the 49th is shown here as still open). The text gives 36% of statutory
  complaints about the standard of service where 71 of 201 (its own figure) is 35%.
- The statutory outcomes table shows only four teams, but the directorate and corporate tables
  leave one statutory complaint each for Elective Home Education and the Integration Pathways
  Team (201 statutory = 292 - 91 corporate): they are kept, so the table here has them too.

Figures that are not case-level (not asserted): the Context section (initial contacts 24,095
and 25,749, referrals 7,368 and 8,645, single assessments 8,513 and "+6%", 719 children in care
and "+14%", 1,010 child protection plans and "-2%", 5,428 children in need and "+5%", pupils
about 112,000, funded early education 16,200 / 16,820 and 1,700 two year olds) is in the
fixture as ``context_figures`` but the importer does not read them yet, so the context section
is not compared; the percentage changes whose previous values the report does not give are not
in the fixture at all, and the contacts' "decrease of 7.4% (1654 contacts)" is 6.4% of 25,749.
The School Admissions & Transport "58% decrease" (17 to 7) is -58.8% (a truncation); it and the
SEND "188% increase" (17 to 49) are checked through their counts, on the 2016-17 report. Compliments
and Ombudsman cases before 2016-17 are not published and not in the fixture. The learning
points are free text: they are recorded as publishable lessons and compared as text.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from heard.reports import annual
from heard.reports.definitions import YEAR_END
from heard.reports.measures import percent
from heard.reports.sections import (
    compliments,
    flow,
    focus,
    learning,
    ombudsman,
    outcomes,
    service_areas,
    timeliness,
    volumes,
)

#: The tests read the reports built once by the module's ``reports`` fixture; the mark makes
#: pytest-django set up the test database for it.
pytestmark = pytest.mark.django_db

FIXTURE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "derbyshire" / "derbyshire.json"
)
SECTIONS = [
    volumes, service_areas, focus, outcomes, timeliness, ombudsman, compliments, learning, flow,
]  # fmt: skip

#: (table, row, column) -> (published, Heard's figure, why they differ).
NOT_REPRODUCED = {
    ("service_areas.complaints", "ehs", "percent"): (74, 75, "218/292 = 74.66%"),
    ("service_areas.complaints", "ehe", "percent"): (2, 1, "4/292 = 1.37%"),
    ("service_areas.complaints", "schools", "percent"): (2, 1, "4/292 = 1.37%"),
    ("service_areas.complaints", "sl-sat", "percent"): (3, 2, "7/292 = 2.40%"),
    ("service_areas.change_by_directorate", "ehs", "change"): (55, 56, "78/140 = 55.7%"),
    ("outcomes.statutory_by_team", "fostering-adoption", "not-upheld-percent"): (
        4, 3, "the column needs 18 complaints; the directorate table gives 17"),
    ("outcomes.statutory_by_team", "fostering-adoption", "total-percent"): (
        9, 8, "17/201 = 8.46%"),
    ("outcomes.statutory_by_team", "swfs", "not-upheld-percent"): (
        41, 39, "the column needs 164 complaints; the directorate table leaves 161"),
    ("outcomes.statutory_by_team", "swfs", "total-percent"): (
        82, 80, "161/201 = 80.1%, as the report's own text says (80%)"),
    ("outcomes.statutory_by_team", "starting-point", "total-percent"): (4, 5, "10/201 = 4.98%"),
    ("outcomes.statutory_by_focus", "standard-of-service", "total-percent"): (
        36, 35, "71/201 = 35.3% (71 is the report's own count)"),
    ("outcomes.corporate_by_team", "ehe", "not-upheld-percent"): (2, 3, "3/91 = 3.3%"),
    ("outcomes.corporate_by_team", "ehe", "total-percent"): (2, 3, "3/91 = 3.3%"),
    ("outcomes.corporate_by_team", "mat", "not-upheld-percent"): (12, 11, "10/91 = 11.0%"),
    ("outcomes.corporate_by_team", "mat", "upheld-percent"): (3, 2, "2/91 = 2.2%"),
    ("outcomes.corporate_by_team", "mat", "total-percent"): (18, 16, "15/91 = 16.5%"),
    ("outcomes.corporate_by_team", "schools", "not-upheld-percent"): (5, 4, "4/91 = 4.4%"),
    ("outcomes.corporate_by_team", "schools", "total-percent"): (5, 4, "4/91 = 4.4%"),
    ("outcomes.corporate_by_team", "send", "total-percent"): (53, 54, "49/91 = 53.8%"),
    ("outcomes.corporate_by_team", "total", "upheld-percent"): (25, 24, "22/91 = 24.2%"),
    ("outcomes.corporate_by_team", "total", "partially-upheld-percent"): (
        19, 20, 'published "19% (18%)"; 18/91 = 19.8%'),
    ("outcomes.corporate_by_team", "total", "not-upheld"): (
        44, 46, "the rows add up to 46, and 51% is 46 of 91"),
}  # fmt: skip


@pytest.fixture(scope="module")
def reports(django_db_setup, django_db_blocker):
    """The annual reports for 2017-18 (and 2016-17, for last year's team figures), built
    once from the imported fixture; the import is rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import", str(FIXTURE), create_missing=True, stdout=io.StringIO())
        built = {
            # Derbyshire published each complaint's outcome as it stood at the end of the
            # year: the edition choice "as at the end of the year".
            2017: annual.build(2017, sections=SECTIONS, outcome_basis=YEAR_END).to_dict(),
            2016: annual.build(2016, sections=[service_areas]).to_dict(),
        }
        transaction.set_rollback(True)
    return built


def table(report: dict, table_id: str) -> dict:
    for section in report["sections"]:
        for found in section["tables"]:
            if found["id"] == table_id:
                return found
    raise KeyError(table_id)


def cells(report: dict, table_id: str) -> dict[str, dict]:
    return {row["key"]: row["cells"] for row in table(report, table_id)["rows"]}


def compare(report: dict, table_id: str, published: dict[tuple[str, str], int | None]) -> None:
    """Every published (row, column) figure against the report's cell; a known difference
    must be exactly the one documented in NOT_REPRODUCED."""
    rows = cells(report, table_id)
    wrong = []
    for (row, column), figure in published.items():
        got = rows.get(row, {}).get(column, 0 if row not in rows else None)
        expected = figure
        known = NOT_REPRODUCED.get((table_id, row, column))
        if known is not None:
            assert known[0] == figure, f"{table_id} {row} {column}: published figure changed"
            expected = known[1]
        if got != expected:
            wrong.append(f"{row} / {column}: published {figure}, expected {expected}, got {got}")
    assert not wrong, f"{table_id}:\n" + "\n".join(wrong)


def count_and_percent(figures: dict[str, tuple[int, int]]) -> dict:
    published = {}
    for row, (count, pct) in figures.items():
        published[(row, "count")] = count
        published[(row, "percent")] = pct
    return published


def test_volumes_over_four_years(reports):
    compare(reports[2017], "volumes.received", {
        ("complaint", "2014"): 201, ("complaint", "2015"): 170, ("complaint", "2016"): 189,
        ("complaint", "2017"): 292, ("complaint", "change"): 54,
        ("representation", "2014"): 80, ("representation", "2015"): 113,
        ("representation", "2016"): 94, ("representation", "2017"): 117,
        ("representation", "change"): 24,
        ("compliment", "2016"): 109, ("compliment", "2017"): 85,
        ("ombudsman", "2016"): 10, ("ombudsman", "2017"): 30,
    })  # fmt: skip


def test_complaints_by_directorate_and_team(reports):
    compare(reports[2017], "service_areas.complaints", count_and_percent({
        "mat": (15, 5), "swfs": (163, 56), "dct": (12, 4), "services-for-teenagers": (1, 0),
        "fostering-adoption": (17, 6), "starting-point": (10, 3), "ehs": (218, 74),
        "ore": (2, 1), "ehe": (4, 2), "ipt": (1, 0), "schools": (4, 2), "send": (49, 17),
        "virtual-school": (1, 0), "sl-sat": (7, 3), "development": (1, 0), "inclusion": (1, 0),
        "education-welfare": (1, 0), "education-improvement": (1, 0), "sl": (72, 25),
        "quality-assurance": (2, 1), "qpp": (2, 1), "total": (292, 100),
    }))  # fmt: skip


def test_representations_by_directorate_and_team(reports):
    compare(reports[2017], "service_areas.representations", count_and_percent({
        "dct": (6, 5), "fostering-adoption": (2, 2), "ehs-inclusion": (1, 1), "mat": (1, 1),
        "swfs": (38, 32), "ehs": (48, 41), "education-improvement": (2, 2),
        "education-welfare": (1, 1), "ehe": (1, 1), "inclusion": (2, 2), "sl-sat": (12, 10),
        "schools": (10, 9), "send": (40, 34), "sl": (68, 58), "business-support": (1, 1),
        "qpp": (1, 1), "total": (117, 100),
    }))  # fmt: skip


def test_change_by_directorate_and_last_years_teams(reports):
    compare(reports[2017], "service_areas.change_by_directorate", {
        ("ehs", "2016"): 140, ("ehs", "2017"): 218, ("ehs", "difference"): 78,
        ("ehs", "change"): 55,
        ("sl", "2016"): 49, ("sl", "2017"): 72, ("sl", "difference"): 23, ("sl", "change"): 47,
        ("total", "2016"): 189, ("total", "2017"): 292, ("total", "change"): 54,
    })  # fmt: skip
    # "a 58% decrease in ... school admissions and transport from 17 in 2016/17 to 7" and "a
    # 188% increase in complaints relating to SEND from 17 ... to 49" (corporate complaints).
    compare(reports[2016], "service_areas.by_procedure",
            {("sl-sat", "corporate"): 17, ("send", "corporate"): 17})  # fmt: skip
    compare(reports[2017], "service_areas.by_procedure", {
        ("sl-sat", "corporate"): 7, ("send", "corporate"): 49,
        ("total", "childrens_statutory"): 201, ("total", "corporate"): 91,
    })  # fmt: skip


def test_focus_of_complaints_and_representations(reports):
    compare(reports[2017], "focus.complaints", {
        ("standard-of-service", "2017"): 96, ("standard-of-service", "2017-percent"): 33,
        ("standard-of-service", "statutory"): 71,
        ("standard-of-service", "statutory-percent"): 74,
        ("standard-of-service", "corporate"): 25,
        ("standard-of-service", "corporate-percent"): 26,
        ("standard-of-service", "2016-percent"): 9,
        ("service-decisions", "2017"): 59, ("service-decisions", "2017-percent"): 20,
        ("service-decisions", "statutory"): 40, ("service-decisions", "statutory-percent"): 68,
        ("service-decisions", "corporate"): 19, ("service-decisions", "corporate-percent"): 32,
        ("service-decisions", "2016-percent"): 24,
        ("staff-behaviour", "2017"): 49, ("staff-behaviour", "2017-percent"): 17,
        ("staff-behaviour", "statutory"): 40, ("staff-behaviour", "statutory-percent"): 82,
        ("staff-behaviour", "corporate"): 9, ("staff-behaviour", "corporate-percent"): 18,
        ("staff-behaviour", "2016-percent"): 11,
        ("communication", "2017-percent"): 13, ("communication", "2016-percent"): 41,
        ("total", "2017"): 292,
    })  # fmt: skip
    rows = cells(reports[2017], "focus.complaints")
    ranked = sorted((k for k in rows if k != "total"), key=lambda k: -rows[k]["2017"])
    assert ranked[:3] == ["standard-of-service", "service-decisions", "staff-behaviour"]
    compare(reports[2017], "focus.representations", {
        ("standard-of-service", "2017-percent"): 43, ("service-decisions", "2017-percent"): 21,
    })  # fmt: skip


def test_outcomes_overall(reports):
    compare(reports[2017], "outcomes.overall", {
        ("upheld", "2017-percent"): 19, ("upheld", "2016-percent"): 31,
        # "partially upheld has increased by 9 percentage points ... at 12%": 21%.
        ("partially-upheld", "2017-percent"): 21, ("partially-upheld", "2016-percent"): 12,
        ("not-upheld", "2017-percent"): 51, ("not-upheld", "2016-percent"): 51,
    })  # fmt: skip


STATUTORY_TABLE = {  # team -> published % of all statutory complaints, by outcome
    "dct": {"upheld": 1, "partially-upheld": 2, "not-upheld": 2, "withdrawn": 0, "refused": 0,
            "still-open": 0, "total": 5},
    "fostering-adoption": {"upheld": 2, "partially-upheld": 2, "not-upheld": 4, "withdrawn": 0,
                           "refused": 0, "still-open": 1, "total": 9},
    "swfs": {"upheld": 13, "partially-upheld": 18, "not-upheld": 41, "withdrawn": 5,
             "refused": 4, "still-open": 1, "total": 82},
    "starting-point": {"upheld": 0, "partially-upheld": 0, "not-upheld": 4, "withdrawn": 0,
                       "refused": 0, "still-open": 0, "total": 4},
    "total": {"upheld": 16, "partially-upheld": 22, "not-upheld": 51, "withdrawn": 5,
              "refused": 4, "still-open": 2, "total": 100},
}  # fmt: skip


def test_statutory_outcomes_by_team(reports):
    compare(reports[2017], "outcomes.statutory_by_team", {
        (team, f"{outcome}-percent"): pct
        for team, row in STATUTORY_TABLE.items() for outcome, pct in row.items()
    })  # fmt: skip
    # "51% of statutory complaints were not upheld, 22% were partially upheld and 16% upheld."
    compare(reports[2017], "outcomes.by_procedure", {
        ("not-upheld", "childrens_statutory-percent"): 51,
        ("partially-upheld", "childrens_statutory-percent"): 22,
        ("upheld", "childrens_statutory-percent"): 16,
    })  # fmt: skip


CORPORATE_TABLE = {  # team -> outcome -> (published %, published count); blank cells are 0%
    "dct": {"not-upheld": (1, 1)},
    "development": {"refused": (1, 1)},
    "education-improvement": {"not-upheld": (1, 1)},
    "education-welfare": {"not-upheld": (1, 1)},
    "ehe": {"not-upheld": (2, 3)},
    "inclusion": {"not-upheld": (1, 1)},
    "mat": {"not-upheld": (12, 10), "partially-upheld": (2, 2), "refused": (1, 1),
            "upheld": (3, 2)},
    "ore": {"not-upheld": (1, 1), "partially-upheld": (1, 1)},
    "quality-assurance": {"upheld": (2, 2)},
    "sl-sat": {"not-upheld": (7, 6), "partially-upheld": (1, 1)},
    "schools": {"not-upheld": (5, 4)},
    "send": {"not-upheld": (18, 16), "withdrawn": (2, 2), "partially-upheld": (13, 12),
             "upheld": (20, 18)},
    "services-for-teenagers": {"partially-upheld": (1, 1)},
    "swfs": {"not-upheld": (1, 1), "partially-upheld": (1, 1)},
    "virtual-school": {"not-upheld": (1, 1)},
}  # fmt: skip
CORPORATE_TOTALS = {  # team -> (published %, published count)
    "dct": (1, 1), "development": (1, 1), "education-improvement": (1, 1),
    "education-welfare": (1, 1), "ehe": (2, 3), "inclusion": (1, 1), "mat": (18, 15),
    "ore": (2, 2), "quality-assurance": (2, 2), "sl-sat": (8, 7), "schools": (5, 4),
    "send": (53, 49), "services-for-teenagers": (1, 1), "swfs": (2, 2), "virtual-school": (1, 1),
    "total": (100, 91),
}  # fmt: skip
CORPORATE_TOTAL_ROW = {"not-upheld": (51, 44), "withdrawn": (2, 2), "partially-upheld": (19, 18),
                       "refused": (2, 2), "upheld": (25, 22)}  # fmt: skip
SHOWN = ["not-upheld", "withdrawn", "partially-upheld", "refused", "upheld"]


def test_corporate_outcomes_by_team(reports):
    published = {}
    for team, row in CORPORATE_TABLE.items():
        for outcome in SHOWN:
            pct, count = row.get(outcome, (0, 0))
            published[(team, outcome)] = count
            published[(team, f"{outcome}-percent")] = pct
    for team, (pct, count) in CORPORATE_TOTALS.items():
        published[(team, "total")] = count
        published[(team, "total-percent")] = pct
    for outcome, (pct, count) in CORPORATE_TOTAL_ROW.items():
        published[("total", outcome)] = count
        published[("total", f"{outcome}-percent")] = pct
    compare(reports[2017], "outcomes.corporate_by_team", published)
    # "SEND ... 20% of which were upheld, 13% were partially upheld and 20% were not upheld or
    # withdrawn" (of all corporate complaints).
    send = cells(reports[2017], "outcomes.corporate_by_team")["send"]
    assert percent(send["not-upheld"] + send["withdrawn"], 91) == 20


def test_outcomes_by_locality(reports):
    compare(reports[2017], "outcomes.by_locality", {
        ("chesterfield", "upheld-percent"): 5,
        ("amber-valley", "partially-upheld-percent"): 6,
        ("chesterfield", "not-upheld-percent"): 11,
    })  # fmt: skip
    rows = cells(reports[2017], "outcomes.by_locality")
    places = {k: v for k, v in rows.items() if k != "total"}
    assert len(places) == 8
    # "The highest proportion of upheld ... Chesterfield ... partially upheld ... Amber Valley
    # ... Chesterfield also had the highest proportion ... not upheld".
    for outcome, place in [("upheld", "chesterfield"), ("partially-upheld", "amber-valley"),
                           ("not-upheld", "chesterfield")]:  # fmt: skip
        others = [v[outcome] for k, v in places.items() if k != place]
        assert places[place][outcome] > max(others), outcome


def test_outcomes_by_focus(reports):
    # "36% of statutory complaints related to service standards, 17% of these were not upheld,
    # 8% were partially upheld and 7% were upheld" (all % of statutory complaints).
    compare(reports[2017], "outcomes.statutory_by_focus", {
        ("standard-of-service", "total-percent"): 36,
        ("standard-of-service", "not-upheld-percent"): 17,
        ("standard-of-service", "partially-upheld-percent"): 8,
        ("standard-of-service", "upheld-percent"): 7,
    })  # fmt: skip
    # "The highest proportion of upheld and partially upheld corporate complaints related to
    # service standards and speed of services both at 14%."
    rows = cells(reports[2017], "outcomes.corporate_by_focus")
    upheld = {k: v["upheld"] + v["partially-upheld"] for k, v in rows.items() if k != "total"}
    assert percent(upheld["standard-of-service"], 91) == 14
    assert percent(upheld["speed-of-service"], 91) == 14
    assert max(v for k, v in upheld.items() if "service" not in k) < upheld["speed-of-service"]


def test_acknowledgement_and_response_times(reports):
    compare(reports[2017], "timeliness.acknowledgement", {
        ("complaint", "2017-local-percent"): 84, ("complaint", "2016-local-percent"): 73,
        ("childrens_statutory", "2017-statutory-percent"): 93,
        ("childrens_statutory", "2016-statutory-percent"): 89,
        ("representation", "2017-local-percent"): 93,
    })  # fmt: skip
    compare(reports[2017], "timeliness.response", {
        ("complaint", "2017-local-percent"): 53, ("complaint", "2016-local-percent"): 65,
        ("representation", "2017-local-percent"): 57,
        ("representation", "2016-local-percent"): 64,
    })  # fmt: skip


def test_stage_2_and_stage_3(reports):
    # "4 requests for complaints to be escalated to Stage 2 ... All but one of these
    # investigations were completed within the agreed timescale." "There were no stage 3
    # complaints during 2017-18."
    compare(reports[2017], "flow.stage2_3", {
        ("2", "requested"): 4, ("2", "on_time"): 3, ("3", "requested"): 0,
    })  # fmt: skip
    compare(reports[2017], "timeliness.response", {
        ("childrens_statutory-2", "2017-count"): 4,
        ("childrens_statutory-2", "2017-statutory"): 3,
        ("childrens_statutory-3", "2017-count"): 0,
    })  # fmt: skip
    compare(reports[2017], "outcomes.by_stage", {("3", "total"): 0})


def test_ombudsman_by_service_area(reports):
    compare(reports[2017], "ombudsman.by_service_area", {
        ("send", "received"): 9, ("send", "investigated"): 2,
        ("send", "no-fault-found"): 1, ("send", "fault-found"): 1,
        ("sat-transport", "received"): 4, ("sat-transport", "investigated"): 2,
        ("sat-transport", "no-fault-found"): 2,
        ("sat-admissions", "received"): 3, ("sat-admissions", "investigated"): 3,
        ("sat-admissions", "no-fault-found"): 3,
        ("ehe", "received"): 1, ("ehe", "investigated"): 1, ("ehe", "fault-found"): 1,
        ("ehs-social-care", "received"): 13, ("ehs-social-care", "investigated"): 2,
        ("ehs-social-care", "no-fault-found"): 1,
        ("ehs-social-care", "fault-found-remedied"): 1,
        ("total", "received"): 30,
    })  # fmt: skip
    compare(reports[2017], "ombudsman.summary", {("received", "2016"): 10,
                                                 ("received", "2017"): 30})  # fmt: skip


def test_compliments_by_team_and_quotes(reports):
    compare(reports[2017], "compliments.by_team", count_and_percent({
        "cic-provision": (5, 6), "dct": (6, 7), "fostering-adoption": (11, 13), "mat": (24, 28),
        "swfs": (8, 9), "starting-point": (1, 1), "ehs": (55, 65), "ed-psych": (2, 2),
        "ehe": (6, 7), "school-improvement": (1, 1), "send": (18, 21), "sl": (27, 32),
        "child-protection": (1, 1), "information-it": (1, 1), "quality-assurance": (1, 1),
        "qpp": (3, 4), "total": (85, 100),
    }))  # fmt: skip
    section = next(s for s in reports[2017]["sections"] if s["id"] == "compliments")
    quotes = {item["text"] for item in section["items"]}
    assert quotes == {
        "Thank you for everything you do for me - I know I was hard work at one point- you're "
        "an amazing Social Worker",
        "Your professionalism, understanding and input definitely contributed to achieving a "
        "positive outcome for X and I, for that I'm truly grateful",
        "Student's mental health improved a lot and is now finishing year 11",
        "They are an amazing team and I do hope that they get the recognition they deserve",
    }


#: The report's "Learning and Improving" points, as published.
PUBLISHED_LESSONS = {
    "Where necessary we have reminded staff of the importance of good communication "
    "including receiving and returning telephone calls, emails and other forms of contact"
    " in a timely way.",
    "We are taking steps to improve our response times for complaints whilst recognising "
    "that it is important that the relevant service is given opportunity to resolve "
    "issues at a local level before the need for a stage 2 complaint occurs.",
    "Where necessary we have reminded staff of the importance of communicating with all "
    "parents who hold parental responsibility and establish any positive actions they can"
    " take to support and care for their child.",
    "Privacy is important to us and when things go wrong we investigate and take action "
    "quickly. As a direct result of complaints, our Call Derbyshire staff have been given"
    " clear guidance on asking specific questions regarding anonymity when the referrer "
    "is either a family member or a member of the public. We have also reminded them how "
    "this should be recorded, to provide referrers with assurance that their information "
    "is not inappropriately disclosed.",
    "Families tell us that continuity of worker is important, and when they leave, we "
    "aren't very good at telling people and this means they don't know who to talk to. We"
    " acknowledge that a change in worker can be unsettling and we will be looking at how"
    " we can improve the communication around this issue going forward.",
    "Where necessary we have reminded operational staff of the importance of being clear "
    "with parents/carers about the assessment process including what will be shared with "
    "who, when and how. We should clearly communicate what is to be shared in a timely "
    "way and provide an explanation for the reasons for doing so.",
    "We are taking further steps to improve our systems to track, monitor and report on "
    "the progress of complaints during the year.",
    "Together with other Local Authorities across the region, we are exploring the "
    "reasons behind the significant rise in complaints about SEND Services, and how we "
    "can better manage and respond to parental expectations.",
    "The focus of complaint handling should be about finding resolutions swiftly and "
    "effectively rather than the necessity to proceed through a complaint procedure which"
    " can be daunting, particularly for children and young people. Our intention is to "
    "work with children and young people to raise awareness and look at new ways for them"
    " to access the complaints process easily and safely, in the knowledge that they will"
    " be listened to.",
    "We acknowledge that it is essential that parents and carers also have access to good"
    " quality information in relation to making a complaint on behalf of a child and it "
    "is our intention to review our policies and procedures and public facing information"
    " relating to complaints to ensure they remain fit for purpose.",
}


def test_published_lessons(reports):
    section = next(s for s in reports[2017]["sections"] if s["id"] == "learning")
    assert {item["text"] for item in section["items"]} == PUBLISHED_LESSONS
