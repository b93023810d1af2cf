"""Complaints and representations received, by the council's directorates and teams.

Rows come from the council's own structure (``ServiceArea``): each directorate's teams, then
the directorate's subtotal, then the grand total (``_by_area.area_rows``). Percentages are of
everything received in the year of that kind, computed from counts (never by adding rounded
figures), so a directorate's percentage can differ by one from the sum of its teams'.
"""

from __future__ import annotations

from heard.cases.choices import Kind, Procedure
from heard.reports import narrative
from heard.reports.context import ReportContext
from heard.reports.data import CaseFacts
from heard.reports.document import Chart, Column, Row, Section, Table
from heard.reports.measures import change
from heard.reports.sections._by_area import TOTAL, area_rows, received_by_area

TITLE = "Complaints and representations by service area"


def build(ctx: ReportContext) -> Section:
    complaints_table = complaints(ctx)
    representations_table = representations(ctx)
    directorates = change_by_directorate(ctx)
    return Section(
        id="service_areas",
        title=TITLE,
        narrative=draft(ctx, complaints_table, representations_table, directorates),
        tables=[complaints_table, representations_table, directorates, by_procedure(ctx)],
    )


def complaints(ctx: ReportContext) -> Table:
    return received_by_area(ctx, Kind.COMPLAINT, "service_areas.complaints", "complaints")


def representations(ctx: ReportContext) -> Table:
    return received_by_area(
        ctx, Kind.REPRESENTATION, "service_areas.representations", "representations"
    )


def change_by_directorate(ctx: ReportContext) -> Table:
    """Each directorate's complaints received last year and this year, with the change."""
    data = ctx.data
    last, this = ctx.previous, ctx.year
    counts: dict[int | None, dict[str, int]] = {}
    for year in (last, this):
        for case in ctx.received(Kind.COMPLAINT, year):
            directorate = data.area_at(case.service_area_id, "directorate")
            key = directorate.id if directorate else None
            counts.setdefault(key, {last.key: 0, this.key: 0})[year.key] += 1
    rows = []
    known = sorted((k for k in counts if k is not None), key=lambda k: (
        data.areas[k].order, data.areas[k].name.lower()))  # fmt: skip
    for area_id in known:
        area = data.areas[area_id]
        cells = dict(counts[area_id])
        cells["change"] = change(cells[last.key], cells[this.key])
        cells["difference"] = cells[this.key] - cells[last.key]
        rows.append(Row(area.code, area.name, cells))
    if None in counts:
        cells = dict(counts[None])
        cells["change"] = change(cells[last.key], cells[this.key])
        cells["difference"] = cells[this.key] - cells[last.key]
        rows.append(Row("not-recorded", "Service area not recorded", cells))
    totals = {y.key: sum(r.cells[y.key] for r in rows) for y in (last, this)}
    totals["change"] = change(totals[last.key], totals[this.key])
    totals["difference"] = totals[this.key] - totals[last.key]
    rows.append(Row(TOTAL, "Total", totals, total=True))
    return Table(
        id="service_areas.change_by_directorate",
        title="Complaints by directorate: this year and last",
        columns=[
            Column("label", "Directorate", "label"),
            Column(last.key, last.label),
            Column(this.key, this.label),
            Column("difference", "Difference"),
            ctx.change_column(),
        ],  # fmt: skip
        rows=rows,
        selection=f"Complaints received in {last.label} and {this.label}, by directorate",
        chart=Chart("bar", "Complaints by directorate", [last.key, this.key]),
    )


PROCEDURES = [
    (Procedure.CHILDRENS_STATUTORY, "Statutory"),
    (Procedure.CORPORATE, "Corporate"),
]


def by_procedure(ctx: ReportContext) -> Table:
    """Complaints received by team, split by the procedure they were dealt with under."""
    cases = ctx.received(Kind.COMPLAINT)
    known = {code for code, _ in PROCEDURES}

    def cells(group: list[CaseFacts]) -> dict:
        row = {code: sum(1 for c in group if c.procedure == code) for code, _ in PROCEDURES}
        row["other"] = sum(1 for c in group if c.procedure not in known)
        row["total"] = len(group)
        return row

    columns = [Column("label", "Service area / team", "label")]
    columns += [Column(code, label) for code, label in PROCEDURES]
    columns += [Column("other", "Other or not recorded"), Column("total", "Total", total=True)]
    return Table(
        id="service_areas.by_procedure",
        title="Complaints by service area and procedure",
        columns=columns,
        rows=area_rows(ctx, cases, cells),
        selection=f"Complaints received in {ctx.year.label}, by team and procedure",
        chart=Chart("stacked-bar", "Complaints by procedure",
                    [code for code, _ in PROCEDURES] + ["other"]),
    )  # fmt: skip


def _directorate_sentence(table: Table, noun: str, year_label: str) -> str:
    rows = [r for r in table.rows if r.total and r.key != TOTAL and r.cells.get("count")]
    if not rows:
        return ""
    rows.sort(key=lambda r: -r.cells["count"])
    parts = [
        f"{r.cells['count']:,} ({r.cells['percent']}%) {r.label.removesuffix(' total')}"
        for r in rows
    ]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    total = table.cell(TOTAL, "count") or 0
    return f"Of the {plural_noun(total, noun)} received in {year_label}: {listed}."


def plural_noun(n: int, noun: str) -> str:
    return narrative.plural(n, noun.removesuffix("s"), noun)


def draft(ctx: ReportContext, complaints_table: Table, representations_table: Table,
          directorates: Table) -> str:  # fmt: skip
    sentences = [
        _directorate_sentence(complaints_table, "complaints", ctx.year.label),
        _directorate_sentence(representations_table, "representations", ctx.year.label),
    ]
    changes = []
    for row in directorates.rows:
        if row.total or row.cells.get("change") is None or not row.cells.get("difference"):
            continue
        more = row.cells["difference"] > 0
        changes.append(
            f"{row.label} {'up' if more else 'down'} {abs(row.cells['change'])}% "
            f"({abs(row.cells['difference']):,})"
        )
    if changes:
        sentences.append(f"Compared with {ctx.previous.label}: " + "; ".join(changes) + ".")
    team_rows = [r for r in complaints_table.rows if not r.total and r.cells.get("count")]
    if team_rows:
        top = max(team_rows, key=lambda r: r.cells["count"])
        sentences.append(
            f"The team with the most complaints was {top.label} "
            f"({top.cells['count']:,}, {top.cells['percent']}%)."
        )
    return " ".join(s for s in sentences if s)
