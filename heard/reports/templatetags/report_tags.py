"""Template helpers for ``reports/_report.html``: cells as text, charts by table id, paragraphs."""

from __future__ import annotations

from django import template

from heard.reports.document import Column, Row, Table
from heard.reports.render import cells, columns
from heard.reports.render import charts as chart_module

register = template.Library()


@register.simple_tag
def report_cells(row: Row, table: Table) -> list[dict]:
    """The cells of ``row`` in column order: text, whether it is a figure, whether it heads
    the row."""
    return [
        {
            "text": text,
            "numeric": cells.is_numeric(column),
            "header": column.kind == "label",
        }
        for column, text in cells.row_cells(row, table.columns)
    ]


@register.filter
def numeric(column: Column) -> bool:
    return cells.is_numeric(column)


@register.simple_tag
def chart_src(charts: dict | None, table: Table) -> str:
    """Where the chart of ``table`` is (a URL or a data: URI), if the page was given one."""
    if not charts or table.chart is None:
        return ""
    return charts.get(table.id, "")


@register.simple_tag
def fixed_widths(fixed: bool, table: Table) -> columns.Widths | None:
    """The columns' widths (percentages) when the page is laid out for print with fixed
    column widths (the PDF), else ``None``: the browser lays out a page's tables itself."""
    return columns.column_widths(table) if fixed else None


@register.filter
def chart_alt(table: Table) -> str:
    return chart_module.alt_text(table)


@register.filter
def paragraphs(text: str) -> list[str]:
    return cells.paragraphs(text)


#: Tables with more columns than ``DENSE`` are printed in smaller type; with more than
#: ``WIDE``, on a landscape page as well, so that no table runs off the page (the limits are
#: shared with the Word document, ``render.cells``).
DENSE = cells.DENSE
WIDE = cells.WIDE


@register.filter
def width_class(table: Table) -> str:
    """The classes that print a wide table in smaller type, on a landscape page when it is
    very wide; empty for a table that fits a portrait page as it is."""
    columns = len(table.columns)
    if columns > WIDE:
        return "heard-report__table--dense heard-report__table--wide"
    if columns > DENSE:
        return "heard-report__table--dense"
    return ""
