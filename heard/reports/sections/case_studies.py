"""Case studies: the anonymised accounts staff write on a case for the annual report.

Only a case study marked publishable (``case_study_publishable``), on a case dealt with in the
year, is ever printed. An edition may choose which of them to print, and then only those are
printed, in the order chosen: ``ctx.case_studies`` (case ids, set by
``heard.reports.editions``).
"""

from __future__ import annotations

from heard.reports import narrative
from heard.reports.context import ReportContext
from heard.reports.data import CaseFacts
from heard.reports.document import Item, Section

TITLE = "Case studies"


def build(ctx: ReportContext) -> Section:
    items = studies(ctx, ctx.case_studies)
    return Section(
        id="case_studies",
        title=TITLE,
        narrative=draft(ctx, items),
        items=items,
        items_title="Case studies",
    )


def publishable(ctx: ReportContext) -> list[CaseFacts]:
    """Cases dealt with in the year with a case study marked publishable."""
    return [
        case
        for case in ctx.dealt_with(None)
        if case.case_study_publishable and case.case_study.strip()
    ]


def studies(ctx: ReportContext, chosen: list[int] | None = None) -> list[Item]:
    """The publishable case studies (when ``chosen`` case ids are given, only those, in that
    order), each attributed to the service area it was about."""
    cases = publishable(ctx)
    if chosen is not None:
        by_id = {case.id: case for case in cases}
        picked = [by_id[case_id] for case_id in chosen if case_id in by_id]
        cases = list({case.id: case for case in picked}.values())
    items = []
    for case in cases:
        area = ctx.data.areas.get(case.service_area_id) if case.service_area_id else None
        items.append(Item(case.case_study.strip(), area.name if area else ""))
    return items


def draft(ctx: ReportContext, items: list[Item]) -> str:
    if not items:
        return ""
    return (
        f"The {narrative.plural(len(items), 'case study', 'case studies')} below, from cases "
        f"dealt with in {ctx.year.label}, show what people told us and what changed as a result."
    )
