"""Custom tables: a measure broken down by any recorded dimension, for tables the fixed
sections lack.

A table is defined by a :class:`TableSpec` (kept as JSON in ``SavedTable.spec``) and computed
by :func:`build` into the same :class:`~heard.reports.document.Table` the sections give, so it
renders in every format and can be suppressed for publication like any other.

What is counted: cases **received** in the reporting year (and, with ``years_back``, in each of
the years before it), filtered by the spec's filters and, with ``date_from`` and ``date_to``,
by a range of dates inside them. On the outcome basis "complaints closed in the year" the cases
**closed** in each year are counted instead, in the quarter and month they were closed in.
Outcomes, responses and timeliness follow the outcome basis (``heard.reports.definitions``):
as known when the table is made (the default), or as they stood at the end of the year each
case belongs to. The measures are the ones the annual report uses, defined once in
``heard.reports.definitions``. A case can have several values of a dimension (categories): it
is counted under each, and the total row counts it once.

Each dimension is a function from a case (and the reporting year it was received in) to a list
of ``(key, label)``. Labels come from the council's taxonomy, worked out once per table.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import slugify
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from heard.cases.choices import Finding, Kind, Procedure
from heard.reports import definitions, measures, selection
from heard.reports.context import ReportContext
from heard.reports.data import CaseFacts, Dataset
from heard.reports.document import Chart, Column, Row, Table
from heard.reports.periods import ReportingYear, month_label

#: What a table can measure, for the form.
MEASURES: dict[str, str] = {
    "cases": "Number of cases",
    "parts": "Number of parts complained about",
    "pct_upheld": "% of complaints upheld or partially upheld",
    "pct_within_timescale": "% of responses within timescale",
    "median_working_days": "Median working days to respond",
    "cost": "Cost of investigators and independent people",
}

#: What a table can be broken down or filtered by, for the form.
DIMENSIONS: dict[str, str] = {
    "kind": "Kind of case",
    "procedure": "Procedure",
    "stage": "Stage reached",
    "directorate": "Directorate",
    "service": "Service",
    "team": "Team",
    "locality": "Locality",
    "channel": "How it was received",
    "category": "Focus of complaint",
    "category_group": "Group of categories",
    "complainant_role": "Complainant",
    "under_18": "Under 18",
    "looked_after": "Looked-after child",
    "advocate": "Advocate",
    "outcome": "Outcome",
    "enquiry_source": "Enquiry source",
    "lgsco_decision": "Ombudsman decision",
    "quarter": "Quarter",
    "month": "Month",
    "year": "Year",
}

#: How many years before the table's year it can show.
MAX_YEARS_BACK = 4

NOT_RECORDED = ("not-recorded", "Not recorded")

Value = tuple[str, str]


# The definition ------------------------------------------------------------------------------


def _error(kind: str, message: str) -> PydanticCustomError:
    """A validation error whose message is shown as it is, with no "Value error," before it."""
    return PydanticCustomError(kind, message)


class TableSpec(BaseModel):
    """What a custom table shows. Invalid specs raise ``pydantic.ValidationError`` with a
    message a member of staff can act on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""
    measure: str | None = Field(default=None, validate_default=True)
    rows: str | None = Field(default=None, validate_default=True)
    columns: str | None = None
    filters: dict[str, list[str]] = Field(default_factory=dict)
    year: int | None = Field(default=None, validate_default=True)
    years_back: int = 0
    #: Only cases received (closed, on that basis) from and to these days, inclusive.
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value):
        value = "" if value is None else value
        if not isinstance(value, str) or len(value.strip()) > 200:
            raise _error("name", "Enter a name of 200 characters or fewer")
        return value.strip()

    @field_validator("measure", mode="before")
    @classmethod
    def _measure(cls, value):
        if value not in MEASURES:
            raise _error("measure", "Choose what to count")
        return value

    @field_validator("rows", mode="before")
    @classmethod
    def _rows(cls, value):
        if value not in DIMENSIONS:
            raise _error("rows", "Choose what each row of the table is")
        return value

    @field_validator("columns", mode="before")
    @classmethod
    def _columns(cls, value):
        if value in ("", None):
            return None
        if value not in DIMENSIONS:
            raise _error("columns", "Choose what each column of the table is, or nothing")
        return value

    @field_validator("year", mode="before")
    @classmethod
    def _year(cls, value):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool) or not 2000 <= value <= 2100:
            raise _error("year", "Enter the year the reporting year starts in, like 2017")
        return value

    @field_validator("years_back", mode="before")
    @classmethod
    def _years_back(cls, value):
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if value in ("", None):
            return 0
        if not isinstance(value, int) or isinstance(value, bool):
            raise _error("years_back", f"Choose from 0 to {MAX_YEARS_BACK} previous years")
        if not 0 <= value <= MAX_YEARS_BACK:
            raise _error("years_back", f"Choose from 0 to {MAX_YEARS_BACK} previous years")
        return value

    @field_validator("filters", mode="before")
    @classmethod
    def _filters(cls, value):
        if value in (None, ""):
            return {}
        if not isinstance(value, dict):
            raise _error("filters", "Choose what to filter by")
        cleaned = {}
        for dimension, keys in value.items():
            if dimension not in DIMENSIONS:
                raise _error("filters", f"You cannot filter by {dimension}")
            if isinstance(keys, str):
                keys = [keys]
            if not isinstance(keys, list | tuple) or not all(
                isinstance(k, str) and k for k in keys
            ):
                raise _error("filters", f"Choose which values of {DIMENSIONS[dimension]} to keep")
            if keys:
                cleaned[dimension] = list(keys)
        return cleaned

    @field_validator("date_from", "date_to", mode="before")
    @classmethod
    def _date(cls, value, info):
        if value in ("", None):
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            which = "from" if info.field_name == "date_from" else "to"
            raise _error(
                info.field_name, f"Enter the date to count {which} as a real date, like 2017-09-01"
            ) from None

    @model_validator(mode="after")
    def _consistent(self):
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise _error("date_to", "The date to count to must be on or after the date from")
        if self.columns is not None and self.columns == self.rows:
            raise _error("columns", "Choose something different for the rows and the columns")
        if self.years_back and self.columns not in (None, "year") and self.rows != "year":
            raise _error(
                "years_back",
                "Previous years can only be shown when the rows or columns are years",
            )
        return self

    @property
    def years(self) -> list[ReportingYear]:
        """The years shown, oldest first."""
        year = ReportingYear.of(self.year)
        return [year.previous(n) for n in range(self.years_back, -1, -1)]


