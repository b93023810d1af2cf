"""Trackers: the lists a complaints team works from (my cases, due soon, overdue, new), with
filters, sorting and export to CSV and XLSX.

"Due soon" and "overdue" look at every clock the council owes on a case, not only the stage
response: the Investigating Officer's report, the adjudication, the panel, its report and the
council's response, the Ombudsman's reply date and each agreed remedy. The earliest of them
is kept on the case (``Case.next_due_on``, by ``heard.cases.schedule``), so these views stay one
indexed query; ``overdue_filter`` and ``due_soon_filter`` are the one definition of each.

Every tracker is one query for the rows and one to count them, whatever the number of cases:
the current stage's dates are columns of the case (kept by ``services.sync_current_stage``)
and related names come from ``select_related``. Exports leave out the complainant's and
child's personal details: they carry what a team needs to chase work; the case page holds
the rest.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django import forms
from django.db.models import F, Q

from heard.accounts.models import User
from heard.accounts.roles import CASE_READER_ROLES
from heard.cases.choices import Kind, Status
from heard.cases.queries import list_queryset
from heard.core.forms import GovukForm
from heard.core.spreadsheets import Workbook, csv_writer
from heard.taxonomy.models import ServiceArea

VIEWS = {
    "open": "All open cases",
    "mine": "My open cases",
    "due-soon": "Due in the next 5 working days",
    "overdue": "Overdue",
    "new": "New: to triage",
    "new-online": "New from the online form, to triage",
    "no-learning": "Upheld or partially upheld, with no learning recorded",
    "all": "Every case",
}
SORTS = {
    "next": (F("next_due_on").asc(nulls_last=True), "reference"),
    "due": ("stage_response_due", "reference"),
    "-due": ("-stage_response_due", "reference"),
    "received": ("received_on", "id"),
    "-received": ("-received_on", "-id"),
    "reference": ("reference",),
    "team": ("service_area__name", "reference"),
    "kind": ("kind", "reference"),
}
SORT_LABELS = {
    "next": "Next deadline, soonest first",
    "due": "Response due, soonest first",
    "-due": "Response due, latest first",
    "-received": "Received, newest first",
    "received": "Received, oldest first",
    "reference": "Reference",
    "team": "Team",
    "kind": "Kind",
}


class TrackerForm(GovukForm):
    view = forms.ChoiceField(label="Show", choices=VIEWS.items(), required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("", "Any")] + Kind.choices, required=False)
    stage = forms.ChoiceField(
        label="Stage", choices=[("", "Any"), ("1", "1"), ("2", "2"), ("3", "3")], required=False
    )
    team = forms.ModelChoiceField(
        label="Directorate, service or team",
        # Only what the choices show (each page renders every team and officer as an option).
        queryset=ServiceArea.objects.order_by("name").only("id", "name"),
        required=False,
        empty_label="Any",
    )
    officer = forms.ModelChoiceField(
        label="Allocated to",
        queryset=User.objects.filter(role__in=CASE_READER_ROLES, is_active=True)
        .order_by("first_name", "last_name")
        .only("id", "first_name", "last_name", "username"),
        required=False,
        empty_label="Anyone",
    )
    sort = forms.ChoiceField(label="Sort by", choices=SORT_LABELS.items(), required=False)


def overdue_filter(today: datetime.date) -> Q:
    """Cases where something the council owes is past its due date."""
    return Q(next_due_on__lt=today)


def due_soon_filter(today: datetime.date, calendar, within: int = 5) -> Q:
    """Cases where something the council owes falls due in the next ``within`` working days
    (today included)."""
    return Q(next_due_on__range=(today, calendar.add_working_days(today, within)))


@dataclass
class Tracker:
    title: str
    queryset: object
    form: TrackerForm


def tracker(user, params, today: datetime.date, calendar) -> Tracker:
    """The cases a user asked for: a view (mine, due soon, overdue …) narrowed by filters."""
    form = TrackerForm(params or None)
    data = form.cleaned_data if form.is_valid() else {}
    view = data.get("view") or "open"
    cases = list_queryset(user)
    # "status in (new, open)" rather than "not closed", so the database can use its indexes.
    still_open = Q(status__in=[Status.NEW, Status.OPEN])
    if view == "open":
        cases = cases.filter(still_open)
    elif view == "mine":
        cases = cases.filter(still_open, allocated_to=user)
    elif view == "due-soon":
        cases = cases.filter(due_soon_filter(today, calendar))
    elif view == "overdue":
        cases = cases.filter(overdue_filter(today))
    elif view == "new":
        cases = cases.filter(status=Status.NEW)
    elif view == "new-online":
        cases = cases.filter(status=Status.NEW, online_submission__isnull=False)
    elif view == "no-learning":
        cases = cases.filter(needs_learning=True)
    if data.get("kind"):
        cases = cases.filter(kind=data["kind"])
    if data.get("stage"):
        cases = cases.filter(stage_number=int(data["stage"]))
    if data.get("team"):
        # The team and the teams under it, as ids, so that the case index on stage and team
        # serves the filter (a join through the parents would scan every case).
        team = data["team"]
        within = ServiceArea.objects.filter(
            Q(pk=team.pk) | Q(parent=team) | Q(parent__parent=team)
        ).values_list("pk", flat=True)
        cases = cases.filter(service_area__in=list(within))
    if data.get("officer"):
        cases = cases.filter(allocated_to=data["officer"])
    default = "-received" if view in {"all", "no-learning"} else "next"
    cases = cases.order_by(*SORTS.get(data.get("sort") or "", SORTS[default]))
    return Tracker(VIEWS[view], cases.only(*LIST_FIELDS), form)


#: The columns a tracker reads: the rest of a case (its free text) is never loaded for lists.
LIST_FIELDS = (
    "reference", "kind", "status", "received_on", "procedure", "stage_number",
    "stage_acknowledgement_due", "stage_response_due", "stage_responded_on", "stage_suspended",
    "next_due_on", "next_due_label",
    "service_area__name", "service_area__code", "allocated_to__first_name",
    "allocated_to__last_name", "allocated_to__username", "channel__label",
    "complainant_name", "anonymous",
)  # fmt: skip

COLUMNS = (
    "Reference",
    "Kind",
    "Status",
    "Received",
    "Procedure",
    "Stage",
    "Acknowledgement due",
    "Response due",
    "Next deadline",
    "What is due next",
    "Directorate, service or team",
    "Allocated to",
)


def rows(queryset):
    for case in queryset.iterator(chunk_size=2000):
        yield (
            case.reference,
            case.get_kind_display(),
            case.get_status_display(),
            case.received_on,
            case.get_procedure_display(),
            case.stage_number,
            case.stage_acknowledgement_due,
            case.stage_response_due,
            case.next_due_on,
            case.next_due_label,
            str(case.service_area) if case.service_area_id else "",
            str(case.allocated_to) if case.allocated_to_id else "",
        )


def as_csv(queryset) -> str:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(COLUMNS)
    for row in rows(queryset):
        writer.writerow(
            ["" if v is None else v.isoformat() if isinstance(v, datetime.date) else v for v in row]
        )
    return out.getvalue()


def as_xlsx(queryset, title: str) -> bytes:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    header = []
    for name in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows(queryset):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime.date):
                cell.number_format = "DD/MM/YYYY"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def tracker_url(*, address: str = "", **params) -> str:
    """The case list filtered by ``params``. ``address``: the case list's own address, when
    a table of many links has reversed it once already."""
    from urllib.parse import urlencode

    from django.urls import reverse

    return f"{address or reverse('cases:list')}?{urlencode(params)}"
