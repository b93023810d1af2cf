"""Rendering a :class:`~heard.reports.document.Report` in the formats councils circulate.

``FORMATS`` maps a format's name to its content type, file extension and the function that
turns a report into the file's bytes::

    content_type, extension, render = FORMATS["docx"]
    data = render(report)

Charts (``render.charts``) are drawn once per table that asks for one and appear with their
data table in HTML, PDF and Word; the XLSX and JSON carry the figures only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from heard.reports.document import Report
from heard.reports.render import docx, html, json, pdf, xlsx


class Format(NamedTuple):
    content_type: str
    extension: str
    render: Callable[[Report], bytes]


FORMATS: dict[str, Format] = {
    "html": Format("text/html; charset=utf-8", "html", html.render),
    "pdf": Format("application/pdf", "pdf", pdf.render),
    "docx": Format(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
        docx.render,
    ),
    "xlsx": Format(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", xlsx.render
    ),
    "json": Format("application/json", "json", json.render),
}

#: Formats that are text (the command may write them to standard output).
TEXT_FORMATS = frozenset({"html", "json"})
