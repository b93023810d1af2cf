"""The PDF's tables at the column widths Heard works out for them (render.columns), read back
from the rendered PDF: nothing outside the page, no figure or word running into the next
column's, and every cell's text there to read.

The tables are made to be awkward: long unbroken words in row headings and column headings,
large figures, a dense table of fourteen columns, a landscape one of eighteen, one whose
figures are as long as can fit, a text column, and nested rows."""

import io

import pdfplumber
import pytest

from heard.reports.document import Column, Report, Row, Section, Table
from heard.reports.render import cells, columns, pdf

CM = 72 / 2.54
SIDE_MARGIN = {"portrait": 1.6 * CM, "landscape": 1.5 * CM}
SLACK = 1.0  # points a glyph may overhang its box
#: Points one letter may reach under the next: kerning ("Te", "AV") does this by design; text
#: running into the next column's overlaps by more.
KERNING = 1.5


def _figures_table(
    table_id: str, count: int, figure: int, heading: str, long_word: str = "Fostering"
) -> Table:
    keys = [f"c{i}" for i in range(count)]
    table_columns = [Column("label", "Team", "label")] + [
        Column(key, f"{heading} {i}", "count") for i, key in enumerate(keys)
    ]
    rows = [
        Row(
            f"r{n}",
            label,
            {key: figure * (n + 1) + i for i, key in enumerate(keys)},
            level=n % 3,
        )
        for n, label in enumerate(
            [
                "Children's social care assessment and intervention (north)",
                "Disabled children's service",
                "Safeguarding",
                long_word,
            ]
        )
    ]
    rows.append(Row("total", "Total", dict.fromkeys(keys, figure * 10), total=True))
    return Table(table_id, f"Table {table_id}", table_columns, rows)


def _tightest(count: int, heading: str) -> Table:
    """A table of ``count`` figure columns with the largest figures whose words still fit,
    so every column gets no more than it needs."""
    figure, table = 1, None
    while True:
        larger = _figures_table("tight", count, figure * 10, heading)
        if columns.column_widths(larger) is None:
            assert table is not None
            return table
        figure, table = figure * 10, larger


def _awkward_report() -> Report:
    text = Table(
        "definitions",
        "How the figures are counted",
        [Column("label", "Measure", "label"), Column("definition", "Definition", "text")],
        [
            Row(
                f"d{n}",
                "Within timescale (Stage 1, statutory procedure)",
                {"definition": " ".join(["Responded to within the extended timescale"] * 6)},
            )
            for n in range(5)
        ],
    )
    tables = [
        _figures_table(
            "few", 3, 1234567, "Complaints received", "Supercalifragilisticexpialidociousteam"
        ),
        _figures_table("dense", 13, 98765, "Incomprehensibilities"),
        _figures_table("landscape", 17, 4321, "Stage"),
        _tightest(6, "Received"),
        text,
    ]
    return Report(
        kind="annual",
        title="Awkward tables",
        council="Test council",
        period={"start": "2025-04-01", "end": "2026-03-31", "label": "2025-26"},
        sections=[Section("tables", "Tables", tables=tables)],
    )


@pytest.fixture(scope="module")
def awkward():
    report = _awkward_report()
    return report, pdf.render(report)


def test_every_awkward_table_gets_its_widths_which_fill_the_table():
    for table in _awkward_report().tables():
        widths = columns.column_widths(table)
        assert widths is not None, table.id
        assert len(widths.percentages) == len(table.columns)
        assert sum(widths.percentages) == pytest.approx(100, abs=0.01)


def test_a_table_whose_words_cannot_fit_is_left_to_the_automatic_layout():
    table = _figures_table("impossible", 30, 10**12, "Heading")
    assert columns.column_widths(table) is None


def test_no_character_is_outside_the_page_or_overlaps_another(awkward):
    _, document = awkward
    with pdfplumber.open(io.BytesIO(document)) as read:
        for number, page in enumerate(read.pages, start=1):
            margin = SIDE_MARGIN["landscape" if page.width > page.height else "portrait"]
            for char in page.chars:
                assert char["x0"] >= margin - SLACK, (number, char["text"])
                assert char["x1"] <= page.width - margin + SLACK, (number, char["text"])
            lines: dict[int, list[dict]] = {}
            for char in page.chars:
                if char["text"].strip():
                    lines.setdefault(round(char["top"]), []).append(char)
            for top, line in lines.items():
                line.sort(key=lambda char: char["x0"])
                for left, right in zip(line, line[1:], strict=False):
                    assert right["x0"] >= left["x1"] - KERNING, (
                        f"page {number}, line at {top}: {left['text']!r} runs into "
                        f"{right['text']!r}"
                    )


def test_every_cell_of_every_table_can_be_read_in_the_pdf(awkward):
    report, document = awkward
    with pdfplumber.open(io.BytesIO(document)) as read:
        words = {word["text"] for page in read.pages for word in page.extract_words()}
    for table in report.tables():
        for row in table.rows:
            for column, text in cells.row_cells(row, table.columns):
                for word in text.split():
                    assert word in words, (table.id, column.key, word)
