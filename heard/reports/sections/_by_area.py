"""Rows of a table by service area: the teams of each directorate, then the directorate's
subtotal, as councils publish them ("Early Help & Safeguarding … Total 55 65%").

A case is shown at the level asked for (normally its team). A case logged directly against a
higher level (a service or the directorate itself) is shown on a row of its own area, so that
no case is lost and no team is invented. Cases with no service area are shown on a last row,
"Not recorded".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.text import capfirst

from heard.reports.context import ReportContext
from heard.reports.data import AreaInfo, CaseFacts
from heard.reports.document import Chart, Column, Row, Table
from heard.reports.measures import ROUNDING_NOTE, percent

#: Key of the row for cases without a service area (or outside any directorate).
NOT_RECORDED = "not-recorded"
#: Key of the grand total row.
TOTAL = "total"

Cells = Callable[[list[CaseFacts]], dict]


def _sort_key(area: AreaInfo) -> tuple:
    return (area.order, area.name.lower(), area.code)


def _path(areas: dict[int, AreaInfo], area_id: int) -> list[tuple]:
    """Sort key: the sort keys of the area's ancestors and its own, top first, so that teams
    sort within their service and a service's own row comes before its teams."""
    path = []
    node = areas.get(area_id)
    while node is not None:
        path.insert(0, _sort_key(node))
        node = areas.get(node.parent_id) if node.parent_id else None
    return path


def area_of_case(case: CaseFacts) -> int | None:
    return case.service_area_id


def _place(data, by_directorate: dict, area_id: int | None, level: str) -> list | None:
    """The list of the row an area's cases are counted on (made when first asked for), or
    None when the area is in no directorate."""
    directorate = data.area_at(area_id, "directorate")
    if directorate is None:
        return None
    shown = data.area_at(area_id, level) or data.areas[area_id]
    return by_directorate.setdefault(directorate.id, {}).setdefault(shown.id, [])


def area_rows(
    ctx: ReportContext,
    cases: Iterable[CaseFacts],
    cells: Cells,
    *,
    level: str = "team",
    area_of: Callable[[CaseFacts], int | None] = area_of_case,
    grand_total: bool = True,
) -> list[Row]:
    """Team rows (level 1, ``group`` = directorate code) followed by each directorate's
    subtotal row (level 0, ``total=True``, key = directorate code), then "Not recorded" and a
    grand total. ``cells`` computes a row's cells from the cases on that row, so subtotals and
    percentages are computed from the cases, never by adding rounded figures."""
    data = ctx.data
    cases = list(cases)
    by_directorate: dict[int, dict[int, list[CaseFacts]]] = {}
    unplaced: list[CaseFacts] = []
    # Where each area's cases go, worked out once per area (a council has a few dozen).
    places: dict[int | None, list[CaseFacts] | None] = {}
    for case in cases:
        area_id = area_of(case)
        try:
            place = places[area_id]
        except KeyError:
            place = places[area_id] = _place(data, by_directorate, area_id, level)
        if place is None:
            unplaced.append(case)
        else:
            place.append(case)

    rows: list[Row] = []
    for directorate_id in sorted(by_directorate, key=lambda i: _sort_key(data.areas[i])):
        directorate = data.areas[directorate_id]
        teams = by_directorate[directorate_id]
        members: list[CaseFacts] = []
        for area_id in sorted(teams, key=lambda i: _path(data.areas, i)):
            area = data.areas[area_id]
            if area.id == directorate.id:
                key, label = f"{area.code}-directorate", f"{area.name} (whole directorate)"
            elif area.level != level:
                key, label = area.code, f"{area.name} (whole {area.level})"
            else:
                key, label = area.code, area.name
            rows.append(Row(key, label, cells(teams[area_id]), 1, group=directorate.code))
            members += teams[area_id]
        rows.append(
            Row(
                directorate.code,
                f"{directorate.name} total",
                cells(members),
                0,
                total=True,
                group=directorate.code,
            )
        )
    if unplaced:
        rows.append(Row(NOT_RECORDED, "Service area not recorded", cells(unplaced), 0))
    if grand_total:
        rows.append(Row(TOTAL, "Total", cells(cases), 0, total=True))
    return rows


def service_level(ctx: ReportContext) -> str:
    """The level to group at when a table is by service: the council's services when it
    records any (East Riding's "Children's Social Care"), else its directorates."""
    has_services = any(area.level == "service" for area in ctx.data.areas.values())
    return "service" if has_services else "directorate"


def service_rows(
    ctx: ReportContext,
    cases: Iterable[CaseFacts],
    cells: Callable[[list[CaseFacts]], dict],
    level: str,
) -> list[Row]:
    """Rows by service within directorate (with directorate subtotals), or by directorate.

    A case logged against a team is counted under the team's service; one logged against a
    directorate directly (or a team outside any service) on the directorate's own row. By
    directorate, the directorate rows are their own subtotals, so only they are kept."""

    def shown_at(case: CaseFacts) -> int | None:
        area = ctx.data.area_at(case.service_area_id, level) or ctx.data.area_at(
            case.service_area_id, "directorate"
        )
        return area.id if area else case.service_area_id

    rows = area_rows(ctx, cases, cells, level=level, area_of=shown_at)
    if level != "directorate":
        return rows
    return [
        row if row.key in (NOT_RECORDED, TOTAL) else
        Row(row.key, row.label.removesuffix(" total"), row.cells, 0, group=row.group)
        for row in rows
        if row.level == 0
    ]  # fmt: skip


def received_by_area(ctx: ReportContext, kind: str, table_id: str, noun: str) -> Table:
    """What was received in the year of one kind, by directorate and team, with the count and
    the % of everything of that kind received (the tables councils publish for complaints,
    representations, compliments and enquiries)."""
    cases = ctx.received(kind)
    whole = len(cases)

    def cells(group: list[CaseFacts]) -> dict:
        return {"count": len(group), "percent": percent(len(group), whole)}

    return Table(
        id=table_id,
        title=f"{capfirst(noun)} received by service area",
        columns=[
            Column("label", "Service area / team", "label"),
            Column("count", f"Number of {noun} received"),
            Column(
                "percent",
                f"% of total {noun} received",
                "percent",
                of=f"{noun} received in {ctx.year.label}",
                source="count",
            ),
        ],  # fmt: skip
        rows=area_rows(ctx, cases, cells),
        selection=f"{capfirst(noun)} received in {ctx.year.label}, by the team they were "
        "logged against",
        notes=[ROUNDING_NOTE],
        chart=Chart("bar", f"{capfirst(noun)} by service area", ["count"]),
    )
