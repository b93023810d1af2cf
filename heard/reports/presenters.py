"""What the report screens show: years to choose from, formats to download, edition lists,
and the report itself in the form the page template draws it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from heard.accounts import roles
from heard.cases.models import Case
from heard.reports import editions
from heard.reports.document import Report
from heard.reports.models import CategoryGroup, Edition
from heard.reports.periods import ReportingYear
from heard.reports.render import FORMATS, html

#: The partial that draws a report (``heard.reports.render.html``).
REPORT_PARTIAL = "reports/_report.html"


def today() -> datetime.date:
    return timezone.localdate()


def last_complete_year(on: datetime.date | None = None) -> int:
    """The last reporting year that has ended (in April 2025: 2024, April 2024 to March 2025)."""
    return ReportingYear.containing(on or today()).previous().year


def year_choices(on: datetime.date | None = None) -> list[tuple[int, str]]:
    """Reporting years from the first case received (at most 15 years back) to this one,
    newest first."""
    current = ReportingYear.containing(on or today())
    first_day = Case.objects.order_by("received_on").values_list("received_on", flat=True).first()
    first = ReportingYear.containing(first_day).year if first_day else current.year - 5
    first = max(min(first, current.year - 5), current.year - 15)
    return [(y, ReportingYear.of(y).label) for y in range(current.year, first - 1, -1)]


def year_label(year: int) -> str:
    return ReportingYear.of(year).label


def publication_for(user, asked: bool) -> bool:
    """Viewers always get publication mode; everyone else as they ask."""
    return asked or not roles.sees_unsuppressed_reports(user)


def asked_publication(value: str | None) -> bool:
    return (value or "").lower() in {"1", "true", "yes", "on"}


# Formats --------------------------------------------------------------------------------------


def formats() -> dict[str, tuple[str, str, Callable[[Report], bytes]]]:
    """Download formats: name → (content type, file extension, renderer)."""
    return dict(FORMATS)


FORMAT_NAMES = {"html": "HTML", "pdf": "PDF", "docx": "Word", "xlsx": "Excel (XLSX)",
                "json": "JSON", "csv": "CSV"}  # fmt: skip


def download_links(url_for: Callable[[str], str]) -> list[dict[str, str]]:
    return [
        {"name": name, "label": FORMAT_NAMES.get(name, name.upper()), "url": url_for(name)}
        for name in formats()
    ]


def filename(report: Report, extension: str) -> str:
    period = report.period.get("label") or report.period.get("year") or "report"
    edition = f"-edition-{report.edition['number']}" if report.edition else ""
    return f"{report.kind}-{period}{edition}.{extension}".replace(" ", "-").replace("/", "-")


def chart_sources(report: Report) -> dict[str, str]:
    """{table id: image} for the report's charts, drawn inline."""
    return html.chart_sources(report)


def chart_links(report: Report, url: Callable[[str], str]) -> dict[str, str]:
    """{table id: ``url(table id)``} for the tables of ``report`` that have a chart."""
    from heard.reports.render import charts

    return {table.id: url(table.id) for table in report.tables() if charts.has_chart(table)}


def chart_image(report: Report, table_id: str) -> bytes | None:
    """The chart of the table ``table_id`` as a PNG image; None if it has none."""
    from heard.reports.render import charts

    try:
        table = report.table(table_id)
    except KeyError:
        return None
    return charts.render(table) if charts.has_chart(table) else None


# Other reports --------------------------------------------------------------------------------


def management_summary(period: str, on: datetime.date) -> Report:
    from heard.reports import summaries

    return summaries.build(period, on)


def scrutiny_report(year: int, publication: bool) -> Report:
    from heard.reports import scrutiny

    return scrutiny.build(year, publication)


def lgsco_report(year: int, publication: bool) -> Report:
    from heard.reports import lgsco_code

    return lgsco_code.build(year, publication)


# Editions -------------------------------------------------------------------------------------


@dataclass
class EditionRow:
    edition: Edition
    name: str
    year_label: str
    status: str


