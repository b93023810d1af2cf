"""Complaint outcomes: overall over four years, by procedure, by team, by locality, by focus
and by stage.

One outcome per complaint on the report's outcome basis (``ctx.outcome_basis``, defined in
``heard.reports.definitions``: by default the complaints received in the year with the latest
outcome known when the report is made; an edition may choose the outcome as at the end of the
year, or the complaints closed in the year): upheld, partially upheld, not upheld, no finding
(the last stage responded to), withdrawn, refused (a ``refused_…`` resolution, such as
"referred to another process") or still open. Percentages are of the complaints in the
table's selection, and every table says its basis in a note.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.utils.text import capfirst

from heard.cases.choices import Kind, Procedure
from heard.reports import definitions
from heard.reports.context import ReportContext
from heard.reports.data import CaseFacts
from heard.reports.document import Chart, Column, Row, Section, Table
from heard.reports.measures import ROUNDING_NOTE, percent
from heard.reports.periods import ReportingYear
from heard.reports.sections._by_area import area_rows
from heard.reports.sections.focus import categories_of, category_rows

TITLE = "Complaint outcomes"

#: Outcome keys, in the order tables show them.
OUTCOMES = ["upheld", "partially-upheld", "not-upheld", "no-finding", "withdrawn", "refused",
            "still-open"]  # fmt: skip
OTHER_LABELS = {"withdrawn": "Withdrawn", "refused": "Refused", "still-open": "Still open"}
PROCEDURES = [
    (Procedure.CHILDRENS_STATUTORY, "Statutory complaints"),
    (Procedure.CORPORATE, "Corporate complaints"),
]
#: The team whose statutory complaints ``by_locality`` breaks down (a ServiceArea code); None:
#: the team with the most statutory complaints this year; "all": every statutory complaint.
LOCALITY_TEAM: str | None = None


def build(ctx: ReportContext) -> Section:
    overall_table = overall(ctx)
    statutory = statutory_by_team(ctx)
    locality = by_locality(ctx, LOCALITY_TEAM)
    return Section(
        id="outcomes",
        title=TITLE,
        narrative=draft(ctx, overall_table, statutory, locality),
        tables=[
            overall_table,
            by_procedure(ctx),
            statutory,
            corporate_by_team(ctx),
            locality,
            statutory_by_focus(ctx),
            corporate_by_focus(ctx),
            by_stage(ctx),
        ],
    )


# Definitions ------------------------------------------------------------------------------


def outcome_label(ctx: ReportContext, key: str) -> str:
    """The council's label for a finding (vocabulary ``finding``), else a fixed label."""
    for term in ctx.data.terms_of("finding"):
        if term.code == key and key not in OTHER_LABELS:
            return term.label
    return OTHER_LABELS.get(key, key.replace("-", " ").capitalize())


def outcome_columns(ctx: ReportContext, of: str, with_total: bool = True) -> list[Column]:
    columns = []
    for key in OUTCOMES:
        columns.append(Column(key, outcome_label(ctx, key)))
        columns.append(Column(f"{key}-percent", f"{outcome_label(ctx, key)} %", "percent",
                              of=of, source=key))  # fmt: skip
    if with_total:
        columns.append(Column("total", "Total", total=True))
        columns.append(Column("total-percent", "Total %", "percent", of=of, source="total"))
    return columns


def outcome_cells(
    ctx: ReportContext, cases: Iterable[CaseFacts], year: ReportingYear, whole: int
) -> dict:
    cases = list(cases)
    counts = Counter(ctx.outcomes(cases, year))
    cells: dict = {}
    for key in OUTCOMES:
        cells[key] = counts[key]
        cells[f"{key}-percent"] = percent(counts[key], whole)
    cells["total"] = len(cases)
    cells["total-percent"] = percent(len(cases), whole)
    return cells


def complaints(ctx: ReportContext, procedure: str | None = None,
               year: ReportingYear | None = None) -> list[CaseFacts]:  # fmt: skip
    return ctx.outcome_cases(year or ctx.year, procedure)


def counted(ctx: ReportContext) -> str:
    """What the complaints counted are, in words ("received" or "closed")."""
    return ctx.outcome_basis.counted


def basis_note(ctx: ReportContext, year: ReportingYear | None = None) -> str:
    return ctx.outcome_basis.note(year or ctx.year)


# Tables -----------------------------------------------------------------------------------


