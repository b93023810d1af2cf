"""East Riding of Yorkshire Council's Children's Services Annual Feedback Report 2016-17,
reproduced from case-level data (tests/fixtures/seeds/east_riding/, written by its build.py).

Every figure below is copied from the published report; the test fails if Heard's report on
the imported cases gives anything else.

Published figures Heard does not reproduce, and why:

- "Complaints handled during 2016/17 | Resolved in 2016/17 | % Resolved | Transferred" (Stage 1
  24, Stage 2 9, Stage 3 2, total 35 | 71, 25, 4 | 4, 6, 1): the columns are misaligned. The
  percentages are those resolved at each stage (17, 6 and 1 of 24; reproduced in
  flow.childrens_statutory) and the transfers are reproduced, but 24/9/2 matches no count
  of the report's own figures (the stage each of the 35 ended the year at is 21/12/2).
- Year on year, 2013/14 "Resolved at Stage 2: 8": the column does not add up (52 + 8 + 2 = 62
  resolved at a stage, against 66 resolved). The fixture resolves 12 at Stage 2.
- Year on year, "progressed to Stage 2" for 2014/15 (11, 22%) and 2015/16 (11, 41%): they are
  fewer than the complaints the same table says were at Stage 2 in those years. In 2014/15,
  9 were resolved at Stage 2, 2 carried forward at it and the 5 Stage 3 panels were (says its
  note) brought forward at Stage 2: 16 (31%). In 2015/16, 5 resolved at Stage 2 and 7 carried
  forward at it, and both Stage 3 cases went through Stage 2 that year: 14 (52%).
- Stage 2 findings, "Upheld 9 – 7%": 9 of 120 is 7.5%, which rounds to 8% (the council rounded
  down so that the column adds up to 100).
- "12 out of the 19 complaints were completed within statutory timescales": the 19 are the 18
  Stage 1 responses and the complaint resolved by alternative dispute resolution (both in
  timeliness.bands, total 19 on its "-all" row), but timeliness.response measures timescales
  on the responses only (12 of 18): a complaint with no response was not completed in time
  or late.
- Corporate "six of the new complaints received progressed to Stage 2 (55%)": contradicts the
  report's own part breakdown (a complaint brought forward at Stage 1 progressed too, with 6
  parts); 5 new complaints progressed, plus 1 brought forward (flow.corporate: 6 started
  Stage 2). "decreased 46% from 16": 11 against 16 is a 31% decrease.
- Charts without figures in the source (escalation of new complaints, breakdown by team,
  comparison of investigation findings, SARs and DPex by year) and the contacts' themes.
- School complaint advice contacts 28 and 34 are reproduced as contacts about the
  "School complaints advice" team, shown apart from Children, Families and Schools.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from heard.reports import annual
from heard.reports.sections import (
    complainants,
    compliments,
    contacts,
    context,
    flow,
    focus,
    information,
    ombudsman,
    timeliness,
    volumes,
)

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "east_riding"
FIXTURE = SEED / "east_riding.json"

STAT, CORP = "flow.childrens_statutory", "flow.corporate"

#: table id -> {(row key, column key): published figure}
PUBLISHED: dict[str, dict[tuple[str, str], int]] = {
    # "11 cases were ongoing and transferred from 2015/16 – three at Stage 1, seven at Stage 2
    # and one at Stage 3"; "One of the 24 went straight to Stage 2"; 17 (71%), 6 (25%) and 1
    # resolved; "11 … transfer to 2017/18 - four at Stage 1, six at Stage 2 and one at Stage 3";
    # "6 of the new complaints escalated to stage 2".
    STAT: {
        ("1", "brought_forward"): 3, ("2", "brought_forward"): 7, ("3", "brought_forward"): 1,
        ("total", "brought_forward"): 11,
        ("1", "new"): 23, ("2", "new"): 1, ("total", "new"): 24,
        ("2", "started"): 6,
        ("1", "resolved"): 17, ("2", "resolved"): 6, ("3", "resolved"): 1,
        ("total", "resolved"): 24,
        ("1", "resolved_pct"): 71, ("2", "resolved_pct"): 25, ("3", "resolved_pct"): 4,
        ("1", "carried_forward"): 4, ("2", "carried_forward"): 6, ("3", "carried_forward"): 1,
        ("total", "carried_forward"): 11,
    },
    # Year on Year Comparison
    f"{STAT}_history": {
        ("2016", "new"): 24, ("2016", "brought_forward"): 11, ("2016", "dealt_with"): 35,
        ("2016", "dealt_with_change"): 30,  # "a 30% increase in complaints dealt with"
        ("2016", "resolved"): 24, ("2016", "resolved_1"): 17, ("2016", "resolved_1_pct"): 71,
        ("2016", "resolved_2"): 6, ("2016", "resolved_3"): 1, ("2016", "carried_forward"): 11,
        ("2016", "progressed_2"): 13, ("2016", "progressed_2_pct"): 37,
        ("2016", "progressed_3"): 2, ("2016", "progressed_3_pct"): 6,
        ("2015", "new"): 23, ("2015", "brought_forward"): 4, ("2015", "dealt_with"): 27,
        ("2015", "resolved"): 16, ("2015", "resolved_1"): 10, ("2015", "resolved_1_pct"): 63,
        ("2015", "resolved_2"): 5, ("2015", "resolved_3"): 1, ("2015", "carried_forward"): 11,
        ("2015", "progressed_3"): 2, ("2015", "progressed_3_pct"): 7,
        ("2014", "new"): 32, ("2014", "brought_forward"): 19, ("2014", "dealt_with"): 51,
        ("2014", "resolved"): 47, ("2014", "resolved_1"): 33, ("2014", "resolved_1_pct"): 70,
        ("2014", "resolved_2"): 9, ("2014", "resolved_3"): 5, ("2014", "carried_forward"): 4,
        ("2014", "progressed_3"): 5, ("2014", "progressed_3_pct"): 10,
        ("2013", "new"): 66, ("2013", "brought_forward"): 19, ("2013", "dealt_with"): 85,
        ("2013", "resolved"): 66, ("2013", "resolved_1"): 52, ("2013", "resolved_1_pct"): 79,
        ("2013", "resolved_3"): 2, ("2013", "carried_forward"): 19,
        ("2013", "progressed_2"): 18, ("2013", "progressed_2_pct"): 21,
        ("2013", "progressed_3"): 2, ("2013", "progressed_3_pct"): 2,
    },
    # Outcomes of Children's Social Care Complaints Completed: Stage 1, 2 and 3 parts.
    f"{STAT}_part_findings": {
        ("not-upheld", "s1"): 58, ("not-upheld", "s1_pct"): 54,
        ("upheld", "s1"): 31, ("upheld", "s1_pct"): 29,
        ("partially-upheld", "s1"): 10, ("partially-upheld", "s1_pct"): 9,
        ("no-finding", "s1"): 9, ("no-finding", "s1_pct"): 8,
        ("total", "s1"): 108, ("complaints", "s1"): 17,
        ("not-upheld", "s2"): 92, ("not-upheld", "s2_pct"): 77,
        ("upheld", "s2"): 9,
        ("partially-upheld", "s2"): 7, ("partially-upheld", "s2_pct"): 6,
        ("no-finding", "s2"): 12, ("no-finding", "s2_pct"): 10,
        ("total", "s2"): 120, ("complaints", "s2"): 6,
        ("not-upheld", "s3"): 9, ("not-upheld", "s3_pct"): 75,
        ("upheld", "s3"): 1, ("upheld", "s3_pct"): 8,
        ("partially-upheld", "s3"): 0, ("partially-upheld", "s3_pct"): 0,
        ("no-finding", "s3"): 2, ("no-finding", "s3_pct"): 17,
        ("total", "s3"): 12, ("complaints", "s3"): 1,
    },
    # Corporate: "Cases dealt with at Stage 1 / Stage 2" and Activity.
    CORP: {
        ("1", "brought_forward"): 5, ("2", "brought_forward"): 2,
        ("total", "brought_forward"): 7,
        ("1", "new"): 10, ("2", "new"): 1, ("total", "new"): 11,
        ("2", "started"): 6,
        ("1", "resolved"): 9, ("1", "resolved_pct"): 53, ("2", "resolved"): 8,
        ("total", "resolved"): 17,
        ("1", "carried_forward"): 1, ("2", "carried_forward"): 0,
        ("total", "carried_forward"): 1,
    },
    f"{CORP}_history": {
        ("2016", "new"): 11, ("2016", "brought_forward"): 7, ("2016", "dealt_with"): 18,
        ("2016", "resolved"): 17, ("2016", "resolved_1"): 9, ("2016", "resolved_1_pct"): 53,
        ("2016", "resolved_2"): 8, ("2016", "carried_forward"): 1,
        ("2016", "progressed_2"): 8, ("2016", "progressed_2_pct"): 44,
        ("2015", "new"): 16, ("2015", "dealt_with"): 16, ("2015", "resolved_1"): 6,
        ("2015", "progressed_2"): 5, ("2015", "progressed_2_pct"): 31,
        ("2014", "dealt_with"): 17, ("2014", "progressed_2"): 5,
        ("2014", "progressed_2_pct"): 29,
    },
    # "Outcome of corporate complaints resolved in 2016/17": 50 parts to the 12 investigated
    # Stage 1 complaints, 24 parts at Stage 2.
    f"{CORP}_part_findings": {
        ("not-upheld", "s1"): 22, ("not-upheld", "s1_pct"): 44,
        ("no-finding", "s1"): 2, ("no-finding", "s1_pct"): 4,
        ("withdrawn", "s1"): 0, ("withdrawn", "s1_pct"): 0,
        ("partially-upheld", "s1"): 3, ("partially-upheld", "s1_pct"): 6,
        ("upheld", "s1"): 23, ("upheld", "s1_pct"): 46,
        ("total", "s1"): 50, ("complaints", "s1"): 12,
        ("not-upheld", "s2"): 20, ("not-upheld", "s2_pct"): 83,
        ("no-finding", "s2"): 0, ("no-finding", "s2_pct"): 0,
        ("withdrawn", "s2"): 0, ("withdrawn", "s2_pct"): 0,
        ("partially-upheld", "s2"): 1, ("partially-upheld", "s2_pct"): 4,
        ("upheld", "s2"): 3, ("upheld", "s2_pct"): 13,
        ("total", "s2"): 24, ("complaints", "s2"): 8,
    },
    # "six out of the seven Stage 2 … not completed within statutory timescales"; one panel.
    "flow.stage2_3": {
        ("2", "completed"): 7, ("2", "on_time"): 1, ("3", "held"): 1,
    },
    # "Number of complaints dealt with from Under 18 year olds 5 14% / Looked After Children
    # 6 17%"
    "complainants.young_people": {
        ("under_18", "childrens_statutory"): 5, ("under_18", "childrens_statutory_pct"): 14,
        ("looked_after", "childrens_statutory"): 6,
        ("looked_after", "childrens_statutory_pct"): 17,
    },
    # Children's Social Care Complaints in Context
    "context.figures": {
        ("under-18-population", "2016"): 62718, ("open-csc-cases", "2016"): 1168,
        ("looked-after-children", "2016"): 290, ("child-protection-cases", "2016"): 214,
    },
    "context.rates": {
        ("open-csc-cases", "childrens_statutory_dealt_with"): 35,
        ("open-csc-cases", "childrens_statutory_pct"): 3,
    },
    # Contacts: 178 that did not progress (158, 82), a 13% increase; six became complaints
    # (3%). School complaint advice contacts 34 (28).
    "contacts.by_team": {
        ("cfs", "not_became"): 178, ("cfs", "not_became_change"): 13,
        ("cfs", "2015"): 158, ("cfs", "2014"): 82,
        ("cfs", "became"): 6, ("cfs", "became_pct"): 3,
        ("school-complaints-advice", "2016"): 34, ("school-complaints-advice", "2015"): 28,
    },
    "contacts.received": {("2016", "became"): 6},
    # Subject Access Requests, DPex and FOI
    "information.requests": {
        ("sar", "2016"): 55, ("sar", "2015"): 57, ("sar", "2013"): 23,
        ("foi", "2016"): 195, ("foi", "2015"): 207, ("foi", "2014"): 192,
        ("disclosure", "2016"): 66,
    },
    "information.sar": {
        ("2016", "received"): 55, ("2016", "not_progressed"): 8, ("2016", "completed"): 37,
        ("2016", "further"): 5, ("2016", "carried_forward"): 5, ("2016", "in_time"): 34,
        ("2016", "in_time_pct"): 92,
        ("2015", "received"): 57, ("2015", "in_time_pct"): 70,
        ("2014", "in_time_pct"): 56,
        ("2013", "received"): 23,
    },
    "information.foi": {
        ("2016", "received"): 195, ("2016", "in_time"): 175, ("2016", "in_time_pct"): 90,
        ("2015", "received"): 207, ("2015", "in_time_pct"): 82,
        ("2014", "received"): 192, ("2014", "in_time_pct"): 79,
    },
    "information.disclosure": {("dbs", "2016"): 2, ("total", "2016"): 66},
    # "42 SARs were dealt this year (5 of these are still in progress …); 35 of these were
    # requests for Children's Social Care records"; "Six of these eight [that did not
    # progress] were requests for Children's Social Care records".
    "information.sar_by_service": {
        ("total", "dealt_with"): 42, ("total", "carried_forward"): 5,
        ("csc", "dealt_with"): 35,
        ("total", "not_progressed"): 8, ("csc", "not_progressed"): 6,
    },
    # Compliments: 84, 81, 75.
    "volumes.received": {
        ("compliment", "2016"): 84, ("compliment", "2015"): 81, ("compliment", "2014"): 75,
        ("sar", "2016"): 55, ("foi", "2016"): 195, ("disclosure", "2016"): 66,
        ("ombudsman", "2016"): 4,
    },
    "compliments.history": {
        ("compliment", "2016"): 84, ("compliment", "2015"): 81, ("compliment", "2014"): 75,
    },
    # "13 compliments were received for Children's Social Care compared to 18 in 2015/16 and
    # 16 in 2014/15"; 84, 81 and 75 in Children's Services.
    "compliments.by_directorate_history": {
        ("csc", "2016"): 13, ("csc", "2015"): 18, ("csc", "2014"): 16,
        ("total", "2016"): 84, ("total", "2015"): 81, ("total", "2014"): 75,
    },
    # Reasons for Children's Social Care Complaints (% of the reasons given in complaints
    # dealt with): 2016/17, 2015/16, 2014/15.
    "focus.dealt_with_childrens_statutory": {
        ("departmental-decisions", "2016-share"): 3,
        ("departmental-decisions", "2015-share"): 4,
        ("departmental-decisions", "2014-share"): 4,
        ("staff-attitude-behaviour", "2016-share"): 6,
        ("staff-attitude-behaviour", "2015-share"): 7,
        ("staff-attitude-behaviour", "2014-share"): 18,
        ("poor-quality-of-service", "2016-share"): 42,
        ("poor-quality-of-service", "2015-share"): 41,
        ("poor-quality-of-service", "2014-share"): 45,
        ("service-provision", "2016-share"): 49,
        ("service-provision", "2015-share"): 48,
        ("service-provision", "2014-share"): 33,
        ("total", "2016"): 35, ("total", "2015"): 27, ("total", "2014"): 51,
    },
    # Local Government Ombudsman: six dealt with, four new, two brought forward; two not
    # investigated; one still under investigation; three decisions, fault found in one.
    "ombudsman.summary": {
        ("received", "2016"): 4, ("brought-forward", "2016"): 2, ("dealt-with", "2016"): 6,
        ("investigated", "2016"): 4, ("not-investigated", "2016"): 2,
        ("decided", "2016"): 3, ("fault-found", "2016"): 1, ("carried-forward", "2016"): 1,
    },
    # Completion Rates – Stage 1 (5, 7, 4, 2) and Stage 2 (0, 1, 6); corporate Stage 1
    # (<10 4, 10–20 7, 20+ 1); "12 out of the 19 … within statutory timescales" (12 of the 18
    # responded to) and 1 of the 7 at Stage 2.
    "timeliness.bands": {
        ("childrens_statutory-1-10 or fewer", "count"): 5,
        ("childrens_statutory-1-11–20", "count"): 7,
        ("childrens_statutory-1-21–30", "count"): 4,
        ("childrens_statutory-1-Over 30", "count"): 2,
        ("childrens_statutory-2-25 or fewer", "count"): 0,
        ("childrens_statutory-2-26–65", "count"): 1,
        ("childrens_statutory-2-Over 65", "count"): 6,
        ("corporate-1-10 or fewer", "count"): 4,
        ("corporate-1-11–20", "count"): 7,
        ("corporate-1-21–30", "count"): 1,
        # "Did not progress as a complaint – alternatively resolved 1", "Total 19"; Stage 2
        # "Total 7"; corporate "Withdrawn 2 0", "Total 14 8".
        ("childrens_statutory-1-resolved_adr", "count"): 1,
        ("childrens_statutory-1-all", "count"): 19,
        ("childrens_statutory-2", "count"): 7,
        ("corporate-1-withdrawn", "count"): 2, ("corporate-2-withdrawn", "count"): 0,
        ("corporate-1-all", "count"): 14, ("corporate-2-all", "count"): 8,
    },
    "timeliness.response": {
        ("childrens_statutory-1", "2016-statutory"): 12,
        ("childrens_statutory-2", "2016-count"): 7,
        ("childrens_statutory-2", "2016-statutory"): 1,
    },
}  # fmt: skip

#: timeliness.bands with East Riding's own completion-time bands (selected by name: statutory
#: "<10, 11–20, 21–30, >30" and "<25, 26–65, >65"; corporate "<10, 10 - 20, 20 +" at both
#: stages), with the cases closed without a response.
EAST_RIDING_BANDS_PUBLISHED = {
    ("childrens_statutory-1-<10", "count"): 5, ("childrens_statutory-1-11–20", "count"): 7,
    ("childrens_statutory-1-21–30", "count"): 4, ("childrens_statutory-1->30", "count"): 2,
    ("childrens_statutory-2-<25", "count"): 0, ("childrens_statutory-2-26–65", "count"): 1,
    ("childrens_statutory-2->65", "count"): 6,
    ("corporate-1-<10", "count"): 4, ("corporate-1-10–20", "count"): 7,
    ("corporate-1-20+", "count"): 1,
    ("corporate-2-<10", "count"): 3, ("corporate-2-10–20", "count"): 2,
    ("corporate-2-20+", "count"): 3,
    ("childrens_statutory-1-resolved_adr", "count"): 1, ("childrens_statutory-1-all", "count"): 19,
    ("childrens_statutory-2-all", "count"): 7,
    ("corporate-1-withdrawn", "count"): 2, ("corporate-1-all", "count"): 14,
    ("corporate-2-withdrawn", "count"): 0, ("corporate-2-all", "count"): 8,
}  # fmt: skip

SECTIONS = [
    volumes,
    flow,
    focus,
    complainants,
    context,
    contacts,
    information,
    compliments,
    ombudsman,
    timeliness,
]


def load_fixture() -> None:
    """Import the cases, the taxonomy, the teams and the context figures."""
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("import", str(FIXTURE), create_missing=True, **quiet)


def cells_of(report: dict) -> dict[str, dict[tuple[str, str], object]]:
    found = {}
    for section in report["sections"]:
        for table in section["tables"]:
            found[table["id"]] = {
                (row["key"], column): value
                for row in table["rows"]
                for column, value in row["cells"].items()
            }
    return found


@pytest.mark.django_db
def test_the_east_riding_2016_17_report_comes_out_of_its_cases():
    load_fixture()
    report = annual.build(2016, sections=SECTIONS).to_dict()
    tables = cells_of(json.loads(json.dumps(report, default=str)))
    own_bands = timeliness.bands(annual.make_context(2016), "east-riding")
    tables["east_riding_bands"] = {
        (row.key, column): value for row in own_bands.rows for column, value in row.cells.items()
    }
    wrong = []
    for table_id, figures in [
        *PUBLISHED.items(),
        ("east_riding_bands", EAST_RIDING_BANDS_PUBLISHED),
    ]:
        for (row, column), published in figures.items():
            got = tables.get(table_id, {}).get((row, column), "missing")
            if got != published:
                wrong.append(f"{table_id} [{row}, {column}]: published {published}, got {got}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_its_drafted_paragraphs_say_what_the_council_said():
    load_fixture()
    report = annual.build(2016, sections=[flow, information, contacts, complainants, context])
    text = {section.id: section.narrative for section in report.sections}
    assert "35 complaints dealt with in 2016-17 (24 new, 11 brought forward)" in text["flow"]
    assert "17 (71%) at Stage 1 (63% in 2015-16)" in text["flow"]
    assert "At Stage 1, 54% of 108 parts were not upheld" in text["flow"]
    sar = "34 of 37 completed (92%) within the statutory timescale, against 70%"
    assert sar in text["information"]
    by_service = (
        "Of the 42 subject access requests dealt with in 2016-17 (completed or still in "
        "progress), 35 were for Children's Social Care records; so were 6 of the 8 that did "
        "not progress."
    )
    assert by_service in text["information"]
    young = (
        "Of the 35 children's social care complaints dealt with, 5 (14%) came from under 18 "
        "year olds and 6 (17%) from looked after children"
    )
    assert young in text["complainants"]
    rate = "3% of the total number of open Children's Social Care cases (1,168)"
    assert rate in text["context"]


def test_the_fixture_is_what_its_generator_writes(tmp_path):
    """The JSON is not edited by hand: running build.py again gives the same bytes."""
    out = tmp_path / "east_riding.json"
    subprocess.run([sys.executable, str(SEED / "build.py"), str(out)], check=True,
                   capture_output=True)  # fmt: skip
    assert out.read_bytes() == FIXTURE.read_bytes()