# Dimensions ----------------------------------------------------------------------------------

Getter = Callable[[CaseFacts, ReportingYear], tuple[Value, ...]]

OUTCOME_ORDER = [
    Finding.UPHELD,
    Finding.PARTIALLY_UPHELD,
    Finding.NOT_UPHELD,
    Finding.NO_FINDING,
    selection.WITHDRAWN,
    selection.REFUSED,
    selection.STILL_OPEN,
]

UNDER_18 = [("yes", "Under 18"), ("no", "18 or over")]
LOOKED_AFTER = [("yes", "Looked-after child"), ("no", "Not looked after")]
ADVOCATE = [
    ("accepted", "Advocate offered and accepted"),
    ("offered", "Advocate offered, not taken up"),
    ("not-offered", "No advocate offered"),
]
TERM_DIMENSIONS = {
    "channel": ("channel", "channel_id"),
    "complainant_role": ("complainant_role", "complainant_role_id"),
    "enquiry_source": ("enquiry_source", "enquiry_source_id"),
    "lgsco_decision": ("lgsco_decision", "lgsco_decision_id"),
}


def choices_for(dimension: str, dataset: Dataset) -> list[Value]:
    """Every value of ``dimension`` (key, label) in the order tables list them, for the filter
    form. Values a case can lack end with "Not recorded"."""
    if dimension == "kind":
        return [(k.value, k.label) for k in Kind]
    if dimension == "procedure":
        return [(p.value, p.label) for p in Procedure] + [NOT_RECORDED]
    if dimension == "stage":
        return [("1", "Stage 1"), ("2", "Stage 2"), ("3", "Stage 3"), ("none", "No stage")]
    if dimension in ("directorate", "service", "team"):
        areas = [a for a in dataset.areas.values() if a.level == dimension]
        ordered = sorted(areas, key=lambda a: _area_sort(a, dataset))
        return [(a.code, a.name) for a in ordered] + [NOT_RECORDED]
    if dimension == "locality":
        names = sorted(dataset.localities.values(), key=str.casefold)
        return [(slugify(name), name) for name in names] + [NOT_RECORDED]
    if dimension == "category_group":
        return [(g.code, g.name) for g in dataset.groups] + [NOT_RECORDED]
    if dimension in TERM_DIMENSIONS or dimension == "category":
        vocabulary = "category" if dimension == "category" else TERM_DIMENSIONS[dimension][0]
        return [(t.code, t.label) for t in dataset.terms_of(vocabulary)] + [NOT_RECORDED]
    if dimension == "under_18":
        return UNDER_18 + [NOT_RECORDED]
    if dimension == "looked_after":
        return LOOKED_AFTER + [NOT_RECORDED]
    if dimension == "advocate":
        return ADVOCATE + [NOT_RECORDED]
    if dimension == "outcome":
        return [(code, _outcome_label(code, dataset)) for code in OUTCOME_ORDER]
    if dimension == "quarter":
        return [(f"Q{n}", f"Q{n}") for n in range(1, 5)]
    if dimension == "month":
        return _months(dataset.first, dataset.last)
    if dimension == "year":
        years, year = [], dataset.first
        while year <= dataset.last:
            years.append((year.key, year.label))
            year = year.previous(-1)
        return years
    raise KeyError(dimension)


