"""A report as JSON: every figure, every label and every sentence (:meth:`Report.to_dict`).

Dates (in an edition's details, say) become ISO 8601 strings; :meth:`Report.from_dict` reads
the result back.
"""

from __future__ import annotations

import datetime
import decimal
import json
from typing import Any

from heard.reports.document import Report


def render(report: Report) -> bytes:
    return dumps(report).encode("utf-8")


def dumps(report: Report) -> str:
    return json.dumps(data(report), indent=2, ensure_ascii=False) + "\n"


def data(report: Report) -> dict[str, Any]:
    """The report as values JSON can hold: what the API answers and a published edition
    stores."""
    return _plain(report.to_dict())


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    return value
