"""The statutory annual report: its sections, in the order councils publish them.

Each section is a module in ``heard.reports.sections`` with a ``build(ctx) -> Section``
function. This module loads the data once, runs every section, and applies an edition's
edited text and publication mode.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.text import slugify

from heard.reports import definitions, measures
from heard.reports.context import YEARS_SHOWN, ReportContext
from heard.reports.data import gc_paused, load
from heard.reports.document import Column, Report, Row, Section, Table
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
    summary,
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
    year: int,
    *,
    publication: bool = False,
    today: datetime.date | None = None,
    outcome_basis: str = definitions.DEFAULT_OUTCOME_BASIS,
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
        outcome_basis=definitions.OutcomeBasis(outcome_basis, data.today),
    )


def build(
    year: int,
    *,
    publication: bool = False,
    today: datetime.date | None = None,
    sections: list | None = None,
    case_studies: list[int] | None = None,
    outcome_basis: str = definitions.DEFAULT_OUTCOME_BASIS,
    leave_out: Iterable[str] = (),
) -> Report:
    """The annual report for the reporting year starting in ``year``, computed from the data
    (``sections``: the section modules to run, all of them by default; ``case_studies``: the
    ids of the cases whose case studies an edition chose, or None for every publishable one;
    ``outcome_basis``: see ``heard.reports.definitions``; ``leave_out``: ids of sections an
    edition switched off).

    The garbage collector is paused throughout (``heard.reports.data.gc_paused``): the facts
    and the selections made of them are freed by reference counting when this returns, so no
    full collection follows."""
    with gc_paused(collect=False):
        return _build(
            year,
            publication=publication,
            today=today,
            sections=sections,
            case_studies=case_studies,
            outcome_basis=outcome_basis,
            leave_out=leave_out,
        )


def _build(year, *, publication, today, sections, case_studies, outcome_basis, leave_out):
    ctx = make_context(year, publication=publication, today=today, outcome_basis=outcome_basis)
    ctx.case_studies = case_studies
    off = set(leave_out)
    modules = SECTIONS if sections is None else sections
    built = [module.build(ctx) for module in modules if section_id(module) not in off]
    if sections is None and summary.SECTION_ID not in off:
        built.insert(0, summary.build(ctx))
    if sections is None and APPENDIX_ID not in off:
        built.append(appendix(ctx))
    return year_report(ctx, "annual", TITLE, built)


#: The id of the appendix that defines every measure.
APPENDIX_ID = "appendix"


def section_id(module) -> str:
    """The id of the section a module builds (its ``SECTION_ID``, else its name)."""
    return getattr(module, "SECTION_ID", module.__name__.rsplit(".", 1)[-1])


def switchable_sections() -> list[tuple[str, str]]:
    """(id, title) of every section an edition can switch off, in the report's order."""
    found = [(summary.SECTION_ID, summary.TITLE)] + [(section_id(m), m.TITLE) for m in SECTIONS]
    return [*found, (APPENDIX_ID, definitions.APPENDIX_TITLE)]


def appendix(ctx: ReportContext) -> Section:
    """The appendix "How the figures are counted": each measure, defined once."""
    table = Table(
        id="appendix.definitions",
        title=definitions.APPENDIX_TITLE,
        columns=[
            Column("label", "Measure", "label"),
            Column("definition", "How it is counted", "text"),
        ],  # fmt: skip
        rows=[
            Row(slugify(term), term, {"definition": text})
            for term, text in definitions.appendix(ctx.outcome_basis, ctx.year)
        ],
        selection="Every table in this report",
    )
    return Section(
        id=APPENDIX_ID,
        title=definitions.APPENDIX_TITLE,
        narrative="Every figure in this report is counted with these definitions, the same in "
        "the annual report, the scrutiny report, the Complaint Handling Code report and the "
        "custom tables.",
        tables=[table],
    )


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
            "outcome_basis": ctx.outcome_basis.code,
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
