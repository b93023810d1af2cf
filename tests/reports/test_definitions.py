"""One definition of each measure, and the outcome basis an edition chooses.

A small council built by hand: every expected figure below is counted from the cases as
described in the fixture's comments, not taken from the code's output."""

import datetime
import io
import json

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook

from heard.cases.choices import Kind, Procedure, Resolution, Status
from heard.reports import annual, custom, definitions, editions, lgsco_code, scrutiny
from heard.reports.models import Edition
from heard.reports.render import FORMATS
from tests.factories import CaseFactory, StageFactory

D = datetime.date
YEAR = 2023  # April 2023 to March 2024
STAT, CORP = Procedure.CHILDRENS_STATUTORY, Procedure.CORPORATE


def _complaint(received, procedure=STAT, closed=None):
    return CaseFactory(
        kind=Kind.COMPLAINT,
        procedure=procedure,
        received_on=received,
        status=Status.CLOSED if closed else Status.OPEN,
        resolution=Resolution.RESPONDED if closed else "",
        closed_on=closed,
    )


@pytest.fixture
def council(db):
    """Six complaints.

    a: statutory, 2023-24, answered by its due date, upheld, closed.
    b: statutory, 2023-24, answered late, not upheld; Stage 2 upheld it in May 2024 (after
       the year's end); still open.
    c: corporate, 2023-24, answered by its due date, partially upheld, closed.
    d: corporate, 2023-24, answered with no due date recorded (not judged), not upheld, closed.
    e: statutory, received March 2024, upheld in April 2024 (after the year's end), closed then.
    f: statutory, received December 2022, answered by its due date in April 2023, partially
       upheld, closed then.
    """
    a = _complaint(D(2023, 5, 2), closed=D(2023, 5, 19))
    StageFactory(case=a, response_due=D(2023, 5, 20), responded_on=D(2023, 5, 19),
                 outcome="upheld")  # fmt: skip
    b = _complaint(D(2023, 5, 10))
    StageFactory(case=b, response_due=D(2023, 6, 1), responded_on=D(2023, 6, 10),
                 outcome="not-upheld")  # fmt: skip
    StageFactory(case=b, number=2, requested_on=D(2023, 6, 20), response_due=D(2023, 9, 20),
                 responded_on=D(2024, 5, 1), outcome="upheld")  # fmt: skip
    c = _complaint(D(2023, 6, 5), CORP, closed=D(2023, 6, 30))
    StageFactory(case=c, response_due=D(2023, 7, 1), responded_on=D(2023, 6, 30),
                 outcome="partially-upheld")  # fmt: skip
    d = _complaint(D(2023, 7, 3), CORP, closed=D(2023, 8, 1))
    StageFactory(case=d, response_due=None, responded_on=D(2023, 8, 1), outcome="not-upheld")
    e = _complaint(D(2024, 3, 20), closed=D(2024, 4, 10))
    StageFactory(case=e, response_due=D(2024, 4, 20), responded_on=D(2024, 4, 10),
                 outcome="upheld")  # fmt: skip
    f = _complaint(D(2022, 12, 1), closed=D(2023, 4, 20))
    StageFactory(case=f, response_due=D(2023, 5, 1), responded_on=D(2023, 4, 20),
                 outcome="partially-upheld")  # fmt: skip
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}


# Within timescale ---------------------------------------------------------------------------


def test_the_three_reports_give_the_same_stage_1_timeliness(council):
    """Stage 1 responses in 2023-24 with a due date: a (in time), b (late), c (in time),
    f (in time); d has no due date. All: 3 of 4; statutory 2 of 3 (a, b, f); corporate 1 of 1."""
    report = annual.build(YEAR, sections=[annual.SECTIONS[7]])  # timeliness
    response = report.table("timeliness.response")
    cells = response.row("complaint").cells
    assert (cells["2023-statutory"], cells["2023-statutory-percent"]) == (3, 75)

    performance = scrutiny.build(YEAR).table("scrutiny.performance").row("stage-1-on-time")
    assert performance.cells["2023_count"] == 3 and performance.cells["2023_of"] == 4
    assert performance.cells["2023_percent"] == cells["2023-statutory-percent"]

    code = lgsco_code.build(YEAR).table("lgsco.stages")
    for procedure, within, judged in ((STAT, 2, 3), (CORP, 1, 1)):
        in_code = code.row(f"{procedure}-1").cells
        in_annual = response.row(f"{procedure}-1").cells
        assert in_code["within"] == in_annual[f"{YEAR}-statutory"] == within
        assert in_code["within_percent"] == in_annual[f"{YEAR}-statutory-percent"]
        assert in_code["within_percent"] == round(100 * within / judged)

    spec = custom.TableSpec(measure="pct_within_timescale", rows="kind", year=YEAR)
    table = custom.build(spec, outcome_basis=definitions.YEAR_END)
    # custom tables count the cases received in the year: a, b (Stage 1 late), c, d (no due
    # date); Stage 2 of b was answered after the year end.
    assert table.cell("complaint", "2023.base") == 3
    assert table.cell("complaint", "2023.hits") == 2


# Outcome basis ------------------------------------------------------------------------------

#: (upheld, partially upheld, not upheld, still open, complaints counted) on each basis.
EXPECTED = {
    # received in 2023-24 (a, b, c, d, e), as at 31 March 2024
    definitions.YEAR_END: (1, 1, 2, 1, 5),
    # received in 2023-24, as known now: b and e were upheld after the year's end
    definitions.LATEST: (3, 1, 1, 0, 5),
    # closed in 2023-24: a, c, d and f
    definitions.CLOSED: (1, 2, 1, 0, 4),
}


