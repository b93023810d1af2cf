"""Reports as files: HTML, PDF, Word, XLSX, JSON and charts, and `heard report` writing them.

PDF layout is slow, so this module lays out two PDFs: the small hand-made report and the
annual report written by the command.
"""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from docx import Document as WordDocument
from openpyxl import load_workbook

from heard.cases.choices import Kind, Status
from heard.reports import annual
from heard.reports.document import (
    SUPPRESSED,
    Chart,
    Column,
    Item,
    Report,
    Row,
    Section,
    Table,
)
from heard.reports.render import FORMATS, charts, html, pdf, xlsx
from tests.factories import CaseFactory

PNG = b"\x89PNG\r\n\x1a\n"
ZIP = b"PK\x03\x04"
FORMULA = '=HYPERLINK("http://example.com","Click")'
LONG_ID = "outcomes.statutory_by_team_and_locality"  # longer than Excel's 31 characters


def small_report() -> Report:
    """Two sections, four tables (every kind of chart), a suppressed cell, a quote, and
    labels that a spreadsheet would take for formulas."""
    years = [
        Column("label", "Kind", "label"),
        Column("2016", "2016-17"),
        Column("2017", "2017-18"),
        Column("change", "% change", "change", of="2016-17", source="2017"),
    ]
    received = Table(
        id="volumes.received",
        title="Cases received each year",
        columns=years,
        rows=[
            Row("complaint", "Complaints", {"2016": 1200, "2017": 1254, "change": 5}),
            Row("compliment", "Compliments", {"2016": 40, "2017": SUPPRESSED, "change": None}),
            Row("total", "Total", {"2016": 1240, "2017": 1300, "change": 5}, total=True),
        ],
        selection="Cases received in each reporting year",
        notes=["% change is this year's count against last year's."],
        chart=Chart("bar", "Cases received each year", ["2016", "2017"]),
    )
    by_team = Table(
        id="teams.outcomes",
        title="Outcomes by team",
        columns=[
            Column("label", "Team", "label"),
            Column("upheld", "Upheld"),
            Column("not-upheld", "Not upheld"),
            Column("upheld_pct", "% upheld", "percent", of="complaints", source="upheld"),
        ],
        rows=[
            Row("fostering", FORMULA, {"upheld": 7, "not-upheld": 9, "upheld_pct": 44}, level=1),
            Row("mat", "-2 days late team", {"upheld": 0, "not-upheld": 3, "upheld_pct": 0}),
            Row("send", "@SUM(A1:A2)", {"upheld": 6, "not-upheld": 0, "upheld_pct": 100}),
        ],
        selection="Complaints dealt with in 2017-18",
        chart=Chart("stacked-bar", "Outcomes by team", ["upheld", "not-upheld"]),
    )
    history = Table(
        id=LONG_ID,
        title="Complaints each year",
        columns=[
            Column("label", "Year", "label"),
            Column("received", "Received"),
            Column("days", "Median working days", "days"),
        ],
        rows=[
            Row(str(y), f"{y}-{y - 1999}", {"received": 10 + y % 7, "days": 12.5})
            for y in range(2014, 2018)
        ],
        chart=Chart("line", "Complaints each year", ["received"]),
    )
    twin = Table(
        id=LONG_ID + "_again", title="The same, again", columns=history.columns, rows=history.rows
    )
    return Report(
        kind="annual",
        title="Complaints annual report",
        council="Exampleshire County Council",
        period={"year": "2017", "label": "2017-18", "start": "2017-04-01", "end": "2018-03-31"},
        sections=[
            Section(
                id="volumes",
                title="Volumes over four years",
                narrative="Complaints rose by 5%.\n\nCompliments were fewer.",
                tables=[received],
            ),
            Section(
                id="teams",
                title="Outcomes by team",
                narrative="Fostering upheld the most.",
                tables=[by_team, history, twin],
                items=[Item("They listened to my son.", "Fostering")],
                items_title="What people said",
            ),
        ],
        notes=["Percentages are rounded to the nearest whole number."],
        generated_at="2018-05-02T10:00:00+00:00",
    )


