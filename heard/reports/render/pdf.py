"""A report as PDF: the standalone HTML document laid out by WeasyPrint on A4.

The print stylesheet (``reports/report.css``) numbers the pages, puts the council's name at
the top of each, starts each section on a new page, repeats table headers on following pages
and keeps short tables, charts and rows from splitting.

WeasyPrint needs the Pango library from the operating system; without it, importing
WeasyPrint fails with an ``OSError``, which becomes :class:`PDFUnavailable` with a plain message.
"""

from __future__ import annotations

import logging

from heard.reports.data import gc_paused
from heard.reports.document import Report
from heard.reports.render import html

MISSING_PANGO = (
    "PDF reports need the Pango library, which is not installed. On Debian or Ubuntu, install "
    "it with: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation "
    "fonts-dejavu-core (or run scripts/install-system-deps.sh as root). The other formats work "
    "without it."
)


class PDFUnavailable(RuntimeError):
    """WeasyPrint cannot run on this machine."""


#: Tagged PDF for accessibility (PDF/UA-1): headings, tables with their header cells and
#: images with their alt text are marked as such in the file, with the document's language
#: (the HTML's ``lang``) and title (its ``<title>``) set, so that screen readers can read it.
PDF_VARIANT = "pdf/ua-1"


def render(report: Report) -> bytes:
    """The report as a tagged PDF.

    Python's cyclic garbage collector is paused while WeasyPrint lays out and draws: it makes
    over a million objects for a 50-page report, and the collector walked all of them again
    and again, a quarter of the time; the cycles it leaves are collected once, at the end."""
    with gc_paused():
        return layout(report).write_pdf(pdf_variant=PDF_VARIANT)


def layout(report: Report):
    """The report laid out in pages (a WeasyPrint ``Document``: ``.pages``, ``.write_pdf()``),
    its charts as SVG and its tables at the column widths worked out for them."""
    document = html.render_document(report, html.chart_sources(report, "svg"), fixed_columns=True)
    return _weasyprint().HTML(string=document).render()


def _weasyprint():
    # WeasyPrint logs every step at INFO (even on import); Heard's console wants its problems.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    try:
        import weasyprint
    except OSError as error:  # Pango or its fonts libraries are missing
        raise PDFUnavailable(f"{MISSING_PANGO} ({error})") from error
    return weasyprint
