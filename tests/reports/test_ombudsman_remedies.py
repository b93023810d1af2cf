"""Ombudsman remedies in the annual report: decisions with a remedy, remedies by type and
compliance on time, each figure checked against a count made straight from the database, and
the tables in every format; and "Not recorded", never "investigated 0", when no case of the
year has its enquiry type."""

import datetime
import io
import json
import random

import pytest
from django.db.models import Q
from docx import Document
from openpyxl import load_workbook

from heard.cases.choices import Kind, RemedyKind, Status
from heard.cases.models import Case, Remedy
from heard.reports import annual
from heard.reports.render import FORMATS
from heard.reports.sections import ombudsman, remedies
from tests.factories import CaseFactory, term

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2017
TODAY = D(2018, 6, 1)  # the report is made after the year, as councils do


@pytest.fixture
def decisions(db):
    """Ombudsman cases decided over four years, with remedies of every kind and every state
    of compliance, made at random (but the same each run)."""
    chance = random.Random(14)
    kinds = [*RemedyKind.values]
    for n in range(60):
        received = D(2014, 4, 1) + datetime.timedelta(days=chance.randrange(4 * 365))
        decided = received + datetime.timedelta(days=chance.randrange(200))
        case = CaseFactory(
            kind=Kind.OMBUDSMAN, status=Status.CLOSED, received_on=received, closed_on=decided,
            lgsco_enquiry_type=term("lgsco_enquiry_type", "detailed-investigation"),
            lgsco_decision=term("lgsco_decision", "upheld-fault-injustice"),
            lgsco_decision_on=decided,
            lgsco_remedy="Apologise and pay" if n % 7 == 0 else "",
        )  # fmt: skip
        for _ in range(chance.choice([0, 0, 1, 1, 2, 3])):
            due = decided + datetime.timedelta(days=chance.randrange(10, 90))
            complied = chance.choice(
                [None, due, due - datetime.timedelta(days=3), due + datetime.timedelta(days=5)]
            )
            Remedy.objects.create(
                case=case, kind=chance.choice(kinds), due_on=due, complied_on=complied
            )
    return TODAY


def _year(year):
    start = D(year, 4, 1)
    return start, D(year + 1, 3, 31)


def _expected(year: int) -> dict[str, int]:
    """The figures counted directly with the ORM."""
    decided = Case.objects.filter(kind=Kind.OMBUDSMAN, lgsco_decision_on__range=_year(year))
    of_year = Remedy.objects.filter(case__in=decided)
    due_by_today = Q(complied_on__isnull=True, due_on__lt=TODAY)
    expected = {
        "decided": decided.count(),
        "with-remedy": decided.filter(Q(remedies__isnull=False) | ~Q(lgsco_remedy=""))
        .distinct()
        .count(),
        "remedies": of_year.count(),
        "on-time": sum(1 for r in of_year if r.complied_on and r.complied_on <= r.due_on),
        "late": sum(1 for r in of_year if r.complied_on and r.complied_on > r.due_on),
        "overdue": of_year.filter(due_by_today).count(),
        "not-yet-due": of_year.filter(complied_on__isnull=True, due_on__gte=TODAY).count(),
    }
    for kind in RemedyKind.values:
        expected[kind] = of_year.filter(kind=kind).count()
    return expected


def test_every_remedy_figure_matches_a_count_made_from_the_database(decisions):
    report = annual.build(YEAR, today=decisions, sections=[ombudsman])
    table = report.table("ombudsman.remedies")
    for year in range(YEAR - 3, YEAR + 1):
        expected = _expected(year)
        assert expected["remedies"] or year != YEAR, "the data must have remedies this year"
        for key, value in expected.items():
            assert table.cell(key, str(year)) == value, (key, year)


def test_compliance_by_type_and_the_percentage_on_time(decisions):
    report = annual.build(YEAR, today=decisions, sections=[ombudsman])
    table = report.table("ombudsman.remedy_compliance")
    decided = Case.objects.filter(kind=Kind.OMBUDSMAN, lgsco_decision_on__range=_year(YEAR))
    of_year = Remedy.objects.filter(case__in=decided)
    for kind in [*RemedyKind.values, "total"]:
        chosen = [r for r in of_year if kind == "total" or r.kind == kind]
        if not chosen:
            continue
        on_time = sum(1 for r in chosen if r.complied_on and r.complied_on <= r.due_on)
        due = sum(1 for r in chosen if r.complied_on or r.due_on < TODAY)
        assert table.cell(kind, "agreed") == len(chosen)
        assert table.cell(kind, "on-time") == on_time
        assert table.cell(kind, "percent") == (round(100 * on_time / due + 1e-9) if due else None)
    assert table.row("total").total


def test_the_drafted_text_says_how_many_decisions_came_with_a_remedy(decisions):
    report = annual.build(YEAR, today=decisions, sections=[ombudsman])
    with_remedy = _expected(YEAR)["with-remedy"]
    narrative = report.sections[0].narrative
    assert f"{with_remedy:,} decision{'s' if with_remedy != 1 else ''} came with a remedy" in (
        narrative
    )


def test_the_remedy_tables_are_in_every_format(decisions):
    report = annual.build(YEAR, today=decisions, sections=[ombudsman])
    title = report.table("ombudsman.remedies").title
    with_remedy = str(_expected(YEAR)["with-remedy"])
    as_json = json.loads(FORMATS["json"].render(report))
    tables = {t["id"]: t for s in as_json["sections"] for t in s["tables"]}
    assert {"ombudsman.remedies", "ombudsman.remedy_compliance"} <= set(tables)
    assert title in FORMATS["html"].render(report).decode()
    word = Document(io.BytesIO(FORMATS["docx"].render(report)))
    assert title in [p.text for p in word.paragraphs]
    assert any(
        row.cells[0].text == "Decisions with a remedy" and row.cells[-1].text == with_remedy
        for table in word.tables
        for row in table.rows
    )
    workbook = load_workbook(io.BytesIO(FORMATS["xlsx"].render(report)))
    assert any("remedies" in name for name in workbook.sheetnames)
    pdf = FORMATS["pdf"].render(report)
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    assert "Decisions with a remedy" in text


def test_a_year_with_no_enquiry_type_recorded_says_not_recorded_everywhere(db):
    for month in (5, 6, 7):
        CaseFactory(
            kind=Kind.OMBUDSMAN, status=Status.OPEN, received_on=D(YEAR, month, 1),
            lgsco_enquiry_type=None,
        )  # fmt: skip
    report = annual.build(YEAR, today=TODAY, sections=[ombudsman])
    summary = report.table("ombudsman.summary")
    assert summary.cell("investigated", str(YEAR)) == remedies_not_recorded()
    by_area = report.table("ombudsman.by_service_area")
    cells = [row.cells["investigated"] for row in by_area.rows]
    assert cells and set(cells) == {remedies_not_recorded()}
    assert "investigated 0" not in report.sections[0].narrative
    assert "was not recorded" in report.sections[0].narrative


def remedies_not_recorded():
    return ombudsman.TYPE_NOT_RECORDED


def test_remedies_are_read_in_a_fixed_number_of_queries(decisions, django_assert_max_num_queries):
    ctx = annual.make_context(YEAR, today=decisions)
    ctx.cases(Kind.OMBUDSMAN)  # the report's own facts, loaded before
    with django_assert_max_num_queries(2):
        remedies.by_year_table(ctx)
        remedies.compliance_table(ctx)
