"""Contacts: concerns and comments (kind ``comment``) raised with the council, how many
became formal complaints, and which teams they were about. A contact became a complaint when
a complaint was logged from it (the complaint's ``linked_case``)."""

from __future__ import annotations

from collections import Counter

from heard.cases.choices import Kind
from heard.reports import narrative
from heard.reports.context import ReportContext
from heard.reports.data import CaseFacts
from heard.reports.document import Chart, Column, Row, Section, Table
from heard.reports.measures import ROUNDING_NOTE, change, percent
from heard.reports.sections._by_area import area_rows

TITLE = "Contacts"


def build(ctx: ReportContext) -> Section:
    received_table = received(ctx)
    teams = by_team(ctx)
    return Section(
        id="contacts",
        title=TITLE,
        narrative=_narrative(ctx, received_table, teams),
        tables=[received_table, teams],
    )


def _counts(cases: list[CaseFacts]) -> tuple[int, int]:
    became = sum(1 for c in cases if c.became_complaint)
    return became, len(cases) - became


def received(ctx: ReportContext) -> Table:
    rows, previous = [], None
    for year in ctx.years:
        cases = ctx.received(Kind.COMMENT, year)
        became, not_became = _counts(cases)
        rows.append(
            Row(
                year.key,
                year.label,
                {
                    "received": len(cases),
                    "became": became,
                    "became_pct": percent(became, len(cases)),
                    "not_became": not_became,
                    "change": change(previous[0], len(cases)) if previous else None,
                    "not_became_change": change(previous[1], not_became) if previous else None,
                },
            )
        )
        previous = (len(cases), not_became)
    return Table(
        id="contacts.received",
        title="Contacts received, and how many became complaints",
        columns=[
            Column("label", "Year", "label"),
            Column("received", "Contacts received"),
            Column("became", "Became a formal complaint"),
            Column(
                "became_pct",
                "% became a complaint",
                "percent",
                of="of contacts received",
                source="became",
            ),
            Column("not_became", "Did not become a complaint"),
            Column("change", "% change in contacts received", "change", source="received"),
            Column(
                "not_became_change",
                "% change in contacts that did not become a complaint",
                "change",
                source="not_became",
            ),
        ],
        rows=rows,
        selection="Contacts (comments and concerns) received in each reporting year",
        notes=[
            "A contact became a complaint when a formal complaint was logged from it.",
            ROUNDING_NOTE,
        ],
        chart=Chart("bar", "Contacts received", ["received", "became"]),
    )


def by_team(ctx: ReportContext) -> Table:
    years = ctx.years
    cases = [c for y in years for c in ctx.received(Kind.COMMENT, y)]
    # The year each was received in, looked up once (the rows ask for it per team and total).
    year_of = {c.id: y.key for y in years for c in ctx.received(Kind.COMMENT, y)}
    this_key, last_key = ctx.year.key, ctx.previous.key

    def cells(found: list[CaseFacts]) -> dict:
        keys = [year_of[c.id] for c in found]
        per_year = Counter(keys)
        counts = {y.key: per_year[y.key] for y in years}
        this_year = [c for c, key in zip(found, keys, strict=True) if key == this_key]
        became, not_became = _counts(this_year)
        last = [c for c, key in zip(found, keys, strict=True) if key == last_key]
        return {
            **counts,
            "change": change(counts[ctx.previous.key], counts[ctx.year.key]),
            "became": became,
            "became_pct": percent(became, len(this_year)),
            "not_became": not_became,
            "not_became_change": change(_counts(last)[1], not_became),
        }

    columns = [Column("label", "Team", "label")]
    columns += [Column(y.key, y.label) for y in years]
    columns += [
        Column("change", "% change", "change", of=ctx.previous.label, source=ctx.year.key),
        Column("became", f"Became a complaint ({ctx.year.label})"),
        Column(
            "became_pct",
            "% became a complaint",
            "percent",
            of=f"of contacts received in {ctx.year.label}",
            source="became",
        ),
        Column("not_became", f"Did not become a complaint ({ctx.year.label})"),
        Column(
            "not_became_change",
            "% change in those that did not",
            "change",
            of=ctx.previous.label,
            source="not_became",
        ),
    ]
    return Table(
        id="contacts.by_team",
        title="Contacts received by team",
        columns=columns,
        rows=area_rows(ctx, cases, cells),
        selection="Contacts received in each reporting year, by the team they were about",
        notes=[ROUNDING_NOTE],
    )


def _narrative(ctx: ReportContext, received_table: Table, teams: Table) -> str:
    this = received_table.row(ctx.year.key).cells
    last = received_table.row(ctx.previous.key).cells
    text = [
        f"{narrative.plural(this['received'], 'contact')} received in {ctx.year.label}, "
        f"{narrative.direction(last['received'], this['received'])} {last['received']:,} in "
        f"{ctx.previous.label}."
    ]
    if this["received"]:
        text.append(
            f"{this['became']:,} ({this['became_pct']}%) became formal complaints; "
            f"{this['not_became']:,} did not."
        )
        text.append(narrative.largest(teams, ctx.year.key, "contacts"))
    return " ".join(text)