def edition_rows(user) -> list[EditionRow]:
    found = Edition.objects.all()
    if not roles.sees_unsuppressed_reports(user):
        found = found.filter(status=Edition.Status.PUBLISHED, publication=True)
    return [
        EditionRow(
            edition=e,
            name=editions.REPORTS.get(e.report, e.report),
            year_label=year_label(e.year),
            status=e.get_status_display(),
        )
        for e in found
    ]


def may_see_edition(user, edition: Edition) -> bool:
    """Viewers see published editions in publication mode only."""
    if roles.sees_unsuppressed_reports(user):
        return True
    return edition.is_published and edition.publication


def case_study_choices(edition: Edition) -> list[tuple[int, str]]:
    """Cases dealt with in the edition's year whose case study is marked publishable."""
    year = ReportingYear.of(edition.year)
    cases = (
        Case.objects.filter(case_study_publishable=True, received_on__lte=year.end)
        .filter(restriction__isnull=True)  # a restricted case's words are never printed
        .exclude(case_study="")
        .exclude(closed_on__lt=year.start)
        .order_by("received_on", "id")
    )
    choices = []
    for case in cases:
        text = " ".join(case.case_study.split())
        short = text if len(text) <= 120 else text[:117].rstrip() + "…"
        choices.append((case.pk, f"{case.reference}: {short}"))
    return choices


def narrative_sections(edition: Edition, drafted: dict) -> list[tuple[str, str, str]]:
    """(section id, title, the text to edit) for each section of a draft edition
    (``drafted``: :func:`heard.reports.editions.drafts`)."""
    staff = edition.narrative or {}
    rows = [
        (sid, section.title, staff.get(sid) or section.narrative)
        for sid, section in drafted.items()
    ]
    if edition.custom_tables.exists():
        rows.append(
            (
                editions.CUSTOM_SECTION_ID,
                editions.CUSTOM_SECTION_TITLE,
                staff.get(editions.CUSTOM_SECTION_ID, ""),
            )
        )
    return rows


# Custom tables --------------------------------------------------------------------------------


def dimension_choices(year: int) -> Callable[[str], list[tuple[str, str]]]:
    """The values each filter of the table builder offers: the council's vocabularies and
    service areas, and the months of the year (no cases are loaded)."""
    from heard.deadlines.calendar import council_calendar
    from heard.reports import custom
    from heard.reports.data import AreaInfo, Dataset, TermInfo
    from heard.taxonomy.models import Locality, ServiceArea, Term

    reporting_year = ReportingYear.of(year)
    dataset = Dataset(
        reporting_year,
        reporting_year,
        council_calendar(),
        [],
        {t.id: TermInfo(t.id, t.vocabulary, t.code, t.label, t.order) for t in Term.objects.all()},
        {
            a.id: AreaInfo(a.id, a.code, a.name, a.level, a.order, a.parent_id)
            for a in ServiceArea.objects.all()
        },
        dict(Locality.objects.values_list("id", "name")),
        today(),
    )
    return lambda dimension: custom.choices_for(dimension, dataset)


def table_report(table, name: str = "") -> Report:
    """One custom table as a report of one section, for the page and the downloads."""
    from django.conf import settings

    from heard.reports.document import Section

    return Report(
        kind="custom",
        title=name or table.title,
        council=settings.COUNCIL_NAME,
        period={"label": "table"},
        sections=[Section(id="custom", title=name or table.title, tables=[table])],
    )


@dataclass(frozen=True)
class CategoryGroupRow:
    pk: int
    name: str
    code: str
    order: int
    categories: str


def category_group_rows() -> list[CategoryGroupRow]:
    """The council's groups of categories with the labels of their categories (two queries)."""
    groups = CategoryGroup.objects.prefetch_related("categories")
    return [
        CategoryGroupRow(
            group.pk,
            group.name,
            group.code,
            group.order,
            ", ".join(sorted(term.label for term in group.categories.all())),
        )  # fmt: skip
        for group in groups
    ]
