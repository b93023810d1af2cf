"""How a cell reads in a rendered report (HTML, PDF, Word); the XLSX keeps numbers as numbers.

A cell is an int, a float, a string (the suppression marker ``[c]`` or text) or None (nothing
to show, such as a percentage with no whole or a change with nothing the year before).
"""

from __future__ import annotations

from heard.reports.document import Cell, Column, Row

#: Column kinds whose cells are figures (right-aligned, numbers in the spreadsheet).
NUMERIC_KINDS = frozenset({"count", "percent", "change", "money", "days", "rate", "figure"})

#: What a cell with no value shows.
EMPTY = "–"

#: Tables with more columns than ``DENSE`` do not fit a portrait A4 page in the usual type:
#: the PDF sets them smaller, and the Word document on a landscape page. With more than
#: ``WIDE`` the PDF turns the page too, and Word sets them smaller as well.
DENSE = 7
WIDE = 15


def is_dense(table) -> bool:
    return len(table.columns) > DENSE


def is_wide(table) -> bool:
    return len(table.columns) > WIDE


def is_numeric(column: Column) -> bool:
    return column.kind in NUMERIC_KINDS


def format_cell(value: Cell, column: Column) -> str:
    """``value`` as text for ``column``: thousands separated, "%" after percentages, a sign
    before a change, "£" before money; suppressed markers and text as they are."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str | bool):
        return str(value)
    kind = column.kind
    if kind == "percent":
        return f"{_number(value)}%"
    if kind == "change":
        sign = "+" if value > 0 else ""
        return f"{sign}{_number(value)}%".replace("-", "−")
    if kind == "money":
        return f"£{value:,.0f}" if float(value).is_integer() else f"£{value:,.2f}"
    return _number(value)


def row_cells(row: Row, columns: list[Column]) -> list[tuple[Column, str]]:
    """The row's cells in column order, as text; a label column shows the row's label."""
    cells = []
    for column in columns:
        if column.kind == "label":
            cells.append((column, row.label))
        else:
            cells.append((column, format_cell(row.cells.get(column.key), column)))
    return cells


def paragraphs(text: str) -> list[str]:
    """Text split into paragraphs at blank lines (a single line break becomes a space)."""
    blocks = [" ".join(block.split()) for block in (text or "").split("\n\n")]
    return [block for block in blocks if block]


def _number(value: int | float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"
