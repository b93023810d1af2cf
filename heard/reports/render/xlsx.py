"""A report as an XLSX workbook: a contents sheet, then one sheet per table.

Figures are written as numbers (so they can be summed and charted), suppressed figures stay
the text ``[c]``, empty figures are empty cells. Text that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading
apostrophe (``heard.core.spreadsheets``), so a label typed into Heard cannot become a formula
in someone's Excel.
"""

from __future__ import annotations

import io
import re

from openpyxl.styles import Alignment, Font

from heard.core.spreadsheets import Workbook, safe_text
from heard.reports.document import SUPPRESSED, Report, Table
from heard.reports.render import cells
from heard.reports.render.html import generated_on, period_text

MAX_SHEET_NAME = 31
CONTENTS = "Contents"
NUMBER_FORMATS = {
    "count": "#,##0",
    "percent": "0",
    "change": "0",
    "money": "£#,##0.00",
    "days": "0.0",
    "rate": "0.0",
    "figure": "#,##0",
}
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
GREY = Font(color="505A5F")


def render(report: Report) -> bytes:
    book = Workbook()
    contents = book.active
    contents.title = CONTENTS
    names = sheet_names([table.id for table in report.tables()])
    _contents(contents, report, names)
    for section in report.sections:
        for table in section.tables:
            _table_sheet(book.create_sheet(names[table.id]), table, section.title, report)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_names(table_ids: list[str]) -> dict[str, str]:
    """{table id: sheet name}: Excel's rules (at most 31 characters, none of ``[]:*?/\\'``,
    unique ignoring case, not "Contents" or "History"), keeping as much of the id as fits."""
    used = {CONTENTS.lower(), "history"}
    names = {}
    for table_id in table_ids:
        base = re.sub(r"[\[\]:*?/\\']", "_", table_id).strip() or "Table"
        name = base[:MAX_SHEET_NAME]
        number = 2
        while name.lower() in used:
            suffix = f"~{number}"
            name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
            number += 1
        used.add(name.lower())
        names[table_id] = name
    return names


def _contents(sheet, report: Report, names: dict[str, str]) -> None:
    title = f"{report.title} {report.period.get('label', '')}".strip()
    sheet.append([safe_text(title)])
    sheet["A1"].font = TITLE
    sheet.append([safe_text(report.council)])
    details = []
    if period_text(report):
        details.append(f"{period_text(report)}.")
    if generated_on(report):
        details.append(f"Produced by Heard on {generated_on(report)}.")
    sheet.append([" ".join(details)])
    if report.publication:
        sheet.append(
            [
                "Publication version: numbers from 1 to 5, and figures that would reveal them, "
                "are shown as [c]."
            ]
        )
    sheet.append([])
    sheet.append(["Sheet", "Table", "Section", "Which cases"])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for section in report.sections:
        for table in section.tables:
            name = names[table.id]
            sheet.append(
                [name, safe_text(table.title), safe_text(section.title), safe_text(table.selection)]
            )
            link = sheet.cell(row=sheet.max_row, column=1)
            link.hyperlink = f"#'{name}'!A1"
            link.style = "Hyperlink"
    if report.notes:
        sheet.append([])
        sheet.append(["Notes"])
        sheet.cell(row=sheet.max_row, column=1).font = BOLD
        for note in report.notes:
            sheet.append([safe_text(note)])
    for letter, width in zip("ABCD", (32, 50, 36, 60), strict=True):
        sheet.column_dimensions[letter].width = width


def _table_sheet(sheet, table: Table, section_title: str, report: Report) -> None:
    sheet.append([safe_text(table.title)])
    sheet["A1"].font = TITLE
    sheet.append([safe_text(f"{section_title}. {table.selection}".strip())])
    sheet.append([])
    sheet.append([safe_text(column.label) for column in table.columns])
    header_row = sheet.max_row
    for cell, column in zip(sheet[header_row], table.columns, strict=True):
        cell.font = BOLD
        cell.alignment = Alignment(
            wrap_text=True, horizontal="right" if cells.is_numeric(column) else "left"
        )
    for row in table.rows:
        sheet.append([_value(row, column) for column in table.columns])
        for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
            if row.total:
                cell.font = BOLD
            if column.kind == "label" and row.level:
                cell.alignment = Alignment(indent=2 * row.level)
            elif isinstance(cell.value, int | float) and column.kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[column.kind]
            elif cell.value == SUPPRESSED:
                cell.alignment = Alignment(horizontal="right")
    notes = list(table.notes)
    if report.publication:
        notes.append("[c]: a small number, or a figure that would reveal one, suppressed.")
    if notes:
        sheet.append([])
        for note in notes:
            sheet.append([safe_text(note)])
            sheet.cell(row=sheet.max_row, column=1).font = GREY
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    sheet.column_dimensions["A"].width = 45
    for index in range(2, len(table.columns) + 1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = 14


def _value(row, column):
    if column.kind == "label":
        return safe_text(row.label)
    value = row.cells.get(column.key)
    if isinstance(value, str):
        return safe_text(value)
    return value
