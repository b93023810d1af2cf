"""A report as HTML: the partial Heard's pages include, and a standalone document.

The partial (``reports/_report.html``) takes ``report`` and, optionally, ``charts``: a mapping
of table id to the image's address. :func:`chart_sources` makes that mapping with the charts
inlined as ``data:`` URIs, which is what the standalone document (and so the PDF) uses, so
that the file works on its own, offline and e-mailed: PNG in the HTML file (a reader's
browser may not have the font an SVG chart was measured in), SVG in the PDF.
"""

from __future__ import annotations

import base64
import datetime

from django.template.loader import render_to_string

from heard.reports.document import Report
from heard.reports.render import charts


def chart_sources(report: Report, fmt: str = "png") -> dict[str, str]:
    """{table id: data: URI of its chart} for every table of ``report`` that has a chart,
    drawn as ``fmt`` (``png`` or ``svg``)."""
    content_type = charts.FORMATS[fmt][0]
    sources = {}
    for table in report.tables():
        if charts.has_chart(table):
            encoded = base64.b64encode(charts.render(table, fmt)).decode("ascii")
            sources[table.id] = f"data:{content_type};base64,{encoded}"
    return sources


def render_partial(report: Report, chart_srcs: dict[str, str] | None = None) -> str:
    """The report's sections as an HTML fragment (what Heard's pages include)."""
    return render_to_string("reports/_report.html", {"report": report, "charts": chart_srcs})


def render_document(
    report: Report, chart_srcs: dict[str, str] | None = None, fixed_columns: bool = False
) -> str:
    """The report as a complete HTML document with its charts inlined and a print stylesheet;
    with ``fixed_columns`` (for the PDF), each table's column widths are set in the document
    (:mod:`heard.reports.render.columns`) rather than found by the layout engine."""
    if chart_srcs is None:
        chart_srcs = chart_sources(report)
    context = {
        "report": report,
        "charts": chart_srcs,
        "fixed_columns": fixed_columns,
        "period": period_text(report),
        "generated": generated_on(report),
    }
    return render_to_string("reports/report_document.html", context)


def render(report: Report) -> bytes:
    return render_document(report).encode("utf-8")


def period_text(report: Report) -> str:
    """The dates the report covers, as people write them ("1 April 2017 to 31 March 2018")."""
    try:
        start = datetime.date.fromisoformat(report.period["start"])
        end = datetime.date.fromisoformat(report.period["end"])
    except (KeyError, TypeError, ValueError):
        return ""
    return f"{_day(start)} to {_day(end)}"


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def generated_on(report: Report) -> str:
    """The day the report was computed, as people write it ("24 November 2026")."""
    if not report.generated_at:
        return ""
    try:
        day = datetime.datetime.fromisoformat(report.generated_at).date()
    except ValueError:
        return report.generated_at
    return f"{day.day} {day:%B %Y}"
