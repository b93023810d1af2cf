"""The statutory annual report: its sections, in the order councils publish them.

Each section is a module in ``heard.reports.sections`` with a ``build(ctx) -> Section``
function. This module loads the data once, runs every section, and applies an edition's
edited text and publication mode.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from heard.reports import measures
from heard.reports.context import YEARS_SHOWN, ReportContext
from heard.reports.data import load
from heard.reports.document import Report, Section, Table
from heard.reports.periods import ReportingYear
from heard.reports.publication import for_publication
from heard.reports.sections import (
    case_studies,
    channels,
    complainants,
    compliments,
    contacts,
    context,
    enquiries,
    flow,
    focus,
    information,
    learning,
    ombudsman,
    outcomes,
    service_areas,
    timeliness,
    volumes,
)

#: The sections in the order councils publish them.
SECTIONS = [
    context,
    volumes,
    service_areas,
    focus,
    channels,
    complainants,
    outcomes,
    timeliness,
    flow,
    ombudsman,
    enquiries,
    compliments,
    contacts,
    information,
    learning,
    case_studies,
]

TITLE = "Complaints, compliments and representations: annual report"


def council_name() -> str:
    from django.conf import settings

    return settings.COUNCIL_NAME


def context_figures() -> dict[int, dict[str, tuple]]:
    from heard.reports.models import ContextFigure

    figures: dict[int, dict[str, tuple]] = {}
    for figure in ContextFigure.objects.all():
        figures.setdefault(figure.year, {})[figure.code] = (
            figure.label,
            figure.value,
            figure.as_at,
            figure.rate_base,
        )
    return figures


def make_context(
    year: int, *, publication: bool = False, today: datetime.date | None = None
) -> ReportContext:
    from heard.deadlines.calendar import council_calendar

    reporting_year = ReportingYear.of(year)
    data = load(reporting_year.previous(YEARS_SHOWN - 1), reporting_year, council_calendar(), today)
    return ReportContext(
        year=reporting_year,
        data=data,
        council=council_name(),
        context_figures=context_figures(),
        publication=publication,
    )


def build(
    year: int,
    *,
    publication: bool = False,
    today: datetime.date | None = None,
    sections: list | None = None,
    case_studies: list[int] | None = None,
) -> Report:
    """The annual report for the reporting year starting in ``year``, computed from the data
    (``sections``: the section modules to run, all of them by default; ``case_studies``: the
    ids of the cases whose case studies an edition chose, or None for every publishable one)."""
    ctx = make_context(year, publication=publication, today=today)
    ctx.case_studies = case_studies
    sections = [module.build(ctx) for module in (SECTIONS if sections is None else sections)]
    return year_report(ctx, "annual", TITLE, sections)


def year_report(
    ctx: ReportContext,
    kind: str,
    title: str,
    sections: list[Section],
    notes: list[str] | None = None,
) -> Report:
    """A report on one reporting year (the annual, scrutiny and Code reports), in publication
    mode when the context asks for it."""
    report = Report(
        kind=kind,
        title=title,
        council=ctx.council,
        period={
            "year": ctx.year.key,
            "label": ctx.year.label,
            "start": ctx.year.start.isoformat(),
            "end": ctx.year.end.isoformat(),
        },
        sections=sections,
        notes=[measures.ROUNDING_NOTE] if notes is None else notes,
        publication=ctx.publication,
        generated_at=timezone.now().isoformat(timespec="seconds"),
    )
    for table in report.tables():
        state_percentages(table)
    return for_publication(report) if ctx.publication else report


def state_percentages(table: Table) -> None:
    """Add a note to ``table`` saying what each of its percentages is a percentage of, so
    that every format says it (the column heading may be short)."""
    notes = [
        f"{column.label}: a percentage of {column.of.removeprefix('of ')}."
        for column in table.columns
        if column.kind == "percent" and column.of
    ]
    table.notes[:0] = [note for note in notes if note not in table.notes]
