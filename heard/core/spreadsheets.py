"""Every CSV and XLSX file Heard writes is made through this module, so none carries a formula.

Text typed into Heard (a team's name, a complainant's words) ends up in trackers, reports and
templates that people open in Excel. A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would be run as a formula there (``=HYPERLINK(...)`` leaking data, DDE
commands). Such text gets a leading apostrophe, as OWASP recommends, in both formats: the
reader sees the text, never its result. Numbers and dates are written as they are.

Use ``csv_writer`` / ``csv_dict_writer`` instead of the ``csv`` module's writers, and this
module's ``Workbook`` instead of openpyxl's (normal or write-only). A test
(``tests/core/test_spreadsheets.py``) fails if any other module writes CSV or XLSX itself.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from typing import Any

from openpyxl import Workbook as _OpenpyxlWorkbook
from openpyxl.cell import Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """``text`` as a spreadsheet will show it, never as a formula."""
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_value(value: Any) -> Any:
    return safe_text(value) if isinstance(value, str) else value


class _CsvWriter:
    def __init__(self, handle, **options):
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([safe_value(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class _CsvDictWriter(csv.DictWriter):
    def writerow(self, rowdict: Mapping[str, Any]):
        return super().writerow({key: safe_value(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


def csv_writer(handle, **options) -> _CsvWriter:
    """``csv.writer`` whose every text cell is made safe."""
    return _CsvWriter(handle, **options)


def csv_dict_writer(handle, fieldnames, **options) -> _CsvDictWriter:
    """``csv.DictWriter`` whose every text cell is made safe."""
    return _CsvDictWriter(handle, fieldnames=fieldnames, **options)


def _make_safe(cell: Cell) -> None:
    if isinstance(cell.value, str) and (
        cell.data_type == "f" or cell.value.startswith(FORMULA_STARTS)
    ):
        cell.value = safe_text(cell.value)


class _SafeWriteOnlyWorksheet(WriteOnlyWorksheet):
    def append(self, row):
        values = []
        for value in row:
            if isinstance(value, Cell):
                _make_safe(value)
                values.append(value)
            else:
                values.append(safe_value(value))
        super().append(values)


class Workbook(_OpenpyxlWorkbook):
    """openpyxl's Workbook that never writes a formula.

    Write-only sheets make each row safe as it is appended; normal sheets are made safe cell
    by cell when the workbook is saved, however their cells were filled.
    """

    def create_sheet(self, title=None, index=None):
        if not self.write_only:
            return super().create_sheet(title, index)
        sheet = _SafeWriteOnlyWorksheet(parent=self, title=title)
        self._add_sheet(sheet, index)
        return sheet

    def save(self, filename) -> None:
        if not self.write_only:
            for sheet in self.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        _make_safe(cell)
        super().save(filename)
