"""Compliments received: by team, over four years (in all and by directorate or service), by
who gave them, and the quotes the council may publish.

Only a quote marked publishable (``quote_publishable``) is ever printed, attributed to the team
it was for ("To Fostering and Adoption"), never to a person. Publication mode changes nothing
here: the quotes are already limited to the publishable ones.
"""

from __future__ import annotations

from collections import Counter

from heard.cases.choices import Kind
from heard.reports import narrative
from heard.reports.context import ReportContext
from heard.reports.data import CaseFacts
from heard.reports.document import Chart, Column, Item, Row, Section, Table
from heard.reports.measures import ROUNDING_NOTE, change, percent
from heard.reports.sections._by_area import received_by_area, service_level, service_rows

TITLE = "Compliments"

KIND = Kind.COMPLIMENT
NOT_RECORDED = "not-recorded"


def build(ctx: ReportContext) -> Section:
    by_team_table = by_team(ctx)
    history_table = history(ctx)
    return Section(
        id="compliments",
        title=TITLE,
        narrative=draft(ctx, by_team_table, history_table),
        tables=[by_team_table, history_table, by_source(ctx), by_directorate_history(ctx)],
        items=quotes(ctx),
        items_title="What people said",
    )


def by_team(ctx: ReportContext) -> Table:
    return received_by_area(ctx, KIND, "compliments.by_team", "compliments")


def history(ctx: ReportContext) -> Table:
    years = ctx.years
    cells = {y.key: len(ctx.received(KIND, y)) for y in years}
    cells["change"] = change(cells[ctx.previous.key], cells[ctx.year.key])
    return Table(
        id="compliments.history",
        title="Compliments received each year",
        columns=ctx.year_columns(""),
        rows=[Row("compliment", "Compliments received", cells)],
        selection="Compliments received in each reporting year",
        chart=Chart("bar", "Compliments received each year", [y.key for y in years]),
    )


def by_directorate_history(ctx: ReportContext, level: str | None = None) -> Table:
    """Compliments received each year for four years, by service (within its directorate,
    with directorate subtotals) or, for a council without services, by directorate.

    A compliment logged against a team is counted under the team's service; one logged against
    a directorate directly (or a team outside any service) is shown on the directorate's own
    row ("… (whole directorate)")."""
    level = level or service_level(ctx)
    years = ctx.years
    received = [case for y in years for case in ctx.received(KIND, y)]
    # The year each was received in, looked up once (the rows ask for it per team and total).
    year_of = {case.id: y.key for y in years for case in ctx.received(KIND, y)}

    def cells(cases: list[CaseFacts]) -> dict:
        found = Counter(year_of[c.id] for c in cases)
        counts = {y.key: found[y.key] for y in years}
        counts["change"] = change(counts[ctx.previous.key], counts[ctx.year.key])
        return counts

    rows = service_rows(ctx, received, cells, level)
    noun = "service" if level == "service" else "directorate"
    return Table(
        id="compliments.by_directorate_history",
        title=f"Compliments received each year by {noun}",
        columns=ctx.year_columns("Directorate / service" if level == "service" else "Directorate"),
        rows=rows,
        selection=f"Compliments received in each reporting year, by {noun}",
        notes=[
            "Each compliment is counted under the service area it was logged against as "
            "that area now stands in the council's structure."
        ],  # fmt: skip
    )


def by_source(ctx: ReportContext) -> Table:
    received = ctx.received(KIND)
    counts = Counter(c.compliment_source_id for c in received)
    rows = []
    for term in ctx.data.terms_of("compliment_source"):
        if counts[term.id]:
            rows.append(Row(term.code, term.label, {"count": counts[term.id]}))
    if counts[None]:
        rows.append(Row(NOT_RECORDED, "Not recorded", {"count": counts[None]}))
    for row in rows:
        row.cells["percent"] = percent(row.cells["count"], len(received))
    rows.append(
        Row("total", "Total", {"count": len(received), "percent": percent(len(received),
                                                                          len(received))},
            total=True)
    )  # fmt: skip
    return Table(
        id="compliments.by_source",
        title="Who the compliments came from",
        columns=[
            Column("label", "From", "label"),
            Column("count", "Compliments received"),
            Column(
                "percent",
                "% of all compliments",
                "percent",
                of="of compliments received",
                source="count",
            ),
        ],  # fmt: skip
        rows=rows,
        selection=f"Compliments received in {ctx.year.label}",
        notes=[ROUNDING_NOTE],
    )


#: The most quotes the report prints: a page of them says what a committee needs to hear.
QUOTES_SHOWN = 6


def quotes(ctx: ReportContext) -> list[Item]:
    """Quotes marked publishable from compliments received in the year, each attributed to the
    team (or service area) it was for: each wording once (the same words sent to several
    teams, or logged twice, are not repeated), at most ``QUOTES_SHOWN``, spread over the
    teams before a team is quoted twice."""
    by_area: dict[int | None, list[Item]] = {}
    seen: set[str] = set()
    for case in ctx.received(KIND):
        text = case.quote.strip()
        wording = " ".join(text.casefold().split())
        if not (case.quote_publishable and text) or wording in seen:
            continue
        seen.add(wording)
        area = ctx.data.areas.get(case.service_area_id) if case.service_area_id else None
        item = Item(text, f"To {area.name}" if area else "")
        by_area.setdefault(case.service_area_id, []).append(item)
    items: list[Item] = []
    rounds = max((len(found) for found in by_area.values()), default=0)
    for n in range(rounds):  # one from each team, then a second from each, …
        items += [found[n] for found in by_area.values() if n < len(found)]
    return items[:QUOTES_SHOWN]


def draft(ctx: ReportContext, by_team_table: Table, history_table: Table) -> str:
    this, last = ctx.year.key, ctx.previous.key
    cells = history_table.rows[0].cells
    current, previous = cells[this], cells[last] or 0
    if not current:
        return f"No compliments were recorded in {ctx.year.label}."
    sentences = [
        f"{narrative.plural(current, 'compliment')} {'was' if current == 1 else 'were'} "
        f"received in {ctx.year.label}, {narrative.direction(previous, current)} "
        f"{previous:,} in {ctx.previous.label}."
    ]
    directorates = [r for r in by_team_table.rows if r.total and r.group]
    for row in sorted(directorates, key=lambda r: -r.cells["count"])[:3]:
        name = row.label.removesuffix(" total")
        sentences.append(f"{row.cells['count']:,} ({row.cells['percent']}%) related to {name}.")
    return " ".join(sentences)
