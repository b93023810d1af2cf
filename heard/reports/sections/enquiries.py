"""MP and councillor enquiries (cases of kind ``representation``): who made them, over four
years, and which teams they were about."""

from __future__ import annotations

from collections import Counter

from heard.cases.choices import Kind
from heard.reports import definitions, narrative, selection
from heard.reports.context import ReportContext
from heard.reports.document import Chart, Column, Row, Section, Table
from heard.reports.measures import change, percent
from heard.reports.sections._by_area import received_by_area

TITLE = "MP and councillor enquiries"

KIND = Kind.REPRESENTATION
NOT_RECORDED = "not-recorded"


def build(ctx: ReportContext) -> Section:
    sources = by_source(ctx)
    teams = by_team(ctx)
    return Section(
        id="enquiries",
        title=TITLE,
        narrative=draft(ctx, sources, teams),
        tables=[sources, timeliness_by_source(ctx), teams],
    )


def by_source(ctx: ReportContext) -> Table:
    years = ctx.years
    counts = {y.key: Counter(c.enquiry_source_id for c in ctx.received(KIND, y)) for y in years}
    sources = [(t.code, t.label, t.id) for t in ctx.data.terms_of("enquiry_source")]
    if any(counts[y.key][None] for y in years):
        sources.append((NOT_RECORDED, "Not recorded", None))
    rows = [
        Row(code, label, {y.key: counts[y.key][tid] for y in years}) for code, label, tid in sources
    ]
    rows.append(Row("total", "Total", {y.key: counts[y.key].total() for y in years}, total=True))
    for row in rows:
        row.cells["change"] = change(row.cells[ctx.previous.key], row.cells[ctx.year.key])
    return Table(
        id="enquiries.by_source",
        title="MP and councillor enquiries each year",
        columns=ctx.year_columns("Enquiry from"),
        rows=rows,
        selection="MP and councillor enquiries received in each reporting year",
        chart=Chart("bar", "MP and councillor enquiries each year", [y.key for y in years]),
    )


def timeliness_by_source(ctx: ReportContext) -> Table:
    """Enquiries received in the year by source (MP, councillor, direct, on behalf of a
    relative… in the council's words), with their responses in the year and how many were
    within timescale."""
    received = Counter(c.enquiry_source_id for c in ctx.received(KIND))
    responded: Counter = Counter()
    within: Counter = Counter()
    judged: Counter = Counter()
    for case in ctx.cases(KIND):
        for stage in selection.stages_responded_in(case, ctx.year):
            responded[case.enquiry_source_id] += 1
            verdict = definitions.within_timescale(stage)
            if verdict is not None:
                judged[case.enquiry_source_id] += 1
                within[case.enquiry_source_id] += verdict
    sources = [(t.code, t.label, t.id) for t in ctx.data.terms_of("enquiry_source")]
    if received[None] or responded[None]:
        sources.append((NOT_RECORDED, "Not recorded", None))

    def cells(ids) -> dict:
        got = {
            "received": sum(received[i] for i in ids),
            "responded": sum(responded[i] for i in ids),
            "within": sum(within[i] for i in ids),
        }
        got["within-percent"] = percent(got["within"], sum(judged[i] for i in ids))
        return got

    rows = [Row(code, label, cells([tid])) for code, label, tid in sources]
    everything = {tid for _code, _label, tid in sources} | set(received) | set(responded)
    rows.append(Row("total", "Total", cells(everything), total=True))
    return Table(
        id="enquiries.timeliness_by_source",
        title="Enquiries by source, with timeliness",
        columns=[
            Column("label", "Enquiry from", "label"),
            Column("received", f"Received in {ctx.year.label}"),
            Column("responded", f"Responded to in {ctx.year.label}"),
            Column("within", "Responded to within timescale"),
            Column(
                "within-percent",
                "% within timescale",
                "percent",
                of="responses in the year with a due date",
                source="within",
            ),
        ],  # fmt: skip
        rows=rows,
        selection=f"Enquiries received, and enquiries responded to, in {ctx.year.label}",
        notes=["Within timescale: responded to by the due date, after any agreed extension."],
    )


def by_team(ctx: ReportContext) -> Table:
    return received_by_area(ctx, KIND, "enquiries.by_team", "MP and councillor enquiries")


def draft(ctx: ReportContext, sources: Table, teams: Table) -> str:
    this, last = ctx.year.key, ctx.previous.key
    current, previous = sources.cell("total", this), sources.cell("total", last) or 0
    if not current and not previous:
        return f"No MP or councillor enquiries were received in {ctx.year.label}."
    sentences = [
        f"{narrative.plural(current, 'MP or councillor enquiry', 'MP and councillor enquiries')} "
        f"{'was' if current == 1 else 'were'} received in {ctx.year.label}, "
        f"{narrative.direction(previous, current)} {previous:,} in {ctx.previous.label}."
    ]
    by_source = [r for r in sources.rows if not r.total and r.cells[this]]
    if by_source:
        parts = ", ".join(f"{r.label} {r.cells[this]:,}" for r in by_source)
        sentences.append(f"By source: {parts}.")
    areas = [r for r in teams.rows if not r.total and r.cells["count"]]
    areas.sort(key=lambda r: -r.cells["count"])
    if areas:
        parts = ", ".join(f"{r.label} ({r.cells['count']:,})" for r in areas[:3])
        sentences.append(f"The teams with most enquiries were: {parts}.")
    return " ".join(sentences)
