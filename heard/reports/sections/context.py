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
            Column(f"{key}_per_10000", f"{label}: per 10,000", "rate",
                   source=f"{key}_dealt_with"),
        ]  # fmt: skip
    rows = []
    for code, (label, value, _as_at, _) in base.items():
        value = _number(value)
        cells = {"value": value}
        for key, _, filters in scopes:
            dealt = len(ctx.dealt_with(Kind.COMPLAINT, **filters))
            cells[f"{key}_dealt_with"] = dealt
            pct = percent(dealt, value)
            # A small rate is not "0%": the rate per 10,000 says it.
            cells[f"{key}_pct"] = None if dealt and pct == 0 else pct
            cells[f"{key}_per_1000"] = _per(dealt, value, 1000)
            cells[f"{key}_per_10000"] = _per(dealt, value, 10000)
        rows.append(Row(code, label, cells))
    return Table(
        id="context.rates",
        title="Complaints as a rate of the council's figures",
        columns=columns,
        rows=rows,
        selection=f"Complaints dealt with in {ctx.year.label}, against the "
        "figures marked as a base for rates",
        notes=[
            "Rates are complaints dealt with in the year, per 1,000 and per 10,000 (to one "
            "decimal place) and as a % of the figure; a % that would round to 0 is left empty.",
            ROUNDING_NOTE,
        ],
    )


def _per(count: int, value, per: int) -> float | None:
    return round_half_up(Decimal(count) * per / Decimal(str(value)), 1) if value else None


def _share(cells: dict, key: str, of: str, again: bool = False) -> str:
    """ "3% of the total number of open cases (1,168), 30.0 per 1,000"; a rate that would
    round to 0% is given per 10,000 instead ("4.2 per 10,000 of the …"), never as "0%"."""
    pct = cells.get(f"{key}_pct")
    whole = "" if again else " of the " + of
    if isinstance(pct, int) and pct > 0:
        return f"{pct}%{whole}, {cells[key + '_per_1000']:,} per 1,000"
    return f"{cells[key + '_per_10000']:,} per 10,000{whole}"


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
        if not isinstance(cells.get("all_per_1000"), int | float):
            continue  # no figure to set them against, or hidden in publication
        of = f"{row.label[:1].lower() + row.label[1:]} ({cells['value']:,})"
        everything = (
            f"{cells['all_dealt_with']:,} complaints dealt with in {ctx.year.label}"
            if f"{statutory}_pct" not in cells
            else f"all {cells['all_dealt_with']:,} complaints"
        )
        if isinstance(cells.get(f"{statutory}_per_1000"), int | float):
            text.append(
                f"The {cells[f'{statutory}_dealt_with']:,} statutory complaints dealt with in "
                f"{ctx.year.label} are {_share(cells, statutory, of)}; {everything} are "
                f"{_share(cells, 'all', of, again=True)}."
            )
        else:
            text.append(f"The {everything} are {_share(cells, 'all', of)}.")
    return " ".join(text)