def overall(ctx: ReportContext) -> Table:
    years = ctx.years
    per_year = {y.key: complaints(ctx, year=y) for y in years}
    counts = {y.key: Counter(ctx.outcomes(per_year[y.key], y)) for y in years}
    columns = [Column("label", "Outcome", "label")]
    for y in years:
        columns.append(Column(y.key, y.label))
        columns.append(Column(f"{y.key}-percent", f"{y.label} %", "percent",
                              of=f"complaints {counted(ctx)} in {y.label}",
                              source=y.key))  # fmt: skip
    rows = []
    for key in OUTCOMES:
        cells: dict = {}
        for y in years:
            cells[y.key] = counts[y.key][key]
            cells[f"{y.key}-percent"] = percent(counts[y.key][key], len(per_year[y.key]))
        rows.append(Row(key, outcome_label(ctx, key), cells))
    rows.append(Row("total", f"Complaints {counted(ctx)}",
                    {y.key: len(per_year[y.key]) for y in years}, total=True))  # fmt: skip
    return Table(
        id="outcomes.overall",
        title="Outcomes of complaints",
        columns=columns,
        rows=rows,
        selection=f"Complaints {counted(ctx)} in each reporting year, by their outcome",
        notes=[f"{basis_note(ctx)} Earlier years are counted the same way.", ROUNDING_NOTE],
        chart=Chart("bar", "Outcomes of complaints", [f"{y.key}-percent" for y in years]),
    )


def by_procedure(ctx: ReportContext) -> Table:
    """Outcomes by procedure, last year beside this year (this year's columns keep the
    procedure's code as their key)."""
    last = ctx.previous
    columns = [Column("label", "Outcome", "label")]
    groups = {code: complaints(ctx, code) for code, _ in PROCEDURES}
    before = {code: complaints(ctx, code, last) for code, _ in PROCEDURES}
    for code, label in PROCEDURES:
        columns.append(Column(f"{code}-{last.key}", f"{label} {last.label}"))
        columns.append(Column(f"{code}-{last.key}-percent", f"{label} {last.label} %",
                              "percent", of=f"{label.lower()} {counted(ctx)} in {last.label}",
                              source=f"{code}-{last.key}"))  # fmt: skip
        columns.append(Column(code, f"{label} {ctx.year.label}"))
        columns.append(Column(f"{code}-percent", f"{label} {ctx.year.label} %", "percent",
                              of=f"{label.lower()} {counted(ctx)} in {ctx.year.label}",
                              source=code))  # fmt: skip
    outcomes = {code: Counter(ctx.outcomes(cases, ctx.year)) for code, cases in groups.items()}
    outcomes_before = {code: Counter(ctx.outcomes(cases, last)) for code, cases in before.items()}
    rows = []
    for key in [*OUTCOMES, "total"]:
        cells: dict = {}
        for code, _label in PROCEDURES:
            for suffix, cases, counts in (
                (f"-{last.key}", before[code], outcomes_before[code]),
                ("", groups[code], outcomes[code]),
            ):
                n = len(cases) if key == "total" else counts[key]
                cells[f"{code}{suffix}"] = n
                cells[f"{code}{suffix}-percent"] = percent(n, len(cases))
        label = "Total" if key == "total" else outcome_label(ctx, key)
        rows.append(Row(key, label, cells, total=key == "total"))
    return Table(
        id="outcomes.by_procedure",
        title="Outcomes by procedure",
        columns=columns,
        rows=rows,
        selection=f"Complaints {counted(ctx)} in {last.label} and {ctx.year.label}, by "
        "procedure and outcome",
        notes=[f"{basis_note(ctx)} {last.label} is counted the same way.", ROUNDING_NOTE],
        chart=Chart("stacked-bar", "Outcomes by procedure",
                    [f"{code}-percent" for code, _ in PROCEDURES]),
    )  # fmt: skip


def _by_team(ctx: ReportContext, procedure: str, table_id: str, noun: str) -> Table:
    cases = complaints(ctx, procedure)
    whole = len(cases)
    of = f"all {noun} {counted(ctx)} in {ctx.year.label}"
    return Table(
        id=table_id,
        title=f"Outcomes of {noun} by service area",
        columns=[Column("label", "Service area / team", "label"), *outcome_columns(ctx, of)],
        rows=area_rows(ctx, cases, lambda group: outcome_cells(ctx, group, ctx.year, whole)),
        selection=f"{capfirst(noun)} {counted(ctx)} in {ctx.year.label}, by team and outcome",
        notes=[f"Every percentage is of {of} ({whole:,}).", basis_note(ctx), ROUNDING_NOTE],
        chart=Chart("stacked-bar", f"Outcomes of {noun} by team", OUTCOMES),
    )


