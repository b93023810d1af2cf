"""Report files (PDF, Word, XLSX, HTML, JSON) made from a spec such as
``{"report": "annual", "year": 2023, "publication": true, "format": "pdf"}``."""

from __future__ import annotations

import datetime

from heard.accounts import roles
from heard.audit import services as audit
from heard.jobs.kinds import JobRefused, Produced, Progress
from heard.reports.document import Report

CACHEABLE = True
NAMES = {
    "annual": "Annual report",
    "scrutiny": "Scrutiny committee report",
    "lgsco": "Complaint Handling Code annual report",
    "management": "Management summary",
    "edition": "Report edition",
    "table": "Custom table",
}


def title(spec: dict) -> str:
    from heard.reports.presenters import FORMAT_NAMES, year_label

    name = NAMES[spec["report"]]
    if spec.get("year"):
        name += f" {year_label(spec['year'])}"
    if spec["report"] == "management":
        name += f" ({spec['period']} of {datetime.date.fromisoformat(spec['on']):%-d %B %Y})"
    if spec["report"] in {"edition", "table"}:
        name += f" {spec['pk']}"
    if spec.get("publication") and spec["report"] not in {"edition", "table"}:
        name += ", publication version"
    return f"{name} ({FORMAT_NAMES.get(spec['format'], spec['format'])})"


def may_fetch(user, spec: dict) -> bool:
    from heard.reports.models import Edition
    from heard.reports.presenters import may_see_edition

    if not roles.can_view_reports(user):
        return False
    if spec["report"] == "table":
        return roles.can_prepare_reports(user)
    if spec["report"] == "edition":
        edition = Edition.objects.filter(pk=spec["pk"]).first()
        return edition is not None and may_see_edition(user, edition)
    return spec.get("publication", False) or roles.sees_unsuppressed_reports(user)


def build(spec: dict) -> Report:
    """The report a spec names, computed from the data as it is now."""
    from heard.reports import editions, presenters
    from heard.reports.models import Edition, SavedTable
    from heard.reports.publication import for_publication

    which = spec["report"]
    if which == "annual":
        return editions.annual_report(spec["year"], publication=spec["publication"])
    if which == "scrutiny":
        return presenters.scrutiny_report(spec["year"], spec["publication"])
    if which == "lgsco":
        return presenters.lgsco_report(spec["year"], spec["publication"])
    if which == "management":
        on = datetime.date.fromisoformat(spec["on"])
        report = presenters.management_summary(spec["period"], on)
        return for_publication(report) if spec["publication"] else report
    if which == "edition":
        found = Edition.objects.filter(pk=spec["pk"]).first()
        if found is None:
            raise JobRefused("The edition has been deleted.")
        return editions.render(found)
    if which == "table":
        from heard.reports import custom

        saved = SavedTable.objects.filter(pk=spec["pk"]).first()
        if saved is None:
            raise JobRefused("The custom table has been deleted.")
        return presenters.table_report(custom.build(editions.custom_spec(saved.spec)), saved.name)
    raise JobRefused(f"Heard has no report called {which}.")


def produce(spec: dict, progress: Progress, user) -> Produced:
    from heard.reports import presenters
    from heard.reports.render.pdf import PDFUnavailable

    found = presenters.formats().get(spec["format"])
    if found is None:
        raise JobRefused("Heard does not make reports in that format.")
    content_type, extension, write = found
    progress(10, "Working out the figures")
    report = build(spec)
    progress(50, f"Writing the {presenters.FORMAT_NAMES.get(spec['format'], 'file')}")
    try:
        data = write(report)
    except PDFUnavailable as error:
        raise JobRefused(str(error)) from None
    return Produced(data, presenters.filename(report, extension), content_type)


def record_fetch(user, job) -> None:
    audit.record("report.downloaded", user=user, note=job.title)