def _area_sort(area, dataset: Dataset) -> tuple:
    """Areas in the order of the hierarchy: directorate, then service, then team."""
    chain = []
    node = area
    while node is not None:
        chain.append((node.order, node.name.casefold()))
        node = dataset.areas.get(node.parent_id) if node.parent_id else None
    return tuple(reversed(chain))


def _outcome_label(code: str, dataset: Dataset) -> str:
    for term in dataset.terms_of("finding"):
        if term.code == code:
            return term.label
    return {
        selection.WITHDRAWN: "Withdrawn",
        selection.REFUSED: "Refused",
        selection.STILL_OPEN: "Still open",
    }.get(code, Finding(code).label if code in Finding.values else code)


def _months(first: ReportingYear, last: ReportingYear) -> list[Value]:
    months = []
    day = first.start
    while day <= last.end:
        months.append((month_label(day), f"{day:%B %Y}"))
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


def _getter(
    dimension: str, dataset: Dataset, basis: definitions.OutcomeBasis | None = None
) -> Getter:
    """The function giving a case's values of ``dimension``, with labels looked up once.

    Values are shared tuples, so that cases with the same values can be grouped cheaply."""
    labels = dict(choices_for(dimension, dataset)) if dimension != "month" else {}
    values = {key: ((key, label),) for key, label in labels.items()}
    missing = (NOT_RECORDED,)

    def one(key: str | None) -> tuple[Value, ...]:
        return values.get(key, missing) if key is not None else missing

    if dimension == "kind":
        return lambda case, year: one(case.kind)
    if dimension == "procedure":
        return lambda case, year: one(case.procedure or None)
    if dimension == "stage":

        def stage(case: CaseFacts, year: ReportingYear) -> tuple[Value, ...]:
            reached = case.stage_on(year.end)
            key = str(reached.number) if reached else "none"
            return values.get(key) or ((key, f"Stage {key}"),)

        return stage
    if dimension in ("directorate", "service", "team"):
        area_key: dict[int | None, str | None] = {}
        for area_id in dataset.areas:
            found = dataset.area_at(area_id, dimension)
            area_key[area_id] = found.code if found else None
        return lambda case, year: one(area_key.get(case.service_area_id))
    if dimension == "locality":
        locality_key = {i: slugify(name) for i, name in dataset.localities.items()}
        return lambda case, year: one(locality_key.get(case.locality_id))
    if dimension in TERM_DIMENSIONS:
        attribute = TERM_DIMENSIONS[dimension][1]
        term_key = _term_keys(dataset, TERM_DIMENSIONS[dimension][0])
        return lambda case, year: one(term_key.get(getattr(case, attribute)))
    if dimension == "category":
        term_key = _term_keys(dataset, "category")
        cache: dict[tuple[int, ...], tuple[Value, ...]] = {}

        def categories(case: CaseFacts, year: ReportingYear) -> tuple[Value, ...]:
            ids = tuple(case.category_ids)
            found = cache.get(ids)
            if found is None:
                keys = dict.fromkeys(term_key[t] for t in ids if t in term_key)
                found = cache[ids] = tuple(values[k][0] for k in keys) or missing
            return found

        return categories
    if dimension == "category_group":
        from heard.reports.sections.focus import categories_of

        def in_groups(case: CaseFacts, year: ReportingYear) -> tuple[Value, ...]:
            ids = set(categories_of(case))
            found = tuple(values[g.code][0] for g in dataset.groups if g.category_ids & ids)
            return found or missing

        return in_groups
    if dimension in ("under_18", "looked_after"):
        attribute = dimension
        return lambda case, year: one(_yes_no(getattr(case, attribute)))
    if dimension == "advocate":
        return lambda case, year: one(_advocate(case))
    if dimension == "outcome":
        basis = basis or definitions.OutcomeBasis(made_on=dataset.today)
        return lambda case, year: one(basis.outcome(case, year))
    if dimension == "quarter":
        counted_on = _counted_on(basis)
        return lambda case, year: values[f"Q{year.quarter_of(counted_on(case))}"]
    if dimension == "month":
        months: dict[tuple[int, int], tuple[Value, ...]] = {}
        counted_on = _counted_on(basis)

        def month(case: CaseFacts, year: ReportingYear) -> tuple[Value, ...]:
            day = counted_on(case)
            found = months.get((day.year, day.month))
            if found is None:
                found = months[(day.year, day.month)] = ((month_label(day), f"{day:%B %Y}"),)
            return found

        return month
    if dimension == "year":
        labelled: dict[int, tuple[Value, ...]] = {}

        def year_of(case: CaseFacts, year: ReportingYear) -> tuple[Value, ...]:
            found = labelled.get(year.year)
            if found is None:
                found = labelled[year.year] = ((year.key, year.label),)
            return found

        return year_of
    raise KeyError(dimension)