def test_every_chart_is_a_png_with_alt_text_naming_its_table():
    report = small_report()
    drawn = [table for table in report.tables() if charts.has_chart(table)]
    assert [table.chart.kind for table in drawn] == ["bar", "stacked-bar", "line"]
    for table in drawn:
        assert charts.render(table).startswith(PNG)
        assert table.title in charts.alt_text(table)


def test_a_chart_drawn_as_svg_keeps_its_text_as_text_and_is_drawn_once():
    report = small_report()
    table = report.table("teams.outcomes")
    svg = charts.render(table, "svg").decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    # Text as text (not glyph outlines): the title and the row labels are in the file.
    assert ">Outcomes by team</text>" in svg
    assert charts.render(table, "svg") is charts.render(table, "svg")  # kept, not redrawn
    assert charts.render(table, "png").startswith(PNG)
    with pytest.raises(ValueError, match="png or svg"):
        charts.render(table, "gif")


def test_a_chart_of_nothing_but_zeros_is_left_out():
    table = small_report().table("volumes.received")
    for row in table.rows:
        row.cells.update({"2016": 0, "2017": 0})
    assert not charts.has_chart(table)


def test_the_html_partial_has_govuk_tables_headings_charts_and_quotes():
    report = small_report()
    page = html.render_partial(report, {"volumes.received": "/chart.png"})
    assert page.count('<h2 class="govuk-heading-l"') == 2
    assert '<caption class="govuk-table__caption govuk-table__caption--m">Cases received' in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1,254</td>' in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">[c]</td>' in page
    assert '<th scope="row" class="govuk-table__header">Complaints</th>' in page
    assert '<p class="govuk-body heard-report__narrative">Compliments were fewer.</p>' in page
    assert '<img src="/chart.png" alt="Bar chart: Cases received each year.' in page
    assert page.count("<img") == 1  # only the charts the page was given
    assert '<blockquote class="govuk-inset-text heard-report__item">' in page
    assert "They listened to my son." in page
    assert "% change is this year&#x27;s count against last year&#x27;s." in page


def test_the_standalone_html_has_its_charts_inlined():
    document = FORMATS["html"].render(small_report()).decode()
    assert document.startswith("<!DOCTYPE html>")
    assert document.count('src="data:image/png;base64,') == 3
    assert "Exampleshire County Council" in document
    assert "@page" in document  # the print stylesheet


def test_the_pdf_is_laid_out_in_pages():
    laid_out = pdf.layout(small_report())
    assert len(laid_out.pages) >= 2  # the title and contents, then the sections flow on
    assert laid_out.write_pdf().startswith(b"%PDF")
    import pdfplumber

    with pdfplumber.open(io.BytesIO(FORMATS["pdf"].render(small_report()))) as tagged:
        assert "StructTreeRoot" in tagged.doc.catalog  # PDF/UA


