"""Requests for information: subject access (SAR), freedom of information (FOI), environmental
information (EIR) and disclosure requests (records asked for by others, such as the police,
under a data protection exemption).

The SAR and FOI tables follow what became of the requests received in each year, as at the
end of that year: each request is counted once, as a further records request, as one that did
not progress (withdrawn, or no records held), as completed, or as still in progress (carried
forward). "Within the statutory timescale" is responded to on or before the date due.
"""

from __future__ import annotations

from heard.cases.choices import InformationOutcome, Kind, RequestType
from heard.reports import narrative
from heard.reports.context import ReportContext
from heard.reports.data import CaseFacts
from heard.reports.document import Chart, Column, Row, Section, Table
from heard.reports.measures import ROUNDING_NOTE, change, percent
from heard.reports.periods import ReportingYear
from heard.reports.sections._by_area import NOT_RECORDED as NOT_RECORDED_AREA
from heard.reports.sections._by_area import TOTAL, service_level, service_rows

TITLE = "Requests for information"

IR = Kind.INFORMATION_REQUEST

REQUEST_ROWS = [
    (RequestType.SAR, "Subject access requests"),
    (RequestType.FOI, "Freedom of information requests"),
    (RequestType.EIR, "Environmental information requests"),
    (RequestType.DISCLOSURE, "Disclosure requests (data protection exemptions)"),
]

#: Outcomes of a request that did not progress.
NOT_PROGRESSED = {InformationOutcome.WITHDRAWN, InformationOutcome.NO_RECORDS}
#: What can become of a request (``state_at_year_end``), and the states that count as dealt with.
STATES = ("not_progressed", "completed", "further", "carried_forward")
DEALT_WITH = ("completed", "carried_forward")


def build(ctx: ReportContext) -> Section:
    requests_table = requests(ctx)
    tables = [requests_table]
    for request_type in (RequestType.SAR, RequestType.FOI, RequestType.EIR):
        if request_type != RequestType.EIR or any(
            ctx.received(IR, y, request_type=request_type) for y in ctx.years
        ):
            tables.append(progress(ctx, request_type))
    tables.append(disclosure(ctx))
    tables.append(sar_by_service(ctx))
    return Section(id="information", title=TITLE, narrative=_narrative(ctx, tables), tables=tables)


def requests(ctx: ReportContext) -> Table:
    years = ctx.years
    rows = []
    for request_type, label in REQUEST_ROWS:
        counts = {y.key: len(ctx.received(IR, y, request_type=request_type)) for y in years}
        counts["change"] = change(counts[ctx.previous.key], counts[ctx.year.key])
        rows.append(Row(str(request_type), label, counts))
    columns = ctx.year_columns("Request")
    return Table(
        id="information.requests",
        title="Requests for information received",
        columns=columns,
        rows=rows,
        selection="Information requests received in each reporting year, by type",
        notes=["% change is this year's count against last year's."],
        chart=Chart("bar", "Requests received", [y.key for y in years]),
    )


def state_at_year_end(case: CaseFacts, year: ReportingYear) -> str:
    """What became of a request received in ``year``, as at its end."""
    if case.further_records_request:
        return "further"
    closed = case.closed_on is not None and case.closed_on <= year.end
    if closed and case.information_outcome in NOT_PROGRESSED:
        return "not_progressed"
    return "completed" if closed else "carried_forward"


def in_time(case: CaseFacts) -> bool:
    stage = case.stage(1)
    return bool(
        stage
        and stage.responded_on
        and stage.response_due
        and stage.responded_on <= stage.response_due
    )


def progress(ctx: ReportContext, request_type: str) -> Table:
    label = dict(REQUEST_ROWS)[request_type]
    rows = []
    for year in ctx.years:
        cases = ctx.received(IR, year, request_type=request_type)
        states = {
            key: [c for c in cases if state_at_year_end(c, year) == key]
            for key in ("not_progressed", "completed", "further", "carried_forward")
        }
        on_time = sum(1 for c in states["completed"] if in_time(c))
        rows.append(
            Row(
                year.key,
                year.label,
                {
                    "received": len(cases),
                    **{k: len(v) for k, v in states.items()},
                    "in_time": on_time,
                    "in_time_pct": percent(on_time, len(states["completed"])),
                },
            )
        )
    return Table(
        id=f"information.{request_type}",
        title=f"{label}: received and completed",
        columns=[
            Column("label", "Year", "label"),
            Column("received", "Received"),
            Column("not_progressed", "Did not progress"),
            Column("completed", "Completed"),
            Column("further", "Requests for further records"),
            Column("carried_forward", "Still in progress at the year end"),
            Column("in_time", "Completed within the statutory timescale"),
            Column(
                "in_time_pct",
                "% completed within the statutory timescale",
                "percent",
                of="of requests completed",
                source="in_time",
            ),
        ],
        rows=rows,
        selection=f"{label} received in each reporting year, as they stood at its end",
        notes=[
            "Did not progress: withdrawn, formalities not completed, or no records held.",
            ROUNDING_NOTE,
        ],
        chart=Chart("line", "Completed within the statutory timescale", ["in_time_pct"]),
    )


