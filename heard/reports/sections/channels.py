"""How complaints reached the council: complaints received by channel and procedure."""

from __future__ import annotations

from collections import Counter

from heard.cases.choices import Kind, Procedure
from heard.reports import narrative
from heard.reports.context import ReportContext
from heard.reports.document import Chart, Column, Row, Section, Table
from heard.reports.measures import ROUNDING_NOTE, percent

TITLE = "How complaints were made"

NOT_RECORDED = "not-recorded"
#: Procedures always shown as columns; others only when a complaint used them.
MAIN_PROCEDURES = (Procedure.CHILDRENS_STATUTORY, Procedure.CORPORATE)


def build(ctx: ReportContext) -> Section:
    table = complaints_by_channel(ctx)
    return Section(id="channels", title=TITLE, narrative=draft(ctx, table), tables=[table])


def _procedures(used: set[str]) -> list[tuple[str, str]]:
    shown = [(p.value, p.label) for p in Procedure if p in MAIN_PROCEDURES or p.value in used]
    if "" in used:
        shown.append(("", "Procedure not yet decided"))
    return shown


def complaints_by_channel(ctx: ReportContext) -> Table:
    received = ctx.received(Kind.COMPLAINT)
    whole = len(received)
    counts = Counter((c.channel_id, c.procedure) for c in received)
    procedures = _procedures({c.procedure for c in received})

    def cells(selected) -> dict:
        row = {key or "none": sum(counts[(ch, key)] for ch in selected) for key, _ in procedures}
        row["total"] = sum(counts[(ch, p)] for ch in selected for p, _ in procedures)
        row["percent"] = percent(row["total"], whole)
        return row

    channel_ids = {c.channel_id for c in received}
    rows = [
        Row(t.code, t.label, cells([t.id]))
        for t in ctx.data.terms_of("channel")
        if t.id in channel_ids
    ]
    if None in channel_ids:
        rows.append(Row(NOT_RECORDED, "Not recorded", cells([None])))
    rows.append(Row("total", "Total", cells(list(channel_ids)), total=True))
    columns = [Column("label", "Channel", "label")]
    columns += [Column(key or "none", label) for key, label in procedures]
    columns += [
        Column("total", "All complaints", total=True),
        Column("percent", "% of complaints", "percent", of="of complaints received",
               source="total"),
    ]  # fmt: skip
    return Table(
        id="channels.complaints",
        title="How complaints were made",
        columns=columns,
        rows=rows,
        selection=f"Complaints received in {ctx.year.label}, by channel and procedure",
        notes=[ROUNDING_NOTE],
        chart=Chart("stacked-bar", "Complaints by channel", [k or "none" for k, _ in procedures]),
    )


def draft(ctx: ReportContext, table: Table) -> str:
    total = table.cell("total", "total")
    if not total:
        return f"No complaints were received in {ctx.year.label}."
    rows = [r for r in table.rows if not r.total and r.cells["total"]]
    rows.sort(key=lambda r: -r.cells["total"])
    listed = ", ".join(f"{r.label} {r.cells['percent']}%" for r in rows[:3])
    return (
        f"{narrative.plural(total, 'complaint')} {'was' if total == 1 else 'were'} received in "
        f"{ctx.year.label}. The channels used most were: {listed}."
    )