@pytest.mark.parametrize("basis", list(EXPECTED))
def test_every_outcome_figure_follows_the_basis(council, basis):
    upheld, partly, not_upheld, still_open, counted = EXPECTED[basis]
    report = annual.build(YEAR, outcome_basis=basis)
    overall = report.table("outcomes.overall")
    assert [overall.cell(key, "2023") for key in
            ("upheld", "partially-upheld", "not-upheld", "still-open", "total")] == [
        upheld, partly, not_upheld, still_open, counted]  # fmt: skip
    assert report.period["outcome_basis"] == basis
    note = definitions.OutcomeBasis(basis, D.today()).note(report_year())
    for table_id in ("outcomes.overall", "outcomes.by_procedure", "outcomes.statutory_by_team",
                     "outcomes.corporate_by_team", "outcomes.statutory_by_focus"):  # fmt: skip
        assert any(n.startswith(note.split(" (")[0].rstrip(".")) for n in
                   report.table(table_id).notes), table_id  # fmt: skip

    share = round(100 * (upheld + partly) / counted)
    row = scrutiny.build(YEAR, outcome_basis=basis).table("scrutiny.performance").row("upheld")
    assert (row.cells["2023_count"], row.cells["2023_of"]) == (upheld + partly, counted)
    assert row.cells["2023_percent"] == share

    spec = custom.TableSpec(
        measure="pct_upheld", rows="kind", year=YEAR, filters={"kind": ["complaint"]}
    )
    table = custom.build(spec, outcome_basis=basis)
    assert table.cell("complaint", "2023.hits") == upheld + partly
    assert table.cell("complaint", "2023.base") == counted
    assert table.cell("complaint", "2023") == share


def report_year():
    from heard.reports.periods import ReportingYear

    return ReportingYear.of(YEAR)


def test_an_unknown_basis_is_refused(db):
    with pytest.raises(ValueError, match="no outcome basis"):
        definitions.OutcomeBasis("whenever")
    with pytest.raises(editions.EditionRefused, match="no outcome basis"):
        editions.create_edition("annual", YEAR, None, outcome_basis="whenever")


def test_an_edition_chooses_its_basis_and_a_published_one_keeps_its_figures(council, client_for):
    manager = client_for("manager")
    started = manager.post(
        "/reports/editions/new/",
        {"report": "annual", "year": YEAR, "publication": "", "outcome_basis": "year-end"},
    )
    assert started.status_code == 302
    edition = Edition.objects.get()
    assert edition.outcome_basis == definitions.YEAR_END

    def upheld_now():
        data = manager.get(f"/reports/editions/{edition.pk}/download/json/").json()
        for section in data["sections"]:
            for table in section["tables"]:
                if table["id"] == "outcomes.overall":
                    return next(r for r in table["rows"] if r["key"] == "upheld")["cells"]["2023"]
        raise AssertionError("no outcomes table")

    assert upheld_now() == EXPECTED[definitions.YEAR_END][0]
    page = manager.get(f"/reports/editions/{edition.pk}/edit/").content.decode()
    assert "Which outcomes to count" in page and "Sections to leave out" in page
    saved = manager.post(
        f"/reports/editions/{edition.pk}/settings/",
        {"version": edition.version, "outcome_basis": "latest", "sections_off": ["contacts"]},
    )
    assert saved.status_code == 302
    edition.refresh_from_db()
    assert (edition.outcome_basis, edition.sections_off) == ("latest", ["contacts"])
    assert upheld_now() == EXPECTED[definitions.LATEST][0]
    stale = manager.post(
        f"/reports/editions/{edition.pk}/settings/",
        {"version": edition.version - 1, "outcome_basis": "closed"},
    )
    assert stale.status_code == 409
    refused = manager.post(
        f"/reports/editions/{edition.pk}/settings/",
        {"version": edition.version, "outcome_basis": "someday"},
    )
    assert refused.status_code == 400 and "Choose which outcomes to count" in refused.text

    editions.publish(edition, None)
    council["d"].stages.update(outcome="upheld")  # a correction after publishing
    assert upheld_now() == EXPECTED[definitions.LATEST][0]
    again = editions.new_edition_from(edition, None)
    assert again.outcome_basis == "latest" and again.sections_off == ["contacts"]
    assert editions.compute(again).table("outcomes.overall").cell("upheld", "2023") == 4


def test_sections_switched_off_are_left_out(council):
    report = annual.build(YEAR, leave_out=["contacts", "information", "appendix"])
    ids = [section.id for section in report.sections]
    assert "contacts" not in ids and "information" not in ids and "appendix" not in ids
    assert "outcomes" in ids
    switchable = dict(annual.switchable_sections())
    assert set(switchable) >= {"contacts", "information", "appendix", "outcomes"}


# The appendix -------------------------------------------------------------------------------


def test_the_appendix_defines_each_measure_in_every_format(council):
    report = annual.build(YEAR)
    assert report.sections[-1].id == "appendix"
    table = report.table("appendix.definitions")
    terms = [row.label for row in table.rows]
    for term in (
        "Outcome basis",
        "Upheld or partially upheld",
        "Within timescale",
        "Within the local target",
        "Escalation rate",
        "Average and median days",
    ):
        assert term in terms
    assert "latest outcome known" in table.cell("outcome-basis", "definition")

    data = json.loads(FORMATS["json"].render(report))
    assert data["sections"][-1]["title"] == definitions.APPENDIX_TITLE
    html = FORMATS["html"].render(report).decode()
    assert definitions.APPENDIX_TITLE in html and "Escalation rate" in html
    word = WordDocument(io.BytesIO(FORMATS["docx"].render(report)))
    assert definitions.APPENDIX_TITLE in [p.text for p in word.paragraphs]
    workbook = load_workbook(io.BytesIO(FORMATS["xlsx"].render(report)))
    assert any(name.startswith("appendix") for name in workbook.sheetnames)
