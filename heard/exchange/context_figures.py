"""Context figures in the exchange format: checked with the cases, written in the same
transaction, never overwritten.

A figure already in Heard with the same code and year is left alone when the file agrees with
it, and is a problem when the file gives another value: a correction is made on the context
figures page, where it is audited, not by an import that would silently change a published
rate.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import ValidationError

from heard.exchange.schema import ContextFigureRecord
from heard.reports.models import ContextFigure


def check(declared: Iterable[dict]) -> tuple[list[ContextFigureRecord], list[tuple[str, str, str]]]:
    """The figures to create, and every problem as (where, field, reason)."""
    records, problems, seen = [], [], set()
    for i, raw in enumerate(declared, 1):
        try:
            record = ContextFigureRecord.model_validate(raw)
        except ValidationError as error:
            for detail in error.errors():
                field = ".".join(str(p) for p in detail["loc"]) or "context figure"
                problems.append((f"context figure {i}", field, detail["msg"]))
            continue
        key = (record.code, record.year)
        where = f"context figure {i} ({record.code} {record.year})"
        if key in seen:
            problems.append((where, "code", "the file gives this figure for this year twice"))
            continue
        seen.add(key)
        records.append(record)
    existing = {
        (f.code, f.year): f.value
        for f in ContextFigure.objects.filter(code__in={r.code for r in records})
    }
    new = []
    for record in records:
        value = existing.get((record.code, record.year))
        if value is None:
            new.append(record)
        elif value != record.value:
            problems.append(
                (
                    f"context figure {record.code} {record.year}",
                    "value",
                    f"Heard already has {value} for this figure and year; correct it on the "
                    "context figures page rather than by import",
                )
            )
    return new, problems


def write(records: list[ContextFigureRecord]) -> int:
    ContextFigure.objects.bulk_create(
        ContextFigure(
            code=r.code,
            label=r.label,
            year=r.year,
            value=r.value,
            as_at=r.as_at,
            source=r.source,
            rate_base=r.rate_base,
            order=i,
        )
        for i, r in enumerate(records)
    )
    return len(records)