def _counted_on(basis: definitions.OutcomeBasis | None) -> Callable[[CaseFacts], datetime.date]:
    """The day that puts a case in a table's year, and so in its quarter and month: the day it
    was closed on the basis "complaints closed in the year", the day it was received on the
    others. (By the day received, a case received before the year and closed in it would
    fall in no quarter of the year.)"""
    if basis is not None and basis.code == definitions.CLOSED:
        return lambda case: case.closed_on
    return lambda case: case.received_on


def _term_keys(dataset: Dataset, vocabulary: str) -> dict[int, str]:
    return {t.id: t.code for t in dataset.terms.values() if t.vocabulary == vocabulary}


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else "yes" if value else "no"


def _advocate(case: CaseFacts) -> str | None:
    if case.advocate_offered is None:
        return "accepted" if case.advocate_accepted else None
    if not case.advocate_offered:
        return "not-offered"
    return "accepted" if case.advocate_accepted else "offered"


# Measures ------------------------------------------------------------------------------------


@dataclass(slots=True)
class Tally:
    """What one cell of a custom table adds up: cases, parts, the cases or stages a ratio is
    of (``base``) and those it counts (``hits``), working days and costs."""

    cases: int = 0
    parts: int = 0
    base: int = 0
    hits: int = 0
    days: list[int] = field(default_factory=list)
    cost: Decimal = Decimal(0)

    def add(self, other: Tally) -> None:
        self.cases += other.cases
        self.parts += other.parts
        self.base += other.base
        self.hits += other.hits
        if other.days:
            self.days.extend(other.days)
        self.cost += other.cost


@dataclass(frozen=True)
class MeasureColumns:
    """The columns a measure gives for each column value: (suffix, label, kind, figure)."""

    columns: list[tuple[str, str, str, Callable[[Tally], object]]]
    #: What a percentage is of, in words, for ``Column.of``.
    of: str = ""
    total_column: bool = False


