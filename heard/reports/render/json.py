"""A report as JSON: every figure, every label and every sentence (:meth:`Report.to_dict`).

Dates (in an edition's details, say) become ISO 8601 strings; :meth:`Report.from_dict` reads
the result back.
"""

from __future__ import annotations

import datetime
import decimal
import json

from heard.reports.document import Report


def render(report: Report) -> bytes:
    return dumps(report).encode("utf-8")


def dumps(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=_default) + "\n"


def _default(value):
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