def statutory_by_team(ctx: ReportContext) -> Table:
    return _by_team(
        ctx, Procedure.CHILDRENS_STATUTORY, "outcomes.statutory_by_team", "statutory complaints"
    )


def corporate_by_team(ctx: ReportContext) -> Table:
    return _by_team(ctx, Procedure.CORPORATE, "outcomes.corporate_by_team", "corporate complaints")


def locality_team(ctx: ReportContext, team: str | None) -> tuple[int | None, str]:
    """(service area id or None for all, its name) of the team to break down by locality."""
    cases = complaints(ctx, Procedure.CHILDRENS_STATUTORY)
    if team == "all":
        return None, "all teams"
    if team:
        for area in ctx.data.areas.values():
            if area.code == team:
                return area.id, area.name
        return None, "all teams"
    counts = Counter(c.service_area_id for c in cases if c.service_area_id is not None)
    if not counts:
        return None, "all teams"
    # Ties go to the first team by name, never by database id: ids change when a council
    # moves to another database, and the report must not.
    areas = ctx.data.areas
    area_id = min(counts, key=lambda a: (-counts[a], areas[a].name.lower(), areas[a].code))
    return area_id, areas[area_id].name


def by_locality(ctx: ReportContext, team: str | None = None) -> Table:
    """Statutory complaints of one team (``team``: a ServiceArea code; None: the team with the
    most statutory complaints; "all": every team) by locality and outcome."""
    area_id, name = locality_team(ctx, team)
    cases = [
        c for c in complaints(ctx, Procedure.CHILDRENS_STATUTORY)
        if area_id is None or c.service_area_id == area_id
    ]  # fmt: skip
    whole = len(cases)
    localities = sorted(ctx.data.localities.items(), key=lambda item: item[1].lower())
    rows = []
    for locality_id, locality_name in localities:
        group = [c for c in cases if c.locality_id == locality_id]
        if group:
            key = locality_name.lower().replace(" ", "-")
            rows.append(Row(key, locality_name, outcome_cells(ctx, group, ctx.year, whole)))
    unplaced = [c for c in cases if c.locality_id not in ctx.data.localities]
    if unplaced:
        rows.append(Row("not-recorded", "Locality not recorded",
                        outcome_cells(ctx, unplaced, ctx.year, whole)))  # fmt: skip
    rows.append(Row("total", "Total", outcome_cells(ctx, cases, ctx.year, whole), total=True))
    of = f"statutory complaints about {name} {counted(ctx)} in {ctx.year.label}"
    return Table(
        id="outcomes.by_locality",
        title=f"Outcomes of statutory complaints by locality: {name}",
        columns=[Column("label", "Locality", "label"), *outcome_columns(ctx, of)],
        rows=rows,
        selection=f"Statutory complaints about {name} {counted(ctx)} in {ctx.year.label}, by "
        "locality and outcome",
        notes=[f"Every percentage is of {of} ({whole:,}).", basis_note(ctx), ROUNDING_NOTE],
        chart=Chart("stacked-bar", f"Outcomes by locality: {name}", OUTCOMES),
    )


def _by_focus(ctx: ReportContext, procedure: str, table_id: str, noun: str) -> Table:
    cases = complaints(ctx, procedure)
    whole = len(cases)
    by_category: dict[int | None, list[CaseFacts]] = {}
    for case in cases:
        for category in categories_of(case):
            by_category.setdefault(category, []).append(case)
    rows = [
        Row(key, label, outcome_cells(ctx, by_category[term_id], ctx.year, whole))
        for key, label, term_id in category_rows(ctx, set(by_category))
    ]
    rows.append(Row("total", "Total", outcome_cells(ctx, cases, ctx.year, whole), total=True))
    of = f"all {noun} {counted(ctx)} in {ctx.year.label}"
    return Table(
        id=table_id,
        title=f"Outcomes of {noun} by focus",
        columns=[Column("label", "Focus", "label"), *outcome_columns(ctx, of)],
        rows=rows,
        selection=f"{capfirst(noun)} {counted(ctx)} in {ctx.year.label}, by category and "
        "outcome",
        notes=[f"Every percentage is of {of} ({whole:,}).", basis_note(ctx),
               "A complaint with several categories is counted under each.", ROUNDING_NOTE],
        chart=Chart("stacked-bar", f"Outcomes of {noun} by focus", OUTCOMES),
    )  # fmt: skip