def test_the_word_document_has_real_headings_tables_and_pictures():
    report = small_report()
    document = WordDocument(io.BytesIO(FORMATS["docx"].render(report)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [section.title for section in report.sections] + ["Notes"]
    assert "Cases received each year" in [
        p.text for p in document.paragraphs if p.style.name == "Heading 2"
    ]
    assert "Compliments were fewer." in [p.text for p in document.paragraphs]
    received = document.tables[0]
    assert [cell.text for cell in received.rows[0].cells] == [
        "Kind",
        "2016-17",
        "2017-18",
        "% change",
    ]
    assert [cell.text for cell in received.rows[1].cells] == ["Complaints", "1,200", "1,254", "+5%"]
    assert [cell.text for cell in received.rows[2].cells][2] == "[c]"
    assert len(document.inline_shapes) == 3
    descriptions = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert descriptions[0].startswith("Bar chart: Cases received each year.")


def test_the_workbook_has_a_sheet_per_table_with_numbers_as_numbers():
    report = small_report()
    book = load_workbook(io.BytesIO(FORMATS["xlsx"].render(report)))
    assert book.sheetnames[0] == "Contents"
    names = book.sheetnames[1:]
    assert len(names) == len(report.tables())
    assert names[:2] == ["volumes.received", "teams.outcomes"]
    assert all(len(name) <= 31 for name in names)
    assert len({name.lower() for name in names}) == len(names)

    sheet = book["volumes.received"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows.index(("Kind", "2016-17", "2017-18", "% change"))
    assert rows[header + 1] == ("Complaints", 1200, 1254, 5)
    assert rows[header + 2] == ("Compliments", 40, "[c]", None)
    assert all(cell.font.b for cell in sheet[header + 1])
    assert ("% change is this year's count against last year's.",) in [r[:1] for r in rows]


def test_the_workbook_never_carries_a_formula():
    book = load_workbook(io.BytesIO(FORMATS["xlsx"].render(small_report())))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    labels = [row[0] for row in book["teams.outcomes"].iter_rows(values_only=True)]
    assert "'" + FORMULA in labels
    assert "'-2 days late team" in labels
    assert "'@SUM(A1:A2)" in labels
    assert xlsx.safe_text("Fostering") == "Fostering"


def test_sheet_names_are_cut_to_31_characters_and_kept_unique():
    names = xlsx.sheet_names(["a" * 40, "a" * 40 + "b", "Contents", "x[1]:y"])
    assert names == {
        "a" * 40: "a" * 31,
        "a" * 40 + "b": "a" * 29 + "~2",
        "Contents": "Contents~2",
        "x[1]:y": "x_1__y",
    }


def test_the_json_reads_back_as_the_same_report():
    report = small_report()
    report.edition = {"number": 2, "published_on": datetime.date(2018, 6, 1)}
    data = json.loads(FORMATS["json"].render(report))
    assert data["edition"]["published_on"] == "2018-06-01"
    report.edition["published_on"] = "2018-06-01"
    assert Report.from_dict(data) == report


# The annual report from cases -----------------------------------------------------------------


@pytest.fixture
def complaints(db):
    """Complaints received in 2017-18 (and one the year before), so the report has figures."""
    received = [datetime.date(2017, 5, 2) + datetime.timedelta(days=9 * n) for n in range(8)]
    made = [CaseFactory(kind=Kind.COMPLAINT, received_on=day) for day in received]
    CaseFactory(
        kind=Kind.COMPLAINT,
        received_on=datetime.date(2016, 6, 1),
        status=Status.CLOSED,
        closed_on=datetime.date(2016, 7, 1),
    )
    return made


def test_the_annual_report_renders_its_figures_in_word_and_excel(complaints):
    report = annual.build(2017)
    complaints_2017 = report.table("volumes.received").cell("complaint", "2017")
    assert complaints_2017 == len(complaints)

    document = WordDocument(io.BytesIO(FORMATS["docx"].render(report)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[: len(report.sections)] == [section.title for section in report.sections]
    assert len(document.tables) == len(report.tables())
    volumes = [table.id for table in report.tables()].index("volumes.received")
    complaint_row = [cell.text for cell in document.tables[volumes].rows[1].cells]
    assert complaint_row[0] == "Complaints" and str(len(complaints)) in complaint_row

    book = load_workbook(io.BytesIO(FORMATS["xlsx"].render(report)))
    assert len(book.sheetnames) == 1 + len(report.tables())
    rows = list(book["volumes.received"].iter_rows(values_only=True))
    assert ("Complaints", 0, 0, 1, len(complaints)) in [row[:5] for row in rows]


def test_the_command_writes_every_format(complaints, tmp_path):
    magic = {"pdf": b"%PDF", "docx": ZIP, "xlsx": ZIP, "html": b"<!DOCTYPE html>", "json": b"{"}
    for name in FORMATS:
        path = tmp_path / f"report.{name}"
        call_command("report", "annual", "--year", "2017", "--format", name, "-o", str(path))
        assert path.read_bytes().startswith(magic[name]), name
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["period"]["start"] == "2017-04-01" and data["period"]["end"] == "2018-03-31"


def test_the_command_writes_json_to_the_terminal_and_suppresses_for_publication(complaints):
    out = io.StringIO()
    call_command("report", "annual", "--year", "2017", "--publication", stdout=out)
    data = json.loads(out.getvalue())
    assert data["publication"] is True
    received = Report.from_dict(data).table("volumes.received")
    assert received.cell("complaint", "2016") == SUPPRESSED  # one complaint: a small number


def test_the_command_writes_the_other_reports(complaints, tmp_path):
    runs = [
        ["management", "--period", "week", "--on", "2017-05-03"],
        ["scrutiny", "--year", "2017"],
        ["lgsco", "--year", "2017"],
    ]
    for arguments in runs:
        path = tmp_path / f"{arguments[0]}.xlsx"
        call_command("report", *arguments, "--format", "xlsx", "-o", str(path))
        assert load_workbook(path).sheetnames[0] == "Contents"


def test_the_command_refuses_a_year_that_makes_no_sense_and_binary_output_to_a_terminal(db):
    with pytest.raises(CommandError, match="give the year it starts in"):
        call_command("report", "annual", "--year", "17", "--format", "json")
    with pytest.raises(CommandError, match="--year"):
        call_command("report", "scrutiny")
    with pytest.raises(CommandError, match="give the file to write with -o"):
        call_command("report", "annual", "--year", "2017", "--format", "pdf")


# Plain text in charts ---------------------------------------------------------------------------

#: Text matplotlib would read as TeX: an unbalanced subscript and a command with no argument
#: cannot be drawn at all as mathematics; "$5 to $10" would lose its dollars.
DOLLARS = ["Cost a $_$ b", r"Spend $\frac$ (£)", "Spend $5 to $10"]


@pytest.mark.parametrize("kind", ["bar", "stacked-bar", "line"])
def test_every_kind_of_chart_draws_dollars_as_plain_text(kind):
    table = Table(
        id="custom.dollars",
        title=DOLLARS[0],
        columns=[
            Column("label", DOLLARS[1], "label"),
            *(Column(f"s{i}", text) for i, text in enumerate(DOLLARS)),
        ],
        rows=[Row(f"r{i}", text, {"s0": 1, "s1": 2, "s2": 3}) for i, text in enumerate(DOLLARS)],
        chart=Chart(kind, DOLLARS[2], ["s0", "s1", "s2"]),
    )
    assert charts.render(table).startswith(PNG)
    assert f">{DOLLARS[2]}</text>" in charts.render(table, "svg").decode()


def test_a_dollar_in_a_chart_is_not_read_as_mathematics():
    """Drawn as typed: with mathematics on, "$5 to $10" would be drawn as "5 to " in italics,
    which takes a different width from the plain text."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def width(text: str) -> float:
        figure = Figure()
        canvas = FigureCanvasAgg(figure)
        drawn = figure.text(0, 0, text)
        return drawn.get_window_extent(canvas.get_renderer()).width

    with matplotlib.rc_context(charts.PLAIN_TEXT):
        plain = width("Spend $5 to $10")
    assert plain > width("Spend $5 to $10"), "the dollars are drawn, not swallowed"
    table = Table(
        id="t",
        title="Spend $5 to $10",
        columns=[Column("label", "L", "label"), Column("a", "Spend $5 to $10")],
        rows=[Row("r", "Spend $5 to $10", {"a": 1})],
        chart=Chart("bar", "Spend $5 to $10", ["a"]),
    )
    charts.render(table)
    assert matplotlib.rcParams["text.parse_math"], "the process's settings are left as they were"