def _money(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


def _share(tally: Tally) -> int | None:
    return measures.percent(tally.hits, tally.base)


MEASURE_COLUMNS: dict[str, MeasureColumns] = {
    "cases": MeasureColumns([("", "Cases", "count", lambda t: t.cases)], total_column=True),
    "parts": MeasureColumns([("", "Parts", "count", lambda t: t.parts)], total_column=True),
    "pct_upheld": MeasureColumns(
        [
            (".base", "Complaints", "count", lambda t: t.base),
            (".hits", "Upheld or partially upheld", "count", lambda t: t.hits),
            ("", "% upheld or partially upheld", "percent", _share),
        ],
        of="of the complaints counted, by their one outcome on the outcome basis",
    ),
    "pct_within_timescale": MeasureColumns(
        [
            (".base", "Responses", "count", lambda t: t.base),
            (".hits", "Within timescale", "count", lambda t: t.hits),
            ("", "% within timescale", "percent", _share),
        ],
        of="of stage responses with a due date, made by the time the outcome is taken",
    ),
    "median_working_days": MeasureColumns(
        [
            (".base", "Responses", "count", lambda t: t.base),
            ("", "Median working days", "days", lambda t: measures.median(t.days)),
        ],
    ),
    "cost": MeasureColumns(
        [
            (".base", "Cases with a cost", "count", lambda t: t.base),
            ("", "Cost (£)", "money", lambda t: _money(t.cost)),
        ],
    ),
}  # fmt: skip


#: One case's part of a count of cases (shared: tallies are only ever added from).
ONE_CASE = Tally(cases=1)


def _tally(
    measure: str, case: CaseFacts, year: ReportingYear, calendar, basis: definitions.OutcomeBasis
) -> Tally:
    """One case's part of a cell, on the outcome basis: as things stood at the end of
    ``year``, or when the table is made (with the annual report's definitions)."""
    if measure == "cases":
        return ONE_CASE
    if measure == "parts":
        return Tally(parts=len(case.parts))
    if measure == "pct_upheld":
        if case.kind != Kind.COMPLAINT:
            return Tally()
        return Tally(base=1, hits=int(definitions.upheld(basis.outcome(case, year))))
    cutoff = year.end if basis.code == definitions.YEAR_END else basis.made_on
    responded = [
        s for s in case.stages if s.responded_on and (cutoff is None or s.responded_on <= cutoff)
    ]
    if measure == "pct_within_timescale":
        verdicts = [definitions.within_timescale(s) for s in responded]
        judged = [v for v in verdicts if v is not None]
        return Tally(base=len(judged), hits=sum(judged))
    if measure == "median_working_days":
        days = [definitions.days_taken(calendar, s) for s in responded]
        return Tally(base=len(days), days=days)
    if measure == "cost":
        fees = [
            fee
            for s in case.stages
            for fee in (s.investigating_officer_fee, s.independent_person_fee)
            if fee is not None
        ]
        return Tally(base=int(bool(fees)), cost=sum(fees, Decimal(0)))
    raise KeyError(measure)


# Building ------------------------------------------------------------------------------------


def dataset_for(
    spec: TableSpec, ctx: ReportContext | None = None, today: datetime.date | None = None
) -> Dataset:
    """The report's data when it covers the spec's years, else the data loaded for them."""
    from heard.reports import annual
    from heard.reports.data import load

    first, last = spec.years[0], spec.years[-1]
    if ctx is None and spec.years_back < annual.YEARS_SHOWN:
        ctx = annual.make_context(spec.year, today=today)
    if ctx is not None and ctx.data.first <= first and ctx.data.last >= last:
        return ctx.data
    from heard.deadlines.calendar import council_calendar

    calendar = ctx.data.calendar if ctx is not None else council_calendar()
    return load(first, last, calendar, today or (ctx.data.today if ctx else None))


def build(
    spec: TableSpec,
    ctx: ReportContext | None = None,
    *,
    today: datetime.date | None = None,
    table_id: str | None = None,
    outcome_basis: str | None = None,
) -> Table:
    """The custom table ``spec`` describes, computed from ``ctx``'s data (loaded when not
    given, or when it does not cover the years the table shows). ``table_id`` names it in a
    report ("custom.<slug of its title>" by default); ``outcome_basis``: an edition's basis
    (default: the report's, else the default basis)."""
    data = dataset_for(spec, ctx, today)
    if outcome_basis is None:
        outcome_basis = ctx.outcome_basis.code if ctx else definitions.DEFAULT_OUTCOME_BASIS
    basis = definitions.OutcomeBasis(outcome_basis, data.today)
    years = spec.years
    row_dim = spec.rows
    col_dim = spec.columns or ("year" if spec.rows != "year" else None)
    rows_of = _getter(row_dim, data, basis)
    everything = (("all", ""),)
    cols_of = _getter(col_dim, data, basis) if col_dim else (lambda case, year: everything)
    filters = [(_getter(d, data, basis), set(keys)) for d, keys in spec.filters.items()]

    # Cases with the same values are added up together first, then spread over the cells.
    groups: dict[tuple, Tally] = defaultdict(Tally)
    ends = [y.end for y in years]
    first = max(years[0].start, spec.date_from or years[0].start)
    last = min(years[-1].end, spec.date_to or years[-1].end)
    counted_on = _counted_on(basis)
    for case in data.cases:
        day = counted_on(case)
        if day is None or not first <= day <= last:
            continue
        year = years[bisect.bisect_left(ends, day)]
        if not all(any(k in keys for k, _ in get(case, year)) for get, keys in filters):
            continue
        tally = _tally(spec.measure, case, year, data.calendar, basis)
        groups[(rows_of(case, year), cols_of(case, year))].add(tally)

    cells: dict[tuple[str, str], Tally] = defaultdict(Tally)
    row_totals: dict[str, Tally] = defaultdict(Tally)
    col_totals: dict[str, Tally] = defaultdict(Tally)
    grand = Tally()
    seen_rows: dict[str, str] = {}
    seen_cols: dict[str, str] = {}
    for (row_values, col_values), tally in groups.items():
        for r, label in row_values:
            seen_rows[r] = label
            row_totals[r].add(tally)
            for c, _ in col_values:
                cells[(r, c)].add(tally)
        for c, label in col_values:
            seen_cols[c] = label
            col_totals[c].add(tally)
        grand.add(tally)

    row_values = _listed(row_dim, data, seen_rows, spec)
    col_values = _listed(col_dim, data, seen_cols, spec) if col_dim else [("all", "")]
    totals = (row_totals, col_totals, grand)
    return _table(spec, data, row_values, col_values, cells, *totals, table_id, basis)


def _listed(dimension: str, data: Dataset, seen: dict[str, str], spec: TableSpec) -> list[Value]:
    """The values a table lists: those of the cases counted, in the dimension's order, plus the
    values chosen in a filter on it, and every quarter, month or year of the period."""
    if dimension == "year":
        return [(y.key, y.label) for y in spec.years]
    if dimension == "month":
        return _months(spec.years[0], spec.years[-1])
    chosen = set(spec.filters.get(dimension, []))
    everything = choices_for(dimension, data)
    if dimension == "quarter":
        return everything
    known = {key for key, _ in everything}
    listed = [(k, label) for k, label in everything if k in seen or k in chosen]
    listed += [(k, label) for k, label in seen.items() if k not in known]
    return listed


def _table(
    spec: TableSpec,
    data: Dataset,
    row_values: list[Value],
    col_values: list[Value],
    cells: dict[tuple[str, str], Tally],
    row_totals: dict[str, Tally],
    col_totals: dict[str, Tally],
    grand: Tally,
    table_id: str | None,
    basis: definitions.OutcomeBasis,
) -> Table:
    shape = MEASURE_COLUMNS[spec.measure]
    several = len(col_values) > 1 or col_values[0][0] != "all"
    columns = [Column("label", DIMENSIONS[spec.rows], "label")]
    for c, c_label in col_values:
        columns += _measure_columns(shape, c, c_label if several else "")
    with_total_column = shape.total_column and spec.columns not in (None, "year")
    if with_total_column:
        columns.append(Column("total", "Total", "count", total=True))

    def figures(tally: Tally, c: str) -> dict:
        return {f"{c}{suffix}": figure(tally) for suffix, _, _, figure in shape.columns}

    rows = []
    for r, r_label in row_values:
        row_cells: dict = {}
        for c, _ in col_values:
            row_cells.update(figures(cells.get((r, c), Tally()), c))
        if with_total_column:
            row_cells["total"] = figures(row_totals.get(r, Tally()), "")[""]
        rows.append(Row(r, r_label, row_cells))
    total_cells: dict = {}
    for c, _ in col_values:
        total_cells.update(figures(col_totals.get(c, Tally()), c))
    if with_total_column:
        total_cells["total"] = figures(grand, "")[""]
    counting = shape.total_column
    rows.append(Row("total", "Total" if counting else "All", total_cells, total=True))

    notes = []
    if _several_values(spec):
        notes.append(
            "A case with several categories is counted under each; the total counts it once."
        )
    if spec.measure == "parts":
        notes.append("Parts are counted with their case, under the case's own values.")
    if spec.measure == "median_working_days":
        notes.append(
            "Working days from the request for each stage to its response; the day after the "
            "request is day 1."
        )
    if spec.measure == "cost":
        notes.append("Investigating officers' and independent people's fees recorded on stages.")
    if spec.measure in ("pct_upheld", "pct_within_timescale", "median_working_days") or (
        "outcome" in (spec.rows, spec.columns, *spec.filters)
    ):
        notes.append(basis.note(spec.years[-1]))
    title = spec.name or _title(spec)
    return Table(
        id=table_id or f"custom.{slugify(title)[:60] or 'table'}",
        title=title,
        columns=columns,
        rows=rows,
        selection=_selection(spec, data, basis),
        notes=notes,
        chart=Chart("bar", title, [c for c, _ in col_values]),
    )


def _measure_columns(shape: MeasureColumns, c: str, c_label: str) -> list[Column]:
    columns = []
    for suffix, label, kind, _ in shape.columns:
        if not c_label:
            full = label
        elif len(shape.columns) == 1:
            full = c_label
        else:
            full = f"{c_label}: {label}"
        if kind == "percent":
            columns.append(Column(f"{c}{suffix}", full, kind, of=shape.of, source=f"{c}.hits"))
        elif kind in ("money", "days"):
            columns.append(Column(f"{c}{suffix}", full, kind, source=f"{c}.base"))
        else:
            columns.append(Column(f"{c}{suffix}", full, kind))
    return columns


def _several_values(spec: TableSpec) -> bool:
    return bool({"category", "category_group"} & {spec.rows, spec.columns})


def _title(spec: TableSpec) -> str:
    by = DIMENSIONS[spec.rows].lower()
    if spec.columns and spec.columns != "year":
        by += f" and {DIMENSIONS[spec.columns].lower()}"
    return f"{MEASURES[spec.measure]} by {by}"


def _selection(spec: TableSpec, data: Dataset, basis: definitions.OutcomeBasis) -> str:
    years = spec.years
    if len(years) == 1:
        text = f"Cases {basis.counted} in {years[0].label}"
    else:
        text = f"Cases {basis.counted} in each year from {years[0].label} to {years[-1].label}"
    if spec.date_from and spec.date_to:
        text += f", from {spec.date_from:%-d %B %Y} to {spec.date_to:%-d %B %Y}"
    elif spec.date_from:
        text += f", from {spec.date_from:%-d %B %Y}"
    elif spec.date_to:
        text += f", up to {spec.date_to:%-d %B %Y}"
    described = []
    for dimension, keys in spec.filters.items():
        labels = dict(choices_for(dimension, data)) if dimension != "month" else {}
        if dimension == "month":
            labels = dict(_months(years[0], years[-1]))
        names = [labels.get(k, k) for k in keys]
        described.append(f"{DIMENSIONS[dimension].lower()}: {' or '.join(names)}")
    if described:
        text += "; " + "; ".join(described)
    return text


__all__ = ["DIMENSIONS", "MEASURES", "TableSpec", "build", "choices_for", "dataset_for"]
