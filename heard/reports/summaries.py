"""Weekly, monthly and quarterly management summaries: what came in, what was closed, what is
open, due and overdue, by team and by kind.

A summary covers a :class:`Period` (the week Monday to Sunday, the calendar month or the
quarter of the reporting year containing a day). It counts with the report engine's
selections (``heard.reports.selection``), which take any period with a ``start``, an ``end``
and ``contains``: *received* and *closed* in the period, *open at the end* (carried forward).
Due and overdue are taken as they stood at the end of the period, from the stage each case
had reached by then (so a summary for a past week gives the same figures whenever it is run):

- **overdue**: the stage's response was due before the period's last day and had not been
  sent by the end of it;
- **due in the next 5 working days**: not responded to by the end of the period and due after
  it, up to and including the 5th working day after its last day.

Only the cases open at some time in the period are loaded (``heard.reports.data.load``), in
a fixed number of queries. Teams only, never officers: reports carry no personal names.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.utils import timezone

from heard.cases.choices import Kind
from heard.reports import measures, narrative, selection
from heard.reports.annual import context_figures, council_name
from heard.reports.context import ReportContext
from heard.reports.data import CaseFacts, load
from heard.reports.document import Column, Report, Row, Section, Table
from heard.reports.periods import ReportingYear
from heard.reports.sections import _by_area
from heard.reports.sections.volumes import ROWS as KIND_ROWS

PeriodName = Literal["week", "month", "quarter"]

#: How far ahead "due soon" looks, in working days after the period's last day.
DUE_SOON_WORKING_DAYS = 5

TITLES = {
    "week": "Weekly complaints management summary",
    "month": "Monthly complaints management summary",
    "quarter": "Quarterly complaints management summary",
}


@dataclass(frozen=True)
class Period:
    """A span of days that the selections in ``heard.reports.selection`` accept in place of a
    reporting year (they read only ``start``, ``end`` and ``contains``)."""

    name: str
    start: datetime.date
    end: datetime.date
    label: str

    @property
    def key(self) -> str:
        return self.start.isoformat()

    def contains(self, day: datetime.date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def describe(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


def period_of(name: PeriodName, on: datetime.date) -> Period:
    """The week (Monday to Sunday), calendar month or reporting-year quarter containing ``on``."""
    if name == "week":
        start = on - datetime.timedelta(days=on.weekday())
        end = start + datetime.timedelta(days=6)
        return Period(name, start, end, f"Week beginning {start:%-d %B %Y}")
    if name == "month":
        start = on.replace(day=1)
        end = _add_months(start, 1) - datetime.timedelta(days=1)
        return Period(name, start, end, f"{start:%B %Y}")
    if name == "quarter":
        year = ReportingYear.containing(on)
        quarter = year.quarter_of(on)
        start = _add_months(year.start, 3 * (quarter - 1))
        end = _add_months(start, 3) - datetime.timedelta(days=1)
        label = f"Quarter {quarter} of {year.label} ({start:%B} to {end:%B %Y})"
        return Period(name, start, end, label)
    raise ValueError(f"Unknown period {name!r}: choose week, month or quarter.")


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


# Measures at the end of a period -----------------------------------------------------------


def _pending_due(case: CaseFacts, period: Period) -> datetime.date | None:
    """The response due date of the stage a case was at on the period's last day, if the case
    was open then and that stage had not been responded to by then."""
    if not selection.carried_forward(case, period):
        return None
    stage = case.stage_on(period.end)
    if stage is None or stage.response_due is None:
        return None
    if stage.responded_on is not None and stage.responded_on <= period.end:
        return None
    return stage.response_due


def is_overdue(case: CaseFacts, period: Period) -> bool:
    due = _pending_due(case, period)
    return due is not None and due < period.end


def is_due_soon(case: CaseFacts, period: Period, horizon: datetime.date) -> bool:
    due = _pending_due(case, period)
    return due is not None and period.end < due <= horizon


MEASURES = [
    ("received", "Received"),
    ("closed", "Closed"),
    ("open", "Open at the end"),
    ("due", f"Due in the next {DUE_SOON_WORKING_DAYS} working days"),
    ("overdue", "Overdue at the end"),
]


def _tests(period: Period, horizon: datetime.date) -> dict[str, Callable[[CaseFacts], bool]]:
    return {
        "received": lambda c: selection.received_in(c, period),
        "closed": lambda c: selection.closed_in(c, period),
        "open": lambda c: selection.carried_forward(c, period),
        "due": lambda c: is_due_soon(c, period, horizon),
        "overdue": lambda c: is_overdue(c, period),
    }


# The report --------------------------------------------------------------------------------


def build(period: PeriodName, on: datetime.date, *, today: datetime.date | None = None) -> Report:
    """The management summary for the week, month or quarter containing ``on``."""
    from heard.deadlines.calendar import council_calendar

    span = period_of(period, on)
    data = load(span, span, council_calendar(), today)
    ctx = ReportContext(
        year=ReportingYear.containing(span.start),
        data=data,
        council=council_name(),
        context_figures=context_figures(),
    )
    horizon = ctx.calendar.add_working_days(span.end, DUE_SOON_WORKING_DAYS)
    tests = _tests(span, horizon)
    by_team = by_team_table(ctx, span, tests)
    by_kind = by_kind_table(ctx, span, tests)
    section = Section(
        id="summary",
        title=span.label,
        narrative=draft(span, by_team, by_kind),
        tables=[by_team, by_kind],
    )
    return Report(
        kind=f"summary-{period}",
        title=TITLES[period],
        council=ctx.council,
        period={
            "period": period,
            "label": span.label,
            "start": span.start.isoformat(),
            "end": span.end.isoformat(),
        },
        sections=[section],
        notes=[
            "Open, due and overdue are as they stood at the end of the period. Due and overdue "
            "count cases waiting for the response to their current stage.",
            measures.ROUNDING_NOTE,
        ],
        generated_at=timezone.now().isoformat(timespec="seconds"),
    )


def _columns() -> list[Column]:
    columns = [Column("label", "Team", "label")]
    for key, label in MEASURES:
        columns.append(Column(f"{key}_complaints", f"{label}: complaints"))
        columns.append(Column(f"{key}_all", f"{label}: all kinds"))
    return columns


def _cells(tests: dict[str, Callable[[CaseFacts], bool]]):
    def cells(cases: list[CaseFacts]) -> dict:
        values = {}
        for key, test in tests.items():
            matching = [c for c in cases if test(c)]
            values[f"{key}_complaints"] = sum(1 for c in matching if c.kind == Kind.COMPLAINT)
            values[f"{key}_all"] = len(matching)
        return values

    return cells


def by_team_table(ctx: ReportContext, period: Period, tests) -> Table:
    rows = _by_area.area_rows(ctx, ctx.data.cases, _cells(tests))
    return Table(
        id="summary.by_team",
        title="Cases by team",
        columns=_columns(),
        rows=rows,
        selection=f"Cases open at any time from {period.describe()}, by team",
        notes=[
            "Each directorate's total follows its teams.",
            "All kinds: complaints, compliments, comments, MP and councillor enquiries, "
            "Ombudsman cases and information requests.",
        ],
    )


def by_kind_table(ctx: ReportContext, period: Period, tests) -> Table:
    columns = [Column("label", "Kind", "label")]
    columns += [Column(key, label) for key, label in MEASURES]
    rows = []
    for key, label, kind, filters in KIND_ROWS:
        cases = [c for c in ctx.cases(kind) if _match(c, filters)]
        rows.append(Row(key, label, {m: sum(1 for c in cases if tests[m](c)) for m in tests}))
    every = ctx.data.cases
    rows.append(
        Row(
            "total",
            "All kinds",
            {m: sum(1 for c in every if tests[m](c)) for m in tests},
            total=True,
        )
    )
    return Table(
        id="summary.by_kind",
        title="Cases by kind",
        columns=columns,
        rows=rows,
        selection=f"Cases open at any time from {period.describe()}, by kind",
    )


def _match(case: CaseFacts, filters: dict) -> bool:
    return all(getattr(case, name) == value for name, value in filters.items())


def draft(period: Period, by_team: Table, by_kind: Table) -> str:
    """A drafted paragraph for staff to edit."""
    total = by_kind.row("total").cells
    complaints = by_kind.row(Kind.COMPLAINT.value).cells
    what = period.name
    sentences = [
        f"In the {what} ({period.describe()}) {narrative.plural(total['received'], 'case')} "
        f"{'was' if total['received'] == 1 else 'were'} received, of which "
        f"{narrative.plural(complaints['received'], 'complaint')}, and "
        f"{total['closed']:,} closed ({narrative.plural(complaints['closed'], 'complaint')}).",
        f"At the end of the {what} {total['open']:,} {'was' if total['open'] == 1 else 'were'} "
        f"open ({narrative.plural(complaints['open'], 'complaint')}): "
        f"{total['overdue']:,} overdue and "
        f"{total['due']:,} due in the next {DUE_SOON_WORKING_DAYS} working days.",
    ]
    if total["overdue"]:
        teams = Table(
            by_team.id,
            by_team.title,
            by_team.columns,
            [r for r in by_team.rows if r.level == 1 or r.key == "not-recorded"],
        )
        sentences.append(narrative.largest(teams, "overdue_all", "overdue cases"))
    return " ".join(sentences)
