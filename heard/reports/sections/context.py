"""Complaints in context: the figures the council enters for each year (children in the
area, open social care cases, looked after children…) and complaints as a rate of those
marked as a base for rates ("% of complaints to CSC cases 3%")."""

from __future__ import annotations

from decimal import Decimal

from heard.cases.choices import Kind, Procedure
from heard.reports.context import ReportContext
from heard.reports.document import Column, Row, Section, Table
from heard.reports.measures import ROUNDING_NOTE, change, percent, round_half_up

TITLE = "Complaints in context"


def build(ctx: ReportContext) -> Section:
    figures_table = figures(ctx)
    rates_table = rates(ctx)
    return Section(
        id="context",
        title=TITLE,
        narrative=_narrative(ctx, rates_table),
        tables=[figures_table, rates_table],
    )


def _number(value) -> int | float | None:
    if value is None:
        return None
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


def _figures(ctx: ReportContext, year) -> dict[str, tuple]:
    return ctx.context_figures.get(int(year.key), {})


def figures(ctx: ReportContext) -> Table:
    this, last = _figures(ctx, ctx.year), _figures(ctx, ctx.previous)
    codes = list(this) + [code for code in last if code not in this]
    rows = []
    for code in codes:
        label, value, as_at, _ = this.get(code) or last[code]
        previous = _number(last[code][1]) if code in last else None
        current = _number(this[code][1]) if code in this else None
        day = (this.get(code) or (None, None, None))[2]
        rows.append(
            Row(
                code,
                label,
                {
                    "as_at": f"{day.day} {day:%B %Y}" if day else "",
                    ctx.previous.key: previous,
                    ctx.year.key: current,
                    "change": change(previous, current),
                },
            )
        )
    return Table(
        id="context.figures",
        title="Children's services in context",
        columns=[
            Column("label", "Figure", "label"),
            Column("as_at", "As at", "text"),
            Column(ctx.previous.key, ctx.previous.label, "figure"),
            Column(ctx.year.key, ctx.year.label, "figure"),
            Column("change", "% change", "change", of=ctx.previous.label, source=ctx.year.key),
        ],
        rows=rows,
        selection=f"Figures entered by the council for {ctx.previous.label} and {ctx.year.label}",
        notes=["Entered by the council from its own returns; not counted by Heard."],
    )


def _scopes(ctx: ReportContext) -> list[tuple[str, str, dict]]:
    """Which complaints the rates are given for: each procedure present, then all."""
    present = {c.procedure for c in ctx.dealt_with(Kind.COMPLAINT) if c.procedure}
    from heard.reports.sections.flow import procedure_label

    scopes = [(p, procedure_label(p), {"procedure": p}) for p in Procedure.values if p in present]
    return [*scopes, ("all", "All", {})]


def rates(ctx: ReportContext) -> Table:
    base = {code: f for code, f in _figures(ctx, ctx.year).items() if f[3]}
    scopes = _scopes(ctx)
    columns = [
        Column("label", "Complaints as a rate of", "label"),
        Column("value", "Figure", "figure"),
    ]
    for key, label, _ in scopes:
        columns += [
            Column(f"{key}_dealt_with", f"{label} complaints dealt with"),
            Column(
                f"{key}_pct",
                f"{label}: % of the figure",
                "percent",
                of="of the figure",
                source=f"{key}_dealt_with",
            ),
            Column(f"{key}_per_1000", f"{label}: per 1,000", "rate", source=f"{key}_dealt_with"),
        ]
    rows = []
    for code, (label, value, _as_at, _) in base.items():
        value = _number(value)
        cells = {"value": value}
        for key, _, filters in scopes:
            dealt = len(ctx.dealt_with(Kind.COMPLAINT, **filters))
            cells[f"{key}_dealt_with"] = dealt
            cells[f"{key}_pct"] = percent(dealt, value)
            cells[f"{key}_per_1000"] = (
                round_half_up(Decimal(dealt) * 1000 / Decimal(str(value)), 1) if value else None
            )
        rows.append(Row(code, label, cells))
    return Table(
        id="context.rates",
        title="Complaints as a rate of the council's figures",
        columns=columns,
        rows=rows,
        selection=f"Complaints dealt with in {ctx.year.label}, against the "
        "figures marked as a base for rates",
        notes=[
            "Rates are complaints dealt with in the year, per 1,000 and as a % of the figure.",
            ROUNDING_NOTE,
        ],
    )


def _narrative(ctx: ReportContext, rates_table: Table) -> str:
    """ "The 35 statutory complaints dealt with in 2016-17 are 3% of the total number of open
    Children's Social Care cases (1,168), 30.0 per 1,000; all 53 complaints are 5%, 45.4 per
    1,000." for each figure marked as a base."""
    if not _figures(ctx, ctx.year):
        return f"No context figures have been entered for {ctx.year.label}."
    statutory = Procedure.CHILDRENS_STATUTORY
    text = []
    for row in rates_table.rows:
        cells = row.cells
        if cells.get("all_pct") is None:
            continue
        of = f"{row.label[:1].lower() + row.label[1:]} ({cells['value']:,})"
        everything = (
            f"{cells['all_dealt_with']:,} complaints dealt with in {ctx.year.label}"
            if f"{statutory}_pct" not in cells
            else f"all {cells['all_dealt_with']:,} complaints"
        )
        if cells.get(f"{statutory}_pct") is not None:
            text.append(
                f"The {cells[f'{statutory}_dealt_with']:,} statutory complaints dealt with in "
                f"{ctx.year.label} are {cells[f'{statutory}_pct']}% of the {of}, "
                f"{cells[f'{statutory}_per_1000']:,} per 1,000; {everything} are "
                f"{cells['all_pct']}%, {cells['all_per_1000']:,} per 1,000."
            )
        else:
            text.append(
                f"The {everything} are {cells['all_pct']}% of the {of}, "
                f"{cells['all_per_1000']:,} per 1,000."
            )
    return " ".join(text)
