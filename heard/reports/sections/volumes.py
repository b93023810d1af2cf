"""Volumes of each kind of case received over the last four years, with % change."""

from __future__ import annotations

from heard.cases.choices import Kind, RequestType
from heard.reports import narrative
from heard.reports.context import ReportContext
from heard.reports.document import Chart, Row, Section, Table
from heard.reports.measures import change

TITLE = "Volumes over four years"

IR = Kind.INFORMATION_REQUEST

#: The rows: a key, the label, the kind and any filter on the case.
ROWS = [
    ("complaint", "Complaints", Kind.COMPLAINT, {}),
    ("representation", "MP and councillor enquiries", Kind.REPRESENTATION, {}),
    ("compliment", "Compliments", Kind.COMPLIMENT, {}),
    ("comment", "Comments and contacts", Kind.COMMENT, {}),
    ("ombudsman", "Ombudsman cases", Kind.OMBUDSMAN, {}),
    ("sar", "Subject access requests", IR, {"request_type": RequestType.SAR}),
    ("foi", "Freedom of information requests", IR, {"request_type": RequestType.FOI}),
    ("eir", "Environmental information requests", IR, {"request_type": RequestType.EIR}),
    ("disclosure", "Disclosure requests", IR, {"request_type": RequestType.DISCLOSURE}),
]  # fmt: skip


def build(ctx: ReportContext) -> Section:
    table = received_by_kind(ctx)
    return Section(
        id="volumes",
        title=TITLE,
        narrative=narrative.change_sentences(table, ctx),
        tables=[table],
    )


def received_by_kind(ctx: ReportContext) -> Table:
    years = ctx.years
    columns = ctx.year_columns("Kind")
    rows = []
    for key, label, kind, filters in ROWS:
        counts = {y.key: len(ctx.received(kind, y, **filters)) for y in years}
        counts["change"] = change(counts[ctx.previous.key], counts[ctx.year.key])
        rows.append(Row(key, label, counts))
    return Table(
        id="volumes.received",
        title="Cases received each year",
        columns=columns,
        rows=rows,
        selection="Cases received in each reporting year, by kind",
        notes=["% change is this year's count against last year's."],
        chart=Chart("bar", "Cases received each year", [y.key for y in years]),
    )
