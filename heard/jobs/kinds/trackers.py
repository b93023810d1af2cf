"""A tracker's cases as CSV or XLSX (the export links on the case list): spec
``{"user": 7, "on": "2024-05-14", "format": "csv", "params": {"view": "overdue", ...}}``.

A tracker is the cases one person may see (their scope, their "mine"), so its export is
only ever handed back to the person who asked for it, while their data is unchanged. The rows,
the columns and the formula-neutralising writers are the tracker's own
(:mod:`heard.cases.trackers`, :mod:`heard.core.spreadsheets`).
"""

from __future__ import annotations

import datetime

from heard.accounts import roles
from heard.audit import services as audit
from heard.jobs.kinds import Produced, Progress

CACHEABLE = True
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def spec_for(user, params, on: datetime.date, export: str) -> dict:
    """The spec of an export of the tracker ``params`` (the list page's query) asks for."""
    from heard.cases.trackers import TrackerForm

    # Only what the form accepts, as the page does (an invalid filter shows the default list):
    # nothing a person typed into the address reaches the job's spec unchecked.
    form = TrackerForm(params or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    kept = {name: getattr(value, "pk", value) for name, value in cleaned.items() if value}
    return {
        "user": user.pk,
        "on": on.isoformat(),
        "format": export,
        "params": {name: str(value) for name, value in kept.items()},
    }


def title(spec: dict) -> str:
    from heard.cases.trackers import VIEWS, TrackerForm

    form = TrackerForm(spec["params"] or None)
    view = (form.cleaned_data.get("view") if form.is_valid() else "") or "open"
    # The same words the tracker export's audit entry has always had.
    return f"{VIEWS[view]} ({spec['format']})"


def may_fetch(user, spec: dict) -> bool:
    return roles.can_read_cases(user) and user.pk == spec["user"]


def produce(spec: dict, progress: Progress, user) -> Produced:
    from heard.cases import trackers
    from heard.deadlines.calendar import council_calendar

    on = datetime.date.fromisoformat(spec["on"])
    progress(5, "Choosing the cases")
    found = trackers.tracker(user, spec["params"], on, council_calendar())
    progress(20, "Writing the cases")
    if spec["format"] == "csv":
        data = trackers.as_csv(found.queryset).encode("utf-8")
    else:
        data = trackers.as_xlsx(found.queryset, found.title)
    return Produced(data, f"heard-cases-{on.isoformat()}.{spec['format']}", FORMATS[spec["format"]])


def record_fetch(user, job) -> None:
    audit.record("cases.exported", user=user, note=job.title)
