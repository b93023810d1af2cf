"""The Word document read back with python-docx: every wide table in a landscape section,
every other table and all the text on portrait pages, headings in Word's heading styles, and
every table's first row marked as its header row (repeated on each page)."""

import io

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from heard.reports import annual
from heard.reports.document import Column, Report, Row, Section, Table
from heard.reports.render import FORMATS, cells


def _read(report: Report):
    return Document(io.BytesIO(FORMATS["docx"].render(report)))


def _ends_a_section(paragraph_element) -> bool:
    return paragraph_element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None


def _tables_with_sections(document) -> list[tuple[int, object]]:
    """(the number of the section it is in, that section) for every table, in order. A
    section ends at the paragraph holding its ``w:sectPr``; the last one at the body's end."""
    found, index = [], 0
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:tbl"):
            found.append(index)
        elif element.tag == qn("w:p") and _ends_a_section(element):
            index += 1
    return [(i, document.sections[i]) for i in found]


def _headings_with_sections(document, style: str) -> list[tuple[str, object]]:
    found, index = [], 0
    for paragraph in document.paragraphs:
        if paragraph.style.name == style:
            found.append((paragraph.text, index))
        if _ends_a_section(paragraph._p):
            index += 1
    return [(text, document.sections[i]) for text, i in found]


def _table(key: str, columns: int) -> Table:
    cols = [Column("label", "Team", "label")] + [
        Column(f"c{n}", f"Column {n}") for n in range(1, columns)
    ]
    return Table(
        id=f"test.{key}",
        title=f"Table {key}",
        columns=cols,
        rows=[Row("a", "A team", {f"c{n}": n for n in range(1, columns)})],
    )


def _report() -> Report:
    narrow, dense, wide = (
        _table("narrow", 4),
        _table("dense", cells.DENSE + 1),
        _table("wide", cells.WIDE + 2),
    )
    return Report(
        kind="annual",
        title="Annual report",
        council="Heard demo council",
        period={"label": "2017-18"},
        sections=[
            Section(id="one", title="One", narrative="First.", tables=[narrow, dense, wide]),
            Section(id="two", title="Two", narrative="Second.", tables=[_table("after", 3)]),
        ],
    )


def _landscape(section) -> bool:
    return section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height


def test_wide_tables_go_in_landscape_sections_and_the_rest_stays_portrait():
    report = _report()
    document = _read(report)
    tables = _tables_with_sections(document)
    assert len(tables) == len(report.tables())
    for table, (_index, section) in zip(report.tables(), tables, strict=True):
        assert _landscape(section) == cells.is_dense(table), table.id
        if not cells.is_dense(table):
            assert section.page_height > section.page_width
    headings = dict(_headings_with_sections(document, "Heading 2"))
    assert _landscape(headings["Table dense"]), "the heading goes with its table"
    assert not _landscape(headings["Table after"])
    for _title, section in _headings_with_sections(document, "Heading 1"):
        assert not _landscape(section), "section headings and text are on portrait pages"
    # portrait, then one landscape section for both wide tables, then portrait again
    assert [index for index, _section in tables] == [0, 1, 1, 2]
    assert len(document.sections) == 3
    first = document.sections[0]
    for section in document.sections[1:]:
        assert section.header.is_linked_to_previous, "the council's name on every page"
        assert section.left_margin == first.left_margin


def _type_size(table) -> float:
    return table.rows[1].cells[1].paragraphs[0].runs[0].font.size.pt


def test_the_widest_tables_are_set_in_smaller_type():
    narrow, dense, wide, _after = _read(_report()).tables
    assert _type_size(wide) < _type_size(dense) == _type_size(narrow)


def _header_marked(table) -> bool:
    first = table.rows[0]._tr
    properties = first.trPr
    return properties is not None and any(
        child.tag == qn("w:tblHeader") and child.get(qn("w:val")) in (None, "true", "1")
        for child in properties
    )


@pytest.mark.django_db
def test_the_annual_report_marks_headings_and_header_rows_and_turns_wide_tables():
    report = annual.build(2017)
    document = _read(report)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[: len(report.sections)] == [s.title for s in report.sections]
    table_headings = {p.text for p in document.paragraphs if p.style.name == "Heading 2"}
    assert {t.title for t in report.tables()} <= table_headings
    assert len(document.tables) == len(report.tables())
    assert all(_header_marked(table) for table in document.tables)
    for table, (_index, section) in zip(
        report.tables(), _tables_with_sections(document), strict=True
    ):
        assert _landscape(section) == cells.is_dense(table), table.id
    assert any(cells.is_dense(t) for t in report.tables()), "the report has wide tables"