def sar_by_service(ctx: ReportContext, level: str | None = None) -> Table:
    """Subject access requests received in the year by the service (or, for a council without
    services, the directorate) whose records were asked for, by what became of them as at the
    year end. "Dealt with" is completed or still in progress, as East Riding counts it ("42
    SARs were dealt with this year (5 of these are still in progress)")."""
    level = level or service_level(ctx)
    year = ctx.year
    received = ctx.received(IR, year, request_type=RequestType.SAR)
    states = {c.id: state_at_year_end(c, year) for c in received}
    dealt_with_all = sum(1 for state in states.values() if state in DEALT_WITH)

    def cells(cases: list[CaseFacts]) -> dict:
        found = {key: sum(1 for c in cases if states[c.id] == key) for key in STATES}
        dealt = sum(found[key] for key in DEALT_WITH)
        return {
            "received": len(cases),
            **found,
            "dealt_with": dealt,
            "dealt_with_pct": percent(dealt, dealt_with_all),
        }

    rows = service_rows(ctx, received, cells, level)
    noun = "service" if level == "service" else "directorate"
    return Table(
        id="information.sar_by_service",
        title=f"Subject access requests by {noun}",
        columns=[
            Column(
                "label", "Directorate / service" if level == "service" else "Directorate", "label"
            ),
            Column("received", "Received"),
            Column("not_progressed", "Did not progress"),
            Column("completed", "Completed"),
            Column("further", "Requests for further records"),
            Column("carried_forward", "Still in progress at the year end"),
            Column("dealt_with", "Dealt with (completed or still in progress)"),
            Column(
                "dealt_with_pct",
                "% of requests dealt with",
                "percent",
                of="of subject access requests dealt with",
                source="dealt_with",
            ),
        ],  # fmt: skip
        rows=rows,
        selection=f"Subject access requests received in {year.label}, as they stood at its "
        f"end, by the {noun} whose records were asked for",
        notes=[
            "Did not progress: withdrawn, formalities not completed, or no records held.",
            ROUNDING_NOTE,
        ],
    )


def disclosure(ctx: ReportContext) -> Table:
    years = ctx.years
    cases = {y.key: ctx.received(IR, y, request_type=RequestType.DISCLOSURE) for y in years}
    used = {c.disclosure_requester_id for found in cases.values() for c in found}
    rows = []
    for term in ctx.data.terms_of("disclosure_requester"):
        if term.id in used:
            rows.append(
                Row(
                    term.code,
                    term.label,
                    {
                        y.key: sum(1 for c in cases[y.key] if c.disclosure_requester_id == term.id)
                        for y in years
                    },
                )
            )
    if None in used:
        rows.append(
            Row(
                "not-recorded",
                "Not recorded",
                {
                    y.key: sum(1 for c in cases[y.key] if c.disclosure_requester_id is None)
                    for y in years
                },
            )
        )
    rows.append(Row("total", "Total", {y.key: len(cases[y.key]) for y in years}, total=True))
    return Table(
        id="information.disclosure",
        title="Disclosure requests by requester",
        columns=[Column("label", "Requester", "label"), *[Column(y.key, y.label) for y in years]],
        rows=rows,
        selection="Disclosure requests received in each reporting year, by who asked",
    )


def _narrative(ctx: ReportContext, tables: list[Table]) -> str:
    text = [narrative.change_sentences(tables[0], ctx)]
    for table in tables[1:]:
        if table.id in ("information.disclosure", "information.sar_by_service"):
            continue
        this, last = table.row(ctx.year.key).cells, table.row(ctx.previous.key).cells
        if this["completed"]:
            name = table.title.split(":")[0]
            sentence = (
                f"{name}: {this['in_time']:,} of {this['completed']:,} completed "
                f"({this['in_time_pct']}%) within the statutory timescale"
            )
            if last["in_time_pct"] is not None:
                sentence += f", against {last['in_time_pct']}% in {ctx.previous.label}"
            text.append(sentence + ".")
    text.append(_by_service_sentence(ctx, tables))
    return " ".join(t for t in text if t)


def _by_service_sentence(ctx: ReportContext, tables: list[Table]) -> str:
    """Which service most of the subject access requests dealt with were for."""
    table = next((t for t in tables if t.id == "information.sar_by_service"), None)
    total = table.cell(TOTAL, "dealt_with") if table else None
    areas = [
        row
        for row in (table.rows if table else [])
        if not row.total and row.key != NOT_RECORDED_AREA and not row.key.endswith("-directorate")
    ]
    if not total or not areas:
        return ""
    top = max(areas, key=lambda row: row.cells["dealt_with"])
    sentence = (
        f"Of the {total:,} subject access requests dealt with in {ctx.year.label} (completed "
        f"or still in progress), {top.cells['dealt_with']:,} were for {top.label} records"
    )
    not_progressed = table.cell(TOTAL, "not_progressed")
    if not_progressed:
        sentence += (
            f"; so were {top.cells['not_progressed']:,} of the {not_progressed:,} that did "
            "not progress"
        )
    return sentence + "."