def statutory_by_focus(ctx: ReportContext) -> Table:
    return _by_focus(
        ctx, Procedure.CHILDRENS_STATUTORY, "outcomes.statutory_by_focus", "statutory complaints"
    )


def corporate_by_focus(ctx: ReportContext) -> Table:
    return _by_focus(ctx, Procedure.CORPORATE, "outcomes.corporate_by_focus",
                     "corporate complaints")  # fmt: skip


STAGE_OUTCOMES = ["upheld", "partially-upheld", "not-upheld", "no-finding", "withdrawn"]


def by_stage(ctx: ReportContext) -> Table:
    """The outcome each stage was given, for stages of complaints responded to in the year."""
    stages: dict[int, Counter] = {}
    for _case, stage in ctx.responded(Kind.COMPLAINT, ctx.year):
        stages.setdefault(stage.number, Counter())[stage.outcome or "no-finding"] += 1
    columns = [Column("label", "Stage", "label")]
    of = "stages responded to at that stage"
    for key in STAGE_OUTCOMES:
        columns.append(Column(key, outcome_label(ctx, key)))
        columns.append(Column(f"{key}-percent", f"{outcome_label(ctx, key)} %", "percent",
                              of=of, source=key))  # fmt: skip
    columns.append(Column("total", "Responses", total=True))
    rows = []
    for number in (1, 2, 3):
        counts = stages.get(number, Counter())
        whole = sum(counts.values())
        cells: dict = {}
        for key in STAGE_OUTCOMES:
            cells[key] = counts[key]
            cells[f"{key}-percent"] = percent(counts[key], whole)
        cells["total"] = whole
        rows.append(Row(str(number), f"Stage {number}", cells))
    return Table(
        id="outcomes.by_stage",
        title="Outcomes at each stage",
        columns=columns,
        rows=rows,
        selection=f"Stages of complaints responded to in {ctx.year.label}",
        notes=[ROUNDING_NOTE],
        chart=Chart("stacked-bar", "Outcomes at each stage", STAGE_OUTCOMES),
    )


# Narrative --------------------------------------------------------------------------------


def draft(ctx: ReportContext, overall_table: Table, statutory: Table, locality: Table) -> str:
    this, last = f"{ctx.year.key}-percent", f"{ctx.previous.key}-percent"
    sentences = []
    for key in ("upheld", "partially-upheld", "not-upheld"):
        row = overall_table.row(key)
        now, before = row.cells.get(this), row.cells.get(last)
        if now is None:
            continue
        sentence = (
            f"{now}% of complaints {counted(ctx)} in {ctx.year.label} were {row.label.lower()}"
        )
        if isinstance(before, int):
            if now == before:
                sentence += f", the same as in {ctx.previous.label}"
            else:
                points = abs(now - before)
                sentence += (
                    f", {'up' if now > before else 'down'} {points} percentage "
                    f"point{'s' if points != 1 else ''} on {ctx.previous.label} ({before}%)"
                )
        sentences.append(sentence + ".")
    open_now = overall_table.cell("still-open", ctx.year.key)
    if open_now:
        when = (
            "at the end of the year"
            if ctx.outcome_basis.code == definitions.YEAR_END
            else "when the report was made"
        )
        sentences.append(f"{open_now:,} were still open {when}.")
    teams = [r for r in statutory.rows if not r.total and r.cells.get("total")]
    if teams:
        top = max(teams, key=lambda r: r.cells["total"])
        sentences.append(
            f"{top.cells['total-percent']}% of statutory complaints were about {top.label}."
        )
    # Only places with a name: "the highest proportion was in Locality not recorded" says
    # nothing about a place.
    places = [r for r in locality.rows if not r.total and r.key != "not-recorded"]
    for key in ("upheld", "partially-upheld"):
        best = max(places, key=lambda r: r.cells.get(key) or 0, default=None)
        if best is not None and best.cells.get(key):
            sentences.append(
                f"The highest proportion of {outcome_label(ctx, key).lower()} statutory "
                f"complaints was in {best.label} ({best.cells[f'{key}-percent']}%)."
            )
    return " ".join(sentences)
