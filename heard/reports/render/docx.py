"""A report as a Word document that committee officers can edit.

Real structure rather than look-alike formatting: the title in Word's Title style, each
section a Heading 1, each table a Heading 2 followed by its chart (a picture with alt text)
and a real Word table whose header row is marked as the table's header (``w:tblHeader``:
Word repeats it on every page and reads it out as the header to assistive technology), the
narrative as ordinary paragraphs and publishable items as quotes. A4, the council's name in
the page header and the page number in the footer.

A table too wide for a portrait page (more than ``cells.DENSE`` columns) goes, with its
heading and chart, in a landscape section of its own (consecutive wide tables share one);
the text after it returns to portrait. Headers and footers carry over to every section.
"""

from __future__ import annotations

import copy
import io

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import _Cell

from heard.reports.document import Report, Section, Table
from heard.reports.render import cells, charts
from heard.reports.render.html import generated_on, period_text

FONT = "Arial"
TABLE_FONT_SIZE = Pt(9)
#: For a table of more than ``cells.WIDE`` columns, even on a landscape page.
WIDE_TABLE_FONT_SIZE = Pt(7.5)
A4 = (Mm(210), Mm(297))
CHART_WIDTH = Cm(16)
GREY = RGBColor(0x50, 0x5A, 0x5F)
#: Said under a table with no rows (as the HTML and PDF say it).
EMPTY = "None in the period this table covers."


def render(report: Report) -> bytes:
    document = Document()
    _set_up(document, report)
    document.add_heading(f"{report.title} {report.period.get('label', '')}".strip(), level=0)
    _paragraph(document, report.council, bold=True)
    intro = []
    if period_text(report):
        intro.append(f"{period_text(report)}.")
    if generated_on(report):
        intro.append(f"Produced by Heard on {generated_on(report)}.")
    if intro:
        _paragraph(document, " ".join(intro), size=Pt(9), colour=GREY)
    if report.publication:
        _paragraph(
            document,
            "This is the publication version: numbers from 1 to 5, and figures that would "
            "reveal them, are shown as [c].",
            italic=True,
        )
    for section in report.sections:
        _section(document, section)
    if report.notes:
        _orient(document, landscape=False)
        document.add_heading("Notes", level=1)
        for note in report.notes:
            document.add_paragraph(note, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_up(document, report: Report) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        document.styles[name].font.name = FONT
    page = document.sections[0]
    page.orientation = WD_ORIENT.PORTRAIT
    page.page_width, page.page_height = A4
    page.left_margin = page.right_margin = Cm(2)
    page.top_margin = page.bottom_margin = Cm(2)
    header = page.header.paragraphs[0]
    header.text = report.council
    header.runs[0].font.size = Pt(9)
    footer = page.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Page ").font.size = Pt(9)
    _page_number(footer)
    properties = document.core_properties
    properties.title = report.title
    properties.author = report.council
    properties.comments = "Produced by Heard"


def _section(document, section: Section) -> None:
    _orient(document, landscape=False)
    document.add_heading(section.title, level=1)
    for text in cells.paragraphs(section.narrative):
        document.add_paragraph(text)
    for table in section.tables:
        _table(document, table)
    if section.items:
        _orient(document, landscape=False)
        if section.items_title:
            document.add_heading(section.items_title, level=2)
        for item in section.items:
            for text in cells.paragraphs(item.text):
                document.add_paragraph(text, style="Quote")
            if item.attribution:
                _paragraph(document, f"— {item.attribution}", size=Pt(9), colour=GREY)


def _orient(document, landscape: bool) -> None:
    """Start a new section on a new page in the orientation asked for, unless the current
    section is already in it."""
    orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    if document.sections[-1].orientation == orientation:
        return
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = orientation
    width, height = A4
    section.page_width, section.page_height = (height, width) if landscape else (width, height)


def _table(document, table: Table) -> None:
    _orient(document, landscape=cells.is_dense(table))
    size = WIDE_TABLE_FONT_SIZE if cells.is_wide(table) else TABLE_FONT_SIZE
    heading = document.add_heading(table.title, level=2)
    heading.paragraph_format.keep_with_next = True
    if charts.has_chart(table):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        picture = paragraph.add_run().add_picture(
            io.BytesIO(charts.render(table)), width=CHART_WIDTH
        )
        picture._inline.docPr.set("descr", charts.alt_text(table))
    if table.selection:
        selection = _paragraph(document, table.selection, size=Pt(9), colour=GREY)
        selection.paragraph_format.keep_with_next = True

    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    header = grid.rows[0]
    _repeat_header(header)
    for cell, column in zip(header.cells, table.columns, strict=True):
        _cell_text(cell, column.label, bold=True, right=cells.is_numeric(column), size=size)
    _body_rows(grid, table, size)
    if not table.rows:
        _paragraph(document, EMPTY, size=Pt(9), colour=GREY)
    for note in table.notes:
        _paragraph(document, note, size=Pt(9), colour=GREY)
    document.add_paragraph()


def _body_rows(grid, table: Table, size) -> None:
    """The rows of ``table`` in the Word table ``grid``.

    python-docx makes each row and each cell's paragraph and run element by element, looking
    up where each goes, which took half a second for a thousand cells. The first row, and the
    first cell of each look (bold or not, right-aligned or not, indented or not), are made
    through it; every other row and cell is a copy of one of those with its own text, which
    makes the same XML."""
    empty_row = None  # the first row as python-docx made it, before its text
    looks = {}  # (bold, right-aligned, indent): an empty cell paragraph of that look
    for row in table.rows:
        if empty_row is None:
            word_row = grid.add_row()
            _keep_together(word_row)
            tr = word_row._tr
            empty_row = copy.deepcopy(tr)
        else:
            tr = copy.deepcopy(empty_row)
            grid._tbl.append(tr)
        for tc, (column, text) in zip(tr.tc_lst, cells.row_cells(row, table.columns), strict=True):
            right = cells.is_numeric(column)
            indent = Cm(0.4 * row.level) if column.kind == "label" and row.level else None
            look = (row.total, right, indent)
            if look not in looks:
                paragraph = _cell_text(_Cell(tc, grid), "", bold=row.total, right=right, size=size)
                if indent is not None:
                    paragraph.paragraph_format.left_indent = indent
                looks[look] = copy.deepcopy(paragraph._p)
                made = paragraph._p
            else:
                made = copy.deepcopy(looks[look])
                tc.replace(tc.p_lst[0], made)
            if text:
                made.r_lst[0].text = text


def _cell_text(cell, text: str, *, bold: bool = False, right: bool = False, size=TABLE_FONT_SIZE):
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.font.size = size
    run.bold = bold
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return paragraph


def _paragraph(document, text: str, *, size=None, colour=None, bold=False, italic=False):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic
    if size:
        run.font.size = size
    if colour:
        run.font.color.rgb = colour
    return paragraph


def _repeat_header(row) -> None:
    """Mark ``row`` as the table's header row, repeated at the top of each page."""
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _keep_together(row) -> None:
    """Do not split ``row`` across pages."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def _page_number(paragraph) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
